"""What the HTML and the DOCX print the same: the page, the line breaks of the header, the
subject and the signatures, the rules' lengths, the tables' column widths (``layout``,
``column_widths``), and the document's date."""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from reports.content import Column, Content, Signature, Table
from reports.typesetting import JOINED, balanced_lines, width_mm

FONT = "Times New Roman"
# A table with more columns than this (a score table of a large bloc) prints in 10 pt, not 12.
DENSE_COLUMNS = 12
CSS_PATH = Path(settings.BASE_DIR) / "static" / "css" / "document.css"

# The page, in millimetres: what the DOCX's section and the stylesheet's @page both set.
PORTRAIT = {"width": 210, "height": 297, "top": 20, "bottom": 20, "left": 30, "right": 15}
LANDSCAPE = {"width": 297, "height": 210, "top": 20, "bottom": 20, "left": 20, "right": 20}
# Side margin of a table cell: Word's default (0.08 inch), and the stylesheet's padding of the
# footer's cells. The header's cells have none, in both renderings.
CELL_MARGIN_MM = 1.905
# The padding of a document table's cells (the stylesheet's "2pt 4pt", "2pt 2pt" when dense),
# given to the DOCX's cells too: a cell has the same room for its text in both renderings.
POINT_MM = 25.4 / 72
TABLE_PADDING_MM = {False: 4 * POINT_MM, True: 2 * POINT_MM}  # sides, by density
TABLE_PADDING_TOP_MM = 2 * POINT_MM
TABLE_BORDER_MM = 0.3  # a cell's share of the 0.75 pt borders, and a little more
# A word of a table's cell fits its column when it leaves this much (mm): the two renderings
# shape text a hair differently from the metrics the widths are computed with.
FIT_SLACK_MM = 0.3
# A line is broken to fit this much less than its cell: Word and WeasyPrint shape a little
# differently from the metrics the breaks are computed with.
SLACK_MM = 0.5
# The rule under the issuer and under the subject: between 1/3 and 1/2 of the line above it
# (Nghị định 30/2020, Phụ lục I); the rule under the motto is as long as the motto.
RULE_FRACTION = 0.4
SLOGAN = "Độc lập - Tự do - Hạnh phúc"
SLOGAN_SIZE = 13.5
DRAFT_MARK = "DỰ THẢO"


def page_of(content: Content) -> dict[str, int]:
    return LANDSCAPE if content.landscape else PORTRAIT


def text_width_of(content: Content) -> float:
    page = page_of(content)
    return float(page["width"] - page["left"] - page["right"])


@dataclass(frozen=True)
class SignatureLayout:
    """A signature block as printed: its title lines broken to fit its cell, and ``pad``
    blank lines above the signing space so that the names of a row stand at one height."""

    lines: tuple[str, ...]
    note: str
    name: str
    pad: int

    @property
    def padding(self) -> range:
        return range(self.pad)


@dataclass(frozen=True)
class Layout:
    """What both renderings print the same: line breaks, cell widths and rule lengths (mm)."""

    text_width: float
    header_widths: tuple[float, float]
    parent: tuple[str, ...]
    issuer: tuple[str, ...]
    issuer_rule: float
    slogan_rule: float
    place_date: tuple[str, ...]
    subject: tuple[str, ...]
    subject_rule: float
    footer: str  # "single" (recipients | signer), "pair" (two signers), "grid"
    footer_widths: tuple[float, float]
    signature_rows: tuple[tuple[SignatureLayout, ...], ...]


def _signature_rows(
    signatures: list[Signature], footer: str, width: float
) -> tuple[tuple[SignatureLayout, ...], ...]:
    available = width - 2 * CELL_MARGIN_MM - SLACK_MM
    pairs = [signatures] if footer == "pair" else _pairs(signatures)
    rows = []
    for pair in pairs:
        broken = [
            tuple(
                line
                for text in signature.lines
                for line in balanced_lines(text.upper(), available, 14, bold=True)
            )
            for signature in pair
        ]
        heights = [len(lines) + bool(s.note) for lines, s in zip(broken, pair, strict=True)]
        tallest = max([*heights, *(s.row_lines for s in pair)])
        rows.append(
            tuple(
                SignatureLayout(lines, s.note, s.name, tallest - height)
                for lines, s, height in zip(broken, pair, heights, strict=True)
            )
        )
    return tuple(rows)


def layout(content: Content) -> Layout:
    text_width = text_width_of(content)
    left, right = round(text_width * 0.40, 2), round(text_width * 0.60, 2)
    parent = balanced_lines(content.issuer_parent.upper(), left - SLACK_MM, 13)
    issuer = balanced_lines(content.issuer.upper(), left - SLACK_MM, 13, bold=True)
    place_date = balanced_lines(content.place_date, right - SLACK_MM, 14, italic=True)
    subject = balanced_lines(content.subject, text_width - SLACK_MM, 14, bold=True)
    signatures = content.signatures
    if len(signatures) == 1:
        footer, widths = "single", (text_width * 0.45, text_width * 0.55)
    elif len(signatures) == 2 and not content.recipients:
        footer, widths = "pair", (text_width / 2, text_width / 2)
    else:
        footer, widths = "grid", (text_width / 2, text_width / 2)
    return Layout(
        text_width=text_width,
        header_widths=(left, right),
        parent=tuple(line for line in parent if line),
        issuer=tuple(issuer),
        issuer_rule=RULE_FRACTION * max(width_mm(line, 13, bold=True) for line in issuer),
        slogan_rule=width_mm(SLOGAN, SLOGAN_SIZE, bold=True),
        place_date=tuple(place_date),
        subject=tuple(line for line in subject if line),
        subject_rule=RULE_FRACTION * max(width_mm(line, 14, bold=True) for line in subject),
        footer=footer,
        footer_widths=widths,
        signature_rows=_signature_rows(signatures, footer, widths[1]),
    )


def cell_room(width: float, dense: bool) -> float:
    """The width a document table's cell has for its text: the column less the cell's padding
    and its share of the borders."""
    return width - 2 * TABLE_PADDING_MM[dense] - TABLE_BORDER_MM


def is_dense(table: Table) -> bool:
    return len(table.columns) > DENSE_COLUMNS


def table_size(table: Table) -> float:
    return 10 if is_dense(table) else 12


def column_widths(table: Table) -> list[float]:
    """The columns' widths (mm): the builder's, but a column too narrow for its longest word
    ("VII.1", "LĐ-TB&XH") grows, at the expense of the columns with room to spare (the
    criterion's title), none of them below its longest word or three quarters of its width, so
    that no word runs past its cell or has to be cut where the room allows; the total stays."""
    size, dense = table_size(table), is_dense(table)
    widths = [column.width_mm for column in table.columns]
    needed, floors = [], []
    for index, column in enumerate(table.columns):
        tokens = [(token, True) for token in column.title.split()]
        tokens += [
            (token, row_index in table.bold_rows)
            for row_index, row in enumerate(table.rows)
            if index < len(row)
            for token in row[index].split()
        ]
        longest = max(
            (
                _token_width(token, size, bold) + (SLACK_MM if JOINED.fullmatch(token) else 0)
                for token, bold in tokens
            ),
            default=0,
        )
        needed.append(longest + 2 * TABLE_PADDING_MM[dense] + TABLE_BORDER_MM + FIT_SLACK_MM)
        floors.append(max(needed[-1], 0.75 * column.width_mm))
    deficits = [max(0.0, need - width) for need, width in zip(needed, widths, strict=True)]
    spare = [max(0.0, width - floor) for floor, width in zip(floors, widths, strict=True)]
    lacking, available = sum(deficits), sum(spare)
    if not lacking or not available:
        return widths
    moved = min(lacking, available)
    return [
        width + moved * deficit / lacking - moved * room / available
        for width, deficit, room in zip(widths, deficits, spare, strict=True)
    ]


def column_title(column: Column, room: float, size: float) -> str:
    """A column's title, broken between words into balanced lines when it needs more than one
    ("Phiếu / đồng ý", not "Phiếu đồng / ý")."""
    return "\n".join(balanced_lines(column.title, room - SLACK_MM, size, bold=True, max_lines=6))


@functools.lru_cache(maxsize=4096)
def _token_width(token: str, size: float, bold: bool) -> float:
    return width_mm(token, size, bold=bold)


def kept_whole(token: str, room: float, size: float, bold: bool) -> bool:
    """Whether ``token`` ("245/QĐ-UBND") fits its line whole, and so is kept whole."""
    return _token_width(token, size, bold) <= room - SLACK_MM


def _pairs(signatures: list[Signature]) -> list[list[Signature]]:
    return [signatures[index : index + 2] for index in range(0, len(signatures), 2)]


def document_date(content: Content) -> datetime.date | None:
    """The document's date, read from its date line ("…, ngày 05 tháng 3 năm 2021")."""
    found = re.search(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", content.place_date)
    if found is None:
        return None
    day, month, year = (int(group) for group in found.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None
