# Everything a fresh machine needs: `make run` serves the seeded catalog, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: run test seed vendor lint format bench screenshots clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Front-end libraries and page checkers, pinned in package.json / package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# The served libraries, each with its licence, copied where the app serves static files.
static/vendor/.copied: node_modules/.installed
	mkdir -p static/vendor/htmx
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE static/vendor/htmx/
	touch $@

vendor: static/vendor/.copied

seed: $(VENV)/.installed vendor
	$(BIN)/flask --app catalog seed

# Development: queued emails are printed to the terminal, and a demo staff sign-in is printed first.
# Links in the printed emails point at this server unless SITE_URL says otherwise.
run: seed
	CATALOG_ENV=development SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(BIN)/flask --app catalog demo-staff
	CATALOG_ENV=development SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(BIN)/flask --app catalog run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed vendor
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 --dist worksteal $(PYTEST_ARGS)

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
