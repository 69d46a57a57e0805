"""``manage.py render_issued_files``: render and keep the missing DOCX and PDF of issued documents.

For documents issued before their files were kept, or whose files were lost (a restore without
the media files). Each missing file is rendered once from the document as issued and kept; a
file that is there is left as it is, so running it again does nothing. Run it after an upgrade
and after restoring a database without its files (docs/deployment.md). ``--dry-run`` lists
what it would render and writes nothing. A document whose content built again is not what was
issued is named and left alone, and the command ends with an error status.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from reports.issued_files import Outcome, issued_documents, render_missing_files


class Command(BaseCommand):
    help = _("Tạo và lưu các tệp DOCX, PDF còn thiếu của văn bản đã ban hành.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Chỉ liệt kê các tệp còn thiếu, không tạo tệp nào."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        counts: Counter[Outcome] = Counter()
        files = 0
        for document in issued_documents():
            result = render_missing_files(document, dry_run=dry_run)
            counts[result.outcome] += 1
            if result.outcome == Outcome.COMPLETE:
                continue
            label = f"#{document.pk} {document.get_kind_display()} {document.number_line} "
            label += f"({document.bloc_year.bloc.code} {document.bloc_year.year})"
            formats = ", ".join(fmt.upper() for fmt in result.formats)
            if result.outcome == Outcome.DIFFERS:
                self.stderr.write(
                    _(
                        "%(document)s: thiếu %(formats)s, nhưng nội dung dựng lại khác bản đã "
                        "ban hành (dữ liệu đã thay đổi sau khi ban hành); không tạo tệp."
                    )
                    % {"document": label, "formats": formats}
                )
                continue
            files += len(result.formats)
            message = (
                _("%(document)s: sẽ tạo %(formats)s")
                if dry_run
                else _("%(document)s: đã tạo %(formats)s")
            )
            self.stdout.write(message % {"document": label, "formats": formats})
        self.stdout.write(
            _(
                "Văn bản đã ban hành: %(complete)s đủ tệp, %(rendered)s %(verb)s tệp "
                "(%(files)s tệp), %(differs)s khác bản đã ban hành."
            )
            % {
                "complete": counts[Outcome.COMPLETE],
                "rendered": counts[Outcome.RENDERED],
                "verb": _("cần tạo") if dry_run else _("được tạo"),
                "files": files,
                "differs": counts[Outcome.DIFFERS],
            }
        )
        if counts[Outcome.DIFFERS]:
            raise CommandError(
                _("%(count)s văn bản cần người kiểm tra: nội dung dựng lại khác bản đã ban hành.")
                % {"count": counts[Outcome.DIFFERS]}
            )
