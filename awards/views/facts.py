"""Unit-year facts: the staff figures the unit titles need, per unit and per bloc-year.

A unit's focal point (or the bloc secretariat) enters its figures; the secretariat of another
unit marks them checked. Members see only whether the other units entered theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from awards import access, eligibility
from awards.eligibility import Candidate, Context, Facts, Gates
from awards.forms_ballots import FactsCheckBatchForm, FactsCheckForm, FactsForm
from awards.models import AwardType, UnitYearFacts
from awards.selectors import gates_for, rule_set_for_year
from awards.services import facts as services
from awards.services.facts import percent
from blocs.http import AuthenticatedHttpRequest
from blocs.models import BlocYear, Membership, Unit, User
from common.forms import pressed, show_service_error
from common.http import posted_id
from common.navigation import Crumb, home_crumb
from common.numbers import format_percent
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


@dataclass
class Derived:
    completing: Decimal | None
    advanced: Decimal | None
    women: Decimal | None


def derived(facts: UnitYearFacts | None) -> Derived | None:
    if facts is None:
        return None
    return Derived(
        completing=percent(facts.completing_tasks, facts.headcount),
        advanced=percent(facts.advanced_workers, facts.headcount),
        women=percent(facts.women, facts.headcount),
    )


@dataclass
class GateRow:
    award: AwardType
    passed: bool
    standards: str
    reasons: list[str] = field(default_factory=list)


def standards_text(gates: Gates) -> str:
    """The award's staff standards in one line: what the figures are checked against."""
    parts = []
    if gates.min_completing_percent is not None:
        parts.append(
            (
                _("%(min)s người hoàn thành nhiệm vụ")
                if gates.min_completing_percent >= 100
                else _("từ %(min)s người hoàn thành nhiệm vụ")
            )
            % {"min": format_percent(gates.min_completing_percent)}
        )
    if gates.min_advanced_percent is not None:
        parts.append(
            (
                _("trên %(min)s đạt “Lao động tiên tiến”")
                if gates.advanced_strictly_above
                else _("từ %(min)s đạt “Lao động tiên tiến”")
            )
            % {"min": format_percent(gates.min_advanced_percent)}
        )
    if gates.min_emulation_fighters:
        parts.append(
            _("ít nhất %(count)s “Chiến sĩ thi đua cơ sở”")
            % {"count": gates.min_emulation_fighters}
        )
    if gates.no_discipline:
        parts.append(_("không ai bị kỷ luật từ khiển trách trở lên"))
    return "; ".join(parts)


def gate_rows(facts: UnitYearFacts | None, unit: Unit, year: int) -> list[GateRow]:
    """For each award with staff standards: met or not, and why (staff and discipline gates)."""
    if facts is None:
        return []
    rule_set = rule_set_for_year(year)
    if rule_set is None:
        return []
    awards = list(AwardType.objects.filter(rule_set=rule_set).order_by("order", "pk"))
    names = {award.code: award.name for award in awards}
    candidate = Candidate(
        unit_id=unit.pk,
        name=unit.name,
        rank=None,
        facts=Facts(
            headcount=facts.headcount,
            completing_tasks=facts.completing_tasks,
            advanced_workers=facts.advanced_workers,
            emulation_fighters=facts.emulation_fighters,
            disciplined=facts.disciplined,
            under_investigation=facts.under_investigation,
            note=facts.investigation_note,
        ),
    )
    rows = []
    for award in awards:
        gates = gates_for(award, rule_set, members=0, override=None, names=names)
        if not gates.needs_staff_figures:
            continue
        findings = [
            finding
            for finding in eligibility.check(candidate, gates, Context(year=year, members=0))
            if finding.gate in eligibility.STAFF_GATES
        ]
        rows.append(
            GateRow(
                award=award,
                passed=not any(finding.blocking for finding in findings),
                standards=standards_text(gates),
                reasons=[finding.message for finding in findings],
            )
        )
    return rows


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


@login_required
@require_http_methods(["GET", "POST"])
def unit_facts(request: AuthenticatedHttpRequest, unit_id: int, year: int) -> HttpResponse:
    if not 2000 <= year <= 2100:
        raise Http404
    unit = get_object_or_404(Unit.objects.prefetch_related("former_names"), pk=unit_id)
    membership = (
        Membership.objects.select_related("bloc_year__bloc__council")
        .filter(unit=unit, year=year)
        .first()
    )
    bloc_year = membership.bloc_year if membership is not None else None
    user = request.user
    may_edit = access.can_edit_facts(user, unit.pk, bloc_year)
    if not access.can_read_facts(user, unit, bloc_year):
        # Other members see only whether a unit entered its figures (on the bloc's list).
        raise PermissionDenied
    facts = (
        UnitYearFacts.objects.select_related("entered_by", "checked_by")
        .filter(unit=unit, year=year)
        .first()
    )
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
        if form.is_valid():
            try:
                result = services.facts_save(
                    unit=unit, year=year, values=form.cleaned_data, by=user
                )
            except ValidationError as error:
                show_service_error(form, error)
            else:
                messages.success(request, _saved_message(result))
                return redirect(request.path)
    unit_name = unit.name_in_year(year)
    return render(
        request,
        "awards/facts_unit.html",
        {
            "unit": unit,
            "unit_name": unit_name,
            "year": year,
            "bloc_year": bloc_year,
            "membership": membership,
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
        },
    )


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


@dataclass
class FactsRow:
    unit_id: int
    name: str
    role: str
    facts: UnitYearFacts | None
    full: bool  # figures shown, or only "entered / not entered"
    derived: Derived | None
    url: str | None
    may_check: bool


@login_required
@require_http_methods(["GET", "POST"])
def facts(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request, bloc_id, year, follow=True)
    user = request.user
    if request.method == "POST":
        unit_id = posted_id(request.POST, "unit")
        if unit_id is None:
            raise PermissionDenied
        target = get_object_or_404(
            UnitYearFacts.objects.select_related("unit").prefetch_related("unit__former_names"),
            unit_id=unit_id,
            year=year,
            unit__memberships__bloc_year=bloc_year,
        )
        if not access.can_check_facts(user, unit_id, bloc_year):
            raise PermissionDenied
        _check(request, target, FactsCheckForm(request.POST))
        return redirect(request.path)
    manage = access.can_manage_awards(user, bloc_year)
    sees_all = manage or access.is_council_leader(user, bloc_year.bloc.council_id)
    memberships = list(
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .prefetch_related("unit__former_names")
    )
    by_unit = {
        item.unit_id: item
        for item in UnitYearFacts.objects.filter(
            year=year, unit__memberships__bloc_year=bloc_year
        ).select_related("checked_by")
    }
    rows = []
    for membership in memberships:
        unit_id = membership.unit_id
        own = user.unit_id == unit_id and user.role == User.Role.FOCAL_POINT
        item = by_unit.get(unit_id)
        full = sees_all or own
        rows.append(
            FactsRow(
                unit_id=unit_id,
                name=membership.unit.name_in_year(year),
                role=membership.role,
                facts=item,
                full=full,
                derived=derived(item) if full else None,
                url=reverse("awards:unit-facts", args=[unit_id, year]) if full else None,
                may_check=item is not None
                and item.checked_at is None
                and access.can_check_facts(user, unit_id, bloc_year),
            )
        )
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
        for problem in form.errors.get("units", []):
            messages.error(request, str(problem))
        return redirect("awards:facts", bloc_id, year)
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
