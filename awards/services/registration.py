"""Writes to a unit's emulation registration (đăng ký thi đua) of a bloc-year.

The unit's focal points register until the registration deadline; after it the unit is refused
with the date, and the bloc secretariat or a council admin may still record the registration on
the unit's behalf, marked late (``blocs.access.may_act_after_due``, the rule of the
self-assessment). A registration written by someone outside the unit is marked as entered on
its behalf. Once the bloc's proposals are submitted the registration no longer changes: the
registration gate of the submitted proposals read it. Every change is audited.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import AwardType, Registration
from awards.selectors import rule_set_for_year, uncovered_reason
from blocs import access as bloc_access
from blocs import deadlines
from blocs.audit import audit_record
from blocs.models import BlocYear, Membership, Unit, User
from common.numbers import format_number

MAX_PLEDGE = 5000
# The proposals read the registrations: from these states they no longer change.
CLOSED_STATES = frozenset({BlocYear.State.PROPOSED, BlocYear.State.DECIDED})


def registration_catalogue(bloc_year: BlocYear) -> list[AwardType]:
    """The awards a unit may register for the bloc-year: the catalogue of the year's rule set,
    highest first (none when no rule set covers the year)."""
    rule_set = rule_set_for_year(bloc_year.year)
    if rule_set is None:
        return []
    return list(AwardType.objects.filter(rule_set=rule_set).order_by("order", "pk"))


def registration_open(bloc_year: BlocYear, on: datetime.date) -> bool:
    """Whether the unit itself may still register on ``on``: before the proposals are
    submitted, and not after the registration deadline."""
    return bloc_year.state not in CLOSED_STATES and not deadlines.is_late(
        bloc_year.registration_due, on
    )


def _refusal(bloc_year: BlocYear, unit: Unit, by: User | None, now: datetime.datetime) -> bool:
    """Raise what forbids this registration; else whether it is late."""
    if bloc_year.state in CLOSED_STATES:
        raise ValidationError(
            _(
                "Khối đã trình đề nghị khen thưởng năm %(year)s: bản đăng ký thi đua không sửa "
                "được nữa."
            )
            % {"year": bloc_year.year}
        )
    if not Membership.objects.filter(bloc_year=bloc_year, unit=unit).exists():
        raise ValidationError(
            _("%(unit)s không phải thành viên của khối năm %(year)s.")
            % {"unit": unit.name_in_year(bloc_year.year), "year": bloc_year.year}
        )
    due = bloc_year.registration_due
    if due is None or not deadlines.is_late(due, now):
        return False
    if bloc_access.may_act_after_due(by, bloc_year, unit.pk):
        return True
    raise ValidationError(deadlines.registration_closed_message(due))


def _chosen(bloc_year: BlocYear, award_codes: Sequence[str]) -> list[AwardType]:
    catalogue = registration_catalogue(bloc_year)
    if not catalogue:
        raise ValidationError({"awards": uncovered_reason(bloc_year.year)})
    by_code = {award.code: award for award in catalogue}
    unknown = [code for code in award_codes if code not in by_code]
    if unknown:
        raise ValidationError(
            {
                "awards": _("Không có trong danh mục khen thưởng năm %(year)s: %(codes)s.")
                % {"year": bloc_year.year, "codes": ", ".join(unknown)}
            }
        )
    if not award_codes:
        raise ValidationError({"awards": _("Chọn ít nhất một danh hiệu đăng ký.")})
    return [award for award in catalogue if award.code in set(award_codes)]


@transaction.atomic
def registration_save(
    *,
    bloc_year: BlocYear,
    unit: Unit,
    award_codes: Sequence[str],
    pledge: str = "",
    by: User | None,
    now: datetime.datetime | None = None,
) -> Registration:
    """Record (or change) ``unit``'s registration for ``bloc_year``: the awards of the year's
    catalogue it aims for (by code) and its pledge. Refused with a ``ValidationError`` (at
    ``awards`` or ``pledge`` when one of them is wrong) and nothing written; saving what is
    already recorded writes nothing."""
    now = now or timezone.now()
    # One registration at a time per bloc-year: two first saves of a unit cannot both insert.
    bloc_year = BlocYear.objects.select_for_update().select_related("bloc").get(pk=bloc_year.pk)
    late = _refusal(bloc_year, unit, by, now)
    awards = _chosen(bloc_year, award_codes)
    pledge = pledge.strip()
    if len(pledge) > MAX_PLEDGE:
        raise ValidationError(
            {"pledge": _("Tối đa %(count)s ký tự.") % {"count": format_number(MAX_PLEDGE, 0)}}
        )
    registration = Registration.objects.filter(bloc_year=bloc_year, unit=unit).first()
    new_codes = [award.code for award in awards]
    old_codes = (
        list(registration.awards.order_by("order", "pk").values_list("code", flat=True))
        if registration is not None
        else []
    )
    old_pledge = registration.pledge if registration is not None else ""
    if registration is not None and (old_codes, old_pledge) == (new_codes, pledge):
        return registration
    on_behalf = by is not None and by.unit_id != unit.pk
    if registration is None:
        registration = Registration(bloc_year=bloc_year, unit=unit)
    registration.pledge = pledge
    registration.registered_by = by
    registration.registered_at = now
    registration.on_behalf = on_behalf
    registration.late = registration.late or late  # a late change leaves the record late
    registration.save()
    registration.awards.set(awards)
    names = {"unit": unit.name_in_year(bloc_year.year), "year": bloc_year.year}
    summary = _("Đăng ký thi đua năm %(year)s của %(unit)s") % names
    if on_behalf:
        summary += _(" (thư ký khối ghi thay)")
    if late:
        summary += _(" – nộp muộn")
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=f"awards:{bloc_year.pk}",
        action="registration.save",
        subject=f"unit:{unit.pk}",
        summary=summary,
        changes={
            field: [old, new]
            for field, old, new in (
                ("awards", old_codes, new_codes),
                ("pledge", old_pledge, pledge),
            )
            if old != new
        },
    )
    return registration
