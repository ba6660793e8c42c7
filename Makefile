# Two entry points for a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?= -n auto
# Other days on which the suite must pass as well (see test-dates).
TEST_DAYS ?= 2027-03-15 2028-11-20 2031-07-01

# Modules measured by `make mutation` (names of mutation/*.toml); empty means all of them.
MUTATION_MODULES ?=
# How many of them it measures side by side (each in its own copy of the tree).
MUTATION_JOBS ?= 1

.PHONY: run test test-dates coverage mutation setup translations css document-screenshots clean

run: $(VENV)/.installed
	$(BIN)/planner db upgrade
	$(BIN)/planner demo
	$(BIN)/planner run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The suite (without the browser tests, on SQLite) again with the clock set to the TEST_DAYS: nothing in the
# product or the tests may depend on the day they run. Each day takes its own share of the tests (a stable split by
# test id), so every test runs on one other day and the whole costs one run of the suite.
test-dates: $(VENV)/.installed-test
	set -e; share=0; for day in $(TEST_DAYS); do \
	  share=$$((share + 1)); \
	  echo "== share $$share of $(words $(TEST_DAYS)) of the test suite on $$day"; \
	  $(BIN)/python -m pytest $(PYTEST_ARGS) -q --today=$$day --share=$$share/$(words $(TEST_DAYS)) \
	    --ignore=tests/browser -m "not slow" -k "not postgresql"; \
	done

# Line and branch coverage, child processes included (COVERAGE_ARGS: which tests, default all).
COVERAGE_ARGS ?= -n 0
coverage: $(VENV)/.installed-test
	mkdir -p build/coverage && rm -f build/coverage/.coverage*
	$(BIN)/python -m coverage run -m pytest $(COVERAGE_ARGS)
	$(BIN)/python -m coverage combine -q
	$(BIN)/python -m coverage report

# Mutation testing with cosmic-ray (slow: one process, minutes to an hour per module; see the README).
mutation: $(VENV)/.installed-mutation
	MUTATION_JOBS=$(MUTATION_JOBS) scripts/mutation.sh $(MUTATION_MODULES)

# axe-core and the NL Design System packages for the browser tests (skipped, with a reason, without Node.js)
node_modules/.installed: package.json package-lock.json
	if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund && touch $@; fi

setup: $(VENV)/.installed

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-mutation: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'
	touch $@

# Re-extract the interface texts and update the catalogues after changing code or templates.
translations: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --no-location --sort-output -o planner/translations/messages.pot .
	$(BIN)/pybabel update -i planner/translations/messages.pot -d planner/translations -l nl -w 100 --ignore-obsolete
	$(BIN)/pybabel compile -d planner/translations -l nl
	$(BIN)/python scripts/english_catalogue.py

# Rebuild the bundled NL Design System CSS from the locked npm packages.
css: node_modules/.installed
	npm run --silent build:css

# The README's pictures of the plan document (LibreOffice and poppler-utils needed).
document-screenshots: $(VENV)/.installed
	$(BIN)/python scripts/document_screenshots.py

clean:
	rm -rf $(VENV) build dist *.egg-info node_modules
