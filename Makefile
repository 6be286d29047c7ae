# Two commands on a fresh machine with python3: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test lint check benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Every product, and the empty data-collection workbook. The filled workbook
# (`booklet export`) holds internal notes and consent records, so it is never
# written into the shared output folder by default.
build: $(STAMP)
	$(BIN)/booklet build
	$(BIN)/booklet template output/data-collection.xlsx

check: $(STAMP)
	$(BIN)/booklet check

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

test: $(STAMP) lint
	$(BIN)/python -m pytest

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf output/* $(VENV)
