"""``manage.py export_ranking``: the ranking of a bloc-year as JSON or CSV, and the round trip
export → import → same ranking."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from blocs.models import BlocYear, Council, Membership, Unit
from scoring.importer import CouncilChoice, import_bloc_year
from scoring.selectors.ranking import ranking_input
from scoring.services import ranking as ranking_services
from tests.conftest import World
from tests.scoring.test_import import Sheets, build_workbook, valid_sheets

pytestmark = pytest.mark.django_db


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_ranking", *args, stdout=out)
    return out.getvalue()


def imported(world: World, sheets: Sheets | None = None) -> BlocYear:
    result = import_bloc_year(
        build_workbook(sheets or valid_sheets()),
        filename="nam-2019.xlsx",
        choice=CouncilChoice(),
        by=None,
    )
    return result.bloc_year


def test_json_lists_the_live_ranking_with_its_tie_breaks(world: World) -> None:
    imported(world)
    document = json.loads(export("TM9", "2019", "--format", "json"))
    assert document["bloc"] == "TM9" and document["year"] == 2019
    assert document["finalized"] is False
    assert document["rows"] == [
        {
            "rank": 1,
            "unit": "SYT",
            "name": "Sở Y tế",
            "total": "11.00",
            "band": "Hoàn thành xuất sắc nhiệm vụ",
            "tie_break": "xếp trên Báo Quảng Nam do điểm Mục I cao hơn: 10,00 so với 9,00",
        },
        {
            "rank": 2,
            "unit": "BQN",
            "name": "Báo Quảng Nam",
            "total": "11.00",
            "band": "Hoàn thành xuất sắc nhiệm vụ",
            "tie_break": "xếp dưới Sở Y tế do điểm Mục I thấp hơn: 9,00 so với 10,00",
        },
        {
            "rank": 3,
            "unit": "SGDDT",
            "name": "Sở Giáo dục và Đào tạo",
            "total": "10.50",
            "band": "Hoàn thành xuất sắc nhiệm vụ",
            "tie_break": None,
        },
        {
            "rank": 4,
            "unit": "SMOI",
            "name": "Sở Mới",
            "total": "7.00",
            "band": "Hoàn thành nhiệm vụ",
            "tie_break": None,
        },
    ]


def test_units_sharing_a_rank_carry_a_tie_break(world: World) -> None:
    sheets = valid_sheets()
    # Báo Quảng Nam now scores exactly as Sở Y tế; the women share of Báo is unknown.
    sheets["Điểm"][2][2] = 6
    sheets["Điểm"][3][2] = 4
    sheets["Điểm"][4][2] = 1
    imported(world, sheets)
    rows = json.loads(export("TM9", "2019"))["rows"]
    assert [(row["rank"], row["unit"]) for row in rows[:2]] == [(1, "BQN"), (1, "SYT")]
    assert all(row["tie_break"].startswith("đồng hạng 1 với") for row in rows[:2])


def test_a_finalized_year_prints_its_snapshot(world: World) -> None:
    bloc_year = imported(world)
    live = json.loads(export("TM9", "2019"))
    ranking_services.bloc_year_finalize(bloc_year=bloc_year, by=None)
    Unit.objects.filter(code="SMOI").update(name="Sở Mới đổi tên")  # the snapshot keeps its names
    document = json.loads(export("TM9", "2019", "--council", "QNA"))
    assert document["finalized"] is True
    assert document["rows"] == live["rows"]


def test_csv_has_the_contract_header_and_guarded_cells(world: World) -> None:
    imported(world)
    Unit.objects.filter(code="SMOI").update(name='=HYPERLINK("http://x")')
    rows = list(csv.reader(io.StringIO(export("TM9", "2019", "--format", "csv"))))
    assert rows[0] == ["rank", "unit", "name", "total", "band", "tie_break"]
    assert rows[1][:4] == ["1", "SYT", "Sở Y tế", "11.00"]
    assert rows[3][5] == ""
    assert rows[4][2] == '\'=HYPERLINK("http://x")'


def test_unknown_blocs_years_and_ambiguous_codes_are_told(world: World) -> None:
    with pytest.raises(CommandError, match="Không có khối mã “XX”"):
        export("XX", "2019")
    with pytest.raises(CommandError, match="không có năm thi đua 2015"):
        export("TM3", "2015")
    with pytest.raises(CommandError, match="chưa mở chấm điểm"):
        export("TM1", "2020")
    other = Council.objects.create(code="DNG", name="Hội đồng TĐKT Đà Nẵng", province="Đà Nẵng")
    other.blocs.create(code="TM3", name="Khối tham mưu III Đà Nẵng")
    with pytest.raises(CommandError, match=r"nhiều hội đồng \(DNG, QNA\)"):
        export("TM3", "2020")
    imported(world, valid_sheets(bloc="TM3", year=2019))
    assert json.loads(export("TM3", "2019", "--council", "QNA"))["bloc"] == "TM3"


# ---------------------------------------------------------------------------- round trip


def sheets_of(bloc_year: BlocYear, *, bloc_code: str, council_code: str) -> Sheets:
    """A bloc-year written back in the contract's format: its final points as verified points,
    the names its ranking prints, its women shares."""
    data = ranking_input(bloc_year)
    memberships = {
        membership.unit_id: membership
        for membership in Membership.objects.filter(bloc_year=bloc_year).select_related("unit")
    }
    roles = {membership.role: data.codes[unit_id] for unit_id, membership in memberships.items()}
    order = [unit.unit_id for unit in data.units]
    kinds = {"standard": "chuẩn", "bonus": "thưởng", "penalty": "trừ"}
    leaves = {leaf.pk for leaf in data.leaves}
    return {
        "Thông tin": [
            ["Mã khối", bloc_code],
            ["Tên khối", f"{bloc_year.bloc.name} (nhập lại)"],
            ["Năm", bloc_year.year],
            ["Trưởng khối", roles["head"]],
            ["Khối phó", roles["deputy"]],
            ["Điểm thưởng tối đa", data.settings.bonus_cap],
            ["Mã hội đồng", council_code],
            ["Tên hội đồng", "Hội đồng Thi đua - Khen thưởng tỉnh Thử nghiệm"],
        ],
        "Đơn vị": [
            ["Mã đơn vị", "Tên đơn vị", "Tỷ lệ nữ (%)"],
            *(
                [data.codes[unit.unit_id], unit.name, memberships[unit.unit_id].women_share]
                for unit in data.units
            ),
        ],
        "Tiêu chí": [
            ["Mã", "Nội dung", "Điểm tối đa", "Loại"],
            *([c.code, c.title, c.max_points, kinds[c.kind]] for c in data.criteria),
        ],
        "Điểm": [
            ["Mã tiêu chí", *(data.codes[unit_id] for unit_id in order)],
            *(
                [leaf.code, *(data.points[unit_id][leaf.pk] for unit_id in order)]
                for leaf in data.criteria
                if leaf.pk in leaves
            ),
        ],
    }


def comparable(document: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (row["rank"], row["unit"], row["total"], row["band"], row["tie_break"])
        for row in document["rows"]
    ]


def test_round_trip_export_then_import_gives_the_same_ranking(db: None) -> None:
    """The demo's 2020 year of Khối tham mưu III (target, pass/fail, relative and per-occurrence
    lines, a council-scored line, women shares, a tie) exported, imported elsewhere, ranked."""
    from demo.organisation import load_organisation
    from demo.scoring import load_scoring

    load_organisation()
    load_scoring()
    original = BlocYear.objects.get(bloc__council__code="QNA", bloc__code="TM3", year=2020)
    before = json.loads(export("TM3", "2020", "--council", "QNA"))
    assert any(row["tie_break"] for row in before["rows"])
    sheets = sheets_of(original, bloc_code="TM3RT", council_code="RT")
    result = import_bloc_year(
        build_workbook(sheets), filename="tm3-2020.xlsx", choice=CouncilChoice(), by=None
    )
    assert result.council_created and len(result.units_created) == 7
    after = json.loads(export("TM3RT", "2020", "--council", "RT"))
    assert after["finalized"] is False
    assert comparable(after) == comparable(before)
