"""A unit takes back its sent self-assessment (recall) until the secretariat has changed
anything on it: the service, its race, the notification, "my work" and the view per persona."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from blocs import services as bloc_services
from blocs.models import AuditEntry, BlocYear, Membership, User
from notifications.models import Notification
from scoring.models import Criterion, ExplanationRequest, ScoreSheet
from scoring.services import sheets as sheet_services
from scoring.services import transitions
from scoring.services.sheets import SELF, VERIFIED, LineEntry, SheetConflict, StateError
from scoring.tasks import tasks_for
from tests.conftest import ScoringWorld, World, build_criteria_set, client_for
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
D = Decimal


def codes(bloc_year: BlocYear) -> dict[str, int]:
    return dict(bloc_year.scoring.criteria_set.criteria.values_list("code", "id"))


def fresh(sheet: ScoreSheet) -> ScoreSheet:
    return ScoreSheet.objects.select_related("bloc_year__scoring__criteria_set", "unit").get(
        pk=sheet.pk
    )


def submitted(sheet: ScoreSheet, by: User | None) -> ScoreSheet:
    """The draft sheet with every line the unit scores filled, then sent by ``by``."""
    sheet = fresh(sheet)
    own = dict(
        sheet.bloc_year.scoring.criteria_set.criteria.filter(
            scored_by=Criterion.ScoredBy.UNIT
        ).values_list("code", "id")
    )
    typed = {
        "I.1": LineEntry(D("5.5")),
        "I.2": LineEntry(D(9), D(10)),
        "II.1": LineEntry(D(1)),
        "III.1": LineEntry(D(0)),
    }
    entries = {own[code]: entry for code, entry in typed.items() if code in own}
    sheet_services.sheet_save(
        sheet=sheet, layer=SELF, entries=entries, version=sheet.version, by=by
    )
    transitions.sheet_submit(sheet=sheet, by=by)
    return fresh(sheet)


def state_of(sheet: ScoreSheet) -> str:
    return ScoreSheet.objects.get(pk=sheet.pk).state


# ---------------------------------------------------------------------------- the service


def test_a_unit_takes_back_its_sheet_before_the_secretariat_changes_anything(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    sheet = submitted(scoring_world.draft_sheet, focal_point)
    version = sheet.version
    transitions.sheet_recall(sheet=sheet, by=focal_point)
    sheet = fresh(sheet)
    assert sheet.state == ScoreSheet.State.DRAFT
    assert (sheet.submitted_at, sheet.submitted_by, sheet.submitted_late) == (None, None, False)
    assert sheet.version == version + 1  # a verifier's page opened before is now stale
    entry = AuditEntry.objects.get(context=sheet.audit_context, action="sheet.recall")
    assert (entry.actor, entry.summary) == (focal_point, "Rút lại bảng tự chấm")
    # The self values stay; the unit changes one and sends again.
    assert sheet.lines.get(criterion__code="I.1").self_value == D("5.5")
    transitions.sheet_submit(sheet=sheet, by=focal_point)
    assert state_of(sheet) == ScoreSheet.State.SUBMITTED


def test_a_verified_value_entered_by_the_secretariat_stops_the_recall(
    scoring_world: ScoringWorld, focal_point: User, secretariat: User
) -> None:
    sheet = submitted(scoring_world.draft_sheet, focal_point)
    sheet_services.sheet_accept_self(
        sheet=sheet, version=sheet.version, by=secretariat, criterion_ids=[scoring_world.leaf.pk]
    )
    with pytest.raises(StateError, match="đã nhập điểm thẩm định") as refused:
        transitions.sheet_recall(sheet=fresh(sheet), by=focal_point)
    assert "liên hệ thư ký khối" in refused.value.messages[0]
    assert state_of(sheet) == ScoreSheet.State.SUBMITTED
    assert not AuditEntry.objects.filter(action="sheet.recall").exists()


@pytest.mark.parametrize("status", list(ExplanationRequest.Status))
def test_a_question_of_any_status_stops_the_recall(
    scoring_world: ScoringWorld, focal_point: User, secretariat: User, status: str
) -> None:
    sheet = submitted(scoring_world.draft_sheet, focal_point)
    ExplanationRequest.objects.create(
        line=sheet.lines.get(criterion=scoring_world.leaf),
        question="Biên bản ở đâu?",
        asked_by=secretariat,
        status=status,
    )
    with pytest.raises(StateError, match="đã ghi yêu cầu giải trình"):
        transitions.sheet_recall(sheet=sheet, by=focal_point)
    assert state_of(sheet) == ScoreSheet.State.SUBMITTED


def test_a_sheet_sent_back_with_questions_answered_cannot_be_recalled(
    scoring_world: ScoringWorld,
) -> None:
    """The deputy's sheet went through a round of questions: the secretariat had started."""
    with pytest.raises(StateError, match="yêu cầu giải trình"):
        transitions.sheet_recall(sheet=fresh(scoring_world.submitted_sheet), by=None)


def test_a_line_marked_not_applicable_after_sending_stops_the_recall(
    scoring_world: ScoringWorld, focal_point: User, secretariat: User
) -> None:
    sheet = submitted(scoring_world.draft_sheet, focal_point)
    line = sheet.lines.select_related("criterion", "sheet__bloc_year").get(criterion__code="I.2")
    sheet_services.line_set_not_applicable(
        line=line, not_applicable=True, reason="Không được giao chỉ tiêu", by=secretariat
    )
    with pytest.raises(StateError, match="không áp dụng sau khi bảng được gửi"):
        transitions.sheet_recall(sheet=fresh(sheet), by=focal_point)


def test_a_line_marked_not_applicable_before_sending_does_not_stop_the_recall(
    scoring_world: ScoringWorld, focal_point: User, secretariat: User
) -> None:
    line = scoring_world.draft_sheet.lines.select_related("criterion", "sheet__bloc_year").get(
        criterion__code="I.2"
    )
    sheet_services.line_set_not_applicable(
        line=line, not_applicable=True, reason="Không được giao chỉ tiêu", by=secretariat
    )
    sheet = fresh(scoring_world.draft_sheet)
    ids = codes(sheet.bloc_year)
    sheet_services.sheet_save(
        sheet=sheet,
        layer=SELF,
        entries={ids["I.1"]: LineEntry(D(6)), ids["II.1"]: LineEntry(D(0))}
        | {ids["III.1"]: LineEntry(D(0))},
        version=sheet.version,
        by=focal_point,
    )
    transitions.sheet_submit(sheet=sheet, by=focal_point)
    transitions.sheet_recall(sheet=fresh(sheet), by=focal_point)
    assert state_of(sheet) == ScoreSheet.State.DRAFT


def test_no_recall_after_the_self_assessment_deadline(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    sheet = submitted(scoring_world.draft_sheet, focal_point)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    BlocYear.objects.filter(pk=sheet.bloc_year_id).update(self_assessment_due=yesterday)
    with pytest.raises(StateError, match="Đã hết hạn tự chấm điểm") as refused:
        transitions.sheet_recall(sheet=fresh(sheet), by=focal_point)
    assert yesterday.strftime("%d/%m/%Y") in refused.value.messages[0]
    assert state_of(sheet) == ScoreSheet.State.SUBMITTED


def test_recall_is_allowed_on_the_deadline_day_itself(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    sheet = submitted(scoring_world.draft_sheet, focal_point)
    BlocYear.objects.filter(pk=sheet.bloc_year_id).update(self_assessment_due=timezone.localdate())
    transitions.sheet_recall(sheet=fresh(sheet), by=focal_point)
    assert state_of(sheet) == ScoreSheet.State.DRAFT


def test_only_a_submitted_sheet_can_be_recalled(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    with pytest.raises(StateError, match="đang ở trạng thái “Nháp”"):
        transitions.sheet_recall(sheet=fresh(scoring_world.draft_sheet), by=focal_point)
    sheet = submitted(scoring_world.draft_sheet, focal_point)
    transitions.sheet_recall(sheet=sheet, by=focal_point)
    with pytest.raises(StateError, match="Nháp"):  # twice: the second finds a draft
        transitions.sheet_recall(sheet=sheet, by=focal_point)


@pytest.fixture
def outside_scored(world: World, request: pytest.FixtureRequest) -> ScoreSheet:
    """Scoring open with I.2 scored outside the unit (by ``request.param``); the member's sheet
    is filled and sent, and I.2 has its verified value from its scorer."""
    criteria_set = build_criteria_set(world.council, 2020, world.bloc_year)
    Criterion.objects.filter(criteria_set=criteria_set, code="I.2").update(
        scored_by=request.param,
        scorer_unit=world.outsider_unit if request.param == Criterion.ScoredBy.DEPARTMENT else None,
    )
    sheet_services.scoring_open(bloc_year=world.bloc_year, criteria_set=criteria_set, by=None)
    sheet = submitted(ScoreSheet.objects.get(bloc_year=world.bloc_year, unit=world.member), None)
    sheet_services.sheet_save(
        sheet=sheet,
        layer=VERIFIED,
        entries={codes(world.bloc_year)["I.2"]: LineEntry(D(8), D(10))},
        version=sheet.version,
        by=None,
    )
    return fresh(sheet)


@pytest.mark.parametrize(
    "outside_scored",
    [Criterion.ScoredBy.COUNCIL, Criterion.ScoredBy.DEPARTMENT],
    indirect=True,
)
def test_a_line_scored_outside_the_secretariat_does_not_stop_the_recall(
    outside_scored: ScoreSheet,
) -> None:
    transitions.sheet_recall(sheet=outside_scored, by=None)
    assert state_of(outside_scored) == ScoreSheet.State.DRAFT
    # The outside scorer's value stays on the draft.
    assert outside_scored.lines.get(criterion__code="I.2").verified_points == D("3.2")


@pytest.mark.parametrize("outside_scored", [Criterion.ScoredBy.BLOC], indirect=True)
def test_a_line_the_bloc_scores_is_the_secretariats_work(outside_scored: ScoreSheet) -> None:
    with pytest.raises(StateError, match="đã nhập điểm thẩm định"):
        transitions.sheet_recall(sheet=outside_scored, by=None)


@pytest.mark.django_db(transaction=True)
def test_two_recalls_at_once_one_wins(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL; SQLite serialises writers")
    sheet = _opened_and_sent(world)
    outcomes = _race(
        lambda: transitions.sheet_recall(sheet=ScoreSheet.objects.get(pk=sheet.pk), by=None)
    )
    assert sorted(outcomes) == ["StateError", "ok"]
    assert AuditEntry.objects.filter(action="sheet.recall").count() == 1
    assert state_of(sheet) == ScoreSheet.State.DRAFT


@pytest.mark.django_db(transaction=True)
def test_a_recall_and_a_verifiers_save_at_once_never_both_apply(world: World) -> None:
    """Either the save comes first (the recall is refused) or the recall does (the save,
    carrying the old version, is told someone else changed the sheet)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL; SQLite serialises writers")
    sheet = _opened_and_sent(world)
    outcomes = _race(
        lambda: transitions.sheet_recall(sheet=ScoreSheet.objects.get(pk=sheet.pk), by=None),
        lambda: sheet_services.sheet_accept_self(
            sheet=ScoreSheet.objects.get(pk=sheet.pk), version=sheet.version, by=None
        ),
    )
    assert sorted(outcomes) in (["StateError", "ok"], ["SheetConflict", "ok"])
    verified = sheet.lines.filter(verified_value__isnull=False).exists()
    assert verified == (state_of(sheet) == ScoreSheet.State.SUBMITTED)


def _opened_and_sent(world: World) -> ScoreSheet:
    criteria_set = build_criteria_set(world.council, 2020, world.bloc_year)
    sheet_services.scoring_open(bloc_year=world.bloc_year, criteria_set=criteria_set, by=None)
    return submitted(ScoreSheet.objects.get(bloc_year=world.bloc_year, unit=world.member), None)


def _race(action: Callable[[], object], other: Callable[[], object] | None = None) -> list[str]:
    """Run ``action`` in two threads released together (or ``action`` and ``other``)."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(todo: Callable[[], object]) -> None:
        from django.db import connections

        barrier.wait()
        try:
            todo()
            outcomes.append("ok")
        except (StateError, SheetConflict) as error:  # the outcome is the point of the test
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(todo,)) for todo in (action, other or action)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


# ---------------------------------------------------------------------------- notification


@pytest.fixture
def deputy_secretary(world: World) -> User:
    """A focal point of the deputy unit: the other half of the 2020 secretariat."""
    return bloc_services.user_create(
        username="khoipho",
        password="mat-khau-thu-nghiem",
        unit=world.deputy,
        role=User.Role.FOCAL_POINT,
        full_name="Trần Khối Phó",
    )


def told() -> list[str]:
    return sorted(
        Notification.objects.filter(kind=Notification.Kind.SHEET_RECALLED).values_list(
            "recipient__username", flat=True
        )
    )


def test_a_recall_tells_the_secretariat(
    scoring_world: ScoringWorld,
    focal_point: User,
    secretariat: User,
    deputy_secretary: User,
    django_capture_on_commit_callbacks,
) -> None:
    sheet = submitted(scoring_world.draft_sheet, focal_point)
    with django_capture_on_commit_callbacks(execute=True):
        transitions.sheet_recall(sheet=sheet, by=focal_point)
    assert told() == ["khoipho", "thuky"]
    notification = Notification.objects.filter(kind=Notification.Kind.SHEET_RECALLED).first()
    assert notification is not None
    assert notification.title == "Báo Quảng Nam đã rút lại bảng tự chấm năm 2020"
    assert "Khối thi đua tham mưu III" in notification.body
    assert notification.url == sheet.get_absolute_url()


def test_the_heads_own_recall_tells_only_the_deputy(
    scoring_world: ScoringWorld,
    secretariat: User,
    deputy_secretary: User,
    django_capture_on_commit_callbacks,
) -> None:
    """The unit's own focal points are never told, even when they are the secretariat."""
    sheet = submitted(
        ScoreSheet.objects.get(bloc_year=scoring_world.bloc_year, unit=scoring_world.head),
        secretariat,
    )
    with django_capture_on_commit_callbacks(execute=True):
        transitions.sheet_recall(sheet=sheet, by=secretariat)
    assert told() == ["khoipho"]


def test_each_recall_is_its_own_event(
    scoring_world: ScoringWorld,
    focal_point: User,
    secretariat: User,
    django_capture_on_commit_callbacks,
) -> None:
    sheet = submitted(scoring_world.draft_sheet, focal_point)
    with django_capture_on_commit_callbacks(execute=True):
        transitions.sheet_recall(sheet=sheet, by=focal_point)
        transitions.sheet_submit(sheet=fresh(sheet), by=focal_point)
        transitions.sheet_recall(sheet=fresh(sheet), by=focal_point)
    assert told() == ["thuky", "thuky"]


# ---------------------------------------------------------------------------- my work


def test_my_work_says_a_sent_sheet_can_still_be_taken_back(
    scoring_world: ScoringWorld, focal_point: User, secretariat: User
) -> None:
    sheet = submitted(scoring_world.draft_sheet, focal_point)
    (task,) = tasks_for(focal_point)
    assert "còn rút lại được" in str(task.hint)
    sheet_services.sheet_accept_self(sheet=sheet, version=sheet.version, by=secretariat)
    (task,) = tasks_for(focal_point)
    assert str(task.hint) == "Đã gửi; thư ký khối đang thẩm định."


# ---------------------------------------------------------------------------- the view


def recall_url(sheet: ScoreSheet) -> str:
    return reverse("scoring:sheet-recall", args=[sheet.pk])


@pytest.fixture
def other_member(world: World) -> User:
    """A focal point of a fourth member unit: neither the sheet's unit nor the secretariat."""
    unit = UnitFactory.create(council=world.council, code="SXD", name="Sở Xây dựng")
    Membership.objects.create(bloc_year=world.bloc_year, unit=unit)
    return bloc_services.user_create(
        username="thanhvienkhac",
        password="mat-khau-thu-nghiem",
        unit=unit,
        role=User.Role.FOCAL_POINT,
        full_name="Thành viên khác",
    )


def test_the_units_focal_point_takes_the_sheet_back_from_its_page(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    sheet = submitted(scoring_world.draft_sheet, focal_point)
    response = client_for(focal_point).post(recall_url(sheet))
    assert response.status_code == 302
    assert response["Location"] == sheet.get_absolute_url()
    assert state_of(sheet) == ScoreSheet.State.DRAFT
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Đã rút lại bảng tự chấm: sửa xong, hãy gửi lại cho thư ký khối."
    ]


def test_a_refused_recall_says_why_on_the_sheet(
    scoring_world: ScoringWorld, focal_point: User, secretariat: User
) -> None:
    sheet = submitted(scoring_world.draft_sheet, focal_point)
    sheet_services.sheet_accept_self(sheet=sheet, version=sheet.version, by=secretariat)
    response = client_for(focal_point).post(recall_url(sheet), follow=True)
    assert state_of(sheet) == ScoreSheet.State.SUBMITTED
    assert "đã nhập điểm thẩm định" in response.content.decode()


def test_recall_is_a_post(scoring_world: ScoringWorld, focal_point: User) -> None:
    sheet = submitted(scoring_world.draft_sheet, focal_point)
    assert client_for(focal_point).get(recall_url(sheet)).status_code == 405
    assert state_of(sheet) == ScoreSheet.State.SUBMITTED


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),  # to the login page
        ("council_admin", 403),  # sees the sheet, is not the unit
        ("secretariat", 403),
        ("leader", 403),
        ("other_member", 404),  # may not see another member's sheet before publication
        ("outsider", 404),
    ],
)
def test_nobody_but_the_unit_takes_its_sheet_back(
    scoring_world: ScoringWorld,
    focal_point: User,
    personas: dict[str, User | None],
    other_member: User,
    persona: str,
    status: int,
) -> None:
    sheet = submitted(scoring_world.draft_sheet, focal_point)
    user = other_member if persona == "other_member" else personas[persona]
    response = client_for(user).post(recall_url(sheet))
    assert response.status_code == status
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    assert state_of(sheet) == ScoreSheet.State.SUBMITTED
