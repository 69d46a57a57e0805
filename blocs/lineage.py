"""A council's lineage, the reading side of reorganisations (the public lineage page).

``council_lineage`` returns the council's predecessors and successors and the reorganisations of
its units and of the units of the councils it succeeded, grouped by council then date. It reads
``UnitLineage`` links and ``UnitName`` rows, whoever recorded them (the reorganisation tool in
``blocs/reorganisation/``, the admin, the demo data), so it lives beside the models rather than
in that package. Rules in docs/reorganisation.md, "The council lineage page".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from blocs.models import Council, UnitLineage, UnitName
from common.collation import vietnamese_sort_key

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class CouncilStep:
    """A council of the chain, the last day it worked and the council it became part of."""

    council: Council
    until: datetime.date | None
    successor: Council | None
    joined_on: datetime.date | None


@dataclass(frozen=True)
class LineageEvent:
    day: datetime.date
    kind: str  # a UnitLineage kind, or RENAMED_SAME_UNIT
    kind_label: str
    before_id: int
    before_name: str
    after_id: int
    after_name: str
    after_council: str  # "" when the unit after is of the same council as the unit before
    note: str


@dataclass(frozen=True)
class LineageGroup:
    """The reorganisations of the units of one council (the council the units belonged to)."""

    council: Council
    events: list[LineageEvent]


@dataclass
class CouncilLineage:
    council: Council
    predecessors: list[CouncilStep]
    successors: list[CouncilStep]
    groups: list[LineageGroup]

    @property
    def event_count(self) -> int:
        return sum(len(group.events) for group in self.groups)


RENAMED_SAME_UNIT = "renamed_same_unit"


def _step(council: Council, by_id: dict[int, Council]) -> CouncilStep:
    successor = by_id.get(council.successor_id) if council.successor_id else None
    joined_on = council.valid_until + DAY if council.valid_until else None
    if successor is not None and successor.valid_from and joined_on is None:
        joined_on = successor.valid_from
    return CouncilStep(council, council.valid_until, successor, joined_on)


def council_lineage(council: Council) -> CouncilLineage:
    """A council's predecessors and successors, and the reorganisations of its units and of the
    units of the councils it succeeded (whose archive it keeps), by council then date.
    Six queries whatever the number of councils, units and reorganisations."""
    by_id = Council.objects.in_bulk()
    archive = [council.pk]
    for candidate in archive:  # grows while it is read: predecessors of predecessors
        archive += [
            pk
            for pk, other in by_id.items()
            if other.successor_id == candidate and pk not in archive
        ]
    predecessors = sorted(
        (_step(by_id[pk], by_id) for pk in archive[1:]),
        key=lambda step: (step.joined_on or datetime.date.max, step.council.name),
    )
    successors: list[CouncilStep] = []
    seen = set(archive)
    current = by_id.get(council.pk, council)
    while (next_id := current.successor_id) is not None and next_id in by_id:
        if next_id in seen:
            break  # a loop in the data: stop rather than go round
        successors.append(_step(current, by_id))
        seen.add(next_id)
        current = by_id[next_id]
    groups: dict[int, list[LineageEvent]] = {pk: [] for pk in archive}
    links = (
        UnitLineage.objects.filter(
            Q(predecessor__council_id__in=archive) | Q(successor__council_id__in=archive)
        )
        .select_related("predecessor", "successor")
        .prefetch_related("predecessor__former_names", "successor__former_names")
    )
    for link in links:
        before, after = link.predecessor, link.successor
        groups.setdefault(before.council_id, []).append(
            LineageEvent(
                day=link.effective_date,
                kind=link.kind,
                kind_label=link.get_kind_display(),
                before_id=before.pk,
                before_name=before.name_on(link.effective_date - DAY),
                after_id=after.pk,
                after_name=after.name_on(link.effective_date),
                after_council=""
                if after.council_id == before.council_id
                else by_id[after.council_id].name,
                note=link.note,
            )
        )
    former = UnitName.objects.filter(unit__council_id__in=archive).select_related("unit")
    for row in former.prefetch_related("unit__former_names"):
        unit, day = row.unit, row.valid_until + DAY
        if unit.active_until == row.valid_until or unit.name_on(day) == row.name:
            continue  # the name ended with the unit: not a rename
        groups[unit.council_id].append(
            LineageEvent(
                day=day,
                kind=RENAMED_SAME_UNIT,
                kind_label=_("đổi tên thành"),
                before_id=unit.pk,
                before_name=row.name,
                after_id=unit.pk,
                after_name=unit.name_on(day),
                after_council="",
                note="",
            )
        )
    for events in groups.values():
        events.sort(key=lambda e: (e.day, vietnamese_sort_key(e.before_name), e.after_name))
    return CouncilLineage(
        council=council,
        predecessors=predecessors,
        successors=successors,
        groups=[LineageGroup(by_id[pk], events) for pk, events in groups.items() if events],
    )
