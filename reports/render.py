"""The three renderings of a ``Content``: HTML (preview and PDF source), PDF, DOCX.

Layout follows Nghị định 30/2020/NĐ-CP: A4, margins top/bottom 20 mm, left 30 mm, right 15 mm
(landscape annexes 20 mm all round), Times New Roman 14 pt (Liberation Serif on the server has
the same metrics), justified body, a two-column header table with set widths so that
"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" never wraps, page numbers from page 2, top centre.

The line breaks of the header, the subject and the signatures, and the lengths of the rules
under the issuer, the motto and the subject, are decided here once (``layout``) and printed
the same by the HTML and the DOCX; a token such as "245/QĐ-UBND" is never split at its hyphen
or slash when it fits its line (``reports/typesetting.py``).
"""

from __future__ import annotations

import copy
import datetime
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

from common.text import printable
from reports.content import (
    Column,
    Content,
    Heading,
    PageBreak,
    Paragraph,
    Signature,
    Table,
    printable_content,
)
from reports.typesetting import JOINED, balanced_lines, joined_tokens, width_mm

FONT = "Times New Roman"
# A table with more columns than this (a score table of a large bloc) prints in 10 pt, not 12.
DENSE_COLUMNS = 12
CSS_PATH = Path(settings.BASE_DIR) / "static" / "css" / "document.css"

# The page, in millimetres: what the DOCX's section and the stylesheet's @page both set.
PORTRAIT = {"width": 210, "height": 297, "top": 20, "bottom": 20, "left": 30, "right": 15}
LANDSCAPE = {"width": 297, "height": 210, "top": 20, "bottom": 20, "left": 20, "right": 20}
# Side margin of a table cell: Word's default (0.08 inch), and the stylesheet's padding of the
# footer's cells. The header's cells have none, in both renderings.
CELL_MARGIN_MM = 1.905
# The padding of a document table's cells (the stylesheet's "2pt 4pt", "2pt 2pt" when dense),
# given to the DOCX's cells too: a cell has the same room for its text in both renderings.
POINT_MM = 25.4 / 72
TABLE_PADDING_MM = {False: 4 * POINT_MM, True: 2 * POINT_MM}  # sides, by density
TABLE_PADDING_TOP_MM = 2 * POINT_MM
TABLE_BORDER_MM = 0.3  # a cell's share of the 0.75 pt borders, and a little more
# A word of a table's cell fits its column when it leaves this much (mm): the two renderings
# shape text a hair differently from the metrics the widths are computed with.
FIT_SLACK_MM = 0.3
# A line is broken to fit this much less than its cell: Word and WeasyPrint shape a little
# differently from the metrics the breaks are computed with.
SLACK_MM = 0.5
# The rule under the issuer and under the subject: between 1/3 and 1/2 of the line above it
# (Nghị định 30/2020, Phụ lục I); the rule under the motto is as long as the motto.
RULE_FRACTION = 0.4
SLOGAN = "Độc lập - Tự do - Hạnh phúc"
SLOGAN_SIZE = 13.5
DRAFT_MARK = "DỰ THẢO"


def page_of(content: Content) -> dict[str, int]:
    return LANDSCAPE if content.landscape else PORTRAIT


def text_width_of(content: Content) -> float:
    page = page_of(content)
    return float(page["width"] - page["left"] - page["right"])


@dataclass(frozen=True)
class SignatureLayout:
    """A signature block as printed: its title lines broken to fit its cell, and ``pad``
    blank lines above the signing space so that the names of a row stand at one height."""

    lines: tuple[str, ...]
    note: str
    name: str
    pad: int

    @property
    def padding(self) -> range:
        return range(self.pad)


@dataclass(frozen=True)
class Layout:
    """What both renderings print the same: line breaks, cell widths and rule lengths (mm)."""

    text_width: float
    header_widths: tuple[float, float]
    parent: tuple[str, ...]
    issuer: tuple[str, ...]
    issuer_rule: float
    slogan_rule: float
    place_date: tuple[str, ...]
    subject: tuple[str, ...]
    subject_rule: float
    footer: str  # "single" (recipients | signer), "pair" (two signers), "grid"
    footer_widths: tuple[float, float]
    signature_rows: tuple[tuple[SignatureLayout, ...], ...]


def _signature_rows(
    signatures: list[Signature], footer: str, width: float
) -> tuple[tuple[SignatureLayout, ...], ...]:
    available = width - 2 * CELL_MARGIN_MM - SLACK_MM
    pairs = [signatures] if footer == "pair" else _pairs(signatures)
    rows = []
    for pair in pairs:
        broken = [
            tuple(
                line
                for text in signature.lines
                for line in balanced_lines(text.upper(), available, 14, bold=True)
            )
            for signature in pair
        ]
        heights = [len(lines) + bool(s.note) for lines, s in zip(broken, pair, strict=True)]
        tallest = max([*heights, *(s.row_lines for s in pair)])
        rows.append(
            tuple(
                SignatureLayout(lines, s.note, s.name, tallest - height)
                for lines, s, height in zip(broken, pair, heights, strict=True)
            )
        )
    return tuple(rows)


def layout(content: Content) -> Layout:
    text_width = text_width_of(content)
    left, right = round(text_width * 0.40, 2), round(text_width * 0.60, 2)
    parent = balanced_lines(content.issuer_parent.upper(), left - SLACK_MM, 13)
    issuer = balanced_lines(content.issuer.upper(), left - SLACK_MM, 13, bold=True)
    place_date = balanced_lines(content.place_date, right - SLACK_MM, 14, italic=True)
    subject = balanced_lines(content.subject, text_width - SLACK_MM, 14, bold=True)
    signatures = content.signatures
    if len(signatures) == 1:
        footer, widths = "single", (text_width * 0.45, text_width * 0.55)
    elif len(signatures) == 2 and not content.recipients:
        footer, widths = "pair", (text_width / 2, text_width / 2)
    else:
        footer, widths = "grid", (text_width / 2, text_width / 2)
    return Layout(
        text_width=text_width,
        header_widths=(left, right),
        parent=tuple(line for line in parent if line),
        issuer=tuple(issuer),
        issuer_rule=RULE_FRACTION * max(width_mm(line, 13, bold=True) for line in issuer),
        slogan_rule=width_mm(SLOGAN, SLOGAN_SIZE, bold=True),
        place_date=tuple(place_date),
        subject=tuple(line for line in subject if line),
        subject_rule=RULE_FRACTION * max(width_mm(line, 14, bold=True) for line in subject),
        footer=footer,
        footer_widths=widths,
        signature_rows=_signature_rows(signatures, footer, widths[1]),
    )


def _cell_room(width: float, dense: bool) -> float:
    """The width a document table's cell has for its text: the column less the cell's padding
    and its share of the borders."""
    return width - 2 * TABLE_PADDING_MM[dense] - TABLE_BORDER_MM


def is_dense(table: Table) -> bool:
    return len(table.columns) > DENSE_COLUMNS


def table_size(table: Table) -> float:
    return 10 if is_dense(table) else 12


def column_widths(table: Table) -> list[float]:
    """The columns' widths (mm): the builder's, but a column too narrow for its longest word
    ("VII.1", "LĐ-TB&XH") grows, at the expense of the columns with room to spare (the
    criterion's title), none of them below its longest word or three quarters of its width, so
    that no word runs past its cell or has to be cut where the room allows; the total stays."""
    size, dense = table_size(table), is_dense(table)
    widths = [column.width_mm for column in table.columns]
    needed, floors = [], []
    for index, column in enumerate(table.columns):
        tokens = [(token, True) for token in column.title.split()]
        tokens += [
            (token, row_index in table.bold_rows)
            for row_index, row in enumerate(table.rows)
            if index < len(row)
            for token in row[index].split()
        ]
        longest = max(
            (
                _token_width(token, size, bold) + (SLACK_MM if JOINED.fullmatch(token) else 0)
                for token, bold in tokens
            ),
            default=0,
        )
        needed.append(longest + 2 * TABLE_PADDING_MM[dense] + TABLE_BORDER_MM + FIT_SLACK_MM)
        floors.append(max(needed[-1], 0.75 * column.width_mm))
    deficits = [max(0.0, need - width) for need, width in zip(needed, widths, strict=True)]
    spare = [max(0.0, width - floor) for floor, width in zip(floors, widths, strict=True)]
    lacking, available = sum(deficits), sum(spare)
    if not lacking or not available:
        return widths
    moved = min(lacking, available)
    return [
        width + moved * deficit / lacking - moved * room / available
        for width, deficit, room in zip(widths, deficits, spare, strict=True)
    ]


def _title(column: Column, room: float, size: float) -> str:
    """A column's title, broken between words into balanced lines when it needs more than one
    ("Phiếu / đồng ý", not "Phiếu đồng / ý")."""
    return "\n".join(balanced_lines(column.title, room - SLACK_MM, size, bold=True, max_lines=6))


@functools.lru_cache(maxsize=4096)
def _token_width(token: str, size: float, bold: bool) -> float:
    return width_mm(token, size, bold=bold)


def _kept(token: str, room: float, size: float, bold: bool) -> bool:
    """Whether ``token`` ("245/QĐ-UBND") fits its line whole, and so is kept whole."""
    return _token_width(token, size, bold) <= room - SLACK_MM


def _inline_html(text: str, room: float, size: float, bold: bool = False) -> SafeString:
    """``text`` as HTML: escaped, its line breaks as ``<br>``, and the tokens with a hyphen or
    a slash inside that fit the line wrapped in ``<span class="nobr">``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts: list[str] = []
    position = 0
    for match in re.finditer(r"\S+", text):
        token = match.group()
        parts.append(escape(text[position : match.start()]))
        if joined_tokens(token) and _kept(token, room, size, bold):
            parts.append(f'<span class="nobr">{escape(token)}</span>')
        else:
            parts.append(escape(token))
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts).replace("\n", "<br>"))  # escaped above


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
            rooms = [_cell_room(width, dense) for width in widths]
            header = [
                (_inline_html(_title(column, room, size), room, size, True), column)
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
                    "widths": widths,
                    "header": header,
                    "rows": rows,
                    "dense": dense,
                }
            )
        elif isinstance(block, PageBreak):
            result.append({"kind": "break"})
    return result


def _pairs(signatures: list[Signature]) -> list[list[Signature]]:
    return [signatures[index : index + 2] for index in range(0, len(signatures), 2)]


def document_date(content: Content) -> datetime.date | None:
    """The document's date, read from its date line ("…, ngày 05 tháng 3 năm 2021")."""
    found = re.search(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", content.place_date)
    if found is None:
        return None
    day, month, year = (int(group) for group in found.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


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


@functools.cache
def _pdf_engine() -> tuple[Any, Any]:
    """The parsed stylesheet and the font configuration, loaded once per process: finding and
    loading the fonts is most of the time of a small document's first rendering."""
    from weasyprint import CSS  # type: ignore[import-untyped]
    from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

    fonts = FontConfiguration()
    return CSS(filename=str(CSS_PATH), font_config=fonts), fonts


def lay_out_pdf(content: Content) -> Any:
    """The PDF's pages laid out (a ``weasyprint.Document``): ``render_pdf`` writes them; the
    layout tests read the boxes of their table cells."""
    from weasyprint import HTML

    stylesheet, fonts = _pdf_engine()
    return HTML(string=render_html(content)).render(stylesheets=[stylesheet], font_config=fonts)


def render_pdf(content: Content) -> bytes:
    pdf: bytes = lay_out_pdf(content).write_pdf()
    return pdf


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
    room: float = 165,
) -> Any:
    paragraph = container.add_paragraph()
    _paragraph_format(paragraph, align=align, before=before, after=after, indent=indent)
    lines = printable(text).split("\n")  # no control character in a DOCX (common.text)
    for index, line in enumerate(lines):
        run = paragraph.add_run()
        _font(run, size, bold=bold, italic=italic, underline=underline)
        _text(run, line, room, size, bold)
        if index < len(lines) - 1:
            run.add_break()
    return paragraph


_T, _NO_BREAK_HYPHEN, _PRESERVE = qn("w:t"), qn("w:noBreakHyphen"), qn("xml:space")


def _text(run: Any, line: str, room: float, size: float, bold: bool) -> None:
    """``line`` into ``run``; the hyphens inside a token that fits its line ("245/QĐ-UBND")
    are non-breaking hyphens, so Word never splits the token there. The elements are made
    directly: python-docx's ``run.text`` is most of the time of a large table's cells."""
    if "\t" in line:
        run.text = line  # w:tab elements
        return
    kept = [token for token in joined_tokens(line) if "-" in token]
    kept = [token for token in kept if _kept(token, room, size, bold)]
    pieces: list[str | None] = [line]  # None: a non-breaking hyphen
    if kept:
        pattern = "|".join(re.escape(token) for token in sorted(kept, key=len, reverse=True))
        position = 0
        pieces = []
        for match in re.finditer(pattern, line):
            pieces.append(line[position : match.start()])
            for index, part in enumerate(match.group().split("-")):
                if index:
                    pieces.append(None)
                pieces.append(part)
            position = match.end()
        pieces.append(line[position:])
    r = run._r
    for piece in pieces:
        if piece is None:
            r.append(r.makeelement(_NO_BREAK_HYPHEN, {}))
        elif piece:
            element = r.makeelement(_T, {_PRESERVE: "preserve"})
            element.text = piece
            r.append(element)


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


def _cell_margins(table: Any, side_mm: float, top_mm: float = 0) -> None:
    """The margins of every cell of ``table``: ``side_mm`` left and right (Word's default is
    1.9 mm), ``top_mm`` above and below."""
    margins = OxmlElement("w:tblCellMar")
    for edge, length in (
        ("top", top_mm),
        ("left", side_mm),
        ("bottom", top_mm),
        ("right", side_mm),
    ):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(round(Mm(length).twips)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")


# Paragraph properties in the schema's order, for inserting w:pBdr where Word expects it.
_AFTER_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _borders(paragraph: Any, edges: dict[str, int]) -> None:
    """Single 0.75 pt borders on ``edges`` of ``paragraph``, each ``space`` points from the text."""
    borders = OxmlElement("w:pBdr")
    for edge in ("top", "left", "bottom", "right"):
        if edge in edges:
            element = OxmlElement(f"w:{edge}")
            element.set(qn("w:val"), "single")
            element.set(qn("w:sz"), "6")  # eighths of a point
            element.set(qn("w:space"), str(edges[edge]))
            element.set(qn("w:color"), "000000")
            borders.append(element)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_BORDERS)


def _rule(container: Any, length: float, box: float, *, after: float) -> None:
    """A centred horizontal rule ``length`` mm long, in a box ``box`` mm wide: the bottom
    border of an empty paragraph two points high, indented from both sides."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(after)
    fmt.line_spacing = Pt(2)  # exactly
    side = max(0.0, (box - length) / 2)
    fmt.left_indent = fmt.right_indent = Mm(side)
    _borders(paragraph, {"bottom": 0})


def _draft_mark(container: Any, box: float) -> None:
    """ "DỰ THẢO" in a single-line frame, bold capitals, centred under the number."""
    paragraph = _paragraph(container, DRAFT_MARK, size=13, bold=True, align="center", after=0)
    paragraph.paragraph_format.space_before = Pt(6)
    side = max(0.0, (box - width_mm(DRAFT_MARK, 13, bold=True) - SLACK_MM) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Mm(side)
    _borders(paragraph, {"top": 1, "left": 4, "bottom": 1, "right": 4})


def _header(document: Any, content: Content, shape: Layout) -> None:
    left, right = shape.header_widths
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _fixed_widths(table, [left, right])
    _cell_margins(table, 0)  # as the HTML's header cells: the text has the cell's full width
    issuer, motto = (_cell(cell) for cell in table.rows[0].cells)
    if shape.parent:
        _paragraph(issuer, "\n".join(shape.parent), size=13, align="center", after=0, room=left)
    _paragraph(
        issuer, "\n".join(shape.issuer), size=13, bold=True, align="center", after=0, room=left
    )
    _rule(issuer, shape.issuer_rule, left, after=4)
    if content.number_line:
        _paragraph(issuer, content.number_line, size=13, align="center", after=0, room=left)
    if content.draft:
        _draft_mark(issuer, left)
    _paragraph(
        motto, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12.5, bold=True, align="center", after=0
    )
    _paragraph(motto, SLOGAN, size=SLOGAN_SIZE, bold=True, align="center", after=0)
    _rule(motto, shape.slogan_rule, right, after=6)
    _paragraph(motto, "\n".join(shape.place_date), size=14, italic=True, align="center", after=0)


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
    widths = column_widths(table)
    _fixed_widths(docx_table, widths)
    _cell_margins(docx_table, TABLE_PADDING_MM[is_dense(table)], TABLE_PADDING_TOP_MM)
    header = docx_table.rows[0]
    # The header row repeats on every page of a long table.
    header_properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_properties.append(repeat)
    size, dense = table_size(table), is_dense(table)
    rooms = [_cell_room(width, dense) for width in widths]
    for cell, column, room in zip(header.cells, table.columns, rooms, strict=False):
        title = _title(column, room, size)
        _paragraph(_cell(cell), title, size=size, bold=True, align="center", after=0, room=room)
    body = docx_table._tbl.tr_lst[1:]
    for index, (tr, row) in enumerate(zip(body, table.rows, strict=True)):
        bold = index in table.bold_rows
        for tc, value, column, room in zip(tr.tc_lst, row, table.columns, rooms, strict=False):
            _paragraph(
                _cell(_Cell(tc, docx_table)),
                value,
                size=size,
                bold=bold,
                align=column.align,
                after=0,
                room=room,
            )
    _paragraph(document, "", size=6, after=0)


def _signature(container: Any, signature: SignatureLayout, width: float) -> None:
    room = width - 2 * CELL_MARGIN_MM
    if signature.lines:
        text = "\n".join(signature.lines)
        _paragraph(container, text, size=14, bold=True, align="center", after=0, room=room)
    if signature.note:
        _paragraph(container, signature.note, size=13, italic=True, align="center", after=0)
    # The signing space (26 mm, as the stylesheet's), below the lines a shorter block lacks.
    for _ in range(signature.pad):
        _paragraph(container, "", size=14, align="center", after=0)
    for _ in range(4):
        _paragraph(container, "", size=14, align="center", after=0)
    if signature.name:
        _paragraph(container, signature.name, size=14, bold=True, align="center", after=0)


def _recipients(container: Any, recipients: list[str]) -> None:
    _paragraph(container, "Nơi nhận:", size=12, bold=True, italic=True, align="left", after=0)
    for line in recipients:
        _paragraph(container, f"- {line}", size=11, align="left", after=0)


def _footer(document: Any, content: Content, shape: Layout) -> None:
    widths = list(shape.footer_widths)
    rows = shape.signature_rows
    if shape.footer in {"single", "pair"}:
        table = document.add_table(rows=1, cols=2)
        _no_borders(table)
        _fixed_widths(table, widths)
        left, right = (_cell(cell) for cell in table.rows[0].cells)
        if shape.footer == "single":
            if content.recipients:
                _recipients(left, content.recipients)
            else:
                _paragraph(left, "", after=0)
            _signature(right, rows[0][0], widths[1])
        else:
            _signature(left, rows[0][0], widths[0])
            _signature(right, rows[0][1], widths[1])
        return
    if rows:
        table = document.add_table(rows=len(rows), cols=2)
        _no_borders(table)
        _fixed_widths(table, widths)
        for row, pair in zip(table.rows, rows, strict=True):
            cells = [_cell(cell) for cell in row.cells]
            for cell, signature, width in zip(cells, pair, widths, strict=False):
                _signature(cell, signature, width)
            if len(pair) == 1:
                _paragraph(cells[1], "", after=0)
    if content.recipients:
        _recipients(document, content.recipients)


LANGUAGE = "vi-VN"


def _vietnamese(document: Any) -> None:
    """Vietnamese as the language of every run (the default run properties and the Normal
    style), so that Word checks the spelling in Vietnamese instead of underlining every
    word as misspelt English."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    languages = [] if run_defaults is None else run_defaults.findall(f".//{qn('w:lang')}")
    normal = document.styles["Normal"].element.get_or_add_rPr()
    if normal.find(qn("w:lang")) is None:
        language = OxmlElement("w:lang")
        # In the schema's order: w:lang comes after the font, size and effects of a run.
        normal.insert_element_before(
            language, "w:eastAsianLayout", "w:specVanish", "w:oMath", "w:rPrChange"
        )
    languages.append(normal.find(qn("w:lang")))
    for language in languages:
        language.set(qn("w:val"), LANGUAGE)
        language.set(qn("w:eastAsia"), LANGUAGE)
    settings_element = document.settings.element
    theme = settings_element.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), LANGUAGE)
        theme.set(qn("w:eastAsia"), LANGUAGE)


def _properties(document: Any, content: Content) -> None:
    """The file's properties: the issuer as author, the title and subject, the document's
    date as created and modified (not python-docx's template of 2013), Vietnamese."""
    properties = document.core_properties
    properties.author = content.issuer
    properties.last_modified_by = content.issuer
    properties.title = " – ".join(part for part in (content.kind_title, content.subject) if part)
    properties.subject = content.subject
    properties.comments = ""
    properties.keywords = ""
    properties.language = LANGUAGE
    properties.revision = 1
    date = document_date(content)
    moment = (
        datetime.datetime(date.year, date.month, date.day, tzinfo=datetime.UTC)
        if date is not None
        else datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0)
    )
    properties.created = properties.modified = moment


def render_docx(content: Content) -> bytes:
    content = printable_content(content)
    document = DocxDocument()
    section = document.sections[0]
    page = page_of(content)
    if content.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(page["width"]), Mm(page["height"])
    section.top_margin, section.bottom_margin = Mm(page["top"]), Mm(page["bottom"])
    section.left_margin, section.right_margin = Mm(page["left"]), Mm(page["right"])
    section.header_distance = Mm(10)
    shape = layout(content)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    _vietnamese(document)
    _properties(document, content)
    for empty in list(document.paragraphs):  # the template's blank line would sit on top
        empty._p.getparent().remove(empty._p)
    _page_numbers(section)
    if content.demo_notice:
        _paragraph(document, content.demo_notice, size=11, italic=True, align="left", after=6)
    _header(document, content, shape)
    _paragraph(
        document, content.kind_title.upper(), size=14, bold=True, align="center", after=0, before=12
    )
    if shape.subject:
        _paragraph(document, "\n".join(shape.subject), size=14, bold=True, align="center", after=0)
        _rule(document, shape.subject_rule, shape.text_width, after=12)
    for block in content.blocks:
        if isinstance(block, Paragraph):
            _paragraph(
                document,
                block.text,
                bold=block.bold,
                italic=block.italic,
                align=block.align,
                indent=block.indent,
                room=shape.text_width,
            )
        elif isinstance(block, Heading):
            heading = _paragraph(
                document, block.text, bold=True, align="left", after=6, room=shape.text_width
            )
            heading.paragraph_format.keep_with_next = True  # never last on a page
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, PageBreak):
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _footer(document, content, shape)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
