"""Every gate of the eligibility check, alone, together and at its boundary."""

from __future__ import annotations

from decimal import Decimal

import pytest

from awards.eligibility import (
    Candidate,
    Context,
    Facts,
    Gates,
    ballot_share,
    check,
    government_flag_warning,
    quorum_met,
    quota_from_share,
)

D = Decimal
EXCELLENT = "Hoàn thành xuất sắc nhiệm vụ"
GOOD = "Hoàn thành tốt nhiệm vụ"
ORDERS = {"GOV_FLAG": 10, "PROV_FLAG": 20, "PROV_CERT": 30}

GOV_FLAG = Gates(
    code="GOV_FLAG",
    name="Cờ thi đua của Chính phủ",
    order=10,
    quota=1,
    max_rank=1,
    required_bands=(EXCELLENT,),
    needs_ballot=True,
)
PROV_FLAG = Gates(
    code="PROV_FLAG",
    name="Cờ thi đua của UBND tỉnh",
    order=20,
    quota=2,
    rank_within_quota=True,
    required_bands=(EXCELLENT,),
    needs_ballot=True,
)
PROV_CERT = Gates(
    code="PROV_CERT",
    name="Bằng khen",
    order=30,
    quota=3,
    rank_within_quota=True,
    required_bands=(EXCELLENT, GOOD),
    needs_ballot=True,
    history_award_code="EXCELLENT_COLLECTIVE",
    history_award_name="Tập thể lao động xuất sắc",
    history_years=2,
    history_alternative=True,
)
EXCELLENT_COLLECTIVE = Gates(
    code="EXCELLENT_COLLECTIVE",
    name="Tập thể lao động xuất sắc",
    order=40,
    min_completing_percent=D(100),
    min_advanced_percent=D(70),
    min_emulation_fighters=1,
)
ADVANCED_COLLECTIVE = Gates(
    code="ADVANCED_COLLECTIVE",
    name="Tập thể lao động tiên tiến",
    order=50,
    min_advanced_percent=D(70),
    no_discipline=True,
)
ADVANCED_2003 = Gates(
    code="ADVANCED_COLLECTIVE",
    name="Tập thể lao động tiên tiến",
    order=50,
    min_advanced_percent=D(50),
    advanced_strictly_above=True,
    no_discipline=True,
)

GOOD_FACTS = Facts(headcount=40, completing_tasks=40, advanced_workers=32, emulation_fighters=3)
RANKS = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7}


def context(**overrides: object) -> Context:
    values: dict = {
        "year": 2020,
        "members": 7,
        "ballot_held": True,
        "quorum_met": True,
        "ranks": RANKS,
        "proposals": {"GOV_FLAG": [1], "PROV_FLAG": [2, 3], "PROV_CERT": [4, 5, 6]},
        "award_orders": ORDERS,
    }
    values.update(overrides)
    return Context(**values)


def candidate(unit_id: int = 2, **overrides: object) -> Candidate:
    values: dict = {
        "unit_id": unit_id,
        "name": f"Đơn vị {unit_id}",
        "rank": RANKS[unit_id],
        "band": EXCELLENT,
        "votes_for": 6,
        "facts": GOOD_FACTS,
    }
    values.update(overrides)
    return Candidate(**values)


def gates_of(findings: list) -> list[str]:
    return sorted(finding.gate for finding in findings)


def test_the_source_article_proposals_pass() -> None:
    # Quảng Nam 2020: the first unit takes the Government flag only; the next two the
    # provincial flags (quota 2), counted after the Government-flag holder.
    assert check(candidate(1), GOV_FLAG, context()) == []
    assert check(candidate(2), PROV_FLAG, context()) == []
    assert check(candidate(3), PROV_FLAG, context()) == []
    assert check(candidate(4), PROV_CERT, context()) == []


def test_rank_too_low_for_the_government_flag() -> None:
    findings = check(candidate(2), GOV_FLAG, context(proposals={"GOV_FLAG": [2]}))
    assert gates_of(findings) == ["rank"]
    assert findings[0].message == "Xếp hạng 2; cần đứng đầu khối."


def test_rank_outside_the_places_left_after_higher_awards() -> None:
    findings = check(
        candidate(4), PROV_FLAG, context(proposals={"GOV_FLAG": [1], "PROV_FLAG": [2, 4]})
    )
    assert gates_of(findings) == ["rank"]
    assert "xét đến hạng 3" in findings[0].message


def test_a_government_flag_holder_also_proposed_for_the_provincial_flag_uses_a_place() -> None:
    # Quảng Ngãi's way: unit 1 is proposed for both flags; then unit 3 is outside 2 places.
    proposals = {"GOV_FLAG": [1], "PROV_FLAG": [1, 2, 3]}
    assert gates_of(check(candidate(3), PROV_FLAG, context(proposals=proposals))) == [
        "quota",
        "rank",
    ]


def test_quota_exceeded_flags_the_lowest_ranked_proposals() -> None:
    proposals = {"GOV_FLAG": [1], "PROV_FLAG": [2, 3], "PROV_CERT": [4, 5, 6, 7]}
    assert check(candidate(6), PROV_CERT, context(proposals=proposals)) == []
    findings = check(candidate(7), PROV_CERT, context(proposals=proposals))
    assert "quota" in gates_of(findings)
    quota = next(finding for finding in findings if finding.gate == "quota")
    assert "khối được đề nghị 3 “Bằng khen”, đang có 4 đề nghị" in quota.message


def test_band_too_low() -> None:
    findings = check(candidate(2, band=GOOD), PROV_FLAG, context())
    assert gates_of(findings) == ["band"]


def test_ballot_exactly_half_is_not_more_than_half() -> None:
    members = 8
    assert gates_of(check(candidate(2, votes_for=4), PROV_FLAG, context(members=members))) == [
        "ballot"
    ]
    assert check(candidate(2, votes_for=5), PROV_FLAG, context(members=members)) == []
    inclusive = Gates(**{**PROV_FLAG.__dict__, "ballot_strictly_above": False})
    assert check(candidate(2, votes_for=4), inclusive, context(members=members)) == []


def test_ballot_message_gives_votes_share_and_threshold() -> None:
    finding = check(candidate(2, votes_for=3), PROV_FLAG, context())[0]
    assert finding.message == "Đạt 3/7 phiếu (42,86%); cần trên 50% số thành viên."


def test_no_ballot_and_no_quorum() -> None:
    assert gates_of(check(candidate(2), PROV_FLAG, context(ballot_held=False))) == ["ballot"]
    assert gates_of(check(candidate(2), PROV_FLAG, context(quorum_met=False))) == ["quorum"]
    assert gates_of(check(candidate(2, votes_for=None), PROV_FLAG, context())) == ["ballot"]


def test_quorum_at_two_thirds() -> None:
    assert quorum_met(5, 7, 2, 3)
    assert not quorum_met(4, 7, 2, 3)
    assert quorum_met(14, 21, 2, 3)  # exactly two thirds
    assert not quorum_met(13, 21, 2, 3)


def test_a_unit_under_investigation_is_always_blocked() -> None:
    facts = Facts(
        headcount=40,
        completing_tasks=40,
        advanced_workers=32,
        emulation_fighters=3,
        under_investigation=True,
        note="Thanh tra tỉnh đang thanh tra",
    )
    findings = check(candidate(1, facts=facts), GOV_FLAG, context())
    assert gates_of(findings) == ["discipline"]
    assert "Thanh tra tỉnh đang thanh tra" in findings[0].message


def test_required_other_proposal_the_same_year() -> None:
    both = Gates(
        **{
            **GOV_FLAG.__dict__,
            "requires_award_code": "PROV_FLAG",
            "requires_award_name": "Cờ thi đua của UBND tỉnh",
        }
    )
    findings = check(candidate(1, proposed=frozenset({"GOV_FLAG"})), both, context())
    assert gates_of(findings) == ["prerequisite"]
    assert check(candidate(1, proposed=frozenset({"GOV_FLAG", "PROV_FLAG"})), both, context()) == []


def test_history_required_in_previous_years() -> None:
    strict = Gates(**{**PROV_CERT.__dict__, "history_alternative": False})
    history = {2019: frozenset({"EXCELLENT_COLLECTIVE"})}
    findings = check(candidate(4, history=history), strict, context())
    assert gates_of(findings) == ["history"]
    assert "năm 2018" in findings[0].message
    full = {2018: frozenset({"EXCELLENT_COLLECTIVE"}), 2019: frozenset({"EXCELLENT_COLLECTIVE"})}
    assert check(candidate(4, history=full), strict, context()) == []


def test_two_excellent_years_replace_rank_band_and_ballot() -> None:
    history = {2018: frozenset({"EXCELLENT_COLLECTIVE"}), 2019: frozenset({"EXCELLENT_COLLECTIVE"})}
    weak = candidate(7, band="Hoàn thành nhiệm vụ", votes_for=1, history=history)
    assert check(weak, PROV_CERT, context(proposals={"PROV_CERT": [7]})) == []
    without = candidate(7, band="Hoàn thành nhiệm vụ", votes_for=1)
    assert gates_of(check(without, PROV_CERT, context(proposals={"PROV_CERT": [7]}))) == [
        "ballot",
        "band",
        "rank",
    ]


def test_staff_standards_of_the_excellent_collective() -> None:
    assert check(candidate(2), EXCELLENT_COLLECTIVE, context()) == []
    facts = Facts(headcount=40, completing_tasks=39, advanced_workers=27, emulation_fighters=0)
    findings = check(candidate(2, facts=facts), EXCELLENT_COLLECTIVE, context())
    assert len(findings) == 3 and all(finding.gate == "staff" for finding in findings)
    messages = " ".join(finding.message for finding in findings)
    assert "97,5%" in messages and "67,5%" in messages and "Chiến sĩ thi đua cơ sở" in messages
    missing = check(candidate(2, facts=None), EXCELLENT_COLLECTIVE, context())
    assert gates_of(missing) == ["discipline", "staff"]
    assert all(finding.facts_missing for finding in missing)
    assert [finding.gate for finding in missing if finding.blocking] == ["staff"]


def test_advanced_collective_boundaries_under_both_laws() -> None:
    at_70 = Facts(headcount=10, completing_tasks=10, advanced_workers=7, emulation_fighters=0)
    assert check(candidate(2, facts=at_70), ADVANCED_COLLECTIVE, context()) == []  # ≥ 70 % (2022)
    at_50 = Facts(headcount=10, completing_tasks=10, advanced_workers=5, emulation_fighters=0)
    assert gates_of(check(candidate(2, facts=at_50), ADVANCED_2003, context())) == [
        "staff"
    ]  # > 50 % (2003)
    disciplined = Facts(
        headcount=10, completing_tasks=10, advanced_workers=8, emulation_fighters=0, disciplined=1
    )
    assert gates_of(check(candidate(2, facts=disciplined), ADVANCED_COLLECTIVE, context())) == [
        "staff"
    ]


def test_several_gates_fail_together() -> None:
    facts = Facts(
        headcount=40,
        completing_tasks=40,
        advanced_workers=32,
        emulation_fighters=3,
        under_investigation=True,
    )
    findings = check(
        candidate(5, band=GOOD, votes_for=2, facts=facts),
        PROV_FLAG,
        context(proposals={"PROV_FLAG": [2, 3, 5]}),
    )
    assert gates_of(findings) == ["ballot", "band", "discipline", "quota", "rank"]
    assert all(finding.blocking for finding in findings)


@pytest.mark.parametrize(
    ("members", "share", "quota"), [(7, "30", 2), (10, "30", 3), (7, "10", 0), (15, "20", 3)]
)
def test_quota_by_share_rounds_down(members: int, share: str, quota: int) -> None:
    assert quota_from_share(members, D(share)) == quota


def test_ballot_share() -> None:
    assert ballot_share(4, 7).quantize(D("0.01")) == D("57.14")


def test_government_flag_share_is_a_warning_above_twenty_percent() -> None:
    assert government_flag_warning(2, 10, D(20)) is None
    warning = government_flag_warning(3, 10, D(20))
    assert warning is not None and not warning.blocking
    assert "3 đề nghị Cờ thi đua của Chính phủ cho 10 khối, tức 30%" in warning.message


def test_a_gate_whose_facts_were_never_entered_is_never_said_to_pass() -> None:
    """Without the unit's figures, the discipline gate is unchecked: the finding says the
    figures are missing and who must enter them (a warning where the award does not need the
    staff figures; where it does, the staff gate blocks with the same words)."""
    findings = check(candidate(1, facts=None), GOV_FLAG, context())
    (unchecked,) = [finding for finding in findings if finding.gate == "discipline"]
    assert unchecked.facts_missing and not unchecked.blocking
    assert unchecked.message == (
        "Chưa kiểm tra được: chưa có số liệu cán bộ, người lao động và kỷ luật của đơn vị năm "
        f"{context().year}. Cán bộ đầu mối của đơn vị hoặc thư ký khối nhập ở trang “Số liệu "
        "cán bộ, người lao động”."
    )
