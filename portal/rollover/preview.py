"""The preview of next year (``rollover_plan``): members, head and deputy, the criteria set to
copy, and why next year cannot be opened, with a digest of what the admin saw."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import replace

from django.utils.translation import gettext as _

from awards.open_proposals import open_proposals
from blocs.models import BlocYear, Council, Membership
from common.collation import vietnamese_sort_key
from portal.rollover.edits import apply_edits, council_units
from portal.rollover.leaders import suggest_leaders
from portal.rollover.members import planned_members
from portal.rollover.plan import (
    Basis,
    CriteriaAction,
    CriteriaPlan,
    Origin,
    Plan,
    PlannedMember,
    RolloverChoices,
    short_date,
)
from scoring.models import CriteriaSet, ScoringSeason

LAST_YEAR = 2100


# ------------------------------------------------------------------------------ criteria


def _criteria(bloc_year: BlocYear) -> CriteriaPlan:
    year = bloc_year.year + 1
    season = ScoringSeason.objects.filter(bloc_year=bloc_year).select_related("criteria_set")
    source = next((s.criteria_set for s in season), None)
    if source is None:
        source = (
            CriteriaSet.objects.filter(bloc_year=bloc_year).order_by("-created_at", "-pk").first()
            or CriteriaSet.objects.filter(
                council_id=bloc_year.bloc.council_id, year=bloc_year.year, bloc_year__isnull=True
            )
            .order_by("-created_at", "-pk")
            .first()
        )
    if source is None:
        return CriteriaPlan(CriteriaAction.NONE)
    name = source.name.replace(str(source.year), str(year))
    if source.bloc_year_id is not None:
        return CriteriaPlan(CriteriaAction.CLONE_OWN, source, name)
    existing = (
        CriteriaSet.objects.filter(council_id=source.council_id, year=year, bloc_year__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    if existing is not None:
        return CriteriaPlan(CriteriaAction.USE_SHARED, source, existing=existing)
    return CriteriaPlan(CriteriaAction.CLONE_SHARED, source, name)


# ------------------------------------------------------------------------------ the plan


def _problems(bloc_year: BlocYear) -> tuple[list[str], BlocYear | None, Council | None]:
    year = bloc_year.year + 1
    council = bloc_year.bloc.council
    problems = []
    existing = BlocYear.objects.filter(bloc_id=bloc_year.bloc_id, year=year).first()
    if existing is not None:
        problems.append(
            _("%(bloc)s đã có năm %(year)s; không mở lại được.")
            % {"bloc": bloc_year.bloc.name, "year": year}
        )
    if year > LAST_YEAR:
        problems.append(_("Năm %(year)s nằm ngoài phạm vi ứng dụng.") % {"year": year})
    successor = None
    cutoff = datetime.date(min(year, LAST_YEAR), 1, 1)
    if not council.is_active_on(cutoff):
        successor = council.successor
        if successor is not None and council.valid_until is not None:
            problems.append(
                _(
                    "%(council)s đã hợp nhất vào %(successor)s từ ngày %(day)s. Từ năm %(year)s, "
                    "các khối thi đua do %(successor)s thành lập và quản lý; lịch sử của khối "
                    "này được giữ nguyên."
                )
                % {
                    "council": council.name,
                    "successor": successor.name,
                    "day": short_date(council.valid_until + datetime.timedelta(days=1)),
                    "year": year,
                }
            )
        else:
            problems.append(
                _("%(council)s không hoạt động vào ngày 01/01/%(year)s.")
                % {"council": council.name, "year": year}
            )
    return problems, existing, successor


def rollover_plan(bloc_year: BlocYear, choices: RolloverChoices | None = None) -> Plan:
    """What opening next year would create, with the admin's ``choices`` applied."""
    choices = choices or RolloverChoices()
    year = bloc_year.year + 1
    problems, existing, successor = _problems(bloc_year)
    memberships = list(
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .prefetch_related("unit__former_names")
    )
    planned, dropped, questions = planned_members(bloc_year, memberships, choices)
    planned, removed, candidates, errors = apply_edits(
        planned,
        choices,
        council_units(bloc_year.bloc.council_id, year) if not problems else [],
        council_id=bloc_year.bloc.council_id,
        year=year,
    )
    suggestion = suggest_leaders(bloc_year, memberships, planned)
    head_id = suggestion.head.pk if suggestion.head else None
    deputy_id = suggestion.deputy.pk if suggestion.deputy else None
    head_basis, deputy_basis = suggestion.head_basis, suggestion.deputy_basis
    head_reason, deputy_reason = suggestion.head_reason, suggestion.deputy_reason
    names = {unit.pk: unit.name_in_year(year) for unit, _origin, _replaced in planned}
    chosen_head, chosen_deputy = head_id, deputy_id
    if choices.head_id is not None and choices.head_id != head_id:
        if choices.head_id in names:
            chosen_head, head_basis = choices.head_id, Basis.ADMIN
            head_reason = _("Quản trị chọn; đề xuất là %(unit)s.") % {
                "unit": names.get(head_id or 0, "–")
            }
        else:
            errors["head"] = _("Trưởng khối phải là thành viên của khối năm %(year)s.") % {
                "year": year
            }
    if choices.deputy_id is not None and choices.deputy_id != deputy_id:
        if choices.deputy_id in names:
            chosen_deputy, deputy_basis = choices.deputy_id, Basis.ADMIN
            deputy_reason = _("Quản trị chọn; đề xuất là %(unit)s.") % {
                "unit": names.get(deputy_id or 0, "–")
            }
        else:
            errors["deputy"] = _("Khối phó phải là thành viên của khối năm %(year)s.") % {
                "year": year
            }
    if chosen_head is not None and chosen_head == chosen_deputy:
        errors["deputy"] = _("Trưởng khối và Khối phó phải là hai đơn vị khác nhau.")
    roles = {chosen_head: Membership.Role.HEAD, chosen_deputy: Membership.Role.DEPUTY}
    members = [
        PlannedMember(
            unit=unit,
            name=unit.name_in_year(year),
            role=roles.get(unit.pk, Membership.Role.MEMBER),
            origin=Origin.RENAMED
            if origin == Origin.KEPT and unit.name_in_year(year) != unit.name_in_year(year - 1)
            else origin,
            replaces=tuple(
                member.name_in_year(year - 1) for member in replaced if member.pk != unit.pk
            ),
        )
        for unit, origin, replaced in planned
    ]
    order = {Membership.Role.HEAD: 0, Membership.Role.DEPUTY: 1, Membership.Role.MEMBER: 2}
    members.sort(key=lambda m: (order[Membership.Role(m.role)], vietnamese_sort_key(m.name)))
    plan = Plan(
        source=bloc_year,
        year=year,
        choices=choices,
        members=tuple(members),
        dropped=(*dropped, *removed),
        splits=tuple(questions),
        suggested_head_id=head_id,
        suggested_deputy_id=deputy_id,
        head_basis=head_basis,
        deputy_basis=deputy_basis,
        head_reason=head_reason,
        deputy_reason=deputy_reason,
        suggestion_notes=tuple(suggestion.notes),
        criteria=_criteria(bloc_year),
        problems=tuple(problems),
        errors=errors,
        existing=existing,
        successor_council=successor,
        candidates=tuple(candidates),
        open_proposals=tuple(open_proposals(bloc_year)) if not problems else (),
    )
    return replace(plan, digest=_digest(plan))


def _digest(plan: Plan) -> str:
    """What the admin saw and did not choose in the same submission: members (not roles, which
    the admin picks on the same page), who is left out, splits, the criteria set, refusals."""
    parts = {
        "year": plan.year,
        "members": sorted((m.unit.pk, m.origin, m.replaces) for m in plan.members),
        # The admin's reasons for taking members out are not data that could have changed.
        "dropped": sorted((d.unit.pk, "" if d.removed else d.reason) for d in plan.dropped),
        "splits": [
            (q.unit.pk, q.options, sorted(q.chosen) if q.chosen is not None else None)
            for q in plan.splits
        ],
        "suggested": (plan.suggested_head_id, plan.suggested_deputy_id),
        "criteria": (
            plan.criteria.action,
            plan.criteria.source.pk if plan.criteria.source else None,
            plan.criteria.existing.pk if plan.criteria.existing else None,
            plan.criteria.name,
        ),
        "problems": plan.problems,
    }
    return hashlib.sha256(
        json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()[:32]
