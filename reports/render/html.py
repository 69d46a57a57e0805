"""The HTML of a document: the preview's fragment and the page the PDF engine reads."""

from __future__ import annotations

import re
from typing import Any

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString

from common.jinja import render as render_jinja
from reports.content import Content, Heading, PageBreak, Paragraph, Table, printable_content
from reports.render.geometry import (
    DRAFT_MARK,
    cell_room,
    column_title,
    column_widths,
    document_date,
    is_dense,
    kept_whole,
    layout,
    table_size,
    text_width_of,
)
from reports.typesetting import joined_tokens


def _inline_html(text: str, room: float, size: float, bold: bool = False) -> SafeString:
    """``text`` as HTML: escaped, its line breaks as ``<br>``, and the tokens with a hyphen or
    a slash inside that fit the line wrapped in ``<span class="nobr">``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pieces: list[tuple[str, str, bool]] = []
    position = 0
    for match in re.finditer(r"\S+", text):
        token = match.group()
        whole = bool(joined_tokens(token)) and kept_whole(token, room, size, bold)
        pieces.append((text[position : match.start()], token, whole))
        position = match.end()
    if "\n" not in text and not any(whole for _space, _token, whole in pieces):
        return escape(text)  # most cells: plain text, no template needed
    return render_jinja("reports/inline.html", {"pieces": pieces, "tail": text[position:]})


def column_shares(widths: list[float]) -> list[str]:
    """The columns' widths as shares of the table, for ``<col width="23.45%">``: an HTML
    presentational attribute, which the Content-Security-Policy does not govern (a ``style``
    attribute it would block), read by browsers and by WeasyPrint with presentational hints
    (docs/security.md). The table is laid out at 100 % width, so shares are the exact widths."""
    total = sum(widths) or 1
    return [f"{100 * width / total:.2f}%" for width in widths]


def _blocks(content: Content) -> list[dict[str, Any]]:
    """Blocks tagged with their kind, and table rows paired with their columns, for templates."""
    result: list[dict[str, Any]] = []
    text_width = text_width_of(content)
    for block in content.blocks:
        if isinstance(block, Paragraph):
            html = _inline_html(block.text, text_width, 14, block.bold)
            result.append({"kind": "paragraph", "item": block, "html": html})
        elif isinstance(block, Heading):
            html = _inline_html(block.text, text_width, 14, True)
            result.append({"kind": "heading", "item": block, "html": html})
        elif isinstance(block, Table):
            dense = is_dense(block)
            size = table_size(block)
            widths = column_widths(block)
            rooms = [cell_room(width, dense) for width in widths]
            header = [
                (_inline_html(column_title(column, room, size), room, size, True), column)
                for column, room in zip(block.columns, rooms, strict=True)
            ]
            rows = []
            for index, row in enumerate(block.rows):
                bold = index in block.bold_rows
                cells = [
                    (_inline_html(value, room, size, bold), column)
                    for value, column, room in zip(row, block.columns, rooms, strict=False)
                ]
                rows.append({"cells": cells, "bold": bold})
            result.append(
                {
                    "kind": "table",
                    "item": block,
                    "shares": column_shares(widths),
                    "header": header,
                    "rows": rows,
                    "dense": dense,
                }
            )
        elif isinstance(block, PageBreak):
            result.append({"kind": "break"})
    return result


def html_context(content: Content) -> dict[str, Any]:
    content = printable_content(content)
    return {
        "content": content,
        "layout": layout(content),
        "blocks": _blocks(content),
        "date": document_date(content),
        "draft_mark": DRAFT_MARK,
    }


def render_html(content: Content) -> str:
    """The document alone, as the PDF engine reads it."""
    return render_to_string("reports/document_pdf.html", html_context(content))


def render_fragment(content: Content) -> str:
    """The document's ``<div class="document">`` alone, as the preview page embeds it."""
    return render_to_string("reports/_document.html", html_context(content))
