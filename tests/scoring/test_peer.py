"""Peer scoring (chấm chéo): every member scores every other member, never itself; the means
become the verified points; the progress page shows who has scored whom."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from blocs import services as bloc_services
from blocs.models import AuditEntry, BlocYear, Unit, User
from scoring import totals
from scoring.models import Criterion, PeerAssessment, ScoreLine, ScoreSheet, ScoringSeason
from scoring.services import sheets as sheet_services
from scoring.services import transitions
from scoring.services.peer.applying import PeerApplyPlan, peer_apply
from scoring.services.peer.assessments import (
    PeerConflict,
    peer_assessment_save,
    peer_assessment_submit,
)
from scoring.services.peer.results import peer_results
from scoring.services.peer.season import PeerError
from scoring.services.sheets import SELF, EntryErrors, LineEntry
from tests.conftest import ScoringWorld, build_criteria_set, client_for
from tests.factories import BlocFactory, CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db
D = Decimal


@dataclass
class PeerBloc:
    bloc_year: BlocYear
    units: list[Unit]
    users: dict[int, User]  # unit id → its focal point
    ids: dict[str, int]  # criterion code → id

    def url(self, unit: Unit) -> str:
        return reverse("scoring:peer-sheet", args=[self.bloc_year.bloc_id, 2020, unit.pk])

    @property
    def progress_url(self) -> str:
        return reverse("scoring:peer-progress", args=[self.bloc_year.bloc_id, 2020])

    @property
    def secretary(self) -> User:
        return self.users[self.units[0].pk]  # the head's focal point


def peer_bloc(size: int, *, drop_extremes: bool = False) -> PeerBloc:
    """A bloc of ``size`` members (the first is head, the second deputy) scoring by peers."""
    council = CouncilFactory.create()
    units = [UnitFactory.create(council=council, name=f"Sở {index:02d}") for index in range(size)]
    bloc_year = bloc_services.bloc_year_create(
        bloc=BlocFactory.create(council=council),
        year=2020,
        members=units,
        head=units[0],
        deputy=units[1],
    )
    criteria_set = build_criteria_set(council, 2020, bloc_year)
    sheet_services.scoring_open(
        bloc_year=bloc_year,
        criteria_set=criteria_set,
        by=None,
        mode=ScoringSeason.Mode.PEER,
        peer_drop_extremes=drop_extremes,
    )
    users = {
        unit.pk: bloc_services.user_create(
            username=f"daumoi{index}", password="x", unit=unit, full_name=f"Cán bộ {index}"
        )
        for index, unit in enumerate(units)
    }
    bloc_year = BlocYear.objects.select_related("scoring__criteria_set", "bloc").get(
        pk=bloc_year.pk
    )
    return PeerBloc(bloc_year, units, users, dict(criteria_set.criteria.values_list("code", "id")))


def points(p: PeerBloc, i1: str = "5", i2: str = "3.5") -> dict[int, Decimal | None]:
    """A full assessment: I.1 (direct, max 6), I.2 (target, max 4), II.1 and III.1."""
    return {
        p.ids["I.1"]: D(i1),
        p.ids["I.2"]: D(i2),
        p.ids["II.1"]: D("1.5"),
        p.ids["III.1"]: D(0),
    }


def score(
    p: PeerBloc, scorer: Unit, scored: Unit, *, submit: bool = True, **values: str
) -> PeerAssessment:
    current = PeerAssessment.objects.filter(scorer=scorer, scored=scored).first()
    assessment = peer_assessment_save(
        bloc_year=p.bloc_year,
        scorer=scorer,
        scored=scored,
        points=points(p, **values),
        version=current.version if current else 1,
        by=p.users.get(scorer.pk),
    )
    if submit:
        assessment = peer_assessment_submit(assessment=assessment, by=None)
    return assessment


def submit_sheet(p: PeerBloc, unit: Unit) -> ScoreSheet:
    sheet = ScoreSheet.objects.get(bloc_year=p.bloc_year, unit=unit)
    sheet_services.sheet_save(
        sheet=sheet,
        layer=SELF,
        entries={
            p.ids["I.1"]: LineEntry(D(6)),
            p.ids["I.2"]: LineEntry(D(10), D(10)),
            p.ids["II.1"]: LineEntry(D(1)),
            p.ids["III.1"]: LineEntry(D(0)),
        },
        version=sheet.version,
        by=None,
    )
    return transitions.sheet_submit(sheet=sheet, by=None)


# ---------------------------------------------------------------------------- the mean


def test_the_mean_of_three_scorers_is_the_verified_points() -> None:
    p = peer_bloc(4)
    scored, *scorers = p.units
    for scorer, value in zip(scorers, ["6", "5", "4"], strict=True):
        score(p, scorer, scored, i1=value)
    results = peer_results(p.bloc_year)
    assert results[scored.pk][p.ids["I.1"]] == D("5.00")
    assert results[scored.pk][p.ids["II.1"]] == D("1.50")
    assert results[scorers[0].pk][p.ids["I.1"]] is None  # nobody has scored it yet


def test_dropping_extremes_removes_one_highest_and_one_lowest() -> None:
    p = peer_bloc(5, drop_extremes=True)
    scored, *scorers = p.units
    for scorer, value in zip(scorers, ["6", "5", "5", "2"], strict=True):
        score(p, scorer, scored, i1=value)
    assert peer_results(p.bloc_year)[scored.pk][p.ids["I.1"]] == D("5.00")


def test_drafts_do_not_count_in_the_mean() -> None:
    p = peer_bloc(4)
    scored, first, second, third = p.units
    score(p, first, scored, i1="6")
    score(p, second, scored, i1="4")
    score(p, third, scored, i1="1", submit=False)
    assert peer_results(p.bloc_year)[scored.pk][p.ids["I.1"]] == D("5.00")


# ---------------------------------------------------------------------------- who scores whom


def test_a_unit_never_scores_itself() -> None:
    p = peer_bloc(3)
    unit = p.units[1]
    with pytest.raises(PeerError):
        score(p, unit, unit)
    assert not PeerAssessment.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        PeerAssessment.objects.create(bloc_year=p.bloc_year, scorer=unit, scored=unit)


def test_a_unit_outside_the_bloc_neither_scores_nor_is_scored() -> None:
    p = peer_bloc(3)
    stranger = UnitFactory.create(council=p.bloc_year.bloc.council)
    with pytest.raises(PeerError):
        score(p, stranger, p.units[1])
    with pytest.raises(PeerError):
        score(p, p.units[1], stranger)
    assert not PeerAssessment.objects.exists()


def test_a_bloc_that_verifies_does_not_take_peer_scores(scoring_world: ScoringWorld) -> None:
    w = scoring_world
    with pytest.raises(PeerError):
        peer_assessment_save(
            bloc_year=w.bloc_year, scorer=w.member, scored=w.head, points={}, version=1, by=None
        )


def test_points_are_checked_against_the_maximum_and_the_step_and_nothing_is_written() -> None:
    p = peer_bloc(3)
    scorer, scored = p.units[1], p.units[2]
    with pytest.raises(EntryErrors) as caught:
        peer_assessment_save(
            bloc_year=p.bloc_year,
            scorer=scorer,
            scored=scored,
            points={p.ids["I.1"]: D(7), p.ids["I.2"]: D("3.1"), p.ids["II.1"]: D(1)},
            version=1,
            by=None,
        )
    assert set(caught.value.by_criterion) == {p.ids["I.1"], p.ids["I.2"]}
    assert not PeerAssessment.objects.exists()


def test_sending_requires_every_line_except_the_councils() -> None:
    p = peer_bloc(3)
    scorer, scored = p.units[1], p.units[2]
    partial = {p.ids["I.1"]: D(5), p.ids["I.2"]: None}
    assessment = peer_assessment_save(
        bloc_year=p.bloc_year, scorer=scorer, scored=scored, points=partial, version=1, by=None
    )
    with pytest.raises(PeerError, match=r"I\.2, II\.1, III\.1"):
        peer_assessment_submit(assessment=assessment, by=None)
    assert PeerAssessment.objects.get().state == PeerAssessment.State.DRAFT
    # A line the council office scores is not the peers' to fill.
    Criterion.objects.filter(pk=p.ids["III.1"]).update(scored_by=Criterion.ScoredBy.COUNCIL)
    # …and the sheets' kept parts follow, as criterion_save refreshes them (scoring/totals.py).
    totals.refresh(ScoreSheet.objects.filter(bloc_year=p.bloc_year).values_list("pk", flat=True))
    assessment = peer_assessment_save(
        bloc_year=p.bloc_year,
        scorer=scorer,
        scored=scored,
        points={p.ids["I.2"]: D(4), p.ids["II.1"]: D(3)},
        version=assessment.version,
        by=None,
    )
    peer_assessment_submit(assessment=assessment, by=None)
    assert PeerAssessment.objects.get().state == PeerAssessment.State.SUBMITTED


def test_a_sent_assessment_can_be_neither_changed_nor_sent_again() -> None:
    p = peer_bloc(3)
    assessment = score(p, p.units[1], p.units[2])
    with pytest.raises(PeerError):
        score(p, p.units[1], p.units[2], submit=False, i1="1")
    with pytest.raises(PeerError):
        peer_assessment_submit(assessment=assessment, by=None)
    assert PeerAssessment.objects.get().points[str(p.ids["I.1"])] == "5.00"


def test_a_stale_version_is_told_and_not_overwritten() -> None:
    p = peer_bloc(3)
    scorer, scored = p.units[1], p.units[2]
    first = peer_assessment_save(
        bloc_year=p.bloc_year,
        scorer=scorer,
        scored=scored,
        points={p.ids["I.1"]: D(5)},
        version=1,
        by=None,
    )
    assert first.version == 2
    # A colleague opened the empty page before the first save and saves now.
    with pytest.raises(PeerConflict) as caught:
        peer_assessment_save(
            bloc_year=p.bloc_year,
            scorer=scorer,
            scored=scored,
            points={p.ids["I.1"]: D(1)},
            version=1,
            by=None,
        )
    assert caught.value.assessment.version == 2
    assert PeerAssessment.objects.get().points == {str(p.ids["I.1"]): "5.00"}


def test_saving_records_the_change_in_the_peer_history() -> None:
    p = peer_bloc(3)
    score(p, p.units[1], p.units[2])
    entries = AuditEntry.objects.filter(context=f"peer:{p.bloc_year.pk}")
    assert set(entries.values_list("action", flat=True)) == {"peer.save", "peer.submit"}
    saved = entries.get(action="peer.save")
    assert saved.changes["I.1"] == [None, "5.00"]
    assert saved.actor == p.users[p.units[1].pk]


# ---------------------------------------------------------------------------- applying


def test_apply_writes_the_means_with_the_reason_and_skips_incomplete_units() -> None:
    p = peer_bloc(4)
    a, b, c, d = p.units
    for unit in (a, b, c):
        submit_sheet(p, unit)
    # A and C receive every assessment; B waits for D's; D's own sheet is still a draft.
    for scorer, i1, i2 in [(b, "6", "4"), (c, "5", "3"), (d, "4", "3.5")]:
        score(p, scorer, a, i1=i1, i2=i2)
    for scorer, i1 in [(a, "6"), (b, "5"), (d, "5")]:
        score(p, scorer, c, i1=i1)
    for scorer in (a, c):
        score(p, scorer, b)
    for scorer in (a, b, c):
        score(p, scorer, d)

    plan = peer_apply(bloc_year=p.bloc_year, by=p.secretary)

    assert [item.unit for item in plan.ready] == [a, c]
    skipped = {item.unit: item.reason for item in plan.skipped}
    assert set(skipped) == {b, d}
    assert "Sở 03" in skipped[b]  # whose assessment is missing
    assert "Nháp" in skipped[d]
    lines = {
        (line.sheet.unit_id, line.criterion.code): line
        for line in ScoreLine.objects.select_related("sheet", "criterion")
    }
    reason = "Trung bình điểm chấm chéo của 3 đơn vị"
    direct = lines[a.pk, "I.1"]
    assert (direct.verified_value, direct.verified_points, direct.verified_reason) == (
        D(5),
        D(5),
        reason,
    )
    target = lines[a.pk, "I.2"]  # a target line: the mean is the points, not a result
    assert (target.verified_value, target.verified_target, target.verified_points) == (
        D("3.5"),
        None,
        D("3.5"),
    )
    assert target.verified_reason == reason
    off_step = lines[c.pk, "I.1"]  # (6 + 5 + 5) / 3 is not a multiple of the step
    assert off_step.verified_points == D("5.33")
    assert lines[c.pk, "II.1"].verified_points == D("1.5")
    assert lines[b.pk, "I.1"].verified_points is None
    assert lines[d.pk, "I.1"].verified_points is None

    sheet_a = ScoreSheet.objects.get(bloc_year=p.bloc_year, unit=a)
    history = AuditEntry.objects.filter(context=sheet_a.audit_context, action="line.verified")
    assert set(history.values_list("subject", flat=True)) == {"I.1", "I.2", "II.1", "III.1"}
    assert set(history.values_list("reason", flat=True)) == {reason}
    assert AuditEntry.objects.filter(
        context=f"peer:{p.bloc_year.pk}", action="peer.apply", actor=p.secretary
    ).exists()


def test_applying_twice_changes_nothing_the_second_time() -> None:
    p = peer_bloc(3)
    a, b, c = p.units
    submit_sheet(p, a)
    score(p, b, a, i1="6")
    score(p, c, a, i1="5")
    peer_apply(bloc_year=p.bloc_year, by=None)
    before = AuditEntry.objects.count()
    plan = peer_apply(bloc_year=p.bloc_year, by=None)
    assert plan.ready[0].changed == 0
    assert AuditEntry.objects.count() == before + 1  # only the bloc-level entry


def test_dropped_extremes_are_said_in_the_reason() -> None:
    p = peer_bloc(5, drop_extremes=True)
    scored, *scorers = p.units
    submit_sheet(p, scored)
    for scorer, value in zip(scorers, ["6", "5", "5", "2"], strict=True):
        score(p, scorer, scored, i1=value)
    peer_apply(bloc_year=p.bloc_year, by=None)
    line = ScoreLine.objects.get(sheet__unit=scored, criterion_id=p.ids["I.1"])
    assert line.verified_points == D(5)
    assert line.verified_reason.startswith("Trung bình điểm chấm chéo của 2 đơn vị")
    assert "4 phiếu" in line.verified_reason


# ---------------------------------------------------------------------------- pages


def test_the_progress_matrix_shows_who_has_scored_whom() -> None:
    p = peer_bloc(3)
    a, b, c = p.units
    score(p, b, a)
    score(p, c, a, submit=False)
    response = client_for(p.secretary).get(p.progress_url)
    assert response.status_code == 200
    matrix = response.context["matrix"]
    states = [[cell.state for cell in row.cells] for row in matrix.rows]
    assert [row.member.unit for row in matrix.rows] == [a, b, c]
    assert states == [
        [None, None, None],
        ["submitted", None, None],
        ["draft", None, None],
    ]
    assert matrix.received == [1, 0, 0]
    html = response.content.decode()
    assert "Đã gửi" in html and "Nháp" in html and "chưa chấm" in html and "—" in html
    assert "Áp dụng kết quả chấm chéo" in html
    # The head's focal point is the secretariat and, as a member, scores the others too.
    assert "Đơn vị bạn cần chấm" in html


def test_a_member_sees_whom_it_must_score_with_links() -> None:
    p = peer_bloc(3)
    a, b, c = p.units
    score(p, c, a, submit=False)
    response = client_for(p.users[c.pk]).get(p.progress_url)
    html = response.content.decode()
    assert "Đơn vị bạn cần chấm" in html
    assert p.url(a) in html and p.url(b) in html and p.url(c) not in html
    assert "Áp dụng kết quả chấm chéo" not in html


def test_the_secretariat_checks_then_applies() -> None:
    p = peer_bloc(3)
    a, b, c = p.units
    submit_sheet(p, a)
    score(p, b, a)
    score(p, c, a)
    client = client_for(p.secretary)
    check = client.get(p.progress_url + "?confirm=1").content.decode()
    assert "Kiểm tra trước khi áp dụng" in check
    assert [item.unit for item in response_plan(client, p).ready] == [a]
    assert "Sở 00" in check and "chỉ áp dụng cho bảng điểm đã gửi" in check
    apply_url = reverse("scoring:peer-apply", args=[p.bloc_year.bloc_id, 2020])
    response = client.post(apply_url, follow=True)
    assert response.redirect_chain[-1][0] == p.progress_url
    assert "Đã áp dụng kết quả chấm chéo cho 1 đơn vị" in response.content.decode()
    line = ScoreLine.objects.get(sheet__unit=a, criterion_id=p.ids["I.1"])
    assert line.verified_points == D(5)


def response_plan(client, p: PeerBloc) -> PeerApplyPlan:
    return client.get(p.progress_url + "?confirm=1").context["plan"]


def test_a_member_cannot_apply_the_results() -> None:
    p = peer_bloc(3)
    apply_url = reverse("scoring:peer-apply", args=[p.bloc_year.bloc_id, 2020])
    assert client_for(p.users[p.units[2].pk]).post(apply_url).status_code == 403


def test_the_grid_saves_comma_decimals_and_shows_the_units_own_points() -> None:
    p = peer_bloc(3)
    a, b, _c = p.units
    submit_sheet(p, a)
    ScoreLine.objects.filter(sheet__unit=a, criterion_id=p.ids["I.1"]).update(note="Đủ hồ sơ")
    client = client_for(p.users[b.pk])
    page = client.get(p.url(a)).content.decode()
    assert "Đủ hồ sơ" in page and "6,00" in page  # the unit's own note and self points
    assert f'name="v-{p.ids["I.1"]}"' in page and 'name="version" value="1"' in page
    response = client.post(
        p.url(a),
        {"version": "1", "action": "save", f"v-{p.ids['I.1']}": "5,5", f"v-{p.ids['I.2']}": "3.25"},
    )
    assert response.status_code == 302
    assessment = PeerAssessment.objects.get(scorer=b, scored=a)
    assert assessment.points == {str(p.ids["I.1"]): "5.50", str(p.ids["I.2"]): "3.25"}


def test_the_grid_keeps_typed_values_and_shows_errors_at_the_cells() -> None:
    p = peer_bloc(3)
    a, b, _c = p.units
    response = client_for(p.users[b.pk]).post(
        p.url(a),
        {"version": "1", f"v-{p.ids['I.1']}": "9", f"v-{p.ids['I.2']}": "abc"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html and f'href="#v-{p.ids["I.1"]}"' in html
    assert 'value="9"' in html and 'value="abc"' in html
    assert "không được vượt điểm tối đa" in html
    assert not PeerAssessment.objects.exists()


def test_the_grid_tells_of_a_conflict_and_keeps_what_was_typed() -> None:
    p = peer_bloc(3)
    a, b, _c = p.units
    score(p, b, a, submit=False)  # a colleague saved: version 2
    response = client_for(p.users[b.pk]).post(
        p.url(a), {"version": "1", "action": "save", f"v-{p.ids['I.1']}": "1"}
    )
    html = response.content.decode()
    assert "Phiếu chấm chéo vừa được người khác lưu" in html
    assert 'value="1"' in html and 'name="version" value="2"' in html
    assert PeerAssessment.objects.get().points[str(p.ids["I.1"])] == "5.00"


def test_the_grid_is_checked_then_sent() -> None:
    p = peer_bloc(3)
    a, b, _c = p.units
    client = client_for(p.users[b.pk])
    data = {"version": "1", "action": "review"} | {
        f"v-{criterion_id}": str(value) for criterion_id, value in points(p).items()
    }
    response = client.post(p.url(a), data)
    assert response.status_code == 302 and response["Location"].endswith("?confirm=1")
    check = client.get(response["Location"]).content.decode()
    assert "Kiểm tra trước khi gửi phiếu chấm chéo" in check and "Gửi phiếu chấm chéo" in check
    response = client.post(p.url(a), {"action": "submit"})
    assert response.status_code == 302
    assert PeerAssessment.objects.get().state == PeerAssessment.State.SUBMITTED
    page = client.get(p.url(a)).content.decode()
    assert f'name="v-{p.ids["I.1"]}"' not in page and "Đã gửi" in page


def test_the_check_page_lists_missing_lines_instead_of_sending() -> None:
    p = peer_bloc(3)
    a, b, _c = p.units
    client = client_for(p.users[b.pk])
    client.post(p.url(a), {"version": "1", "action": "review", f"v-{p.ids['I.1']}": "5"})
    check = client.get(p.url(a) + "?confirm=1").content.decode()
    assert "Còn 3 tiêu chí chưa chấm" in check
    assert 'value="submit"' not in check
    client.post(p.url(a), {"action": "submit"})
    assert PeerAssessment.objects.get().state == PeerAssessment.State.DRAFT


def test_only_focal_points_of_other_members_open_the_grid() -> None:
    p = peer_bloc(3)
    a, b, _c = p.units
    assert client_for(p.users[a.pk]).get(p.url(a)).status_code == 403  # its own unit
    stranger = UnitFactory.create(council=p.bloc_year.bloc.council)
    stranger_user = bloc_services.user_create(username="ngoai", password="x", unit=stranger)
    assert client_for(stranger_user).get(p.url(a)).status_code == 403
    leader = bloc_services.user_create(username="ld", password="x", unit=b, role=User.Role.LEADER)
    assert client_for(leader).get(p.url(a)).status_code == 403
    assert client_for(p.users[b.pk]).get(p.url(stranger)).status_code == 404
    missing = reverse("scoring:peer-sheet", args=[p.bloc_year.bloc_id, 2020, 999999])
    assert client_for(p.users[b.pk]).get(missing).status_code == 404


def test_peer_pages_do_not_exist_for_a_bloc_that_verifies(scoring_world: ScoringWorld) -> None:
    w = scoring_world
    admin = User.objects.get(username="thuky")
    assert (
        client_for(admin).get(reverse("scoring:peer-progress", args=[w.bloc.pk, 2020])).status_code
        == 404
    )
    assert (
        client_for(admin).post(reverse("scoring:peer-apply", args=[w.bloc.pk, 2020])).status_code
        == 404
    )


# ---------------------------------------------------------------------------- query budgets


def busy_peer_bloc(size: int) -> PeerBloc:
    """A bloc where every member has sent one assessment and started another."""
    p = peer_bloc(size)
    for index, scorer in enumerate(p.units):
        score(p, scorer, p.units[(index + 1) % size])
        score(p, scorer, p.units[(index + 2) % size], submit=False)
    return p


# Page → (URL, who looks, queries). Session and user (2) are counted.
PAGES = {
    "progress-secretariat": (lambda p: p.progress_url, lambda p: p.secretary, 9),
    "progress-member": (lambda p: p.progress_url, lambda p: p.users[p.units[3].pk], 9),
    "apply-check": (lambda p: p.progress_url + "?confirm=1", lambda p: p.secretary, 12),
    "grid": (lambda p: p.url(p.units[0]), lambda p: p.users[p.units[3].pk], 9),
}


@pytest.mark.parametrize("size", [4, 12])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_peer_pages_cost_the_same_whatever_the_size_of_the_bloc(
    page: str, size: int, django_assert_num_queries
) -> None:
    p = busy_peer_bloc(size)
    build, who, budget = PAGES[page]
    client = client_for(who(p))
    url = build(p)
    with django_assert_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
