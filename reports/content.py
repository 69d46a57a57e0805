"""One document model, three renderings (HTML preview, DOCX, PDF).

A builder turns a bloc-year's data into a ``Content``: the header (issuer, number, place and
date), the title and subject, blocks of paragraphs and tables, the signatures and the list of
recipients. The renderers know the official layout of Nghị định 30/2020/NĐ-CP; the builders
know nothing about layout.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from common.text import printable


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    align: str = "justify"  # justify, center, left, right
    indent: bool = True  # first-line indent of a body paragraph


@dataclass(frozen=True)
class Heading:
    text: str  # e.g. "I. KẾT QUẢ THỰC HIỆN"


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float
    align: str = "left"  # left, center, right


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    bold_rows: frozenset[int] = frozenset()  # indexes of rows printed in bold (sections, totals)
    caption: str = ""


@dataclass(frozen=True)
class Signature:
    """A signature block: who signs, for whom, their name (blank space is left for the hand)."""

    lines: tuple[str, ...]  # e.g. ("TM. KHỐI THI ĐUA", "TRƯỞNG KHỐI", "GIÁM ĐỐC SỞ Y TẾ")
    name: str = ""
    note: str = "(Ký, ghi rõ họ tên, đóng dấu)"  # a draft's prompt; an issued document has none
    # Lines (title lines, and the note when there is one) of the tallest block printed beside
    # this one: the renderer leaves the difference blank above the signing space, so that the
    # names of a row stand at the same height. 0 when the block stands alone.
    row_lines: int = 0


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Paragraph | Heading | Table | PageBreak


@dataclass
class Content:
    """Everything a document shows, without layout."""

    issuer_parent: str  # "UBND TỈNH QUẢNG NAM" (the issuer's governing body), may be blank
    issuer: str  # "SỞ Y TẾ"
    number_line: str  # "Số: 05/BC-SYT"
    place_date: str  # "Quảng Nam, ngày 05 tháng 3 năm 2021"
    kind_title: str  # "BÁO CÁO"
    subject: str  # "Tổng kết công tác thi đua năm 2020 …"
    blocks: list[Block] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    landscape: bool = False
    demo_notice: str = ""  # "Dữ liệu minh họa" on documents of demo councils
    # A draft: no number yet, and the renderers print a visible "DỰ THẢO" mark.
    draft: bool = False
    # The parts still missing or still placeholder text ("Phần II – đánh giá chung"): a
    # document cannot be issued while there is one. Not printed.
    missing: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The whole text, for search and for tests."""
        parts = [
            self.issuer_parent,
            self.issuer,
            self.number_line,
            self.place_date,
            self.kind_title,
            self.subject,
        ]
        for block in self.blocks:
            if isinstance(block, Paragraph | Heading):
                parts.append(block.text)
            elif isinstance(block, Table):
                parts.extend(column.title for column in block.columns)
                parts.extend(cell for row in block.rows for cell in row)
        for signature in self.signatures:
            parts.extend([*signature.lines, signature.name])
        parts.extend(self.recipients)
        return "\n".join(part for part in parts if part)


def printable_content(value: Any) -> Any:
    """``value`` (a ``Content`` or any part of it) with every text stripped of the control
    characters no DOCX or PDF may carry (common.text): text stored before that policy
    can never break a document."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [printable_content(item) for item in value]
    if isinstance(value, tuple):
        return tuple(printable_content(item) for item in value)
    if isinstance(value, dict):
        return {key: printable_content(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: printable_content(getattr(value, field.name))
            for field in dataclasses.fields(value)
            if field.init
        }
        return dataclasses.replace(value, **changes)
    return value
