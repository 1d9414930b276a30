# The two set-up commands of README.md: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: run serve test lint bench

$(BIN)/helpline: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/helpline

## Install, then talk to the helpline in the terminal (embedded SQLite, shipped content).
run: $(BIN)/helpline
	$(BIN)/helpline chat

## Install, then serve the webhooks and the admin panel on http://127.0.0.1:5000.
serve: $(BIN)/helpline
	$(BIN)/helpline serve

lint: $(BIN)/helpline
	$(BIN)/ruff check .
	PYTHONPATH=. $(BIN)/lint-imports
	$(BIN)/helpline content check
	$(BIN)/helpline i18n check

## Install, then run every check and the whole test suite on SQLite and on PostgreSQL.
test: lint
	./scripts/services
	$(BIN)/pytest -q -p no:cacheprovider
	HELPLINE_TEST_DATABASE=$(PG_TEST_URL) $(BIN)/pytest -q -p no:cacheprovider -m "not browser"

bench: $(BIN)/helpline
	$(BIN)/python bench/matching.py
	$(BIN)/python bench/webhooks.py
