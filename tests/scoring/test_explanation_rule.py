"""The explanation rule through ``transitions.sheet_mark_verified``: when a bloc's rules say a
deduction stands only after the unit was asked to explain it, a line verified below the unit's
own points blocks verification until an explanation round on it was decided."""

from __future__ import annotations

from decimal import Decimal

import pytest

from blocs.models import BlocYear, Council, User
from scoring import ranking
from scoring.models import ExplanationRequest, RankingRules, ScoreSheet
from scoring.selectors.ranking_rules import explanation_required
from scoring.services import ranking as ranking_services
from scoring.services import sheets as sheet_services
from scoring.services import transitions
from scoring.services.sheets import SELF, VERIFIED, LineEntry, StateError
from tests.conftest import ScoringWorld

pytestmark = pytest.mark.django_db
D = Decimal


def fresh(sheet: ScoreSheet) -> ScoreSheet:
    return ScoreSheet.objects.select_related("bloc_year__scoring__criteria_set", "unit").get(
        pk=sheet.pk
    )


@pytest.fixture
def lowered(scoring_world: ScoringWorld, focal_point: User, secretariat: User) -> ScoreSheet:
    """The member's sheet sent with I.1 at 5,5; the secretariat verified I.1 at 4 (with a
    reason) and took the unit's points on every other line."""
    sheet = fresh(scoring_world.draft_sheet)
    ids = dict(scoring_world.criteria_set.criteria.values_list("code", "id"))
    sheet_services.sheet_save(
        sheet=sheet,
        layer=SELF,
        entries={
            ids["I.1"]: LineEntry(D("5.5")),
            ids["I.2"]: LineEntry(D(9), D(10)),
            ids["II.1"]: LineEntry(D(1)),
            ids["III.1"]: LineEntry(D(0)),
        },
        version=sheet.version,
        by=focal_point,
    )
    transitions.sheet_submit(sheet=sheet, by=focal_point)
    sheet = fresh(sheet)
    sheet_services.sheet_save(
        sheet=sheet,
        layer=VERIFIED,
        entries={ids["I.1"]: LineEntry(D(4), None, "Thiếu biên bản nghiệm thu.")},
        version=sheet.version,
        by=secretariat,
    )
    sheet = fresh(sheet)
    sheet_services.sheet_accept_self(sheet=sheet, version=sheet.version, by=secretariat)
    return fresh(sheet)


def set_rule(
    *, council: Council | None = None, bloc_year: BlocYear | None = None, on: bool
) -> None:
    ranking_services.ranking_rules_save(
        reason="Điều chỉnh khi đang chấm điểm",
        tie_breaks=ranking.DEFAULT_TIE_BREAKS,
        bands=[
            {"name": band.name, "min_total_percent": "0", "floor_percent": "0"}
            for band in ranking.default_bands()[-1:]
        ],
        explanation_required=on,
        by=None,
        council=council,
        bloc_year=bloc_year,
    )


def explain(sheet: ScoreSheet, *, accepted: bool, secretariat: User, focal_point: User) -> None:
    """One explanation round on I.1: asked, answered, decided."""
    line = sheet.lines.get(criterion__code="I.1")
    transitions.sheet_return_for_explanation(
        sheet=sheet, questions={line.criterion_id: "Biên bản nghiệm thu ở đâu?"}, by=secretariat
    )
    request = ExplanationRequest.objects.get(line=line)
    transitions.sheet_answer_explanations(
        sheet=fresh(sheet), answers={request.pk: "Gửi kèm theo đây."}, by=focal_point
    )
    request.refresh_from_db()
    transitions.explanation_decide(
        request=request, accepted=accepted, note="Đã xem.", by=secretariat
    )


def test_off_by_default_a_lowered_line_is_verified_without_asking(
    scoring_world: ScoringWorld, lowered: ScoreSheet, secretariat: User
) -> None:
    assert not RankingRules.objects.exists()
    assert not explanation_required(scoring_world.bloc_year)
    transitions.sheet_mark_verified(sheet=lowered, by=secretariat)
    assert lowered.state == ScoreSheet.State.VERIFIED


def test_off_when_the_council_says_so(
    scoring_world: ScoringWorld, lowered: ScoreSheet, secretariat: User
) -> None:
    set_rule(council=scoring_world.council, on=False)
    transitions.sheet_mark_verified(sheet=lowered, by=secretariat)
    assert lowered.state == ScoreSheet.State.VERIFIED


def test_on_a_lowered_line_never_asked_about_blocks_verification_by_its_code(
    scoring_world: ScoringWorld, lowered: ScoreSheet, secretariat: User
) -> None:
    set_rule(council=scoring_world.council, on=True)
    with pytest.raises(StateError) as refused:
        transitions.sheet_mark_verified(sheet=lowered, by=secretariat)
    (message,) = refused.value.messages
    assert message.startswith("Tiêu chí I.1 bị hạ điểm nhưng đơn vị chưa được yêu cầu giải trình")
    assert "I.2" not in message  # taken as the unit gave it
    assert fresh(lowered).state == ScoreSheet.State.SUBMITTED


@pytest.mark.parametrize("accepted", [True, False], ids=["accepted", "rejected"])
def test_on_a_decided_explanation_round_lets_the_deduction_stand(
    scoring_world: ScoringWorld,
    lowered: ScoreSheet,
    secretariat: User,
    focal_point: User,
    accepted: bool,
) -> None:
    set_rule(council=scoring_world.council, on=True)
    explain(lowered, accepted=accepted, secretariat=secretariat, focal_point=focal_point)
    sheet = fresh(lowered)
    transitions.sheet_mark_verified(sheet=sheet, by=secretariat)
    assert sheet.state == ScoreSheet.State.VERIFIED


def test_the_bloc_years_own_rule_beats_the_councils_default(
    scoring_world: ScoringWorld, lowered: ScoreSheet, secretariat: User
) -> None:
    set_rule(council=scoring_world.council, on=True)
    set_rule(bloc_year=scoring_world.bloc_year, on=False)
    assert not explanation_required(scoring_world.bloc_year)
    transitions.sheet_mark_verified(sheet=lowered, by=secretariat)
    assert lowered.state == ScoreSheet.State.VERIFIED


def test_a_bloc_year_can_ask_for_it_when_the_council_does_not(
    scoring_world: ScoringWorld, lowered: ScoreSheet, secretariat: User
) -> None:
    set_rule(council=scoring_world.council, on=False)
    set_rule(bloc_year=scoring_world.bloc_year, on=True)
    with pytest.raises(StateError, match=r"I\.1"):
        transitions.sheet_mark_verified(sheet=lowered, by=secretariat)


def test_a_bloc_years_own_rules_start_with_the_councils_setting(
    scoring_world: ScoringWorld,
) -> None:
    """Saving the chain and bands of a bloc-year without saying anything about the rule copies
    the council's; dropping the bloc-year's rules goes back to it."""
    set_rule(council=scoring_world.council, on=True)
    ranking_services.ranking_rules_save(
        reason="Điều chỉnh khi đang chấm điểm",
        tie_breaks=[],
        bands=[{"name": "Đạt", "min_total_percent": "0", "floor_percent": "0"}],
        by=None,
        bloc_year=scoring_world.bloc_year,
    )
    own = RankingRules.objects.get(bloc_year=scoring_world.bloc_year)
    assert own.explanation_required
    set_rule(bloc_year=scoring_world.bloc_year, on=False)
    assert not explanation_required(scoring_world.bloc_year)
    ranking_services.ranking_rules_reset(
        bloc_year=scoring_world.bloc_year, by=None, reason="Điều chỉnh khi đang chấm điểm"
    )
    assert explanation_required(scoring_world.bloc_year)
