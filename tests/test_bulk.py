"""``common.db.bulk.update_rows``: the same rows as Django's ``bulk_update``, on SQLite and
PostgreSQL alike, in batches, with None, decimals, texts and quotes written as given."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from common.db.bulk import update_rows
from scoring import totals
from scoring.models import ScoreLine
from tests.conftest import ScoringWorld

pytestmark = pytest.mark.django_db
FIELDS = ["self_value", "self_points", "note", "not_applicable"]


def _state(lines: list[ScoreLine]) -> list[tuple[Any, ...]]:
    fresh = {line.pk: line for line in ScoreLine.objects.filter(pk__in=[item.pk for item in lines])}
    return [tuple(getattr(fresh[line.pk], name) for name in ["pk", *FIELDS]) for line in lines]


def _edit(lines: list[ScoreLine], seed: int) -> None:
    for index, line in enumerate(lines):
        line.self_value = None if index % 3 == 0 else Decimal(seed + index) / 4
        line.self_points = Decimal("12.35") if index % 2 else Decimal(0)
        line.note = f"ghi chú {seed}-{index} với 'nháy' và \"ngoặc\"; DROP TABLE x; --"
        line.not_applicable = index % 4 == 1


def test_update_rows_writes_what_bulk_update_writes(scoring_world: ScoringWorld) -> None:
    lines = list(scoring_world.draft_sheet.lines.order_by("pk"))
    others = list(scoring_world.submitted_sheet.lines.order_by("pk"))
    untouched = _state(others)
    _edit(lines, 7)
    QuerySet.bulk_update(ScoreLine.objects.all(), lines, FIELDS)  # Django's own
    by_django = _state(lines)
    _edit(lines, 11)
    QuerySet.bulk_update(ScoreLine.objects.all(), lines, FIELDS)
    _edit(lines, 7)
    with CaptureQueriesContext(connection) as captured:
        assert update_rows(lines, FIELDS) == len(lines)
    assert len(captured) == 1
    assert _state(lines) == by_django
    assert _state(others) == untouched  # only the rows given
    totals.refresh([scoring_world.draft_sheet.pk])  # as every writer of lines does


def test_update_rows_splits_what_the_database_cannot_take_at_once(
    scoring_world: ScoringWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = list(scoring_world.draft_sheet.lines.order_by("pk"))
    assert len(lines) >= 3
    monkeypatch.setattr(connection.ops, "bulk_batch_size", lambda fields, objects: 2)
    _edit(lines, 3)
    with CaptureQueriesContext(connection) as captured:
        assert update_rows(lines, FIELDS) == len(lines)
    assert len(captured) == (len(lines) + 1) // 2
    expected = _state(lines)
    assert [row[3] for row in expected] == [line.note for line in lines]
    assert [row[2] for row in expected] == [line.self_points for line in lines]
    totals.refresh([scoring_world.draft_sheet.pk])


def test_update_rows_refuses_the_key_and_does_nothing_without_rows(
    scoring_world: ScoringWorld,
) -> None:
    lines = list(scoring_world.draft_sheet.lines.all())
    with pytest.raises(ValueError, match=r"scoring\.ScoreLine\.id"):
        update_rows(lines, ["id"])
    assert update_rows([], FIELDS) == 0
    assert update_rows(lines, []) == 0
