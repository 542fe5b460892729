# Two commands for a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test clock-matrix test-nocache venv venv-test template clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

venv: $(BIN)/python
	$(BIN)/pip install -q -e .

venv-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

demo: venv
	$(BIN)/relist demo ./relist-demo

# The clock matrix: the pure and integration tests again with the machine's zone far from the agent's
# and the clock at 23:30 agent time (the agent's date is then not the machine's, nor UTC's).
CLOCK_TESTS ?= tests/unit tests/integration

test: venv-test
	$(BIN)/ruff check lib tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)
	$(MAKE) --no-print-directory clock-matrix
	$(MAKE) --no-print-directory test-nocache

# The whole suite again with the read cache switched off (RELIST_CACHE=0: every read and write takes the
# full path the cache must agree with). About 4 minutes on a quiet CI machine.
NOCACHE_TESTS ?= tests

test-nocache: venv-test
	RELIST_CACHE=0 $(BIN)/python -m pytest -q -p no:cacheprovider $(NOCACHE_TESTS)

clock-matrix: venv-test
	TZ=UTC RELIST_TEST_NOW="23:30 America/New_York" $(BIN)/python -m pytest -q -p no:cacheprovider $(CLOCK_TESTS)
	TZ=Pacific/Kiritimati RELIST_TEST_NOW="23:30 America/Los_Angeles" $(BIN)/python -m pytest -q -p no:cacheprovider $(CLOCK_TESTS)
	TZ=America/Los_Angeles $(BIN)/python -m pytest -q -p no:cacheprovider $(CLOCK_TESTS)

template: venv
	$(BIN)/relist init workbook/Relist.xlsx --force --no-backup

clean:
	rm -rf $(VENV) relist-demo
