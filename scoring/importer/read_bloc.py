"""Reading the sheets that describe the bloc: Thông tin (key / value rows: bloc code and name,
year, head and deputy, council, bonus cap) and Đơn vị (one row per member unit: code, name,
share of women), then the check that the head and deputy are two of the listed units.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from scoring.importer.cells import Row, blank, column_letter, two_places
from scoring.importer.contract import (
    BAND,
    BLOC_CODE,
    BLOC_NAME,
    BONUS_CAP,
    COUNCIL_CODE,
    COUNCIL_NAME,
    DEPUTY,
    HEAD,
    INFO,
    INFO_KEYS,
    LEADERSHIP_KEYS,
    RANK,
    REQUIRED_KEYS,
    UNIT_CODE,
    UNIT_NAME,
    UNITS,
    WOMEN_SHARE,
    YEAR,
    UnitRow,
    leadership_required,
    normalise,
)
from scoring.importer.read_bands import check_bands, published_band
from scoring.importer.reader import CODE_LENGTH, NAME_LENGTH, SheetReader

_LEADERSHIP_FIELDS = {HEAD: "head", DEPUTY: "deputy"}


class BlocSheetsReader(SheetReader):
    # -- Thông tin: key / value rows

    def _read_info(self, rows: Sequence[Sequence[Any]]) -> None:
        data = self.data
        keys = {normalise(key): key for key in INFO_KEYS}
        found: dict[str, Row] = {}
        for row in self._data_rows(INFO, rows, 0):
            key_text = row.text(0)
            if not key_text:
                continue
            key = keys.get(normalise(key_text).rstrip(":").rstrip())
            if key is None:
                if not blank(row.cell(1)):
                    names = ", ".join(f"“{name}”" for name in INFO_KEYS)
                    row.flag(
                        0,
                        _("không phải là mục của trang này (các mục: %(keys)s).") % {"keys": names},
                    )
                continue  # a title or a note
            if key in found:
                row.flag(0, _("mục lặp lại (đã có ở dòng %(row)s).") % {"row": found[key].number})
                continue
            found[key] = row
            data.info_rows[key] = row.number
        for key in REQUIRED_KEYS:
            if key not in found:
                self.problem(_("thiếu mục “%(key)s”.") % {"key": key}, INFO)

        def text(key: str, length: int) -> str:
            row = found.get(key)
            value = row.text(1, length) if row else ""
            if row and value == "" and key in REQUIRED_KEYS:
                row.flag(1, _("thiếu giá trị của mục “%(key)s”.") % {"key": key})
            return value or ""

        data.bloc_code = text(BLOC_CODE, CODE_LENGTH)
        data.bloc_name = text(BLOC_NAME, NAME_LENGTH)
        data.head = text(HEAD, CODE_LENGTH)
        data.deputy = text(DEPUTY, CODE_LENGTH)
        data.council_code = text(COUNCIL_CODE, CODE_LENGTH)
        data.council_name = text(COUNCIL_NAME, NAME_LENGTH)
        if data.council_name and not data.council_code:
            found[COUNCIL_NAME].flag(
                1, _("có tên hội đồng nhưng thiếu mục “%(key)s”.") % {"key": COUNCIL_CODE}
            )
        if YEAR in found:
            row = found[YEAR]
            year = row.amount(1)
            if year is None and row.ok:
                row.flag(1, _("thiếu giá trị của mục “%(key)s”.") % {"key": YEAR})
            elif year is not None and (year != int(year) or not 2000 <= year <= 2100):
                row.flag(1, _("năm phải là số nguyên từ 2000 đến 2100."))
            elif year is not None:
                data.year = int(year)
        self._check_leadership_given(found)
        if BONUS_CAP in found:
            row = found[BONUS_CAP]
            cap = row.amount(1)
            if cap is not None and not two_places(cap):
                row.flag(1, _("phải là số không âm, tối đa hai chữ số thập phân."))
            data.bonus_cap = cap if row.ok else None

    def _check_leadership_given(self, found: dict[str, Row]) -> None:
        """Head and deputy: required for the current year and later, optional for a past one."""
        if self.data.year is None or not leadership_required(self.data.year, self.this_year):
            return
        for key in LEADERSHIP_KEYS:
            row = found.get(key)
            if row is None:
                self.problem(_("thiếu mục “%(key)s”.") % {"key": key}, INFO)
            elif row.ok and not getattr(self.data, _LEADERSHIP_FIELDS[key]):
                row.flag(1, _("thiếu giá trị của mục “%(key)s”.") % {"key": key})

    # -- Đơn vị

    def _read_units(self, rows: Sequence[Sequence[Any]]) -> None:
        header = self._header(
            rows, UNITS, (UNIT_CODE, UNIT_NAME, WOMEN_SHARE, RANK, BAND), (UNIT_CODE, UNIT_NAME)
        )
        if header is None:
            return
        header_row, columns = header
        code_at, name_at, share_at = (
            columns[UNIT_CODE],
            columns[UNIT_NAME],
            columns.get(WOMEN_SHARE),
        )
        self._band_columns = (columns.get(RANK), columns.get(BAND))
        seen: dict[str, int] = {}
        for row in self._data_rows(UNITS, rows, header_row.index + 1):
            code = row.text(code_at, CODE_LENGTH)
            if code == "":
                row.flag(code_at, _("dòng không có mã đơn vị."))
            elif code is not None and " " in code:
                row.flag(code_at, _("mã đơn vị không có dấu cách."))
            elif code is not None and normalise(code) in seen:
                previous = seen[normalise(code)]
                row.flag(
                    code_at, _("mã đơn vị lặp lại (đã có ở dòng %(row)s).") % {"row": previous}
                )
            if code is None or not row.ok:
                continue
            seen[normalise(code)] = row.number
            name = row.text(name_at, NAME_LENGTH)
            if name == "":
                row.flag(name_at, _("thiếu tên đơn vị."))
            share = row.amount(share_at)
            if (
                share_at is not None
                and share is not None
                and not (two_places(share) and share <= 100)
            ):
                row.flag(share_at, _("tỷ lệ nữ phải từ 0 đến 100, tối đa hai chữ số thập phân."))
            # Listed even with a bad cell: its code is known to the other sheets.
            share = share if row.ok else None
            rank, band = published_band(row, *self._band_columns)
            self.data.units.append(
                UnitRow(code, name or "", share, row.number, column_letter(code_at), rank, band)
            )
        self.data.units_read = True
        if not seen:
            self.problem(_("trang không có đơn vị nào."), UNITS)

    def _check_bands(self) -> None:
        """Ranks and bands belong to a year published with bands only, which names every
        member's band; a scored workbook ranks from its points and takes neither."""
        check_bands(self, self.data, getattr(self, "_band_columns", (None, None)))

    def _check_leadership(self) -> None:
        data = self.data
        if not data.units_read:
            return
        codes = {}
        for key, text in ((HEAD, data.head), (DEPUTY, data.deputy)):
            code = self._unit_code(text) if text else None
            if text and code is None:
                self.problem(
                    _("đơn vị không có trong trang “%(sheet)s”.") % {"sheet": data.title(UNITS)},
                    INFO,
                    data.info_rows.get(key),
                    "B",
                    text,
                )
            codes[key] = code or ""
        data.head, data.deputy = codes[HEAD], codes[DEPUTY]
        if data.head and data.head == data.deputy:
            self.problem(
                _("Trưởng khối và Khối phó phải là hai đơn vị khác nhau."),
                INFO,
                data.info_rows.get(DEPUTY),
                "B",
                data.deputy,
            )
