"""``manage.py restore FILE [--no-media] [--check] [--no-input]``: put a backup back.

The whole database is replaced by the one in the archive (PostgreSQL: ``pg_restore --clean
--single-transaction``, so a failure changes nothing), then the archived files are written back
to the file store. Stop the application servers first (docs/backup.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.backup import BackupError, check_backup, restore_backup


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu và các tệp đã tải lên từ một tệp sao lưu của lệnh backup; "
        "dữ liệu hiện có bị thay thế hoàn toàn (docs/backup.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Tệp sao lưu (.tar hoặc .tar.gz).")
        parser.add_argument(
            "--no-media", action="store_true", help="Chỉ khôi phục cơ sở dữ liệu, không ghi tệp."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Chỉ kiểm tra tệp sao lưu (mã kiểm tra, loại cơ sở dữ liệu, phiên bản).",
        )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Không hỏi xác nhận (dùng trong kịch bản tự động).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Bí danh cơ sở dữ liệu.")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["file"])
        using = options["database"]
        if not source.is_file():
            raise CommandError(_("Không tìm thấy tệp %(path)s.") % {"path": source})
        try:
            manifest = check_backup(source, using=using)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            ngettext(
                "Bản sao lưu lúc %(when)s của cơ sở dữ liệu %(name)s (%(engine)s), %(files)s tệp.",
                "Bản sao lưu lúc %(when)s của cơ sở dữ liệu %(name)s (%(engine)s), %(files)s tệp.",
                manifest.media_files,
            )
            % {
                "when": manifest.created_at,
                "name": manifest.database,
                "engine": manifest.engine,
                "files": manifest.media_files,
            }
        )
        if options["check"]:
            self.stdout.write(self.style.SUCCESS(_("Tệp sao lưu đọc được và nguyên vẹn.")))
            return
        target = connections[using].settings_dict["NAME"]
        if options["interactive"]:
            answer = input(
                _(
                    "Toàn bộ dữ liệu của cơ sở dữ liệu %(name)s sẽ bị thay bằng bản sao lưu. "
                    "Gõ “yes” để tiếp tục: "
                )
                % {"name": target}
            )
            if answer.strip().lower() != "yes":
                raise CommandError(_("Đã hủy; không có gì thay đổi."))
        try:
            restore_backup(
                source,
                include_media=not options["no_media"],
                using=using,
                report=lambda line: self.stdout.write(line) if options["verbosity"] else None,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Đã khôi phục. Nếu chương trình mới hơn bản sao lưu, hãy chạy "
                    "“manage.py migrate” trước khi mở lại cho người dùng."
                )
            )
        )
