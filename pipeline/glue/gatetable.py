"""The fast gate's table of listed rare words it clears in any situation, built with the engine.

Why: most clean paragraphs hold a few rare but real words (`amidonnées`, `Pérouse,`): Zipf below
`gate_zipf`, so the token gates pass them on, and the fast gate (`core._nothing_to_split`) then
bounds each one's split scores (`_Scorer._lex_bound`, about 20-50 µs a token) only to find, for
most of them, that no split can reach any threshold. With the benchmark's cold memos (and in a
corpus run, for every token not seen lately) that was re-derived in every run. These tokens come
from wordfreq's list, which is fixed: so the answer is computed once, when the engine is built.

What: for each word of wordfreq's list (`lexicon.table`) with `MIN_ZIPF <= Zipf < gate_zipf`
(no whitespace, not ending with `,` or `.`) and each of its `FORMS` (lowercase or capitalised,
bare or, from `MIN_ZIPF_MARKED`, with a closing `,` or `.`: `ente`, `Ente,`), one bit, set
when the form is a token the fast gate surely passes on to `_below` (`_surely_plain` and the
token gate `_Scorer._plain` say no) and the bound alone proves `_below` True whatever the
situation (`core._clears`): `ub + allow < target`, and `ub + allow <= 0` in a language with a
wrap model, with `allow` the most the document context may add (`core._context_allowance`) and
`target` the lowest inline threshold the form's case may get (with or without `was_wrapped`).
`core._nothing_to_split` skips such a token (no token gate, no `maybe_glued`, no bound: it
counts as odd, as it would), exactly as `_below` would, so
`repair()` is unchanged. Built from wordfreq's list alone (never from benchmark text), like the
frequency tables and the spelling model it is derived from.

Valid only for what it was built for: the file's key is a digest of the engine's sources (what
`native.digest` hashes, the digest the compiled build is keyed on), this module's source,
wordfreq's version, the size of its list, `repr` of the configuration (the default
`GlueConfig`; a user's override has another and computes as before) and the language. Missing,
stale or unreadable: `load` returns None and the gate computes every bound as it comes.

File: `_gate_<lang>.bin` beside the sources, not committed (like the compiled modules): one
line of JSON (`format`, `key`, `words`), then one byte of form bits per word of the list, in the
list's order (so loading shares the list's own string objects: about 7 MB per language in
memory, see bench/GLUE.md "Sixth speed round"). Built by `build_glue.py` (`make native`) with
`main` in a fresh process, so that it runs the engine just built (or the source, the same bounds).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import itertools
import json
import logging
import time
from pathlib import Path

from pipeline.glue import native

log = logging.getLogger(__name__)

FORMAT = 1
HERE = Path(__file__).resolve().parent
LANGS = ("fr", "en")  # the languages built (the default configuration's `languages`)
# words of wordfreq's list at least this frequent (and below `gate_zipf`) get their bare forms
# checked (`ente`, `Ente`), and their forms with a closing mark from `MIN_ZIPF_MARKED`: rarer
# words with a mark are few in text (on dev about 2 % of the tokens cleared) for a third of the
# build time
MIN_ZIPF = 1.0
MIN_ZIPF_MARKED = 1.5
# at most this many words get bits, the most frequent first (the list's order): the loaded dict
# then stays in the size class of 2**18 slots (3.7 MiB; one entry more doubles it), and the
# words left out are the rarest (Zipf below about 1.1)
MAX_WORDS = 174_000
# form bit -> (capitalised, closing mark); `core._cleared` reads the same layout
FORMS: tuple[tuple[bool, str], ...] = ((False, ""), (True, ""), (False, ","), (True, ","), (False, "."), (True, "."))


def path(lang: str) -> Path:
    return HERE / f"_gate_{lang}.bin"


def paths() -> list[Path]:
    return [path(lang) for lang in LANGS]


def lexicon_name(lang: str) -> str:
    from pipeline.glue import lexicon

    return lexicon.stored_path(lang).name


def key(lang: str, config_repr: str) -> str:
    """What a table must have been built for to be used: see the module docstring."""
    from pipeline.glue.lexicon import table

    h = hashlib.sha256()
    own = Path(__file__).read_bytes()
    for part in (str(FORMAT), lang, native.digest(), hashlib.sha256(own).hexdigest(),
                 importlib.metadata.version("wordfreq"), str(len(table(lang))), config_repr):
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()


def forms(word: str) -> list[str | None]:
    """`word`'s form per bit of `FORMS` (None: no such form: no capital that lowercases back to
    `word`, or one that is `word` itself)."""
    cap = word[:1].upper() + word[1:]
    capital = cap if cap != word and cap.lower() == word else None
    out: list[str | None] = []
    for capitalised, mark in FORMS:
        base = capital if capitalised else word
        out.append(None if base is None else base + mark)
    return out


@functools.cache
def load(lang: str, config_repr: str) -> dict[str, int] | None:
    """word -> its form bits, for the table of `lang` built for a configuration of this `repr`;
    None (and one debug line) when there is no current table. Loaded once per process."""
    from pipeline.glue.lexicon import table

    found = path(lang)
    try:
        data = found.read_bytes()
    except OSError:
        log.debug("glue gate table %s: none; bounds computed as they come", found.name)
        return None
    head, _, bits = data.partition(b"\n")
    try:
        meta = json.loads(head)
        current = meta["format"] == FORMAT and meta["key"] == key(lang, config_repr)
        words = meta["words"]
    except (ValueError, KeyError, TypeError):
        current, words = False, -1
    tab = table(lang)
    if not current or words != len(tab) or len(bits) != len(tab):
        log.debug("glue gate table %s: stale or of another configuration; bounds computed as they come", found.name)
        return None
    # the list's own string objects as keys (no copies), with their bits
    return dict(zip(itertools.compress(tab, bits), filter(None, bits), strict=True))


def compute(lang: str) -> bytes:
    """The form bits of every word of `lang`'s list, in its order (see the module docstring)."""
    from pipeline.glue import core
    from pipeline.glue.lexicon import table

    cfg = core.DEFAULT_CONFIG
    scorer = core._shared_for(lang, cfg).part
    known = core._plain_tokens(lang, cfg.gate_zipf)
    elided = core._plain_elisions(lang, cfg.gate_zipf)
    allow = core._context_allowance(cfg)
    out = bytearray()
    entries = 0
    for word, zipf in table(lang).items():
        bits = 0
        if (entries < MAX_WORDS and MIN_ZIPF <= zipf < cfg.gate_zipf and word[-1:] not in (",", ".")
                and not any(ch.isspace() for ch in word)):
            marked = zipf >= MIN_ZIPF_MARKED
            for bit, form in enumerate(forms(word)):
                if (form is not None and (marked or not FORMS[bit][1])
                        and core._clears(form, lang, scorer, cfg, known, elided, allow)):
                    bits |= 1 << bit
            if bits:
                entries += 1
        out.append(bits)
    return bytes(out)


def build(lang: str) -> tuple[int, int]:
    """Compute and write the table of `lang` for the default configuration; (entries, bytes)."""
    from pipeline.glue import core

    before = key(lang, repr(core.DEFAULT_CONFIG))
    bits = compute(lang)
    if key(lang, repr(core.DEFAULT_CONFIG)) != before:
        raise RuntimeError("the engine's sources changed during the build")
    head = json.dumps({"format": FORMAT, "key": before, "words": len(bits)}).encode("ascii")
    target = path(lang)
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(head + b"\n" + bits)
    tmp.replace(target)
    return sum(1 for b in bits if b), len(head) + 1 + len(bits)


def build_lexicon(lang: str) -> int:
    """Write the stored tables of `lang` (`lexicon.stored_path`, see `lexicon.stored`); bytes."""
    from pipeline.glue import lexicon

    data = lexicon.stored_bytes(lang)
    target = lexicon.stored_path(lang)
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    return len(data)


def main(langs: tuple[str, ...] = LANGS) -> int:
    from pipeline.glue import ENGINE

    for lang in langs:
        started = time.perf_counter()
        size = build_lexicon(lang)  # first: the gate table's build then reads it (`lexicon.table`)
        print(f"build_glue: stored tables {lexicon_name(lang)}: {size:,} bytes, "
              f"{time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        entries, size = build(lang)
        print(f"build_glue: gate table {path(lang).name}: {entries:,} words cleared in some form, "
              f"{size:,} bytes, {time.perf_counter() - started:.1f} s (engine: {ENGINE})")
    return 0
