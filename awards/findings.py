"""What an eligibility check says: a finding on one gate, blocking (a violation) or not (a
warning). The checks are in ``awards.eligibility`` and, for the unit's staff figures,
``awards.staff_gate``."""

from __future__ import annotations

from dataclasses import dataclass

VIOLATION = "violation"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    severity: str  # VIOLATION or WARNING
    gate: str  # one of GATES, "quorum" or "government_share"
    message: str
    # The gate could not be checked: the facts it reads were never entered (the message says
    # who must enter them). Never read as "passed".
    facts_missing: bool = False

    @property
    def blocking(self) -> bool:
        return self.severity == VIOLATION
