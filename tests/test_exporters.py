"""The export interface every download of the project shares."""

from __future__ import annotations

import dataclasses
from urllib.parse import unquote

import pytest

from common.exporters import (
    CSV,
    DOCX,
    JSON,
    PDF,
    XLSX,
    Export,
    ascii_fold,
    content_disposition,
    csv_safe,
    export_response,
)


def test_an_export_is_a_name_a_content_type_and_bytes_that_cannot_change() -> None:
    export = Export(filename="bang-diem.xlsx", content_type=XLSX, content=b"PK")
    with pytest.raises(dataclasses.FrozenInstanceError):
        export.filename = "khac.xlsx"  # type: ignore[misc]


def test_the_response_is_a_download_the_browser_never_sniffs() -> None:
    response = export_response(Export("bang-diem-syt-2020.xlsx", XLSX, b"PK\x03\x04 data"))
    assert response.content == b"PK\x03\x04 data"
    assert response["Content-Type"] == XLSX
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == "9"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "private" in response["Cache-Control"]


def test_vietnamese_filenames_survive_as_rfc_5987_utf8_with_an_ascii_fallback() -> None:
    header = content_disposition("Bảng điểm Sở Y tế 2020.xlsx")
    fallback, encoded = header.split("; filename*=UTF-8''")
    assert fallback == 'attachment; filename="Bang-diem-So-Y-te-2020.xlsx"'
    assert unquote(encoded) == "Bảng điểm Sở Y tế 2020.xlsx"
    assert " " not in encoded and '"' not in encoded


def test_a_filename_cannot_break_out_of_its_header() -> None:
    header = content_disposition('a"; filename=evil.exe\r\nX-Bad: 1.csv')
    assert "\r" not in header and "\n" not in header
    assert header.count('"') == 2


def test_content_types_of_every_export_format() -> None:
    assert CSV == "text/csv; charset=utf-8"
    assert JSON == "application/json"
    assert PDF == "application/pdf"
    assert XLSX.endswith("spreadsheetml.sheet")
    assert DOCX.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-2,5", "-2,5"),
        ("-2,5\n=1+1", "'-2,5\n=1+1"),
        ("-2.5", "-2.5"),
        ("+1.000,25", "+1.000,25"),
        ("-", "'-"),
        ("Sở Y tế", "Sở Y tế"),
        ("95,50", "95,50"),
        ("", ""),
        (12, 12),
        (None, None),
    ],
)
def test_csv_cells_are_guarded_against_formula_injection(value: object, expected: object) -> None:
    assert csv_safe(value) == expected


def test_ascii_fold_drops_vietnamese_marks() -> None:
    assert ascii_fold("Đường Trường Sơn, Bảng điểm") == "Duong Truong Son, Bang diem"
