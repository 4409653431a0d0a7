"""`sharebound agreement verify`: an executed copy checked against the record, run in process
against a real data folder (SQLite)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from sharebound import bootstrap
from sharebound.adapters.db.tables import executed_copies
from sharebound.adapters.executed_pdf import DOCUMENT_ATTACHMENT
from sharebound.cli import app
from sharebound.config import Settings
from sharebound.domain.values import sha256_hex
from sharebound.services import executed
from tests.factories import CHEAP_PASSWORDS
from tests.integration.world import World, build_world

runner = CliRunner()


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("SHAREBOUND_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SHAREBOUND_DATABASE_URL", raising=False)
    built = bootstrap.init(Settings())
    built = replace(built, passwords=CHEAP_PASSWORDS)  # why: Argon2's real cost, per signer
    yield build_world(built)
    built.close()


def _executed_copy(world: World, folder: Path) -> tuple[Path, executed.ExecutedCopy]:
    agreement = world.signed()
    copy = executed.executed_copy(world.uow(), world.alice.id, agreement.id)
    path = folder / "executed.pdf"
    path.write_bytes(copy.pdf)
    return path, copy


def test_verify_names_the_agreement_version_and_digest_of_an_executed_copy_on_record(
    world: World, tmp_path: Path,
) -> None:
    path, copy = _executed_copy(world, tmp_path)

    result = runner.invoke(app, ["agreement", "verify", str(path)])

    assert result.exit_code == 0, result.output
    for expected in (copy.record.agreement_id, copy.record.digest, copy.record.sha256, "acme, globex",
                     "ok: this is the executed copy on record, unaltered"):
        assert expected in result.output


def test_verify_refuses_an_altered_copy_and_a_pdf_not_on_record(world: World, tmp_path: Path) -> None:
    path, _ = _executed_copy(world, tmp_path)
    altered = tmp_path / "altered.pdf"
    with pikepdf.open(path) as pdf:  # one word of its title changed, the rest as it was
        pdf.docinfo["/Title"] = pikepdf.String(str(pdf.docinfo["/Title"]).replace("between", "among"))
        pdf.save(altered)
    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.4\n%%EOF\n")

    results = [runner.invoke(app, ["agreement", "verify", str(p)]) for p in (altered, other)]

    assert [r.exit_code for r in results] == [3, 3]
    assert all("not on record" in r.output for r in results)


def test_verify_refuses_a_copy_on_record_whose_attached_document_does_not_match_the_digest(
    world: World, tmp_path: Path,
) -> None:
    path, copy = _executed_copy(world, tmp_path)
    with pikepdf.open(path) as pdf:  # the document swapped, and the record made to name this PDF
        pdf.attachments[DOCUMENT_ATTACHMENT] = pikepdf.AttachedFileSpec(pdf, b"another document")
        out = io.BytesIO()
        pdf.save(out)
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(out.getvalue())
    with world.app.engine.begin() as connection:
        connection.execute(update(executed_copies).where(executed_copies.c.sha256 == copy.record.sha256)
                           .values(sha256=sha256_hex(out.getvalue())))

    result = runner.invoke(app, ["agreement", "verify", str(forged)])

    assert result.exit_code == 5, result.output
    assert "does not hash to the signed digest" in result.output
