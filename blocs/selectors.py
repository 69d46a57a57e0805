"""Reads that join several organisation tables, each in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Max, Prefetch, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from blocs.models import Bloc, BlocYear, Council, Membership, Unit, UnitLineage, UnitName
from common.collation import vietnamese_sort_key


@dataclass(frozen=True)
class MemberRow:
    """A unit as a page about one year shows it: the name of that year and its role."""

    unit_id: int
    code: str
    name: str
    short_name: str
    role: str
    role_label: str


def member_row(membership: Membership, day: datetime.date) -> MemberRow:
    unit = membership.unit
    return MemberRow(
        unit_id=unit.pk,
        code=unit.code,
        name=unit.name_on(day),
        short_name=unit.short_name_on(day),
        role=membership.role,
        role_label=membership.get_role_display(),
    )


_ROLE_ORDER: dict[str, int] = {
    Membership.Role.HEAD: 0,
    Membership.Role.DEPUTY: 1,
    Membership.Role.MEMBER: 2,
}


def unit_names_on(unit_ids: Iterable[int], day: datetime.date) -> dict[int, str]:
    """Unit id → the former name in force on ``day``, for the units that then had one (the
    others go by their current name). One query, whatever the number of units; the same rule as
    ``Unit.name_on``."""
    names: dict[int, str] = {}
    for unit_id, name in (
        UnitName.objects.filter(unit_id__in=list(unit_ids), valid_until__gte=day)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .order_by("-valid_until")
        .values_list("unit_id", "name")
    ):
        names[unit_id] = name  # the earliest ending one wins, as in Unit.name_record_on
    return names


def memberships_with_names() -> Prefetch[Any, Any, Any]:
    """Memberships with their units and the units' former names, for ``member_row``."""
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("unit").prefetch_related("unit__former_names"),
    )


def sorted_member_rows(memberships: Iterable[Membership], day: datetime.date) -> list[MemberRow]:
    """Head first, then deputy, then members in alphabetical order of that year's name."""
    rows = [member_row(membership, day) for membership in memberships]
    return sorted(rows, key=lambda row: (_ROLE_ORDER[row.role], vietnamese_sort_key(row.name)))


@dataclass
class BlocYearSummary:
    bloc: Bloc
    bloc_year: BlocYear | None
    member_count: int = 0
    head: MemberRow | None = None
    deputy: MemberRow | None = None

    @property
    def steps(self) -> list[CycleStep]:
        """The cycle as steps, for a compact progress bar (empty when the year is not open)."""
        return cycle_steps(self.bloc_year.state) if self.bloc_year else []

    @property
    def step_number(self) -> int:
        """1 for SETUP … 8 for DECIDED; 0 when the year is not open."""
        return cycle_step_number(self.bloc_year.state) if self.bloc_year else 0

    @property
    def step_count(self) -> int:
        return len(BlocYear.State)


@dataclass
class CouncilOverview:
    council: Council
    year: int | None
    years: list[int]
    blocs: list[BlocYearSummary] = field(default_factory=list)


def council_overviews(
    councils: Sequence[Council], year: int | None = None
) -> list[CouncilOverview]:
    """Each council's blocs in ``year`` (default: the council's latest year), with heads."""
    council_ids = [council.pk for council in councils]
    years_by_council: dict[int, list[int]] = defaultdict(list)
    for council_id, year_value in (
        BlocYear.objects.filter(bloc__council_id__in=council_ids)
        .values_list("bloc__council_id", "year")
        .distinct()
        .order_by("-year")
    ):
        years_by_council[council_id].append(year_value)
    chosen = {
        council_id: (year if year in years else (years[0] if years else None))
        for council_id, years in years_by_council.items()
    }
    wanted = Q(pk__in=[])
    for council_id, chosen_year in chosen.items():
        if chosen_year is not None:
            wanted |= Q(bloc__council_id=council_id, year=chosen_year)
    bloc_years = {
        bloc_year.bloc_id: bloc_year
        for bloc_year in BlocYear.objects.filter(wanted)
        .annotate(member_count=Count("memberships"))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(
                    role__in=[Membership.Role.HEAD, Membership.Role.DEPUTY]
                )
                .select_related("unit")
                .prefetch_related("unit__former_names"),
            )
        )
    }
    overviews = {
        council.pk: CouncilOverview(
            council=council,
            year=chosen.get(council.pk),
            years=years_by_council.get(council.pk, []),
        )
        for council in councils
    }
    for bloc in Bloc.objects.filter(council_id__in=council_ids):
        bloc_year = bloc_years.get(bloc.pk)
        summary = BlocYearSummary(bloc=bloc, bloc_year=bloc_year)
        if bloc_year is not None:
            summary.member_count = bloc_year.member_count
            for membership in bloc_year.memberships.all():
                row = member_row(membership, bloc_year.last_day)
                if membership.role == Membership.Role.HEAD:
                    summary.head = row
                else:
                    summary.deputy = row
        overviews[bloc.council_id].blocs.append(summary)
    return [overviews[council.pk] for council in councils]


@dataclass
class HomePage:
    active: list[CouncilOverview]
    former: list[CouncilOverview]


def home_page(today: datetime.date) -> HomePage:
    """Councils working today first; councils merged into another keep their history below."""
    councils = list(Council.objects.select_related("successor"))
    overviews = council_overviews(councils)
    return HomePage(
        active=[overview for overview in overviews if overview.council.is_active_on(today)],
        former=[overview for overview in overviews if not overview.council.is_active_on(today)],
    )


@dataclass
class BlocHistoryRow:
    unit_id: int
    name: str
    roles: list[str | None]  # one entry per year of ``BlocHistory.years``; None: not a member


@dataclass(frozen=True)
class BlocYearLeadership:
    """One year of the bloc: head, deputy (names of that year), number of members, progress."""

    bloc_year: BlocYear
    head: MemberRow | None
    deputy: MemberRow | None
    member_count: int

    @property
    def steps(self) -> list[CycleStep]:
        return cycle_steps(self.bloc_year.state)

    @property
    def step_number(self) -> int:
        return cycle_step_number(self.bloc_year.state)

    @property
    def step_count(self) -> int:
        return len(BlocYear.State)


@dataclass
class BlocHistory:
    bloc: Bloc
    years: list[BlocYear]
    leadership: list[tuple[BlocYear, MemberRow | None, MemberRow | None]]
    rows: list[BlocHistoryRow]
    by_year: list[BlocYearLeadership] = field(default_factory=list)


def bloc_history(bloc: Bloc) -> BlocHistory:
    """Members over the years (latest name of each unit), heads and deputies per year."""
    years = list(
        BlocYear.objects.filter(bloc=bloc)
        .order_by("-year")
        .prefetch_related(memberships_with_names())
    )
    leadership = []
    rows: dict[int, BlocHistoryRow] = {}
    for index, bloc_year in enumerate(years):
        head = deputy = None
        for membership in bloc_year.memberships.all():
            row = rows.setdefault(
                membership.unit_id,
                BlocHistoryRow(
                    unit_id=membership.unit_id,
                    name=membership.unit.name_in_year(bloc_year.year),
                    roles=[None] * len(years),
                ),
            )
            row.roles[index] = membership.role
            if membership.role == Membership.Role.HEAD:
                head = member_row(membership, bloc_year.last_day)
            elif membership.role == Membership.Role.DEPUTY:
                deputy = member_row(membership, bloc_year.last_day)
        leadership.append((bloc_year, head, deputy))
    return BlocHistory(
        bloc=bloc,
        years=years,
        leadership=leadership,
        rows=sorted(rows.values(), key=lambda row: vietnamese_sort_key(row.name)),
        by_year=[
            BlocYearLeadership(
                bloc_year=bloc_year,
                head=head,
                deputy=deputy,
                member_count=len(bloc_year.memberships.all()),
            )
            for bloc_year, head, deputy in leadership
        ],
    )


@dataclass(frozen=True)
class CycleStep:
    state: str
    label: str
    status: str  # "done", "current" or "upcoming"


def cycle_steps(state: str) -> list[CycleStep]:
    """The yearly cycle as a row of steps, with this bloc-year's place in it."""
    order = list(BlocYear.State)
    current = order.index(BlocYear.State(state))
    return [
        CycleStep(
            state=step.value,
            label=str(step.label),
            status="done" if index < current else "current" if index == current else "upcoming",
        )
        for index, step in enumerate(order)
    ]


def cycle_step_number(state: str) -> int:
    """The place of ``state`` in the yearly cycle, counted from 1."""
    return list(BlocYear.State).index(BlocYear.State(state)) + 1


@dataclass(frozen=True)
class CouncilLink:
    """A council that merged into this one, or the one this council merged into, and the day
    the merger took effect (the day after the merged council's last day)."""

    council: Council
    day: datetime.date | None


@dataclass
class CouncilPage:
    council: Council
    overview: CouncilOverview
    predecessors: list[CouncilLink]
    successor: CouncilLink | None


def _merger_day(merged: Council) -> datetime.date | None:
    return merged.valid_until + datetime.timedelta(days=1) if merged.valid_until else None


def council_page(council: Council, year: int | None = None) -> CouncilPage:
    """The council's blocs in ``year`` with their progress, and the councils it merged with.

    ``council`` comes with its successor loaded (``access.get_council``)."""
    (overview,) = council_overviews([council], year)
    predecessors = [
        CouncilLink(predecessor, _merger_day(predecessor))
        for predecessor in Council.objects.filter(successor=council).order_by("name")
    ]
    successor = CouncilLink(council.successor, _merger_day(council)) if council.successor else None
    return CouncilPage(
        council=council, overview=overview, predecessors=predecessors, successor=successor
    )


@dataclass
class BlocYearPage:
    bloc_year: BlocYear
    members: list[MemberRow]
    other_years: list[int]
    steps: list[CycleStep]

    @property
    def head(self) -> MemberRow | None:
        return next((row for row in self.members if row.role == Membership.Role.HEAD), None)

    @property
    def deputy(self) -> MemberRow | None:
        return next((row for row in self.members if row.role == Membership.Role.DEPUTY), None)


def bloc_year_members(bloc_year: BlocYear) -> list[MemberRow]:
    """The year's members with that year's names, head and deputy first (two queries)."""
    memberships = (
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .prefetch_related("unit__former_names")
    )
    return sorted_member_rows(memberships, bloc_year.last_day)


def bloc_year_page(bloc_year: BlocYear) -> BlocYearPage:
    other_years = list(
        BlocYear.objects.filter(bloc_id=bloc_year.bloc_id)
        .order_by("-year")
        .values_list("year", flat=True)
    )
    return BlocYearPage(
        bloc_year=bloc_year,
        members=bloc_year_members(bloc_year),
        other_years=other_years,
        steps=cycle_steps(bloc_year.state),
    )


# ---------------------------------------------------------------------------- the unit page

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


def latest_year(council_ids: Iterable[int]) -> int | None:
    return BlocYear.objects.filter(bloc__council_id__in=list(council_ids)).aggregate(Max("year"))[
        "year__max"
    ]
