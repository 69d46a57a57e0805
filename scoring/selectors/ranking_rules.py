"""The ranking rules in force for a bloc-year (its own, else its council's, else the built-in
ones), and when they last changed after scoring opened."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet

from blocs.models import AuditEntry, BlocYear
from common.db.compiled import compiled_rows
from scoring import ranking, rules, vote_ranking
from scoring.models import RankingRules
from scoring.ranking import Band
from scoring.vote_ranking import VoteBand

# The audit actions of a change of a bloc-year's ranking rules (services.ranking.rules).
RULE_CHANGES = ("ranking.rules", "ranking.rules_reset")


@dataclass(frozen=True)
class RulesChange:
    """The last change of a bloc-year's ranking rules made after its scoring opened."""

    at: datetime.datetime
    reason: str


def rule_changes() -> QuerySet[AuditEntry]:
    """The changes of bloc-years' ranking rules made after their scoring opened, the last
    first: filtered by the year here, by ``OuterRef("pk")`` in a subquery on bloc-years."""
    return AuditEntry.objects.filter(
        action__in=RULE_CHANGES,
        bloc_year__scoring__opened_at__lte=F("created_at"),
    ).order_by("-created_at", "-pk")


def rules_change(bloc_year: BlocYear) -> RulesChange | None:
    """When (and why) the ranking rules last changed after scoring opened, or None. One query."""
    entry = rule_changes().filter(bloc_year=bloc_year).values_list("created_at", "reason").first()
    return RulesChange(*entry) if entry else None


@dataclass(frozen=True)
class RuleSet:
    """The ranking rules in force: tie-break chain, bands, and what a section with no task
    counts (``rules.PRO_RATA`` or ``rules.FULL_POINTS``)."""

    tie_breaks: list[str]
    bands: list[Band]
    empty_sections: str = rules.PRO_RATA
    mode: str = vote_ranking.POINTS  # or vote_ranking.VOTES: ranked by vote alone
    vote_bands: list[VoteBand] = field(default_factory=vote_ranking.default_vote_bands)

    @property
    def by_votes(self) -> bool:
        return self.mode == vote_ranking.VOTES


def rule_set(chosen: RankingRules | None) -> RuleSet:
    """The rules of one stored row (a council's or a bloc-year's), else the built-in ones."""
    if chosen is None:
        return RuleSet(list(ranking.DEFAULT_TIE_BREAKS), ranking.default_bands())
    tie_breaks = [key for key in chosen.tie_breaks if key in ranking.TIE_BREAKS]
    bands = [ranking.band_from_json(band) for band in chosen.bands]
    empty = chosen.empty_sections
    vote_bands = [vote_ranking.vote_band_from_json(band) for band in chosen.vote_bands]
    return RuleSet(
        tie_breaks,
        bands or ranking.default_bands(),
        empty if empty in rules.EMPTY_SECTION_RULES else rules.PRO_RATA,
        chosen.mode if chosen.mode in vote_ranking.MODES else vote_ranking.POINTS,
        vote_bands or vote_ranking.default_vote_bands(),
    )


RULE_FIELDS = ("bloc_year_id", "tie_breaks", "bands", "empty_sections", "mode", "vote_bands")


def _rules_rows(bloc_year_id: int, council_id: int) -> QuerySet[Any, Any]:
    """The bloc-year's own rules and its council's (at most one row each)."""
    return (
        RankingRules.objects.filter(bloc_year_id=bloc_year_id)
        | RankingRules.objects.filter(council_id=council_id, bloc_year__isnull=True)
    ).values_list(*RULE_FIELDS)


def rules_of(bloc_year: BlocYear) -> RuleSet:
    """The bloc-year's own rules, else its council's, else the defaults. One query (compiled
    once: common.db.compiled)."""
    found = {
        ("bloc_year" if row[0] else "council"): RankingRules(
            **dict(zip(RULE_FIELDS, row, strict=True))
        )
        for row in compiled_rows(
            _rules_rows, bloc_year_id=bloc_year.pk, council_id=bloc_year.bloc.council_id
        )
    }
    return rule_set(found.get("bloc_year") or found.get("council"))


def rules_for(bloc_year: BlocYear) -> tuple[list[str], list[Band]]:
    """The bloc-year's tie-break chain and bands in force (``rules_of``)."""
    found = rules_of(bloc_year)
    return found.tie_breaks, found.bands


def explanation_required(bloc_year: BlocYear) -> bool:
    """Whether a deduction stands only after the unit was asked to explain it: the bloc-year's
    own rules, else its council's, else not (docs/scoring.md)."""
    found = {
        ("bloc_year" if row.bloc_year_id else "council"): row.explanation_required
        for row in RankingRules.objects.filter(bloc_year=bloc_year).only(
            "bloc_year", "explanation_required"
        )
        | RankingRules.objects.filter(
            council_id=bloc_year.bloc.council_id, bloc_year__isnull=True
        ).only("bloc_year", "explanation_required")
    }
    return found.get("bloc_year", found.get("council", False))
