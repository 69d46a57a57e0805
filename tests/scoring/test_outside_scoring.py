"""Lines scored outside the bloc's secretariat (issue 13): the column page where the council's
office, a department or the secretariat enters one criterion for every member, its save, the
tasks on "my work", the notification when a sheet waiting on such a line is submitted, the
criterion form's department, and verification refused while such a line is empty."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from blocs import services as bloc_services
from blocs.models import AuditEntry, BlocYear, Unit, User
from blocs.work import Task, TaskStatus
from notifications import events as notification_events
from notifications.models import Notification
from scoring.models import CriteriaSet, Criterion, ScoreLine, ScoreSheet
from scoring.services import columns as column_services
from scoring.services import criteria as criteria_services
from scoring.services import sheets as sheet_services
from scoring.services import transitions
from scoring.services.sheets import SELF, VERIFIED, LineEntry, StateError
from scoring.tasks import tasks_for
from tests.conftest import World, client_for
from tests.factories import UnitFactory
from tests.scoring.test_sheet_services import _race

pytestmark = pytest.mark.django_db
D = Decimal
Kind = Notification.Kind

# code, title, max, kind, method, who scores (a department: the finance department)
CRITERIA = [
    ("I", "Nhiệm vụ chuyên môn", "10", "standard", "direct", "unit"),
    ("I.1", "Hoàn thành kế hoạch công tác", "6", "standard", "direct", "unit"),
    ("I.2", "Tham dự hoạt động của Khối", "4", "standard", "direct", "bloc"),
    ("II", "Nhiệm vụ do tỉnh giao", "10", "standard", "direct", "unit"),
    ("II.1", "Kết quả chỉ số cải cách hành chính", "5", "standard", "direct", "council"),
    ("II.2", "Giải ngân vốn đầu tư công", "5", "standard", "target", "department"),
    ("III", "Điểm trừ", "8", "penalty", "direct", "unit"),
    ("III.1", "Không ký giao ước thi đua đầu năm", "8", "penalty", "direct", "council"),
    ("IV", "Chuyển đổi số", "5", "standard", "direct", "unit"),
    ("IV.1", "Chỉ số chuyển đổi số", "5", "standard", "relative_best", "council"),
]


@dataclass
class Outside:
    """The bloc's 2021: head, deputy, member, the finance department (a member that scores
    II.2 for the others) and ``extra`` more members; scoring open with ``CRITERIA``."""

    world: World
    bloc_year: BlocYear
    criteria_set: CriteriaSet
    ids: dict[str, int]
    department: Unit
    department_staff: User

    def sheet(self, unit: Unit) -> ScoreSheet:
        return ScoreSheet.objects.select_related(
            "bloc_year__scoring__criteria_set", "bloc_year__bloc__council", "unit"
        ).get(bloc_year=self.bloc_year, unit=unit)

    def url(self, code: str) -> str:
        return reverse("scoring:criterion-scores", args=[self.world.bloc.pk, 2021, self.ids[code]])

    def line(self, unit: Unit, code: str) -> ScoreLine:
        return ScoreLine.objects.get(
            sheet__bloc_year=self.bloc_year, sheet__unit=unit, criterion_id=self.ids[code]
        )

    def submit(self, unit: Unit) -> ScoreSheet:
        sheet = self.sheet(unit)
        sheet_services.sheet_save(
            sheet=sheet,
            layer=SELF,
            entries={self.ids["I.1"]: LineEntry(D(5))},
            version=sheet.version,
            by=None,
        )
        transitions.sheet_submit(sheet=sheet, by=None)
        return self.sheet(unit)


def build_outside(world: World, extra: int = 0) -> Outside:
    department = UnitFactory.create(council=world.council, code="STC", name="Sở Tài chính")
    members = [world.head, world.deputy, world.member, department]
    members += [UnitFactory.create(council=world.council) for _n in range(extra)]
    bloc_year = bloc_services.bloc_year_create(
        bloc=world.bloc, year=2021, members=members, head=world.head, deputy=world.deputy
    )
    criteria_set = criteria_services.criteria_set_create(
        council=world.council, year=2021, name="Bảng tiêu chí 2021", by=None, bloc_year=bloc_year
    )
    for code, title, max_points, kind, method, scored_by in CRITERIA:
        criteria_services.criterion_save(
            criteria_set=criteria_set,
            by=None,
            code=code,
            title=title,
            max_points=D(max_points),
            kind=kind,
            method=method,
            scored_by=scored_by,
            scorer_unit=department if scored_by == "department" else None,
        )
    sheet_services.scoring_open(bloc_year=bloc_year, criteria_set=criteria_set, by=None)
    staff = bloc_services.user_create(
        username="daumoi.stc",
        password="x",
        unit=department,
        role=User.Role.FOCAL_POINT,
        full_name="Lê Tài Chính",
    )
    ids = dict(criteria_set.criteria.values_list("code", "id"))
    return Outside(world, bloc_year, criteria_set, ids, department, staff)


@pytest.fixture
def outside(world: World) -> Outside:
    return build_outside(world)


def column_post(
    o: Outside, code: str, values: Mapping[Unit, str | tuple[str, str]], reason: str = ""
) -> dict[str, str]:
    """What the page posts: a value (and target) and a reason per row, and each row's version
    as the page showed it."""
    data = {}
    for unit, value in values.items():
        sheet = ScoreSheet.objects.get(bloc_year=o.bloc_year, unit=unit)
        data[f"version-{sheet.pk}"] = str(sheet.version)
        if isinstance(value, tuple):
            data[f"v-{sheet.pk}"], data[f"t-{sheet.pk}"] = value
        else:
            data[f"v-{sheet.pk}"] = value
        data[f"x-{sheet.pk}"] = reason if value else ""
    return data


def column_tasks(user: User) -> list[Task]:
    """The person's tasks of scoring a criterion for the bloc (not their own sheet's)."""
    return [task for task in tasks_for(user) if str(task.title).startswith("Chấm tiêu chí")]


def inputs(html: str, o: Outside) -> set[str]:
    """The units whose row has an input on the page."""
    return {
        sheet.unit.code
        for sheet in ScoreSheet.objects.filter(bloc_year=o.bloc_year).select_related("unit")
        if f'name="v-{sheet.pk}"' in html
    }


# ---------------------------------------------------------------------------- who sees what


def test_the_council_admin_enters_a_council_line_for_every_member(
    outside: Outside, council_admin: User
) -> None:
    o = outside
    response = client_for(council_admin).get(o.url("II.1"))
    html = response.content.decode()
    assert response.status_code == 200
    assert inputs(html, o) == {"SYT", "SGDDT", "BQN", "STC"}
    sheet = o.sheet(o.world.member)
    # Each input's accessible name names the unit (the row's heading) and the column.
    assert f'id="unit-{sheet.pk}">Báo Quảng Nam</a>' in html
    assert f'aria-labelledby="unit-{sheet.pk} col-value"' in html
    assert f'name="version-{sheet.pk}" value="{sheet.version}"' in html
    assert 'class="table-wrap"' in html
    assert "Cơ quan thường trực Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam" in html
    assert "Lưu điểm tiêu chí II.1" in html


def test_the_department_enters_its_criterion_for_every_member_but_itself(
    outside: Outside,
) -> None:
    o = outside
    client = client_for(o.department_staff)
    html = client.get(o.url("II.2")).content.decode()
    assert inputs(html, o) == {"SYT", "SGDDT", "BQN"}
    assert "Đơn vị của bạn: không tự chấm tiêu chí này" in html
    own = o.sheet(o.department)
    assert f'name="t-{own.pk}"' not in html  # the target box only on editable rows
    assert f'name="t-{o.sheet(o.world.member).pk}"' in html
    assert "Chỉ tiêu được giao, Báo Quảng Nam" in html
    # Only its own criterion: a council line or a bloc line does not exist for it.
    assert client.get(o.url("II.1")).status_code == 404
    assert client.get(o.url("I.2")).status_code == 404
    # A row it may not edit cannot be written by posting it anyway.
    data = column_post(o, "II.2", {o.department: ("5", "5"), o.world.member: ("4", "5")})
    assert client.post(o.url("II.2"), data).status_code == 302
    assert o.line(o.department, "II.2").verified_value is None
    assert o.line(o.world.member, "II.2").verified_points == D(4)


def test_the_secretariat_reads_council_lines_and_enters_bloc_lines_of_submitted_sheets(
    outside: Outside, secretariat: User
) -> None:
    o = outside
    o.submit(o.world.member)
    o.submit(o.world.head)  # its own: verified by the deputy
    client = client_for(secretariat)
    council = client.get(o.url("II.1")).content.decode()
    assert inputs(council, o) == set()
    assert "Bạn chỉ xem cột điểm này" in council
    assert client.post(o.url("II.1"), {}).status_code == 403
    bloc = client.get(o.url("I.2")).content.decode()
    assert inputs(bloc, o) == {"BQN"}
    assert "Đơn vị chưa gửi bảng điểm" in bloc  # the deputy's and the department's drafts
    assert "Đơn vị của bạn" in bloc


def test_a_leader_reads_and_cannot_write(outside: Outside, leader: User) -> None:
    o = outside
    client = client_for(leader)
    response = client.get(o.url("III.1"))
    assert response.status_code == 200
    assert inputs(response.content.decode(), o) == set()
    data = column_post(o, "III.1", {o.world.member: "8"})
    assert client.post(o.url("III.1"), data).status_code == 403
    assert o.line(o.world.member, "III.1").verified_value is None


@pytest.mark.parametrize("persona", ["focal_point", "outsider"])
def test_other_people_do_not_see_the_column(
    outside: Outside, personas: dict[str, User | None], persona: str
) -> None:
    assert client_for(personas[persona]).get(outside.url("II.1")).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(outside: Outside) -> None:
    response = Client().get(outside.url("II.1"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("code", ["I.1", "I", "II"])
def test_unit_scored_and_parent_criteria_have_no_column(
    outside: Outside, council_admin: User, code: str
) -> None:
    assert client_for(council_admin).get(outside.url(code)).status_code == 404


def test_a_finalized_sheet_and_a_line_not_applicable_are_read_only_with_the_reason(
    outside: Outside, council_admin: User
) -> None:
    o = outside
    ScoreSheet.objects.filter(pk=o.sheet(o.world.deputy).pk).update(
        state=ScoreSheet.State.FINALIZED
    )
    sheet_services.line_set_not_applicable(
        line=o.line(o.world.member, "II.1"),
        not_applicable=True,
        reason="Không giao chỉ tiêu",
        by=None,
    )
    html = client_for(council_admin).get(o.url("II.1")).content.decode()
    assert inputs(html, o) == {"SYT", "STC"}
    assert "Đã chốt kết quả" in html
    assert "Không áp dụng cho đơn vị" in html and "Không giao chỉ tiêu" in html


# ---------------------------------------------------------------------------- saving


def test_one_save_writes_every_changed_row_with_its_history_and_totals(
    outside: Outside, council_admin: User
) -> None:
    o = outside
    w = o.world
    client = client_for(council_admin)
    data = column_post(o, "II.1", {w.head: "5", w.deputy: "4,5", w.member: ""}, "Theo PAR Index")
    response = client.post(o.url("II.1"), data)
    assert response.status_code == 302
    assert response["Location"] == o.url("II.1")
    assert o.line(w.head, "II.1").verified_points == D(5)
    assert (o.line(w.deputy, "II.1").verified_points, o.line(w.deputy, "II.1").verified_reason) == (
        D("4.5"),
        "Theo PAR Index",
    )
    assert o.line(w.member, "II.1").verified_value is None  # left empty: not written
    entries = AuditEntry.objects.filter(action="line.verified", subject="II.1")
    assert sorted(entries.values_list("context", flat=True)) == sorted(
        [o.sheet(w.head).audit_context, o.sheet(w.deputy).audit_context]
    )
    assert {entry.actor for entry in entries} == {council_admin}
    assert o.sheet(w.head).version == 2 and o.sheet(w.member).version == 1
    # The kept totals follow (checked against the lines after every test, tests/conftest.py).
    assert o.sheet(w.head).verified_missing == 5
    follow = client.get(o.url("II.1")).content.decode()
    assert "Đã lưu điểm tiêu chí II.1 của 2 đơn vị." in follow
    assert "2 trên 4 đơn vị chưa có điểm" in follow


def test_saving_the_page_again_unchanged_writes_nothing(
    outside: Outside, council_admin: User
) -> None:
    o = outside
    client = client_for(council_admin)
    client.post(o.url("II.1"), column_post(o, "II.1", {o.world.head: "5"}))
    again = column_post(o, "II.1", {o.world.head: "5", o.world.member: ""})
    client.post(o.url("II.1"), again)
    assert AuditEntry.objects.filter(action="line.verified").count() == 1
    assert "Không có thay đổi nào để lưu." in client.get(o.url("II.1")).content.decode()


def test_a_pass_fail_and_a_target_line_are_entered_as_the_grid_enters_them(
    outside: Outside,
) -> None:
    o = outside
    w = o.world
    client = client_for(o.department_staff)
    data = column_post(o, "II.2", {w.head: ("9", "10"), w.member: ("12", "10")})
    assert client.post(o.url("II.2"), data).status_code == 302
    assert o.line(w.head, "II.2").verified_points == D("4.5")
    assert o.line(w.member, "II.2").verified_points == D(5)  # never above the maximum


def test_a_wrong_cell_writes_nothing_and_every_typed_value_stays(
    outside: Outside, council_admin: User
) -> None:
    o = outside
    w = o.world
    data = column_post(
        o, "II.1", {w.head: "4", w.deputy: "abc", w.member: "6,5", o.department: "1"}
    )
    response = client_for(council_admin).post(o.url("II.1"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Có 2 ô cần sửa; chưa có gì được lưu" in html
    deputy, member = o.sheet(w.deputy), o.sheet(w.member)
    assert f'href="#v-{deputy.pk}">Sở Giáo dục và Đào tạo: “abc” không phải là một số' in html
    assert f'href="#v-{member.pk}">Báo Quảng Nam:' in html and "vượt điểm tối đa 5" in html
    assert f'aria-describedby="e-{member.pk}"' in html
    assert 'value="abc"' in html and 'value="6,5"' in html and 'value="4"' in html
    assert not ScoreLine.objects.filter(
        criterion_id=o.ids["II.1"], verified_value__isnull=False
    ).exists()
    assert not AuditEntry.objects.filter(action="line.verified").exists()


def test_a_sheet_saved_meanwhile_is_named_and_nothing_is_written(
    outside: Outside, council_admin: User, secretariat: User
) -> None:
    o = outside
    w = o.world
    client = client_for(council_admin)
    stale = column_post(o, "III.1", {w.member: "8", w.deputy: "0"})  # the page as opened
    o.submit(w.member)  # the unit sends its sheet meanwhile: its version moves on
    response = client.post(o.url("III.1"), stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Một số bảng điểm vừa được người khác lưu" in html
    member = o.sheet(w.member)
    assert f'<a href="#v-{member.pk}">Báo Quảng Nam</a>' in html
    assert 'value="8"' in html  # what was typed stays
    assert f'name="version-{member.pk}" value="{member.version}"' in html  # now the new one
    assert o.line(w.member, "III.1").verified_value is None
    assert o.line(w.deputy, "III.1").verified_value is None  # all or nothing
    # Saving again, knowingly, with the versions now on the page.
    again = column_post(o, "III.1", {w.member: "8", w.deputy: "0"})
    assert client.post(o.url("III.1"), again).status_code == 302
    assert o.line(w.member, "III.1").verified_points == D(8)


def test_a_line_scored_against_the_bloc_best_is_recomputed_for_every_member(
    outside: Outside, council_admin: User
) -> None:
    o = outside
    w = o.world
    client = client_for(council_admin)
    client.post(o.url("IV.1"), column_post(o, "IV.1", {w.head: "80", w.member: "40"}))
    assert o.line(w.head, "IV.1").verified_points == D(5)
    assert o.line(w.member, "IV.1").verified_points == D("2.5")
    client.post(o.url("IV.1"), column_post(o, "IV.1", {w.deputy: "100"}))
    assert o.line(w.head, "IV.1").verified_points == D(4)
    assert o.line(w.member, "IV.1").verified_points == D(2)


@pytest.mark.parametrize("extra", [0, 8])
def test_the_column_page_costs_the_same_whatever_the_number_of_members(
    world: World, council_admin: User, extra: int, django_assert_num_queries
) -> None:
    o = build_outside(world, extra)
    client = client_for(council_admin)
    client.get(o.url("II.2"))  # the session is warm
    # session, user with unit, bloc-year with its season and set, the criterion (a leaf of
    # the set) with its department, the department's former names, the councils the admin
    # manages, the lines with their sheets and units, the units' former names.
    with django_assert_num_queries(8):
        response = client.get(o.url("II.2"))
    assert response.status_code == 200
    data = column_post(o, "II.1", {world.head: "5", world.member: "4"})
    # The page's reads (7: the council's line has no department); the save: savepoint, the
    # bloc-year's sheets locked in order, the lines and their units' names; then per changed
    # sheet the sheet save (savepoint, version claim, one bulk update of the line, the kept
    # totals: sum and write, the history, release): 7 + 4 + 2 × 7 + 1, whatever the number
    # of members.
    with django_assert_num_queries(26):
        response = client.post(o.url("II.1"), data)
    assert response.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_column_save_and_other_writers_of_the_sheets_queue_instead_of_deadlocking(
    world: World,
) -> None:
    """The column save takes every sheet of the bloc-year in pk order before any line, as a
    save of a line scored against the bloc's best and a single line's change do: racing them
    ends with each one applied or told, never a deadlock, and the kept totals as the lines
    give them (checked after the test by tests/conftest.py)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL; SQLite serialises writers")
    o = build_outside(world)
    units = [world.head, world.deputy, world.member, o.department]
    best = o.ids["IV.1"]
    for round_ in range(8):
        sheets = {unit: o.sheet(unit) for unit in units}

        def column(round_: int = round_, sheets: dict = sheets) -> None:
            column_services.criterion_column_save(
                bloc_year=BlocYear.objects.select_related(
                    "bloc__council", "scoring__criteria_set"
                ).get(pk=o.bloc_year.pk),
                criterion=Criterion.objects.get(pk=best),
                entries={
                    sheet.pk: LineEntry(D(50 + 10 * index + round_))
                    for index, sheet in enumerate(sheets.values())
                },
                versions={sheet.pk: sheet.version for sheet in sheets.values()},
                by=None,
            )

        def single(round_: int = round_) -> None:
            sheet = o.sheet(world.member)
            sheet_services.sheet_save(
                sheet=sheet,
                layer=VERIFIED,
                entries={best: LineEntry(D(90 - round_))},
                version=sheet.version,
                by=None,
            )

        def adjust(round_: int = round_) -> None:
            line = ScoreLine.objects.select_related("criterion", "sheet__bloc_year").get(
                sheet__bloc_year=o.bloc_year, sheet__unit=world.head, criterion_id=best
            )
            if line.verified_points is not None:
                amount = None if round_ % 2 else -min(line.verified_points, D(1))
                sheet_services.line_council_adjust(
                    line=line, amount=amount, reason="Kiểm tra", by=None
                )

        other = single if round_ % 2 else adjust
        outcomes = _race(column, other)
        assert set(outcomes) <= {"ok", "ColumnConflict", "SheetConflict"}, outcomes
        assert "ok" in outcomes


# ---------------------------------------------------------------------------- verification


def test_verification_waits_for_the_outside_scorers_and_names_them(
    outside: Outside, secretariat: User, council_admin: User
) -> None:
    o = outside
    w = o.world
    sheet = o.submit(w.member)
    sheet_services.sheet_save(
        sheet=sheet,
        layer=VERIFIED,
        entries={o.ids["I.1"]: LineEntry(D(5)), o.ids["I.2"]: LineEntry(D(4))},
        version=sheet.version,
        by=secretariat,
    )
    with pytest.raises(StateError) as refused:
        transitions.sheet_mark_verified(sheet=o.sheet(w.member), by=secretariat)
    messages = " ".join(refused.value.messages)
    council = "Cơ quan thường trực Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam"
    assert f"Tiêu chí II.1 chờ {council} chấm điểm." in messages
    assert "Tiêu chí II.2 chờ Sở Tài chính chấm điểm." in messages
    assert "III.1" in messages and "IV.1" in messages
    assert o.sheet(w.member).state == ScoreSheet.State.SUBMITTED
    admin = client_for(council_admin)
    for code, value in [("II.1", "5"), ("III.1", "0"), ("IV.1", "10")]:
        admin.post(o.url(code), column_post(o, code, {w.member: value}))
    client_for(o.department_staff).post(
        o.url("II.2"), column_post(o, "II.2", {w.member: ("1", "1")})
    )
    transitions.sheet_mark_verified(sheet=o.sheet(w.member), by=secretariat)
    assert o.sheet(w.member).state == ScoreSheet.State.VERIFIED


def test_the_progress_page_lists_the_outside_criteria_and_what_is_missing(
    outside: Outside, secretariat: User, council_admin: User
) -> None:
    o = outside
    o.submit(o.world.member)
    client_for(council_admin).post(o.url("II.1"), column_post(o, "II.1", {o.world.head: "5"}))
    html = (
        client_for(secretariat)
        .get(reverse("scoring:progress", args=[o.world.bloc.pk, 2021]))
        .content.decode()
    )
    assert "Tiêu chí do người ngoài thư ký khối chấm" in html
    assert f'href="{o.url("II.1")}"' in html and f'href="{o.url("II.2")}"' in html
    assert f'href="{o.url("I.2")}"' not in html  # the bloc's own line is the secretariat's
    assert "3 trên 4 đơn vị chưa có điểm" in html
    assert "1 bảng điểm đã gửi đang chờ" in html


# ---------------------------------------------------------------------------- my work


def test_the_council_admin_has_a_task_per_outside_criterion_still_missing(
    outside: Outside, council_admin: User, django_assert_num_queries
) -> None:
    o = outside
    o.submit(o.world.member)
    for code in ("III.1", "IV.1"):  # scored for everybody: no task left
        values = dict.fromkeys((o.world.head, o.world.deputy, o.world.member), "0")
        client_for(council_admin).post(
            o.url(code), column_post(o, code, values | {o.department: "0"})
        )
    o.bloc_year.verification_due = datetime.date(2022, 1, 20)
    o.bloc_year.save(update_fields=["verification_due"])
    user = User.objects.get(pk=council_admin.pk)
    with django_assert_num_queries(3):  # the admin's unit, the councils managed, the lines
        tasks = tasks_for(user)
    by_title = {str(task.title): task for task in tasks}
    assert set(by_title) == {
        "Chấm tiêu chí II.1 – Khối thi đua tham mưu III năm 2021",
        "Chấm tiêu chí II.2 – Khối thi đua tham mưu III năm 2021",
    }
    task = by_title["Chấm tiêu chí II.1 – Khối thi đua tham mưu III năm 2021"]
    assert task.status == TaskStatus.TO_DO
    assert task.hint == (
        "Còn 4 đơn vị chưa có điểm. 1 bảng điểm đã gửi đang chờ tiêu chí này để thẩm định xong."
    )
    assert task.url == o.url("II.1")
    assert str(task.deadline) == "2022-01-20"
    html = client_for(council_admin).get(reverse("my-work")).content.decode()
    assert "Chấm tiêu chí II.1 – Khối thi đua tham mưu III năm 2021" in html


def test_the_departments_focal_points_have_the_task_of_their_criterion(
    outside: Outside, council_admin: User
) -> None:
    o = outside
    [task] = column_tasks(o.department_staff)
    assert str(task.title) == "Chấm tiêu chí II.2 – Khối thi đua tham mưu III năm 2021"
    assert task.status == TaskStatus.WAITING  # no sheet sent yet
    assert str(task.hint).startswith("Còn 3 đơn vị chưa có điểm.")  # not its own line
    client_for(o.department_staff).post(
        o.url("II.2"), column_post(o, "II.2", {o.world.head: ("1", "1")})
    )
    [task] = column_tasks(o.department_staff)
    assert task.status == TaskStatus.IN_PROGRESS
    assert str(task.hint).startswith("Còn 2 đơn vị chưa có điểm.")
    # Its own line is the council admin's: when every other line is scored, nothing is left.
    rows = dict.fromkeys((o.world.deputy, o.world.member), ("1", "1"))
    client_for(o.department_staff).post(o.url("II.2"), column_post(o, "II.2", rows))
    assert column_tasks(o.department_staff) == []
    assert "II.2" in " ".join(str(task.title) for task in column_tasks(council_admin))


def test_no_task_is_left_once_every_outside_line_is_scored(
    outside: Outside, council_admin: User
) -> None:
    o = outside
    units = [o.world.head, o.world.deputy, o.world.member, o.department]
    client = client_for(council_admin)
    for code in ("II.1", "III.1", "IV.1"):
        client.post(o.url(code), column_post(o, code, dict.fromkeys(units, "1")))
    client.post(o.url("II.2"), column_post(o, "II.2", dict.fromkeys(units, ("1", "1"))))
    assert column_tasks(council_admin) == []
    assert column_tasks(o.department_staff) == []


def test_the_task_query_count_does_not_grow_with_the_blocs(
    world: World, council_admin: User, django_assert_num_queries
) -> None:
    o = build_outside(world)
    other = BlocYear.objects.get(bloc=world.other_bloc, year=2020)
    criteria_set = criteria_services.criteria_set_clone(
        source=o.criteria_set, year=2020, bloc_year=other, by=None
    )
    sheet_services.scoring_open(bloc_year=other, criteria_set=criteria_set, by=None)
    user = User.objects.select_related("unit").get(pk=council_admin.pk)
    with django_assert_num_queries(2):  # the councils managed, the lines
        tasks = tasks_for(user)
    assert len(tasks) == 8  # four outside criteria in each of two blocs


# ---------------------------------------------------------------------------- notifications


def test_a_submitted_sheet_waiting_on_outside_lines_tells_who_must_score_them(
    outside: Outside, council_admin: User, secretariat: User, django_capture_on_commit_callbacks
) -> None:
    o = outside
    other_admin = bloc_services.user_create(
        username="quantri2", password="x", unit=o.world.admin_unit, role=User.Role.COUNCIL_ADMIN
    )
    with django_capture_on_commit_callbacks(execute=True):
        sheet = o.submit(o.world.member)
    waiting = Notification.objects.filter(kind=Kind.SCORES_WAITING)
    told = sorted(waiting.values_list("recipient__username", "event_key"))
    key = f"sheet:{sheet.pk}:scores-waiting:{sheet.version}"
    assert told == sorted(
        [
            (admin, f"{key}:{o.ids[code]}")
            for admin in ("quantri", "quantri2")
            for code in ("II.1", "III.1", "IV.1")
        ]
        + [("daumoi.stc", f"{key}:{o.ids['II.2']}")]
    )
    note = waiting.get(recipient=o.department_staff)
    assert note.title == "Báo Quảng Nam chờ chấm tiêu chí II.2 năm 2021"
    assert "Khối thi đua tham mưu III" in note.body and "Sở Tài chính" in note.body
    assert note.url == o.url("II.2")
    assert other_admin.notifications.count() == 3
    # The same event again (a retried job) tells nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        notification_events.scores_waiting(sheet, by=None)
    assert waiting.count() == 7


def test_the_departments_own_sheet_waits_on_the_council_admins(
    outside: Outside, council_admin: User, django_capture_on_commit_callbacks
) -> None:
    o = outside
    with django_capture_on_commit_callbacks(execute=True):
        sheet = o.submit(o.department)
    waiting = Notification.objects.filter(kind=Kind.SCORES_WAITING)
    assert not waiting.filter(recipient=o.department_staff).exists()
    assert waiting.filter(recipient=council_admin, event_key__endswith=f":{o.ids['II.2']}").exists()
    assert sheet.state == ScoreSheet.State.SUBMITTED


def test_a_department_with_nobody_to_tell_leaves_its_line_to_the_council_admins(
    outside: Outside, council_admin: User, django_capture_on_commit_callbacks
) -> None:
    o = outside
    User.objects.filter(pk=o.department_staff.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        o.submit(o.world.member)
    told = Notification.objects.filter(kind=Kind.SCORES_WAITING, recipient=council_admin)
    assert told.filter(event_key__endswith=f":{o.ids['II.2']}").exists()
    assert "Cơ quan thường trực" in told.get(event_key__endswith=f":{o.ids['II.2']}").body


def test_nothing_is_told_when_no_outside_line_waits(
    outside: Outside, council_admin: User, django_capture_on_commit_callbacks
) -> None:
    o = outside
    units = [o.world.head, o.world.deputy, o.world.member, o.department]
    client = client_for(council_admin)
    for code in ("II.1", "III.1", "IV.1"):
        client.post(o.url(code), column_post(o, code, dict.fromkeys(units, "1")))
    client.post(o.url("II.2"), column_post(o, "II.2", dict.fromkeys(units, ("1", "1"))))
    with django_capture_on_commit_callbacks(execute=True):
        o.submit(o.world.member)
    assert not Notification.objects.filter(kind=Kind.SCORES_WAITING).exists()


# ---------------------------------------------------------------------------- the criterion form


def criterion_form(**changes: str) -> dict[str, str]:
    return {
        "code": "V",
        "title": "Công tác tài chính",
        "guidance": "",
        "max_points": "5",
        "kind": "standard",
        "method": "direct",
        "points_per_occurrence": "",
        "floor_percent": "",
        "scored_by": "department",
        "scorer_unit": "",
        "order": "",
    } | changes


def test_a_department_scored_criterion_must_name_its_department(
    world: World, council_admin: User
) -> None:
    criteria_set = criteria_services.criteria_set_create(
        council=world.council, year=2022, name="Bảng 2022", by=None
    )
    url = reverse("scoring:criterion-new", args=[criteria_set.pk])
    client = client_for(council_admin)
    page = client.get(url).content.decode()
    assert 'name="scorer_unit"' in page and "Sở Y tế" in page
    html = client.post(url, criterion_form()).content.decode()
    assert "Chọn sở, ngành được giao chấm tiêu chí này." in html
    html = client.post(
        url, criterion_form(scored_by="council", scorer_unit=str(world.head.pk))
    ).content.decode()
    assert "Chỉ chọn sở, ngành chấm khi tiêu chí do sở, ngành được giao chấm." in html
    assert not criteria_set.criteria.exists()
    response = client.post(url, criterion_form(scorer_unit=str(world.head.pk)))
    assert response.status_code == 302
    saved = criteria_set.criteria.get(code="V")
    assert (saved.scored_by, saved.scorer_unit) == (Criterion.ScoredBy.DEPARTMENT, world.head)


def test_the_department_is_chosen_among_the_councils_active_units(
    world: World, council_admin: User
) -> None:
    from scoring.forms import CriterionForm

    criteria_set = criteria_services.criteria_set_create(
        council=world.council, year=2022, name="Bảng 2022", by=None
    )
    closed = UnitFactory.create(
        council=world.council,
        active_until=datetime.date(2021, 6, 30),
    )
    elsewhere = UnitFactory.create()
    field = CriterionForm(criteria_set=criteria_set).fields["scorer_unit"]
    choices = set(field.queryset)  # type: ignore[attr-defined]
    assert world.head in choices and closed not in choices and elsewhere not in choices


def test_cloning_a_set_keeps_the_department(outside: Outside) -> None:
    clone = criteria_services.criteria_set_clone(source=outside.criteria_set, year=2022, by=None)
    assert clone.criteria.get(code="II.2").scorer_unit == outside.department
