"""Downloads of the ranking: CSV for Excel (BOM, Vietnamese decimals, formula guard), the XLSX
summary in the paper layout, the JSON contract; which ranking each person gets, and the cost."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from blocs import services as bloc_services
from blocs.models import BlocYear, User
from common.exporters import CSV, JSON, XLSX
from scoring.exports import RankingSource, ranking_csv, ranking_json_rows, ranking_xlsx
from scoring.models import Criterion
from scoring.services import ranking as ranking_services
from scoring.services.sheets import LineEntry
from tests.conftest import RankingWorld, ScoringWorld, client_for, verified_year
from tests.factories import BlocFactory, CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://vi-du.invalid","Bấm vào đây")'


def download(client: Client, bloc_year: BlocYear, fmt: str) -> Any:
    response = client.get(
        reverse("scoring:ranking-download", args=[bloc_year.bloc_id, bloc_year.year, fmt])
    )
    assert response.status_code == 200, response.status_code
    return response


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


# ---------------------------------------------------------------------------- CSV


def test_the_csv_opens_in_excel_with_vietnamese_names_and_decimals(
    ranking_world: RankingWorld, focal_point: User
) -> None:
    response = download(client_for(focal_point), ranking_world.provisional_year, "csv")
    assert response["Content-Type"] == CSV
    assert "xep-hang-TM3-2019.csv" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(response.content)
    assert rows[0] == [
        "Hạng",
        "Mã đơn vị",
        "Đơn vị",
        "Tổng điểm",
        "Xếp loại",
        "Giải thích thứ hạng",
        "I. Nhiệm vụ chuyên môn",
    ]
    # Sở Y tế: 6 + 4 + 1,5 bonus; Báo Quảng Nam: 5 + 3,2 + 1,5; the deputy: 5,5 + 3,6 + 1,5 − 1.
    assert [row[:4] for row in rows[1:]] == [
        ["1", "SYT", "Sở Y tế", "11,50"],
        ["2", "BQN", "Báo Quảng Nam", "9,70"],
        ["3", "SGDDT", "Sở Giáo dục và Đào tạo", "9,60"],
    ]
    assert rows[1][4] == "Hoàn thành xuất sắc nhiệm vụ"
    assert rows[1][6] == "10,00"
    assert b'"11,50"' in response.content  # quoted: the comma is not a separator


def test_the_csv_guards_against_formula_injection(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    member = scoring_world.member
    member.name = member.short_name = FORMULA
    member.save()
    bloc_year = verified_year(
        scoring_world.bloc, 2018, [scoring_world.head, scoring_world.deputy, member]
    )
    ranking_services.bloc_year_finalize(bloc_year=bloc_year, by=None)
    rows = csv_rows(download(client_for(secretariat), bloc_year, "csv").content)
    names = [row[2] for row in rows[1:]]
    assert "'" + FORMULA in names
    assert FORMULA not in names
    book = openpyxl.load_workbook(
        io.BytesIO(download(client_for(secretariat), bloc_year, "xlsx").content)
    )
    cells = [cell for row in book["Bảng tổng hợp"].iter_rows() for cell in row]
    guarded = [cell for cell in cells if cell.value == FORMULA]
    assert guarded and all(cell.data_type == "s" for cell in guarded)


def test_a_negative_amount_is_not_mistaken_for_a_formula() -> None:
    source = RankingSource(
        bloc_code="TM3",
        bloc_name="Khối",
        year=2019,
        finalized=True,
        snapshot=1,
        data={
            "rows": [
                {
                    "unit_id": 1,
                    "rank": 1,
                    "code": "X",
                    "name": "Đơn vị X",
                    "total": "-2.50",
                    "band": "",
                    "tie_break": "-ghi chú",
                    "sections": {},
                }
            ],
            "sections": [],
        },
    )
    rows = csv_rows(ranking_csv(source).content)
    assert rows[1][3] == "-2,50"
    assert rows[1][5] == "'-ghi chú"


# ---------------------------------------------------------------------------- XLSX


def test_the_xlsx_has_the_familiar_layout(ranking_world: RankingWorld, leader: User) -> None:
    response = download(client_for(leader), ranking_world.provisional_year, "xlsx")
    assert response["Content-Type"] == XLSX
    assert "xep-hang-TM3-2019.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Bảng tổng hợp", "Xếp hạng"]
    sheet = book["Bảng tổng hợp"]
    assert "2019" in sheet["A1"].value
    assert "lần 1" in sheet["A2"].value
    header = [sheet.cell(row=4, column=column).value for column in range(1, 7)]
    assert header == [
        "Mã",
        "Nội dung tiêu chí",
        "Điểm tối đa",
        "Sở Y tế",
        "Báo Quảng Nam",
        "Sở Giáo dục và Đào tạo",
    ]
    codes = [sheet.cell(row=row, column=1).value for row in range(5, 12)]
    assert codes == ["I", "I.1", "I.2", "II", "II.1", "III", "III.1"]
    assert sheet["D5"].value == 10  # section I: the sum of its leaves
    assert sheet["D5"].font.b
    assert sheet["D6"].value == 6
    assert sheet["F6"].value == 5.5
    assert sheet["D6"].number_format == "#,##0.00"
    assert sheet["C6"].value == 6
    footer = {sheet.cell(row=row, column=2).value: row for row in range(12, 16)}
    assert list(footer) == ["Tổng điểm", "Xếp hạng", "Xếp loại", "Giải thích"]
    assert sheet.cell(row=footer["Tổng điểm"], column=4).value == 11.5
    assert sheet.cell(row=footer["Tổng điểm"], column=4).number_format == "#,##0.00"
    assert [sheet.cell(row=footer["Xếp hạng"], column=c).value for c in (4, 5, 6)] == [1, 2, 3]
    assert sheet.cell(row=footer["Xếp loại"], column=4).value == "Hoàn thành xuất sắc nhiệm vụ"
    assert sheet.freeze_panes == "D5"
    assert sheet.column_dimensions["B"].width == 50
    ranking_sheet = book["Xếp hạng"]
    assert [ranking_sheet.cell(row=1, column=c).value for c in range(1, 5)] == [
        "Hạng",
        "Mã đơn vị",
        "Đơn vị",
        "Tổng điểm",
    ]
    assert [ranking_sheet.cell(row=2, column=c).value for c in range(1, 5)] == [
        1,
        "SYT",
        "Sở Y tế",
        11.5,
    ]
    assert ranking_sheet.freeze_panes == "D2"


# ---------------------------------------------------------------------------- JSON


def test_the_json_matches_the_contract(ranking_world: RankingWorld, council_admin: User) -> None:
    response = download(client_for(council_admin), ranking_world.provisional_year, "json")
    assert response["Content-Type"] == JSON
    assert "xep-hang-TM3-2019.json" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert list(document) == ["bloc", "year", "finalized", "snapshot", "rows"]
    assert document["bloc"] == "TM3"
    assert document["year"] == 2019
    assert document["finalized"] is True
    assert document["snapshot"] == 1
    assert document["rows"][0] == {
        "rank": 1,
        "unit": "SYT",
        "name": "Sở Y tế",
        "total": "11.50",
        "band": "Hoàn thành xuất sắc nhiệm vụ",
        "tie_break": None,
    }
    assert [row["total"] for row in document["rows"]] == ["11.50", "9.70", "9.60"]
    assert document["rows"] == ranking_json_rows(ranking_world.snapshot.rows)


def test_a_download_follows_the_latest_snapshot(
    ranking_world: RankingWorld, secretariat: User, focal_point: User
) -> None:
    bloc_year = ranking_world.provisional_year
    i1 = Criterion.objects.get(criteria_set__seasons__bloc_year=bloc_year, code="I.1")
    ranking_services.complaint_answer(
        complaint=ranking_world.complaint,
        accepted=True,
        answer="Sửa I.1.",
        by=secretariat,
        corrections={i1.pk: LineEntry(Decimal(4))},
    )
    document = json.loads(download(client_for(focal_point), bloc_year, "json").content)
    assert document["snapshot"] == 2
    assert document["rows"][2] == {
        "rank": 3,
        "unit": "SGDDT",
        "name": "Sở Giáo dục và Đào tạo",
        "total": "8.10",
        "band": document["rows"][2]["band"],
        "tie_break": None,
    }


def test_managers_download_the_live_ranking_before_finalization(
    ranking_world: RankingWorld, secretariat: User
) -> None:
    bloc_year = ranking_world.bloc_year  # 2020, being scored
    client = client_for(secretariat)
    document = json.loads(download(client, bloc_year, "json").content)
    assert document["finalized"] is False
    assert document["snapshot"] is None
    assert len(document["rows"]) == 3
    # No sheet is verified yet: no unit has a total, rather than a misleading partial one.
    assert [row["total"] for row in document["rows"]] == [None, None, None]
    book = openpyxl.load_workbook(io.BytesIO(download(client, bloc_year, "xlsx").content))
    assert "tạm tính" in book["Bảng tổng hợp"]["A2"].value


def test_the_live_ranking_is_for_managers_and_leaders_only(
    ranking_world: RankingWorld, leader: User, focal_point: User
) -> None:
    live = reverse("scoring:ranking-download", args=[ranking_world.bloc.pk, 2020, "xlsx"])
    assert client_for(focal_point).get(live).status_code == 403
    assert client_for(leader).get(live).status_code == 200  # leaders see the live ranking page too
    assert client_for(None).get(live).status_code == 302


def test_an_unknown_format_is_not_found(ranking_world: RankingWorld, secretariat: User) -> None:
    response = client_for(secretariat).get(
        reverse("scoring:ranking-download", args=[ranking_world.bloc.pk, 2019, "pdf"])
    )
    assert response.status_code == 404


def test_a_bloc_year_without_scoring_has_nothing_to_download(
    world: Any, council_admin: User
) -> None:
    bloc_year = BlocYear.objects.get(bloc=world.other_bloc, year=2020)
    response = client_for(council_admin).get(
        reverse("scoring:ranking-download", args=[bloc_year.bloc_id, 2020, "csv"])
    )
    assert response.status_code == 404


def test_the_xlsx_exporter_works_without_a_request() -> None:
    source = RankingSource(
        bloc_code="TM 3/Đặc biệt",
        bloc_name="Khối",
        year=2021,
        finalized=False,
        snapshot=None,
        data={"rows": [], "sections": [], "criteria": [], "points": {}},
    )
    export = ranking_xlsx(source)
    assert export.filename == "xep-hang-TM-3-Dac-biet-2021.xlsx"
    assert openpyxl.load_workbook(io.BytesIO(export.content)).sheetnames == [
        "Bảng tổng hợp",
        "Xếp hạng",
    ]


# ---------------------------------------------------------------------------- query budget


def bloc_of(scale: int, *, finalize: bool) -> tuple[BlocYear, User, User]:
    council = CouncilFactory.create()
    units = [UnitFactory.create(council=council) for _ in range(3 * scale)]
    bloc_year = verified_year(BlocFactory.create(council=council), 2019, units)
    if finalize:
        ranking_services.bloc_year_finalize(bloc_year=bloc_year, by=None)
        ranking_services.publish_provisional(bloc_year=bloc_year, by=None)
    secretary = bloc_services.user_create(username="thuky", password="x", unit=units[0])
    member = bloc_services.user_create(username="daumoi", password="x", unit=units[2])
    return bloc_year, secretary, member


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("scale", [1, 4])
def test_a_download_costs_the_same_whatever_the_size(
    scale: int, fmt: str, django_assert_num_queries
) -> None:
    bloc_year, _secretary, member = bloc_of(scale, finalize=True)
    client = client_for(member)
    # bloc-year, session, user, secretariat rights, members, the latest snapshot.
    with django_assert_num_queries(6):
        response = download(client, bloc_year, fmt)
    assert response.content


@pytest.mark.parametrize("scale", [1, 4])
def test_a_live_download_costs_the_same_whatever_the_size(
    scale: int, django_assert_num_queries
) -> None:
    bloc_year, secretary, _member = bloc_of(scale, finalize=False)
    client = client_for(secretary)
    # bloc-year, session, user, secretariat rights; the season's criteria with their set's
    # bonus cap, members with their former names, every line's points, the rules.
    with django_assert_num_queries(8):
        response = download(client, bloc_year, "json")
    rows = json.loads(response.content)["rows"]
    assert len(rows) == 3 * scale
    assert all(row["total"] is not None for row in rows)
