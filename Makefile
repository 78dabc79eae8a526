# medshield: `make demo` runs the guided tour, `make test` the whole suite, `make bench` the benchmarks.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test fuzz bench mutate lint services clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark,bench]'
	@bash scripts/web-assets.sh
	@bash scripts/vendor_js.sh
	@touch $(STAMP)

demo: install
	$(BIN)/medshield demo

services:
	@bash scripts/system-packages.sh
	@bash scripts/services.sh

test: install services
	$(BIN)/python -m pytest -q -p no:cacheprovider

# The command-line fuzzer's long run: 20,000 examples over every command (make test runs 2,000).
fuzz: install services
	MEDSHIELD_FUZZ_EXAMPLES=20000 $(BIN)/python -m pytest -q -p no:cacheprovider tests/fuzz

bench: install services
	$(BIN)/python -m bench

# Mutation testing of the security core (docs/mutation.md): slow, not part of CI.
mutate: install services
	MEDSHIELD_HYPOTHESIS_PROFILE=mutation $(BIN)/mutmut run --max-children 2
	$(BIN)/python scripts/mutation_score.py

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .medshield demo-alliance .pytest_cache .mypy_cache .ruff_cache mutants
