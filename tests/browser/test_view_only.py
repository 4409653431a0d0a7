"""View only in Chromium: the recipient reads a PDF as stamped page images, a workbook as
tables and a deck as slides, with no way to get the original; later pages of a PDF are laid
out and loaded as they scroll, and the time each page is on screen reaches the discloser's
page analytics."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Response, expect

from sharebound import bootstrap
from sharebound.services import agreements, disclosures, items, orgs, partnerships
from sharebound.services.disclosures import DisclosureDraft
from tests.factories import sign_as, terms_json
from tests.files import DOCX, PDF, make_docx, make_pdf
from tests.office_files import PPTX, XLSX, make_pptx, make_xlsx

PASSWORD = "correct horse battery"


def _view_only_pdf(core: bootstrap.App, content: bytes | None = None, media_type: str = PDF,
                   pages: int = 2) -> str:
    """acme discloses a PDF of `pages` pages (or `content` of `media_type`) to globex's gina,
    for view only."""
    _, alice = orgs.create_org(core.uow(), handle="acme", name="Acme Sensors", admin_name="Alice Archer",
                               admin_email="alice@acme.example", admin_password=PASSWORD)
    _, grace = orgs.create_org(core.uow(), handle="globex", name="Globex", admin_name="Grace Green",
                               admin_email="grace@globex.example", admin_password=PASSWORD)
    orgs.add_person(core.uow(), grace.id, org="globex", name="Gina Gray", email="gina@globex.example",
                    roles=["member"], password=PASSWORD)
    partnership = partnerships.propose_partnership(core.uow(), alice.id, name="Joint sensor",
                                                   purpose="new_product", invite=["globex"])
    partnerships.accept_partnership(core.uow(), grace.id, partnership.id)
    today = core.clock().date()
    agreement = agreements.draft_agreement(core.uow(), alice.id, partnership.id, terms_json(
        effective_date=today.isoformat(), term_end=today.replace(year=today.year + 1).isoformat()))
    digest = agreement.current.digest
    sign_as(core.uow(), alice.id, agreement.id, digest=digest, title="CEO", password=PASSWORD)
    sign_as(core.uow(), grace.id, agreement.id, digest=digest, title="CEO", password=PASSWORD)
    item = items.add_item(core.uow(), alice.id, title="Thermal design review", classification="confidential",
                          topics=["thermal"], content=content or make_pdf(pages=pages), kind="file",
                          media_type=media_type, filename="review")
    return disclosures.disclose(core.uow(), alice.id, DisclosureDraft(
        item_id=item.id, agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=["view"])).id


def test_a_view_only_pdf_is_read_as_stamped_page_images_without_a_download(
    core: bootstrap.App, people: Any
) -> None:
    disclosure_id = _view_only_pdf(core)
    gina = people()
    gina.sign_in("gina@globex.example", PASSWORD)

    page = gina.go(f"/disclosures/{disclosure_id}")

    images = page.locator("img.page")
    expect(images).to_have_count(2)
    for index in range(2):
        images.nth(index).scroll_into_view_if_needed()
        expect(images.nth(index)).to_be_visible()
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                               arg=images.nth(index).element_handle())
    expect(page.locator("p.stamp")).to_contain_text("Gina Gray")
    expect(page.get_by_role("link", name="Download")).to_have_count(0)
    gina.shot("view-only")
    assert not gina.console_errors


def test_scrolling_loads_later_pages_and_the_time_on_screen_is_reported(
    core: bootstrap.App, people: Any
) -> None:
    disclosure_id = _view_only_pdf(core, pages=120)
    gina = people()
    gina.sign_in("gina@globex.example", PASSWORD)

    page = gina.go(f"/disclosures/{disclosure_id}")
    images = page.locator("img.page")
    expect(images).to_have_count(50)  # the first window; viewer.js adds the rest
    for _ in range(60):  # scroll to the end until the last page is laid out and loaded
        page.mouse.wheel(0, 20_000)
        last = page.locator('img.page[data-page="120"]')
        if last.count() and last.evaluate("(img) => img.complete && img.naturalWidth > 0"):
            break
        page.wait_for_timeout(200)
    expect(images).to_have_count(120)
    assert page.locator('img.page[data-page="120"]').evaluate("(img) => img.naturalWidth > 0")
    expect(page.locator("#next-pages")).to_have_count(0)
    page.wait_for_timeout(2500)  # page 120 on screen
    gina.go("/")  # leaving the page sends the last beat (pagehide)

    seconds = 0.0
    for _ in range(50):
        with core.uow() as uow:
            views = {v.page: v for v in uow.page_views.of_disclosure(disclosure_id)}
        seconds = views[120].seconds if 120 in views else 0.0
        if seconds > 0:
            break
        time.sleep(0.1)
    assert views[1].views == 1 and views[120].views == 1
    assert 1.5 <= seconds <= 60
    assert not gina.console_errors
    alice = people()
    alice.sign_in("alice@acme.example", PASSWORD)
    shown = alice.go(f"/disclosures/{disclosure_id}")
    expect(shown.locator("#page-views")).to_contain_text("Gina Gray")
    alice.shot("page-views")


def test_a_view_only_docx_shows_its_table_header_and_footer_under_the_stamp(
    core: bootstrap.App, people: Any
) -> None:
    disclosure_id = _view_only_pdf(core, media_type=DOCX, content=make_docx(
        ("Thermal design review", "Drift stayed under 0.2 K."), header="Acme Sensors · confidential",
        footer="Page footer", table=[["Part", "Drift"], ["S-1", "0.2 K"]]))
    gina = people()
    gina.sign_in("gina@globex.example", PASSWORD)

    page = gina.go(f"/disclosures/{disclosure_id}")

    view = page.locator(".docx-view")
    expect(view.locator("table.docx-table td")).to_have_count(4)
    expect(view.locator(".docx-header")).to_contain_text("Acme Sensors")
    expect(view.locator(".docx-footer")).to_contain_text("Page footer")
    expect(view.locator(".stamp-line")).to_have_count(2)
    gina.shot("view-only-docx")
    assert not gina.console_errors


def test_without_javascript_a_link_shows_the_next_pages_and_every_page_sent_counts(
    core: bootstrap.App, server: Any, browser: Any
) -> None:
    disclosure_id = _view_only_pdf(core, pages=60)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url + "/login")
        page.fill("#email", "gina@globex.example")
        page.fill("#password", PASSWORD)
        page.click("button:has-text('Sign in')")
        page.wait_for_url(lambda url: "/login" not in url)

        page.goto(server.url + f"/disclosures/{disclosure_id}")
        expect(page.locator("img.page")).to_have_count(50)
        page.click("#next-pages")
        expect(page.locator("img.page")).to_have_count(10)
        page.locator('img.page[data-page="51"]').scroll_into_view_if_needed()
        views: dict[int, Any] = {}
        # why every page: with scripting off a browser loads lazy images at once (the HTML
        # standard turns lazy loading off then, against tracking), the whole window of 50
        for _ in range(600):
            with core.uow() as uow:
                views = {v.page: v for v in uow.page_views.of_disclosure(disclosure_id)}
            if len(views) == 60:
                break
            time.sleep(0.1)
    finally:
        context.close()

    with core.uow() as uow:
        copies = uow.copies.of_disclosure(disclosure_id)
    assert sorted(views) == list(range(1, 61)) and {v.views for v in views.values()} == {1}
    assert all(v.seconds == 0 for v in views.values())  # no script: views only, no time
    assert len(copies) == 1  # the next pages are the same view's copy


@pytest.mark.parametrize("kind", ["xlsx", "pptx"])
def test_a_view_only_workbook_or_deck_shows_in_the_page_and_the_browser_never_receives_the_file(
    core: bootstrap.App, people: Any, kind: str
) -> None:
    original = (make_xlsx(sheets=("Figures", "Costs")) if kind == "xlsx"
                else make_pptx(("Roadmap", "Prices"), picture=True))
    disclosure_id = _view_only_pdf(core, original, XLSX if kind == "xlsx" else PPTX)
    gina = people()
    gina.sign_in("gina@globex.example", PASSWORD)
    received: list[Response] = []
    gina.page.on("response", lambda response: received.append(response))

    page = gina.go(f"/disclosures/{disclosure_id}")

    if kind == "xlsx":
        expect(page.locator("table.sheet")).to_have_count(2)
        expect(page.locator("table.sheet").first).to_contain_text("=SUM(B2:B4)")
        expect(page.locator("table.sheet caption").first).to_have_text("Sheet \u201cFigures\u201d")
        expect(page.locator("p.stamp").nth(1)).to_contain_text("Gina Gray")
    else:
        expect(page.locator("section.slide")).to_have_count(2)
        expect(page.locator("section.slide").nth(1)).to_contain_text("Prices")
        images = page.locator("img.page")
        expect(images).to_have_count(2)
        for index in range(2):
            images.nth(index).scroll_into_view_if_needed()
            page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                                   arg=images.nth(index).element_handle())
    ours = f"/disclosures/{disclosure_id}"
    bodies = {r.url: _body(r) for r in received if r.status == 200 and ours in r.url}
    assert bodies and all(body is not None for body in bodies.values()), list(bodies)
    for body in bodies.values():
        assert body is not None and original not in body and not body.startswith(b"PK\x03\x04")
    gina.shot(f"view-only-{kind}")
    assert not gina.console_errors


def _body(response: Response) -> bytes | None:
    try:
        return response.body()
    except PlaywrightError:  # why: a response of a page navigated away from keeps no body
        return None
