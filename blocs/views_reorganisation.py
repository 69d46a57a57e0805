"""Reorganisation pages: the council admin's tool (describe, preview, confirm) and the public
lineage of a council. The forms live here because only these views use them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from blocs import access
from blocs.http import AuthenticatedHttpRequest
from blocs.lineage import council_lineage
from blocs.models import Council, Unit
from blocs.reorganisation.apply import PreviewOutdated, reorganisation_apply
from blocs.reorganisation.preview import Preview, reorganisation_preview
from blocs.reorganisation.request import NewUnit, Operation, Reorganisation, short_date
from common.forms import DayField, pressed, show_service_error
from common.navigation import Crumb, home_crumb

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
    def label_from_instance(self, obj: Any) -> str:
        return unit_label(obj)


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return unit_label(obj)


def _unit_field(queryset: Any, label: Any, *, required: bool = True) -> UnitChoiceField:
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
        fields: dict[str, forms.Field] = {}
        if operation == Operation.MERGE:
            fields["units"] = UnitsChoiceField(
                queryset=units,
                label=_("Các đơn vị bị sáp nhập"),
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "invalid_choice": INVALID_UNIT,
                    "invalid_pk_value": INVALID_UNIT,
                    "required": _("Chọn ít nhất một đơn vị bị sáp nhập."),
                },
            )
        else:
            fields["unit"] = _unit_field(
                units,
                {
                    Operation.RENAME: _("Đơn vị đổi tên"),
                    Operation.SPLIT: _("Đơn vị chia tách"),
                    Operation.TRANSFER: _("Đơn vị chuyển chức năng, nhiệm vụ"),
                }[Operation(operation)],
            )
        fields["effective_date"] = self.fields.pop("effective_date")
        if operation == Operation.RENAME:
            fields["new_name"] = forms.CharField(label=_("Tên mới"), max_length=200)
            fields["new_short_name"] = forms.CharField(
                label=_("Tên viết tắt mới"), max_length=100, required=False
            )
        if operation in (Operation.MERGE, Operation.TRANSFER):
            fields["target"] = _unit_field(
                units,
                _("Đơn vị tiếp nhận")
                if operation == Operation.MERGE
                else _("Đơn vị nhận chức năng, nhiệm vụ"),
                required=operation == Operation.TRANSFER,
            )
        if operation == Operation.MERGE:
            fields["target"].help_text = _(
                "Để trống nếu các đơn vị hợp nhất thành một đơn vị mới; khi đó nhập đơn vị mới "
                "ở dưới."
            )
            fields["new_code"] = forms.CharField(
                label=_("Mã đơn vị mới"), max_length=20, required=False
            )
            fields["new_name"] = forms.CharField(
                label=_("Tên đơn vị mới"), max_length=200, required=False
            )
            fields["new_short_name"] = forms.CharField(
                label=_("Tên viết tắt của đơn vị mới"), max_length=100, required=False
            )
            fields["new_kind"] = forms.ChoiceField(
                label=_("Loại đơn vị mới"), choices=Unit.Kind.choices, required=False
            )
        if operation == Operation.SPLIT:
            fields["original_ends"] = forms.BooleanField(
                label=_("Đơn vị cũ chấm dứt hoạt động (các đơn vị mới thay thế hoàn toàn)"),
                required=False,
                initial=True,
            )
        fields["note"] = forms.CharField(
            label=_("Chức năng, nhiệm vụ được chuyển")
            if operation == Operation.TRANSFER
            else _("Căn cứ, ghi chú"),
            help_text=_("Ví dụ: Quyết định số 15/QĐ-UBND ngày 25/02/2025 của UBND tỉnh."),
            widget=forms.Textarea(attrs={"rows": 3}),
            required=False,
        )
        self.fields = fields


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


def _request_from(
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


def _show_at_fields(form: forms.Form, formset: Any, error: ValidationError) -> None:
    """The service names the field (``show_service_error``); the new units' problems go to
    their formset."""
    if hasattr(error, "error_dict") and "new_units" in error.error_dict and formset is not None:
        problems = error.error_dict.pop("new_units")
        formset._non_form_errors = formset.error_class(
            [message for problem in problems for message in problem.messages]
        )
    show_service_error(form, error)


def _preview(
    form: ReorganisationForm, formset: Any, council: Council, operation: str
) -> Preview | None:
    """The preview of a valid form, or None with the service's refusal at its fields."""
    if not form.is_valid() or (formset is not None and not formset.is_valid()):
        return None
    try:
        return reorganisation_preview(request=_request_from(form, formset, council, operation))
    except ValidationError as error:
        _show_at_fields(form, formset, error)
        return None


def _crumbs(council: Council, *tail: Crumb) -> list[Crumb]:
    return [home_crumb(), Crumb(council.name, council.get_absolute_url()), *tail]


@login_required
@require_safe
def reorganisation(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The start of the tool: which kind of reorganisation to record."""
    council = access.get_council_for_admin(request, code)
    return render(
        request,
        "blocs/reorganisation.html",
        {
            "council": council,
            "nav_active": "reorganisation",
            "breadcrumbs": _crumbs(council, Crumb(_("Sắp xếp tổ chức"))),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reorganisation_form(
    request: AuthenticatedHttpRequest, code: str, operation: str
) -> HttpResponse:
    """Describe the change, see what it will do, confirm. Nothing is written before the
    confirmation, and the confirmation writes what the preview showed or nothing."""
    council = access.get_council_for_admin(request, code)
    if operation not in Operation.values:
        raise Http404
    form = ReorganisationForm(
        request.POST if request.method == "POST" else None, council=council, operation=operation
    )
    data = form.data if form.is_bound else None
    formset = (
        NewUnitFormSet(data, prefix="new", form_kwargs={"council": council})
        if operation == Operation.SPLIT
        else None
    )
    preview = _preview(form, formset, council, operation) if data is not None else None
    outdated = False
    if preview is not None and data is not None and pressed(data) == "apply":
        outdated = pressed(data, "digest") != preview.digest
        try:
            if not outdated:
                reorganisation_apply(preview=preview, by=request.user)
                messages.success(request, _("Đã ghi nhận sắp xếp tổ chức."))
                return redirect(reverse("blocs:council-lineage", args=[council.code]))
        except PreviewOutdated:
            outdated = True
        except ValidationError as error:  # the data changed so that the request cannot be
            _show_at_fields(form, formset, error)
            preview = None
    elif data is not None and data.get("action") == "edit":
        preview = None
    label = Operation(operation).label
    return render(
        request,
        "blocs/reorganisation_preview.html" if preview else "blocs/reorganisation_form.html",
        {
            "council": council,
            "operation": operation,
            "operation_label": label,
            "form": form,
            "formset": formset,
            "preview": preview,
            "outdated": outdated,
            "nav_active": "reorganisation",
            "breadcrumbs": _crumbs(
                council,
                Crumb(_("Sắp xếp tổ chức"), reverse("blocs:reorganisation", args=[council.code])),
                Crumb(label),
            ),
        },
    )


@require_safe
def lineage(request: HttpRequest, code: str) -> HttpResponse:
    """Public: where the council came from and went, and what became of its units."""
    council = access.get_council(code)
    return render(
        request,
        "blocs/council_lineage.html",
        {
            "council": council,
            "lineage": council_lineage(council),
            "can_reorganise": access.is_council_admin(request.user, council.pk),
            "breadcrumbs": _crumbs(council, Crumb(_("Lịch sử sắp xếp tổ chức"))),
        },
    )
