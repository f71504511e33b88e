"""Output layouts: one ``corpus.jsonl``, or shards committed atomically for ``--resume``.

Default (the five seeds, ``make clean-corpus``)::

    DIR/corpus.jsonl  DIR/rejects.jsonl  DIR/stats.json

Sharded (``--shard-size N``, ``--resume``, ``--executor ray``)::

    DIR/run.json                       inputs and settings; --resume refuses a different run
    DIR/corpus/part-00000.jsonl[.gz|.zst]   records of shard 0, in input order
    DIR/rejects/part-00000.jsonl[.gz|.zst]  rejects of shard 0
    DIR/done/part-00000.json           written last: shard 0 is committed (its counts and stats)
    DIR/stats.json                     the sum over every committed shard

A shard's files are written as ``.tmp`` and renamed, then its ``done`` file is written the same
way, so a run killed at any instant leaves committed shards whole and the rest absent: a rerun
with ``--resume`` skips the committed shards and redoes the others, and every input ends up
exactly once in records + rejects. ``DIR/corpus/`` is what datatrove's ``JsonlReader`` or dolma
read (``{id, text, ...}`` per line); the ordered concatenation of the parts is the corpus.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path
from typing import IO, Any

import zstandard

from ..io import WRITE_BUFFER
from ..runner import Stats

COMPRESSIONS = {"none": "", "gzip": ".gz", "zstd": ".zst"}


def _atomic_json(path: Path, obj: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _open_out(path: Path, compression: str) -> IO[bytes]:
    if compression == "gzip":
        return gzip.open(path, "wb", compresslevel=6)  # type: ignore[return-value]  # GzipFile is a binary file
    if compression == "zstd":
        raw = open(path, "wb")  # closed with the stream writer
        return zstandard.ZstdCompressor(level=3).stream_writer(raw, closefd=True)
    return open(path, "wb", buffering=WRITE_BUFFER)  # see io.AtomicWriter


class ShardWriter:
    """One shard: records and rejects to ``.tmp`` files, renamed on :meth:`commit`, then ``done``."""

    def __init__(self, out_dir: Path, name: str, compression: str = "none") -> None:
        ext = ".jsonl" + COMPRESSIONS[compression]
        self.final = (out_dir / "corpus" / f"{name}{ext}", out_dir / "rejects" / f"{name}{ext}")
        self.tmps = tuple(p.with_name(p.name + ".tmp") for p in self.final)
        self.done = out_dir / "done" / f"{name}.json"
        self.fhs = [_open_out(p, compression) for p in self.tmps]
        self.stats = Stats()

    def write(self, ok: bool, line: bytes) -> None:
        self.fhs[0 if ok else 1].write(line)

    def commit(self, extra: dict[str, Any] | None = None) -> Stats:
        for fh in self.fhs:
            fh.close()
        for tmp, final in zip(self.tmps, self.final, strict=True):
            os.replace(tmp, final)
        _atomic_json(self.done, {**(extra or {}), "stats": self.stats.raw()})
        return self.stats

    def abort(self) -> None:
        for fh in self.fhs:
            fh.close()
        for tmp in self.tmps:
            tmp.unlink(missing_ok=True)


def prepare_sharded(out_dir: Path, settings: dict[str, Any], resume: bool) -> set[str]:
    """Create the sharded layout; returns the names of committed shards (empty unless resuming).

    A fresh run clears earlier shards; ``--resume`` checks that ``run.json`` describes the same
    inputs and settings, and deletes leftover ``.tmp`` files of the interrupted run.
    """
    run_file = out_dir / "run.json"
    if resume and run_file.exists():
        before = json.loads(run_file.read_text(encoding="utf-8"))
        if before != settings:
            raise SystemExit(
                f"--resume: {run_file} describes another run ({before}); rerun without --resume to start over"
            )
    else:
        for sub in ("corpus", "rejects", "done"):
            shutil.rmtree(out_dir / sub, ignore_errors=True)
    for sub in ("corpus", "rejects", "done"):
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
        for tmp in (out_dir / sub).glob("*.tmp"):
            tmp.unlink()
    _atomic_json(run_file, settings)
    return {p.stem for p in (out_dir / "done").glob("*.json")}


def committed_stats(out_dir: Path) -> Stats:
    """The sum of the stats of every committed shard."""
    total = Stats()
    for path in sorted((out_dir / "done").glob("*.json")):
        total.merge(json.loads(path.read_text(encoding="utf-8"))["stats"])
    return total


def write_stats(out_dir: Path, stats: Stats, timings: bool) -> None:
    _atomic_json(out_dir / "stats.json", stats.to_json(timings))
