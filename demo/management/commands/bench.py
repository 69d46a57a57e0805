"""``manage.py bench``: build a synthetic province in a separate database and measure the pages.

The parent process prepares an empty database (an SQLite file under var/bench/, or a PostgreSQL
database named ``<name>_bench``) and runs this command again inside it; the child migrates,
generates the province, and measures each page server-side through Django's test client:
median and 95th percentile of ``--requests`` requests, and the number of SQL queries.
Results go to the terminal and to var/bench/latest.json.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

if TYPE_CHECKING:
    from django.test import Client

    from blocs.models import BlocYear, User
    from demo.bench import Province

CHILD = "THIDUA_BENCH_CHILD"


class Command(BaseCommand):
    help = (
        "Đo hiệu năng trên một tỉnh giả lập (mặc định 40 khối × 15 đơn vị × 80 tiêu chí × 5 năm)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size", type=float, default=1.0, help="Nhân số khối (10: tỉnh lớn gấp 10)."
        )
        parser.add_argument("--blocs", type=int, default=40)
        parser.add_argument("--units", type=int, default=15)
        parser.add_argument("--criteria", type=int, default=80)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--requests", type=int, default=20)
        parser.add_argument(
            "--database-url",
            default="",
            help="Cơ sở dữ liệu riêng cho phép đo (mặc định: sqlite var/bench/bench.sqlite3; "
            "postgres://…/ten để dùng PostgreSQL, cơ sở dữ liệu sẽ bị xóa và tạo lại).",
        )
        parser.add_argument(
            "--output", default=str(Path(settings.BASE_DIR) / "var" / "bench" / "latest.json")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if os.environ.get(CHILD):
            self._measure(options)
        else:
            self._spawn(options)

    def _spawn(self, options: dict[str, Any]) -> None:
        bench_dir = Path(settings.BASE_DIR) / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        url = options["database_url"] or f"sqlite:///{bench_dir / 'bench.sqlite3'}"
        if url.startswith("sqlite"):
            path = Path(url.removeprefix("sqlite:///"))
            path.unlink(missing_ok=True)
        elif url.startswith("postgres"):
            _recreate_postgres(url)
        else:
            raise CommandError(f"Unsupported database URL: {url}")
        env = {
            **os.environ,
            CHILD: "1",
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "thidua.settings_test",
        }
        command = [sys.executable, "manage.py", "bench"]
        for key in ("size", "blocs", "units", "criteria", "years", "requests", "output"):
            command += [f"--{key}", str(options[key])]
        result = subprocess.run(command, env=env, cwd=settings.BASE_DIR, check=False)
        if result.returncode:
            raise CommandError("the benchmark failed")

    def _measure(self, options: dict[str, Any]) -> None:
        from django.core.management import call_command

        from demo.bench import Size, generate

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        size = Size(
            blocs=max(1, int(options["blocs"] * options["size"])),
            units=options["units"],
            criteria=options["criteria"],
            years=options["years"],
        )
        self.stdout.write(
            f"Generating {size.blocs} blocs × {size.units} units × {size.criteria} criteria × "
            f"{size.years} years = {size.lines:,} score lines…"
        )
        province = generate(size)
        generated = time.perf_counter() - started
        self.stdout.write(f"generated in {generated:.1f} s")
        # Measure as a server process would run: without the generator's leftovers in memory.
        # Whatever generating left alive is collected, and the rest (modules, caches, the few
        # objects the measurement needs) set aside from the garbage collector, whose full
        # passes would otherwise walk it during the timed requests.
        gc.collect()
        gc.freeze()
        # Planner statistics, as a live database has them (PostgreSQL's autovacuum analyses
        # tables soon after bulk loads; a database loaded a second ago has none yet).
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        results = measure(province, requests=options["requests"])
        vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        report = {
            "database": vendor,
            "size": {
                "blocs": size.blocs,
                "units": size.units,
                "criteria": size.criteria,
                "years": size.years,
                "score_lines": size.lines,
            },
            "generated_seconds": round(generated, 1),
            "requests": options["requests"],
            "items": results["items"],
            "sql_floor_ms": results["sql_floor_ms"],
            "ranking_vs_sql_floor": results["ranking_vs_sql_floor"],
            "stack_floor_ms": results["stack_floor_ms"],
            "ranking_vs_stack_floor": results["ranking_vs_stack_floor"],
            "ranking_computation_ms": results["ranking_computation_ms"],
            "ranking_computation_vs_sql_floor": results["ranking_computation_vs_sql_floor"],
        }
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
        self.stdout.write("")
        self.stdout.write(
            f"{'item':<34} {'median ms':>10} {'p95 ms':>10} {'queries':>8} {'CPU ms':>8}"
        )
        for name, item in results["items"].items():
            self.stdout.write(
                f"{name:<34} {item['median_ms']:>10.1f} {item['p95_ms']:>10.1f} "
                f"{item['queries']:>8} {item['cpu_median_ms']:>8.1f}"
            )
        self.stdout.write(f"{'raw SQL floor (one bloc-year)':<34} {results['sql_floor_ms']:>10.2f}")
        self.stdout.write(
            f"{'stack floor (signed in, no page)':<34} {results['stack_floor_ms']:>10.2f}"
        )
        self.stdout.write(
            f"{'ranking computation (no page)':<34} {results['ranking_computation_ms']:>10.2f}"
        )
        self.stdout.write(f"ranking page / SQL floor: {results['ranking_vs_sql_floor']:.1f}×")
        self.stdout.write(f"ranking page / stack floor: {results['ranking_vs_stack_floor']:.1f}×")
        self.stdout.write(
            f"ranking computation / SQL floor: {results['ranking_computation_vs_sql_floor']:.1f}×"
        )
        self.stdout.write(f"written to {output}")


def _recreate_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")


def _timed(
    call: Callable[[], Any], requests: int, check: Callable[[Any], None] | None = None
) -> dict[str, float | int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm caches (templates, translations), as a running server would have them
    durations = []
    cpu = []  # the process's CPU time: what other processes on the machine disturb far less
    queries = 0
    for _index in range(requests):
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            result = call()
            durations.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        queries = max(queries, len(captured.captured_queries))
        if check:
            check(result)
    durations.sort()
    p95 = durations[min(len(durations) - 1, max(0, round(0.95 * len(durations)) - 1))]
    return {
        "median_ms": round(statistics.median(durations), 2),
        "p95_ms": round(p95, 2),
        "queries": queries,
        "cpu_median_ms": round(statistics.median(cpu), 2),
    }


def _ok(response: Any) -> None:
    if response.status_code not in (200, 302):
        raise CommandError(f"unexpected status {response.status_code}")


def measure(province: Province, *, requests: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from accounts.twofactor import mark_session_verified
    from scoring.models import ScoreLine

    def client(user: User) -> Client:
        result = Client()
        result.force_login(user)
        # The pages are measured, not two-factor sign-in: the leader's session has passed it.
        session = result.session
        mark_session_verified(session)
        session.save()
        return result

    secretary, focal, leader = (
        client(u) for u in (province.secretary, province.focal_point, province.leader)
    )
    public = Client()
    scoring_year, published_year = province.scoring_year, province.published_year
    items: dict[str, dict[str, float | int]] = {}

    def get(who: Client, url: str) -> Callable[[], Any]:
        return lambda: who.get(url)

    bloc, year = scoring_year.bloc_id, scoring_year.year
    items["ranking page (live)"] = _timed(
        get(secretary, reverse("scoring:ranking", args=[bloc, year])), requests, _ok
    )
    items["ranking page (published)"] = _timed(
        get(public, reverse("scoring:ranking", args=[bloc, published_year.year])), requests, _ok
    )
    items["score entry page (GET)"] = _timed(
        get(focal, province.sheet.get_absolute_url()), requests, _ok
    )

    leaves = list(ScoreLine.objects.filter(sheet=province.sheet).select_related("criterion"))
    state = {"toggle": 0}

    def save() -> Any:
        from scoring.models import ScoreSheet

        state["toggle"] ^= 1
        version = ScoreSheet.objects.values_list("version", flat=True).get(pk=province.sheet.pk)
        data = {"version": str(version)}
        for line in leaves:
            # Every line changes on every save: the worst case of a full-sheet save.
            data[f"v-{line.criterion_id}"] = str(int(line.criterion.max_points) - state["toggle"])
            data[f"x-{line.criterion_id}"] = ""
        return focal.post(province.sheet.get_absolute_url(), data)

    items["full-sheet save (POST)"] = _timed(save, requests, _ok)
    items["secretariat dashboard"] = _timed(
        get(secretary, reverse("scoring:progress", args=[bloc, year])), requests, _ok
    )
    for name, url_name, args, who in (
        ("leaders' dashboard", "dashboard", [], leader),
        ("public unit history page", "unit", [province.sheet.unit_id], public),
        (
            "council proposals view",
            "awards:council-view",
            [province.council.code, published_year.year],
            leader,
        ),
    ):
        try:
            url = reverse(url_name, args=args)
        except NoReverseMatch:
            try:
                url = reverse(f"blocs:{url_name}", args=args)
            except NoReverseMatch:
                continue
        items[name] = _timed(get(who, url), requests, _ok)

    items.update(_documents_and_import(province, requests))

    with connection.cursor() as cursor:
        sql = (
            "SELECT s.unit_id, SUM(l.verified_points) FROM scoring_scoreline l "
            "JOIN scoring_scoresheet s ON s.id = l.sheet_id WHERE s.bloc_year_id = %s GROUP BY s.unit_id"
        )

        def floor() -> None:
            cursor.execute(sql, [scoring_year.pk])
            cursor.fetchall()

        floor_ms = float(_timed(floor, requests)["median_ms"])
    ranking_ms = float(items["ranking page (live)"]["median_ms"])
    stack_ms = _stack_floor(secretary, requests)
    computation_ms = _ranking_computation(scoring_year, requests)
    return {
        "items": items,
        "sql_floor_ms": floor_ms,
        "ranking_vs_sql_floor": _ratio(ranking_ms, floor_ms),
        "stack_floor_ms": stack_ms,
        "ranking_vs_stack_floor": _ratio(ranking_ms, stack_ms),
        "ranking_computation_ms": computation_ms,
        "ranking_computation_vs_sql_floor": _ratio(computation_ms, floor_ms),
    }


def _ratio(value: float, floor: float) -> float:
    return round(value / max(floor, 0.001), 1)


def _stack_floor(who: Client, requests: int) -> float:
    """The median of a signed-in request through the whole stack (every middleware, the session
    and the person read) to a page that renders nothing: what any page costs before its own
    work. The page exists only here, in a URL configuration of the benchmark's own."""
    from django.test import override_settings

    with override_settings(ROOT_URLCONF="demo.bench_urls"):
        return float(_timed(lambda: who.get("/bench/floor/"), requests, _ok)["median_ms"])


def _ranking_computation(bloc_year: BlocYear, requests: int) -> float:
    """The ranking page's own work without the page: the selector reads the year (the sheets'
    kept parts, scoring.selectors.ranking_kept) and the pure function ranks it."""
    from scoring.selectors import ranking as ranking_selectors
    from scoring.selectors.ranking_kept import kept_ranking_input

    def compute() -> None:
        live = kept_ranking_input(bloc_year)
        ranking_selectors.ranking_rows(live, live.rank())

    return float(_timed(compute, requests)["median_ms"])


def _documents_and_import(province: Province, requests: int) -> dict[str, dict[str, float | int]]:
    """The conference report as DOCX and PDF, and the import of one bloc-year's workbook."""
    items: dict[str, dict[str, float | int]] = {}
    try:
        from reports import builders, services
        from reports.render import render_docx, render_pdf
    except ImportError:
        return items
    document = services.document_create(
        bloc_year=province.published_year, kind="report", by=province.secretary
    )
    runs = max(3, requests // 4)
    from reports.render.memo import forget

    def first(render: Callable[[Any], bytes]) -> Callable[[], bytes]:
        """A first rendering each time: nothing remembered from the run before
        (reports.render.memo)."""

        def call() -> bytes:
            forget()
            return render(builders.build(document))

        return call

    items["conference report DOCX"] = _timed(first(render_docx), runs)
    items["conference report PDF"] = _timed(first(render_pdf), runs)
    from demo.bench_documents import pack_timings

    items.update(pack_timings(province.published_year, max(3, requests // 8), _timed))
    try:
        from scoring.importer import CouncilChoice, import_bloc_year
    except ImportError:
        return items
    # One workbook per run, each for an earlier year the units are free in: every run is a first
    # import (creating the year), as a council does when it brings its past records in.
    # Importing the same year again replaces it, which also deletes the old lines (Django's
    # cascade deletes 100 rows per statement); docs/performance.md reports that case apart.
    workbooks = [_workbook(province, year=2010 - index) for index in range(runs + 1)]

    def run_import() -> None:
        import_bloc_year(
            workbooks.pop(),
            filename="bench.xlsx",
            choice=CouncilChoice(code=province.council.code),
            by=None,
        )

    items["XLSX import of one bloc-year"] = _timed(run_import, runs)
    return items


def _workbook(province: Province, *, year: int) -> bytes:
    """One bloc-year in the workbook contract (docs/import-format.md), for the import timing."""
    import io

    from openpyxl import Workbook

    from blocs.models import Membership
    from scoring.models import ScoreLine

    bloc_year = province.published_year
    members = list(
        Membership.objects.filter(bloc_year=bloc_year).select_related("unit").order_by("unit__code")
    )
    criteria = list(bloc_year.scoring.criteria_set.criteria.order_by("order"))
    points = {
        (unit_id, criterion_id): value
        for unit_id, criterion_id, value in ScoreLine.objects.filter(
            sheet__bloc_year=bloc_year
        ).values_list("sheet__unit_id", "criterion_id", "verified_points")
    }
    book = Workbook()
    info = book.active
    info.title = "Thông tin"
    head = next(m.unit.code for m in members if m.role == Membership.Role.HEAD)
    deputy = next(m.unit.code for m in members if m.role == Membership.Role.DEPUTY)
    for key, value in (
        ("Mã khối", "BENCHIMPORT"),
        ("Tên khối", "Khối nhập thử"),
        ("Năm", year),  # a year the units are free in: the import creates a new bloc-year
        ("Trưởng khối", head),
        ("Khối phó", deputy),
        ("Điểm thưởng tối đa", 5),
        ("Mã hội đồng", province.council.code),
    ):
        info.append([key, value])
    units = book.create_sheet("Đơn vị")
    units.append(["Mã đơn vị", "Tên đơn vị"])
    for membership in members:
        units.append([membership.unit.code, membership.unit.name])
    sheet = book.create_sheet("Tiêu chí")
    sheet.append(["Mã", "Nội dung", "Điểm tối đa", "Loại"])
    kinds = {"standard": "chuẩn", "bonus": "thưởng", "penalty": "trừ"}
    for criterion in criteria:
        sheet.append(
            [criterion.code, criterion.title, float(criterion.max_points), kinds[criterion.kind]]
        )
    scores = book.create_sheet("Điểm")
    scores.append(["Mã tiêu chí", *(m.unit.code for m in members)])
    for criterion in criteria:
        if "." not in criterion.code:
            continue
        scores.append(
            [criterion.code, *(float(points[(m.unit_id, criterion.pk)] or 0) for m in members)]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
