"""`sharebound export register|access`: as a named person or as the operator, to a file, run
in process against a real data folder (SQLite)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sharebound import bootstrap
from sharebound.cli import app
from sharebound.config import Settings
from sharebound.services import disclosures
from sharebound.services.disclosures import DisclosureDraft
from tests.integration.world import World, build_world

runner = CliRunner()


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("SHAREBOUND_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SHAREBOUND_DATABASE_URL", raising=False)
    built = bootstrap.init(Settings())
    yield build_world(built)
    built.close()


def _agreement_with_a_disclosure(world: World) -> str:
    agreement = world.signed()
    disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=["view"]))
    return agreement.id


def test_a_person_exports_the_register_they_may_see_to_a_file(world: World, tmp_path: Path) -> None:
    agreement_id = _agreement_with_a_disclosure(world)
    output = tmp_path / "register.csv"

    result = runner.invoke(app, ["export", "register", "--agreement", agreement_id, "--as",
                                 "grace@globex.example", "--direction", "received", "--output", str(output)])

    assert result.exit_code == 0, result.output
    assert "wrote 1 rows" in result.output
    with output.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [r["direction"] for r in rows] == ["received"]


def test_the_operator_exports_the_partnership_s_access_report_as_pdf(world: World, tmp_path: Path) -> None:
    _agreement_with_a_disclosure(world)
    output = tmp_path / "access.pdf"

    result = runner.invoke(app, ["export", "access", "--partnership", world.partnership.id,
                                 "--format", "pdf", "--output", str(output)])

    assert result.exit_code == 0, result.output
    assert output.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(("arguments", "code", "words"), [
    (["--format", "xlsx"], 2, "format: must be csv or pdf"),
    (["--from", "2026-05-02", "--to", "2026-05-01"], 2, "to: must be on or after from"),
    (["--as", "ian@initech.example"], 3, "agreement"),
    (["--direction", "given"], 2, "the operator belongs to no org"),
])
def test_a_bad_option_exits_with_its_code_and_writes_no_file(
        world: World, tmp_path: Path, arguments: list[str], code: int, words: str) -> None:
    agreement_id = _agreement_with_a_disclosure(world)
    output = tmp_path / "out.csv"

    result = runner.invoke(app, ["export", "register", "--agreement", agreement_id, "--output", str(output),
                                 *arguments])

    assert result.exit_code == code, result.output
    assert words in result.output and not output.exists()
