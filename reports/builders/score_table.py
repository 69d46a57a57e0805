"""The appendix of scores (Phụ lục, A4 landscape) annexed to the year's report: criteria in
rows and units in columns, read from the latest ranking snapshot, each section with its
subtotal, bonus points with "+" and deductions with "−", then the standard points, the bonus,
the deductions, total, rank and band; the columns share the width of the landscape text so
that the table fills it.

Under the title, the line that ties it to the report: "(Kèm theo Báo cáo số 05/BC-KTĐ ngày
02/03/2021 của …)" once the report is issued; before, the report is named as a draft. The
annex has no number of its own and is issued after the report.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from reports.builders.blocks import vn
from reports.builders.data import YearData
from reports.builders.letterhead import document_header
from reports.content import Column, Content, Paragraph, Table
from reports.models import Document
from scoring import rules
from scoring.rows import RankingRow

MINUS = "−"  # U+2212, the minus sign


def reference_line(data: YearData) -> str:
    """The report the annex travels with: its number and date once issued."""
    report = data.report
    if report is not None and report.state == Document.State.ISSUED and report.date:
        return (
            f"(Kèm theo Báo cáo số {report.number_line.removeprefix('Số: ')} "
            f"ngày {report.date:%d/%m/%Y} của {data.bloc_name})"
        )
    return (
        f"(Kèm theo Báo cáo tổng kết công tác thi đua năm {data.year} của {data.bloc_name} "
        "– dự thảo)"
    )


def signed(value: Decimal | str | None, kind: str) -> str:
    """``+1,00`` for bonus points, ``−2,00`` for a deduction; plain otherwise (and for 0)."""
    text = vn(value)
    if value is None or value == "" or Decimal(str(value)) == 0:
        return text
    if kind == rules.BONUS:
        return f"+{text}"
    if kind == rules.PENALTY:
        return f"{MINUS}{text}"
    return text


def _sum(values: list[str | None]) -> Decimal | None:
    """The sum of the leaves' points, or None while one of them has none."""
    if not values or any(value is None for value in values):
        return None
    return sum((Decimal(str(value)) for value in values), Decimal(0))


def _parent_kind(criterion: dict[str, Any], leaves: list[dict[str, Any]]) -> str:
    """A section of bonus or penalty lines shows its sum with that sign."""
    kinds = {leaf.get("kind", rules.STANDARD) for leaf in leaves}
    return kinds.pop() if len(kinds) == 1 else str(criterion.get("kind", rules.STANDARD))


def build_score_table(document: Document, data: YearData) -> Content:
    """Phụ lục (A4 ngang): tiêu chí theo dòng, đơn vị theo cột, rồi tổng điểm, hạng, xếp loại."""
    content = document_header(document, "PHỤ LỤC")
    content.landscape = True
    content.blocks.append(
        Paragraph(reference_line(data), italic=True, align="center", indent=False)
    )
    report = data.report
    if report is None or report.state != Document.State.ISSUED:
        content.missing.append("Số và ngày của Báo cáo tổng kết (ban hành báo cáo trước phụ lục)")
    snapshot = data.snapshot
    if snapshot is None:
        content.missing.append("Kết quả chấm điểm, xếp hạng (chưa chốt)")
        content.blocks.append(Paragraph("Kết quả chấm điểm chưa được chốt.", italic=True))
        return content
    rows_data = snapshot.rows
    units = [(str(row.unit_id), data.row_name(row)) for row in rows_data]
    # The table fills the landscape text width (297 − 2 × 20 mm): the units share what the
    # code, maximum and a title of at least 45 mm leave, up to 25 mm each; the title gets the
    # rest. A code of five characters or more ("VII.1") gets 15 mm instead of 12, so that it
    # is not broken. (Dense tables print in a smaller size, see ``render.geometry.DENSE_COLUMNS``.)
    criteria = snapshot.data.get("criteria", [])
    code_width = 15 if any(len(c["code"]) >= 5 for c in criteria) else 12
    text_width, fixed = 297 - 40, code_width + 16
    width = min(25.0, (text_width - fixed - 45) / max(1, len(units)))
    columns = (
        Column("Mã", code_width),
        Column("Tiêu chí", round(text_width - fixed - width * len(units), 1)),
        Column("Tối đa", 16, "right"),
        *(Column(name, width, "right") for _id, name in units),
    )
    rows: list[tuple[str, ...]] = []
    bold: set[int] = set()
    points = snapshot.data.get("points", {})
    leaves = [criterion for criterion in criteria if criterion.get("leaf")]
    by_unit = {str(row.unit_id): row for row in rows_data}
    for criterion in criteria:
        code = criterion["code"]
        if criterion.get("leaf"):
            kind = criterion.get("kind", rules.STANDARD)
            rows.append(
                (
                    code,
                    criterion["title"],
                    signed(criterion["max"], kind),
                    *(
                        signed(points.get(unit_id, {}).get(str(criterion["id"])), kind)
                        for unit_id, _name in units
                    ),
                )
            )
            continue
        below = [leaf for leaf in leaves if leaf["code"].startswith(code + ".")]
        kind = _parent_kind(criterion, below)
        subtotals = []
        for unit_id, _name in units:
            section = by_unit[unit_id].sections.get(code)
            if kind == rules.STANDARD and section is not None:
                subtotals.append(vn(section))  # the ranking's own (scaled) section subtotal
            else:
                values = [points.get(unit_id, {}).get(str(leaf["id"])) for leaf in below]
                subtotals.append(signed(_sum(values), kind))
        bold.add(len(rows))
        rows.append((code, criterion["title"], signed(criterion["max"], kind), *subtotals))
    footer: list[tuple[str, Callable[[RankingRow], Decimal | None], str]] = []
    kinds = {leaf.get("kind", rules.STANDARD) for leaf in leaves}
    if kinds - {rules.STANDARD}:
        footer.append(("Cộng điểm các tiêu chí", lambda row: row.standard, rules.STANDARD))
        if rules.BONUS in kinds:
            footer.append(("Điểm thưởng (cộng)", lambda row: row.bonus, rules.BONUS))
        if rules.PENALTY in kinds:
            footer.append(("Điểm trừ", lambda row: row.penalty, rules.PENALTY))
    footer.append(("Tổng điểm", lambda row: row.total, rules.STANDARD))
    for label, amount, kind in footer:
        bold.add(len(rows))
        rows.append(("", label, "", *(signed(amount(row), kind) for row in rows_data)))
    for label, shown in (
        ("Xếp hạng", [str(row.rank) if row.rank else "–" for row in rows_data]),
        ("Xếp loại", [row.band or "–" for row in rows_data]),
    ):
        bold.add(len(rows))
        rows.append(("", label, "", *shown))
    content.blocks.append(
        Table(
            columns=columns,
            rows=tuple(rows),
            bold_rows=frozenset(bold),
            # No caption: the title above says what the table is.
        )
    )
    return content  # signed by the issuer (``document_header``)
