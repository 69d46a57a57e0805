"""``manage.py export_ranking BLOC_CODE YEAR [--council CODE] --format json|csv``.

Prints a bloc-year's ranking to standard output: the finalized one (its latest snapshot) when
there is one, else the ranking computed now. The format is in docs/import-format.md.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from blocs.models import Bloc, BlocYear
from common.exporters import csv_safe
from scoring.exports import ranking_json_rows
from scoring.models import ScoringSeason
from scoring.selectors import ranking as ranking_selectors
from scoring.selectors.ranking import ranking_input
from scoring.services.ranking import latest_snapshot

COLUMNS = ["rank", "unit", "name", "total", "band", "tie_break"]


def ranking_rows(bloc_year: BlocYear) -> tuple[bool, list[dict[str, object]]]:
    """(finalized, rows in rank order) of the contract's JSON."""
    snapshot = latest_snapshot(bloc_year)
    if snapshot is not None:
        return True, ranking_json_rows(snapshot.rows)
    data = ranking_input(bloc_year)
    return False, ranking_json_rows(ranking_selectors.ranking_rows(data, data.rank()))


def find_bloc_year(bloc_code: str, year: int, council_code: str | None) -> BlocYear:
    blocs = Bloc.objects.filter(code=bloc_code).select_related("council").order_by("council__code")
    if council_code:
        blocs = blocs.filter(council__code=council_code)
    found = list(blocs)
    if not found:
        if council_code:
            raise CommandError(
                _("Không có khối mã “%(bloc)s” trong hội đồng “%(council)s”.")
                % {"bloc": bloc_code, "council": council_code}
            )
        raise CommandError(_("Không có khối mã “%(bloc)s”.") % {"bloc": bloc_code})
    if len(found) > 1:
        raise CommandError(
            _("Có khối mã “%(bloc)s” ở nhiều hội đồng (%(councils)s): chọn bằng --council MÃ.")
            % {"bloc": bloc_code, "councils": ", ".join(bloc.council.code for bloc in found)}
        )
    bloc = found[0]
    bloc_year = BlocYear.objects.filter(bloc=bloc, year=year).select_related("bloc").first()
    if bloc_year is None:
        raise CommandError(
            _("%(bloc)s không có năm thi đua %(year)s.") % {"bloc": bloc.name, "year": year}
        )
    return bloc_year


class Command(BaseCommand):
    help = "In kết quả xếp hạng của một khối trong một năm (JSON hoặc CSV) ra màn hình."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("bloc_code", metavar="BLOC_CODE", help="Mã khối, ví dụ TM3.")
        parser.add_argument("year", metavar="YEAR", type=int, help="Năm, ví dụ 2019.")
        parser.add_argument(
            "--council", metavar="CODE", help="Mã hội đồng, khi nhiều hội đồng có khối mã này."
        )
        parser.add_argument(
            "--format", dest="output_format", choices=["json", "csv"], default="json"
        )

    def handle(
        self,
        *args: Any,
        bloc_code: str,
        year: int,
        council: str | None = None,
        output_format: str = "json",
        **options: Any,
    ) -> None:
        bloc_year = find_bloc_year(bloc_code, year, council)
        if not ScoringSeason.objects.filter(bloc_year=bloc_year).exists():
            raise CommandError(
                _("%(bloc)s năm %(year)s chưa mở chấm điểm: chưa có xếp hạng.")
                % {"bloc": bloc_year.bloc.name, "year": year}
            )
        finalized, rows = ranking_rows(bloc_year)
        if output_format == "json":
            document = {
                "bloc": bloc_year.bloc.code,
                "year": year,
                "finalized": finalized,
                "rows": rows,
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([csv_safe("" if row[key] is None else row[key]) for key in COLUMNS])
        self.stdout.write(buffer.getvalue(), ending="")
