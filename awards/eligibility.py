"""Eligibility of a proposal, as one pure function: plain data in, every finding out.

``check`` returns every gate a candidate fails, each with a sentence a secretariat can act on.
Violations block the bloc's submission; warnings (the province-wide share of Government flags)
do not. Services and views call it; nothing reimplements it. The findings' type is in
``awards.findings``; the staff gate, which reads the unit's figures, in ``awards.staff_gate``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from awards.findings import VIOLATION, WARNING, Finding
from awards.registration_gate import registration_finding
from awards.staff_gate import Facts, facts_missing_message, staff_findings
from common.numbers import format_percent

HUNDRED = Decimal(100)

# The gates an award may set, in the order a leader reads them (the proposal's page). Every
# ``Finding.gate`` is one of them, or "quorum" (read with the ballot: ``gate_of``) or
# "government_share" (the province-wide warning).
GATES = (
    "discipline",
    "registration",
    "rank",
    "quota",
    "band",
    "ballot",
    "prerequisite",
    "history",
    "staff",
)
# The gates the unit's staff figures decide: its figures page shows these.
STAFF_GATES = frozenset({"staff", "discipline"})

GOVERNMENT_FLAG = "GOV_FLAG"  # Cờ thi đua của Chính phủ
PROVINCIAL_FLAG = "PROV_FLAG"  # Cờ thi đua của UBND tỉnh


@dataclass(frozen=True)
class Gates:
    """An award type reduced to what the check needs."""

    code: str
    name: str
    order: int
    quota: int | None = None  # effective quota for this bloc-year (override, count or share)
    max_rank: int | None = None
    rank_within_quota: bool = False
    required_bands: Sequence[str] = ()
    requires_award_code: str = ""
    requires_award_name: str = ""
    history_award_code: str = ""
    history_award_name: str = ""
    history_years: int = 0
    history_alternative: bool = False
    needs_ballot: bool = False
    min_ballot_share: Decimal = Decimal(50)
    ballot_strictly_above: bool = True
    min_completing_percent: Decimal | None = None
    min_advanced_percent: Decimal | None = None
    advanced_strictly_above: bool = False
    min_emulation_fighters: int | None = None
    no_discipline: bool = False
    requires_registration: bool = False  # the unit must have registered the award this year

    @property
    def set_gates(self) -> list[str]:
        """The gates this award sets, in the order of ``GATES`` (discipline always: a unit
        under investigation is never proposed). The history gate is listed when it is required,
        not when it is an alternative ground."""
        present = {
            "discipline": True,
            "registration": self.requires_registration,
            "rank": self.max_rank is not None or self.rank_within_quota,
            "quota": self.quota is not None,
            "band": bool(self.required_bands),
            "ballot": self.needs_ballot,
            "prerequisite": bool(self.requires_award_code),
            "history": bool(self.history_years) and not self.history_alternative,
            "staff": self.needs_staff_figures,
        }
        return [gate for gate in GATES if present[gate]]

    @property
    def needs_staff_figures(self) -> bool:
        return (
            any(
                value is not None
                for value in (
                    self.min_completing_percent,
                    self.min_advanced_percent,
                    self.min_emulation_fighters,
                )
            )
            or self.no_discipline
        )


@dataclass(frozen=True)
class Candidate:
    unit_id: int
    name: str
    rank: int | None
    band: str = ""
    votes_for: int | None = None
    # False: the bloc ranked the year without points (by vote alone, or bands only).
    by_points: bool = True
    # A member without points in a year with points: its rank and band are the published ones.
    published: bool = False
    facts: Facts | None = None
    history: Mapping[int, frozenset[str]] = field(default_factory=dict)  # year → award codes
    proposed: frozenset[str] = frozenset()  # award codes this unit is proposed for this year
    # Award codes the unit registered for the year (đăng ký thi đua); None: the bloc-year has
    # no registration data at all (awards.registration_gate).
    registered: frozenset[str] | None = None


@dataclass(frozen=True)
class Context:
    year: int
    members: int
    ballot_held: bool = False
    quorum_met: bool = True
    ranks: Mapping[int, int | None] = field(default_factory=dict)  # unit id → rank
    proposals: Mapping[str, Sequence[int]] = field(default_factory=dict)  # award code → unit ids
    award_orders: Mapping[str, int] = field(default_factory=dict)  # award code → order


def gate_of(finding: Finding) -> str:
    """The gate a finding is read under: a failed quorum is the ballot's."""
    return "ballot" if finding.gate == "quorum" else finding.gate


def gate_label(gates: Gates, gate: str) -> str:
    """One gate of ``GATES`` of an award, in the words of the proposal's page."""
    if gate == "discipline":
        return _("Không đang bị xem xét kỷ luật, thanh tra, kiểm tra, điều tra")
    if gate == "registration":
        return _("Đã đăng ký thi đua")
    if gate == "rank":
        if gates.max_rank == 1:
            return _("Đứng đầu khối")
        if gates.max_rank is not None:
            return _("Xếp từ hạng 1 đến hạng %(max)s") % {"max": gates.max_rank}
        return _("Đứng trong số suất của khối theo thứ hạng")
    if gate == "quota":
        return _("Trong số lượng của khối: %(quota)s") % {"quota": gates.quota}
    if gate == "band":
        return _("Xếp loại: %(bands)s") % {"bands": _(" hoặc ").join(gates.required_bands)}
    if gate == "ballot":
        return (
            _("Phiếu bầu kín trên %(threshold)s số thành viên, cuộc họp đủ túc số")
            if gates.ballot_strictly_above
            else _("Phiếu bầu kín từ %(threshold)s số thành viên, cuộc họp đủ túc số")
        ) % {"threshold": format_percent(gates.min_ballot_share)}
    if gate == "prerequisite":
        return _("Đồng thời được đề nghị “%(award)s”") % {"award": gates.requires_award_name}
    if gate == "history":
        return _("Đạt “%(award)s” %(count)s năm liên tục trước đó") % {
            "award": gates.history_award_name,
            "count": gates.history_years,
        }
    return _("Tiêu chuẩn về số cán bộ, người lao động")  # staff


def required_award_code(
    award_code: str, requires_award_code: str, *, government_flag_also_provincial: bool
) -> str:
    """The award a unit must be proposed for at the same time: the award's own prerequisite;
    without one, a Government flag needs the provincial flag too when the rule set says so
    (``RuleSet.government_flag_also_provincial``)."""
    if (
        award_code == GOVERNMENT_FLAG
        and government_flag_also_provincial
        and not requires_award_code
    ):
        return PROVINCIAL_FLAG
    return requires_award_code


def ballot_passed(gates: Gates, share: Decimal) -> bool:
    """Whether a share of the members' votes (``ballot_share``) passes the award's ballot:
    above the threshold, or from it when the rule set says "from"."""
    return (
        share > gates.min_ballot_share
        if gates.ballot_strictly_above
        else share >= gates.min_ballot_share
    )


def quota_from_share(members: int, share_percent: Decimal) -> int:
    """A quota given as a share of members, rounded down (7 members × 30 % → 2)."""
    return int((Decimal(members) * share_percent / HUNDRED).to_integral_value(rounding=ROUND_FLOOR))


def ballot_share(votes_for: int, members: int) -> Decimal:
    return Decimal(votes_for) * HUNDRED / Decimal(members) if members else Decimal(0)


def quorum_met(present: int, total: int, numerator: int, denominator: int) -> bool:
    """At least numerator/denominator of the members present (2/3: 5 of 7 yes, 4 of 7 no)."""
    return present * denominator >= total * numerator


def _history_missing(candidate: Candidate, code: str, years: int, year: int) -> list[int]:
    return [
        past
        for past in range(year - years, year)
        if code not in candidate.history.get(past, frozenset())
    ]


def check(candidate: Candidate, gates: Gates, context: Context) -> list[Finding]:
    """Every gate ``candidate`` fails for ``gates`` in ``context``."""
    findings: list[Finding] = []

    def violation(gate: str, message: str) -> None:
        findings.append(Finding(VIOLATION, gate, message))

    facts = candidate.facts
    if facts is None:
        # Without the unit's figures nobody has said whether it is under investigation: the
        # gate is unknown, not passed. A warning: it blocks where the award needs the staff
        # figures, through the staff gate's own finding.
        findings.append(
            Finding(WARNING, "discipline", facts_missing_message(context.year), facts_missing=True)
        )
    elif facts.under_investigation:
        violation(
            "discipline",
            _(
                "Đơn vị đang bị xem xét kỷ luật, thanh tra, kiểm tra hoặc điều tra%(note)s: "
                "không được đề nghị khen thưởng."
            )
            % {"note": f" ({facts.note})" if facts.note else ""},
        )

    if gates.requires_registration:
        # Never replaced by the alternative ground: the law binds the title to the registration.
        registration = registration_finding(
            award_code=gates.code,
            award_name=gates.name,
            registered=candidate.registered,
            year=context.year,
        )
        if registration is not None:
            findings.append(registration)

    by_history = False
    if gates.history_award_code and gates.history_years:
        missing = _history_missing(
            candidate, gates.history_award_code, gates.history_years, context.year
        )
        by_history = not missing
        if missing and not gates.history_alternative:
            violation(
                "history",
                _("Chưa đạt “%(award)s” năm %(years)s (cần %(count)s năm liên tục trước đó).")
                % {
                    "award": gates.history_award_name or gates.history_award_code,
                    "years": ", ".join(map(str, missing)),
                    "count": gates.history_years,
                },
            )

    # The alternative ground (e.g. two years of "Tập thể lao động xuất sắc") replaces the band,
    # the rank and the ballot; it never replaces the quota or the discipline check.
    merit_checks = not (gates.history_alternative and by_history)
    if merit_checks and gates.required_bands and candidate.band not in gates.required_bands:
        violation(
            "band",
            _("Xếp loại “%(band)s” không đủ; cần: %(bands)s.")
            % {
                "band": candidate.band or _("chưa xếp loại"),
                "bands": ", ".join(gates.required_bands),
            },
        )
    if merit_checks:
        findings.extend(_rank_findings(candidate, gates, context))
    findings.extend(_quota_findings(candidate, gates, context))
    if merit_checks and gates.needs_ballot:
        findings.extend(_ballot_findings(candidate, gates, context))
    if gates.requires_award_code and gates.requires_award_code not in candidate.proposed:
        violation(
            "prerequisite",
            _("Phải đồng thời được đề nghị “%(award)s” trong năm.")
            % {"award": gates.requires_award_name or gates.requires_award_code},
        )
    if gates.needs_staff_figures:
        findings.extend(staff_findings(facts, gates, context.year))
    return findings


def _rank_findings(candidate: Candidate, gates: Gates, context: Context) -> list[Finding]:
    findings = []
    rank = candidate.rank
    if (gates.max_rank is not None or gates.rank_within_quota) and candidate.published:
        return [
            Finding(
                VIOLATION,
                "rank",
                _(
                    "Không kiểm tra được điều kiện thứ hạng: đơn vị không có bảng điểm năm này "
                    "(%(how)s). Hội đồng xem xét trên kết quả công bố."
                )
                % {
                    "how": _("theo kết quả công bố, hạng %(rank)s") % {"rank": rank}
                    if rank
                    else _("chỉ công bố xếp loại")
                },
                facts_missing=True,
            )
        ]
    if (gates.max_rank is not None or gates.rank_within_quota) and not candidate.by_points:
        # The rank gate reads the ranking by points; a rank by votes (or a published band
        # alone) is another measure: the gate is unknown, never passed.
        return [
            Finding(
                VIOLATION,
                "rank",
                _(
                    "Không kiểm tra được điều kiện thứ hạng: năm này khối xếp hạng không chấm "
                    "điểm (%(how)s). Hội đồng xem xét trên kết quả bình xét."
                )
                % {
                    "how": _("theo phiếu bình xét, hạng %(rank)s") % {"rank": rank}
                    if rank
                    else _("chỉ công bố xếp loại")
                },
                facts_missing=True,
            )
        ]
    if (gates.max_rank is not None or gates.rank_within_quota) and rank is None:
        return [Finding(VIOLATION, "rank", _("Đơn vị chưa có thứ hạng đã chốt."))]
    if gates.max_rank is not None and rank is not None and rank > gates.max_rank:
        findings.append(
            Finding(
                VIOLATION,
                "rank",
                (
                    _("Xếp hạng %(rank)s; cần đứng đầu khối.")
                    if gates.max_rank == 1
                    else _("Xếp hạng %(rank)s; cần từ hạng 1 đến hạng %(max)s.")
                )
                % {"rank": rank, "max": gates.max_rank},
            )
        )
    if gates.rank_within_quota and gates.quota is not None and rank is not None:
        # Units ranked above that go to a higher award (and not also to this one) do not use
        # this award's places: the places pass to the next ranks.
        higher = {
            code
            for code, order in context.award_orders.items()
            if order < gates.order and code != gates.code
        }
        here = set(context.proposals.get(gates.code, ()))
        skipped = {
            unit_id
            for code in higher
            for unit_id in context.proposals.get(code, ())
            if unit_id not in here and (context.ranks.get(unit_id) or 10**6) < rank
        }
        allowed = gates.quota + len(skipped)
        if rank > allowed:
            findings.append(
                Finding(
                    VIOLATION,
                    "rank",
                    _(
                        "Xếp hạng %(rank)s nằm ngoài %(quota)s suất theo thứ hạng "
                        "(xét đến hạng %(allowed)s)."
                    )
                    % {"rank": rank, "quota": gates.quota, "allowed": allowed},
                )
            )
    return findings


def _quota_findings(candidate: Candidate, gates: Gates, context: Context) -> list[Finding]:
    if gates.quota is None:
        return []
    proposed = list(context.proposals.get(gates.code, ()))
    if candidate.unit_id not in proposed:
        proposed.append(candidate.unit_id)
    if len(proposed) <= gates.quota:
        return []
    ordered = sorted(proposed, key=lambda unit_id: (context.ranks.get(unit_id) or 10**6, unit_id))
    if ordered.index(candidate.unit_id) < gates.quota:
        return []
    return [
        Finding(
            VIOLATION,
            "quota",
            _("Vượt số lượng: khối được đề nghị %(quota)s “%(award)s”, đang có %(count)s đề nghị.")
            % {"quota": gates.quota, "award": gates.name, "count": len(proposed)},
        )
    ]


def _ballot_findings(candidate: Candidate, gates: Gates, context: Context) -> list[Finding]:
    if not context.ballot_held:
        return [Finding(VIOLATION, "ballot", _("Chưa có kết quả bỏ phiếu kín của khối."))]
    findings = []
    if not context.quorum_met:
        findings.append(
            Finding(VIOLATION, "quorum", _("Cuộc họp bỏ phiếu không đủ túc số thành viên."))
        )
    if candidate.votes_for is None:
        findings.append(
            Finding(
                VIOLATION,
                "ballot",
                _("Đơn vị không có trong danh sách bỏ phiếu cho khen thưởng này."),
            )
        )
        return findings
    share = ballot_share(candidate.votes_for, context.members)
    if not ballot_passed(gates, share):
        findings.append(
            Finding(
                VIOLATION,
                "ballot",
                (
                    _(
                        "Đạt %(votes)s/%(members)s phiếu (%(share)s); "
                        "cần trên %(threshold)s số thành viên."
                    )
                    if gates.ballot_strictly_above
                    else _(
                        "Đạt %(votes)s/%(members)s phiếu (%(share)s); "
                        "cần từ %(threshold)s số thành viên."
                    )
                )
                % {
                    "votes": candidate.votes_for,
                    "members": context.members,
                    "share": format_percent(share),
                    "threshold": format_percent(gates.min_ballot_share),
                },
            )
        )
    return findings


def government_flag_warning(
    proposed: int, blocs: int, threshold_percent: Decimal
) -> Finding | None:
    """Province-wide: warn when the Government flags proposed exceed the share of bloc leaders
    (Nghị định 91/2017 Điều 11; CV 5007/BNV-TĐKT). A warning, never a block."""
    if blocs == 0 or proposed == 0:
        return None
    share = Decimal(proposed) * HUNDRED / Decimal(blocs)
    if share <= threshold_percent:
        return None
    return Finding(
        WARNING,
        "government_share",
        _(
            "Toàn tỉnh có %(count)s đề nghị Cờ thi đua của Chính phủ cho %(blocs)s khối, tức "
            "%(share)s số đơn vị dẫn đầu khối; hướng dẫn chỉ cho đề nghị tối đa %(threshold)s."
        )
        % {
            "count": proposed,
            "blocs": blocs,
            "share": format_percent(share),
            "threshold": format_percent(threshold_percent),
        },
    )
