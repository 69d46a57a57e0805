"""The award catalogue: rule sets, the gates of each award, a bloc-year's own quotas.

Every logged-in person reads the rule sets (they are the law the bloc follows); council admins
edit them; the bloc secretariat overrides its year's quotas until its proposals are submitted.
"""

from __future__ import annotations

import copy
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from awards import access
from awards.forms_catalogue import AwardTypeForm, QuotasForm, RuleSetForm
from awards.gate_words import gate_words
from awards.models import AwardType, QuotaOverride, RuleSet
from awards.selectors import effective_quota, rule_set_for_year
from awards.services import catalogue as services
from blocs.http import AuthenticatedHttpRequest
from blocs.models import BlocYear
from common.forms import show_service_error
from common.navigation import Crumb, home_crumb


def catalogue_crumbs(rule_set: RuleSet | None = None, last: str | None = None) -> list[Crumb]:
    crumbs = [home_crumb(), Crumb(_("Quy định khen thưởng"), reverse("awards:rule-sets"))]
    if rule_set is not None:
        crumbs.append(
            Crumb(rule_set.code, reverse("awards:rule-set", args=[rule_set.pk]) if last else None)
        )
    if last:
        crumbs.append(Crumb(last))
    return crumbs


def _in_force(rule_set: RuleSet, today: datetime.date) -> bool:
    return (rule_set.valid_from is None or rule_set.valid_from <= today) and (
        rule_set.valid_until is None or today <= rule_set.valid_until
    )


@login_required
@require_safe
def rule_sets(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    items = list(RuleSet.objects.annotate(award_count=Count("award_types")).order_by("valid_from"))
    return render(
        request,
        "awards/catalogue_rule_sets.html",
        {
            "rows": [(rule_set, _in_force(rule_set, today)) for rule_set in items],
            "can_edit": access.can_keep_catalogue(request.user),
            "breadcrumbs": catalogue_crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_set(request: AuthenticatedHttpRequest, rule_set_id: int) -> HttpResponse:
    rule_set = get_object_or_404(RuleSet, pk=rule_set_id)
    can_edit = access.can_keep_catalogue(request.user)
    form = None
    if can_edit:
        # The form works on a copy: a refused post must not change what the page shows.
        form = RuleSetForm(
            request.POST if request.method == "POST" else None, instance=copy.copy(rule_set)
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.rule_set_update(
                    rule_set=rule_set,
                    values={name: form.cleaned_data[name] for name in services.RULE_SET_FIELDS},
                    by=request.user,
                )
            except ValidationError as error:
                show_service_error(form, error)
            else:
                messages.success(request, _("Đã lưu bộ quy định."))
                return redirect("awards:rule-set", rule_set.pk)
    awards = list(rule_set.award_types.order_by("order", "pk"))
    names = {award.code: award.name for award in awards}
    return render(
        request,
        "awards/catalogue_rule_set.html",
        {
            "rule_set": rule_set,
            "legal_basis": [line for line in rule_set.legal_basis.splitlines() if line.strip()],
            "awards": [(award, gate_words(award, rule_set, names)) for award in awards],
            "form": form,
            "can_edit": can_edit,
            "breadcrumbs": catalogue_crumbs(rule_set),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_type(request: AuthenticatedHttpRequest, award_type_id: int) -> HttpResponse:
    award = get_object_or_404(AwardType.objects.select_related("rule_set"), pk=award_type_id)
    if not access.can_keep_catalogue(request.user):
        raise PermissionDenied
    codes = list(award.rule_set.award_types.order_by("order", "pk").values_list("code", "name"))
    form = AwardTypeForm(
        request.POST if request.method == "POST" else None,
        instance=copy.copy(award),
        codes=codes,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.award_type_update(
                award_type=award,
                values={name: form.cleaned_data[name] for name in services.AWARD_TYPE_FIELDS},
                by=request.user,
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Đã lưu điều kiện của “%(name)s”.") % {"name": award.name})
            return redirect("awards:rule-set", award.rule_set_id)
    return render(
        request,
        "awards/catalogue_award_type.html",
        {
            "award": award,
            "form": form,
            "breadcrumbs": catalogue_crumbs(award.rule_set, award.name),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def quotas(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request, bloc_id, year, follow=False)
    rule_set = rule_set_for_year(year)
    awards = list(rule_set.award_types.order_by("order", "pk")) if rule_set else []
    members = bloc_year.memberships.count()
    overrides = {
        override.award_type_id: override.quota
        for override in QuotaOverride.objects.filter(bloc_year=bloc_year)
    }
    rows = [(award, effective_quota(award, members, None)) for award in awards]
    initial = {QuotasForm.field_name(award): overrides.get(award.pk) for award in awards}
    form = QuotasForm(
        request.POST if request.method == "POST" else None, rows=rows, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        changed = form.save(bloc_year=bloc_year, by=request.user)
        if changed is not None:
            messages.success(
                request,
                _("Đã lưu số lượng khen thưởng của khối.")
                if changed
                else _("Không có thay đổi nào để lưu."),
            )
            return redirect("awards:quotas", bloc_id, year)
    return render(
        request,
        "awards/catalogue_quotas.html",
        {
            "bloc_year": bloc_year,
            "rule_set": rule_set,
            "members": members,
            "rows": [
                (award, default, overrides.get(award.pk), form[QuotasForm.field_name(award)])
                for award, default in rows
            ],
            "form": form,
            "locked": bloc_year.state in services.QUOTA_LOCKED_STATES,
            "breadcrumbs": _quotas_crumbs(bloc_year),
        },
    )


def _quotas_crumbs(bloc_year: BlocYear) -> list[Crumb]:
    bloc = bloc_year.bloc
    return [
        home_crumb(),
        Crumb(bloc.name, bloc.get_absolute_url()),
        Crumb(str(bloc_year.year), reverse("bloc-year", args=[bloc.pk, bloc_year.year])),
        Crumb(_("Số lượng khen thưởng")),
    ]
