"""The ``Bảng mức`` and ``Đơn vị đo`` columns of the workbook's ``Tiêu chí`` sheet: a tier table
makes a criterion scored by it; a bad one is refused at its cell with nothing written; the
``Điểm`` sheet still carries points. Workbooks without the columns are tested unchanged in
test_import.py."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from blocs.models import BlocYear
from scoring.models import ScoreLine
from tests.conftest import World
from tests.scoring.test_import import error_lines, run, unchanged, valid_sheets

pytestmark = pytest.mark.django_db
D = Decimal
__all__ = ["unchanged"]  # the fixture, used by name below


def tier_sheets(table: str = "0: 0; 1–3: 1; >3: 2") -> dict[str, list[list[object]]]:
    """The valid workbook with III.1 (late reports, a penalty of at most 2) scored by days late."""
    sheets = valid_sheets()
    criteria = sheets["Tiêu chí"]
    criteria[0] += ["Bảng mức", "Đơn vị đo"]
    for row in criteria[1:]:
        row += [None, None]
    criteria[7][4:6] = [table, "ngày"]
    return sheets


def test_a_tier_table_makes_the_criterion_scored_by_it(world: World, tmp_path: Path) -> None:
    status, _out, err = run(tmp_path, tier_sheets())
    assert (status, err) == (0, "")
    bloc_year = BlocYear.objects.get(bloc__code="TM9", year=2019)
    criteria = bloc_year.scoring.criteria_set.criteria
    late = criteria.get(code="III.1")
    assert (late.method, late.tier_unit) == ("tier", "ngày")
    assert late.tier_text == "0: 0; 1–3: 1; >3: 2 (ngày)"
    assert set(criteria.exclude(code="III.1").values_list("method", flat=True)) == {"direct"}
    # The Điểm sheet holds the points a year earned, not the days measured.
    line = ScoreLine.objects.get(
        sheet__bloc_year=bloc_year, sheet__unit__code="SGDDT", criterion=late
    )
    assert (line.verified_points, line.verified_value) == (D(1), None)
    assert (line.self_points, line.self_value) == (D(1), None)
    assert bloc_year.score_sheets.get(unit__code="SGDDT").verified_total == D("10.50")  # as without


def test_a_bad_table_is_refused_at_its_cell_and_nothing_written(
    tmp_path: Path, unchanged: None
) -> None:
    status, _out, err = run(tmp_path, tier_sheets("0: 0; 2–3: 1; >3: 5"))
    assert status == 1
    assert error_lines(err) == [
        "Tiêu chí!E8 “0: 0; 2–3: 1; >3: 5”: bảng mức: dòng 2: giữa “0” và “2–3” còn giá trị "
        "không thuộc mức nào (ví dụ 1); nối liền các mức.",
        "Tiêu chí!E8 “0: 0; 2–3: 1; >3: 5”: bảng mức: dòng 3: điểm 5 phải từ 0 đến điểm tối đa 2.",
    ]


def test_an_unreadable_table_and_a_table_on_a_parent_are_refused(
    tmp_path: Path, unchanged: None
) -> None:
    sheets = tier_sheets("0: 0; vài ngày: 1")
    sheets["Tiêu chí"][6][4] = "0: 2"  # III, a parent
    status, _out, err = run(tmp_path, sheets)
    assert status == 1
    assert error_lines(err) == [
        "Tiêu chí!E7 “0: 2”: chỉ tiêu chí không có tiêu chí con mới tính theo bảng mức.",
        "Tiêu chí!E8 “0: 0; vài ngày: 1”: bảng mức: dòng 2: không đọc được khoảng “vài ngày”; "
        "viết như 0, 1–3, 80–<95, >7, ≥95 hoặc <50.",
    ]
    sheets = tier_sheets()
    sheets["Tiêu chí"][6][4] = "0: 2"
    status, _out, err = run(tmp_path, sheets)
    assert error_lines(err) == [
        "Tiêu chí!E7 “0: 2”: chỉ tiêu chí không có tiêu chí con mới tính theo bảng mức."
    ]
