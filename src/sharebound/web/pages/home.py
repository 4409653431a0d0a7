"""The home page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from sharebound.services import home as home_service
from sharebound.services import reshares
from sharebound.web.pages.common import Session, Uow, render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, me: Session, uow: Uow) -> HTMLResponse:
    shared = reshares.guest_home(uow, me.person.id)
    if shared is not None:  # a representative's guest: only what was re-shared to them
        return render(request, "guest_home.html", me.person, me.csrf, shared=shared, now=uow.clock())
    return render(request, "home.html", me.person, me.csrf, home=home_service.home(uow, me.person.id),
                  now=uow.clock())
