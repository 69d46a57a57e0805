"""Issue 18's workbook contract at once: one past year using every column added for it — who
scores a criterion (``Cơ quan chấm``, ``Đơn vị chấm``), a tier table (``Bảng mức``, ``Đơn vị
đo``), members with only a published band (``Thứ hạng``, ``Xếp loại``), and no head or deputy —
imported in one go, each column read as when it comes alone."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from blocs.models import BlocYear, Membership
from scoring.models import Criterion, RankingSnapshot, ScoreLine
from tests.conftest import World
from tests.scoring.test_import import run
from tests.scoring.test_import_mixed_bands import TOT, mixed
from tests.scoring.test_import_past_years import with_scorers

pytestmark = pytest.mark.django_db


def test_a_past_year_with_every_new_column_imports_in_one_go(world: World, tmp_path: Path) -> None:
    sheets = mixed(year=2016)
    # No head, no deputy: a past source that does not give them.
    sheets["Thông tin"] = [
        row for row in sheets["Thông tin"] if row[0] not in ("Trưởng khối", "Khối phó")
    ]
    # III.1 (late reports, a penalty of at most 2) scored by days late.
    criteria = sheets["Tiêu chí"]
    criteria[0] += ["Bảng mức", "Đơn vị đo"]
    for row in criteria[1:]:
        row += [None, None]
    criteria[7][4:6] = ["0: 0; 1–3: 1; >3: 2", "ngày"]
    # Section II scored by Sở Tư pháp (a unit of the council outside the bloc), I.2 by the
    # council's office.
    sheets = with_scorers(
        sheets,
        {"II": "Sở, ngành được giao chấm", "I.2": "council"},
        {"II": "STP"},
    )

    status, out, err = run(tmp_path, sheets)

    assert (status, err) == (0, "")
    bloc_year = BlocYear.objects.get(bloc__code="TM9", year=2016)
    criteria_set = bloc_year.scoring.criteria_set
    late = Criterion.objects.get(criteria_set=criteria_set, code="III.1")
    assert (late.method, late.tier_unit) == ("tier", "ngày")
    bonus = Criterion.objects.get(criteria_set=criteria_set, code="II.1")
    assert bonus.scored_by == "department" and bonus.scorer_unit is not None
    assert bonus.scorer_unit.code == "STP"
    assert Criterion.objects.get(criteria_set=criteria_set, code="I.2").scored_by == "council"
    assert not Membership.objects.filter(
        bloc_year=bloc_year, role__in=[Membership.Role.HEAD, Membership.Role.DEPUTY]
    ).exists()
    assert "không có bảng điểm, chỉ có xếp loại công bố" in out
    # The ranking as published: the two scored members first, the band-only ones after them.
    snapshot = RankingSnapshot.objects.get(bloc_year=bloc_year)
    rows = [(row.rank, row.total, row.band) for row in snapshot.rows]
    assert rows[:2] == [(1, Decimal("11.00"), rows[0][2]), (2, Decimal("11.00"), rows[1][2])]
    assert rows[2] == (3, None, TOT)
    assert rows[3][1] is None
    # The points of the tier line are the year's points, as in the Điểm sheet.
    line = ScoreLine.objects.get(
        sheet__bloc_year=bloc_year, sheet__unit__code="SYT", criterion=late
    )
    assert line.verified_points == Decimal(0)
