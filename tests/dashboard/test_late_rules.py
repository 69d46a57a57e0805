"""What the deadlines change: after the self-assessment deadline the unit is refused with the
date, the secretariat still enters and sends on its behalf and the sheet is marked late; after
the proposals deadline the bloc's list is accepted and marked late."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import Proposal, ProposalEvent
from awards.services import proposals as proposal_services
from awards.services import review as review_services
from blocs import services as bloc_services
from blocs.models import AuditEntry, BlocYear, User
from scoring.models import ScoreSheet
from scoring.services import sheets as services
from scoring.services import transitions
from scoring.services.sheets import SELF, LineEntry
from tests.awards.test_proposals import Published, published_year
from tests.conftest import ScoringWorld, World, client_for
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
D = Decimal


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def set_due(bloc_year: BlocYear, **fields: datetime.date | None) -> None:
    BlocYear.objects.filter(pk=bloc_year.pk).update(**fields)


def codes(w: ScoringWorld) -> dict[str, int]:
    return dict(w.criteria_set.criteria.values_list("code", "id"))


def full_entries(w: ScoringWorld) -> dict[int, LineEntry]:
    ids = codes(w)
    return {
        ids["I.1"]: LineEntry(D(5)),
        ids["I.2"]: LineEntry(D(8), D(10)),
        ids["II.1"]: LineEntry(D(1)),
        ids["III.1"]: LineEntry(D(0)),
    }


def fresh(sheet: ScoreSheet) -> ScoreSheet:
    return ScoreSheet.objects.select_related(
        "bloc_year__bloc__council", "bloc_year__scoring__criteria_set", "unit"
    ).get(pk=sheet.pk)


def fill(w: ScoringWorld, sheet: ScoreSheet, by: User | None) -> None:
    current = fresh(sheet)
    services.sheet_save(
        sheet=current, layer=SELF, entries=full_entries(w), version=current.version, by=by
    )


def grid_post(w: ScoringWorld, sheet: ScoreSheet, values: dict[str, str]) -> dict[str, str]:
    data = {"version": str(ScoreSheet.objects.get(pk=sheet.pk).version)}
    for code, value in values.items():
        data[f"v-{codes(w)[code]}"] = value
    return data


# ---------------------------------------------------------------------------- the unit


def test_the_unit_is_refused_saving_after_the_deadline_with_the_date(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    due = days_from_today(-1)
    set_due(w.bloc_year, self_assessment_due=due)
    ids = codes(w)
    sheet = fresh(w.draft_sheet)
    with pytest.raises(services.EntryErrors) as caught:
        services.sheet_save(
            sheet=sheet,
            layer=SELF,
            entries={ids["I.1"]: LineEntry(D(5)), ids["I.2"]: LineEntry(None, None)},
            version=sheet.version,
            by=focal_point,
        )
    # The message names the date, at the cell the person changed (not at the untouched one).
    assert list(caught.value.by_criterion) == [ids["I.1"]]
    assert due.strftime("%d/%m/%Y") in caught.value.general[0]
    assert not w.draft_sheet.lines.filter(self_value__isnull=False).exists()


def test_the_grid_shows_the_refusal_at_the_cell_and_keeps_the_typing(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    due = days_from_today(-3)
    set_due(w.bloc_year, self_assessment_due=due)
    response = client_for(focal_point).post(
        w.draft_sheet.get_absolute_url(), grid_post(w, w.draft_sheet, {"I.1": "4,5"})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Đã hết hạn tự chấm điểm (hết ngày {due:%d/%m/%Y})" in html
    assert 'value="4,5"' in html
    assert not w.draft_sheet.lines.filter(self_value__isnull=False).exists()


def test_the_unit_is_refused_sending_after_the_deadline(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    fill(w, w.draft_sheet, focal_point)
    due = days_from_today(-2)
    set_due(w.bloc_year, self_assessment_due=due)
    response = client_for(focal_point).post(
        reverse("scoring:sheet-submit", args=[w.draft_sheet.pk]), follow=True
    )
    assert f"Đã hết hạn tự chấm điểm (hết ngày {due:%d/%m/%Y})" in response.content.decode()
    assert ScoreSheet.objects.get(pk=w.draft_sheet.pk).state == ScoreSheet.State.DRAFT


def test_the_sheet_page_says_the_deadline_has_passed(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    due = days_from_today(-1)
    set_due(w.bloc_year, self_assessment_due=due)
    html = client_for(focal_point).get(w.draft_sheet.get_absolute_url()).content.decode()
    assert f"Đã hết hạn tự chấm điểm (hết ngày {due:%d/%m/%Y})" in html


def test_on_the_due_day_itself_the_unit_still_sends_on_time(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    set_due(w.bloc_year, self_assessment_due=days_from_today(0))
    fill(w, w.draft_sheet, focal_point)
    sheet = transitions.sheet_submit(sheet=fresh(w.draft_sheet), by=focal_point)
    assert sheet.state == ScoreSheet.State.SUBMITTED
    assert not sheet.submitted_late


def test_the_head_units_own_sheet_is_not_exempt(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    """The secretariat enters on behalf of other units; its own unit keeps the deadline (the
    deputy can still enter the head's sheet)."""
    w = scoring_world
    head_sheet = ScoreSheet.objects.get(bloc_year=w.bloc_year, unit=w.head)
    fill(w, head_sheet, None)
    set_due(w.bloc_year, self_assessment_due=days_from_today(-1))
    with pytest.raises(services.StateError):
        transitions.sheet_submit(sheet=fresh(head_sheet), by=secretariat)
    deputy_staff = bloc_services.user_create(username="khoipho", password="x", unit=w.deputy)
    sheet = transitions.sheet_submit(sheet=fresh(head_sheet), by=deputy_staff)
    assert sheet.submitted_late


# ---------------------------------------------------------------------------- the secretariat


def test_the_secretariat_enters_and_sends_after_the_deadline_and_the_sheet_is_marked_late(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w = scoring_world
    set_due(w.bloc_year, self_assessment_due=days_from_today(-5))
    client = client_for(secretariat)
    values = {"I.1": "5", "I.2": "8", "II.1": "1", "III.1": "0"}
    data = grid_post(w, w.draft_sheet, values)
    data[f"t-{codes(w)['I.2']}"] = "10"
    assert client.post(w.draft_sheet.get_absolute_url(), data).status_code == 302
    response = client.post(reverse("scoring:sheet-submit", args=[w.draft_sheet.pk]))
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(pk=w.draft_sheet.pk)
    assert (sheet.state, sheet.submitted_late, sheet.entered_on_behalf) == (
        ScoreSheet.State.SUBMITTED,
        True,
        True,
    )
    entry = AuditEntry.objects.get(context=sheet.audit_context, action="sheet.submit")
    assert "nộp muộn" in entry.summary
    # The mark is shown where sheets are listed and on the sheet itself.
    progress = client.get(reverse("scoring:progress", args=[w.bloc.pk, 2020])).content.decode()
    assert "badge-late" in progress and "Nộp muộn" in progress
    assert "badge-late" in client.get(sheet.get_absolute_url()).content.decode()


def test_a_council_admin_may_also_send_late(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    fill(w, w.draft_sheet, None)
    set_due(w.bloc_year, self_assessment_due=days_from_today(-1))
    assert transitions.sheet_submit(sheet=fresh(w.draft_sheet), by=council_admin).submitted_late


def test_without_a_deadline_nothing_is_ever_late(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    fill(w, w.draft_sheet, focal_point)
    assert not transitions.sheet_submit(sheet=fresh(w.draft_sheet), by=focal_point).submitted_late


# ---------------------------------------------------------------------------- proposals


@pytest.fixture
def published(world: World) -> Published:
    extra = [UnitFactory.create(council=world.council) for _index in range(4)]
    return published_year(world.bloc, [world.head, world.deputy, world.member, *extra])


def test_proposals_sent_after_their_deadline_are_accepted_and_marked_late(
    published: Published, secretariat: User
) -> None:
    due = days_from_today(-1)
    set_due(published.bloc_year, proposals_due=due)
    published.bloc_year.refresh_from_db()
    proposal = published.propose("GOV_FLAG", published.units[0])
    proposal_services.proposals_submit(bloc_year=published.bloc_year, by=secretariat)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.submitted_late) == (Proposal.Status.SUBMITTED, True)
    event = proposal.events.get(action=ProposalEvent.Action.SUBMIT)
    assert event.note == f"Trình sau hạn (hết ngày {due:%d/%m/%Y})"


def test_proposals_sent_by_the_deadline_are_not_marked(
    published: Published, secretariat: User
) -> None:
    set_due(published.bloc_year, proposals_due=days_from_today(0))
    published.bloc_year.refresh_from_db()
    proposal = published.propose("GOV_FLAG", published.units[0])
    proposal_services.proposals_submit(bloc_year=published.bloc_year, by=secretariat)
    proposal.refresh_from_db()
    assert not proposal.submitted_late
    assert proposal.events.get(action=ProposalEvent.Action.SUBMIT).note == ""


def test_a_returned_proposal_sent_again_keeps_the_mark_of_its_first_submission(
    published: Published, secretariat: User, leader: User
) -> None:
    proposal = published.propose("GOV_FLAG", published.units[0])
    proposal_services.proposals_submit(bloc_year=published.bloc_year, by=secretariat)
    review_services.proposal_return(
        proposal=Proposal.objects.get(pk=proposal.pk), by=leader, note="Bổ sung thành tích."
    )
    set_due(published.bloc_year, proposals_due=days_from_today(-3))
    published.bloc_year.refresh_from_db()
    proposal_services.proposals_submit(bloc_year=published.bloc_year, by=secretariat)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert not proposal.submitted_late  # on time the first time: the return was the leaders'


def test_late_proposals_carry_the_badge_on_the_proposals_page_and_in_the_review_queue(
    published: Published, secretariat: User, leader: User
) -> None:
    set_due(published.bloc_year, proposals_due=days_from_today(-1))
    published.bloc_year.refresh_from_db()
    published.propose("GOV_FLAG", published.units[0])
    proposal_services.proposals_submit(bloc_year=published.bloc_year, by=secretariat)
    bloc_year = published.bloc_year
    page = client_for(secretariat).get(
        reverse("awards:proposals", args=[bloc_year.bloc_id, bloc_year.year])
    )
    assert "badge-late" in page.content.decode()
    queue = client_for(leader).get(reverse("awards:review-queue"))
    assert "badge-late" in queue.content.decode()
