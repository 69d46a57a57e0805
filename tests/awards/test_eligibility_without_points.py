"""Eligibility when the bloc ranked the year without points (by vote alone, or a past year with
bands only): a gate on the points ranking cannot be checked and says so; it is never a pass."""

from __future__ import annotations

from decimal import Decimal

from awards.eligibility import Candidate, Context, Facts, Gates, check

EXCELLENT = "Hoàn thành xuất sắc nhiệm vụ"
GOV_FLAG = Gates(
    code="GOV_FLAG",
    name="Cờ thi đua của Chính phủ",
    order=10,
    quota=1,
    max_rank=1,
    required_bands=(EXCELLENT,),
    needs_ballot=True,
    min_ballot_share=Decimal(50),
)
BAND_ONLY = Gates(code="CERT", name="Bằng khen", order=30, required_bands=(EXCELLENT,))
CONTEXT = Context(year=2020, members=3, ballot_held=True, ranks={1: 1}, proposals={"GOV_FLAG": [1]})


def candidate(**overrides: object) -> Candidate:
    values: dict = {
        "unit_id": 1,
        "name": "Sở Y tế",
        "rank": 1,
        "band": EXCELLENT,
        "votes_for": 3,
        "facts": Facts(
            headcount=40, completing_tasks=40, advanced_workers=32, emulation_fighters=3
        ),
    }
    values.update(overrides)
    return Candidate(**values)


def test_a_rank_by_votes_cannot_pass_the_rank_gate() -> None:
    findings = check(candidate(by_points=False), GOV_FLAG, CONTEXT)
    assert [(f.gate, f.blocking, f.facts_missing) for f in findings] == [("rank", True, True)]
    assert findings[0].message == (
        "Không kiểm tra được điều kiện thứ hạng: năm này khối xếp hạng không chấm điểm "
        "(theo phiếu bình xét, hạng 1). Hội đồng xem xét trên kết quả bình xét."
    )
    # The same unit ranked by points passes.
    assert check(candidate(), GOV_FLAG, CONTEXT) == []


def test_bands_only_names_the_missing_rank_and_the_band_gate_still_reads_the_band() -> None:
    findings = check(candidate(by_points=False, rank=None), GOV_FLAG, CONTEXT)
    assert [f.gate for f in findings] == ["rank"]
    assert "(chỉ công bố xếp loại)" in findings[0].message
    assert check(candidate(by_points=False, rank=None), BAND_ONLY, CONTEXT) == []


def test_a_member_with_a_published_band_but_no_points_says_so() -> None:
    """A past year imported with points in which this member had none (a published band and
    rank): the rank gate is unknown, never passed, and the sentence does not speak of votes."""
    findings = check(candidate(by_points=False, published=True, rank=3), GOV_FLAG, CONTEXT)
    assert [(f.gate, f.blocking, f.facts_missing) for f in findings] == [("rank", True, True)]
    assert findings[0].message == (
        "Không kiểm tra được điều kiện thứ hạng: đơn vị không có bảng điểm năm này (theo kết "
        "quả công bố, hạng 3). Hội đồng xem xét trên kết quả công bố."
    )
    assert check(candidate(by_points=False, published=True, rank=3), BAND_ONLY, CONTEXT) == []
