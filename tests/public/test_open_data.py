"""Open data: every public table as CSV, XLSX and JSON, with stable columns, the same rows in
the three formats, and nothing that the public pages do not show."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from portal import opendata
from tests.conftest import client_for
from tests.public.conftest import (
    DECISION_NUMBER,
    SECRET_BAND,
    SECRET_SHOWN,
    SECRET_TIE,
    SECRET_TOTALS,
    PublicWorld,
)

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "open-data.md"

# The contract: changing a name here is a breaking change for every reuser of the data.
COLUMNS = {
    "council_blocs": [
        "council_code",
        "year",
        "bloc_id",
        "bloc_code",
        "bloc_name",
        "bloc_kind",
        "state",
        "cycle_step",
        "results_public",
        "member_count",
        "head_unit_id",
        "head_unit_code",
        "head_unit_name",
        "deputy_unit_id",
        "deputy_unit_code",
        "deputy_unit_name",
    ],
    "bloc_members": ["bloc_id", "bloc_code", "year", "unit_id", "unit_code", "unit_name", "role"],
    "bloc_year_ranking": [
        "bloc_id",
        "bloc_code",
        "year",
        "rank",
        "rank_shared",
        "unit_id",
        "unit_code",
        "unit_name",
        "total",
        "standard_points",
        "bonus_points",
        "penalty_points",
        "self_total",
        "band",
        "tie_break",
    ],
    "bloc_year_awards": [
        "bloc_id",
        "bloc_code",
        "year",
        "unit_id",
        "unit_code",
        "unit_name",
        "award_code",
        "award_name",
        "decision_number",
        "decision_date",
        "decision_text",
    ],
    "unit_results": [
        "year",
        "bloc_id",
        "bloc_code",
        "bloc_name",
        "unit_id",
        "unit_code",
        "unit_name",
        "inherited",
        "role",
        "results_public",
        "rank",
        "rank_shared",
        "units_ranked",
        "total",
        "band",
    ],
    "unit_awards": [
        "year",
        "unit_id",
        "unit_code",
        "unit_name",
        "inherited",
        "award_code",
        "award_name",
        "decision_number",
        "decision_date",
        "decision_text",
    ],
}


def urls(w: PublicWorld, year: int = 2019) -> dict[str, tuple[str, list[Any]]]:
    """Dataset → (URL name, arguments before the format) for the world's published year."""
    return {
        "council_blocs": ("open-data-council-blocs", [w.council.code, year]),
        "bloc_members": ("open-data-bloc-members", [w.bloc.pk]),
        "bloc_year_members": ("open-data-bloc-year-members", [w.bloc.pk, year]),
        "bloc_year_ranking": ("open-data-ranking", [w.bloc.pk, year]),
        "bloc_year_awards": ("open-data-awards", [w.bloc.pk, year]),
        "unit_results": ("open-data-unit-results", [w.head.pk]),
        "unit_awards": ("open-data-unit-awards", [w.head.pk]),
    }


def download(name: str, args: list[Any], fmt: str, user: Any = None) -> Any:
    return client_for(user).get(reverse(name, args=[*args, fmt]))


def test_every_dataset_keeps_its_columns() -> None:
    assert {dataset.name: dataset.column_names for dataset in opendata.DATASETS} == COLUMNS


def test_the_documentation_describes_every_dataset_and_column() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for dataset in opendata.DATASETS:
        assert f"`{dataset.name}`" in text
        for column in dataset.columns:
            assert f"`{column.name}`" in text, (dataset.name, column.name)
    for pattern in ("/open-data/councils/", "/open-data/blocs/", "/open-data/units/"):
        assert pattern in text


# ---------------------------------------------------------------------------- one table, 3 files


def _typed(value: Any, kind: str, fmt: str) -> Any:
    """A cell read back from a file, as the Python value the table held."""
    if value is None or value == "":
        return None
    if kind == opendata.INTEGER:
        return int(value)
    if kind == opendata.DECIMAL:
        text = str(value).replace(",", ".") if fmt == opendata.EXCEL_CSV else str(value)
        return Decimal(text).quantize(Decimal("0.01"))
    if kind == opendata.DATE:
        if isinstance(value, datetime.datetime):
            return value.date()
        return datetime.date.fromisoformat(value)
    if kind == opendata.BOOLEAN:
        words = {"true": True, "false": False, "có": True, "không": False}
        return value if isinstance(value, bool) else words[value]
    return value


def read_rows(content: bytes, fmt: str, dataset: opendata.Dataset) -> list[dict[str, Any]]:
    types = {column.name: column.type for column in dataset.columns}
    if fmt == "csv":
        assert not content.startswith(b"\xef\xbb\xbf")  # for programs: no BOM
        header, *body = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    elif fmt == opendata.EXCEL_CSV:
        assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
        reader = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
        header, *body = list(reader)
        assert header == [opendata.GLOSSARY[name].header for name in dataset.column_names]
        header = dataset.column_names
    elif fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        header, *body = [list(row) for row in sheet.iter_rows(values_only=True)]
    else:
        document = json.loads(content)
        assert document["dataset"] == dataset.name
        assert [column["name"] for column in document["columns"]] == dataset.column_names
        header = dataset.column_names
        body = [[row[name] for name in header] for row in document["rows"]]
    assert header == dataset.column_names
    return [
        {name: _typed(cell, types[name], fmt) for name, cell in zip(header, row, strict=True)}
        for row in body
    ]


@pytest.mark.parametrize("key", sorted({*COLUMNS, "bloc_year_members"}))
def test_csv_xlsx_and_json_hold_the_same_rows(public_world: PublicWorld, key: str) -> None:
    name, args = urls(public_world)[key]
    dataset = next(
        d for d in opendata.DATASETS if d.name == key.replace("bloc_year_members", "bloc_members")
    )
    tables = {}
    for fmt in opendata.FORMATS:
        response = download(name, args, fmt)
        assert response.status_code == 200, (key, fmt)
        assert "attachment" in response["Content-Disposition"]
        tables[fmt] = read_rows(response.content, fmt, dataset)
    assert tables["csv"], key
    assert tables["csv"] == tables[opendata.EXCEL_CSV] == tables["xlsx"] == tables["json"]


def test_the_published_ranking_and_awards_say_what_the_page_says(
    public_world: PublicWorld,
) -> None:
    w = public_world
    ranking = json.loads(download("open-data-ranking", [w.bloc.pk, 2019], "json").content)
    assert [(row["rank"], row["unit_code"], row["total"]) for row in ranking["rows"]] == [
        (1, "SYT", "11.50"),
        (2, "BQN", "9.70"),
        (3, "SGDDT", "9.60"),
    ]
    assert ranking["rows"][0]["unit_name"] == "Sở Y tế"
    awards = json.loads(download("open-data-awards", [w.bloc.pk, 2019], "json").content)
    assert [
        (row["unit_code"], row["award_code"], row["decision_number"], row["decision_date"])
        for row in awards["rows"]
    ] == [("SYT", "GOV_FLAG", DECISION_NUMBER, "2020-03-01")]
    text = download("open-data-ranking", [w.bloc.pk, 2019], "csv").content.decode("utf-8")
    assert "1,false,1,SYT,Sở Y tế,11.50" in text.replace(str(w.head.pk), "1", 1)


# ---------------------------------------------------------------------------- visibility


@pytest.mark.parametrize("fmt", ["csv", "excel.csv", "xlsx", "json"])
@pytest.mark.parametrize("name", ["open-data-ranking", "open-data-awards"])
def test_an_unpublished_year_has_no_ranking_or_awards_file(
    public_world: PublicWorld, focal_point: Any, name: str, fmt: str
) -> None:
    """The same for the public and for a member who may see the provisional ranking elsewhere:
    open data is public data only."""
    w = public_world
    for user in (None, focal_point):
        assert download(name, [w.bloc.pk, 2018], fmt, user).status_code == 404
        assert download(name, [w.bloc.pk, 2020], fmt, user).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "excel.csv", "xlsx", "json"])
def test_no_file_says_anything_of_the_unpublished_year(
    public_world: PublicWorld, focal_point: Any, fmt: str
) -> None:
    w = public_world
    for key, (name, args) in urls(w, 2018).items():
        if key in ("bloc_year_ranking", "bloc_year_awards"):
            continue
        for user in (None, focal_point):
            response = download(name, args, fmt, user)
            assert response.status_code == 200, (key, fmt)
            content = response.content
            if fmt == "xlsx":
                sheet = openpyxl.load_workbook(io.BytesIO(content)).active
                content = json.dumps(
                    list(sheet.iter_rows(values_only=True)), default=str, ensure_ascii=False
                ).encode()
            text = content.decode("utf-8-sig")
            for secret in (*SECRET_SHOWN, *SECRET_TOTALS, SECRET_BAND, SECRET_TIE):
                assert secret not in text, (key, fmt, secret)
    results = json.loads(download("open-data-unit-results", [w.member.pk], "json").content)
    by_year = {row["year"]: row for row in results["rows"]}
    assert by_year[2018]["results_public"] is False
    assert by_year[2018]["rank"] is None and by_year[2018]["total"] is None
    assert by_year[2018]["band"] == ""
    assert by_year[2019]["results_public"] is True and by_year[2019]["total"] == "9.70"


def test_unknown_formats_councils_years_and_units_are_404(public_world: PublicWorld) -> None:
    w = public_world
    assert download("open-data-ranking", [w.bloc.pk, 2019], "pdf").status_code == 404
    assert download("open-data-council-blocs", ["XYZ", 2019], "csv").status_code == 404
    assert download("open-data-council-blocs", [w.council.code, 1999], "csv").status_code == 404
    assert download("open-data-bloc-year-members", [w.bloc.pk, 1999], "csv").status_code == 404
    assert download("open-data-unit-results", [999999], "csv").status_code == 404
    assert download("open-data-bloc-members", [999999], "json").status_code == 404


# ---------------------------------------------------------------------------- the files


def test_formula_like_names_stay_text_in_csv_and_xlsx(public_world: PublicWorld) -> None:
    w = public_world
    w.member.name = '=HYPERLINK("http://example.com","Bấm")'
    w.member.save(update_fields=["name"])
    text = download("open-data-bloc-members", [w.bloc.pk], "csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(" in text
    content = download("open-data-bloc-members", [w.bloc.pk], "xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]
    names = [cell for cell in cells if str(cell.value).startswith("=HYPERLINK")]
    assert names and all(cell.data_type == "s" for cell in names)


def test_files_are_named_after_the_dataset_and_typed_cells(public_world: PublicWorld) -> None:
    w = public_world
    response = download("open-data-ranking", [w.bloc.pk, 2019], "xlsx")
    assert 'filename="bloc-ranking-QNA-TM3-2019.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "bloc_year_ranking"
    assert sheet["D2"].value == 1 and sheet["I2"].value == 11.5
    assert sheet["I2"].number_format == "0.00"
    awards = download("open-data-awards", [w.bloc.pk, 2019], "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(awards.content)).active
    assert sheet["J2"].value.date() == datetime.date(2020, 3, 1)
    assert sheet["J2"].number_format == "DD/MM/YYYY"
    csv_response = download("open-data-council-blocs", [w.council.code, 2019], "csv")
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="council-blocs-QNA-2019.csv"' in csv_response["Content-Disposition"]
