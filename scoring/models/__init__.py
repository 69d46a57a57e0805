"""Criteria sets (trees of criteria) and score sheets with their three layers of points.

The models are split by subdomain and re-exported here, where Django and the rest of the
project find them (``from scoring.models import ScoreSheet``):

- ``criteria``: ``CriteriaSet``, ``Criterion``;
- ``sheets``: ``ScoringSeason``, ``ScoreSheet``, ``ScoreLine``, ``ExplanationRequest``,
  ``Evidence`` (and ``evidence_path``, named by a migration);
- ``peer``: ``PeerAssessment``;
- ``quotas``: ``BandQuota`` (a band's quota counted across bloc-years);
- ``ranking``: ``RankingRules``, ``RankingSnapshot``, ``Publication``, ``Complaint``,
  ``ComplaintFile``, ``VoteResult`` (and ``complaint_file_path``, named by a migration).
"""

from __future__ import annotations

from scoring.models.criteria import CriteriaSet, Criterion
from scoring.models.peer import PeerAssessment
from scoring.models.quotas import BandQuota
from scoring.models.ranking import (
    Complaint,
    ComplaintFile,
    Publication,
    RankingRules,
    RankingSnapshot,
    VoteResult,
    complaint_file_path,
)
from scoring.models.sheets import (
    Evidence,
    ExplanationRequest,
    ScoreLine,
    ScoreSheet,
    ScoringSeason,
    evidence_path,
)

__all__ = [
    "BandQuota",
    "Complaint",
    "ComplaintFile",
    "CriteriaSet",
    "Criterion",
    "Evidence",
    "ExplanationRequest",
    "PeerAssessment",
    "Publication",
    "RankingRules",
    "RankingSnapshot",
    "ScoreLine",
    "ScoreSheet",
    "ScoringSeason",
    "VoteResult",
    "complaint_file_path",
    "evidence_path",
]
