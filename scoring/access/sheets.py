"""Who may see a score sheet and do what on it: the unit, the bloc secretariat (never for its
own unit), council admins, leaders, a department named on a criterion, a peer scorer."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from blocs import access as bloc_access
from blocs import deadlines
from blocs.access import AnyUser
from blocs.models import BlocYear, User
from scoring.access.members import member_unit_ids, unit_id_of
from scoring.access.results import PUBLISHED_STATES
from scoring.layers import Layer
from scoring.models import Criterion, Evidence, ScoreLine, ScoreSheet


def is_own_sheet(user: AnyUser, sheet: ScoreSheet) -> bool:
    return (
        isinstance(user, User)
        and user.role == User.Role.FOCAL_POINT
        and user.unit_id == sheet.unit_id
    )


def enters_on_behalf(user: AnyUser, sheet: ScoreSheet, layer: Layer | None) -> bool:
    """A self-assessment this person saves is entered on the unit's behalf (from its paper
    sheet): the self layer of a sheet that is not their own."""
    return layer is Layer.SELF and not is_own_sheet(user, sheet)


def can_see_sheet(user: AnyUser, sheet: ScoreSheet) -> bool:
    bloc_year = sheet.bloc_year
    if is_own_sheet(user, sheet) or bloc_access.can_manage_bloc_year(user, bloc_year):
        return True
    if bloc_year.bloc.council_id in bloc_access.leader_council_ids(user):
        return True
    # Members of the bloc see each other's sheets once the results are published.
    return (
        bloc_year.state in PUBLISHED_STATES
        and isinstance(user, User)
        and user.unit_id is not None
        and user.unit_id in member_unit_ids(bloc_year)
    )


def can_enter_self(user: AnyUser, sheet: ScoreSheet) -> bool:
    """Fill the self-assessment: the unit while it is a draft, or the secretariat on its behalf."""
    if sheet.state != ScoreSheet.State.DRAFT:
        return False
    # After the self-assessment deadline the service refuses the unit's save with the date.
    return is_own_sheet(user, sheet) or can_enter_on_behalf(user, sheet)


def own_sheet_open(user: AnyUser, sheet: ScoreSheet) -> bool:
    """The unit's own sheet, before the self-assessment deadline has passed (blocs.deadlines)."""
    return is_own_sheet(user, sheet) and not deadlines.is_late(
        sheet.bloc_year.self_assessment_due, deadlines.today()
    )


def can_enter_on_behalf(user: AnyUser, sheet: ScoreSheet) -> bool:
    return (
        sheet.state == ScoreSheet.State.DRAFT
        and not is_own_sheet(user, sheet)
        and bloc_access.can_manage_bloc_year(user, sheet.bloc_year)
    )


def can_recall(user: AnyUser, sheet: ScoreSheet) -> bool:
    """Take back the self-assessment the unit sent: its own focal points, while it is submitted.
    Whether the secretariat has started on it, and the deadline, the service decides
    (``transitions.sheet_recall``), saying why not."""
    return sheet.state == ScoreSheet.State.SUBMITTED and is_own_sheet(user, sheet)


def can_answer(user: AnyUser, sheet: ScoreSheet) -> bool:
    return sheet.state == ScoreSheet.State.RETURNED and is_own_sheet(user, sheet)


def can_verify(user: AnyUser, sheet: ScoreSheet) -> bool:
    """Verify a submitted sheet: the secretariat or a council admin, never for their own unit."""
    if sheet.state != ScoreSheet.State.SUBMITTED:
        return False
    if unit_id_of(user) == sheet.unit_id:
        return False
    return bloc_access.can_manage_bloc_year(user, sheet.bloc_year)


def can_reopen(user: AnyUser, sheet: ScoreSheet) -> bool:
    """Take a verified sheet back to verification (before the results are finalized)."""
    return (
        sheet.state == ScoreSheet.State.VERIFIED
        and unit_id_of(user) != sheet.unit_id
        and bloc_access.can_manage_bloc_year(user, sheet.bloc_year)
    )


def can_council_score(user: AnyUser, sheet: ScoreSheet) -> bool:
    """Council-scored lines and council adjustments: the council's admins, until finalization."""
    return sheet.state != ScoreSheet.State.FINALIZED and bloc_access.is_council_admin(
        user, sheet.bloc_year.bloc.council_id
    )


def can_score_outside(user: AnyUser, sheet: ScoreSheet, criterion: Criterion) -> bool:
    """A line scored outside the bloc's secretariat, on a sheet not yet finalized: the council's
    admins score the council's lines and may stand in for a department; a department named on a
    criterion scores it through its focal points, for every member but itself."""
    if sheet.state == ScoreSheet.State.FINALIZED:
        return False
    if criterion.scored_by not in (Criterion.ScoredBy.COUNCIL, Criterion.ScoredBy.DEPARTMENT):
        return False
    if bloc_access.is_council_admin(user, sheet.bloc_year.bloc.council_id):
        return True
    return (
        criterion.scored_by == Criterion.ScoredBy.DEPARTMENT
        and isinstance(user, User)
        and user.role == User.Role.FOCAL_POINT
        and user.unit_id is not None
        and user.unit_id == criterion.scorer_unit_id
        and user.unit_id != sheet.unit_id
    )


def can_enter_verified(
    user: AnyUser, sheet: ScoreSheet, criterion: Criterion, *, verifier: bool | None = None
) -> bool:
    """The verified points of one line: the verifier for lines the unit or the bloc scores,
    the outside scorer for the others. ``verifier`` is ``can_verify``'s answer when the caller
    has it already (the same for every line of the sheet)."""
    if criterion.scored_by in (Criterion.ScoredBy.UNIT, Criterion.ScoredBy.BLOC):
        return can_verify(user, sheet) if verifier is None else verifier
    return can_score_outside(user, sheet, criterion)


def editable_lines(
    user: AnyUser, sheet: ScoreSheet, lines: list[ScoreLine]
) -> tuple[Layer | None, dict[int, ScoreLine]]:
    """Which column of the sheet this person edits now, and on which lines (criterion id →
    line); ``(None, {})`` when they edit nothing."""
    applicable = [line for line in lines if not line.not_applicable]
    if can_enter_self(user, sheet):
        layer = Layer.SELF
        editable = [line for line in applicable if line.criterion.scored_by == "unit"]
    else:
        layer = Layer.VERIFIED
        verifier = can_verify(user, sheet)  # asked once, not once per line
        editable = [
            line
            for line in applicable
            if can_enter_verified(user, sheet, line.criterion, verifier=verifier)
        ]
    if not editable:
        return None, {}
    return layer, {line.criterion_id: line for line in editable}


def get_sheet_for_user(request: HttpRequest, sheet_id: int) -> ScoreSheet:
    """The sheet with its bloc-year, bloc, council and unit loaded; 404 if it may not be seen."""
    sheet = get_object_or_404(
        ScoreSheet.objects.select_related(
            "bloc_year__bloc__council", "unit", "bloc_year__scoring__criteria_set"
        ),
        pk=sheet_id,
    )
    if not can_see_sheet(request.user, sheet):
        # A sheet someone may not see does not exist for them.
        raise Http404
    return sheet


def get_evidence_for_user(request: HttpRequest, evidence_id: int) -> Evidence:
    evidence = get_object_or_404(
        Evidence.objects.select_related(
            "line__sheet__bloc_year__bloc__council", "line__sheet__unit"
        ),
        pk=evidence_id,
    )
    sheet = evidence.line.sheet
    user = request.user
    allowed = (
        is_own_sheet(user, sheet)
        or bloc_access.can_manage_bloc_year(user, sheet.bloc_year)
        or sheet.bloc_year.bloc.council_id in bloc_access.leader_council_ids(user)
    )
    if not allowed:
        raise Http404
    return evidence


def can_add_evidence(user: AnyUser, sheet: ScoreSheet) -> bool:
    """The unit while it drafts or explains; the secretariat when it enters a paper sheet."""
    if is_own_sheet(user, sheet):
        if sheet.state == ScoreSheet.State.DRAFT:
            return own_sheet_open(user, sheet)
        return sheet.state == ScoreSheet.State.RETURNED  # explanations have no deadline
    return can_enter_on_behalf(user, sheet)


def can_mark_not_applicable(user: AnyUser, sheet: ScoreSheet) -> bool:
    """The secretariat (never for its own unit) or a council admin, until verification ends."""
    if sheet.state in (ScoreSheet.State.VERIFIED, ScoreSheet.State.FINALIZED):
        return False
    if unit_id_of(user) == sheet.unit_id:
        return False
    return bloc_access.can_manage_bloc_year(user, sheet.bloc_year)


def get_bloc_year_for_progress(request: HttpRequest, bloc_id: int, year: int) -> BlocYear:
    """The bloc-year for the scoring progress page: its managers and the council's leaders."""
    bloc_year = bloc_access.get_bloc_year_for_user(request, bloc_id, year)
    allowed = bloc_access.can_manage_bloc_year(request.user, bloc_year) or (
        bloc_year.bloc.council_id in bloc_access.leader_council_ids(request.user)
    )
    if not allowed:
        raise PermissionDenied
    return bloc_year


def late_for_unit(user: AnyUser, sheet: ScoreSheet) -> bool:
    """The unit's own sheet after the self-assessment deadline: the unit reads it."""
    return is_own_sheet(user, sheet) and not own_sheet_open(user, sheet)


# The buttons of the sheet page (``scoring.views.sheets``) and who may press them now; the
# services check the sheet's state again.
VERIFIER_BUTTONS = frozenset({"accept", "return", "verify", "decide"})


def can_press(user: AnyUser, sheet: ScoreSheet, layer: Layer | None, button: str) -> bool:
    """Whether this person may press a button of the sheet page; ``layer`` is the column they
    edit (``editable_lines``)."""
    if button == "save":
        return layer is not None
    if button == "submit":
        return layer is Layer.SELF and can_enter_self(user, sheet)
    if button in VERIFIER_BUTTONS:
        return can_verify(user, sheet)
    if button == "answer":
        return can_answer(user, sheet)
    if button == "reopen":
        return can_reopen(user, sheet)
    return button == "line"  # whoever sees the sheet may open a line's page


def peer_scorer_id(
    user: AnyUser, member_unit_ids: Collection[int], scored_unit_id: int
) -> int | None:
    """Who scores a member in peer scoring: the unit of a focal point of another member (its
    id), else None."""
    if not isinstance(user, User) or user.role != User.Role.FOCAL_POINT:
        return None
    unit_id = user.unit_id
    if unit_id is None or unit_id not in member_unit_ids or unit_id == scored_unit_id:
        return None
    return unit_id
