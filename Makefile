# The two commands a newcomer needs: `make run` and `make test`.
# Each sets itself up on a fresh machine (virtualenv, packages, database).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test install migrate demo scale lint messages smoke clean

$(INSTALLED): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(INSTALLED)

install: $(INSTALLED)

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

# The demo zone is loaded once by `make run`; seed_demo is idempotent, the
# stamp only saves time. `make demo` runs it again (new steps, a reset database).
var/.demo-loaded: | migrate
	$(BIN)/python manage.py seed_demo
	touch var/.demo-loaded

demo: migrate
	$(BIN)/python manage.py seed_demo
	touch var/.demo-loaded

# Synthetic province-scale data for benchmarks: `make scale N=100000`.
N ?= 100000
scale: migrate
	$(BIN)/python manage.py generate_scale --enterprises $(N)

# Web server, Celery worker and Celery beat together; Ctrl-C stops all three.
run: migrate var/.demo-loaded
	PATH="$(CURDIR)/$(BIN):$$PATH" DEBUG=$${DEBUG:-1} $(BIN)/honcho start

# One worker per core (-n auto); a test file stays on one worker (--dist loadfile), so a
# module-scoped fixture such as the seeded demo zone is built once, not once per worker.
test: install
	$(BIN)/python -m pytest -n auto --dist loadfile

# Style, then security: bandit fails on any medium or high finding not fixed or explained
# in the code (`# nosec BXXX  # why`); its settings are [tool.bandit] in pyproject.toml.
# The type checker goes after them, as a third step of its own.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -c pyproject.toml -r . --quiet --severity-level medium

# Recompile the translation catalogues (needs gettext); the .mo files are committed.
messages: install
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=tests --no-obsolete --add-location=file
	$(BIN)/python manage.py compilemessages --ignore=.venv

# The production smoke test (deploy/smoke.py): gunicorn with the production settings, a Celery
# worker and beat on Redis, on a fresh PostgreSQL database that is dropped afterwards.
# Needs PostgreSQL and Redis: SMOKE_PG (server URL without a database), SMOKE_REDIS_URL.
SMOKE_PG ?= postgres://postgres@127.0.0.1:5432
SMOKE_DB ?= jingkai_smoke
SMOKE_REDIS_URL ?= redis://127.0.0.1:6379/8
smoke: install
	psql "$(SMOKE_PG)/postgres" -qc 'DROP DATABASE IF EXISTS "$(SMOKE_DB)"'
	psql "$(SMOKE_PG)/postgres" -qc 'CREATE DATABASE "$(SMOKE_DB)"'
	redis-cli -u "$(SMOKE_REDIS_URL)" flushdb >/dev/null
	status=0; DATABASE_URL="$(SMOKE_PG)/$(SMOKE_DB)" REDIS_URL="$(SMOKE_REDIS_URL)" $(BIN)/python deploy/smoke.py || status=$$?; \
	psql "$(SMOKE_PG)/postgres" -qc 'DROP DATABASE IF EXISTS "$(SMOKE_DB)"'; \
	redis-cli -u "$(SMOKE_REDIS_URL)" flushdb >/dev/null; \
	exit $$status

# Removes the database, broker queue and uploads of the embedded defaults.
clean:
	rm -rf var
