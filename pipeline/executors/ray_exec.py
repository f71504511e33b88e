"""The Ray executor (``--executor ray``, optional extra ``pip install .[ray]``): the same stages on
Ray Data, for corpora one machine cannot clean in time.

The input files are split into tasks (``files_per_task`` ``.txt`` pages, or one JSONL file: datatrove
and dolma corpora are already sharded into many files). A Ray Dataset holds one row per task;
``Dataset.map`` runs :func:`clean_task` on the cluster's workers, each of which reads its files with
:mod:`pipeline.io`, calls :func:`pipeline.runner.clean_document` on every document and writes
its own shard ``DIR/corpus/part-NNNNN.jsonl`` (and ``rejects/``, ``done/``), committed atomically
exactly as the local executor's shards (:mod:`pipeline.executors.output`); ``DIR`` must be on a
file system every node sees. Only the shards' counts come back to the driver, which writes
``stats.json``. ``--resume`` skips the tasks whose shard is committed.

Part ``k`` holds the inputs of task ``k`` in input order, so the parts' concatenation is the
local executor's ``corpus.jsonl``, with one difference: an ``id`` repeated in two different tasks
is not rejected as ``duplicate_id`` (tasks do not see each other's ids); within a task it is.

    ray_exec.run(["corpus/"], Path("out"), Config(), address="ray://head:10001")
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from ..config import Config
from ..io import discover, read_inputs
from ..runner import Stats
from .local import process, shard_name
from .output import ShardWriter, committed_stats, prepare_sharded, write_stats


def tasks(inputs: list[str], out_dir: Path, files_per_task: int) -> list[list[str]]:
    """Input files grouped into tasks, in input order: runs of ``.txt`` pages, one JSONL file each."""
    out: list[list[str]] = []
    run: list[str] = []
    for path in discover(inputs, exclude=out_dir):
        if path.name.endswith(".txt"):
            run.append(str(path))
            if len(run) >= files_per_task:
                out.append(run)
                run = []
        else:
            if run:
                out.append(run)
                run = []
            out.append([str(path)])
    if run:
        out.append(run)
    return out


def clean_task(row: dict[str, Any], out_dir: str, cfg: Config, compression: str) -> dict[str, Any]:
    """Clean one task's files into shard ``part-<index>``; returns its name and counts."""
    name = shard_name(int(row["index"]))
    writer = ShardWriter(Path(out_dir), name, compression)
    try:
        for item in read_inputs(list(row["paths"]), max_bytes=cfg.decode.max_bytes):
            ok, line, reason, runs, size = process(item, cfg)
            writer.stats.bytes_in += size
            writer.write(ok, line)
            writer.stats.count(ok, reason)
            writer.stats.add_runs(runs)
    except BaseException:
        writer.abort()
        raise
    stats = writer.commit({"paths": list(row["paths"])})
    return {"name": name, "inputs": stats.inputs}


def run(
    inputs: list[str],
    out_dir: Path,
    cfg: Config,
    *,
    timings: bool = True,
    address: str | None = None,
    files_per_task: int = 64,
    compression: str = "none",
    resume: bool = False,
    num_cpus: int | None = None,
) -> Stats:
    """Clean ``inputs`` into the sharded layout of ``out_dir`` on Ray (a local one if no address)."""
    try:
        import ray
        import ray.data
    except ImportError as exc:  # an optional extra: say how to get it
        raise SystemExit("--executor ray needs Ray: pip install '.[ray]' (or -r requirements-ray.txt)") from exc

    start = time.perf_counter()
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    settings = {
        "executor": "ray",
        "inputs": [str(Path(p).resolve()) for p in inputs],
        "files_per_task": files_per_task,
        "compression": compression,
    }
    done = prepare_sharded(out_dir, settings, resume)
    groups = tasks([str(Path(p).resolve()) for p in inputs], out_dir, files_per_task)
    rows = [{"index": i, "paths": paths} for i, paths in enumerate(groups) if shard_name(i) not in done]
    started_here = not ray.is_initialized()
    if started_here:
        kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": True, "ignore_reinit_error": True}
        if address:
            kwargs["address"] = address
        elif num_cpus is not None:
            kwargs["num_cpus"] = num_cpus
        ray.init(**kwargs)
    try:
        ray.data.DataContext.get_current().enable_progress_bars = sys.stderr.isatty()
        if rows:
            ds: Any = ray.data.from_items(rows, override_num_blocks=len(rows))
            ds = ds.map(
                clean_task,
                fn_kwargs={"out_dir": str(out_dir), "cfg": cfg, "compression": compression},
                num_cpus=1,
            )
            written = ds.take_all()
            missing = {shard_name(int(str(r["index"]))) for r in rows} - {w["name"] for w in written}
            if missing:
                raise RuntimeError(f"Ray returned no result for shards {sorted(missing)}")
    finally:
        if started_here:
            ray.shutdown()
    stats = committed_stats(out_dir)
    stats.wall_seconds = time.perf_counter() - start
    write_stats(out_dir, stats, timings)
    return stats
