"""HTML belongs in templates: no HTML marked safe in Python outside a short allow-list, no
``|safe`` in templates, template lines people can read, and Jinja2 templates that escape,
translate and number as the Django ones do (common/jinja.py)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation.template import templatize

from tests.test_architecture import MODULES

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
MARKERS = {"mark_safe", "SafeString", "SafeText"}

# Where Python may mark a string as safe HTML, and why.
ALLOWED = {
    ("common.jinja", "render"): "a Jinja2 template's output: the template escaped what it printed",
    ("reports.views", "preview"): (
        "a document as issued: our own template's output, escaped when rendered and kept as "
        "the record (services.issued_html), shown again unchanged"
    ),
}

# Lines over LONG characters left: a {% translate "…" %} longer than the line, a
# blocktranslate whose text starts or ends with a space (``trimmed`` would change its msgid),
# and text where a break would change what the page says (a space right after a tag). Lower
# it when one goes; never raise it.
LONG = 200
LONG_LINES = 78


def safe_markers(path: Path, module: str) -> list[tuple[str, str, int]]:
    """(module, enclosing function, line) of every call of mark_safe / SafeString."""
    found = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = child.name
            if isinstance(child, ast.Call):
                callee = child.func
                called = (
                    callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
                )
                if called in MARKERS:
                    found.append((module, function, child.lineno))
            visit(child, name)

    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return found


def test_no_html_is_marked_safe_in_python_outside_the_allow_list() -> None:
    found = [
        marker
        for module, path in MODULES.items()
        for marker in safe_markers(path, module)
        if (marker[0], marker[1]) not in ALLOWED
    ]
    assert found == [], "write the HTML in a template (Jinja2 for a hot list: common/jinja.py)"


def test_every_allowed_place_still_marks_something() -> None:
    used = {
        (marker[0], marker[1])
        for module, path in MODULES.items()
        for marker in safe_markers(path, module)
    }
    assert set(ALLOWED) <= used


def test_the_check_sees_a_mark_safe(tmp_path: Path) -> None:
    source = tmp_path / "tags.py"
    source.write_text(
        "from django.utils import safestring\n"
        "def row(name):\n"
        "    return safestring.mark_safe(f'<td>{name}</td>')\n"
        "def cell(name):\n"
        "    return SafeString(name)\n"
    )
    assert safe_markers(source, "x.tags") == [("x.tags", "row", 3), ("x.tags", "cell", 5)]


def template_files() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def test_no_template_turns_escaping_off() -> None:
    offending = [
        str(path.relative_to(ROOT))
        for path in template_files()
        if re.search(r"\|\s*safe\b|autoescape\s+(off|false)", path.read_text(encoding="utf-8"))
    ]
    assert offending == []


def long_lines(paths: list[Path], root: Path = ROOT) -> list[str]:
    return [
        f"{path.relative_to(root)}:{number}"
        for path in paths
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if len(line) > LONG
    ]


def test_template_lines_stay_readable() -> None:
    found = long_lines(template_files())
    assert len(found) <= LONG_LINES, found
    assert [line for line in found if line.startswith("templates/jinja2/")] == []


def test_the_line_check_counts_a_long_line(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<p>short</p>\n<p>" + "x" * 300 + "</p>\n", encoding="utf-8")
    assert long_lines([page], tmp_path) == ["page.html:2"]


# ---------------------------------------------------------------------------- Jinja2

JINJA = sorted((TEMPLATES / "jinja2").rglob("*.html"))


@pytest.mark.parametrize("path", JINJA, ids=lambda path: path.name)
def test_make_messages_finds_every_string_of_a_jinja2_template(path: Path) -> None:
    """``make messages`` reads these files as Django templates: a ``_("…")`` it cannot see
    (inside ``{{- … }}`` or a tag spread over lines) would never be translated."""
    source = path.read_text(encoding="utf-8")
    written = re.findall(r"""_\(("[^"]*"|'[^']*')\)""", source)
    found = re.findall(r"""_\(("[^"]*"|'[^']*')\)""", templatize(source))
    assert sorted(found) == sorted(written)


def jinja(source: str, **context: object) -> str:
    return str(engines["jinja2"].from_string(source).render(context))


def test_jinja2_templates_escape_translate_and_number_as_django_ones_do() -> None:
    assert jinja("<b>{{ name }}</b>", name='<i>"x"</i>') == "<b>&lt;i&gt;&#34;x&#34;&lt;/i&gt;</b>"
    with translation.override("en"):
        assert jinja('{{ _("Hướng dẫn") }}') == gettext("Hướng dẫn") != "Hướng dẫn"
        assert jinja("{{ 1234.5|number }}") == "1,234.50"
    with translation.override("vi"):
        assert jinja("{{ 1234.5|number }}") == "1.234,50"
        assert jinja('{{ _("%(count)s lần")|format(count="<3>") }}') == "&lt;3&gt; lần"
    assert jinja('{{ url("scoring:line", 1, 2) }}') == "/scoring/sheets/1/lines/2/"
