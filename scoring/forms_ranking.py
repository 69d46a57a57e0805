"""Forms of the publication, complaint and correction pages, and the shared error summary
(the ranking rules form is in ``scoring.forms_rules``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
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


class ComplaintForm(forms.Form):
    """A member's complaint: about which member, which leaf criteria, and why."""

    about_unit = forms.TypedChoiceField(
        label=gettext_lazy("Khiếu nại về điểm của đơn vị"),
        coerce=int,
        error_messages={"required": gettext_lazy("Chọn đơn vị.")},
    )
    criteria = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Các tiêu chí khiếu nại"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Chọn ít nhất một tiêu chí.")},
    )
    text = forms.CharField(
        label=gettext_lazy("Nội dung khiếu nại"),
        help_text=gettext_lazy("Nêu rõ điểm nào chưa đúng và vì sao; có thể dẫn minh chứng."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": gettext_lazy("Ghi nội dung khiếu nại.")},
    )

    def __init__(
        self,
        *args: Any,
        units: Sequence[tuple[int, str]],
        criteria: Sequence[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["about_unit"].choices = list(units)  # type: ignore[attr-defined]
        self.fields["criteria"].choices = list(criteria)  # type: ignore[attr-defined]


ACCEPT = "accept"
REJECT = "reject"


class ComplaintAnswerForm(forms.Form):
    """The secretariat's answer; when accepting, the corrected values of the lines complained
    about (blank leaves a line as it is)."""

    decision = forms.ChoiceField(
        label=gettext_lazy("Quyết định"),
        choices=[
            (ACCEPT, gettext_lazy("Chấp nhận khiếu nại")),
            (REJECT, gettext_lazy("Không chấp nhận khiếu nại")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Chọn chấp nhận hoặc không chấp nhận.")},
    )
    answer = forms.CharField(
        label=gettext_lazy("Trả lời đơn vị"),
        help_text=gettext_lazy("Bắt buộc; khi không chấp nhận, ghi rõ lý do."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": gettext_lazy("Ghi nội dung trả lời.")},
    )

    def __init__(self, *args: Any, lines: Sequence[ScoreLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[self.value_name(line)] = forms.CharField(
                label=_("%(code)s: số nhập sau điều chỉnh") % {"code": line.criterion.code},
                required=False,
                max_length=30,
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off", "class": "cell"}
                ),
            )
        self.corrections: dict[int, LineEntry] = {}

    @staticmethod
    def value_name(line: ScoreLine) -> str:
        return f"value_{line.criterion_id}"

    @property
    def accepted(self) -> bool:
        return self.cleaned_data.get("decision") == ACCEPT

    @property
    def line_rows(self) -> list[tuple[ScoreLine, forms.BoundField]]:
        return [(line, self[self.value_name(line)]) for line in self.lines]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.corrections = {}
        if data.get("decision") != ACCEPT:
            return data  # a rejection changes no points, whatever was typed
        for line in self.lines:
            name = self.value_name(line)
            criterion = line.criterion
            try:
                value = rules.parse_amount(data.get(name))
                if value is None:
                    continue
                rules.check_input(
                    method=criterion.method,
                    max_points=criterion.max_points,
                    step=criterion.criteria_set.step,
                    entry=rules.MethodInput(value, line.verified_target),
                )
            except rules.InputError as error:
                self.add_error(name, str(error))
                continue
            if value != line.verified_value:
                self.corrections[line.criterion_id] = LineEntry(value, line.verified_target)
        return data


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
