"""Criteria set pages: the list (filtered by council and year), a new set, the set's page (the
tree as on the paper sheet, its problems, the seasons using it, its history), its settings, a copy
to another year and unfreezing, with who may do which beyond ``scoring.access``. A criterion's
own pages are in ``scoring.views.criteria``. Every write goes through ``scoring.services.criteria``.
"""

from __future__ import annotations

import copy
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from blocs.access import AnyUser
from blocs.http import AuthenticatedHttpRequest
from blocs.models import AuditEntry, BlocYear, Council, User
from common.navigation import Crumb, home_crumb
from scoring import access
from scoring.forms import ReasonForm
from scoring.forms_criteria import (
    CriteriaSetCloneForm,
    CriteriaSetNewForm,
    CriteriaSetPageForm,
    show_at_fields,
)
from scoring.models import CriteriaSet, Criterion, ScoringSeason
from scoring.services import criteria as services
from scoring.views.criteria import criteria_crumbs, criterion_rows, tree_problems

HISTORY_LIMIT = 100


def _int(text: str | None) -> int | None:
    try:
        return int(text or "")
    except ValueError:
        return None


@login_required
@require_safe
def criteria_sets(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    visible = CriteriaSet.objects.all()
    council_ids = access.criteria_set_council_ids(user)
    if council_ids is not None:
        visible = visible.filter(council_id__in=council_ids)
    councils = list(Council.objects.filter(pk__in=visible.values("council_id")).order_by("name"))
    council_id = _int(request.GET.get("council"))
    if council_id not in {council.pk for council in councils}:
        council_id = None
    if council_id is not None:
        visible = visible.filter(council_id=council_id)
    years = list(visible.order_by("-year").values_list("year", flat=True).distinct())
    year = _int(request.GET.get("year"))
    shown = visible.filter(year=year) if year in years else visible
    rows = (
        shown.select_related("council", "bloc_year__bloc")
        .annotate(criteria_count=Count("criteria"))
        .order_by("-year", "council__name", "name")
    )
    clone_councils = access.clone_council_ids(user)
    return render(
        request,
        "scoring/criteria_sets.html",
        {
            "rows": [
                (criteria_set, access.can_clone_criteria_set(clone_councils, criteria_set))
                for criteria_set in rows
            ],
            "councils": councils,
            "council_id": council_id,
            "years": years,
            "year": year if year in years else None,
            "can_create": access.can_create_criteria_set(user),
            "breadcrumbs": [home_crumb(), Crumb(_("Bảng tiêu chí"))],
        },
    )


def _new_initial(
    request: AuthenticatedHttpRequest, bloc_years: QuerySet[BlocYear]
) -> dict[str, object]:
    """The council and year the list was filtered by, or the bloc-year a link chose."""
    chosen_id = _int(request.GET.get("bloc_year"))
    chosen = bloc_years.filter(pk=chosen_id).first() if chosen_id else None
    if chosen is not None:
        return {"bloc_year": chosen.pk, "council": chosen.bloc.council_id, "year": chosen.year}
    return {"council": _int(request.GET.get("council")), "year": _int(request.GET.get("year"))}


@login_required
@require_http_methods(["GET", "POST"])
def criteria_set_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_create_criteria_set(user):
        raise PermissionDenied
    secretariat_only = access.new_set_for_bloc_year_only(user)
    councils = access.new_set_councils(user)
    bloc_years = access.criteria_set_bloc_years(user)
    form = CriteriaSetNewForm(
        request.POST if request.method == "POST" else None,
        initial=_new_initial(request, bloc_years),
        councils=councils.order_by("name"),
        bloc_years=bloc_years,
        secretariat_only=secretariat_only,
    )
    created = form.create(by=user) if request.method == "POST" and form.is_valid() else None
    if created is not None:
        messages.success(request, _("Đã tạo bảng tiêu chí. Bây giờ thêm các tiêu chí."))
        return redirect(created.get_absolute_url())
    return render(
        request,
        "scoring/criteria_set_form.html",
        {
            "form": form,
            "criteria_set": None,
            "breadcrumbs": criteria_crumbs(last=_("Tạo bảng tiêu chí")),
        },
    )


def _standard_max(criteria: list[Criterion]) -> Decimal:
    """The standard sections' maximum: the sum of the top-level standard criteria's maxima."""
    return sum(
        (
            c.max_points
            for c in criteria
            if c.parent_id is None and c.kind == Criterion.Kind.STANDARD
        ),
        Decimal(0),
    )


def _history(user: AnyUser, criteria_set: CriteriaSet) -> list[AuditEntry] | None:
    """The set's latest changes; None for a visitor: the history names people."""
    if not user.is_authenticated:
        return None
    return list(
        AuditEntry.objects.filter(context=f"criteria-set:{criteria_set.pk}").order_by(
            "-created_at", "-pk"
        )[:HISTORY_LIMIT]
    )


@require_safe
def criteria_set(request: HttpRequest, set_id: int) -> HttpResponse:
    """A criteria set, read only unless the person may edit it. Public once a bloc-year scored
    with it has published its results (``access.can_see_criteria_set``); otherwise a visitor
    is asked to sign in."""
    if not request.user.is_authenticated and not access.criteria_set_is_public(set_id):
        return redirect_to_login(request.get_full_path())
    criteria_set = access.get_criteria_set_for_user(request, set_id)
    user = request.user
    criteria = list(Criterion.objects.filter(criteria_set=criteria_set).order_by("order", "pk"))
    can_edit = access.can_edit_criteria_set(user, criteria_set)
    return render(
        request,
        "scoring/criteria_set.html",
        {
            "criteria_set": criteria_set,
            "rows": criterion_rows(criteria),
            "problems": tree_problems(criteria),
            "standard_max": _standard_max(criteria),
            "seasons": list(
                ScoringSeason.objects.filter(criteria_set=criteria_set)
                .select_related("bloc_year__bloc")
                .order_by("-bloc_year__year", "bloc_year__bloc__name")
            ),
            "history": _history(user, criteria_set),
            "can_edit": can_edit,
            "can_clone": isinstance(user, User)
            and access.can_clone_criteria_set(access.clone_council_ids(user), criteria_set),
            "can_unfreeze": criteria_set.is_frozen
            and access.can_unfreeze_criteria_set(user, criteria_set),
            "breadcrumbs": criteria_crumbs(criteria_set),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criteria_set_edit(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    criteria_set = access.get_criteria_set_for_user(request, set_id, write=True)
    # The form works on a copy: a refused post must not change what the page header shows.
    form = CriteriaSetPageForm(
        request.POST if request.method == "POST" else None, instance=copy.copy(criteria_set)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.criteria_set_update(
                criteria_set=criteria_set,
                by=request.user,
                name=data["name"],
                bonus_cap=data["bonus_cap"],
                step=data["step"],
            )
        except ValidationError as error:
            show_at_fields(form, error)
        else:
            messages.success(request, _("Đã lưu thông tin bảng tiêu chí."))
            return redirect(criteria_set.get_absolute_url())
    return render(
        request,
        "scoring/criteria_set_form.html",
        {
            "form": form,
            "criteria_set": criteria_set,
            "breadcrumbs": criteria_crumbs(criteria_set, _("Sửa thông tin")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criteria_set_clone(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    source = access.get_criteria_set_for_user(request, set_id)
    bloc_years, bloc_year_required = access.clone_bloc_years(request.user, source)
    chosen_id = _int(request.GET.get("bloc_year"))
    chosen = bloc_years.filter(pk=chosen_id).first() if chosen_id else None
    form = CriteriaSetCloneForm(
        request.POST if request.method == "POST" else None,
        initial={
            "year": chosen.year if chosen else source.year + 1,
            "bloc_year": chosen.pk if chosen else None,
        },
        bloc_years=bloc_years,
        bloc_year_required=bloc_year_required,
    )
    clone = None
    if request.method == "POST" and form.is_valid():
        clone = form.save(source=source, by=request.user)
    if clone is not None:
        messages.success(
            request,
            _("Đã sao chép bảng tiêu chí. Bản sao chưa khóa: có thể sửa trước khi dùng."),
        )
        return redirect(clone.get_absolute_url())
    return render(
        request,
        "scoring/criteria_set_clone.html",
        {
            "form": form,
            "criteria_set": source,
            "breadcrumbs": criteria_crumbs(source, _("Sao chép sang năm khác")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criteria_set_unfreeze(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    criteria_set = access.get_criteria_set_for_user(request, set_id)
    if not access.can_unfreeze_criteria_set(request.user, criteria_set):
        raise PermissionDenied
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and criteria_set.is_frozen and form.is_valid():
        try:
            services.criteria_set_unfreeze(
                criteria_set=criteria_set, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            show_at_fields(form, error)
        else:
            messages.success(request, _("Đã mở khóa bảng tiêu chí; lý do đã được ghi lại."))
            return redirect(criteria_set.get_absolute_url())
    if request.method == "POST" and not criteria_set.is_frozen:
        messages.info(request, _("Bảng tiêu chí chưa bị khóa."))
        return redirect(criteria_set.get_absolute_url())
    return render(
        request,
        "scoring/criteria_set_unfreeze.html",
        {
            "form": form,
            "criteria_set": criteria_set,
            "seasons": list(
                ScoringSeason.objects.filter(criteria_set=criteria_set).select_related(
                    "bloc_year__bloc"
                )
            ),
            "breadcrumbs": criteria_crumbs(criteria_set, _("Mở khóa")),
        },
    )
