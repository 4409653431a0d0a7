"""Paging for every list of the API and the pages: `?limit=&after=` in, a page with its
`next` cursor and link out. A bad `limit` or `after` is a 400 naming it (`BadPageRequest`).

Every list is read in SQL: the route takes the `PageRequest` to its service (keyset pages,
see docs/api.md) and answers what it found with `Paging.out`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar
from urllib.parse import quote

from fastapi import Depends, Query, Request
from pydantic import BaseModel

from sharebound.domain import paging as domain
from sharebound.domain.errors import BadPageRequest
from sharebound.domain.limits import PAGE_DEFAULT, PAGE_MAX
from sharebound.domain.paging import PageRequest, decode_cursor, parse_page_request

T = TypeVar("T")
V = TypeVar("V")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next: str | None = None  # the link to the next page (this request with `after`), or null at the end
    next_cursor: str | None = None  # the `after` of the next page (the same cursor as in `next`)


@dataclass(frozen=True)
class Paging:
    request: PageRequest
    path: str  # the request's path and query, to link the next page from
    query: dict[str, str]

    def link(self, cursor: str, name: str = "after") -> str:
        others = {k: v for k, v in self.query.items() if k not in {"after", "before", "cursor"}}
        others[name] = cursor
        return self.path + "?" + "&".join(f"{k}={_quote(v)}" for k, v in others.items())

    def out(self, found: domain.Page[V], convert: Callable[[V], T]) -> Page[T]:
        """A keyset page (read in SQL) as the API answers it."""
        return Page[T](items=[convert(v) for v in found.rows], next_cursor=found.after,
                       next=self.link(found.after) if found.after else None)


def _quote(value: str) -> str:
    return quote(value, safe="")


async def paging(  # why async: no I/O, so no hop to the thread pool (web/deps.py)
    request: Request,
    limit: Annotated[str | None, Query(
        description=f"How many per page: 1 to {PAGE_MAX} (default {PAGE_DEFAULT}).")] = None,
    after: Annotated[str | None, Query(
        description="`next_cursor` of the previous page: the page after it.")] = None,
    cursor: Annotated[str | None, Query(description="The former name of `after` (still taken).",
                                        deprecated=True)] = None,
) -> Paging:
    parsed = parse_page_request(limit, after or None)
    if cursor and not after:
        parsed = PageRequest(limit=parsed.limit, after=decode_cursor(cursor, "cursor"))
    return Paging(request=parsed, path=request.url.path, query=dict(request.query_params))


PagingOf = Annotated[Paging, Depends(paging)]


def page_request(after: str, before: str, prefix: str, limit: int | None = None) -> PageRequest:
    """A page's own `<prefix>_after` / `<prefix>_before` links ("older" and "newer", which work
    without JavaScript), checked as the API's are, errors named as the page's parameters;
    `limit` rows a page (the API's default when not given)."""
    try:
        return parse_page_request(limit, after or None, before or None)
    except BadPageRequest as bad:
        raise BadPageRequest({f"{prefix}_{name}": why for name, why in bad.errors.items()}) from None
