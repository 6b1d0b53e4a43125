# Everything a fresh machine needs: `make run` serves the seeded catalog, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: run test seed lint format bench screenshots clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

seed: $(VENV)/.installed
	$(BIN)/flask --app catalog seed

run: seed
	$(BIN)/flask --app catalog run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check catalog tests bench
	$(BIN)/lint-imports
	$(BIN)/bandit -c pyproject.toml -r catalog --severity-level medium --quiet

format: $(VENV)/.installed
	$(BIN)/ruff format catalog tests bench
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed
	$(BIN)/python bench/search.py
	$(BIN)/python bench/mail.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

screenshots: $(VENV)/.installed
	$(BIN)/python docs/take_screenshots.py
