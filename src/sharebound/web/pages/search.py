"""The search page: the header's search box leads here (docs/pages.md)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from sharebound.domain.errors import BadPageRequest, BadSearchQuery
from sharebound.domain.paging import parse_page_request
from sharebound.services import search
from sharebound.web.pages.common import Session, Uow, render

router = APIRouter(include_in_schema=False)


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, me: Session, uow: Uow, q: str = "", after: str = "") -> Response:
    """An empty box shows the box only; a query that names nothing is said next to it (400)."""
    if not q.strip():
        return render(request, "search.html", me.person, me.csrf, q=q, results=None, error="")
    try:
        found = search.search(uow, me.person.id, q, parse_page_request(None, after or None))
    except (BadSearchQuery, BadPageRequest) as bad:
        return render(request, "search.html", me.person, me.csrf, q=q, results=None,
                      error=bad.why(), status_code=400)
    hits = [(hit, Markup(hit.title_html), Markup(hit.snippet_html))  # noqa: S704  why: built escaped (domain/search.py)
            for hit in found.page.rows]
    more = "/search?" + urlencode({"q": q, "after": found.page.after}) if found.page.after else ""
    return render(request, "search.html", me.person, me.csrf, q=q, results=found, hits=hits,
                  more=more, error="")
