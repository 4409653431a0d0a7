"""The operator's endpoints and the request context (docs/deploy.md).

    /healthz   alive (web/app.py): the process answers; nothing else is checked
    /readyz    ready: database and blob store reachable, schema at the newest migration;
               200 with each check, or 503 naming the one that failed. No auth, no data.
    /metrics   Prometheus text: only with SHAREBOUND_METRICS=true, or with the bearer token
               SHAREBOUND_METRICS_TOKEN; else 404

`RequestContext` (outermost) gives every request an id (a sane `X-Request-ID` is kept, else
one is made), returns it as `X-Request-ID`, puts it on every log line of the request, counts
and times the request by its route template, and logs one line for it. `RouteNote`
(innermost) tells it which route answered.
"""

from __future__ import annotations

import hmac
import logging
import os
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sharebound.domain.errors import NotFound
from sharebound.logs import request_id
from sharebound.services import operations
from sharebound.services.metrics import instruments
from sharebound.web.deps import Uow, core

SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")  # why: no spaces or quotes reach a log line
NOTE = "sharebound.request"
log = logging.getLogger("sharebound.request")
router = APIRouter(include_in_schema=False)


@dataclass
class _Note:
    route: str = "unmatched"  # why a fixed label: an unknown path must not make a new series


class RouteNote:
    """Innermost: after routing, note the route template on the request's note."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            note, template = scope.get(NOTE), route_template(scope)
            if isinstance(note, _Note) and template:
                note.route = template


def route_template(scope: Scope) -> str | None:
    """The template of the route that answered (`/api/v1/items/{item_id}`), or None.

    FastAPI (0.16x) matches an included router's routes in place, so `scope["route"].path` is
    relative to the router's prefix; the whole template is on its effective route context.
    """
    context = scope.get("fastapi", {}).get("effective_route_context")
    whole = getattr(getattr(context, "starlette_route", None), "path_format", None) \
        or getattr(context, "path_format", None)
    if isinstance(whole, str) and whole:
        return whole
    route = scope.get("route")
    path = getattr(route, "path", None)
    return f"{scope.get('root_path', '')}{path}" if isinstance(path, str) and path else None


class RequestContext:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        asked = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = asked if SANE_ID.fullmatch(asked) else uuid.uuid4().hex
        token = request_id.set(rid)
        note, status = _Note(), 500
        scope[NOTE] = note
        started = time.perf_counter()

        async def tagged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*(h for h in message.get("headers", []) if h[0] != b"x-request-id"),
                                      (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, tagged)
        finally:
            seconds = time.perf_counter() - started
            method = scope["method"] if scope["method"] in _METHODS else "OTHER"
            metrics = instruments()
            metrics.requests.labels(method, note.route, str(status)).inc()
            metrics.latency.labels(method, note.route).observe(seconds)
            log.info("%s %s %s %.1f ms", method, note.route, status, seconds * 1000,
                     extra={"method": method, "route": note.route, "status": status,
                            "duration_ms": round(seconds * 1000, 1)})
            request_id.reset(token)


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@router.get("/readyz")
def ready(uow: Uow) -> JSONResponse:
    found = operations.readiness(uow)
    body: dict[str, Any] = {"status": "ready" if found.ready else "not ready",
                            "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in found.checks}}
    if not found.ready:
        body["failing"] = [c.name for c in found.checks if not c.ok]
    return JSONResponse(body, status_code=200 if found.ready else 503,
                        headers={"Cache-Control": "no-store"})


class _Backlog(Collector):
    def __init__(self, backlog: operations.Backlog) -> None:
        self.backlog = backlog

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield GaugeMetricFamily("sharebound_outbox_depth", "Deliveries waiting (pending or being sent)",
                                value=self.backlog.depth)
        yield GaugeMetricFamily("sharebound_outbox_oldest_age_seconds",
                                "How long the oldest waiting delivery has waited",
                                value=self.backlog.oldest_seconds)


@router.get("/metrics")
def metrics(request: Request, uow: Uow) -> Response:
    settings = core(request).settings
    if settings.metrics_token is not None:
        expected = f"Bearer {settings.metrics_token.get_secret_value()}".encode()
        given = request.headers.get("authorization", "").encode("latin-1", "replace")
        if not hmac.compare_digest(given, expected):  # why not Unauthenticated: pages redirect it to /login
            detail = "the metrics need Authorization: Bearer <SHAREBOUND_METRICS_TOKEN>"
            return JSONResponse({"title": "Unauthenticated", "status": 401, "detail": detail},
                                status_code=401, media_type="application/problem+json",
                                headers={"WWW-Authenticate": "Bearer"})
    elif not settings.metrics:
        raise NotFound("page", "/metrics")  # why as any unknown page: off means not there
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    backlog = CollectorRegistry()
    backlog.register(_Backlog(operations.outbox_backlog(uow)))
    return Response(generate_latest(registry) + generate_latest(backlog), media_type=CONTENT_TYPE_LATEST,
                    headers={"Cache-Control": "no-store"})
