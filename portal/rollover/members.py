"""The members of next year: each member of this year followed through the reorganisations in
force on 1 January (renamed, merged, split), the ones left out with the reason."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from blocs.models import BlocYear, Membership, Unit, UnitLineage
from portal.rollover.plan import (
    NO_SUCCESSOR,
    DroppedMember,
    Origin,
    RolloverChoices,
    SplitQuestion,
    short_date,
)

FOLLOWED = (UnitLineage.Kind.MERGED_INTO, UnitLineage.Kind.RENAMED)


def _active_on(unit: Unit, day: datetime.date) -> bool:
    return unit.active_until is None or unit.active_until >= day


def _links_from(unit_ids: set[int], cutoff: datetime.date) -> dict[int, list[UnitLineage]]:
    """Links in force on ``cutoff`` from these units and, generation by generation, from their
    successors (one query per generation)."""
    found: dict[int, list[UnitLineage]] = {}
    frontier = set(unit_ids)
    while frontier:
        links = list(
            UnitLineage.objects.filter(predecessor_id__in=frontier, effective_date__lte=cutoff)
            .select_related("successor")
            .prefetch_related("successor__former_names")
            .order_by("effective_date", "pk")
        )
        for link in links:
            found.setdefault(link.predecessor_id, []).append(link)
        frontier = {link.successor_id for link in links} - found.keys() - unit_ids
        unit_ids = unit_ids | frontier
    return found


@dataclass
class _Resolution:
    """Where the members of N went: (final unit, origin, member of N it came from)."""

    arrivals: list[tuple[Unit, str, Unit]] = field(default_factory=list)
    dropped: list[DroppedMember] = field(default_factory=list)
    questions: list[SplitQuestion] = field(default_factory=list)


def _resolve(
    member: Unit,
    links: dict[int, list[UnitLineage]],
    choices: RolloverChoices,
    source_year: int,
    into: _Resolution,
) -> None:
    year = source_year + 1
    cutoff = datetime.date(year, 1, 1)
    start = datetime.date(source_year, 1, 1)

    def follow(unit: Unit, origin: str, seen: frozenset[int]) -> None:
        own = [link for link in links.get(unit.pk, []) if link.successor_id not in seen]
        identity = [link for link in own if link.kind in FOLLOWED]
        splits = [
            link
            for link in own
            if link.kind == UnitLineage.Kind.SPLIT_INTO
            and (link.effective_date > start or not _active_on(unit, cutoff))
        ]
        if len(identity) == 1 and not splits:
            follow(identity[0].successor, Origin.SUCCESSOR, seen | {identity[0].successor_id})
            return
        if identity or splits:
            options: list[tuple[int, str]] = []
            if not identity and _active_on(unit, cutoff):
                options.append((unit.pk, unit.name_in_year(year)))
            successors = {link.successor_id: link.successor for link in identity + splits}
            options += [(pk, successor.name_in_year(year)) for pk, successor in successors.items()]
            chosen = choices.splits.get(unit.pk)
            valid = {pk for pk, _name in options} | {NO_SUCCESSOR}
            if chosen is not None and not chosen <= valid:
                chosen = None
            into.questions.append(
                SplitQuestion(
                    unit=unit,
                    name=unit.name_in_year(source_year),
                    effective_date=max(link.effective_date for link in identity + splits),
                    options=tuple(options),
                    chosen=None if chosen is None else chosen - {NO_SUCCESSOR},
                )
            )
            for pk in sorted(chosen or ()):
                if pk == unit.pk:
                    into.arrivals.append((unit, origin, member))
                elif pk in successors:
                    follow(successors[pk], Origin.SPLIT, seen | {pk})
            return
        if not _active_on(unit, cutoff):
            assert unit.active_until is not None
            into.dropped.append(
                DroppedMember(
                    member,
                    member.name_in_year(source_year),
                    _("%(unit)s ngừng hoạt động từ sau ngày %(day)s, không có đơn vị kế thừa.")
                    % {
                        "unit": unit.name_on(unit.active_until),
                        "day": short_date(unit.active_until),
                    },
                )
            )
            return
        into.arrivals.append((unit, origin, member))

    follow(member, Origin.KEPT, frozenset({member.pk}))


def planned_members(
    bloc_year: BlocYear, memberships: list[Membership], choices: RolloverChoices
) -> tuple[list[tuple[Unit, str, list[Unit]]], list[DroppedMember], list[SplitQuestion]]:
    """The units of N+1 (with origin and the members of N they replace), those left out."""
    year = bloc_year.year + 1
    bloc, council = bloc_year.bloc, bloc_year.bloc.council
    member_ids = {m.unit_id for m in memberships}
    links = _links_from(member_ids, datetime.date(year, 1, 1))
    resolution = _Resolution()
    for membership in memberships:
        _resolve(membership.unit, links, choices, bloc_year.year, resolution)
    arriving_ids = {unit.pk for unit, _origin, _member in resolution.arrivals}
    elsewhere = {
        (unit_id, member_year): bloc_name
        for unit_id, member_year, bloc_name in Membership.objects.filter(
            unit_id__in=arriving_ids, year__in=[bloc_year.year, year]
        )
        .exclude(bloc_year__bloc=bloc)
        .values_list("unit_id", "year", "bloc_year__bloc__name")
    }
    planned: dict[int, tuple[Unit, str, list[Unit]]] = {}
    dropped = list(resolution.dropped)
    for unit, origin, member in resolution.arrivals:
        came = member.name_in_year(bloc_year.year)
        reason = ""
        if unit.council_id != council.pk:
            reason = _("%(unit)s thuộc hội đồng khác, không là thành viên của khối được.") % {
                "unit": unit.name_in_year(year)
            }
        elif (unit.pk, year) in elsewhere:
            reason = _("%(unit)s đã là thành viên của %(bloc)s năm %(year)s.") % {
                "unit": unit.name_in_year(year),
                "bloc": elsewhere[unit.pk, year],
                "year": year,
            }
        elif unit.pk != member.pk and (unit.pk, bloc_year.year) in elsewhere:
            reason = _("%(unit)s thuộc %(bloc)s năm %(year)s, tiếp tục ở khối đó.") % {
                "unit": unit.name_in_year(year),
                "bloc": elsewhere[unit.pk, bloc_year.year],
                "year": bloc_year.year,
            }
        if reason:
            dropped.append(DroppedMember(member, came, reason))
            continue
        if unit.pk in planned:
            replaced = planned[unit.pk][2]
            if member not in replaced:
                replaced.append(member)
            if origin == Origin.KEPT:
                planned[unit.pk] = (unit, origin, replaced)
            continue
        planned[unit.pk] = (unit, origin, [member])
    return list(planned.values()), dropped, resolution.questions
