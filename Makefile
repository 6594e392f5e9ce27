# The README's two commands: `make site` and `make test`.
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test update serve lint format bench corpus clean

# 1. Set everything up and build the site into site/.
site: $(STAMP)
	bash scripts/system-deps.sh fonts
	$(BIN)/mkdocs build --strict

# 2. Set everything up and run all tests (unit, real MkDocs build, headless Chromium,
#    LibreOffice for the .doc/.wps tests).
test: $(STAMP)
	bash scripts/system-deps.sh fonts chromium office
	$(BIN)/ruff check gongkai scripts tests
	$(BIN)/mypy
	$(BIN)/python -m pytest

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# After adding or changing reports: rebuild only what changed (seconds, not minutes).
# Same site as `make site` (tests/test_rebuild.py); MkDocs cannot check it with --strict.
update: $(STAMP)
	$(BIN)/mkdocs build --dirty

serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty

lint: $(STAMP)
	$(BIN)/ruff check gongkai scripts tests
	$(BIN)/ruff format --check gongkai scripts tests
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format gongkai scripts tests
	$(BIN)/ruff check --fix gongkai scripts tests

# Minutes: N = 100, 1,000, 10,000 text reports, then text PDFs, OCR and 1,000 mixed-format
# reports (Chromium prints the PDFs; corpora cached under build/bench/). Smaller:
# make bench BENCH_ARGS="--quick --mixed 200"; one part: BENCH_ARGS="--sizes '' --mixed 1000".
BENCH_ARGS ?=
bench: $(STAMP)
	bash scripts/system-deps.sh fonts chromium
	$(BIN)/python scripts/benchmark.py $(BENCH_ARGS)

clean:
	rm -rf site build content/agencies content/data content/generated $(VENV)

corpus: $(STAMP)
	$(BIN)/python scripts/make_corpus.py build/corpus -n 1000 --seed 1
