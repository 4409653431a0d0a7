"""Every list of the API pages in SQL: `next` leads through every row exactly once, in the
list's order, on SQLite and PostgreSQL; an old or forged `after` is a 400 naming it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from sharebound.domain.paging import encode_cursor
from tests.e2e.conftest import WORLD_PASSWORD, Api, sign_in
from tests.e2e.list_growth import GROW
from tests.integration.world import World


def walk(api: Api, path: str, limit: int) -> tuple[list[dict[str, Any]], int]:
    """Every row of a list, following `next` from a first page of `limit`; and how many pages."""
    seen: list[dict[str, Any]] = []
    pages = 0
    joiner = "&" if "?" in path else "?"
    link: str | None = f"{path}{joiner}limit={limit}"
    while link:
        answer = api.get(link)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        seen += body["items"]
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
    whole = api.get(f"{path}{'&' if '?' in path else '?'}limit=200").json()["items"]

    seen, pages = walk(api, path, 3)

    assert len(whole) >= 7
    assert [row["id"] for row in seen] == [row["id"] for row in whole]
    assert len({row["id"] for row in seen}) == len(seen)
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
