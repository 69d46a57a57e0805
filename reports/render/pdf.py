"""The PDF of a document, laid out by WeasyPrint from its HTML."""

from __future__ import annotations

import functools
from typing import Any

from reports.content import Content
from reports.render.geometry import CSS_PATH
from reports.render.html import render_html
from reports.render.memo import remembered


@functools.cache
def _pdf_engine() -> tuple[Any, Any]:
    """The parsed stylesheet and the font configuration, loaded once per process: finding and
    loading the fonts is most of the time of a small document's first rendering."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return CSS(filename=str(CSS_PATH), font_config=fonts), fonts


def lay_out_pdf(content: Content) -> Any:
    """The PDF's pages laid out (a ``weasyprint.Document``): ``render_pdf`` writes them; the
    layout tests read the boxes of their table cells."""
    return _lay_out(render_html(content))


def _lay_out(html: str) -> Any:
    from weasyprint import HTML

    stylesheet, fonts = _pdf_engine()
    # Presentational hints: the tables' column widths are <col width="…%"> (docs/security.md).
    return HTML(string=html).render(
        stylesheets=[stylesheet], font_config=fonts, presentational_hints=True
    )


def render_pdf(content: Content) -> bytes:
    """The PDF of ``content``: laid out from its HTML, or the same HTML's PDF already rendered
    by this process (``memo``)."""
    html = render_html(content)
    return remembered("pdf", html, lambda: bytes(_lay_out(html).write_pdf()))
