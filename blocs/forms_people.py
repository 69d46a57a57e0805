"""Forms of the people pages. A refused form shows everything typed again, each problem at its
field: the fields take any text and ``clean`` asks ``blocs.people.rules`` for every problem at
once (the services ask again when they write)."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocs.models import Unit, User
from blocs.people import rules, selectors, services, upload
from blocs.people.reading import Problem, Reading
from common.exporters import XLSX
from common.forms import show_service_error
from common.uploads import CSV, check_upload

INVALID_UNIT = gettext_lazy("Chọn một đơn vị trong danh sách.")


def unit_label(unit: Unit, *, with_council: bool = False) -> str:
    """ "Sở Tư pháp (STP)"; with the council's code when the page lists the units of several
    councils (a council and those it succeeded may each have an STP)."""
    if with_council:
        return f"{unit.name} ({unit.code}, {unit.council.code})"
    return f"{unit.name} ({unit.code})"


class UnitChoiceField(forms.ModelChoiceField):
    with_council = False

    def label_from_instance(self, obj: Unit) -> str:
        return unit_label(obj, with_council=self.with_council)


class PersonForm(forms.Form):
    """A new account (with its login name) or a change of one (``person``)."""

    username = forms.CharField(
        label=gettext_lazy("Tên đăng nhập"),
        required=False,
        max_length=rules.USERNAME_LENGTH,
        help_text=gettext_lazy(
            "Chữ không dấu, chữ số và các dấu . _ - @ +, ví dụ daumoi.syt. Không đổi được sau "
            "khi tạo."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    full_name = forms.CharField(
        label=gettext_lazy("Họ và tên"), required=False, max_length=rules.FULL_NAME_LENGTH
    )
    email = forms.CharField(
        label=gettext_lazy("Thư điện tử"),
        required=False,
        max_length=rules.EMAIL_LENGTH,
        help_text=gettext_lazy("Liên kết đặt mật khẩu và các thông báo được gửi đến địa chỉ này."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    job_title = forms.CharField(
        label=gettext_lazy("Chức vụ"),
        required=False,
        max_length=rules.JOB_TITLE_LENGTH,
        help_text=gettext_lazy("Không bắt buộc, ví dụ: Chuyên viên Văn phòng Sở."),
    )
    unit = UnitChoiceField(
        label=gettext_lazy("Đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=gettext_lazy("— Chọn đơn vị —"),
        error_messages={"invalid_choice": INVALID_UNIT},
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Vai trò"),
        choices=User.Role.choices,
        initial=User.Role.FOCAL_POINT,
        help_text=gettext_lazy(
            "Cán bộ đầu mối làm việc của đơn vị (và của khối khi đơn vị là Trưởng hoặc Phó "
            "khối); Lãnh đạo xem tổng quan và duyệt đề nghị khen thưởng; Quản trị quản lý hội "
            "đồng, người dùng và vào được trang Quản trị."
        ),
        error_messages={"invalid_choice": gettext_lazy("Chọn một vai trò trong danh sách.")},
    )

    def __init__(
        self,
        *args: Any,
        council_ids: Collection[int],
        day: datetime.date,
        person: User | None = None,
        **kwargs: Any,
    ) -> None:
        if person is not None:
            kwargs.setdefault(
                "initial",
                {
                    "full_name": person.full_name,
                    "email": person.email,
                    "job_title": person.job_title,
                    "unit": person.unit_id,
                    "role": person.role,
                },
            )
        super().__init__(*args, **kwargs)
        self.council_ids, self.day, self.person = council_ids, day, person
        units = rules.open_units(council_ids, day)
        if person is not None and person.unit_id is not None:
            # A unit closed since the person joined it stays theirs until they are moved.
            units = Unit.objects.filter(
                Q(pk__in=units.values("pk")) | Q(pk=person.unit_id)
            ).order_by("name", "pk")
            del self.fields["username"]
        field = self.fields["unit"]
        assert isinstance(field, UnitChoiceField)
        field.queryset = units.select_related("council")
        field.with_council = len(council_ids) > 1

    def clean(self) -> dict[str, Any]:
        """Every problem at once, each at its field (a field Django already refused keeps its
        own message)."""
        cleaned = super().clean() or {}
        new = self.person is None
        username = cleaned.get("username", "").strip() if new else None
        problems = rules.person_problems(
            username=username,
            taken=rules.taken_usernames([username]) if username else (),
            full_name=cleaned.get("full_name", "").strip(),
            email=cleaned.get("email", "").strip(),
            job_title=cleaned.get("job_title", "").strip(),
            role=cleaned.get("role", ""),
            unit=cleaned.get("unit"),
            council_ids=self.council_ids,
            day=self.day,
            email_required=new,
        )
        unit = cleaned.get("unit")
        if self.person is not None and unit is not None and unit.pk == self.person.unit_id:
            problems.pop("unit", None)
        for field, problem in problems.items():
            if field not in self.errors:
                self.add_error(field, problem)
        return cleaned

    def save(self, *, by: User) -> User | None:
        """Create the account (or change the person's); None (with the service's errors on
        the form) when refused."""
        data = self.cleaned_data
        values = {
            "council_ids": self.council_ids,
            "full_name": data["full_name"],
            "email": data["email"],
            "job_title": data["job_title"],
            "unit": data["unit"],
            "role": data["role"],
            "by": by,
            "day": self.day,
        }
        try:
            if self.person is None:
                return services.person_create(username=data["username"], **values)
            return services.person_change(person=self.person, **values)
        except ValidationError as error:
            show_service_error(self, error)
            return None


class PeopleFilterForm(forms.Form):
    """The list's search box and filters (a GET form)."""

    q = forms.CharField(
        label=gettext_lazy("Tìm theo tên, tên đăng nhập, thư điện tử"), required=False
    )
    unit = forms.TypedChoiceField(
        label=gettext_lazy("Đơn vị"), required=False, coerce=int, empty_value=None
    )
    role = forms.ChoiceField(label=gettext_lazy("Vai trò"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Tình trạng"),
        required=False,
        choices=[
            ("", gettext_lazy("Tất cả")),
            (selectors.ACTIVE, gettext_lazy("Đang hoạt động")),
            (selectors.NO_PASSWORD, gettext_lazy("Chưa đặt mật khẩu")),
            (selectors.INACTIVE, gettext_lazy("Đã khóa")),
        ],
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.TypedChoiceField)
        several = len({u.council_id for u in units}) > 1
        unit.choices = [
            ("", _("Tất cả đơn vị")),
            *((u.pk, unit_label(u, with_council=several)) for u in units),
        ]
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [("", _("Tất cả vai trò")), *User.Role.choices]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "search": data["q"],
            "unit_id": data["unit"],
            "role": data["role"],
            "status": data["status"],
        }

    def kept(self) -> dict[str, Any]:
        """The filters as typed, for the pager's links (the next page keeps them)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: self.data.get(name, "") for name in ("q", "unit", "role", "status")}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp danh sách (.xlsx hoặc .csv)"),
        help_text=gettext_lazy("Theo tệp mẫu; tối đa 2 MB và 500 tài khoản."),
        error_messages={
            "required": gettext_lazy("Chọn tệp danh sách để tải lên."),
            "empty": gettext_lazy("Tệp rỗng."),
        },
        widget=forms.FileInput(attrs={"accept": f".xlsx,.csv,{XLSX},text/csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.problems: list[Problem] = []  # what ``read`` found wrong in the file

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        try:
            self.content_type = check_upload(
                uploaded, allowed={XLSX, CSV}, max_bytes=upload.MAX_UPLOAD_BYTES, field="file"
            )
        except ValidationError as error:
            raise ValidationError(error.message_dict["file"]) from None
        return uploaded

    def read(self, *, council_ids: Collection[int], day: datetime.date) -> Reading | None:
        """The rows of the valid form's file (read, never stored); None, with the file's
        problems in ``problems`` and a refusal at the field, when it cannot be read."""
        uploaded = self.cleaned_data["file"]
        reading = upload.read_people(
            uploaded.read(),
            content_type=self.content_type,
            filename=uploaded.name or "",
            council_ids=council_ids,
            day=day,
        )
        if not reading.problems:
            return reading
        self.problems = reading.problems
        self.add_error(
            "file",
            _("Chưa đọc được danh sách từ tệp (xem các lỗi ở đầu trang); chưa có gì được ghi."),
        )
        return None


class UploadConfirmForm(forms.Form):
    """The preview's buttons carry the list they confirm: another upload in another tab made
    a new list, which this confirmation must not write."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
