"""View only of long PDFs and DOCX, and the discloser's page analytics, through the services on
SQLite and PostgreSQL: any page of any length renders on demand, stamped, its copy id in the
PNG; each page sent counts a view; the reader's browser adds time to pages it opened."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image

from sharebound.adapters.stamping.docx_view import DocxTable
from sharebound.bootstrap import App
from sharebound.domain.errors import InvalidInput, NotFound, PermissionDenied, Refused
from sharebound.services import copies, disclosures, items, orgs, page_views, trace
from sharebound.services.disclosures import DisclosureDraft
from tests.corpus import corpus_file
from tests.files import DOCX, PDF, make_docx, make_pdf
from tests.integration.world import World

GINA = "gina@globex.example"


def _roomy(world: World) -> App:
    """The app with the page limits raised past 5,000 pages (an operator's choice)."""
    return replace(world.app, settings=world.app.settings.model_copy(
        update={"max_pdf_pages": 10_000, "gate_max_pages": 10_000}))


def _disclosed(world: World, content: bytes, media_type: str = PDF, app: App | None = None) -> str:
    uow = (app or world.app).uow
    agreement = world.signed()
    item_id = items.add_item(uow(), world.mia.id, title="Thermal report", classification="confidential",
                             topics=["thermal"], content=content, kind="file", media_type=media_type,
                             filename="report").id
    return disclosures.disclose(uow(), world.mia.id, DisclosureDraft(
        item_id=item_id, agreement_id=agreement.id, recipients=[GINA], actions=["view"])).id


def test_page_4999_of_a_5000_page_pdf_renders_stamped_and_a_saved_image_traces_to_its_reader(
    world: World
) -> None:
    roomy = _roomy(world)
    disclosure_id = _disclosed(world, corpus_file("5000-pages.pdf"), app=roomy)
    viewing = copies.open_view(roomy.uow(), world.gina.id, disclosure_id)

    png = copies.page_image(roomy.uow(), world.gina.id, disclosure_id, viewing.copy_id, 4999)

    assert viewing.pages == 5000 and (viewing.start, viewing.window_end) == (1, 50)
    assert viewing.page_width > 0 and viewing.page_height > 0
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and viewing.copy_id in image.text["SharboundCopy"]
    assert "Gina" in image.text["Comment"]
    found = trace.trace_file(world.uow(), world.alice.id, png)
    assert (found.copy.copy_id, found.recipient.email, found.copy.kind) == (viewing.copy_id, GINA, "view")
    with pytest.raises(InvalidInput, match="there is no page 5001: the document has 5000 pages"):
        copies.page_image(roomy.uow(), world.gina.id, disclosure_id, viewing.copy_id, 5001)


@pytest.mark.parametrize("number", [4, 0, -1, 1_000_001])
def test_a_page_outside_the_pdf_is_refused_from_the_cached_outline_and_records_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch, number: int
) -> None:
    disclosure_id = _disclosed(world, make_pdf(pages=3))
    viewing = copies.open_view(world.uow(), world.gina.id, disclosure_id)  # caches the outline
    with world.uow() as uow:
        accessed = uow.disclosures.accesses(disclosure_id)

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the PDF was opened or rendered")

    for name in ("cut_pages", "page_outline", "render_cut_page"):
        monkeypatch.setattr(copies, name, never)
    monkeypatch.setattr(type(world.app.blobs), "open", never)

    with pytest.raises(InvalidInput) as refused:
        copies.page_image(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, number)

    assert refused.value.errors == {"number": f"there is no page {number}: the document has 3 pages"}
    assert page_views.page_views_report(world.uow(), world.alice.id, disclosure_id).readers == ()
    with world.uow() as uow:
        assert uow.disclosures.accesses(disclosure_id) == accessed


def test_the_same_view_reopens_at_a_later_window_without_a_new_copy(world: World) -> None:
    disclosure_id = _disclosed(world, make_pdf(pages=120))
    viewing = copies.open_view(world.uow(), world.gina.id, disclosure_id)

    later = copies.reopen_view(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, start=101)

    assert (later.copy_id, later.start, later.window_end) == (viewing.copy_id, 101, 120)
    assert later.next_start is None
    assert (viewing.next_start, later.previous_start) == (51, 51)
    with world.uow() as uow:
        assert [c.copy_id for c in uow.copies.of_disclosure(disclosure_id)] == [viewing.copy_id]
    with pytest.raises(NotFound):
        copies.reopen_view(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, start=121)
    with pytest.raises(NotFound):
        copies.reopen_view(world.uow(), world.grace.id, disclosure_id, viewing.copy_id)


def test_each_page_sent_counts_a_view_that_the_discloser_sees_per_recipient(world: World) -> None:
    disclosure_id = _disclosed(world, make_pdf(pages=3))
    viewing = copies.open_view(world.uow(), world.gina.id, disclosure_id)
    first = world.app.clock()

    for number in (1, 2):
        copies.page_image(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, number)
    later = world.app.clock.advance(minutes=5)
    copies.page_image(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, 2)

    report = page_views.page_views_report(world.uow(), world.alice.id, disclosure_id)
    [reader] = report.readers
    assert (reader.email, reader.org) == (GINA, "globex")
    assert (reader.pages.pages_opened, reader.pages.views, reader.pages.seconds) == (2, 3, 0.0)
    assert [(p.page, p.views, p.first_seen, p.last_seen) for p in reader.pages.pages] == [
        (1, 1, first, first), (2, 2, first, later)]
    assert page_views.page_views_report(world.uow(), world.mia.id, disclosure_id) == report


def test_time_reported_by_the_browser_adds_to_opened_pages_only(world: World) -> None:
    disclosure_id = _disclosed(world, make_pdf(pages=3))
    viewing = copies.open_view(world.uow(), world.gina.id, disclosure_id)
    copies.page_image(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, 1)

    world.app.clock.advance(seconds=15)
    took = page_views.report_seconds(world.uow(), world.gina.id, disclosure_id, viewing.copy_id,
                                     {1: 12.5, 3: 40.0})
    world.app.clock.advance(seconds=15)
    again = page_views.report_seconds(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, {1: 7.5})

    assert (took, again) == (1, 1)
    [reader] = page_views.page_views_report(world.uow(), world.alice.id, disclosure_id).readers
    assert [(p.page, p.views, p.seconds) for p in reader.pages.pages] == [(1, 1, 20.0)]


def test_a_report_is_credited_at_most_the_time_since_the_page_was_sent_or_reported(
    world: World
) -> None:
    disclosure_id = _disclosed(world, make_pdf(pages=3))
    viewing = copies.open_view(world.uow(), world.gina.id, disclosure_id)
    copies.page_image(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, 1)
    copies.page_image(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, 2)

    def report(beat: dict[int, float]) -> int:
        return page_views.report_seconds(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, beat)

    world.app.clock.advance(seconds=5)
    report({1: 60.0, 2: 4.0})  # page 1: 5 s since it was sent, + 2 s slack; page 2 as claimed
    world.app.clock.advance(seconds=10)
    report({1: 60.0})  # 10 s since page 1's last report, + 2
    report({1: 60.0})  # at once again: the slack only
    world.app.clock.advance(hours=3)
    copies.page_image(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, 1)  # sent again
    world.app.clock.advance(seconds=1)
    report({1: 60.0, 2: 60.0})  # page 1: 1 s since it was sent again, + 2; page 2: a full beat

    [reader] = page_views.page_views_report(world.uow(), world.alice.id, disclosure_id).readers
    assert [(p.page, p.seconds) for p in reader.pages.pages] == [(1, 7.0 + 12.0 + 2.0 + 3.0), (2, 64.0)]


@pytest.mark.parametrize("seconds", [-1.0, float("nan"), float("inf"), 3600.0])
def test_a_report_of_negative_endless_or_absurd_seconds_is_refused_and_adds_nothing(
    world: World, seconds: float
) -> None:
    disclosure_id = _disclosed(world, make_pdf(pages=1))
    viewing = copies.open_view(world.uow(), world.gina.id, disclosure_id)
    copies.page_image(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, 1)
    world.app.clock.advance(hours=2)

    with pytest.raises(InvalidInput) as refused:
        page_views.report_seconds(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, {1: seconds})

    assert "is not a number of seconds from 0 to 60" in refused.value.errors["seconds"]
    [reader] = page_views.page_views_report(world.uow(), world.alice.id, disclosure_id).readers
    assert reader.pages.seconds == 0.0


def test_after_a_revocation_no_page_is_sent_and_reported_time_is_ignored(world: World) -> None:
    disclosure_id = _disclosed(world, make_pdf(pages=2))
    viewing = copies.open_view(world.uow(), world.gina.id, disclosure_id)
    copies.page_image(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, 1)
    disclosures.revoke_disclosure(world.uow(), world.mia.id, disclosure_id)

    took = page_views.report_seconds(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, {1: 30.0})

    assert took == 0
    with pytest.raises(Refused):
        copies.page_image(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, 2)
    [reader] = page_views.page_views_report(world.uow(), world.alice.id, disclosure_id).readers
    assert [(p.page, p.views, p.seconds) for p in reader.pages.pages] == [(1, 1, 0.0)]


def test_nobody_reports_time_on_someone_elses_view(world: World) -> None:
    disclosure_id = _disclosed(world, make_pdf(pages=1))
    viewing = copies.open_view(world.uow(), world.gina.id, disclosure_id)
    copies.page_image(world.uow(), world.gina.id, disclosure_id, viewing.copy_id, 1)

    for person in (world.grace, world.ian, world.alice):
        with pytest.raises(NotFound):
            page_views.report_seconds(world.uow(), person.id, disclosure_id, viewing.copy_id, {1: 30.0})
    with pytest.raises(NotFound):
        page_views.report_seconds(world.uow(), world.gina.id, disclosure_id, "7QMK-4XR2-9TB5", {1: 30.0})
    [reader] = page_views.page_views_report(world.uow(), world.alice.id, disclosure_id).readers
    assert reader.pages.seconds == 0.0


def test_only_the_disclosers_org_sees_page_views(world: World) -> None:
    disclosure_id = _disclosed(world, make_pdf(pages=1))

    for person in (world.alice, world.sam, world.mia):
        assert page_views.page_views_report(world.uow(), person.id, disclosure_id).readers == ()
    for person in (world.gina, world.grace, world.ian):
        with pytest.raises(NotFound):
            page_views.page_views_report(world.uow(), person.id, disclosure_id)


def test_a_member_who_did_not_disclose_may_not_see_page_views(world: World) -> None:
    disclosure_id = _disclosed(world, make_pdf(pages=1))
    max_ = orgs.add_person(world.uow(), world.alice.id, org="acme", name="Max Moss",
                           email="max@acme.example", roles=["member"])

    with pytest.raises(PermissionDenied):
        page_views.page_views_report(world.uow(), max_.id, disclosure_id)


def test_a_docx_is_viewed_with_its_tables_headers_and_footers(world: World) -> None:
    content = make_docx(("Intro <b>bold</b>?", "Second paragraph."), header="Acme — confidential",
                        footer="Page footer", table=[["Part", "Drift"], ["S-1", "0.2 K <i>"]])
    disclosure_id = _disclosed(world, content, DOCX)

    viewing = copies.open_view(world.uow(), world.gina.id, disclosure_id)

    document = viewing.document
    assert document is not None and viewing.problem is None and not document.cut
    assert document.headers == ("Acme — confidential",) and document.footers == ("Page footer",)
    texts = [getattr(b, "text", None) for b in document.blocks]
    assert texts[:2] == ["Intro <b>bold</b>?", "Second paragraph."]
    table = document.blocks[-1]
    assert isinstance(table, DocxTable)
    assert [[c.text for c in row] for row in table.rows] == [["Part", "Drift"], ["S-1", "0.2 K <i>"]]
    assert "Gina" in viewing.mark and viewing.copy_id in viewing.stamp_line
