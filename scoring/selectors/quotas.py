"""Reads for the band quotas counted across blocs: the quotas of a bloc-year, the rows of the
other bloc-years they count (frozen or live), and the bloc-year's rows once they are applied.

A bloc-year with a snapshot (finalized, or imported from a past year) counts with its latest
snapshot's rows, which never move; the others with their live ranking.

Queries: one when no quota covers the bloc-year; otherwise two more (the quotas' bloc-years,
the latest snapshots of the others), and the live ranking's inputs of each other bloc-year
without a snapshot (``ranking_input``, a fixed number each): bounded by the size of the
quotas, never by the number of units.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from blocs.models import BlocYear
from scoring import quotas, vote_ranking
from scoring.models import BandQuota, Criterion, RankingSnapshot, ScoringSeason
from scoring.ranking import band_from_json
from scoring.rows import RankingRow
from scoring.selectors.ranking import RankingInput, ranking_input, ranking_rows

# Snapshots ranked without points (by vote, or a past year's bands): nothing to order across blocs.
# ("bands_only" is scoring.importer.write_bands.BANDS_ONLY; the importer imports the services.)
WITHOUT_POINTS = frozenset({vote_ranking.VOTES, "bands_only"})


@dataclass(frozen=True)
class QuotaSource:
    """Which rows of one bloc-year a quota was counted with: its frozen snapshot (number) or
    its live, provisional ranking (None)."""

    bloc: str
    snapshot: int | None = None
    own: bool = False  # the bloc-year whose ranking this is

    @property
    def described(self) -> str:
        """Which rows, in words (the ranking page's line under the table)."""
        if self.own:
            return _("khối này")
        if self.snapshot is not None:
            return _("kết quả đã chốt lần %(number)s") % {"number": self.snapshot}
        return _("kết quả tạm tính hiện tại")


@dataclass(frozen=True)
class QuotaLine:
    """A quota as the ranking page says it under the table (and a snapshot keeps it)."""

    name: str
    band: str
    percent: str  # as written: "20", "12,5"
    limit: int
    counted: int
    sources: Sequence[QuotaSource]

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "band": self.band,
            "percent": self.percent,
            "limit": self.limit,
            "counted": self.counted,
            "sources": [
                {"bloc": s.bloc, "snapshot": s.snapshot, "own": s.own} for s in self.sources
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> QuotaLine:
        sources = data.get("sources")
        return cls(
            name=str(data.get("name", "")),
            band=str(data.get("band", "")),
            percent=str(data.get("percent", "")),
            limit=int(str(data.get("limit", 0))),
            counted=int(str(data.get("counted", 0))),
            sources=[
                QuotaSource(str(item.get("bloc", "")), item.get("snapshot"), bool(item.get("own")))
                for item in (sources if isinstance(sources, list) else [])
                if isinstance(item, dict)
            ],
        )


def _live_bloc(
    bloc_year: BlocYear, data: RankingInput, rows: Sequence[RankingRow]
) -> quotas.QuotaBloc:
    return quotas.QuotaBloc(
        key=bloc_year.pk,
        name=bloc_year.bloc.name,
        rows=rows,
        full_max=sum(
            (leaf.max_points for leaf in data.leaves if leaf.kind == Criterion.Kind.STANDARD),
            Decimal(0),
        ),
        bands=[band.name for band in data.settings.bands],
        units=len(data.units),
        table=data.settings.bands,
    )


def _frozen_bloc(bloc_year: BlocYear, snapshot: RankingSnapshot) -> quotas.QuotaBloc:
    settings = snapshot.data.get("settings") or {}
    rows = snapshot.rows
    return quotas.QuotaBloc(
        key=bloc_year.pk,
        name=bloc_year.bloc.name,
        rows=rows,
        full_max=sum(
            (
                Decimal(str(item["max"]))
                for item in snapshot.data.get("criteria", [])
                if item.get("leaf") and item.get("kind") == Criterion.Kind.STANDARD
            ),
            Decimal(0),
        ),
        bands=[band_from_json(band).name for band in settings.get("bands", [])],
        units=len(rows),
        fixed=True,
    )


def quota_outcome(
    bloc_year: BlocYear, data: RankingInput, rows: list[RankingRow]
) -> tuple[list[RankingRow], list[QuotaLine]]:
    """The bloc-year's live rows with every quota that counts it applied (bands highest first
    in its own table), and the quotas in words. ``data`` and ``rows`` are its live ranking."""
    found = list(BandQuota.objects.filter(bloc_years=bloc_year).order_by("pk"))
    if not found:
        return rows, []
    links = list(
        BandQuota.bloc_years.through.objects.filter(bandquota_id__in=[q.pk for q in found])
        .select_related("blocyear__bloc", "blocyear__scoring")
        .order_by("blocyear__bloc__code", "blocyear__pk")
    )
    others = {link.blocyear_id: link.blocyear for link in links if link.blocyear_id != bloc_year.pk}
    latest = RankingSnapshot.objects.filter(bloc_year=OuterRef("bloc_year")).order_by("-number")
    snapshots = {
        snapshot.bloc_year_id: snapshot
        for snapshot in RankingSnapshot.objects.filter(
            bloc_year_id__in=list(others), pk=Subquery(latest.values("pk")[:1])
        )
    }
    blocs: dict[int, quotas.QuotaBloc] = {}
    for pk, other in others.items():
        if pk in snapshots:
            if (snapshots[pk].data.get("settings") or {}).get("mode") in WITHOUT_POINTS:
                continue  # ranked without points (by vote, bands only): nothing to order by
            blocs[pk] = _frozen_bloc(other, snapshots[pk])
        elif _has_season(other):
            live = ranking_input(other)
            blocs[pk] = _live_bloc(other, live, ranking_rows(live, live.rank()))
    order = [band.name for band in data.settings.bands]
    found.sort(key=lambda q: (order.index(q.band) if q.band in order else len(order), q.pk))
    lines = []
    for quota in found:
        members = [link.blocyear_id for link in links if link.bandquota_id == quota.pk]
        group = [
            _live_bloc(bloc_year, data, rows) if pk == bloc_year.pk else blocs[pk]
            for pk in members
            if pk == bloc_year.pk or pk in blocs
        ]
        rule = quotas.Quota(quota.band, quota.share_percent, quota.name)
        result = quotas.apply_quota(rule, group)
        rows = quotas.moved_rows(
            rows, bloc_year.pk, result, table=data.settings.bands, counted=len(data.units)
        )
        lines.append(
            QuotaLine(
                name=quota.name,
                band=quota.band,
                percent=quota.share_text,
                limit=result.limit,
                counted=result.counted,
                sources=[
                    QuotaSource(
                        bloc.name,
                        snapshots[bloc.key].number if bloc.key in snapshots else None,
                        bloc.key == bloc_year.pk,
                    )
                    for bloc in group
                ],
            )
        )
        blocs = {**blocs, **{b.key: _refreshed(b, result) for b in group if b.key in blocs}}
    return rows, lines


def _has_season(bloc_year: BlocYear) -> bool:
    """Whether scoring was set up (read from the row ``select_related`` brought)."""
    try:
        return bloc_year.scoring is not None
    except ScoringSeason.DoesNotExist:
        return False


def _refreshed(bloc: quotas.QuotaBloc, result: quotas.QuotaResult) -> quotas.QuotaBloc:
    """A live bloc-year's rows after a quota moved some of its units (the next quota, on a
    lower band, counts them there)."""
    if bloc.fixed:
        return bloc
    return quotas.QuotaBloc(
        key=bloc.key,
        name=bloc.name,
        rows=quotas.moved_rows(bloc.rows, bloc.key, result, table=bloc.table, counted=bloc.units),
        full_max=bloc.full_max,
        bands=bloc.bands,
        units=bloc.units,
        table=bloc.table,
    )


def quota_lines_of(snapshot: RankingSnapshot) -> list[QuotaLine]:
    """The quotas a snapshot was made with (none before quotas existed)."""
    settings = snapshot.data.get("settings") or {}
    return [QuotaLine.from_json(item) for item in settings.get("quotas", [])]
