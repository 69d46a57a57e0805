"""Who may see or change criteria sets and score sheets.

* A unit's focal points see their own sheet and fill its self-assessment while it is a draft;
  once sent, they may take it back until the secretariat starts on it.
* The bloc secretariat (focal points of the head and deputy units, and people assigned) sees
  every sheet of the year, enters a self-assessment on a unit's behalf from a paper sheet,
  and verifies — but never its own unit's sheet: the head's sheet is verified by the deputy.
* Council admins of the council see and verify everything, and enter council-scored lines.
* Leaders of the council read every sheet.
* Other members see a unit's sheet only once the year's results are published.
"""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from blocs import access as bloc_access
from blocs import deadlines
from blocs.access import AnyUser
from blocs.models import BlocYear, User
from scoring.layers import Layer
from scoring.models import CriteriaSet, Criterion, Evidence, ScoreLine, ScoreSheet, ScoringSeason

PUBLISHED_STATES = {
    BlocYear.State.PUBLISHED,
    BlocYear.State.PROPOSED,
    BlocYear.State.DECIDED,
}


def _unit_id(user: AnyUser) -> int | None:
    return user.unit_id if isinstance(user, User) else None


def is_own_sheet(user: AnyUser, sheet: ScoreSheet) -> bool:
    return (
        isinstance(user, User)
        and user.role == User.Role.FOCAL_POINT
        and user.unit_id == sheet.unit_id
    )


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


def member_unit_ids(bloc_year: BlocYear) -> set[int]:
    cached: set[int] | None = getattr(bloc_year, "_member_unit_ids", None)
    if cached is None:
        cached = set(bloc_year.memberships.values_list("unit_id", flat=True))
        setattr(bloc_year, "_member_unit_ids", cached)  # noqa: B010 - a per-request cache
    return cached


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
    if _unit_id(user) == sheet.unit_id:
        return False
    return bloc_access.can_manage_bloc_year(user, sheet.bloc_year)


def can_reopen(user: AnyUser, sheet: ScoreSheet) -> bool:
    """Take a verified sheet back to verification (before the results are finalized)."""
    return (
        sheet.state == ScoreSheet.State.VERIFIED
        and _unit_id(user) != sheet.unit_id
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


def can_enter_verified(user: AnyUser, sheet: ScoreSheet, criterion: Criterion) -> bool:
    """The verified points of one line: the verifier for lines the unit or the bloc scores,
    the outside scorer for the others."""
    if criterion.scored_by in (Criterion.ScoredBy.UNIT, Criterion.ScoredBy.BLOC):
        return can_verify(user, sheet)
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
        editable = [line for line in applicable if can_enter_verified(user, sheet, line.criterion)]
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


def can_edit_criteria_set(user: AnyUser, criteria_set: CriteriaSet) -> bool:
    """Before scoring opens: council admins, and the secretariat of the set's own bloc-year."""
    if criteria_set.is_frozen:
        return False
    if bloc_access.is_council_admin(user, criteria_set.council_id):
        return True
    return criteria_set.bloc_year is not None and bloc_access.is_secretariat(
        user, criteria_set.bloc_year
    )


def can_see_criteria_set(user: AnyUser, criteria_set: CriteriaSet) -> bool:
    """Criteria are agreed and signed by all members: any logged-in person of the council."""
    return isinstance(user, User) and user.is_authenticated


def get_criteria_set_for_user(
    request: HttpRequest, set_id: int, *, write: bool = False
) -> CriteriaSet:
    criteria_set = get_object_or_404(
        CriteriaSet.objects.select_related("council", "bloc_year__bloc"), pk=set_id
    )
    if not can_see_criteria_set(request.user, criteria_set):
        raise Http404
    if write and not can_edit_criteria_set(request.user, criteria_set):
        raise PermissionDenied
    return criteria_set


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
    if _unit_id(user) == sheet.unit_id:
        return False
    return bloc_access.can_manage_bloc_year(user, sheet.bloc_year)


MEMBER_RESULT_STATES = {
    BlocYear.State.PROVISIONAL,
    BlocYear.State.PUBLISHED,
    BlocYear.State.PROPOSED,
    BlocYear.State.DECIDED,
}


def can_see_results(user: AnyUser, bloc_year: BlocYear) -> bool:
    """The ranking of a bloc-year: the secretariat, council admins and leaders always; the
    members once it is provisionally published; everybody once it is finally published."""
    if bloc_year.state in PUBLISHED_STATES:
        return True
    if bloc_access.can_manage_bloc_year(user, bloc_year):
        return True
    if bloc_year.bloc.council_id in bloc_access.leader_council_ids(user):
        return True
    return (
        bloc_year.state in MEMBER_RESULT_STATES
        and isinstance(user, User)
        and user.unit_id is not None
        and user.unit_id in member_unit_ids(bloc_year)
    )


def can_correct_results(user: AnyUser, bloc_year: BlocYear) -> bool:
    """A correction after finalization is a council admin's act."""
    return bloc_access.is_council_admin(user, bloc_year.bloc.council_id)


def can_see_complaints(user: AnyUser, bloc_year: BlocYear) -> bool:
    """Complaints stay among the people concerned: members, the secretariat, council admins and
    leaders — never the public, even after the final publication."""
    if not isinstance(user, User) or not can_see_results(user, bloc_year):
        return False
    return (
        bloc_access.can_manage_bloc_year(user, bloc_year)
        or bloc_year.bloc.council_id in bloc_access.leader_council_ids(user)
        or (user.unit_id is not None and user.unit_id in member_unit_ids(bloc_year))
    )


# ---------------------------------------------------------------------------- the column page
# One criterion for every member of a bloc-year (scoring.views.columns): lines the bloc, the
# council's standing office or a department scores.

COLUMN_SCORED_BY = (
    Criterion.ScoredBy.BLOC,
    Criterion.ScoredBy.COUNCIL,
    Criterion.ScoredBy.DEPARTMENT,
)


def is_department_scorer(user: AnyUser, criterion: Criterion) -> bool:
    """A focal point of the department a criterion names as its scorer."""
    return (
        criterion.scored_by == Criterion.ScoredBy.DEPARTMENT
        and isinstance(user, User)
        and user.role == User.Role.FOCAL_POINT
        and user.unit_id is not None
        and user.unit_id == criterion.scorer_unit_id
    )


def can_see_criterion_column(user: AnyUser, bloc_year: BlocYear, criterion: Criterion) -> bool:
    """Those who manage the bloc-year, the council's leaders (to read), and the focal points of
    the department a criterion names."""
    return (
        bloc_access.can_manage_bloc_year(user, bloc_year)
        or bloc_year.bloc.council_id in bloc_access.leader_council_ids(user)
        or is_department_scorer(user, criterion)
    )


def can_edit_column_line(user: AnyUser, line: ScoreLine) -> bool:
    """A row of the column page is editable exactly when the person may enter the line's
    verified points and the line applies to the unit."""
    return not line.not_applicable and can_enter_verified(user, line.sheet, line.criterion)


def column_line_reason(user: AnyUser, line: ScoreLine) -> str:
    """Why this person may not edit a row of the column page, in words ("" when they may)."""
    sheet, criterion = line.sheet, line.criterion
    if line.not_applicable:
        return _("Không áp dụng cho đơn vị")
    if sheet.state == ScoreSheet.State.FINALIZED:
        return _("Đã chốt kết quả")
    if can_edit_column_line(user, line):
        return ""
    if _unit_id(user) is not None and _unit_id(user) == sheet.unit_id:
        return _("Đơn vị của bạn: không tự chấm tiêu chí này")
    if criterion.scored_by == Criterion.ScoredBy.BLOC and bloc_access.can_manage_bloc_year(
        user, sheet.bloc_year
    ):
        # The bloc's lines are entered while the secretariat verifies the sheet.
        return {
            ScoreSheet.State.DRAFT: _("Đơn vị chưa gửi bảng điểm"),
            ScoreSheet.State.RETURNED: _("Đơn vị đang giải trình"),
            ScoreSheet.State.VERIFIED: _("Đã thẩm định xong"),
        }.get(ScoreSheet.State(sheet.state), _("Chỉ xem"))
    return _("Chỉ xem")


def get_criterion_column_for_user(
    request: HttpRequest, bloc_id: int, year: int, criterion_id: int
) -> tuple[BlocYear, Criterion]:
    """The bloc-year (with its bloc, council, scoring season and criteria set) and a leaf of its
    criteria set scored by the bloc, the council or a department (with the department); 404 for
    anything else, and for people who may not see the column."""
    bloc_year = get_object_or_404(
        BlocYear.objects.select_related("bloc__council", "scoring__criteria_set"),
        bloc_id=bloc_id,
        year=year,
    )
    try:
        season = bloc_year.scoring
    except ScoringSeason.DoesNotExist:
        raise Http404 from None
    criterion = get_object_or_404(
        Criterion.objects.select_related("scorer_unit")
        .prefetch_related("scorer_unit__former_names")
        .filter(criteria_set_id=season.criteria_set_id, scored_by__in=COLUMN_SCORED_BY)
        .exclude(children__isnull=False),  # leaves only: parents carry no points
        pk=criterion_id,
    )
    criterion.criteria_set = season.criteria_set
    if not can_see_criterion_column(request.user, bloc_year, criterion):
        raise Http404
    return bloc_year, criterion


# ---------------------------------------------------------------------------- criteria set lists
# Who may do what with criteria sets on the list, the new-set and the copy pages.


def criteria_set_council_ids(user: User) -> frozenset[int] | None:
    """Councils whose sets the list shows; None for a superuser (every council)."""
    if user.is_superuser:
        return None
    managed = bloc_access.managed_council_ids(user)
    if managed:
        return managed
    if user.unit is None:
        return frozenset()
    return bloc_access.council_and_predecessors(user.unit.council_id)


def criteria_set_bloc_years(user: User, council_id: int | None = None) -> QuerySet[BlocYear]:
    """Bloc-years a set may be made for: all of an admin's councils, or the secretariat's own."""
    bloc_years = BlocYear.objects.select_related("bloc").order_by("-year", "bloc__name")
    if not user.is_superuser:
        bloc_years = bloc_years.filter(
            Q(bloc__council_id__in=bloc_access.managed_council_ids(user))
            | Q(pk__in=bloc_access.secretariat_bloc_year_ids(user))
        )
    if council_id is not None:
        bloc_years = bloc_years.filter(bloc__council_id=council_id)
    return bloc_years


def clone_council_ids(user: User) -> frozenset[int] | None:
    """Councils whose sets this person may copy; None for a superuser (every council)."""
    if user.is_superuser:
        return None
    managed = bloc_access.managed_council_ids(user)
    if managed:
        return managed
    secretariat = bloc_access.secretariat_bloc_year_ids(user)
    if not secretariat:
        return frozenset()
    return frozenset(
        BlocYear.objects.filter(pk__in=secretariat).values_list("bloc__council_id", flat=True)
    )


def can_clone_criteria_set(council_ids: frozenset[int] | None, criteria_set: CriteriaSet) -> bool:
    """``council_ids`` is ``clone_council_ids`` of the person."""
    return council_ids is None or criteria_set.council_id in council_ids


def can_create_criteria_set(user: User) -> bool:
    return bloc_access.administers_any_council(user) or bool(
        bloc_access.secretariat_bloc_year_ids(user)
    )


def importable_council_ids(user: User) -> Collection[int] | None:
    """Councils this person may import a workbook into (None: any, and may create one); 403
    for others."""
    if user.is_superuser:
        return None
    managed = bloc_access.managed_council_ids(user)
    if not managed:
        raise PermissionDenied
    return managed


def get_bloc_year_for_progress(request: HttpRequest, bloc_id: int, year: int) -> BlocYear:
    """The bloc-year for the scoring progress page: its managers and the council's leaders."""
    bloc_year = bloc_access.get_bloc_year_for_user(request, bloc_id, year)
    allowed = bloc_access.can_manage_bloc_year(request.user, bloc_year) or (
        bloc_year.bloc.council_id in bloc_access.leader_council_ids(request.user)
    )
    if not allowed:
        raise PermissionDenied
    return bloc_year


def is_member_focal_point(user: AnyUser, bloc_year: BlocYear) -> bool:
    """A focal point of one of the bloc-year's members."""
    return (
        isinstance(user, User)
        and user.role == User.Role.FOCAL_POINT
        and user.unit_id is not None
        and user.unit_id in member_unit_ids(bloc_year)
    )


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
