"""``manage.py import_bloc_year PATH.xlsx [--council CODE]``: one past bloc-year from Excel.

The workbook follows docs/import-format.md. On any problem every one is printed, one a line
(``Điểm!C7 “abc”: không phải là một số.``), nothing is written and the exit status is 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.numbers import format_vietnamese
from scoring.importer import CouncilChoice, ImportFailed, Problem, import_bloc_year


class Command(BaseCommand):
    help = (
        "Nhập kết quả một năm thi đua của một khối từ tệp Excel theo mẫu "
        "(docs/import-format.md): thành viên, tiêu chí, điểm thẩm định, rồi xếp hạng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Tệp .xlsx theo mẫu.")
        parser.add_argument(
            "--council",
            metavar="CODE",
            help="Mã hội đồng, khi tệp không ghi “Mã hội đồng” và cơ sở dữ liệu có nhiều hội đồng.",
        )

    def handle(self, *args: Any, path: str, council: str | None = None, **options: Any) -> None:
        file = Path(path)
        try:
            content = file.read_bytes()
        except OSError as error:
            reason = (
                _("không tìm thấy tệp")
                if isinstance(error, FileNotFoundError)
                else error.strerror or str(error)
            )
            self._fail(
                [
                    Problem(
                        _("Không đọc được tệp “%(path)s”: %(reason)s.")
                        % {"path": path, "reason": reason}
                    )
                ]
            )
        try:
            result = import_bloc_year(
                content, filename=file.name, choice=CouncilChoice(code=council), by=None
            )
        except ImportFailed as failed:
            self._fail(failed.problems)
        bloc_year = result.bloc_year
        self.stdout.write(
            self.style.SUCCESS(
                (
                    _("Đã thay dữ liệu %(bloc)s năm %(year)s: %(units)s đơn vị.")
                    if result.replaced
                    else _("Đã nhập %(bloc)s năm %(year)s: %(units)s đơn vị.")
                )
                % {
                    "bloc": bloc_year.bloc.name,
                    "year": bloc_year.year,
                    "units": result.units,
                }
            )
        )
        if result.units_created:
            self.stdout.write(
                _("Đơn vị mới tạo: %(codes)s.") % {"codes": ", ".join(result.units_created)}
            )
        if result.leadership_note:
            self.stdout.write(result.leadership_note)
        if result.bands_note:
            self.stdout.write(result.bands_note)
        for row in result.ranking:
            total = format_vietnamese(row.total, grouping=False)
            self.stdout.write(f"{row.rank:>3}  {total:>7}  {row.name}  {row.band}")
        for published in result.published:
            self.stdout.write(
                f"{published.rank or '–':>3}  {'–':>7}  {published.name}  {published.band}"
            )

    def _fail(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.stderr.write(str(problem))
        raise CommandError(
            ngettext(
                "Tệp có %(count)s lỗi; chưa có gì được ghi.",
                "Tệp có %(count)s lỗi; chưa có gì được ghi.",
                len(problems),
            )
            % {"count": len(problems)},
            returncode=1,
        )
