"""The unit page: the unit's names, its story both ways through the reorganisations, and the
years it (or a unit that became it) took part in a bloc."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from blocs.models import Bloc, BlocYear, Council, Membership, Unit, UnitLineage, UnitName

# Reorganisations after which the successor carries the predecessor's identity on, so that the
# predecessor's years (results, awards) belong on the successor's page too. The same kinds as
# ``awards.history.FOLLOWED_KINDS`` (a split or a transfer of functions does not pass results).
IDENTITY_KINDS = frozenset({UnitLineage.Kind.MERGED_INTO, UnitLineage.Kind.RENAMED})

_ONE_DAY = datetime.timedelta(days=1)


@dataclass
class UnitYearRow:
    """A year the unit (or a unit that became it) took part in a bloc."""

    year: int
    bloc: Bloc
    name: str
    role_label: str
    unit_id: int = 0
    code: str = ""
    role: str = ""
    bloc_year: BlocYear | None = None
    inherited: bool = False  # a predecessor's year, shown through the lineage


@dataclass(frozen=True)
class LineageEvent:
    """One reorganisation in the unit's story, told as a sentence, with the unit to link to."""

    day: datetime.date
    sentence: str
    other_unit_id: int | None  # None for a rename that kept the same unit
    before: bool  # True: how the unit came to be; False: what became of it


@dataclass
class UnitPage:
    unit: Unit
    former_names: list[UnitName]
    predecessors: list[UnitLineage]
    successors: list[UnitLineage]
    years: list[UnitYearRow]
    # How the unit came to be (latest first), then what became of it (earliest first).
    history: list[LineageEvent] = field(default_factory=list)
    # Units that became this one through mergers and renames, however many steps back.
    ancestors: dict[int, Unit] = field(default_factory=dict)

    @property
    def history_before(self) -> list[LineageEvent]:
        return [event for event in self.history if event.before]

    @property
    def history_after(self) -> list[LineageEvent]:
        return [event for event in self.history if not event.before]

    def name_of(self, unit_id: int, year: int) -> str:
        """The name in ``year`` of this unit or of one of its ancestors."""
        unit = self.unit if unit_id == self.unit.pk else self.ancestors[unit_id]
        return unit.name_in_year(year)

    def code_of(self, unit_id: int) -> str:
        unit = self.unit if unit_id == self.unit.pk else self.ancestors[unit_id]
        return unit.code


def council_family(council_id: int) -> frozenset[int]:
    """The councils linked to this one, in either direction, by a merger of councils or by a
    reorganisation link between their units (two queries)."""
    pairs = [
        (council, successor)
        for council, successor in Council.objects.values_list("id", "successor_id")
        if successor is not None
    ]
    pairs += list(
        UnitLineage.objects.exclude(predecessor__council_id=F("successor__council_id"))
        .values_list("predecessor__council_id", "successor__council_id")
        .distinct()
    )
    neighbours: dict[int, set[int]] = defaultdict(set)
    for first, second in pairs:
        neighbours[first].add(second)
        neighbours[second].add(first)
    found, frontier = {council_id}, [council_id]
    while frontier:
        current = frontier.pop()
        for other in neighbours[current] - found:
            found.add(other)
            frontier.append(other)
    return frozenset(found)


def _lineage_links(unit: Unit) -> list[UnitLineage]:
    """Every lineage link among the units of the unit's council family, with both units, their
    councils and former names loaded: five queries whatever the number of generations."""
    family = council_family(unit.council_id)
    return list(
        UnitLineage.objects.filter(
            Q(predecessor__council_id__in=family) | Q(successor__council_id__in=family)
        )
        .select_related("predecessor__council", "successor__council")
        .prefetch_related("predecessor__former_names", "successor__former_names")
        .order_by("effective_date", "pk")
    )


def _walk(start: int, links: Sequence[UnitLineage], *, backwards: bool) -> list[UnitLineage]:
    """The identity links reached from ``start`` going back (to predecessors) or forward, each
    once, nearest first."""
    found: list[UnitLineage] = []
    seen, frontier = {start}, [start]
    while frontier:
        next_frontier = []
        for link in links:
            if link.kind not in IDENTITY_KINDS:
                continue
            here, there = (
                (link.successor_id, link.predecessor_id)
                if backwards
                else (link.predecessor_id, link.successor_id)
            )
            if here in frontier and there not in seen:
                seen.add(there)
                found.append(link)
                next_frontier.append(there)
        frontier = next_frontier
    return found


def _label(unit: Unit, day: datetime.date, home_council_id: int) -> str:
    """The unit's name on ``day``, with its province when it belongs to another council."""
    name = unit.name_on(day)
    if unit.council_id != home_council_id:
        return f"{name} ({unit.council.province})"
    return name


_BEFORE_DIRECT = {
    UnitLineage.Kind.RENAMED: _(
        "Trước đây là %(before)s, đổi tên thành %(after)s từ ngày %(day)s."
    ),
    UnitLineage.Kind.MERGED_INTO: _(
        "Trước đây là %(before)s, sáp nhập vào %(after)s từ ngày %(day)s."
    ),
    UnitLineage.Kind.SPLIT_INTO: _(
        "%(after)s được chia tách, thành lập từ %(before)s từ ngày %(day)s."
    ),
    UnitLineage.Kind.FUNCTIONS_TRANSFERRED: _(
        "%(after)s tiếp nhận chức năng, nhiệm vụ của %(before)s từ ngày %(day)s."
    ),
}
_BEFORE_EARLIER = {
    UnitLineage.Kind.RENAMED: _("Trước đó, %(before)s đổi tên thành %(after)s từ ngày %(day)s."),
    UnitLineage.Kind.MERGED_INTO: _("Trước đó, %(before)s sáp nhập vào %(after)s từ ngày %(day)s."),
}
_AFTER_DIRECT = {
    UnitLineage.Kind.RENAMED: _("%(before)s đổi tên thành %(after)s từ ngày %(day)s."),
    UnitLineage.Kind.MERGED_INTO: _("%(before)s sáp nhập vào %(after)s từ ngày %(day)s."),
    UnitLineage.Kind.SPLIT_INTO: _("%(before)s chia tách, thành lập %(after)s từ ngày %(day)s."),
    UnitLineage.Kind.FUNCTIONS_TRANSFERRED: _(
        "%(before)s chuyển chức năng, nhiệm vụ sang %(after)s từ ngày %(day)s."
    ),
}
_AFTER_LATER = {
    UnitLineage.Kind.RENAMED: _("Sau đó mang tên %(after)s từ ngày %(day)s."),
    UnitLineage.Kind.MERGED_INTO: _("Sau đó thuộc %(after)s từ ngày %(day)s."),
}


def _event(
    link: UnitLineage, templates: dict[Any, Any], home: int, *, before: bool, other: Unit
) -> LineageEvent:
    day = link.effective_date
    sentence = str(templates[link.kind]) % {
        "before": _label(link.predecessor, day - _ONE_DAY, home),
        "after": _label(link.successor, day, home),
        "day": date_format(day, "SHORT_DATE_FORMAT"),
    }
    return LineageEvent(day=day, sentence=sentence, other_unit_id=other.pk, before=before)


def unit_lineage(
    unit: Unit, links: Sequence[UnitLineage]
) -> tuple[list[LineageEvent], dict[int, Unit]]:
    """The unit's story told both ways (renames, mergers, splits, transfers) and the units whose
    identity it carries on (its ancestors through mergers and renames)."""
    home = unit.council_id
    events = []
    for former in unit.former_names.all():
        day = former.valid_until + _ONE_DAY
        events.append(
            LineageEvent(
                day=day,
                sentence=str(_BEFORE_DIRECT[UnitLineage.Kind.RENAMED])
                % {
                    "before": former.name,
                    "after": unit.name_on(day),
                    "day": date_format(day, "SHORT_DATE_FORMAT"),
                },
                other_unit_id=None,
                before=True,
            )
        )
    direct_before = [link for link in links if link.successor_id == unit.pk]
    direct_after = [link for link in links if link.predecessor_id == unit.pk]
    earlier = [
        link for link in _walk(unit.pk, links, backwards=True) if link.successor_id != unit.pk
    ]
    later = [
        link for link in _walk(unit.pk, links, backwards=False) if link.predecessor_id != unit.pk
    ]
    for link in direct_before:
        events.append(_event(link, _BEFORE_DIRECT, home, before=True, other=link.predecessor))
    for link in earlier:
        events.append(_event(link, _BEFORE_EARLIER, home, before=True, other=link.predecessor))
    for link in direct_after:
        events.append(_event(link, _AFTER_DIRECT, home, before=False, other=link.successor))
    for link in later:
        events.append(_event(link, _AFTER_LATER, home, before=False, other=link.successor))
    # Told as a story: going back in time before, forward in time after.
    events.sort(
        key=lambda event: (
            not event.before,
            -event.day.toordinal() if event.before else event.day.toordinal(),
        )
    )
    ancestors = {
        link.predecessor_id: link.predecessor for link in _walk(unit.pk, links, backwards=True)
    }
    return events, ancestors


def unit_page(unit_id: int) -> UnitPage | None:
    """The unit, its names, its story both ways, and the years it (or a unit that became it)
    took part in a bloc. A fixed number of queries, however long the lineage."""
    unit = (
        Unit.objects.select_related("council")
        .prefetch_related("former_names")
        .filter(pk=unit_id)
        .first()
    )
    if unit is None:
        return None
    links = _lineage_links(unit)
    history, ancestors = unit_lineage(unit, links)
    units = {unit.pk: unit, **ancestors}
    memberships = (
        Membership.objects.filter(unit_id__in=list(units))
        .select_related("bloc_year__bloc")
        .order_by("-year", "bloc_year__bloc__name", "unit_id")
    )
    return UnitPage(
        unit=unit,
        former_names=list(unit.former_names.all()),
        predecessors=[link for link in links if link.successor_id == unit.pk],
        successors=[link for link in links if link.predecessor_id == unit.pk],
        years=[
            UnitYearRow(
                year=membership.year,
                bloc=membership.bloc_year.bloc,
                name=units[membership.unit_id].name_in_year(membership.year),
                role_label=membership.get_role_display(),
                unit_id=membership.unit_id,
                code=units[membership.unit_id].code,
                role=membership.role,
                bloc_year=membership.bloc_year,
                inherited=membership.unit_id != unit.pk,
            )
            for membership in memberships
        ],
        history=history,
        ancestors=ancestors,
    )
