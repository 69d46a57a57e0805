"""The peer season of a bloc-year and the lines it covers: which bloc-years score by peers
(``peer_season``, else ``PeerError``), which lines peers score (every leaf except those the
council office scores), the audit context of peer scoring, and the small reads and the reading
of a stored point that the assessments, the results, the applying and the pages all share.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from blocs.models import BlocYear, Membership
from scoring.models import CriteriaSet, Criterion, ScoringSeason


class PeerError(ValidationError):
    """The assessment cannot be saved, sent or applied (season, units or state)."""


def peer_context(bloc_year: BlocYear) -> str:
    return f"peer:{bloc_year.pk}"


def peer_season(bloc_year: BlocYear) -> ScoringSeason:
    """The bloc-year's season if it scores by peers; reads the cached season when loaded."""
    season: ScoringSeason | None = getattr(bloc_year, "scoring", None)
    if season is None or season.mode != ScoringSeason.Mode.PEER:
        raise PeerError(_("Khối không chấm chéo trong năm này."))
    return season


def peer_leaves(criteria: Iterable[Criterion]) -> list[Criterion]:
    """The lines peers score: every leaf except those the council office scores."""
    criteria = list(criteria)
    parents = {criterion.parent_id for criterion in criteria if criterion.parent_id}
    return [
        criterion
        for criterion in criteria
        if criterion.pk not in parents and criterion.scored_by != Criterion.ScoredBy.COUNCIL
    ]


def criteria_of(criteria_set: CriteriaSet) -> list[Criterion]:
    """The set's whole tree, in sheet order."""
    return list(Criterion.objects.filter(criteria_set=criteria_set).order_by("order", "pk"))


def member_ids(bloc_year: BlocYear) -> set[int]:
    """The units that are members of the bloc-year."""
    return set(Membership.objects.filter(bloc_year=bloc_year).values_list("unit_id", flat=True))


def stored_amount(text: object) -> Decimal | None:
    """A value of ``PeerAssessment.points`` ("7.50"); anything else counts as missing."""
    if text in (None, ""):
        return None
    try:
        return Decimal(str(text))
    except ArithmeticError:
        return None
