"""Writing a past year published with bands only (no criteria, no points): the published
ranks and bands become the year's frozen ranking, snapshot 1 "Nhập từ tệp Excel", and the year
is "Đã chốt kết quả" (docs/import-format.md, "A year with bands only")."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from blocs.models import BlocYear, Unit, User
from scoring.importer.contract import UnitRow, WorkbookData
from scoring.models import RankingSnapshot
from scoring.rows import RankingRow
from scoring.selectors.ranking import inputs_hash

BANDS_ONLY = "bands_only"  # the snapshot's settings["mode"]


def published_rows(
    bloc_year: BlocYear,
    members: list[UnitRow],
    units: dict[str, Unit],
    *,
    note: str | None = None,
    published: bool = False,
) -> list[RankingRow]:
    """The members as published: by rank (those without one last, by name), no points. Equal
    ranks are shared and say so. ``published``: rows of members without points in a year with
    points (``write_mixed``)."""
    named = [(row, units[row.code].short_name_on(bloc_year.last_day)) for row in members]
    named.sort(key=lambda item: (item[0].rank is None, item[0].rank or 0, item[1]))
    counts: dict[int, list[str]] = {}
    for row, name in named:
        if row.rank is not None:
            counts.setdefault(row.rank, []).append(name)
    rows = []
    for row, name in named:
        equals = [other for other in counts.get(row.rank or 0, []) if other != name]
        rows.append(
            RankingRow(
                unit_id=units[row.code].pk,
                code=row.code,
                name=name,
                rank=row.rank or 0,
                shared=bool(equals),
                band=row.band,
                women_share=row.women_share,
                tie_break=_("đồng hạng %(rank)s với %(others)s (theo kết quả công bố)")
                % {"rank": row.rank, "others": ", ".join(equals)}
                if equals
                else None,
                band_note=note or _("xếp loại theo kết quả công bố, không có điểm"),
                published=published,
            )
        )
    return rows


def write_bands_only(
    bloc_year: BlocYear, data: WorkbookData, units: dict[str, Unit], by: User | None
) -> list[RankingRow]:
    """Snapshot 1 of the published ranks and bands, and the year finalized."""
    rows = published_rows(bloc_year, data.units, units)
    content: dict[str, Any] = {
        "rows": [row.to_json() for row in rows],
        "sections": [],
        "criteria": [],
        "points": {},
        "settings": {"mode": BANDS_ONLY},
    }
    RankingSnapshot.objects.create(
        bloc_year=bloc_year,
        number=1,
        kind=RankingSnapshot.Kind.IMPORT,
        reason=_("Năm chỉ công bố thứ hạng và xếp loại, không có điểm"),
        created_by=by,
        inputs_hash=inputs_hash(content),
        data=content,
    )
    BlocYear.objects.filter(pk=bloc_year.pk).update(state=BlocYear.State.FINALIZED)
    return rows
