"""What routes depend on: the core app, a unit of work, the signed-in person, paging."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sharebound.bootstrap import App
from sharebound.domain.errors import Unauthenticated
from sharebound.domain.esign import Client
from sharebound.domain.orgs import Person
from sharebound.services import auth
from sharebound.services.unit_of_work import UnitOfWork

bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/token.")


def core(request: Request) -> App:
    app: App = request.app.state.core
    return app


# why `async def` for the dependencies that do no I/O: FastAPI runs a plain `def` one in its
# thread pool, a hop to another thread and back for each, several per request.
async def core_of(request: Request) -> App:
    return core(request)


async def unit_of_work(request: Request) -> UnitOfWork:
    return core(request).uow()


def current_person(
    uow: Annotated[UnitOfWork, Depends(unit_of_work)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Person:
    if credentials is None:
        raise Unauthenticated("sign in: send Authorization: Bearer <token>")
    return auth.authenticate(uow, credentials.credentials)


async def client_of(request: Request) -> Client:
    """Where the request came from: the client address (the real one behind trusted proxies,
    web/proxies.py) and the user agent it sent."""
    return Client(address=request.client.host if request.client else "unknown",
                  user_agent=request.headers.get("user-agent", "")).clipped()


Uow = Annotated[UnitOfWork, Depends(unit_of_work)]
Core = Annotated[App, Depends(core_of)]
From = Annotated[Client, Depends(client_of)]
Me = Annotated[Person, Depends(current_person)]
