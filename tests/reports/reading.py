"""Reading generated files back: the text and tables of a DOCX (python-docx)."""

from __future__ import annotations

import io
from typing import Any

from docx import Document as open_docx


def docx(data: bytes) -> Any:
    return open_docx(io.BytesIO(data))


def _table_texts(table: Any) -> list[str]:
    texts: list[str] = []
    for row in table.rows:
        for cell in row.cells:
            texts.extend(paragraph.text for paragraph in cell.paragraphs)
            for inner in cell.tables:
                texts.extend(_table_texts(inner))
    return texts


def docx_text(data: bytes) -> str:
    """Every paragraph of the body and of its tables, one per line."""
    document = docx(data)
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        texts.extend(_table_texts(table))
    return "\n".join(texts)


def docx_rows(data: bytes) -> list[tuple[str, ...]]:
    """The rows of every table of the body, as tuples of cell texts."""
    return [
        tuple(cell.text for cell in row.cells) for table in docx(data).tables for row in table.rows
    ]
