"""What an import of a bloc-year workbook returns: the year, its ranking (or, for a year with
bands only, the published rows) and what the workbook did not say, in words."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from blocs.models import BlocYear
from scoring.ranking import Ranked
from scoring.rows import RankingRow


@dataclass
class ImportResult:
    bloc_year: BlocYear
    ranking: list[Ranked]
    replaced: bool = False  # the bloc-year existed and its scoring data was replaced
    council_created: bool = False
    units_created: list[str] = field(default_factory=list)
    leadership_missing: list[str] = field(default_factory=list)  # keys a past year left out
    published: list[RankingRow] = field(default_factory=list)  # rows without points
    mixed: bool = False  # a year with points in which ``published`` had no points

    @property
    def units(self) -> int:
        return len(self.ranking) + len(self.published)

    @property
    def bands_note(self) -> str:
        if not self.published:
            return ""
        if self.mixed:
            return _(
                "Năm %(year)s: %(count)s đơn vị không có bảng điểm, chỉ có xếp loại công bố "
                "(%(names)s); đã nhập với thứ hạng và xếp loại công bố, không có điểm, sau các "
                "đơn vị có điểm. Kết quả được chốt như đã công bố."
            ) % {
                "year": self.bloc_year.year,
                "count": len(self.published),
                "names": ", ".join(row.name for row in self.published),
            }
        return _(
            "Năm %(year)s chỉ công bố thứ hạng và xếp loại, không có điểm: đã nhập %(count)s "
            "đơn vị, kết quả được chốt như đã công bố; trang xếp hạng để trống cột điểm."
        ) % {"year": self.bloc_year.year, "count": len(self.published)}

    @property
    def leadership_note(self) -> str:
        """In words, what the workbook did not say about the year's head and deputy."""
        if not self.leadership_missing:
            return ""
        return _(
            "Tệp không ghi %(keys)s của năm %(year)s: năm đã qua nên vẫn nhập; văn bản của năm "
            "này cần Trưởng khối sẽ báo thiếu cho đến khi có người ghi bổ sung."
        ) % {
            "keys": _(" và ").join(f"“{key}”" for key in self.leadership_missing),
            "year": self.bloc_year.year,
        }
