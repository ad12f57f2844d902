# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# Test processes (pytest-xdist): one per core. On PostgreSQL each has its own database,
# PG_URL's name plus the worker's ("test_gw0"), created when missing.
WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(WORKERS)

.PHONY: run test test-fast test-postgres test-browser lint typecheck bench setup db demo translations \
	translate-extract translate-update clean

$(STAMP): requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP) translations

translations: $(STAMP)
	@if ls app/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile -d app/translations -D messages >/dev/null; fi

db: setup
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) content load

# The demo council, then one round of reminders so each account's bell has what is due.
demo: db
	$(FLASK) demo-data
	$(FLASK) reminders send-due

# The web server, and beside it the safety sender: urgent alerts reach phones within seconds
# and escalate until someone acts (README, "I don't feel safe"). Stopping one stops both.
run: demo
	$(FLASK) safety sender & sender=$$!; trap 'kill $$sender 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --bind 127.0.0.1:5000 --workers 2 --access-logfile - wsgi:app

# The whole suite: rules, pages over HTTP and the browser journeys (SQLite unless
# TEST_DATABASE_URL says otherwise).
test: setup
	$(PYTEST) -q

# The same without the browser journeys.
test-fast: setup
	$(PYTEST) -q -m "not browser"

test-postgres: setup
	TEST_DATABASE_URL=$(PG_URL) $(PYTEST) -q -m "not browser"

test-browser: setup
	$(PYTEST) -q -m browser

lint: $(STAMP)
	$(BIN)/ruff check app tests bench migrations wsgi.py
	$(BIN)/ruff format --check app tests bench migrations wsgi.py
	$(BIN)/mypy

# mypy: the files and settings are in pyproject.toml.
typecheck: $(STAMP)
	$(BIN)/mypy

bench: setup
	$(BIN)/python -m bench.caseload
	$(BIN)/python -m bench.sizes
	$(BIN)/python -m bench.push

translate-extract: $(STAMP)
	$(FLASK) translate extract

translate-update: $(STAMP)
	$(FLASK) translate update

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
