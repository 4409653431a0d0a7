"""The README's library example runs as printed, against a real database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sharebound.bootstrap import App
from tests.integration.world import World, build_world

README = Path(__file__).parents[2] / "README.md"


def test_the_readmes_library_example_discloses_or_prints_every_reason(
    app: App, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    world: World = build_world(app)
    agreement = world.signed(schedule={"ceiling": "internal"})  # a confidential note is refused
    example = re.search(r"As a library:\n\n```python\n(.*?)```", README.read_text(), re.DOTALL)
    assert example, "README.md has no library example"
    monkeypatch.setenv("SHAREBOUND_DATABASE_URL", str(app.settings.database_url))
    monkeypatch.setenv("SHAREBOUND_DATA_DIR", str(app.settings.data_dir))

    scope = {"person_id": world.mia.id, "item_id": world.note(), "agreement_id": agreement.id}
    try:
        exec(example.group(1), scope)
    finally:
        if "app" in scope:  # why: its pooled connections would be left open for the GC to find
            scope["app"].close()

    assert "ceiling" in capsys.readouterr().out
