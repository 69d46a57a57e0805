"""Issue 17, routing: every step that waits on someone tells them, once, after the commit.

Each test runs the service inside ``django_capture_on_commit_callbacks`` without executing:
nothing is written before the commit; running the captured callbacks writes the rows; running
them again (a retried job) writes nothing more."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.urls import reverse

from awards.services import proposals as proposal_services
from blocs.models import BlocYear, User
from notifications.models import Notification
from scoring.models import ScoreSheet
from scoring.services import ranking as ranking_services
from scoring.services import sheets as sheet_services
from scoring.services.sheets import SELF, LineEntry
from tests.awards.test_proposals import published_year
from tests.awards.test_review import ensure_rule_sets
from tests.conftest import World, build_criteria_set, verified_year
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
DAY = datetime.date(2020, 1, 10)


def told(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def after_commit_once(capture, action: Callable[[], object]) -> None:
    """Run ``action`` in a captured transaction: nothing before the commit, one row per person
    after it, and nothing more when the callbacks run again."""
    with capture(execute=False) as callbacks:
        action()
    assert not Notification.objects.exists(), "written before the commit"
    assert len(callbacks) == 1
    with capture(execute=True):  # the commit: the event's work, then its delivery
        callbacks[0]()
    count = Notification.objects.count()
    with capture(execute=True):  # a retried job, a double call
        callbacks[0]()
    assert Notification.objects.count() == count


@pytest.fixture
def people(personas: dict[str, User | None], deputy_secretary: User) -> dict[str, User | None]:
    """Every persona plus the deputy's focal point (khoipho)."""
    return {**personas, "deputy": deputy_secretary}


def finalized_2019(world: World) -> BlocYear:
    year = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    ranking_services.bloc_year_finalize(bloc_year=year, by=None)
    return year


# ---------------------------------------------------------------------------- results


def test_the_complaint_window_opening_tells_the_members_and_the_leaders(
    world: World, people, secretariat: User, django_capture_on_commit_callbacks
) -> None:
    year = finalized_2019(world)
    after_commit_once(
        django_capture_on_commit_callbacks,
        lambda: ranking_services.publish_provisional(
            bloc_year=year, by=secretariat, days=5, today=DAY
        ),
    )
    # The members' focal points (not the one who published) and the council's leader; not
    # the unit outside the bloc, not the council admin.
    assert told(Kind.RESULTS_PROVISIONAL) == ["daumoi", "khoipho", "lanhdao"]
    notification = Notification.objects.filter(recipient__username="daumoi").get()
    assert notification.title == (
        "Kết quả thi đua năm 2019 của Khối thi đua tham mưu III đã công bố tạm thời"
    )
    assert "gửi khiếu nại (nếu có) đến hết ngày 15/01/2020" in notification.body
    assert notification.url == reverse("scoring:ranking", args=[world.bloc.pk, 2019])


def test_a_complaint_tells_the_secretariat_but_not_the_complaining_unit(
    world: World, people, focal_point: User, django_capture_on_commit_callbacks
) -> None:
    year = finalized_2019(world)
    ranking_services.publish_provisional(bloc_year=year, by=None, days=5, today=DAY)
    criteria = list(year.scoring.criteria_set.criteria.filter(code="I.1"))
    after_commit_once(
        django_capture_on_commit_callbacks,
        lambda: ranking_services.complaint_lodge(
            bloc_year=year,
            unit=world.member,
            about_unit=world.deputy,
            criteria=criteria,
            text="Điểm I.1 cao hơn thực tế.",
            by=focal_point,
            today=DAY,
        ),
    )
    assert told(Kind.COMPLAINT_LODGED) == ["khoipho", "thuky"]
    notification = Notification.objects.filter(recipient__username="thuky").get()
    assert notification.title == "Báo Quảng Nam khiếu nại kết quả năm 2019"
    assert "Sở Giáo dục và Đào tạo" in notification.body and "I.1" in notification.body
    assert notification.url == reverse("scoring:complaints", args=[world.bloc.pk, 2019])


def test_a_sheet_the_secretariat_sends_for_the_unit_tells_the_unit(
    world: World, people, focal_point: User, secretariat: User, django_capture_on_commit_callbacks
) -> None:
    """Issue 17: an entry made on a unit's behalf reaches that unit, the sending included."""
    from scoring.services import transitions
    from tests.scoring.test_sheet_services import full_self, ids, sheet_of

    criteria_set = build_criteria_set(world.council, 2020, world.bloc_year)
    sheet_services.scoring_open(bloc_year=world.bloc_year, criteria_set=criteria_set, by=None)
    sheet = sheet_of(world, world.member)
    sheet_services.sheet_save(
        sheet=sheet, layer=SELF, entries=full_self(ids(criteria_set)), version=1, by=secretariat
    )
    with django_capture_on_commit_callbacks(execute=True):
        transitions.sheet_submit(sheet=sheet, by=secretariat)
    sent = Notification.objects.filter(
        kind=Kind.SHEET_ON_BEHALF, recipient=focal_point, title__startswith="Thư ký khối đã gửi"
    )
    assert sent.count() == 1
    assert sent.get().url == sheet.get_absolute_url()


def test_an_answered_complaint_tells_the_unit_that_lodged_it(
    world: World, people, focal_point: User, secretariat: User, django_capture_on_commit_callbacks
) -> None:
    year = finalized_2019(world)
    ranking_services.publish_provisional(bloc_year=year, by=None, days=5, today=DAY)
    complaint = ranking_services.complaint_lodge(
        bloc_year=year,
        unit=world.member,
        about_unit=world.deputy,
        criteria=list(year.scoring.criteria_set.criteria.filter(code="I.1")),
        text="Điểm I.1 cao hơn thực tế.",
        by=focal_point,
        today=DAY,
    )
    after_commit_once(
        django_capture_on_commit_callbacks,
        lambda: ranking_services.complaint_answer(
            complaint=complaint, accepted=False, answer="Điểm đúng theo hồ sơ.", by=secretariat
        ),
    )
    assert told(Kind.COMPLAINT_ANSWERED) == [focal_point.username]
    notification = Notification.objects.get(kind=Kind.COMPLAINT_ANSWERED)
    assert notification.title == (
        "Khiếu nại về điểm của Sở Giáo dục và Đào tạo không được chấp nhận"
    )
    assert notification.body.endswith("Lý do: Điểm đúng theo hồ sơ.")
    assert notification.url == reverse(
        "scoring:complaint", args=[world.bloc.pk, 2019, complaint.pk]
    )


def test_the_final_publication_tells_the_members_and_the_leaders(
    world: World, people, secretariat: User, django_capture_on_commit_callbacks
) -> None:
    year = finalized_2019(world)
    ranking_services.publish_provisional(bloc_year=year, by=None, days=5, today=DAY)
    after_commit_once(
        django_capture_on_commit_callbacks,
        lambda: ranking_services.publish_final(
            bloc_year=year, by=secretariat, today=DAY + datetime.timedelta(days=6)
        ),
    )
    assert told(Kind.RESULTS_PUBLISHED) == ["daumoi", "khoipho", "lanhdao"]
    assert told(Kind.RESULTS_PROVISIONAL) == []  # its callbacks were never run


def test_a_refused_publication_tells_nobody(
    world: World, people, django_capture_on_commit_callbacks
) -> None:
    year = finalized_2019(world)
    ranking_services.publish_provisional(bloc_year=year, by=None, days=5, today=DAY)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(sheet_services.StateError),
    ):
        ranking_services.publish_final(bloc_year=year, by=None, today=DAY)  # window open
    assert callbacks == [] and not Notification.objects.exists()


# ---------------------------------------------------------------------------- proposals


def test_submitted_proposals_reach_the_councils_leaders(
    world: World, people, secretariat: User, django_capture_on_commit_callbacks
) -> None:
    ensure_rule_sets()
    extra = [UnitFactory.create(council=world.council) for _ in range(4)]
    published = published_year(world.bloc, [world.head, world.deputy, world.member, *extra])
    proposal_services.proposals_create_suggested(bloc_year=published.bloc_year, by=None)
    after_commit_once(
        django_capture_on_commit_callbacks,
        lambda: proposal_services.proposals_submit(bloc_year=published.bloc_year, by=secretariat),
    )
    assert told(Kind.PROPOSALS_SUBMITTED) == ["lanhdao"]
    notification = Notification.objects.get()
    assert notification.title == (
        f"Khối thi đua tham mưu III trình 3 đề nghị khen thưởng năm {published.bloc_year.year}"
    )
    assert notification.url == reverse("awards:review-queue")


# ---------------------------------------------------------------------------- on behalf


def test_an_entry_on_a_units_behalf_tells_that_unit_once(
    scoring_world, people, secretariat: User, django_capture_on_commit_callbacks
) -> None:
    sheet = ScoreSheet.objects.select_related("bloc_year__scoring__criteria_set", "unit").get(
        pk=scoring_world.draft_sheet.pk
    )
    codes = dict(sheet.bloc_year.scoring.criteria_set.criteria.values_list("code", "id"))

    def enter(value: str) -> None:
        fresh = ScoreSheet.objects.select_related("bloc_year__scoring__criteria_set", "unit").get(
            pk=sheet.pk
        )
        sheet_services.sheet_save(
            sheet=fresh,
            layer=SELF,
            entries={codes["I.1"]: LineEntry(Decimal(value))},
            version=fresh.version,
            by=secretariat,
            on_behalf=True,
        )

    after_commit_once(django_capture_on_commit_callbacks, lambda: enter("5"))
    assert told(Kind.SHEET_ON_BEHALF) == ["daumoi"]  # the unit, not the other members
    notification = Notification.objects.get()
    assert notification.title == "Thư ký khối đã nhập thay bảng tự chấm năm 2020"
    assert notification.url == sheet.get_absolute_url()
    # A second entry on the same sheet announces nothing new.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enter("4")
    assert callbacks == []
    assert Notification.objects.count() == 1
