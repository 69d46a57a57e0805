"""A past year with points in which some members have no points but a published band
(docs/import-format.md, "Members with a band but no points"): the ``Thứ hạng`` and ``Xếp loại``
of ``Đơn vị`` are taken for those members only. No database here."""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from django.utils.translation import gettext as _

from scoring.importer.cells import column_letter
from scoring.importer.contract import (
    BAND,
    RANK,
    SCORES,
    SELF_SCORES,
    UNITS,
    WorkbookData,
    leadership_required,
)


class Reporter(Protocol):
    this_year: int

    def problem(
        self,
        reason: str,
        sheet: str = "",
        row: int | None = None,
        column: str = "",
        value: str = "",
    ) -> None: ...


def check_band_members(
    reader: Reporter, data: WorkbookData, columns: tuple[int | None, int | None]
) -> None:
    """Before the points are read: a band only in a past year, a rank only with a band and
    within the number of members."""
    rank_at, band_at = columns
    data.band_column = column_letter(band_at) if band_at is not None else ""
    past = not leadership_required(data.year, reader.this_year)
    for unit in data.units:
        if not past:
            for index, value in ((rank_at, unit.rank), (band_at, unit.band)):
                if index is not None and value:
                    reader.problem(
                        _(
                            "chỉ ghi “%(rank)s” và “%(band)s” cho năm đã qua (kết quả đã công "
                            "bố); năm nay được xếp hạng từ điểm."
                        )
                        % {"rank": RANK, "band": BAND},
                        UNITS,
                        unit.row,
                        column_letter(index),
                        str(value),
                    )
            continue
        if rank_at is None or unit.rank is None:
            continue
        if not unit.band:
            reader.problem(
                _("thứ hạng chỉ ghi cùng xếp loại công bố của đơn vị không có điểm."),
                UNITS,
                unit.row,
                column_letter(rank_at),
                str(unit.rank),
            )
        elif unit.rank > len(data.units):
            reader.problem(
                _("thứ hạng lớn hơn số đơn vị của khối (%(count)s).") % {"count": len(data.units)},
                UNITS,
                unit.row,
                column_letter(rank_at),
                str(unit.rank),
            )
    if not past:  # refused above; the rest is read as an ordinary scored year
        data.units = [replace(unit, rank=None, band="") for unit in data.units]
    elif data.units and len(data.band_members) == len(data.units):
        reader.problem(
            _(
                "mọi đơn vị đều chỉ có xếp loại công bố: bỏ hai trang “Tiêu chí” và “Điểm” "
                "(năm chỉ công bố xếp loại)."
            ),
            UNITS,
        )


def check_scored_bands(reader: Reporter, data: WorkbookData) -> None:
    """After the points are read: a member with points takes its band from them, so a band
    written for it is refused at its cell (the points are the year's result)."""
    if not leadership_required(data.year, reader.this_year):
        for unit in data.units:
            if not unit.band or unit.code not in data.band_members:
                continue
            sheets = [
                sheet
                for sheet, points in ((SCORES, data.verified), (SELF_SCORES, data.self_points))
                if points and points.get(unit.code)
            ]
            if sheets:
                reader.problem(
                    _(
                        "đơn vị có điểm ở trang “%(sheet)s”: xếp loại được tính từ điểm; chỉ ghi "
                        "xếp loại công bố cho đơn vị không có điểm nào (để trống cột của đơn vị)."
                    )
                    % {"sheet": data.title(sheets[0])},
                    UNITS,
                    unit.row,
                    data.band_column,
                    unit.band,
                )
