"""Each score sheet's verified total, kept on the sheet (``verified_total``, ``verified_missing``).

The leaders' dashboard shows every unit's live verified total for a whole council's year:
summing the lines for that was one aggregate over tens of thousands of rows on every view.
The sheet keeps the result instead, refreshed in the same transaction by every write of its
lines: ``ScoreLine.save``/``delete`` and the line queryset's ``bulk_create``, ``bulk_update``,
``update`` and ``delete`` (scoring/models.py), so no service can forget it. A change of the
criteria behind the lines (a maximum, a kind, the bonus cap, while an admin has the set open
for correction) refreshes the sheets scored with them (``Criterion.save``,
``CriteriaSet.save``).

``verified_total`` is the total by the scoring rule itself (standard lines scaled when some do
not apply, bonus up to the cap, penalty; the council's adjustments included) once every
applicable line has verified points, and empty before; ``verified_missing`` counts the
applicable lines still without verified points. ``manage.py refresh_totals`` recomputes every
sheet (after a repair by hand in the database, say); the tests check after each one that the
kept totals equal a fresh computation (tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from scoring import rules
from thidua.db.bulk import update_rows

BATCH = 500  # sheets per aggregate


def refresh(sheet_ids: Iterable[int], *, sheet_model: Any = None) -> None:
    """Recompute the kept totals of these sheets (ids of deleted sheets are ignored).

    ``sheet_model`` is the ScoreSheet model to use (a migration passes its historical one)."""
    if sheet_model is None:
        from scoring.models import ScoreSheet as sheet_model
    ids = sorted(set(sheet_ids))
    for start in range(0, len(ids), BATCH):
        rows = computed(sheet_model.objects.filter(pk__in=ids[start : start + BATCH]))
        update_rows(
            [
                sheet_model(pk=pk, verified_total=total, verified_missing=missing)
                for pk, (total, missing) in rows.items()
            ],
            ["verified_total", "verified_missing"],
        )


def refresh_criteria_set(criteria_set_id: int) -> None:
    """After a change of a maximum, a kind or the bonus cap: every sheet scored with the set
    (none while it is a draft; one query then)."""
    from scoring.models import ScoreSheet

    refresh(
        ScoreSheet.objects.filter(bloc_year__scoring__criteria_set_id=criteria_set_id)
        .order_by()
        .values_list("pk", flat=True)
    )


def refresh_all(*, sheet_model: Any = None) -> int:
    """Recompute every sheet's kept totals; returns how many sheets there are."""
    if sheet_model is None:
        from scoring.models import ScoreSheet as sheet_model
    ids = list(sheet_model.objects.order_by("pk").values_list("pk", flat=True))
    refresh(ids, sheet_model=sheet_model)
    return len(ids)


def computed(sheets: Any) -> dict[int, tuple[Decimal | None, int]]:
    """Sheet id → (verified total or None, applicable lines without verified points), summed
    from the lines of the ``sheets`` queryset in one query."""
    points: DecimalField[Decimal, Decimal] = DecimalField(max_digits=10, decimal_places=2)
    final = F("lines__verified_points") + Coalesce(
        F("lines__council_adjustment"), Value(Decimal(0))
    )
    applicable = Q(lines__not_applicable=False)
    standard, bonus, penalty = (
        Q(lines__criterion__kind=kind) for kind in (rules.STANDARD, rules.BONUS, rules.PENALTY)
    )
    rows = (
        sheets.order_by()
        .values("pk", "bloc_year__scoring__criteria_set__bonus_cap")
        .annotate(
            standard=Sum(final, filter=standard & applicable, output_field=points),
            full_max=Sum("lines__criterion__max_points", filter=standard),
            applicable_max=Sum("lines__criterion__max_points", filter=standard & applicable),
            bonus=Sum(final, filter=bonus, output_field=points),
            penalty=Sum(final, filter=penalty, output_field=points),
            missing=Count("lines", filter=Q(lines__verified_points__isnull=True) & applicable),
            lines_total=Count("lines"),
        )
    )
    return {
        row["pk"]: (
            _total(row) if row["lines_total"] and not row["missing"] else None,
            row["missing"],
        )
        for row in rows
    }


def _total(row: dict[str, Any]) -> Decimal:
    """The scoring rule fed with the sums: the standard lines (scaled when some do not
    apply), bonus up to the cap, penalty."""
    zero = Decimal(0)
    applicable = row["applicable_max"] or zero
    lines = [
        rules.LineScore(0, rules.STANDARD, applicable, row["standard"] or zero),
        rules.LineScore(
            0, rules.STANDARD, (row["full_max"] or zero) - applicable, None, not_applicable=True
        ),
        rules.LineScore(0, rules.BONUS, zero, row["bonus"] or zero),
        rules.LineScore(0, rules.PENALTY, zero, row["penalty"] or zero),
    ]
    cap = row["bloc_year__scoring__criteria_set__bonus_cap"]
    return rules.sheet_totals(lines, cap).total
