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
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson
import zstandard

from .document import Document, Source

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst")
WRITE_BUFFER = 1 << 20  # bytes buffered by the output writers before a system call
# Bytes buffered by the JSONL readers (plain and zstd). A bench line is about 15 KB, more than
# the default 8 KiB buffer: ``readline`` then read the rest in several raw reads, scanning the
# new bytes for the newline one at a time and joining the pieces (about 31,000 instructions a
# line); in a 1 MiB buffer nearly every line is already whole, found by one ``memchr`` and copied
# once (about 5,300). Same lines: a buffer's size never changes what ``readline`` returns.
READ_BUFFER = 1 << 20
Item = Document | dict[str, Any]  # a document, or a reject dict


def reject(id_: str, source: dict[str, Any], stage: str, reason: str, detail: str) -> dict[str, Any]:
    return {"id": id_, "source": source, "stage": stage, "reason": reason, "detail": detail}


def shown(path: Path | str) -> str:
    """A path as text that can always be written to JSON: bytes of a file name that are not
    UTF-8 (Python keeps them as lone surrogates) are shown as ``\\xNN``.

        before: "in/caf\\udce9.txt"   (file name bytes b"caf\\xe9.txt")
        after:  "in/caf\\\\xe9.txt"
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _too_large(id_: str, where: dict[str, Any], size: int, max_bytes: int) -> dict[str, Any]:
    return reject(
        id_,
        where,
        "decode",
        "too_large",
        f"{size} bytes > --max-bytes {max_bytes}; not read; raise --max-bytes to keep it",
    )


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
            unlisted: list[OSError] = []  # os.walk would skip these directories silently
            for root, dirs, files in os.walk(path, followlinks=False, onerror=unlisted.append):
                dirs[:] = sorted(d for d in dirs if skip is None or (Path(root) / d).resolve() != skip)
                for name in files:
                    candidate = Path(root) / name
                    if name.endswith(".txt") or _is_jsonl(candidate):
                        found.append(candidate)
            found.extend(Path(exc.filename) for exc in unlisted)  # each becomes a reject
            yield from sorted(found)
        else:
            yield path


def open_jsonl(path: Path) -> IO[bytes]:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]  # GzipFile is a binary file object
    if path.name.endswith(".zst"):
        raw = open(path, "rb")  # closed by the stream reader's closefd
        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw, closefd=True), READ_BUFFER)
    return open(path, "rb", buffering=READ_BUFFER)


def _read_txt(path: Path, max_bytes: int | None = None) -> Item:
    """One page. Only regular files are read (a FIFO or ``/dev/zero`` behind a ``.txt`` name
    would block or never end), and a file over ``max_bytes`` is rejected without being read."""
    where: dict[str, Any] = {"path": shown(path)}
    if shown(path.name) != path.name:
        return reject(
            shown(path.stem),
            where,
            "read",
            "bad_id",
            "the file name is not valid UTF-8, so it cannot be a record id; rename the file (e.g. convmv -t utf-8)",
        )
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return reject(
                path.stem, where, "read", "unreadable", "not a regular file (a pipe, device or socket); remove it"
            )
        if max_bytes is not None and info.st_size > max_bytes:
            return _too_large(path.stem, {**where, "bytes": info.st_size}, info.st_size, max_bytes)
        data = path.read_bytes()
    except OSError as exc:
        return reject(
            path.stem,
            where,
            "read",
            "unreadable",
            f"{type(exc).__name__}: {exc.strerror or exc}; check the file's permissions, or the link it points through",
        )
    source = Source(path=shown(path), bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    return Document(id=path.stem, source=source, raw=data)


def _read_jsonl(path: Path, max_bytes: int | None = None) -> Iterator[Item]:
    """JSON Lines, one document per line; a line over ``max_bytes`` is skipped unparsed (reject
    ``too_large``), so one huge line cannot exhaust memory."""
    name = shown(path.name)
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise OSError(0, "not a regular file (a pipe, device or socket); remove it")
        fh = open_jsonl(path)
    except OSError as exc:
        yield reject(
            name,
            {"path": shown(path)},
            "read",
            "unreadable",
            f"{type(exc).__name__}: {exc.strerror or exc}; check the file's permissions, or the link it points through",
        )
        return
    limit = max_bytes + 2 if max_bytes is not None else -1  # the line, its newline, and one more
    shown_path = shown(path)  # once per file, not per line
    with fh:
        line_no = 0
        try:
            while line := fh.readline(limit):
                line_no += 1
                content = line.rstrip(b"\r\n")  # once: each strip copies the line
                if max_bytes is not None and len(content) > max_bytes:
                    size = len(line)
                    while not line.endswith(b"\n") and (line := fh.readline(1 << 20)):
                        size += len(line)
                    where = {"path": shown(path), "line": line_no, "bytes": size}
                    yield _too_large(f"{name}:{line_no}", where, size, max_bytes)
                    continue
                if line.isspace():  # ``not line.strip()`` for a non-empty line, without a copy
                    continue
                yield _jsonl_item(line_no, line, content, shown_path, name)
        except (OSError, EOFError, zstandard.ZstdError) as exc:
            yield reject(
                f"{name}:{line_no + 1}",
                {"path": shown(path), "line": line_no + 1},
                "read",
                "truncated_input",
                f"the compressed stream ends early or is corrupt after line {line_no}: {exc}",
            )


def _line_where(shown_path: str, line_no: int, size: int, digest: str) -> dict[str, Any]:
    """The ``source`` of a reject of a JSONL line: ``{"path", "line", "bytes", "sha256"}``."""
    return {"path": shown_path, "line": line_no, "bytes": size, "sha256": digest}


def _jsonl_item(line_no: int, line: bytes, content: bytes, shown_path: str, name: str) -> Item:
    """One JSONL line as a Document, or a reject; ``content`` is the line without its line end
    (``line.rstrip(b"\\r\\n")``), ``shown_path`` and ``name`` are ``shown`` of the file's path and
    of its name (all worked out once per line or file)."""
    digest = hashlib.sha256(content).hexdigest()
    size = len(content)
    # (a reject's ``source`` and fallback id are made only for a reject: most lines are documents)
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return reject(
            f"{name}:{line_no}",
            _line_where(shown_path, line_no, size, digest),
            "read",
            "invalid_json",
            f"line {line_no} is not JSON: {exc}; fix or drop that line",
        )
    if not isinstance(obj, dict):
        return reject(
            f"{name}:{line_no}",
            _line_where(shown_path, line_no, size, digest),
            "read",
            "invalid_json",
            f"line {line_no} is not a JSON object with 'id' and 'text'; fix or drop that line",
        )
    id_ = obj.get("id")
    if not isinstance(id_, str) or not id_:
        return reject(
            f"{name}:{line_no}",
            _line_where(shown_path, line_no, size, digest),
            "read",
            "bad_id",
            f"line {line_no}: 'id' must be a non-empty string, got {id_!r}"[:300],
        )
    text = obj.get("text")
    if not isinstance(text, str):
        return reject(
            id_,
            _line_where(shown_path, line_no, size, digest),
            "read",
            "missing_text",
            f"line {line_no}: 'text' must be a string, got {type(text).__name__}",
        )
    source = Source(path=shown_path, line=line_no, bytes=size, sha256=digest, encoding="utf-8")
    return Document(id=id_, source=source, text=text)


def read_inputs(paths: Iterable[str], exclude: Path | None = None, max_bytes: int | None = None) -> Iterator[Item]:
    """Every input, as a Document or a reject dict. Duplicate ids are rejected after the first.

    ``max_bytes`` (``--max-bytes``): larger files and JSONL lines are rejected without being read.
    """
    seen: set[str] = set()
    for path in discover(paths, exclude):
        if not path.exists() and not path.is_symlink():
            yield reject(
                shown(path.stem), {"path": shown(path)}, "read", "missing", "no such file or directory; check the path"
            )
            continue
        if path.is_dir():
            yield reject(
                shown(path.name),
                {"path": shown(path)},
                "read",
                "unreadable",
                "a directory that cannot be listed (permission denied); its files were not read: fix its permissions",
            )
            continue
        items: Iterable[Item] = _read_jsonl(path, max_bytes) if _is_jsonl(path) else [_read_txt(path, max_bytes)]
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
    return orjson.dumps(obj, option=orjson.OPT_APPEND_NEWLINE)  # the same bytes as ``+ b"\n"``, not copied


class AtomicWriter:
    """Write to ``<name>.tmp`` and rename into place on ``commit()``: a killed run never leaves a
    half-written ``corpus.jsonl`` behind (CCNet does the same)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(path.name + ".tmp")
        # closed in commit/abort; a 1 MiB buffer, not the default 8 KiB: a record line is larger
        # than that (about 15 KB on the bench corpus), so each would be its own system call
        self.fh: IO[bytes] = open(self.tmp, "wb", buffering=WRITE_BUFFER)

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
