"""Issue 18 item 6: a past year published with ranks and bands only (no criteria, no points),
through real workbook files; bad values refused at the cell with nothing written; old
workbooks unchanged (the example workbook: tests/scoring/test_import.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from blocs.models import BlocYear, User
from scoring.models import RankingSnapshot, ScoreSheet, ScoringSeason
from tests.conftest import World, client_for
from tests.scoring.test_import import Sheets, error_lines, run, unchanged, valid_sheets

pytestmark = pytest.mark.django_db
__all__ = ["unchanged"]  # the fixture, used by name

XS, TOT = "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ"


def bands_only(year: int = 2016, units: list[list[Any]] | None = None) -> Sheets:
    sheets = valid_sheets(year=year)
    del sheets["Tiêu chí"], sheets["Điểm"]
    sheets["Đơn vị"] = [
        ["Mã đơn vị", "Tên đơn vị", "Tỷ lệ nữ (%)", "Thứ hạng", "Xếp loại"],
        *(
            units
            or [
                ["SYT", "Sở Y tế", 72.5, 1, XS],
                ["BQN", "Báo Quảng Nam", None, 2, XS],
                ["SGDDT", "Sở Giáo dục và Đào tạo", "41,2", 2, TOT],
                ["SMOI", "Sở Mới", None, None, TOT],  # a band, no rank
            ]
        ),
    ]
    return sheets


def test_a_year_with_bands_only_is_frozen_as_published(
    world: World, tmp_path: Path, focal_point: User
) -> None:
    status, out, err = run(tmp_path, bands_only())
    assert (status, err) == (0, "")
    assert "chỉ công bố thứ hạng và xếp loại, không có điểm: đã nhập 4 đơn vị" in out
    bloc_year = BlocYear.objects.get(bloc__code="TM9", year=2016)
    assert bloc_year.state == BlocYear.State.FINALIZED
    assert not ScoringSeason.objects.filter(bloc_year=bloc_year).exists()
    assert not ScoreSheet.objects.filter(bloc_year=bloc_year).exists()
    snapshot = RankingSnapshot.objects.get(bloc_year=bloc_year)
    assert snapshot.kind == RankingSnapshot.Kind.IMPORT
    assert [(r.code, r.rank, r.shared, r.band, r.total) for r in snapshot.rows] == [
        ("SYT", 1, False, XS, None),
        ("BQN", 2, True, XS, None),
        ("SGDDT", 2, True, TOT, None),
        ("SMOI", 0, False, TOT, None),
    ]
    assert snapshot.rows[1].tie_break == (
        "đồng hạng 2 với Sở Giáo dục và Đào tạo (theo kết quả công bố)"
    )
    # The ranking page says so and shows no points (never 0).
    client = client_for(world_admin(world))
    page = client.get(reverse("scoring:ranking", args=[bloc_year.bloc_id, 2016])).content.decode()
    assert "chỉ công bố thứ hạng và xếp loại, không có điểm" in page
    assert "0,00" not in page
    year_page = client.get(bloc_year.get_absolute_url()).content.decode()
    assert "Năm này khối chỉ công bố thứ hạng và xếp loại, không có điểm." in year_page


def world_admin(world: World) -> User:
    from blocs import services

    return services.user_create(
        username="qt2",
        password="mat-khau-thu-nghiem",
        unit=world.admin_unit,
        role=User.Role.COUNCIL_ADMIN,
        full_name="qt2",
    )


@pytest.mark.usefixtures("unchanged")
def test_bad_ranks_and_missing_bands_are_named_at_the_cell(tmp_path: Path) -> None:
    sheets = bands_only(
        units=[
            ["SYT", "Sở Y tế", None, "1,5", XS],
            ["BQN", "Báo Quảng Nam", None, 9, XS],
            ["SGDDT", "Sở Giáo dục và Đào tạo", None, 0, None],
        ]
    )
    status, _out, err = run(tmp_path, sheets)
    assert status == 1
    assert error_lines(err) == [
        "Đơn vị!D2 “1,5”: thứ hạng phải là số nguyên từ 1 trở lên.",
        "Đơn vị!D3 “9”: thứ hạng lớn hơn số đơn vị của khối (3).",
        "Đơn vị!D4 “0”: thứ hạng phải là số nguyên từ 1 trở lên.",
        "Đơn vị!E4: thiếu xếp loại của đơn vị (năm chỉ công bố xếp loại).",
    ]


@pytest.mark.usefixtures("unchanged")
def test_a_scored_workbook_takes_no_published_band(tmp_path: Path) -> None:
    sheets = valid_sheets(year=2016)
    sheets["Đơn vị"][0].append("Xếp loại")
    sheets["Đơn vị"][1].append(XS)
    status, _out, err = run(tmp_path, sheets)
    assert status == 1
    # A band is taken only for a member without points (test_import_mixed_bands.py).
    assert error_lines(err) == [
        f"Đơn vị!D2 “{XS}”: đơn vị có điểm ở trang “Điểm”: xếp loại được tính từ điểm; chỉ ghi "
        "xếp loại công bố cho đơn vị không có điểm nào (để trống cột của đơn vị)."
    ]


@pytest.mark.usefixtures("unchanged")
def test_the_current_year_still_needs_criteria_and_points(tmp_path: Path) -> None:
    status, _out, err = run(tmp_path, bands_only(year=2100))
    assert status == 1
    assert "Tiêu chí: tệp không có trang này." in error_lines(err)
