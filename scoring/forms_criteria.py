"""Forms of the criteria set pages: a new set (a secretariat only picks its bloc-year, which
fixes the council and the year), a copy to another year, the set's settings and a criterion, the
last two on top of ``scoring.forms`` with amounts typed the Vietnamese way (``0,25``). Each
form's save (``create``, ``save``, ``save_criterion``) goes through ``scoring.services.criteria``
and returns None when the service refused, with the reason shown by ``show_at_fields``, which
puts a service's refusal at the field it names.
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocs.models import BlocYear, Council, User
from common.forms import show_service_error
from scoring import rules
from scoring.forms import CriteriaSetForm, CriterionForm
from scoring.models import CriteriaSet, Criterion
from scoring.services import criteria as services


def _decimal_inputs(form: forms.BaseForm, *names: str) -> None:
    """Amounts typed the Vietnamese way (``0,25``). A browser's number input would refuse the
    comma and show a stored ``0,25`` as empty, so these are text inputs with a decimal keypad."""
    for name in names:
        field = form.fields[name]
        field.localize = True
        field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
        field.widget.is_localized = True
        field.widget.is_required = field.required


class CriteriaSetNewForm(forms.ModelForm):
    """A new set. A secretariat only picks its bloc-year, which fixes the council and year."""

    class Meta:
        model = CriteriaSet
        fields = ["council", "year", "bloc_year", "name", "bonus_cap", "step"]

    def __init__(
        self,
        *args: Any,
        councils: QuerySet[Council],
        bloc_years: QuerySet[BlocYear],
        secretariat_only: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _decimal_inputs(self, "bonus_cap", "step")
        self.secretariat_only = secretariat_only
        self.fields["bloc_year"].queryset = bloc_years  # type: ignore[attr-defined]
        if secretariat_only:
            del self.fields["council"], self.fields["year"]
            self.fields["bloc_year"].required = True
            self.fields["bloc_year"].help_text = _(
                "Bảng tiêu chí dùng riêng cho khối bạn làm thư ký, trong năm của khối."
            )
        else:
            self.fields["council"].queryset = councils  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        bloc_year = data.get("bloc_year")
        council = data.get("council")
        year = data.get("year")
        if (
            bloc_year is not None
            and council is not None
            and bloc_year.bloc.council_id != council.pk
        ):
            self.add_error("bloc_year", _("Khối này không thuộc hội đồng đã chọn."))
        elif bloc_year is not None and year is not None and bloc_year.year != year:
            self.add_error(
                "bloc_year", _("Chọn một năm thi đua của khối trong năm %(year)s.") % {"year": year}
            )
        return data

    def create(self, *, by: User) -> CriteriaSet | None:
        """The new set, for the council and year chosen (a secretariat's: its bloc-year's)."""
        data = self.cleaned_data
        bloc_year = data["bloc_year"]
        try:
            return services.criteria_set_create(
                council=bloc_year.bloc.council if self.secretariat_only else data["council"],
                year=bloc_year.year if self.secretariat_only else data["year"],
                name=data["name"],
                by=by,
                bloc_year=bloc_year,
                bonus_cap=data["bonus_cap"],
                step=data["step"],
            )
        except ValidationError as error:
            show_at_fields(self, error)
            return None


class CriteriaSetCloneForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Năm áp dụng"), min_value=2000, max_value=2100)
    bloc_year = forms.ModelChoiceField(
        label=gettext_lazy("Dùng riêng cho"),
        queryset=BlocYear.objects.none(),
        required=False,
        help_text=gettext_lazy("Để trống nếu bảng dùng chung cho các khối của hội đồng trong năm."),
    )
    name = forms.CharField(
        label=gettext_lazy("Tên bảng mới"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Để trống để dùng tên bảng gốc, với năm mới thay cho năm cũ."),
    )

    def __init__(
        self, *args: Any, bloc_years: QuerySet[BlocYear], bloc_year_required: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["bloc_year"]
        field.queryset = bloc_years  # type: ignore[attr-defined]
        if bloc_year_required:
            field.required = True
            field.help_text = _("Bản sao dùng riêng cho khối bạn làm thư ký, trong năm áp dụng.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        bloc_year, year = data.get("bloc_year"), data.get("year")
        if bloc_year is not None and year is not None and bloc_year.year != year:
            self.add_error(
                "bloc_year", _("Chọn một năm thi đua của khối trong năm %(year)s.") % {"year": year}
            )
        return data

    def save(self, *, source: CriteriaSet, by: User) -> CriteriaSet | None:
        """The copy of ``source``, not frozen: it may be edited before it is used."""
        data = self.cleaned_data
        try:
            return services.criteria_set_clone(
                source=source,
                year=data["year"],
                by=by,
                bloc_year=data["bloc_year"],
                name=data["name"].strip() or None,
            )
        except ValidationError as error:
            show_at_fields(self, error)
            return None


class CriteriaSetPageForm(CriteriaSetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _decimal_inputs(self, "bonus_cap", "step")


# The fields of a criterion the service takes as they were cleaned: the form's own, but its code
# (a criterion's code is changed apart).
_CRITERION_FIELDS = tuple(name for name in CriterionForm.Meta.fields if name != "code")


class CriterionPageForm(CriterionForm):
    def __init__(self, *args: Any, criteria_set: CriteriaSet, **kwargs: Any) -> None:
        super().__init__(*args, criteria_set=criteria_set, **kwargs)
        self.criteria_set = criteria_set
        _decimal_inputs(self, "max_points", "points_per_occurrence", "floor_percent")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Said at the field here, before the model's check constraint says it in English.
        if data.get("method") == rules.PER_OCCURRENCE and data.get("points_per_occurrence") is None:
            self.add_error("points_per_occurrence", _("Nhập số điểm cho mỗi lần."))
        return data

    def save_criterion(self, criterion: Criterion | None, *, by: User) -> Criterion | None:
        """Save a new criterion, or ``criterion`` changed. The service works on a copy: a
        refused save leaves ``criterion`` as stored, and the service still sees the stored
        values to record old → new."""
        data = self.cleaned_data
        code = data["code"].strip().rstrip(".")
        parent_code = rules.parent_code_of(code)
        if (
            criterion is not None
            and parent_code is not None
            and f"{parent_code}.".startswith(f"{criterion.code}.")
        ):
            self.add_error("code", _("Một tiêu chí không thể nằm dưới chính nó."))
            return None
        try:
            return services.criterion_save(
                criteria_set=self.criteria_set,
                by=by,
                criterion=copy.copy(criterion) if criterion else None,
                code=code,
                **{name: data[name] for name in _CRITERION_FIELDS},
            )
        except ValidationError as error:
            show_at_fields(self, error)
        except IntegrityError:
            # Two people added the same code at once; the second is told, not a 500.
            self.add_error("code", _("Mã này đã có trong bảng tiêu chí."))
        return None


def show_at_fields(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal at the field it names (``show_service_error``); a clash of
    criterion codes at the code."""
    if hasattr(error, "error_dict") and "code" in form.fields:
        moved: dict[str, list[ValidationError]] = {}
        for field, problems in error.error_dict.items():
            for problem in problems:
                unique = problem.code in ("unique", "unique_together")
                if field == NON_FIELD_ERRORS and unique:
                    moved.setdefault("code", []).append(
                        ValidationError(_("Mã này đã có trong bảng tiêu chí."))
                    )
                else:
                    moved.setdefault(field, []).append(problem)
        error = ValidationError(moved)
    show_service_error(form, error)
