"""Search over what the caller may see: their org's library and what they may read of what
they received (docs/library.md#search)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from sharebound.services import search
from sharebound.services.search import Hit
from sharebound.web.deps import Me, Uow
from sharebound.web.paging import Page, PagingOf

router = APIRouter(tags=["search"])


class SearchHitOut(BaseModel):
    item_id: str
    disclosure_id: str | None  # set when the hit is a disclosure the caller received
    owner: str  # the organization the information is from
    kind: str
    title: str
    classification: str
    topics: list[str]
    version: int  # the version found: the current one of an own item, the disclosed one otherwise
    title_html: str  # the title as escaped HTML, the words found in <mark>
    # an own item's text around the first word found, the same way; always "" for a received
    # disclosure: its text is read on its page, under its access record (docs/library.md#search)
    snippet_html: str
    found_in: Literal["text", "title_or_topics"]  # where the words were found
    url: str  # the item (own) or the disclosure (received) in this API

    @classmethod
    def of(cls, hit: Hit) -> SearchHitOut:
        url = (f"/api/v1/disclosures/{hit.disclosure_id}" if hit.disclosure_id
               else f"/api/v1/items/{hit.item_id}")
        return cls(item_id=hit.item_id, disclosure_id=hit.disclosure_id, owner=hit.owner,
                   kind=hit.kind.value, title=hit.title, classification=hit.classification.value,
                   topics=sorted(hit.topics), version=hit.version, title_html=hit.title_html,
                   snippet_html=hit.snippet_html,
                   found_in="text" if hit.found_in_text else "title_or_topics", url=url)


class SearchPage(Page[SearchHitOut]):
    query: str  # the query as it was understood: its words and "phrases"


@router.get("/search", response_model=SearchPage)
def search_route(
    me: Me, uow: Uow, paging: PagingOf,
    q: Annotated[str, Query(description=(
        'Words and "quoted phrases"; a result has them all, in its title, topics or text.'))] = "",
) -> SearchPage:
    """Search your organization's library and what you received and may read now, best first."""
    found = search.search(uow, me.id, q, paging.request)
    page = paging.out(found.page, SearchHitOut.of)
    return SearchPage(items=page.items, next=page.next, next_cursor=page.next_cursor, query=found.query)
