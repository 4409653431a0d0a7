"""Watermark templates through the services, on SQLite and PostgreSQL: set per org and per
agreement, resolved when a copy is stamped, every change an event; the copy id stays, so
tracing still finds the copy."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from PIL import Image

from sharebound.adapters.stamping.reading import pdf_text
from sharebound.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Refused
from sharebound.services import copies, disclosures, items, trace, watermarks
from sharebound.services.disclosures import DisclosureDraft
from tests.files import DOCX, JPEG, PDF, PNG, make_docx, make_image, make_pdf
from tests.integration.world import World, changes_nothing

GINA = "gina@globex.example"
FOOTER: dict[str, Any] = {"fields": ["recipient_email", "datetime", "ip", "custom_text"],
                          "position": "footer", "size": 8, "opacity": 0.9,
                          "custom_text": "Do not forward"}


def _disclosed(world: World, content: bytes = b"", media_type: str = PDF) -> tuple[str, str]:
    agreement = world.signed()
    item_id = items.add_item(world.uow(), world.mia.id, title="Thermal report",
                             classification="confidential", topics=["thermal"],
                             content=content or make_pdf(pages=2), kind="file",
                             media_type=media_type, filename="report").id
    disclosure = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item_id, agreement_id=agreement.id, recipients=[GINA], actions=["view", "download"]))
    return agreement.id, disclosure.id


def _events(world: World, kind: str) -> list[Any]:
    with world.uow() as uow:
        return [e for e in uow.events.read("org:acme") if e.kind == kind]


def test_a_pdf_stamped_with_a_footer_template_shows_the_chosen_fields_and_is_still_traced(
        world: World) -> None:
    _, disclosure_id = _disclosed(world)
    watermarks.set_org_watermark(world.uow(), world.alice.id, "acme", FOOTER)

    copy = copies.download_disclosure(world.uow(), world.gina.id, disclosure_id, "198.51.100.4")

    assert copy.content is not None and copy.copy_id
    for text in pdf_text(copy.content):
        assert GINA in text and "IP 198.51.100.4" in text and "Do not forward" in text
        assert f"copy {copy.copy_id}" in text
        assert "disclosed by" not in text  # the default stamp's words are gone
    found = trace.trace_file(world.uow(), world.alice.id, copy.content)
    assert found.recipient.email == GINA and found.copy.copy_id == copy.copy_id


def test_the_footer_is_drawn_at_the_foot_of_the_page_and_nowhere_else(world: World) -> None:
    _, disclosure_id = _disclosed(world, make_pdf(pages=1, text="x"))
    watermarks.set_org_watermark(world.uow(), world.alice.id, "acme", FOOTER | {"size": 12})
    viewing = copies.open_view(world.uow(), world.gina.id, disclosure_id, "198.51.100.4")

    png = copies.page_image(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, 1)

    page = Image.open(io.BytesIO(png)).convert("L")
    width, height = page.size
    assert page.crop((0, height - 25, width, height)).getextrema()[0] < 150  # the footer
    assert page.crop((0, height // 3, width, 2 * height // 3)).getextrema()[0] > 200  # no diagonal


def test_the_agreements_template_wins_over_the_orgs_for_that_agreements_copies(world: World) -> None:
    agreement_id, disclosure_id = _disclosed(world, make_docx(), DOCX)
    watermarks.set_org_watermark(world.uow(), world.alice.id, "acme", FOOTER)
    watermarks.set_agreement_watermark(world.uow(), world.alice.id, agreement_id, {
        "fields": ["recipient_org", "custom_text"], "position": "header", "size": 10,
        "opacity": 1, "custom_text": "Agreement copy"})

    copy = copies.download_disclosure(world.uow(), world.gina.id, disclosure_id)

    assert copy.content is not None
    found = trace.trace_file(world.uow(), world.alice.id, copy.content)
    assert found.copy.copy_id == copy.copy_id
    view = watermarks.agreement_watermark(world.uow(), world.alice.id, agreement_id)
    assert view.applies == "agreement" and view.applied is not None
    assert view.applied.custom_text == "Agreement copy"
    document = docx.Document(io.BytesIO(copy.content))
    headers = [p.text for s in document.sections for p in s.header.paragraphs]
    footers = [p.text for s in document.sections for p in s.footer.paragraphs]
    assert any(h == f"Globex · Agreement copy · copy {copy.copy_id}" for h in headers)
    assert not any(copy.copy_id in f for f in footers)


def test_clearing_the_template_brings_back_the_default_stamp_and_each_change_is_an_event(
        world: World) -> None:
    _, disclosure_id = _disclosed(world, b"Drift under 0.2 K\n", "text/plain")
    watermarks.set_org_watermark(world.uow(), world.alice.id, "acme", FOOTER)
    watermarks.clear_org_watermark(world.uow(), world.alice.id, "acme")

    copy = copies.download_disclosure(world.uow(), world.gina.id, disclosure_id)

    assert copy.content is not None and b"disclosed by Acme to Gina" in copy.content
    set_events = _events(world, "watermark_template_set")
    assert [e.data["position"] for e in set_events] == ["footer"]
    assert set_events[0].data["fields"] == FOOTER["fields"] and "agreement" not in set_events[0].data
    assert len(_events(world, "watermark_template_cleared")) == 1
    with pytest.raises(NotFound):
        watermarks.clear_org_watermark(world.uow(), world.alice.id, "acme")


def test_only_the_orgs_admins_see_or_set_its_template(world: World) -> None:
    agreement_id, _ = _disclosed(world)

    with changes_nothing(world):
        with pytest.raises(PermissionDenied):
            watermarks.set_org_watermark(world.uow(), world.mia.id, "acme", FOOTER)
        with pytest.raises(NotFound):
            watermarks.set_org_watermark(world.uow(), world.grace.id, "acme", FOOTER)
        with pytest.raises(NotFound):
            watermarks.org_watermark(world.uow(), world.grace.id, "acme")
        with pytest.raises(PermissionDenied):
            watermarks.set_agreement_watermark(world.uow(), world.mia.id, agreement_id, FOOTER)


def test_a_bad_template_is_refused_naming_each_field_and_changes_nothing(world: World) -> None:
    with changes_nothing(world), pytest.raises(InvalidInput) as refused:
        watermarks.set_org_watermark(world.uow(), world.alice.id, "acme", {
            "fields": ["recipient_name", "shoe_size"], "position": "left", "size": 500,
            "opacity": 0, "colour": "red"})

    assert set(refused.value.errors) == {"colour"}
    with changes_nothing(world), pytest.raises(InvalidInput) as refused:
        watermarks.set_org_watermark(world.uow(), world.alice.id, "acme", {
            "fields": ["recipient_name", "shoe_size"], "position": "left", "size": 500, "opacity": 0})
    assert set(refused.value.errors) == {"fields", "position", "size", "opacity"}


def test_a_party_that_only_receives_under_a_one_way_agreement_sets_no_template_for_it(
        world: World) -> None:
    agreement = world.signed(kind="one_way", disclosing_parties=["acme"])

    with changes_nothing(world), pytest.raises(Conflict):
        watermarks.set_agreement_watermark(world.uow(), world.grace.id, agreement.id, FOOTER)


def test_the_preview_is_a_png_of_the_sample_page_stamped_with_the_template(world: World) -> None:
    png = watermarks.preview_org(world.uow(), world.alice.id, "acme", FOOTER)
    default = watermarks.preview_org(world.uow(), world.alice.id, "acme", None)

    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size[0] < image.size[1]
    assert png != default


def test_a_recipient_cannot_disclose_a_copy_stamped_with_a_template_again(world: World) -> None:
    agreement_id, disclosure_id = _disclosed(world)
    watermarks.set_org_watermark(world.uow(), world.alice.id, "acme", FOOTER)
    copy = copies.download_disclosure(world.uow(), world.gina.id, disclosure_id, "198.51.100.4")
    assert copy.content is not None
    item_id = items.add_item(world.uow(), world.grace.id, title="Their report", classification="internal",
                             topics=["thermal"], content=copy.content, kind="file", media_type=PDF,
                             filename="report.pdf").id

    with pytest.raises(Refused) as refused:
        disclosures.disclose(world.uow(), world.grace.id, DisclosureDraft(
            item_id=item_id, agreement_id=agreement_id, recipients=["mia@acme.example"],
            actions=["view"]))

    assert any(r.code == "content" and f"copy {copy.copy_id}" in r.message
               for r in refused.value.decision.reasons)


@pytest.mark.parametrize(("kind", "media_type"), [("PNG", PNG), ("JPEG", JPEG)])
def test_an_image_with_a_header_template_is_marked_along_its_top_only_and_still_traced(
        world: World, kind: str, media_type: str) -> None:
    _, disclosure_id = _disclosed(world, make_image(kind, (640, 480)), media_type)
    watermarks.set_org_watermark(world.uow(), world.alice.id, "acme", FOOTER | {
        "position": "header", "size": 14, "opacity": 1})

    copy = copies.download_disclosure(world.uow(), world.gina.id, disclosure_id)

    assert copy.content is not None
    image = Image.open(io.BytesIO(copy.content)).convert("L")
    assert image.size == (640, 480)
    assert image.crop((0, 0, 640, 40)).getextrema()[0] < 120  # the line along the top
    assert image.crop((0, 120, 640, 480)).getextrema()[0] > 180  # nothing below it
    found = trace.trace_file(world.uow(), world.alice.id, copy.content)
    assert found.copy.copy_id == copy.copy_id
