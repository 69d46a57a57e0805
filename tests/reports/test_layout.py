"""The official layout (Nghị định 30/2020/NĐ-CP) of the generated files: page size and
margins, Times New Roman, the header table with set widths, page numbers from page 2; and the
PDFs rendered to PNG under var/test-artifacts/documents/ for a person to look at."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from PIL import Image, ImageFont

from demo.bench import Size, generate
from reports import builders
from reports.content import Table
from reports.models import Document
from reports.render import FONT, render_docx, render_html, render_pdf
from tests.reports.conftest import pdf_pages_png, poppler
from tests.reports.reading import docx
from tests.reports.worlds import DocumentsYear, draft

pytestmark = pytest.mark.django_db

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TEXT_WIDTH_MM = 210 - 30 - 15
BOLD_SERIF = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf")


def mm(length: int) -> float:
    return round(length / Mm(1), 1)


def docx_of(year: DocumentsYear, kind: str) -> bytes:
    return render_docx(builders.build(draft(year.year, kind)))


def test_a_document_is_a4_portrait_with_the_official_margins(year: DocumentsYear) -> None:
    section = docx(docx_of(year, Document.Kind.REPORT)).sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert tuple(mm(margin) for margin in margins) == (20, 20, 30, 15)


def test_the_score_table_is_a4_landscape(year: DocumentsYear) -> None:
    section = docx(docx_of(year, Document.Kind.SCORE_TABLE)).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (mm(section.page_width), mm(section.page_height)) == (297, 210)
    assert mm(section.left_margin) == mm(section.right_margin) == 20


def test_every_run_is_in_times_new_roman(year: DocumentsYear) -> None:
    document = docx(docx_of(year, Document.Kind.REPORT))
    assert document.styles["Normal"].font.name == FONT
    runs = [run for paragraph in document.paragraphs for run in paragraph.runs]
    runs += [
        run
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
    ]
    texts = [run for run in runs if run.text.strip()]
    assert texts
    assert {run.font.name for run in texts} == {FONT}
    # East-Asian and complex-script slots too, or Word picks another font for some letters.
    fonts = {
        run._element.rPr.rFonts.get(qn(slot)) for run in texts for slot in ("w:cs", "w:eastAsia")
    }
    assert fonts == {FONT}


def test_the_header_table_has_set_widths_and_the_motto_on_the_right(year: DocumentsYear) -> None:
    document = docx(docx_of(year, Document.Kind.REPORT))
    header = document.tables[0]
    layout = header._tbl.tblPr.find(qn("w:tblLayout"))
    assert layout is not None and layout.get(qn("w:type")) == "fixed"
    grid = [int(col.get(qn("w:w"))) for col in header._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert [round(width / 56.7) for width in grid] == [66, 99]  # twips → mm: 40 % and 60 %
    left, right = header.rows[0].cells
    assert [round(mm(cell.width)) for cell in (left, right)] == [66, 99]
    assert NATION not in left.text
    assert right.paragraphs[0].text == NATION
    assert right.paragraphs[1].text == "Độc lập - Tự do - Hạnh phúc"
    # Under the motto a rule as long as it (a bottom border, not an underline through the
    # dots below "ộ", "ự", "ạ"): tests/reports/test_typesetting.py measures it.
    assert right.paragraphs[2]._p.pPr.find(qn("w:pBdr")) is not None
    # The bloc issues (docs/documents.md, "Who issues"); a draft's number is blank.
    left_text = " ".join(left.text.split())
    assert "KHỐI THI ĐUA THAM MƯU III" in left_text and "/BC-KTĐ" in left_text
    assert sum(mm(cell.width) for cell in (left, right)) <= TEXT_WIDTH_MM


def test_the_national_motto_fits_its_cell_on_one_line(year: DocumentsYear) -> None:
    if not BOLD_SERIF.exists():
        pytest.skip(f"{BOLD_SERIF} is missing (apt-get install fonts-liberation2)")
    header = docx(docx_of(year, Document.Kind.REPORT)).tables[0]
    run = header.rows[0].cells[1].paragraphs[0].runs[0]
    size = run.font.size.pt
    # Liberation Serif has the metrics of Times New Roman: measure at 10× for precision.
    font = ImageFont.truetype(str(BOLD_SERIF), int(size * 10))
    width_mm = font.getlength(NATION) / 10 * 25.4 / 72
    cell_mm = mm(header.rows[0].cells[1].width)
    assert width_mm < cell_mm - 2 * 1.9  # the cell's default side padding


def test_page_numbers_start_on_page_two(year: DocumentsYear) -> None:
    section = docx(docx_of(year, Document.Kind.REPORT)).sections[0]
    assert section.different_first_page_header_footer
    header = section.header._element.xml
    assert "fldChar" in header and ">PAGE<" in header
    assert "PAGE" not in section.first_page_header._element.xml


def test_the_pdf_embeds_its_fonts(year: DocumentsYear, tmp_path: Path) -> None:
    tool = poppler("pdffonts")
    source = tmp_path / "report.pdf"
    source.write_bytes(render_pdf(builders.build(draft(year.year, Document.Kind.REPORT))))
    listing = subprocess.run([tool, str(source)], check=True, capture_output=True, text=True)
    fonts = listing.stdout.splitlines()[2:]
    assert fonts
    assert all("Liberation-Serif" in line for line in fonts)
    assert all(line.split()[-5] == "yes" for line in fonts)  # the "emb" column


@pytest.mark.parametrize(
    ("kind", "landscape"),
    [
        (Document.Kind.REPORT, False),
        (Document.Kind.MINUTES, False),
        (Document.Kind.SUBMISSION, False),
        (Document.Kind.COVENANT, False),
        (Document.Kind.SCORE_TABLE, True),
    ],
)
def test_each_pdf_is_rendered_to_png_for_review(
    year: DocumentsYear, kind: str, landscape: bool
) -> None:
    pdf = render_pdf(builders.build(draft(year.year, kind)))
    pages = pdf_pages_png(pdf, f"{kind}-2019")
    assert pages, "pdftoppm wrote no page"
    for page in pages:
        with Image.open(page) as image:
            width, height = image.size
        # A4: 210 × 297 mm, whichever way round.
        assert (width > height) == landscape
        assert abs(max(width, height) / min(width, height) - 297 / 210) < 0.01


def test_a_large_score_table_fits_the_landscape_page() -> None:
    """15 units × 80 criteria: the columns share the 257 mm text width, in a smaller size."""
    province = generate(Size(blocs=1, units=15, criteria=80, years=2), last_year=2020)
    document = draft(province.published_year, Document.Kind.SCORE_TABLE)
    content = builders.build(document)
    table = next(block for block in content.blocks if isinstance(block, Table))
    assert len(table.columns) == 18
    assert sum(column.width_mm for column in table.columns) <= 297 - 40 + 0.1
    assert min(column.width_mm for column in table.columns[3:]) >= 12
    grid = docx(render_docx(content)).tables[1]
    sizes = {
        run.font.size.pt
        for row in grid.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
    }
    assert sizes == {10}
    assert "dense" in render_html(content)


TABLE_PROPERTIES = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
]


def test_table_properties_are_in_the_order_word_requires(year: DocumentsYear) -> None:
    """Word refuses ("unreadable content") a table whose properties are out of the schema's
    order or repeated; LibreOffice does not mind, so only this test would notice."""
    for kind in (Document.Kind.REPORT, Document.Kind.MINUTES, Document.Kind.SCORE_TABLE):
        for table in docx(docx_of(year, kind)).tables:
            names = [child.tag.split("}")[1] for child in table._tbl.tblPr]
            assert len(names) == len(set(names)), names
            positions = [TABLE_PROPERTIES.index(name) for name in names]
            assert positions == sorted(positions), names
