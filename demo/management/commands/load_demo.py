"""``manage.py load_demo``: load the demonstration scenario (idempotent)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from blocs.models import Council
from demo.awards import load_awards
from demo.documents import load_documents
from demo.organisation import DEMO_PASSWORD, demo_logins, load_organisation
from demo.scoring import load_scoring


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa (Khối thi đua tham mưu III, Quảng Nam 2020-2021; Đà Nẵng 2026)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Chỉ nạp khi cơ sở dữ liệu chưa có hội đồng nào (dùng trong make run).",
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if if_empty and Council.objects.exists():
            self.stdout.write("Cơ sở dữ liệu đã có dữ liệu; không nạp lại dữ liệu minh họa.")
        else:
            load_organisation()
            load_scoring()
            load_awards()
            load_documents()
            self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu minh họa."))
        if settings.DEBUG:
            self._print_logins()

    def _print_logins(self) -> None:
        logins = demo_logins()
        if not logins:
            return
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING(f"Tài khoản minh họa (mật khẩu chung: {DEMO_PASSWORD})")
        )
        for username, role, unit in logins:
            self.stdout.write(f"  {username:<16} {role:<40} {unit}")
