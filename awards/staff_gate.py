"""The staff gate: the unit's figures of the year (headcount, people completing their tasks,
"Lao động tiên tiến", "Chiến sĩ thi đua cơ sở", discipline) against an award's thresholds.

Part of the one eligibility check (``awards.eligibility.check`` calls ``staff_findings``); kept
apart because it reads the figures the unit enters on its own page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext as _

from awards.findings import VIOLATION, Finding
from common.numbers import format_percent

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Facts:
    headcount: int
    completing_tasks: int
    advanced_workers: int
    emulation_fighters: int
    disciplined: int = 0
    under_investigation: bool = False
    note: str = ""


class StaffThresholds(Protocol):
    """What the staff gate reads of an award (``awards.eligibility.Gates``)."""

    @property
    def min_completing_percent(self) -> Decimal | None: ...

    @property
    def min_advanced_percent(self) -> Decimal | None: ...

    @property
    def advanced_strictly_above(self) -> bool: ...

    @property
    def min_emulation_fighters(self) -> int | None: ...

    @property
    def no_discipline(self) -> bool: ...


def facts_missing_message(year: int) -> str:
    """The facts a gate reads were never entered: say so, and who must enter them."""
    return _(
        "Chưa kiểm tra được: chưa có số liệu cán bộ, người lao động và kỷ luật của đơn vị năm "
        "%(year)s. Cán bộ đầu mối của đơn vị hoặc thư ký khối nhập ở trang “Số liệu cán bộ, người "
        "lao động”."
    ) % {"year": year}


def staff_findings(facts: Facts | None, gates: StaffThresholds, year: int) -> list[Finding]:
    """Every staff threshold the unit's figures miss (none entered: one finding that says so)."""
    if facts is None:
        return [Finding(VIOLATION, "staff", facts_missing_message(year), facts_missing=True)]
    findings = []
    head = facts.headcount
    if head == 0:
        return [Finding(VIOLATION, "staff", _("Tổng số người của đơn vị bằng 0."))]
    completing = Decimal(facts.completing_tasks) * HUNDRED / head
    advanced = Decimal(facts.advanced_workers) * HUNDRED / head
    if gates.min_completing_percent is not None and completing < gates.min_completing_percent:
        findings.append(
            Finding(
                VIOLATION,
                "staff",
                _("%(share)s người hoàn thành nhiệm vụ; cần %(min)s.")
                % {
                    "share": format_percent(completing),
                    "min": format_percent(gates.min_completing_percent),
                },
            )
        )
    if gates.min_advanced_percent is not None:
        short = (
            advanced <= gates.min_advanced_percent
            if gates.advanced_strictly_above
            else advanced < gates.min_advanced_percent
        )
        if short:
            findings.append(
                Finding(
                    VIOLATION,
                    "staff",
                    (
                        _("%(share)s người đạt “Lao động tiên tiến”; cần trên %(min)s.")
                        if gates.advanced_strictly_above
                        else _("%(share)s người đạt “Lao động tiên tiến”; cần từ %(min)s.")
                    )
                    % {
                        "share": format_percent(advanced),
                        "min": format_percent(gates.min_advanced_percent),
                    },
                )
            )
    if (
        gates.min_emulation_fighters is not None
        and facts.emulation_fighters < gates.min_emulation_fighters
    ):
        findings.append(
            Finding(
                VIOLATION,
                "staff",
                _("Có %(count)s “Chiến sĩ thi đua cơ sở”; cần ít nhất %(min)s.")
                % {"count": facts.emulation_fighters, "min": gates.min_emulation_fighters},
            )
        )
    if gates.no_discipline and facts.disciplined:
        findings.append(
            Finding(
                VIOLATION,
                "staff",
                _("Có %(count)s người bị kỷ luật từ khiển trách trở lên.")
                % {"count": facts.disciplined},
            )
        )
    return findings
