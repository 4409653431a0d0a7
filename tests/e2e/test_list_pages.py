"""Every list of the API pages in SQL: `next` leads through every row exactly once, in the
list's order, on SQLite and PostgreSQL; an old or forged `after` is a 400 naming it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from sharebound.domain.paging import encode_cursor
from tests.e2e.conftest import WORLD_PASSWORD, Api, sign_in, sign_in_page
from tests.e2e.list_growth import GROW
from tests.e2e.test_statement_counts import _grow, _grow_back
from tests.integration.world import World


def walk(api: Api, path: str, limit: int, rows: str = "items") -> tuple[list[dict[str, Any]], int]:
    """Every row of a list, following `next` from a first page of `limit`; and how many pages."""
    seen: list[dict[str, Any]] = []
    pages = 0
    joiner = "&" if "?" in path else "?"
    link: str | None = f"{path}{joiner}limit={limit}"
    while link:
        answer = api.get(link)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        seen += body[rows]
        pages += 1
        assert pages < 50, "next never ends"
        link = body["next"] and body["next"].removeprefix("/api/v1")
    return seen, pages


@pytest.mark.parametrize("name", sorted(GROW))
def test_next_leads_through_every_row_of_the_list_once_in_its_order(
    client: TestClient, world: World, name: str,
) -> None:
    growth = GROW[name]
    context = growth.prepare(world)
    growth.grow(world, context, 7)
    api = sign_in(client, growth.reader, WORLD_PASSWORD)
    path = growth.path(world, context)
    whole = api.get(f"{path}{'&' if '?' in path else '?'}limit=200").json()[growth.rows]

    seen, pages = walk(api, path, 3, growth.rows)

    assert len(whole) >= 7
    assert [row[growth.id] for row in seen] == [row[growth.id] for row in whole]
    assert len({row[growth.id] for row in seen}) == len(seen)
    assert pages == -(-len(whole) // 3)
    assert seen == sorted(seen, key=growth.sort_key, reverse=growth.newest_first)


@pytest.mark.parametrize("name", sorted(GROW))
@pytest.mark.parametrize("cursor", [
    "not-a-cursor", "AQ", "A" * 300,
    encode_cursor(("forged",)),  # a well-formed cursor of another shape
    encode_cursor((3,)),  # the position cursors these lists gave before they paged in SQL
])
def test_an_old_or_forged_cursor_is_a_400_naming_after(
    client: TestClient, world: World, name: str, cursor: str,
) -> None:
    growth = GROW[name]
    context = growth.prepare(world)
    api = sign_in(client, growth.reader, WORLD_PASSWORD)
    path = growth.path(world, context)

    answer = api.get(f"{path}{'&' if '?' in path else '?'}after={cursor}")

    assert answer.status_code == 400, answer.text
    assert list(answer.json()["errors"]) == ["after"]


def test_the_partnership_page_continues_its_requests_and_feed_where_a_cursor_says(
    client: TestClient, world: World,
) -> None:
    for name in ("requests", "messages"):
        GROW[name].grow(world, None, 6)
    grace = sign_in(client, "grace@globex.example", WORLD_PASSWORD)
    p = world.partnership.id
    asked = grace.get(f"/partnerships/{p}/requests?limit=2").json()
    feed = grace.get(f"/partnerships/{p}/messages?limit=2").json()
    browser = sign_in_page(TestClient(client.app, base_url="http://testserver"), "grace@globex.example",
                           WORLD_PASSWORD)

    whole = browser.get(f"/partnerships/{p}").text
    later = browser.get(
        f"/partnerships/{p}?requests_after={asked['next_cursor']}&feed_after={feed['next_cursor']}")
    forged = browser.get(f"/partnerships/{p}?feed_after=AQ")

    assert all(r["title"] in whole for r in asked["items"]) and "From the top" not in whole
    assert later.status_code == 200 and later.text.count("From the top") == 2
    assert not any(f">{r['title']}</a>" in later.text for r in asked["items"])
    assert not any(f"<p>{m['body']}</p>" in later.text for m in feed["items"])
    assert "Message 4" in later.text and "Request 4" in later.text  # a thread and a request further on
    assert forged.status_code == 400 and "feed_after" in forged.text


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_the_partnership_page_shows_the_newest_25_each_way_and_older_leads_through_the_rest(
    client: TestClient, world: World,
) -> None:
    agreement = world.signed()
    _grow(world, agreement.id, 30)
    _grow_back(world, agreement.id, 27)
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    gave = [d["id"] for d in alice.get("/disclosures?direction=given&limit=100").json()["items"]]
    got = [d["id"] for d in alice.get("/disclosures?direction=received&limit=100").json()["items"]]
    browser = sign_in_page(TestClient(client.app, base_url="http://testserver"), "alice@acme.example",
                           WORLD_PASSWORD)

    first = browser.get(f"/partnerships/{world.partnership.id}")
    older = _follow(browser, first.text, "given pages", "next")
    both = _follow(browser, older.text, "received pages", "next")
    back = _follow(browser, both.text, "given pages", "prev")

    assert (len(gave), len(got)) == (30, 27)
    assert _shown(first.text, gave) == gave[:25] and _shown(first.text, got) == got[:25]
    assert _shown(older.text, gave) == gave[25:] and _shown(older.text, got) == got[:25]
    assert _shown(both.text, gave) == gave[25:] and _shown(both.text, got) == got[25:]
    assert _shown(back.text, gave) == gave[:25] and _shown(back.text, got) == got[25:]


def _shown(html: str, ids: list[str]) -> list[str]:
    """Those of `ids` the page links to, in the page's order."""
    return sorted((i for i in ids if f'href="/disclosures/{i}"' in html), key=lambda i: html.index(i))


def _follow(browser: TestClient, html: str, pager: str, rel: str) -> Any:
    """The page a register's "Older" (`next`) or "Newer" (`prev`) link leads to."""
    nav = html[html.index(f'aria-label="{pager}"'):]
    link = nav[nav.index(f'rel="{rel}" href="') + len(f'rel="{rel}" href="'):]
    answer = browser.get(link[:link.index('"')].replace("&amp;", "&"))
    assert answer.status_code == 200, answer.text
    return answer
