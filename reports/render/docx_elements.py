"""The DOCX's building blocks: runs and paragraphs (their properties built once and copied),
text with non-breaking hyphens, table widths, margins and borders, horizontal rules."""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from common.text import printable
from reports.render.geometry import FONT, kept_whole
from reports.typesetting import joined_tokens

if TYPE_CHECKING:
    from docx.blkcntnr import BlockItemContainer
    from docx.document import Document
    from docx.oxml.text.parfmt import CT_PPr
    from docx.oxml.text.run import CT_RPr
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

# python-docx builds each run's and paragraph's properties element by element, which is most
# of the time of a large table; the properties are built once per combination and copied.
_RUN_PROPERTIES: dict[tuple[float, bool, bool, bool], CT_RPr | None] = {}
_PARAGRAPH_PROPERTIES: dict[tuple[str, float, float, bool], CT_PPr | None] = {}


def set_font(
    run: Run, size: float, *, bold: bool = False, italic: bool = False, underline: bool = False
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
    paragraph: Paragraph, *, align: str, before: float, after: float, indent: bool
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


def add_paragraph(
    container: Document | BlockItemContainer,
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
) -> Paragraph:
    paragraph = container.add_paragraph()
    _paragraph_format(paragraph, align=align, before=before, after=after, indent=indent)
    lines = printable(text).split("\n")  # no control character in a DOCX (common.text)
    for index, line in enumerate(lines):
        run = paragraph.add_run()
        set_font(run, size, bold=bold, italic=italic, underline=underline)
        _text(run, line, room, size, bold)
        if index < len(lines) - 1:
            run.add_break()
    return paragraph


_T, _NO_BREAK_HYPHEN, _PRESERVE = qn("w:t"), qn("w:noBreakHyphen"), qn("xml:space")


def _text(run: Run, line: str, room: float, size: float, bold: bool) -> None:
    """``line`` into ``run``; the hyphens inside a token that fits its line ("245/QĐ-UBND")
    are non-breaking hyphens, so Word never splits the token there. The elements are made
    directly: python-docx's ``run.text`` is most of the time of a large table's cells."""
    if "\t" in line:
        run.text = line  # w:tab elements
        return
    kept = [token for token in joined_tokens(line) if "-" in token]
    kept = [token for token in kept if kept_whole(token, room, size, bold)]
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


def no_borders(table: Table) -> None:
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


def fixed_widths(table: Table, widths_mm: list[float]) -> None:
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


def empty_cell(cell: _Cell) -> _Cell:
    """A cell emptied of its default paragraph, ready to receive ours."""
    cell._tc.remove(cell.paragraphs[0]._p)
    return cell


def cell_margins(table: Table, side_mm: float, top_mm: float = 0) -> None:
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


def paragraph_borders(paragraph: Paragraph, edges: dict[str, int]) -> None:
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


def add_rule(
    container: Document | BlockItemContainer, length: float, box: float, *, after: float
) -> None:
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
    paragraph_borders(paragraph, {"bottom": 0})
