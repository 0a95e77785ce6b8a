# Two commands: `make demo` (set up, build a sample case, ingest it) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system-deps demo test wheel-check lint format clean

setup: system-deps $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --no-binary tesserocr -c constraints.txt -e '.[dev,server]'
	@touch $(STAMP)

demo: setup
	$(BIN)/docket doctor --case docket-demo/case
	$(BIN)/docket demo --out docket-demo/cache --case docket-demo/case

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/docket
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest -q -n 2 --dist loadgroup
	$(BIN)/python scripts/check-wheel.py

# The wheel installed into a fresh virtual environment and used end to end (about a minute)
wheel-check: setup
	$(BIN)/python scripts/check-wheel.py

format: setup
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

clean:
	rm -rf $(VENV) docket-demo docket-case
