"""Emulation registration (đăng ký thi đua): the gate, the service's deadline, on-behalf and
late rules, who may register, the pages, the tasks and the reminder."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.eligibility import Candidate, Context, Gates, check
from awards.findings import VIOLATION, WARNING
from awards.models import AwardType, Registration
from awards.registration_gate import registration_finding
from awards.selectors import eligibility_for
from awards.services.registration import registration_save
from awards.tasks import tasks_for
from blocs import deadlines
from blocs.models import AuditEntry, BlocYear, Unit, User
from notifications.deadlines import send_deadline_reminders
from notifications.models import Notification
from tests.conftest import World, client_for

PROV = "Cờ thi đua của Ủy ban nhân dân tỉnh"
DUE = datetime.date(2020, 3, 31)
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A moment of ``day`` in local time."""
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL)


def with_due(world: World, due: datetime.date | None = DUE) -> BlocYear:
    BlocYear.objects.filter(pk=world.bloc_year.pk).update(registration_due=due)
    world.bloc_year.refresh_from_db()
    return world.bloc_year


def register(world: World, unit: Unit, by: User) -> Registration:
    """Register ``unit`` for the provincial flag a month before the deadline."""
    return registration_save(
        bloc_year=world.bloc_year,
        unit=unit,
        award_codes=["PROV_FLAG"],
        by=by,
        now=at(DUE - datetime.timedelta(days=30)),
    )


def page(world: World, unit_id: int) -> str:
    return reverse("awards:registration", args=[world.bloc.pk, 2020, unit_id])


# ---------------------------------------------------------------------------- the pure gate


def test_the_gate_passes_a_registered_award_and_fails_an_unregistered_one() -> None:
    assert (
        registration_finding(
            award_code="PROV_FLAG", award_name=PROV, registered=frozenset({"PROV_FLAG"}), year=2020
        )
        is None
    )
    failed = registration_finding(
        award_code="PROV_FLAG", award_name=PROV, registered=frozenset({"PROV_CERT"}), year=2020
    )
    assert failed is not None
    assert (failed.severity, failed.gate, failed.facts_missing) == (
        VIOLATION,
        "registration",
        False,
    )
    assert failed.message == f"Chưa đăng ký thi đua danh hiệu “{PROV}” năm 2020."


def test_a_year_without_registration_data_is_unchecked_never_passed() -> None:
    finding = registration_finding(
        award_code="PROV_FLAG", award_name=PROV, registered=None, year=2016
    )
    assert finding is not None
    assert (finding.severity, finding.facts_missing, finding.blocking) == (WARNING, True, False)
    assert finding.message.startswith("Chưa kiểm tra được: năm 2016 khối chưa ghi nhận")


def test_the_check_applies_the_gate_only_where_the_award_sets_it() -> None:
    gates = Gates(code="PROV_FLAG", name=PROV, order=2, requires_registration=True)
    context = Context(year=2020, members=7)
    candidate = Candidate(unit_id=1, name="Sở Y tế", rank=1, registered=frozenset())
    assert gates.set_gates[:2] == ["discipline", "registration"]
    assert [f.gate for f in check(candidate, gates, context) if f.blocking] == ["registration"]
    registered = Candidate(unit_id=1, name="Sở Y tế", rank=1, registered=frozenset({"PROV_FLAG"}))
    assert [f.gate for f in check(registered, gates, context) if f.blocking] == []
    free = Gates(code="PROV_CERT", name="Bằng khen", order=3)
    assert "registration" not in free.set_gates
    assert [f.gate for f in check(candidate, free, context) if f.blocking] == []


def test_the_history_alternative_never_replaces_the_registration() -> None:
    gates = Gates(
        code="PROV_CERT",
        name="Bằng khen",
        order=3,
        required_bands=("Hoàn thành xuất sắc nhiệm vụ",),
        history_award_code="EXCELLENT_COLLECTIVE",
        history_years=2,
        history_alternative=True,
        requires_registration=True,
    )
    candidate = Candidate(
        unit_id=1,
        name="Sở Y tế",
        rank=9,
        history={
            2018: frozenset({"EXCELLENT_COLLECTIVE"}),
            2019: frozenset({"EXCELLENT_COLLECTIVE"}),
        },
        registered=frozenset(),
    )
    blocking = [
        f.gate for f in check(candidate, gates, Context(year=2020, members=7)) if f.blocking
    ]
    assert blocking == ["registration"]


def test_the_seeded_catalogue_requires_registration_for_the_titles_only() -> None:
    required = set(
        AwardType.objects.filter(
            rule_set__code="LUAT-2022-ND152", requires_registration=True
        ).values_list("code", flat=True)
    )
    assert required == {"GOV_FLAG", "PROV_FLAG", "EXCELLENT_COLLECTIVE", "ADVANCED_COLLECTIVE"}


pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------- the service


def test_a_focal_point_registers_its_unit_before_the_deadline(
    world: World, focal_point: User
) -> None:
    bloc_year = with_due(world)
    registration = registration_save(
        bloc_year=bloc_year,
        unit=world.member,
        award_codes=["EXCELLENT_COLLECTIVE", "PROV_FLAG"],
        pledge="Hoàn thành 100% nhiệm vụ.",
        by=focal_point,
        now=at(DUE, 23),
    )
    assert sorted(registration.awards.values_list("code", flat=True)) == [
        "EXCELLENT_COLLECTIVE",
        "PROV_FLAG",
    ]
    assert (registration.late, registration.on_behalf, registration.registered_by) == (
        False,
        False,
        focal_point,
    )
    entry = AuditEntry.objects.get(action="registration.save")
    # In the catalogue's order, highest first.
    assert entry.changes["awards"] == [[], ["PROV_FLAG", "EXCELLENT_COLLECTIVE"]]
    assert entry.summary == "Đăng ký thi đua năm 2020 của Báo Quảng Nam"


def test_after_the_deadline_the_unit_is_refused_with_the_date(
    world: World, focal_point: User
) -> None:
    bloc_year = with_due(world)
    with pytest.raises(ValidationError) as refused:
        registration_save(
            bloc_year=bloc_year,
            unit=world.member,
            award_codes=["PROV_FLAG"],
            by=focal_point,
            now=at(DUE + datetime.timedelta(days=1), 0),
        )
    assert "hết ngày 31/03/2020" in refused.value.messages[0]
    assert not Registration.objects.exists()
    assert not AuditEntry.objects.filter(action="registration.save").exists()


def test_the_secretariat_records_on_behalf_after_the_deadline_marked_late(
    world: World, secretariat: User
) -> None:
    bloc_year = with_due(world)
    registration = registration_save(
        bloc_year=bloc_year,
        unit=world.member,
        award_codes=["PROV_FLAG"],
        by=secretariat,
        now=at(DUE + datetime.timedelta(days=2)),
    )
    assert (registration.late, registration.on_behalf) == (True, True)
    entry = AuditEntry.objects.get(action="registration.save")
    assert entry.summary.endswith("(thư ký khối ghi thay) – nộp muộn")


def test_the_secretariat_cannot_register_its_own_unit_late(world: World, secretariat: User) -> None:
    bloc_year = with_due(world)
    with pytest.raises(ValidationError):
        registration_save(
            bloc_year=bloc_year,
            unit=world.head,
            award_codes=["PROV_FLAG"],
            by=secretariat,
            now=at(DUE + datetime.timedelta(days=2)),
        )


def test_an_empty_or_unknown_choice_is_refused_at_the_awards_field(
    world: World, focal_point: User
) -> None:
    for codes in ([], ["NO_SUCH_AWARD"]):
        with pytest.raises(ValidationError) as refused:
            registration_save(
                bloc_year=world.bloc_year, unit=world.member, award_codes=codes, by=focal_point
            )
        assert "awards" in refused.value.message_dict
    assert not Registration.objects.exists()


def test_saving_the_same_registration_again_writes_nothing(world: World, focal_point: User) -> None:
    for _ in range(2):
        registration_save(
            bloc_year=world.bloc_year, unit=world.member, award_codes=["PROV_FLAG"], by=focal_point
        )
    assert AuditEntry.objects.filter(action="registration.save").count() == 1


def test_once_the_proposals_are_submitted_the_registration_is_closed(
    world: World, council_admin: User
) -> None:
    BlocYear.objects.filter(pk=world.bloc_year.pk).update(state=BlocYear.State.PROPOSED)
    world.bloc_year.refresh_from_db()
    with pytest.raises(ValidationError):
        registration_save(
            bloc_year=world.bloc_year,
            unit=world.member,
            award_codes=["PROV_FLAG"],
            by=council_admin,
        )


# ---------------------------------------------------------------------------- the gate's data


def test_the_eligibility_check_reads_the_registrations(world: World, focal_point: User) -> None:
    data = eligibility_for(world.bloc_year)
    # No deadline and nobody registered: the gate is unchecked (a warning), not failed.
    (unchecked,) = [
        f for f in data.findings(world.member.pk, "PROV_FLAG") if f.gate == "registration"
    ]
    assert (unchecked.blocking, unchecked.facts_missing) == (False, True)
    with_due(world)
    data = eligibility_for(world.bloc_year)
    (failed,) = [f for f in data.findings(world.member.pk, "PROV_FLAG") if f.gate == "registration"]
    assert failed.message == f"Chưa đăng ký thi đua danh hiệu “{PROV}” năm 2020."
    register(world, world.member, focal_point)
    data = eligibility_for(world.bloc_year)
    assert not [f for f in data.findings(world.member.pk, "PROV_FLAG") if f.gate == "registration"]
    # Bằng khen is not an emulation title: the gate is not set for it.
    assert not [f for f in data.findings(world.head.pk, "PROV_CERT") if f.gate == "registration"]


# ---------------------------------------------------------------------------- pages and rights


def test_another_unit_cannot_register_for_you(
    world: World, focal_point: User, outsider: User
) -> None:
    post = {"awards": ["PROV_FLAG"], "pledge": ""}
    # A member's focal point on another member's page: refused, reading or writing.
    assert client_for(focal_point).get(page(world, world.head.pk)).status_code == 403
    assert client_for(focal_point).post(page(world, world.head.pk), post).status_code == 403
    # A unit outside the bloc does not follow it at all.
    url = page(world, world.member.pk)
    assert client_for(outsider).get(url).status_code == 403
    assert client_for(outsider).post(url, post).status_code == 403
    # A unit that is not a member of the bloc-year has no registration page: 404.
    assert client_for(focal_point).get(page(world, world.outsider_unit.pk)).status_code == 404
    assert not Registration.objects.exists()


def test_a_get_never_writes(world: World, focal_point: User) -> None:
    with_due(world)
    before = AuditEntry.objects.count()
    for url in (
        page(world, world.member.pk),
        reverse("awards:registrations", args=[world.bloc.pk, 2020]),
    ):
        assert client_for(focal_point).get(url).status_code == 200
    assert not Registration.objects.exists()
    assert AuditEntry.objects.count() == before


def test_the_focal_point_registers_through_the_page(world: World, focal_point: User) -> None:
    url = page(world, world.member.pk)
    client = client_for(focal_point)
    response = client.post(
        url, {"awards": ["PROV_FLAG", "EXCELLENT_COLLECTIVE"], "pledge": "Phấn đấu"}
    )
    assert response.status_code == 302
    registration = Registration.objects.get(unit=world.member)
    assert registration.pledge == "Phấn đấu"
    listing = client.get(reverse("awards:registrations", args=[world.bloc.pk, 2020]))
    rows = {row.name: row for row in listing.context["rows"]}
    assert rows["Báo Quảng Nam"].awards == [PROV, "Tập thể lao động xuất sắc"]
    assert rows["Sở Y tế"].registration is None
    assert listing.context["registered"] == 1


def test_the_page_refuses_after_the_deadline_and_keeps_what_was_ticked(
    world: World, focal_point: User
) -> None:
    with_due(world, datetime.date(2020, 1, 2))
    response = client_for(focal_point).post(page(world, world.member.pk), {"awards": ["PROV_FLAG"]})
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert "Đã hết hạn đăng ký thi đua (hết ngày 02/01/2020)" in errors[0]
    assert response.context["form"]["awards"].value() == ["PROV_FLAG"]
    assert not Registration.objects.exists()


def test_an_empty_choice_is_shown_at_the_field(world: World, focal_point: User) -> None:
    response = client_for(focal_point).post(page(world, world.member.pk), {"pledge": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["awards"] == ["Chọn ít nhất một danh hiệu đăng ký."]


# ---------------------------------------------------------------------------- my work


def titles(user: User) -> list[str]:
    return [str(task.title) for task in tasks_for(user)]


def test_the_task_appears_with_the_deadline_and_disappears_once_registered(
    world: World, focal_point: User
) -> None:
    title = "Đăng ký thi đua năm 2020 (Khối thi đua tham mưu III)"
    # No deadline set: registration is not opened, no task.
    assert title not in titles(focal_point)
    with_due(world)
    (task,) = [task for task in tasks_for(focal_point) if str(task.title) == title]
    assert task.deadline == DUE
    assert task.url == page(world, world.member.pk)
    register(world, world.member, focal_point)
    assert title not in titles(focal_point)


def test_the_secretariat_follows_the_count(
    world: World, secretariat: User, focal_point: User
) -> None:
    with_due(world)
    register(world, world.member, focal_point)
    (task,) = [
        task
        for task in tasks_for(secretariat)
        if str(task.title) == "Theo dõi đăng ký thi đua năm 2020 (Khối thi đua tham mưu III)"
    ]
    assert str(task.hint) == "1/3 đơn vị đã đăng ký."
    assert task.deadline == DUE
    # Once scoring starts, registration is over: no more tasks.
    BlocYear.objects.filter(pk=world.bloc_year.pk).update(state=BlocYear.State.SCORING)
    assert not [t for t in titles(secretariat) if t.startswith("Theo dõi đăng ký")]


def test_my_work_lists_the_task(world: World, focal_point: User) -> None:
    with_due(world)
    response = client_for(focal_point).get(reverse("my-work"))
    assert "Đăng ký thi đua năm 2020 (Khối thi đua tham mưu III)" in response.content.decode()


# ---------------------------------------------------------------------------- deadline, reminder


def test_the_registration_deadline_opens_the_year() -> None:
    errors = deadlines.deadline_errors(
        year=2020,
        registration_due=datetime.date(2020, 12, 20),
        self_assessment_due=datetime.date(2020, 12, 15),
        verification_due=None,
        proposals_due=None,
    )
    assert errors == {
        "registration_due": "Hạn đăng ký thi đua không được sau hạn tự chấm điểm (15/12/2020)."
    }
    errors = deadlines.deadline_errors(
        year=2020,
        registration_due=datetime.date(2021, 1, 10),
        self_assessment_due=None,
        verification_due=None,
        proposals_due=None,
    )
    assert errors == {"registration_due": "Hạn đăng ký thi đua phải nằm trong năm 2020."}


def test_the_deadlines_page_sets_the_registration_deadline(world: World, secretariat: User) -> None:
    response = client_for(secretariat).post(
        reverse("blocs:deadlines", args=[world.bloc.pk, 2020]),
        {"registration_due": "31/03/2020", "self_assessment_due": "15/12/2020"},
    )
    assert response.status_code == 302
    world.bloc_year.refresh_from_db()
    assert world.bloc_year.registration_due == DUE
    entry = AuditEntry.objects.get(action="bloc_year.deadlines")
    assert entry.changes["registration_due"] == [None, "2020-03-31"]


def test_the_reminder_goes_three_days_before_to_the_units_not_registered(
    world: World, focal_point: User, secretariat: User, django_assert_max_num_queries: Any
) -> None:
    with_due(world)
    register(world, world.head, secretariat)
    assert send_deadline_reminders(today=DUE - datetime.timedelta(days=4)).total == 0
    report = send_deadline_reminders(today=DUE - datetime.timedelta(days=3))
    assert report.sent["registration"] == 1  # the member's focal point; the head registered
    notification = Notification.objects.get(recipient=focal_point)
    assert notification.title == "Còn 3 ngày đến hạn đăng ký thi đua năm 2020"
    assert "Báo Quảng Nam chưa đăng ký danh hiệu thi đua" in notification.body
    assert send_deadline_reminders(today=DUE - datetime.timedelta(days=2)).total == 0
