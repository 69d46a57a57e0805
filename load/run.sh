#!/usr/bin/env bash
# make load: a fresh PostgreSQL database, gunicorn with 2 workers on 127.0.0.1, and locust
# driving 50 simulated people for 60 s. Results: var/load/latest.json and the locust CSVs.
# make load-steps (LOAD_STEPS=10,25,50,100): one locust run per step, one after the other,
# against the same database and gunicorn, LOAD_STEP_DURATION (30s) each, the statistics counted
# from when every person of the step has started; var/load/steps.json and a table
# (demo/load_steps.py).
# Only loopback is used; everything stops when the run ends (or fails).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
USERS=${LOAD_USERS:-50}
DURATION=${LOAD_DURATION:-60s}
PORT=${LOAD_PORT:-8100}
STEPS=${LOAD_STEPS:-}
STEP_DURATION=${LOAD_STEP_DURATION:-30s}
WORKERS=2
LOCUST=${LOCUST:-$BIN/locust}
DB_URL=${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/thidua_load}
OUT=var/load
mkdir -p "$OUT"

export DATABASE_URL="$DB_URL"
export DEBUG=false
export SECRET_KEY=${SECRET_KEY:-load-test-key-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export ALLOWED_HOSTS=127.0.0.1
export STATIC_ROOT="$PWD/$OUT/static"
# Plain HTTP on loopback: no TLS redirect, no secure-only cookies for this run.
export SECURE_SSL_REDIRECT=false
export SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0
export LOAD_PLAN="$OUT/plan.json"

echo "== database: $DB_URL (dropped and created again)"
"$BIN/python" - "$DB_URL" <<'PY'
import sys
from urllib.parse import urlparse

import psycopg

url = urlparse(sys.argv[1])
name = url.path.lstrip("/")
admin = url._replace(path="/postgres").geturl()
with psycopg.connect(admin, autocommit=True) as connection:
    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.execute(f'CREATE DATABASE "{name}"')
PY
"$BIN/python" manage.py migrate --no-input -v0
"$BIN/python" manage.py collectstatic --no-input -v0
"$BIN/python" manage.py load_prepare

"$BIN/gunicorn" thidua.wsgi:application --workers "$WORKERS" --bind "127.0.0.1:$PORT" \
    --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" >>"$OUT/gunicorn.log" 2>&1 &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true; wait $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.2
done

if [ -n "$STEPS" ]; then
    # One run per step; statistics reset once every person of the step has started, so each
    # step's figures are its steady state (the logins of the ramp are not counted).
    # The CPU time gunicorn (master and workers) used, in clock ticks, and the requests it
    # logged (one JSON line each): per step, the server's CPU per request, which other
    # processes on the machine disturb far less than the latencies.
    server_cpu() {
        local total=0 pid fields
        for pid in $GUNICORN $(pgrep -P "$GUNICORN"); do
            read -r -a fields <"/proc/$pid/stat"
            total=$((total + fields[13] + fields[14]))
        done
        echo "$total"
    }
    ARGS=()
    for PEOPLE in ${STEPS//,/ }; do
        echo "== locust: $PEOPLE people for $STEP_DURATION (after the ramp)"
        CPU_BEFORE=$(server_cpu)
        LINES_BEFORE=$(wc -l <"$OUT/gunicorn.log")
        "$LOCUST" -f load/locustfile.py --headless --users "$PEOPLE" --spawn-rate 20 \
            --run-time "$STEP_DURATION" --reset-stats --host "http://127.0.0.1:$PORT" \
            --csv "$OUT/step-$PEOPLE" --only-summary --exit-code-on-error 0 \
            2>"$OUT/step-$PEOPLE.log" || true
        cut -d' ' -f1-3 /proc/loadavg >"$OUT/step-$PEOPLE.loadavg"
        echo "$(($(wc -l <"$OUT/gunicorn.log") - LINES_BEFORE)) $(($(server_cpu) - CPU_BEFORE))" \
            "$(getconf CLK_TCK)" >"$OUT/step-$PEOPLE.server"
        ARGS+=("$PEOPLE=$OUT/step-$PEOPLE""_stats.csv")
    done
    "$BIN/python" -m demo.load_steps --workers "$WORKERS" --duration "$STEP_DURATION" \
        --output "$OUT/steps.json" "${ARGS[@]}"
    exit 0
fi

echo "== locust: $USERS people for $DURATION"
"$LOCUST" -f load/locustfile.py --headless --users "$USERS" --spawn-rate 10 \
    --run-time "$DURATION" --host "http://127.0.0.1:$PORT" --csv "$OUT/run" \
    --only-summary --exit-code-on-error 0 2>"$OUT/locust.log" || true

"$BIN/python" - "$OUT" "$USERS" "$DURATION" <<'PY'
import csv
import json
import sys
from pathlib import Path

out, users, duration = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rows = list(csv.DictReader((out / "run_stats.csv").open(encoding="utf-8")))
items = {}
for row in rows:
    items[row["Name"] if row["Type"] else "all requests"] = {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "median_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "requests_per_s": round(float(row["Requests/s"]), 1),
    }
total = items.get("Aggregated") or items["all requests"]
result = {"users": users, "duration": duration, "total": total, "items": items}
(out / "latest.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
width = max(len(name) for name in items)
print(f"{'request':<{width}}  {'count':>6} {'fail':>5} {'median':>7} {'p95':>7} {'req/s':>6}")
for name, item in items.items():
    print(
        f"{name:<{width}}  {item['requests']:>6} {item['failures']:>5} "
        f"{item['median_ms']:>6.0f}ms {item['p95_ms']:>6.0f}ms {item['requests_per_s']:>6}"
    )
print(f"\n{users} people, {duration}: {total['requests_per_s']} req/s, "
      f"p95 {total['p95_ms']:.0f} ms, {total['failures']} errors → {out / 'latest.json'}")
PY
