"""Every rule has one home (docs/architecture.md, "Where logic lives"), checked on the source.

* Who may see or do what is decided in an app's ``access.py``; a view module (``views.py``,
  ``views_*.py``, ``views/*.py``) or a page module of ``portal/`` defines no such function.
* The rules the award pages share are written once, in ``awards/eligibility.py``: the ballot's
  pass test (``ballot_passed``), the list of gates (``GATES``: no other module lists gate names)
  and the flag rule (``required_award_code``: only it says that a Government flag needs the
  provincial flag).
* A view reads what was posted only through a Django form: ``request.POST`` is handed to a form
  (a class or factory whose name ends in ``Form``/``_form``), or to ``posted_id`` / ``pressed``
  of ``common``, which validate it with a one-field form. Never ``request.POST.get(...)``,
  ``request.POST[...]``, ``getlist``, ``in request.POST`` or a copy.

The checks read the syntax tree, so comments and strings that merely mention a name do not count.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "accounts",
    "awards",
    "blocs",
    "common",
    "notifications",
    "portal",
    "reports",
    "scoring",
    "thidua",
    "demo",
)
SKIPPED_PARTS = {"migrations", "management", "__pycache__"}

# Page modules of the gathering app that are not named views*: each renders a page.
PORTAL_PAGES: tuple[str, ...] = ()

PERMISSION_NAME = re.compile(
    r"^_*(can_|may_|is_allowed|allowed|editable|visible_|manageable|is_admin|is_member"
    r"|get_\w+_for_(user|admin)$)"
)

# (module, function) → why it may read request.POST by hand. Keep it empty.
POST_ALLOWED: dict[tuple[str, str], str] = {}

# Callables that take request.POST: Django forms and form factories, and the two helpers of
# common that validate one posted field with a form (common/http.py, common/forms.py).
FORM_CALLEE = re.compile(r"(Form|FormSet|_form|_formset)$|^(posted_id|pressed)$")


def app_modules() -> Iterator[Path]:
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if not SKIPPED_PARTS & set(path.relative_to(ROOT).parts):
                yield path


def is_view_module(path: Path) -> bool:
    relative = path.relative_to(ROOT).as_posix()
    return (
        path.name == "views.py"
        or path.name.startswith("views_")
        or path.parent.name == "views"
        or relative in PORTAL_PAGES
    )


def view_modules() -> list[Path]:
    return [path for path in app_modules() if is_view_module(path)]


@functools.cache
def tree(path: Path) -> ast.Module:
    """A module's syntax tree, parsed once per run (the checks only read it)."""
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


def functions(module: ast.Module) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(module):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def definitions(targets: tuple[str, ...]) -> dict[str, list[str]]:
    """Where each function, class or assigned name of ``targets`` is defined in the apps."""
    found: dict[str, list[str]] = {target: [] for target in targets}
    for path in app_modules():
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            else:
                continue
            for defined in names:
                if defined in found:
                    found[defined].append(name(path))
    return found


# ---------------------------------------------------------------------------- (a) permissions


def permission_functions(paths: list[Path]) -> list[str]:
    return [
        f"{name(path)}: {function.name}"
        for path in paths
        for function in functions(tree(path))
        if PERMISSION_NAME.match(function.name)
    ]


def test_the_views_are_found() -> None:
    found = {name(path) for path in view_modules()}
    assert {"awards/views/ballots.py", "scoring/views/sheets.py", "blocs/views.py"} <= found
    assert {"portal/views.py", "portal/views_rollover.py", "portal/dashboard/views.py"} <= found


def test_no_permission_helper_outside_an_access_module() -> None:
    assert permission_functions(view_modules()) == []


def test_the_permission_check_sees_a_helper(tmp_path: Path) -> None:
    """The check itself: a permission helper written in a view is found."""
    (tmp_path / "views.py").write_text(
        "def can_check_facts(user, unit_id):\n    return True\n\n"
        "def _visible_council_ids(user):\n    return None\n\n"
        "def crumbs():\n    return []\n"
    )
    module = tree(tmp_path / "views.py")
    assert [f.name for f in functions(module) if PERMISSION_NAME.match(f.name)] == [
        "can_check_facts",
        "_visible_council_ids",
    ]


# ---------------------------------------------------------------------------- (b) the rules


ELIGIBILITY = "awards/eligibility.py"


def test_each_rule_is_defined_once_in_the_eligibility_module() -> None:
    targets = (
        "ballot_passed",
        "required_award_code",
        "GATES",
        "STAFF_GATES",
        "gate_of",
        "gate_label",
        "GOVERNMENT_FLAG",
        "PROVINCIAL_FLAG",
    )
    assert definitions(targets) == {target: [ELIGIBILITY] for target in targets}


def compares_ballot_share(function: ast.AST) -> bool:
    """The ballot's pass test: a comparison against ``min_ballot_share``."""
    return any(
        isinstance(node, ast.Compare)
        and any(
            isinstance(side, ast.Attribute) and side.attr == "min_ballot_share"
            for side in [node.left, *node.comparators]
        )
        for node in ast.walk(function)
    )


def ballot_tests() -> list[str]:
    return [
        f"{name(path)}: {function.name}"
        for path in app_modules()
        for function in functions(tree(path))
        if compares_ballot_share(function)
    ]


def test_the_ballot_pass_test_is_written_once() -> None:
    assert ballot_tests() == [f"{ELIGIBILITY}: ballot_passed"]


def flag_rules() -> list[str]:
    """Functions that know the provincial flag's code: the flag rule."""
    found = []
    for path in app_modules():
        if name(path).startswith("demo/"):
            continue  # the demo's award types are data, not a rule
        for function in functions(tree(path)):
            for node in ast.walk(function):
                if (isinstance(node, ast.Constant) and node.value == "PROV_FLAG") or (
                    isinstance(node, ast.Name) and node.id == "PROVINCIAL_FLAG"
                ):
                    found.append(f"{name(path)}: {function.name}")
                    break
    return found


def test_the_flag_rule_is_written_once() -> None:
    assert flag_rules() == [f"{ELIGIBILITY}: required_award_code"]
    literal = [
        name(path)
        for path in app_modules()
        if not name(path).startswith("demo/")
        for node in ast.walk(tree(path))
        if isinstance(node, ast.Constant) and node.value == "PROV_FLAG"
    ]
    assert literal == [ELIGIBILITY]


def gate_names() -> frozenset[str]:
    from awards.eligibility import GATES

    return frozenset(GATES)


def gate_lists(paths: list[Path]) -> list[str]:
    """A collection written out of two gate names or more, or a function that tells three gates
    or more apart (a gate name compared, a dict key or the first of a pair): both list the
    gates. A gate name passed around is not counted: "rank" and "band" are also a ranking
    row's keys."""
    gates = gate_names()

    def is_gate(node: ast.AST) -> bool:
        return isinstance(node, ast.Constant) and node.value in gates

    def told_apart(function: ast.AST) -> set[str]:
        found = set()
        for node in ast.walk(function):
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
            elif isinstance(node, ast.Dict):
                sides = [key for key in node.keys if key is not None]
            elif isinstance(node, ast.Tuple) and node.elts:
                sides = [node.elts[0]]
            else:
                continue
            found |= {side.value for side in sides if is_gate(side)}  # type: ignore[attr-defined]
        return found

    found = []
    for path in paths:
        if name(path) == ELIGIBILITY:
            continue
        module = tree(path)
        for node in ast.walk(module):
            if (
                isinstance(node, ast.Tuple | ast.List | ast.Set)
                and len(node.elts) >= 2
                and all(is_gate(elt) for elt in node.elts)
            ):
                found.append(f"{name(path)}:{node.lineno} a collection of gates")
        for function in functions(module):
            if len(told_apart(function)) >= 3:
                found.append(f"{name(path)}: {function.name} {sorted(told_apart(function))}")
    return found


def test_the_gates_are_listed_once() -> None:
    assert gate_lists(list(app_modules())) == []


# ---------------------------------------------------------------------------- (c) request.POST


def posted_reads(path: Path) -> list[str]:
    """Every ``request.POST`` in the module that is not handed straight to a form."""
    module = tree(path)
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(module):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    found: list[tuple[int, str]] = []
    for function in functions(module):
        for node in ast.walk(function):
            if not (
                isinstance(node, ast.Attribute)
                and node.attr == "POST"
                and isinstance(node.value, ast.Name)
                and node.value.id == "request"
            ):
                continue
            if parents.get(node) is not None and _owner(node, parents) is not function:
                continue  # seen in the nested function that holds it
            if (name(path), function.name) in POST_ALLOWED or _handed_to_form(node, parents):
                continue
            found.append((node.lineno, f"{name(path)}:{node.lineno} {function.name}"))
    return [read for _line, read in sorted(found)]


def _owner(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.AST | None:
    current = parents.get(node)
    while current is not None and not isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef):
        current = parents.get(current)
    return current


def _handed_to_form(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    parent = parents.get(node)
    # ``request.POST if request.method == "POST" else None`` handed on as a whole.
    if isinstance(parent, ast.IfExp) and parent.body is node:
        node, parent = parent, parents.get(parent)
    if isinstance(parent, ast.keyword):
        node, parent = parent, parents.get(parent)
    if not isinstance(parent, ast.Call) or node is parent.func:
        return False
    callee = parent.func
    called = (
        callee.id
        if isinstance(callee, ast.Name)
        else callee.attr
        if isinstance(callee, ast.Attribute)
        else ""
    )
    return bool(FORM_CALLEE.search(called))


def test_views_read_the_post_only_through_forms() -> None:
    found = [read for path in view_modules() for read in posted_reads(path)]
    assert found == []


def test_the_post_check_sees_a_hand_read(tmp_path: Path) -> None:
    """The check itself: hand reads are found, forms pass."""
    (tmp_path / "views.py").write_text(
        "def page(request):\n"
        "    form = PageForm(request.POST if request.method == 'POST' else None)\n"
        "    other = page_form(data=request.POST)\n"
        "    action = request.POST.get('action')\n"
        "    if 'x' in request.POST:\n"
        "        return request.POST['y']\n"
        "    data = request.POST.copy()\n"
    )
    reads = [
        read.split(" ", 1)[0].rsplit(":", 1)[1] for read in posted_reads(tmp_path / "views.py")
    ]
    assert reads == ["4", "5", "6", "7"]


@pytest.mark.parametrize("path", ["awards/views/ballots.py", "scoring/views/sheets.py"])
def test_the_post_check_reads_real_views(path: str) -> None:
    assert posted_reads(ROOT / path) == []
