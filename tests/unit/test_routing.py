"""web/routing.py: a gate skips an included router only when none of its routes could match,
so the gated app routes every request as the nested one does, only cheaper."""

from __future__ import annotations

import copy
import re

from fastapi.routing import iter_route_contexts
from hypothesis import given
from hypothesis import strategies as st
from starlette.types import Scope

from sharebound.web.app import _routes
from sharebound.web.routing import Gate, gated, literal_starts

GATES = [route for route in gated(_routes()) if isinstance(route, Gate)]
TEMPLATES = sorted({context.path for context in iter_route_contexts(list(_routes())) if context.path})


def _scope(path: str, method: str = "GET") -> Scope:
    return {"type": "http", "method": method, "path": path, "root_path": "", "query_string": b"",
            "headers": []}


def _filled(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "x1", template)


def _skips_only_what_cannot_match(path: str, method: str = "GET") -> None:
    for gate in GATES:
        gated_match, _ = gate.matches(_scope(path, method))
        inner_match, _ = gate.route.matches(_scope(path, method))
        assert gated_match == inner_match, (path, method, gate.starts)


def test_every_included_router_is_gated_and_the_api_and_pages_one_by_one() -> None:
    assert len(GATES) > 40  # why: 28 API resources and 24 page modules, each its own gate
    assert all(gate.starts for gate in GATES)
    api = [gate for gate in GATES if all(s.startswith("/api/v1/") for s in gate.starts)]
    assert len(api) >= 25


def test_every_route_of_the_app_is_matched_as_without_gates() -> None:
    assert len(TEMPLATES) > 150
    for template in TEMPLATES:
        path = _filled(template)
        for variant in (path, path + "/", path.rstrip("/") or "/"):
            for method in ("GET", "POST", "DELETE"):
                _skips_only_what_cannot_match(variant, method)


PIECES = sorted({piece for template in TEMPLATES for piece in _filled(template).split("/") if piece})


@given(st.lists(st.sampled_from([*PIECES, "api", "v1", "nothing", ""]), max_size=6),
       st.sampled_from(["GET", "POST", "PUT", "DELETE"]))
def test_paths_made_of_the_routes_pieces_are_matched_as_without_gates(pieces: list[str], method: str) -> None:
    _skips_only_what_cannot_match("/" + "/".join(pieces), method)


def test_the_literal_starts_keep_only_the_shortest_of_nested_prefixes() -> None:
    class Context:
        def __init__(self, path: str) -> None:
            self.path = path

    found = literal_starts([Context("/api/v1/items/{id}"), Context("/api/v1/items"), Context("/library")])

    assert found == ("/api/v1/items", "/library")
    assert literal_starts([Context("/a"), Context("")]) == ()  # a route without a path: never skipped


def test_a_gate_shows_the_router_inside_and_copies_as_a_gate() -> None:
    gate = GATES[0]

    assert gate.original_router is gate.route.original_router  # type: ignore[attr-defined]
    copied = copy.copy(gate)
    assert isinstance(copied, Gate) and copied.route is gate.route and copied.starts == gate.starts
