"""View only over HTTP: a 5,000-page PDF on a small page, its pages fetched one by one with the
copy id in each PNG; a DOCX with its tables, headers and footers, escaped; the beacon that
reports time on screen; and the discloser's page analytics, on the page and the API."""

from __future__ import annotations

import io
import re
from dataclasses import replace

from fastapi.testclient import TestClient
from PIL import Image

from sharebound.bootstrap import App
from sharebound.services import disclosures, items
from sharebound.services.disclosures import DisclosureDraft
from tests.corpus import corpus_file
from tests.e2e.conftest import WORLD_PASSWORD, csrf_of, sign_in, sign_in_page
from tests.factories import CHEAP_PASSWORDS
from tests.files import DOCX, PDF, make_docx, make_pdf
from tests.integration.world import World

GINA = "gina@globex.example"
ALICE = "alice@acme.example"


def _disclosed(world: World, content: bytes, media_type: str = PDF) -> str:
    """alice discloses the file to gina, view only (page limits raised past 5,000 pages)."""
    roomy: App = replace(world.app, settings=world.app.settings.model_copy(
        update={"max_pdf_pages": 10_000, "gate_max_pages": 10_000}))
    agreement = world.signed()
    item_id = items.add_item(roomy.uow(), world.alice.id, title="Thermal report",
                             classification="confidential", topics=["thermal"], content=content,
                             kind="file", media_type=media_type, filename="report").id
    return disclosures.disclose(roomy.uow(), world.alice.id, DisclosureDraft(
        item_id=item_id, agreement_id=agreement.id, recipients=[GINA], actions=["view"])).id


def _pages(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<img class="page" src="[^"]*/pages/(\d+)\.png', html)]


def _copy_of(html: str) -> str:
    return html.split("?copy=")[1][:14]


def test_a_5000_page_pdf_is_a_small_page_whose_images_come_one_by_one(
    client: TestClient, world: World
) -> None:
    disclosure_id = _disclosed(world, corpus_file("5000-pages.pdf"))
    gina = sign_in_page(client, GINA, WORLD_PASSWORD)

    first = gina.get(f"/disclosures/{disclosure_id}")
    copy_id = _copy_of(first.text)
    following = gina.get(f"/disclosures/{disclosure_id}", params={"copy": copy_id, "start": 51})
    page = gina.get(f"/disclosures/{disclosure_id}/pages/4999.png", params={"copy": copy_id})

    assert first.status_code == 200 and len(first.content) < 50_000
    assert _pages(first.text) == list(range(1, 51)) and 'data-pages="5000"' in first.text
    assert 'loading="lazy"' in first.text and "/static/viewer.js" in first.text
    assert "start=51" in first.text
    assert following.status_code == 200 and _pages(following.text) == list(range(51, 101))
    assert _copy_of(following.text) == copy_id
    with world.uow() as uow:
        assert [c.copy_id for c in uow.copies.of_disclosure(disclosure_id)] == [copy_id]
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert Image.open(io.BytesIO(page.content)).text["SharboundCopy"] == copy_id
    past = gina.get(f"/disclosures/{disclosure_id}/pages/5001.png", params={"copy": copy_id})
    assert past.status_code == 422
    assert "there is no page 5001: the document has 5000 pages" in past.text


def test_a_docx_is_shown_with_its_tables_headers_and_footers_escaped(
    client: TestClient, world: World
) -> None:
    disclosure_id = _disclosed(world, make_docx(
        ("Intro <script>alert(1)</script>",), header="Acme header", footer="Acme footer",
        table=[["Part", "Drift"], ["S-1", "<b>0.2 K</b>"]]), DOCX)
    gina = sign_in_page(client, GINA, WORLD_PASSWORD)

    html = gina.get(f"/disclosures/{disclosure_id}").text

    body = html.split('<div class="docx-view"')[1].split("</section>")[0]
    assert "Intro &lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert" not in body
    assert '<table class="docx-table">' in body and "<td>&lt;b&gt;0.2 K&lt;/b&gt;</td>" in body
    assert body.index("Acme header") < body.index("Intro") < body.index("Part") < body.index("Acme footer")
    assert body.count("CONFIDENTIAL · disclosed by") == 2 and "Gina" in body.split(">")[0]


def test_time_reported_by_the_beacon_shows_to_the_discloser_per_recipient(
    client: TestClient, world: World
) -> None:
    disclosure_id = _disclosed(world, make_pdf(pages=3))
    gina = sign_in_page(client, GINA, WORLD_PASSWORD)
    html = gina.get(f"/disclosures/{disclosure_id}").text
    copy_id, csrf = _copy_of(html), csrf_of(html)
    for number in (1, 2, 2):
        image = gina.get(f"/disclosures/{disclosure_id}/pages/{number}.png", params={"copy": copy_id})
        assert image.status_code == 200
    beat = f"/disclosures/{disclosure_id}/view/seconds"
    world.app.clock.advance(seconds=15)  # the pages were on screen a while

    sent = gina.post(beat, data={"csrf": csrf, "copy": copy_id, "page": ["1", "2"],
                                 "seconds": ["12.5", "3"]})
    forged = gina.post(beat, data={"copy": copy_id, "page": "1", "seconds": "60"})
    too_long = gina.post(beat, data={"csrf": csrf, "copy": copy_id, "page": "1", "seconds": "61"})
    not_a_page = gina.post(beat, data={"csrf": csrf, "copy": copy_id, "page": "x", "seconds": "1"})

    assert sent.status_code == 204 and forged.status_code == 403
    assert too_long.status_code == 422 and "seconds" in too_long.text
    assert not_a_page.status_code == 422
    report = sign_in(client, ALICE, WORLD_PASSWORD).get(
        f"/disclosures/{disclosure_id}/page-views")
    assert report.status_code == 200
    [reader] = report.json()["readers"]
    assert (reader["email"], reader["pages_opened"], reader["views"], reader["seconds"]) == (GINA, 2, 3, 15.5)
    assert [(p["page"], p["views"], p["seconds"]) for p in reader["pages"]] == [(1, 1, 12.5), (2, 2, 3.0)]
    assert "Pages read" not in html
    client.cookies.clear()
    alice_page = sign_in_page(client, ALICE, WORLD_PASSWORD).get(
        f"/disclosures/{disclosure_id}").text
    section = alice_page.split('id="page-views"')[1].split("</section>")[0]
    assert "Gina" in section and "<td>2</td><td>3</td>" in section and "0 min 16 s" in section


def test_nobody_else_reports_time_and_a_revoked_view_takes_none(client: TestClient, world: World) -> None:
    disclosure_id = _disclosed(world, make_pdf(pages=1))
    gina = sign_in_page(client, GINA, WORLD_PASSWORD)
    html = gina.get(f"/disclosures/{disclosure_id}").text
    copy_id = _copy_of(html)
    gina.get(f"/disclosures/{disclosure_id}/pages/1.png", params={"copy": copy_id})
    beat = f"/disclosures/{disclosure_id}/view/seconds"
    with world.uow() as uow:  # the outsider signs in too
        uow.auth.set_password_hash(world.ian.id, CHEAP_PASSWORDS.hash(WORLD_PASSWORD))
        uow.commit()
    client.cookies.clear()
    for email in ("grace@globex.example", "ian@initech.example", "alice@acme.example"):
        other = sign_in_page(client, email, WORLD_PASSWORD)
        csrf = csrf_of(other.get("/").text)
        answer = other.post(beat, data={"csrf": csrf, "copy": copy_id, "page": "1", "seconds": "30"})
        assert answer.status_code == 404, email
        assert copy_id not in answer.text and disclosure_id not in answer.text
        client.cookies.clear()
    disclosures.revoke_disclosure(world.uow(), world.alice.id, disclosure_id)
    gina = sign_in_page(client, GINA, WORLD_PASSWORD)

    late = gina.post(beat, data={"csrf": csrf_of(gina.get("/").text), "copy": copy_id, "page": "1",
                                 "seconds": "30"})
    page = gina.get(f"/disclosures/{disclosure_id}/pages/1.png", params={"copy": copy_id})

    assert late.status_code == 204 and page.status_code == 403
    report = sign_in(client, ALICE, WORLD_PASSWORD).get(
        f"/disclosures/{disclosure_id}/page-views")
    assert [(r["views"], r["seconds"]) for r in report.json()["readers"]] == [(1, 0.0)]
