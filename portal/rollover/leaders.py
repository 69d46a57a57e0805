"""Next year's head and deputy: those the year-end report names, else the rotation rule."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from blocs.models import BlocYear, Membership, Unit
from common.collation import vietnamese_sort_key
from portal.rollover.plan import Basis
from reports.models import Document


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split()).strip(" .;,")


def _conference_names(bloc_year: BlocYear) -> tuple[str, str]:
    """Next year's head and deputy as the year-end report of N names them (free text)."""
    narrative = (
        Document.objects.filter(bloc_year=bloc_year, kind=Document.Kind.REPORT)
        .values_list("narrative", flat=True)
        .first()
    ) or {}
    return str(narrative.get("next_head") or "").strip(), str(
        narrative.get("next_deputy") or ""
    ).strip()


def _match(text: str, units: list[Unit], years: tuple[int, int]) -> Unit | None:
    wanted = _normal(text)
    if not wanted:
        return None
    found = []
    for unit in units:
        names = {unit.name, unit.short_name, unit.code}
        for year in years:
            day = datetime.date(year, 12, 31)
            names |= {unit.name_on(day), unit.short_name_on(day)}
        if wanted in {_normal(name) for name in names if name}:
            found.append(unit)
    return found[0] if len(found) == 1 else None


def _next_in_order(order: list[Unit], after: Unit, skip: set[int]) -> Unit | None:
    """The member after ``after`` in the cyclic order, skipping ``skip``."""
    start = order.index(after) if after in order else -1
    for step in range(1, len(order) + 1):
        candidate = order[(start + step) % len(order)]
        if candidate.pk not in skip:
            return candidate
    return None


@dataclass
class _Suggestion:
    head: Unit | None = None
    deputy: Unit | None = None
    head_basis: str = Basis.NONE
    deputy_basis: str = Basis.NONE
    head_reason: str = ""
    deputy_reason: str = ""
    notes: list[str] = field(default_factory=list)


def suggest_leaders(
    bloc_year: BlocYear,
    memberships: list[Membership],
    planned: list[tuple[Unit, str, list[Unit]]],
) -> _Suggestion:
    """The conference's choice when the year-end report names it, else the rotation rule."""
    previous, year = bloc_year.year, bloc_year.year + 1
    units = [unit for unit, _origin, _replaced in planned]
    order = sorted(units, key=lambda unit: vietnamese_sort_key(unit.name_in_year(year)))
    found = _Suggestion()
    head_text, deputy_text = _conference_names(bloc_year)
    found.head = _match(head_text, units, (previous, year))
    found.deputy = _match(deputy_text, units, (previous, year))
    if found.head and found.deputy and found.head.pk == found.deputy.pk:
        found.deputy = None
    for text, unit, role in (
        (head_text, found.head, _("Trưởng khối")),
        (deputy_text, found.deputy, _("Khối phó")),
    ):
        if text and unit is None:
            found.notes.append(
                _(
                    "Báo cáo tổng kết năm %(year)s ghi %(role)s năm tới là “%(text)s”, không khớp "
                    "đúng một đơn vị của khối năm %(next)s; đề xuất theo luân phiên."
                )
                % {"year": previous, "role": role, "text": text, "next": year}
            )
    conference = _("Theo báo cáo tổng kết năm %(year)s (hội nghị bầu).") % {"year": previous}
    if found.head:
        found.head_basis, found.head_reason = Basis.CONFERENCE, conference
    if found.deputy:
        found.deputy_basis, found.deputy_reason = Basis.CONFERENCE, conference
    came_from = {member.pk: unit for unit, _origin, replaced in planned for member in replaced}
    old = {m.role: came_from.get(m.unit_id) for m in memberships}
    old_head, old_deputy = old.get(Membership.Role.HEAD), old.get(Membership.Role.DEPUTY)
    if found.head is None and order:
        found.head_basis = Basis.ROTATION
        if old_deputy is not None:
            found.head = old_deputy
            found.head_reason = _("Theo luân phiên: Khối phó năm %(year)s làm Trưởng khối.") % {
                "year": previous
            }
        else:
            found.head = _next_in_order(order, old_head, set()) if old_head else order[0]
            found.head_reason = _(
                "Theo luân phiên: năm %(year)s không có Khối phó chuyển sang; chọn đơn vị kế "
                "tiếp theo thứ tự tên."
            ) % {"year": previous}
    if found.deputy is None and found.head is not None and len(order) > 1:
        skip = {found.head.pk}
        if old_head is not None and len(order) > 2:
            skip.add(old_head.pk)
        found.deputy = _next_in_order(order, found.head, skip)
        found.deputy_basis = Basis.ROTATION
        found.deputy_reason = _(
            "Theo luân phiên: đơn vị kế tiếp Trưởng khối theo thứ tự tên (bỏ qua Trưởng khối "
            "năm %(year)s)."
        ) % {"year": previous}
    return found
