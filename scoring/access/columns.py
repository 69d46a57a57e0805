"""The column page: one criterion for every member of a bloc-year (``scoring.views.columns``),
for the lines the bloc, the council's standing office or a department scores."""

from __future__ import annotations

from collections.abc import Mapping

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from blocs import access as bloc_access
from blocs.access import AnyUser
from blocs.models import BlocYear, User
from scoring.access.members import unit_id_of
from scoring.access.sheets import can_enter_verified
from scoring.models import Criterion, ScoreLine, ScoreSheet, ScoringSeason

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


def editable_column_lines(user: AnyUser, lines: Mapping[int, ScoreLine]) -> dict[int, ScoreLine]:
    """The rows of the column page this person may edit (sheet id → line)."""
    return {sheet_id: line for sheet_id, line in lines.items() if can_edit_column_line(user, line)}


def column_line_reason(user: AnyUser, line: ScoreLine) -> str:
    """Why this person may not edit a row of the column page, in words ("" when they may)."""
    sheet, criterion = line.sheet, line.criterion
    if line.not_applicable:
        return _("Không áp dụng cho đơn vị")
    if sheet.state == ScoreSheet.State.FINALIZED:
        return _("Đã chốt kết quả")
    if can_edit_column_line(user, line):
        return ""
    if unit_id_of(user) is not None and unit_id_of(user) == sheet.unit_id:
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
