"""The home page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from sharebound.services import home as home_service
from sharebound.services import reshares
from sharebound.web.charts import flows_figure, partnerships_figure
from sharebound.web.pages.common import Session, Uow, render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, me: Session, uow: Uow) -> HTMLResponse:
    shared = reshares.guest_home(uow, me.person.id)
    if shared is not None:  # a representative's guest: only what was re-shared to them
        return render(request, "guest_home.html", me.person, me.csrf, shared=shared, now=uow.clock())
    found = home_service.home(uow, me.person.id)
    overview = found.give_and_take
    figures = [] if overview is None or not overview.rows else [
        partnerships_figure([(p.name, g.total) for p, g in overview.rows], me.person.org),
        flows_figure(overview.total, me.person.org)]
    return render(request, "home.html", me.person, me.csrf, home=found, now=uow.clock(), figures=figures)
