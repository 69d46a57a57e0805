# Thi đua — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck check messages bench load load-steps clean help

help:
	@echo "make run    – install into .venv, migrate, load the demo, serve on http://$(HOST):$(PORT)/"
	@echo "make test   – the whole test suite (SQLite; PostgreSQL when DATABASE_URL is set)"
	@echo "make mail-worker – send queued e-mail as production does (with MAIL_DELIVERY=queue make run)"
	@echo "make lint   – ruff, mypy and the migrations check"
	@echo "make lock   – refresh requirements/*.txt within pyproject.toml's bounds; make outdated: what it would change"
	@echo "make bench  – measure the pages on a synthetic province (docs/performance.md)"
	@echo "make load   – 50 simulated people for 60 s against gunicorn + PostgreSQL"
	@echo "make load-steps – 10, 25, 50 then 100 people, 30 s each: req/s and where p95 crosses 300 ms"

# Python packages come from the locks in requirements/ (exact versions and their hashes, for
# CPython 3.11 on Linux x86_64; docs/dependencies.md), never from whatever is newest today:
# pip checks every file against the lock, then the project itself is installed without its
# dependencies, with the lock's setuptools. A changed lock (or pyproject.toml) reinstalls.
LOCKS := requirements
LOCK := $(LOCKS)/lock.txt
DEV_LOCK := $(LOCKS)/dev.lock.txt
LOAD_LOCK := $(LOCKS)/load.lock.txt
PIP_LOCKED := $(BIN)/python -m pip install --quiet --require-hashes
PIP_PROJECT := $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation

$(STAMP): pyproject.toml $(DEV_LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_LOCKED) -r $(DEV_LOCK)
	$(PIP_PROJECT) -e .
	@touch $(STAMP)

.PHONY: install lock outdated
install: $(STAMP)

# make lock: every lock recompiled from pyproject.toml (+ requirements/build.in) with the newest
# versions its bounds allow; `make lock LOCK_UPGRADE=` keeps the current pins and only adds or
# drops what pyproject.toml changed. The dev lock is constrained by the runtime lock and the
# load lock by the dev lock, so the tests run the versions production installs.
# make outdated: what `make lock` would change, written nowhere.
LOCK_UPGRADE ?= --upgrade
LOCK_OUT ?= $(LOCKS)
UV_COMPILE = $(BIN)/uv pip compile --quiet --no-config --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --index-url https://pypi.org/simple \
	--generate-hashes --custom-compile-command "make lock" $(LOCK_UPGRADE) \
	pyproject.toml $(LOCKS)/build.in --extra s3

lock: $(STAMP)
	@mkdir -p $(LOCK_OUT)
	$(UV_COMPILE) -o $(LOCK_OUT)/lock.txt
	$(UV_COMPILE) --extra dev -c $(LOCK_OUT)/lock.txt -o $(LOCK_OUT)/dev.lock.txt
	$(UV_COMPILE) --extra dev --extra load -c $(LOCK_OUT)/dev.lock.txt -o $(LOCK_OUT)/load.lock.txt

outdated: $(STAMP)
	@rm -rf var/lock-refresh
	@$(MAKE) --no-print-directory lock LOCK_OUT=var/lock-refresh LOCK_UPGRADE=--upgrade >/dev/null
	@for name in lock dev.lock load.lock; do \
		echo "$(LOCKS)/$$name.txt:"; \
		for side in $(LOCKS) var/lock-refresh; do \
			sed -n 's/^\([A-Za-z0-9][A-Za-z0-9._-]*\)==\([^ ;]*\).*/\1 \2/p' $$side/$$name.txt \
				| LC_ALL=C sort > var/lock-refresh/$$name.$$(basename $$side).pins; \
		done; \
		LC_ALL=C join -a1 -a2 -e '(none)' -o 0,1.2,2.2 \
			var/lock-refresh/$$name.requirements.pins var/lock-refresh/$$name.lock-refresh.pins \
			| awk '$$2 != $$3 { printf "  %-32s %s -> %s\n", $$1, $$2, $$3; n++ } \
				END { if (!n) print "  up to date" }'; \
	done

run: $(STAMP)
	@mkdir -p var
	DEBUG=true $(BIN)/python manage.py migrate --no-input
	DEBUG=true $(BIN)/python manage.py load_demo --if-empty
	@echo ""
	@echo "  Thi đua: http://$(HOST):$(PORT)/   (Ctrl+C to stop)"
	@echo ""
	DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

# `make run` sends e-mail itself (MAIL_DELIVERY=inline); to try the production queue, run
# `MAIL_DELIVERY=queue make run` and this worker next to it (docs/notifications.md).
.PHONY: mail-worker
mail-worker: $(STAMP)
	DEBUG=true $(BIN)/python manage.py deliver_mail

# axe-core for the accessibility browser tests (package.json). Without npm, or offline, those
# tests skip with the reason (and fail under CI=true); the rest of the suite still runs.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error || echo "npm ci failed: the accessibility tests will skip"; \
	else \
		echo "npm is not installed: the accessibility tests will skip (apt-get install npm)"; \
	fi

# The suite runs on every core (pytest-xdist; each worker has its own test database) and names
# its slowest tests, so a slow one is seen. `make test PYTEST_ARGS=tests/scoring` runs a part.
PYTEST_ARGS ?= -n auto --durations=20
test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=thidua.settings_test

messages: $(STAMP)
	$(BIN)/python manage.py makemessages --locale=vi --locale=en --no-obsolete --ignore=.venv --ignore=var --settings=thidua.settings_test
	$(BIN)/python manage.py compilemessages --ignore=.venv --settings=thidua.settings_test

clean:
	rm -rf var/thidua.sqlite3 var/static var/test-artifacts

bench: $(STAMP)
	$(BIN)/python manage.py bench --settings=thidua.settings_test $(BENCH_ARGS)

LOAD_STAMP := $(VENV)/.installed-load
$(LOAD_STAMP): $(STAMP) $(LOAD_LOCK)
	$(PIP_LOCKED) -r $(LOAD_LOCK)
	@touch $(LOAD_STAMP)

load: $(LOAD_STAMP)
	bash load/run.sh

# The stepped run: LOAD_STEPS people one step after the other, LOAD_STEP_DURATION each.
LOAD_STEPS ?= 10,25,50,100
load-steps: $(LOAD_STAMP)
	LOAD_STEPS=$(LOAD_STEPS) bash load/run.sh
