"""The local executor: the stages over a stream of documents, in this process or in a pool.

The driver reads the inputs one at a time (:func:`pipeline.io.read_inputs`), sends them in
batches to ``workers`` processes that call :func:`pipeline.runner.clean_batch`, and writes the
results in input order as they come back. At most ``2 * workers + 2`` batches are in flight, so
memory stays flat whatever the corpus size; the output is the same, byte for byte, with one
worker or many. The first batch is cleaned in this process, and the pool starts only when the
input is longer than that: the five seeds run without paying for process start-up, and the
workers, forked once, inherit the stages and the lingua and wordfreq tables the first batch
loaded (lazily, on first use) instead of loading a copy each. A batch is cleaned stage by stage
(:func:`pipeline.runner.clean_batch`) with one worker too.

    run(["corpus.jsonl.zst"], Path("out"), Config(), workers=2, shard_size=10_000, resume=True)
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path
from platform import libc_ver
from typing import Any

from ..config import Config
from ..document import Document
from ..io import AtomicWriter, Item, dumps, read_inputs
from ..runner import Stats, clean_batch, stage_runs
from ..stages import language
from .output import ShardWriter, committed_stats, prepare_sharded, write_stats

BATCH = 32
Result = tuple[bool, bytes, str | None, tuple[tuple[str, bool, bool, float, int], ...], int]
"""(is a record, JSON line, ``stage:reason`` of a reject, stage runs, input bytes)"""

# The cyclic collector's youngest-generation threshold once the tables are frozen (Python's
# default is 700 container allocations). A page allocates thousands of containers (edits,
# matches, tuples of lines), nearly all freed by reference counting, and makes no garbage cycles
# of its own, so a collection every 700 allocations mostly walks the live objects of the batch
# in flight and finds nothing: on the 800-page bench corpus after its first batch (1 worker),
# 246 young, 22 middle and 2 full collections took 0.053 of 1.97 CPU-seconds; with 20,000, one
# young collection, 0.005 s. (The count is allocations minus deallocations: it passes 700 many
# times within a batch of pages, 20,000 hardly ever.) Output unchanged: the collector frees only
# unreachable cycles, and still does, less often (a few kB at most wait for it).
GC_YOUNG = 20_000

_CFG: Config | None = None
_FROZEN: list[bool] = []  # gc.freeze() done in this process (see results)


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def process(item: Item, cfg: Config) -> Result:
    """One input to one output line; read-level rejects (dicts) pass through."""
    return process_batch([item], cfg)[0]


def process_batch(items: list[Item], cfg: Config) -> list[Result]:
    """Inputs to output lines, in order: the documents cleaned together
    (:func:`pipeline.runner.clean_batch`, stage by stage over the batch), read-level rejects
    (dicts) passed through."""
    docs = [item for item in items if isinstance(item, Document)]
    outcomes = iter(clean_batch(docs, cfg))
    out: list[Result] = []
    for item in items:
        if not isinstance(item, Document):
            reason = f"{item['stage']}:{item['reason']}"
            out.append((False, dumps(item), reason, (), int(item["source"].get("bytes", 0))))
            continue
        outcome = next(outcomes)
        runs = stage_runs(outcome)
        if outcome.record is not None:
            # The line the ``record`` stage made of this very record (see ``Outcome.line``).
            line = outcome.line if outcome.line is not None else dumps(outcome.record)
            out.append((True, line, None, runs, item.source.bytes))
        else:
            assert outcome.reject is not None
            reason = f"{outcome.reject['stage']}:{outcome.reject['reason']}"
            out.append((False, dumps(outcome.reject), reason, runs, item.source.bytes))
    return out


def _init(cfg: Config) -> None:
    global _CFG
    _CFG = cfg


def _process_batch(batch: list[Item]) -> list[Result]:
    assert _CFG is not None, "worker not initialised"
    return process_batch(batch, _CFG)


# glibc's mallopt parameter numbers (malloc.h).
_M_MMAP_THRESHOLD = -3
# The mmap threshold while lingua's preload runs, and after it (see _large_blocks_mapped).
PRELOAD_MMAP_THRESHOLD = 1 << 20
AFTER_MMAP_THRESHOLD = 32 << 20


@contextlib.contextmanager
def _large_blocks_mapped() -> Iterator[None]:
    """Memory blocks of 1 MiB and more mapped on their own (returned to the system when freed)
    inside the ``with``, so that lingua's preload leaves the same resident memory run after run.

    Why: glibc serves large blocks by mmap, then raises that threshold to the size of each such
    block freed (up to 32 MiB), so after lingua's first large transient buffer (its models are
    read on its own threads) the next ones are carved from the threads' heaps, and their freed
    pages stay resident there, interleaved with the models' tables as the threads' timing has
    it. On the 4000-page bench corpus with 2 workers, the parent's RSS after the preload was
    228-301 MB from run to run on the same input, its peak 345-412 MB; with this, 208-211 and
    326-328 (bench/SCALE.md, "Stop 25"), for about 0.07 s more preload CPU (fresh pages). After
    the ``with`` the threshold is 32 MiB, the most the dynamic rule raises it to (setting it
    turns the dynamic rule off for the process; glibc has no way back). glibc only:
    elsewhere (or without ``mallopt``) nothing changes.

        before: preload, then the parent's RSS 228-301 MB; after: 208-211 MB
    """
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None) if libc_ver()[0] == "glibc" else None
    if mallopt is None:
        yield
        return
    mallopt(_M_MMAP_THRESHOLD, PRELOAD_MMAP_THRESHOLD)
    try:
        yield
    finally:
        mallopt(_M_MMAP_THRESHOLD, AFTER_MMAP_THRESHOLD)


def results(items: Iterator[Item], cfg: Config, workers: int, batch: int = BATCH) -> Iterator[Result]:
    """Results in input order, from ``workers`` processes (or this one), memory bounded."""
    first = list(islice(items, batch))
    if workers > 1 and len(first) >= batch and cfg.stage("language").enabled:
        # The workers will be forked after the first batch, so its wall time is the run's alone:
        # lingua's models loaded on every core first (its own threads, into its process-wide
        # cache: the stage's detector finds them), sooner where a core is idle (0.8 s of wall
        # against 1.3 on an idle 2-core host) for about 0.2 s more CPU (bench/SCALE.md, "Stop
        # 21"); with one worker the CPU counts, and the stage loads them as it needs them. With
        # large blocks mapped, the memory the preload leaves is the same every run (the parent's
        # peak about 5 MB above one worker's: _large_blocks_mapped).
        with _large_blocks_mapped():
            language.preload(cfg.language.languages)
    # The first batch is cleaned here: it loads the lazy tables (lingua, the glue engine's) once, and the
    # forked workers inherit them instead of each loading its own copy.
    yield from process_batch(first, cfg)
    # What is alive now is mostly what lives as long as the process: the stages' tables, loaded
    # by the first batch (the glue engine's word tables, lingua's, wordfreq's). Frozen, Python's
    # cyclic collector no longer walks them on every full collection (on the 4000-page bench
    # corpus those took 0.34 of 16.7 CPU-seconds with 1 worker, 0.03 frozen), and forked workers
    # do not write to their pages when they collect. Output unchanged: only garbage cycles left
    # by the first batch stay in memory. Once a process (tests run many small runs in one).
    if not _FROZEN:
        _FROZEN.append(True)
        gc.freeze()
        gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
    if workers <= 1 or len(first) < batch:
        chunk = list(islice(items, batch))
        while chunk:
            yield from process_batch(chunk, cfg)
            chunk = list(islice(items, batch))
        return
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # ProcessPoolExecutor, not multiprocessing.Pool: a worker that dies (killed, out of memory)
    # raises BrokenProcessPool here instead of hanging the run; committed shards stay for --resume.
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init, initargs=(cfg,)) as pool:
        pending: deque[Future[list[Result]]] = deque()
        chunk = list(islice(items, batch))
        while chunk:
            pending.append(pool.submit(_process_batch, chunk))
            if len(pending) >= 2 * workers + 2:
                yield from pending.popleft().result()
            chunk = list(islice(items, batch))
        while pending:
            yield from pending.popleft().result()


class _Progress:
    """A tqdm bar on stderr when stderr is a terminal; nothing otherwise (CI, pipes)."""

    def __init__(self, enabled: bool) -> None:
        self.bar: Any = None
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(unit="doc", file=sys.stderr, smoothing=0.1)
        self.bytes = 0

    def update(self, size: int) -> None:
        self.bytes += size
        if self.bar is not None:
            self.bar.update(1)
            if self.bar.n % 200 == 0:
                elapsed = max(self.bar.format_dict["elapsed"], 1e-9)
                self.bar.set_postfix_str(f"{self.bytes / elapsed / 1e6:.2f} MB/s", refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run(
    inputs: list[str],
    out_dir: Path,
    cfg: Config,
    *,
    timings: bool = True,
    workers: int = 1,
    shard_size: int | None = None,
    compression: str = "none",
    resume: bool = False,
    progress: bool = False,
) -> Stats:
    """Clean ``inputs`` into ``out_dir`` (layouts: :mod:`pipeline.executors.output`)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    bar = _Progress(progress)
    start = time.perf_counter()
    try:
        if shard_size is None and not resume and compression == "none":
            stats = _run_single(inputs, out_dir, cfg, workers, bar)
        else:
            stats = _run_sharded(inputs, out_dir, cfg, workers, shard_size or 10_000, compression, resume, bar)
    finally:
        bar.close()
    stats.wall_seconds = time.perf_counter() - start
    stats.bytes_in = bar.bytes  # this run's bytes (a resumed run counts only what it cleaned)
    write_stats(out_dir, stats, timings)
    return stats


def _run_single(inputs: list[str], out_dir: Path, cfg: Config, workers: int, bar: _Progress) -> Stats:
    stats = Stats()
    corpus = AtomicWriter(out_dir / "corpus.jsonl")
    rejects = AtomicWriter(out_dir / "rejects.jsonl")
    try:
        items = read_inputs(inputs, exclude=out_dir, max_bytes=cfg.decode.max_bytes)
        for ok, line, reason, runs, size in results(items, cfg, workers):
            stats.count(ok, reason)
            stats.add_runs(runs)
            (corpus if ok else rejects).write(line)
            bar.update(size)
    except BaseException:
        corpus.abort()
        rejects.abort()
        raise
    corpus.commit()
    rejects.commit()
    return stats


def shard_name(index: int) -> str:
    return f"part-{index:05d}"


def _run_sharded(
    inputs: list[str],
    out_dir: Path,
    cfg: Config,
    workers: int,
    shard_size: int,
    compression: str,
    resume: bool,
    bar: _Progress,
) -> Stats:
    settings = {
        "executor": "local",
        "inputs": [str(Path(p).resolve()) for p in inputs],
        "shard_size": shard_size,
        "compression": compression,
    }
    done = prepare_sharded(out_dir, settings, resume)

    def todo() -> Iterator[Item]:
        # Committed shards are read (duplicate ids must still be seen) but not cleaned again.
        for ordinal, item in enumerate(read_inputs(inputs, exclude=out_dir, max_bytes=cfg.decode.max_bytes)):
            if shard_name(ordinal // shard_size) not in done:
                yield item
            else:
                bar.update(0)

    # The same ordinals, in the same order, as the items todo() yields.
    pending = (o for o in range(10**18) if shard_name(o // shard_size) not in done)
    writer: ShardWriter | None = None
    current = -1
    try:
        for result, ordinal in zip(results(todo(), cfg, workers), pending, strict=False):
            ok, line, reason, runs, size = result
            index = ordinal // shard_size
            if index != current:
                if writer is not None:
                    writer.commit({"first": current * shard_size})
                writer, current = ShardWriter(out_dir, shard_name(index), compression), index
            assert writer is not None
            writer.write(ok, line)
            writer.stats.count(ok, reason)
            writer.stats.add_runs(runs)
            writer.stats.bytes_in += size
            bar.update(size)
        if writer is not None:
            writer.commit({"first": current * shard_size})
            writer = None
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    return committed_stats(out_dir)
