"""Reading and writing a sheet's workbook, without the views."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from scoring import selectors
from scoring.layers import Layer
from scoring.models import Criterion, ScoreSheet
from scoring.services import sheets as services
from scoring.services.sheets import SELF, VERIFIED, LineEntry
from scoring.workbook import read as workbook_read
from scoring.workbook.cells import fold_header
from scoring.workbook.read import WorkbookError, WorkbookReading, read_sheet_workbook
from scoring.workbook.write import sheet_export, sheet_workbook
from tests.conftest import ScoringWorld

pytestmark = pytest.mark.django_db
D = Decimal


def read(
    w: ScoringWorld, sheet: ScoreSheet, content: bytes, layer: Layer = SELF, editable: Any = None
) -> WorkbookReading:
    lines = services.sheet_lines(sheet)
    return read_sheet_workbook(
        ContentFile(content, name="bang-diem.xlsx"),
        criteria=list(Criterion.objects.filter(criteria_set=w.criteria_set)),
        lines=lines,
        editable=lines if editable is None else editable,
        layer=layer,
    )


def handmade(rows: Sequence[Sequence[object]], title: str = "Bảng điểm") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ids(w: ScoringWorld) -> dict[str, int]:
    return dict(w.criteria_set.criteria.values_list("code", "id"))


def test_headers_match_whatever_the_case_marks_and_spacing() -> None:
    assert fold_header("Tự chấm (số nhập)") == fold_header("TU CHAM(so nhap)") == "tuchamsonhap"
    assert fold_header("Lý do/ghi chú") == fold_header("Lý do / ghi chú")
    assert fold_header("Mã") == "ma"


def test_an_error_names_the_sheet_the_row_and_the_column() -> None:
    assert str(WorkbookError("“abc” không phải là một số.", "Bảng điểm", 12, "E")) == (
        "Trang “Bảng điểm”, dòng 12, cột E: “abc” không phải là một số."
    )
    assert (
        str(WorkbookError("thiếu cột “Mã”.", "Bảng điểm", 3))
        == "Trang “Bảng điểm”, dòng 3: thiếu cột “Mã”."
    )
    assert str(WorkbookError("Tệp hỏng.")) == "Tệp hỏng."


def test_a_handmade_workbook_is_read_with_its_own_layout(scoring_world: ScoringWorld) -> None:
    """Columns in another order, headers without marks, the table lower down, numbers as text."""
    w = scoring_world
    content = handmade(
        [
            ["Bảng tự chấm của đơn vị"],
            [],
            ["tu cham (chi tieu)", "MA", "Tu cham (so nhap)", "Ly do / ghi chu", "Ghi chú riêng"],
            [None, "I.1", "5,75", "Đã hoàn thành", "không đọc cột này"],
            [10, "I.2", 8, None],
            [None, "II.1", "2"],
            [None, "III.1", 0.0],
            [None, None, None, "một dòng chú thích ở cuối"],
        ]
    )
    reading = read(w, w.draft_sheet, content)
    assert reading.errors == []
    code = ids(w)
    assert reading.entries == {
        code["I.1"]: LineEntry(D("5.75"), None, "Đã hoàn thành"),
        code["I.2"]: LineEntry(D(8), D(10), ""),
        code["II.1"]: LineEntry(D(2), None, ""),
        code["III.1"]: LineEntry(D(0), None, ""),
    }
    assert reading.rows[code["I.1"]] == 4
    assert reading.value_column == "C"


def test_without_a_note_column_the_notes_are_kept(scoring_world: ScoringWorld) -> None:
    w = scoring_world
    reading = read(
        w,
        w.draft_sheet,
        handmade([["Mã", "Tự chấm (số nhập)", "Tự chấm (chỉ tiêu)"], ["I.1", 5, None]]),
    )
    assert reading.entries == {ids(w)["I.1"]: LineEntry(D(5), None, None)}


def test_pass_fail_lines_take_dat_or_khong_dat(scoring_world: ScoringWorld) -> None:
    w = scoring_world
    Criterion.objects.filter(criteria_set=w.criteria_set, code="I.1").update(method="pass_fail")
    header = ["Mã", "Tự chấm (số nhập)", "Tự chấm (chỉ tiêu)"]
    assert read(w, w.draft_sheet, handmade([header, ["I.1", "Đạt"]])).entries[
        ids(w)["I.1"]
    ].value == D(1)
    assert read(w, w.draft_sheet, handmade([header, ["I.1", "không đạt"]])).entries[
        ids(w)["I.1"]
    ].value == D(0)


def test_cells_that_are_not_numbers_are_each_reported(scoring_world: ScoringWorld) -> None:
    w = scoring_world
    content = handmade(
        [
            ["Mã", "Tự chấm (số nhập)", "Tự chấm (chỉ tiêu)"],
            ["I.1", True],
            ["I.2", datetime.date(2020, 5, 1), "1.000"],
            ["II.1", "=1+1"],
            [None, 4],
        ]
    )
    messages = [str(error) for error in read(w, w.draft_sheet, content).errors]
    assert messages == [
        "Trang “Bảng điểm”, dòng 2, cột B: “TRUE” không phải là một số.",
        "Trang “Bảng điểm”, dòng 3, cột B: “01/05/2020” không phải là một số.",
        "Trang “Bảng điểm”, dòng 3, cột C: “1.000” không rõ là số thập phân hay hàng nghìn; "
        "dùng dấu phẩy, ví dụ 95,5.",
        "Trang “Bảng điểm”, dòng 4, cột B: ô chứa công thức; "
        "hãy nhập số (hoặc dán bằng “Dán giá trị”).",
        "Trang “Bảng điểm”, dòng 5, cột A: dòng có số nhưng không có mã tiêu chí ở cột “Mã”.",
    ]


def test_lines_the_person_may_not_edit_are_refused_only_when_changed(
    scoring_world: ScoringWorld,
) -> None:
    w = scoring_world
    sheet = w.submitted_sheet  # self values: I.1 5,5; I.2 9/10; II.1 1; III.1 0
    lines = services.sheet_lines(sheet)
    only_i1 = {ids(w)["I.1"]: lines[ids(w)["I.1"]]}
    header = ["Mã", "Tự chấm (số nhập)", "Tự chấm (chỉ tiêu)"]
    unchanged = handmade([header, ["I.1", 5], ["I.2", 9, 10], ["II.1", 1]])
    reading = read(w, sheet, unchanged, editable=only_i1)
    assert reading.errors == [] and list(reading.entries) == [ids(w)["I.1"]]
    changed = handmade([header, ["I.1", 5], ["I.2", 9, 12]])
    assert [str(error) for error in read(w, sheet, changed, editable=only_i1).errors] == [
        "Trang “Bảng điểm”, dòng 3, cột C: Tiêu chí I.2: bạn không nhập được."
    ]


def test_service_errors_are_placed_on_their_rows(scoring_world: ScoringWorld) -> None:
    w = scoring_world
    reading = read(
        w, w.draft_sheet, handmade([["Mã", "Tự chấm (số nhập)", "Tự chấm (chỉ tiêu)"], ["I.1", 9]])
    )
    placed = reading.with_service_errors(
        {ids(w)["I.1"]: "Điểm không được vượt điểm tối đa 6."}, ["Lỗi chung."]
    )
    assert [str(error) for error in placed] == [
        "Trang “Bảng điểm”: Lỗi chung.",
        "Trang “Bảng điểm”, dòng 2, cột B: Điểm không được vượt điểm tối đa 6.",
    ]


def test_the_written_workbook_reads_back_to_the_same_entries(scoring_world: ScoringWorld) -> None:
    w = scoring_world
    sheet = ScoreSheet.objects.select_related("bloc_year__scoring__criteria_set", "unit").get(
        pk=w.submitted_sheet.pk
    )
    view = selectors.sheet_view(sheet, history=False)
    lines = services.sheet_lines(sheet)
    export = sheet_export(
        view,
        unit_name="Sở Giáo dục và Đào tạo",
        layer=SELF,
        editable=lines.keys(),
        now=timezone.now(),
    )
    assert export.filename == "bang-diem-sgddt-2020.xlsx"
    reading = read(w, sheet, export.content, layer=SELF)
    assert reading.errors == []
    assert reading.entries == {
        criterion_id: LineEntry(line.self_value, line.self_target, line.note)
        for criterion_id, line in lines.items()
    }
    verified = read(w, sheet, export.content, layer=VERIFIED)
    assert verified.errors == [] and {entry.value for entry in verified.entries.values()} == {None}


def test_text_that_looks_like_a_formula_is_written_as_text(scoring_world: ScoringWorld) -> None:
    """A note such as ``=HYPERLINK(...)`` must never become a formula Excel would run."""
    w = scoring_world
    sheet = ScoreSheet.objects.select_related("bloc_year__scoring__criteria_set", "unit").get(
        pk=w.draft_sheet.pk
    )
    services.sheet_save(
        sheet=sheet,
        layer=SELF,
        entries={ids(w)["I.1"]: LineEntry(D(5), None, '=HYPERLINK("http://x","y")')},
        version=sheet.version,
        by=None,
    )
    view = selectors.sheet_view(sheet, history=False)
    content = sheet_workbook(
        view, unit_name="Báo Quảng Nam", layer=SELF, editable=[], now=timezone.now()
    )
    book = openpyxl.load_workbook(io.BytesIO(content))["Bảng điểm"]
    note = next(row[8] for row in book.iter_rows() if row[0].value == "I.1")
    assert note.data_type == "s" and note.value.startswith("=HYPERLINK")
    reading = read(w, sheet, content)
    assert reading.errors == []
    assert reading.entries[ids(w)["I.1"]].text == '=HYPERLINK("http://x","y")'


def test_a_workbook_that_unpacks_to_too_much_is_refused(
    scoring_world: ScoringWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = scoring_world
    monkeypatch.setattr(workbook_read, "MAX_UNPACKED_BYTES", 1000)
    content = handmade([["Mã", "Tự chấm (số nhập)", "Tự chấm (chỉ tiêu)"], ["I.1", 5]])
    assert [str(error) for error in read(w, w.draft_sheet, content).errors] == [
        "Tệp quá lớn khi giải nén; đây không phải là một bảng điểm."
    ]


def test_a_sheet_far_longer_than_the_criteria_is_refused_without_reading_on(
    scoring_world: ScoringWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workbook of a hundred thousand rows took 21 s to refuse when every row was read; the
    reading now stops at the first row past the criteria and their margin."""
    w = scoring_world
    monkeypatch.setattr(workbook_read, "EXTRA_ROWS", 5)
    criteria = Criterion.objects.filter(criteria_set=w.criteria_set).count()
    rows: list[list[object]] = [["Mã", "Tự chấm (số nhập)", "Tự chấm (chỉ tiêu)"]]
    rows += [[None, None] for _ in range(criteria + 5)]
    rows += [["I.1", 5]] * 3  # never reached
    reading = read(w, w.draft_sheet, handmade(rows))
    row = 1 + criteria + 5 + 1
    assert [str(error) for error in reading.errors] == [
        f"Trang “Bảng điểm”, dòng {row}: trang có nhiều dòng hơn một bảng điểm ({criteria} tiêu "
        "chí và 5 dòng dự phòng sau dòng tiêu đề): đây không phải là bảng điểm; hãy dùng tệp "
        "tải về từ trang bảng điểm."
    ]
    assert reading.entries == {}


def test_the_reading_stops_after_a_hundred_problems(
    scoring_world: ScoringWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = scoring_world
    monkeypatch.setattr(workbook_read, "MAX_PROBLEMS", 3)
    rows: list[list[object]] = [["Mã", "Tự chấm (số nhập)", "Tự chấm (chỉ tiêu)"]]
    rows += [[f"KHONG-CO-{index}", 1] for index in range(10)]
    errors = [str(error) for error in read(w, w.draft_sheet, handmade(rows)).errors]
    assert len(errors) == 4
    assert (
        errors[-1]
        == "Trang “Bảng điểm”, dòng 5: còn các dòng sau chưa đọc: hãy sửa 3 lỗi trên trước."
    )
