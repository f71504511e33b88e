"""Inputs = records + rejects, checked by key on every end-to-end run of the tests.

An input is one ``.txt`` file or one non-blank JSONL line; its key is ``(source path, line)``
(``line`` is None for a ``.txt`` file). Keys, not ids, because a duplicate ``id`` is two inputs
with one id: the first becomes a record, the second a ``duplicate_id`` reject.

The inputs are discovered here independently of ``pipeline.io`` (same rules: directories walked
without following links, the output directory skipped, ``.txt`` and JSONL files), then:
records and rejects have disjoint keys, their union is the discovered inputs, every record id is
unique, and ``stats.json`` counts agree.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import zstandard

JSONL = (".jsonl", ".jsonl.gz", ".jsonl.zst")
Key = tuple[str, int | None]


def _shown(path: Path) -> str:
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _jsonl_lines(path: Path) -> list[int]:
    try:
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        elif path.name.endswith(".zst"):
            data = zstandard.ZstdDecompressor().decompressobj().decompress(data)
    except OSError:
        return [0]  # unreadable: one reject, keyed without a line (see below)
    except (EOFError, zstandard.ZstdError):
        return [1]  # a stream cut before its first line ends: one reject, line 1
    return [i for i, line in enumerate(data.split(b"\n"), start=1) if line.strip()]


def discovered(inputs: list[str], out: Path, cwd: Path | None = None) -> set[Key]:
    skip = out.resolve()
    keys: set[Key] = set()
    for arg in inputs:
        path = Path(arg)
        full = path if path.is_absolute() or cwd is None else cwd / path
        files: list[tuple[Path, Path]] = []
        if full.is_dir():
            unlistable: list[OSError] = []
            for root, dirs, names in os.walk(full, followlinks=False, onerror=unlistable.append):
                dirs[:] = [d for d in dirs if (Path(root) / d).resolve() != skip]
                for name in names:
                    if name.endswith(".txt") or name.endswith(JSONL):
                        shown_root = Path(arg) / Path(root).relative_to(full)
                        files.append((Path(root) / name, shown_root / name))
            for exc in unlistable:  # one reject for a directory that cannot be listed
                keys.add((_shown(Path(arg) / Path(exc.filename).relative_to(full)), None))
        else:
            files.append((full, path))
        for real, as_given in files:
            shown = _shown(as_given)
            if real.name.endswith(JSONL) and real.is_file():
                keys.update((shown, n or None) for n in _jsonl_lines(real))
            else:
                keys.add((shown, None))
    return keys


def _key(item: dict[str, Any], cwd: Path | None) -> Key:
    source = item["source"]
    return _absolute(source["path"], cwd), source.get("line")


def _absolute(path: str, cwd: Path | None) -> str:
    """Executors may report paths as given (local) or resolved (Ray): compare absolute paths."""
    return os.path.normpath(os.path.join(cwd or os.getcwd(), path))


def _read(out: Path, name: str) -> list[dict[str, Any]]:
    """``out/<name>.jsonl``, or the shards ``out/<name>/part-*.jsonl[.gz|.zst]`` in order."""
    single = out / f"{name}.jsonl"
    paths = [single] if single.exists() else sorted((out / name).glob("part-*"))
    rows: list[dict[str, Any]] = []
    for path in paths:
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        elif path.name.endswith(".zst"):
            data = zstandard.ZstdDecompressor().decompressobj().decompress(data)
        rows.extend(json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip())
    return rows


def check(inputs: list[str], out: Path, cwd: Path | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Assert inputs = records + rejects; return (records, rejects)."""
    records = _read(out, "corpus")
    rejects = _read(out, "rejects")
    want = {(_absolute(p, cwd), line) for p, line in discovered(inputs, out, cwd)}
    got_records = [_key(r, cwd) for r in records]
    got_rejects = [_key(r, cwd) for r in rejects]
    assert len(set(got_records)) == len(got_records), "two records from one input"
    assert len(set(got_rejects)) == len(got_rejects), "two rejects for one input"
    both = set(got_records) & set(got_rejects)
    assert not both, f"inputs both recorded and rejected: {sorted(both, key=str)[:5]}"
    union = set(got_records) | set(got_rejects)
    assert union == want, (
        f"inputs = records + rejects broken: lost {sorted(want - union, key=str)[:5]},"
        f" unexpected {sorted(union - want, key=str)[:5]}"
    )
    ids = [r["id"] for r in records]
    assert len(set(ids)) == len(ids), "record ids are not unique"
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert stats["inputs"] == len(want) == stats["records"] + stats["rejects"]
    assert (stats["records"], stats["rejects"]) == (len(records), len(rejects))
    return records, rejects
