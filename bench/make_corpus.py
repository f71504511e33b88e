"""A deterministic synthetic corpus for ``make bench``, recombined from the seeds' own patterns.

Each document takes one seed page as a template (title, captions, dateline, sign-off, sidebar)
and replaces its body paragraphs with paragraphs drawn, by a seeded random generator, from the
seeds of the same site; then it adds the defects the cleaner repairs, at fixed rates: French
line-wrap glue (a space dropped), a mojibake paragraph (UTF-8 read as cp1252), no-break spaces,
CRLF line ends. Same ``--docs`` and ``--seed``, same bytes.

    python -m bench.make_corpus --docs 20000 --out /tmp/bench/corpus.jsonl
    # {"id": "syn-0000000-001", "text": "Le Vietnam reçoit ...\\r\\n..."} x 20000, about 120 MB
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
SIDEBAR = ("Voir plus", "更多", "Featured Nghe An Newspaper", "Latest")
LANG = {"000": "fr", "001": "fr", "002": "fr", "003": "zh", "004": "en"}
# Seeds whose body paragraphs carry wrap glue at the source: every one of seed 001's 11 body
# paragraphs has 3-7 glued words (`Leministre`), those of 000 and 002 none
# (tests/test_scale.py checks this with the glue stage). A paragraph drawn from them is glued
# text whether or not the generator adds glue of its own.
SOURCE_GLUED = frozenset({"001"})


def _load() -> list[tuple[str, list[str], list[int]]]:
    """Each seed as (name, lines, indexes of its body paragraphs)."""
    out = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        end = next((i for i, line in enumerate(lines) if line.strip() in SIDEBAR), len(lines))
        body = [
            i
            for i, line in enumerate(lines[:end])
            if len(line) > 120 and "ảnh" not in line and "Photo" not in line and "图自" not in line and i > 2
        ]
        out.append((path.stem[:3], lines, body))
    return out


def _mojibake(text: str) -> str:
    return text.encode("utf-8").decode("cp1252", errors="ignore")


def _glue(text: str, rng: random.Random) -> str:
    """Drop one space about every 75 characters, as joined hard line wraps do."""
    out, last = [], 0
    pos = rng.randint(60, 85)
    while pos < len(text):
        j = text.find(" ", pos)
        if j < 0:
            break
        out.append(text[last:j])
        last = j + 1
        pos = j + rng.randint(60, 85)
    out.append(text[last:])
    return "".join(out)


def documents(n: int, seed: int = 0, tally: dict[str, int] | None = None) -> Iterator[dict[str, str]]:
    """``n`` pages as ``{id, text}``, the same for the same ``n`` and ``seed``.

    ``tally``, if given, counts the UTF-8 bytes of the French paragraphs with wrap glue, the
    part of the corpus where the ``glue`` stage does its real work (as opposed to the
    per-paragraph check that clean text gets): ``glued_bytes`` for the glue this generator
    adds, ``source_glued_bytes`` for the other paragraphs drawn from :data:`SOURCE_GLUED` seeds,
    glued at the source.
    """
    seeds = _load()
    pools: dict[str, list[tuple[str, str]]] = {}  # language -> (paragraph, seed it came from)
    for name, lines, body in seeds:
        pools.setdefault(LANG[name], []).extend((lines[i].replace("  ", " "), name) for i in body)
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        name, lines, body = seeds[i % len(seeds)]
        lang = LANG[name]
        pool = pools[lang]
        new = list(lines)
        for j in body:
            para, origin = rng.choice(pool)
            roll = rng.random()
            key = "source_glued_bytes" if origin in SOURCE_GLUED else ""
            if lang == "fr" and roll < 0.3:
                para = _glue(para, rng)
                key = "glued_bytes"
            elif roll < 0.38:
                para = _mojibake(para)
            elif roll < 0.5:
                para = para.replace(" ", "\u00a0 ", 2)
            if tally is not None and key:
                tally[key] = tally.get(key, 0) + len(para.encode("utf-8"))
            new[j] = para
        text = "\n".join(new)
        if rng.random() < 0.2:
            text = text.replace("\n", "\r\n")
        yield {"id": f"syn-{i:07d}-{name}", "text": text}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    tally: dict[str, int] = {}
    with open(out, "wb") as fh:
        for doc in documents(args.docs, args.seed, tally):
            line = orjson.dumps(doc) + b"\n"
            size += len(line)
            fh.write(line)
    glued, source = tally.get("glued_bytes", 0), tally.get("source_glued_bytes", 0)
    print(f"{out}: {args.docs} documents, {size / 1e6:.1f} MB; French paragraphs with wrap glue:"
          f" {(glued + source) / 1e6:.1f} MB, {(glued + source) / max(size, 1):.1%}"
          f" ({glued / max(size, 1):.1%} glued here, {source / max(size, 1):.1%} glued at the source)")


if __name__ == "__main__":
    main()
