"""Renderings remembered by the process (reports/render/memo.py): the same content is rendered
once and given again byte for byte; a change anywhere is rendered anew; the memory is bounded;
and a second conference pack of unchanged drafts lays out no PDF."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest

from reports import services
from reports.content import Content, Paragraph
from reports.render import memo, pdf, render_docx, render_pdf
from tests.reports.conftest import pdf_text
from tests.reports.reading import docx_text
from tests.reports.worlds import DocumentsYear


@pytest.fixture(autouse=True)
def nothing_remembered() -> Iterator[None]:
    memo.forget()
    yield
    memo.forget()


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML of every PDF WeasyPrint lays out."""
    seen: list[str] = []
    lay_out = pdf._lay_out

    def counted(html: str) -> Any:
        seen.append(html)
        return lay_out(html)

    monkeypatch.setattr(pdf, "_lay_out", counted)
    return seen


def content(text: str) -> Content:
    return Content(
        issuer_parent="UBND TỈNH QUẢNG NAM",
        issuer="KHỐI THI ĐUA THAM MƯU III",
        number_line="Số: 02/BC-KTĐ",
        place_date="Quảng Nam, ngày 02 tháng 3 năm 2021",
        kind_title="BÁO CÁO",
        subject="Tổng kết công tác thi đua năm 2020",
        blocks=[Paragraph(text)],
    )


def test_the_same_content_is_laid_out_once_and_a_change_anew(layouts: list[str]) -> None:
    first = render_pdf(content("Các đơn vị hoàn thành tốt nhiệm vụ."))
    again = render_pdf(content("Các đơn vị hoàn thành tốt nhiệm vụ."))  # equal, not the same
    assert again == first and len(layouts) == 1
    changed = render_pdf(content("Các đơn vị hoàn thành xuất sắc nhiệm vụ."))
    assert len(layouts) == 2 and changed != first
    assert "xuất sắc" in pdf_text(changed) and "xuất sắc" not in pdf_text(first)


def test_a_docx_is_remembered_by_its_whole_content() -> None:
    first = render_docx(content("Năm 2020"))
    assert render_docx(content("Năm 2020")) is first  # given again: the very same bytes
    other = render_docx(content("Năm 2021"))
    assert "Năm 2021" in docx_text(other) and "Năm 2021" not in docx_text(first)


def test_the_least_recently_used_rendering_is_forgotten_past_the_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(memo, "LIMIT_BYTES", 10)
    calls: list[str] = []

    def render(name: str, size: int) -> bytes:
        calls.append(name)
        return b"x" * size

    memo.remembered("pdf", "a", lambda: render("a", 4))
    memo.remembered("pdf", "b", lambda: render("b", 4))
    memo.remembered("pdf", "a", lambda: render("a", 4))  # remembered; now the most recent
    memo.remembered("pdf", "c", lambda: render("c", 4))  # 12 bytes > 10: "b" goes
    memo.remembered("pdf", "a", lambda: render("a", 4))
    memo.remembered("pdf", "b", lambda: render("b", 4))
    memo.remembered("pdf", "big", lambda: render("big", 11))  # larger than the bound: not kept
    memo.remembered("pdf", "big", lambda: render("big", 11))
    assert calls == ["a", "b", "c", "b", "big", "big"]


@pytest.mark.django_db
def test_a_second_pack_of_unchanged_drafts_lays_out_no_pdf(
    year: DocumentsYear, layouts: list[str]
) -> None:
    first = services.conference_pack(year.year, with_workbook=True)
    assert len(layouts) == 5  # report, minutes, submission, score table, next covenant
    second = services.conference_pack(year.year, with_workbook=True)
    assert len(layouts) == 5
    with zipfile.ZipFile(io.BytesIO(first)) as one, zipfile.ZipFile(io.BytesIO(second)) as two:
        assert one.namelist() == two.namelist()
        assert all(one.read(name) == two.read(name) for name in one.namelist() if "du-thao" in name)
