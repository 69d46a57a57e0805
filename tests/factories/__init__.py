"""factory_boy factories of the project's models, one module per app, all importable from here
(``from tests.factories import ScoreLineFactory``). docs/testing.md says how to use them."""

from tests.factories.awards import (
    AwardTypeFactory,
    BallotFactory,
    BallotResultFactory,
    DecisionFactory,
    ProposalFactory,
    RuleSetFactory,
    UnitYearFactsFactory,
)
from tests.factories.blocs import (
    BlocFactory,
    BlocYearFactory,
    CouncilFactory,
    MembershipFactory,
    UnitFactory,
    UnitLineageFactory,
    UnitNameFactory,
    UserFactory,
)
from tests.factories.notifications import NotificationFactory
from tests.factories.reports import DocumentFactory
from tests.factories.scoring import (
    ComplaintFactory,
    CriteriaSetFactory,
    CriterionFactory,
    EvidenceFactory,
    ExplanationRequestFactory,
    RankingSnapshotFactory,
    ScoreLineFactory,
    ScoreSheetFactory,
    ScoringSeasonFactory,
)

__all__ = [
    "AwardTypeFactory",
    "BallotFactory",
    "BallotResultFactory",
    "BlocFactory",
    "BlocYearFactory",
    "ComplaintFactory",
    "CouncilFactory",
    "CriteriaSetFactory",
    "CriterionFactory",
    "DecisionFactory",
    "DocumentFactory",
    "EvidenceFactory",
    "ExplanationRequestFactory",
    "MembershipFactory",
    "NotificationFactory",
    "ProposalFactory",
    "RankingSnapshotFactory",
    "RuleSetFactory",
    "ScoreLineFactory",
    "ScoreSheetFactory",
    "ScoringSeasonFactory",
    "UnitFactory",
    "UnitLineageFactory",
    "UnitNameFactory",
    "UnitYearFactsFactory",
    "UserFactory",
]
