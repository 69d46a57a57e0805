"""What the facts pages show (``awards.views.facts``): a unit's figures as shares, the staff
gates of each award checked against them, and the bloc-year's list of members' figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from awards import access, eligibility
from awards.eligibility import Candidate, Context, Facts, Gates
from awards.models import AwardType, UnitYearFacts
from awards.selectors import gates_for, rule_set_for_year
from awards.services.facts import percent
from blocs.models import BlocYear, Membership, Unit, User
from common.numbers import format_percent


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


def _candidate(facts: UnitYearFacts, unit: Unit) -> Candidate:
    """The unit as the eligibility check reads it: its figures only (no rank, no history)."""
    return Candidate(
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


def gate_rows(facts: UnitYearFacts | None, unit: Unit, year: int) -> list[GateRow]:
    """For each award with staff standards: met or not, and why (staff and discipline gates)."""
    if facts is None:
        return []
    rule_set = rule_set_for_year(year)
    if rule_set is None:
        return []
    awards = list(AwardType.objects.filter(rule_set=rule_set).order_by("order", "pk"))
    names = {award.code: award.name for award in awards}
    candidate = _candidate(facts, unit)
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


def facts_rows(user: User, bloc_year: BlocYear, *, sees_all: bool) -> list[FactsRow]:
    """The bloc-year's members with their figures: in full for those who see all and for a
    unit's own focal point, else only whether they were entered."""
    year = bloc_year.year
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
    return rows
