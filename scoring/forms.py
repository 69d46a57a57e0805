"""Forms of the scoring pages.

The score grid is not a Django ``Form``: its fields follow the criteria tree. ``GridForm`` reads
the posted cells of the lines a person may edit, keeps every typed value (so a page with an
error shows exactly what was typed), and reports errors per criterion.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocs.models import Unit, User
from common.numbers import format_input
from scoring import rules, tiers
from scoring.layers import Layer
from scoring.models import (
    CriteriaSet,
    Criterion,
    ExplanationRequest,
    ScoreLine,
    ScoreSheet,
    ScoringSeason,
)
from scoring.services import evidence as evidence_services
from scoring.services.sheets import LineEntry


@dataclass
class Cell:
    """What one editable line shows: the typed (or stored) texts and an error, if any."""

    value: str = ""
    target: str = ""
    text: str = ""
    error: str = ""
    question: str = ""  # the secretariat's question to the unit, not yet sent
    files: list[UploadedFile] = field(default_factory=list)  # evidence chosen in the row
    file_error: str = ""


def tier_field() -> forms.CharField:
    """The tier table as text, one row per line ("1–3: 3"), read by scoring/tiers.py."""
    return forms.CharField(
        label=gettext_lazy("Bảng mức"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Khi tính theo bảng mức: mỗi dòng một mức “khoảng: điểm”, ví dụ “0: 5”, “1–3: 3”, "
            "“>7: 0”; “80–<95: 7” là từ 80 đến dưới 95, “≥95: 10” là từ 95 trở lên."
        ),
    )


def show_tiers(form: forms.ModelForm) -> None:
    """A criterion's stored table written back as text, one row per line."""
    if not form.is_bound:
        form.initial["tiers"] = tiers.table_text(tiers.from_json(form.instance.tiers), "\n")


def clean_tiers(form: forms.BaseForm, data: dict[str, Any]) -> None:
    """The table typed as text becomes its rows (kept as JSON), checked by the pure rule
    against the maximum; each problem is said at the box, naming its row. Only a line scored
    by a tier table keeps one."""
    if "tiers" not in data:
        return
    if data.get("method") != rules.TIER:
        data["tiers"] = []
        return
    rows, problems = tiers.parse_table(data["tiers"])
    if not problems:
        problems = tiers.check_table(rows, data.get("max_points"))
    for problem in problems:
        form.add_error("tiers", problem)
    if not problems:
        data["tiers"] = tiers.to_json(rows)


def _stored(amount: Decimal | None, method: str) -> str:
    if amount is None:
        return ""
    if method == rules.PASS_FAIL:
        return "1" if amount == 1 else "0"
    if method == rules.PER_OCCURRENCE:
        return str(int(amount))
    return format_input(amount)


@dataclass
class GridForm:
    """The grid's cells: the points (and target, note or reason) of every line this person
    edits and, where they may, a question to the unit (``ask``: the verifier) and evidence
    files chosen in the row (``upload``: the unit, or the secretariat entering a paper sheet).
    ``questions`` starts from the drafts already kept (criterion id → text).
    ``answering``: the unit is answering questions, so the rows' links to their line's page
    are buttons that keep the answers typed (views/sheets.py, ``_open_line``)."""

    layer: Layer
    editable: dict[int, ScoreLine]  # criterion id → line the person may edit
    data: QueryDict | None = None
    cells: dict[int, Cell] = field(default_factory=dict)
    entries: dict[int, LineEntry] = field(default_factory=dict)
    version: int | None = None
    ask: bool = False
    questions: dict[int, str] = field(default_factory=dict)
    upload: bool = False
    files: MultiValueDict[str, UploadedFile] | None = None
    # The unit answering questions: a row's evidence link keeps the answers being written.
    answering: bool = False

    def __post_init__(self) -> None:
        for criterion_id, line in self.editable.items():
            method = line.criterion.method
            value, target, text = Layer(self.layer).entry_of(line)
            cell = Cell(_stored(value, method), _stored(target, method), text)
            cell.question = self.questions.get(criterion_id, "")
            self.cells[criterion_id] = cell
        if self.data is not None:
            self._read(self.data)

    def _read(self, data: QueryDict) -> None:
        try:
            self.version = int(data.get("version", ""))
        except ValueError:
            self.version = None
        for criterion_id, cell in self.cells.items():
            cell.value = data.get(f"v-{criterion_id}", "").strip()
            cell.target = data.get(f"t-{criterion_id}", "").strip()
            cell.text = data.get(f"x-{criterion_id}", "")
            if self.ask:
                cell.question = data.get(f"q-{criterion_id}", "")
            if self.upload and self.files is not None:
                cell.files = [item for item in self.files.getlist(f"f-{criterion_id}") if item.size]
            try:
                value = rules.parse_amount(cell.value)
                target = rules.parse_amount(cell.target)
            except rules.InputError as error:
                cell.error = str(error)
                continue
            self.entries[criterion_id] = LineEntry(value, target, cell.text)

    def add_errors(self, by_criterion: Mapping[int, str]) -> None:
        for criterion_id, message in by_criterion.items():
            if criterion_id in self.cells:
                self.cells[criterion_id].error = message

    def add_file_errors(self, by_criterion: Mapping[int, str]) -> None:
        for criterion_id, message in by_criterion.items():
            if criterion_id in self.cells:
                self.cells[criterion_id].file_error = message

    @property
    def errors(self) -> dict[int, str]:
        """Every cell's problem: its value's, else its file's."""
        return {
            criterion_id: cell.error or cell.file_error
            for criterion_id, cell in self.cells.items()
            if cell.error or cell.file_error
        }

    @property
    def typed_questions(self) -> dict[int, str]:
        """The question typed in each row (blank ones included: a cleared draft goes)."""
        return {criterion_id: cell.question for criterion_id, cell in self.cells.items()}

    @property
    def uploads(self) -> dict[int, list[UploadedFile]]:
        return {criterion_id: cell.files for criterion_id, cell in self.cells.items() if cell.files}

    def is_valid(self) -> bool:
        return self.version is not None and not self.errors


class SheetTextsForm(forms.Form):
    """What the sheet page posts besides the grid (``GridForm``), each as typed: the button
    (``action``), the reason to reopen verification, the secretariat's notes on explanations
    (``note-<explanation id>``), the unit's answers (``a-<explanation id>``) and the files sent
    with them (``af-<explanation id>``)."""

    PREFIXES = ("note-", "a-")

    action = forms.CharField(required=False, strip=False)
    reason = forms.CharField(required=False, strip=False)

    def __init__(
        self, data: QueryDict | None, files: MultiValueDict[str, UploadedFile] | None = None
    ) -> None:
        super().__init__(data, files)
        for key in data or {}:
            for prefix in self.PREFIXES:
                if key.startswith(prefix) and key[len(prefix) :].isdigit():
                    self.fields[key] = forms.CharField(required=False, strip=False)
        self.is_valid()

    def text(self, name: str) -> str:
        return str(self.cleaned_data.get(name) or "")

    def texts(self, prefix: str) -> dict[int, str]:
        """The texts of one kind (``note-`` or ``a-``) by their explanation's id."""
        return {
            int(name[len(prefix) :]): self.text(name)
            for name in self.fields
            if name.startswith(prefix) and name[len(prefix) :].isdigit()
        }

    def answer_files(self) -> dict[int, list[UploadedFile]]:
        """The files chosen for each answer, by explanation id (the service checks them)."""
        return {
            int(key[3:]): self.files.getlist(key)
            for key in self.files
            if key.startswith("af-") and key[3:].isdigit()
        }


class OpenScoringForm(forms.Form):
    criteria_set = forms.ModelChoiceField(
        label=gettext_lazy("Bảng tiêu chí"), queryset=CriteriaSet.objects.none(), empty_label=None
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Hình thức chấm"), choices=ScoringSeason.Mode.choices
    )
    peer_drop_extremes = forms.BooleanField(
        label=gettext_lazy("Khi chấm chéo, bỏ một điểm cao nhất và một điểm thấp nhất"),
        required=False,
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, criteria_sets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criteria_set"].queryset = criteria_sets  # type: ignore[attr-defined]


class SheetsVerifyForm(forms.Form):
    """The sheets ticked on the progress page, to mark verified at once. ``sheets`` are the
    bloc-year's, less the person's own unit's (nobody verifies their own sheet)."""

    sheets = forms.ModelMultipleChoiceField(
        queryset=ScoreSheet.objects.none(),
        error_messages={
            "required": gettext_lazy("Chọn ít nhất một bảng điểm."),
            "invalid_choice": gettext_lazy("Một bảng điểm đã chọn không thuộc danh sách này."),
            "invalid_pk_value": gettext_lazy("Một bảng điểm đã chọn không thuộc danh sách này."),
        },
    )

    def __init__(self, *args: Any, queryset: QuerySet[ScoreSheet], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ticks = self.fields["sheets"]
        assert isinstance(ticks, forms.ModelMultipleChoiceField)
        ticks.queryset = queryset.select_related("bloc_year__bloc", "unit").order_by("pk")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class NotApplicableForm(forms.Form):
    not_applicable = forms.BooleanField(
        label=gettext_lazy("Tiêu chí không áp dụng cho đơn vị này"), required=False
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("not_applicable") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Ghi lý do tiêu chí không áp dụng cho đơn vị."))
        return data


class CouncilAdjustmentForm(forms.Form):
    amount = forms.CharField(
        label=gettext_lazy("Điều chỉnh (có thể âm, để trống để bỏ)"), required=False, max_length=20
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def clean_amount(self) -> Decimal | None:
        try:
            return rules.parse_amount(self.cleaned_data.get("amount"))
        except rules.InputError as error:
            raise forms.ValidationError(str(error)) from None


class EvidenceForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp minh chứng (PDF, PNG, JPG)"))

    def save(self, *, sheet: ScoreSheet, line: ScoreLine, by: User) -> bool:
        """Attach the file to the line (while the sheet is returned, to the open question on
        it); False when refused, every reason at the file."""
        open_question = (
            ExplanationRequest.objects.filter(
                line=line, status=ExplanationRequest.Status.OPEN
            ).first()
            if sheet.state == ScoreSheet.State.RETURNED
            else None
        )
        try:
            evidence_services.evidence_add(
                line=line, upload=self.cleaned_data["file"], by=by, explanation=open_question
            )
        except ValidationError as error:
            for message in error.message_dict.get("file", error.messages):
                self.add_error("file", message)
            return False
        return True


def localize_decimals(form: forms.BaseForm, *names: str) -> None:
    """Decimal fields that accept and show ``95,5``: a text box (a number box cannot show a
    comma) with the decimal keypad on phones."""
    for name in names:
        field = form.fields[name]
        field.localize = True
        field.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        field.widget.is_localized = True


class CriterionForm(forms.ModelForm):
    tiers = tier_field()

    class Meta:
        model = Criterion
        fields = [
            "code",
            "title",
            "guidance",
            "max_points",
            "kind",
            "method",
            "points_per_occurrence",
            "tiers",
            "tier_unit",
            "floor_percent",
            "scored_by",
            "scorer_unit",
            "order",
        ]
        widgets = {
            "guidance": forms.Textarea(attrs={"rows": 3}),
            "title": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, criteria_set: CriteriaSet | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize_decimals(self, "max_points", "points_per_occurrence", "floor_percent")
        self.fields["order"].required = False
        show_tiers(self)
        self.fields["scorer_unit"].queryset = scorer_unit_choices(  # type: ignore[attr-defined]
            criteria_set, self.instance.scorer_unit_id
        )
        self.fields["scorer_unit"].help_text = _(
            "Bắt buộc khi tiêu chí do sở, ngành được giao chấm; để trống trong các trường hợp khác."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("method") == Criterion.Method.PER_OCCURRENCE
            and data.get("points_per_occurrence") is None
        ):
            self.add_error("points_per_occurrence", _("Nhập số điểm cho mỗi lần."))
        clean_tiers(self, data)
        # A department named exactly when a department scores (the model's check constraint,
        # said at the field).
        department = data.get("scored_by") == Criterion.ScoredBy.DEPARTMENT
        if department and data.get("scorer_unit") is None and "scorer_unit" not in self.errors:
            self.add_error("scorer_unit", _("Chọn sở, ngành được giao chấm tiêu chí này."))
        elif not department and data.get("scorer_unit") is not None:
            self.add_error(
                "scorer_unit",
                _("Chỉ chọn sở, ngành chấm khi tiêu chí do sở, ngành được giao chấm."),
            )
        return data


def scorer_unit_choices(criteria_set: CriteriaSet | None, current_id: int | None) -> Any:
    """The units that may score a criterion: the active units of the set's council in the
    set's year (and the one already chosen, even if it has closed since)."""
    chosen = Q(pk=current_id) if current_id is not None else Q(pk__in=[])
    if criteria_set is None:
        return Unit.objects.filter(chosen)
    first, last = datetime.date(criteria_set.year, 1, 1), datetime.date(criteria_set.year, 12, 31)
    active = (Q(active_from__isnull=True) | Q(active_from__lte=last)) & (
        Q(active_until__isnull=True) | Q(active_until__gte=first)
    )
    return Unit.objects.filter(Q(council_id=criteria_set.council_id) & active | chosen).order_by(
        "name"
    )


class CriteriaSetForm(forms.ModelForm):
    class Meta:
        model = CriteriaSet
        fields = ["name", "bonus_cap", "step"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize_decimals(self, "bonus_cap", "step")
