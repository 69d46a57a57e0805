"""Peer scoring pages: who has scored whom, the grid where a member scores another, applying
the means to the sheets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from blocs import access as bloc_access
from blocs.http import AuthenticatedHttpRequest
from blocs.models import BlocYear
from common.forms import pressed
from common.navigation import Crumb, home_crumb
from scoring import access
from scoring.forms_peer import PeerForm
from scoring.models import ScoringSeason
from scoring.services.peer import applying
from scoring.services.peer.assessments import peer_assessment_submit
from scoring.services.peer.grid import PeerGrid, peer_grid
from scoring.services.peer.progress import PeerMember, peer_matrix, peer_members
from scoring.services.sheets import SheetConflict


def _peer_bloc_year(request: HttpRequest, bloc_id: int, year: int) -> BlocYear:
    """The bloc-year with its season loaded; 404 unless it scores by peers."""
    bloc_year = bloc_access.get_bloc_year_for_user(request, bloc_id, year)
    season = (
        ScoringSeason.objects.select_related("criteria_set").filter(bloc_year=bloc_year).first()
    )
    if season is None or season.mode != ScoringSeason.Mode.PEER:
        raise Http404
    bloc_year.scoring = season
    return bloc_year


def _crumbs(bloc_year: BlocYear, *more: Crumb) -> list[Crumb]:
    bloc = bloc_year.bloc
    progress_url = reverse("scoring:peer-progress", args=[bloc_year.bloc_id, bloc_year.year])
    return [
        home_crumb(),
        Crumb(bloc.name, bloc.get_absolute_url()),
        Crumb(str(bloc_year.year), bloc_year.get_absolute_url()),
        Crumb(_("Chấm chéo"), progress_url if more else None),
        *more,
    ]


@login_required
@require_safe
def peer_progress(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """The matrix scorer × scored; for the secretariat, the check before applying the means."""
    bloc_year = _peer_bloc_year(request, bloc_id, year)
    user = request.user
    can_apply = bloc_access.can_manage_bloc_year(user, bloc_year)
    is_member = access.is_member_focal_point(user, bloc_year)
    is_leader = bloc_year.bloc.council_id in bloc_access.leader_council_ids(user)
    if not (can_apply or is_member or is_leader):
        raise PermissionDenied
    if can_apply and request.GET.get("confirm") == "1":
        return render(
            request,
            "scoring/peer_apply_confirm.html",
            {
                "bloc_year": bloc_year,
                "plan": applying.peer_apply_plan(bloc_year),
                "breadcrumbs": _crumbs(bloc_year, Crumb(_("Áp dụng kết quả chấm chéo"))),
            },
        )
    matrix = peer_matrix(bloc_year)
    return render(
        request,
        "scoring/peer_progress.html",
        {
            "bloc_year": bloc_year,
            "season": bloc_year.scoring,
            "matrix": matrix,
            "to_score": matrix.to_score(user.unit_id) if is_member else [],
            "is_member": is_member,
            "can_apply": can_apply,
            "breadcrumbs": _crumbs(bloc_year),
        },
    )


def _peer_pair(
    request: AuthenticatedHttpRequest, bloc_id: int, year: int, unit_id: int
) -> tuple[BlocYear, PeerMember, PeerMember]:
    """(bloc-year, scorer, scored): 404 for a unit that is not a member; 403 unless the person
    is the focal point of another member."""
    bloc_year = _peer_bloc_year(request, bloc_id, year)
    members = {member.unit.pk: member for member in peer_members(bloc_year)}
    scored = members.get(unit_id)
    if scored is None:
        raise Http404
    scorer_id = access.peer_scorer_id(request.user, members.keys(), unit_id)
    if scorer_id is None:
        raise PermissionDenied
    return bloc_year, members[scorer_id], scored


def _send(request: AuthenticatedHttpRequest, grid: PeerGrid, scored_name: str) -> bool:
    """Send the saved assessment; messages say what happened."""
    if grid.assessment is None:
        messages.error(request, _("Chưa có điểm nào được lưu; hãy chấm rồi gửi."))
        return False
    try:
        peer_assessment_submit(assessment=grid.assessment, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, _("Đã gửi phiếu chấm chéo cho %(unit)s.") % {"unit": scored_name})
    return True


def _form(grid: PeerGrid, data: QueryDict | None = None) -> PeerForm:
    """The grid's form: the lines peers score, with the stored points (or what was posted)."""
    scoreable = {row.criterion.pk: row.criterion for row in grid.leaves}
    stored = grid.assessment.points if grid.assessment else {}
    return PeerForm(list(scoreable.values()), stored, data=data)


@login_required
@require_http_methods(["GET", "POST"])
def peer_sheet(
    request: AuthenticatedHttpRequest, bloc_id: int, year: int, unit_id: int
) -> HttpResponse:
    """A member's focal point scores another member: save a draft, check, send."""
    bloc_year, scorer, scored = _peer_pair(request, bloc_id, year, unit_id)
    grid = peer_grid(bloc_year, scorer_id=scorer.unit.pk, scored_id=unit_id)
    if request.method == "POST":
        return _post(request, bloc_year, (scorer, scored), grid)
    if request.GET.get("confirm") == "1":
        crumbs = _crumbs(bloc_year, Crumb(scored.name, request.path), Crumb(_("Gửi phiếu chấm")))
        return render(
            request,
            "scoring/peer_sheet_confirm.html",
            {"bloc_year": bloc_year, "scored": scored, "grid": grid, "breadcrumbs": crumbs},
        )
    return _page(request, bloc_year, (scorer, scored), grid, _form(grid))


def _post(
    request: AuthenticatedHttpRequest,
    bloc_year: BlocYear,
    pair: tuple[PeerMember, PeerMember],
    grid: PeerGrid,
) -> HttpResponse:
    """Send the saved sheet, or save the draft (then, for "review", the check page)."""
    (scorer, scored), here = pair, request.path
    action = pressed(request.POST) or "save"
    if action == "submit":
        if _send(request, grid, scored.name):
            return redirect("scoring:peer-progress", bloc_year.bloc_id, bloc_year.year)
        return redirect(here)
    form = _form(grid, request.POST)
    if not form.is_valid():
        if form.version is None:
            messages.error(request, _("Trang đã cũ, hãy tải lại trang rồi nhập lại."))
        else:
            form.check(grid.criteria_set.step)
    elif form.save(bloc_year=bloc_year, scorer=scorer.unit, scored=scored.unit, by=request.user):
        if action == "review":
            return redirect(f"{here}?confirm=1")
        messages.success(request, _("Đã lưu nháp phiếu chấm chéo."))
        return redirect(here)
    for message in form.general:
        messages.error(request, message)
    return _page(request, bloc_year, pair, grid, form)


def _page(
    request: AuthenticatedHttpRequest,
    bloc_year: BlocYear,
    pair: tuple[PeerMember, PeerMember],
    grid: PeerGrid,
    form: PeerForm,
) -> HttpResponse:
    scorer, scored = pair
    for row in grid.rows:
        row.cell = form.cells.get(row.criterion.pk) if grid.editable else None
    return render(
        request,
        "scoring/peer_sheet.html",
        {
            "bloc_year": bloc_year,
            "scorer": scorer,
            "scored": scored,
            "grid": grid,
            "form": form,
            "version": form.version or grid.version,
            "conflict": form.conflict,
            "breadcrumbs": _crumbs(bloc_year, Crumb(scored.name)),
        },
    )


@login_required
@require_POST
def peer_apply(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """The secretariat writes the peer means into the verified column of the sheets."""
    bloc_year = _peer_bloc_year(request, bloc_id, year)
    if not bloc_access.can_manage_bloc_year(request.user, bloc_year):
        raise PermissionDenied
    try:
        plan = applying.peer_apply(bloc_year=bloc_year, by=request.user)
    except SheetConflict:
        messages.error(
            request,
            _("Một bảng điểm vừa được người khác lưu; chưa có gì được áp dụng. Hãy thử lại."),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Đã áp dụng kết quả chấm chéo cho %(count)s đơn vị (%(lines)s dòng điểm thay đổi).")
            % {"count": len(plan.ready), "lines": sum(item.changed for item in plan.ready)},
        )
        for item in plan.skipped:
            messages.warning(
                request,
                _("Chưa áp dụng cho %(unit)s: %(reason)s")
                % {"unit": item.unit_name, "reason": item.reason},
            )
    return redirect("scoring:peer-progress", bloc_id, year)
