"""Forms of the council admins' award pages: rule sets, award types and their gates, a
bloc-year's quotas, decisions and the council vote."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from awards.models import Authority, AwardGrant, AwardType, Decision, Proposal, RuleSet
from awards.services import catalogue as catalogue_services
from awards.services import decisions as decision_services
from awards.services.catalogue import AWARD_TYPE_FIELDS, RULE_SET_FIELDS
from awards.services.decisions import normalise_number, number_is_valid
from blocs.models import BlocYear, Council, User
from common.forms import DayField, show_service_error
from scoring.forms import localize_decimals

# The classification bands of the law (source strings, as snapshots store them).
BANDS = [
    gettext_noop("Hoàn thành xuất sắc nhiệm vụ"),
    gettext_noop("Hoàn thành tốt nhiệm vụ"),
    gettext_noop("Hoàn thành nhiệm vụ"),
    gettext_noop("Không hoàn thành nhiệm vụ"),
]
DATE_ATTRS = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}


class RuleSetForm(forms.ModelForm):
    class Meta:
        model = RuleSet
        fields = list(RULE_SET_FIELDS)
        widgets = {
            "legal_basis": forms.Textarea(attrs={"rows": 5}),
            "valid_from": forms.DateInput(attrs=DATE_ATTRS),
            "valid_until": forms.DateInput(attrs=DATE_ATTRS),
        }
        field_classes = {"valid_from": DayField, "valid_until": DayField}
        help_texts = {
            "valid_from": gettext_lazy("Ngày/tháng/năm; để trống nếu áp dụng từ trước."),
            "valid_until": gettext_lazy("Để trống nếu đang áp dụng."),
            "bloc_vote_threshold_percent": gettext_lazy(
                "Tỷ lệ phiếu đồng ý trên tổng số thành viên của khối, ví dụ 50."
            ),
            "quorum_numerator": gettext_lazy(
                "Hội nghị bỏ phiếu hợp lệ khi có mặt ít nhất tử số/mẫu số thành viên (2/3)."
            ),
            "council_vote_threshold_percent": gettext_lazy(
                "Cờ thi đua cần số thành viên Hội đồng đồng ý ít nhất bằng tỷ lệ này của tổng "
                "số thành viên (80 theo Nghị định 98/2023)."
            ),
            "government_flag_warning_percent": gettext_lazy(
                "Cảnh báo (không chặn) khi số Cờ thi đua của Chính phủ đề nghị vượt tỷ lệ này "
                "của số khối (20)."
            ),
            "proposal_deadline_day": gettext_lazy(
                "Hạn nộp hồ sơ đề nghị hằng năm; để trống nếu không có."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize_decimals(
            self,
            "bloc_vote_threshold_percent",
            "council_vote_threshold_percent",
            "government_flag_warning_percent",
        )
        for name in ("valid_from", "valid_until"):
            self.fields[name].widget.attrs.update(DATE_ATTRS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Said at the field, before the model's check constraint says it in general terms.
        numerator, denominator = data.get("quorum_numerator"), data.get("quorum_denominator")
        if denominator == 0:
            self.add_error("quorum_denominator", _("Mẫu số phải lớn hơn 0."))
        elif numerator is not None and denominator is not None and numerator > denominator:
            self.add_error("quorum_numerator", _("Tử số không được lớn hơn mẫu số."))
        return data


class AwardTypeForm(forms.ModelForm):
    """Every gate of an award, with the codes of its rule set's other awards to choose from."""

    required_bands = forms.MultipleChoiceField(
        label=gettext_lazy("Xếp loại được xét"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Để trống: không xét xếp loại."),
    )
    requires_award_code = forms.ChoiceField(
        label=gettext_lazy("Phải cùng được đề nghị"),
        required=False,
        help_text=gettext_lazy("Khen thưởng khác mà đơn vị phải được đề nghị trong cùng năm."),
    )
    history_award_code = forms.ChoiceField(
        label=gettext_lazy("Danh hiệu phải đạt các năm trước"), required=False
    )

    class Meta:
        model = AwardType
        fields = list(AWARD_TYPE_FIELDS)
        help_texts = {
            "name": gettext_lazy("Tên in trong tờ trình và quyết định."),
            "authority": gettext_lazy(
                "Theo luật của giai đoạn. Tờ trình đề nghị Chủ tịch UBND tỉnh quyết định tặng "
                "những khen thưởng thuộc thẩm quyền của Chủ tịch, trình Thủ tướng Chính phủ những "
                "khen thưởng của Thủ tướng; quyết định khen thưởng phải đúng cấp này."
            ),
            "quota_count": gettext_lazy(
                "Số đơn vị tối đa mỗi khối được đề nghị mỗi năm; để trống nếu không giới hạn "
                "hoặc tính theo tỷ lệ. Khối có thể ghi số lượng riêng."
            ),
            "max_rank": gettext_lazy(
                "Đơn vị phải xếp hạng này trở lên (1: dẫn đầu khối); để trống nếu không xét."
            ),
            "history_years": gettext_lazy("0: không xét thành tích các năm trước."),
            "needs_ballot": gettext_lazy("Đơn vị phải đạt ngưỡng phiếu bầu tại hội nghị khối."),
            "needs_council_vote": gettext_lazy(
                "Hội đồng Thi đua - Khen thưởng tỉnh bỏ phiếu; cần đạt ngưỡng của bộ quy định."
            ),
            "min_completing_percent": gettext_lazy("Danh hiệu tập thể: ví dụ 100."),
            "min_advanced_percent": gettext_lazy("Danh hiệu tập thể: ví dụ 70."),
            "advanced_strictly_above": gettext_lazy(
                "Chọn nếu phải trên tỷ lệ (Luật 2003: trên 50%), không chỉ bằng."
            ),
            "min_emulation_fighters": gettext_lazy("Danh hiệu tập thể: ví dụ 1."),
            "no_discipline": gettext_lazy("Không có cá nhân bị kỷ luật từ khiển trách trở lên."),
        }

    def __init__(self, *args: Any, codes: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize_decimals(
            self,
            "quota_share_percent",
            "min_ballot_share_percent",
            "min_completing_percent",
            "min_advanced_percent",
        )
        own = self.instance.code if self.instance else ""
        blank = [("", _("(không)"))]
        labelled = [(code, f"{name} ({code})") for code, name in codes]
        self._choices("requires_award_code", blank + [c for c in labelled if c[0] != own])
        self._choices("history_award_code", blank + labelled)
        current = list(self.instance.required_bands or []) if self.instance else []
        self._choices(
            "required_bands",
            [(band, _(band)) for band in BANDS]
            + [(band, band) for band in current if band not in BANDS],
        )

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class QuotasForm(forms.Form):
    """One override box per award of the year's rule set; blank keeps the rule set's quota."""

    def __init__(self, *args: Any, rows: Sequence[tuple[AwardType, int | None]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.awards = [award for award, _default in rows]
        for award, default in rows:
            self.fields[self.field_name(award)] = forms.IntegerField(
                label=award.name,
                required=False,
                min_value=0,
                max_value=999,
                help_text=(
                    _("Theo bộ quy định: %(quota)s") % {"quota": default}
                    if default is not None
                    else _("Bộ quy định không giới hạn số lượng.")
                ),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "narrow-input"}),
            )

    @staticmethod
    def field_name(award: AwardType) -> str:
        return f"quota_{award.pk}"

    def save(self, *, bloc_year: BlocYear, by: User) -> int | None:
        """Set the overrides that changed from the initial ones, all or none; how many changed,
        or None (with the service's errors on the form) when refused."""
        changed = 0
        try:
            with transaction.atomic():
                for award in self.awards:
                    value = self.cleaned_data[self.field_name(award)]
                    if value != self.initial.get(self.field_name(award)):
                        catalogue_services.quota_set(
                            bloc_year=bloc_year, award_type=award, quota=value, by=by
                        )
                        changed += 1
        except ValidationError as error:
            show_service_error(self, error)
            return None
        return changed


class DecisionForm(forms.Form):
    council = forms.TypedChoiceField(label=gettext_lazy("Hội đồng"), coerce=int)
    number = forms.CharField(
        label=gettext_lazy("Số quyết định"),
        max_length=60,
        help_text=gettext_lazy("Ví dụ: 123/QĐ-UBND."),
    )
    authority = forms.ChoiceField(
        label=gettext_lazy("Cấp quyết định"),
        required=False,
        choices=[("", gettext_lazy("Theo ký hiệu của số quyết định")), *Authority.choices],
        help_text=gettext_lazy(
            "…/QĐ-UBND: Chủ tịch Ủy ban nhân dân tỉnh; …/QĐ-TTg: Thủ tướng Chính phủ. Chỉ ghi "
            "được theo quyết định những khen thưởng thuộc thẩm quyền của cấp này."
        ),
    )
    date = DayField(
        label=gettext_lazy("Ngày quyết định"),
        widget=forms.DateInput(attrs=DATE_ATTRS),
        help_text=gettext_lazy("Ngày/tháng/năm, ví dụ 25/03/2021."),
    )
    signer_title = forms.CharField(
        label=gettext_lazy("Chức vụ người ký"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Ví dụ: Chủ tịch Ủy ban nhân dân tỉnh."),
    )
    signer_name = forms.CharField(
        label=gettext_lazy("Họ tên người ký"), max_length=150, required=False
    )
    file = forms.FileField(
        label=gettext_lazy("Tệp quyết định (PDF, tối đa 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args: Any, councils: Sequence[Council], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.councils = {council.pk: council for council in councils}
        field = self.fields["council"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(council.pk, council.name) for council in councils]

    def save(self, *, by: User) -> Decision | None:
        """Record the decision; None (with the service's errors on the form) when refused."""
        data = self.cleaned_data
        try:
            return decision_services.decision_record(
                council=data["council"],
                number=data["number"],
                date=data["date"],
                signer_title=data["signer_title"],
                signer_name=data["signer_name"],
                upload=data["file"] or None,
                by=by,
                authority=data["authority"],
            )
        except ValidationError as error:
            show_service_error(self, error)
            return None

    def clean_council(self) -> Council:
        return self.councils[self.cleaned_data["council"]]

    def clean_number(self) -> str:
        number = normalise_number(self.cleaned_data["number"])
        if not number_is_valid(number):
            raise forms.ValidationError(_("Số quyết định chưa đúng dạng, ví dụ: 123/QĐ-UBND."))
        return number

    def clean_date(self) -> datetime.date:
        date: datetime.date = self.cleaned_data["date"]
        if date.year < 2000:
            raise forms.ValidationError(_("Ngày quyết định chưa đúng."))
        return date


class AttachForm(forms.Form):
    """A checklist of approved, undecided proposals; a flag also takes the council vote."""

    def __init__(
        self,
        *args: Any,
        proposals: Sequence[Proposal],
        default_total: int | None,
        authority: str = Authority.PROVINCIAL_CHAIRMAN,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.proposals = list(proposals)
        self.authority = authority  # the decision's: other awards are marked, and refused
        for proposal in self.proposals:
            unit_name = proposal.unit.name_in_year(proposal.bloc_year.year)
            named = f"{unit_name} – {proposal.award_type.name}"
            self.fields[f"proposal_{proposal.pk}"] = forms.BooleanField(label=named, required=False)
            if proposal.award_type.needs_council_vote:
                self.fields[f"total_{proposal.pk}"] = forms.IntegerField(
                    label=_("%(proposal)s: tổng số thành viên Hội đồng") % {"proposal": named},
                    required=False,
                    min_value=1,
                    max_value=999,
                    initial=default_total,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
                self.fields[f"votes_{proposal.pk}"] = forms.IntegerField(
                    label=_("%(proposal)s: số thành viên đồng ý") % {"proposal": named},
                    required=False,
                    min_value=0,
                    max_value=999,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.chosen():
            raise forms.ValidationError(_("Chọn ít nhất một đề nghị để đưa vào quyết định."))
        for proposal in self.chosen():
            if not proposal.award_type.needs_council_vote:
                continue
            total = data.get(f"total_{proposal.pk}")
            votes = data.get(f"votes_{proposal.pk}")
            if total is None and f"total_{proposal.pk}" not in self.errors:
                self.add_error(f"total_{proposal.pk}", _("Nhập tổng số thành viên Hội đồng."))
            if votes is None and f"votes_{proposal.pk}" not in self.errors:
                self.add_error(f"votes_{proposal.pk}", _("Nhập số thành viên đồng ý."))
        return data

    def save(self, *, decision: Decision, by: User) -> list[AwardGrant] | None:
        """Attach the ticked proposals; None (with the service's errors) when refused."""
        try:
            return decision_services.decision_attach(
                decision=decision, proposals=self.chosen(), votes=self.votes(), by=by
            )
        except ValidationError as error:
            show_service_error(self, error)
            return None

    def chosen(self) -> list[Proposal]:
        data = getattr(self, "cleaned_data", {})
        return [p for p in self.proposals if data.get(f"proposal_{p.pk}")]

    def votes(self) -> dict[int, tuple[int | None, int | None]]:
        return {
            p.pk: (self.cleaned_data.get(f"total_{p.pk}"), self.cleaned_data.get(f"votes_{p.pk}"))
            for p in self.chosen()
        }
