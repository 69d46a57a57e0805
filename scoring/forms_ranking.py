"""Forms of the ranking rules, publication and correction pages (the complaint forms are in
``forms_complaints``).

The rules form is a plain ``Form`` with one row of fields per tie-break key and per band (the
band table grows by two empty rows each time it is shown). Errors the service finds about a
whole group (the tie-break chain, the band table) are kept apart from field errors so the page
can show them at the group, and every error also goes to the summary at the top.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocs.models import BlocYear, User
from common.forms import show_service_error
from common.numbers import format_plain
from scoring import ranking, rules
from scoring.models import RankingSnapshot, ScoreLine, ScoreSheet
from scoring.ranking import Band
from scoring.services import ranking as services
from scoring.services.sheets import LineEntry

EXTRA_BAND_ROWS = 2
MAX_BAND_ROWS = 20
GROUPS = ("tie_breaks", "bands")


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


def _percent_text(value: Decimal) -> str:
    return format_plain(value)


class RankingRulesForm(forms.Form):
    """The ordered tie-break chain and the band table of a bloc-year or a council, and whether
    a deduction stands only after the unit was asked to explain it."""

    band_rows = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_BAND_ROWS)
    explanation_required = forms.BooleanField(
        label=gettext_lazy("Chỉ trừ điểm sau khi đơn vị được yêu cầu giải trình"),
        help_text=gettext_lazy(
            "Khi chọn, thư ký khối chỉ hoàn thành thẩm định được khi mọi tiêu chí bị chấm thấp "
            "hơn điểm tự chấm đã qua một lượt giải trình: đơn vị được hỏi, đã trả lời và thư ký "
            "khối đã chấp nhận hoặc không chấp nhận. Không chọn: thư ký khối hạ điểm, ghi lý "
            "do, không bắt buộc hỏi đơn vị."
        ),
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_explanation_required-hint"}),
    )
    # Shown once scoring has opened: a change then needs its reason (services.rules).
    reason = forms.CharField(
        label=gettext_lazy("Lý do thay đổi"),
        help_text=gettext_lazy(
            "Khối đã mở chấm điểm: ghi lý do. Thay đổi được ghi vào nhật ký, báo cho các "
            "thành viên và nêu trên trang xếp hạng."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        tie_breaks: Sequence[str],
        bands: Sequence[Band],
        explanation_required: bool = False,
    ) -> None:
        super().__init__(data)
        self.fields["explanation_required"].initial = explanation_required
        self.row_count = min(len(bands) + EXTRA_BAND_ROWS, MAX_BAND_ROWS)
        if data is not None:
            with contextlib.suppress(TypeError, ValueError):
                self.row_count = max(1, min(int(data.get("band_rows", "")), MAX_BAND_ROWS))
        self.fields["band_rows"].initial = self.row_count
        # Rows in the order they apply now: the chosen keys first, the unused ones after.
        self.order = [key for key in tie_breaks if key in ranking.TIE_BREAKS] + [
            key for key in ranking.TIE_BREAKS if key not in tie_breaks
        ]
        for position, key in enumerate(self.order, start=1):
            label = ranking.tie_break_label(key)
            self.fields[f"use_{key}"] = forms.BooleanField(
                label=_("Dùng “%(label)s”") % {"label": label},
                required=False,
                initial=key in tie_breaks,
            )
            self.fields[f"order_{key}"] = forms.IntegerField(
                label=_("Thứ tự của “%(label)s”") % {"label": label},
                required=False,
                min_value=1,
                max_value=len(ranking.TIE_BREAKS),
                initial=position,
                widget=forms.NumberInput(attrs={"class": "cell"}),
            )
        for index in range(self.row_count):
            band = bands[index] if index < len(bands) else None
            number = index + 1
            self.fields[f"band_{index}_name"] = forms.CharField(
                label=_("Mức %(number)s: tên") % {"number": number},
                required=False,
                max_length=200,
                initial=band.name if band else "",
            )
            self.fields[f"band_{index}_min"] = forms.CharField(
                label=_("Mức %(number)s: tổng điểm tối thiểu (%%)") % {"number": number},
                required=False,
                max_length=20,
                initial=_percent_text(band.min_total_percent) if band else "",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "cell"}),
            )
            self.fields[f"band_{index}_floor"] = forms.CharField(
                label=_("Mức %(number)s: mức sàn mỗi mục (%%)") % {"number": number},
                required=False,
                max_length=20,
                initial=_percent_text(band.floor_percent) if band else "",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "cell"}),
            )
        self.group_errors: dict[str, list[str]] = {group: [] for group in GROUPS}
        self.tie_breaks: list[str] = []
        self.bands: list[dict[str, str]] = []

    # Rows for the template ------------------------------------------------------------

    @property
    def tie_break_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (ranking.tie_break_label(key), self[f"use_{key}"], self[f"order_{key}"])
            for key in self.order
        ]

    @property
    def band_table(self) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (
                index + 1,
                self[f"band_{index}_name"],
                self[f"band_{index}_min"],
                self[f"band_{index}_floor"],
            )
            for index in range(self.row_count)
        ]

    # Cleaning --------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: list[tuple[int, int, str]] = []
        for key in ranking.TIE_BREAKS:
            if not data.get(f"use_{key}"):
                continue
            order = data.get(f"order_{key}")
            if order is None:
                if f"order_{key}" not in self.errors:
                    self.add_error(f"order_{key}", _("Nhập thứ tự cho tiêu chí phụ được dùng."))
                continue
            chosen.append((order, ranking.TIE_BREAKS.index(key), key))
        orders = [order for order, _index, _key in chosen]
        for order, _index, key in chosen:
            if orders.count(order) > 1:
                self.add_error(f"order_{key}", _("Hai tiêu chí phụ không được cùng thứ tự."))
        self.tie_breaks = [key for _order, _index, key in sorted(chosen)]
        self.bands = []
        for index in range(self.row_count):
            name = (self.data.get(f"band_{index}_name") or "").strip()
            minimum_text = (self.data.get(f"band_{index}_min") or "").strip()
            floor_text = (self.data.get(f"band_{index}_floor") or "").strip()
            if not (name or minimum_text or floor_text):
                continue  # an empty row: nothing to add
            if not name:
                self.add_error(f"band_{index}_name", _("Nhập tên mức xếp loại."))
            minimum = self._percent(f"band_{index}_min", minimum_text)
            floor = self._percent(f"band_{index}_floor", floor_text)
            if name and minimum is not None and floor is not None:
                self.bands.append(
                    {
                        "name": name,
                        "min_total_percent": f"{minimum.normalize():f}",
                        "floor_percent": f"{floor.normalize():f}",
                    }
                )
        return data

    def _percent(self, name: str, text: str) -> Decimal | None:
        if name in self.errors:
            return None
        try:
            value = rules.parse_amount(text)
        except rules.InputError as error:
            self.add_error(name, str(error))
            return None
        if value is None:
            self.add_error(name, _("Nhập tỷ lệ phần trăm, ví dụ 90 hoặc 92,5."))
            return None
        if not Decimal(0) <= value <= Decimal(100):
            self.add_error(name, _("Tỷ lệ phải từ 0 đến 100."))
            return None
        return value

    def add_service_error(self, error: ValidationError) -> None:
        """The service's complaint about a whole group goes to that group; others as usual."""
        if hasattr(error, "error_dict"):
            for key, errors in error.error_dict.items():
                messages = [message for item in errors for message in item.messages]
                if key in self.group_errors:
                    self.group_errors[key].extend(messages)
                else:
                    show_service_error(self, ValidationError({key: messages}))
        else:
            show_service_error(self, error)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(self.group_errors.values())

    @property
    def summary(self) -> list[SummaryItem]:
        items = [SummaryItem(None, str(message)) for message in self.non_field_errors()]
        group_labels = {"tie_breaks": _("Tiêu chí phụ khi bằng điểm"), "bands": _("Bảng xếp loại")}
        anchors = {"tie_breaks": "tie-breaks", "bands": "bands"}
        for group in GROUPS:
            for text in self.group_errors[group]:
                items.append(SummaryItem(anchors[group], f"{group_labels[group]}: {text}"))
        for bound in self:
            for error in bound.errors:
                items.append(SummaryItem(bound.id_for_label, f"{bound.label}: {error}"))
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
