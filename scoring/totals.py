"""Each score sheet's verified total, kept on the sheet (``verified_total``, ``verified_missing``),
and its ranking parts (``ranking_parts``).

The leaders' dashboard shows every unit's live verified total for a whole council's year:
summing the lines for that was one aggregate over tens of thousands of rows on every view.
The sheet keeps the result instead.

**Who keeps it.** ``refresh(sheet_ids)`` is the one way to write it, and every service that
changes lines, or the criteria behind them, calls it itself: after its writes, inside its
transaction, on sheets whose rows it already holds (scoring/locks.py: the sheet's row first).
The models and their querysets are plain Django on purpose. They used to refresh (and lock the
sheet) from ``ScoreLine.save`` and the line queryset's bulk methods, behind the caller's back:
a lock taken there came after rows the caller already held, in an order no caller could see,
and two deadlocks followed. A write that changes no points (a note, a reason) skips the refresh:
``depends_on`` tells which columns count.

Beside them each sheet keeps its **ranking parts** (``ranking_parts``, scoring/parts.py): its
lines summed by kind, section and applicability, for the verified and the self column, from
which the live ranking page ranks the bloc-year without reading every line. They are written by
the same ``refresh``, from the same one read of the lines, so a write of the self column's
points refreshes too (``depends_on``).

``verified_total`` is the total by the scoring rule itself (standard lines scaled when some do
not apply, bonus up to the cap, penalty; the council's adjustments included) once every
applicable line has verified points, and empty before; ``verified_missing`` counts the
applicable lines still without verified points. ``manage.py refresh_totals`` recomputes every
sheet (after a repair by hand in the database, say). After every database test the suite checks
that no kept total is ``stale`` and no kept part ``stale_parts`` (tests/conftest.py), so a
writer that forgets the call fails its tests. ``stale`` checks the kept total against an SQL
aggregate (``computed``), a second computation independent of the one ``refresh`` makes.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from common.db.bulk import update_rows
from scoring import parts, rules
from scoring.models import ScoreSheet

BATCH = 500  # sheets per aggregate
Kept = tuple[Decimal | None, int]  # a sheet's verified total (None until complete), lines missing

# The line columns the kept totals and parts depend on; a write of a note, or of a value that
# leaves the points as they were, leaves them as they were.
TOTAL_FIELDS = frozenset(
    {"verified_points", "council_adjustment", "not_applicable", "sheet", "sheet_id"}
    | {"self_points"}  # the ranking parts' self column
    | {"criterion", "criterion_id"}
)


def depends_on(fields: Iterable[str]) -> bool:
    """Whether writing these line columns can change a kept total."""
    return not TOTAL_FIELDS.isdisjoint(fields)


def refresh(sheet_ids: Iterable[int], *, sheet_model: Any = None) -> None:
    """Recompute the kept totals and ranking parts of these sheets (ids of deleted sheets are
    ignored): one read of their lines and one update per ``BATCH`` sheets, none for no sheet.

    Call it after the writes, inside the transaction, holding the sheets' rows (it takes no
    lock of its own: the caller's order is the one of scoring/locks.py). ``sheet_model`` is the
    ScoreSheet model to use (a migration passes its historical one)."""
    if sheet_model is None:
        sheet_model = ScoreSheet
    ids = sorted(set(sheet_ids))
    if not _keeps_parts(sheet_model):  # a migration before the parts (0004)
        for start in range(0, len(ids), BATCH):
            rows = computed(sheet_model.objects.filter(pk__in=ids[start : start + BATCH]))
            update_rows(
                [
                    sheet_model(pk=pk, verified_total=t, verified_missing=m)
                    for pk, (t, m) in rows.items()
                ],
                ["verified_total", "verified_missing"],
            )
        return
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        found = kept_from_lines(sheet_model, batch)
        update_rows(
            [
                sheet_model(
                    pk=pk, verified_total=total, verified_missing=missing, ranking_parts=kept
                )
                for pk, (total, missing, kept) in (
                    (pk, found.get(pk, (None, 0, {}))) for pk in batch
                )
            ],
            ["verified_total", "verified_missing", "ranking_parts"],
        )


def _keeps_parts(sheet_model: Any) -> bool:
    return any(field.name == "ranking_parts" for field in sheet_model._meta.concrete_fields)


# What a sheet's lines are read with to keep its totals and parts.
LINE_COLUMNS = (
    "sheet_id",
    "sheet__bloc_year__scoring__criteria_set__bonus_cap",
    "criterion__kind",
    "criterion__max_points",
    "criterion__code",
    "criterion__scored_by",
    "verified_points",
    "council_adjustment",
    "self_points",
    "not_applicable",
)


def kept_from_lines(sheet_model: Any, sheet_ids: list[int]) -> dict[int, tuple[Any, int, Any]]:
    """Sheet id → (verified total or None, applicable lines without verified points, ranking
    parts), from the lines of these sheets in one query; sheets without lines are left out."""
    line_model = sheet_model._meta.get_field("lines").related_model
    rows = (
        line_model.objects.filter(sheet_id__in=sheet_ids)
        .order_by("sheet_id", "criterion__order", "criterion_id")
        .values_list(*LINE_COLUMNS)
    )
    verified: dict[int, list[rules.LineScore]] = {}
    own: dict[int, list[rules.LineScore]] = {}
    caps: dict[int, Decimal | None] = {}
    missing: dict[int, int] = {}
    zero = Decimal(0)
    for sheet_id, cap, kind, maximum, code, scored_by, points, adjustment, mine, na in rows:
        if sheet_id not in caps:
            caps[sheet_id], verified[sheet_id], own[sheet_id] = cap, [], []
            missing[sheet_id] = 0
        final = None if points is None else points + (adjustment or zero)
        section = code.split(".", 1)[0]  # Criterion.section_code
        optional = scored_by != "unit"  # Criterion.ScoredBy.UNIT; the self column's own lines
        verified[sheet_id].append(rules.LineScore(0, kind, maximum, final, na, section))
        own[sheet_id].append(
            rules.LineScore(0, kind, maximum, final if optional else mine, na, section, optional)
        )
        if final is None and not na:
            missing[sheet_id] += 1
    result = {}
    for sheet_id, lines in verified.items():
        total = None if missing[sheet_id] else rules.sheet_totals(lines, caps[sheet_id]).total
        kept = {
            "lines": len(lines),
            parts.VERIFIED: parts.line_parts(lines),
            parts.SELF: parts.line_parts(own[sheet_id]),
        }
        result[sheet_id] = (total, missing[sheet_id], kept)
    return result


def refresh_all(*, sheet_model: Any = None) -> int:
    """Recompute every sheet's kept totals; returns how many sheets there are."""
    if sheet_model is None:
        sheet_model = ScoreSheet
    ids = list(sheet_model.objects.order_by("pk").values_list("pk", flat=True))
    refresh(ids, sheet_model=sheet_model)
    return len(ids)


def computed(sheets: Any) -> dict[int, Kept]:
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


def stale(sheets: Any) -> dict[int, tuple[Kept, Kept | None]]:
    """The sheets of the ``sheets`` queryset whose kept totals differ from their lines: sheet id
    → (kept, fresh). Empty when every writer called ``refresh``."""
    kept = {
        pk: (total, missing)
        for pk, total, missing in sheets.values_list("pk", "verified_total", "verified_missing")
    }
    fresh = computed(sheets)
    return {pk: (kept[pk], fresh.get(pk)) for pk in kept if kept[pk] != fresh.get(pk)}


def stale_parts(sheets: Any) -> set[int]:
    """The sheets of the ``sheets`` queryset whose kept ranking parts differ from their lines'
    (scoring/parts.py). Empty when every writer called ``refresh``."""
    kept = dict(sheets.values_list("pk", "ranking_parts"))
    fresh = kept_from_lines(sheets.model, list(kept))
    return {pk for pk, value in kept.items() if value != fresh.get(pk, (None, 0, {}))[2]}
