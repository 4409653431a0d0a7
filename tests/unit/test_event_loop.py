"""Routes that read, stamp or scan files are plain `def`s: FastAPI runs them in a worker
thread, so a long PDF (seconds of work for the content gate or the stamper) never stalls
the event loop, and with it every other request of the process."""

from __future__ import annotations

import importlib
import inspect

from fastapi.routing import APIRoute

crown_jewels, disclose, disclosures, items, trace = (
    importlib.import_module(f"sharebound.web.pages.{name}")
    for name in ("crown_jewels", "disclose", "disclosures", "items", "trace"))

# Each of these runs the content gate, stamps or renders a copy, or reads an uploaded file.
FILE_WORK = [
    (disclose.router, "/disclose/preview"), (disclose.router, "/disclose"),
    (items.router, "/items/{item_id}/edit"), (items.router, "/items/{item_id}/reclassify"),
    (items.router, "/reclassifications/{request_id}/approve"),
    (disclosures.router, "/disclosures/{disclosure_id}"),
    (disclosures.router, "/disclosures/{disclosure_id}/pages/{number}.png"),
    (disclosures.router, "/disclosures/{disclosure_id}/download"),
    (disclosures.router, "/disclosures/{disclosure_id}/revoke"),
    (trace.router, "/admin/trace"), (crown_jewels.router, "/admin/crown-jewels"),
    (crown_jewels.router, "/admin/crown-jewels/{term_id}/remove"),
]


def test_routes_that_do_file_or_gate_work_run_in_a_worker_thread() -> None:
    on_the_loop = sorted(
        route.path for router, path in FILE_WORK for route in router.routes
        if isinstance(route, APIRoute) and route.path == path and inspect.iscoroutinefunction(route.endpoint))

    assert on_the_loop == []


def test_every_listed_route_exists() -> None:
    missing = [path for router, path in FILE_WORK
               if not any(isinstance(r, APIRoute) and r.path == path for r in router.routes)]

    assert missing == []
