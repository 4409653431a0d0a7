"""create_app(settings): the ASGI app. Stateless between requests: run as many as you like."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.routing import BaseRoute

from sharebound import __version__, bootstrap, logs
from sharebound.config import Settings
from sharebound.services.metrics import instruments
from sharebound.web import api, pages, problems
from sharebound.web.api.transparency import well_known
from sharebound.web.idempotency import Idempotency
from sharebound.web.operations import RequestContext, RouteNote
from sharebound.web.operations import router as operations_router
from sharebound.web.proxies import TrustedProxies, parse_trusted
from sharebound.web.routing import gated
from sharebound.web.scim import router as scim_router
from sharebound.web.security import BodyLimit, SecurityHeaders
from sharebound.web.views import ProblemOut

STATIC = Path(__file__).parent / "static"
# Swagger UI's files ship inside the fastapi-offline package: nothing is fetched from a CDN.
SWAGGER = Path(str(files("fastapi_offline"))) / "static"

DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sharebound API</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script></body></html>"""


def create_app(settings: Settings | None = None, *, core: bootstrap.App | None = None) -> FastAPI:
    """The app over `core` (built from `settings` when not given)."""
    core = core or bootstrap.build(settings or Settings())
    app = FastAPI(
        title="Sharebound API", version=__version__,
        summary="Share with partners within the boundaries of the NDA you signed.",
        openapi_url="/api/v1/openapi.json", docs_url=None, redoc_url=None,
    )
    app.state.core = core
    _declare_problem_schema(app)
    problems.install(app)
    app.router.routes.extend(gated(_routes()))
    if core.settings.log_format == "json":
        logs.configure("json")
    instruments()  # why now: every metric is listed from the first scrape, at zero
    app.add_middleware(RouteNote)  # innermost: sees the route the router chose
    app.add_middleware(Idempotency, core=core)  # inside BodyLimit: the bodies it reads are bounded
    app.add_middleware(BodyLimit, json_limit=core.settings.max_json_bytes,
                       upload_limit=core.settings.max_upload_bytes,
                       drain=core.settings.max_discard_bytes)
    app.add_middleware(SecurityHeaders)
    trusted = parse_trusted(core.settings.trusted_proxies)
    if trusted:  # why last: outermost, so that every layer below sees the real scheme and client
        app.add_middleware(TrustedProxies, trusted=trusted)
    app.add_middleware(RequestContext)  # outermost: every answer has a request id, is counted and logged
    return app


@cache
def _routes() -> tuple[BaseRoute, ...]:
    """Every route of the app, made once per process and shared by the apps it builds.

    why: FastAPI analyses each route's parameters and dependencies when an app first routes a
    request (about a second for our ~230 routes) and keeps the analysis on the included routers;
    sharing them makes each further app (one per test, or per `core`) free. Routes hold no state
    of an app: the core is found at `request.app.state.core`.
    """
    shared = APIRouter()

    @shared.get("/healthz", include_in_schema=False)
    async def health() -> dict[str, str]:  # why first, and async: probes call it often
        return {"status": "ok"}

    api.include(shared)
    shared.include_router(well_known)
    pages.include(shared)
    shared.include_router(scim_router)
    shared.include_router(operations_router)
    shared.mount("/static/swagger", StaticFiles(directory=SWAGGER), name="swagger")
    shared.mount("/static", StaticFiles(directory=STATIC), name="static")

    @shared.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)

    return tuple(shared.routes)


def _declare_problem_schema(app: FastAPI) -> None:
    """Put ProblemOut into the OpenAPI components, where PROBLEM_RESPONSES point."""
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, summary=app.summary,
                                 routes=_routes())  # why not app.routes: the gates hide them
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            problem = ProblemOut.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(problem.pop("$defs", {}))
            components["ProblemOut"] = problem
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
