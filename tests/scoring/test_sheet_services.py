"""Score sheet services: opening, saving, transitions, explanations, N/A, council adjustments."""

from __future__ import annotations

import functools
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from blocs.models import AuditEntry, BlocYear, Unit, User
from scoring.models import CriteriaSet, ExplanationRequest, ScoreLine, ScoreSheet
from scoring.services import criteria as criteria_services
from scoring.services import sheets as services
from scoring.services import transitions
from scoring.services.sheets import SELF, VERIFIED, LineEntry
from tests.conftest import World, build_criteria_set

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def opened(world: World) -> CriteriaSet:
    criteria_set = build_criteria_set(world.council, 2020, world.bloc_year)
    services.scoring_open(bloc_year=world.bloc_year, criteria_set=criteria_set, by=None)
    return criteria_set


def ids(criteria_set: CriteriaSet) -> dict[str, int]:
    return dict(criteria_set.criteria.values_list("code", "id"))


def sheet_of(world: World, unit: Unit) -> ScoreSheet:
    return ScoreSheet.objects.select_related("bloc_year__scoring__criteria_set", "unit").get(
        bloc_year=world.bloc_year, unit=unit
    )


def full_self(codes: dict[str, int]) -> dict[int, LineEntry]:
    return {
        codes["I.1"]: LineEntry(D("5.5"), None, "Đủ hồ sơ"),
        codes["I.2"]: LineEntry(D(9), D(10)),
        codes["II.1"]: LineEntry(D(1)),
        codes["III.1"]: LineEntry(D(0)),
    }


def test_opening_creates_one_sheet_per_member_with_a_line_per_leaf(
    world: World, opened: CriteriaSet
) -> None:
    sheets = ScoreSheet.objects.filter(bloc_year=world.bloc_year)
    assert sheets.count() == 3
    assert ScoreLine.objects.filter(sheet__in=sheets).count() == 3 * 4
    opened.refresh_from_db()
    assert opened.is_frozen
    assert BlocYear.objects.get(pk=world.bloc_year.pk).state == BlocYear.State.SCORING


def test_opening_twice_changes_nothing(world: World, opened: CriteriaSet) -> None:
    before = (ScoreSheet.objects.count(), ScoreLine.objects.count())
    services.scoring_open(bloc_year=world.bloc_year, criteria_set=opened, by=None)
    assert (ScoreSheet.objects.count(), ScoreLine.objects.count()) == before


def test_opening_refuses_a_set_whose_sums_do_not_add_up(world: World) -> None:
    criteria_set = build_criteria_set(world.council, 2020, world.bloc_year)
    criteria_set.criteria.filter(code="I.1").update(max_points=D(7))
    with pytest.raises(ValidationError, match="tổng các tiêu chí con"):
        services.scoring_open(bloc_year=world.bloc_year, criteria_set=criteria_set, by=None)
    assert not ScoreSheet.objects.exists()


def test_opening_refuses_a_set_of_another_year(world: World) -> None:
    criteria_set = build_criteria_set(world.council, 2021)
    with pytest.raises(ValidationError, match="cùng năm"):
        services.scoring_open(bloc_year=world.bloc_year, criteria_set=criteria_set, by=None)


def test_saving_self_points_computes_points_and_records_each_change(
    world: World, opened: CriteriaSet, focal_point: User
) -> None:
    sheet = sheet_of(world, world.member)
    codes = ids(opened)
    result = services.sheet_save(
        sheet=sheet, layer=SELF, entries=full_self(codes), version=1, by=focal_point
    )
    assert result.changed == 4
    points = dict(sheet.lines.values_list("criterion__code", "self_points"))
    assert points == {"I.1": D("5.5"), "I.2": D("3.6"), "II.1": D("1.5"), "III.1": D("0")}
    assert sheet.lines.get(criterion__code="I.1").note == "Đủ hồ sơ"
    entries = AuditEntry.objects.filter(context=sheet.audit_context, action="line.self")
    assert entries.count() == 4
    i1 = entries.get(subject="I.1")
    assert i1.actor == focal_point and i1.changes["value"] == [None, "5.5"]
    sheet.refresh_from_db()
    assert sheet.version == 2


def test_saving_the_same_values_again_records_nothing(world: World, opened: CriteriaSet) -> None:
    sheet = sheet_of(world, world.member)
    services.sheet_save(sheet=sheet, layer=SELF, entries=full_self(ids(opened)), version=1, by=None)
    result = services.sheet_save(
        sheet=sheet, layer=SELF, entries=full_self(ids(opened)), version=2, by=None
    )
    assert result.changed == 0
    assert AuditEntry.objects.filter(context=sheet.audit_context).count() == 4


def test_one_wrong_value_writes_nothing(world: World, opened: CriteriaSet) -> None:
    sheet = sheet_of(world, world.member)
    codes = ids(opened)
    entries = full_self(codes) | {codes["I.1"]: LineEntry(D(7))}  # max is 6
    with pytest.raises(services.EntryErrors) as error:
        services.sheet_save(sheet=sheet, layer=SELF, entries=entries, version=1, by=None)
    assert set(error.value.by_criterion) == {codes["I.1"]}
    assert "vượt điểm tối đa 6" in error.value.by_criterion[codes["I.1"]]
    assert not sheet.lines.filter(self_value__isnull=False).exists()
    sheet.refresh_from_db()
    assert sheet.version == 1


def test_a_stale_version_is_a_conflict_not_an_overwrite(world: World, opened: CriteriaSet) -> None:
    sheet = sheet_of(world, world.member)
    codes = ids(opened)
    services.sheet_save(
        sheet=sheet, layer=SELF, entries={codes["I.1"]: LineEntry(D(5))}, version=1, by=None
    )
    with pytest.raises(services.SheetConflict) as clash:
        services.sheet_save(
            sheet=sheet, layer=SELF, entries={codes["I.1"]: LineEntry(D(4))}, version=1, by=None
        )
    assert clash.value.sheet.version == 2
    assert sheet.lines.get(criterion_id=codes["I.1"]).self_value == D(5)


def test_a_verified_value_different_from_self_needs_a_reason(
    world: World, opened: CriteriaSet
) -> None:
    sheet = sheet_of(world, world.member)
    codes = ids(opened)
    services.sheet_save(sheet=sheet, layer=SELF, entries=full_self(codes), version=1, by=None)
    with pytest.raises(services.EntryErrors) as error:
        services.sheet_save(
            sheet=sheet,
            layer=VERIFIED,
            entries={codes["I.1"]: LineEntry(D(5), None, "")},
            version=2,
            by=None,
        )
    assert "ghi lý do" in error.value.by_criterion[codes["I.1"]]
    services.sheet_save(
        sheet=sheet,
        layer=VERIFIED,
        entries={codes["I.1"]: LineEntry(D(5), None, "Thiếu biên bản")},
        version=2,
        by=None,
    )
    line = sheet.lines.get(criterion_id=codes["I.1"])
    assert (line.verified_points, line.verified_reason) == (D(5), "Thiếu biên bản")
    assert AuditEntry.objects.get(action="line.verified").reason == "Thiếu biên bản"


def test_accepting_self_copies_every_unverified_line(world: World, opened: CriteriaSet) -> None:
    sheet = sheet_of(world, world.member)
    codes = ids(opened)
    services.sheet_save(sheet=sheet, layer=SELF, entries=full_self(codes), version=1, by=None)
    services.sheet_save(
        sheet=sheet,
        layer=VERIFIED,
        entries={codes["I.1"]: LineEntry(D(5), None, "Lý do")},
        version=2,
        by=None,
    )
    result = services.sheet_accept_self(sheet=sheet, version=3, by=None)
    assert result.changed == 3
    verified = dict(sheet.lines.values_list("criterion__code", "verified_points"))
    assert verified == {"I.1": D(5), "I.2": D("3.6"), "II.1": D("1.5"), "III.1": D(0)}


def test_submit_refuses_missing_lines_then_moves_to_submitted(
    world: World, opened: CriteriaSet
) -> None:
    sheet = sheet_of(world, world.member)
    codes = ids(opened)
    with pytest.raises(services.StateError, match="Còn 4 tiêu chí chưa tự chấm"):
        transitions.sheet_submit(sheet=sheet, by=None)
    services.sheet_save(sheet=sheet, layer=SELF, entries=full_self(codes), version=1, by=None)
    transitions.sheet_submit(sheet=sheet, by=None)
    assert sheet.state == ScoreSheet.State.SUBMITTED and sheet.submitted_at is not None
    with pytest.raises(services.StateError, match="Đã gửi"):
        transitions.sheet_submit(sheet=sheet, by=None)


def test_the_explanation_round_trip(
    world: World, opened: CriteriaSet, secretariat: User, focal_point: User
) -> None:
    sheet = sheet_of(world, world.member)
    codes = ids(opened)
    services.sheet_save(
        sheet=sheet, layer=SELF, entries=full_self(codes), version=1, by=focal_point
    )
    transitions.sheet_submit(sheet=sheet, by=focal_point)
    with pytest.raises(services.StateError):
        transitions.sheet_return_for_explanation(
            sheet=sheet, questions={codes["I.1"]: "  "}, by=secretariat
        )
    transitions.sheet_return_for_explanation(
        sheet=sheet, questions={codes["I.1"]: "Biên bản ở đâu?"}, by=secretariat
    )
    assert sheet.state == ScoreSheet.State.RETURNED
    request = ExplanationRequest.objects.get()
    with pytest.raises(services.StateError, match=r"I\.1"):
        transitions.sheet_answer_explanations(sheet=sheet, answers={}, by=focal_point)
    transitions.sheet_answer_explanations(
        sheet=sheet, answers={request.pk: "Đã bổ sung."}, by=focal_point
    )
    assert sheet.state == ScoreSheet.State.SUBMITTED
    services.sheet_accept_self(sheet=sheet, version=sheet.version, by=secretariat)
    with pytest.raises(services.StateError, match="giải trình"):
        transitions.sheet_mark_verified(sheet=sheet, by=secretariat)
    request.refresh_from_db()
    transitions.explanation_decide(request=request, accepted=True, note="", by=secretariat)
    with pytest.raises(services.StateError):
        transitions.explanation_decide(request=request, accepted=False, note="", by=secretariat)
    transitions.sheet_mark_verified(sheet=sheet, by=secretariat)
    assert sheet.state == ScoreSheet.State.VERIFIED
    actions = list(
        AuditEntry.objects.filter(context=sheet.audit_context).values_list("action", flat=True)
    )
    for action in (
        "sheet.submit",
        "sheet.return",
        "sheet.answer",
        "explanation.decide",
        "sheet.verify",
    ):
        assert action in actions


def test_verification_needs_every_line(world: World, opened: CriteriaSet) -> None:
    sheet = sheet_of(world, world.member)
    services.sheet_save(sheet=sheet, layer=SELF, entries=full_self(ids(opened)), version=1, by=None)
    transitions.sheet_submit(sheet=sheet, by=None)
    with pytest.raises(services.StateError, match="Còn 4 tiêu chí chưa thẩm định"):
        transitions.sheet_mark_verified(sheet=sheet, by=None)


def test_reopening_needs_a_reason(world: World, opened: CriteriaSet) -> None:
    sheet = sheet_of(world, world.member)
    services.sheet_save(sheet=sheet, layer=SELF, entries=full_self(ids(opened)), version=1, by=None)
    transitions.sheet_submit(sheet=sheet, by=None)
    services.sheet_accept_self(sheet=sheet, version=sheet.version, by=None)
    transitions.sheet_mark_verified(sheet=sheet, by=None)
    with pytest.raises(services.StateError):
        transitions.sheet_reopen(sheet=sheet, reason=" ", by=None)
    transitions.sheet_reopen(sheet=sheet, reason="Sai điểm I.2", by=None)
    assert sheet.state == ScoreSheet.State.SUBMITTED


def test_a_line_not_applicable_scales_the_total_and_needs_a_reason(
    world: World, opened: CriteriaSet
) -> None:
    from scoring.selectors import sheet_view

    sheet = sheet_of(world, world.member)
    codes = ids(opened)
    line = sheet.lines.get(criterion_id=codes["I.2"])
    with pytest.raises(services.StateError):
        services.line_set_not_applicable(line=line, not_applicable=True, reason="", by=None)
    services.line_set_not_applicable(
        line=line, not_applicable=True, reason="Không được giao chỉ tiêu", by=None
    )
    entries = full_self(codes)
    entries.pop(codes["I.2"])
    services.sheet_save(
        sheet=sheet, layer=SELF, entries=entries, version=sheet.version + 1, by=None
    )
    transitions.sheet_submit(sheet=sheet, by=None)  # the N/A line is not missing
    view = sheet_view(sheet)
    # 5.5 of 6 applicable points, scaled to the full 10: 9.17; + 1.5 bonus (cap 2) - 0.
    assert view.self_totals.standard == D("9.17")
    assert view.self_totals.total == D("10.67")
    penalty = sheet.lines.get(criterion_id=codes["III.1"])
    with pytest.raises(services.StateError, match="tiêu chí chuẩn"):
        services.line_set_not_applicable(line=penalty, not_applicable=True, reason="x", by=None)


def test_council_adjustment_keeps_points_within_range(world: World, opened: CriteriaSet) -> None:
    sheet = sheet_of(world, world.member)
    codes = ids(opened)
    services.sheet_save(
        sheet=sheet, layer=VERIFIED, entries={codes["I.1"]: LineEntry(D(5))}, version=1, by=None
    )
    line = sheet.lines.select_related("criterion").get(criterion_id=codes["I.1"])
    with pytest.raises(services.StateError):
        services.line_council_adjust(line=line, amount=D(2), reason="Thưởng", by=None)
    with pytest.raises(services.StateError):
        services.line_council_adjust(line=line, amount=D(-1), reason="", by=None)
    services.line_council_adjust(line=line, amount=D(-1), reason="Chậm hồ sơ", by=None)
    assert line.final_points == D(4)


def open_best_only(world: World) -> int:
    """Scoring opened with one criterion, scored against the bloc's best; its id."""
    criteria_set = criteria_services.criteria_set_create(
        council=world.council, year=2020, name="Bảng", by=None
    )
    criteria_services.criterion_save(
        criteria_set=criteria_set,
        by=None,
        code="I",
        title="Chỉ số",
        max_points=D(5),
        method="relative_best",
    )
    services.scoring_open(bloc_year=world.bloc_year, criteria_set=criteria_set, by=None)
    return criteria_set.criteria.get().pk


def test_relative_to_best_lines_follow_the_best_result_of_the_bloc(world: World) -> None:
    code = open_best_only(world)
    first, second = sheet_of(world, world.member), sheet_of(world, world.head)
    services.sheet_save(
        sheet=first, layer=SELF, entries={code: LineEntry(D(80))}, version=1, by=None
    )
    assert first.lines.get().self_points == D(5)
    services.sheet_save(
        sheet=second, layer=SELF, entries={code: LineEntry(D(100))}, version=1, by=None
    )
    assert first.lines.get().self_points == D(4)
    assert second.lines.get().self_points == D(5)


@pytest.mark.django_db(transaction=True)
def test_two_people_submitting_at_once_submit_once(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL; SQLite serialises writers")
    criteria_set = build_criteria_set(world.council, 2020, world.bloc_year)
    services.scoring_open(bloc_year=world.bloc_year, criteria_set=criteria_set, by=None)
    sheet = sheet_of(world, world.member)
    services.sheet_save(
        sheet=sheet, layer=SELF, entries=full_self(ids(criteria_set)), version=1, by=None
    )
    outcomes = _race(
        lambda: transitions.sheet_submit(sheet=ScoreSheet.objects.get(pk=sheet.pk), by=None)
    )
    assert sorted(outcomes) == ["StateError", "ok"]
    assert AuditEntry.objects.filter(action="sheet.submit").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_version_at_once_one_is_told(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL; SQLite serialises writers")
    criteria_set = build_criteria_set(world.council, 2020, world.bloc_year)
    services.scoring_open(bloc_year=world.bloc_year, criteria_set=criteria_set, by=None)
    sheet = sheet_of(world, world.member)
    code = ids(criteria_set)["I.1"]
    values = iter([D(4), D(5)])
    lock = threading.Lock()

    def save() -> None:
        with lock:
            value = next(values)
        services.sheet_save(
            sheet=ScoreSheet.objects.select_related("bloc_year__scoring__criteria_set").get(
                pk=sheet.pk
            ),
            layer=SELF,
            entries={code: LineEntry(value)},
            version=1,
            by=None,
        )

    outcomes = _race(save)
    assert sorted(outcomes) == ["SheetConflict", "ok"]
    sheet.refresh_from_db()
    assert sheet.version == 2


@pytest.mark.django_db(transaction=True)
def test_a_council_adjustment_during_a_save_of_the_same_sheet_waits_its_turn(
    world: World,
) -> None:
    """Both write the sheet's kept totals: they queue on the sheet's row, never deadlock, and
    the kept total is the lines' (checked after the test by tests/conftest.py)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL; SQLite serialises writers")
    criteria_set = build_criteria_set(world.council, 2020, world.bloc_year)
    services.scoring_open(bloc_year=world.bloc_year, criteria_set=criteria_set, by=None)
    sheet = sheet_of(world, world.member)
    codes = ids(criteria_set)
    services.sheet_save(sheet=sheet, layer=SELF, entries=full_self(codes), version=1, by=None)
    transitions.sheet_submit(sheet=sheet, by=None)
    services.sheet_accept_self(sheet=sheet, version=sheet.version, by=None)
    for round_ in range(8):
        current = sheet_of(world, world.member)
        entries = {
            criterion_id: LineEntry(line.verified_value, line.verified_target, "")
            for criterion_id, line in services.sheet_lines(current).items()
        }
        # I.1 (6 points) verified lower every other round, with the reason that asks for.
        entries[codes["I.1"]] = LineEntry(D(6) - D("0.5") * (round_ % 2), None, "Thiếu hồ sơ")

        def save(current: ScoreSheet = current, entries: dict = entries) -> None:
            services.sheet_save(
                sheet=current, layer=VERIFIED, entries=entries, version=current.version, by=None
            )

        def adjust(round_: int = round_) -> None:
            line = ScoreLine.objects.select_related("criterion", "sheet__bloc_year").get(
                sheet=sheet, criterion_id=codes["I.1"]
            )
            amount = None if round_ % 2 else D("-0.5")
            services.line_council_adjust(line=line, amount=amount, reason="Kiểm tra", by=None)

        assert sorted(_race(save, adjust)) == ["ok", "ok"]


@pytest.mark.django_db(transaction=True)
def test_two_units_saving_lines_scored_against_the_best_at_once_both_save(world: World) -> None:
    """Each save rewrites the line of every member's sheet (and their kept totals): the two
    queue on the bloc-year's sheets, taken in one order, instead of deadlocking."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL; SQLite serialises writers")
    code = open_best_only(world)
    units = [world.member, world.head]

    def save(unit: Unit, value: Decimal) -> None:
        sheet = sheet_of(world, unit)
        services.sheet_save(
            sheet=sheet,
            layer=SELF,
            entries={code: LineEntry(value)},
            version=sheet.version,
            by=None,
        )

    for round_ in range(8):
        first = functools.partial(save, units[0], D(70 + round_))
        second = functools.partial(save, units[1], D(90 - round_))
        assert sorted(_race(first, second)) == ["ok", "ok"]
    assert {line.self_value for line in ScoreLine.objects.filter(criterion_id=code)} >= {
        D(77),
        D(83),
    }


def _race(action: object, other: object = None) -> list[str]:
    """Run ``action`` in two threads released together (or ``action`` and ``other``); return
    "ok" or the exception's name for each."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(action: object) -> None:
        from django.db import connections

        barrier.wait()
        try:
            action()  # type: ignore[operator]
            outcomes.append("ok")
        except Exception as error:  # the outcome is the point of the test
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(todo,)) for todo in (action, other or action)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
