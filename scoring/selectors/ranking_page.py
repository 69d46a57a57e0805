"""What the ranking page asks of its bloc-year before ranking it, in one statement.

Before it ranks anything, the ranking page (``scoring.views.ranking``) asks four things of the
year, each once a query of its own: whether it has a scoring season, its latest snapshot,
whether a quota counted across blocs includes it, and the last change of its rules made after
scoring opened. ``page_facts`` asks them as four subqueries of one statement, each on an
index; a year with no snapshot (the live ranking) or no quota then reads neither.

The statement is written by the ORM, from the same filters as the separate reads
(``services.ranking.latest_snapshot``, ``quota_outcome``, ``rule_changes``),
but compiled once per process (``common.db.compiled``): Django takes about 2 ms to compile four
subqueries, which SQLite then runs in 0.03 ms (docs/performance.md, "The ranking page's first
questions").
tests/scoring/test_ranking_page_facts.py compares the answers with the separate reads'.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from blocs.models import BlocYear
from common.db.compiled import compiled_rows
from scoring.models import BandQuota, RankingSnapshot, ScoringSeason
from scoring.selectors.ranking_rules import RulesChange, rule_changes, rules_of


@dataclass(frozen=True)
class PageFacts:
    """What the ranking page knows of its bloc-year before reading its ranking."""

    season: bool  # it has a scoring season
    snapshot_id: int | None  # its latest snapshot, if any
    quotas: bool  # some quota counted across blocs includes it
    change_id: int | None  # the last change of its rules after scoring opened, if any

    def has_ranking(self, bloc_year: BlocYear) -> bool:
        """Scored (a scoring season), frozen (a snapshot, e.g. a past year imported with bands
        only), or ranked by vote alone (its rules: one more query, only when neither)."""
        return self.season or self.snapshot_id is not None or rules_of(bloc_year).by_votes

    def rules_change(self) -> RulesChange | None:
        """That change's time and reason: one more query, only when there is one."""
        if self.change_id is None:
            return None
        return RulesChange(
            *rule_changes().values_list("created_at", "reason").get(pk=self.change_id)
        )

    def latest_snapshot(self) -> RankingSnapshot | None:
        if self.snapshot_id is None:
            return None
        return RankingSnapshot.objects.get(pk=self.snapshot_id)


def _facts(bloc_year_id: int) -> QuerySet[Any, Any]:
    """The four facts of one bloc-year as subqueries, each on an index."""
    here = OuterRef("pk")
    return (
        BlocYear.objects.filter(pk=bloc_year_id)
        .annotate(
            has_season=Exists(ScoringSeason.objects.filter(bloc_year=here)),
            snapshot_id=Subquery(
                RankingSnapshot.objects.filter(bloc_year=here).order_by("-number").values("pk")[:1]
            ),
            has_quotas=Exists(BandQuota.bloc_years.through.objects.filter(blocyear_id=here)),
            change_id=Subquery(rule_changes().filter(bloc_year=here).values("pk")[:1]),
        )
        .values_list("has_season", "snapshot_id", "has_quotas", "change_id")
    )


def page_facts(bloc_year: BlocYear) -> PageFacts:
    """The bloc-year's ``PageFacts``: one statement."""
    [(season, snapshot_id, quotas, change_id)] = compiled_rows(_facts, bloc_year_id=bloc_year.pk)
    return PageFacts(
        season=bool(season), snapshot_id=snapshot_id, quotas=bool(quotas), change_id=change_id
    )
