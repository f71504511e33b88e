"""The hostile inputs: a table of cases, each with how to make its bytes and its expected outcome.

Nothing here is a committed binary: every file is generated (big ones by bytes multiplication,
in well under a second) into a directory that the tests delete afterwards. Run as a script to
look at the files::

    python -m tests.hostile.make_cases /tmp/hostile      # writes the cases, prints the table

Each case is one input of ``python -m pipeline clean`` and expects either a record (with
assertions on its text) or a reject naming its stage and reason. ``run`` says which command line
it belongs to: ``default`` (default limits), ``raised`` (``--max-bytes 64000000``: the 50 MB file
must then be stopped by another named limit, not crash).
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TITLE = "Le Vietnam et le Japon renforcent leur coopération"
BODY = (
    "Hanoï (VNA) – Le ministre a déclaré que le gouvernement électronique progresse à Hanoï,"
    " grâce à l’équipe de l’ambassade du Japon."
)
SECOND = "Il a ajouté que la coopération continuera en 2021 et au-delà."
PAGE = f"{TITLE}\n\n{BODY}\n\n{SECOND} -VNA\n"
ASCII_PAGE = (
    "Hanoi (VNA) - The minister said the electronic government is progressing in Hanoi.\n\n"
    "He added that the cooperation will continue next year. -VNA\n"
)


@dataclass(frozen=True)
class Record:
    """A record is expected: its ``text`` holds every ``has``, none of ``hasnt``."""

    has: tuple[str, ...] = ()
    hasnt: tuple[str, ...] = ()
    title: str | None = None
    encoding: str | None = None  # source.encoding


@dataclass(frozen=True)
class Rejected:
    """A reject is expected, from ``stage`` with ``reason``; its detail mentions ``hint``."""

    stage: str
    reason: str
    hint: str = ""


@dataclass(frozen=True)
class Case:
    """``path``: relative path of the input; ``id``: the id its outcome carries; ``make`` writes it."""

    name: str
    path: str
    make: Callable[[Path], None]
    expect: Record | Rejected
    id: str = ""
    run: str = "default"
    needs: str = ""  # a condition under which the case is meaningful ("non-root")
    line: int | None = None  # the JSONL line the outcome names (a stream's reject)
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def key_id(self) -> str:
        return self.id or Path(self.path).name.removesuffix(".txt")


def _bytes(data: bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(data)

    return make


def _symlink(target: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        os.symlink(target, path)

    return make


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _unreadable(path: Path) -> None:
    path.write_bytes(PAGE.encode())
    path.chmod(0)


def _dir_loop(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_bytes(PAGE.encode())
    os.symlink("..", path / "up")  # a link back to the input directory: a loop if followed
    os.symlink(".", path / "self")


MB = 1024 * 1024
_LINE_250K = b"x" * 250_000 + b"\n"  # a minified dump: lines of a quarter of a million characters
FIFTY_MB = _LINE_250K * (50 * MB // len(_LINE_250K) + 1)

JSONL_LINES = [
    json.dumps({"id": "jsonl-ok", "text": PAGE}),
    "{broken json",
    json.dumps({"id": "jsonl-no-text", "title": "no text field"}),
    json.dumps({"id": 42, "text": PAGE}),
    json.dumps({"id": "jsonl-ok", "text": "A second document with the same id."}),
    json.dumps({"id": "../../etc/x", "text": PAGE}),
    json.dumps({"id": "jsonl-null-text", "text": None}),
    json.dumps(["not", "an", "object"]),
    '{"id": "jsonl-surrogate", "text": "lone \\ud800 surrogate"}',
    json.dumps({"id": "jsonl-empty-text", "text": ""}),
]
JSONL_PATH = "feed.jsonl"


def _jsonl(lines: list[str]) -> Callable[[Path], None]:
    return _bytes(("\n".join(lines) + "\n").encode("utf-8"))


def _gz(data: bytes) -> Callable[[Path], None]:
    return _bytes(gzip.compress(data)[:40])  # cut: the stream ends before its first line does


CASES: tuple[Case, ...] = (
    Case("empty file", "empty.txt", _bytes(b""), Rejected("decode", "empty")),
    Case("only whitespace", "whitespace.txt", _bytes(b" \t\r\n\n \xc2\xa0\n"), Rejected("decode", "empty")),
    Case(
        "PNG header",
        "image-png.txt",
        _bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
        Rejected("decode", "binary", "png"),
    ),
    Case(
        "gzip data", "archive-gz.txt", _bytes(gzip.compress(PAGE.encode() * 20)), Rejected("decode", "binary", "gzip")
    ),
    Case(
        "ELF header",
        "program-elf.txt",
        _bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 4000),
        Rejected("decode", "binary", "elf"),
    ),
    Case(
        "UTF-16 LE with BOM",
        "utf16le-bom.txt",
        _bytes(codecs.BOM_UTF16_LE + PAGE.encode("utf-16-le")),
        Record(has=(BODY,), title=TITLE, encoding="utf-16-le-bom"),
    ),
    Case(
        "UTF-16 BE with BOM",
        "utf16be-bom.txt",
        _bytes(codecs.BOM_UTF16_BE + PAGE.encode("utf-16-be")),
        Record(has=(BODY,), title=TITLE, encoding="utf-16-be-bom"),
    ),
    Case(
        "UTF-8 with BOM",
        "utf8-bom.txt",
        _bytes(codecs.BOM_UTF8 + PAGE.encode()),
        Record(has=(BODY,), hasnt=("\ufeff",), title=TITLE, encoding="utf-8-bom"),
    ),
    Case(
        "cp1252 French (’ is 0x92)",
        "cp1252-fr.txt",
        _bytes(PAGE.encode("cp1252")),
        Record(has=(BODY, "l’équipe"), title=TITLE, encoding="cp1252"),
    ),
    Case(
        "latin-1 French",
        "latin1-fr.txt",
        _bytes(PAGE.replace("’", "'").replace("–", "-").encode("latin-1")),
        Record(has=("Hanoï (VNA) - Le ministre a déclaré", "l'équipe"), title=TITLE, encoding="cp1252"),
    ),
    Case(
        "double-encoded mojibake",
        "mojibake.txt",
        _bytes(PAGE.encode("utf-8").decode("cp1252", "replace").encode("utf-8")),
        Record(has=(BODY,), hasnt=("Ã", "â€"), title=TITLE),
    ),
    Case(
        "invalid UTF-8 bytes mid-file (stray cp1252 é in a UTF-8 page)",
        "invalid-utf8.txt",
        _bytes(PAGE.encode() + "Le café de l’".encode() + b"\xe9quipe est ouvert.\n"),
        Record(has=(BODY, "Le café de l’équipe est ouvert."), encoding="utf-8+cp1252"),
    ),
    Case(
        "NUL bytes",
        "nul.txt",
        _bytes(PAGE.encode().replace(b"ministre", b"mini\x00stre")),
        Record(has=(BODY,), hasnt=("\x00",)),
    ),
    Case(
        "CRLF",
        "crlf.txt",
        _bytes(PAGE.replace("\n", "\r\n").encode()),
        Record(has=(BODY, SECOND), hasnt=("\r",), title=TITLE),
    ),
    Case(
        "lone CR",
        "cr.txt",
        _bytes(PAGE.replace("\n", "\r").encode()),
        Record(has=(BODY, SECOND), hasnt=("\r",), title=TITLE),
    ),
    Case(
        "a 50 MB file (default limit 16 MiB)",
        "fifty-mb.txt",
        _bytes(FIFTY_MB),
        Rejected("decode", "too_large", "not read"),
    ),
    Case(
        "a 50 MB file with --max-bytes raised: its 250,000-character lines",
        "fifty-mb-raised.txt",
        _bytes(FIFTY_MB),
        Rejected("decode", "line_too_long", "--max-line-chars"),
        run="raised",
    ),
    Case(
        "a 5 MB single line",
        "five-mb-line.txt",
        _bytes(("Le ministre a déclaré que le projet avance. " * (5 * MB // 45)).encode()),
        Rejected("decode", "line_too_long", "--max-line-chars"),
    ),
    Case(
        "a page that is only a sidebar",
        "sidebar-only.txt",
        _bytes(
            b"Voir plus\n\nPanorama de la session. Photo: VNA\n\n"
            b"L'Assembl\xc3\xa9e nationale examine la r\xc3\xa9forme\n\n"
            b"Dans le cadre de la session, l'Assembl\xc3\xa9e se r\xc3\xa9unit le 3 novembre.\n"
        ),
        Rejected("structure", "no_body", "sources.toml"),
    ),
    Case(
        "'Voir plus' as the first line, the article after it",
        "voir-plus-first.txt",
        _bytes(("Voir plus\n\n" + PAGE).encode()),
        Record(has=(BODY, SECOND), hasnt=("Voir plus",), title=TITLE),
    ),
    Case(
        "'Voir plus' inside the first line (a headline)",
        "voir-plus-title.txt",
        _bytes(("Voir plus loin : " + TITLE + "\n\n" + BODY + "\n").encode()),
        Record(has=(BODY,), title="Voir plus loin : " + TITLE),
    ),
    Case(
        "zero-width and bidi override characters inside words",
        "invisible.txt",
        _bytes(
            PAGE.replace("ministre", "mini\u200bstre")
            .replace("Japon", "Ja\u202epon")
            .replace("équipe", "équ\u2066ipe")
            .encode()
        ),
        Record(has=(BODY,), hasnt=("\u200b", "\u202e", "\u2066"), title=TITLE),
    ),
    Case("file name with spaces", "page avec des espaces.txt", _bytes(PAGE.encode()), Record(has=(BODY,), title=TITLE)),
    Case("non-ASCII file name", "Hanoï 河内 ảnh.txt", _bytes(PAGE.encode()), Record(has=(BODY,), title=TITLE)),
    Case(
        "file name that is not UTF-8",
        "caf\udce9.txt",  # bytes b"caf\xe9.txt" on disk
        _bytes(PAGE.encode()),
        Rejected("read", "bad_id", "rename"),
        id="caf\\xe9",
    ),
    Case("dangling symbolic link", "dangling.txt", _symlink("nowhere/at/all.txt"), Rejected("read", "unreadable")),
    Case("symbolic link loop (file)", "loop-a.txt", _symlink("loop-b.txt"), Rejected("read", "unreadable", "link")),
    Case(
        "symbolic link loop (file, other end)",
        "loop-b.txt",
        _symlink("loop-a.txt"),
        Rejected("read", "unreadable", "link"),
    ),
    Case("a named pipe behind a .txt name", "pipe.txt", _fifo, Rejected("read", "unreadable", "regular file")),
    Case(
        "a device behind a .txt name",
        "zeros.txt",
        _symlink("/dev/zero"),
        Rejected("read", "unreadable", "regular file"),
    ),
    Case(
        "symbolic link loop in the input directory (not followed; the page inside is read once)",
        "sub/inside.txt",
        _dir_loop,
        Record(has=(BODY,), title=TITLE),
        extra={"make_at": "sub"},
    ),
    Case(
        "unreadable file (mode 000)",
        "unreadable.txt",
        _unreadable,
        Rejected("read", "unreadable", "permission"),
        needs="non-root",
    ),
    Case(
        "truncated .jsonl.gz stream",
        "cut.jsonl.gz",
        _gz(b"\n".join([json.dumps({"id": f"gz-{i}", "text": PAGE}).encode() for i in range(40)])),
        Rejected("read", "truncated_input", "ends early"),
        id="cut.jsonl.gz:1",
        line=1,
    ),
    # Regression cases found by the fuzz targets (tests/fuzz_targets.py):
    Case(
        "fuzz: a page that is only an undecodable date placeholder",
        "only-placeholder.txt",
        _bytes(b"DNUM_ZZZ \n"),
        Rejected("dates", "no_body", "placeholders"),
    ),
    Case(
        "fuzz: a Chinese page indented with ideographic spaces",
        "zh-indented.txt",
        _bytes("越南政府办公厅\n\n\u3000\u3000越通社河内——越南政府办公厅主任出席会议。\u3000\n".encode()),
        Record(has=("越通社河内——越南政府办公厅主任出席会议。",), hasnt=("\u3000",)),
    ),
    Case(
        "ASCII page (unchanged by decode)",
        "ascii.txt",
        _bytes(ASCII_PAGE.encode()),
        Record(has=("The minister said the electronic government",)),
    ),
)

# JSONL lines: (label, id in the outcome, expected outcome); line n of feed.jsonl is JSONL_LINES[n-1].
JSONL_EXPECT: tuple[tuple[str, str, Record | Rejected], ...] = (
    ("a good line", "jsonl-ok", Record(has=(BODY,), title=TITLE)),
    ("a broken line", f"{JSONL_PATH}:2", Rejected("read", "invalid_json", "line 2")),
    ("a missing text", "jsonl-no-text", Rejected("read", "missing_text", "'text'")),
    ("a non-string id", f"{JSONL_PATH}:4", Rejected("read", "bad_id", "'id'")),
    ("a duplicate id", "jsonl-ok", Rejected("read", "duplicate_id", "unique")),
    ("an id like ../../etc/x", "../../etc/x", Record(has=(BODY,), title=TITLE)),
    ("a null text", "jsonl-null-text", Rejected("read", "missing_text", "NoneType")),
    ("a JSON array, not an object", f"{JSONL_PATH}:8", Rejected("read", "invalid_json", "object")),
    ("a lone surrogate escape", f"{JSONL_PATH}:9", Rejected("read", "invalid_json", "line 9")),
    ("an empty text", "jsonl-empty-text", Rejected("decode", "empty")),
)


def write(root: Path, run: str = "default") -> list[Case]:
    """Write the cases of one run under ``root``; return those written (some need conditions)."""
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for case in CASES:
        if case.run != run:
            continue
        if case.needs == "non-root" and os.geteuid() == 0:
            continue  # root reads a mode-000 file: the case says nothing there
        target = root / str(case.extra.get("make_at", case.path))
        target.parent.mkdir(parents=True, exist_ok=True)
        case.make(Path(os.fsencode(target).decode("utf-8", "surrogateescape")))
        written.append(case)
    if run == "default":
        _jsonl(JSONL_LINES)(root / JSONL_PATH)
    return written


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "hostile-cases")
    for run in ("default", "raised"):
        for case in write(root / run, run):
            expect = case.expect
            outcome = f"reject {expect.stage}:{expect.reason}" if isinstance(expect, Rejected) else "record"
            print(f"{run:8} {case.path!r:55} {outcome:28} {case.name}")
    for label, id_, expect in JSONL_EXPECT:
        outcome = f"reject {expect.stage}:{expect.reason}" if isinstance(expect, Rejected) else "record"
        print(f"default  {JSONL_PATH + ' ' + id_!r:55} {outcome:28} {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
