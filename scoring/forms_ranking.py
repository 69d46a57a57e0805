"""Forms of the publication and correction pages, and the shared error summary (the ranking
rules form is in ``scoring.forms_rules``, the complaint forms in ``scoring.forms_complaints``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from blocs.models import BlocYear, User
from common.numbers import format_plain
from scoring import rules
from scoring.models import RankingSnapshot, ScoreLine, ScoreSheet
from scoring.services import ranking as services
from scoring.services.sheets import LineEntry


@dataclass(frozen=True)
class SummaryItem:
    """One line of an error summary: the message and where on the page it points."""

    anchor: str | None
    message: str


def field_summary(form: forms.BaseForm) -> list[SummaryItem]:
    """The errors of a bound form, each linking to its field."""
    items = [SummaryItem(None, str(message)) for message in form.non_field_errors()]
    for bound in form:
        for message in bound.errors:
            # Radio buttons and checkbox lists have no single input: point at their group.
            anchor = bound.id_for_label or str(bound.auto_id)
            items.append(SummaryItem(anchor, f"{bound.label}: {message}"))
    return items


class PublishProvisionalForm(forms.Form):
    days = forms.IntegerField(
        label=gettext_lazy("Thời hạn nhận khiếu nại (số ngày)"),
        help_text=gettext_lazy("Từ 1 đến 60 ngày, tính từ hôm nay; thường là 5 ngày."),
        min_value=1,
        max_value=60,
        initial=5,
        error_messages={"required": gettext_lazy("Nhập số ngày nhận khiếu nại.")},
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class PublishFinalForm(forms.Form):
    """The final publication: a first post shows what it will do, the confirmed one does it."""

    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class CorrectionForm(forms.Form):
    """A council admin's correction of a finalized year: the sheet chosen (``sheet``), the
    reason, and the verified points of each of its lines as typed (``v-<criterion id>``).
    ``save`` corrects through ``services.ranking_correct``; a refusal leaves its reasons in
    ``problems`` and what was typed in ``typed`` and ``typed_reason``."""

    sheet = forms.CharField(required=False)
    reason = forms.CharField(required=False, strip=False)

    def __init__(self, data: Mapping[str, Any] | None, *, sheets: Sequence[ScoreSheet]) -> None:
        super().__init__(data)
        self.sheets = sheets
        self.problems: list[str] = []
        self.typed: dict[int, str] = {}  # criterion id → points as typed
        self.typed_reason = ""

    def _value(self, name: str) -> str:
        return str(self.cleaned_data.get(name) or "") if self.is_bound and self.is_valid() else ""

    @property
    def chosen(self) -> ScoreSheet | None:
        """The sheet chosen, among ``sheets``; None when none (or another) was sent."""
        sheet_id = self._value("sheet")
        return next((sheet for sheet in self.sheets if str(sheet.pk) == sheet_id), None)

    @property
    def reason_text(self) -> str:
        return self._value("reason")

    def amounts(self, criterion_ids: Sequence[int]) -> dict[int, str]:
        """The points typed for these lines (criterion id → text, stripped; "" when none)."""
        for criterion_id in criterion_ids:
            self.fields[f"v-{criterion_id}"] = forms.CharField(required=False)
        self.full_clean()
        return {
            criterion_id: str(self.cleaned_data.get(f"v-{criterion_id}") or "")
            for criterion_id in criterion_ids
        }

    def save(self, *, bloc_year: BlocYear, by: User) -> RankingSnapshot | None:
        """Correct the chosen sheet's changed lines, which finalizes the results again: the new
        snapshot, or None when a value or the service refused (``problems`` say why)."""
        chosen = self.chosen
        if chosen is None:
            return None
        self.typed_reason = self.reason_text
        entries = self._entries(list(chosen.lines.select_related("criterion")))
        if self.problems:
            return None
        try:
            return services.ranking_correct(
                bloc_year=bloc_year,
                corrections={chosen.pk: entries},
                reason=self.typed_reason,
                by=by,
            )
        except ValidationError as error:
            self.problems.extend(error.messages)
            return None

    def _entries(self, lines: Sequence[ScoreLine]) -> dict[int, LineEntry]:
        """The lines whose typed points differ from the verified ones (criterion id → entry);
        a value that cannot be read goes to ``problems``, named by its criterion's code."""
        texts = self.amounts([line.criterion_id for line in lines])
        entries: dict[int, LineEntry] = {}
        for line in lines:
            text = self.typed[line.criterion_id] = texts[line.criterion_id]
            try:
                value = rules.parse_amount(text)
            except rules.InputError as error:
                self.problems.append(f"{line.criterion.code}: {error}")
                continue
            if value is not None and value != line.verified_value:
                entries[line.criterion_id] = LineEntry(value, line.verified_target)
        return entries

    def shown_lines(self) -> list[ScoreLine]:
        """The chosen sheet's lines in the criteria's order, each with ``typed``: the points as
        typed, else as stored."""
        chosen = self.chosen
        if chosen is None:
            return []
        lines = list(chosen.lines.select_related("criterion").order_by("criterion__order"))
        for line in lines:
            stored = format_plain(line.verified_value) if line.verified_value is not None else ""
            line.typed = self.typed.get(line.criterion_id, stored)  # type: ignore[attr-defined]
        return lines
