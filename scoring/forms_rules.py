"""The ranking rules form: how the bloc ranks (by points or by vote alone, with the vote band
table), the ordered tie-break chain, the band table (with each band's floors
on sections and on every criterion), what a section with no task counts, and whether a
deduction needs an explanation first.

A plain ``Form`` with one row of fields per tie-break key and per band (the band table grows by
two empty rows each time it is shown). Errors the service finds about a whole group (the
tie-break chain, the band table) are kept apart from field errors so the page can show them at
the group, and every error also goes to the summary at the top.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.forms import show_service_error
from common.numbers import format_plain
from scoring import ranking, rules, vote_ranking
from scoring.forms_ranking import SummaryItem
from scoring.ranking import Band
from scoring.vote_ranking import VoteBand

EXTRA_BAND_ROWS = 2
MAX_BAND_ROWS = 20
VOTE_BAND_ROWS = 4
GROUPS = ("tie_breaks", "bands", "vote_bands")


def _percent_text(value: Decimal) -> str:
    return format_plain(value)


class RankingRulesForm(forms.Form):
    """The ordered tie-break chain and the band table of a bloc-year or a council, and whether
    a deduction stands only after the unit was asked to explain it."""

    band_rows = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_BAND_ROWS)
    mode = forms.ChoiceField(
        label=gettext_lazy("Cách xếp hạng"),
        choices=[
            (
                vote_ranking.POINTS,
                gettext_lazy(
                    "Chấm điểm: thành viên tự chấm theo bảng tiêu chí, khối thẩm định, xếp hạng "
                    "theo tổng điểm"
                ),
            ),
            (
                vote_ranking.VOTES,
                gettext_lazy(
                    "Bình xét bằng phiếu: không chấm điểm; thư ký khối ghi số phiếu đồng ý của "
                    "từng thành viên, xếp hạng theo tỷ lệ phiếu"
                ),
            ),
        ],
        initial=vote_ranking.POINTS,
        required=False,  # not sent: kept as it is
        widget=forms.RadioSelect,
    )
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
    empty_sections = forms.ChoiceField(
        label=gettext_lazy("Mục không có nhiệm vụ"),
        choices=[
            (
                rules.PRO_RATA,
                gettext_lazy(
                    "Quy đổi theo tỷ lệ: mục không tính, điểm các mục còn lại được quy đổi lên "
                    "tổng điểm tối đa (ví dụ 72/80 thành 90/100)"
                ),
            ),
            (
                rules.FULL_POINTS,
                gettext_lazy(
                    "Tính đủ điểm: mục được tính bằng điểm tối đa của mục, như đơn vị đã hoàn "
                    "thành (không bao giờ làm tổng điểm thấp đi)"
                ),
            ),
        ],
        initial=rules.PRO_RATA,
        required=False,  # not sent: kept as it is
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Áp dụng khi mọi tiêu chí của một mục lớn đều không áp dụng cho đơn vị. Tiêu chí "
            "không áp dụng lẻ trong một mục còn nhiệm vụ vẫn được quy đổi theo tỷ lệ."
        ),
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
        empty_sections: str = rules.PRO_RATA,
        mode: str = vote_ranking.POINTS,
        vote_bands: Sequence[VoteBand] = (),
    ) -> None:
        super().__init__(data)
        self.fields["explanation_required"].initial = explanation_required
        self.fields["empty_sections"].initial = empty_sections
        self.fields["mode"].initial = mode
        self._vote_band_fields(vote_bands)
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
                # Wide enough for "Hoàn thành xuất sắc nhiệm vụ".
                widget=forms.TextInput(attrs={"class": "band-name"}),
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
            criterion_floor = band.criterion_floor_percent if band else None
            self.fields[f"band_{index}_criterion"] = forms.CharField(
                label=_("Mức %(number)s: mức sàn mỗi tiêu chí (%%)") % {"number": number},
                required=False,
                max_length=20,
                initial="" if criterion_floor is None else _percent_text(criterion_floor),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "cell"}),
            )
            cap = band.cap_percent if band else None
            self.fields[f"band_{index}_cap"] = forms.CharField(
                label=_("Mức %(number)s: tối đa %% số đơn vị") % {"number": number},
                required=False,
                max_length=20,
                initial="" if cap is None else _percent_text(cap),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "cell"}),
            )
        self.group_errors: dict[str, list[str]] = {group: [] for group in GROUPS}
        self.tie_breaks: list[str] = []
        self.bands: list[dict[str, str]] = []
        self.vote_bands: list[dict[str, str]] = []

    def _vote_band_fields(self, bands: Sequence[VoteBand]) -> None:
        for index in range(VOTE_BAND_ROWS):
            band = bands[index] if index < len(bands) else None
            number = index + 1
            self.fields[f"vote_{index}_name"] = forms.CharField(
                label=_("Mức theo phiếu %(number)s: tên") % {"number": number},
                required=False,
                max_length=200,
                initial=band.name if band else "",
                # Wide enough for "Hoàn thành xuất sắc nhiệm vụ".
                widget=forms.TextInput(attrs={"class": "band-name"}),
            )
            self.fields[f"vote_{index}_above"] = forms.CharField(
                label=_("Mức theo phiếu %(number)s: trên … %% số phiếu") % {"number": number},
                required=False,
                max_length=20,
                initial="" if band is None or band.above is None else _percent_text(band.above),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "cell"}),
            )

    @property
    def vote_band_table(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [
            (index + 1, self[f"vote_{index}_name"], self[f"vote_{index}_above"])
            for index in range(VOTE_BAND_ROWS)
        ]

    def _clean_vote_bands(self) -> None:
        """The vote band table: rows with a name, the last one without a share."""
        self.vote_bands = []
        for index in range(VOTE_BAND_ROWS):
            name = (self.data.get(f"vote_{index}_name") or "").strip()
            above_text = (self.data.get(f"vote_{index}_above") or "").strip()
            if not (name or above_text):
                continue
            if not name:
                self.add_error(f"vote_{index}_name", _("Nhập tên mức xếp loại."))
                continue
            band = {"name": name}
            if above_text:
                above = self._percent(f"vote_{index}_above", above_text)
                if above is None:
                    continue
                band["above_percent"] = f"{above.normalize():f}"
            self.vote_bands.append(band)

    # Rows for the template ------------------------------------------------------------

    @property
    def tie_break_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (ranking.tie_break_label(key), self[f"use_{key}"], self[f"order_{key}"])
            for key in self.order
        ]

    @property
    def band_table(
        self,
    ) -> list[
        tuple[
            int,
            forms.BoundField,
            forms.BoundField,
            forms.BoundField,
            forms.BoundField,
            forms.BoundField,
        ]
    ]:
        return [
            (
                index + 1,
                self[f"band_{index}_name"],
                self[f"band_{index}_min"],
                self[f"band_{index}_floor"],
                self[f"band_{index}_criterion"],
                self[f"band_{index}_cap"],
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
            criterion_text = (self.data.get(f"band_{index}_criterion") or "").strip()
            cap_text = (self.data.get(f"band_{index}_cap") or "").strip()
            if not (name or minimum_text or floor_text or criterion_text or cap_text):
                continue  # an empty row: nothing to add
            if not name:
                self.add_error(f"band_{index}_name", _("Nhập tên mức xếp loại."))
            minimum = self._percent(f"band_{index}_min", minimum_text)
            floor = self._percent(f"band_{index}_floor", floor_text)
            # Blank: no floor on each criterion for this band (the rules before issue 18).
            criterion = (
                self._percent(f"band_{index}_criterion", criterion_text) if criterion_text else None
            )
            # Blank: no cap on the number of units in this band.
            cap = self._percent(f"band_{index}_cap", cap_text) if cap_text else None
            if (criterion_text and criterion is None) or (cap_text and cap is None):
                continue
            if name and minimum is not None and floor is not None:
                band = {
                    "name": name,
                    "min_total_percent": f"{minimum.normalize():f}",
                    "floor_percent": f"{floor.normalize():f}",
                }
                if criterion is not None:
                    band["criterion_floor_percent"] = f"{criterion.normalize():f}"
                if cap is not None:
                    band["cap_percent"] = f"{cap.normalize():f}"
                self.bands.append(band)
        self._clean_vote_bands()
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
        group_labels = {
            "tie_breaks": _("Tiêu chí phụ khi bằng điểm"),
            "bands": _("Bảng xếp loại"),
            "vote_bands": _("Bảng xếp loại theo phiếu"),
        }
        anchors = {"tie_breaks": "tie-breaks", "bands": "bands", "vote_bands": "vote-bands"}
        for group in GROUPS:
            for text in self.group_errors[group]:
                items.append(SummaryItem(anchors[group], f"{group_labels[group]}: {text}"))
        for bound in self:
            for error in bound.errors:
                items.append(SummaryItem(bound.id_for_label, f"{bound.label}: {error}"))
        return items
