"""The review report: what the cleaner did to each page, as data a browser or a terminal renders.

The core is pure: :func:`doc_view` turns one record (or reject) and the raw text it came from into
a *view*, a small JSON-able dict with the raw text, the clean fields and, for each, a list of
*marks* ``[start, end, class, label]`` (character offsets): inserted spaces, repaired whitespace,
glued words, text cut by a stage, captions lifted out. :func:`render_html` turns views and the run's
``stats.json`` into one static HTML page (inline CSS, inline SVG chart, inline JS, no network);
:mod:`pipeline.explain` renders the same view in a terminal. Only :func:`load_output` and
:func:`read_raw` touch files; the ``report`` command (``pipeline/cli.py``) calls them.

Example, seed 001 (glue edit ``Leministre`` → ``Le ministre`` at paragraphs[1], offset 0)::

    view["marks"]["paragraphs/1"][0] == [2, 3, "ins", "glue wrap, score 3.52"]   # the new space
    view["raw_marks"] has [..., "glued", "glue: Leministre → Le ministre"] on the raw line
    and [..., "rm", "structure: sidebar headline"] on every sidebar line after "Voir plus".

Why marks and not pre-rendered HTML: 10,000 documents must load fast, so each document's view is
embedded as its own ``<script type="application/gzip+base64">`` block (JSON, gzipped: see
:func:`pack_view`) and unpacked, parsed and rendered only when its page of the report is shown.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson
import regex
import zstandard

from .config import Config
from .document import Reject
from .stages import NAMES as STAGE_NAMES
from .stages.decode import decode_bytes

# Raw text longer than this is cut in the report (with a visible note): one 50 MB line must not
# make the page unusable. The record itself is never cut.
MAX_RAW_CHARS = 200_000
# Documents per page of the HTML report.
PAGE_SIZE = 20
# Fields of a record that hold article text, in reading order (captions are shown in their table).
TEXT_FIELDS = ("title", "lead", "dateline", "byline")

Mark = list[Any]  # [start, end, cls, label] or, for "split", [start, end, "split", label, [inserted offsets]]


# --------------------------------------------------------------------------- locating text


_SPACES = regex.compile(r"[^\S\n]+")


def _squeeze(text: str, drop_spaces: bool) -> tuple[str, list[int]]:
    """``text`` with whitespace runs (not newlines) made one space, or dropped; and the map from
    each kept character back to its offset in ``text``. Records hold squeezed text, raw pages not:
    ``_squeeze("a\u00a0 b", False) == ("a b", [0, 1, 3, 4])``."""
    out: list[str] = []
    index: list[int] = []
    last = 0
    for m in _SPACES.finditer(text):
        out.append(text[last : m.start()])
        index.extend(range(last, m.start()))
        if not drop_spaces:
            out.append(" ")
            index.append(m.start())
        last = m.end()
    out.append(text[last:])
    index.extend(range(last, len(text)))
    index.append(len(text))
    return "".join(out), index


class _Finder:
    """Finds record text in a raw page despite squeezed whitespace, claiming each span once."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self._views: dict[bool, tuple[str, list[int]]] = {}
        self.claimed: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self.claimed)

    def occurrences(self, needle: str) -> Iterator[tuple[int, int]]:
        """Raw spans holding ``needle``, in page order: verbatim first, then with whitespace runs
        squeezed, then ignoring whitespace (the squeezed copies are built only when needed)."""
        needle = needle.strip()
        if not needle:
            return
        pos = self.raw.find(needle)
        if pos >= 0:
            while pos >= 0:
                yield pos, pos + len(needle)
                pos = self.raw.find(needle, pos + 1)
            return
        for drop in (False, True):
            if drop not in self._views:
                self._views[drop] = _squeeze(self.raw, drop)
            text, index = self._views[drop]
            squeezed, _ = _squeeze(needle, drop)
            found = False
            pos = text.find(squeezed)
            while pos >= 0:
                found = True
                yield index[pos], index[pos + len(squeezed) - 1] + 1
                pos = text.find(squeezed, pos + 1)
            if found:
                return

    def claim(self, needle: str, *, last: bool = False, before: int | None = None,
              skip_lines: frozenset[str] = frozenset()) -> tuple[int, int] | None:
        spans = [
            (s, e) for s, e in self.occurrences(needle)
            if self.free(s, e) and (before is None or e <= before) and self._line(s, e) not in skip_lines
        ]
        if not spans:
            return None
        span = spans[-1] if last else spans[0]
        self.claimed.append(span)
        return span

    def _line(self, start: int, end: int) -> str:
        """The whole line around a span, when the span is the whole line; else ''."""
        ls = self.raw.rfind("\n", 0, start) + 1
        le = self.raw.find("\n", end)
        le = len(self.raw) if le < 0 else le
        line = self.raw[ls:le]
        return line.strip() if line.strip() == self.raw[start:end].strip() else ""


def _inserted(before: str, after: str) -> list[int]:
    """Offsets in ``after`` of the characters that are not in ``before`` (a glue split inserts
    spaces): ``_inserted("Leministre", "Le ministre") == [2]``."""
    out: list[int] = []
    i = 0
    for j, ch in enumerate(after):
        if i < len(before) and before[i] == ch:
            i += 1
        else:
            out.append(j)
    return out


def _locate(text: str, needle: str, near: int | None) -> int:
    """Offset of ``needle`` in ``text`` closest to ``near`` (offsets shift as earlier edits insert)."""
    if not needle:
        return -1
    best, pos = -1, text.find(needle)
    while pos >= 0:
        if near is None:
            return pos
        if best < 0 or abs(pos - near) < abs(best - near):
            best = pos
        if pos > near + 64:
            break
        pos = text.find(needle, pos + 1)
    return best


# --------------------------------------------------------------------------- one document


def _label(edit: dict[str, Any]) -> str:
    score = edit.get("score")
    return f"{edit['stage']} {edit['kind']}" + (f", score {score:.2f}" if isinstance(score, int | float) else "")


def _clean_marks(record: dict[str, Any]) -> tuple[dict[str, list[Mark]], list[bool]]:
    """Marks on the clean fields (``title``, ``paragraphs/3``, ``captions/0`` ...) for every edit
    made after ``structure``; and, per edit, whether it was located."""
    marks: dict[str, list[Mark]] = {}
    located: list[bool] = []
    shift: Counter[str] = Counter()
    for edit in record.get("edits", []):
        where = edit.get("where") or {}
        field, index = str(where.get("field")), where.get("index")
        key = field if index is None else f"{field}/{index}"
        if field == "paragraphs" and isinstance(index, int) and index < len(record.get("paragraphs", [])):
            text = record["paragraphs"][index]
        elif field == "captions" and isinstance(index, int) and index < len(record.get("captions", [])):
            text = record["captions"][index]["text"]
        elif field in (*TEXT_FIELDS, "published") and isinstance(record.get(field), str):
            text = record[field]
        else:
            located.append(field == "text")  # a field of the page before structure: marked on the raw page
            continue
        after, before = edit.get("after", ""), edit.get("before", "")
        offset = where.get("offset")
        near = None if offset is None else offset + shift[key]
        pos = _locate(text, after, near)
        if pos < 0:
            located.append(False)
            continue
        shift[key] += len(after) - len(before)
        inserted = _inserted(before, after)
        if edit.get("stage") == "glue" and inserted:
            marks.setdefault(key, []).append([pos, pos + len(after), "split", _label(edit), inserted])
        else:
            marks.setdefault(key, []).append([pos, pos + max(len(after), 1), "fix", _label(edit)])
        located.append(True)
    for key in marks:
        marks[key].sort(key=lambda m: m[0])
    return marks, located


def _raw_marks(record: dict[str, Any], raw: str) -> tuple[list[Mark], list[bool]]:
    """Marks on the raw page: text each stage cut (struck through), captions lifted out, glued
    words, whitespace and unicode repairs. Also, per ``removed`` entry, whether it was found."""
    finder = _Finder(raw)
    marks: list[Mark] = []
    removed = record.get("removed", [])
    found: list[bool] = [False] * len(removed)
    title = (record.get("title") or "").strip()
    marker_at: int | None = None
    order = sorted(range(len(removed)), key=lambda i: removed[i].get("kind") in ("signoff", "alt_text"))
    for i in order:
        entry = removed[i]
        kind, role = entry.get("kind", ""), entry.get("role")
        if kind == "signoff":
            span = finder.claim(entry["text"], last=True, before=marker_at)
        elif kind == "alt_text":
            span = finder.claim(entry["text"], skip_lines=frozenset({title}) if title else frozenset())
        else:
            span = finder.claim(entry["text"])
        if span is None:
            continue
        found[i] = True
        if kind == "sidebar" and role == "marker" and marker_at is None:
            marker_at = span[0]
        label = f"{entry.get('stage', '?')}: {kind}" + (f" {role}" if role else "")
        marks.append([span[0], span[1], "rm", label])
    for n, cap in enumerate(record.get("captions", [])):
        span = finder.claim(cap["text"])
        if span is not None:
            marks.append([span[0], span[1], "cap", f"caption {cap.get('n') or n + 1} → captions"])
    line_starts = [0] + [m.end() for m in regex.finditer("\n", raw)]
    cursor = 0
    inner: list[Mark] = []
    for edit in record.get("edits", []):
        where = edit.get("where") or {}
        before = edit.get("before", "")
        if not before:
            continue
        if where.get("field") == "text" and isinstance(where.get("index"), int) and where["index"] < len(line_starts):
            start = line_starts[where["index"]]
            end = line_starts[where["index"] + 1] - 1 if where["index"] + 1 < len(line_starts) else len(raw)
            pos = _locate(raw[start:end], before, where.get("offset"))
            if pos >= 0:  # may fall inside a caption or a cut line: _nest splits the outer mark
                label = f"{_label(edit)}: {before!r} → {edit.get('after', '')!r}"
                inner.append([start + pos, start + pos + len(before), "ws", label])
        elif edit.get("stage") == "glue":
            spans = [s for s in finder.occurrences(before) if s[0] >= cursor and finder.free(*s)]
            if not spans:
                spans = [s for s in finder.occurrences(before) if finder.free(*s)]
            if spans:
                s, e = spans[0]
                finder.claimed.append((s, e))
                cursor = e
                marks.append([s, e, "glued", f"glue: {before} → {edit.get('after', '')}"])
    return _nest(marks, inner), found


def _nest(outer: list[Mark], inner: list[Mark]) -> list[Mark]:
    """Flat, ordered, non-overlapping marks: an inner mark (a whitespace repair inside a caption
    or a cut line) splits the outer one; the pieces after the first carry an empty label, so the
    stage label is shown once. ``[[0, 10, "cap", "c"]] + [[4, 5, "ws", "w"]]`` gives
    ``[0, 4, "cap", "c"], [4, 5, "ws", "w"], [5, 10, "cap", ""]``."""
    inner = sorted(inner, key=lambda m: m[0])
    out: list[Mark] = []
    used: set[int] = set()
    for mark in sorted(outer, key=lambda m: (m[0], m[1])):
        start, end = mark[0], mark[1]
        label = mark[3]
        for k, ins in enumerate(inner):
            if k in used or ins[0] < start or ins[1] > end:
                continue
            used.add(k)
            if ins[0] > start:
                out.append([start, ins[0], mark[2], label, *mark[4:]])
                label = ""
            out.append(ins)
            start = ins[1]
        if end > start:
            out.append([start, end, mark[2], label, *mark[4:]])
    taken = [(m[0], m[1]) for m in out]
    for k, ins in enumerate(inner):
        if k not in used and all(ins[1] <= s or ins[0] >= e for s, e in taken):
            out.append(ins)
    out.sort(key=lambda m: (m[0], m[1]))
    return out


def doc_view(
    item: dict[str, Any], raw: str | None, raw_note: str | None = None, *, is_reject: bool = False
) -> dict[str, Any]:
    """Everything the report shows about one record or reject, as plain JSON-able data.

    ``raw`` is the page as decoded (``None`` when the input is gone: ``raw_note`` says why).
    """
    note = raw_note
    if raw is not None and len(raw) > MAX_RAW_CHARS:
        note = f"raw text cut at {MAX_RAW_CHARS:,} of {len(raw):,} characters in this report"
        raw = raw[:MAX_RAW_CHARS]
    source = item.get("source") or {}
    view: dict[str, Any] = {
        "id": item.get("id", ""),
        "source": source,
        "raw": raw,
        "raw_note": note,
    }
    if is_reject:
        view.update(
            kind="reject", lang="", stages=[], raw_marks=[],
            reject={"stage": item.get("stage"), "reason": item.get("reason"), "detail": item.get("detail")},
        )
        return view
    marks, _ = _clean_marks(item)
    raw_marks, found = _raw_marks(item, raw) if raw is not None else ([], [])
    stages = sorted(
        {e.get("stage", "") for e in item.get("edits", [])} | {r.get("stage", "") for r in item.get("removed", [])},
        key=lambda s: STAGE_NAMES.index(s) if s in STAGE_NAMES else len(STAGE_NAMES),
    )
    view.update(
        kind="record",
        lang=item.get("lang") or "und",
        stages=stages,
        meta={k: item.get(k) for k in ("title", "lead", "dateline", "byline", "published", "lang")},
        paragraphs=item.get("paragraphs", []),
        captions=item.get("captions", []),
        removed=[dict(r, found=(found[i] if raw is not None else None)) for i, r in enumerate(item.get("removed", []))],
        edits=item.get("edits", []),
        marks=marks,
        raw_marks=raw_marks,
    )
    return view


# --------------------------------------------------------------------------- summary


class Summary:
    """Counts for the top of the report, gathered one view at a time (the views of a large corpus
    are packed as they come and never all held): documents, records, rejects, edits and removals
    per stage, languages, reject reasons."""

    def __init__(self) -> None:
        self.documents = 0
        self.records = 0
        self.langs: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.edits: Counter[str] = Counter()
        self.removed: Counter[str] = Counter()

    def add(self, view: dict[str, Any]) -> None:
        self.documents += 1
        if view["kind"] != "record":
            self.reasons[f"{view['reject']['stage']}:{view['reject']['reason']}"] += 1
            return
        self.records += 1
        self.langs[view["lang"]] += 1
        self.edits.update(str(e.get("stage", "?")) for e in view["edits"])
        self.removed.update(str(r.get("stage", "?")) for r in view["removed"])

    def to_json(self, stats: dict[str, Any]) -> dict[str, Any]:
        """The counts, plus the slowest stages from ``stats.json`` (absent under ``--no-timings``)."""
        order = {n: i for i, n in enumerate(STAGE_NAMES)}
        names = sorted(set(self.edits) | set(self.removed), key=lambda n: (order.get(n, 99), n))
        timed = [
            {"stage": name, "seconds": s["seconds"], "seen": s.get("seen", 0)}
            for name, s in (stats.get("stages") or {}).items()
            if isinstance(s, dict) and isinstance(s.get("seconds"), int | float)
        ]
        timed.sort(key=lambda t: -t["seconds"])
        return {
            "documents": self.documents,
            "records": self.records,
            "rejects": self.documents - self.records,
            "languages": dict(self.langs.most_common()),
            "reasons": dict(self.reasons.most_common()),
            "stages": [{"stage": n, "edits": self.edits[n], "removed": self.removed[n]} for n in names],
            "slowest": timed[:3],
            "timed": bool(timed),
        }


def _chart(rows: list[dict[str, Any]]) -> str:
    """Horizontal bar chart (inline SVG) of edits and removals per stage."""
    if not rows:
        return '<p class="muted">No stage edited or removed anything.</p>'
    top = max(r["edits"] + r["removed"] for r in rows) or 1
    width, bar_w, row_h = 720, 400, 26
    parts = [
        f'<svg class="chart" role="img" aria-label="edits and removals per stage" width="{width}" '
        f'height="{row_h * len(rows) + 30}" viewBox="0 0 {width} {row_h * len(rows) + 30}">'
    ]
    for i, r in enumerate(rows):
        y = i * row_h + 4
        we = round(bar_w * r["edits"] / top, 1)
        wr = round(bar_w * r["removed"] / top, 1)
        name = html.escape(r["stage"])
        parts.append(f'<text x="110" y="{y + 15}" text-anchor="end">{name}</text>')
        parts.append(
            f'<rect class="bar edits" data-stage="{name}" x="120" y="{y}" width="{we}" height="18">'
            f'<title>{name}: {r["edits"]} edits</title></rect>'
        )
        parts.append(
            f'<rect class="bar removed" data-stage="{name}" x="{120 + we}" y="{y}" width="{wr}" height="18">'
            f'<title>{name}: {r["removed"]} removals</title></rect>'
        )
        parts.append(
            f'<text x="{126 + we + wr}" y="{y + 15}">{r["edits"]} edits, {r["removed"]} removed</text>'
        )
    y = row_h * len(rows) + 20
    parts.append(f'<rect class="edits" x="120" y="{y - 10}" width="12" height="12"/><text x="136" y="{y}">edits</text>')
    parts.append(
        f'<rect class="removed" x="200" y="{y - 10}" width="12" height="12"/><text x="216" y="{y}">removed</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _json_script(obj: Any, id_: str) -> str:
    # "<" as \u003c: no "</script>" or "<!--" inside the block can end it early; JSON.parse reads it back.
    data = orjson.dumps(obj).decode("utf-8").replace("<", "\\u003c")
    return f'<script type="application/json" id="{id_}">{data}</script>'


def pack_view(view: dict[str, Any]) -> str:
    """One document's view as gzip + base64 (about a quarter of the JSON's size: a 10,000-document
    report is ~50 MB instead of ~190 MB, and loads accordingly). Deterministic (gzip mtime 0)."""
    return base64.b64encode(gzip.compress(orjson.dumps(view), compresslevel=6, mtime=0)).decode("ascii")


def unpack_view(packed: str) -> dict[str, Any]:
    """The inverse of :func:`pack_view` (what the page's script does with DecompressionStream)."""
    obj: dict[str, Any] = orjson.loads(gzip.decompress(base64.b64decode(packed)))
    return obj


def render_html(views: Iterable[dict[str, Any]], stats: dict[str, Any], title: str = "newsclean review report") -> str:
    """One static page: summary (counts, chart, languages, slowest stages), filters, and the
    documents, paged, each unpacked from its own gzip+base64 JSON block only when its page is shown.
    ``views`` is consumed once, so a generator of 10,000 views is never held in memory whole."""
    acc = Summary()
    index: list[dict[str, Any]] = []
    blocks: list[str] = []
    for i, v in enumerate(views):  # one pass: each view is packed and dropped
        acc.add(v)
        index.append({"k": "r" if v["kind"] == "record" else "x", "id": v["id"], "lang": v["lang"],
                      "st": v["stages"], "reason": v["reject"]["reason"] if v["kind"] == "reject" else None})
        blocks.append(f'<script type="application/gzip+base64" id="d{i}">{pack_view(v)}</script>')
    summary = acc.to_json(stats)
    langs = "".join(
        f"<li><b>{html.escape(lang)}</b> {n}</li>" for lang, n in summary["languages"].items()
    ) or "<li>none</li>"
    reasons = "".join(
        f"<li>{html.escape(reason)}: {n}</li>" for reason, n in summary["reasons"].items()
    ) or "<li>none</li>"
    if summary["timed"]:
        slow = "".join(
            f"<li><b>{html.escape(t['stage'])}</b> {t['seconds']:.3f} s"
            + (f" ({1000 * t['seconds'] / t['seen']:.2f} ms/doc)" if t["seen"] else "")
            + "</li>"
            for t in summary["slowest"]
        )
    else:
        slow = "<li>no timings (the run used <code>--no-timings</code>)</li>"
    stage_opts = "".join(
        f'<option value="{html.escape(r["stage"])}">{html.escape(r["stage"])}</option>' for r in summary["stages"]
    )
    lang_opts = "".join(f'<option value="{html.escape(x)}">{html.escape(x)}</option>' for x in summary["languages"])
    head = (
        f'<header><h1>{html.escape(title)}</h1>'
        f'<div class="cards">'
        f'<div class="card"><span class="n" id="n-docs">{summary["documents"]}</span> documents</div>'
        f'<div class="card"><span class="n" id="n-records">{summary["records"]}</span> records</div>'
        f'<div class="card"><span class="n" id="n-rejects">{summary["rejects"]}</span> rejects</div></div>'
        f'<div class="summary"><div><h2>Edits and removals per stage</h2>{_chart(summary["stages"])}</div>'
        f'<div><h2>Languages</h2><ul class="langs">{langs}</ul><h2>Reject reasons</h2><ul>{reasons}</ul>'
        f'<h2>Slowest stages</h2><ol class="slow">{slow}</ol></div></div>'
        f'<p class="legend">Legend: <span class="ins">&nbsp;</span> space inserted by glue · '
        f'<span class="glued">glued</span> glued word in the raw page · '
        f'<span class="ws">&nbsp;</span> whitespace/unicode repair · '
        f'<del class="rm">removed</del> cut by a stage · <span class="cap">caption</span> lifted into captions</p>'
        f"</header>"
        f'<nav class="filters"><label>Stage <select id="f-stage"><option value="">any</option>{stage_opts}'
        f'<option value="!reject">rejects only</option></select></label> '
        f'<label>Language <select id="f-lang"><option value="">any</option>{lang_opts}</select></label> '
        f'<label>Id <input id="f-id" type="search" placeholder="substring"></label> '
        f'<button id="prev">◀</button> <span id="pageinfo"></span> <button id="next">▶</button></nav>'
    )
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><meta name=\"viewport\" content=\"width=device-width\">"
        f"<style>{_CSS}</style></head><body>{head}<main id=\"docs\"></main>"
        + _json_script({"index": index, "page": PAGE_SIZE}, "index")
        + "".join(blocks)
        + f"<script>{_JS}</script></body></html>"
    )


# The page's style and script, inlined into every report (no network, no CDN).
_CSS = Path(__file__).with_name("report.css").read_text(encoding="utf-8")
_JS = Path(__file__).with_name("report.js").read_text(encoding="utf-8")



# --------------------------------------------------------------------------- file I/O (the CLI's side)


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        return
    with open(path, "rb") as fh:
        for line in fh:
            if line.strip():
                yield orjson.loads(line)


def read_raw(source: dict[str, Any], base: Path, cfg: Config | None = None) -> tuple[str | None, str | None]:
    """The raw page a record came from, decoded as the ``decode`` stage does, or ``(None, why)``.

    Paths are relative to where ``clean`` ran; ``base`` is that directory (the cwd by default).
    A JSONL input's page is the ``text`` of line ``source.line``.
    """
    path_s = source.get("path")
    if not path_s or path_s == "<stdin>":
        return None, "raw input not recorded"
    path = Path(path_s)
    if not path.is_absolute():
        path = base / path
    try:
        line_no = source.get("line")
        if isinstance(line_no, int):
            return _jsonl_text(path, line_no)
        data = path.read_bytes()
    except FileNotFoundError:
        return None, f"raw input {path_s} is no longer there: the raw column is empty, removed text is listed below"
    except OSError as exc:
        return None, f"raw input {path_s} could not be read: {type(exc).__name__}: {exc.strerror or exc}"
    try:
        text, _, _ = decode_bytes(data, cfg or Config())
    except Reject as exc:
        return None, f"raw input not shown: {exc.reason}: {exc.detail}"
    note = None
    if source.get("sha256") and hashlib.sha256(data).hexdigest() != source["sha256"]:
        note = f"raw input {path_s} has changed since it was cleaned (sha256 differs): marks may be off"
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", ""), note


def _jsonl_text(path: Path, line_no: int) -> tuple[str | None, str | None]:
    if path.name.endswith(".gz"):
        fh: Any = gzip.open(path, "rb")
    elif path.name.endswith(".zst"):
        fh = io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(open(path, "rb"), closefd=True))
    else:
        fh = open(path, "rb")
    with fh:
        for n, line in enumerate(fh, start=1):
            if n == line_no:
                try:
                    obj = orjson.loads(line)
                except orjson.JSONDecodeError:
                    return None, f"line {line_no} of {path} is not JSON"
                text = obj.get("text") if isinstance(obj, dict) else None
                if not isinstance(text, str):
                    return None, f"line {line_no} of {path} has no text"
                return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", ""), None
    return None, f"{path} has no line {line_no} any more"


def iter_views(out_dir: Path, base: Path | None = None) -> Iterator[dict[str, Any]]:
    """Views of every record, then every reject, in ``out_dir``, one at a time; raw pages are read
    relative to ``base`` (default: the cwd, where ``clean`` usually ran)."""
    base = base or Path.cwd()
    cfg = Config()
    for record in read_jsonl(out_dir / "corpus.jsonl"):
        raw, note = read_raw(record.get("source") or {}, base, cfg)
        yield doc_view(record, raw, note)
    for rej in read_jsonl(out_dir / "rejects.jsonl"):
        raw, note = read_raw(rej.get("source") or {}, base, cfg)
        yield doc_view(rej, raw, note, is_reject=True)


def read_stats(out_dir: Path) -> dict[str, Any]:
    path = out_dir / "stats.json"
    stats: dict[str, Any] = orjson.loads(path.read_bytes()) if path.exists() else {}
    return stats


def load_output(out_dir: Path, base: Path | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """All views of ``out_dir`` as a list, and its stats (for tests and small outputs)."""
    return list(iter_views(out_dir, base)), read_stats(out_dir)
