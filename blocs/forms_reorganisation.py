"""Forms of the reorganisation tool (``blocs.views_reorganisation``): the fields of one kind
of reorganisation, the new units of a split, and the request and preview they make."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocs.models import Council, Unit
from blocs.reorganisation.preview import Preview, reorganisation_preview
from blocs.reorganisation.request import NewUnit, Operation, Reorganisation, short_date
from common.forms import DayField, show_service_error

DATE_ATTRS = {"inputmode": "numeric", "autocomplete": "off", "placeholder": "dd/mm/yyyy"}
INVALID_UNIT = gettext_lazy("Đơn vị không thuộc hội đồng này, hoặc không còn trong danh sách.")


def unit_label(unit: Unit) -> str:
    if unit.active_until:
        return _("%(name)s (%(code)s) – hoạt động đến %(day)s") % {
            "name": unit.name,
            "code": unit.code,
            "day": short_date(unit.active_until),
        }
    return f"{unit.name} ({unit.code})"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return unit_label(obj)


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return unit_label(obj)


def _unit_field(queryset: QuerySet[Unit], label: Any, *, required: bool = True) -> UnitChoiceField:
    return UnitChoiceField(
        queryset=queryset,
        label=label,
        required=required,
        empty_label=_("— Chọn đơn vị —"),
        error_messages={"invalid_choice": INVALID_UNIT, "required": _("Chọn đơn vị.")},
    )


class ReorganisationForm(forms.Form):
    """The fields of one kind of reorganisation; the service checks what the fields cannot."""

    effective_date = DayField(
        label=gettext_lazy("Có hiệu lực từ ngày"),
        widget=forms.DateInput(format="%d/%m/%Y", attrs=DATE_ATTRS),
        help_text=gettext_lazy("Ngày/tháng/năm theo quyết định, ví dụ 01/03/2025."),
        error_messages={
            "required": gettext_lazy("Nhập ngày có hiệu lực."),
            "invalid": gettext_lazy("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 01/03/2025."),
        },
    )

    def __init__(self, *args: Any, council: Council, operation: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.council, self.operation = council, operation
        units = Unit.objects.filter(council=council).order_by("name")
        kind = Operation(operation)
        self.fields = {
            **_subject_fields(units, kind),
            "effective_date": self.fields["effective_date"],
            **_new_name_fields(kind),
            **_target_fields(units, kind),
            **_new_unit_fields(kind),
            **_split_fields(kind),
            "note": _note_field(kind),
        }


def _subject_fields(units: QuerySet[Unit], operation: Operation) -> dict[str, forms.Field]:
    """The unit the reorganisation changes, or the units a merger joins."""
    if operation != Operation.MERGE:
        label = {
            Operation.RENAME: _("Đơn vị đổi tên"),
            Operation.SPLIT: _("Đơn vị chia tách"),
            Operation.TRANSFER: _("Đơn vị chuyển chức năng, nhiệm vụ"),
        }[operation]
        return {"unit": _unit_field(units, label)}
    return {
        "units": UnitsChoiceField(
            queryset=units,
            label=_("Các đơn vị bị sáp nhập"),
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": INVALID_UNIT,
                "invalid_pk_value": INVALID_UNIT,
                "required": _("Chọn ít nhất một đơn vị bị sáp nhập."),
            },
        )
    }


def _new_name_fields(operation: Operation) -> dict[str, forms.Field]:
    if operation != Operation.RENAME:
        return {}
    return {
        "new_name": forms.CharField(label=_("Tên mới"), max_length=200),
        "new_short_name": forms.CharField(
            label=_("Tên viết tắt mới"), max_length=100, required=False
        ),
    }


def _target_fields(units: QuerySet[Unit], operation: Operation) -> dict[str, forms.Field]:
    """The unit that receives: optional in a merger (a new unit may receive instead)."""
    if operation == Operation.TRANSFER:
        return {"target": _unit_field(units, _("Đơn vị nhận chức năng, nhiệm vụ"))}
    if operation != Operation.MERGE:
        return {}
    target = _unit_field(units, _("Đơn vị tiếp nhận"), required=False)
    target.help_text = _(
        "Để trống nếu các đơn vị hợp nhất thành một đơn vị mới; khi đó nhập đơn vị mới ở dưới."
    )
    return {"target": target}


def _new_unit_fields(operation: Operation) -> dict[str, forms.Field]:
    """The new unit a merger may create."""
    if operation != Operation.MERGE:
        return {}
    return {
        "new_code": forms.CharField(label=_("Mã đơn vị mới"), max_length=20, required=False),
        "new_name": forms.CharField(label=_("Tên đơn vị mới"), max_length=200, required=False),
        "new_short_name": forms.CharField(
            label=_("Tên viết tắt của đơn vị mới"), max_length=100, required=False
        ),
        "new_kind": forms.ChoiceField(
            label=_("Loại đơn vị mới"), choices=Unit.Kind.choices, required=False
        ),
    }


def _split_fields(operation: Operation) -> dict[str, forms.Field]:
    if operation != Operation.SPLIT:
        return {}
    return {
        "original_ends": forms.BooleanField(
            label=_("Đơn vị cũ chấm dứt hoạt động (các đơn vị mới thay thế hoàn toàn)"),
            required=False,
            initial=True,
        )
    }


def _note_field(operation: Operation) -> forms.Field:
    return forms.CharField(
        label=_("Chức năng, nhiệm vụ được chuyển")
        if operation == Operation.TRANSFER
        else _("Căn cứ, ghi chú"),
        help_text=_("Ví dụ: Quyết định số 15/QĐ-UBND ngày 25/02/2025 của UBND tỉnh."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class NewUnitForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Mã"), max_length=20)
    name = forms.CharField(label=gettext_lazy("Tên đơn vị mới"), max_length=200)
    short_name = forms.CharField(label=gettext_lazy("Tên viết tắt"), max_length=100, required=False)
    joins_blocs = forms.BooleanField(
        label=gettext_lazy("Tham gia khối thi đua của đơn vị cũ (các năm đang mở)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.council = council

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        if Unit.objects.filter(council=self.council, code=code).exists():
            raise ValidationError(_("Mã %(code)s đã có đơn vị dùng.") % {"code": code})
        return code


class BaseNewUnitFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        codes = [form.cleaned_data["code"] for form in self.forms if form.cleaned_data]
        if not codes:
            raise ValidationError(_("Nhập ít nhất một đơn vị mới."))
        if len(set(codes)) != len(codes):
            raise ValidationError(_("Các đơn vị mới phải có mã khác nhau."))


NewUnitFormSet = forms.formset_factory(
    NewUnitForm, formset=BaseNewUnitFormSet, extra=3, max_num=10, validate_max=True
)


def new_units_formset(data: Any, council: Council, operation: str) -> Any:
    """The new units of a split (None for the other kinds)."""
    if operation != Operation.SPLIT:
        return None
    return NewUnitFormSet(data, prefix="new", form_kwargs={"council": council})


def request_from(
    form: ReorganisationForm, formset: Any, council: Council, operation: str
) -> Reorganisation:
    data = form.cleaned_data
    new_unit = None
    if operation == Operation.MERGE and (data["new_code"].strip() or data["new_name"].strip()):
        new_unit = NewUnit(
            code=data["new_code"].strip(),
            name=data["new_name"].strip(),
            short_name=data["new_short_name"].strip(),
            kind=data["new_kind"] or Unit.Kind.DEPARTMENT,
        )
    new_units: tuple[NewUnit, ...] = ()
    if formset is not None:
        template = data.get("unit")
        new_units = tuple(
            NewUnit(
                code=row["code"],
                name=row["name"].strip(),
                short_name=row["short_name"].strip(),
                kind=template.kind if template else Unit.Kind.DEPARTMENT,
                joins_blocs=row["joins_blocs"],
            )
            for row in (f.cleaned_data for f in formset.forms)
            if row
        )
    units = tuple(data["units"]) if "units" in data else (data["unit"],)
    return Reorganisation(
        council=council,
        operation=operation,
        effective_date=data["effective_date"],
        units=units,
        target=data.get("target"),
        new_unit=new_unit,
        new_name=data.get("new_name", "") if operation == Operation.RENAME else "",
        new_short_name=data.get("new_short_name", "") if operation == Operation.RENAME else "",
        new_units=new_units,
        original_ends=data.get("original_ends", True),
        note=data["note"].strip(),
    )


def show_at_fields(form: forms.Form, formset: Any, error: ValidationError) -> None:
    """The service names the field (``show_service_error``); the new units' problems go to
    their formset."""
    if hasattr(error, "error_dict") and "new_units" in error.error_dict and formset is not None:
        problems = error.error_dict.pop("new_units")
        formset._non_form_errors = formset.error_class(
            [message for problem in problems for message in problem.messages]
        )
    show_service_error(form, error)


def preview_of(
    form: ReorganisationForm, formset: Any, council: Council, operation: str
) -> Preview | None:
    """The preview of a valid form, or None with the service's refusal at its fields."""
    if not form.is_valid() or (formset is not None and not formset.is_valid()):
        return None
    try:
        return reorganisation_preview(request=request_from(form, formset, council, operation))
    except ValidationError as error:
        show_at_fields(form, formset, error)
        return None
