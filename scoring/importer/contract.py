"""The names of the bloc-year workbook contract (docs/import-format.md), the plain data a
workbook is read into, and the problems found in it."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from scoring import rules
from scoring.tiers import Tier, to_json

# Sheets, keys and columns. They are names in the file, not interface text: they are matched as
# written here (ignoring case, marks and spacing), whatever the language of the interface.
INFO = "Thông tin"
UNITS = "Đơn vị"
CRITERIA = "Tiêu chí"
SCORES = "Điểm"
SELF_SCORES = "Tự chấm"
SHEETS = (INFO, UNITS, CRITERIA, SCORES, SELF_SCORES)
REQUIRED_SHEETS = (INFO, UNITS, CRITERIA, SCORES)

BLOC_CODE = "Mã khối"
BLOC_NAME = "Tên khối"
YEAR = "Năm"
HEAD = "Trưởng khối"
DEPUTY = "Khối phó"
BONUS_CAP = "Điểm thưởng tối đa"
COUNCIL_CODE = "Mã hội đồng"
COUNCIL_NAME = "Tên hội đồng"
INFO_KEYS = (BLOC_CODE, BLOC_NAME, YEAR, HEAD, DEPUTY, BONUS_CAP, COUNCIL_CODE, COUNCIL_NAME)
REQUIRED_KEYS = (BLOC_CODE, BLOC_NAME, YEAR)
LEADERSHIP_KEYS = (HEAD, DEPUTY)  # required unless the year is past (``leadership_required``)

UNIT_CODE = "Mã đơn vị"
UNIT_NAME = "Tên đơn vị"
WOMEN_SHARE = "Tỷ lệ nữ (%)"
RANK = "Thứ hạng"  # a year published with bands only (no Tiêu chí, no Điểm)
BAND = "Xếp loại"
CODE = "Mã"
TITLE = "Nội dung"
MAX_POINTS = "Điểm tối đa"
KIND = "Loại"
SCORED_BY = "Đơn vị chấm"
SCORER = "Cơ quan chấm"
TIERS = "Bảng mức"
TIER_UNIT = "Đơn vị đo"
CRITERION_CODE = "Mã tiêu chí"

# Other spellings people use for the same column.
ALIASES: dict[str, tuple[str, ...]] = {
    WOMEN_SHARE: ("Tỷ lệ nữ", "Tỷ lệ nữ %", "Tỉ lệ nữ (%)", "Tỉ lệ nữ", "Tỉ lệ nữ %"),
}
KINDS = {
    "chuan": rules.STANDARD,
    "tieu chi chuan": rules.STANDARD,
    "thuong": rules.BONUS,
    "diem thuong": rules.BONUS,
    "tru": rules.PENALTY,
    "diem tru": rules.PENALTY,
}


# Who scores a criterion (``Criterion.ScoredBy``): the stable code or the label, as written.
SCORED_BY_UNIT = "unit"
SCORED_BY_DEPARTMENT = "department"
SCORED_BY_LABELS = {
    SCORED_BY_UNIT: "Đơn vị tự chấm",
    "bloc": "Khối chấm",
    "council": "Cơ quan thường trực Hội đồng chấm",
    SCORED_BY_DEPARTMENT: "Sở, ngành được giao chấm",
}


def normalise(text: str) -> str:
    """``  Mã  KHỐI `` → ``ma khoi``: no marks (đ → d), lower case, single spaces."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.lower().split())


@dataclass(frozen=True)
class Problem:
    """One problem of a workbook: where (sheet, row, column letter), the value, and why."""

    reason: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""

    @property
    def cell(self) -> str:
        """``C7``, or ``dòng 7`` for a whole row, or nothing for a whole sheet."""
        if self.column and self.row:
            return f"{self.column}{self.row}"
        if self.row:
            return _("dòng %(row)s") % {"row": self.row}
        return ""

    def __str__(self) -> str:
        """``Điểm!C7 “abc”: không phải là một số.``"""
        if self.column and self.row:
            place = f"{self.sheet}!{self.cell}"
        elif self.row:
            place = f"{self.sheet}, {self.cell}"
        else:
            place = self.sheet
        if not place:
            return f"“{self.value}”: {self.reason}" if self.value else self.reason
        shown = f" “{self.value}”" if self.value else ""
        return f"{place}{shown}: {self.reason}"

    @property
    def sort_key(self) -> tuple[int, int, int, str]:
        """Problems of the whole file first, then sheet by sheet in the contract's order."""
        folded = normalise(self.sheet)
        order = [normalise(name) for name in SHEETS]
        position = order.index(folded) + 1 if folded in order else (0 if not folded else 9)
        return (position, self.row or 0, len(self.column), self.column)


class ImportFailed(Exception):
    """The workbook cannot be imported; ``problems`` lists every reason. Nothing was written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda problem: problem.sort_key)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    women_share: Decimal | None
    row: int
    column: str = "A"  # of the code, for problems the database check finds
    rank: int | None = None  # published rank: a year with bands only, or a member without points
    band: str = ""  # published band: a year with bands only, or a member without points


@dataclass
class CriterionRow:
    code: str
    title: str
    max_points: Decimal | None  # as written, then a parent's blank becomes its children's sum
    kind: str
    row: int
    order: int
    kind_written: bool = True
    leaf: bool = True
    scored_by: str = SCORED_BY_UNIT
    scored_by_written: bool = False
    scorer: str = ""  # the unit code of the department that scores it (``Cơ quan chấm``)
    scorer_written: bool = False  # in this row's cell (else none, or the parent's)
    scorer_column: str = ""  # its column letter, for problems the database check finds
    tiers: list[Tier] = field(default_factory=list)  # ``Bảng mức``: scored by its table
    tier_unit: str = ""  # ``Đơn vị đo``
    tiers_text: str = ""  # as written, and its column letter, for problems found later
    tiers_column: str = ""

    @property
    def parent_code(self) -> str | None:
        return rules.parent_code_of(self.code)

    @property
    def method_fields(self) -> dict[str, Any]:
        """The criterion's method: points entered directly, or its ``Bảng mức`` tier table."""
        if not self.tiers:
            return {"method": rules.DIRECT}
        return {"method": rules.TIER, "tiers": to_json(self.tiers), "tier_unit": self.tier_unit}


@dataclass
class WorkbookData:
    """A bloc-year as a workbook describes it. Unit and criterion codes are those of the
    ``Đơn vị`` and ``Tiêu chí`` sheets, whatever case other sheets wrote them in."""

    bloc_code: str = ""
    bloc_name: str = ""
    year: int | None = None
    head: str = ""  # may be blank for a past year (``leadership_required``)
    deputy: str = ""
    bonus_cap: Decimal | None = None
    council_code: str = ""
    council_name: str = ""
    units: list[UnitRow] = field(default_factory=list)
    criteria: list[CriterionRow] = field(default_factory=list)
    verified: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # unit → leaf → points
    self_points: dict[str, dict[str, Decimal]] | None = None
    sheet_titles: dict[str, str] = field(default_factory=dict)  # contract name → title in file
    info_rows: dict[str, int] = field(default_factory=dict)  # key → its row in Thông tin
    units_read: bool = False  # the unit codes are known (the Đơn vị sheet had its header)
    # No Tiêu chí and no Điểm: a past year published with ranks and bands only.
    bands_only: bool = False
    criteria_read: bool = False
    band_column: str = ""  # the letter of ``Xếp loại`` in ``Đơn vị``, when there is one

    @property
    def band_members(self) -> set[str]:
        """A year with points: the members with a published band instead of points."""
        return set() if self.bands_only else {unit.code for unit in self.units if unit.band}

    def title(self, sheet: str) -> str:
        return self.sheet_titles.get(sheet, sheet)

    @property
    def leadership_missing(self) -> list[str]:
        """The keys of ``Thông tin`` a past year left out: ``Trưởng khối``, ``Khối phó``."""
        return [key for key, code in ((HEAD, self.head), (DEPUTY, self.deputy)) if not code]

    @property
    def leaves(self) -> list[CriterionRow]:
        return [row for row in self.criteria if row.leaf]


def scored_by_code(text: str) -> str | None:
    """``Khối chấm`` or ``bloc`` → ``bloc``; None for anything else."""
    folded = normalise(text)
    for code, label in SCORED_BY_LABELS.items():
        if folded in (code, normalise(label)):
            return code
    return None


def leadership_required(year: int | None, this_year: int) -> bool:
    """Head and deputy are required for the current year and later ones; sources of past years
    often do not name them, so a year before ``this_year`` may leave them out."""
    return year is None or year >= this_year


@dataclass
class Reading:
    """A workbook read: its data is complete only when there are no problems."""

    data: WorkbookData
    problems: list[Problem] = field(default_factory=list)
