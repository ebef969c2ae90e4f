# Two commands: `make run` starts Safeloop with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
# Test processes: the tests wait on servers, browsers and Redis more than on the CPU.
TEST_PROCESSES ?= 3
export FLASK_APP := server

.PHONY: run test lint browser bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	$(BIN)/flask serve --host 127.0.0.1 --port 5000

browser: $(STAMP)
	@if [ -x $(CHROMIUM) ]; then echo "End-to-end tests use $(CHROMIUM)"; \
	else $(BIN)/playwright install chromium; fi

test: $(STAMP) browser
	$(BIN)/ruff check server tests e2e bench
	$(BIN)/lint-imports
	$(BIN)/pytest -n $(TEST_PROCESSES)

lint: $(STAMP)
	$(BIN)/ruff check server tests e2e bench
	$(BIN)/ruff format --check server tests e2e bench
	$(BIN)/lint-imports
