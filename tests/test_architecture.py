"""Imports point one way (docs/architecture.md, "Apps and their dependencies").

The packages stand in layers, from the ground up::

    common ← blocs ← scoring ← awards ← reports ← notifications ← portal ← accounts ← demo, thidua

A module may import its own package and any package below it, never one above. The one
documented exception: the services of ``scoring`` and ``awards`` call ``notifications.events``
once per state transition (it records ids and delivers after the commit), so those two may
import that module, and nothing else of ``notifications``.

And no two modules import each other, directly or round a longer loop.

Every import counts: at the top of a module, inside a function, or under ``TYPE_CHECKING``.
The checks read the syntax tree, so no module is imported to run them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS: tuple[tuple[str, ...], ...] = (
    ("common",),
    ("blocs",),
    ("scoring",),
    ("awards",),
    ("reports",),
    ("notifications",),
    ("portal",),
    ("accounts",),
    ("demo", "thidua"),
)
LEVEL = {package: level for level, packages in enumerate(LAYERS) for package in packages}
# (importing package, imported module) → why it may point upwards. Keep it short.
UPWARD_ALLOWED = {
    ("scoring", "notifications.events"): "a state transition records its notification",
    ("awards", "notifications.events"): "a state transition records its notification",
}
SKIPPED_PARTS = {"migrations", "__pycache__"}


def modules() -> dict[str, Path]:
    """Dotted module name → file, for every module of the project's packages."""
    found = {}
    for package in LEVEL:
        for path in sorted((ROOT / package).rglob("*.py")):
            if SKIPPED_PARTS & set(path.relative_to(ROOT).parts):
                continue
            dotted = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[dotted.removesuffix(".__init__")] = path
    return found


MODULES = modules()


def imported_names(module: str, path: Path) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of everything the module imports, relative imports resolved."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".") if is_package else module.split(".")[:-1]
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            # ``from a import b`` imports a.b when b is a module, else a name of a.
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def project_module(name: str) -> str | None:
    """The project module a dotted name refers to (a name inside a module counts as the
    module), or None for a name outside the project."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> dict[str, dict[str, int]]:
    """Module → {imported project module: the first line importing it}."""
    graph: dict[str, dict[str, int]] = {}
    for module, path in MODULES.items():
        edges: dict[str, int] = {}
        for line, name in imported_names(module, path):
            target = project_module(name)
            # A module's own package (its __init__) is where it lives, not a dependency.
            if target and target != module and not module.startswith(f"{target}."):
                edges.setdefault(target, line)
        graph[module] = edges
    return graph


GRAPH = import_graph()


def test_the_layers_name_every_package_of_the_project() -> None:
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests", "node_modules"}
    }
    assert packages == set(LEVEL), "a new package needs its place in LAYERS and in the docs"


@pytest.mark.parametrize("package", sorted(LEVEL))
def test_no_import_points_upwards(package: str) -> None:
    wrong = []
    for module, edges in GRAPH.items():
        if module.split(".")[0] != package:
            continue
        for target, line in edges.items():
            target_package = target.split(".")[0]
            if LEVEL[target_package] <= LEVEL[package]:
                continue
            if any(
                importer == package and (target == allowed or target.startswith(f"{allowed}."))
                for importer, allowed in UPWARD_ALLOWED
            ):
                continue
            wrong.append(f"{MODULES[module].relative_to(ROOT)}:{line} imports {target}")
    assert not wrong, f"{package} may import only the packages below it:\n" + "\n".join(wrong)


def strongly_connected(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively: the groups of modules that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, {}))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_no_two_modules_import_each_other() -> None:
    loops = strongly_connected(GRAPH)
    assert not loops, "modules that import each other, round a loop:\n" + "\n".join(
        " ↔ ".join(group) for group in loops
    )


def test_the_loop_finder_finds_a_loop() -> None:
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert strongly_connected(graph) == [["a", "b", "c"]]
    assert strongly_connected({"a": {"b": 1}, "b": {}}) == []


def test_the_import_reader_resolves_relative_imports(tmp_path: Path) -> None:
    source = tmp_path / "sheets.py"
    source.write_text("from . import totals\nfrom ..models import ScoreLine\nimport blocs\n")
    names = [name for _, name in imported_names("scoring.services.sheets", source)]
    assert "scoring.services.totals" in names
    assert "scoring.models.ScoreLine" in names
    assert project_module("scoring.models.ScoreLine") == "scoring.models"
    assert "blocs" in names


# A module is split by subdomain before it passes about 500 lines (docs/architecture.md), so a
# newcomer finds things by the module's name.
MAX_LINES = 500
# Module → why it is longer for now. Keep it short: a module leaves the list when it is split
# (the test fails while a module listed here is short enough).
LONG_ALLOWED: dict[str, str] = {}


def line_count(path: Path) -> int:
    """Lines as ``wc -l`` counts them."""
    return path.read_bytes().count(b"\n")


def long_modules(files: dict[str, Path]) -> dict[str, int]:
    """Name → lines of the modules longer than ``MAX_LINES``."""
    counts = {name: line_count(path) for name, path in files.items()}
    return {name: count for name, count in counts.items() if count > MAX_LINES}


def test_no_module_passes_500_lines() -> None:
    files = {path.relative_to(ROOT).as_posix(): path for path in MODULES.values()}
    long = long_modules(files)
    unexplained = [f"{name}: {long[name]} lines" for name in sorted(set(long) - set(LONG_ALLOWED))]
    assert not unexplained, f"split these by subdomain (at most {MAX_LINES} lines):\n" + "\n".join(
        unexplained
    )
    split = sorted(set(LONG_ALLOWED) - set(long))
    assert not split, "short enough now, remove from LONG_ALLOWED:\n" + "\n".join(split)


def test_the_line_count_finds_a_long_module(tmp_path: Path) -> None:
    short, long = tmp_path / "short.py", tmp_path / "long.py"
    short.write_text("x = 1\n" * MAX_LINES)
    long.write_text("x = 1\n" * (MAX_LINES + 1))
    assert line_count(long) == MAX_LINES + 1
    assert long_modules({"short.py": short, "long.py": long}) == {"long.py": MAX_LINES + 1}


# A view is decorators → access helper → service or selector → render, 10–40 lines
# (docs/architecture.md, "Where logic lives"): context building goes to a selector or a small
# function beside the view, POST handling to a form's ``save`` calling the service.
MAX_VIEW_LINES = 40
# "module path:function" allowed to be longer, each with its reason. Keep it empty.
LONG_VIEWS_ALLOWED: frozenset[str] = frozenset()


def is_view_module(path: Path) -> bool:
    """``views.py``, ``views_*.py`` or a module of a ``views/`` package."""
    return path.name == "views.py" or path.name.startswith("views_") or "views" in path.parts


def function_lengths(path: Path) -> dict[str, int]:
    """ "Class.method" or "function" → its lines from ``def`` to its last line (decorators not
    counted, the docstring counted), for every function of the module, nested ones too."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    lengths: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                assert child.end_lineno is not None
                lengths[name] = child.end_lineno - child.lineno + 1
                visit(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")

    visit(tree, "")
    return lengths


def long_views(files: dict[str, Path]) -> dict[str, int]:
    """ "path:function" → lines, for the functions of view modules over ``MAX_VIEW_LINES``."""
    return {
        f"{name}:{function}": count
        for name, path in files.items()
        if is_view_module(Path(name))
        for function, count in function_lengths(path).items()
        if count > MAX_VIEW_LINES
    }


def test_no_view_passes_40_lines() -> None:
    files = {path.relative_to(ROOT).as_posix(): path for path in MODULES.values()}
    long = long_views(files)
    unexplained = [f"{name}: {long[name]} lines" for name in sorted(set(long) - LONG_VIEWS_ALLOWED)]
    assert not unexplained, (
        f"shorten these (at most {MAX_VIEW_LINES} lines: move context building into a selector, "
        "POST handling into a form):\n" + "\n".join(unexplained)
    )
    short = sorted(LONG_VIEWS_ALLOWED - set(long))
    assert not short, "short enough now, remove from LONG_VIEWS_ALLOWED:\n" + "\n".join(short)


def test_the_view_length_check_finds_a_long_view(tmp_path: Path) -> None:
    def lines(indent: str, count: int) -> str:
        return "".join(f"{indent}x = {number}\n" for number in range(count))

    views = tmp_path / "views"
    views.mkdir()
    # A function of 40 lines (its def and 39 more), a method of 41; a long service is not a view.
    (views / "pages.py").write_text(
        "@decorator\ndef short():\n"
        + lines("    ", MAX_VIEW_LINES - 1)
        + "\n\nclass Form:\n    def long(self):\n"
        + lines("        ", MAX_VIEW_LINES)
    )
    (tmp_path / "services.py").write_text("def long():\n" + lines("    ", MAX_VIEW_LINES))
    files = {"views/pages.py": views / "pages.py", "services.py": tmp_path / "services.py"}
    assert function_lengths(views / "pages.py") == {"short": 40, "Form.long": 41}
    assert long_views(files) == {"views/pages.py:Form.long": 41}
