"""From a bloc-year's data to the content of each document.

Official documents are written in Vietnamese whatever language the person reading the screen
chose (the law requires it), so their fixed wording is not passed through translation.
Numbers are written the Vietnamese way (95,50) and dates the official way
("ngày 05 tháng 3 năm 2021").

One module per document kind (``report``, ``minutes``, ``submission``, ``covenant``,
``score_table``, ``registration``), on top of ``data`` (everything a bloc-year's documents
read, loaded once),
``letterhead`` (issuer, authority, header block, signer, a new document's defaults) and
``blocks`` (numbers, paragraphs and the results table several documents share). ``build``
dispatches on the document's kind; ``year_data`` and ``defaults`` are re-exported here, the
names the rest of the project uses (``from reports import builders``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from reports.builders.covenant import build_covenant
from reports.builders.data import YearData, year_data
from reports.builders.letterhead import defaults, document_day
from reports.builders.minutes import build_minutes
from reports.builders.registration import build_registration
from reports.builders.report import build_report
from reports.builders.score_table import build_score_table
from reports.builders.submission import build_submission
from reports.content import Content, Signature
from reports.models import Document

__all__ = [
    "BUILDERS",
    "YearData",
    "build",
    "build_as_issued",
    "defaults",
    "document_day",
    "year_data",
]


BUILDERS: dict[str, Callable[[Document, YearData], Content]] = {
    Document.Kind.REPORT: build_report,
    Document.Kind.MINUTES: build_minutes,
    Document.Kind.SUBMISSION: build_submission,
    Document.Kind.COVENANT: build_covenant,
    Document.Kind.SCORE_TABLE: build_score_table,
    Document.Kind.REGISTRATION: build_registration,
}


def build(document: Document, data: YearData | None = None) -> Content:
    """The content of ``document``; ``data`` when the caller has already loaded the year with
    the names of the document's day (``year_data(bloc_year, document_day(document))``)."""
    data = data or year_data(document.bloc_year, document_day(document))
    content = BUILDERS[document.kind](document, data)
    content.draft = document.is_draft
    if not content.draft:
        # An issued document is signed: no "(Ký, ghi rõ họ tên …)" prompt is left in it.
        content.signatures = [replace(s, note="") for s in content.signatures]
    content.signatures = _lined_up(content.signatures)
    return content


def build_as_issued(document: Document) -> Content:
    """The content of an issued document as it was issued, for rendering its files again: its
    record (header, number, date, narrative — nothing changes them once issued) and the year's
    data with the ranking snapshot it was issued with (the latest taken by its issue), not a
    later correction's."""
    data = year_data(document.bloc_year, document_day(document), snapshot_at=document.issued_at)
    return build(document, data)


def _height(signature: Signature) -> int:
    return len(signature.lines) + (1 if signature.note else 0)


def _lined_up(signatures: list[Signature]) -> list[Signature]:
    """Blocks print two to a row: each learns the height of the tallest of its row, so that the
    renderer can put the names of a row at the same height."""
    if len(signatures) < 2:
        return signatures
    lined: list[Signature] = []
    for start in range(0, len(signatures), 2):
        row = signatures[start : start + 2]
        tallest = max(_height(signature) for signature in row) if len(row) == 2 else 0
        lined.extend(replace(signature, row_lines=tallest) for signature in row)
    return lined
