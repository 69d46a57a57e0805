"""Opening next year of a bloc: the preview with the admin's choices, then the confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from blocs import access as bloc_access
from blocs.http import AuthenticatedHttpRequest
from blocs.models import BlocYear
from common.navigation import Crumb, home_crumb
from portal.forms_rollover import AnswersForm, form_for
from portal.rollover import Plan, PlanOutdated
from portal.rollover import rollover_apply as apply_plan
from portal.rollover import rollover_plan as make_plan


def _breadcrumbs(bloc_year: BlocYear, plan: Plan) -> list[Crumb]:
    bloc = bloc_year.bloc
    return [
        home_crumb(),
        Crumb(bloc.council.name, bloc.council.get_absolute_url()),
        Crumb(bloc.name, bloc.get_absolute_url()),
        Crumb(_("Năm %(year)s") % {"year": bloc_year.year}, bloc_year.get_absolute_url()),
        Crumb(_("Mở năm %(year)s") % {"year": plan.year}),
    ]


def _open_proposals_message(plan: Plan) -> str:
    count = len(plan.open_proposals)
    return ngettext(
        "Lưu ý: năm %(year)s còn %(count)s đề nghị khen thưởng chưa có kết quả cuối cùng; "
        "khối tiếp tục xử lý ở năm %(year)s.",
        "Lưu ý: năm %(year)s còn %(count)s đề nghị khen thưởng chưa có kết quả cuối cùng; "
        "khối tiếp tục xử lý ở năm %(year)s.",
        count,
    ) % {"year": plan.source.year, "count": count}


def _apply(request: AuthenticatedHttpRequest, plan: Plan, digest: str) -> HttpResponse | bool:
    """Open the year as previewed: the new year's page, or whether the preview was outdated
    (the page is then shown again)."""
    if digest != plan.digest:
        return True
    try:
        created = apply_plan(plan=plan, by=request.user)
    except PlanOutdated:
        return True
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(
        request,
        _("Đã mở năm %(year)s của khối. Kiểm tra thành viên và bảng tiêu chí nháp.")
        % {"year": created.year},
    )
    if plan.open_proposals:
        messages.warning(request, _open_proposals_message(plan))
    return redirect(created.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def rollover(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """Open year N+1 of a bloc from year N: preview, choices, confirmation (council admins)."""
    bloc_year = bloc_access.get_bloc_year_for_user(request, bloc_id, year)
    if not bloc_access.can_open_next_year(request.user, bloc_year):
        raise PermissionDenied
    posted = AnswersForm(request.POST) if request.method == "POST" else None
    plan = make_plan(bloc_year, posted.choices if posted is not None else None)
    applying = posted is not None and posted.text("action") == "apply"
    outdated = False
    if posted is not None and applying and plan.ready:
        result = _apply(request, plan, posted.text("digest"))
        if isinstance(result, HttpResponse):
            return result
        outdated = result
    return render(
        request,
        "rollover.html",
        {
            "plan": plan,
            "bloc_year": bloc_year,
            "form": form_for(plan, posted, applying=applying),
            "outdated": outdated,
            "open_proposals_message": _open_proposals_message(plan),
            "breadcrumbs": _breadcrumbs(bloc_year, plan),
        },
    )
