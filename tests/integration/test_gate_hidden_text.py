"""Through the use cases, on SQLite and PostgreSQL: 30 words copied from a restricted item
are refused wherever a DOCX or a PDF hides them; a file the gate cannot read is refused
unless the agreement allows unreadable files; an agreement signed before that term existed
still verifies and is still in force."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from sharebound.adapters.db.tables import agreement_versions
from sharebound.domain.agreements import new_agreement
from sharebound.domain.decisions import Decision
from sharebound.domain.terms import parse_terms
from sharebound.domain.values import sha256_hex
from sharebound.services import disclosures, gate, items
from sharebound.services.disclosures import DisclosureDraft
from tests.factories import legacy_terms_json
from tests.files import DOCX, PDF
from tests.hidden_text import DOCX_PLACES, PDF_PLACES, docx_hiding, pdf_hiding
from tests.integration.world import World

JEWEL = (
    "The Kestrel die uses a three layer stack with the thermal sensor placed under the heat "
    "spreader so that drift stays below two tenths of a kelvin after five hundred hours at "
    "eighty five degrees while the bias network trims offset at start up using a fuse map "
    "that only the factory programs during final test of every wafer lot."
)
COPIED = " ".join(JEWEL.split()[5:35])  # 30 words
AWS_KEY = "AKIAIOSFODNN7EXAMPLE"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    gate.CACHE.clear()


def _jewel(world: World) -> None:
    items.add_item(world.uow(), world.alice.id, title="Die layout", classification="restricted",
                   topics=["design"], content=JEWEL.encode())


def _file(world: World, content: bytes, media_type: str, name: str) -> str:
    return items.add_item(world.uow(), world.mia.id, title="Meeting notes", classification="confidential",
                          topics=["thermal"], content=content, kind="file", media_type=media_type,
                          filename=name).id


def _check(world: World, item_id: str, actions: tuple[str, ...] = ("view",), **schedule: object) -> Decision:
    agreement = world.signed(schedule=schedule) if schedule else world.signed()
    return disclosures.check_disclosure(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item_id, agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=list(actions)))


def _content(decision: Decision) -> list[str]:
    return [r.message for r in decision.reasons if r.code == "content"]


@pytest.mark.parametrize("place", DOCX_PLACES)
def test_thirty_copied_words_hidden_anywhere_in_a_docx_are_refused_naming_the_item(
    world: World, place: str,
) -> None:
    _jewel(world)
    item = _file(world, docx_hiding(COPIED, place), DOCX, "notes.docx")

    found = _content(_check(world, item))

    assert len(found) == 1 and "copied from the restricted item \u201cDie layout\u201d" in found[0]


@pytest.mark.parametrize("place", PDF_PLACES)
def test_thirty_copied_words_hidden_anywhere_in_a_pdf_are_refused_naming_the_item(
    world: World, place: str,
) -> None:
    _jewel(world)
    item = _file(world, pdf_hiding(COPIED, place), PDF, "notes.pdf")

    found = _content(_check(world, item))

    assert len(found) == 1 and "copied from the restricted item \u201cDie layout\u201d" in found[0]


def test_a_footnote_finding_says_it_is_in_the_footnotes(world: World) -> None:
    _jewel(world)
    item = _file(world, docx_hiding(COPIED, "footnote"), DOCX, "notes.docx")

    assert "from footnotes, line 1 on" in _content(_check(world, item))[0]


def _zip(text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", text)
    return out.getvalue()


def test_a_zip_of_restricted_text_and_a_key_is_refused_as_unreadable_even_without_watermarks(
    world: World,
) -> None:
    _jewel(world)
    item = _file(world, _zip(f"{JEWEL}\naws_access_key_id = {AWS_KEY}\n"), "application/octet-stream",
                 "notes.zip")

    decision = _check(world, item, ("view", "download"), watermark_downloads=False)

    assert [(r.code, r.term, r.message) for r in decision.reasons] == [
        ("content", "schedule.unreadable_files", "the content gate cannot read application/octet-stream "
         "files; the agreement does not allow unreadable files")]


def test_an_agreement_that_allows_unreadable_files_lets_one_through(world: World) -> None:
    item = _file(world, _zip("samples ship on Monday"), "application/octet-stream", "notes.zip")

    assert _check(world, item, unreadable_files="allow").allowed


def test_a_pdf_carrying_a_zip_is_refused_naming_the_embedded_file(world: World) -> None:
    item = _file(world, pdf_hiding("", "embedded file", attachment=_zip("x")), PDF, "notes.pdf")

    decision = _check(world, item)

    assert [(r.code, r.term) for r in decision.reasons] == [("content", "schedule.unreadable_files")]
    assert "\u201cnotes.txt\u201d" in decision.reasons[0].message


# The canonical terms of an agreement signed before `unreadable_files` existed, as stored then.
BEFORE = (
    '{"confidentiality_years":3,"courts":"New Castle County, Delaware","disclosing_parties":[],'
    '"effective_date":"EFFECTIVE","governing_law":"Delaware","kind":"mutual","notice":'
    '{"acme":"legal@acme.example","globex":"legal@globex.example"},"parties":["acme","globex"],'
    '"purpose":"Evaluate a joint sensor product","schedule":{"actions":["download","view"],'
    '"ceiling":"confidential","max_access_days":90,"recipients":{"mode":"all_members"},'
    '"return_days":30,"topics_allowed":[],"topics_excluded":["pricing"],"watermark_downloads":true},'
    '"term_end":"TERM_END"}'
)


def test_an_agreement_signed_before_the_unreadable_files_term_still_verifies_and_is_in_force(
    world: World,
) -> None:
    today = world.app.clock().date()
    terms = parse_terms(legacy_terms_json(effective_date=today.isoformat(),
                                          term_end=today.replace(year=today.year + 1).isoformat()))
    agreement = new_agreement("agr_before", world.partnership.id, terms, by=world.alice.id,
                              at=world.app.clock())
    for signer in (world.sam, world.grace):
        agreement, _ = agreement.sign(org=signer.org, person_id=signer.id, name=signer.name, title="GC",
                                      digest=agreement.current.digest, at=world.app.clock())
    with world.uow() as uow:  # as it was stored then: the first format, signed over its JSON
        uow.agreements.add(agreement)
        for signature in agreement.signatures:
            uow.agreements.add_signature(agreement.id, signature)
        uow.commit()
    before = BEFORE.replace("EFFECTIVE", terms.effective_date.isoformat()).replace(
        "TERM_END", terms.term_end.isoformat() if terms.term_end else "")

    with world.app.engine.connect() as connection:
        stored = connection.execute(select(agreement_versions.c.terms, agreement_versions.c.digest).where(
            agreement_versions.c.agreement_id == agreement.id)).one()
    with world.uow() as uow:
        again = uow.agreements.get(agreement.id)

    assert json.loads(stored.terms) == json.loads(before) and stored.terms == before
    assert stored.digest == sha256_hex(before.encode()) == agreement.current.digest
    assert again is not None and again.is_in_force(world.app.clock())
