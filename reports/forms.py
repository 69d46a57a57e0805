"""Forms of the documents pages: a draft's header and narrative parts, a new draft's kind, and
the number asked at issue.

The header fields come from the model (labels, lengths); the narrative parts are plain
textareas, one per key of ``services.NARRATIVE_KEYS`` for the document's kind. A draft has no
number: it is given at issue (the next free one of the bloc's series, or another one the
office's register gave). The forms only type the input: the service checks the rest.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from blocs.models import User
from common.forms import DayField, show_service_error
from reports import services
from reports.models import Document
from reports.services import EDITABLE, NARRATIVE_KEYS

# key → (label, help text, rows; 1 = a one-line input)
NARRATIVE_FIELDS: dict[str, tuple[Any, Any, int]] = {
    "assessment": (
        _("Đánh giá chung của khối về kết quả năm"),
        _("Mỗi đoạn một dòng. In ở mục II của báo cáo."),
        8,
    ),
    "direction": (
        _("Phương hướng, nhiệm vụ năm tới"),
        _("Mỗi đoạn một dòng. In ở mục V của báo cáo."),
        6,
    ),
    "next_head": (
        _("Trưởng khối năm tới"),
        _("Để trống để lấy theo năm sau của khối, nếu đã mở trong ứng dụng."),
        1,
    ),
    "next_deputy": (
        _("Khối phó năm tới"),
        _("Để trống để lấy theo năm sau của khối, nếu đã mở trong ứng dụng."),
        1,
    ),
    "launch": (
        _("Câu phát động phong trào thi đua năm tới"),
        _("Để trống để dùng câu mặc định về phát động phong trào và ký giao ước."),
        3,
    ),
    "time": (_("Giờ bắt đầu họp"), _("Ví dụ: 08 giờ 00"), 1),
    "chair": (
        _("Chủ trì"),
        _("Chức vụ, họ tên, đơn vị. Để trống để ghi thủ trưởng đơn vị Trưởng khối."),
        1,
    ),
    "secretary": (_("Thư ký cuộc họp"), _("Chức vụ, họ tên, đơn vị."), 1),
    "secretary_name": (_("Họ tên thư ký (ký cuối biên bản)"), "", 1),
    "conclusions": (_("Kết luận của cuộc họp"), _("Mỗi đoạn một dòng."), 6),
    "end_time": (_("Giờ kết thúc"), _("Ví dụ: 11 giờ 30"), 1),
    "targets": (
        _("Các chỉ tiêu, nội dung giao ước"),
        _("Mỗi dòng một nội dung, ví dụ: 1. Hoàn thành 100% nhiệm vụ được giao."),
        10,
    ),
}

TEXTAREAS = {"subject": 2, "recipients": 5}
GROUPS: list[tuple[Any, list[str]]] = [
    (
        _("Phần đầu văn bản"),
        ["issuer_parent", "issuer_name", "issuer_code", "date", "place"],
    ),
    (_("Tên loại và trích yếu"), ["subject"]),
    (_("Người ký"), ["signer_title", "signer_name"]),
    (_("Nơi nhận"), ["recipients"]),
]


class DocumentForm(forms.Form):
    """A draft's header and the narrative parts of its kind, with the version it was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, document: Document, data: Any = None) -> None:
        initial: dict[str, Any] = {name: getattr(document, name) for name in EDITABLE}
        initial["version"] = document.version
        keys = NARRATIVE_KEYS[Document.Kind(document.kind)]
        initial.update({key: document.narrative.get(key, "") for key in keys})
        super().__init__(data, initial=initial)
        self.document = document
        self.narrative_keys = keys
        for name in EDITABLE:
            model_field = cast("models.Field[Any, Any]", Document._meta.get_field(name))
            # The date is typed day first and a day that does not exist is told as such.
            field = (
                model_field.formfield(form_class=DayField)
                if name == "date"
                else model_field.formfield()
            )
            assert field is not None
            if name in TEXTAREAS:
                field.widget = forms.Textarea(attrs={"rows": TEXTAREAS[name], "class": "prose"})
            if name == "date":
                field.widget = forms.DateInput(
                    format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
                )
                field.help_text = _(
                    "Ngày của hội nghị (giao ước: ngày ký), ví dụ 02/03/2021; để trống khi "
                    "chưa biết ngày."
                )
            self.fields[name] = field
        for key in keys:
            label, help_text, rows = NARRATIVE_FIELDS[key]
            widget = (
                forms.Textarea(attrs={"rows": rows, "class": "prose"})
                if rows > 1
                else forms.TextInput()
            )
            self.fields[key] = forms.CharField(
                label=label, help_text=help_text, required=False, widget=widget
            )
        # The hidden version goes last so that the fields are in the order of the document.
        self.order_fields([name for name in self.fields if name != "version"])

    @property
    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The fields in the order of the page, under the part of the document they fill."""
        groups = [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in GROUPS
        ]
        if self.narrative_keys:
            groups.append((_("Nội dung do khối viết"), [self[key] for key in self.narrative_keys]))
        return groups

    @property
    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE if name in self.cleaned_data}

    @property
    def narrative(self) -> dict[str, str]:
        return {key: self.cleaned_data[key].strip() for key in self.narrative_keys}

    def save(self, *, by: User) -> bool:
        """Save the draft; False (the document read again, the service's errors on the form)
        when refused. ``services.DocumentConflict`` (saved meanwhile) is the page's to show."""
        try:
            services.document_update(
                document=self.document,
                values=self.values,
                narrative=self.narrative,
                version=self.cleaned_data["version"],
                by=by,
            )
        except ValidationError as error:
            self.document.refresh_from_db()
            show_service_error(self, error)
            return False
        return True


class CreateForm(forms.Form):
    kind = forms.ChoiceField(choices=Document.Kind.choices)


class IssueForm(forms.Form):
    """The number at issue: blank takes the next free number of the bloc's series."""

    number = forms.IntegerField(
        label=_("Số khác"),
        required=False,
        min_value=1,
        max_value=99999,
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        help_text=_(
            "Để trống để lấy số tiếp theo của sổ văn bản của khối. Chỉ ghi số khác khi sổ văn "
            "bản đi đã dùng số tiếp theo cho văn bản lập ngoài ứng dụng."
        ),
    )

    def save(self, *, document: Document, by: User) -> list[str] | None:
        """Issue the document; None once issued, else the problems that refused it that are
        not the number's (a refused number is shown at its field, with an empty list)."""
        try:
            services.document_issue(document=document, by=by, number=self.cleaned_data["number"])
        except ValidationError as error:
            document.refresh_from_db()
            if hasattr(error, "error_dict") and "number" in error.error_dict:
                show_service_error(self, error)
                return []
            return list(error.messages)
        return None
