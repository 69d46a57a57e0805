"""Forms of the proposals pages and of the leaders' review."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from awards.models import AwardType, Proposal, ProposalEvent
from awards.services import proposals as proposal_services
from awards.services.review import note_missing
from blocs.models import BlocYear, Unit, User
from common.forms import show_service_error


class UnitChoiceField(forms.ModelChoiceField):
    """Units shown with the name they carried in the bloc-year's year."""

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        self.year = year
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name_in_year(self.year))


class ProposalAddForm(forms.Form):
    """Propose any member for any award by hand (its findings are shown; only submission is
    blocked by them)."""

    unit = forms.ModelChoiceField(label=gettext_lazy("Đơn vị"), queryset=Unit.objects.none())
    award_type = forms.ModelChoiceField(
        label=gettext_lazy("Hình thức khen thưởng"), queryset=AwardType.objects.none()
    )

    def save(self, *, bloc_year: BlocYear, by: User) -> Proposal | None:
        """Propose; None (with the service's errors on the form) when refused."""
        try:
            return proposal_services.proposal_create(
                bloc_year=bloc_year,
                unit=self.cleaned_data["unit"],
                award_type=self.cleaned_data["award_type"],
                by=by,
            )
        except ValidationError as error:
            show_service_error(self, error)
            return None

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        award_types: QuerySet[AwardType],
        year: int,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", "add")
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(
            label=gettext_lazy("Đơn vị"),
            queryset=units,
            year=year,
            empty_label=gettext_lazy("– Chọn đơn vị –"),
        )
        self.fields["award_type"].queryset = award_types  # type: ignore[attr-defined]
        self.fields["award_type"].empty_label = gettext_lazy(  # type: ignore[attr-defined]
            "– Chọn hình thức khen thưởng –"
        )


class SummaryForm(forms.Form):
    """The summary of achievements; ``save`` raises the service's ``ProposalConflict`` (someone
    saved meanwhile) and its ``ValidationError`` (the proposal can no longer be edited): the page
    shows the first on the form and the second as a message."""

    summary = forms.CharField(
        label=gettext_lazy("Tóm tắt thành tích"),
        help_text=gettext_lazy(
            "Những thành tích chính của đơn vị trong năm, như trong tờ trình đề nghị khen thưởng."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        max_length=20000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def save(self, *, proposal: Proposal, by: User) -> None:
        proposal_services.proposal_update_summary(
            proposal=proposal,
            summary=self.cleaned_data["summary"],
            version=self.cleaned_data["version"],
            by=by,
        )


def clean_note(form: forms.Form, data: dict[str, Any]) -> dict[str, Any]:
    """The note of a review form, stripped, checked by the one rule (``note_missing``)."""
    data["note"] = (data.get("note") or "").strip()
    problem = note_missing(str(data.get("action") or ""), data["note"])
    if problem is not None:
        form.add_error("note", problem)
    return data


class ReviewForm(forms.Form):
    class Action:
        APPROVE = "approve"
        RETURN = "return"
        REJECT = "reject"

    action = forms.ChoiceField(
        label=gettext_lazy("Ý kiến của lãnh đạo"),
        choices=[
            (Action.APPROVE, gettext_lazy("Duyệt")),
            (Action.RETURN, gettext_lazy("Trả lại để thư ký khối hoàn thiện")),
            (Action.REJECT, gettext_lazy("Không duyệt")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Chọn duyệt, trả lại hoặc không duyệt.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú hoặc lý do"),
        help_text=gettext_lazy("Bắt buộc khi trả lại hoặc không duyệt."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )

    def clean(self) -> dict[str, Any]:
        return clean_note(self, super().clean() or {})


NOT_IN_QUEUE = gettext_lazy("Một đề nghị đã chọn không còn trong danh sách duyệt.")


class ReviewBatchForm(forms.Form):
    """Approve, or return with one note, the proposals ticked in the queue (``proposals`` are
    limited to those this leader may review: ``access.reviewable_proposals``)."""

    proposals = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Đề nghị đã chọn"),
        queryset=Proposal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Chọn ít nhất một đề nghị."),
            "invalid_choice": gettext_lazy("Một đề nghị đã chọn không còn trong danh sách duyệt."),
            "invalid_pk_value": gettext_lazy(
                "Một đề nghị đã chọn không còn trong danh sách duyệt."
            ),
        },
    )
    action = forms.ChoiceField(
        label=gettext_lazy("Ý kiến chung cho các đề nghị đã chọn"),
        choices=[
            (ProposalEvent.Action.APPROVE, gettext_lazy("Duyệt")),
            (ProposalEvent.Action.RETURN, gettext_lazy("Trả lại để thư ký khối hoàn thiện")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Chọn duyệt hoặc trả lại.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú chung"),
        help_text=gettext_lazy("Bắt buộc khi trả lại; ghi vào từng đề nghị đã chọn."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )

    def __init__(self, *args: Any, queryset: QuerySet[Proposal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ticks = self.fields["proposals"]
        assert isinstance(ticks, forms.ModelMultipleChoiceField)
        ticks.queryset = queryset.select_related("bloc_year__bloc", "unit", "award_type").order_by(
            "submitted_at", "pk"
        )

    def clean(self) -> dict[str, Any]:
        return clean_note(self, super().clean() or {})

    def chosen_ids(self) -> set[str]:
        """The ids ticked, as sent: the queue ticks them again when the form is refused."""
        return {str(value) for value in self["proposals"].value() or []} if self.is_bound else set()
