"""The bloc-year workbook contract: ``manage.py import_bloc_year`` and the upload page."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blocs.models import AuditEntry, Bloc, BlocYear, Council, Membership, Unit, User
from scoring.importer import CouncilChoice, ImportFailed, import_bloc_year, read_workbook
from scoring.importer.contract import Problem, normalise
from scoring.models import CriteriaSet, Criterion, ScoreLine, ScoreSheet
from scoring.selectors.ranking import ranking_input
from scoring.services import ranking as ranking_services
from tests.conftest import ScoringWorld, World, client_for

pytestmark = pytest.mark.django_db
D = Decimal
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "khoi-tham-muu-iii-2019.xlsx"

Sheets = dict[str, list[list[Any]]]


def build_workbook(sheets: Sheets) -> bytes:
    """An XLSX with one sheet per entry, rows as given (a text starting with ``=`` is a formula)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def valid_sheets(year: int = 2019, bloc: str = "TM9", council: str | None = "QNA") -> Sheets:
    """Four members of the world's council (one new). Totals, with a bonus cap of 2:
    Sở Y tế 11,00 and Báo Quảng Nam 11,00 (Y tế ahead on section I: 10 against 9),
    Sở GD-ĐT 9,5 + 2 − 1 = 10,50, Sở Mới 7,00."""
    info: list[list[Any]] = [
        ["Mã khối", bloc],
        ["Tên khối", "Khối thi đua thử nghiệm"],
        ["Năm", year],
        ["Trưởng khối", "SYT"],
        ["Khối phó", "BQN"],
        ["Điểm thưởng tối đa", 2],
    ]
    if council:
        info.append(["Mã hội đồng", council])
    return {
        "Thông tin": info,
        "Đơn vị": [
            ["Mã đơn vị", "Tên đơn vị", "Tỷ lệ nữ (%)"],
            ["SYT", "Sở Y tế", 72.5],
            ["BQN", "Báo Quảng Nam", None],
            ["SGDDT", "Sở Giáo dục và Đào tạo", "41,2"],
            ["SMOI", "Sở Mới", None],
        ],
        "Tiêu chí": [
            ["Mã", "Nội dung", "Điểm tối đa", "Loại"],
            ["I", "Nhiệm vụ chuyên môn", 10, "chuẩn"],
            ["I.1", "Hoàn thành kế hoạch công tác", 6, "chuẩn"],
            ["I.2", "Chỉ tiêu được giao", 4, None],
            ["II", "Điểm thưởng", None, "thưởng"],
            ["II.1", "Bằng khen trong năm", 3, "thưởng"],
            ["III", "Điểm trừ", 2, "trừ"],
            ["III.1", "Chậm báo cáo", 2, "trừ"],
        ],
        "Điểm": [
            ["Mã tiêu chí", "SYT", "BQN", "SGDDT", "SMOI"],
            ["I", None, None, None, None],
            ["I.1", 6, 5.5, "5,5", 4],
            ["I.2", 4, "3.5", 4, 3],
            ["II.1", 1, 2, 3, 0],
            ["III.1", 0, 0, 1, 0],
        ],
    }


MODELS = (Council, Unit, Bloc, BlocYear, Membership, CriteriaSet, ScoreSheet, ScoreLine, AuditEntry)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def run(tmp_path: Path, sheets: Sheets | bytes, *args: str) -> tuple[int, str, str]:
    """(exit status, standard output, standard error) of the import command."""
    path = tmp_path / "nam-thi-dua.xlsx"
    path.write_bytes(sheets if isinstance(sheets, bytes) else build_workbook(sheets))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_bloc_year", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), f"{err.getvalue()}{error}\n"
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def unchanged(world: World) -> Iterator[None]:
    """Asserts, after the test, that nothing at all was written."""
    before = counts()
    yield
    assert counts() == before


def ranking_table(bloc_year: BlocYear) -> list[tuple[int, str, str, bool]]:
    data = ranking_input(bloc_year)
    return [
        (row.rank, data.codes[row.unit_id], f"{row.total:.2f}", row.tie_break is not None)
        for row in data.rank()
    ]


# ---------------------------------------------------------------------------- the command


def test_import_creates_the_year_with_its_members_criteria_sheets_and_ranking(
    world: World, tmp_path: Path
) -> None:
    status, out, err = run(tmp_path, valid_sheets())
    assert (status, err) == (0, "")
    bloc_year = BlocYear.objects.get(bloc__council=world.council, bloc__code="TM9", year=2019)
    assert bloc_year.bloc.name == "Khối thi đua thử nghiệm"
    assert bloc_year.state == BlocYear.State.SCORING
    assert ranking_table(bloc_year) == [
        (1, "SYT", "11.00", True),
        (2, "BQN", "11.00", True),
        (3, "SGDDT", "10.50", False),
        (4, "SMOI", "7.00", False),
    ]
    roles = dict(Membership.objects.filter(bloc_year=bloc_year).values_list("unit__code", "role"))
    assert roles == {"SYT": "head", "BQN": "deputy", "SGDDT": "member", "SMOI": "member"}
    shares = dict(
        Membership.objects.filter(bloc_year=bloc_year).values_list("unit__code", "women_share")
    )
    assert shares["SYT"] == D("72.50") and shares["SGDDT"] == D("41.20") and shares["BQN"] is None
    # Existing units are reused; the missing one is created in the council.
    assert Unit.objects.filter(council=world.council, code="SYT").count() == 1
    assert Unit.objects.get(council=world.council, code="SMOI").kind == Unit.Kind.DEPARTMENT
    # Every sheet verified; self points copied from the verified ones (no Tự chấm sheet).
    sheets = ScoreSheet.objects.filter(bloc_year=bloc_year)
    assert {sheet.state for sheet in sheets} == {ScoreSheet.State.VERIFIED}
    line = ScoreLine.objects.get(
        sheet__bloc_year=bloc_year, sheet__unit__code="BQN", criterion__code="I.2"
    )
    assert (line.self_points, line.verified_points) == (D("3.50"), D("3.50"))
    assert line.verified_reason == "Nhập từ tệp Excel"
    criteria_set = bloc_year.scoring.criteria_set
    assert criteria_set.bloc_year == bloc_year and criteria_set.bonus_cap == D(2)
    assert criteria_set.step == D("0.01")
    tree = list(criteria_set.criteria.order_by("order").values_list("code", "max_points", "kind"))
    assert tree[3] == ("II", D(3), "bonus")  # a blank parent maximum is its children's sum
    assert set(criteria_set.criteria.values_list("method", "scored_by")) == {("direct", "unit")}
    assert AuditEntry.objects.filter(context=f"import:{bloc_year.pk}").count() == 1
    assert "Khối thi đua thử nghiệm năm 2019" in out and "Sở Mới" in out


def test_a_self_sheet_gives_the_self_points(world: World, tmp_path: Path) -> None:
    sheets = valid_sheets()
    sheets["Tự chấm"] = [row[:] for row in sheets["Điểm"]]
    sheets["Tự chấm"][2][1] = "6,00"
    sheets["Tự chấm"][3][2] = 4  # Báo Quảng Nam claimed 4 on I.2; 3,5 was verified
    status, _out, err = run(tmp_path, sheets)
    assert (status, err) == (0, "")
    line = ScoreLine.objects.get(
        sheet__unit__code="BQN", criterion__code="I.2", sheet__bloc_year__year=2019
    )
    assert (line.self_points, line.verified_points) == (D(4), D("3.50"))


def test_names_of_sheets_keys_and_headers_ignore_case_marks_and_spacing(
    world: World, tmp_path: Path
) -> None:
    sheets = valid_sheets()
    renamed = {
        "THONG TIN": sheets["Thông tin"],
        "don vi": sheets["Đơn vị"],
        " Tiêu  Chí ": sheets["Tiêu chí"],
        "DIEM": sheets["Điểm"],
    }
    renamed["THONG TIN"] = [["MA KHOI:", "TM9"], *sheets["Thông tin"][1:]]
    renamed["don vi"] = [["ma don vi", "TEN DON VI", "ty le nu (%)"], *sheets["Đơn vị"][1:]]
    renamed["DIEM"] = [["Mã tiêu chí", "syt", "bqn", "SGDDT", "SMoi"], *sheets["Điểm"][1:]]
    status, _out, err = run(tmp_path, renamed)
    assert (status, err) == (0, "")
    assert Membership.objects.filter(bloc_year__bloc__code="TM9").count() == 4


def test_the_only_council_is_used_without_a_council_code(world: World, tmp_path: Path) -> None:
    status, _out, _err = run(tmp_path, valid_sheets(council=None))
    assert status == 0
    assert Bloc.objects.get(code="TM9").council == world.council


def test_an_unknown_council_is_created_with_its_name(world: World, tmp_path: Path) -> None:
    sheets = valid_sheets(council="DNG")
    sheets["Thông tin"].append(["Tên hội đồng", "Hội đồng Thi đua - Khen thưởng thành phố Đà Nẵng"])
    status, _out, _err = run(tmp_path, sheets)
    assert status == 0
    council = Council.objects.get(code="DNG")
    assert (council.name, council.province) == (
        "Hội đồng Thi đua - Khen thưởng thành phố Đà Nẵng",
        "Đà Nẵng",
    )
    assert Unit.objects.filter(council=council).count() == 4


def test_importing_again_replaces_a_year_not_yet_finalized(world: World, tmp_path: Path) -> None:
    assert run(tmp_path, valid_sheets())[0] == 0
    bloc_year = BlocYear.objects.get(bloc__code="TM9", year=2019)
    sheets = valid_sheets()
    del sheets["Đơn vị"][4]  # Sở Mới leaves the bloc
    sheets["Điểm"] = [row[:4] for row in sheets["Điểm"]]
    sheets["Điểm"][2][3] = 6  # Sở GD-ĐT now leads: 6 + 4 + 2 − 0 = 12
    sheets["Điểm"][5][3] = 0
    before = counts()
    status, out, _err = run(tmp_path, sheets)
    assert status == 0 and "Đã thay dữ liệu" in out
    assert BlocYear.objects.get(bloc__code="TM9", year=2019).pk == bloc_year.pk
    assert [row[1] for row in ranking_table(bloc_year)] == ["SGDDT", "SYT", "BQN"]
    assert ScoreSheet.objects.filter(bloc_year=bloc_year).count() == 3
    assert CriteriaSet.objects.filter(bloc_year=bloc_year).count() == 1
    after = counts()
    assert after["Membership"] == before["Membership"] - 1
    assert after["ScoreLine"] == before["ScoreLine"] - 4


def test_replacing_a_scored_year_removes_its_sheets_evidence_and_own_criteria(
    scoring_world: ScoringWorld, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """2020 of the world is being scored: sheets, an explanation, a file of evidence."""
    w = scoring_world
    stored = w.evidence.file.name
    storage = w.evidence.file.storage
    assert storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        status, _out, err = run(tmp_path, valid_sheets(year=2020, bloc="TM3"))
    assert (status, err) == (0, "")
    assert not storage.exists(stored)
    assert not CriteriaSet.objects.filter(pk=w.criteria_set.pk).exists()
    assert CriteriaSet.objects.filter(pk=w.draft_set.pk).exists()  # the council's shared set
    bloc_year = BlocYear.objects.get(pk=w.bloc_year.pk)
    assert bloc_year.bloc.name == "Khối thi đua thử nghiệm"
    assert [row[1] for row in ranking_table(bloc_year)] == ["SYT", "BQN", "SGDDT", "SMOI"]
    assert not ScoreLine.objects.filter(sheet__bloc_year=bloc_year, self_points__isnull=True)


def test_a_finalized_year_is_not_replaced(world: World, tmp_path: Path) -> None:
    assert run(tmp_path, valid_sheets())[0] == 0
    bloc_year = BlocYear.objects.get(bloc__code="TM9", year=2019)
    ranking_services.bloc_year_finalize(bloc_year=bloc_year, by=None)
    before = counts()
    status, _out, err = run(tmp_path, valid_sheets())
    assert status == 1
    assert "Thông tin!B3 “2019”: Khối thi đua thử nghiệm năm 2019 đã chốt kết quả" in err
    assert counts() == before


def test_the_example_workbook_imports_into_the_demo_organisation(db: None) -> None:
    from demo.organisation import load_organisation

    load_organisation()
    result = import_bloc_year(
        EXAMPLE.read_bytes(), filename=EXAMPLE.name, choice=CouncilChoice(), by=None
    )
    bloc_year = result.bloc_year
    assert (bloc_year.bloc.council.code, bloc_year.bloc.code, bloc_year.year) == (
        "QNA",
        "TM3",
        2019,
    )
    assert result.units_created == []
    assert bloc_year.head and bloc_year.head.unit.code == "SVHTTDL"
    assert bloc_year.deputy and bloc_year.deputy.unit.code == "BQN"
    assert len(result.ranking) == 7
    assert all(row.complete for row in result.ranking)
    totals = [row.total for row in result.ranking]
    tied = [row for row in result.ranking if totals.count(row.total) > 1]
    assert len(tied) >= 2 and all(row.tie_break for row in tied)
    assert Criterion.objects.filter(criteria_set__bloc_year=bloc_year).count() >= 15


# ---------------------------------------------------------------------------- every problem


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line and not line.startswith("Tệp có")]


def test_a_bad_maximum_is_reported_at_its_cell(tmp_path: Path, unchanged: None) -> None:
    sheets = valid_sheets()
    sheets["Tiêu chí"][1][2] = 12  # I: children sum to 10
    status, _out, err = run(tmp_path, sheets)
    assert status == 1
    assert error_lines(err) == [
        "Tiêu chí!C2 “12”: điểm tối đa của I khác tổng điểm tối đa các tiêu chí con (10)."
    ]
    assert "Tệp có 1 lỗi; chưa có gì được ghi." in err


def test_an_unknown_unit_code_is_reported(tmp_path: Path, unchanged: None) -> None:
    sheets = valid_sheets()
    sheets["Điểm"][0][4] = "SXX"
    status, _out, err = run(tmp_path, sheets)
    assert status == 1
    assert error_lines(err) == [
        "Điểm, dòng 1: thiếu cột điểm của đơn vị “SMOI”.",
        "Điểm!E1 “SXX”: đơn vị không có trong trang “Đơn vị”.",
    ]


def test_text_in_a_number_cell_is_reported(tmp_path: Path, unchanged: None) -> None:
    sheets = valid_sheets()
    sheets["Điểm"][2][1] = "abc"
    status, _out, err = run(tmp_path, sheets)
    assert status == 1
    assert error_lines(err) == ["Điểm!B3 “abc”: không phải là một số."]


def test_a_missing_sheet_is_reported(tmp_path: Path, unchanged: None) -> None:
    sheets = valid_sheets()
    del sheets["Tiêu chí"]
    status, _out, err = run(tmp_path, sheets)
    assert status == 1
    assert error_lines(err) == [
        "Tiêu chí: tệp không có trang này (các trang có trong tệp: “Thông tin”, “Đơn vị”, “Điểm”)."
    ]


def test_duplicate_codes_are_reported(tmp_path: Path, unchanged: None) -> None:
    sheets = valid_sheets()
    sheets["Đơn vị"].append(["syt", "Sở Y tế (lần hai)", None])
    sheets["Tiêu chí"].append(["I.1", "Lặp lại", 6, "chuẩn"])
    status, _out, err = run(tmp_path, sheets)
    assert status == 1
    assert error_lines(err) == [
        "Đơn vị!A6 “syt”: mã đơn vị lặp lại (đã có ở dòng 2).",
        "Tiêu chí!A9 “I.1”: mã tiêu chí lặp lại (đã có ở dòng 3).",
    ]


def test_every_problem_is_reported_at_once(tmp_path: Path, unchanged: None) -> None:
    sheets = valid_sheets()
    sheets["Thông tin"][2][1] = 1999
    sheets["Thông tin"][4][1] = "SYT"  # deputy = head
    sheets["Đơn vị"][2][2] = 120
    sheets["Tiêu chí"][2][3] = "thưởng"  # I.1 under a standard section
    sheets["Tiêu chí"].append(["IV.1", "Không có mục cha", 1, "chuẩn"])
    sheets["Tiêu chí"].append(["V", "Không có điểm tối đa", None, "chuẩn"])
    sheets["Điểm"][3][1] = None  # a missing score is never a zero
    sheets["Điểm"][3][2] = "=1+2"
    sheets["Điểm"][4][3] = 3.5  # more than the maximum of 3
    sheets["Điểm"][5][4] = -1  # a penalty is written as a positive number
    sheets["Điểm"].append(["I", 1, None, None, None])
    sheets["Điểm"].append(["IX", 1, 1, 1, 1])
    status, _out, err = run(tmp_path, sheets)
    assert status == 1
    assert error_lines(err) == [
        "Thông tin!B3 “1999”: năm phải là số nguyên từ 2000 đến 2100.",
        "Thông tin!B5 “SYT”: Trưởng khối và Khối phó phải là hai đơn vị khác nhau.",
        "Đơn vị!C3 “120”: tỷ lệ nữ phải từ 0 đến 100, tối đa hai chữ số thập phân.",
        "Tiêu chí!D3 “I.1”: loại khác với mục cha “I”.",
        "Tiêu chí!A9 “IV.1”: thiếu mục cha “IV”.",
        "Tiêu chí!C10: tiêu chí không có tiêu chí con cần điểm tối đa lớn hơn 0.",
        "Điểm: thiếu dòng của tiêu chí “IV.1”.",
        "Điểm: thiếu dòng của tiêu chí “V”.",
        "Điểm!B4: thiếu điểm của đơn vị “SYT” (ô trống không được tính là 0).",
        "Điểm!C4 “=1+2”: ô chứa công thức; hãy nhập số (hoặc dán bằng “Dán giá trị”).",
        "Điểm!D5 “3.5”: điểm không được vượt điểm tối đa 3.",
        "Điểm!E6 “-1”: điểm trừ ghi bằng số dương (số điểm bị trừ), ví dụ 1 chứ không phải -1.",
        "Điểm!A7 “I”: mã tiêu chí lặp lại (đã có ở dòng 2).",
        "Điểm!A8 “IX”: không có tiêu chí mã này trong trang “Tiêu chí”.",
    ]


def test_missing_keys_columns_and_rows_are_reported(tmp_path: Path, unchanged: None) -> None:
    # The current year: its head and deputy are required (a past year may leave them out).
    sheets = valid_sheets(year=timezone.localdate().year)
    del sheets["Thông tin"][3]  # Trưởng khối
    sheets["Đơn vị"][0][1] = "Tên"
    del sheets["Điểm"][3]  # I.2
    status, _out, err = run(tmp_path, sheets)
    assert status == 1
    assert error_lines(err) == [
        "Thông tin: thiếu mục “Trưởng khối”.",
        "Đơn vị, dòng 1: thiếu cột “Tên đơn vị” ở dòng tiêu đề.",
        "Điểm: thiếu dòng của tiêu chí “I.2”.",
    ]


def test_a_unit_of_another_bloc_that_year_is_refused(tmp_path: Path, unchanged: None) -> None:
    status, _out, err = run(tmp_path, valid_sheets(year=2020))
    assert status == 1
    assert error_lines(err) == [
        "Đơn vị!A2 “SYT”: đơn vị đã là thành viên của Khối thi đua tham mưu III năm 2020.",
        "Đơn vị!A3 “BQN”: đơn vị đã là thành viên của Khối thi đua tham mưu III năm 2020.",
        "Đơn vị!A4 “SGDDT”: đơn vị đã là thành viên của Khối thi đua tham mưu III năm 2020.",
    ]


def test_an_ambiguous_or_unknown_council_is_refused(tmp_path: Path, unchanged: None) -> None:
    Council.objects.create(code="DNG", name="Hội đồng TĐKT thành phố Đà Nẵng", province="Đà Nẵng")
    status, _out, err = run(tmp_path, valid_sheets(council=None))
    assert status == 1
    assert "Không rõ nhập vào hội đồng nào (DNG, QNA)" in err
    status, _out, err = run(tmp_path, valid_sheets(council="HUE"))
    assert "Thông tin!B7 “HUE”: chưa có hội đồng mã này; thêm mục “Tên hội đồng”" in err
    status, _out, err = run(tmp_path, valid_sheets(council="QNA"), "--council", "DNG")
    assert "Thông tin!B7 “QNA”: tệp ghi hội đồng này nhưng đã chọn hội đồng “DNG”." in err
    Council.objects.filter(code="DNG").delete()


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path, unchanged: None) -> None:
    status, _out, err = run(tmp_path, b"PK\x03\x04 not really a zip")
    assert status == 1
    assert error_lines(err)[0].startswith("Không đọc được tệp “nam-thi-dua.xlsx”: đây không phải")
    out, err_stream = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_bloc_year", str(tmp_path / "khong-co.xlsx"), stdout=out, stderr=err_stream
        )
    assert raised.value.returncode == 1
    assert "không tìm thấy tệp" in err_stream.getvalue()


def test_the_command_exits_with_status_1_and_no_traceback(
    tmp_path: Path,
    unchanged: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As from a shell; the command's final ``close_all`` would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    sheets = valid_sheets()
    sheets["Điểm"][2][1] = "abc"
    path = tmp_path / "loi.xlsx"
    path.write_bytes(build_workbook(sheets))
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "import_bloc_year", str(path)]).execute()
    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert "Điểm!B3 “abc”: không phải là một số." in captured.err
    assert "Traceback" not in captured.err


def test_reading_needs_no_database() -> None:
    """The reader is pure: it runs without database access (this test has none)."""
    reading = read_workbook(build_workbook(valid_sheets()))
    assert reading.problems == []
    assert [unit.code for unit in reading.data.units] == ["SYT", "BQN", "SGDDT", "SMOI"]
    assert reading.data.verified["SGDDT"]["I.1"] == D("5.5")
    assert [leaf.code for leaf in reading.data.leaves] == ["I.1", "I.2", "II.1", "III.1"]


def test_problems_read_as_sheet_cell_value_and_reason() -> None:
    assert str(Problem("không phải là một số.", "Điểm", 7, "C", "abc")) == (
        "Điểm!C7 “abc”: không phải là một số."
    )
    assert str(Problem("thiếu mục “Năm”.", "Thông tin")) == "Thông tin: thiếu mục “Năm”."
    assert normalise("  Mã  ĐƠN VỊ ") == "ma don vi"


def test_import_failed_lists_problems_in_sheet_order() -> None:
    failed = ImportFailed(
        [Problem("b", "Điểm", 2, "B"), Problem("a", "Thông tin", 3, "B"), Problem("Tệp hỏng.")]
    )
    assert [problem.reason for problem in failed.problems] == ["Tệp hỏng.", "a", "b"]


# ---------------------------------------------------------------------------- the upload page


def upload(client: Any, content: bytes, council: str = "") -> Any:
    return client.post(
        reverse("scoring:import"),
        {"file": SimpleUploadedFile("nam-2019.xlsx", content), "council": council},
    )


def test_a_council_admin_uploads_a_workbook_and_lands_on_the_year(council_admin: User) -> None:
    client = client_for(council_admin)
    response = upload(client, build_workbook(valid_sheets(council=None)), "QNA")
    bloc_year = BlocYear.objects.get(bloc__code="TM9", year=2019)
    assert response.status_code == 302
    assert response["Location"] == bloc_year.get_absolute_url()
    page = client.get(response["Location"])
    assert "Đã nhập Khối thi đua thử nghiệm năm 2019" in page.content.decode()
    assert AuditEntry.objects.get(context=f"import:{bloc_year.pk}").actor == council_admin


def test_an_invalid_upload_shows_every_problem_and_writes_nothing(
    council_admin: User, unchanged: None
) -> None:
    sheets = valid_sheets()
    sheets["Điểm"][2][1] = "abc"
    sheets["Tiêu chí"][1][2] = 12
    response = upload(client_for(council_admin), build_workbook(sheets))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert "Tệp có 2 lỗi; chưa có gì được ghi" in page
    for text in ("<td>Điểm</td>", "<td>B3</td>", "<td>abc</td>", "không phải là một số."):
        assert text in page
    assert "<td>C2</td>" in page and "khác tổng điểm tối đa các tiêu chí con" in page


def test_an_upload_may_not_name_a_council_the_admin_does_not_manage(
    council_admin: User, unchanged: None
) -> None:
    Council.objects.create(code="DNG", name="Hội đồng TĐKT thành phố Đà Nẵng", province="Đà Nẵng")
    before = counts()
    sheets = valid_sheets(council="DNG")
    response = upload(client_for(council_admin), build_workbook(sheets))
    assert response.status_code == 200
    assert "bạn không quản lý hội đồng này." in response.content.decode()
    sheets["Thông tin"][6][1] = "HUE"
    sheets["Thông tin"].append(["Tên hội đồng", "Hội đồng TĐKT thành phố Huế"])
    response = upload(client_for(council_admin), build_workbook(sheets))
    assert "không có hội đồng nào bạn quản lý có mã này." in response.content.decode()
    assert counts() == before
    Council.objects.filter(code="DNG").delete()


def test_an_upload_over_5_mb_is_refused(council_admin: User, unchanged: None) -> None:
    response = upload(client_for(council_admin), b"0" * (5 * 1024 * 1024 + 1))
    assert response.status_code == 200
    assert "Tệp lớn hơn 5 MB" in response.content.decode()


def test_a_focal_point_may_not_import(focal_point: User, unchanged: None) -> None:
    response = upload(client_for(focal_point), build_workbook(valid_sheets()))
    assert response.status_code == 403


def test_the_page_shows_the_councils_the_admin_manages(
    council_admin: User, django_assert_num_queries: Any
) -> None:
    client = client_for(council_admin)
    client.get(reverse("scoring:import"))
    with django_assert_num_queries(4):
        response = client.get(reverse("scoring:import"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam (QNA)" in page


def _grown(sheets: Sheets, extra_units: int, extra_criteria: int) -> Sheets:
    """The valid workbook with more new units and more criteria under section I."""
    units = [f"SMOI{index}" for index in range(extra_units)]
    codes = [f"I.{index + 3}" for index in range(extra_criteria)]
    sheets["Đơn vị"] += [[code, f"Sở thêm {code}", None] for code in units]
    section = sheets["Tiêu chí"][1]
    section[2] += extra_criteria
    at = sheets["Tiêu chí"].index(section) + 3
    sheets["Tiêu chí"][at:at] = [[code, f"Tiêu chí {code}", 1, "chuẩn"] for code in codes]
    sheets["Điểm"][0] += units
    for row in sheets["Điểm"][1:]:
        row += [None if row[0] == "I" else 0] * extra_units
    width = len(sheets["Điểm"][0]) - 1
    sheets["Điểm"] += [[code, *([1] * width)] for code in codes]
    return sheets


def test_the_import_costs_the_same_queries_whatever_the_size_of_the_year(
    world: World, django_assert_num_queries: Any
) -> None:
    """Units, criteria, sheets and lines are written in bulk: the count of queries does not
    depend on the workbook's size (the benchmark times the import of 15 units × 80 criteria)."""
    choice = CouncilChoice(code="QNA")

    def queries(sheets: Sheets) -> int:
        content = build_workbook(sheets)
        with CaptureQueriesContext(connections["default"]) as captured:
            import_bloc_year(content, filename="nam.xlsx", choice=choice, by=None)
        return len(captured.captured_queries)

    small = queries(valid_sheets(year=2017, bloc="TM7"))
    large = queries(_grown(valid_sheets(year=2018, bloc="TM8"), extra_units=12, extra_criteria=30))
    assert large == small
    assert (
        Membership.objects.filter(bloc_year__bloc__code="TM8", bloc_year__year=2018).count() == 16
    )
