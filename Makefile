# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-sqlite test-postgres lint bench clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

## Run the testproject against the built-in Riot emulator on http://127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/python -m testproject.demo

## Lint, then the whole suite on SQLite and again on PostgreSQL (services: see README)
test: lint test-sqlite test-postgres

lint: $(STAMP)
	$(BIN)/ruff check .

test-sqlite: $(STAMP)
	PYOT_TEST_DB=sqlite $(BIN)/pytest -p no:cacheprovider

test-postgres: $(STAMP)
	PYOT_TEST_DB=postgres $(BIN)/pytest -p no:cacheprovider

clean:
	rm -rf $(VENV) build *.egg-info
