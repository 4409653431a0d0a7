"""`sharebound trace`: a stamped copy leads back to its recipient, run in process against a
real data folder (SQLite)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from sharebound import bootstrap
from sharebound.cli import app
from sharebound.config import Settings
from sharebound.services import copies, disclosures, items, reshares
from sharebound.services.disclosures import DisclosureDraft
from tests.files import PDF, make_pdf
from tests.integration.world import World, build_world

runner = CliRunner()


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("SHAREBOUND_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SHAREBOUND_DATABASE_URL", raising=False)
    built = bootstrap.init(Settings())
    yield build_world(built)
    built.close()


def _stamped_copy(world: World, folder: Path) -> tuple[Path, str, str]:
    agreement = world.signed()
    item = items.add_item(world.uow(), world.mia.id, title="Thermal report", classification="confidential",
                          topics=["thermal"], content=make_pdf(), kind="file", media_type=PDF)
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item.id, agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=["download"]))
    copy = copies.download_disclosure(world.uow(), world.gina.id, made.id)
    assert copy.content is not None and copy.copy_id is not None
    path = folder / "leaked.pdf"
    path.write_bytes(copy.content)
    return path, copy.copy_id, made.id


def test_trace_names_the_disclosure_item_recipient_time_and_agreement(world: World, tmp_path: Path) -> None:
    path, copy_id, disclosure_id = _stamped_copy(world, tmp_path)

    result = runner.invoke(app, ["trace", str(path)])

    assert result.exit_code == 0, result.output
    for expected in (copy_id, "Gina <gina@globex.example>", "Globex (globex)", disclosure_id,
                     "Thermal report", "unchanged"):
        assert expected in result.output


def test_trace_still_finds_the_recipient_after_the_metadata_is_stripped(world: World, tmp_path: Path) -> None:
    path, copy_id, _ = _stamped_copy(world, tmp_path)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        del pdf.trailer["/Info"]
        del pdf.Root["/Metadata"]
        pdf.save(path)

    result = runner.invoke(app, ["trace", str(path)])

    assert result.exit_code == 0, result.output
    assert copy_id in result.output and "gina@globex.example" in result.output


def test_trace_exits_2_without_a_copy_id_and_3_for_an_unknown_one(world: World, tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(make_pdf())

    missing = runner.invoke(app, ["trace", str(plain)])
    unknown = runner.invoke(app, ["trace", "--copy-id", "0000-0000-0000"])

    assert missing.exit_code == 2 and "no Sharebound copy id" in missing.output
    assert unknown.exit_code == 3 and "not found" in unknown.output


def test_trace_of_a_representatives_copy_prints_the_chain(world: World, tmp_path: Path) -> None:
    from tests.integration.test_representatives import _approved_guest

    _, _, disclosure_id = _stamped_copy(world, tmp_path)
    with world.uow() as uow:
        agreement_id = uow.disclosures.get(disclosure_id).agreement_id
        agreement = uow.agreements.get(agreement_id)
    representative, jo = _approved_guest(world, agreement)
    reshares.reshare_disclosure(world.uow(), world.grace.id, disclosure_id, {
        "representative_id": representative.id, "actions": ["download"]})
    copy = copies.download_disclosure(world.uow(), jo.id, disclosure_id)
    assert copy.content is not None
    leaked = tmp_path / "from-the-manufacturer.pdf"
    leaked.write_bytes(copy.content)

    result = runner.invoke(app, ["trace", str(leaked)])

    assert result.exit_code == 0, result.output
    chain = "acme → globex → Jo Smith <jo@precision.example> (Precision Parts Ltd)"
    assert f"chain:      {chain}" in result.output


def test_trace_names_the_reader_of_a_page_image_saved_from_view_only(world: World, tmp_path: Path) -> None:
    agreement = world.signed()
    item = items.add_item(world.uow(), world.mia.id, title="Thermal report", classification="confidential",
                          topics=["thermal"], content=make_pdf(pages=3), kind="file", media_type=PDF)
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item.id, agreement_id=agreement.id, recipients=["gina@globex.example"], actions=["view"]))
    viewing = copies.open_view(world.uow(), world.gina.id, made.id)
    saved = tmp_path / "page-3.png"
    saved.write_bytes(copies.page_image(world.uow(), world.gina.id, made.id, viewing.copy_id, 3))

    result = runner.invoke(app, ["trace", str(saved)])

    assert result.exit_code == 0, result.output
    for expected in (viewing.copy_id, "(view, application/pdf)", "Gina <gina@globex.example>", made.id):
        assert expected in result.output
