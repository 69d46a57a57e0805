"""Writing a past year with points in which some members have no points but a published band
(docs/import-format.md, "Members with a band but no points"). Those members get no score sheet;
the year is frozen at once as snapshot 1 "Nhập từ tệp Excel": the scored members ranked from
their points as any year, then the others with their published rank and band and no points."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blocs.models import BlocYear, Unit, User
from scoring.importer.contract import WorkbookData
from scoring.importer.write_bands import published_rows
from scoring.models import RankingSnapshot, ScoreSheet
from scoring.rows import RankingRow, rows_from_json
from scoring.selectors.ranking import inputs_hash, ranking_input, snapshot_data


def drop_band_member_sheets(
    bloc_year: BlocYear, data: WorkbookData, units: dict[str, Unit]
) -> None:
    """The sheets scoring opened for the members without points: they have none to hold."""
    ids = [units[code].pk for code in data.band_members]
    ScoreSheet.objects.filter(bloc_year=bloc_year, unit_id__in=ids).delete()


def freeze_with_published(
    bloc_year: BlocYear, data: WorkbookData, units: dict[str, Unit], by: User | None
) -> list[RankingRow]:
    """Snapshot 1 of the scored members' ranking followed by the published rows, the sheets
    and the year finalized. Returns the published rows."""
    members = [row for row in data.units if row.code in data.band_members]
    published = published_rows(
        bloc_year,
        members,
        units,
        note=_("xếp loại theo kết quả công bố; không có bảng điểm"),
        published=True,
    )
    live = ranking_input(bloc_year)
    content = snapshot_data(live, live.rank())
    ids = {row.unit_id for row in published}
    scored = [row for row in rows_from_json(content["rows"]) if row.unit_id not in ids]
    content["rows"] = [row.to_json() for row in [*scored, *published]]
    RankingSnapshot.objects.create(
        bloc_year=bloc_year,
        number=1,
        kind=RankingSnapshot.Kind.IMPORT,
        reason=ngettext(
            "Nhập từ tệp Excel: %(count)s đơn vị chỉ có xếp loại công bố, không có bảng điểm",
            "Nhập từ tệp Excel: %(count)s đơn vị chỉ có xếp loại công bố, không có bảng điểm",
            len(published),
        )
        % {"count": len(published)},
        created_by=by,
        inputs_hash=inputs_hash(content),
        data=content,
    )
    ScoreSheet.objects.filter(bloc_year=bloc_year, state=ScoreSheet.State.VERIFIED).update(
        state=ScoreSheet.State.FINALIZED
    )
    BlocYear.objects.filter(pk=bloc_year.pk).update(state=BlocYear.State.FINALIZED)
    return published
