"""``manage.py load_prepare``: the data the load test drives, in the database it is given.

Builds a small synthetic province with ``demo.bench.generate`` (default 4 blocs × 15 units ×
80 criteria × 3 years), puts every sheet of the year being scored back to draft, gives each of
those units a focal point who can log in, and writes the list of people and pages the locust
file reads (var/load/plan.json). Run it on an empty database only: ``make load`` does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.urls import reverse

from blocs.models import BlocYear, Council
from blocs.services import user_create
from demo.bench import PASSWORD, Size, generate
from scoring import totals
from scoring.models import ScoreLine, ScoreSheet


class Command(BaseCommand):
    help = "Chuẩn bị dữ liệu cho phép thử tải (make load)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--blocs", type=int, default=4)
        parser.add_argument("--units", type=int, default=15)
        parser.add_argument("--criteria", type=int, default=80)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument(
            "--output", default=str(Path(settings.BASE_DIR) / "var" / "load" / "plan.json")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Council.objects.filter(code="BENCH").exists():
            raise CommandError("Cơ sở dữ liệu đã có dữ liệu thử; hãy dùng một cơ sở dữ liệu trống.")
        size = Size(
            blocs=options["blocs"],
            units=options["units"],
            criteria=options["criteria"],
            years=options["years"],
        )
        province = generate(size)
        year = province.scoring_year.year
        people = []
        with transaction.atomic():
            sheets = list(
                ScoreSheet.objects.filter(
                    bloc_year__bloc__council=province.council, bloc_year__year=year
                )
                .select_related("unit")
                .order_by("pk")
            )
            ScoreSheet.objects.filter(pk__in=[sheet.pk for sheet in sheets]).update(
                state=ScoreSheet.State.DRAFT, verified_at=None
            )
            ScoreLine.objects.filter(sheet__in=sheets).update(
                verified_value=None, verified_points=None
            )
            # The update above took the sheets' rows first; no other writer runs meanwhile.
            totals.refresh(sheet.pk for sheet in sheets)
            for sheet in sheets:
                if sheet.pk == province.sheet.pk:
                    username = province.focal_point.username
                else:
                    username = f"load.{sheet.unit.code.lower()}"
                    user_create(username=username, password=PASSWORD, unit=sheet.unit)
                criteria = list(
                    ScoreLine.objects.filter(sheet=sheet)
                    .order_by("criterion_id")
                    .values_list("criterion_id", "criterion__max_points")
                )
                people.append(
                    {
                        "username": username,
                        "sheet": sheet.get_absolute_url(),
                        "criteria": [[pk, float(top)] for pk, top in criteria],
                    }
                )
        published = BlocYear.objects.filter(bloc__council=province.council, year=year - 1).order_by(
            "pk"
        )
        public = [
            reverse("blocs:home"),
            reverse("blocs:council", args=[province.council.code]),
            *(reverse("bloc-year", args=[b.bloc_id, b.year]) for b in published),
            *(reverse("scoring:ranking", args=[b.bloc_id, b.year]) for b in published),
            *(reverse("unit", args=[person_unit]) for person_unit in _some_units(sheets)),
        ]
        # Planner statistics, as a live database has them: PostgreSQL's autovacuum analyses the
        # tables within a minute of a bulk load, and without them it planned "my work"'s sheet
        # query as a scan of every line of the unit-scored criteria (11 ms instead of 2 ms).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        plan = {"password": PASSWORD, "people": people, "public": public}
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8")
        self.stdout.write(
            f"{len(people)} người chấm điểm, {len(public)} trang công khai → {output}"
        )


def _some_units(sheets: list[ScoreSheet]) -> list[int]:
    return [sheet.unit_id for sheet in sheets[:: max(1, len(sheets) // 10)]]
