"""Routing that costs what the routes a path can reach cost, not what all ~230 cost.

FastAPI keeps each included router nested and, for every request, tries the routes of every
router before the one that matches, twice (once to match, once more to handle). `gated` puts
each included router behind a test of how the path starts: a router none of whose routes can
match the path is skipped with one `str.startswith`. The routes, their order and what they
answer are unchanged: a route's path can match only a request path that begins with the
literal part of its template (what comes before its first `{`), so the skipped routers could
not have matched, fully or partly (a wrong method), nor after a slash is added or removed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from fastapi.routing import iter_route_contexts
from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match
from starlette.types import Receive, Scope, Send


class Gate(BaseRoute):
    """`route` (an included router), tried only for paths that start with one of `starts`."""

    def __init__(self, route: BaseRoute, starts: tuple[str, ...]) -> None:
        self.route = route
        self.starts = starts

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] in ("http", "websocket") and not get_route_path(scope).startswith(self.starts):
            return Match.NONE, {}
        return self.route.matches(scope)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.route.handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        return self.route.url_path_for(name, **path_params)

    def __getattr__(self, name: str) -> Any:
        # why: whoever walks the app's routes (a test listing them) sees the router inside;
        # `route` itself is never delegated (a copy has none until its state is set)
        if name == "route":
            raise AttributeError(name)
        return getattr(self.route, name)


def gated(routes: Sequence[BaseRoute]) -> list[BaseRoute]:
    """`routes` with each included router (anything that holds several routes) behind its
    `Gate`; single routes and mounts are cheap to try and stay as they are."""
    found: list[BaseRoute] = []
    for route in routes:
        starts = literal_starts(iter_route_contexts([route])) if hasattr(route, "original_router") else ()
        found.append(Gate(route, starts) if starts else route)
    return found


def literal_starts(contexts: Iterable[Any]) -> tuple[str, ...]:
    """The literal beginnings of the contexts' path templates, none a prefix of another; ()
    when one has no path (then nothing may be skipped)."""
    starts: list[str] = []
    for context in contexts:
        path = context.path
        if not path:
            return ()
        starts.append(path.split("{", 1)[0])
    kept: list[str] = []
    for start in sorted(set(starts)):  # why sorted: a prefix sorts before what it begins
        if not any(start.startswith(shorter) for shorter in kept):
            kept.append(start)
    return tuple(kept)
