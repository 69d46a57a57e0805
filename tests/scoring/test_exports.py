"""The sheet on paper and in Excel: the print view, the workbook download and its upload."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from blocs import services as bloc_services
from blocs.models import AuditEntry, User
from common.exporters import XLSX
from scoring import totals
from scoring.models import Criterion, ScoreLine, ScoreSheet
from scoring.services import sheets as services
from scoring.services import transitions
from scoring.services.sheets import SELF, LineEntry
from scoring.workbook.layout import HEADER_ROW
from tests.conftest import ScoringWorld, client_for

pytestmark = pytest.mark.django_db
D = Decimal
SHEET = "Bảng điểm"


def codes(w: ScoringWorld) -> dict[str, int]:
    return dict(w.criteria_set.criteria.values_list("code", "id"))


def fill_self(w: ScoringWorld, sheet: ScoreSheet) -> None:
    ids = codes(w)
    services.sheet_save(
        sheet=sheet,
        layer=SELF,
        entries={
            ids["I.1"]: LineEntry(D("5.5")),
            ids["I.2"]: LineEntry(D(9), D(10)),
            ids["II.1"]: LineEntry(D(1)),
            ids["III.1"]: LineEntry(D(0)),
        },
        version=ScoreSheet.objects.get(pk=sheet.pk).version,
        by=None,
    )


def download(client: Client, sheet: ScoreSheet) -> Any:
    response = client.get(reverse("scoring:sheet-xlsx", args=[sheet.pk]))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def row_of(worksheet: Any, code: str) -> int:
    for number in range(HEADER_ROW + 1, worksheet.max_row + 1):
        if worksheet.cell(row=number, column=1).value == code:
            return number
    raise AssertionError(f"no row for {code}")


def as_upload(workbook: Any, name: str = "bang-diem.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def upload(client: Client, sheet: ScoreSheet, file: SimpleUploadedFile, **kwargs: Any) -> Any:
    return client.post(
        reverse("scoring:sheet-xlsx-upload", args=[sheet.pk]), {"file": file}, **kwargs
    )


def snapshot(sheet: ScoreSheet) -> tuple[Any, ...]:
    """Everything an upload could change: the sheet's version and lines, and the audit trail."""
    fresh = ScoreSheet.objects.get(pk=sheet.pk)
    lines = list(
        ScoreLine.objects.filter(sheet=sheet)
        .order_by("pk")
        .values_list(
            "self_value",
            "self_target",
            "self_points",
            "note",
            "verified_value",
            "verified_target",
            "verified_points",
            "verified_reason",
        )
    )
    return fresh.version, fresh.entered_on_behalf, lines, AuditEntry.objects.count()


def refused(client: Client, sheet: ScoreSheet, file: SimpleUploadedFile) -> str:
    """Upload a wrong file: the page answers with the errors and nothing is written."""
    before = snapshot(sheet)
    response = upload(client, sheet, file)
    assert response.status_code == 200
    assert snapshot(sheet) == before
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "chưa có gì được ghi" in html
    return html


# ---------------------------------------------------------------------------- print


def test_print_is_an_official_a4_form_with_totals_and_signatures(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w = scoring_world
    response = client_for(secretariat).get(
        reverse("scoring:sheet-print", args=[w.submitted_sheet.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="vi"' in html
    assert "css/print.css" in html and "css/app.css" not in html
    assert "site-header" not in html and "onclick" not in html
    assert "SỞ GIÁO DỤC VÀ ĐÀO TẠO" in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "BẢNG TỰ CHẤM ĐIỂM THI ĐUA NĂM 2020" in html
    assert "Khối thi đua tham mưu III, năm 2020" in html
    for code in ["I", "I.1", "I.2", "II", "II.1", "III", "III.1"]:
        assert f">{code}</" in html
    # I.1 5,50 + I.2 9/10 of 4 = 3,60 → 9,10; bonus 1 × 1,5; no penalty.
    assert "5,50" in html and "3,60" in html and "9,10" in html
    assert '<td class="num" data-total="self">10,60</td>' in html
    assert "NGƯỜI LẬP BIỂU" in html and "THỦ TRƯỞNG ĐƠN VỊ" in html
    assert "(Ký, ghi rõ họ tên, đóng dấu)" in html
    assert "GIÁM ĐỐC" in html and w.deputy.leader_name in html
    assert "Quảng Nam, ngày " in html
    assert "data-print" in html and "Ctrl+P" in html


def test_blank_print_keeps_the_criteria_and_leaves_every_score_empty(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w = scoring_world
    url = reverse("scoring:sheet-print", args=[w.submitted_sheet.pk])
    html = client_for(secretariat).get(url, {"blank": "1"}).content.decode()
    assert ">I.1</" in html and "Hoàn thành kế hoạch công tác" in html
    assert "6,00" in html  # the maximum stays
    for score in ["5,50", "3,60", "9,10", "1,50", "10,60"]:
        assert score not in html
    assert '<td class="num" data-total="self"></td>' in html
    assert "Quảng Nam, ngày …… tháng …… năm ……" in html
    assert "NGƯỜI LẬP BIỂU" in html


def test_print_marks_lines_not_applicable_and_says_the_total_is_scaled(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w = scoring_world
    line = ScoreLine.objects.select_related("criterion", "sheet__bloc_year").get(
        sheet=w.submitted_sheet, criterion__code="I.2"
    )
    services.line_set_not_applicable(
        line=line, not_applicable=True, reason="Không được giao chỉ tiêu", by=secretariat
    )
    html = (
        client_for(secretariat)
        .get(reverse("scoring:sheet-print", args=[w.submitted_sheet.pk]))
        .content.decode()
    )
    assert "Không áp dụng: Không được giao chỉ tiêu" in html
    assert "quy đổi từ thang 6,00 về thang 10,00 điểm" in html
    assert "(đã quy đổi)" in html


def test_print_uses_the_unit_name_of_that_year(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    bloc_services.unit_rename(
        unit=w.member,
        name="Báo và Phát thanh, Truyền hình Quảng Nam",
        effective_date=datetime.date(2025, 3, 1),
    )
    html = (
        client_for(focal_point)
        .get(reverse("scoring:sheet-print", args=[w.draft_sheet.pk]))
        .content.decode()
    )
    assert "BÁO QUẢNG NAM" in html
    assert "TRUYỀN HÌNH" not in html


def test_print_runs_a_fixed_number_of_queries(
    scoring_world: ScoringWorld, secretariat: User, django_assert_num_queries: Any
) -> None:
    client = client_for(secretariat)
    url = reverse("scoring:sheet-print", args=[scoring_world.submitted_sheet.pk])
    # session, user with unit, sheet, secretariat years, sheet view (criteria, lines,
    # explanations, their files), former names of the unit.
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


# ---------------------------------------------------------------------------- download


def test_workbook_download_has_a_header_block_and_one_row_per_criterion(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w = scoring_world
    response = client_for(secretariat).get(
        reverse("scoring:sheet-xlsx", args=[w.submitted_sheet.pk])
    )
    assert response["Content-Type"] == XLSX
    assert "filename*=UTF-8''bang-diem-sgddt-2020.xlsx" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    worksheet = openpyxl.load_workbook(io.BytesIO(response.content))[SHEET]
    block = {
        worksheet.cell(row=n, column=1).value: worksheet.cell(row=n, column=2).value
        for n in range(2, HEADER_ROW)
    }
    assert block["Đơn vị"] == "Sở Giáo dục và Đào tạo"
    assert block["Khối thi đua"] == "Khối thi đua tham mưu III"
    assert block["Năm"] == 2020
    assert block["Trạng thái"] == "Đã gửi"
    assert block["Phiên bản"] == ScoreSheet.objects.get(pk=w.submitted_sheet.pk).version
    assert block["Tải về lúc"]
    assert [cell.value for cell in worksheet[HEADER_ROW]] == [
        "Mã",
        "Nội dung tiêu chí",
        "Điểm tối đa",
        "Cách tính",
        "Tự chấm (số nhập)",
        "Tự chấm (chỉ tiêu)",
        "Thẩm định (số nhập)",
        "Thẩm định (chỉ tiêu)",
        "Lý do / ghi chú",
    ]
    assert worksheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert worksheet.column_dimensions["B"].width == 60
    codes_in_order = [
        worksheet.cell(row=n, column=1).value for n in range(HEADER_ROW + 1, worksheet.max_row + 1)
    ]
    assert codes_in_order == ["I", "I.1", "I.2", "II", "II.1", "III", "III.1"]
    section = row_of(worksheet, "I")
    assert worksheet.cell(row=section, column=1).font.b
    assert worksheet.cell(row=section, column=5).value is None
    i1, i2 = row_of(worksheet, "I.1"), row_of(worksheet, "I.2")
    assert worksheet.cell(row=i1, column=3).value == 6
    assert worksheet.cell(row=i1, column=5).value == 5.5
    assert worksheet.cell(row=i1, column=5).data_type == "n"
    assert worksheet.cell(row=i1, column=5).number_format == "#,##0.00"
    assert (worksheet.cell(row=i2, column=5).value, worksheet.cell(row=i2, column=6).value) == (
        9,
        10,
    )
    assert "chỉ tiêu" in worksheet.cell(row=i2, column=4).value


def test_workbook_download_runs_a_fixed_number_of_queries(
    scoring_world: ScoringWorld, secretariat: User, django_assert_num_queries: Any
) -> None:
    client = client_for(secretariat)
    url = reverse("scoring:sheet-xlsx", args=[scoring_world.submitted_sheet.pk])
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


# ---------------------------------------------------------------------------- upload


def test_upload_page_says_which_column_is_filled_and_that_errors_write_nothing(
    scoring_world: ScoringWorld, focal_point: User, secretariat: User
) -> None:
    w = scoring_world
    url = reverse("scoring:sheet-xlsx-upload", args=[w.draft_sheet.pk])
    html = client_for(focal_point).get(url).content.decode()
    assert "cột “Tự chấm”" in html
    assert 'type="file"' in html and 'enctype="multipart/form-data"' in html
    assert "không có gì được ghi" in html
    verify_url = reverse("scoring:sheet-xlsx-upload", args=[w.submitted_sheet.pk])
    assert "cột “Thẩm định”" in client_for(secretariat).get(verify_url).content.decode()


def test_the_unit_fills_its_sheet_in_excel_and_uploads_it(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    client = client_for(focal_point)
    workbook = download(client, w.draft_sheet)
    worksheet = workbook[SHEET]
    i1, i2, ii1, iii1 = (row_of(worksheet, code) for code in ["I.1", "I.2", "II.1", "III.1"])
    worksheet.cell(row=i1, column=5).value = 5.25
    worksheet.cell(row=i1, column=9).value = "Theo báo cáo số 12/BC"
    worksheet.cell(row=i2, column=5).value = "8,5"
    worksheet.cell(row=i2, column=6).value = "10"
    worksheet.cell(row=ii1, column=5).value = 2
    worksheet.cell(row=iii1, column=5).value = "1"
    audits = AuditEntry.objects.filter(context=w.draft_sheet.audit_context, action="line.self")
    before = audits.count()

    response = upload(client, w.draft_sheet, as_upload(workbook), follow=True)

    assert response.redirect_chain[-1][0] == w.draft_sheet.get_absolute_url()
    assert "Đã nhập từ tệp Excel: 4 tiêu chí thay đổi." in response.content.decode()
    lines = {line.criterion.code: line for line in w.draft_sheet.lines.select_related("criterion")}
    assert (lines["I.1"].self_value, lines["I.1"].self_points) == (D("5.25"), D("5.25"))
    assert lines["I.1"].note == "Theo báo cáo số 12/BC"
    assert (lines["I.2"].self_value, lines["I.2"].self_target, lines["I.2"].self_points) == (
        D("8.5"),
        D(10),
        D("3.4"),
    )
    assert lines["II.1"].self_points == D(3)
    assert lines["III.1"].self_points == D(1)
    assert audits.count() == before + 4
    assert ScoreSheet.objects.get(pk=w.draft_sheet.pk).entered_on_behalf is False


def test_uploading_the_downloaded_file_unchanged_changes_nothing(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w = scoring_world
    client = client_for(secretariat)
    before = snapshot(w.submitted_sheet)[2:]
    response = upload(
        client, w.submitted_sheet, as_upload(download(client, w.submitted_sheet)), follow=True
    )
    assert "Tệp Excel không có thay đổi nào so với bảng điểm." in response.content.decode()
    assert snapshot(w.submitted_sheet)[2:] == before


def test_the_secretariat_uploads_the_verified_column_of_a_submitted_sheet(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w = scoring_world
    client = client_for(secretariat)
    workbook = download(client, w.submitted_sheet)
    worksheet = workbook[SHEET]
    i1, i2, ii1, iii1 = (row_of(worksheet, code) for code in ["I.1", "I.2", "II.1", "III.1"])
    assert worksheet.cell(row=i1, column=7).fill.fgColor.rgb.endswith("FFF6D5")  # to be filled
    worksheet.cell(row=i1, column=7).value = 5
    worksheet.cell(row=i1, column=9).value = "Thiếu minh chứng quý IV"
    worksheet.cell(row=i2, column=7).value = 9
    worksheet.cell(row=i2, column=8).value = 10
    worksheet.cell(row=ii1, column=7).value = 1
    worksheet.cell(row=iii1, column=7).value = 0

    response = upload(client, w.submitted_sheet, as_upload(workbook))

    assert response.status_code == 302
    lines = {
        line.criterion.code: line for line in w.submitted_sheet.lines.select_related("criterion")
    }
    assert (lines["I.1"].verified_points, lines["I.1"].verified_reason) == (
        D(5),
        "Thiếu minh chứng quý IV",
    )
    assert lines["I.1"].self_value == D("5.5")  # the unit's column is untouched
    assert lines["I.2"].verified_points == D("3.6")
    assert (
        AuditEntry.objects.filter(
            context=w.submitted_sheet.audit_context, action="line.verified"
        ).count()
        == 4
    )


def test_the_secretariat_entering_a_paper_sheet_marks_it_entered_on_behalf(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w = scoring_world
    client = client_for(secretariat)
    workbook = download(client, w.draft_sheet)
    worksheet = workbook[SHEET]
    worksheet.cell(row=row_of(worksheet, "I.1"), column=5).value = 4
    assert upload(client, w.draft_sheet, as_upload(workbook)).status_code == 302
    sheet = ScoreSheet.objects.get(pk=w.draft_sheet.pk)
    assert sheet.entered_on_behalf is True
    assert sheet.lines.get(criterion__code="I.1").self_value == D(4)


def test_after_submission_the_unit_may_no_longer_upload(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    fill_self(w, w.draft_sheet)
    transitions.sheet_submit(sheet=w.draft_sheet, by=focal_point)
    client = client_for(focal_point)
    workbook = download(client, w.draft_sheet)
    url = reverse("scoring:sheet-xlsx-upload", args=[w.draft_sheet.pk])
    assert client.get(url).status_code == 403
    before = snapshot(w.draft_sheet)
    assert upload(client, w.draft_sheet, as_upload(workbook)).status_code == 403
    assert snapshot(w.draft_sheet) == before


def test_readers_who_edit_nothing_are_refused_the_upload(
    scoring_world: ScoringWorld, leader: User, focal_point: User
) -> None:
    w = scoring_world
    workbook = download(client_for(focal_point), w.draft_sheet)
    before = snapshot(w.draft_sheet)
    assert upload(client_for(leader), w.draft_sheet, as_upload(workbook)).status_code == 403
    assert snapshot(w.draft_sheet) == before


# ---------------------------------------------------------------------------- upload errors


@pytest.fixture
def unit_client(focal_point: User) -> Client:
    return client_for(focal_point)


@pytest.fixture
def unit_workbook(scoring_world: ScoringWorld, unit_client: Client) -> Any:
    return download(unit_client, scoring_world.draft_sheet)


def test_a_file_that_is_not_a_workbook_is_refused(
    scoring_world: ScoringWorld, unit_client: Client
) -> None:
    file = SimpleUploadedFile("bang-diem.xlsx", b"Ma;Tu cham\nI.1;5\n", content_type="text/csv")
    html = refused(unit_client, scoring_world.draft_sheet, file)
    assert "Tệp không phải là tệp Excel .xlsx hoặc đã hỏng." in html


def test_a_corrupt_workbook_is_refused(
    scoring_world: ScoringWorld, unit_client: Client, unit_workbook: Any
) -> None:
    good = as_upload(unit_workbook).read()
    truncated = SimpleUploadedFile("bang-diem.xlsx", good[: len(good) // 2])
    assert "Tệp không phải là tệp Excel .xlsx hoặc đã hỏng." in refused(
        unit_client, scoring_world.draft_sheet, truncated
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not xml")
        archive.writestr("xl/workbook.xml", "rubbish")
    broken = SimpleUploadedFile("bang-diem.xlsx", buffer.getvalue())
    assert "Tệp không phải là tệp Excel .xlsx hoặc đã hỏng." in refused(
        unit_client, scoring_world.draft_sheet, broken
    )


def test_a_file_over_five_megabytes_is_refused(
    scoring_world: ScoringWorld, unit_client: Client
) -> None:
    file = SimpleUploadedFile("bang-diem.xlsx", b"0" * (5 * 1024 * 1024 + 1))
    assert "Tệp lớn hơn 5 MB" in refused(unit_client, scoring_world.draft_sheet, file)


def test_a_workbook_without_the_score_sheet_is_refused(
    scoring_world: ScoringWorld, unit_client: Client, unit_workbook: Any
) -> None:
    unit_workbook[SHEET].title = "Sheet1"
    html = refused(unit_client, scoring_world.draft_sheet, as_upload(unit_workbook))
    assert "Tệp không có trang “Bảng điểm” (các trang có trong tệp: “Sheet1”)." in html


def test_a_sheet_without_its_header_row_is_refused(
    scoring_world: ScoringWorld, unit_client: Client, unit_workbook: Any
) -> None:
    unit_workbook[SHEET].delete_rows(HEADER_ROW)
    html = refused(unit_client, scoring_world.draft_sheet, as_upload(unit_workbook))
    assert "Trang “Bảng điểm”: không thấy dòng tiêu đề" in html


def test_a_missing_column_is_named_with_its_header_row(
    scoring_world: ScoringWorld, unit_client: Client, unit_workbook: Any
) -> None:
    unit_workbook[SHEET].cell(row=HEADER_ROW, column=6).value = None
    html = refused(unit_client, scoring_world.draft_sheet, as_upload(unit_workbook))
    assert (
        f"Trang “Bảng điểm”, dòng {HEADER_ROW}: thiếu cột “Tự chấm (chỉ tiêu)” ở dòng tiêu đề."
        in html
    )


def test_an_unknown_criterion_code_is_refused(
    scoring_world: ScoringWorld, unit_client: Client, unit_workbook: Any
) -> None:
    worksheet = unit_workbook[SHEET]
    row = row_of(worksheet, "I.2")
    worksheet.cell(row=row, column=1).value = "IX.9"
    html = refused(unit_client, scoring_world.draft_sheet, as_upload(unit_workbook))
    assert f"Trang “Bảng điểm”, dòng {row}, cột A: không có tiêu chí mã “IX.9”" in html


def test_a_duplicate_criterion_code_is_refused(
    scoring_world: ScoringWorld, unit_client: Client, unit_workbook: Any
) -> None:
    worksheet = unit_workbook[SHEET]
    first = row_of(worksheet, "I.1")
    extra = worksheet.max_row + 1
    worksheet.cell(row=extra, column=1).value = "I.1"
    worksheet.cell(row=extra, column=5).value = 3
    html = refused(unit_client, scoring_world.draft_sheet, as_upload(unit_workbook))
    assert (
        f"Trang “Bảng điểm”, dòng {extra}, cột A: mã “I.1” lặp lại (đã có ở dòng {first})." in html
    )


def test_a_value_on_a_section_row_is_refused(
    scoring_world: ScoringWorld, unit_client: Client, unit_workbook: Any
) -> None:
    worksheet = unit_workbook[SHEET]
    row = row_of(worksheet, "I")
    worksheet.cell(row=row, column=5).value = 10
    html = refused(unit_client, scoring_world.draft_sheet, as_upload(unit_workbook))
    assert f"Trang “Bảng điểm”, dòng {row}, cột E: “I” là mục lớn" in html


def test_text_in_a_number_cell_is_refused(
    scoring_world: ScoringWorld, unit_client: Client, unit_workbook: Any
) -> None:
    worksheet = unit_workbook[SHEET]
    row = row_of(worksheet, "I.1")
    worksheet.cell(row=row, column=5).value = "abc"
    html = refused(unit_client, scoring_world.draft_sheet, as_upload(unit_workbook))
    assert f"Trang “Bảng điểm”, dòng {row}, cột E: “abc” không phải là một số." in html


def test_a_formula_is_refused(
    scoring_world: ScoringWorld, unit_client: Client, unit_workbook: Any
) -> None:
    worksheet = unit_workbook[SHEET]
    row = row_of(worksheet, "I.1")
    worksheet.cell(row=row, column=5).value = "=2+3"
    html = refused(unit_client, scoring_world.draft_sheet, as_upload(unit_workbook))
    assert f"Trang “Bảng điểm”, dòng {row}, cột E: ô chứa công thức" in html


def test_a_number_above_the_maximum_is_refused(
    scoring_world: ScoringWorld, unit_client: Client, unit_workbook: Any
) -> None:
    worksheet = unit_workbook[SHEET]
    row = row_of(worksheet, "I.1")
    worksheet.cell(row=row, column=5).value = 7
    html = refused(unit_client, scoring_world.draft_sheet, as_upload(unit_workbook))
    assert f"Trang “Bảng điểm”, dòng {row}, cột E: Điểm không được vượt điểm tối đa 6." in html


def test_a_number_off_the_step_is_refused(
    scoring_world: ScoringWorld, unit_client: Client, unit_workbook: Any
) -> None:
    worksheet = unit_workbook[SHEET]
    row = row_of(worksheet, "I.1")
    worksheet.cell(row=row, column=5).value = 5.1
    html = refused(unit_client, scoring_world.draft_sheet, as_upload(unit_workbook))
    assert f"Trang “Bảng điểm”, dòng {row}, cột E: Điểm phải là bội số của 0,25" in html


def test_a_line_scored_by_the_bloc_is_refused_to_the_unit(
    scoring_world: ScoringWorld, unit_client: Client
) -> None:
    w = scoring_world
    Criterion.objects.filter(criteria_set=w.criteria_set, code="II.1").update(
        scored_by=Criterion.ScoredBy.BLOC
    )
    # Who scores a line is in the sheets' kept parts: refreshed, as the criteria service does.
    totals.refresh(ScoreSheet.objects.filter(bloc_year=w.bloc_year).values_list("pk", flat=True))
    workbook = download(unit_client, w.draft_sheet)
    worksheet = workbook[SHEET]
    row = row_of(worksheet, "II.1")
    worksheet.cell(row=row, column=5).value = 1
    worksheet.cell(
        row=row_of(worksheet, "I.1"), column=5
    ).value = 5  # a good line is not saved either
    html = refused(unit_client, w.draft_sheet, as_upload(workbook))
    assert (
        f"Trang “Bảng điểm”, dòng {row}, cột E: Tiêu chí II.1 do khối chấm, bạn không nhập được."
        in html
    )


def test_every_error_is_reported_at_once(
    scoring_world: ScoringWorld, unit_client: Client, unit_workbook: Any
) -> None:
    worksheet = unit_workbook[SHEET]
    i1, i2, ii1 = row_of(worksheet, "I.1"), row_of(worksheet, "I.2"), row_of(worksheet, "II.1")
    worksheet.cell(row=i1, column=5).value = 9  # above the maximum: the service says so
    worksheet.cell(row=i2, column=5).value = "chín"  # not a number: the reader says so
    worksheet.cell(row=i2, column=6).value = 10
    worksheet.cell(row=ii1, column=5).value = "=1"
    html = refused(unit_client, scoring_world.draft_sheet, as_upload(unit_workbook))
    assert "Tệp có 3 lỗi; chưa có gì được ghi" in html
    assert f"dòng {i1}, cột E: Điểm không được vượt điểm tối đa 6." in html
    assert f"dòng {i2}, cột E: “chín” không phải là một số." in html
    assert f"dòng {ii1}, cột E: ô chứa công thức" in html
    assert (
        html.index(f"dòng {i1}, cột E")
        < html.index(f"dòng {i2}, cột E")
        < html.index(f"dòng {ii1}, cột E")
    )


def test_posting_without_a_file_asks_for_one(
    scoring_world: ScoringWorld, unit_client: Client
) -> None:
    before = snapshot(scoring_world.draft_sheet)
    response = unit_client.post(
        reverse("scoring:sheet-xlsx-upload", args=[scoring_world.draft_sheet.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chọn tệp Excel để tải lên." in html and 'class="error-summary"' in html
    assert snapshot(scoring_world.draft_sheet) == before
