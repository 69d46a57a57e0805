"""The ranking page, the what-if panel, finalization, snapshots and corrections."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from blocs import services as bloc_services
from blocs.models import BlocYear, User
from scoring import totals
from scoring.models import Criterion, RankingSnapshot, ScoreLine, ScoreSheet
from scoring.services import ranking as ranking_services
from scoring.services.sheets import LineEntry
from tests.conftest import RankingWorld, World, client_for, verified_year
from tests.factories import BlocFactory, CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db
D = Decimal


def ranking_url(bloc_year: BlocYear) -> str:
    return reverse("scoring:ranking", args=[bloc_year.bloc_id, bloc_year.year])


def test_the_live_ranking_explains_itself_to_the_secretariat(
    world: World, secretariat: User
) -> None:
    year = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    html = client_for(secretariat).get(ranking_url(year)).content.decode()
    assert "Kết quả tạm tính" in html
    assert (
        html.index("Sở Y tế") < html.index("Báo Quảng Nam") < html.index("Sở Giáo dục và Đào tạo")
    )
    assert "<svg" in html and 'role="img"' in html
    assert "Chốt kết quả xếp hạng…" in html


def test_members_do_not_see_an_unpublished_ranking(world: World, focal_point: User) -> None:
    year = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    assert client_for(focal_point).get(ranking_url(year)).status_code == 403
    ranking_services.bloc_year_finalize(bloc_year=year, by=None)
    assert client_for(focal_point).get(ranking_url(year)).status_code == 403
    assert client_for(None).get(ranking_url(year)).status_code == 302
    ranking_services.publish_provisional(bloc_year=year, by=None)
    assert client_for(focal_point).get(ranking_url(year)).status_code == 200
    assert client_for(None).get(ranking_url(year)).status_code == 302


def test_everybody_sees_a_finally_published_ranking(ranking_world: RankingWorld) -> None:
    import datetime

    year = ranking_world.provisional_year
    ranking_services.complaint_answer(
        complaint=ranking_world.complaint, accepted=False, answer="Đúng quy định.", by=None
    )
    ranking_services.publish_final(
        bloc_year=year, by=None, today=timezone.localdate() + datetime.timedelta(days=30)
    )
    response = client_for(None).get(ranking_url(year))
    assert response.status_code == 200
    assert "Kết quả đã chốt (lần 1" in response.content.decode()


def test_the_what_if_panel_shows_the_ranking_that_would_result_without_saving(
    world: World, secretariat: User
) -> None:
    year = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    criteria = dict(year.scoring.criteria_set.criteria.values_list("code", "id"))
    before = list(ScoreLine.objects.values_list("pk", "verified_points"))
    # The deputy (last, 9.60) gets the full 6 on I.1 instead of 5.5: 10.10, above the member (9.70).
    html = (
        client_for(secretariat)
        .get(
            ranking_url(year),
            {"unit": str(world.deputy.pk), "criterion": str(criteria["I.1"]), "points": "6"},
        )
        .content.decode()
    )
    panel = html.split("Nếu điểm I.1 của")[1]
    assert panel.index("Sở Giáo dục và Đào tạo") < panel.index("Báo Quảng Nam")
    assert "lên 1 hạng" in panel
    assert list(ScoreLine.objects.values_list("pk", "verified_points")) == before


def test_the_what_if_panel_says_an_unranked_unit_would_be_ranked(
    world: World, secretariat: User
) -> None:
    year = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    criteria = dict(year.scoring.criteria_set.criteria.values_list("code", "id"))
    # The deputy's I.1 has no verified points yet: it is not ranked.
    lines = ScoreLine.objects.filter(
        sheet__bloc_year=year, sheet__unit=world.deputy, criterion_id=criteria["I.1"]
    )
    lines.update(verified_value=None, verified_points=None)
    totals.refresh(lines.values_list("sheet_id", flat=True))
    html = (
        client_for(secretariat)
        .get(
            ranking_url(year),
            {"unit": str(world.deputy.pk), "criterion": str(criteria["I.1"]), "points": "6"},
        )
        .content.decode()
    )
    panel = html.split("Nếu điểm I.1 của")[1]
    assert "được xếp hạng 2" in panel
    assert "lên" not in panel.split("Sở Giáo dục và Đào tạo")[1].split("</tr>")[0]


def test_the_what_if_panel_refuses_points_above_the_maximum(
    world: World, secretariat: User
) -> None:
    year = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    criteria = dict(year.scoring.criteria_set.criteria.values_list("code", "id"))
    html = (
        client_for(secretariat)
        .get(
            ranking_url(year),
            {"unit": str(world.deputy.pk), "criterion": str(criteria["I.1"]), "points": "9"},
        )
        .content.decode()
    )
    assert "Điểm phải từ 0 đến 6" in html


def test_finalization_lists_what_is_missing_first(scoring_world, secretariat: User) -> None:
    w = scoring_world
    html = (
        client_for(secretariat)
        .get(reverse("scoring:finalize", args=[w.bloc.pk, 2020]))
        .content.decode()
    )
    assert "Chưa chốt được" in html
    # Grouped by sheet: one row per unfinished sheet, linked, with its count of criteria
    # still lacking a verified score (not one line per criterion).
    rows = re.findall(
        r'<tr><th scope="row"><a href="([^"]+)">([^<]+)</a></th><td>([^<]+)</td>'
        r'<td class="num">(\d+)</td></tr>',
        html,
    )
    sheets = {sheet.unit.name: sheet for sheet in ScoreSheet.objects.filter(bloc_year=w.bloc_year)}
    assert sorted(name for _url, name, _state, _count in rows) == sorted(sheets)
    draft = next(row for row in rows if row[1] == "Báo Quảng Nam")
    assert draft[0] == sheets["Báo Quảng Nam"].get_absolute_url()
    assert draft[2] == "Nháp"
    assert int(draft[3]) == sheets["Báo Quảng Nam"].lines.filter(not_applicable=False).count()
    total = sum(int(row[3]) for row in rows)
    assert f"3 bảng điểm chưa xong, tổng cộng {total} tiêu chí chưa có điểm thẩm định." in html
    response = client_for(secretariat).post(reverse("scoring:finalize", args=[w.bloc.pk, 2020]))
    assert response.status_code == 302
    assert not RankingSnapshot.objects.filter(bloc_year=w.bloc_year).exists()


def test_finalizing_freezes_a_snapshot_and_locks_the_sheets(
    world: World, secretariat: User
) -> None:
    year = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    client = client_for(secretariat)
    assert (
        "Chốt kết quả xếp hạng"
        in client.get(reverse("scoring:finalize", args=[world.bloc.pk, 2019])).content.decode()
    )
    response = client.post(reverse("scoring:finalize", args=[world.bloc.pk, 2019]))
    assert response.status_code == 302
    snapshot = RankingSnapshot.objects.get(bloc_year=year)
    assert snapshot.number == 1 and len(snapshot.inputs_hash) == 64
    assert [row.code for row in snapshot.rows] == ["SYT", "BQN", "SGDDT"]
    assert set(ScoreSheet.objects.filter(bloc_year=year).values_list("state", flat=True)) == {
        "finalized"
    }
    assert BlocYear.objects.get(pk=year.pk).state == BlocYear.State.FINALIZED
    # Twice is refused, and nothing more is written.
    client.post(reverse("scoring:finalize", args=[world.bloc.pk, 2019]))
    assert RankingSnapshot.objects.filter(bloc_year=year).count() == 1


def test_a_finalized_ranking_does_not_move_when_scores_change(world: World) -> None:
    year = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    snapshot = ranking_services.bloc_year_finalize(bloc_year=year, by=None)
    frozen = snapshot.data
    changed = ScoreLine.objects.filter(sheet__bloc_year=year, sheet__unit=world.deputy)
    changed.update(verified_points=D(0))
    totals.refresh(changed.values_list("sheet_id", flat=True))  # as every writer of lines does
    page = client_for(None)
    snapshot.refresh_from_db()
    assert snapshot.data == frozen
    admin = bloc_services.user_create(
        username="qt", password="x", unit=world.head, role=User.Role.COUNCIL_ADMIN
    )
    html = client_for(admin).get(ranking_url(year)).content.decode()
    assert "9,60" in html  # the deputy's frozen total, not the changed points
    assert page is not None


def test_a_correction_needs_a_reason_and_writes_the_next_snapshot(world: World) -> None:
    year = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    ranking_services.bloc_year_finalize(bloc_year=year, by=None)
    admin = bloc_services.user_create(
        username="qt", password="x", unit=world.head, role=User.Role.COUNCIL_ADMIN
    )
    sheet = ScoreSheet.objects.get(bloc_year=year, unit=world.deputy)
    criterion = year.scoring.criteria_set.criteria.get(code="I.1")
    url = reverse("scoring:correct", args=[world.bloc.pk, 2019])
    client = client_for(admin)
    html = client.post(
        url, {"sheet": sheet.pk, f"v-{criterion.pk}": "6", "reason": ""}
    ).content.decode()
    assert "Ghi lý do điều chỉnh." in html
    assert RankingSnapshot.objects.filter(bloc_year=year).count() == 1
    response = client.post(
        url, {"sheet": sheet.pk, f"v-{criterion.pk}": "6", "reason": "Bổ sung biên bản quý IV"}
    )
    assert response.status_code == 302
    second = RankingSnapshot.objects.get(bloc_year=year, number=2)
    assert (
        second.kind == RankingSnapshot.Kind.CORRECTION
        and second.reason == "Bổ sung biên bản quý IV"
    )
    assert [row.code for row in second.rows] == ["SYT", "SGDDT", "BQN"]
    first = RankingSnapshot.objects.get(bloc_year=year, number=1)
    assert [row.code for row in first.rows] == ["SYT", "BQN", "SGDDT"]
    html = client.get(reverse("scoring:snapshots", args=[world.bloc.pk, 2019])).content.decode()
    assert "Lần 2: Điều chỉnh sau khi chốt" in html and "3 → 2" in html


def test_only_council_admins_correct_and_only_after_finalization(
    world: World, secretariat: User
) -> None:
    year = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    url = reverse("scoring:correct", args=[world.bloc.pk, 2019])
    assert client_for(secretariat).get(url).status_code == 403
    admin = bloc_services.user_create(
        username="qt", password="x", unit=world.head, role=User.Role.COUNCIL_ADMIN
    )
    assert client_for(admin).get(url).status_code == 302  # not finalized: back to the ranking
    with pytest.raises(ranking_services.StateError):
        ranking_services.ranking_correct(
            bloc_year=year, corrections={1: {1: LineEntry(D(1))}}, reason="x", by=None
        )


def build_bloc(members: int, leaves_factor: int) -> tuple[BlocYear, User]:
    council = CouncilFactory.create()
    units = [UnitFactory.create(council=council) for _ in range(members)]
    bloc_year = verified_year(BlocFactory.create(council=council), 2019, units)
    secretary = bloc_services.user_create(username="thuky", password="x", unit=units[0])
    return bloc_year, secretary


@pytest.mark.parametrize("members", [3, 30])
def test_the_ranking_page_costs_the_same_whatever_the_size(
    members: int, django_assert_num_queries
) -> None:
    bloc_year, secretary = build_bloc(members, 1)
    client = client_for(secretary)
    # session, bloc-year, its first facts in one statement (a season? the latest snapshot?
    # a quota counted across blocs? the rules changed after scoring opened?
    # scoring/selectors/ranking_page.py), user, secretariat rights, then the live ranking:
    # rules, the season's criteria with their set's bonus cap, memberships with their units'
    # former names, the sheets' kept parts with their states (not their lines:
    # scoring/parts.py; the states count those not yet verified). No snapshot, no quota: no
    # query for either.
    with django_assert_num_queries(9):
        response = client.get(ranking_url(bloc_year))
    assert response.status_code == 200
    # A criterion with its own floor: one more query, for its leaves' lines only.
    criteria = Criterion.objects.filter(criteria_set__seasons__bloc_year=bloc_year)
    criteria.filter(parent__isnull=True).update(floor_percent=Decimal(50))
    with django_assert_num_queries(10):
        response = client.get(ranking_url(bloc_year))
    assert response.status_code == 200
    criteria.update(floor_percent=None)
    ranking_services.bloc_year_finalize(bloc_year=bloc_year, by=None)
    # The frozen snapshot (its id among the first facts, then the snapshot itself), and the
    # live data behind the what-if panel (still open to the secretariat until the final
    # publication).
    with django_assert_num_queries(10):
        response = client.get(ranking_url(bloc_year))
    assert response.status_code == 200


def test_the_live_ranking_counts_the_sheets_not_yet_verified(
    world: World, secretariat: User, django_assert_num_queries
) -> None:
    year = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    client = client_for(secretariat)
    assert "chưa thẩm định xong" not in client.get(ranking_url(year)).content.decode()
    # The count comes with the sheets' kept parts, in the same query (pinned above).
    ScoreSheet.objects.filter(bloc_year=year, unit=world.member).update(
        state=ScoreSheet.State.SUBMITTED
    )
    with django_assert_num_queries(9):
        html = client.get(ranking_url(year)).content.decode()
    assert "Còn 1 bảng điểm chưa thẩm định xong." in html


def test_the_ranking_names_each_member_as_its_short_name_of_that_year(
    world: World, secretariat: User
) -> None:
    from blocs.models import UnitName
    from scoring.selectors.ranking import members_of

    year = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    UnitName.objects.create(
        unit=world.member, name="Báo Quảng Nam (tên cũ)", short_name="", valid_until=year.last_day
    )
    UnitName.objects.create(
        unit=world.deputy, name="Sở cũ", short_name="SC", valid_until=year.last_day
    )
    UnitName.objects.create(  # no longer in force at the year's end
        unit=world.head,
        name="Tên xưa",
        short_name="TX",
        valid_until=year.last_day.replace(month=6, day=30),
    )
    members = members_of(year)
    units = {unit.pk: unit for unit in (world.head, world.deputy, world.member)}
    assert [member.name for member in members] == [
        units[member.unit_id].short_name_on(year.last_day) for member in members
    ]
    assert {member.name for member in members} >= {"Báo Quảng Nam (tên cũ)", "SC"}
    html = client_for(secretariat).get(ranking_url(year)).content.decode()
    assert "Báo Quảng Nam (tên cũ)" in html and "Tên xưa" not in html
