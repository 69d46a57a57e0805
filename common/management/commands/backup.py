"""``manage.py backup [FILE] [--no-media]``: the database and the uploaded files in one archive.

PostgreSQL through ``pg_dump --format=custom`` (needs postgresql-client), SQLite through its
online backup API; the files of the file store alongside, in the same tar archive. See
docs/backup.md for the schedule, where to keep the archives and how to restore by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.backup import BackupError, create_backup, default_filename


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu và các tệp đã tải lên (minh chứng, quyết định, văn bản đã ban "
        "hành) vào một tệp .tar (docs/backup.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            help="Tệp sao lưu sẽ tạo (.tar, hoặc .tar.gz để nén); mặc định thidua-NGÀY-GIỜ.tar.",
        )
        parser.add_argument(
            "--no-media", action="store_true", help="Chỉ sao lưu cơ sở dữ liệu, không kèm tệp."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Bí danh cơ sở dữ liệu.")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["file"] or default_filename()).resolve()
        if target.exists():
            raise CommandError(
                _("Tệp %(path)s đã có; hãy chọn tên khác để không ghi đè bản sao lưu cũ.")
                % {"path": target}
            )
        try:
            manifest = create_backup(
                target,
                include_media=not options["no_media"],
                using=options["database"],
                report=lambda line: self.stdout.write(line) if options["verbosity"] else None,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Đã sao lưu vào %(path)s: cơ sở dữ liệu và %(files)s tệp (%(mb).1f MB).",
                    "Đã sao lưu vào %(path)s: cơ sở dữ liệu và %(files)s tệp (%(mb).1f MB).",
                    manifest.media_files,
                )
                % {
                    "path": target,
                    "files": manifest.media_files,
                    "mb": target.stat().st_size / (1024 * 1024),
                }
            )
        )
