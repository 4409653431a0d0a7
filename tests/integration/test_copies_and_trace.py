"""Stamped downloads, view only and leak tracing through the services, on SQLite and
PostgreSQL: every copy is recorded, and a copy leads back to its recipient."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence

import pikepdf
import pytest
from PIL import Image

from sharebound.adapters.stamping.reading import pdf_text
from sharebound.domain.errors import InvalidInput, NotFound, PermissionDenied, Refused
from sharebound.services import copies, disclosures, items, trace
from sharebound.services.disclosures import DisclosureDraft
from tests.files import DOCX, JPEG, PDF, PNG, make_docx, make_image, make_pdf
from tests.integration.world import World

GINA = "gina@globex.example"


def _disclosed(world: World, content: bytes, media_type: str, *,
               actions: Sequence[str] = ("view", "download"), watermark: bool = True,
               filename: str = "file") -> str:
    agreement = world.signed(schedule={"watermark_downloads": watermark})
    item_id = items.add_item(world.uow(), world.mia.id, title="Thermal report", classification="confidential",
                             topics=["thermal"], content=content, kind="file", media_type=media_type,
                             filename=filename).id
    return disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item_id, agreement_id=agreement.id, recipients=[GINA], actions=list(actions))).id


@pytest.mark.parametrize(("content", "media_type"), [
    (make_pdf(), PDF), (make_image("PNG"), PNG), (make_image("JPEG"), JPEG), (make_docx(), DOCX),
    (b"Drift under 0.2 K\n", "text/plain"), (b"a,b\n1,2\n", "text/csv"),
])
def test_each_download_is_stamped_recorded_and_traced_back_to_its_recipient(
    world: World, content: bytes, media_type: str
) -> None:
    disclosure_id = _disclosed(world, content, media_type)

    copy = copies.download_disclosure(world.uow(), world.gina.id, disclosure_id)

    assert copy.content is not None and copy.content != content and copy.copy_id
    with world.uow() as uow:
        recorded = uow.copies.get(copy.copy_id)
        accesses = uow.disclosures.accesses(disclosure_id)
    assert recorded is not None and recorded.person_id == world.gina.id
    assert recorded.sha256 == hashlib.sha256(copy.content).hexdigest() and recorded.kind == "download"
    assert [a.id for a in accesses] == [recorded.access_id]
    found = trace.trace_file(world.uow(), world.alice.id, copy.content)
    assert found.recipient.email == GINA and found.disclosure.id == disclosure_id
    assert found.unchanged is True and found.copy.copy_id == copy.copy_id


def test_a_pdf_whose_metadata_was_stripped_is_traced_by_the_text_of_its_pages(world: World) -> None:
    disclosure_id = _disclosed(world, make_pdf(pages=2), PDF)
    copy = copies.download_disclosure(world.uow(), world.gina.id, disclosure_id)
    assert copy.content is not None
    with pikepdf.open(io.BytesIO(copy.content)) as pdf:
        del pdf.trailer["/Info"]
        del pdf.Root["/Metadata"]
        stripped = io.BytesIO()
        pdf.save(stripped)

    found = trace.trace_file(world.uow(), None, stripped.getvalue())

    assert found.recipient.id == world.gina.id and found.unchanged is False


def test_a_text_copy_is_traced_even_after_it_was_edited(world: World) -> None:
    disclosure_id = _disclosed(world, b"Drift under 0.2 K\n", "text/markdown")
    copy = copies.download_disclosure(world.uow(), world.gina.id, disclosure_id)
    assert copy.content is not None
    pasted = b"Notes from the meeting\n" + copy.content.splitlines()[-1] + b"\n"

    found = trace.trace_file(world.uow(), None, pasted)

    assert found.recipient.id == world.gina.id and found.unchanged is False


def test_only_an_admin_of_the_disclosing_org_can_trace_its_copies(world: World) -> None:
    disclosure_id = _disclosed(world, b"Drift\n", "text/plain")
    copy = copies.download_disclosure(world.uow(), world.gina.id, disclosure_id)
    assert copy.content is not None and copy.copy_id

    with pytest.raises(NotFound):
        trace.trace_file(world.uow(), world.grace.id, copy.content)  # the recipient org's admin
    with pytest.raises(NotFound):
        trace.trace_copy_id(world.uow(), world.ian.id, copy.copy_id)
    with pytest.raises(PermissionDenied):
        trace.trace_file(world.uow(), world.mia.id, copy.content)
    assert trace.trace_copy_id(world.uow(), world.alice.id, copy.copy_id.lower()).copy.copy_id == copy.copy_id


def test_a_file_without_a_copy_id_or_with_an_unknown_one_is_named_as_such(world: World) -> None:
    with pytest.raises(InvalidInput, match="no Sharebound copy id"):
        trace.trace_file(world.uow(), None, make_pdf())
    with pytest.raises(NotFound):
        trace.trace_copy_id(world.uow(), None, "0000-0000-0000")
    with pytest.raises(InvalidInput):
        trace.trace_copy_id(world.uow(), None, "0000-0000-0001")


def test_an_unstamped_download_is_the_original_file_streamed_from_the_sealed_blob(world: World) -> None:
    original = make_pdf()
    disclosure_id = _disclosed(world, original, PDF, watermark=False)

    copy = copies.download_disclosure(world.uow(), world.gina.id, disclosure_id)
    own = copies.download_disclosure(world.uow(), world.alice.id, disclosure_id)

    assert copy.copy_id is None and copy.content is None and copy.path is None
    assert copy.opener is not None and own.opener is not None
    with copy.opener() as streamed, own.opener() as owns:
        assert streamed.read() == original == owns.read()
    with world.uow() as uow:
        assert [a.person_id for a in uow.disclosures.accesses(disclosure_id)] == [world.gina.id]
        assert uow.copies.of_disclosure(disclosure_id) == []


def test_a_file_that_cannot_be_stamped_may_be_disclosed_for_view_only(world: World) -> None:
    agreement = world.signed(schedule={"unreadable_files": "allow"})  # the gate cannot read it either
    item = items.add_item(world.uow(), world.mia.id, title="Firmware", classification="confidential",
                          topics=["thermal"], content=b"\x00\x01binary", kind="file",
                          media_type="application/octet-stream", filename="fw.bin")

    with pytest.raises(Refused) as refused:
        disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
            item_id=item.id, agreement_id=agreement.id, recipients=[GINA], actions=["download"]))
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item.id, agreement_id=agreement.id, recipients=[GINA], actions=["view"]))

    assert refused.value.decision.reasons[0].term == "schedule.watermark_downloads"
    assert "cannot be stamped" in refused.value.decision.reasons[0].message
    viewing = copies.open_view(world.uow(), world.gina.id, made.id)
    assert viewing.problem is not None and not viewing.pages and not viewing.lines


def test_view_only_shows_stamped_pages_of_the_recipients_own_copy(world: World) -> None:
    disclosure_id = _disclosed(world, make_pdf(pages=3), PDF, actions=["view"])

    viewing = copies.open_view(world.uow(), world.gina.id, disclosure_id)
    png = copies.page_image(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, 2)

    assert viewing.pages == 3
    assert Image.open(io.BytesIO(png)).format == "PNG"
    with world.uow() as uow:
        recorded = uow.copies.get(viewing.copy_id)
        accesses = uow.disclosures.accesses(disclosure_id)
    assert recorded is not None and recorded.kind == "view" and recorded.sha256 is None
    assert [(a.action.value, a.id) for a in accesses] == [("view", recorded.access_id)]
    with pytest.raises(Refused):
        copies.download_disclosure(world.uow(), world.gina.id, disclosure_id)
    for bad_number in (0, 4):
        with pytest.raises(InvalidInput, match=f"there is no page {bad_number}: the document has 3"):
            copies.page_image(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, bad_number)


def test_a_page_is_rendered_from_the_stamped_pdf(world: World) -> None:
    disclosure_id = _disclosed(world, make_pdf(pages=1), PDF, actions=["view"])
    viewing = copies.open_view(world.uow(), world.gina.id, disclosure_id)

    png = copies.page_image(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, 1)

    image = Image.open(io.BytesIO(png)).convert("L")
    bottom = image.crop((0, image.height - 20, image.width // 2, image.height))
    assert bottom.getextrema()[0] < 160  # the footer line is in the pixels


def test_nobody_else_gets_the_pages_of_a_view(world: World) -> None:
    disclosure_id = _disclosed(world, make_pdf(pages=1), PDF, actions=["view"])
    viewing = copies.open_view(world.uow(), world.gina.id, disclosure_id)

    for person in (world.grace, world.ian):
        with pytest.raises(NotFound):
            copies.page_image(world.uow(), person.id, disclosure_id, viewing.copy_id, 1)
    with pytest.raises(NotFound):
        copies.page_image(world.uow(), world.mia.id, disclosure_id, viewing.copy_id, 1)


def test_a_revoked_view_shows_no_more_pages(world: World) -> None:
    disclosure_id = _disclosed(world, make_pdf(pages=1), PDF, actions=["view"])
    viewing = copies.open_view(world.uow(), world.gina.id, disclosure_id)
    disclosures.revoke_disclosure(world.uow(), world.mia.id, disclosure_id)

    with pytest.raises(Refused):
        copies.page_image(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, 1)


def test_view_only_shows_text_as_lines_between_stamp_lines(world: World) -> None:
    disclosure_id = _disclosed(world, b"<script>alert(1)</script>\n", "text/plain", actions=["view"])

    viewing = copies.open_view(world.uow(), world.gina.id, disclosure_id)

    assert viewing.lines[0] == viewing.lines[-1] == viewing.stamp_line
    assert "<script>alert(1)</script>" in viewing.lines and viewing.copy_id in viewing.stamp_line


def test_every_stamped_page_text_names_the_recipient(world: World) -> None:
    disclosure_id = _disclosed(world, make_pdf(pages=5), PDF)

    copy = copies.download_disclosure(world.uow(), world.gina.id, disclosure_id)

    assert copy.content is not None
    assert all("Gina" in text and str(copy.copy_id) in text for text in pdf_text(copy.content))
