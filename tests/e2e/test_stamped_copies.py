"""A recipient's copies over HTTP: stamped downloads that name them, the original streamed
where the terms allow it, and view only that never hands out the original bytes."""

from __future__ import annotations

import importlib
import io
import pkgutil
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from PIL import Image

from sharebound.adapters.stamping.reading import pdf_text
from sharebound.domain.stamps import find_copy_id
from sharebound.services import disclosures, items, trace
from sharebound.services.disclosures import DisclosureDraft
from sharebound.web import api, pages
from tests.e2e.conftest import WORLD_PASSWORD, Api, csrf_of, sign_in, sign_in_page
from tests.files import PDF, PNG, make_image, make_pdf, make_png_bomb
from tests.integration.world import World
from tests.office_files import PPTX, XLSX, make_pptx, make_xlsx

PASSWORD = WORLD_PASSWORD
GINA = "gina@globex.example"


@dataclass
class Shared:
    world: World
    item_id: str
    disclosure_id: str
    original: bytes




def _share(world: World, content: bytes, media_type: str, *, actions: Sequence[str] = ("view", "download"),
           watermark: bool = True, checked: bool = True, filename: str = "report") -> Shared:
    agreement = world.signed(schedule={"watermark_downloads": watermark})
    if checked:
        item_id = items.add_item(world.uow(), world.alice.id, title="Thermal report",
                                 classification="confidential", topics=["thermal"], content=content,
                                 kind="file", media_type=media_type, filename=filename).id
    else:
        item_id = world.stored_before_upload_checks(world.alice, content, media_type)
    made = disclosures.disclose(world.uow(), world.alice.id, DisclosureDraft(
        item_id=item_id, agreement_id=agreement.id, recipients=[GINA], actions=list(actions)))
    return Shared(world, item_id, made.id, content)


def _browser(client: TestClient, email: str) -> TestClient:
    return sign_in_page(client, email, PASSWORD)


def test_a_recipient_downloads_a_stamped_pdf_png_and_text_file_that_name_them(
    client: TestClient, world: World
) -> None:
    shared = [_share(world, make_pdf(pages=2), PDF), _share(world, make_image("PNG"), PNG),
              _share(world, b"Drift under 0.2 K\n", "text/plain")]
    gina = sign_in(client, GINA, PASSWORD)

    answers = [gina.get(f"/disclosures/{s.disclosure_id}/content") for s in shared]

    assert [a.status_code for a in answers] == [200, 200, 200]
    pdf, png, text = answers
    copy_ids = [a.headers["X-Sharebound-Copy"] for a in answers]
    assert len(set(copy_ids)) == 3
    assert all("Gina" in page and copy_ids[0] in page for page in pdf_text(pdf.content))
    assert Image.open(io.BytesIO(png.content)).size == Image.open(io.BytesIO(shared[1].original)).size
    assert text.text.splitlines()[0].startswith("CONFIDENTIAL") and "Gina" in text.text
    for answer, copy_id in zip(answers, copy_ids, strict=True):
        assert answer.headers["Cache-Control"] == "no-store"
        found = trace.trace_file(world.uow(), world.alice.id, answer.content)
        assert (found.copy.copy_id, found.recipient.email, found.unchanged) == (copy_id, GINA, True)


def test_an_unstamped_download_is_the_original_streamed_from_the_blob(
    client: TestClient, world: World
) -> None:
    shared = _share(world, make_pdf(pages=3), PDF, watermark=False)
    gina = sign_in(client, GINA, PASSWORD)

    answer = gina.get(f"/disclosures/{shared.disclosure_id}/content")
    page = _browser(client, GINA).get(f"/disclosures/{shared.disclosure_id}/download")

    assert answer.status_code == page.status_code == 200
    assert answer.content == page.content == shared.original
    assert "X-Sharebound-Copy" not in answer.headers
    assert answer.headers["content-length"] == str(len(shared.original))


@pytest.mark.parametrize("watermark", [True, False], ids=["stamped", "streamed"])
def test_every_download_names_its_file_with_an_ascii_fallback_for_old_clients(
    client: TestClient, world: World, watermark: bool
) -> None:
    shared = _share(world, make_pdf(pages=1), PDF, watermark=watermark, filename="Größe \"Q3\".pdf")

    answers = [sign_in(client, GINA, PASSWORD).get(f"/disclosures/{shared.disclosure_id}/content"),
               _browser(client, GINA).get(f"/disclosures/{shared.disclosure_id}/download")]

    for answer in answers:
        assert answer.status_code == 200
        assert answer.headers["content-disposition"] == (
            "attachment; filename=\"Groe _Q3_.pdf\"; filename*=UTF-8''Gr%C3%B6%C3%9Fe%20%22Q3%22.pdf")


def test_a_view_only_pdf_shows_stamped_page_images_and_never_the_original(
    client: TestClient, world: World
) -> None:
    shared = _share(world, make_pdf(pages=2), PDF, actions=["view"])
    browser = _browser(client, GINA)

    page = browser.get(f"/disclosures/{shared.disclosure_id}")

    assert page.status_code == 200
    sources = [part.split('"')[0] for part in page.text.split('<img class="page" src="')[1:]]
    assert len(sources) == 2
    for source in sources:
        image = browser.get(source)
        assert image.status_code == 200 and image.headers["content-type"] == "image/png"
        assert image.headers["cache-control"] == "no-store"
        assert Image.open(io.BytesIO(image.content)).format == "PNG"
    assert "Original text of page" not in page.text
    refused = browser.get(f"/disclosures/{shared.disclosure_id}/download", follow_redirects=True)
    assert "does not permit download" in refused.text


VIEWED = {  # a file of each kind view only shows, and whether its view has page images
    "pdf": (lambda: make_pdf(pages=1), PDF, True),
    "xlsx": (lambda: make_xlsx(sheets=("Figures",)), XLSX, False),
    "pptx": (lambda: make_pptx(("Roadmap",), picture=True), PPTX, True),
}


@pytest.mark.parametrize("kind", VIEWED)
def test_no_route_a_view_only_recipient_can_call_returns_the_original_bytes(
    client: TestClient, world: World, kind: str
) -> None:
    make, media_type, has_images = VIEWED[kind]
    shared = _share(world, make(), media_type, actions=["view"])
    token = sign_in(client, GINA, PASSWORD)
    page = _browser(client, GINA).get(f"/disclosures/{shared.disclosure_id}")
    copy_id = find_copy_id(page.text)
    assert copy_id is not None
    filled = {"disclosure_id": shared.disclosure_id, "item_id": shared.item_id, "number": "1"}
    called = []

    for template, names in _get_routes():
        if not names & {"disclosure_id", "item_id"} or names - set(filled):
            continue
        path = template.format(**{n: filled[n] for n in names})
        answer = _get(client, token, path, copy_id)
        called.append((path, answer.status_code))
        assert shared.original not in answer.content, path
        assert b"Original text of page" not in answer.content, path

    assert {p for p, _ in called} >= {
        f"/api/v1/disclosures/{shared.disclosure_id}/content",
        f"/disclosures/{shared.disclosure_id}/download",
        f"/api/v1/items/{shared.item_id}/content", f"/disclosures/{shared.disclosure_id}/pages/1.png"}
    assert ((f"/disclosures/{shared.disclosure_id}/pages/1.png", 200) in called) is has_images


def test_a_view_only_workbook_shows_escaped_tables_and_a_deck_its_slides_in_the_page(
    client: TestClient, world: World
) -> None:
    workbook = _share(world, make_xlsx(sheets=("Figures", "Costs"), cell="<script>alert(1)</script>"), XLSX,
                      actions=["view"])
    deck = _share(world, make_pptx(("Roadmap", "Prices"), picture=True), PPTX, actions=["view"])
    browser = _browser(client, GINA)

    tables = browser.get(f"/disclosures/{workbook.disclosure_id}")
    slides = browser.get(f"/disclosures/{deck.disclosure_id}")

    assert tables.status_code == slides.status_code == 200
    assert tables.text.count('<table class="sheet">') == 2
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in tables.text and "<script>alert" not in tables.text
    assert "=SUM(B2:B4)" in tables.text and "Gina" in tables.text
    assert 'aria-label="Slide 2"' in slides.text and "Prices" in slides.text
    pictures = [part.split('"')[0] for part in slides.text.split('<img class="page" src="')[1:]]
    assert len(pictures) == 2
    for source in pictures:
        image = browser.get(source)
        assert image.status_code == 200 and image.headers["cache-control"] == "no-store"
        assert Image.open(io.BytesIO(image.content)).format == "PNG"


@pytest.mark.parametrize("kind", ["xlsx", "pptx"])
def test_a_stamped_workbook_or_deck_downloaded_over_the_api_is_traced(
    client: TestClient, world: World, kind: str
) -> None:
    make, media_type, _ = VIEWED[kind]
    shared = _share(world, make(), media_type)

    answer = sign_in(client, GINA, PASSWORD).get(f"/disclosures/{shared.disclosure_id}/content")

    assert answer.status_code == 200 and answer.headers["content-type"].startswith(media_type)
    found = trace.trace_file(world.uow(), world.alice.id, answer.content)
    assert (found.copy.copy_id, found.recipient.email) == (answer.headers["X-Sharebound-Copy"], GINA)


def _get_routes() -> list[tuple[str, set[str]]]:
    """Every GET route of the API and the pages, as a path template and its parameters."""
    found = []
    for package, prefix in ((api, "/api/v1"), (pages, "")):
        for module in pkgutil.iter_modules(package.__path__):
            router = getattr(importlib.import_module(f"{package.__name__}.{module.name}"), "router", None)
            found += [(prefix + r.path, set(r.param_convertors)) for r in getattr(router, "routes", [])
                      if isinstance(r, APIRoute) and "GET" in r.methods]
    return found


def _get(client: TestClient, token: Api, path: str, copy_id: str) -> Any:
    if path.startswith("/api/v1"):
        return token.get(path.removeprefix("/api/v1"))
    return client.get(path, params={"copy": copy_id}, follow_redirects=True)


def test_a_page_image_of_someone_elses_view_is_not_found(client: TestClient, world: World) -> None:
    shared = _share(world, make_pdf(pages=1), PDF, actions=["view"])
    copy_id = _browser(client, GINA).get(f"/disclosures/{shared.disclosure_id}").text.split("?copy=")[1][:14]
    client.cookies.clear()

    grace = _browser(client, "grace@globex.example")
    answer = grace.get(f"/disclosures/{shared.disclosure_id}/pages/1.png", params={"copy": copy_id})

    assert answer.status_code == 404 and b"PNG" not in answer.content[:8]


def test_an_admin_traces_an_uploaded_copy_on_the_trace_page(client: TestClient, world: World) -> None:
    shared = _share(world, b"Drift under 0.2 K\n", "text/plain")
    copy = sign_in(client, GINA, PASSWORD).get(f"/disclosures/{shared.disclosure_id}/content")
    alice = _browser(client, "alice@acme.example")
    form = alice.get("/admin/trace").text
    csrf = csrf_of(form)

    found = alice.post("/admin/trace", data={"csrf": csrf},
                       files={"file": ("leak.txt", copy.content, "text/plain")})
    nothing = alice.post("/admin/trace", data={"csrf": csrf},
                         files={"file": ("plain.txt", b"no stamp here", "text/plain")})

    assert found.status_code == 200
    assert copy.headers["X-Sharebound-Copy"] in found.text and "gina@globex.example" in found.text
    assert nothing.status_code == 422 and "no Sharebound copy id" in nothing.text


def test_the_recipient_orgs_admin_cannot_trace_the_disclosers_copy(client: TestClient, world: World) -> None:
    shared = _share(world, b"Drift under 0.2 K\n", "text/plain")
    copy = sign_in(client, GINA, PASSWORD).get(f"/disclosures/{shared.disclosure_id}/content")
    client.cookies.clear()
    grace = _browser(client, "grace@globex.example")
    csrf = csrf_of(grace.get("/admin/trace").text)

    answer = grace.post("/admin/trace", data={"csrf": csrf, "copy_id": copy.headers["X-Sharebound-Copy"]})

    assert answer.status_code == 422 and "no copy of a disclosure your organization made" in answer.text
    assert "gina@globex.example" not in answer.text and shared.disclosure_id not in answer.text


def test_a_view_only_text_file_is_shown_escaped_between_stamp_lines(client: TestClient, world: World) -> None:
    shared = _share(world, b"line one\n<script>alert(1)</script>\n", "text/plain", actions=["view"])

    page = _browser(client, GINA).get(f"/disclosures/{shared.disclosure_id}")

    assert page.headers["cache-control"] == "no-store"
    body = page.text.split('<pre class="body">')[1].split("</pre>")[0]
    lines = body.splitlines()
    assert lines[0].startswith("CONFIDENTIAL") and "Gina" in lines[0] and lines[-1] == lines[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in lines and "<script>alert" not in page.text


def test_an_image_too_large_to_stamp_is_refused_with_a_clear_reason(client: TestClient, world: World) -> None:
    # Uploads refuse image bombs today; one stored before that check must still fail cleanly.
    shared = _share(world, make_png_bomb(), PNG, checked=False)

    answer = sign_in(client, GINA, PASSWORD).get(f"/disclosures/{shared.disclosure_id}/content")

    assert answer.status_code == 403
    assert "too large to stamp" in answer.json()["reasons"][0]["message"]


def test_the_discloser_revokes_on_the_page_and_the_recipients_download_ends(
    client: TestClient, world: World
) -> None:
    shared = _share(world, b"Drift under 0.2 K\n", "text/plain")
    gina = sign_in(client, GINA, PASSWORD)
    alice = _browser(client, "alice@acme.example")
    page = alice.get(f"/disclosures/{shared.disclosure_id}").text
    csrf = csrf_of(page)

    revoked = alice.post(f"/disclosures/{shared.disclosure_id}/revoke",
                         data={"csrf": csrf, "reason": "sent by mistake"}, follow_redirects=True)

    assert revoked.status_code == 200 and "Revoked: the recipients" in revoked.text
    assert gina.get(f"/disclosures/{shared.disclosure_id}/content").status_code in {403, 404}


def test_an_items_own_file_is_streamed_to_its_org_and_never_cached(client: TestClient, world: World) -> None:
    shared = _share(world, make_pdf(pages=2), PDF, filename="Größe.pdf")

    answers = [sign_in(client, "alice@acme.example", PASSWORD).get(f"/items/{shared.item_id}/content"),
               _browser(client, "alice@acme.example").get(f"/items/{shared.item_id}/content?version=1")]

    for answer in answers:
        assert answer.status_code == 200 and answer.content == shared.original
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["content-length"] == str(len(shared.original))
        assert answer.headers["content-disposition"].startswith('attachment; filename="Groe.pdf"')


def test_a_view_only_text_longer_than_view_only_shows_says_where_it_stops(
    client: TestClient, world: World
) -> None:
    long_text = b"Drift under 0.2 K\n" * (3 * 1024 * 1024 // 18)
    shared = _share(world, long_text, "text/plain", actions=["view"])

    page = _browser(client, GINA).get(f"/disclosures/{shared.disclosure_id}")

    lines = page.text.split('<pre class="body">')[1].split("</pre>")[0].splitlines()
    assert lines[-3] == "[… the rest is not shown: view only shows the first 2,097,152 bytes]"
    assert lines[-1].startswith("CONFIDENTIAL") and "Gina" in lines[-1]
