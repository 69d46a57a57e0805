"""Issue 18 item 6, the part left: a past year imported with points in which some members have
no points at all but a published band (a unit that joined late, a sheet lost), through real
workbook files: the scored members ranked from their points, the others after them with their
published rank and band and no points; refusals at the cell with nothing written."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from awards.selectors import eligibility_for
from blocs.models import BlocYear, User
from reports.models import Document
from reports.services import document_create, document_export, ranking_workbook
from scoring.models import RankingSnapshot, ScoreSheet
from scoring.services import ranking as ranking_services
from scoring.services.sheets import LineEntry
from tests.conftest import World, client_for
from tests.scoring.test_import import (
    Sheets,
    build_workbook,
    error_lines,
    run,
    unchanged,
    upload,
    valid_sheets,
)
from tests.scoring.test_import_bands_only import world_admin

pytestmark = pytest.mark.django_db
__all__ = ["unchanged"]  # the fixture, used by name

XS, TOT, HT = "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ"
NOTE = "xếp loại theo kết quả công bố; không có bảng điểm"


def mixed(year: int = 2016, units: list[list[Any]] | None = None) -> Sheets:
    """SYT and BQN scored (valid_sheets: both 11,00, Y tế ahead on section I: 10 against 9);
    SGDDT published 3rd "tốt" with its column left blank, SMOI published "hoàn thành" without a
    rank and without a column at all."""
    sheets = valid_sheets(year=year)
    sheets["Đơn vị"] = [
        ["Mã đơn vị", "Tên đơn vị", "Tỷ lệ nữ (%)", "Thứ hạng", "Xếp loại"],
        *(
            units
            or [
                ["SYT", "Sở Y tế", 72.5, None, None],
                ["BQN", "Báo Quảng Nam", None, None, None],
                ["SGDDT", "Sở Giáo dục và Đào tạo", "41,2", 3, TOT],
                ["SMOI", "Sở Mới", None, None, HT],
            ]
        ),
    ]
    sheets["Điểm"] = [[*row[:3], None] for row in sheets["Điểm"]]  # SGDDT blank, no SMOI
    sheets["Điểm"][0][3] = "SGDDT"
    return sheets


def test_members_without_points_are_listed_after_the_scored_ones(
    world: World, tmp_path: Path
) -> None:
    status, out, err = run(tmp_path, mixed())
    assert (status, err) == (0, "")
    assert "Đã nhập Khối thi đua thử nghiệm năm 2016: 4 đơn vị." in out
    assert (
        "Năm 2016: 2 đơn vị không có bảng điểm, chỉ có xếp loại công bố (Sở Giáo dục và Đào "
        "tạo, Sở Mới)" in out
    )
    assert out.splitlines()[-4:] == [
        "  1    11,00  Sở Y tế  " + XS,
        "  2    11,00  Báo Quảng Nam  " + XS,
        "  3        –  Sở Giáo dục và Đào tạo  " + TOT,
        "  –        –  Sở Mới  " + HT,
    ]
    bloc_year = BlocYear.objects.get(bloc__code="TM9", year=2016)
    assert bloc_year.state == BlocYear.State.FINALIZED
    sheets = ScoreSheet.objects.filter(bloc_year=bloc_year)
    assert sorted(sheet.unit.code for sheet in sheets) == ["BQN", "SYT"]
    assert {sheet.state for sheet in sheets} == {ScoreSheet.State.FINALIZED}
    snapshot = RankingSnapshot.objects.get(bloc_year=bloc_year)
    assert (snapshot.number, snapshot.kind) == (1, RankingSnapshot.Kind.IMPORT)
    rows = [(r.code, r.rank, r.total, r.band, r.published) for r in snapshot.rows]
    assert [
        (code, rank, str(total), band, published) for code, rank, total, band, published in rows
    ] == [
        ("SYT", 1, "11.00", XS, False),
        ("BQN", 2, "11.00", XS, False),
        ("SGDDT", 3, "None", TOT, True),
        ("SMOI", 0, "None", HT, True),
    ]
    assert [r.band_note for r in snapshot.rows[2:]] == [NOTE, NOTE]
    assert snapshot.rows[0].tie_break and "Mục I" in snapshot.rows[0].tie_break
    assert snapshot.rows[2].women_share is not None and str(snapshot.rows[2].women_share) == "41.20"
    # No points kept for the members without a sheet.
    assert all(snapshot.data["points"].get(str(r.unit_id)) for r in snapshot.rows[:2])
    assert not any(snapshot.data["points"].get(str(r.unit_id)) for r in snapshot.rows[2:])
    # The awards read them as published, not as ranked by points.
    units = {info.code: info for info in eligibility_for(bloc_year).units.values()}
    assert (units["SGDDT"].rank, units["SGDDT"].band, units["SGDDT"].published) == (3, TOT, True)
    assert (units["SYT"].by_points, units["SYT"].published) == (True, False)


def test_the_ranking_page_exports_and_documents_show_the_rows(world: World, tmp_path: Path) -> None:
    assert run(tmp_path, mixed())[0] == 0
    bloc_year = BlocYear.objects.get(bloc__code="TM9", year=2016)
    client = client_for(world_admin(world))
    page = client.get(reverse("scoring:ranking", args=[bloc_year.bloc_id, 2016]))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("không có điểm") >= 2 and text.count(NOTE) == 2
    assert "11,00" in text
    for kind in ("csv", "xlsx", "json"):
        url = reverse("scoring:ranking-download", args=[bloc_year.bloc_id, 2016, kind])
        assert client.get(url).status_code == 200, kind
    url = reverse("scoring:ranking-download", args=[bloc_year.bloc_id, 2016, "json"])
    exported = {row["unit"]: row for row in json.loads(client.get(url).content)["rows"]}
    assert exported["SGDDT"]["total"] is None and exported["SGDDT"]["rank"] == 3
    assert exported["SMOI"]["band"] == HT and exported["SYT"]["total"] == "11.00"
    csv_text = client.get(url.replace("json", "csv")).content.decode("utf-8-sig")
    sgddt = next(line for line in csv_text.splitlines() if "Sở Giáo dục" in line)
    assert ",0,00" not in sgddt and TOT in sgddt
    assert ranking_workbook(bloc_year) is not None
    for kind in (Document.Kind.REPORT, Document.Kind.SCORE_TABLE):
        document = document_create(bloc_year=bloc_year, kind=kind, by=None)
        docx = zipfile.ZipFile(io.BytesIO(document_export(document, "docx").content))
        assert "Sở Mới" in docx.read("word/document.xml").decode(), kind
    # Published for everybody: the public page and open data.
    today = datetime.date(2017, 1, 10)
    ranking_services.publish_provisional(bloc_year=bloc_year, by=None, days=5, today=today)
    ranking_services.publish_final(
        bloc_year=bloc_year, by=None, today=today + datetime.timedelta(days=6)
    )
    public = client_for(None)
    response = public.get(reverse("scoring:ranking", args=[bloc_year.bloc_id, 2016]))
    assert response.status_code == 200 and NOTE in response.content.decode()
    assert public.get(bloc_year.get_absolute_url()).status_code == 200
    for fmt in ("csv", "xlsx", "json"):
        response = public.get(reverse("open-data-ranking", args=[bloc_year.bloc_id, 2016, fmt]))
        assert response.status_code == 200, fmt
    response = public.get(reverse("open-data-ranking", args=[bloc_year.bloc_id, 2016, "json"]))
    opened = {row["unit_code"]: row for row in json.loads(response.content)["rows"]}
    assert opened["SGDDT"]["total"] is None and opened["SGDDT"]["band"] == TOT


def test_a_correction_keeps_the_published_rows(world: World, tmp_path: Path) -> None:
    assert run(tmp_path, mixed())[0] == 0
    bloc_year = BlocYear.objects.get(bloc__code="TM9", year=2016)
    sheet = ScoreSheet.objects.get(bloc_year=bloc_year, unit__code="BQN")
    line = sheet.lines.get(criterion__code="I.2")
    second = ranking_services.ranking_correct(
        bloc_year=bloc_year,
        corrections={sheet.pk: {line.criterion_id: LineEntry(value=Decimal(4))}},
        reason="Biên bản phúc tra",
        by=None,
    )
    # Báo Quảng Nam 5,5 + 4 + 2 = 11,50 now ranks first; the published rows stay as published.
    assert [(r.code, r.rank, str(r.total)) for r in second.rows] == [
        ("BQN", 1, "11.50"),
        ("SYT", 2, "11.00"),
        ("SGDDT", 3, "None"),
        ("SMOI", 0, "None"),
    ]
    assert [r.published for r in second.rows] == [False, False, True, True]


@pytest.mark.usefixtures("unchanged")
def test_a_member_with_points_and_a_band_is_refused_at_the_band(tmp_path: Path) -> None:
    sheets = mixed()
    sheets["Đơn vị"][1][4] = XS  # Sở Y tế has points
    sheets["Đơn vị"][1][3] = 1
    status, _out, err = run(tmp_path, sheets)
    assert status == 1
    assert error_lines(err) == [
        f"Đơn vị!E2 “{XS}”: đơn vị có điểm ở trang “Điểm”: xếp loại được tính từ điểm; chỉ "
        "ghi xếp loại công bố cho đơn vị không có điểm nào (để trống cột của đơn vị)."
    ]


@pytest.mark.usefixtures("unchanged")
def test_a_member_with_neither_points_nor_a_band_is_refused_as_before(tmp_path: Path) -> None:
    sheets = mixed()
    sheets["Đơn vị"][3][3:] = [None, None]  # SGDDT: blank column, no band
    sheets["Đơn vị"][4][3:] = [None, None]  # SMOI: no column, no band
    status, _out, err = run(tmp_path, sheets)
    assert status == 1
    assert error_lines(err) == [
        "Điểm, dòng 1: thiếu cột điểm của đơn vị “SMOI”.",
        "Điểm!D3: thiếu điểm của đơn vị “SGDDT” (ô trống không được tính là 0).",
        "Điểm!D4: thiếu điểm của đơn vị “SGDDT” (ô trống không được tính là 0).",
        "Điểm!D5: thiếu điểm của đơn vị “SGDDT” (ô trống không được tính là 0).",
        "Điểm!D6: thiếu điểm của đơn vị “SGDDT” (ô trống không được tính là 0).",
    ]


@pytest.mark.usefixtures("unchanged")
def test_bad_published_values_are_refused_at_the_cell(tmp_path: Path) -> None:
    units: list[list[Any]] = [
        ["SYT", "Sở Y tế", None, None, None],
        ["BQN", "Báo Quảng Nam", None, 2, None],  # a rank without a band
        ["SGDDT", "Sở Giáo dục và Đào tạo", None, 9, TOT],  # above 4 members
        ["SMOI", "Sở Mới", None, "1,5", HT],
    ]
    status, _out, err = run(tmp_path, mixed(units=units))
    assert status == 1
    assert error_lines(err) == [
        "Đơn vị!D3 “2”: thứ hạng chỉ ghi cùng xếp loại công bố của đơn vị không có điểm.",
        "Đơn vị!D4 “9”: thứ hạng lớn hơn số đơn vị của khối (4).",
        "Đơn vị!D5 “1,5”: thứ hạng phải là số nguyên từ 1 trở lên.",
    ]


@pytest.mark.usefixtures("unchanged")
def test_the_current_year_takes_no_published_band(tmp_path: Path) -> None:
    status, _out, err = run(tmp_path, mixed(year=2100))
    assert status == 1
    lines = error_lines(err)
    assert (
        f"Đơn vị!E4 “{TOT}”: chỉ ghi “Thứ hạng” và “Xếp loại” cho năm đã qua (kết quả đã công "
        "bố); năm nay được xếp hạng từ điểm."
    ) in lines
    assert "Điểm, dòng 1: thiếu cột điểm của đơn vị “SMOI”." in lines


@pytest.mark.usefixtures("unchanged")
def test_every_member_with_only_a_band_is_a_year_with_bands_only(tmp_path: Path) -> None:
    units: list[list[Any]] = [
        ["SYT", "Sở Y tế", None, 1, XS],
        ["BQN", "Báo Quảng Nam", None, 2, XS],
        ["SGDDT", "Sở Giáo dục và Đào tạo", None, 3, TOT],
        ["SMOI", "Sở Mới", None, None, HT],
    ]
    sheets = mixed(units=units)
    sheets["Điểm"] = [[row[0]] for row in sheets["Điểm"]]
    status, _out, err = run(tmp_path, sheets)
    assert status == 1
    assert error_lines(err) == [
        "Đơn vị: mọi đơn vị đều chỉ có xếp loại công bố: bỏ hai trang “Tiêu chí” và “Điểm” "
        "(năm chỉ công bố xếp loại)."
    ]


def test_a_workbook_without_published_bands_imports_as_before(world: World, tmp_path: Path) -> None:
    """A scored workbook with the two columns present but blank is an ordinary scored year."""
    sheets = valid_sheets(year=2016)
    sheets["Đơn vị"][0] += ["Thứ hạng", "Xếp loại"]
    status, out, _err = run(tmp_path, sheets)
    assert status == 0 and "không có bảng điểm" not in out
    bloc_year = BlocYear.objects.get(bloc__code="TM9", year=2016)
    assert bloc_year.state == BlocYear.State.SCORING
    assert not RankingSnapshot.objects.filter(bloc_year=bloc_year).exists()
    assert ScoreSheet.objects.filter(bloc_year=bloc_year).count() == 4


def test_the_upload_page_says_how_many_members_have_a_band_only(council_admin: User) -> None:
    client = client_for(council_admin)
    response = upload(client, build_workbook(mixed()), "QNA")
    assert response.status_code == 302
    page = " ".join(client.get(response["Location"]).content.decode().split())
    assert "Năm 2016: 2 đơn vị không có bảng điểm, chỉ có xếp loại công bố" in page
    bloc_id = BlocYear.objects.get(bloc__code="TM9", year=2016).bloc_id
    ranking = client.get(reverse("scoring:ranking", args=[bloc_id, 2016]))
    assert ranking.status_code == 200 and "không có điểm" in ranking.content.decode()
