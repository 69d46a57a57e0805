"""The form of a band quota counted across blocs (docs/ranking.md): its name, the band, the
share, and the council's bloc-years of the year it counts together."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocs.models import BlocYear, Council, User
from common.forms import show_service_error
from scoring import rules
from scoring.models import BandQuota
from scoring.services.quotas import band_quota_save


class YearForm(forms.Form):
    """The year of the quotas page (``?year=``)."""

    year = forms.IntegerField(min_value=2000, max_value=2100)


class BlocYearsField(forms.ModelMultipleChoiceField):
    """The council's bloc-years of the year, each by its bloc's name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.bloc.name)


class BandQuotaForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Tên hạn mức"),
        max_length=120,
        help_text=gettext_lazy("Ví dụ: Cụm thi đua số 1. Được ghi trong lý do ở bảng xếp hạng."),
    )
    band = forms.CharField(
        label=gettext_lazy("Mức xếp loại"),
        max_length=120,
        help_text=gettext_lazy("Tên mức đúng như trong bảng xếp loại của các khối."),
    )
    share_percent = forms.CharField(
        label=gettext_lazy("Tối đa % số đơn vị"),
        max_length=10,
        help_text=gettext_lazy(
            "Tính trên tổng số đơn vị của các khối chọn dưới đây, làm tròn xuống."
        ),
    )
    bloc_years = BlocYearsField(
        label=gettext_lazy("Các khối tính chung"),
        queryset=BlocYear.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, data: Any, *, council: Council, year: int, quota: BandQuota | None = None
    ) -> None:
        initial = {}
        if quota is not None:
            initial = {
                "name": quota.name,
                "band": quota.band,
                "share_percent": quota.share_text,
                "bloc_years": [bloc_year.pk for bloc_year in quota.bloc_years.all()],
            }
        super().__init__(data, initial=initial)
        self.council, self.year, self.quota = council, year, quota
        field = self.fields["bloc_years"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            BlocYear.objects.filter(bloc__council=council, year=year)
            .select_related("bloc")
            .order_by("bloc__code")
        )

    def clean_share_percent(self) -> Decimal:
        text = self.cleaned_data["share_percent"]
        try:
            value = rules.parse_amount(text)
        except rules.InputError as error:
            raise ValidationError(str(error)) from error
        if value is None:
            raise ValidationError(_("Nhập tỷ lệ phần trăm, ví dụ 20 hoặc 12,5."))
        if not Decimal(0) <= value <= Decimal(100):
            raise ValidationError(_("Tỷ lệ phải từ 0 đến 100."))
        return value

    def save(self, *, by: User) -> BandQuota | None:
        """The quota saved through its service, or None with the refusal on the form."""
        if not self.is_valid():
            return None
        try:
            return band_quota_save(
                council=self.council,
                quota=self.quota,
                name=self.cleaned_data["name"],
                year=self.year,
                band=self.cleaned_data["band"],
                share_percent=self.cleaned_data["share_percent"],
                bloc_year_ids=[bloc_year.pk for bloc_year in self.cleaned_data["bloc_years"]],
                by=by,
            )
        except ValidationError as error:
            show_service_error(self, error)
            return None
