"""The council's year, read for its page and its XLSX file (``awards.views.council``): every
bloc's proposals side by side, the counts per award, the province-wide Government-flag check."""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

import openpyxl
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from awards.eligibility import GOVERNMENT_FLAG, Finding, government_flag_warning
from awards.models import AwardType, Proposal, RuleSet
from awards.selectors import rule_set_for_year
from blocs.models import BlocYear, Council
from common.exporters import XLSX, Export, ascii_fold
from common.paging import Page, page_of
from common.text import printable

PROPOSALS_SHEET = gettext_noop("Đề nghị khen thưởng")
# Proposal status → the badge colour the other pages use for the same meaning.
BADGES = {
    Proposal.Status.DRAFT: "draft",
    Proposal.Status.SUBMITTED: "submitted",
    Proposal.Status.RETURNED: "returned",
    Proposal.Status.APPROVED: "accepted",
    Proposal.Status.REJECTED: "rejected",
}


@dataclass
class Item:
    proposal: Proposal
    unit_name: str

    @property
    def badge(self) -> str:
        if self.proposal.decision_id:
            return "decided"
        return BADGES[Proposal.Status(self.proposal.status)]

    @property
    def status_label(self) -> str:
        if self.proposal.decision_id:
            return _("Đã có quyết định")
        return str(self.proposal.get_status_display())


@dataclass
class BlocRow:
    bloc_year: BlocYear
    cells: list[list[Item]]  # one list per award column
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def proposed(self) -> int:
        return sum(len(cell) for cell in self.cells)


@dataclass
class CouncilYear:
    council: Council
    year: int
    years: list[int]
    rule_set: RuleSet | None
    awards: list[AwardType]
    rows: list[BlocRow]
    items: list[tuple[BlocYear, Item]]  # every proposal, bloc by bloc
    totals: list[int]  # proposals per award column (rejected ones left out)
    decided: list[int]
    government_flags: int
    warning: Finding | None
    page: Page | None = None  # the page's slice of the blocs; None: every bloc (the file)
    blocs: int = 0  # blocs of the whole council that year


@dataclass
class _Placed:
    """The proposals placed in their bloc's row and award column, with the columns' counts."""

    rows: dict[int, BlocRow]
    totals: list[int]
    decided: list[int]
    extra: list[tuple[int, Item]] = field(default_factory=list)
    government_flags: int = 0

    def place(self, proposal: Proposal, item: Item, index: int | None) -> None:
        row = self.rows[proposal.bloc_year_id]
        row.counts[proposal.status] += 1
        if proposal.decision_id:
            row.counts["decided"] += 1
        if index is None:  # an award of another rule set (the catalogue changed since)
            self.extra.append((proposal.bloc_year_id, item))
            return
        row.cells[index].append(item)
        if proposal.status != Proposal.Status.REJECTED:
            self.totals[index] += 1
            if proposal.award_type.code == GOVERNMENT_FLAG:
                self.government_flags += 1
        if proposal.decision_id:
            self.decided[index] += 1

    def items(self) -> list[tuple[BlocYear, Item]]:
        """Every proposal, bloc by bloc, those of another rule set last."""
        rows = self.rows
        return [
            (row.bloc_year, item) for row in rows.values() for cell in row.cells for item in cell
        ] + [(rows[bloc_year_id].bloc_year, item) for bloc_year_id, item in self.extra]


def _place(bloc_years: list[BlocYear], awards: list[AwardType], year: int) -> _Placed:
    column = {award.code: index for index, award in enumerate(awards)}
    placed = _Placed(
        rows={
            bloc_year.pk: BlocRow(bloc_year, [[] for _award in awards]) for bloc_year in bloc_years
        },
        totals=[0] * len(awards),
        decided=[0] * len(awards),
    )
    proposals = (
        Proposal.objects.filter(bloc_year__in=bloc_years)
        .exclude(status=Proposal.Status.DRAFT)
        .select_related("unit", "award_type", "decision")
        .prefetch_related("unit__former_names")
        .order_by("award_type__order", "rank", "unit__name", "pk")
    )
    for proposal in proposals:
        item = Item(proposal, proposal.unit.name_in_year(year))
        placed.place(proposal, item, column.get(proposal.award_type.code))
    return placed


def _council_totals(
    council: Council, year: int, awards: list[AwardType]
) -> tuple[list[int], list[int], int]:
    """Per award column, over every bloc of the council (one aggregate, whatever the number of
    blocs): the proposals sent and not rejected, those with a decision, and the Government
    flags among them. The same counts ``_Placed.place`` makes over the blocs it places."""
    rows = (
        Proposal.objects.filter(bloc_year__bloc__council=council, bloc_year__year=year)
        .exclude(status=Proposal.Status.DRAFT)
        .values("award_type__code")
        .annotate(
            counted=Count("pk", filter=~Q(status=Proposal.Status.REJECTED)),
            decided=Count("pk", filter=Q(decision__isnull=False)),
        )
        .order_by()
    )
    by_code = {row["award_type__code"]: row for row in rows}
    totals = [by_code[a.code]["counted"] if a.code in by_code else 0 for a in awards]
    decided = [by_code[a.code]["decided"] if a.code in by_code else 0 for a in awards]
    flags = sum(
        total for award, total in zip(awards, totals, strict=True) if award.code == GOVERNMENT_FLAG
    )
    return totals, decided, flags


def council_year(council: Council, year: int, *, page: str | None = None) -> CouncilYear:
    """Everything the page and the file show, in a fixed number of queries. Drafts are the
    secretariat's work in progress and stay out; rejected proposals are shown, not counted.

    ``page`` (the ``?page=`` of the page) places one page of blocs (``common.paging``) and
    counts the totals over the whole council in SQL; without it (the file) every bloc."""
    years = sorted(
        BlocYear.objects.filter(bloc__council=council)
        .order_by()
        .values_list("year", flat=True)
        .distinct(),
        reverse=True,
    )
    of_year = BlocYear.objects.filter(bloc__council=council, year=year)
    ordered = of_year.select_related("bloc").order_by("bloc__code", "bloc__name", "pk")
    rule_set = rule_set_for_year(year)
    awards = list(rule_set.award_types.order_by("order", "pk")) if rule_set else []
    chosen = None
    if page is None:
        bloc_years = list(ordered)
        placed = _place(bloc_years, awards, year)
        blocs, totals = len(bloc_years), (placed.totals, placed.decided, placed.government_flags)
    else:
        chosen = page_of(of_year.count(), page)
        bloc_years = list(ordered[chosen.start : chosen.end])
        placed = _place(bloc_years, awards, year)
        blocs, totals = chosen.total, _council_totals(council, year, awards)
    warning = (
        government_flag_warning(totals[2], blocs, rule_set.government_flag_warning_percent)
        if rule_set is not None
        else None
    )
    return CouncilYear(
        council=council,
        year=year,
        years=years,
        rule_set=rule_set,
        awards=awards,
        rows=list(placed.rows.values()),
        items=placed.items(),
        totals=totals[0],
        decided=totals[1],
        government_flags=totals[2],
        warning=warning,
        page=chosen,
        blocs=blocs,
    )


def _text(cell: Cell, value: str) -> Cell:
    """Always a text cell: a unit named "=HYPERLINK(…)" stays text, never a formula; no control
    character (common.text)."""
    cell.value = printable(value)
    cell.data_type = "s"
    return cell


HEADERS = [
    gettext_noop("Khối"),
    gettext_noop("Đơn vị"),
    gettext_noop("Hình thức khen thưởng"),
    gettext_noop("Thứ hạng"),
    gettext_noop("Tổng điểm"),
    gettext_noop("Xếp loại"),
    gettext_noop("Số phiếu đồng ý"),
    gettext_noop("Trạng thái"),
    gettext_noop("Quyết định"),
]
WIDTHS = [30, 40, 40, 10, 12, 28, 12, 20, 28]
HEADER_ROW = 3


def _proposal_row(sheet: Worksheet, number: int, bloc_year: BlocYear, item: Item) -> None:
    proposal = item.proposal
    decision = proposal.decision
    _text(sheet.cell(row=number, column=1), bloc_year.bloc.name)
    _text(sheet.cell(row=number, column=2), item.unit_name)
    _text(sheet.cell(row=number, column=3), proposal.award_type.name)
    sheet.cell(row=number, column=4, value=proposal.rank)
    total = sheet.cell(row=number, column=5, value=proposal.total)
    total.number_format = "#,##0.00"
    _text(sheet.cell(row=number, column=6), proposal.band or "")
    sheet.cell(row=number, column=7, value=proposal.votes_for)
    _text(sheet.cell(row=number, column=8), item.status_label)
    _text(
        sheet.cell(row=number, column=9),
        f"{decision.number} ({decision.date:%d/%m/%Y})" if decision else "",
    )


def council_xlsx(data: CouncilYear) -> Export:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _(PROPOSALS_SHEET)
    title = _("Đề nghị khen thưởng năm %(year)s – %(council)s") % {
        "year": data.year,
        "council": data.council.name,
    }
    _text(sheet.cell(row=1, column=1), title).font = Font(bold=True, size=13)
    for index, header in enumerate(HEADERS, start=1):
        cell = _text(sheet.cell(row=HEADER_ROW, column=index), _(header))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, (bloc_year, item) in enumerate(data.items, start=HEADER_ROW + 1):
        _proposal_row(sheet, number, bloc_year, item)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    book.properties.title = printable(title)
    book.properties.creator = "Thi đua"
    buffer = io.BytesIO()
    book.save(buffer)
    code = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_fold(data.council.code)).strip("-") or "hd"
    return Export(f"de-nghi-khen-thuong-{code}-{data.year}.xlsx", XLSX, buffer.getvalue())
