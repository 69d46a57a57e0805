"""Every document of the demonstration, rendered to PDF, measured with the PDF's own word boxes
(``pdftotext -bbox-layout``): A4; the text within the margins the DOCX sets, and reaching them
(within 1 mm); page numbers from page 2, top centre; no word outside its table cell; and no
word of the content split across two lines.

The demo is loaded once for the module, in a transaction rolled back at the end; every kind of
every bloc-year is printed as the conference pack would print it (``services.document_draft``,
nothing saved). The cells' borders come from WeasyPrint's layout of the same PDF
(``render.lay_out_pdf``): the PDF has no notion of a cell, only lines drawn near the words.
"""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from docx.shared import Mm

from blocs.models import BlocYear
from demo.awards import load_awards
from demo.organisation import load_organisation
from demo.scoring import load_scoring
from reports import builders, services
from reports.content import Column, Content, Heading, Paragraph, Signature, Table
from reports.models import Document
from reports.render import lay_out_pdf, render_docx, text_width_of
from reports.typesetting import width_mm
from tests.reports.conftest import poppler
from tests.reports.reading import docx

# The mark makes pytest-django set up the test database, which the module's fixture fills (in
# a transaction it rolls back); without it the fixture would reach the development database.
pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # points in a millimetre
TOLERANCE = 0.3 * MM  # a glyph's box may stand this far past its line's edge
# WeasyPrint 70 draws some justified lines up to 0.6 mm wider than it lays them out (the
# spacing it adds between words for justification): the page margins are checked within 1 mm.
MARGIN_TOLERANCE = 1 * MM
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
MARGINS = ("left", "right", "top", "bottom")
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return min(self.x1, other.x1) - max(self.x0, other.x0) > TOLERANCE and (
            min(self.y1, other.y1) - max(self.y0, other.y0) > TOLERANCE
        )

    def holds(self, other: Box, tolerance: float = TOLERANCE) -> bool:
        return (
            other.x0 >= self.x0 - tolerance
            and other.x1 <= self.x1 + tolerance
            and other.y0 >= self.y0 - tolerance
            and other.y1 <= self.y1 + tolerance
        )


@dataclass(frozen=True)
class Word:
    box: Box
    text: str


@dataclass(frozen=True)
class Cell:
    box: Box
    bordered: bool  # a cell of a document table (drawn borders), not of the header or footer


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]
    cells: tuple[Cell, ...]
    margins: dict[str, float]  # the @page margins WeasyPrint laid the page out with, in points


@dataclass(frozen=True)
class Printed:
    name: str  # "QNA-TM3-2020-report"
    content: Content
    pages: tuple[Page, ...]
    margins: dict[str, float]  # the DOCX's section, in points: left, right, top, bottom, …


def _words(pdf: bytes) -> list[tuple[float, float, list[Word]]]:
    tool = poppler("pdftotext")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(pdf)
        result = subprocess.run(
            [tool, "-bbox-layout", "-enc", "UTF-8", str(source), "-"],
            check=True,
            capture_output=True,
            timeout=60,
        )
    pages = []
    for page in PAGE.finditer(result.stdout.decode("utf-8")):
        words = [
            Word(Box(*(float(value) for value in found[:4])), html.unescape(found[4]))
            for found in WORD.findall(page.group(3))
        ]
        pages.append((float(page.group(1)), float(page.group(2)), words))
    return pages


def _page_margins(page: Any) -> dict[str, float]:
    box = page._page_box
    return {side: getattr(box, f"margin_{side}") * 0.75 for side in MARGINS}


def _cells(page: Any) -> list[Cell]:
    """The border boxes of the table cells WeasyPrint laid out on ``page``, in points."""
    from weasyprint.formatting_structure import boxes

    px = 0.75  # a CSS pixel in points
    cells = []
    for box in page._page_box.descendants():
        if isinstance(box, boxes.TableCellBox):
            x, y = box.border_box_x() * px, box.border_box_y() * px
            width, height = box.border_width() * px, box.border_height() * px
            bordered = box.style["border_left_width"] > 0 or box.style["border_right_width"] > 0
            cells.append(Cell(Box(x, y, x + width, y + height), bordered))
    return cells


def _docx_margins(content: Content) -> dict[str, float]:
    section = docx(render_docx(content)).sections[0]
    return {
        name: getattr(section, attribute) / Mm(1) * MM
        for name, attribute in (
            ("left", "left_margin"),
            ("right", "right_margin"),
            ("top", "top_margin"),
            ("bottom", "bottom_margin"),
            ("width", "page_width"),
            ("height", "page_height"),
        )
    }


def _print(name: str, content: Content) -> Printed:
    laid_out = lay_out_pdf(content)
    pdf = laid_out.write_pdf()
    read = _words(pdf)
    assert len(read) == len(laid_out.pages)
    pages = tuple(
        Page(width, height, tuple(words), tuple(_cells(page)), _page_margins(page))
        for (width, height, words), page in zip(read, laid_out.pages, strict=True)
    )
    return Printed(name, content, pages, _docx_margins(content))


@pytest.fixture(scope="module")
def printed(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[Printed]]:
    """Every kind of document of every bloc-year of the demo, printed."""
    poppler("pdftotext")
    documents = []
    with django_db_blocker.unblock(), transaction.atomic():
        load_organisation()
        load_scoring()
        load_awards()
        years = BlocYear.objects.select_related("bloc__council").order_by(
            "bloc__council__code", "bloc__code", "year"
        )
        for bloc_year in years:
            for kind in Document.Kind.values:
                document = services.document_draft(bloc_year=bloc_year, kind=kind)
                bloc = bloc_year.bloc
                name = f"{bloc.council.code}-{bloc.code}-{bloc_year.year}-{kind}"
                documents.append(_print(name, builders.build(document)))
        transaction.set_rollback(True)
    assert {document.name.rsplit("-", 1)[1] for document in documents} == set(Document.Kind.values)
    yield documents


def _mm(points: float) -> str:
    return f"{points / MM:.1f} mm"


def _is_page_number(word: Word, margins: dict[str, float]) -> bool:
    return word.box.y1 <= margins["top"] and word.text.isdigit()


def size_problems(documents: list[Printed]) -> list[str]:
    """Pages not A4 the way round of their DOCX, or not of the DOCX's size and margins."""
    problems = []
    for document in documents:
        margins = document.margins
        expected = (297, 210) if document.content.landscape else (210, 297)
        for number, page in enumerate(document.pages, start=1):
            size = (round(page.width / MM), round(page.height / MM))
            if size != expected:
                problems.append(f"{document.name} p.{number}: {size} mm, not {expected}")
            if abs(page.width - margins["width"]) > 0.1 * MM or (
                abs(page.height - margins["height"]) > 0.1 * MM
            ):
                problems.append(f"{document.name} p.{number}: not the DOCX's page size")
            problems += [
                f"{document.name} p.{number}: {side} margin {_mm(page.margins[side])}, "
                f"the DOCX's {_mm(margins[side])}"
                for side in MARGINS
                if abs(page.margins[side] - margins[side]) > 0.1 * MM
            ]
    return problems


def margin_problems(documents: list[Printed]) -> list[str]:
    """Words outside the DOCX's margins (but the page number, which stands in the top margin,
    centred over the text, from page 2 on)."""
    problems = []
    for document in documents:
        margins = document.margins
        for number, page in enumerate(document.pages, start=1):
            area = Box(
                margins["left"],
                margins["top"],
                page.width - margins["right"],
                page.height - margins["bottom"],
            )
            numbers = [word for word in page.words if _is_page_number(word, margins)]
            expected = [] if number == 1 else [str(number)]
            if [word.text for word in numbers] != expected:
                problems.append(f"{document.name} p.{number}: page number {numbers}")
            for word in numbers:
                middle = (word.box.x0 + word.box.x1) / 2
                if abs(middle - (area.x0 + area.x1) / 2) > MM:
                    problems.append(f"{document.name} p.{number}: page number off centre")
            problems += [
                f"{document.name} p.{number}: {word.text!r} at "
                f"{_mm(word.box.x0)}–{_mm(word.box.x1)}, {_mm(word.box.y0)}–{_mm(word.box.y1)}"
                for word in page.words
                if word not in numbers and not area.holds(word.box, MARGIN_TOLERANCE)
            ]
    return problems


def _extent(word: Word, page: Page) -> Box:
    """How far the text reaches: a word's box, or the cell of a bordered table it is in (whose
    border stands on the margin, the text inside it a padding away)."""
    for cell in page.cells:
        if cell.bordered and cell.box.holds(word.box):
            return cell.box
    return word.box


def _reaches(content: Content) -> tuple[bool, bool]:
    """Whether the content has text that starts at the left margin (a heading, a table) and
    text that ends at the right one (a table, a justified paragraph longer than a line)."""
    width = text_width_of(content)
    tables = any(isinstance(block, Table) for block in content.blocks)
    headings = any(isinstance(block, Heading) for block in content.blocks)
    justified = any(
        isinstance(block, Paragraph)
        and block.align == "justify"
        and width_mm(block.text, 14, bold=block.bold, italic=block.italic) > 1.2 * width
        for block in content.blocks
    )
    return tables or headings, tables or justified


def reach_problems(documents: list[Printed]) -> list[str]:
    """The leftmost and rightmost extents of the text away from the DOCX's side margins (by
    more than 1 mm), in the documents that have text reaching them."""
    problems = []
    for document in documents:
        margins = document.margins
        extents = [
            (_extent(word, page), page)
            for page in document.pages
            for word in page.words
            if not _is_page_number(word, margins)
        ]
        left = min(box.x0 for box, _page in extents)
        right = min(page.width - box.x1 for box, page in extents)
        reaches_left, reaches_right = _reaches(document.content)
        if reaches_left and abs(left - margins["left"]) > MARGIN_TOLERANCE:
            problems.append(f"{document.name}: left {_mm(left)}, not {_mm(margins['left'])}")
        if reaches_right and abs(right - margins["right"]) > MARGIN_TOLERANCE:
            problems.append(f"{document.name}: right {_mm(right)}, not {_mm(margins['right'])}")
    return problems


def cell_problems(documents: list[Printed]) -> list[str]:
    """Words that touch a table cell but do not lie within one ("245/QĐ-" past the border)."""
    problems = []
    for document in documents:
        for number, page in enumerate(document.pages, start=1):
            for word in page.words:
                touched = [cell for cell in page.cells if cell.box.overlaps(word.box)]
                if touched and not any(cell.box.holds(word.box) for cell in touched):
                    cell = touched[0].box
                    problems.append(
                        f"{document.name} p.{number}: {word.text!r} at "
                        f"{_mm(word.box.x0)}–{_mm(word.box.x1)}, cell {_mm(cell.x0)}–{_mm(cell.x1)}"
                    )
    return problems


def _normal(word: str) -> str:
    return unicodedata.normalize("NFC", word).casefold()


def source_words(content: Content) -> Counter[str]:
    """The words of everything the content prints (its header, blocks, captions, signatures)."""
    texts = [content.text(), content.demo_notice]
    texts += [block.caption for block in content.blocks if isinstance(block, Table)]
    texts += [signature.note for signature in content.signatures]
    return Counter(_normal(word) for text in texts for word in text.split())


def split_problems(documents: list[Printed]) -> list[str]:
    """Words of the content missing whole from the PDF: a word broken at a line's end
    ("245/QĐ-" + "UBND", "LĐ-" + "TB&XH", "VII." + "1") is two other words there."""
    problems = []
    for document in documents:
        found = Counter(_normal(word.text) for page in document.pages for word in page.words)
        missing = source_words(document.content) - found
        if missing:
            problems.append(f"{document.name}: {sorted(missing.elements())}")
    return problems


def test_every_page_is_a4_with_the_page_and_margins_of_the_docx(printed: list[Printed]) -> None:
    problems = size_problems(printed)
    assert not problems, "\n".join(problems)


def test_no_text_crosses_the_margins(printed: list[Printed]) -> None:
    problems = margin_problems(printed)
    assert not problems, "\n".join(problems)


def test_the_text_reaches_the_margins_of_the_docx(printed: list[Printed]) -> None:
    """The PDF's margins are the DOCX's, not the DOCX's plus the browser's 8 px (which gave
    32.1 mm on the left and 17.1 mm on the right)."""
    problems = reach_problems(printed)
    assert not problems, "\n".join(problems)
    checked = sum(sum(_reaches(document.content)) for document in printed)
    assert checked >= len(printed)  # most documents have text on both margins


def test_no_text_leaves_its_table_cell(printed: list[Printed]) -> None:
    problems = cell_problems(printed)
    assert not problems, "\n".join(problems)


def test_no_word_is_split_across_lines(printed: list[Printed]) -> None:
    problems = split_problems(printed)
    assert not problems, "\n".join(problems)


HARD = Content(
    issuer_parent="UBND tỉnh Quảng Nam",
    issuer="Sở Lao động - Thương binh và Xã hội",
    number_line="Số: 05/BC-SLĐTBXH",
    place_date="Quảng Nam, ngày 05 tháng 3 năm 2021",
    kind_title="BÁO CÁO",
    subject=(
        "Tổng kết công tác thi đua năm 2020 và phương hướng, nhiệm vụ năm 2021 "
        "của Khối thi đua tham mưu III"
    ),
    blocks=[
        Heading("IV. KẾT QUẢ BÌNH XÉT, ĐỀ NGHỊ KHEN THƯỞNG"),
        Paragraph(
            "Theo Quyết định số 245/QĐ-UBND ngày 25/03/2021 của Ủy ban nhân dân tỉnh, "
            "Sở Lao động - Thương binh và Xã hội được tặng Cờ thi đua của Chính phủ."
        ),
        Table(
            columns=(
                Column("TT", 12, "center"),
                Column("Đơn vị", 62),
                Column("Hình thức khen thưởng", 48),
                Column("Kết quả", 43),
            ),
            rows=(
                (
                    "1",
                    "Sở Lao động - Thương binh và Xã hội",
                    "Cờ thi đua của Chính phủ",
                    "Quyết định số 245/QĐ-UBND ngày 25/03/2021",
                ),
            ),
        ),
        Table(
            columns=(
                Column("Mã", 12),
                Column("Tiêu chí", 115),
                Column("Tối đa", 16, "right"),
                Column("Sở LĐ-TB&XH", 22, "right"),
            ),
            rows=(("VII.1", "Chậm gửi báo cáo, hồ sơ thi đua", "−5,00", "−1,00"),),
        ),
    ],
    signatures=[
        Signature(
            lines=(
                "TM. KHỐI THI ĐUA THAM MƯU III",
                "TRƯỞNG KHỐI",
                "GIÁM ĐỐC SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
            ),
            name="Nguyễn Văn Hải",
        )
    ],
    recipients=["Hội đồng Thi đua - Khen thưởng tỉnh (b/c)", "Lưu: VT."],
)


def test_the_cases_of_the_issue_print_within_their_cells_and_unbroken() -> None:
    """What issue 15 saw: "SỞ LAO ĐỘNG - THƯƠNG / BINH VÀ XÃ HỘI" in the header, "245/QĐ-"
    running 2.8 mm out of its 43 mm cell; and a code ("VII.1") and a unit's short name
    ("LĐ-TB&XH") wider than their columns."""
    document = _print("issue-15", HARD)
    for check in (size_problems, margin_problems, reach_problems, cell_problems, split_problems):
        problems = check([document])
        assert not problems, "\n".join(problems)
    words = [word for page in document.pages for word in page.words]

    def line_of(text: str) -> set[float]:
        return {round(word.box.y0) for word in words if word.text == text}

    # The words of the issuer's name stand on one line each, in the header and the signature.
    for first, second in (("THƯƠNG", "BINH"), ("XÃ", "HỘI"), ("LAO", "ĐỘNG")):
        assert line_of(first) == line_of(second), (first, second)


def test_the_checks_see_what_issue_15_saw() -> None:
    """The checks themselves, on the measurements of the PDFs before the fix: the report's
    text 32.1 mm from the left edge and 17.1 mm from the right (the browser's 8 px body
    margin), and "245/QĐ-" ending 2.8 mm past its cell's right border, "UBND" on the next line."""
    left, right, top = 32.1 * MM, (210 - 17.1) * MM, 40 * MM
    cell = Cell(Box(150 * MM, top, right, top + 20 * MM), bordered=True)
    words = (
        Word(Box(left, top - 10 * MM, right, top - 5 * MM), "Khối"),  # a justified line
        Word(Box(155 * MM, top, right + 2.8 * MM, top + 5 * MM), "245/QĐ-"),
        Word(Box(155 * MM, top + 6 * MM, 165 * MM, top + 11 * MM), "UBND"),
    )
    page = Page(210 * MM, 297 * MM, words, (cell,), dict.fromkeys(MARGINS, 0.0))
    margins = {"left": 30 * MM, "right": 15 * MM, "top": 20 * MM, "bottom": 20 * MM}
    margins |= {"width": 210 * MM, "height": 297 * MM}
    content = Content(
        issuer_parent="",
        issuer="Sở Y tế",
        number_line="",
        place_date="",
        kind_title="",
        subject="",
        blocks=[Heading("Khối"), Paragraph("Quyết định số 245/QĐ-UBND")],
    )
    before = Printed("before", content, (page,), margins)
    assert size_problems([before])  # WeasyPrint's page margins (0 here) are not the DOCX's
    # On the right the word past its cell reaches 14.3 mm from the edge: the cells' check sees it.
    assert reach_problems([before]) == ["before: left 32.1 mm, not 30.0 mm"]
    assert cell_problems([before]) == [
        "before p.1: '245/QĐ-' at 155.0 mm–195.7 mm, cell 150.0 mm–192.9 mm"
    ]
    assert "'245/qđ-ubnd'" in split_problems([before])[0]
