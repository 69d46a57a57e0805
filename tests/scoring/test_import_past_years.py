"""Issue 18 items 5 and 7: the bloc-year workbook holds real past years.

Who scores a criterion (``Đơn vị chấm``, ``Cơ quan chấm``) and a past year without its head and
deputy, through real workbook files (docs/import-format.md); old workbooks import unchanged.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from blocs.models import BlocYear, Membership, User
from reports.models import Document
from scoring.importer import CouncilChoice, import_bloc_year, read_workbook
from scoring.importer.contract import leadership_required, scored_by_code
from scoring.models import Criterion
from tests.conftest import World, client_for
from tests.scoring.test_import import (
    EXAMPLE,
    Sheets,
    build_workbook,
    counts,
    error_lines,
    ranking_table,
    run,
    unchanged,
    upload,
    valid_sheets,
)

pytestmark = pytest.mark.django_db
__all__ = ["unchanged"]  # the fixture, used by name

SCORED_BY = {
    "I": "Khối chấm",
    "I.1": None,  # takes the section's
    "I.2": "council",
    "II": "Sở, ngành được giao chấm",
    "II.1": None,
    "III": "  don vi tu cham ",  # marks, case and spaces do not matter
    "III.1": None,
}
SCORERS = {"II": "stp"}  # Sở Tư pháp: a unit of the council outside the bloc, in any case


def with_scorers(sheets: Sheets, scored_by: dict[str, Any], scorers: dict[str, str]) -> Sheets:
    """The criteria sheet with the two new columns: E ``Cơ quan chấm``, F ``Đơn vị chấm``."""
    sheets = copy.deepcopy(sheets)
    rows = sheets["Tiêu chí"]
    rows[0] = [*rows[0], "Cơ quan chấm", "Đơn vị chấm"]
    for row in rows[1:]:
        row.extend([scorers.get(row[0]), scored_by.get(row[0])])
    return sheets


def past_year_without_leadership(year: int = 2016) -> Sheets:
    sheets = valid_sheets(year=year)
    sheets["Thông tin"] = [row for row in sheets["Thông tin"] if row[0] not in ("Trưởng khối",)]
    for row in sheets["Thông tin"]:
        if row[0] == "Khối phó":
            row[1] = None  # the key is there, its value blank
    return sheets


# ---------------------------------------------------------------------------- pure rules


def test_who_scores_is_read_from_its_code_or_its_label() -> None:
    assert scored_by_code("bloc") == "bloc"
    assert scored_by_code("KHỐI CHẤM") == "bloc"
    assert scored_by_code("Cơ quan thường trực Hội đồng chấm") == "council"
    assert scored_by_code("so, nganh duoc giao cham") == "department"
    assert scored_by_code("Đơn vị tự chấm") == "unit"
    assert scored_by_code("Phòng Nội vụ") is None
    assert scored_by_code("khối") is None


def test_head_and_deputy_are_required_from_the_current_year_on() -> None:
    assert leadership_required(2025, 2026) is False
    assert leadership_required(2026, 2026) is True
    assert leadership_required(2027, 2026) is True
    assert leadership_required(None, 2026) is True  # the year unknown: nothing is waived


# ---------------------------------------------------------------------------- every new column


def test_a_past_year_with_every_new_column_imports(world: World, tmp_path: Path) -> None:
    sheets = with_scorers(past_year_without_leadership(2016), SCORED_BY, SCORERS)
    status, out, err = run(tmp_path, sheets)
    assert (status, err) == (0, "")
    assert "Tệp không ghi “Trưởng khối” và “Khối phó” của năm 2016" in out
    bloc_year = BlocYear.objects.get(bloc__code="TM9", year=2016)
    assert bloc_year.head is None and bloc_year.deputy is None
    assert set(Membership.objects.filter(bloc_year=bloc_year).values_list("role", flat=True)) == {
        Membership.Role.MEMBER
    }
    criteria = {
        c.code: (c.scored_by, c.scorer_unit.code if c.scorer_unit else None)
        for c in Criterion.objects.filter(criteria_set__bloc_year=bloc_year)
    }
    assert criteria == {
        "I": ("bloc", None),
        "I.1": ("bloc", None),
        "I.2": ("council", None),
        "II": ("department", "STP"),
        "II.1": ("department", "STP"),
        "III": ("unit", None),
        "III.1": ("unit", None),
    }
    # Who scored changes nothing of the ranking: the same as the old workbook's.
    assert ranking_table(bloc_year) == [
        (1, "SYT", "11.00", True),
        (2, "BQN", "11.00", True),
        (3, "SGDDT", "10.50", False),
        (4, "SMOI", "7.00", False),
    ]


def test_a_scorer_of_the_bloc_itself_is_one_of_its_members(world: World) -> None:
    sheets = with_scorers(valid_sheets(), {"I.1": "department"}, {"I.1": "Sgddt"})
    result = import_bloc_year(
        build_workbook(sheets), filename="x.xlsx", choice=CouncilChoice(), by=None
    )
    criterion = Criterion.objects.get(criteria_set__bloc_year=result.bloc_year, code="I.1")
    assert criterion.scorer_unit is not None
    assert (criterion.scored_by, criterion.scorer_unit.code) == ("department", "SGDDT")
    assert result.leadership_missing == [] and result.leadership_note == ""


# ---------------------------------------------------------------------------- old workbooks


def test_the_example_workbook_reads_as_before() -> None:
    data = read_workbook(EXAMPLE.read_bytes(), filename=EXAMPLE.name, this_year=2019).data
    assert (data.head, data.deputy) == ("SVHTTDL", "BQN")
    assert {(row.scored_by, row.scorer) for row in data.criteria} == {("unit", "")}


def test_an_old_workbook_imports_as_before(world: World, tmp_path: Path) -> None:
    status, out, err = run(tmp_path, valid_sheets())
    assert (status, err) == (0, "")
    assert "Tệp không ghi" not in out
    bloc_year = BlocYear.objects.get(bloc__code="TM9", year=2019)
    head, deputy = bloc_year.head, bloc_year.deputy
    assert head is not None and deputy is not None
    assert (head.unit.code, deputy.unit.code) == ("SYT", "BQN")
    assert set(
        Criterion.objects.filter(criteria_set__bloc_year=bloc_year).values_list(
            "scored_by", "scorer_unit"
        )
    ) == {("unit", None)}


def test_replacing_a_year_with_one_that_has_no_head_clears_the_roles(
    world: World, tmp_path: Path
) -> None:
    assert run(tmp_path, valid_sheets(year=2016))[0] == 0
    status, out, _err = run(tmp_path, past_year_without_leadership(2016))
    assert status == 0 and "Đã thay dữ liệu" in out
    bloc_year = BlocYear.objects.get(bloc__code="TM9", year=2016)
    assert bloc_year.head is None and bloc_year.deputy is None
    assert Membership.objects.filter(bloc_year=bloc_year).count() == 4


# ---------------------------------------------------------------------------- refused


def test_the_current_year_still_needs_its_head_and_deputy(tmp_path: Path, unchanged: None) -> None:
    this_year = timezone.localdate().year
    status, _out, err = run(tmp_path, past_year_without_leadership(this_year))
    assert status == 1
    assert error_lines(err) == [
        "Thông tin: thiếu mục “Trưởng khối”.",
        "Thông tin!B4: thiếu giá trị của mục “Khối phó”.",
    ]


def test_bad_scorers_are_refused_at_their_cell_and_nothing_is_written(
    tmp_path: Path, unchanged: None
) -> None:
    sheets = with_scorers(
        valid_sheets(),
        {
            "I.1": "Phòng Nội vụ",
            "I.2": "Sở, ngành được giao chấm",
            "II.1": "bloc",
            "III": "department",
        },
        {"II.1": "STP", "III": "SXX"},
    )
    status, _out, err = run(tmp_path, sheets)
    assert status == 1
    assert error_lines(err) == [
        "Tiêu chí!F3 “Phòng Nội vụ”: đơn vị chấm phải là một trong “Đơn vị tự chấm”, “Khối chấm”, "
        "“Cơ quan thường trực Hội đồng chấm”, “Sở, ngành được giao chấm” (hoặc mã unit, bloc, "
        "council, department).",
        "Tiêu chí!E4: tiêu chí do sở, ngành chấm cần mã đơn vị ở cột “Cơ quan chấm”.",
        "Tiêu chí!E6 “STP”: chỉ ghi cơ quan chấm khi “Đơn vị chấm” là “Sở, ngành được giao chấm”.",
        "Tiêu chí!E7 “SXX”: không có đơn vị mã này trong trang “Đơn vị” hay trong hội đồng "
        "(cột “Cơ quan chấm”).",
    ]
    # Once the sheet reads well, the database names a scorer the council does not have.
    sheets = with_scorers(valid_sheets(), {"III": "department"}, {"III": "SXX"})
    status, _out, err = run(tmp_path, sheets)
    assert status == 1
    assert error_lines(err) == [
        "Tiêu chí!E7 “SXX”: không có đơn vị mã này trong trang “Đơn vị” hay trong hội đồng "
        "(cột “Cơ quan chấm”).",
    ]


# ---------------------------------------------------------------------------- what follows


def test_the_upload_page_says_head_and_deputy_were_not_given(
    council_admin: User, world: World
) -> None:
    client = client_for(council_admin)
    response = upload(client, build_workbook(past_year_without_leadership(2016)))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Đã nhập Khối thi đua thử nghiệm năm 2016" in page
    assert "Tệp không ghi “Trưởng khối” và “Khối phó” của năm 2016" in page
    # The year's page says the head is unknown, not "not yet elected".
    assert "không rõ (số liệu năm đã qua không ghi)" in page
    assert "chưa bầu" not in page


def test_documents_of_a_year_without_a_head_say_so(council_admin: User, world: World) -> None:
    result = import_bloc_year(
        build_workbook(past_year_without_leadership(2016)),
        filename="x.xlsx",
        choice=CouncilChoice(),
        by=None,
    )
    bloc_year = result.bloc_year
    before = counts()
    url = reverse("reports:documents", args=[bloc_year.bloc_id, 2016])
    response = client_for(council_admin).post(url, {"kind": "report"}, follow=True)
    assert response.status_code == 200
    assert "Khối chưa có Trưởng khối năm này" in response.content.decode()
    assert not Document.objects.filter(bloc_year=bloc_year).exists()
    assert counts() == before
    assert Decimal(0) <= result.ranking[0].total
