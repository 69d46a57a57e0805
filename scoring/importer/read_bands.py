"""Ranks and bands of a past year published without points (docs/import-format.md, "A year
with bands only"): the ``Thứ hạng`` and ``Xếp loại`` columns of ``Đơn vị``, read and checked.
No database here."""

from __future__ import annotations

from django.utils.translation import gettext as _

from scoring.importer.cells import Row, column_letter
from scoring.importer.contract import (
    BAND,
    CRITERIA,
    SCORES,
    UNITS,
    WorkbookData,
    leadership_required,
)
from scoring.importer.read_mixed import Reporter, check_band_members
from scoring.importer.reader import NAME_LENGTH


def published_band(row: Row, rank_at: int | None, band_at: int | None) -> tuple[int | None, str]:
    """A member's published rank (a whole number from 1) and band, as written; flagged at the
    cell when wrong."""
    rank = None
    value = row.amount(rank_at) if rank_at is not None else None
    if value is not None and (value != int(value) or value < 1):
        assert rank_at is not None
        row.flag(rank_at, _("thứ hạng phải là số nguyên từ 1 trở lên."))
    elif value is not None:
        rank = int(value)
    band = (row.text(band_at, NAME_LENGTH) or "") if band_at is not None else ""
    return rank, band


def check_bands(
    reader: Reporter, data: WorkbookData, columns: tuple[int | None, int | None]
) -> None:
    """A year with bands only: a past year, every member with a band, ranks within the number
    of members. A scored workbook: a band only for a member without points (``read_mixed``)."""
    if not data.units_read:
        return
    rank_at, band_at = columns
    if data.bands_only and leadership_required(data.year, reader.this_year):
        data.bands_only = False  # the current year is scored: the sheets are missing
        for sheet in (CRITERIA, SCORES):
            reader.problem(_("tệp không có trang này."), sheet)
        return
    if not data.bands_only:
        check_band_members(reader, data, columns)
        return
    if band_at is None:
        reader.problem(
            _(
                "tệp không có trang “%(criteria)s” và “%(scores)s” (năm chỉ công bố xếp loại): "
                "cần cột “%(band)s”."
            )
            % {"criteria": CRITERIA, "scores": SCORES, "band": BAND},
            UNITS,
        )
        return
    for unit in data.units:
        if not unit.band:
            reader.problem(
                _("thiếu xếp loại của đơn vị (năm chỉ công bố xếp loại)."),
                UNITS,
                unit.row,
                column_letter(band_at),
            )
        if unit.rank is not None and unit.rank > len(data.units) and rank_at is not None:
            reader.problem(
                _("thứ hạng lớn hơn số đơn vị của khối (%(count)s).") % {"count": len(data.units)},
                UNITS,
                unit.row,
                column_letter(rank_at),
                str(unit.rank),
            )
