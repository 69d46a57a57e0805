"""The stepped load run's summary (demo/load_steps.py): locust's CSV of each step read into the
table — requests per second per worker, and the first step whose p95 crosses 300 ms. Locust
itself never runs in the suite; the CSVs are written here in its format (locust 2.47)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from demo import load_steps

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)


def stats(requests: int, failures: int, per_s: float, median: int, p95: int) -> str:
    """A step's ``*_stats.csv``: one request's row, then the "Aggregated" row."""
    page = "GET,/,5,0,40,41.2,30.1,60.3,8548.0,0.2,0.0,40,40,50,50,60,60,60,60,60,60,60"
    total = (
        f",Aggregated,{requests},{failures},{median},{median + 3.5},10.2,900.1,12000.0,"
        f"{per_s},0.0,{median},{median},{median},{median},{p95},{p95},{p95},{p95},{p95},"
        f"{p95},{p95}"
    )
    return "\n".join([HEADER, page, total]) + "\n"


Row = tuple[int, int, float, int, int]  # requests, failures, req/s, median, p95
STEPS: list[tuple[int, int, int, float, int, int]] = [  # people, then the Row
    (10, 300, 0, 10.04, 40, 120),
    (25, 612, 0, 20.4, 45, 250),
    (50, 858, 0, 28.6, 60, 310),
    (100, 900, 2, 30.0, 400, 900),
]


def step_row(people: int) -> Row:
    return next(step[1:] for step in STEPS if step[0] == people)


def test_each_step_is_its_aggregated_row_with_requests_per_second_per_worker() -> None:
    steps = [load_steps.read_step(step[0], stats(*step[1:])) for step in STEPS]
    result = load_steps.summary(steps, workers=2, duration="30s")
    assert [
        (s["people"], s["requests"], s["requests_per_s"], s["requests_per_s_per_worker"])
        for s in result["steps"]
    ] == [
        (10, 300, 10.0, 5.0),
        (25, 612, 20.4, 10.2),
        (50, 858, 28.6, 14.3),
        (100, 900, 30.0, 15.0),
    ]
    assert [(s["median_ms"], s["p95_ms"], s["errors"]) for s in result["steps"]] == [
        (40, 120, 0),
        (45, 250, 0),
        (60, 310, 0),
        (400, 900, 2),
    ]
    # 120 and 250 ms are within 300 ms; 310 ms at 50 people is the first over it.
    assert result["p95_crosses_target_at"] == 50
    lines = load_steps.table(result).splitlines()
    assert lines[0].split() == [
        "people",
        "requests",
        "req/s",
        "req/s/worker",
        "median",
        "p95",
        "errors",
        "load",
        "CPU",
        "ms/req",
    ]
    assert lines[3].split() == ["50", "858", "28.6", "14.3", "60ms", "310ms", "0"]
    assert lines[-1] == "p95 crosses 300 ms at 50 people"


def test_a_p95_of_exactly_300_ms_does_not_cross_and_the_table_says_not_crossed() -> None:
    steps = [
        load_steps.read_step(10, stats(300, 0, 10.0, 40, 120)),
        load_steps.read_step(50, stats(800, 0, 27.0, 43, 300)),
    ]
    result = load_steps.summary(steps, workers=2)
    assert result["p95_crosses_target_at"] is None
    assert load_steps.table(result).splitlines()[-1] == "p95 crosses 300 ms: not crossed"


def test_a_csv_without_the_aggregated_row_is_refused_naming_the_step() -> None:
    with pytest.raises(ValueError, match="25-person step"):
        load_steps.read_step(25, HEADER + "\n")


def test_the_command_line_writes_steps_json_with_the_load_average(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = []
    for people in (10, 25):
        (tmp_path / f"step-{people}_stats.csv").write_text(stats(*step_row(people)), "utf-8")
        arguments.append(f"{people}={tmp_path / f'step-{people}_stats.csv'}")
    (tmp_path / "step-25.loadavg").write_text("3.42 2.10 1.05\n")
    # 640 requests logged by gunicorn (the ramp's too), 1,536 ticks of 1/100 s: 15.36 s of CPU,
    # 24.0 ms a request.
    (tmp_path / "step-25.server").write_text("640 1536 100\n")
    output = tmp_path / "steps.json"
    load_steps.main(["--workers", "2", "--duration", "30s", "--output", str(output), *arguments])
    written = json.loads(output.read_text(encoding="utf-8"))
    assert written["workers"] == 2 and written["duration_per_step"] == "30s"
    assert [s["load_average"] for s in written["steps"]] == [None, 3.42]
    assert [s["server_cpu_ms_per_request"] for s in written["steps"]] == [None, 24.0]
    assert written["p95_crosses_target_at"] is None
    printed = capsys.readouterr().out
    assert "not crossed" in printed
    assert printed.splitlines()[2].split()[-2:] == ["3.4", "24.0"]


def test_a_step_without_requests_has_no_cpu_per_request() -> None:
    assert load_steps.cpu_per_request("0 12 100") is None
