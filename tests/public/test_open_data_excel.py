"""The two CSV files of open data: one Excel set to Vietnamese opens as numbers by double-click
(';' separator, bare decimal comma, Vietnamese headers, byte-order mark), one for programs
(',' separator, decimal point, English names, no byte-order mark); and the page that explains
every column in Vietnamese."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from portal import opendata
from tests.conftest import client_for
from tests.public.conftest import PublicWorld

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"


def ranking(w: PublicWorld, fmt: str) -> Any:
    response = client_for(None).get(reverse("open-data-ranking", args=[w.bloc.pk, 2019, fmt]))
    assert response.status_code == 200
    return response


def test_the_csv_for_excel_vietnam_reads_back_as_numbers_with_vietnamese_headers(
    public_world: PublicWorld,
) -> None:
    response = ranking(public_world, "excel.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="bloc-ranking-QNA-TM3-2019-excel-vn.csv"' in response["Content-Disposition"]
    content = response.content
    assert content.startswith(BOM)
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, first = rows[0], rows[1]
    assert header[:5] == ["Số hiệu khối", "Mã khối", "Năm", "Hạng", "Đồng hạng"]
    assert header[8] == "Tổng điểm"
    by_header = dict(zip(header, first, strict=True))
    assert by_header["Hạng"] == "1" and by_header["Đồng hạng"] == "không"
    assert by_header["Mã đơn vị"] == "SYT" and by_header["Tên đơn vị"] == "Sở Y tế"
    # A decimal comma, no thousands separator, and never quoted: Excel reads a number.
    assert by_header["Tổng điểm"] == "11,50"
    assert Decimal(by_header["Tổng điểm"].replace(",", ".")) == Decimal("11.50")
    assert ';"11,50";' not in text and ";11,50;" in text
    assert [row[8] for row in rows[1:]] == ["11,50", "9,70", "9,60"]
    assert text.endswith("\r\n")


def test_the_csv_for_programs_is_plain_rfc_4180_with_a_decimal_point(
    public_world: PublicWorld,
) -> None:
    response = ranking(public_world, "csv")
    assert 'filename="bloc-ranking-QNA-TM3-2019.csv"' in response["Content-Disposition"]
    content = response.content
    assert not content.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    assert list(rows[0]) == opendata.BLOC_YEAR_RANKING.column_names
    assert [(row["rank"], row["unit_code"], row["total"]) for row in rows] == [
        ("1", "SYT", "11.50"),
        ("2", "BQN", "9.70"),
        ("3", "SGDDT", "9.60"),
    ]
    assert sum(Decimal(row["total"]) for row in rows) == Decimal("30.80")
    assert rows[0]["rank_shared"] == "false"
    assert '"' not in content.decode("utf-8").splitlines()[1]  # nothing needs quoting


def test_a_text_with_a_semicolon_is_quoted_in_the_csv_for_excel(
    public_world: PublicWorld,
) -> None:
    w = public_world
    w.member.name = "Sở A; Sở B"
    w.member.save(update_fields=["name"])
    url = reverse("open-data-bloc-members", args=[w.bloc.pk, "excel.csv"])
    text = client_for(None).get(url).content.decode("utf-8-sig")
    assert '"Sở A; Sở B"' in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert {len(row) for row in rows} == {len(opendata.BLOC_MEMBERS.columns)}
    assert any(row[5] == "Sở A; Sở B" for row in rows)


def test_every_column_has_a_vietnamese_header_unique_in_its_dataset() -> None:
    for dataset in opendata.DATASETS:
        headers = [opendata.GLOSSARY[name].header for name in dataset.column_names]
        assert len(set(headers)) == len(headers), dataset.name


def test_the_open_data_page_names_each_file_and_explains_every_column() -> None:
    response = client_for(None).get(reverse("open-data"))
    assert response.status_code == 200
    html = response.content.decode()
    for variant in ("Excel (.xlsx)", "CSV cho Excel (Việt Nam)", "CSV cho phần mềm", "JSON"):
        assert variant in html
    documented = response.context["datasets"]
    assert [dataset.name for dataset in documented] == [d.name for d in opendata.DATASETS]
    for dataset, documented_dataset in zip(opendata.DATASETS, documented, strict=True):
        assert f'id="dataset-{dataset.name}"' in html
        assert [c.name for c in documented_dataset.columns] == dataset.column_names
        for column in documented_dataset.columns:
            assert f"<code>{column.name}</code>" in html
            assert column.header in html and str(column.meaning) in html
    assert "Tổng điểm: điểm chuẩn + điểm thưởng (đã giới hạn) − điểm trừ" in html
    assert "97,65" in html


def test_the_open_data_page_leads_to_the_councils_pages_where_the_files_are(
    public_world: PublicWorld,
) -> None:
    html = client_for(None).get(reverse("open-data")).content.decode()
    council = public_world.council
    assert f'<a href="{council.get_absolute_url()}">{council.name}</a>' in html
