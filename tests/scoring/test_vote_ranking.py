"""Ranking by vote alone (scoring.vote_ranking): hand-computed shares, ranks, ties and bands."""

from __future__ import annotations

from decimal import Decimal

from scoring.rows import RankingRow
from scoring.vote_ranking import (
    VoteBand,
    VoteEntry,
    check_vote_bands,
    default_vote_bands,
    explain,
    rank_by_votes,
    vote_band_from_json,
    vote_band_to_json,
)

XS, TOT, HT = "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ"


def entry(
    unit_id: int, name: str, votes: int | None, voters: int | None, band: str = ""
) -> VoteEntry:
    return VoteEntry(unit_id, f"U{unit_id}", name, votes, voters, band)


ENTRIES = [
    entry(1, "Sở A", 12, 15),  # 80 %
    entry(2, "Sở B", 9, 12),  # 75 %
    entry(3, "Sở C", 8, 10),  # 80 %: equal to Sở A
    entry(4, "Sở D", 5, 10),  # 50 %: not more than half
    entry(5, "Sở E", None, None),  # not recorded
    entry(6, "Sở F", 3, 4, HT),  # 75 %, the meeting published its band
]


def test_order_ranks_ties_and_bands_by_hand() -> None:
    rows = rank_by_votes(ENTRIES, default_vote_bands())
    assert [(r.name, r.rank, r.shared, r.band) for r in rows] == [
        ("Sở A", 1, True, XS),
        ("Sở C", 1, True, XS),
        ("Sở B", 3, True, XS),
        ("Sở F", 3, True, HT),  # entered by the meeting, not from the table
        ("Sở D", 5, False, TOT),  # 50 % is not "more than 50 %"
        ("Sở E", 0, False, ""),
    ]
    by_name = {row.name: row for row in rows}
    assert by_name["Sở A"].tie_break == "đồng hạng 1 với Sở C: bằng tỷ lệ phiếu đồng ý"
    assert by_name["Sở B"].tie_break == "đồng hạng 3 với Sở F: bằng tỷ lệ phiếu đồng ý"
    assert by_name["Sở D"].tie_break is None
    assert by_name["Sở E"].tie_break == "chưa xếp hạng: chưa ghi kết quả phiếu"
    assert by_name["Sở F"].band_note == "xếp loại do hội nghị bình xét công bố"
    assert by_name["Sở D"].band_note == "xếp loại theo tỷ lệ phiếu"
    # No points anywhere: the total is None, never 0.
    assert all(row.total is None for row in rows)
    assert (by_name["Sở A"].votes_for, by_name["Sở A"].voters) == (12, 15)
    assert by_name["Sở A"].vote_share == Decimal("80.00")
    assert by_name["Sở B"].vote_share == Decimal("75.00")
    assert by_name["Sở E"].vote_share is None


def test_a_band_table_with_three_levels() -> None:
    bands = [VoteBand(XS, Decimal(70)), VoteBand(TOT, Decimal(50)), VoteBand(HT)]
    rows = rank_by_votes(
        [entry(1, "A", 5, 7), entry(2, "B", 7, 10), entry(3, "C", 4, 7), entry(4, "D", 1, 2)],
        bands,
    )
    # 5/7 = 71,43 % > 70; 7/10 = 70 % is not more than 70; 4/7 = 57,14 % > 50; 1/2 = 50 %.
    assert [(r.name, r.rank, r.band) for r in rows] == [
        ("A", 1, XS),
        ("B", 2, TOT),
        ("C", 3, TOT),
        ("D", 4, HT),
    ]
    assert rows[0].vote_share == Decimal("71.43")


def test_exact_shares_not_rounded_percentages_decide_ties() -> None:
    # 2/3 and 667/1000 round to the same 66,67 % but are not equal.
    rows = rank_by_votes([entry(1, "A", 2, 3), entry(2, "B", 667, 1000)], default_vote_bands())
    assert [(r.name, r.rank, r.shared) for r in rows] == [("B", 1, False), ("A", 2, False)]


def test_rows_survive_a_snapshot() -> None:
    rows = rank_by_votes(ENTRIES, default_vote_bands())
    assert [RankingRow.from_json(row.to_json()) for row in rows] == rows
    # A scored row keeps its old JSON keys: no vote keys written.
    assert "voters" not in RankingRow(unit_id=1, code="A", name="A").to_json()


def test_band_table_checks_and_json() -> None:
    assert check_vote_bands(default_vote_bands()) == []
    assert check_vote_bands([]) == ["Bảng xếp loại theo phiếu cần ít nhất một mức."]
    assert check_vote_bands(
        [VoteBand(XS, Decimal(50)), VoteBand(TOT, Decimal(60)), VoteBand(HT)]
    ) == ["Các mức xếp loại phải xếp từ cao xuống thấp."]
    assert check_vote_bands([VoteBand(XS, Decimal(50)), VoteBand(TOT, Decimal(20))]) == [
        "Mức cuối cùng dành cho các đơn vị còn lại: không đặt tỷ lệ phiếu."
    ]
    assert check_vote_bands([VoteBand(XS, Decimal(50)), VoteBand(XS)]) == [
        "Tên các mức xếp loại không được trùng nhau."
    ]
    band = VoteBand(XS, Decimal("66.5"))
    assert vote_band_to_json(band) == {"name": XS, "above_percent": "66.5"}
    assert vote_band_from_json(vote_band_to_json(band)) == band


def test_the_rule_in_words() -> None:
    assert explain(default_vote_bands()) == [
        "Không chấm điểm: thứ hạng theo tỷ lệ phiếu “đồng ý” trên số thành viên có mặt bỏ "
        "phiếu, cao xếp trên; bằng tỷ lệ phiếu thì cùng hạng.",
        "“Hoàn thành xuất sắc nhiệm vụ”: được trên 50% số phiếu.",
        "“Hoàn thành tốt nhiệm vụ”: các đơn vị còn lại.",
        "Xếp loại do hội nghị bình xét công bố, khi được ghi, thay cho bảng trên.",
    ]
