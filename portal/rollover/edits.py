"""The admin's own changes to next year's members: members taken out (with an optional
reason) and units of the council added by hand (docs/reorganisation.md, "Opening next year")."""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from blocs.models import Membership, Unit
from common.collation import vietnamese_sort_key
from portal.rollover.plan import DroppedMember, Origin, RolloverChoices, short_date

REASON_MAX_LENGTH = 200

Planned = list[tuple[Unit, str, list[Unit]]]


def addition_refusal(
    unit: Unit, *, council_id: int, year: int, elsewhere: str | None
) -> str | None:
    """Why ``unit`` cannot be added by hand to a bloc of council ``council_id`` in ``year``
    (None: it can). ``elsewhere`` is the bloc it already belongs to that year, if any: a unit
    is in one bloc of its council per year."""
    name = unit.name_in_year(year)
    if unit.council_id != council_id:
        return _("%(unit)s thuộc hội đồng khác, không là thành viên của khối được.") % {
            "unit": name
        }
    if unit.active_until is not None and unit.active_until < datetime.date(year, 1, 1):
        return _(
            "%(unit)s đã ngừng hoạt động từ sau ngày %(day)s; không thêm vào khối năm %(year)s "
            "được."
        ) % {
            "unit": unit.name_on(unit.active_until),
            "day": short_date(unit.active_until),
            "year": year,
        }
    if unit.active_from is not None and unit.active_from > datetime.date(year, 12, 31):
        return _("%(unit)s hoạt động từ ngày %(day)s, sau năm %(year)s.") % {
            "unit": name,
            "day": short_date(unit.active_from),
            "year": year,
        }
    if elsewhere:
        return _(
            "%(unit)s đã là thành viên của %(bloc)s năm %(year)s; mỗi năm một đơn vị chỉ ở một "
            "khối."
        ) % {"unit": name, "bloc": elsewhere, "year": year}
    return None


def council_units(council_id: int, year: int) -> list[tuple[Unit, str | None]]:
    """Every unit of the council with the bloc it belongs to in ``year`` (or None)."""
    bloc_that_year = Membership.objects.filter(unit_id=OuterRef("pk"), year=year).values(
        "bloc_year__bloc__name"
    )[:1]
    units = (
        Unit.objects.filter(council_id=council_id)
        .annotate(bloc_that_year=Subquery(bloc_that_year))
        .prefetch_related("former_names")
    )
    return [(unit, getattr(unit, "bloc_that_year", None)) for unit in units]


def apply_edits(
    planned: Planned,
    choices: RolloverChoices,
    units: list[tuple[Unit, str | None]],
    *,
    council_id: int,
    year: int,
) -> tuple[Planned, list[DroppedMember], list[tuple[int, str]], dict[str, str]]:
    """Next year's members after the admin's changes, the members taken out, the units that
    may still be added, and the refusals by form field.

    Taking out a unit the rules did not bring in is nothing to do (an added unit is simply
    no longer added); a unit already brought in by the rules is not added twice."""
    errors: dict[str, str] = {}
    for pk, reason in choices.removed.items():
        if len(reason) > REASON_MAX_LENGTH:
            errors[f"reason_{pk}"] = _("Lý do dài quá %(count)s ký tự.") % {
                "count": REASON_MAX_LENGTH
            }
    kept: Planned = []
    removed: list[DroppedMember] = []
    for unit, origin, replaced in planned:
        if unit.pk in choices.removed:
            name = unit.name_in_year(year)
            removed.append(DroppedMember(unit, name, choices.removed[unit.pk], removed=True))
        else:
            kept.append((unit, origin, replaced))
    brought = {unit.pk for unit, _origin, _replaced in planned}
    wanted = choices.added - choices.removed.keys() - brought
    added, refusals = _additions(wanted, units, council_id=council_id, year=year)
    kept += added
    if refusals:
        errors["add"] = " ".join(refusals)
    members = {unit.pk for unit, _origin, _replaced in kept}
    candidates = sorted(
        (
            (unit.pk, unit.name_in_year(year))
            for unit, bloc in units
            if unit.pk not in members | brought
            and addition_refusal(unit, council_id=council_id, year=year, elsewhere=bloc) is None
        ),
        key=lambda option: vietnamese_sort_key(option[1]),
    )
    return kept, removed, candidates, errors


def _additions(
    wanted: frozenset[int] | set[int],
    units: list[tuple[Unit, str | None]],
    *,
    council_id: int,
    year: int,
) -> tuple[Planned, list[str]]:
    """The units added by hand that may join, and why the others may not."""
    bloc_of = {unit.pk: (unit, bloc) for unit, bloc in units}
    added: Planned = []
    refusals: list[str] = []
    for pk in sorted(wanted):
        if pk not in bloc_of:
            refusals.append(_("Đơn vị không thuộc hội đồng này."))
            continue
        unit, bloc = bloc_of[pk]
        refusal = addition_refusal(unit, council_id=council_id, year=year, elsewhere=bloc)
        if refusal:
            refusals.append(refusal)
        else:
            added.append((unit, Origin.ADDED, []))
    return added, refusals
