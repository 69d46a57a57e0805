"""The three renderings of a ``Content``: HTML (preview and PDF source), PDF, DOCX.

Layout follows Nghị định 30/2020/NĐ-CP: A4, margins top/bottom 20 mm, left 30 mm, right 15 mm
(landscape annexes 20 mm all round), Times New Roman 14 pt (Liberation Serif on the server has
the same metrics), justified body, a two-column header table with set widths so that
"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" never wraps, page numbers from page 2, top centre.
"""

from __future__ import annotations

import copy
import functools
import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

from reports.content import Content, Heading, PageBreak, Paragraph, Signature, Table
from thidua.lib.text import printable

FONT = "Times New Roman"
# A table with more columns than this (a score table of a large bloc) prints in 10 pt, not 12.
DENSE_COLUMNS = 12
CSS_PATH = Path(settings.BASE_DIR) / "static" / "css" / "document.css"


def _blocks(content: Content) -> list[dict[str, Any]]:
    """Blocks tagged with their kind, and table rows paired with their columns, for templates."""
    result: list[dict[str, Any]] = []
    for block in content.blocks:
        if isinstance(block, Paragraph):
            result.append({"kind": "paragraph", "item": block})
        elif isinstance(block, Heading):
            result.append({"kind": "heading", "item": block})
        elif isinstance(block, Table):
            rows = [
                {
                    "cells": list(zip(row, block.columns, strict=False)),
                    "bold": index in block.bold_rows,
                }
                for index, row in enumerate(block.rows)
            ]
            dense = len(block.columns) > DENSE_COLUMNS
            result.append({"kind": "table", "item": block, "rows": rows, "dense": dense})
        elif isinstance(block, PageBreak):
            result.append({"kind": "break"})
    return result


def _pairs(signatures: list[Signature]) -> list[list[Signature]]:
    return [signatures[index : index + 2] for index in range(0, len(signatures), 2)]


def html_context(content: Content) -> dict[str, Any]:
    return {
        "content": content,
        "blocks": _blocks(content),
        "signature_pairs": _pairs(content.signatures),
    }


def render_html(content: Content) -> str:
    """The document alone, as the PDF engine reads it."""
    return render_to_string("reports/document_pdf.html", html_context(content))


def render_fragment(content: Content) -> str:
    """The document's ``<div class="document">`` alone, as the preview page embeds it."""
    return render_to_string("reports/_document.html", html_context(content))


@functools.cache
def _pdf_engine() -> tuple[Any, Any]:
    """The parsed stylesheet and the font configuration, loaded once per process: finding and
    loading the fonts is most of the time of a small document's first rendering."""
    from weasyprint import CSS  # type: ignore[import-untyped]
    from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

    fonts = FontConfiguration()
    return CSS(filename=str(CSS_PATH), font_config=fonts), fonts


def render_pdf(content: Content) -> bytes:
    from weasyprint import HTML

    stylesheet, fonts = _pdf_engine()
    return HTML(string=render_html(content)).write_pdf(stylesheets=[stylesheet], font_config=fonts)


# ---------------------------------------------------------------------------- DOCX


# python-docx builds each run's and paragraph's properties element by element, which is most
# of the time of a large table; the properties are built once per combination and copied.
_RUN_PROPERTIES: dict[tuple[float, bool, bool, bool], Any] = {}
_PARAGRAPH_PROPERTIES: dict[tuple[str, float, float, bool], Any] = {}


def _font(
    run: Any, size: float, *, bold: bool = False, italic: bool = False, underline: bool = False
) -> None:
    key = (size, bold, italic, underline)
    cached = _RUN_PROPERTIES.get(key)
    if cached is not None:
        run._r.insert(0, copy.deepcopy(cached))
        return
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    _RUN_PROPERTIES[key] = copy.deepcopy(run._r.rPr)


def _paragraph_format(
    paragraph: Any, *, align: str, before: float, after: float, indent: bool
) -> None:
    key = (align, before, after, indent)
    cached = _PARAGRAPH_PROPERTIES.get(key)
    if cached is not None:
        paragraph._p.insert(0, copy.deepcopy(cached))
        return
    paragraph.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.15
    if indent:
        fmt.first_line_indent = Mm(10)
    _PARAGRAPH_PROPERTIES[key] = copy.deepcopy(paragraph._p.pPr)


def _paragraph(
    container: Any,
    text: str,
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: str = "justify",
    indent: bool = False,
    after: float = 6,
    before: float = 0,
) -> Any:
    paragraph = container.add_paragraph()
    _paragraph_format(paragraph, align=align, before=before, after=after, indent=indent)
    lines = printable(text).split("\n")  # no control character in a DOCX (thidua.lib.text)
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        _font(run, size, bold=bold, italic=italic, underline=underline)
        if index < len(lines) - 1:
            run.add_break()
    return paragraph


def _no_borders(table: Any) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    # In the schema's order (Word refuses a file whose table properties are out of order).
    properties.insert_element_before(
        borders,
        "w:shd",
        "w:tblLayout",
        "w:tblCellMar",
        "w:tblLook",
        "w:tblCaption",
        "w:tblDescription",
    )


def _fixed_widths(table: Any, widths_mm: list[float]) -> None:
    """Fixed layout with the given widths, so Word and LibreOffice keep them."""
    table.autofit = False  # <w:tblLayout w:type="fixed"/>
    twips = [str(int(Mm(width).twips)) for width in widths_mm]
    for row in table._tbl.tr_lst:
        for cell, width in zip(row.tc_lst, twips, strict=False):
            cell_width = cell.get_or_add_tcPr().get_or_add_tcW()
            cell_width.set(qn("w:w"), width)
            cell_width.set(qn("w:type"), "dxa")
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), twips, strict=False):
        column.set(qn("w:w"), width)


def _cell(cell: Any) -> Any:
    """A cell emptied of its default paragraph, ready to receive ours."""
    cell._tc.remove(cell.paragraphs[0]._p)
    return cell


def _header(document: Any, content: Content, text_width: float) -> None:
    left, right = text_width * 0.40, text_width * 0.60
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _fixed_widths(table, [left, right])
    issuer, motto = (_cell(cell) for cell in table.rows[0].cells)
    if content.issuer_parent:
        _paragraph(issuer, content.issuer_parent.upper(), size=13, align="center", after=0)
    _paragraph(issuer, content.issuer.upper(), size=13, bold=True, align="center", after=0)
    _paragraph(issuer, "_______", size=8, align="center", after=4)
    _paragraph(issuer, content.number_line, size=13, align="center", after=0)
    _paragraph(
        motto, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12.5, bold=True, align="center", after=0
    )
    _paragraph(
        motto,
        "Độc lập - Tự do - Hạnh phúc",
        size=13.5,
        bold=True,
        underline=True,
        align="center",
        after=8,
    )
    _paragraph(motto, content.place_date, size=14, italic=True, align="center", after=0)


def _page_numbers(section: Any) -> None:
    """A centred PAGE field in the header of every page but the first."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _table(document: Any, table: Table) -> None:
    if table.caption:
        _paragraph(document, table.caption, size=13, bold=True, align="center", after=4)
    docx_table = document.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    docx_table.style = "Table Grid"
    docx_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_widths(docx_table, [column.width_mm for column in table.columns])
    header = docx_table.rows[0]
    # The header row repeats on every page of a long table.
    header_properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_properties.append(repeat)
    size = 10 if len(table.columns) > DENSE_COLUMNS else 12
    for cell, column in zip(header.cells, table.columns, strict=False):
        _paragraph(_cell(cell), column.title, size=size, bold=True, align="center", after=0)
    body = docx_table._tbl.tr_lst[1:]
    for index, (tr, row) in enumerate(zip(body, table.rows, strict=True)):
        bold = index in table.bold_rows
        for tc, value, column in zip(tr.tc_lst, row, table.columns, strict=False):
            _paragraph(
                _cell(_Cell(tc, docx_table)),
                value,
                size=size,
                bold=bold,
                align=column.align,
                after=0,
            )
    _paragraph(document, "", size=6, after=0)


def _signature(container: Any, signature: Signature) -> None:
    for line in signature.lines:
        _paragraph(container, line.upper(), size=14, bold=True, align="center", after=0)
    if signature.note:
        _paragraph(container, signature.note, size=13, italic=True, align="center", after=0)
    for _ in range(4):
        _paragraph(container, "", size=14, align="center", after=0)
    if signature.name:
        _paragraph(container, signature.name, size=14, bold=True, align="center", after=0)


def _recipients(container: Any, recipients: list[str]) -> None:
    _paragraph(container, "Nơi nhận:", size=12, bold=True, italic=True, align="left", after=0)
    for line in recipients:
        _paragraph(container, f"- {line}", size=11, align="left", after=0)


def _footer(document: Any, content: Content, text_width: float) -> None:
    signatures = content.signatures
    if len(signatures) == 1 or (len(signatures) == 2 and not content.recipients):
        table = document.add_table(rows=1, cols=2)
        _no_borders(table)
        _fixed_widths(table, [text_width * 0.45, text_width * 0.55])
        left, right = (_cell(cell) for cell in table.rows[0].cells)
        if len(signatures) == 1:
            if content.recipients:
                _recipients(left, content.recipients)
            else:
                _paragraph(left, "", after=0)
            _signature(right, signatures[0])
        else:
            _signature(left, signatures[0])
            _signature(right, signatures[1])
        return
    pairs = _pairs(signatures)
    if pairs:
        table = document.add_table(rows=len(pairs), cols=2)
        _no_borders(table)
        _fixed_widths(table, [text_width / 2, text_width / 2])
        for row, pair in zip(table.rows, pairs, strict=True):
            cells = [_cell(cell) for cell in row.cells]
            for cell, signature in zip(cells, pair, strict=False):
                _signature(cell, signature)
            if len(pair) == 1:
                _paragraph(cells[1], "", after=0)
    if content.recipients:
        _recipients(document, content.recipients)


def render_docx(content: Content) -> bytes:
    document = DocxDocument()
    section = document.sections[0]
    if content.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin = section.right_margin = Mm(20)
        text_width = 297 - 40
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        text_width = 210 - 45
    section.header_distance = Mm(10)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    for empty in list(document.paragraphs):  # the template's blank line would sit on top
        empty._p.getparent().remove(empty._p)
    _page_numbers(section)
    if content.demo_notice:
        _paragraph(document, content.demo_notice, size=11, italic=True, align="left", after=6)
    _header(document, content, text_width)
    _paragraph(
        document, content.kind_title.upper(), size=14, bold=True, align="center", after=0, before=12
    )
    if content.subject:
        _paragraph(document, content.subject, size=14, bold=True, align="center", after=12)
    for block in content.blocks:
        if isinstance(block, Paragraph):
            _paragraph(
                document,
                block.text,
                bold=block.bold,
                italic=block.italic,
                align=block.align,
                indent=block.indent,
            )
        elif isinstance(block, Heading):
            heading = _paragraph(document, block.text, bold=True, align="left", after=6)
            heading.paragraph_format.keep_with_next = True  # never last on a page
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, PageBreak):
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _footer(document, content, text_width)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
