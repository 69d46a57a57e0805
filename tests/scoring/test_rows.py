"""The ranking row (scoring/rows.py): what the ranking makes, a snapshot keeps and every app
reads, typed."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest

from scoring.models import RankingSnapshot
from scoring.ranking import Ranked, Settings, UnitScores, rank_units
from scoring.rows import RankingRow, row_of, rows_from_json
from scoring.rules import STANDARD, LineScore, Totals
from scoring.selectors import ranking as ranking_selectors
from scoring.selectors.ranking import RowChange
from tests.conftest import RankingWorld, World, verified_year

D = Decimal

# The keys of a snapshot's row since the first snapshot, in their order.
JSON_KEYS = [
    "unit_id",
    "code",
    "name",
    "rank",
    "shared",
    "total",
    "complete",
    "standard",
    "bonus",
    "penalty",
    "self_total",
    "sections",
    "band",
    "tie_break",
    "scaled",
    "women_share",
]


def full_row(**changes: Any) -> RankingRow:
    row = RankingRow(
        unit_id=7,
        code="SYT",
        name="Sở Y tế",
        rank=2,
        shared=True,
        total=D("95.50"),
        standard=D("90.00"),
        bonus=D("6.50"),
        penalty=D("1.00"),
        self_total=D("97.25"),
        sections={"I": D("54.00"), "II": D("36.00")},
        band="Hoàn thành xuất sắc nhiệm vụ",
        tie_break="đồng hạng 2 với Sở Nội vụ",
        scaled=True,
        women_share=D("72.50"),
    )
    return dataclasses.replace(row, **changes)


def test_a_row_survives_its_trip_through_json() -> None:
    row = full_row()
    data = row.to_json()
    assert list(data) == JSON_KEYS
    assert data["total"] == "95.50" and data["sections"] == {"I": "54.00", "II": "36.00"}
    assert data["complete"] is True
    assert RankingRow.from_json(data) == row


def test_amounts_are_read_back_as_decimals_not_text() -> None:
    row = RankingRow.from_json(full_row().to_json())
    assert isinstance(row.total, Decimal) and row.total == D("95.5")
    assert row.sections["I"] == D(54)
    assert isinstance(row.women_share, Decimal)


def test_a_unit_not_ranked_yet_has_no_total_and_no_place() -> None:
    row = full_row(rank=0, total=None, shared=False)
    assert not row.complete and row.place is None
    data = row.to_json()
    assert (data["rank"], data["total"], data["complete"]) == (0, None, False)
    assert RankingRow.from_json(data) == row
    assert full_row().place == 2


def test_a_row_keeps_only_what_a_row_had() -> None:
    """A row with only its first keys (a hand-written snapshot) gets the defaults."""
    row = RankingRow.from_json({"unit_id": "3", "code": "X", "name": "Đơn vị X", "rank": 1})
    assert row == RankingRow(unit_id=3, code="X", name="Đơn vị X", rank=1)
    assert (row.total, row.standard, row.band, row.tie_break, row.sections) == (
        None,
        D(0),
        "",
        None,
        {},
    )


def test_a_row_cannot_be_changed_once_made() -> None:
    row = full_row()
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.rank = 1  # type: ignore[misc]


def test_rows_are_found_by_unit() -> None:
    rows = rows_from_json([full_row().to_json(), full_row(unit_id=8, rank=1).to_json()])
    assert [row.unit_id for row in rows] == [7, 8]
    found = row_of(rows, 8)
    assert found is not None and found.rank == 1
    assert row_of(rows, 9) is None
    assert rows_from_json(None) == []


def test_the_ranking_makes_the_row_with_amounts_to_two_places() -> None:
    totals = Totals(
        standard=D("54.004"),
        bonus=D(5),
        penalty=D("0.5"),
        total=D("58.5"),
        sections={"I": D("54.005")},
        scaled=True,
    )
    unit = Ranked(unit_id=1, name="Sở Y tế", totals=totals, rank=1, band="Tốt")
    unit.explanations.append("xếp trên Sở Nội vụ")
    row = unit.row(code="SYT", self_total=D("60"))
    assert row == RankingRow(
        unit_id=1,
        code="SYT",
        name="Sở Y tế",
        rank=1,
        total=D("58.50"),
        standard=D("54.00"),
        bonus=D("5.00"),
        penalty=D("0.50"),
        self_total=D("60.00"),
        sections={"I": D("54.01")},
        band="Tốt",
        tie_break="xếp trên Sở Nội vụ",
        scaled=True,
    )
    assert row.to_json()["bonus"] == "5.00"


def test_a_unit_with_missing_lines_makes_a_row_without_total() -> None:
    lines = [LineScore(1, STANDARD, D(10), None)]
    [ranked] = rank_units([UnitScores(1, "A", lines)], Settings(bonus_cap=None, sections=[]))
    row = ranked.row(code="A", self_total=None)
    assert (row.rank, row.total, row.complete) == (0, None, False)
    assert row.tie_break == "chưa xếp hạng: còn 1 tiêu chí chưa có điểm"


def test_what_changed_between_two_rows() -> None:
    before = full_row()
    assert RowChange("Sở Y tế", before, before).fields == []
    assert RowChange("Sở Y tế", before, full_row(rank=1, total=D("96"))).fields == [
        "rank",
        "total",
    ]
    assert RowChange("Sở Y tế", before, full_row(total=D("95.5"))).fields == []
    assert RowChange("Sở Y tế", before, full_row(band="Tốt")).fields == ["band"]
    assert RowChange("Sở Y tế", None, before).fields == ["unit"]


@pytest.mark.django_db
def test_the_live_rows_are_the_rows_the_snapshot_gives_back(world: World) -> None:
    from scoring.services import ranking as ranking_services

    w = world
    year = verified_year(w.bloc, 2019, [w.head, w.deputy, w.member])
    data = ranking_selectors.ranking_input(year)
    live = ranking_selectors.ranking_rows(data, data.rank())
    snapshot = ranking_services.bloc_year_finalize(bloc_year=year, by=None)
    stored = RankingSnapshot.objects.get(pk=snapshot.pk)
    assert stored.rows == live
    assert all(isinstance(row, RankingRow) for row in stored.rows)
    assert [row.rank for row in stored.rows] == [1, 2, 3]
    assert stored.data["rows"] == [row.to_json() for row in live]


@pytest.mark.django_db
def test_the_snapshot_of_the_ranking_world_reads_typed(ranking_world: RankingWorld) -> None:
    rows = ranking_world.snapshot.rows
    assert [(row.code, row.total) for row in rows] == [
        ("SYT", D("11.50")),
        ("BQN", D("9.70")),
        ("SGDDT", D("9.60")),
    ]
    assert all(row.self_total is not None for row in rows)
