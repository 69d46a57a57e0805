"""Award catalogue with its gates, unit-year facts, ballots, proposals, reviews and decisions.

The models are split by subdomain and re-exported here, where Django and the rest of the
project find them (``from awards.models import Proposal``):

- ``catalogue``: ``Authority``, ``RuleSet``, ``AwardType``, ``QuotaOverride``;
- ``facts``: ``UnitYearFacts``;
- ``ballots``: ``Ballot``, ``BallotResult``;
- ``proposals``: ``Decision``, ``Proposal``, ``ProposalEvent``, ``AwardGrant``;
- ``registration``: ``Registration`` (đăng ký thi đua).
"""

from __future__ import annotations

from awards.models.ballots import Ballot, BallotResult
from awards.models.catalogue import PERCENT, Authority, AwardType, QuotaOverride, RuleSet
from awards.models.facts import UnitYearFacts
from awards.models.proposals import AwardGrant, Decision, Proposal, ProposalEvent
from awards.models.registration import Registration

__all__ = [
    "PERCENT",
    "Authority",
    "AwardGrant",
    "AwardType",
    "Ballot",
    "BallotResult",
    "Decision",
    "Proposal",
    "ProposalEvent",
    "QuotaOverride",
    "Registration",
    "RuleSet",
    "UnitYearFacts",
]
