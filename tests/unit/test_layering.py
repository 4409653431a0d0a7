"""The layers hold: entry points → services → domain, with adapters behind the services.

Read from the source with `ast` (nothing is imported):
- web/ and cli never import adapters/ (only bootstrap builds them);
- services/ never import an entry point (web, cli, the worker process, bootstrap, demo);
- domain/ imports only domain/ and the standard library;
- no two modules import each other in a circle (module-level imports; those inside a function
  or under `if TYPE_CHECKING:` do not run at import time, so they do not count there).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Mapping
from importlib.util import find_spec
from pathlib import Path

_SPEC = find_spec("sharebound")  # why not `import sharebound`: the test reads, never runs, the code
assert _SPEC is not None and _SPEC.submodule_search_locations
PACKAGE = Path(next(iter(_SPEC.submodule_search_locations)))
ENTRY_POINTS = ("sharebound.web", "sharebound.cli", "sharebound.worker", "sharebound.bootstrap",
                "sharebound.demo", "sharebound.__main__")

Graph = Mapping[str, Iterable[tuple[str, bool]]]  # module -> (imported module, at module level)


def _module_name(path: Path) -> str:
    parts = ["sharebound", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.Module, module: str, is_package: bool, known: set[str]) -> list[tuple[str, bool]]:
    """Every import of the module: (imported module, whether it runs at import time)."""
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        if isinstance(node, ast.Import):
            found.extend((alias.name, top) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.append((child if child in known else base, top))
        elif isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.body:  # a layer rule holds for types too, but they never run
                visit(child, False)
            for child in node.orelse:
                visit(child, top)
            return
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            top = False
        for child in ast.iter_child_nodes(node):
            visit(child, top)

    visit(tree, True)
    return found


def import_graph() -> dict[str, list[tuple[str, bool]]]:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}
    known = set(paths)
    return {name: _imports(ast.parse(path.read_text(encoding="utf-8")), name,
                           path.name == "__init__.py", known)
            for name, path in sorted(paths.items())}


def _within(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def wrong_imports(graph: Graph) -> list[str]:
    """Every import that crosses a layer the wrong way, as `importer -> imported: why`."""
    wrong: list[str] = []
    for module, imports in graph.items():
        for imported, _ in imports:
            entry = _within(module, "sharebound.web", "sharebound.cli")
            if entry and _within(imported, "sharebound.adapters"):
                wrong.append(f"{module} -> {imported}: web and cli reach adapters only through services")
            if _within(module, "sharebound.services") and _within(imported, *ENTRY_POINTS):
                wrong.append(f"{module} -> {imported}: services never import an entry point")
            if _within(module, "sharebound.domain") and not (
                    _within(imported, "sharebound.domain")
                    or imported.split(".")[0] in sys.stdlib_module_names or imported == "__future__"):
                wrong.append(f"{module} -> {imported}: the domain imports only itself and the stdlib")
    return wrong


def import_cycles(graph: Graph) -> list[list[str]]:
    """The circles of module-level imports between our modules (Tarjan's strongly connected
    components of more than one module, or a module importing itself)."""
    edges = {m: sorted({i for i, top in imports if top and i in graph}) for m, imports in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges[node]:
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in edges[node]:
                cycles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return cycles


def test_the_graph_sees_every_layer() -> None:
    graph = import_graph()

    assert {"sharebound.cli", "sharebound.bootstrap", "sharebound.worker", "sharebound.services.common",
            "sharebound.domain.events", "sharebound.web.pages.common"} <= set(graph)
    assert ("sharebound.services.unit_of_work", True) in graph["sharebound.services.common"]


def test_no_import_crosses_a_layer_the_wrong_way() -> None:
    assert wrong_imports(import_graph()) == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    assert import_cycles(import_graph()) == []


def test_a_page_importing_a_repository_is_caught() -> None:
    graph = {"sharebound.web.pages.x": [("sharebound.adapters.db.repositories.auth", False)]}

    assert wrong_imports(graph) == ["sharebound.web.pages.x -> sharebound.adapters.db.repositories.auth: "
                                    "web and cli reach adapters only through services"]


def test_a_service_importing_bootstrap_or_the_worker_process_is_caught() -> None:
    graph = {"sharebound.services.x": [("sharebound.bootstrap", True), ("sharebound.worker", False)]}

    assert len(wrong_imports(graph)) == 2


def test_the_domain_importing_sqlalchemy_or_a_service_is_caught() -> None:
    graph = {"sharebound.domain.x": [("sqlalchemy", True), ("sharebound.services.common", True),
                                     ("datetime", True), ("sharebound.domain.ids", True)]}

    assert [w.split(":")[0] for w in wrong_imports(graph)] == [
        "sharebound.domain.x -> sqlalchemy", "sharebound.domain.x -> sharebound.services.common"]


def test_a_circle_is_caught_but_an_import_inside_a_function_breaks_it() -> None:
    circle = {"a": [("b", True)], "b": [("c", True)], "c": [("a", True)], "d": [("a", True)]}
    broken = {"a": [("b", True)], "b": [("a", False)]}

    assert import_cycles(circle) == [["a", "b", "c"]]
    assert import_cycles(broken) == []
