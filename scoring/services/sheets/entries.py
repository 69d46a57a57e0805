"""What a page or a workbook gives for a sheet's lines (``LineEntry``), the two columns it
writes (``SELF``, ``VERIFIED``: the members of ``scoring.layers.Layer``), and the errors a write
of a sheet raises."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from scoring.layers import Layer
from scoring.models import ScoreSheet

# The two columns under their former names (the grid's template tags and the tests use them).
SELF = Layer.SELF
VERIFIED = Layer.VERIFIED


@dataclass(frozen=True)
class LineEntry:
    """What a form or a workbook gave for one line, already parsed into numbers."""

    value: Decimal | None
    target: Decimal | None = None
    text: str | None = None  # the unit's note (self layer) or the reason (verified layer)


class EntryErrors(Exception):
    """Some typed values are wrong; nothing was written. ``by_criterion`` maps ids to messages."""

    def __init__(self, by_criterion: Mapping[int, str], general: Iterable[str] = ()) -> None:
        self.by_criterion = dict(by_criterion)
        self.general = list(general)
        super().__init__("; ".join([*self.general, *self.by_criterion.values()]))


class SheetConflict(Exception):
    """Someone else saved the sheet since this person opened it."""

    def __init__(self, sheet: ScoreSheet) -> None:
        self.sheet = sheet
        super().__init__(_("Bảng điểm vừa được người khác lưu."))


class StateError(ValidationError):
    """The sheet is not in a state that allows this step."""
