"""The two columns of a score sheet, and what each is made of.

A unit fills the **self** column (its self-assessment: a value, a target, a note); the bloc
secretariat, or the department that scores a line, fills the **verified** column (a value, a
target, the reason of a change). Code asks the layer for its fields and words instead of
branching on its name. The values are the strings stored in the audit trail (``line.self``,
``line.verified``), carried by the pages and written by the workbook's columns.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from scoring.models import ScoreLine


class Layer(models.TextChoices):
    SELF = "self", _("Tự chấm")
    VERIFIED = "verified", _("Thẩm định")

    # ------------------------------------------------------------------ the line's fields

    @property
    def value_field(self) -> str:
        """``self_value`` / ``verified_value``: the number typed (points, result, count…)."""
        return f"{self.value}_value"

    @property
    def target_field(self) -> str:
        """``self_target`` / ``verified_target``: the target, for lines scored against one."""
        return f"{self.value}_target"

    @property
    def points_field(self) -> str:
        """``self_points`` / ``verified_points``: the points the scoring method gives."""
        return f"{self.value}_points"

    @property
    def text_field(self) -> str:
        """``note`` (the unit's note) / ``verified_reason`` (why the verifier changed it)."""
        return "note" if self is Layer.SELF else "verified_reason"

    @property
    def text_key(self) -> str:
        """The name of the text in the audit trail's changes: ``note`` / ``reason``."""
        return "note" if self is Layer.SELF else "reason"

    @property
    def fields(self) -> tuple[str, str, str]:
        """The columns a person fills in this layer: value, target, text."""
        return self.value_field, self.target_field, self.text_field

    @property
    def audit_action(self) -> str:
        """The audit trail's action of a change in this column: ``line.self``."""
        return f"line.{self.value}"

    # ------------------------------------------------------------------ totals

    @property
    def counted_points(self) -> str:
        """The line's points the layer's total counts: the unit's own (``self_points``), or the
        final points (``final_points``: verified plus the council's adjustment)."""
        return "self_points" if self is Layer.SELF else "final_points"

    @property
    def only_unit_lines(self) -> bool:
        """The layer has values only on lines the unit scores itself: on lines the bloc or the
        council scores it carries the final points, a missing value is not held against the
        unit, and the unit's own total leaves them out (``rules.self_totals``)."""
        return self is Layer.SELF

    # ------------------------------------------------------------------ reading a line

    def value_of(self, line: ScoreLine) -> Decimal | None:
        """The number typed in this layer on ``line``."""
        value: Decimal | None = getattr(line, self.value_field)
        return value

    def text_of(self, line: ScoreLine) -> str:
        """The text of this layer on ``line``: the unit's note, or the verifier's reason."""
        text: str = getattr(line, self.text_field)
        return text

    def entry_of(self, line: ScoreLine) -> tuple[Decimal | None, Decimal | None, str]:
        """(value, target, text) of this layer on ``line``."""
        value, target, text = (getattr(line, name) for name in self.fields)
        return value, target, text

    def points_of(self, line: ScoreLine) -> Decimal | None:
        """The points this layer's total counts for ``line`` (``counted_points``)."""
        points: Decimal | None = getattr(line, self.counted_points)
        return points
