"""What the ranking's steps share: the states after finalization, the audit context of a
bloc-year's ranking, and the race-safe move from one state to the next."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from blocs.models import BlocYear, User
from scoring.models import RankingSnapshot
from scoring.selectors.ranking import inputs_hash
from scoring.services.sheets import StateError

FINALIZED_STATES = {
    BlocYear.State.FINALIZED,
    BlocYear.State.PROVISIONAL,
    BlocYear.State.PUBLISHED,
    BlocYear.State.PROPOSED,
    BlocYear.State.DECIDED,
}


def ranking_context(bloc_year: BlocYear) -> str:
    """The audit trail's context of a bloc-year's ranking."""
    return f"ranking:{bloc_year.pk}"


def move_state(bloc_year: BlocYear, allowed: Iterable[str], target: str) -> None:
    """Change the bloc-year's state only if it is still in an allowed state (race-safe)."""
    updated = BlocYear.objects.filter(pk=bloc_year.pk, state__in=list(allowed)).update(state=target)
    if not updated:
        current = BlocYear.objects.get(pk=bloc_year.pk)
        raise StateError(
            _("Năm thi đua đang ở bước “%(state)s”, không thực hiện được bước này.")
            % {"state": current.get_state_display()}
        )
    bloc_year.state = target


def snapshot_create(
    bloc_year: BlocYear, kind: str, reason: str, by: User | None, content: dict[str, Any]
) -> RankingSnapshot:
    """The bloc-year's next snapshot (numbered after the last) holding ``content``, whatever
    ranked it (points or votes)."""
    number = (
        RankingSnapshot.objects.filter(bloc_year=bloc_year).aggregate(Max("number"))["number__max"]
        or 0
    ) + 1
    return RankingSnapshot.objects.create(
        bloc_year=bloc_year,
        number=number,
        kind=kind,
        reason=reason,
        created_by=by,
        inputs_hash=inputs_hash(content),
        data=content,
    )
