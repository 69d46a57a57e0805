"""Forms of the complaint pages: a member's complaint and the secretariat's answer, each with
files sent as proof (checked by the service with the evidence's checks)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring import rules
from scoring.models import ScoreLine
from scoring.services.sheets import LineEntry


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ProofFilesField(forms.FileField):
    """Files sent as proof with a complaint or its answer: a list, maybe empty. What a file is
    and how big is checked by the service, with the evidence's checks."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}
            ),
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else [data]
        single = super().clean  # (a comprehension has no zero-argument super)
        return [single(item, initial) for item in items if item]


PROOF_FILES_HELP = gettext_lazy(
    "Biên bản, văn bản kèm theo: tệp PDF, PNG hoặc JPG, như tệp minh chứng; chọn được nhiều tệp."
)
FILES_AGAIN = gettext_lazy("Tệp đã chọn chưa được gửi vì chưa gửi được biểu mẫu; hãy chọn lại tệp.")


class ProofFilesMixin:
    """A form with ``attachments`` chosen: when it is refused the browser cannot show them again, so
    the field says to choose them again (nothing else typed is lost)."""

    def files_again(self) -> None:
        form: Any = self
        chosen = form.files.getlist("attachments") if form.is_bound else []
        if chosen and not form.errors.get("attachments"):
            form.add_error("attachments", str(FILES_AGAIN))


class ComplaintForm(ProofFilesMixin, forms.Form):
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
    attachments = ProofFilesField(label=gettext_lazy("Tệp kèm theo"), help_text=PROOF_FILES_HELP)

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
        # A year ranked without points (by vote) has no criteria: the text says what is wrong.
        self.fields["criteria"].required = bool(criteria)


ACCEPT = "accept"
REJECT = "reject"


class ComplaintAnswerForm(ProofFilesMixin, forms.Form):
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
    attachments = ProofFilesField(
        label=gettext_lazy("Tệp kèm theo trả lời"), help_text=PROOF_FILES_HELP
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
                    tiers=criterion.tier_table,
                )
            except rules.InputError as error:
                self.add_error(name, str(error))
                continue
            if value != line.verified_value:
                self.corrections[line.criterion_id] = LineEntry(value, line.verified_target)
        return data
