"""Pieces several documents share: amounts written the Vietnamese way (``95,50``, thousands
with a dot), paragraphs from the text a person typed (one per non-blank line), and the table of
the ranking results (rank, unit, total, band) read from the latest snapshot.
"""

from __future__ import annotations

from decimal import Decimal

from reports.builders.data import YearData
from reports.content import Column, Paragraph, Table


def vn(value: Decimal | str | None, places: int = 2) -> str:
    """``95,50``; thousands with a dot: ``1.000,00``."""
    if value is None or value == "":
        return "–"
    amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-places))
    whole, _, fraction = f"{amount:,.{places}f}".partition(".")
    whole = whole.replace(",", ".")
    return f"{whole},{fraction}" if places else whole


def paragraphs(text: str) -> list[Paragraph]:
    """One paragraph per non-blank line of what a person typed."""
    return [Paragraph(line.strip()) for line in text.splitlines() if line.strip()]


def results_table(data: YearData) -> Table | None:
    """The ranking of the latest snapshot; None while the results are not frozen."""
    if data.snapshot is None:
        return None
    rows = tuple(
        (
            str(row["rank"]) if row["rank"] else "–",
            row["name"],
            vn(row["total"]),
            row["band"] or "–",
        )
        for row in data.snapshot.rows
    )
    return Table(
        columns=(
            Column("Hạng", 15, "center"),
            Column("Đơn vị", 66),
            Column("Tổng điểm", 24, "right"),
            Column("Xếp loại", 60),
        ),
        rows=rows,
    )
