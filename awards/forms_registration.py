"""The form of a unit's emulation registration (đăng ký thi đua)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from awards.models import AwardType, Registration
from awards.services import registration as services
from blocs.models import BlocYear, Unit, User
from common.forms import show_service_error


class RegistrationForm(forms.Form):
    """The awards of the year's catalogue the unit aims for, and its pledge."""

    awards = forms.MultipleChoiceField(
        label=gettext_lazy("Danh hiệu, hình thức khen thưởng đăng ký"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Chọn ít nhất một danh hiệu đăng ký.")},
    )
    pledge = forms.CharField(
        label=gettext_lazy("Nội dung đăng ký, cam kết (không bắt buộc)"),
        required=False,
        max_length=services.MAX_PLEDGE,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Các chỉ tiêu, mục tiêu đơn vị phấn đấu trong năm; in trong bảng tổng hợp đăng ký."
        ),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        catalogue: list[AwardType],
        registration: Registration | None,
    ) -> None:
        initial = (
            {}
            if registration is None
            else {
                "awards": [award.code for award in registration.awards.all()],
                "pledge": registration.pledge,
            }
        )
        super().__init__(data, initial=initial)
        field = self.fields["awards"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(award.code, award.name) for award in catalogue]

    def save(self, *, bloc_year: BlocYear, unit: Unit, by: User) -> Registration | None:
        """Record the registration; None (with the service's refusal on the form) when refused."""
        try:
            return services.registration_save(
                bloc_year=bloc_year,
                unit=unit,
                award_codes=self.cleaned_data["awards"],
                pledge=self.cleaned_data["pledge"],
                by=by,
            )
        except ValidationError as error:
            show_service_error(self, error)
            return None
