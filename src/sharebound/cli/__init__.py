"""The `sharebound` command: thin commands that call the use cases.

`base` holds the command groups and the helpers every command uses; the commands live by
area in `people`, `instance`, `records` and `library`, which register themselves on import.
"""

from sharebound.cli import instance, library, people, records
from sharebound.cli.base import app

__all__ = ["app", "instance", "library", "main", "people", "records"]


def main() -> None:
    app()
