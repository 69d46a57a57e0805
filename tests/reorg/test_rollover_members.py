"""Opening next year with the admin's own changes to the members (take out, add), and the
warning about proposals of the year that are still open."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from awards.models import Proposal
from awards.open_proposals import open_filter
from blocs import services
from blocs.models import AuditEntry, BlocYear, Membership, Unit, User
from portal.rollover.edits import addition_refusal
from tests.conftest import World, client_for
from tests.factories import (
    AwardTypeFactory,
    CouncilFactory,
    DecisionFactory,
    ProposalFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def url(world: World) -> str:
    return reverse("rollover", args=[world.bloc.pk, 2020])


def shown(response) -> dict[str, object]:
    """What the page's form holds now, as the browser would post it back."""
    form = response.context["form"]
    data: dict[str, object] = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, "", False, []):
            continue
        data[name] = "on" if value is True else value
    return data


def post(client: Client, world: World, page, **changes: object):
    return client.post(url(world), {**shown(page), **changes})


def members_2021(world: World) -> dict[int, str]:
    created = BlocYear.objects.get(bloc=world.bloc, year=2021)
    return dict(created.memberships.values_list("unit_id", "role"))


@pytest.fixture
def finance(world: World) -> Unit:
    """A unit of the council in no bloc."""
    return UnitFactory.create(council=world.council, code="STC", name="Sở Tài chính")


def test_members_taken_out_and_added_are_the_new_years_members(
    world: World, council_admin: User, finance: Unit
) -> None:
    client = client_for(council_admin)
    page = client.get(url(world))
    add_choices = dict(page.context["form"].fields["add"].choices)
    assert str(finance.pk) in add_choices and str(world.member.pk) not in add_choices
    previewed = post(
        client,
        world,
        page,
        action="preview",
        **{f"remove_{world.member.pk}": "on", "add": str(finance.pk)},
    )
    plan = previewed.context["plan"]
    assert {m.unit.pk for m in plan.members} == {world.head.pk, world.deputy.pk, finance.pk}
    assert [d.unit.pk for d in plan.removed] == [world.member.pk]
    html = previewed.content.decode()
    assert "Quản trị thêm" in html and "Bỏ khỏi khối năm 2021 theo lựa chọn" in html
    assert not BlocYear.objects.filter(bloc=world.bloc, year=2021).exists()
    reason = "Chuyển sang khối báo chí theo Quyết định 12/QĐ-HĐTĐKT"
    done = post(client, world, previewed, action="apply", **{f"reason_{world.member.pk}": reason})
    assert done.status_code == 302
    roles = members_2021(world)
    assert set(roles) == {world.head.pk, world.deputy.pk, finance.pk}
    assert roles[world.deputy.pk] == Membership.Role.HEAD
    entry = AuditEntry.objects.get(action="bloc_year.rollover")
    assert entry.changes["removed"] == [[world.member.pk, "Báo Quảng Nam", reason]]
    assert entry.changes["added"] == [[finance.pk, "Sở Tài chính"]]
    assert "thêm Sở Tài chính; bỏ Báo Quảng Nam" in entry.summary


def test_changing_the_members_and_opening_at_once_shows_the_new_preview_first(
    world: World, council_admin: User, finance: Unit
) -> None:
    client = client_for(council_admin)
    page = client.get(url(world))
    response = post(client, world, page, action="apply", add=str(finance.pk))
    assert response.status_code == 200 and response.context["outdated"]
    assert not BlocYear.objects.filter(bloc=world.bloc, year=2021).exists()
    assert finance.pk in {m.unit.pk for m in response.context["plan"].members}
    assert post(client, world, response, action="apply").status_code == 302
    assert finance.pk in members_2021(world)


def test_taking_out_the_suggested_head_suggests_another_among_the_members(
    world: World, council_admin: User
) -> None:
    client = client_for(council_admin)
    page = client.get(url(world))
    assert page.context["plan"].head.unit == world.deputy
    previewed = post(client, world, page, action="preview", **{f"remove_{world.deputy.pk}": "on"})
    plan = previewed.context["plan"]
    assert plan.head.unit != world.deputy and plan.deputy.unit != world.deputy
    assert post(client, world, previewed, action="apply").status_code == 302
    roles = members_2021(world)
    assert world.deputy.pk not in roles
    assert sorted(roles.values()) == ["deputy", "head"]


def test_an_added_unit_unticked_is_no_longer_added(
    world: World, council_admin: User, finance: Unit
) -> None:
    client = client_for(council_admin)
    added = post(client, world, client.get(url(world)), action="preview", add=str(finance.pk))
    again = post(client, world, added, action="preview", **{f"remove_{finance.pk}": "on"})
    plan = again.context["plan"]
    assert finance.pk not in {m.unit.pk for m in plan.members}
    assert not plan.removed
    assert str(finance.pk) in dict(again.context["form"].fields["add"].choices)


def refused(client: Client, world: World, **changes: object):
    page = client.get(url(world))
    response = post(client, world, page, action="apply", **changes)
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not BlocYear.objects.filter(bloc=world.bloc, year=2021).exists()
    return response


def test_a_unit_that_ended_is_refused_at_the_field(world: World, council_admin: User) -> None:
    ended = UnitFactory.create(
        council=world.council, name="Sở Ngoại vụ", active_until=datetime.date(2020, 6, 30)
    )
    client = client_for(council_admin)
    assert str(ended.pk) not in dict(client.get(url(world)).context["form"].fields["add"].choices)
    response = refused(client, world, add=str(ended.pk))
    [message] = response.context["form"].errors["add"]
    assert "Sở Ngoại vụ đã ngừng hoạt động từ sau ngày 30/06/2020" in message


def test_a_unit_already_in_another_bloc_next_year_is_refused(
    world: World, council_admin: User
) -> None:
    services.bloc_year_create(bloc=world.other_bloc, year=2021, members=[world.outsider_unit])
    client = client_for(council_admin)
    choices = dict(client.get(url(world)).context["form"].fields["add"].choices)
    # Sở Nội vụ was in the other bloc in 2020 but not yet in 2021: it may move.
    assert str(world.outsider_unit.pk) not in choices and str(world.admin_unit.pk) in choices
    response = refused(client, world, add=str(world.outsider_unit.pk))
    assert response.context["form"].errors["add"] == [
        "Sở Tư pháp đã là thành viên của Khối thi đua tham mưu I năm 2021; mỗi năm một đơn vị "
        "chỉ ở một khối."
    ]


def test_a_unit_of_another_council_or_unknown_is_refused(world: World, council_admin: User) -> None:
    foreign = UnitFactory.create(council=CouncilFactory.create())
    client = client_for(council_admin)
    for value in (str(foreign.pk), "999999"):
        response = refused(client, world, add=value)
        assert response.context["form"].errors["add"] == ["Đơn vị không thuộc hội đồng này."]


def test_a_head_taken_out_is_refused_and_what_was_typed_is_kept(
    world: World, council_admin: User
) -> None:
    client = client_for(council_admin)
    reason = "Không còn chức năng tham mưu"
    response = refused(
        client,
        world,
        head=str(world.member.pk),
        **{f"remove_{world.member.pk}": "on", f"reason_{world.member.pk}": reason},
    )
    form = response.context["form"]
    assert "Trưởng khối phải là thành viên của khối năm 2021." in form.errors["head"]
    assert form["head"].value() == str(world.member.pk)
    assert form[f"reason_{world.member.pk}"].value() == reason
    assert form[f"remove_{world.member.pk}"].value() is True


def test_a_reason_too_long_is_refused_at_its_field(world: World, council_admin: User) -> None:
    client = client_for(council_admin)
    page = client.get(url(world))
    previewed = post(client, world, page, action="preview", **{f"remove_{world.member.pk}": "on"})
    long_reason = "x" * 201
    response = post(
        client, world, previewed, action="apply", **{f"reason_{world.member.pk}": long_reason}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[f"reason_{world.member.pk}"] == ["Lý do dài quá 200 ký tự."]
    assert form[f"reason_{world.member.pk}"].value() == long_reason
    assert not BlocYear.objects.filter(bloc=world.bloc, year=2021).exists()


def test_the_addition_rule(world: World) -> None:
    council = world.council.pk
    unit = UnitFactory.create(council=world.council, name="Sở Xây dựng")
    assert addition_refusal(unit, council_id=council, year=2021, elsewhere=None) is None
    assert addition_refusal(unit, council_id=council + 1, year=2021, elsewhere=None)
    assert addition_refusal(unit, council_id=council, year=2021, elsewhere="Khối I")
    unit.active_until = datetime.date(2021, 1, 1)
    assert addition_refusal(unit, council_id=council, year=2021, elsewhere=None) is None
    unit.active_until = datetime.date(2020, 12, 31)
    assert addition_refusal(unit, council_id=council, year=2021, elsewhere=None)
    unit.active_until, unit.active_from = None, datetime.date(2022, 1, 1)
    assert addition_refusal(unit, council_id=council, year=2021, elsewhere=None)


# ------------------------------------------------------------------- open proposals of N


def proposals_of_2020(world: World) -> dict[str, Proposal]:
    """One proposal of 2020 in each state, open or final."""
    codes = ["PROV_FLAG", "PROV_CERT", "EXCELLENT_COLLECTIVE", "ADVANCED_COLLECTIVE", "GOV_FLAG"]
    awards = [AwardTypeFactory.create(code=code) for code in codes]
    S = Proposal.Status
    made = {}
    for award, (name, status) in zip(
        awards,
        [
            ("draft", S.DRAFT),
            ("submitted", S.SUBMITTED),
            ("approved", S.APPROVED),
            ("decided", S.APPROVED),
            ("rejected", S.REJECTED),
        ],
        strict=True,
    ):
        made[name] = ProposalFactory.create(
            bloc_year=world.bloc_year, unit=world.member, award_type=award, status=status
        )
    made["decided"].decision = DecisionFactory.create(council=world.council)
    made["decided"].save()
    return made


def test_open_means_not_final(world: World) -> None:
    made = proposals_of_2020(world)
    returned = made["submitted"]
    assert set(Proposal.objects.filter(open_filter())) == {
        made["draft"],
        returned,
        made["approved"],
    }
    returned.status = Proposal.Status.RETURNED
    returned.save()
    assert returned in Proposal.objects.filter(open_filter())


def test_open_proposals_are_a_warning_with_links_not_a_refusal(
    world: World, council_admin: User
) -> None:
    made = proposals_of_2020(world)
    client = client_for(council_admin)
    page = client.get(url(world))
    html = page.content.decode()
    assert "Năm 2020 còn 3 đề nghị khen thưởng chưa có kết quả cuối cùng" in html
    for name in ("draft", "submitted", "approved"):
        assert made[name].get_absolute_url() in html
    for name in ("decided", "rejected"):
        assert made[name].get_absolute_url() not in html
    assert "Đã duyệt, chờ quyết định khen thưởng" in html
    # Said again at the button, and after opening on the new year's page.
    assert 'id="open-proposals-confirm"' in html
    done = post(client, world, page, action="apply")
    assert done.status_code == 302
    followed = client.get(done["Location"])
    assert "năm 2020 còn 3 đề nghị khen thưởng chưa có kết quả cuối cùng" in (
        followed.content.decode()
    )


def test_no_warning_without_open_proposals(world: World, council_admin: User) -> None:
    made = proposals_of_2020(world)
    for name in ("draft", "submitted", "approved"):
        made[name].delete()
    client = client_for(council_admin)
    page = client.get(url(world))
    assert not page.context["plan"].open_proposals
    html = page.content.decode()
    assert "chưa có kết quả cuối cùng" not in html and 'id="open-proposals"' not in html
    done = post(client, world, page, action="apply")
    assert "chưa có kết quả cuối cùng" not in client.get(done["Location"]).content.decode()


def test_the_preview_query_budget_with_edits_and_open_proposals(
    world: World, council_admin: User, finance: Unit, django_assert_num_queries
) -> None:
    proposals_of_2020(world)
    client = client_for(council_admin)
    page = client.get(url(world))
    data = {**shown(page), "action": "preview", "add": str(finance.pk)}
    data[f"remove_{world.member.pk}"] = "on"
    # session and person (2), the bloc-year (1), the admin's councils (1), next year (1),
    # members with names (2), links (1: nothing was reorganised), other blocs (1), the council's
    # units with their bloc next year and their names (2), the year-end report (1), the
    # criteria set (3), the open proposals with their units' names (2).
    with django_assert_num_queries(17):
        response = client.post(url(world), data)
    assert len(response.context["plan"].open_proposals) == 3
