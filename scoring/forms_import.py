"""The form of the bloc-year workbook upload page: the council (when the file does not say it)
and the file, read in memory and never stored. ``save`` imports it through
``scoring.importer.import_bloc_year``; when the file is refused, every problem is in
``problems`` and their count at the file field.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from blocs.models import Council, User
from common.exporters import XLSX
from scoring import importer
from scoring.importer import CouncilChoice, ImportFailed, ImportResult

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    council = forms.ChoiceField(
        label=gettext_lazy("Hội đồng"),
        required=False,
        help_text=gettext_lazy(
            "Dùng khi tệp không ghi “Mã hội đồng” ở trang “Thông tin”; nếu tệp có ghi, hai mã "
            "phải trùng nhau."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        help_text=gettext_lazy("Theo mẫu nhập năm thi đua; tối đa 5 MB."),
        error_messages={"required": gettext_lazy("Chọn tệp Excel để tải lên.")},
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX}"}),
    )

    def __init__(
        self,
        *args: Any,
        councils: QuerySet[Council],
        allowed: Collection[int] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = allowed  # the councils this person may import into (None: any)
        self.problems: list[importer.Problem] = []
        choices = [(council.code, f"{council.name} ({council.code})") for council in councils]
        field = self.fields["council"]
        assert isinstance(field, forms.ChoiceField)
        if len(choices) == 1:
            field.choices = choices
            field.initial = choices[0][0]
        else:
            field.choices = [("", _("— theo “Mã hội đồng” trong tệp —")), *choices]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Tệp lớn hơn %(limit)s MB; tệp nhập một năm thi đua chỉ vài chục KB.")
                % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload

    def save(self, *, by: User) -> ImportResult | None:
        """The imported bloc-year, or None when the file was refused (nothing written)."""
        upload = self.cleaned_data["file"]
        try:
            return importer.import_bloc_year(
                upload.read(),
                filename=upload.name,
                choice=CouncilChoice(
                    code=self.cleaned_data["council"] or None, allowed_ids=self.allowed
                ),
                by=by,
            )
        except ImportFailed as failed:
            self.problems = failed.problems
        count = len(self.problems)
        self.add_error(
            "file",
            ngettext(
                "Tệp có %(count)s lỗi (xem bảng ở đầu trang); chưa có gì được ghi.",
                "Tệp có %(count)s lỗi (xem bảng ở đầu trang); chưa có gì được ghi.",
                count,
            )
            % {"count": count},
        )
        return None
