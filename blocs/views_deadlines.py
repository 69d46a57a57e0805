"""The page where a bloc-year's managers set the deadlines of its stages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from blocs import access, deadlines
from blocs.http import AuthenticatedHttpRequest
from common.forms import DayField
from common.navigation import Crumb, home_crumb

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# A text field, day first: a browser's date picker follows the computer's language, and offices
# often run English Windows (03/02/2021 would then read as 2 March).
DATE_WIDGET_ATTRS = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}


def _date_field(field: str, help_text: StrPromise) -> forms.DateField:
    return DayField(
        label=deadlines.STAGE_LABELS[field],
        required=False,
        widget=forms.DateInput(format="%d/%m/%Y", attrs=DATE_WIDGET_ATTRS),
        help_text=help_text,
        error_messages={
            "invalid": gettext_lazy("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/12/2021."),
        },
    )


class DeadlinesForm(forms.Form):
    registration_due = _date_field(
        deadlines.REGISTRATION,
        gettext_lazy(
            "Ngày cuối cùng đơn vị đăng ký danh hiệu thi đua của năm. Khi đặt hạn này, cán bộ "
            "đầu mối của mỗi đơn vị thấy việc “Đăng ký thi đua” trong “Việc của tôi”; sau hạn "
            "chỉ thư ký khối ghi thay được, và bản đăng ký được ghi là nộp muộn."
        ),
    )
    self_assessment_due = _date_field(
        deadlines.SELF_ASSESSMENT,
        gettext_lazy(
            "Ngày cuối cùng đơn vị gửi bảng tự chấm. Sau ngày này chỉ thư ký khối nhập thay "
            "được, và bảng được ghi là nộp muộn."
        ),
    )
    verification_due = _date_field(
        deadlines.VERIFICATION,
        gettext_lazy("Ngày cuối cùng thư ký khối thẩm định xong các bảng điểm."),
    )
    proposals_due = _date_field(
        deadlines.PROPOSALS,
        gettext_lazy(
            "Ngày cuối cùng khối trình đề nghị khen thưởng; trình sau ngày này vẫn được nhận "
            "nhưng được ghi là nộp muộn."
        ),
    )

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year

    def clean(self) -> dict[str, Any]:
        """Every problem at once: the order of the dates too, even when one could not be read
        (the service checks the same rule again)."""
        cleaned = super().clean() or {}
        dates = {field: cleaned.get(field) for field in deadlines.FIELDS}
        for field, message in deadlines.deadline_errors(year=self.year, **dates).items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned


@login_required
@require_http_methods(["GET", "POST"])
def deadlines_edit(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    bloc_year = access.get_bloc_year_for_user(request, bloc_id, year, write=True)
    initial = {field: getattr(bloc_year, field) for field in deadlines.FIELDS}
    form = DeadlinesForm(
        request.POST if request.method == "POST" else None, initial=initial, year=bloc_year.year
    )
    if request.method == "POST" and form.is_valid():
        try:
            deadlines.deadlines_set(bloc_year=bloc_year, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("Đã lưu hạn các bước của năm thi đua."))
            return redirect(bloc_year.get_absolute_url())
    bloc = bloc_year.bloc
    return render(
        request,
        "blocs/deadlines.html",
        {
            "bloc_year": bloc_year,
            "form": form,
            "breadcrumbs": [
                home_crumb(),
                Crumb(bloc.council.name, bloc.council.get_absolute_url()),
                Crumb(bloc.name, bloc.get_absolute_url()),
                Crumb(_("Năm %(year)s") % {"year": year}, bloc_year.get_absolute_url()),
                Crumb(_("Hạn các bước")),
            ],
        },
    )
