"""``manage.py refresh_totals``: recompute the verified total kept on every score sheet.

The app keeps these totals itself (scoring/totals.py); this is for after a repair made by hand
in the database, or a restore of rows from elsewhere. It changes nothing else and can run at
any time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scoring import totals


class Command(BaseCommand):
    help = _("Tính lại tổng điểm thẩm định lưu trên mọi bảng chấm điểm.")

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = totals.refresh_all()
        self.stdout.write(
            ngettext(
                "Đã tính lại %(count)s bảng chấm điểm.",
                "Đã tính lại %(count)s bảng chấm điểm.",
                count,
            )
            % {"count": count}
        )
