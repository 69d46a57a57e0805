"""Stage deadlines: the pure rules, the service that sets them, the page and the admin."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from blocs import deadlines
from blocs.models import AuditEntry, BlocYear, User
from tests.conftest import World, client_for

D = datetime.date


def test_a_day_is_late_only_after_the_due_day() -> None:
    due = D(2021, 12, 15)
    assert not deadlines.is_late(due, D(2021, 12, 15))
    assert deadlines.is_late(due, D(2021, 12, 16))
    assert not deadlines.is_late(None, D(2030, 1, 1))


def test_lateness_is_judged_on_the_local_day() -> None:
    due = D(2021, 12, 15)
    # 23:30 on the 15th in Hà Nội is 16:30 UTC: still on time; 00:30 on the 16th is late.
    on_time = datetime.datetime(2021, 12, 15, 16, 30, tzinfo=datetime.UTC)
    late = datetime.datetime(2021, 12, 15, 17, 30, tzinfo=datetime.UTC)
    assert not deadlines.is_late(due, on_time)
    assert deadlines.is_late(due, late)


def test_days_left_count_down_to_zero_then_negative() -> None:
    due = D(2021, 12, 15)
    assert deadlines.days_left(due, D(2021, 12, 12)) == 3
    assert deadlines.days_left(due, D(2021, 12, 15)) == 0
    assert deadlines.days_left(due, D(2021, 12, 17)) == -2


def test_labels_say_days_left_or_days_overdue() -> None:
    assert deadlines.due_label(3) == "còn 3 ngày"
    assert deadlines.due_label(0) == "hạn cuối hôm nay"
    assert deadlines.due_label(-2) == "quá hạn 2 ngày"
    assert deadlines.due_label(None) == ""
    # Numbers of 1.000 or more are grouped, as everywhere else.
    assert deadlines.due_label(-1816) == "quá hạn 1.816 ngày"
    assert deadlines.due_label(1200) == "còn 1.200 ngày"
    assert [deadlines.urgency(days) for days in (-1, 0, 3, 4, None)] == [
        "overdue",
        "today",
        "soon",
        "open",
        "",
    ]


def test_deadlines_must_follow_each_other_and_name_the_field() -> None:
    errors = deadlines.deadline_errors(
        year=2021,
        self_assessment_due=D(2021, 12, 15),
        verification_due=D(2021, 12, 10),
        proposals_due=D(2021, 12, 5),
    )
    assert set(errors) == {"verification_due", "proposals_due"}
    assert "15/12/2021" in errors["verification_due"]
    assert "10/12/2021" in errors["proposals_due"]


def test_proposals_follow_self_assessment_when_verification_has_no_date() -> None:
    errors = deadlines.deadline_errors(
        year=2021,
        self_assessment_due=D(2021, 12, 15),
        verification_due=None,
        proposals_due=D(2021, 12, 1),
    )
    assert list(errors) == ["proposals_due"]
    assert "tự chấm" in errors["proposals_due"]


def test_deadlines_fall_in_the_year_or_the_next() -> None:
    errors = deadlines.deadline_errors(
        year=2021,
        self_assessment_due=D(2020, 12, 31),
        verification_due=D(2022, 1, 20),
        proposals_due=D(2023, 1, 1),
    )
    assert set(errors) == {"self_assessment_due", "proposals_due"}
    assert "2021" in errors["self_assessment_due"] and "2022" in errors["self_assessment_due"]


def test_a_full_and_an_empty_set_are_both_fine() -> None:
    assert not deadlines.deadline_errors(
        year=2021,
        self_assessment_due=D(2021, 12, 15),
        verification_due=D(2021, 12, 15),
        proposals_due=D(2022, 1, 10),
    )
    assert not deadlines.deadline_errors(
        year=2021, self_assessment_due=None, verification_due=None, proposals_due=None
    )


def test_stages_are_over_once_the_year_moves_past_them(world: World) -> None:
    bloc_year = world.bloc_year
    bloc_year.self_assessment_due = D(2020, 12, 15)
    bloc_year.proposals_due = D(2021, 1, 20)
    bloc_year.state = BlocYear.State.PUBLISHED
    stages = {stage.field: stage for stage in deadlines.stage_deadlines(bloc_year, D(2021, 1, 18))}
    assert stages["self_assessment_due"].over and stages["self_assessment_due"].days_left is None
    assert stages["proposals_due"].days_left == 2
    assert stages["proposals_due"].due_label == "còn 2 ngày"
    assert stages["verification_due"].due is None


# ---------------------------------------------------------------------------- the service


def test_setting_deadlines_is_recorded_in_the_audit_trail(
    world: World, council_admin: User
) -> None:
    deadlines.deadlines_set(
        bloc_year=world.bloc_year,
        by=council_admin,
        self_assessment_due=D(2020, 12, 15),
        verification_due=D(2020, 12, 25),
        proposals_due=None,
    )
    bloc_year = BlocYear.objects.get(pk=world.bloc_year.pk)
    assert (bloc_year.self_assessment_due, bloc_year.verification_due) == (
        D(2020, 12, 15),
        D(2020, 12, 25),
    )
    entry = AuditEntry.objects.get(action="bloc_year.deadlines")
    assert entry.actor == council_admin
    assert entry.changes == {
        "self_assessment_due": [None, "2020-12-15"],
        "verification_due": [None, "2020-12-25"],
    }


def test_setting_the_same_deadlines_again_writes_nothing(world: World) -> None:
    kwargs = {
        "self_assessment_due": D(2020, 12, 15),
        "verification_due": None,
        "proposals_due": None,
    }
    deadlines.deadlines_set(bloc_year=world.bloc_year, by=None, **kwargs)
    deadlines.deadlines_set(bloc_year=world.bloc_year, by=None, **kwargs)
    assert AuditEntry.objects.filter(action="bloc_year.deadlines").count() == 1


def test_wrong_deadlines_are_refused_as_a_whole(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        deadlines.deadlines_set(
            bloc_year=world.bloc_year,
            by=None,
            self_assessment_due=D(2020, 12, 15),
            verification_due=D(2020, 12, 1),
            proposals_due=None,
        )
    assert set(caught.value.message_dict) == {"verification_due"}
    assert BlocYear.objects.get(pk=world.bloc_year.pk).self_assessment_due is None


# ---------------------------------------------------------------------------- the page


def url(world: World) -> str:
    return reverse("blocs:deadlines", args=[world.bloc.pk, 2020])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("council_admin", 200),
        ("secretariat", 200),
        ("focal_point", 403),
        ("outsider", 403),
        ("leader", 403),
    ],
)
def test_only_the_managers_of_the_year_open_the_page(
    world: World, personas: dict[str, User | None], persona: str, status: int
) -> None:
    assert client_for(personas[persona]).get(url(world)).status_code == status


def test_the_secretariat_sets_the_deadlines_in_day_first_dates(
    world: World, secretariat: User
) -> None:
    response = client_for(secretariat).post(
        url(world),
        {"self_assessment_due": "15/12/2020", "verification_due": "", "proposals_due": "20/1/2021"},
    )
    assert response.status_code == 302
    assert response["Location"] == world.bloc_year.get_absolute_url()
    bloc_year = BlocYear.objects.get(pk=world.bloc_year.pk)
    assert bloc_year.self_assessment_due == D(2020, 12, 15)
    assert bloc_year.proposals_due == D(2021, 1, 20)


def test_an_error_is_summarised_named_at_its_field_and_the_typing_kept(
    world: World, secretariat: User
) -> None:
    response = client_for(secretariat).post(
        url(world),
        {
            "self_assessment_due": "15/12/2020",
            "verification_due": "01/12/2020",
            "proposals_due": "hôm qua",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'href="#id_verification_due"' in html and 'href="#id_proposals_due"' in html
    assert "Hạn thẩm định không được trước hạn tự chấm điểm (15/12/2020)." in html
    assert 'value="hôm qua"' in html
    assert BlocYear.objects.get(pk=world.bloc_year.pk).self_assessment_due is None


def test_the_bloc_year_page_lists_each_stage_with_its_countdown(
    world: World, secretariat: User
) -> None:
    today = timezone.localdate()
    BlocYear.objects.filter(pk=world.bloc_year.pk).update(
        self_assessment_due=today - datetime.timedelta(days=2),
        verification_due=today + datetime.timedelta(days=3),
    )
    html = client_for(secretariat).get(world.bloc_year.get_absolute_url()).content.decode()
    assert "Hạn tự chấm điểm" in html and "quá hạn 2 ngày" in html
    assert "Hạn thẩm định điểm" in html and "còn 3 ngày" in html
    assert "Hạn trình đề nghị khen thưởng" in html and "chưa đặt" in html


def test_the_admin_refuses_deadlines_out_of_order(world: World, council_admin: User) -> None:
    from blocs.admin import BlocYearAdminForm

    form_class = type(
        "Form",
        (BlocYearAdminForm,),
        {"Meta": type("Meta", (), {"model": BlocYear, "fields": ["year", *deadlines.FIELDS]})},
    )
    form = form_class(
        data={
            "year": 2020,
            "self_assessment_due": "15/12/2020",
            "verification_due": "10/12/2020",
            "proposals_due": "",
        },
        instance=world.bloc_year,
    )
    assert not form.is_valid()
    assert list(form.errors) == ["verification_due"]
