# The two commands a newcomer runs: `make demo` and `make test`. Both install what is missing first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SEED ?= 1


.PHONY: setup demo serve test test-fast test-postgres typecheck lint format messages bench clean

setup: $(VENV)/.installed static/vendor/.installed locale/.compiled
	@bash scripts/system-deps.sh

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

static/vendor/.installed: package.json package-lock.json scripts/vendor-assets.sh scripts/assets/editor-entry.js
	@bash scripts/vendor-assets.sh
	@touch $@

locale/.compiled: $(VENV)/.installed $(wildcard locale/*/LC_MESSAGES/*.po)
	@bash scripts/system-deps.sh
	@$(PY) manage.py compilemessages --verbosity 0 --ignore=.venv --ignore=node_modules
	@touch $@

demo: setup
	@$(PY) manage.py migrate --no-input --verbosity 0
	@$(PY) manage.py generate --profile county --seed $(SEED) --if-empty
	@$(PY) manage.py collectstatic --no-input --verbosity 0
	@bash scripts/serve.sh $(PORT)

test: setup
	@DJANGO_SETTINGS_MODULE=dangjian.test_settings $(PY) -m pytest

# While working: everything but the browser walks, the killed-worker tests and the API fuzzer (make test runs them).
FAST := -m "not browser and not slow and not fuzz"
test-fast: setup
	@DJANGO_SETTINGS_MODULE=dangjian.test_settings $(PY) -m pytest $(FAST)

# CI runs the suite against PostgreSQL too; DATABASE_URL selects it (see .ci/run). The browser walks, the
# killed-worker tests and the API fuzzer run once, in `make test`: they test pages, processes and the schema, not SQL.
test-postgres: setup
	@bash scripts/postgres-up.sh
	@DJANGO_SETTINGS_MODULE=dangjian.test_settings DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(PY) -m pytest $(FAST)

# Province-scale benchmarks on the local PostgreSQL; see BENCHMARKS.md. BENCH_ARGS=--reuse keeps the data.
bench: setup
	@bash scripts/system-deps.sh wrk
	@bash scripts/postgres-up.sh
	@bash scripts/redis-up.sh
	@$(PY) bench/run.py $(BENCH_ARGS)

# mypy with django-stubs over core and orgs (mypy.ini); CI runs it. Extend mypy.ini's `files` app by app.
typecheck: $(VENV)/.installed
	@$(VENV)/bin/mypy

lint: $(VENV)/.installed
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	@$(VENV)/bin/ruff format .
	@$(VENV)/bin/ruff check --fix .

messages: $(VENV)/.installed
	@$(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var

clean:
	rm -rf var/static var/*.sqlite3* .pytest_cache
