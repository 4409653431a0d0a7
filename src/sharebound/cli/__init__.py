"""The `sharebound` command: thin commands that call the use cases.

`base` holds the command groups and the helpers every command uses; the commands live by
area in `people`, `instance` and `records`, which register themselves on import.
"""

from sharebound.cli import instance, people, records
from sharebound.cli.base import app

__all__ = ["app", "instance", "main", "people", "records"]


def main() -> None:
    app()
