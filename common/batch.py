"""Several items at once, each on its own: the batches of the leaders and the secretariat.

A batch is not one big transaction. Each item goes through the same service as a single action
(its own transaction, its own audit entry and notification), so a batch is exactly as safe as the
single steps; an item the service refuses (another person dealt with it first, its figures
changed) is noted with the reason and the others go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.core.exceptions import ValidationError

T = TypeVar("T")


@dataclass
class BatchOutcome(Generic[T]):
    """The items done, and those left as they were, each with why."""

    done: list[T] = field(default_factory=list)
    refused: list[tuple[T, str]] = field(default_factory=list)


def each(items: Iterable[T], step: Callable[[T], object]) -> BatchOutcome[T]:
    """Run ``step`` on each item; a ``ValidationError`` refuses that item only."""
    outcome: BatchOutcome[T] = BatchOutcome()
    for item in items:
        try:
            step(item)
        except ValidationError as error:
            outcome.refused.append((item, " ".join(error.messages)))
        else:
            outcome.done.append(item)
    return outcome
