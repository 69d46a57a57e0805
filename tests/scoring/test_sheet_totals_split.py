"""The sheet's totals that misled (issue 20, item 1): the unit's own self total as it sent it,
the points of the lines the bloc scores apart, and no verified amount before verification
starts."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from blocs.models import User
from scoring import rules
from scoring.models import ScoreSheet
from scoring.rules import LineScore
from scoring.services import sheets as sheet_services
from scoring.services.sheets import SELF, LineEntry
from tests.conftest import client_for
from tests.scoring.test_outside_scoring import Outside, build_outside, column_post

D = Decimal


def _line(
    pk: int, kind: str, max_points: str, points: str | None, *, bloc: bool = False
) -> LineScore:
    return LineScore(pk, kind, D(max_points), None if points is None else D(points), optional=bloc)


def test_the_own_total_counts_only_the_units_lines_and_the_cap_applies_once() -> None:
    lines = [
        _line(1, rules.STANDARD, "60", "55.65"),
        _line(2, rules.STANDARD, "30", "26"),
        _line(3, rules.STANDARD, "10", "4", bloc=True),  # the bloc's line: 4 of 10
        _line(4, rules.BONUS, "3", "3"),
        _line(5, rules.BONUS, "1", "1", bloc=True),
        _line(6, rules.PENALTY, "2", "0.5"),
    ]
    split = rules.self_totals(lines, D("2"))
    # Own: 55.65 + 26 = 81.65 standard (no scaling: every line applies), bonus min(3, 2) = 2,
    # penalty 0.5 → 83.15; the bloc's 4 and 1 count nowhere in it.
    assert (split.own.standard, split.own.bonus, split.own.total) == (D("81.65"), 2, D("83.15"))
    assert split.own.complete
    # Combined: 85.65 standard, bonus min(3 + 1, 2) = 2, − 0.5 → 87.15.
    assert split.combined.total == D("87.15")
    # What the bloc's lines add: 4 (its bonus point is lost to the cap, counted once).
    assert split.others == D("4.00")
    assert (split.others_lines, split.others_scored) == (2, 2)


def test_a_bloc_line_without_points_is_neither_missing_nor_counted() -> None:
    lines = [
        _line(1, rules.STANDARD, "90", "81.65"),
        _line(2, rules.STANDARD, "10", None, bloc=True),
    ]
    before = rules.self_totals(lines, None)
    assert (before.own.total, before.own.missing) == (D("81.65"), 0)
    assert (before.others, before.others_lines, before.others_scored) == (0, 1, 0)
    # The secretariat enters the bloc's line: the unit's own total does not move.
    after = rules.self_totals([lines[0], _line(2, rules.STANDARD, "10", "4", bloc=True)], None)
    assert after.own.total == D("81.65")
    assert after.combined.total == D("85.65")
    assert after.others == D("4.00")
    # A unit line without points is missing in both totals.
    missing = rules.self_totals([_line(1, rules.STANDARD, "90", None)], None)
    assert (missing.own.missing, missing.combined.missing) == (1, 1)


@pytest.fixture
def outside(world: object) -> Outside:
    return build_outside(world)  # type: ignore[arg-type]


def _totals_bar(html: str) -> str:
    start = html.index('id="totals-bar"')
    return html[start : html.index("</dl>", start)]


def _tfoot(html: str) -> str:
    return html[html.index("<tfoot>") : html.index("</tfoot>")]


@pytest.mark.django_db
def test_a_draft_reads_not_verified_never_zero_or_missing(
    outside: Outside, focal_point: User, council_admin: User
) -> None:
    o = outside
    sheet = o.sheet(o.world.member)
    sheet_services.sheet_save(
        sheet=sheet,
        layer=SELF,
        entries={o.ids["I.1"]: LineEntry(D("5.5"))},
        version=sheet.version,
        by=focal_point,
    )
    # The council's office enters its line while the unit is still filling in.
    admin = client_for(council_admin)
    assert (
        admin.post(o.url("II.1"), column_post(o, "II.1", {o.world.member: "3"})).status_code == 302
    )
    response = client_for(focal_point).get(sheet.get_absolute_url())
    html = response.content.decode()
    assert response.context["view"].verification_started is False
    bar = _totals_bar(html)
    assert "chưa thẩm định" in bar
    assert "thiếu" not in bar
    verified = re.findall(r'data-total="verified[a-z-]*">(.*?)</td>', _tfoot(html))
    assert len(verified) == 4  # standard, bonus, penalty, total
    assert all("chưa thẩm định" in cell and "0,00" not in cell for cell in verified)
    # The unit's own total: its one line; the council's 3 points shown apart.
    assert 'data-live="self">5,50<' in bar
    assert "Điểm do khối chấm" in bar and "3,00" in bar
    assert 'data-live="combined">8,50<' in bar


@pytest.mark.django_db
def test_the_self_total_stays_as_submitted_when_the_secretariat_enters_a_bloc_line(
    outside: Outside, focal_point: User, secretariat: User
) -> None:
    o = outside
    sheet = o.submit(o.world.member)  # I.1 = 5, the unit's only line
    url = sheet.get_absolute_url()
    before = client_for(focal_point).get(url)
    assert before.context["view"].self_totals.total == D("5.00")
    assert before.context["view"].verification_started is True
    assert "chưa thẩm định" not in _totals_bar(before.content.decode())
    response = client_for(secretariat).post(
        o.url("I.2"), column_post(o, "I.2", {o.world.member: "4"}, reason="Dự đủ các hoạt động")
    )
    assert response.status_code == 302
    assert o.line(o.world.member, "I.2").verified_points == D(4)
    after = client_for(focal_point).get(url)
    view = after.context["view"]
    assert view.self_totals.total == D("5.00")  # as the unit sent it
    assert view.self_split.others == D("4.00")
    assert view.self_split.combined.total == D("9.00")
    bar = _totals_bar(after.content.decode())
    assert 'data-live="self">5,00<' in bar
    assert "Điểm do khối chấm" in bar
    assert "4,00" in bar
    assert 'data-live="combined">9,00<' in bar
    assert ScoreSheet.objects.get(pk=sheet.pk).state == ScoreSheet.State.SUBMITTED
