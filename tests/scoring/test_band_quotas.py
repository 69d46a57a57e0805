"""Quotas counted across blocs (issue 18, item 2), as a pure function: hand-computed merges of
two blocs' rows, then the invariants (hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.quotas import Quota, QuotaBloc, apply_quota, moved_rows, share_reached
from scoring.ranking import Band
from scoring.rows import RankingRow

D = Decimal
XS, TOT, HT, KHT = "Xuất sắc", "Tốt", "Hoàn thành", "Không hoàn thành"
TABLE = [XS, TOT, HT, KHT]


def row(unit_id: int, rank: int, total: str, band: str, note: str | None = None) -> RankingRow:
    return RankingRow(
        unit_id, f"U{unit_id}", f"Sở {unit_id}", rank, total=D(total), band=band, band_note=note
    )


def bloc_a(fixed: bool = False) -> QuotaBloc:
    """Maximum 100: 95 (95 %), 92 (92 %), 85, 70, 60."""
    rows = [
        row(1, 1, "95", XS),
        row(2, 2, "92", XS),
        row(3, 3, "85", TOT),
        row(4, 4, "70", HT),
        row(5, 5, "60", KHT),
    ]
    return QuotaBloc(10, "Khối A", rows, D(100), TABLE, 5, fixed)


def bloc_b() -> QuotaBloc:
    """Maximum 200: 190 (95 %), 184 (92 %), 182 (91 %), 150, 100."""
    rows = [
        row(11, 1, "190", XS),
        row(12, 2, "184", XS),
        row(13, 3, "182", XS),
        row(14, 4, "150", HT),
        row(15, 5, "100", KHT),
    ]
    return QuotaBloc(20, "Khối B", rows, D(200), TABLE, 5)


def moved(percent: str, *blocs: QuotaBloc) -> set[int]:
    result = apply_quota(Quota(XS, D(percent), "Cụm 1"), blocs)
    return {unit_id for (_bloc, unit_id) in result.moves}


def test_the_limit_is_a_share_of_every_unit_of_the_blocs_together_rounded_down() -> None:
    # 10 units: 20 % → 2, 30 % → 3, 35 % → 3 (3,5 rounded down).
    assert apply_quota(Quota(XS, D(20), "Cụm 1"), [bloc_a(), bloc_b()]).limit == 2
    assert apply_quota(Quota(XS, D(35), "Cụm 1"), [bloc_a(), bloc_b()]).limit == 3
    assert apply_quota(Quota(XS, D(35), "Cụm 1"), [bloc_a(), bloc_b()]).counted == 10


def test_units_are_merged_by_the_share_of_the_maximum_then_the_rank_in_their_bloc() -> None:
    # 95 % (A1, B1 — both first in their bloc: one group), 92 % (A2, B2 second), 91 % (B3).
    assert moved("20", bloc_a(), bloc_b()) == {2, 12, 13}  # keeps the 95 % pair
    # 3 places: the 92 % pair does not fit whole, so it goes down together, and B3 (91 %)
    # does not take the place they were refused.
    assert moved("30", bloc_a(), bloc_b()) == {2, 12, 13}
    assert moved("40", bloc_a(), bloc_b()) == {13}
    assert moved("50", bloc_a(), bloc_b()) == set()
    # 10 %: one place, the first group holds two: everybody goes down.
    assert moved("10", bloc_a(), bloc_b()) == {1, 2, 11, 12, 13}


def test_a_moved_unit_gets_the_next_band_of_its_bloc_with_the_quota_in_words() -> None:
    result = apply_quota(Quota(XS, D(40), "Cụm 1"), [bloc_a(), bloc_b()])
    rows = moved_rows(bloc_b().rows, 20, result)
    third = rows[2]
    assert third.band == TOT
    assert third.band_note == (
        "không xếp “Xuất sắc” vì hạn mức chung “Cụm 1” tính chung Khối A, Khối B chỉ cho tối "
        "đa 40% (4 đơn vị) ở mức này; đơn vị đạt 91% điểm tối đa, xếp thứ 3 trong khối"
    )
    assert [r.band for r in rows] == [XS, XS, TOT, HT, KHT]  # the others as they were
    assert result.held == 4


def test_an_earlier_note_is_kept_before_the_quota_sentence() -> None:
    a = bloc_a()
    rows = [row(1, 1, "95", XS, "không xếp “X” vì …"), *a.rows[1:]]
    blocs = [QuotaBloc(10, "Khối A", rows, D(100), TABLE, 5), bloc_b()]
    result = apply_quota(Quota(XS, D(10), "Cụm 1"), blocs)
    note = moved_rows(rows, 10, result)[0].band_note
    assert note is not None and note.startswith("không xếp “X” vì …; không xếp “Xuất sắc”")


def test_a_frozen_bloc_counts_first_and_never_moves() -> None:
    # A is finalized with A1 and A2 holding the band: 2 of the 3 places (30 % of 10) are taken;
    # B1 (95 %) takes the third, even though A2 has a lower share (92 %).
    assert moved("30", bloc_a(fixed=True), bloc_b()) == {12, 13}
    # 10 %: A's two already pass the limit; every live unit goes down, A's stay.
    assert moved("10", bloc_a(fixed=True), bloc_b()) == {11, 12, 13}


def test_a_unit_with_no_lower_band_in_its_table_stays_and_counts() -> None:
    short = QuotaBloc(30, "Khối C", [row(21, 1, "99", XS)], D(100), [XS], 1)
    result = apply_quota(Quota(XS, D(10), "Cụm 1"), [short, bloc_b()])  # 6 units: 0 places
    assert (30, 21) not in result.moves
    assert set(result.moves) == {(20, 11), (20, 12), (20, 13)}


def test_a_unit_moved_into_a_band_with_its_blocs_own_cap_counts_against_it() -> None:
    """Khối A keeps at most 20 % (1 unit) at "Tốt". The quota moves its second unit from
    "Xuất sắc" to "Tốt", which then holds two: the better ranked keeps it, the other goes down
    with the cap's sentence, as the ranking's own caps would have done."""
    zero = D(0)
    table = [
        Band(XS, zero, zero),
        Band(TOT, zero, zero, cap_percent=D(20)),
        Band(HT, zero, zero),
        Band(KHT, zero, zero),
    ]
    a = replace(bloc_a(), table=table)
    result = apply_quota(Quota(XS, D(30), "Cụm 1"), [a, bloc_b()])
    assert (10, 2) in result.moves
    rows = moved_rows(a.rows, a.key, result, table=table, counted=a.units)
    assert [(r.unit_id, r.band) for r in rows] == [(1, XS), (2, TOT), (3, HT), (4, HT), (5, KHT)]
    assert rows[2].band_note == (
        "không xếp “Tốt” vì khối chỉ được tối đa 20% (1 đơn vị) ở mức này; đơn vị xếp thứ 3"
    )
    assert rows[1].band_note == result.moves[(10, 2)].note
    # Without the bloc's own cap, only the quota's move.
    plain = moved_rows(a.rows, a.key, result)
    assert [(r.unit_id, r.band) for r in plain] == [(1, XS), (2, TOT), (3, TOT), (4, HT), (5, KHT)]


def test_share_reached_is_exact() -> None:
    assert share_reached(row(1, 1, "90", XS), D(100)) == share_reached(row(2, 1, "180", XS), D(200))
    assert share_reached(RankingRow(3, "U3", "Sở 3"), D(100)) == 0


# --------------------------------------------------------------------------- invariants


def band_for(percent: Decimal) -> str:
    return XS if percent >= 90 else TOT if percent >= 80 else HT if percent >= 70 else KHT


@st.composite
def blocs_strategy(draw: st.DrawFn) -> list[QuotaBloc]:
    blocs = []
    for index in range(draw(st.integers(min_value=1, max_value=4))):
        full_max = D(draw(st.sampled_from([50, 100, 120, 200])))
        totals = draw(
            st.lists(st.integers(min_value=60, max_value=100), min_size=1, max_size=8)
        )  # % of the maximum, coarse so that ties happen
        totals.sort(reverse=True)
        rows = []
        for position, percent in enumerate(totals):
            rank = next(i for i, other in enumerate(totals) if other == percent) + 1
            total = full_max * percent / 100
            rows.append(row(index * 100 + position, rank, str(total), band_for(D(percent))))
        blocs.append(QuotaBloc(index + 1, f"Khối {index}", rows, full_max, TABLE, len(rows)))
    return blocs


def order_key(bloc: QuotaBloc, r: RankingRow) -> tuple[object, int]:
    return (-share_reached(r, bloc.full_max), r.rank)


@settings(max_examples=300, deadline=None)
@given(blocs=blocs_strategy(), percent=st.integers(min_value=0, max_value=100))
def test_invariants(blocs: list[QuotaBloc], percent: int) -> None:
    result = apply_quota(Quota(XS, D(percent), "Cụm"), blocs)
    after = {bloc.key: moved_rows(bloc.rows, bloc.key, result) for bloc in blocs}
    # Never moves a unit up; only the quota's band moves, one band down.
    for bloc in blocs:
        for before, now in zip(bloc.rows, after[bloc.key], strict=True):
            assert TABLE.index(now.band) >= TABLE.index(before.band)
            if now.band != before.band:
                assert before.band == XS and now.band == TOT
    # The joint count never exceeds the limit.
    held = sum(1 for rows in after.values() for r in rows if r.band == XS)
    assert held <= result.limit == int(D(percent) * sum(b.units for b in blocs) / 100)
    assert held == result.held
    # 100 %: nothing moves.
    if percent == 100:
        assert not result.moves
    # Units equal in the order (share, rank) move together; once one moves, all after it do.
    candidates = [
        (order_key(bloc, r), (bloc.key, r.unit_id))
        for bloc in blocs
        for r in bloc.rows
        if r.band == XS
    ]
    for key, unit in candidates:
        for other_key, other in candidates:
            if key == other_key:
                assert (unit in result.moves) == (other in result.moves)
            if key < other_key and unit in result.moves:
                assert other in result.moves
