"""How each paged list of the API grows by `n` rows, who reads it, and its order: shared by
the page-through tests and the statement counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.integration.world import World


def by_time_then_id(row: dict[str, Any]) -> tuple[str, str]:
    return (row["created_at"], row["id"])


@dataclass(frozen=True)
class Growth:
    reader: str  # the email of who reads the list
    path: Callable[[World, Any], str]  # the list's API path (without /api/v1)
    grow: Callable[[World, Any, int], None]  # add `n` rows to it
    prepare: Callable[[World], Any] = lambda world: None  # what the list needs first (its context)
    sort_key: Callable[[dict[str, Any]], Any] = by_time_then_id
    newest_first: bool = True


def _items(world: World, _: Any, n: int) -> None:
    for k in range(n):
        world.note(by=world.alice, body=f"Note {k}")
        if k % 2:  # why: some rows share a time (the id breaks the tie), some do not
            world.app.clock.advance(seconds=1)  # type: ignore[attr-defined]


GROW: dict[str, Growth] = {
    "items": Growth(reader="alice@acme.example", path=lambda w, _: "/items", grow=_items,
                    newest_first=False),
}
