"""The DOCX of a document: page, header, body, tables, signatures, language and properties."""

from __future__ import annotations

import datetime
import io
from typing import TYPE_CHECKING

from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

from reports.content import Content, Heading, PageBreak, Paragraph, Table, printable_content
from reports.render.docx_elements import (
    add_paragraph,
    add_rule,
    cell_margins,
    empty_cell,
    fixed_widths,
    no_borders,
    paragraph_borders,
    set_font,
)
from reports.render.geometry import (
    CELL_MARGIN_MM,
    DRAFT_MARK,
    FONT,
    SLACK_MM,
    SLOGAN,
    SLOGAN_SIZE,
    TABLE_PADDING_MM,
    TABLE_PADDING_TOP_MM,
    Layout,
    SignatureLayout,
    cell_room,
    column_title,
    column_widths,
    document_date,
    is_dense,
    layout,
    page_of,
    table_size,
)
from reports.render.memo import remembered
from reports.typesetting import width_mm

if TYPE_CHECKING:
    from docx.blkcntnr import BlockItemContainer
    from docx.document import Document
    from docx.section import Section


def _draft_mark(container: Document | BlockItemContainer, box: float) -> None:
    """ "DỰ THẢO" in a single-line frame, bold capitals, centred under the number."""
    paragraph = add_paragraph(container, DRAFT_MARK, size=13, bold=True, align="center", after=0)
    paragraph.paragraph_format.space_before = Pt(6)
    side = max(0.0, (box - width_mm(DRAFT_MARK, 13, bold=True) - SLACK_MM) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Mm(side)
    paragraph_borders(paragraph, {"top": 1, "left": 4, "bottom": 1, "right": 4})


def _header(document: Document, content: Content, shape: Layout) -> None:
    left, right = shape.header_widths
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(table)
    fixed_widths(table, [left, right])
    cell_margins(table, 0)  # as the HTML's header cells: the text has the cell's full width
    issuer, motto = (empty_cell(cell) for cell in table.rows[0].cells)
    if shape.parent:
        add_paragraph(issuer, "\n".join(shape.parent), size=13, align="center", after=0, room=left)
    add_paragraph(
        issuer, "\n".join(shape.issuer), size=13, bold=True, align="center", after=0, room=left
    )
    add_rule(issuer, shape.issuer_rule, left, after=4)
    if content.number_line:
        add_paragraph(issuer, content.number_line, size=13, align="center", after=0, room=left)
    if content.draft:
        _draft_mark(issuer, left)
    add_paragraph(
        motto, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12.5, bold=True, align="center", after=0
    )
    add_paragraph(motto, SLOGAN, size=SLOGAN_SIZE, bold=True, align="center", after=0)
    add_rule(motto, shape.slogan_rule, right, after=6)
    add_paragraph(motto, "\n".join(shape.place_date), size=14, italic=True, align="center", after=0)


def _page_numbers(section: Section) -> None:
    """A centred PAGE field in the header of every page but the first."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    set_font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _table(document: Document, table: Table) -> None:
    if table.caption:
        add_paragraph(document, table.caption, size=13, bold=True, align="center", after=4)
    docx_table = document.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    docx_table.style = "Table Grid"
    docx_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = column_widths(table)
    fixed_widths(docx_table, widths)
    cell_margins(docx_table, TABLE_PADDING_MM[is_dense(table)], TABLE_PADDING_TOP_MM)
    header = docx_table.rows[0]
    # The header row repeats on every page of a long table.
    header_properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_properties.append(repeat)
    size, dense = table_size(table), is_dense(table)
    rooms = [cell_room(width, dense) for width in widths]
    for cell, column, room in zip(header.cells, table.columns, rooms, strict=False):
        title = column_title(column, room, size)
        add_paragraph(
            empty_cell(cell), title, size=size, bold=True, align="center", after=0, room=room
        )
    body = docx_table._tbl.tr_lst[1:]
    for index, (tr, row) in enumerate(zip(body, table.rows, strict=True)):
        bold = index in table.bold_rows
        for tc, value, column, room in zip(tr.tc_lst, row, table.columns, rooms, strict=False):
            add_paragraph(
                empty_cell(_Cell(tc, docx_table)),
                value,
                size=size,
                bold=bold,
                align=column.align,
                after=0,
                room=room,
            )
    add_paragraph(document, "", size=6, after=0)


def _signature(
    container: Document | BlockItemContainer, signature: SignatureLayout, width: float
) -> None:
    room = width - 2 * CELL_MARGIN_MM
    if signature.lines:
        text = "\n".join(signature.lines)
        add_paragraph(container, text, size=14, bold=True, align="center", after=0, room=room)
    if signature.note:
        add_paragraph(container, signature.note, size=13, italic=True, align="center", after=0)
    # The signing space (26 mm, as the stylesheet's), below the lines a shorter block lacks.
    for _ in range(signature.pad):
        add_paragraph(container, "", size=14, align="center", after=0)
    for _ in range(4):
        add_paragraph(container, "", size=14, align="center", after=0)
    if signature.name:
        add_paragraph(container, signature.name, size=14, bold=True, align="center", after=0)


def _recipients(container: Document | BlockItemContainer, recipients: list[str]) -> None:
    add_paragraph(container, "Nơi nhận:", size=12, bold=True, italic=True, align="left", after=0)
    for line in recipients:
        add_paragraph(container, f"- {line}", size=11, align="left", after=0)


def _footer(document: Document, content: Content, shape: Layout) -> None:
    widths = list(shape.footer_widths)
    rows = shape.signature_rows
    if shape.footer in {"single", "pair"}:
        table = document.add_table(rows=1, cols=2)
        no_borders(table)
        fixed_widths(table, widths)
        left, right = (empty_cell(cell) for cell in table.rows[0].cells)
        if shape.footer == "single":
            if content.recipients:
                _recipients(left, content.recipients)
            else:
                add_paragraph(left, "", after=0)
            _signature(right, rows[0][0], widths[1])
        else:
            _signature(left, rows[0][0], widths[0])
            _signature(right, rows[0][1], widths[1])
        return
    if rows:
        table = document.add_table(rows=len(rows), cols=2)
        no_borders(table)
        fixed_widths(table, widths)
        for row, pair in zip(table.rows, rows, strict=True):
            cells = [empty_cell(cell) for cell in row.cells]
            for cell, signature, width in zip(cells, pair, widths, strict=False):
                _signature(cell, signature, width)
            if len(pair) == 1:
                add_paragraph(cells[1], "", after=0)
    if content.recipients:
        _recipients(document, content.recipients)


LANGUAGE = "vi-VN"


def _vietnamese(document: Document) -> None:
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


def _properties(document: Document, content: Content) -> None:
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
    """The DOCX of ``content``, or the same content's DOCX already rendered by this process
    (``memo``)."""
    return remembered("docx", repr(content), lambda: _render_docx(content))


def _render_docx(content: Content) -> bytes:
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
        add_paragraph(document, content.demo_notice, size=11, italic=True, align="left", after=6)
    _header(document, content, shape)
    add_paragraph(
        document, content.kind_title.upper(), size=14, bold=True, align="center", after=0, before=12
    )
    if shape.subject:
        add_paragraph(
            document, "\n".join(shape.subject), size=14, bold=True, align="center", after=0
        )
        add_rule(document, shape.subject_rule, shape.text_width, after=12)
    for block in content.blocks:
        if isinstance(block, Paragraph):
            add_paragraph(
                document,
                block.text,
                bold=block.bold,
                italic=block.italic,
                align=block.align,
                indent=block.indent,
                room=shape.text_width,
            )
        elif isinstance(block, Heading):
            heading = add_paragraph(
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
