"""The form of the sheet's workbook upload: a score sheet filled in Excel, read and saved all
or nothing into the column this person edits now.

``save`` reads the file (``scoring.workbook.read``) and saves through
``scoring.services.sheets.sheet_save``; when anything is wrong, nothing is written and every
problem, the workbook's and the service's together, is in ``problems``, their count at the
file field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from blocs.models import User
from common.exporters import XLSX
from scoring.layers import Layer
from scoring.models import Criterion, ScoreLine, ScoreSheet
from scoring.services import sheets as services
from scoring.workbook.read import WorkbookError, WorkbookReading, read_sheet_workbook


class _DryRun(Exception):
    """Undo a save whose workbook had errors: the service's checks ran, its writes must not."""


def _save(
    sheet: ScoreSheet, reading: WorkbookReading, user: User, *, on_behalf: bool
) -> tuple[int, list[WorkbookError]]:
    """Save the reading, or return every problem: the workbook's and the service's together.

    The service checks all values before it writes. When the workbook itself already had
    errors, the save still runs (so its checks report too) inside a savepoint that is then
    rolled back, and nothing is written.
    """
    if reading.errors and not reading.entries:
        # Nothing could be read (not a workbook, no header row…): nothing for the service to check.
        return 0, reading.with_service_errors({})
    problems: list[WorkbookError] = []
    try:
        with transaction.atomic():
            result = services.sheet_save(
                sheet=sheet,
                layer=reading.layer,
                entries=reading.entries,
                version=sheet.version,
                by=user,
                on_behalf=on_behalf,
            )
            if reading.errors:
                raise _DryRun
    except _DryRun:
        problems = reading.with_service_errors({})
    except services.EntryErrors as errors:
        problems = reading.with_service_errors(errors.by_criterion, errors.general)
    except services.SheetConflict:
        problems = reading.with_service_errors(
            {}, [_("Bảng điểm vừa được người khác lưu; hãy tải lại trang rồi tải tệp lên lại.")]
        )
    else:
        return result.changed, []
    sheet.refresh_from_db(fields=["version", "entered_on_behalf"])
    return 0, problems


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        help_text=gettext_lazy("Tệp tải về từ trang bảng điểm, đã nhập điểm; tối đa 5 MB."),
        error_messages={"required": gettext_lazy("Chọn tệp Excel để tải lên.")},
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX}"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.problems: list[WorkbookError] = []

    def save(
        self,
        *,
        sheet: ScoreSheet,
        lines: Mapping[int, ScoreLine],
        editable: Mapping[int, ScoreLine],
        layer: Layer,
        on_behalf: bool,
        by: User,
    ) -> int | None:
        """Fill ``layer`` of the ``editable`` lines from the file: how many lines changed, or
        None when nothing was written (``problems`` say why)."""
        reading = read_sheet_workbook(
            self.cleaned_data["file"],
            criteria=list(
                Criterion.objects.filter(criteria_set=sheet.bloc_year.scoring.criteria_set)
            ),
            lines=lines,
            editable=editable,
            layer=layer,
        )
        changed, self.problems = _save(sheet, reading, by, on_behalf=on_behalf)
        if not self.problems:
            return changed
        count = len(self.problems)
        self.add_error(
            "file",
            ngettext(
                "Tệp có %(count)s lỗi (xem danh sách ở đầu trang); chưa có gì được ghi. "
                "Sửa trong Excel rồi chọn lại tệp.",
                "Tệp có %(count)s lỗi (xem danh sách ở đầu trang); chưa có gì được ghi. "
                "Sửa trong Excel rồi chọn lại tệp.",
                count,
            )
            % {"count": count},
        )
        return None
