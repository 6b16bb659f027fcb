# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.installed-demo

.PHONY: demo test test-sqlite test-postgres test-reference test-django6 lint docs typecheck bench clean

# The demo needs the site and the emulator only; the test tools (playwright, psycopg, ruff,
# pytest, mkdocs) are installed by the first `make test`.
$(DEMO_STAMP): setup.cfg pyproject.toml
	@test -x $(BIN)/python || { echo "==> [1/3] creating $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@echo "==> [2/3] upgrading pip"
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "==> [3/3] installing pyot_django with the demo extra (Django, httpx, uvicorn, django-redis)"
	@# Not editable: the demo runs from the checkout anyway (python -m puts it first on sys.path),
	@# and an editable install makes setuptools print a ten-line note about the flat layout.
	@$(BIN)/python -m pip install --quiet ".[demo]"
	@rm -f $(STAMP)  # the next `make test` reinstalls editable, with the test tools
	@touch $(DEMO_STAMP)

$(STAMP): setup.cfg pyproject.toml
	@test -x $(BIN)/python || { echo "==> creating $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@echo "==> installing pyot_django with the test extra (pytest, playwright, psycopg, ruff, mkdocs)"
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP) $(DEMO_STAMP)

## Run the testproject against the built-in Riot emulator on http://127.0.0.1:8000 (DEMO_PORT=...)
demo: $(DEMO_STAMP)
	@$(BIN)/python -m testproject.demo

## Lint, build the docs (warnings are errors), type-check, then the suite on SQLite and on PostgreSQL
test: lint docs typecheck test-sqlite test-postgres

## The documentation site (MkDocs Material) into build/site; any warning fails the build
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

lint: $(STAMP)
	$(BIN)/ruff check .

test-sqlite: $(STAMP)
	PYOT_TEST_DB=sqlite $(BIN)/pytest -p no:cacheprovider

test-postgres: $(STAMP)
	PYOT_TEST_DB=postgres $(BIN)/pytest -p no:cacheprovider

## mypy --strict with django-stubs on the package (config: setup.cfg [mypy]); mypy as a project runs it
## (its own settings, no options of ours); then the typed-fetch call file under mypy and pyright
typecheck: $(STAMP)
	$(BIN)/mypy
	PYOT_TEST_DB=sqlite $(BIN)/pytest -p no:cacheprovider tests/test_project_typecheck.py tests/test_typed_fetch.py

## Tests that read the Riot API reference in ../shared/riotapi (not in a user's clone; .ci/run runs them)
test-reference: $(STAMP)
	PYOT_REFERENCE_TESTS=1 PYOT_TEST_DB=sqlite $(BIN)/pytest -p no:cacheprovider tests/reference

## The core suites again on Django 6 (needs Python 3.12+; PY6 names the interpreter)
# pyenv's shims answer "command not found" for versions not selected, so ask each candidate to run.
PY6 ?= $(shell for py in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3.13 \
	$$HOME/.pyenv/versions/3.12*/bin/python3.12; do $$py -c '' 2>/dev/null && { echo $$py; break; }; done)
VENV6 ?= .venv-django6
CORE_TESTS := tests/test_token.py tests/test_pipeline.py tests/test_orm_store.py tests/test_checks.py \
	tests/test_riot_store.py tests/test_operations.py tests/test_commands.py tests/test_admin.py
test-django6:
	@test -n "$(PY6)" || { echo "test-django6: no Python 3.12+ found; set PY6=/path/to/python3.12" >&2; exit 1; }
	test -x $(VENV6)/bin/python || $(PY6) -m venv $(VENV6)
	$(VENV6)/bin/python -m pip install --quiet --upgrade pip
	$(VENV6)/bin/python -m pip install --quiet -e ".[test]" "Django>=6.0"
	PYOT_TEST_DB=sqlite $(VENV6)/bin/pytest -p no:cacheprovider $(CORE_TESTS)
	PYOT_TEST_DB=postgres $(VENV6)/bin/pytest -p no:cacheprovider $(CORE_TESTS)

clean:
	rm -rf $(VENV) $(VENV6) build *.egg-info
