"""Typesetting (Nghị định 30/2020/NĐ-CP, Phụ lục I): line breaks between words, balanced, the
same in the HTML and the DOCX; rules under the issuer, the motto and the subject; tokens such
as "245/QĐ-UBND" kept whole; Vietnamese as the DOCX's language and its properties; the
"DỰ THẢO" mark of a draft. The PDF itself is measured in test_pdf_layout.py."""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import re
import subprocess
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from reports.content import Content, Signature, Table
from reports.render import column_widths, layout, render_docx, render_fragment, render_pdf
from reports.render.geometry import (
    CSS_PATH,
    DRAFT_MARK,
    RULE_FRACTION,
    SLACK_MM,
    SLOGAN,
    SLOGAN_SIZE,
    TABLE_PADDING_MM,
)
from reports.typesetting import COMPOUNDS, balanced_lines, width_mm
from tests.reports.conftest import pdf_text, poppler
from tests.reports.reading import docx
from tests.reports.test_pdf_layout import HARD

NAMES = [
    "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
    "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
    "ĐÀI PHÁT THANH - TRUYỀN HÌNH QUẢNG NAM",
    "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
    "VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH",
    "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG",
    "KHỐI THI ĐUA VĂN HÓA - XÃ HỘI THÀNH PHỐ ĐÀ NẴNG",
    "GIÁM ĐỐC SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
]
WORDS = [compound.split() for compound in COMPOUNDS.split(";")]


def _splits_a_word(lines: list[str]) -> list[tuple[str, str]]:
    """The pairs of syllables of one word (COMPOUNDS) that end a line and begin the next."""
    return [
        (before, after)
        for before, after in itertools.pairwise(lines)
        for word in WORDS
        for index in range(1, len(word))
        if before.casefold().split()[-index:] == word[:index]
        and after.casefold().split()[: len(word) - index] == word[index:]
    ]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("available", "size"), [(65, 13), (78.7, 14)])
def test_a_name_breaks_between_words_into_lines_that_fit(
    name: str, available: float, size: float
) -> None:
    lines = balanced_lines(name, available, size, bold=True)
    assert " ".join(lines) == name
    assert all(width_mm(line, size, bold=True) <= available for line in lines), lines
    assert not _splits_a_word(lines), lines
    assert not any(line.startswith("-") for line in lines[1:]), lines


def test_the_break_makes_the_lines_as_equal_as_possible() -> None:
    """Not "SỞ LAO ĐỘNG - THƯƠNG / BINH VÀ XÃ HỘI" (a word split), nor "SỞ LAO ĐỘNG - THƯƠNG
    BINH / VÀ XÃ HỘI" (69 mm: wider than the 66 mm cell at 13 pt)."""
    assert balanced_lines(NAMES[0], 65, 13, bold=True) == ["SỞ LAO ĐỘNG -", "THƯƠNG BINH VÀ XÃ HỘI"]
    assert balanced_lines(NAMES[1], 65, 13, bold=True) == ["SỞ VĂN HÓA,", "THỂ THAO VÀ DU LỊCH"]
    assert balanced_lines("SỞ Y TẾ", 65, 13, bold=True) == ["SỞ Y TẾ"]
    assert balanced_lines("GIÁM ĐỐC SỞ Y TẾ\nTRƯỞNG KHỐI", 80, 14, bold=True) == [
        "GIÁM ĐỐC SỞ Y TẾ",
        "TRƯỞNG KHỐI",
    ]


def test_the_html_and_the_docx_print_the_same_lines() -> None:
    shape = layout(HARD)
    assert shape.issuer == ("SỞ LAO ĐỘNG -", "THƯƠNG BINH VÀ XÃ HỘI")
    signature = shape.signature_rows[0][0]
    assert signature.lines == (
        "TM. KHỐI THI ĐUA THAM MƯU III",
        "TRƯỞNG KHỐI",
        "GIÁM ĐỐC SỞ LAO ĐỘNG -",
        "THƯƠNG BINH VÀ XÃ HỘI",
    )
    html = render_fragment(HARD)
    assert "SỞ LAO ĐỘNG -<br>THƯƠNG BINH VÀ XÃ HỘI" in html
    assert "GIÁM ĐỐC SỞ LAO ĐỘNG -<br>THƯƠNG BINH VÀ XÃ HỘI" in html
    document = docx(render_docx(HARD))
    issuer = document.tables[0].rows[0].cells[0]
    assert [paragraph.text for paragraph in issuer.paragraphs][1] == "\n".join(shape.issuer)
    footer = document.tables[-1].rows[0].cells[1]
    assert footer.paragraphs[0].text == "\n".join(signature.lines)


def test_the_header_cells_have_no_side_margins_in_the_docx_as_in_the_html() -> None:
    header = docx(render_docx(HARD)).tables[0]
    margins = header._tbl.tblPr.find(qn("w:tblCellMar"))
    assert margins is not None
    assert {margins.find(qn(f"w:{side}")).get(qn("w:w")) for side in ("left", "right")} == {"0"}
    css = CSS_PATH.read_text()
    assert ".doc-header td { vertical-align: top; text-align: center; padding: 0;" in css


def _rule_mm(paragraph: object, box: float) -> float:
    """The length of the rule a paragraph's bottom border draws: its box less its indents."""
    fmt = paragraph.paragraph_format  # type: ignore[attr-defined]
    return box - (fmt.left_indent + fmt.right_indent) / Mm(1)


def _has_bottom_rule(paragraph: object) -> bool:
    properties = paragraph._p.pPr  # type: ignore[attr-defined]
    borders = properties.find(qn("w:pBdr")) if properties is not None else None
    return borders is not None and borders.find(qn("w:bottom")) is not None


def test_the_rules_under_the_issuer_the_motto_and_the_subject() -> None:
    """Nghị định 30/2020, Phụ lục I: under the issuer and under the subject a rule 1/3 to 1/2 of
    the line above it, centred; under "Độc lập - Tự do - Hạnh phúc" a rule as long as it. The
    DOCX draws them as bottom borders of empty paragraphs, the HTML as blocks 40 % of the
    shrink-wrapped lines above (the motto's as its own bottom border)."""
    shape = layout(HARD)
    document = docx(render_docx(HARD))
    left, right = shape.header_widths
    issuer, motto = document.tables[0].rows[0].cells
    issuer_rule = next(p for p in issuer.paragraphs if _has_bottom_rule(p))
    longest = max(width_mm(line, 13, bold=True) for line in shape.issuer)
    assert longest / 3 <= _rule_mm(issuer_rule, left) <= longest / 2
    motto_rule = next(p for p in motto.paragraphs if _has_bottom_rule(p))
    assert abs(_rule_mm(motto_rule, right) - width_mm(SLOGAN, SLOGAN_SIZE, bold=True)) < 0.1
    body = document.paragraphs
    subject = next(index for index, p in enumerate(body) if p.text.startswith("Tổng kết"))
    assert _has_bottom_rule(body[subject + 1])
    longest = max(width_mm(line, 14, bold=True) for line in shape.subject)
    assert longest / 3 <= _rule_mm(body[subject + 1], shape.text_width) <= longest / 2
    html = render_fragment(HARD)
    assert html.count('<span class="rule"></span>') == 2  # the issuer's and the subject's
    css = CSS_PATH.read_text()
    assert f"width: {RULE_FRACTION:.0%}" in css
    assert ".doc-header .slogan {" in css and "border-bottom: 0.75pt solid #000" in css


def test_a_token_with_a_hyphen_or_a_slash_is_kept_whole_where_it_fits() -> None:
    html = render_fragment(HARD)
    assert '<span class="nobr">245/QĐ-UBND</span>' in html
    assert '<span class="nobr">LĐ-TB&amp;XH</span>' in html
    cell = docx(render_docx(HARD)).tables[1].rows[1].cells[3]
    assert cell.text == "Quyết định số 245/QĐ-UBND ngày 25/03/2021"
    assert cell.paragraphs[0]._p.xpath(".//w:noBreakHyphen")  # Word never breaks there


def test_a_column_too_narrow_for_its_longest_word_grows() -> None:
    """The code "VII.1" in the 12 mm code column and "LĐ-TB&XH" in a 22 mm one: they grow, the
    criterion's title gives the room, the total stays."""
    table = HARD.blocks[3]
    assert isinstance(table, Table)
    widths = column_widths(table)
    assert sum(widths) == pytest.approx(sum(column.width_mm for column in table.columns))
    padding = 2 * TABLE_PADDING_MM[False]
    assert widths[0] >= width_mm("VII.1", 12) + padding
    assert widths[3] >= width_mm("LĐ-TB&XH", 12, bold=True) + padding + SLACK_MM  # kept whole
    assert widths[1] < 115


def test_the_names_of_a_row_of_signatures_stand_at_one_height() -> None:
    content = dataclasses.replace(
        HARD,
        recipients=[],
        signatures=[
            Signature(("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "GIÁM ĐỐC"), "Nguyễn Thanh Hồng"),
            Signature(("SỞ Y TẾ", "GIÁM ĐỐC"), "Nguyễn Văn Hải"),
            Signature(("ĐÀI PHÁT THANH - TRUYỀN HÌNH QUẢNG NAM", "GIÁM ĐỐC"), "Nguyễn Văn Hùng"),
        ],
    )
    rows = layout(content).signature_rows
    assert [len(row) for row in rows] == [2, 1]
    heights = {len(block.lines) + bool(block.note) + block.pad for block in rows[0]}
    assert len(heights) == 1
    assert rows[0][1].pad == 1  # "SỞ VĂN HÓA, / THỂ THAO VÀ DU LỊCH" takes two lines


def test_the_docx_is_in_vietnamese_with_the_documents_properties() -> None:
    document = docx(render_docx(HARD))
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "vi-VN"
    normal = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert normal.get(qn("w:val")) == "vi-VN"
    properties = document.core_properties
    assert properties.author == "Sở Lao động - Thương binh và Xã hội"
    assert properties.title.startswith("BÁO CÁO – Tổng kết công tác thi đua năm 2020")
    assert properties.language == "vi-VN"
    moment = datetime.datetime(2021, 3, 5, tzinfo=datetime.UTC)
    assert properties.created == properties.modified == moment
    assert "python-docx" not in (properties.comments + properties.author)


def test_the_pdf_has_the_documents_properties(tmp_path: Path) -> None:
    tool = poppler("pdfinfo")
    source = tmp_path / "report.pdf"
    source.write_bytes(render_pdf(HARD))
    info = subprocess.run([tool, str(source)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Title:\s+BÁO CÁO – Tổng kết", info, re.M)
    assert re.search(r"^Author:\s+Sở Lao động - Thương binh và Xã hội$", info, re.M)
    assert re.search(r"^CreationDate:.*2021", info, re.M)


def _draft(content: Content) -> Content:
    return dataclasses.replace(content, draft=True)


def test_a_draft_is_marked_in_the_three_renderings() -> None:
    """The words "DỰ THẢO" in a frame under the number, as offices mark a draft; never on an issued
    document."""
    assert DRAFT_MARK not in render_fragment(HARD)
    assert DRAFT_MARK not in pdf_text(render_pdf(HARD))
    assert DRAFT_MARK not in "\n".join(p.text for p in docx(render_docx(HARD)).paragraphs)
    assert DRAFT_MARK not in docx(render_docx(HARD)).tables[0].rows[0].cells[0].text

    html = render_fragment(_draft(HARD))
    assert f'<div class="draft-mark">{DRAFT_MARK}</div>' in html
    issuer = docx(render_docx(_draft(HARD))).tables[0].rows[0].cells[0]
    mark = issuer.paragraphs[-1]
    assert mark.text == DRAFT_MARK
    borders = mark._p.pPr.find(qn("w:pBdr"))
    assert {child.tag.split("}")[1] for child in borders} == {"top", "left", "bottom", "right"}
    text = pdf_text(render_pdf(_draft(HARD)))
    first_page = text.split("\f")[0]
    lines = first_page.splitlines()
    number = next(index for index, line in enumerate(lines) if "Số: 05/BC" in line)
    assert DRAFT_MARK in "\n".join(lines[number : number + 3])  # under the number
    assert text.count(DRAFT_MARK) == 1  # the first page only


def test_the_stylesheet_sets_the_page_alone_and_never_breaks_a_word() -> None:
    css = CSS_PATH.read_text()
    assert "body { margin: 0; }" in css  # not the browser's 8 px on top of @page's margins
    assert "hyphens: none; overflow-wrap: normal;" in css
    assert ".document .nobr { white-space: nowrap; }" in css
