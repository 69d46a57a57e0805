"""``manage.py send_deadline_reminders``: the daily deadline reminders (idempotent).

Run once a day from cron (docs/notifications.md); a second run the same day sends nothing new.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from notifications.deadlines import REMINDER_DAYS, STAGE_LABELS, send_deadline_reminders


class Command(BaseCommand):
    help = (
        f"Gửi thông báo nhắc hạn {REMINDER_DAYS} ngày trước hạn tự chấm, hạn thẩm định và hạn "
        "trình đề nghị cho những người còn việc phải làm. Chạy mỗi ngày; chạy lại không gửi trùng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            help="Ngày coi là hôm nay, dạng YYYY-MM-DD (mặc định: hôm nay theo giờ Việt Nam).",
        )

    def handle(self, *args: Any, date: str | None = None, **options: Any) -> None:
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(
                    f"--date phải có dạng YYYY-MM-DD, không phải {date!r}."
                ) from None
        else:
            today = timezone.localdate()
        report = send_deadline_reminders(today=today)
        stages = ", ".join(
            f"{STAGE_LABELS[stage]}: {count}" for stage, count in report.sent.items() if count
        )
        self.stdout.write(
            f"{today:%d/%m/%Y}: {report.bloc_years} khối-năm có hạn trong {REMINDER_DAYS} ngày "
            f"tới; đã tạo {report.total} thông báo nhắc hạn"
            + (f" ({stages})" if stages else "")
            + "."
        )
