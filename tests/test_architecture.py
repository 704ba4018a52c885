"""The layers of ARCHITECTURE.md, checked on the source: one direction of imports, no cycles.

The import graph is read from the source with `ast` (nothing is imported), imports inside
functions included: a hidden import is still a dependency. An edge goes from a module to the
module it names (``from a.b import c`` names ``a.b.c`` when that is a module, else ``a.b``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("centre", "forecast", "staffing", "sampledata", "planner", "app_support")
#: what each layer may import of the first-party packages (itself always)
ALLOWED = {
    "centre": set(),
    "forecast": {"centre"},
    "staffing": {"centre", "forecast"},
    "sampledata": {"centre", "forecast", "staffing"},
    "planner": {"centre", "forecast", "staffing", "sampledata"},
    "app_support": {"centre", "forecast", "staffing", "sampledata", "planner"},
}
#: third-party packages the pure layers must not touch (UI, files as a service, databases)
FORBIDDEN_IN_PURE = {"streamlit", "sqlalchemy", "alembic", "psycopg", "openpyxl", "xlsxwriter"}
PURE = ("centre", "forecast", "staffing")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:  # alembic scripts, run by alembic
                continue
            found[_module_name(path)] = path
    for path in [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]:
        found[_module_name(path)] = path
    return found


MODULES = _modules()


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    is_package = MODULES.get(module, Path()).name == "__init__.py"
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _imports(module: str, path: Path) -> set[str]:
    """Every module ``module`` imports, anywhere in its source."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in MODULES else target)
    return out


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _top(name: str) -> str:
    return name.split(".")[0]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_graph_is_read():
    # the checks below mean something only if the graph holds the real edges
    assert "staffing.erlang" in GRAPH["staffing.requirements"]
    assert "planner.io.exports" in GRAPH["planner.pipeline"]
    assert "staffing.erlang" in GRAPH["staffing.kpi"]  # imported inside a function
    assert len(MODULES) > 80


def test_cycle_finder_finds_a_planted_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles_between_modules():
    assert _cycles(GRAPH) == []


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layers_import_only_downwards(layer):
    first_party = set(PACKAGES) | {"app", "app_pages"}
    wrong = sorted(
        f"{module} -> {target}"
        for module, targets in GRAPH.items()
        if _top(module) == layer
        for target in targets
        if _top(target) in first_party
        and _top(target) != layer
        and _top(target) not in ALLOWED[layer]
    )
    assert wrong == []


@pytest.mark.parametrize("layer", PURE)
def test_pure_layers_touch_no_ui_files_or_databases(layer):
    wrong = sorted(
        f"{module} -> {target}"
        for module, targets in GRAPH.items()
        if _top(module) == layer
        for target in targets
        if _top(target) in FORBIDDEN_IN_PURE
    )
    assert wrong == []


def test_forecast_and_staffing_do_not_import_each_other_both_ways():
    def edges(src: str, dst: str) -> list[str]:
        return sorted(
            f"{m} -> {t}" for m, ts in GRAPH.items() if _top(m) == src for t in ts if _top(t) == dst
        )

    assert not (edges("forecast", "staffing") and edges("staffing", "forecast"))
    assert edges("forecast", "staffing") == []
