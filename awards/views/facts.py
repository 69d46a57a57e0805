"""Unit-year facts: the staff figures the unit titles need, per unit and per bloc-year.

A unit's focal point (or the bloc secretariat) enters its figures; the secretariat of another
unit marks them checked. Members see only whether the other units entered theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from awards import access
from awards.facts_rows import derived, facts_rows, gate_rows
from awards.forms_ballots import FactsCheckBatchForm, FactsCheckForm, FactsForm
from awards.models import UnitYearFacts
from awards.services import facts as services
from blocs.http import AuthenticatedHttpRequest
from blocs.models import BlocYear, Membership, Unit, User
from common.forms import pressed
from common.http import posted_id
from common.navigation import Crumb, home_crumb
from scoring.forms_ranking import field_summary
from scoring.services.ranking import FINALIZED_STATES


def facts_crumbs(bloc_year: BlocYear, *, last: str | None = None) -> list[Crumb]:
    bloc = bloc_year.bloc
    crumbs = [
        home_crumb(),
        Crumb(bloc.name, bloc.get_absolute_url()),
        Crumb(str(bloc_year.year), bloc_year.get_absolute_url()),
    ]
    label = _("Số liệu cán bộ, người lao động")
    if last is None:
        return [*crumbs, Crumb(label)]
    return [
        *crumbs,
        Crumb(label, reverse("awards:facts", args=[bloc.pk, bloc_year.year])),
        Crumb(last),
    ]


def _saved_message(result: services.FactsSaved) -> str:
    if not result.changed and result.women_share != "copied":
        return _("Không có thay đổi nào để lưu.")
    parts = [_("Đã lưu số liệu.")]
    if result.check_cleared:
        parts.append(_("Số liệu đã thay đổi nên cần thư ký khối kiểm tra lại."))
    if result.women_share == "copied":
        parts.append(
            _(
                "Tỷ lệ nữ đã được cập nhật vào danh sách thành viên khối "
                "(dùng khi xét ưu tiên lúc bằng điểm)."
            )
        )
    elif result.women_share == "finalized":
        parts.append(_("Kết quả xếp hạng đã chốt nên tỷ lệ nữ trong xếp hạng không thay đổi."))
    return " ".join(parts)


@dataclass
class UnitYear:
    """The unit of the facts page, its membership in the year (if any) and its figures."""

    unit: Unit
    membership: Membership | None
    facts: UnitYearFacts | None

    @property
    def bloc_year(self) -> BlocYear | None:
        return self.membership.bloc_year if self.membership is not None else None


def _unit_year(unit_id: int, year: int) -> UnitYear:
    if not 2000 <= year <= 2100:
        raise Http404
    unit = get_object_or_404(Unit.objects.prefetch_related("former_names"), pk=unit_id)
    membership = (
        Membership.objects.select_related("bloc_year__bloc__council")
        .filter(unit=unit, year=year)
        .first()
    )
    facts = (
        UnitYearFacts.objects.select_related("entered_by", "checked_by")
        .filter(unit=unit, year=year)
        .first()
    )
    return UnitYear(unit, membership, facts)


@login_required
@require_http_methods(["GET", "POST"])
def unit_facts(request: AuthenticatedHttpRequest, unit_id: int, year: int) -> HttpResponse:
    found = _unit_year(unit_id, year)
    unit, facts, bloc_year, user = found.unit, found.facts, found.bloc_year, request.user
    may_edit = access.can_edit_facts(user, unit.pk, bloc_year)
    if not access.can_read_facts(user, unit, bloc_year):
        # Other members see only whether a unit entered its figures (on the bloc's list).
        raise PermissionDenied
    may_check = facts is not None and access.can_check_facts(user, unit.pk, bloc_year)
    form = FactsForm(facts=facts) if may_edit else None
    if request.method == "POST":
        if pressed(request.POST) == "check":
            if not may_check or facts is None:
                raise PermissionDenied
            _check(request, facts, FactsCheckForm(request.POST))
            return redirect(request.path)
        if not may_edit:
            raise PermissionDenied
        form = FactsForm(request.POST, facts=facts)
        result = form.save(unit=unit, year=year, by=user) if form.is_valid() else None
        if result is not None:
            messages.success(request, _saved_message(result))
            return redirect(request.path)
    return render(
        request, "awards/facts_unit.html", _unit_facts_context(found, year, form, may_check)
    )


def _unit_facts_context(
    found: UnitYear, year: int, form: FactsForm | None, may_check: bool
) -> dict[str, object]:
    unit, facts, bloc_year = found.unit, found.facts, found.bloc_year
    unit_name = unit.name_in_year(year)
    return {
        "unit": unit,
        "unit_name": unit_name,
        "year": year,
        "bloc_year": bloc_year,
        "membership": found.membership,
        "facts": facts,
        "derived": derived(facts),
        "gates": gate_rows(facts, unit, year),
        "form": form,
        "summary": field_summary(form) if form is not None and form.is_bound else [],
        "may_check": may_check,
        "finalized": bloc_year is not None and bloc_year.state in FINALIZED_STATES,
        "breadcrumbs": (
            facts_crumbs(bloc_year, last=unit_name)
            if bloc_year is not None
            else [home_crumb(), Crumb(unit_name, unit.get_absolute_url()), Crumb(str(year))]
        ),
    }


def _check(request: AuthenticatedHttpRequest, facts: UnitYearFacts, form: FactsCheckForm) -> None:
    try:
        services.facts_check(facts=facts, by=request.user, seen=form.seen_at)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Đã đánh dấu đã kiểm tra số liệu của %(unit)s.")
            % {"unit": facts.unit.name_in_year(facts.year)},
        )


def _check_one(request: AuthenticatedHttpRequest, bloc_year: BlocYear) -> None:
    """Mark one member's figures checked (the button of its row)."""
    unit_id = posted_id(request.POST, "unit")
    if unit_id is None:
        raise PermissionDenied
    target = get_object_or_404(
        UnitYearFacts.objects.select_related("unit").prefetch_related("unit__former_names"),
        unit_id=unit_id,
        year=bloc_year.year,
        unit__memberships__bloc_year=bloc_year,
    )
    if not access.can_check_facts(request.user, unit_id, bloc_year):
        raise PermissionDenied
    _check(request, target, FactsCheckForm(request.POST))


@login_required
@require_http_methods(["GET", "POST"])
def facts(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request, bloc_id, year, follow=True)
    if request.method == "POST":
        _check_one(request, bloc_year)
        return redirect(request.path)
    return _facts_page(request, bloc_year)


def _facts_page(
    request: AuthenticatedHttpRequest,
    bloc_year: BlocYear,
    batch: FactsCheckBatchForm | None = None,
) -> HttpResponse:
    """The facts page; after a refused batch, with its error at the button and the ticks kept."""
    user = request.user
    manage = access.can_manage_awards(user, bloc_year)
    sees_all = manage or access.is_council_leader(user, bloc_year.bloc.council_id)
    rows = facts_rows(user, bloc_year, sees_all=sees_all)
    return render(
        request,
        "awards/facts.html",
        {
            "bloc_year": bloc_year,
            "rows": rows,
            "may_check_any": any(row.may_check for row in rows),
            "entered": sum(1 for row in rows if row.facts is not None),
            "checked": sum(1 for row in rows if row.facts and row.facts.checked_at),
            "manage": manage,
            "sees_all": sees_all,
            "batch": batch,
            "ticked": batch.ticked() if batch is not None else set(),
            "breadcrumbs": facts_crumbs(bloc_year),
        },
    )


def _checkable(user: User, bloc_year: BlocYear) -> list[UnitYearFacts]:
    """The members' figures not yet checked that this person may check."""
    return [
        item
        for item in UnitYearFacts.objects.filter(
            year=bloc_year.year, unit__memberships__bloc_year=bloc_year, checked_at__isnull=True
        )
        .select_related("unit")
        .prefetch_related("unit__former_names")
        if access.can_check_facts(user, item.unit_id, bloc_year)
    ]


@login_required
@require_POST
def facts_check_batch(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """Mark the ticked units' figures checked, each on its own (``services.facts_check_batch``);
    figures changed or checked meanwhile are named with why."""
    bloc_year = access.get_bloc_year(request, bloc_id, year, follow=False)
    form = FactsCheckBatchForm(request.POST, facts=_checkable(request.user, bloc_year))
    if not form.is_valid():
        return _facts_page(request, bloc_year, form)
    outcome = services.facts_check_batch(items=form.chosen(), by=request.user)
    if count := len(outcome.done):
        messages.success(
            request,
            ngettext(
                "Đã đánh dấu đã kiểm tra số liệu của %(count)s đơn vị.",
                "Đã đánh dấu đã kiểm tra số liệu của %(count)s đơn vị.",
                count,
            )
            % {"count": count},
        )
    for facts, reason in outcome.refused:
        messages.warning(
            request,
            _("%(unit)s: %(reason)s") % {"unit": facts.unit.name_in_year(year), "reason": reason},
        )
    return redirect("awards:facts", bloc_id, year)
