"""Writes to a unit's staff figures of a year (UnitYearFacts): save them, mark them checked.

The unit's focal point (or the bloc secretariat) enters the figures; the secretariat of another
unit checks them. A change of any figure clears the check. The women share is copied into the
unit's membership of that year, which the ranking's tie-break reads, as long as the ranking is
not finalized (a finalized ranking never changes behind its snapshot).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import UnitYearFacts
from blocs.audit import audit_record
from blocs.models import BlocYear, Membership, Unit, User
from common.batch import BatchOutcome, each
from scoring.services.ranking import FINALIZED_STATES
from scoring.services.sheets import StateError

COUNT_FIELDS = (
    "headcount",
    "completing_tasks",
    "advanced_workers",
    "emulation_fighters",
    "women",
    "disciplined",
)
FIELDS = (*COUNT_FIELDS, "under_investigation", "investigation_note")
# Counts that can never exceed the headcount, with the words of the error message.
WITHIN_HEADCOUNT = (
    "completing_tasks",
    "advanced_workers",
    "emulation_fighters",
    "women",
    "disciplined",
)
MAX_COUNT = 1_000_000


def facts_context(unit: Unit, year: int, bloc_year: BlocYear | None) -> str:
    return f"awards:{bloc_year.pk}" if bloc_year is not None else f"awards:facts:{unit.pk}:{year}"


def percent(part: int | None, whole: int | None) -> Decimal | None:
    """``part`` of ``whole`` in percent, 2 decimals (half up); None without a whole."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def facts_problems(values: Mapping[str, Any]) -> dict[str, str]:
    """What is wrong with ``values``, by field, in words a focal point can act on."""
    problems: dict[str, str] = {}
    headcount = values.get("headcount")
    for name in COUNT_FIELDS:
        value = values.get(name)
        if value is None:
            if name not in ("women",):
                problems[name] = _("Nhập số liệu này (số nguyên từ 0).")
        elif not isinstance(value, int) or value < 0 or value > MAX_COUNT:
            problems[name] = _("Nhập số nguyên từ 0 đến %(max)s.") % {"max": MAX_COUNT}
    if isinstance(headcount, int) and "headcount" not in problems:
        if headcount < 1:
            problems["headcount"] = _("Tổng số người phải lớn hơn 0.")
        else:
            for name in WITHIN_HEADCOUNT:
                value = values.get(name)
                if name not in problems and isinstance(value, int) and value > headcount:
                    problems[name] = _(
                        "Không được lớn hơn tổng số người của đơn vị (%(headcount)s)."
                    ) % {"headcount": headcount}
    if (
        values.get("under_investigation")
        and not str(values.get("investigation_note") or "").strip()
    ):
        problems["investigation_note"] = _(
            "Ghi rõ nội dung đơn vị đang bị xem xét kỷ luật, thanh tra, kiểm tra hoặc điều tra."
        )
    return problems


@dataclass
class FactsSaved:
    facts: UnitYearFacts
    created: bool
    changed: list[str] = field(default_factory=list)
    check_cleared: bool = False
    # "copied" (membership updated), "unchanged", "finalized" (ranking already finalized: not
    # copied), or "" (no women figure, or the unit is in no bloc that year)
    women_share: str = ""


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **{name: values.get(name) for name in COUNT_FIELDS},
        "disciplined": values.get("disciplined") or 0,
        "under_investigation": bool(values.get("under_investigation")),
        "investigation_note": str(values.get("investigation_note") or "").strip(),
    }


@transaction.atomic
def facts_save(*, unit: Unit, year: int, values: Mapping[str, Any], by: User | None) -> FactsSaved:
    """Create or update the unit's figures of ``year``; raises ``ValidationError`` by field."""
    problems = facts_problems(values)
    if problems:
        raise ValidationError(problems)
    clean = _clean(values)
    facts = UnitYearFacts.objects.select_for_update().filter(unit=unit, year=year).first()
    created = facts is None
    before: dict[str, Any] = (
        {} if facts is None else {name: getattr(facts, name) for name in FIELDS}
    )
    changed = [name for name in FIELDS if created or before[name] != clean[name]]
    cleared = False
    if facts is None:
        facts = UnitYearFacts(unit=unit, year=year, entered_by=by, **clean)
        facts.save()
    elif changed:
        for name in changed:
            setattr(facts, name, clean[name])
        facts.entered_by = by
        if facts.checked_at is not None:
            # The secretariat checked other figures than these.
            facts.checked_by = None
            facts.checked_at = None
            cleared = True
        facts.save()
    result = FactsSaved(facts=facts, created=created, changed=changed, check_cleared=cleared)
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("bloc_year")
        .filter(unit=unit, year=year)
        .first()
    )
    bloc_year = membership.bloc_year if membership is not None else None
    share_change: list[str | None] = []
    if membership is not None and (clean["women"] is not None or before.get("women") is not None):
        share = percent(clean["women"], clean["headcount"])
        if membership.bloc_year.state in FINALIZED_STATES:
            result.women_share = "finalized" if share != membership.women_share else "unchanged"
        elif share != membership.women_share:
            share_change = [
                None if membership.women_share is None else str(membership.women_share),
                None if share is None else str(share),
            ]
            membership.women_share = share
            membership.save(update_fields=["women_share"])
            result.women_share = "copied"
        else:
            result.women_share = "unchanged"
    if changed or share_change:
        audit_record(
            actor=by,
            bloc_year=bloc_year,
            context=facts_context(unit, year, bloc_year),
            action="facts.create" if created else "facts.update",
            subject=unit.code,
            summary=(
                _("Nhập số liệu cán bộ, người lao động năm %(year)s của %(unit)s")
                if created
                else _("Sửa số liệu cán bộ, người lao động năm %(year)s của %(unit)s")
            )
            % {"year": year, "unit": unit.name_in_year(year)},
            changes={
                **{name: [before.get(name), clean[name]] for name in changed},
                **({"membership.women_share": share_change} if share_change else {}),
                **({"checked": ["yes", "no"]} if cleared else {}),
            },
        )
    return result


@transaction.atomic
def facts_check(
    *, facts: UnitYearFacts, by: User, seen: datetime.datetime | None = None
) -> UnitYearFacts:
    """Mark the figures checked. Never by the unit's own people; with ``seen`` (when the person
    loaded the figures), refused if the unit changed them since."""
    if by.unit_id is not None and by.unit_id == facts.unit_id:
        raise ValidationError(
            _("Không tự kiểm tra số liệu của đơn vị mình; việc này do thư ký khối khác thực hiện.")
        )
    now = timezone.now()
    rows = UnitYearFacts.objects.filter(pk=facts.pk, checked_at__isnull=True)
    if seen is not None:
        rows = rows.filter(entered_at=seen)
    if not rows.update(checked_by=by, checked_at=now):
        current = UnitYearFacts.objects.get(pk=facts.pk)
        if current.checked_at is not None:
            raise StateError(_("Số liệu này đã được đánh dấu kiểm tra."))
        raise StateError(_("Đơn vị vừa sửa số liệu; hãy xem lại số liệu mới rồi kiểm tra."))
    facts.checked_by = by
    facts.checked_at = now
    membership = (
        Membership.objects.select_related("bloc_year")
        .filter(unit_id=facts.unit_id, year=facts.year)
        .first()
    )
    bloc_year = membership.bloc_year if membership is not None else None
    unit = facts.unit
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=facts_context(unit, facts.year, bloc_year),
        action="facts.check",
        subject=unit.code,
        summary=_("Đánh dấu đã kiểm tra số liệu năm %(year)s của %(unit)s")
        % {"year": facts.year, "unit": unit.name_in_year(facts.year)},
        changes={
            name: getattr(facts, name)
            for name in ("headcount", "completing_tasks", "advanced_workers", "emulation_fighters")
        },
    )
    return facts


def facts_check_batch(
    *, items: Sequence[tuple[UnitYearFacts, datetime.datetime | None]], by: User
) -> BatchOutcome[UnitYearFacts]:
    """Mark several units' figures checked, each exactly as ``facts_check`` alone (with the time
    the checker's copy was entered); figures changed or checked meanwhile are named with why."""
    outcome = each(items, lambda item: facts_check(facts=item[0], by=by, seen=item[1]))
    return BatchOutcome(
        done=[facts for facts, _seen in outcome.done],
        refused=[(facts, reason) for (facts, _seen), reason in outcome.refused],
    )
