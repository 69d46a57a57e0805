"""Reads for a bloc-year ranked by vote alone (``scoring.vote_ranking``): every member's vote
result, the live rows, and what a snapshot of such a year keeps."""

from __future__ import annotations

from typing import Any

from blocs.models import BlocYear, Membership
from common.numbers import decimal_text
from scoring import vote_ranking
from scoring.models import VoteResult
from scoring.rows import RankingRow
from scoring.selectors.ranking_rules import RuleSet, rules_of
from scoring.vote_ranking import VoteEntry


def vote_entries(bloc_year: BlocYear) -> list[VoteEntry]:
    """One entry per member (recorded or not), names of that year. Three queries."""
    results = {result.unit_id: result for result in VoteResult.objects.filter(bloc_year=bloc_year)}
    entries = []
    for membership in (
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .prefetch_related("unit__former_names")
    ):
        result = results.get(membership.unit_id)
        entries.append(
            VoteEntry(
                unit_id=membership.unit_id,
                code=membership.unit.code,
                name=membership.unit.short_name_on(bloc_year.last_day),
                votes_for=result.votes_for if result else None,
                voters=result.voters if result else None,
                band=result.band if result else "",
                women_share=membership.women_share,
            )
        )
    return entries


def vote_rows(bloc_year: BlocYear, found: RuleSet | None = None) -> list[RankingRow]:
    """The live ranking of a bloc-year ranked by vote alone."""
    found = found or rules_of(bloc_year)
    return vote_ranking.rank_by_votes(vote_entries(bloc_year), found.vote_bands)


def vote_snapshot_data(bloc_year: BlocYear) -> dict[str, Any]:
    """What a snapshot of a year ranked by vote keeps: the rows, no criteria and no points,
    the votes and the vote band table (the inputs the hash covers)."""
    found = rules_of(bloc_year)
    entries = vote_entries(bloc_year)
    rows = vote_ranking.rank_by_votes(entries, found.vote_bands)
    return {
        "rows": [row.to_json() for row in rows],
        "sections": [],
        "criteria": [],
        "points": {},
        "settings": {
            "mode": vote_ranking.VOTES,
            "vote_bands": [vote_ranking.vote_band_to_json(band) for band in found.vote_bands],
            "votes": {
                str(entry.unit_id): [entry.votes_for, entry.voters, entry.band] for entry in entries
            },
            "women": {str(e.unit_id): decimal_text(e.women_share) for e in entries},
        },
    }
