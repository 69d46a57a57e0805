"""The one lock order of every writer of score sheets, in one place.

Writers of a sheet take **the sheet's row before any row of its lines, questions or files**;
a writer of several sheets (a save of a line scored against the bloc's best, which rewrites
that line on every member's sheet; the column page of one criterion) takes **all the
bloc-year's sheets, in pk order**, first. Two writers then queue on PostgreSQL instead of
deadlocking, and a step that checks something (a recall, marking verified) checks it after the
lock, in a statement that sees what committed while it waited. Every writer calls one of these
at its start, inside its transaction (tests/scoring/test_sheet_races.py races every pair).

A writer of criteria (a set reopened for correction, whose maximum, kind or bonus cap changes
the totals kept on the sheets scored with it) writes the criteria's rows, then takes **the
sheets scored with the set, in pk order** (``lock_criteria_set_sheets``): no writer of sheets
locks a criterion, so criteria first cannot close a cycle, and pk order is the order above.

The totals kept on the sheets (scoring/totals.py) are refreshed by the writer itself, last,
on the rows it holds; no model method takes a lock of its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from scoring.models import ScoreSheet


def lock_sheet(sheet_id: int) -> None:
    """The sheet's row, held to the end of the transaction."""
    ScoreSheet.objects.select_for_update().filter(pk=sheet_id).values_list("pk").get()


def lock_sheet_and_bump(sheet_id: int) -> None:
    """The sheet's row, taken by raising its version: a change an open grid must hear of
    (a line marked not applicable, a file added)."""
    ScoreSheet.objects.filter(pk=sheet_id).update(version=F("version") + 1)


def lock_bloc_year_sheets(bloc_year_id: int) -> dict[int, int]:
    """Every sheet of the bloc-year, in pk order; their versions as they are now."""
    return dict(
        ScoreSheet.objects.select_for_update()
        .filter(bloc_year_id=bloc_year_id)
        .order_by("pk")
        .values_list("pk", "version")
    )


def lock_sheets(sheet_ids: Iterable[int]) -> None:
    """Several sheets of one bloc-year, in pk order."""
    list(
        ScoreSheet.objects.select_for_update()
        .filter(pk__in=list(sheet_ids))
        .order_by("pk")
        .values_list("pk")
    )


def lock_criteria_set_sheets(criteria_set_id: int) -> list[int]:
    """Every sheet scored with the criteria set (of every bloc-year using it), in pk order;
    their ids (none while the set is a draft)."""
    return list(
        # Only the sheets' rows ("self"), not those of the joined seasons.
        ScoreSheet.objects.select_for_update(of=("self",))
        .filter(bloc_year__scoring__criteria_set_id=criteria_set_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
