"""The preview of a reorganisation: exactly what applying it will write.

``reorganisation_preview`` checks the request (``request.check_request``), then lists the lineage
links, the renames, the units created and ended, and the membership edits of each open bloc-year
(``members.year_edits``); its ``digest`` fingerprints all of it, so that applying can refuse when
anything changed since the admin saw it. Package overview in ``__init__.py``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, replace

from django.db.models import Prefetch

from blocs.models import BlocYear, Membership, Unit, UnitLineage
from blocs.reorganisation.members import BlocYearChange, year_edits
from blocs.reorganisation.request import (
    DAY,
    NewUnit,
    Operation,
    Reorganisation,
    check_request,
    last_reorganisation,
    successor_display,
    unit_key,
)


@dataclass(frozen=True)
class LinkRow:
    predecessor: str
    kind: str
    kind_label: str
    successor: str
    predecessor_key: str
    successor_key: str


@dataclass(frozen=True)
class NameRow:
    unit: Unit
    old_name: str
    old_short_name: str
    new_name: str
    new_short_name: str
    old_from: datetime.date | None
    old_until: datetime.date


@dataclass(frozen=True)
class EndRow:
    unit: Unit
    name: str
    until: datetime.date


@dataclass(frozen=True)
class Preview:
    """Exactly what ``reorganisation_apply`` will write."""

    request: Reorganisation
    links: tuple[LinkRow, ...]
    names: tuple[NameRow, ...]
    created: tuple[NewUnit, ...]
    ended: tuple[EndRow, ...]
    bloc_years: tuple[BlocYearChange, ...]
    unchanged_years: tuple[BlocYear, ...]  # earlier or decided years: names and members stay
    digest: str = ""

    @property
    def operation_label(self) -> str:
        return str(Operation(self.request.operation).label)


def _digest(parts: object) -> str:
    return hashlib.sha256(
        json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()[:32]


def reorganisation_preview(*, request: Reorganisation) -> Preview:
    """What applying ``request`` would change; ValidationError (by field) if it cannot be."""
    check_request(request)
    op, day = request.operation, request.effective_date
    units = list(request.units)
    links: list[LinkRow] = []
    kind_label = {kind.value: str(kind.label) for kind in UnitLineage.Kind}
    before = day - DAY
    if op == Operation.MERGE:
        key, name = successor_display(request)
        for unit in units:
            links.append(
                LinkRow(
                    unit.name_on(before),
                    UnitLineage.Kind.MERGED_INTO,
                    kind_label[UnitLineage.Kind.MERGED_INTO],
                    name,
                    unit_key(unit),
                    key,
                )
            )
    elif op == Operation.SPLIT:
        for new in request.new_units:
            links.append(
                LinkRow(
                    units[0].name_on(before),
                    UnitLineage.Kind.SPLIT_INTO,
                    kind_label[UnitLineage.Kind.SPLIT_INTO],
                    new.name,
                    unit_key(units[0]),
                    new.key,
                )
            )
    elif op == Operation.TRANSFER:
        assert request.target is not None
        links.append(
            LinkRow(
                units[0].name_on(before),
                UnitLineage.Kind.FUNCTIONS_TRANSFERRED,
                kind_label[UnitLineage.Kind.FUNCTIONS_TRANSFERRED],
                request.target.name_on(day),
                unit_key(units[0]),
                unit_key(request.target),
            )
        )
    names: list[NameRow] = []
    if op == Operation.RENAME:
        unit = units[0]
        _latest, rename_day = last_reorganisation(unit)
        names.append(
            NameRow(
                unit=unit,
                old_name=unit.name,
                old_short_name=unit.short_name,
                new_name=request.new_name.strip(),
                new_short_name=request.new_short_name.strip(),
                old_from=rename_day or unit.active_from,
                old_until=before,
            )
        )
    created = tuple(request.new_units) + ((request.new_unit,) if request.new_unit else ())
    ended: list[EndRow] = []
    if op == Operation.MERGE or (op == Operation.SPLIT and request.original_ends):
        ended = [EndRow(unit, unit.name_on(before), before) for unit in units]

    unit_ids = [unit.pk for unit in units]
    years = list(
        BlocYear.objects.filter(memberships__unit_id__in=unit_ids)
        .distinct()
        .select_related("bloc")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("unit").prefetch_related(
                    "unit__former_names"
                ),
            )
        )
        .order_by("year", "bloc__name", "pk")
    )
    # A name shows in every year from the rename's year on, decided or not (pages print the
    # name in force on 31 December); members change only in years not yet decided.
    open_years = [
        y
        for y in years
        if y.year >= day.year and (op == Operation.RENAME or y.state != BlocYear.State.DECIDED)
    ]
    unchanged = tuple(y for y in years if y not in open_years)
    elsewhere: dict[int, dict[int, str]] = {}
    if request.target is not None and op == Operation.MERGE:
        for unit_id, year, bloc_name, bloc_year_id in Membership.objects.filter(
            unit=request.target, year__in=[y.year for y in open_years]
        ).values_list("unit_id", "year", "bloc_year__bloc__name", "bloc_year_id"):
            if bloc_year_id not in {y.pk for y in open_years if y.year == year}:
                elsewhere.setdefault(unit_id, {})[year] = bloc_name
    changes: list[BlocYearChange] = []
    if op != Operation.TRANSFER:
        for bloc_year in open_years:
            edits = year_edits(request, bloc_year, elsewhere)
            if edits:
                changes.append(BlocYearChange(bloc_year, edits))
    preview = Preview(
        request=request,
        links=tuple(links),
        names=tuple(names),
        created=created,
        ended=tuple(ended),
        bloc_years=tuple(changes),
        unchanged_years=unchanged,
    )
    return replace(preview, digest=_digest(fingerprint(preview)))


def fingerprint(preview: Preview) -> dict[str, object]:
    request = preview.request
    return {
        "op": request.operation,
        "day": request.effective_date.isoformat(),
        "note": request.note,
        "links": [(link.predecessor_key, link.kind, link.successor_key) for link in preview.links],
        "names": [
            (row.unit.pk, row.old_name, row.new_name, row.new_short_name, row.old_from)
            for row in preview.names
        ],
        "created": [(new.code, new.name, new.short_name, new.kind) for new in preview.created],
        "ended": [(row.unit.pk, row.until.isoformat()) for row in preview.ended],
        "years": [
            (
                change.bloc_year.pk,
                change.bloc_year.state,
                [
                    (edit.action, edit.unit_key, edit.role, edit.replaces_key)
                    for edit in change.edits
                ],
            )
            for change in preview.bloc_years
        ],
    }
