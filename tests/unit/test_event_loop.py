"""No route does its work on the event loop: every API and page route is a plain `def`, which
FastAPI runs in a worker thread, so that a sign-in's password hash, a long PDF for the content
gate, a stamp or a slow database write never stalls every other request of the process. The
routes that read the request body themselves (an item's and an NDA's upload) are `async`, and
hand the use case to a worker thread (`run_in_threadpool`)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from fastapi.routing import APIRoute

from sharebound.web import api, pages

# why these: they parse the body themselves (JSON or a multipart upload) before the use case
READ_THE_BODY = {"sharebound.web.api.items.add_item", "sharebound.web.pages.items.add_item",
                 "sharebound.web.api.uploaded_ndas.upload", "sharebound.web.pages.uploaded_ndas.upload",
                 "sharebound.web.api.uploads.upload_many", "sharebound.web.api.uploads.import_zip",
                 "sharebound.web.pages.library.upload_files", "sharebound.web.pages.library.import_zip"}


def _endpoints() -> dict[str, object]:
    found = {}
    for package in (api, pages):
        for module in pkgutil.iter_modules(package.__path__):
            router = getattr(importlib.import_module(f"{package.__name__}.{module.name}"), "router", None)
            for route in getattr(router, "routes", []):
                if isinstance(route, APIRoute):
                    found[f"{route.endpoint.__module__}.{route.endpoint.__name__}"] = route.endpoint
    return found


def test_every_route_runs_in_a_worker_thread_but_those_that_read_the_body() -> None:
    endpoints = _endpoints()

    on_the_loop = {name for name, endpoint in endpoints.items() if inspect.iscoroutinefunction(endpoint)}

    assert len(endpoints) > 100  # why: every router was found
    assert on_the_loop == READ_THE_BODY


def test_the_routes_that_read_the_body_hand_the_use_case_to_a_worker_thread() -> None:
    for name in READ_THE_BODY:
        module = importlib.import_module(name.rsplit(".", 1)[0])
        assert "await run_in_threadpool(" in inspect.getsource(module)
