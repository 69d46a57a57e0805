"""The yearly cycle as a row of steps, with a bloc-year's place in it."""

from __future__ import annotations

from dataclasses import dataclass

from blocs.models import BlocYear


@dataclass(frozen=True)
class CycleStep:
    state: str
    label: str
    status: str  # "done", "current" or "upcoming"


def cycle_steps(state: str) -> list[CycleStep]:
    """The yearly cycle as a row of steps, with this bloc-year's place in it."""
    order = list(BlocYear.State)
    current = order.index(BlocYear.State(state))
    return [
        CycleStep(
            state=step.value,
            label=str(step.label),
            status="done" if index < current else "current" if index == current else "upcoming",
        )
        for index, step in enumerate(order)
    ]


def cycle_step_number(state: str) -> int:
    """The place of ``state`` in the yearly cycle, counted from 1."""
    return list(BlocYear.State).index(BlocYear.State(state)) + 1
