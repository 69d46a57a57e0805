"""A bloc-year ranked by vote alone, end to end through the services and the pages: rules set to
"Bình xét bằng phiếu", votes recorded, finalized, published; no score-sheet task appears."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from blocs.models import BlocYear, User
from scoring import tasks
from scoring.models import Complaint, CriteriaSet, RankingSnapshot, ScoreSheet, VoteResult
from scoring.services import ranking as ranking_services
from scoring.services.ranking.votes import VoteInput, votes_correct, votes_record
from scoring.services.sheets import scoring_open
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db

XS, TOT = "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ"


def url(name: str, bloc_year: BlocYear) -> str:
    return reverse(f"scoring:{name}", args=[bloc_year.bloc_id, bloc_year.year])


def vote_year(world: World) -> BlocYear:
    ranking_services.ranking_rules_save(
        bloc_year=world.bloc_year,
        tie_breaks=[],
        bands=[{"name": "Hoàn thành nhiệm vụ", "min_total_percent": "0", "floor_percent": "0"}],
        mode="votes",
        by=None,
    )
    return world.bloc_year


def test_votes_finalize_publish_and_every_page(
    world: World, secretariat: User, focal_point: User, council_admin: User
) -> None:
    bloc_year = vote_year(world)
    # 15 members present: Sở Y tế 14 (93,33 %), Sở GD&ĐT 8 (53,33 %), Báo Quảng Nam 7 (46,67 %).
    votes_record(
        bloc_year=bloc_year,
        votes={
            world.head.pk: VoteInput(14, 15),
            world.deputy.pk: VoteInput(8, 15),
            world.member.pk: VoteInput(7, 15),
        },
        by=secretariat,
    )
    # "Việc của tôi": no score sheet to fill or verify, so no task and no self-assessment deadline.
    assert tasks.tasks_for(focal_point) == [] and tasks.tasks_for(secretariat) == []
    year_page = client_for(secretariat).get(bloc_year.get_absolute_url()).content.decode()
    assert "Khối năm này bình xét bằng phiếu, không chấm điểm." in year_page
    assert url("ranking", bloc_year) in year_page
    page = client_for(secretariat).get(url("ranking", bloc_year)).content.decode()
    assert "không chấm điểm" in page and "14/15" in page and "(93,33%)" in page
    assert "Kết quả tạm tính từ kết quả phiếu đã ghi" in page
    assert "được trên 50% số phiếu" in page

    snapshot = ranking_services.bloc_year_finalize(bloc_year=bloc_year, by=secretariat)
    bloc_year.refresh_from_db()
    assert bloc_year.state == BlocYear.State.FINALIZED
    assert [(r.name, r.rank, r.band, r.total) for r in snapshot.rows] == [
        ("Sở Y tế", 1, XS, None),
        ("Sở Giáo dục và Đào tạo", 2, XS, None),
        ("Báo Quảng Nam", 3, TOT, None),  # 7 of 15 is not more than half
    ]
    assert snapshot.data["settings"]["mode"] == "votes"
    assert snapshot.data["settings"]["votes"][str(world.member.pk)] == [7, 15, ""]
    assert len(snapshot.inputs_hash) == 64
    # Recording after finalization is refused; a correction needs a reason and writes snapshot 2.
    with pytest.raises(ValidationError):
        votes_record(bloc_year=bloc_year, votes={world.member.pk: VoteInput(9, 15)}, by=None)
    with pytest.raises(ValidationError):
        votes_correct(
            bloc_year=bloc_year, votes={world.member.pk: VoteInput(9, 15)}, reason=" ", by=None
        )
    second = votes_correct(
        bloc_year=bloc_year,
        votes={world.member.pk: VoteInput(9, 15)},
        reason="Kiểm phiếu lại: sót 2 phiếu",
        by=council_admin,
    )
    assert second.number == 2 and second.kind == RankingSnapshot.Kind.CORRECTION
    assert [(r.name, r.rank, r.band) for r in second.rows][1:] == [
        ("Báo Quảng Nam", 2, XS),  # 9/15 = 60 %
        ("Sở Giáo dục và Đào tạo", 3, XS),
    ]
    assert RankingSnapshot.objects.get(bloc_year=bloc_year, number=1).rows == snapshot.rows

    today = datetime.date(2021, 1, 10)
    ranking_services.publish_provisional(bloc_year=bloc_year, by=secretariat, days=5, today=today)
    ranking_services.publish_final(
        bloc_year=bloc_year, by=secretariat, today=today + datetime.timedelta(days=6)
    )
    bloc_year.refresh_from_db()
    assert bloc_year.state == BlocYear.State.PUBLISHED

    response = client_for(None).get(url("ranking", bloc_year))
    assert response.status_code == 200
    text = response.content.decode()
    assert "9/15" in text and "không chấm điểm" in text
    assert "Biểu đồ tổng điểm" not in text  # no totals to chart
    public = client_for(None).get(bloc_year.get_absolute_url())
    assert public.status_code == 200
    for kind in ("csv", "xlsx", "json"):
        download = client_for(None).get(
            reverse("scoring:ranking-download", args=[bloc_year.bloc_id, bloc_year.year, kind])
        )
        assert download.status_code == 200, kind
    csv_text = (
        client_for(None)
        .get(reverse("scoring:ranking-download", args=[bloc_year.bloc_id, bloc_year.year, "csv"]))
        .content.decode("utf-8-sig")
    )
    assert "Báo Quảng Nam" in csv_text and ",0,00" not in csv_text
    # No score sheet, so no "Việc của tôi" task about self-assessment for this year.
    assert not ScoreSheet.objects.filter(bloc_year=bloc_year).exists()
    assert all("/sheets/" not in task.url for task in tasks.tasks_for(focal_point))


def test_vote_entry_page_refuses_bad_rows_at_the_cell_and_writes_nothing(
    world: World, secretariat: User
) -> None:
    bloc_year = vote_year(world)
    client = client_for(secretariat)
    assert client.get(url("votes", bloc_year)).status_code == 200
    data = {
        f"{world.head.pk}-votes_for": "16",
        f"{world.head.pk}-voters": "15",
        f"{world.deputy.pk}-votes_for": "8",
        f"{world.deputy.pk}-voters": "15",
        f"{world.deputy.pk}-band": "Không có mức này",
        f"{world.member.pk}-votes_for": "7",
        f"{world.member.pk}-voters": "15",
    }
    response = client.post(url("votes", bloc_year), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Số phiếu đồng ý không được lớn hơn số thành viên bỏ phiếu." in page
    assert "Chọn một lựa chọn hợp lệ" in page or "hợp lệ" in page
    assert not VoteResult.objects.filter(bloc_year=bloc_year).exists()

    data[f"{world.head.pk}-votes_for"] = "14"
    data[f"{world.deputy.pk}-band"] = XS
    response = client.post(url("votes", bloc_year), data)
    assert response.status_code == 302
    assert VoteResult.objects.get(bloc_year=bloc_year, unit=world.deputy).band == XS
    # Finalizing through the page, then the ranking page of the frozen year.
    assert client.post(url("finalize", bloc_year)).status_code == 302
    page = client.get(url("ranking", bloc_year)).content.decode()
    assert "xếp loại do hội nghị bình xét công bố" in page


def test_finalize_names_the_members_without_votes(world: World, secretariat: User) -> None:
    bloc_year = vote_year(world)
    votes_record(bloc_year=bloc_year, votes={world.head.pk: VoteInput(3, 3)}, by=secretariat)
    page = client_for(secretariat).get(url("finalize", bloc_year)).content.decode()
    assert "2 thành viên chưa có kết quả phiếu bình xét." in page
    with pytest.raises(ValidationError):
        ranking_services.bloc_year_finalize(bloc_year=bloc_year, by=secretariat)


def test_a_vote_year_does_not_open_scoring_and_a_scored_year_does_not_take_votes(
    world: World, secretariat: User
) -> None:
    bloc_year = vote_year(world)
    criteria_set = CriteriaSet.objects.create(
        council=world.council, year=bloc_year.year, name="Bảng tiêu chí 2020"
    )
    with pytest.raises(ValidationError, match="bình xét bằng phiếu"):
        scoring_open(bloc_year=bloc_year, criteria_set=criteria_set, by=None)
    progress = client_for(secretariat).get(url("progress", bloc_year)).content.decode()
    assert "không có hạn tự chấm" in progress
    ranking_services.ranking_rules_save(
        bloc_year=bloc_year,
        tie_breaks=[],
        bands=[{"name": "X", "min_total_percent": "0", "floor_percent": "0"}],
        mode="points",
        by=None,
    )
    with pytest.raises(ValidationError, match="chấm điểm"):
        votes_record(bloc_year=bloc_year, votes={world.head.pk: VoteInput(1, 2)}, by=None)


def rules_form(mode: str, vote_bands: list[tuple[str, str]]) -> dict[str, str]:
    """The rules page as a browser posts it: one band, no tie-break, the mode and vote bands."""
    data = {"band_rows": "1", "band_0_name": "Đạt", "band_0_min": "0", "band_0_floor": "0"}
    data["mode"] = mode
    for index, (name, above) in enumerate(vote_bands):
        data[f"vote_{index}_name"] = name
        data[f"vote_{index}_above"] = above
    return data


def test_the_council_default_and_the_bloc_year_override_of_the_mode(
    world: World, council_admin: User, secretariat: User
) -> None:
    council_url = reverse("scoring:council-ranking-rules", args=[world.council.code])
    admin = client_for(council_admin)
    refused = admin.post(council_url, rules_form("votes", [(XS, "70"), (TOT, "80"), ("Khác", "")]))
    assert "Các mức xếp loại phải xếp từ cao xuống thấp." in refused.content.decode()
    saved = admin.post(council_url, rules_form("votes", [(XS, "66,5"), (TOT, "")]))
    assert saved.status_code == 302
    page = admin.get(council_url).content.decode()
    assert "“Hoàn thành xuất sắc nhiệm vụ”: được trên 66,5% số phiếu." in page
    # The bloc-year has no rules of its own: it ranks by vote, by the council's table.
    bloc_year = world.bloc_year
    votes_record(
        bloc_year=bloc_year,
        votes={world.head.pk: VoteInput(2, 3), world.deputy.pk: VoteInput(7, 10)},
        by=secretariat,
    )
    ranking_page = client_for(secretariat).get(url("ranking", bloc_year)).content.decode()
    assert "được trên 66,5% số phiếu" in ranking_page and "7/10" in ranking_page
    # 2/3 = 66,67 % > 66,5: the top band; the member without votes is listed last, unranked.
    assert "chưa xếp hạng: chưa ghi kết quả phiếu" in ranking_page
    # The bloc-year goes back to points on its own rules page.
    own = client_for(secretariat).post(url("ranking-rules", bloc_year), rules_form("points", []))
    assert own.status_code == 302
    assert client_for(secretariat).get(url("votes", bloc_year)).status_code == 404


def test_a_complaint_about_the_votes_is_lodged_answered_and_corrected(
    world: World, secretariat: User, focal_point: User, council_admin: User
) -> None:
    bloc_year = vote_year(world)
    votes_record(
        bloc_year=bloc_year,
        votes={
            world.head.pk: VoteInput(14, 15),
            world.deputy.pk: VoteInput(8, 15),
            world.member.pk: VoteInput(7, 15),
        },
        by=secretariat,
    )
    ranking_services.bloc_year_finalize(bloc_year=bloc_year, by=secretariat)
    ranking_services.publish_provisional(bloc_year=bloc_year, by=secretariat, days=5)
    member = client_for(focal_point)
    page = member.get(url("complaints", bloc_year)).content.decode()
    assert "Năm này khối xếp hạng không chấm điểm" in page
    sent = member.post(
        url("complaints", bloc_year),
        {"about_unit": str(world.member.pk), "text": "Biên bản kiểm phiếu ghi 9 phiếu đồng ý."},
    )
    assert sent.status_code == 302
    complaint = Complaint.objects.get(bloc_year=bloc_year)
    assert list(complaint.criteria.all()) == []
    detail = client_for(secretariat).get(
        reverse("scoring:complaint", args=[bloc_year.bloc_id, bloc_year.year, complaint.pk])
    )
    assert detail.status_code == 200
    ranking_services.complaint_answer(
        complaint=complaint, accepted=True, answer="Đúng, sót 2 phiếu.", by=secretariat
    )
    snapshot = votes_correct(
        bloc_year=bloc_year,
        votes={world.member.pk: VoteInput(9, 15)},
        reason="Chấp nhận khiếu nại của Báo Quảng Nam",
        by=council_admin,
        kind=RankingSnapshot.Kind.COMPLAINT,
    )
    assert [(row.name, row.rank) for row in snapshot.rows][1] == ("Báo Quảng Nam", 2)
