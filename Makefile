# The two commands a newcomer needs: `make clean-corpus` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out
SEEDS ?= seeds

.PHONY: venv clean-corpus test lint golden lock bench bench-glue bench-report clean

venv: $(STAMP)

# The virtual environment is rebuilt whenever the pinned lock file changes.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q -r requirements.lock
	touch $(STAMP)

clean-corpus: $(STAMP)
	$(BIN)/python -m pipeline clean $(SEEDS) --out $(OUT)
	$(BIN)/python -m pipeline validate $(OUT)/corpus.jsonl
	$(BIN)/python -m pipeline report $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/mypy pipeline

# Regenerate tests/golden/ from seeds/. Read the diff before committing it.
golden: $(STAMP)
	$(BIN)/python -m tests.make_golden

# Refresh the full transitive lock from requirements.txt (direct pins).
lock:
	rm -rf /tmp/lock-venv && $(PY) -m venv /tmp/lock-venv
	/tmp/lock-venv/bin/pip install -q -r requirements.txt
	/tmp/lock-venv/bin/pip freeze --exclude-editable | sort > requirements.lock

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache

# Glue-repair quality and speed on ../shared/data (see bench/GLUE.md). SPLIT=dev to tune.
SPLIT ?= test
bench-glue: $(STAMP)
	$(BIN)/python -m bench.bench_glue --split $(SPLIT)

# The review report on a synthetic 10,000-document output: build time, size, load time in headless
# Chromium (see README, "Review report"). DOCS=N to change the size, RUNS=N the repetitions.
DOCS ?= 10000
RUNS ?= 3
bench-report: $(STAMP)
	$(BIN)/python -m bench.bench_report --docs $(DOCS) --runs $(RUNS)
