"""The review report for one document, in a terminal: ``python -m pipeline explain OUT_DIR ID``.

Renders the view of :func:`pipeline.report.doc_view` as text: metadata, the clean record with the
spaces glue inserted highlighted, each glue split with its score, the other edits, what each stage
removed (struck through, labelled with the stage), the captions, and with ``--raw`` the raw page
with the same marks. Colour (ANSI) only when asked for or when stdout is a terminal and
``NO_COLOR`` is unset; otherwise plain text with brackets, so a log or a pipe stays readable::

    plain:   Le[+ ]ministre ...        ~~structure: sidebar headline~~ Entretien téléphonique ...
    colour:  Le\\x1b[42m \\x1b[0mministre  \\x1b[9;31m[structure: sidebar headline] Entretien ...\\x1b[0m

Pure: :func:`render` returns a string; the CLI prints it.
"""

from __future__ import annotations

from typing import Any

RESET = "\x1b[0m"
STYLE = {
    "ins": "\x1b[30;42m",  # black on green: an inserted space
    "split": "\x1b[4m",  # underline: the repaired word
    "glued": "\x1b[33;4m",  # yellow underline: the glued word in the raw page
    "ws": "\x1b[30;43m",  # black on yellow: whitespace / unicode repair
    "fix": "\x1b[36m",
    "rm": "\x1b[9;31m",  # struck-through red: removed
    "cap": "\x1b[34m",  # blue: caption lifted out
    "head": "\x1b[1m",
    "dim": "\x1b[2m",
}
PLAIN = {
    "ins": ("[+", "]"),
    "split": ("", ""),
    "glued": ("{", "}"),
    "ws": ("[ws:", "]"),
    "fix": ("[", "]"),
    "rm": ("~~", "~~"),
    "cap": ("<<", ">>"),
}


def _paint(text: str, style: str, color: bool) -> str:
    return f"{STYLE[style]}{text}{RESET}" if color else text


def highlight(text: str, marks: list[list[Any]] | None, color: bool) -> str:
    """``text`` with its marks shown: ANSI styles, or plain brackets (``Le[+ ]ministre``)."""
    if not marks:
        return text
    out: list[str] = []
    at = 0
    for mark in marks:
        start, end, cls, label = mark[0], mark[1], mark[2], mark[3]
        if start < at or end > len(text):
            continue
        out.append(text[at:start])
        seg = text[start:end]
        if cls == "split":
            inner: list[str] = []
            last = 0
            for k in mark[4]:
                inner.append(seg[last:k])
                inner.append(f"{STYLE['ins']}{seg[k]}{RESET}{STYLE['split']}" if color else f"[+{seg[k]}]")
                last = k + 1
            inner.append(seg[last:])
            out.append(_paint("".join(inner), "split", color))
        elif cls == "rm":
            shown = f"[{label}] {seg}" if label else seg
            out.append(_paint(shown, "rm", True) if color else f"~~{shown}~~")
        elif color:
            out.append(_paint(seg, cls, True))
        else:
            opening, closing = PLAIN.get(cls, ("[", "]"))
            shown = seg.replace("\u00a0", "\u2423") if cls == "ws" else seg
            out.append(f"{opening}{shown}{closing}")
        at = end
    out.append(text[at:])
    return "".join(out)


def render(view: dict[str, Any], color: bool, show_raw: bool = False) -> str:
    """The terminal report of one document view."""
    lines: list[str] = []

    def head(text: str) -> None:
        lines.append("")
        lines.append(_paint(text, "head", color))

    src = view.get("source") or {}
    where = str(src.get("path", "")) + (f":{src['line']}" if src.get("line") else "")
    lines.append(_paint(f"{view['id']}  ({view['kind']}, {where})", "head", color))
    if view.get("raw_note"):
        lines.append(f"note: {view['raw_note']}")
    if view["kind"] == "reject":
        rej = view["reject"]
        lines.append(f"rejected by stage {rej['stage']}: {rej['reason']}")
        lines.append(f"  {rej['detail']}")
        if show_raw and view.get("raw") is not None:
            head("raw input")
            lines.append(view["raw"])
        return "\n".join(lines) + "\n"
    meta, marks = view["meta"], view["marks"]
    head("metadata")
    for key in ("title", "lead", "dateline", "byline", "published", "lang"):
        value = meta.get(key)
        lines.append(f"  {key:<10} {'-' if value is None else highlight(value, marks.get(key), color)}")
    lines.append(f"  {'stages':<10} {', '.join(view['stages']) or '-'}")
    head("clean record (spaces inserted by glue " + ("highlighted" if color else "shown as [+ ]") + ")")
    for i, para in enumerate(view["paragraphs"]):
        lines.append(f"[{i}] {highlight(para, marks.get(f'paragraphs/{i}'), color)}")
    if view["captions"]:
        head(f"captions ({len(view['captions'])})")
        for i, cap in enumerate(view["captions"]):
            text = highlight(cap["text"], marks.get(f"captions/{i}"), color)
            n = cap["n"] if cap["n"] is not None else "-"
            lines.append(f"  n={n}  [{cap['lang']}]  {text}  (credit: {cap['credit']})")
    glue = [e for e in view["edits"] if e.get("stage") == "glue"]
    if glue:
        head(f"glue splits ({len(glue)})")
        for e in glue:
            w = e["where"]
            place = f"{w['field']}" + (f"[{w['index']}]" if w.get("index") is not None else "")
            score = f"{e['score']:6.2f}" if isinstance(e.get("score"), int | float) else "     -"
            lines.append(f"  {score}  {e['kind']:<7} {place:<16} {e['before']} -> {e['after']}")
    other = [e for e in view["edits"] if e.get("stage") != "glue"]
    if other:
        head(f"other edits ({len(other)})")
        for e in other:
            w = e["where"]
            place = f"{w['field']}" + (f"[{w['index']}]" if w.get("index") is not None else "")
            lines.append(f"  {e['stage']:<10} {e['kind']:<10} {place:<14} {e['before']!r} -> {e['after']!r}")
    if view["removed"]:
        head(f"removed ({len(view['removed'])})")
        for r in view["removed"]:
            label = f"{r['stage']}: {r['kind']}" + (f" {r['role']}" if r.get("role") else "")
            shown = f"[{label}] {r['text']}"
            lines.append("  " + (_paint(shown, "rm", True) if color else f"~~{shown}~~"))
    if show_raw:
        head("raw input (removed text struck, glued words and repairs marked)")
        raw = view.get("raw")
        lines.append(highlight(raw, view["raw_marks"], color) if raw is not None else "(not available)")
    return "\n".join(lines) + "\n"
