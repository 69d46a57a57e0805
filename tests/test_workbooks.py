"""Uploaded workbooks far longer than any file of their kind are refused before openpyxl loads
them (``common.workbooks.open_workbook(max_rows=…)``): the rows are counted in the sheets' XML
as a stream and only up to the limit, so a sheet of a hundred thousand rows costs no more than
a short one. Each reader says so in its own words, naming the sheet."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterator

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from blocs.people import upload as people_upload
from common import workbooks
from common.exporters import XLSX
from common.numbers import format_number
from common.workbooks import UnreadableWorkbook, open_workbook
from scoring.importer import read as import_read
from scoring.models import Criterion
from scoring.services import sheets as sheet_services
from scoring.services.sheets import SELF
from scoring.workbook.read import EXTRA_ROWS, HEADER_SEARCH_ROWS, read_sheet_workbook
from tests.conftest import ScoringWorld


def book(sheets: dict[str, int], *, blank_styled: int = 0) -> bytes:
    """A workbook whose sheets have the given numbers of rows holding a value; the first sheet
    also gets ``blank_styled`` rows with a style and no value (Excel writes those as rows)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for index, (title, rows) in enumerate(sheets.items()):
        sheet = workbook.create_sheet(title)
        for number in range(1, rows + 1):
            sheet.cell(number, 1, f"KHÔNG-CÓ-{number}")
            sheet.cell(number, 2, number)
        if index == 0:
            for number in range(rows + 1, rows + 1 + blank_styled):
                sheet.cell(number, 1).font = openpyxl.styles.Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def vietnamese() -> Iterator[None]:
    """The readers speak the language of the request; these tests read in Vietnamese."""
    with translation.override("vi"):
        yield


@pytest.fixture
def never_loaded(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """openpyxl is never asked to load the file."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook was loaded")

    monkeypatch.setattr(workbooks.openpyxl, "load_workbook", refuse)
    yield


def test_a_sheet_over_the_limit_is_named_without_loading_the_workbook(
    never_loaded: None,
) -> None:
    content = book({"Ghi chú": 3, "Bảng điểm": 41})
    with pytest.raises(UnreadableWorkbook) as refused:
        open_workbook(content, max_rows=40)
    assert (refused.value.long_sheet, refused.value.max_rows) == ("Bảng điểm", 40)
    assert not refused.value.too_big


def test_rows_up_to_the_limit_and_styled_blank_rows_pass() -> None:
    content = book({"Bảng điểm": 40}, blank_styled=200)
    workbook = open_workbook(content, max_rows=40)
    try:
        assert workbook.sheetnames == ["Bảng điểm"]
    finally:
        workbook.close()


def test_a_zip_that_is_not_a_workbook_is_unreadable_not_an_error() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not-closed")
    with pytest.raises(UnreadableWorkbook) as refused:
        open_workbook(buffer.getvalue(), max_rows=10)
    assert not refused.value.long_sheet and not refused.value.too_big


def test_the_year_importer_refuses_a_sheet_of_more_rows_than_a_year_has(
    never_loaded: None,
) -> None:
    reading = import_read.read_workbook(
        book({"Thông tin": 3, "Điểm": import_read.MAX_SHEET_ROWS + 1}), filename="nam.xlsx"
    )
    assert [(problem.sheet, problem.reason) for problem in reading.problems] == [
        (
            "Điểm",
            "trang có hơn 5.000 dòng có dữ liệu: một năm của khối không có nhiều dòng như vậy; "
            "hãy dùng tệp theo mẫu nhập dữ liệu.",
        )
    ]


@pytest.mark.django_db
def test_the_score_sheet_upload_refuses_a_sheet_longer_than_any_score_sheet(
    scoring_world: ScoringWorld, never_loaded: None
) -> None:
    w = scoring_world
    criteria = list(Criterion.objects.filter(criteria_set=w.criteria_set))
    ceiling = HEADER_SEARCH_ROWS + len(criteria) + EXTRA_ROWS
    lines = sheet_services.sheet_lines(w.draft_sheet)
    reading = read_sheet_workbook(
        ContentFile(book({"Bảng điểm": ceiling + 1}), name="bang-diem.xlsx"),
        criteria=criteria,
        lines=lines,
        editable=lines,
        layer=SELF,
    )
    rows = format_number(ceiling, places=0)
    assert [str(error) for error in reading.errors] == [
        f"Trang “Bảng điểm”: trang có hơn {rows} dòng có dữ liệu, nhiều hơn một bảng điểm "
        f"({len(criteria)} tiêu chí): đây không phải là bảng điểm; hãy dùng tệp tải về từ "
        "trang bảng điểm."
    ]
    assert reading.entries == {}


def test_the_account_list_refuses_a_sheet_far_longer_than_a_list(never_loaded: None) -> None:
    limit = people_upload.MAX_SHEET_ROWS
    reading = people_upload.read_people(
        book({"Tài khoản": limit + 1}),
        content_type=XLSX,
        filename="tai-khoan.xlsx",
        council_ids=[],
        day=datetime.date(2026, 1, 5),
    )
    assert [problem.message for problem in reading.problems] == [
        "Trang “Tài khoản” có hơn 5.000 dòng có dữ liệu; một danh sách có tối đa 500 tài "
        "khoản: hãy chia thành nhiều tệp."
    ]
