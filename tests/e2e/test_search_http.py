"""Search over HTTP: `GET /api/v1/search` and the `/search` page with the header's box."""

from __future__ import annotations

from fastapi.testclient import TestClient

from sharebound.services import disclosures, items
from sharebound.services.disclosures import DisclosureDraft
from tests.e2e.conftest import WORLD_PASSWORD, sign_in, sign_in_page
from tests.integration.world import World


def _note(world: World, title: str, body: str) -> str:
    return items.add_item(world.uow(), world.alice.id, title=title, classification="confidential",
                          topics=["thermal"], content=body.encode()).id


def test_the_api_finds_own_items_and_received_disclosures_with_marked_snippets(
    client: TestClient, world: World,
) -> None:
    own = _note(world, "Thermal test results", "Drift under 0.2 K at the bench")
    made = disclosures.disclose(world.uow(), world.alice.id, DisclosureDraft(
        item_id=own, agreement_id=world.signed().id, recipients=["gina@globex.example"],
        actions=["view"]))

    alice = sign_in(client, world.alice.email, WORLD_PASSWORD).get("/search", params={"q": "drift"}).json()
    gina = sign_in(client, world.gina.email, WORLD_PASSWORD).get("/search", params={"q": "drift"}).json()

    assert [(h["item_id"], h["disclosure_id"], h["url"]) for h in alice["items"]] == [
        (own, None, f"/api/v1/items/{own}")]
    assert [(h["disclosure_id"], h["owner"], h["url"]) for h in gina["items"]] == [
        (made.id, "acme", f"/api/v1/disclosures/{made.id}")]
    assert alice["items"][0]["snippet_html"] == "<mark>Drift</mark> under 0.2 K at the bench"
    assert (gina["items"][0]["snippet_html"], gina["items"][0]["found_in"]) == ("", "text")
    assert alice["query"] == "drift" and alice["next"] is None


def test_titles_and_text_come_back_escaped(client: TestClient, world: World) -> None:
    _note(world, "<script>alert(1)</script> gasket", "<img src=x onerror=alert(1)> gasket")

    api = sign_in(client, world.alice.email, WORLD_PASSWORD)
    hit = api.get("/search", params={"q": "gasket"}).json()["items"][0]

    assert hit["title_html"] == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>gasket</mark>"
    assert hit["snippet_html"] == "&lt;img src=x onerror=alert(1)&gt; <mark>gasket</mark>"


def test_a_query_with_no_word_is_a_400_naming_q(client: TestClient, world: World) -> None:
    api = sign_in(client, world.alice.email, WORLD_PASSWORD)

    for q in ("", '"" ***', "x" * 501):
        answer = api.get("/search", params={"q": q})
        assert answer.status_code == 400, answer.text
        assert "q" in answer.json()["errors"]


def test_pages_follow_the_next_link(client: TestClient, world: World) -> None:
    for n in range(3):
        _note(world, f"Gasket {n}", "gasket")
    api = sign_in(client, world.alice.email, WORLD_PASSWORD)

    first = api.get("/search", params={"q": "gasket", "limit": "2"}).json()
    rest = client.get(first["next"], headers=api.headers).json()

    assert len(first["items"]) == 2 and len(rest["items"]) == 1 and rest["next"] is None
    assert "q=gasket" in first["next"]


def test_the_search_page_answers_the_header_box(client: TestClient, world: World) -> None:
    _note(world, "Thermal <b>results</b>", "Drift under 0.2 K")
    sign_in_page(client, world.alice.email, WORLD_PASSWORD)

    home = client.get("/").text
    page = client.get("/search", params={"q": "drift"}).text
    empty = client.get("/search").text
    bad = client.get("/search", params={"q": "***"})

    assert 'action="/search" role="search"' in home
    assert "Thermal &lt;b&gt;results&lt;/b&gt;" in page and "<mark>Drift</mark> under 0.2 K" in page
    assert "Results for" not in empty
    assert bad.status_code == 400 and "has no word to search for" in bad.text


def test_a_received_view_only_hit_carries_no_text_in_the_api_or_the_page(
    client: TestClient, world: World,
) -> None:
    own = _note(world, "Thermal test results", "Drift under 0.2 K at the calibration bench")
    made = disclosures.disclose(world.uow(), world.alice.id, DisclosureDraft(
        item_id=own, agreement_id=world.signed().id, recipients=["gina@globex.example"],
        actions=["view"]))

    api = sign_in(client, world.gina.email, WORLD_PASSWORD)
    answers = [api.get("/search", params={"q": q}).text for q in ("drift", "calibration", "bench")]
    [hit] = api.get("/search", params={"q": "bench"}).json()["items"]
    sign_in_page(client, world.gina.email, WORLD_PASSWORD)
    page = client.get("/search", params={"q": "calibration"}).text

    assert (hit["disclosure_id"], hit["snippet_html"], hit["found_in"]) == (made.id, "", "text")
    for answer in (*answers, page):
        assert not any(w in answer for w in ("under 0.2", "Drift", "calibration bench", "<mark>bench"))
    assert f'href="/disclosures/{made.id}"' in page and "found in its text" in page
    assert 'class="snippet"' not in page
