# The two commands a newcomer needs: `make clean-corpus` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RAY_STAMP := $(VENV)/.installed-ray
BENCH_STAMP := $(VENV)/.installed-bench
OUT ?= out
SEEDS ?= seeds

.PHONY: venv native clean-corpus test lint golden lock bench bench-glue bench-report clean fuzz hostile-cases

venv: $(STAMP)

# The virtual environment is rebuilt whenever the pinned lock file changes.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q -r requirements.lock
	touch $(STAMP)

# The glue engine compiled with mypyc (build_glue.py; mypyc comes with the pinned mypy), rebuilt
# when its sources change. Without a C compiler it is skipped with a warning and the engine runs
# from source (same output, slower); NEWSCLEAN_GLUE_BUILD=0 skips it too. pipeline.glue.ENGINE
# (printed by `pipeline clean` and by pytest) says which runs. The same step builds the fast gate's
# tables of listed rare words (pipeline/glue/gatetable.py, _gate_*.bin, about 25 s), and before them
# the tables the engine derives from wordfreq's lists (pipeline/glue/lexicon.py, _gate_lexicon_*.bin).
GLUE_BUILT := pipeline/glue/_compiled.sha256
$(GLUE_BUILT): $(STAMP) build_glue.py pipeline/glue/langdata.py pipeline/glue/lexicon.py pipeline/glue/wrap.py pipeline/glue/core.py pipeline/glue/gatetable.py pipeline/glue/_wrapc.pyx
	$(BIN)/python build_glue.py

# The per-document modules (pipeline/native.py's MODULES: the stages, document, edits, runner)
# compiled with mypyc by build_stages.py, rebuilt when any source of the package changes
# (mypyc compiles them against the types of the modules they import; the digest covers them all),
# with the hot loops in C of pipeline/native.py's KERNELS (.pyx beside the sources, by Cython).
# Without a C compiler it is skipped with a warning and they run from source (same output, slower);
# NEWSCLEAN_STAGES_BUILD=0 skips it too. pipeline.ENGINE (printed beside the glue engine's) says
# which runs. After the glue build: the two would only share the 2 cores.
STAGES_BUILT := pipeline/_compiled.sha256
$(STAGES_BUILT): $(STAMP) $(GLUE_BUILT) build_stages.py $(shell find pipeline -name '*.py' -o -name '*.pyx')
	$(BIN)/python build_stages.py

native: $(GLUE_BUILT) $(STAGES_BUILT)

clean-corpus: $(STAMP) $(GLUE_BUILT) $(STAGES_BUILT)
	$(BIN)/python -m pipeline clean $(SEEDS) --out $(OUT)
	$(BIN)/python -m pipeline validate $(OUT)/corpus.jsonl
	$(BIN)/python -m pipeline report $(OUT)

# The Ray executor is an optional extra, but its test runs here (and so in CI), never skipped.
$(RAY_STAMP): requirements-ray.txt $(STAMP)
	$(BIN)/python -m pip install -q -r requirements-ray.txt
	touch $(RAY_STAMP)

test: $(STAMP) $(RAY_STAMP) $(GLUE_BUILT) $(STAGES_BUILT)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/mypy pipeline

# Regenerate tests/golden/ from seeds/. Read the diff before committing it.
golden: $(STAMP) $(GLUE_BUILT) $(STAGES_BUILT)
	$(BIN)/python -m tests.make_golden

# Refresh the full transitive lock from requirements.txt (direct pins).
lock:
	rm -rf /tmp/lock-venv && $(PY) -m venv /tmp/lock-venv
	/tmp/lock-venv/bin/pip install -q -r requirements.txt
	/tmp/lock-venv/bin/pip freeze --all --exclude-editable | grep -v '^pip==' | sort > requirements.lock

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache
	$(PY) build_glue.py --clean
	$(PY) build_stages.py --clean

# Glue-repair quality and speed on ../shared/data (see bench/GLUE.md). SPLIT=dev to tune; SPLIT=train, train2, train3,
# heldout or heldout2 for French from GSD's train split (bench/data/README.md; heldout, heldout2: never tuned on, measure only).
SPLIT ?= test
bench-glue: $(STAMP) $(GLUE_BUILT)
	$(BIN)/python -m bench.bench_glue --split $(SPLIT)

# Throughput and memory (see README "Throughput and memory"): a synthetic corpus of DOCS pages,
# the full pipeline with 1 and all workers, datatrove's ftfy-only pipeline, 1x vs 5x for memory.
DOCS ?= 20000
$(BENCH_STAMP): requirements-bench.txt $(STAMP)
	$(BIN)/python -m pip install -q -r requirements-bench.txt
	touch $(BENCH_STAMP)

bench: $(STAMP) $(BENCH_STAMP) $(GLUE_BUILT) $(STAGES_BUILT)
	$(BIN)/python -m bench.bench_scale --docs $(DOCS)

# Every fuzz target (tests/fuzz_targets.py) with fresh random seeds for FUZZ_SECONDS in all;
# `make test` runs each briefly with fixed seeds. TARGETS=structure limits it to named targets.
FUZZ_SECONDS ?= 300
TARGETS ?=
fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz --seconds $(FUZZ_SECONDS) $(TARGETS)

# Write the hostile inputs (tests/hostile/make_cases.py) to HOSTILE_DIR to look at them.
HOSTILE_DIR ?= /tmp/newsclean-hostile
hostile-cases:
	$(PY) -m tests.hostile.make_cases $(HOSTILE_DIR)

# The review report on a synthetic 10,000-document output: build time, size, load time in headless
# Chromium (see README, "Review report"). REPORT_DOCS=N to change the size, RUNS=N the repetitions.
REPORT_DOCS ?= 10000
RUNS ?= 3
bench-report: $(STAMP)
	$(BIN)/python -m bench.bench_report --docs $(REPORT_DOCS) --runs $(RUNS)
