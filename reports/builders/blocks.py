"""Pieces several documents share: amounts written the Vietnamese way (``95,50``, thousands
with a dot), paragraphs from the text a person typed (one per non-blank line, placeholder text
left out), the parts a person must still write, and the table of the ranking results (rank,
unit, total, band) read from the latest snapshot.
"""

from __future__ import annotations

import re
from decimal import Decimal

from common.numbers import format_vietnamese
from reports.builders.data import YearData
from reports.content import Column, Content, Paragraph, Table

# What people type to keep a place: "…", "...", "___", "xxx", "(…)", "[tên đơn vị]".
_FILLER = re.compile(r"^[\s.…_\-–—xX*?()\[\]<>]*$")
_ELLIPSIS = re.compile(r"…|\.\.\.|_{3,}")
_BRACKETS = {"(": ")", "[": "]", "<": ">"}


def vn(value: Decimal | str | None, places: int = 2) -> str:
    """``95,50``; thousands with a dot: ``1.000,00``; a dash for none (documents are written in
    Vietnamese whatever the page's language)."""
    return format_vietnamese(value, places, empty="–")


def is_placeholder(line: str) -> bool:
    """A line that only keeps a place: blank, dots or dashes, or wholly in brackets like the
    documents' own prompts ("(Kết luận của cuộc họp.)", "[tên đơn vị]")."""
    line = line.strip()
    if not line or _FILLER.match(line):
        return True
    return _BRACKETS.get(line[0]) == line[-1]


def filled(text: str, *, one_line: bool = False) -> str:
    """What a person typed without its placeholder lines ("" when nothing real is left); a
    one-line part ("08 giờ …") with an ellipsis or a blank to fill in is not filled yet."""
    lines = [line.strip() for line in text.splitlines() if not is_placeholder(line)]
    if one_line and any(_ELLIPSIS.search(line) for line in lines):
        return ""
    return "\n".join(lines)


def paragraphs(text: str) -> list[Paragraph]:
    """One paragraph per line of what a person typed, placeholder lines left out."""
    return [Paragraph(line) for line in filled(text).splitlines()]


def written(content: Content, text: str, part: str, prompt: str) -> list[Paragraph]:
    """The paragraphs a person wrote for ``part``; while there are none, the italic ``prompt``
    (so that a draft shows where words are missing) and ``part`` is noted as missing."""
    typed = paragraphs(text)
    if typed:
        return typed
    content.missing.append(part)
    return [Paragraph(prompt, italic=True)]


def results_table(data: YearData) -> Table | None:
    """The ranking of the latest snapshot; None while the results are not frozen."""
    if data.snapshot is None:
        return None
    rows = tuple(
        (
            str(row.rank) if row.rank else "–",
            data.row_name(row),
            vn(row.total),
            row.band or "–",
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
