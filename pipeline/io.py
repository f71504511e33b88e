"""Readers and writers. Stages never open files; this module does, and nothing else does.

Readers turn inputs into :class:`Document` objects, or into reject dicts for inputs that cannot
even be read (unreadable file, broken JSON line, missing ``text``, duplicate ``id``), so that
``inputs = records + rejects`` holds from the first byte. They stream: one document at a time.

Inputs: a ``.txt`` file (one page; id = file stem), a directory (searched recursively for
``.txt`` and JSONL files, symbolic links to directories not followed, so a link loop cannot
trap the run), or JSON Lines with ``id`` and ``text`` (``.jsonl``, ``.jsonl.gz``, ``.jsonl.zst``),
the shape datatrove and dolma write.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson
import zstandard

from .document import Document, Source

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst")
Item = Document | dict[str, Any]  # a document, or a reject dict


def reject(id_: str, source: dict[str, Any], stage: str, reason: str, detail: str) -> dict[str, Any]:
    return {"id": id_, "source": source, "stage": stage, "reason": reason, "detail": detail}


def _is_jsonl(path: Path) -> bool:
    return path.name.endswith(JSONL_SUFFIXES)


def discover(paths: Iterable[str], exclude: Path | None = None) -> Iterator[Path]:
    """Input files in a stable order: arguments as given, directory contents sorted by path.

    ``exclude`` (the output directory) is never searched, so that a rerun with ``--out`` inside an
    input directory does not read its own output.
    """
    skip = exclude.resolve() if exclude is not None else None
    for arg in paths:
        path = Path(arg)
        if path.is_dir():
            found: list[Path] = []
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if skip is None or (Path(root) / d).resolve() != skip)
                for name in files:
                    candidate = Path(root) / name
                    if name.endswith(".txt") or _is_jsonl(candidate):
                        found.append(candidate)
            yield from sorted(found)
        else:
            yield path


def open_jsonl(path: Path) -> IO[bytes]:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]  # GzipFile is a binary file object
    if path.name.endswith(".zst"):
        raw = open(path, "rb")  # closed by the stream reader's closefd
        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw, closefd=True))
    return open(path, "rb")


def _read_txt(path: Path) -> Item:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return reject(
            path.stem, {"path": str(path)}, "read", "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}"
        )
    source = Source(path=str(path), bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    return Document(id=path.stem, source=source, raw=data)


def _read_jsonl(path: Path) -> Iterator[Item]:
    try:
        fh = open_jsonl(path)
    except OSError as exc:
        yield reject(
            path.name, {"path": str(path)}, "read", "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}"
        )
        return
    with fh:
        line_no = 0
        try:
            for line_no, line in enumerate(fh, start=1):  # line_no used after the loop
                if not line.strip():
                    continue
                yield _jsonl_item(path, line_no, line)
        except (OSError, EOFError, zstandard.ZstdError) as exc:
            yield reject(
                f"{path.name}:{line_no + 1}",
                {"path": str(path), "line": line_no + 1},
                "read",
                "truncated_input",
                f"the compressed stream ends early or is corrupt after line {line_no}: {exc}",
            )


def _jsonl_item(path: Path, line_no: int, line: bytes) -> Item:
    digest = hashlib.sha256(line.rstrip(b"\r\n")).hexdigest()
    size = len(line.rstrip(b"\r\n"))
    where: dict[str, Any] = {"path": str(path), "line": line_no, "bytes": size, "sha256": digest}
    fallback_id = f"{path.name}:{line_no}"
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return reject(fallback_id, where, "read", "invalid_json", f"line {line_no} is not JSON: {exc}")
    if not isinstance(obj, dict):
        return reject(fallback_id, where, "read", "invalid_json", f"line {line_no} is not a JSON object")
    id_ = obj.get("id")
    if not isinstance(id_, str) or not id_:
        return reject(
            fallback_id, where, "read", "bad_id", f"line {line_no}: 'id' must be a non-empty string, got {id_!r}"[:300]
        )
    text = obj.get("text")
    if not isinstance(text, str):
        return reject(
            id_, where, "read", "missing_text", f"line {line_no}: 'text' must be a string, got {type(text).__name__}"
        )
    source = Source(path=str(path), line=line_no, bytes=size, sha256=digest, encoding="utf-8")
    return Document(id=id_, source=source, text=text)


def read_inputs(paths: Iterable[str], exclude: Path | None = None) -> Iterator[Item]:
    """Every input, as a Document or a reject dict. Duplicate ids are rejected after the first."""
    seen: set[str] = set()
    for path in discover(paths, exclude):
        if not path.exists():
            yield reject(path.stem, {"path": str(path)}, "read", "missing", "no such file or directory")
            continue
        items: Iterable[Item] = _read_jsonl(path) if _is_jsonl(path) else [_read_txt(path)]
        for item in items:
            id_ = item.id if isinstance(item, Document) else item["id"]
            if isinstance(item, Document):
                if id_ in seen:
                    yield reject(
                        id_,
                        item.source.to_json(),
                        "read",
                        "duplicate_id",
                        f"id {id_!r} was already used by an earlier input; ids must be unique",
                    )
                    continue
                seen.add(id_)
            yield item


def dumps(obj: Any) -> bytes:
    """One JSON line, deterministic (sorted keys would reorder the record; we keep field order)."""
    return orjson.dumps(obj) + b"\n"


class AtomicWriter:
    """Write to ``<name>.tmp`` and rename into place on ``commit()``: a killed run never leaves a
    half-written ``corpus.jsonl`` behind (CCNet does the same)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(path.name + ".tmp")
        self.fh: IO[bytes] = open(self.tmp, "wb")  # closed in commit/abort

    def write(self, data: bytes) -> None:
        self.fh.write(data)

    def commit(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.fh.close()
        self.tmp.unlink(missing_ok=True)
