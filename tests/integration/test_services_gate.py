"""The content gate through the use cases, on SQLite and PostgreSQL.

A disclosure is refused with a `content` reason for a paragraph pasted from a restricted
item, a marking above the item's label, a registered crown-jewel term, or a secret; the
fingerprints follow each restricted item's current version and classification.
"""

from __future__ import annotations

import pytest

from sharebound.adapters.filetypes import DOCX, PDF
from sharebound.domain.agreements import Agreement
from sharebound.domain.decisions import Decision
from sharebound.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Refused
from sharebound.services import copies, disclosures, gate, items
from sharebound.services.disclosures import DisclosureDraft
from tests.files import lines_pdf, make_docx, make_image
from tests.integration.world import World, changes_nothing

JEWEL = (
    "The Kestrel die uses a three layer stack with the thermal sensor placed under the heat\n"
    "spreader so that drift stays below two tenths of a kelvin after five hundred hours at\n"
    "eighty five degrees while the bias network trims offset at start up using a fuse map\n"
    "that only the factory programs during final test of every wafer lot."
)
PARAGRAPH = " ".join(JEWEL.split()[6:40])  # 34 words from the middle, re-flowed on one line


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    gate.CACHE.clear()


def _jewel(world: World, body: str = JEWEL) -> str:
    return items.add_item(world.uow(), world.alice.id, title="Die layout", classification="restricted",
                          topics=["design"], content=body.encode()).id


def _check(world: World, item_id: str, agreement: Agreement, note: str = "") -> Decision:
    return disclosures.check_disclosure(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item_id, agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=["view"], note=note))


def _content(decision: Decision) -> list[str]:
    return [r.message for r in decision.reasons if r.code == "content"]


def test_a_note_that_pastes_a_paragraph_of_a_restricted_item_is_refused_naming_it_and_the_line(
    world: World,
) -> None:
    _jewel(world)
    agreement = world.signed()
    note = world.note(body=f"Status for globex\n\nAs promised:\n{PARAGRAPH}\n\nBest, Mia")

    with pytest.raises(Refused) as refused:
        disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
            item_id=note, agreement_id=agreement.id, recipients=["gina@globex.example"],
            actions=["view"]))

    reasons = refused.value.decision.reasons
    assert [r.code for r in reasons] == ["content"]
    assert "\u201cDie layout\u201d" in reasons[0].message and "line 4" in reasons[0].message


def test_a_note_of_ordinary_text_passes_the_gate(world: World) -> None:
    _jewel(world)

    assert _check(world, world.note(body="Drift under 0.2 K after 500 h; samples on Monday."),
                  world.signed()).allowed


def test_a_pdf_labelled_internal_that_says_restricted_on_page_3_is_refused_naming_page_3(
    world: World,
) -> None:
    pdf = lines_pdf([["Quarterly results"], ["Revenue grew"], ["Appendix", "RESTRICTED"]])
    item = items.add_item(world.uow(), world.mia.id, title="Q3 deck", classification="internal",
                          topics=["thermal"], content=pdf, kind="file", media_type=PDF,
                          filename="q3.pdf")

    found = _content(_check(world, item.id, world.signed()))

    assert len(found) == 1 and "page 3, line 2" in found[0] and "restricted" in found[0]


def test_a_docx_with_a_secret_is_refused_without_repeating_it(world: World) -> None:
    key = "AKIAIOSFODNN7EXAMPLE"
    document = make_docx(["Deployment notes", f"aws key {key}"])
    item = items.add_item(world.uow(), world.mia.id, title="Runbook", classification="internal",
                          topics=["thermal"], content=document, kind="file", media_type=DOCX,
                          filename="runbook.docx")

    decision = _check(world, item.id, world.signed())

    assert _content(decision) == ["an AWS access key at line 2: remove it"]
    assert key not in repr(decision)


def test_an_encrypted_pdf_never_reaches_the_gate_it_is_refused_at_upload(world: World) -> None:
    # The gate reads an encrypted PDF as unreadable (tests/unit/test_gate_adapters.py); the
    # upload check refuses one before it is stored, so no disclosure can carry it.
    with pytest.raises(InvalidInput, match="password"):
        items.add_item(world.uow(), world.mia.id, title="Locked", classification="internal",
                       topics=["thermal"], content=lines_pdf([["x"]], password="pw"),
                       kind="file", media_type=PDF)


def test_a_registered_codename_is_refused_and_only_in_its_own_org(world: World) -> None:
    gate.add_term(world.uow(), world.alice.id, "acme", "  Project   Kestrel ")
    agreement = world.signed()
    note = world.note(body="Update on project KESTREL:\nall good")

    assert _content(_check(world, note, agreement)) == [
        "the crown-jewel term \u201cProject Kestrel\u201d at line 1"]
    theirs = items.add_item(world.uow(), world.grace.id, title="Globex memo", classification="internal",
                            topics=[], content=b"Update on project kestrel").id
    decision = disclosures.check_disclosure(world.uow(), world.grace.id, DisclosureDraft(
        item_id=theirs, agreement_id=agreement.id, recipients=["alice@acme.example"], actions=["view"]))
    assert decision.allowed


def test_the_note_to_the_recipients_goes_through_the_gate_too(world: World) -> None:
    _jewel(world)

    found = _content(_check(world, world.note(), world.signed(), note=f"FYI: {PARAGRAPH}"))

    assert len(found) == 1 and found[0].startswith("in the note to the recipients, ")


def test_fingerprints_follow_the_current_version_and_the_classification(world: World) -> None:
    jewel = _jewel(world)
    agreement = world.signed()
    pasted = world.note(body=PARAGRAPH)
    assert _content(_check(world, pasted, agreement))

    other = " ".join(f"word{i}" for i in range(60))
    items.update_item(world.uow(), world.alice.id, jewel, content=other.encode())
    assert _check(world, pasted, agreement).allowed  # the old version no longer counts

    items.update_item(world.uow(), world.alice.id, jewel, content=JEWEL.encode())
    asked = items.update_item(world.uow(), world.sam.id, jewel, classification="confidential")
    assert asked.pending is not None and _content(_check(world, pasted, agreement))
    items.approve_reclassification(world.uow(), world.alice.id, asked.pending.id)
    assert _check(world, pasted, agreement).allowed  # no longer a crown jewel

    items.update_item(world.uow(), world.alice.id, jewel, classification="restricted")
    assert _content(_check(world, pasted, agreement))


def test_reindex_rebuilds_the_fingerprints_of_every_restricted_item(world: World) -> None:
    _jewel(world)
    with world.uow() as uow:
        expected = uow.gate.fingerprint_count()
        uow.gate.remove_fingerprints(uow.gate.restricted_item_ids()[0])
        uow.commit()

    assert gate.reindex_fingerprints(world.uow()) == (1, expected)
    assert expected == len(JEWEL.split()) - 7


def test_only_an_orgs_admins_manage_its_terms_and_each_change_is_logged(world: World) -> None:
    added = gate.add_term(world.uow(), world.alice.id, "acme", "Kestrel")

    assert [t.term for t in gate.list_terms(world.uow(), world.alice.id, "acme")] == ["Kestrel"]
    with pytest.raises(PermissionDenied):
        gate.list_terms(world.uow(), world.mia.id, "acme")
    with pytest.raises(NotFound):
        gate.list_terms(world.uow(), world.grace.id, "acme")
    with pytest.raises(NotFound):
        gate.remove_term(world.uow(), world.grace.id, "globex", added.id)
    gate.remove_term(world.uow(), world.alice.id, "acme", added.id)
    with world.uow() as uow:
        kinds = [(e.kind, e.subject, dict(e.data)) for e in uow.events.read("org:acme")]
    assert kinds[-2:] == [("crown_jewel_term_added", added.id, {}),
                          ("crown_jewel_term_removed", added.id, {})]


@pytest.mark.parametrize(("term", "error"), [
    ("", InvalidInput), ("   ", InvalidInput), ("x" * 101, InvalidInput), ("--", InvalidInput),
    (42, InvalidInput), ("kestrel", Conflict),
])
def test_a_bad_or_repeated_term_is_refused_and_changes_nothing(
    world: World, term: object, error: type[Exception]
) -> None:
    gate.add_term(world.uow(), world.alice.id, "acme", "Kestrel")

    with changes_nothing(world), pytest.raises(error):
        gate.add_term(world.uow(), world.alice.id, "acme", term)


def test_a_paragraph_pasted_deep_into_a_long_document_is_found(world: World) -> None:
    _jewel(world)
    filler = "\n".join(" ".join(f"w{line}x{i}" for i in range(12)) for line in range(200))
    note = world.note(body=f"{filler}\n{PARAGRAPH}\n{filler}")  # 4,800 words: the org's index read once

    found = _content(_check(world, note, world.signed()))

    assert len(found) == 1 and "line 201" in found[0]


def test_a_feed_message_goes_through_the_gate_and_lists_every_reason(world: World) -> None:
    from sharebound.services import messages

    gate.add_term(world.uow(), world.alice.id, "acme", "Kestrel")
    _jewel(world)

    with changes_nothing(world), pytest.raises(Refused) as public:
        messages.post_message(world.uow(), world.mia.id, world.partnership.id,
                              body=f"Kestrel news:\n{PARAGRAPH}", classification="public")
    with changes_nothing(world), pytest.raises(Refused) as unsigned:
        messages.post_message(world.uow(), world.mia.id, world.partnership.id,
                              body="kestrel is late", classification="internal")

    assert [r.code for r in public.value.decision.reasons] == ["content", "content"]
    assert "\u201cDie layout\u201d" in public.value.decision.reasons[1].message
    assert [r.code for r in unsigned.value.decision.reasons] == ["in_force", "content"]
    assert messages.post_message(world.uow(), world.mia.id, world.partnership.id,
                                 body="Samples ship Monday", classification="public").body


def test_a_file_longer_than_the_gate_reads_is_refused_saying_so(world: World) -> None:
    from dataclasses import replace

    short = replace(world.app, settings=world.app.settings.model_copy(update={"gate_max_pages": 2}))
    pdf = lines_pdf([["one"], ["two"], ["three"]])
    item = items.add_item(short.uow(), world.mia.id, title="Long", classification="internal",
                          topics=["thermal"], content=pdf, kind="file", media_type=PDF)
    agreement = world.signed()
    checked = disclosures.check_disclosure(short.uow(), world.mia.id, DisclosureDraft(
        item_id=item.id, agreement_id=agreement.id, recipients=["gina@globex.example"], actions=["view"]))

    assert _content(checked) == [
        "could not read the text to check it (it is longer than the gate reads: the first 2 pages "
        "or 10,000,000 characters): the content gate cannot vouch for it"]
    assert _check(world, item.id, agreement).allowed  # read whole with the default limits


def test_a_stamped_copy_the_recipient_uploads_again_is_refused_naming_whose_copy_it_is(
    world: World,
) -> None:
    agreement = world.signed()
    shared = items.add_item(world.uow(), world.alice.id, title="Thermal report",
                            classification="confidential", topics=["thermal"],
                            content=lines_pdf([["Drift stays under 0.2 K"]]), kind="file",
                            media_type=PDF, filename="report.pdf")
    made = disclosures.disclose(world.uow(), world.alice.id, DisclosureDraft(
        item_id=shared.id, agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=["download"]))
    copy = copies.download_disclosure(world.uow(), world.gina.id, made.id)
    assert copy.content is not None
    again = items.add_item(world.uow(), world.gina.id, title="Their report", classification="confidential",
                           topics=["thermal"], content=copy.content, kind="file", media_type=PDF,
                           filename="report.pdf")

    decision = disclosures.check_disclosure(world.uow(), world.gina.id, DisclosureDraft(
        item_id=again.id, agreement_id=agreement.id, recipients=["mia@acme.example"], actions=["view"]))

    # why: the line depends on how the random copy id's glyphs break the diagonal mark's text
    (found,) = _content(decision)
    assert found.startswith("the stamp of a copy disclosed by Acme to Gina (Globex) at page 1, line ")
    assert found.endswith(": it is a partner's confidential information, received under an "
                          "agreement, and not yours to disclose")


@pytest.mark.parametrize(("kind", "media_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_a_stamped_image_uploaded_again_is_refused_by_the_stamp_in_its_metadata(
    world: World, kind: str, media_type: str
) -> None:
    agreement = world.signed()
    shared = items.add_item(world.uow(), world.alice.id, title="Board photo", classification="confidential",
                            topics=["thermal"], content=make_image(kind), kind="file",
                            media_type=media_type, filename="board")
    made = disclosures.disclose(world.uow(), world.alice.id, DisclosureDraft(
        item_id=shared.id, agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=["download"]))
    copy = copies.download_disclosure(world.uow(), world.gina.id, made.id).content
    assert copy is not None
    again = items.add_item(world.uow(), world.gina.id, title="Their photo", classification="internal",
                           topics=["thermal"], content=copy, kind="file", media_type=media_type,
                           filename="board")

    decision = disclosures.check_disclosure(world.uow(), world.gina.id, DisclosureDraft(
        item_id=again.id, agreement_id=agreement.id, recipients=["mia@acme.example"], actions=["view"]))

    assert [m.split(" at ")[0] for m in _content(decision)] == [
        "the stamp of a copy disclosed by Acme to Gina (Globex)"]


def test_an_image_without_text_in_its_metadata_has_no_finding(world: World) -> None:
    agreement = world.signed()
    photo = items.add_item(world.uow(), world.alice.id, title="Board photo", classification="internal",
                           topics=["thermal"], content=make_image("JPEG"), kind="file",
                           media_type="image/jpeg", filename="board.jpg")

    assert _content(_check(world, photo.id, agreement)) == []
