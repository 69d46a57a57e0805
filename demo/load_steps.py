"""The summary of a stepped load run (``make load-steps``; docs/performance.md, "Steps").

``load/run.sh`` runs locust once per step (10, 25, 50, 100 people…) against one prepared
database and one gunicorn, each step writing locust's own CSV files (``step-<people>_stats.csv``).
This module reads the "Aggregated" row of each step's statistics and tells, per step, the
people, requests, requests per second (and per gunicorn worker), median, 95th percentile and
errors, the machine's load average and gunicorn's CPU time per request (which other work on a
shared machine disturbs far less than the latencies), and the first step whose 95th
percentile crosses the target (300 ms).

Pure: no Django, no network. ``python -m demo.load_steps --workers 2 --output steps.json
10=var/load/step-10_stats.csv 25=…`` writes the JSON and prints the table.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

P95_TARGET_MS = 300.0
AGGREGATED = "Aggregated"


@dataclass(frozen=True)
class Step:
    people: int
    requests: int
    errors: int
    requests_per_s: float
    median_ms: float
    p95_ms: float
    load_average: float | None = None  # the machine's 1-minute load average after the step
    # gunicorn's CPU time per request it served during the step (ramp included), in ms
    server_cpu_ms_per_request: float | None = None


def read_step(
    people: int,
    stats_csv: str,
    load_average: float | None = None,
    server_cpu_ms_per_request: float | None = None,
) -> Step:
    """The step's totals from locust's ``*_stats.csv`` text: its "Aggregated" row."""
    rows = list(csv.DictReader(io.StringIO(stats_csv)))
    total = next((row for row in rows if row["Name"] == AGGREGATED), None)
    if total is None:
        raise ValueError(f"no “{AGGREGATED}” row in the statistics of the {people}-person step")
    return Step(
        people=people,
        requests=int(total["Request Count"]),
        errors=int(total["Failure Count"]),
        requests_per_s=round(float(total["Requests/s"]), 1),
        median_ms=float(total["50%"]),
        p95_ms=float(total["95%"]),
        load_average=load_average,
        server_cpu_ms_per_request=server_cpu_ms_per_request,
    )


def cpu_per_request(server: str) -> float | None:
    """``step-N.server`` as run.sh writes it: "<requests logged> <CPU ticks> <ticks a second>"
    → gunicorn's CPU milliseconds per request (None without requests)."""
    requests, ticks, per_second = (int(value) for value in server.split())
    if not requests:
        return None
    return round(ticks * 1000 / per_second / requests, 1)


def crossing(steps: list[Step], target_ms: float = P95_TARGET_MS) -> int | None:
    """The people of the first step (in the order run) whose p95 is over the target; None when
    no step crosses it."""
    return next((step.people for step in steps if step.p95_ms > target_ms), None)


def summary(steps: list[Step], *, workers: int, duration: str = "") -> dict[str, Any]:
    """What ``steps.json`` holds: every step with its requests per second per worker, and the
    step where the 95th percentile crosses the target."""
    return {
        "workers": workers,
        "duration_per_step": duration,
        "p95_target_ms": P95_TARGET_MS,
        "steps": [
            {**asdict(step), "requests_per_s_per_worker": round(step.requests_per_s / workers, 1)}
            for step in steps
        ],
        "p95_crosses_target_at": crossing(steps),
    }


def table(result: dict[str, Any]) -> str:
    """The printed table, one line per step, and the crossing."""
    lines = [
        f"{'people':>6} {'requests':>9} {'req/s':>7} {'req/s/worker':>13} "
        f"{'median':>8} {'p95':>8} {'errors':>7} {'load':>5} {'CPU ms/req':>10}"
    ]
    for step in result["steps"]:
        load = "" if step["load_average"] is None else f"{step['load_average']:.1f}"
        cpu = step["server_cpu_ms_per_request"]
        lines.append(
            f"{step['people']:>6} {step['requests']:>9} {step['requests_per_s']:>7.1f} "
            f"{step['requests_per_s_per_worker']:>13.1f} {step['median_ms']:>6.0f}ms "
            f"{step['p95_ms']:>6.0f}ms {step['errors']:>7} {load:>5} "
            f"{'' if cpu is None else f'{cpu:.1f}':>10}"
        )
    crossed = result["p95_crosses_target_at"]
    target = f"{result['p95_target_ms']:.0f} ms"
    lines.append(
        f"p95 crosses {target} at {crossed} people"
        if crossed is not None
        else f"p95 crosses {target}: not crossed"
    )
    return "\n".join(lines)


def _step_from_file(argument: str) -> Step:
    """``50=var/load/step-50_stats.csv``; the load average from ``step-50.loadavg`` beside it
    (``/proc/loadavg`` as run.sh copied it after the step) and the server's CPU from
    ``step-50.server``, when they are there."""
    people, _, path = argument.partition("=")
    stats = Path(path)
    prefix = stats.name.removesuffix("_stats.csv")
    loadavg, server = stats.with_name(prefix + ".loadavg"), stats.with_name(prefix + ".server")
    load = float(loadavg.read_text().split()[0]) if loadavg.exists() else None
    cpu = cpu_per_request(server.read_text()) if server.exists() else None
    return read_step(int(people), stats.read_text(encoding="utf-8"), load, cpu)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--duration", default="")
    parser.add_argument("--output", required=True)
    parser.add_argument("steps", nargs="+", help="PEOPLE=path/to/step_stats.csv")
    options = parser.parse_args(argv)
    result = summary(
        [_step_from_file(argument) for argument in options.steps],
        workers=options.workers,
        duration=options.duration,
    )
    Path(options.output).write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(table(result))
    print(f"→ {options.output}")


if __name__ == "__main__":
    main()
