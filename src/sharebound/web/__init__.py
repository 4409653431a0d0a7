"""The web entry point: the JSON API under /api/v1 (api/) and the HTML pages (pages/).

    app.py          create_app(settings or core): routers, middleware, error handlers
    api/            one router per resource; each route one or two lines calling one use case
    pages/          server-rendered forms; a page renders one read model (services/pages);
                    each once-only form's POST writes in one transaction (pages/common.FormUow)
    deps.py         the App, the unit of work, the signed-in person, paging
    schemas.py      request bodies; views.py response bodies
    problems.py     errors as RFC 9457 problems (each error class carries its status)
    security.py     headers, body limits; proxies.py trusted proxies; idempotency.py keys
    uploads.py, downloads.py   what the API and pages share about files in and out
    server.py       `sharebound serve`: uvicorn with limits

Routes translate HTTP to the use cases in services/ and back; they never import adapters/
(tests/unit/test_layering.py)."""

from sharebound.web.app import create_app

__all__ = ["create_app"]
