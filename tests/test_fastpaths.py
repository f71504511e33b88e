"""The fast paths give the same output as the slow ones: the ftfy gate, the compiled validator."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import pickle
import unicodedata
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.make_corpus import documents
from pipeline.config import Config
from pipeline.document import Document, Source
from pipeline.edits import lines_with
from pipeline.schema import is_valid, problems
from pipeline.sources import profiles
from pipeline.stages import unicode, whitespace
from pipeline.stages.unicode import (
    _BADNESS_REACH,
    _BADNESS_WITNESSES,
    _LINE_WORK,
    BADNESS_RE,
    is_bad,
    looks_bad,
    needs_ftfy,
)
from pipeline.stages.whitespace import _NEEDS_WORK, lines_needing_work, respace

from .conftest import ROOT

GATED = Config()
UNGATED = Config().override(unicode={"ftfy_gate": False})


def _lines() -> list[str]:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [d["text"] for d in documents(300, seed=11)]
    return [line for text in texts for line in text.replace("\r\n", "\n").split("\n")]


TRICKY = [
    "dÃ©veloppement",  # mojibake
    "lâ€™e-gouvernement",
    "voilÃ le travail",  # mojibake with a lost no-break space
    "e\u0301te\u0301",  # not NFC
    "a\x85b",  # C1 line break
    "a\u2028b",
    "\x1b[31mrouge\x1b[0m",  # terminal escape
    "x\ufeffy",
    "l\u2019e-gouvernement, « développement »",  # clean: the gate must skip it
    "越南政府办公厅主任梅进勇",
    "Ð¡Ð¾Ð²ÐµÑ‚",  # Cyrillic mojibake
    "\ud83d",  # lone surrogate
]
# Lines for the per-line fast paths (the lines ``_fix`` and ``_respace`` visit), not all ftfy's.
TRICKY_LINES = [
    "Le\xa0Ã© vu",  # mojibake ftfy repairs only once the no-break space is a space (_respace)
    " Â Le",
    "\tdÃ©but\t",
    "gouver\u200bnement dÃ\u200b©jà",  # an invisible character inside a mojibake pair
    "Viet\u200dnam",
    "\u3000\u3000越南政府办公厅",
    "a  b\u2009c ",
]


def _run(text: str, cfg: Config) -> Document:
    return unicode.run(Document(id="x", source=Source("x", 0, "0" * 64), text=text), cfg)


def test_gate_output_identical_on_seeds_and_synthetic_corpus() -> None:
    lines = _lines() + TRICKY + TRICKY_LINES
    gated, ungated = _run("\n".join(lines), GATED), _run("\n".join(lines), UNGATED)
    assert gated.text == ungated.text
    assert gated.edits == ungated.edits
    assert len(gated.edits) > 50  # the corpus does hold mojibake the stage repairs


def test_gate_skips_clean_lines_and_keeps_suspicious_ones() -> None:
    assert not needs_ftfy("Le ministre a déclaré que le projet avance.")
    assert not needs_ftfy("越南政府办公厅主任梅进勇")
    for line in TRICKY[:8] + TRICKY[10:]:
        assert needs_ftfy(line), repr(line)
    skipped = sum(not needs_ftfy(line) for line in _lines() if not line.isascii())
    assert skipped > 0.5 * sum(not line.isascii() for line in _lines())


def test_gated_unicode_stage_same_output_line_by_line() -> None:
    """Each line alone (so that a skipped line cannot hide behind a repaired neighbour)."""
    for line in _lines()[:3000:7] + TRICKY + TRICKY_LINES:
        gated, ungated = _run(line, GATED), _run(line, UNGATED)
        assert (gated.text, gated.edits) == (ungated.text, ungated.edits), repr(line)


def test_lines_with_finds_the_lines_a_per_line_search_finds() -> None:
    text = "\n".join(_lines() + TRICKY + TRICKY_LINES)
    lines = text.split("\n")
    for pattern in (_LINE_WORK, _NEEDS_WORK):
        expected = [i for i, line in enumerate(lines) if pattern.search(line)]
        assert lines_with(pattern, text) == expected
        assert expected  # the corpus holds such lines
    assert lines_with(_NEEDS_WORK, " a\nb \n\nc") == [0, 1]
    assert lines_with(_LINE_WORK, "") == []


def test_whitespace_work_lines_are_never_fewer_than_the_exact_ones() -> None:
    texts = ["\n".join(_lines()), "a b\nc\u00a0d", "a b\n c", "a  b\nc", "a \nb", "x\x85\ny", "\u3000越南\nb"]
    for text in texts:
        exact = [i for i, line in enumerate(text.split("\n")) if _NEEDS_WORK.search(line)]
        assert set(exact) <= set(lines_needing_work(text)), repr(text[:40])
    assert lines_needing_work("a b\nc d") == []


@given(st.text(alphabet="ab. \t\u00a0\u2003\u202f\u3000\x0b\x85\u2028\x1c", max_size=12))
@settings(max_examples=500, deadline=None)
def test_respace_is_what_the_whitespace_stage_makes_of_a_line(line: str) -> None:
    """``unicode`` asks ftfy about each line as ``whitespace`` will leave it (``respace``)."""
    line = line.replace("\n", "")
    doc = Document(id="x", source=Source("x", 0, "0" * 64), text=line)
    assert respace(line) == whitespace.run(doc, Config()).text


@given(st.text(alphabet="ab. \t\u00a0\u2003\u202f\u3000\x0b\x85\u2028\x1c", max_size=16))
@settings(max_examples=500, deadline=None)
def test_whitespace_fix_line_is_sub_recorded(line: str) -> None:
    """The whitespace stage's own loop gives ``sub_recorded``'s line and edits."""
    from pipeline.document import Where
    from pipeline.edits import sub_recorded

    line = line.replace("\n", "")
    for field, index in (("text", 3), ("paragraphs", None)):
        edits: list[Any] = []
        fixed = whitespace._fix_line(line, field, index, edits)
        assert (fixed, edits) == sub_recorded(
            whitespace._FIX, whitespace._replacement, line, whitespace.NAME, whitespace._kind, Where(field, index)
        )


@given(st.text(alphabet="ab. \t\u00a0\u2003\u202f\u3000\x0b\x85\u2028\x1c\u1680\r", max_size=16))
@settings(max_examples=1000, deadline=None)
def test_whitespace_runs_are_fix_s_matches(line: str) -> None:
    """``_fixes`` finds ``_FIX``'s matches with ``_replacement``'s replacements, and ``respace``
    is ``_FIX.sub``: lone spaces at either end, runs holding U+3000 or a line break, lines of
    white space only."""
    line = line.replace("\n", "")
    expected = [(m.start(), m.end(), whitespace._replacement(m)) for m in whitespace._FIX.finditer(line)]
    assert whitespace._fixes(line) == expected
    assert respace(line) == whitespace._FIX.sub(whitespace._replacement, line)


def test_whitespace_runs_on_the_corpus_lines() -> None:
    import regex

    everything = [chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000]
    assert whitespace._WHITE == {ch for ch in everything if regex.match(r"[^\S\n]", ch)}  # _EDGE
    assert whitespace._TO_ONE_SPACE == {ch for ch in everything if regex.match(whitespace._SPACE, ch)}
    assert whitespace._WHITE - {" "} == {ch for ch in everything if whitespace.ODD_SPACE.match(ch)}
    lines = _lines() + TRICKY + TRICKY_LINES + [" ", "  ", "a ", " a", "a \u3000 b", "\u00a0", "a\u00a0 \u2003b "]
    for line in lines:
        line = line.replace("\n", "")
        expected = [(m.start(), m.end(), whitespace._replacement(m)) for m in whitespace._FIX.finditer(line)]
        assert whitespace._fixes(line) == expected, repr(line)
        assert respace(line) == whitespace._FIX.sub(whitespace._replacement, line)


def test_page_work_is_lines_needing_work_and_stays_bounded() -> None:
    texts = ["\n".join(_lines()[:400]), "a b\nc\u00a0d", "a  b\n c ", "x"]
    for text in texts * 2:
        assert whitespace.page_work(text) == tuple(lines_needing_work(text))
    for i in range(whitespace._PAGE_WORK_SIZE + 10):
        whitespace.page_work(f"page {i}\u00a0")
    assert len(whitespace._PAGE_WORK) == whitespace._PAGE_WORK_SIZE
    assert "x" not in whitespace._PAGE_WORK  # the oldest went first


def test_respace_examples() -> None:
    assert respace("\u00a0Le\u2003 ministre ") == "Le ministre"
    assert respace("Le ministre") == "Le ministre"  # negative: a right line stays
    assert respace("a\u3000b") == "a\u3000b"  # U+3000 inside a line is CJK typography


def test_looks_bad_is_is_bad() -> None:
    """The windowed search around witnesses answers as ftfy's ``is_bad`` on the whole line."""
    assert _BADNESS_REACH is not None  # the installed ftfy's regex is bounded: windows are in use
    lines = _lines() + TRICKY + TRICKY_LINES + ["Ã la", "xÃ la", "« Ã© »", "dÃ©", "œ1", "Ø· Ø·"]
    assert sum(is_bad(line) for line in lines) > 20
    for line in lines:
        assert looks_bad(line) == is_bad(line), repr(line)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("aé Ã©Â€™œ«»“”ØÙ·°–\xa0\u00ad1x"), max_size=24))
def test_looks_bad_is_is_bad_on_random_text(line: str) -> None:
    assert looks_bad(line) == is_bad(line)


def _looks_bad_by_reach(line: str) -> bool:
    """``looks_bad`` as it was before the per-witness windows: every witness's window is the
    whole reach on both sides (the reference of ``_BADNESS_SPANS``)."""
    assert _BADNESS_REACH is not None
    reach = _BADNESS_REACH
    return any(
        BADNESS_RE.search(line, max(0, m.start() - reach), m.start() + 1 + reach) is not None
        for m in _BADNESS_WITNESSES.finditer(line)
    )


def test_witness_windows_answer_as_the_reach_windows() -> None:
    """Each witness's window (``_BADNESS_SPANS``, derived from ftfy's regex) is within the reach,
    narrower for most, and finds a bad window exactly where the reach's windows find one: on
    the corpus's lines, made-up lines, and every witness between every pair of a sample of the
    characters ``BADNESS_RE`` names (so that every branch is matched at every side of a
    witness)."""
    from pipeline.stages.unicode import _BADNESS_SPANS, _BADNESS_WITNESS_SET, _badness_spans

    assert _badness_spans() is not None  # derived, not the fallback
    assert set(_BADNESS_SPANS) == _BADNESS_WITNESS_SET
    assert all(0 <= b <= _BADNESS_REACH and 0 <= a <= _BADNESS_REACH for b, a in _BADNESS_SPANS.values())
    assert sum(b + a for b, a in _BADNESS_SPANS.values()) < len(_BADNESS_SPANS) * _BADNESS_REACH
    lines = _lines() + TRICKY + TRICKY_LINES
    named = sorted({ch for ch in BADNESS_RE.pattern if not ch.isspace() and ch not in "[]|-\\"})
    sample = [*named[::7], "a", "Z", " ", "é", "1", "\u00a0", "\n"]
    witnesses = sorted(_BADNESS_WITNESS_SET)
    lines += [f"{x}{w}{y}" for w in witnesses for x in sample for y in sample]
    lines += [f"a{x}{w}{y}b" for w in witnesses[::5] for x in named[::11] for y in named[::13]]
    bad = 0
    for line in lines:
        want = _looks_bad_by_reach(line)
        assert looks_bad(line) == want, repr(line)
        bad += want
    assert bad > 10_000


def test_bad_window_is_the_regex_s_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """``_bad_window`` (remembered per window text, at the line's start or inside) answers as
    ``BADNESS_RE.search`` on the window, asked first and again, with the tables filled and
    emptied when full (a size of 7 here), on every witness window of the corpus's lines and of
    made-up ones (windows at the start, the end and past the end of a line)."""
    from pipeline.stages import unicode as u

    lines = _lines() + TRICKY + TRICKY_LINES + ["Ã©", "Ã", "»x", "x«", "« Ã© »", "œ1 Ø·", "aÃ"]
    windows = []
    for line in lines:
        for m in _BADNESS_WITNESSES.finditer(line):
            at = m.start()
            before, after = u._BADNESS_SPANS[m.group()]
            windows.append((line, max(0, at - before), at + 1 + after))
            windows.append((line, max(0, at - _BADNESS_REACH), at + 1 + _BADNESS_REACH))
    assert len(windows) > 2000
    for size in (u._BAD_WINDOWS_SIZE, 7):
        monkeypatch.setattr(u, "_BAD_WINDOWS_SIZE", size)
        for memo in u._BAD_WINDOWS:
            memo.clear()
        for _ in range(2):
            for line, lo, hi in windows:
                assert u._bad_window(line, lo, hi) == (BADNESS_RE.search(line, lo, hi) is not None), (line, lo, hi)
        assert all(len(memo) <= size for memo in u._BAD_WINDOWS)
    bad = sum(BADNESS_RE.search(line, lo, hi) is not None for line, lo, hi in windows)
    assert 100 < bad < len(windows)


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZé Ã©Â€™œ«»“”ØÙ·°–\xa0\u00adΑωЖя│▒²µ¢¡‹®ßñ¦ˆ"), max_size=30))
def test_witness_windows_on_random_text(line: str) -> None:
    assert looks_bad(line) == _looks_bad_by_reach(line) == is_bad(line)


def test_credit_label_search_never_hides_a_credit() -> None:
    """A line in which no credit label occurs is never one the credit regex matches."""
    sites, generic = profiles()
    lines = [*_lines(), "Vue générale. Photo: VNA", "View. Photo : VNA", "图自越通社", "Ảnh: Thanh Lê", "Photo: x"]
    for profile in (*sites, generic):
        assert profile.credit is not None and profile.credit_label is not None
        credits = [line for line in lines if profile.credit.search(line)]
        assert credits  # every profile finds some
        assert all(profile.credit_label.search(line) for line in credits)


def test_every_bad_line_holds_a_badness_witness() -> None:
    """The pre-filter before ftfy's badness regex never hides a line ftfy finds bad."""
    bad = [line for line in _lines() + TRICKY if is_bad(line)]
    assert len(bad) > 20
    assert all(_BADNESS_WITNESSES.search(line) for line in bad)
    # and it lets ordinary French and Chinese lines through without the costly regex
    assert _BADNESS_WITNESSES.search("l’équipe a déclaré à Hanoï – développement") is None
    assert _BADNESS_WITNESSES.search("越南政府办公厅主任梅进勇") is None


@pytest.fixture(scope="module")
def seed_records(records: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return list(records.values())


def _broken(record: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for change in (
        lambda r: r.__setitem__("lang", "french"),
        lambda r: r.__setitem__("text", " leading space"),
        lambda r: r.__setitem__("text", "trailing\x85"),  # U+0085 is a space to Python's \s only
        lambda r: r.__setitem__("title", "Titre\x85"),  # the same in a field with a pattern
        lambda r: r.__setitem__("title", "Titre\x1c"),  # U+001C: a space to Python's \s only too
        lambda r: r.__setitem__("text", "ends with a newline\n"),  # Python's $ matches before it
        lambda r: r["paragraphs"].append("DNUM_AIZABZCACB"),
        lambda r: r.__delitem__("source"),
        lambda r: r["captions"].append({"n": 1, "text": "x", "credit": "", "lang": "fr"}),
        lambda r: r.__setitem__("published", "2021-01-08T10:55:00"),
    ):
        bad = copy.deepcopy(record)
        change(bad)
        out.append(bad)
    return out


def test_compiled_validator_agrees_with_jsonschema(seed_records: list[dict[str, Any]], tmp_path: Path) -> None:
    assert seed_records
    for record in seed_records:
        assert is_valid(record) and not list(problems(record))
        for bad in _broken(record):
            assert is_valid(bad) == (not list(problems(bad))), bad
    assert not is_valid({**seed_records[0], "lang": "french"})


def test_language_probes_agree_with_the_whole_sample() -> None:
    """The article's language read at the two ends of its sample is the whole sample's, and a
    page whose ends disagree (an English headline over a French body) is read whole."""
    from pipeline.stages.language import detect

    cfg = Config()
    limit, probe = cfg.language.sample_chars, cfg.language.probe_chars
    samples = [
        " ".join(_lines()[i : i + 12]) for i in range(0, 2400, 60) if len(" ".join(_lines()[i : i + 12])) > 2 * probe
    ]
    assert len(samples) > 20
    for sample in samples:
        assert detect(sample, cfg, limit, probe) == detect(sample, cfg, limit), sample[:80]
    english = "Japanese Government supports Vietnam in implementing e-Government, the Minister said on Friday. " * 2
    french = (
        "Le ministre a déclaré que le projet avance bien et que les travaux seront achevés avant la fin"
        " de l'année. Selon lui, les deux pays doivent encore renforcer leur coopération dans les domaines"
        " de l'éducation, de la santé et de l'agriculture, où les besoins restent importants. Les"
        " entreprises françaises, qui sont déjà nombreuses dans la région, souhaitent y investir davantage."
        " Une délégation se rendra sur place le mois prochain pour examiner les conditions d'accueil des"
        " investisseurs et rencontrer les responsables locaux. La conférence s'est terminée par la"
        " signature de plusieurs accords portant sur la formation professionnelle et sur la recherche."
    ) * 2
    mixed = english + french
    assert detect(mixed[:probe], cfg) == "en"  # the head alone would say English
    assert detect(mixed, cfg, limit, probe) == detect(mixed, cfg, limit) == "fr"


def test_language_memo_gives_lingua_s_answers() -> None:
    """lingua's remembered answers (``memo_texts``) are lingua's answers: the same decisions
    with the memo on, off, or too small to hold a page's texts, for each language set."""
    from pipeline.stages.language import _reader, detect

    texts = [line for line in _lines()[:1500] if line.strip()]
    texts += texts[:200]  # repeated, as a site's captions are
    off = Config().override(language={"memo_texts": 0})
    small = Config().override(language={"memo_texts": 8})
    want = [detect(t, off) for t in texts]
    assert {"fr", "en", "zh", "vi"} <= set(want)
    assert [detect(t, Config()) for t in texts] == want
    assert [detect(t, small) for t in texts] == want
    assert _reader(Config().language.languages, 8).cache_info().currsize <= 8  # type: ignore[attr-defined]
    # Answers are remembered per language set: English alone gives up on what the full set
    # reads as English (lingua needs a rival to compare with), and the memo must not mix them.
    caption = "Scene at Nghe An bridge."
    assert detect(caption, Config()) == "en"
    assert detect(caption, Config().override(language={"languages": ("en",)})) is None
    assert detect(caption, Config()) == "en"


def test_a_batch_cleaned_stage_by_stage_is_each_page_cleaned_alone(tmp_path: Path) -> None:
    """``clean_batch`` (stage by stage over a batch, for the CPU caches) gives each page the
    outcome ``clean_document`` gives it alone: records, rejects at every stage (decode, read by
    the executor, dates), what each stage did; only the timings differ."""
    from pipeline.io import read_inputs
    from pipeline.runner import clean_batch, clean_document, stage_runs

    from .hostile.make_cases import write

    write(tmp_path)
    items = list(read_inputs([str(tmp_path), str(ROOT / "seeds")], max_bytes=Config().decode.max_bytes))
    docs = [item for item in items if isinstance(item, Document)]
    docs += [Document(id=d["id"], source=Source(d["id"], 0, ""), text=d["text"]) for d in documents(40)]
    assert len(docs) > 50

    def same(outcome: Any) -> tuple[Any, ...]:
        return outcome.record, outcome.reject, [run[:3] + run[4:] for run in stage_runs(outcome)]

    alone = [same(clean_document(doc, GATED)) for doc in docs]
    assert any(a[1] is not None for a in alone) and any(a[0] is not None for a in alone)
    for size in (1, 7, len(docs)):
        together = [same(o) for i in range(0, len(docs), size) for o in clean_batch(docs[i : i + size], GATED)]
        assert together == alone
    assert clean_batch([], GATED) == []


def test_stage_runs_are_made_as_stage_run_makes_them() -> None:
    """``runner._run`` (``tuple.__new__`` of ``StageRun``, not its interpreted ``__new__``) gives
    the ``StageRun`` the class gives: equal, the same type, the same fields by name, and it
    pickles back to it; the runner's outcomes hold such runs, rejected stages too."""
    from pipeline.runner import StageRun, _run, clean_batch

    for fields in (("decode", False, False, 0.0, 0), ("glue", True, False, 1.5e-3, 12), ("dates", False, True, 2.0, 0)):
        fast, slow = _run(*fields), StageRun(*fields)
        assert fast == slow and type(fast) is StageRun and fast._asdict() == slow._asdict()
        assert (fast.name, fast.changed, fast.rejected, fast.seconds, fast.edits) == fields
        assert pickle.loads(pickle.dumps(fast)) == slow and repr(fast) == repr(slow)
    from pipeline.io import read_inputs

    items = read_inputs([str(ROOT / "seeds")], max_bytes=Config().decode.max_bytes)
    docs = [item for item in items if isinstance(item, Document)]
    docs += [Document(id=d["id"], source=Source(d["id"], 0, ""), text=d["text"]) for d in documents(12)]
    outcomes = clean_batch(docs, GATED)
    assert any(o.reject is not None for o in outcomes) and any(o.record is not None for o in outcomes)
    for outcome in outcomes:
        assert outcome.stages and all(type(run) is StageRun for run in outcome.stages)
        assert outcome.stages == [StageRun(*run) for run in outcome.stages]
        assert outcome.stages[-1].rejected == (outcome.reject is not None)


def test_profile_for_picks_the_site_an_exhaustive_count_picks() -> None:
    """``profile_for`` stops counting a site's signatures once it cannot win: same choice."""
    from pipeline.sources import profile_for

    sites, generic = profiles()

    def exhaustive(text: str) -> str:
        best, best_hits = generic, 0
        for site in sites:
            hits = sum(sig.search(text) is not None for sig in site.signatures)
            if hits > best_hits:
                best, best_hits = site, hits
        return best.name

    pages = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    pages += [d["text"] for d in documents(60, seed=5)]
    pages += ["Voir plus\nPhoto: VNA 越通社", "POWERED BY ONECMS (VNA) - x", "nothing at all"]
    names = [exhaustive(page) for page in pages]
    assert len(set(names)) >= 3  # several sites are in play
    assert [profile_for(page).name for page in pages] == names


def test_profile_for_plain_signatures_and_positional_timeout_match_the_searches() -> None:
    """``profile_for`` answers a plain-text signature (``"越通社"``) by ``in`` and passes the
    search's ``timeout`` positionally: the site each page gets is the one an exhaustive count of
    ``sig.search(text, timeout=...)`` gives, on the seeds, bench pages and made-up pages (no site,
    several sites tied, a literal at either end, a literal that is only part of a word)."""
    import random

    import regex

    from pipeline.sources import _signature_plan, profile_for

    sites, generic = profiles()

    def exhaustive(text: str, timeout: float | None) -> str:
        best, best_hits = generic, 0
        for site in sites:
            hits = sum(sig.search(text, timeout=timeout) is not None for sig in site.signatures)
            if hits > best_hits:
                best, best_hits = site, hits
        return best.name

    plain = [sig.pattern for site in sites for sig in site.signatures if _signature_plan(sig)[1]]
    assert {"越通社", "图自越通社", "Nghe An Newspaper"} <= set(plain)  # the fast path is in play
    pages = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    pages += [d["text"] for d in documents(200, seed=11)]
    bits = ["越通社", "图自越通社", "Nghe An Newspaper", "Nghe An Newspape", "(VNA) - ", "Photo: VNA",
            "\nVoir plus\n", "\n更多\n", "(Baonghean.vn)", "POWERED BY ONECMS", "DNUM_AB", "越通", "x"]
    rng = random.Random(4)
    for _ in range(400):
        pages.append(" ".join(rng.choice(bits) for _ in range(rng.randrange(0, 6))))
    pages += ["", "nothing at all", "越通社", "Nghe An Newspaper", "越通社 Nghe An Newspaper (Baonghean)"]
    for timeout in (None, 30.0):
        names = [exhaustive(page, timeout) for page in pages]
        assert len(set(names)) == 4  # every site and the generic profile
        assert [profile_for(page, timeout=timeout).name for page in pages] == names

    # The plan itself: plain only for text with no metacharacter and no flag that changes a
    # literal; then ``in`` is the search's answer.
    for pattern, flags, is_plain in [
        ("越通社", regex.MULTILINE, True),
        ("a b", 0, True),
        ("a b", regex.VERBOSE, False),
        ("vna", regex.IGNORECASE, False),
        ("(?i)vna", 0, False),
        ("a.b", 0, False),
        ("^ab$", regex.MULTILINE, False),
        ("a#b", 0, False),
        ("ab+", 0, False),
    ]:
        sig = regex.compile(pattern, flags | regex.V1)
        assert _signature_plan(sig)[1] is is_plain, pattern
        if is_plain:
            for text in [*pages[:50], "a b", "xa by", "A B", "越通 社", "..越通社.."]:
                assert (pattern in text) is (sig.search(text) is not None)


def _diff_walk(before: str, after: str) -> tuple[str, str, int]:
    """The character-by-character walk ``diff_edit`` replaced, as the reference."""
    start, limit = 0, min(len(before), len(after))
    while start < limit and before[start] == after[start]:
        start += 1
    end_b, end_a = len(before), len(after)
    while end_b > start and end_a > start and before[end_b - 1] == after[end_a - 1]:
        end_b -= 1
        end_a -= 1
    return before[start:end_b], after[start:end_a], start


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="abé ", max_size=12), st.text(alphabet="abé ", max_size=12))
def test_diff_edit_trims_the_same_ends_as_a_walk(before: str, after: str) -> None:
    from pipeline.document import Where
    from pipeline.edits import diff_edit

    edit = diff_edit("s", "k", before, after, Where("text", 3))
    if before == after:
        assert edit is None
    else:
        assert edit is not None
        assert (edit.before, edit.after, edit.where.offset) == _diff_walk(before, after)
        assert edit.where.index == 3


def test_settle_revisits_only_changed_lines_same_as_whole_passes() -> None:
    """``_settle`` (later passes on the lines the previous one touched) gives the text and edits,
    in order, of whole passes over the text (``_settle_text`` from the start), gated or not."""
    from pipeline.document import Where
    from pipeline.stages.unicode import _MAX_PASSES, _settle, _settle_text

    texts = ["\n".join(_lines()), *(d["text"] for d in documents(60, seed=5))]
    texts += [line for line in TRICKY + TRICKY_LINES]
    texts += [
        "a\nb dÃ\u200b©jà\u200b\nc\rdÃ©\nd\u2028e",  # an invisible inside mojibake, ftfy's line breaks
        "x\n\u00a0Ã©\u2028Â \ny",  # a line break in a line _respace repairs
        "Le\xa0Ã© vu\r\nsuite\u200b dÃ\u200b©jà",
        "gouver\u200bnement dÃ\u200b\u200b©jà\ne\u0301\u200b",
    ]
    # Lines with odd spaces that a later pass's ``_respace_lines`` need not see again (the fix
    # pass changed them, the respace pass left them), or must (a later fix pass changed them, or
    # the last respace pass did), on short fields and on pages (the page scan's path).
    tangled = "dÃ©jà\u00a0vu\nLe\xa0Ã© vu\u00a0dÃ\u200b©jà\u2003x  y \n\u00a0Â\u200b Le\u00a0\nÃ\u200b\u00a0 b\u3000c\n"
    texts += [tangled, tangled * 40, "x\n" + tangled.replace("\u00a0", "\u200b\u00a0") * 30]
    texts += _NOT_NFC_PAGES
    for gate in (True, False):
        for text in texts:
            where = Where("text")
            assert _settle(text, where, gate) == _settle_text(text, where, gate, [], _MAX_PASSES), repr(text[:60])


def test_settle_returns_the_text_page_work_was_asked_about() -> None:
    """``_settle`` gives back the very string it asked ``page_work`` about when no line changed
    after that (and the page itself when nothing changed), so that ``whitespace`` finds the
    answer by identity; its text and edits are still whole passes' (the test above), and an
    equal copy would do as well, only slower."""
    from pipeline.document import Where
    from pipeline.stages.unicode import _MAX_PASSES, _settle, _settle_text

    texts = [d["text"] for d in documents(80, seed=6)] + _NOT_NFC_PAGES
    texts += ["a\nb dÃ\u200b©jà\u200b\nc", "Le\xa0Ã© vu\nsuite\u200b dÃ\u200b©jà", "plain\ntext", ""]
    same = 0
    for gate in (True, False):
        for text in texts:
            whitespace._PAGE_WORK.clear()
            out, edits = _settle(text, Where("text"), gate)
            assert (out, edits) == _settle_text(text, Where("text"), gate, [], _MAX_PASSES)
            if out == text:
                assert out is text
            keys = list(whitespace._PAGE_WORK)
            # the page asked about, and (the vector scan's pages) the page returned when a line
            # changed since; none when a line break made whole passes of the rest
            assert len(keys) <= 2
            for key, answer in whitespace._PAGE_WORK.items():
                assert answer == tuple(lines_needing_work(key))
            if any(k is out for k in keys):
                same += 1
                assert whitespace.page_work(out) == tuple(lines_needing_work(out))
                assert len(whitespace._PAGE_WORK) == len(keys)  # found, not added
    assert same > len(texts)  # most pages, gated or not (88 % of the bench pages; all long pages gated)


# Pages with lines that are not NFC (or hold what may make a line not NFC) among clean and
# broken ones: decomposed accents, a Hangul syllable in jamo, a singleton (U+F900), a composition
# exclusion (U+0958), marks out of order, an emoji and a character above the BMP.
_NOT_NFC_PAGES = [
    "Le ministre a déclaré\nLe ministre a de\u0301clare\u0301\nfin « Ã© »",
    "\u1100\u1161\u11a8 \uac00\u11a8\nclean\n\uf900 \u0958\nq\u0323\u0307 q\u0307\u0323",
    "\U0001f600 ok\n\U0002f800 \U0001d15e\na\u0301\u200b dÃ©\n\u00a0Ã© x",
    *(unicodedata.normalize("NFD", d["text"]) for d in documents(6, seed=9)),
]


def test_nfc_suspects_are_what_makes_a_text_not_nfc() -> None:
    """A text without the NFC suspects is NFC: every BMP character that is not a suspect is NFC
    alone and after every character that starts a canonical composition (and after a Hangul
    syllable and leading jamo), and every character with a combining class or not its own NFC is
    a suspect; French and Chinese letters are not suspects (their lines are not visited for it)."""
    from pipeline.stages.unicode import _LINE_WORK_OR_NFC, _nfc_suspect_codes

    suspects = set(_nfc_suspect_codes())
    firsts = {
        chr(int(m.split()[0], 16))
        for m in map(unicodedata.decomposition, map(chr, range(0x110000)))
        if m and not m.startswith("<") and len(m.split()) == 2
    }
    bases = [*sorted(firsts)[::9], "e", "A", "\u1100", "\uac00", "\u0627", "\u0915"]
    for code in range(0x10000):
        ch = chr(code)
        if code in suspects:
            continue
        assert unicodedata.combining(ch) == 0 and unicodedata.normalize("NFC", ch) == ch, hex(code)
        assert unicodedata.is_normalized("NFC", ch), hex(code)
        for base in bases:
            assert unicodedata.is_normalized("NFC", base + ch), (hex(ord(base)), hex(code))
    for code in suspects:
        ch = chr(code)
        assert not ("a" <= ch <= "z" or ch in "éèàçôœ’«»" or "\u4e00" <= ch <= "\u9fff"), hex(code)
    assert all(_LINE_WORK_OR_NFC.match(chr(code)) for code in (0x10000, 0x1F600, 0x10FFFF))
    assert not any(_LINE_WORK_OR_NFC.match(ch) for ch in "aé越’")
    # Every line of the corpus and of the pages above that is not NFC holds a suspect.
    lines = _lines() + TRICKY + TRICKY_LINES + [x for page in _NOT_NFC_PAGES for x in page.split("\n")]
    not_nfc = [line for line in lines if not unicodedata.is_normalized("NFC", line)]
    assert len(not_nfc) > 20
    assert all(_LINE_WORK_OR_NFC.search(line) for line in not_nfc)


def test_gated_stage_on_pages_that_are_not_nfc() -> None:
    """The gated stage (the page scan's lines, not a whole-page NFC check) gives the ungated
    stage's text and edits on pages with lines that are not NFC."""
    for text in _NOT_NFC_PAGES:
        gated, ungated = _run(text, GATED), _run(text, UNGATED)
        assert (gated.text, gated.edits) == (ungated.text, ungated.edits), repr(text[:60])


def _respace_skips(line: str) -> bool:
    from pipeline.stages.unicode import _FTFY_OR_BADNESS

    return _FTFY_OR_BADNESS.search(line) is None and (line.isascii() or unicodedata.is_normalized("NFC", line))


def _respace_needs_ftfy(line: str) -> bool:
    spaced = respace(line)
    return spaced != line and not (spaced.isascii() and spaced.isprintable()) and needs_ftfy(spaced)


_SPACES = "\t\x0b\x0c\r\x1c\x1f\x85\xa0\u1680\u2000\u2001\u2003\u200a\u2028\u2029\u202f\u205f\u3000"


_MARKS = "ae\u0301\u0327\u0323\u0308\u05b0\u0f71\u0f72越Ã«é\u00ad"


@given(st.text(alphabet=st.sampled_from(" " * 4 + _SPACES + _MARKS), max_size=14))
@settings(max_examples=1500, deadline=None)
def test_respace_precheck_never_skips_a_line_ftfy_would_change(line: str) -> None:
    """``_respace`` skips a line without ftfy's targets and badness witnesses, NFC or ASCII:
    ``respace`` of it never needs ftfy (spaces, combining marks, tabs next to U+3000 ...)."""
    if _respace_skips(line):
        assert not _respace_needs_ftfy(line), repr(line)


def test_respace_precheck_on_the_corpus_lines() -> None:
    lines = _lines() + TRICKY + TRICKY_LINES + [f"a{w}\u0301b" for w in _SPACES] + [f"{w}\u0301" for w in _SPACES]
    skipped = 0
    for line in lines:
        if _respace_skips(line):
            skipped += 1
            assert not _respace_needs_ftfy(line), repr(line)
    assert skipped > 100


def test_ftfy_leaves_its_own_output_as_it_is() -> None:
    """What ``_ftfy`` remembers as settled, ftfy gives back unchanged (partly repaired lines too)."""
    from pipeline.stages.unicode import FTFY_CONFIG, _ftfy

    settled: set[str] = set()
    lines = [line for line in _lines() + TRICKY + TRICKY_LINES if needs_ftfy(line)]
    lines += [d["text"] for d in documents(40, seed=9)]  # whole pages: newlines, CRLF
    for line in lines:
        _ftfy(line.split("\n")[0], settled)
    assert len(settled) > 30
    for fixed in settled:
        assert unicode.ftfy.fix_text(fixed, FTFY_CONFIG) == fixed, repr(fixed[:80])
        assert _ftfy(fixed, settled) == fixed


def test_evolve_is_dataclasses_replace() -> None:
    """``evolve`` gives the object ``dataclasses.replace`` gives, and refuses an unknown field."""
    import dataclasses

    from pipeline.document import Caption, evolve

    doc = Document(id="x", source=Source("p", 3, "0" * 64, line=2), text="a", captions=(Caption(1, "c", None),))
    for changes in ({}, {"text": "b"}, {"lang": "fr", "edits": (), "record": {"id": "x"}}, {"structured": True}):
        fast, slow = evolve(doc, **changes), dataclasses.replace(doc, **changes)
        assert fast == slow and fast.__dict__ == slow.__dict__ and type(fast) is Document
        assert list(fast.__dict__) == list(slow.__dict__)  # the fields in their order
        assert fast is not doc and doc.text == "a"
        assert fast.__dict__ is not doc.__dict__  # a copy: the old document keeps its fields
        assert pickle.loads(pickle.dumps(fast)).__dict__ == slow.__dict__
        assert hash(evolve(fast, record=None)) == hash(dataclasses.replace(slow, record=None))
        again = evolve(fast, lang="vi")  # an evolved document evolves again, as the stages chain them
        assert again == dataclasses.replace(slow, lang="vi") and list(again.__dict__) == list(slow.__dict__)
    assert doc.__dict__ == dataclasses.replace(doc).__dict__  # the original untouched
    for obj, change in ((doc.source, {"encoding": "utf-8"}), (doc.captions[0], {"text": "d"})):
        fast, slow = evolve(obj, **change), dataclasses.replace(obj, **change)  # type: ignore[arg-type]
        assert fast == slow and list(fast.__dict__.items()) == list(slow.__dict__.items())
    assert evolve(doc.captions[0], text="d") == Caption(1, "d", None)
    with pytest.raises(TypeError):
        evolve(doc, nope=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        evolve(doc, text="b").text = "c"  # type: ignore[misc]


def test_hand_written_inits_are_the_dataclass_inits() -> None:
    """``Where``, ``Edit``, ``Removed``, ``Caption``, ``Source`` and ``Document`` fill their instance dict in their
    own ``__init__``
    (faster than the one dataclass writes for a frozen class): the same parameters, in the order
    and with the defaults of the fields, and the same objects as ``dataclasses.replace`` builds;
    still frozen, hashable, picklable. The signatures are read from the source (compiled by mypyc,
    ``__init__`` has none ``inspect`` can read); the objects are those of the classes in use."""
    from pipeline import document
    from pipeline.native import load_source

    source = load_source("pipeline.document")
    for cls in (source.Where, source.Edit, source.Removed, source.Caption, source.Source, source.Document):
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
        fields = dataclasses.fields(cls)
        assert [p.name for p in params] == [f.name for f in fields]
        assert [p.default for p in params] == [
            inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default for f in fields
        ]
    # ``Source`` and ``Document`` (made by the reader for every input): every field set, in the
    # fields' order, to the argument or the field's default, as the dataclass's ``__init__`` does
    for module in (document, source):
        src = module.Source("in.jsonl", 12, "0" * 64, line=3, encoding="utf-8")
        assert list(src.__dict__.items()) == [
            ("path", "in.jsonl"), ("bytes", 12), ("sha256", "0" * 64), ("line", 3), ("encoding", "utf-8")]
        assert module.Source("p", 0, "").__dict__ == {"path": "p", "bytes": 0, "sha256": "", "line": None,
                                                      "encoding": None}
        fields = dataclasses.fields(module.Document)
        defaults = {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}
        assert list(module.Document("x", src).__dict__.items()) == [("id", "x"), ("source", src), *defaults.items()]
        given_ = {"raw": b"r", "text": "t", "site": "s", "lang": "fr", "title": "T", "lead": "L", "dateline": "D",
                  "byline": "B", "published_raw": "P", "published": "2021-01-01", "paragraphs": ("a",),
                  "captions": (module.Caption(1, "c", None),), "removed": (module.Removed("s", "k", "t"),),
                  "edits": (module.Edit("s", "k", "a", "b", module.Where("text")),), "structured": True,
                  "record": {"id": "x"}, "record_line": b"{}\n"}
        doc = module.Document(id="x", source=src, **given_)
        assert list(doc.__dict__.items()) == [("id", "x"), ("source", src), *given_.items()]
        assert module.Document("x", src, b"r", "t", "s", "fr") == module.Document(
            id="x", source=src, raw=b"r", text="t", site="s", lang="fr")
        for obj in (src, doc, module.Document("x", src)):
            assert dataclasses.replace(obj) == obj and dataclasses.replace(obj).__dict__ == obj.__dict__
            if module is document:  # (the source's classes are not importable by name)
                again = pickle.loads(pickle.dumps(obj))
                assert again == obj and again.__dict__ == obj.__dict__ and hash(again) == hash(obj)
            with pytest.raises(dataclasses.FrozenInstanceError):
                obj.path = "x"
        # record and record_line are not compared (as before)
        assert doc == dataclasses.replace(doc, record=None, record_line=None)
        assert "record_line" not in repr(doc) and "record=" in repr(doc)
    Edit, Removed, Where = document.Edit, document.Removed, document.Where
    where = Where("paragraphs", 2, 5)
    assert where.__dict__ == {"field": "paragraphs", "index": 2, "offset": 5}
    assert Where("title").__dict__ == {"field": "title", "index": None, "offset": None}
    edit = Edit("glue", "wrap", "ab", "a b", where, 0.5)
    assert edit.__dict__ == {
        "stage": "glue", "kind": "wrap", "before": "ab", "after": "a b", "where": where, "score": 0.5
    }
    removed = Removed("structure", "sidebar", "Voir plus", role="marker")
    caption = document.Caption(1, "Le port.", "VNA", lang="fr")
    assert caption.__dict__ == {"n": 1, "text": "Le port.", "credit": "VNA", "lang": "fr"}
    assert list(document.Caption(None, "x", None).__dict__.items()) == [
        ("n", None), ("text", "x"), ("credit", None), ("lang", None)]
    assert caption == document.Caption(n=1, text="Le port.", credit="VNA", lang="fr") != document.Caption(1, "x", None)
    assert repr(caption) == "Caption(n=1, text='Le port.', credit='VNA', lang='fr')"
    for module in (document, source):  # a wrong-typed value is kept, as the dataclass's ``__init__`` keeps it
        assert module.Caption("1", 2, 3, 4).__dict__ == {"n": "1", "text": 2, "credit": 3, "lang": 4}
    for obj in (where, edit, removed, caption, Edit("unicode", "ftfy", "Ã©", "é", Where("text", 0, 1))):
        assert dataclasses.replace(obj) == obj and dataclasses.replace(obj).__dict__ == obj.__dict__
        assert pickle.loads(pickle.dumps(obj)) == obj and hash(pickle.loads(pickle.dumps(obj))) == hash(obj)
        with pytest.raises(dataclasses.FrozenInstanceError):
            obj.stage = "x"
    assert dataclasses.replace(where, offset=7) == Where("paragraphs", 2, 7)
    assert edit.to_json()["where"] == {"field": "paragraphs", "index": 2, "offset": 5}
    assert Edit("a", "b", "c", "d", where) != edit and Removed("s", "k", "t") == Removed("s", "k", "t", None)


def test_the_record_stage_s_line_is_the_record_serialized() -> None:
    """The ``record`` stage keeps the record's JSONL line (``Document.record_line``), which the
    executors write instead of serializing the record again: it is ``io.dumps`` of the record."""
    from pipeline.io import dumps
    from pipeline.runner import clean_batch

    docs = [
        Document(id=d["id"], source=Source("p", len(d["text"]), "0" * 64), text=d["text"])
        for d in documents(30, seed=5)
    ]
    outcomes = clean_batch(docs, GATED)
    assert all(o.record is not None for o in outcomes)
    for outcome in outcomes:
        assert outcome.line is not None and outcome.line == dumps(outcome.record)


def test_one_scan_of_a_line_answers_as_the_three() -> None:
    """``_scan_line`` gives ``needs_ftfy`` and, when that is False, whether the line holds an
    invisible character or a joiner; its character sets are those of the classes it stands for."""
    from pipeline.stages.unicode import (
        _BADNESS_WITNESS_SET,
        _FTFY_TARGETS,
        _INVISIBLE_OR_JOINER,
        _INVISIBLE_OR_JOINER_SET,
        _TARGET_SET,
        _scan_line,
    )

    everything = [chr(code) for code in range(0x110000)]
    assert _TARGET_SET == {ch for ch in everything if _FTFY_TARGETS.match(ch)}
    assert _INVISIBLE_OR_JOINER_SET == {ch for ch in everything if _INVISIBLE_OR_JOINER.match(ch)}
    assert _BADNESS_WITNESS_SET == {ch for ch in everything if _BADNESS_WITNESSES.match(ch)}
    lines = _lines() + TRICKY + TRICKY_LINES + ["« Ã© »\u200b", "œ\u200d", "é\u0301\u200b", "é\x85", "é\u00ad"]
    # and as ``whitespace`` leaves them: ``_respace_lines`` asks ``_scan_line`` about those
    lines += [respace(line) for line in lines] + ["Le\u00a0Ã© vu", " Â Le", "Ã\u00a0 \u00a0©", "« Ã\u2009© »"]
    lines = [line for line in lines if not line.isascii()]
    assert len(lines) > 2000
    for line in lines:
        needs, invisible = _scan_line(line)
        assert needs == needs_ftfy(line), repr(line)
        assert needs or invisible == (_INVISIBLE_OR_JOINER.search(line) is not None), repr(line)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from("aé Ã©Â€™œ«»“”ØÙ·°–\xa0\u00ad\u200b\u200d\x85\t\u0301\u2028"), max_size=24))
def test_one_scan_of_a_line_on_random_text(line: str) -> None:
    from pipeline.stages.unicode import _INVISIBLE_OR_JOINER, _scan_line

    if line.isascii():
        return
    needs, invisible = _scan_line(line)
    assert needs == needs_ftfy(line)
    assert needs or invisible == (_INVISIBLE_OR_JOINER.search(line) is not None)


def test_one_scan_finds_the_work_lines_and_the_odd_space_lines() -> None:
    """``_work_and_odd_lines`` gives the two scans' lines, and the answers ``_settle`` leaves in
    ``whitespace.page_work`` (built from them) are ``lines_needing_work`` of the fixed pages."""
    from pipeline.stages.unicode import (
        _LINE_WORK_OR_NFC,
        _LINE_WORK_OR_NFC_SET,
        _LINE_WORK_SET,
        _work_and_odd_lines,
    )

    assert _LINE_WORK_SET == {chr(code) for code in range(0x110000) if _LINE_WORK.match(chr(code))}
    assert _LINE_WORK_OR_NFC_SET == {chr(code) for code in range(0x10000) if _LINE_WORK_OR_NFC.match(chr(code))}
    texts = ["\n".join(_lines()[:500]), "\n".join(TRICKY + TRICKY_LINES), "a\u00a0b\n\tc\u200b\nx", "é\u3000Ã©\n\n"]
    texts += [d["text"] for d in documents(60, seed=4)] + _NOT_NFC_PAGES
    for text in texts:
        work, odd = _work_and_odd_lines(text)
        assert (work, odd) == (lines_with(_LINE_WORK_OR_NFC, text), lines_with(whitespace.ODD_SPACE, text))
        # the lines the gated fix pass must see: those with work, and those that are not NFC
        lines = text.split("\n")
        must = set(lines_with(_LINE_WORK, text))
        must |= {i for i, x in enumerate(lines) if not unicodedata.is_normalized("NFC", x)}
        assert must <= set(work), repr(text[:60])
    whitespace._PAGE_WORK.clear()
    for text in texts:
        unicode.run(Document(id="x", source=Source("x", 0, "0" * 64), text=text), GATED)
    assert len(whitespace._PAGE_WORK) > 20  # (equal pages are one entry)
    for page, answer in whitespace._PAGE_WORK.items():
        assert answer == tuple(lines_needing_work(page)), repr(page[:60])


def test_record_edits_same_as_the_counter_reference() -> None:
    """``record._edits`` (a dict count, ``Where`` written out in ``Edit.to_json``) gives the list
    the Counter loop gave, with ``Where.to_json`` inside, for the edits of synthetic bench pages
    run through the pipeline, whatever the cap (truncated stages included), and for edits of
    stages interleaved out of pipeline order."""
    from collections import Counter

    from pipeline import stages
    from pipeline.document import Edit, Where, evolve
    from pipeline.stages import record

    def reference(doc: Document, cap: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        seen: Counter[str] = Counter()
        for edit in doc.edits:
            seen[edit.stage] += 1
            if seen[edit.stage] <= cap:
                item = {"stage": edit.stage, "kind": edit.kind, "before": edit.before, "after": edit.after,
                        "where": edit.where.to_json()}
                if edit.score is not None:
                    item["score"] = round(edit.score, 4)
                out.append(item)
        for stage, count in seen.items():
            if count > cap:
                out.append({"stage": stage, "kind": "truncated", "before": "", "after": "",
                            "where": {"field": "edits", "index": None, "offset": None}, "count": count - cap})
        return out

    cfg = Config()
    staged = []
    for d in documents(40, seed=11):
        doc = Document(id=d["id"], source=Source("x", 1, "0" * 64), text=d["text"])
        for name, fn in stages.STAGES:
            if name != "record":
                doc = fn(doc, cfg)
        staged.append(doc)
    mixed = Edit("glue", "wrap", "ab", "a b", Where("paragraphs", 1, 2), 0.123456)
    staged.append(evolve(staged[0], edits=(mixed, *staged[0].edits, mixed, Edit("x", "y", "", "", Where("lang")))))
    assert sum(len(d.edits) for d in staged) > 200
    for doc in staged:
        for cap in (0, 1, 3, 1000):
            assert record._edits(doc, cap) == reference(doc, cap)


def test_edit_to_json_writes_where_out_only_for_a_where() -> None:
    """``Edit.to_json`` writes a ``Where``'s dict out itself (no method call); anything else in
    ``where`` (a subclass with its own ``to_json``, another object: only the source's
    constructors take them, compiled ones check the type) still gets its own ``to_json``, as
    before. For plain ``Where``s, the same dict as ``Where.to_json`` (the edits of the
    pipeline's pages: ``test_record_edits_same_as_the_counter_reference``)."""
    from pipeline.document import Edit, Where
    from pipeline.native import load_source

    for where in (Where("text"), Where("paragraphs", 3), Where("captions", 0, 17), Where("lang", None, 0)):
        assert Edit("s", "k", "a", "b", where).to_json()["where"] == where.to_json()
        assert Edit("s", "k", "a", "b", where, 0.5).to_json() == {
            "stage": "s", "kind": "k", "before": "a", "after": "b", "where": where.to_json(), "score": 0.5}

    source = load_source("pipeline.document")
    # a wrong-typed field is passed on as it is, for the schema check to name it
    assert source.Edit("s", "k", "a", "b", source.Where(3, "x", None)).to_json()["where"] == {
        "field": 3, "index": "x", "offset": None}

    class Marked(source.Where):  # type: ignore[name-defined,misc]
        def to_json(self) -> dict[str, Any]:
            return {"marked": True}

    class Other:
        def to_json(self) -> dict[str, Any]:
            return {"other": 1}

    assert source.Edit("s", "k", "a", "b", Marked("text", 1, 2)).to_json()["where"] == {"marked": True}
    assert source.Edit("s", "k", "a", "b", Other()).to_json()["where"] == {"other": 1}
    assert source.Edit("s", "k", "a", "b", source.Where("text", 1, 2)).to_json()["where"] == {
        "field": "text", "index": 1, "offset": 2}


def test_round4_is_round_to_four_places() -> None:
    """``rounding.round_places(x, 4)`` (the edits' scores rounded without a decimal string) is
    ``round(x, 4)`` bit for bit (the sign of a zero too): on the glue scores of synthetic bench
    pages run through the pipeline, on ties and their neighbours (``k / 32``, ``k / 20000``,
    ``(k + 0.5) / 10000`` and the doubles next to them, where ``round`` itself answers), on zeros
    of both signs, tiny, large, infinite and NaN values, and on 300,000 random values of several
    magnitudes; and ``Edit.to_json`` still gives ``round``'s answer (an int for an int, a float
    subclass by ``round``), in the compiled module and in the source."""
    import math
    import random
    import struct

    from pipeline import document, rounding, stages
    from pipeline.native import load_source

    def bits(v: float) -> bytes:
        return struct.pack("<d", v)

    cfg = Config()
    values: list[float] = []
    for d in documents(60, seed=7):
        doc = Document(id=d["id"], source=Source("x", 1, "0" * 64), text=d["text"])
        for name, fn in stages.STAGES:
            if name != "record":
                doc = fn(doc, cfg)
        values += [e.score for e in doc.edits if e.score is not None]
    assert len(values) > 300
    for k in range(-40_000, 40_000, 7):
        half = (k + 0.5) / 10000
        values += [k / 32, k / 20000, k / 10000, half, math.nextafter(half, 1.0), math.nextafter(half, -1.0)]
    values += [0.0, -0.0, 0.00004, -0.00004, -0.00005, 0.00005, -0.00006, 0.03125, -0.03125, 1e-300, -1e-300,
               5e-324, -5e-324, 2.67455, 1.00005, 1e9, -1e9, 99_999_999.99995, 1e8, -1e8, 1e15, 1e300,
               math.inf, -math.inf]
    rng = random.Random(41)
    for _ in range(300_000):
        size = rng.choice([1e-4, 1e-2, 1.0, 10.0, 100.0, 1e6])
        values.append(rng.uniform(-size, size))
    source = load_source("pipeline.rounding")
    for v in values:
        want = bits(round(v, 4))
        assert bits(rounding.round_places(v, 4)) == want and bits(source.round_places(v, 4)) == want, repr(v)
    assert math.isnan(rounding.round_places(math.nan, 4)) and math.isnan(source.round_places(math.nan, 4))

    class Score(float):
        pass

    for module in (document, load_source("pipeline.document")):
        where = module.Where("paragraphs", 0, 1)
        for score in (3, -2, True, 0.123456, -0.0, Score(0.123456), 7.77775):
            got = module.Edit("glue", "wrap", "ab", "a b", where, score).to_json()["score"]
            assert type(got) is type(round(score, 4)) and got == round(score, 4), repr(score)
            assert bits(float(got)) == bits(float(round(score, 4)))


def test_record_build_writes_each_object_as_its_to_json() -> None:
    """``record.build`` writes the source, captions, removed text and edits by ``document``'s
    functions of their instance dicts (``_source_json`` ...) when each is of its class exactly:
    the record the ``to_json`` methods give, for synthetic bench pages run through the pipeline
    (with a cap that truncates), in the compiled stage and in the source; anything else there (a
    subclass with its own ``to_json``, another object) still gets its own ``to_json``, and a
    wrong-typed field is passed on as it is, for the schema check to name it."""
    from pipeline import stages
    from pipeline.document import Caption, Edit, Removed, Where, evolve
    from pipeline.native import load_source
    from pipeline.stages import record

    def reference(doc: Document, cap: int) -> dict[str, Any]:
        d = doc.__dict__
        parts = [p for p in (doc.title, doc.lead, *doc.paragraphs) if p]
        source = d["source"].to_json()
        source["site"] = d["site"]
        out = {"id": d["id"], "text": "\n\n".join(parts), "lang": d["lang"], "title": d["title"],
               "lead": d["lead"], "dateline": d["dateline"], "byline": d["byline"], "published": d["published"],
               "paragraphs": list(d["paragraphs"]), "captions": [c.to_json() for c in d["captions"]],
               "removed": [r.to_json() for r in d["removed"]], "edits": [], "source": source}
        seen: dict[str, int] = {}
        for edit in doc.edits:
            seen[edit.stage] = seen.get(edit.stage, 0) + 1
            if seen[edit.stage] <= cap:
                out["edits"].append(edit.to_json())
        for stage, count in seen.items():
            if count > cap:
                out["edits"].append({"stage": stage, "kind": "truncated", "before": "", "after": "",
                                     "where": {"field": "edits", "index": None, "offset": None},
                                     "count": count - cap})
        return out

    # (subclasses of the source's classes: compiled, the hand-written ``__init__``s refuse any
    # ``self`` not of their class exactly)
    src = load_source("pipeline.document")

    class OwnCaption(src.Caption):  # type: ignore[name-defined,misc]
        def to_json(self) -> dict[str, Any]:
            return {"own": "caption"}

    class OwnRemoved(src.Removed):  # type: ignore[name-defined,misc]
        def to_json(self) -> dict[str, Any]:
            return {"own": "removed"}

    class OwnEdit(src.Edit):  # type: ignore[name-defined,misc]
        def to_json(self) -> dict[str, Any]:
            return {"own": "edit"}

    class OwnSource(src.Source):  # type: ignore[name-defined,misc]
        def to_json(self) -> dict[str, Any]:
            return {"own": "source"}

    class Other:
        def to_json(self) -> dict[str, Any]:
            return {"other": 1}

    cfg = Config()
    staged = []
    for d in documents(30, seed=13):
        doc = Document(id=d["id"], source=Source("x", 1, "0" * 64, line=4, encoding="utf-8"), text=d["text"])
        for name, fn in stages.STAGES:
            if name != "record":
                doc = fn(doc, cfg)
        staged.append(doc)
    assert sum(len(d.captions) for d in staged) > 10 and sum(len(d.removed) for d in staged) > 30
    odd = evolve(
        staged[0],
        source=OwnSource("y", 2, "1" * 64),
        captions=(*staged[0].captions, OwnCaption(2, "c", None, "fr"), Other(), Caption(3, "t", "VNA", 3)),
        removed=(OwnRemoved("s", "k", "t"), Other(), Removed("s", "k", "t", "marker"), Removed("s", "k", "t")),
        edits=(*staged[0].edits,
               Edit("glue", "k", "a", "b", Where("text", 1, 2), 0.333333), Edit("x", "k", "a", "b", Where("t"), 2)),
    )
    # a wrong-typed field, as a bug of a stage could leave (compiled, the constructors check types)
    odd.removed[3].__dict__["kind"] = 5
    odd.edits[-1].__dict__["kind"] = 2
    staged += [odd, evolve(staged[1], source=Source("z", 0, "2" * 64))]
    built = reference(odd, 1000)
    assert built["source"] == {"own": "source", "site": odd.site} and {"own": "caption"} in built["captions"]
    assert built["removed"][3]["kind"] == 5 and built["edits"][-1] == {
        "stage": "x", "kind": 2, "before": "a", "after": "b", "where": {"field": "t", "index": None, "offset": None},
        "score": 2}
    # (an Edit of another class only in the source: compiled, ``_edits`` checks its items' type)
    own_edit = evolve(odd, edits=(OwnEdit("glue", "k", "a", "b", src.Where("text")), *odd.edits))
    assert reference(own_edit, 1000)["edits"][0] == {"own": "edit"}
    for module, docs in ((record, staged), (load_source("pipeline.stages.record"), [*staged, own_edit])):
        for doc in docs:
            for cap in (2, 1000):
                assert module.build(doc, cfg.override(record={"max_edits_per_stage": cap})) == reference(doc, cap)


def test_jsonl_line_rejects_are_as_before() -> None:
    """``_jsonl_item`` makes a reject's ``source`` and fallback id only for a reject: each reject
    of a JSONL line (not JSON, not an object, a bad id, no text) is the dict it was, with the
    ``source`` ``{path, line, bytes, sha256}`` of the line, and a good line is a document."""
    import hashlib
    import json

    from pipeline.io import _jsonl_item

    cases = [
        (b"{broken json", None, "invalid_json"),
        (b"[1, 2]", None, "invalid_json"),
        (json.dumps({"id": 7, "text": "x"}).encode(), None, "bad_id"),
        (json.dumps({"id": "", "text": "x"}).encode(), None, "bad_id"),
        (json.dumps({"id": "no-text"}).encode(), "no-text", "missing_text"),
        (json.dumps({"id": "t", "text": 3}).encode(), "t", "missing_text"),
    ]
    for content, id_, reason in cases:
        got = _jsonl_item(12, content + b"\r\n", content, "in/x.jsonl", "x.jsonl")
        digest = hashlib.sha256(content).hexdigest()
        assert isinstance(got, dict)
        assert list(got) == ["id", "source", "stage", "reason", "detail"]
        assert got["id"] == (id_ if id_ is not None else "x.jsonl:12") and got["reason"] == reason
        assert got["stage"] == "read" and got["detail"].startswith("line 12")
        assert list(got["source"].items()) == [
            ("path", "in/x.jsonl"), ("line", 12), ("bytes", len(content)), ("sha256", digest)]
    good = json.dumps({"id": "g", "text": "Texte."}).encode()
    doc = _jsonl_item(3, good + b"\n", good, "in/x.jsonl", "x.jsonl")
    assert isinstance(doc, Document) and doc.id == "g" and doc.text == "Texte."
    assert doc.source == Source("in/x.jsonl", len(good), hashlib.sha256(good).hexdigest(), line=3, encoding="utf-8")


def _spaced_lines(text: str) -> list[int]:
    """The lines of ``text`` holding two ordinary spaces in a row or one at either end, by a walk."""
    return [i for i, line in enumerate(text.split("\n")) if "  " in line or line[:1] == " " or line[-1:] == " "]


# Pages for the vector scan: the bench's, the corpus lines', made-up edge cases (every BMP unit
# between two newlines and spaces, surrogates alone and in pairs, spaces at every edge).
def _vector_scan_texts() -> list[str]:
    texts = ["\n".join(_lines()[:800]), "\n".join(TRICKY + TRICKY_LINES), *_NOT_NFC_PAGES]
    pages = [d["text"] for d in documents(60, seed=12)]
    texts += pages
    texts += [p.replace("\u00a0", " ") for p in pages[:20]]  # two spaces in a row
    texts += [" " + p.replace("\n", " \n") + " " for p in pages[20:40]]  # spaces at the line ends
    texts += [p.replace("\n", "\n ").replace("\n \n", "\n\n") for p in pages[40:]]  # and starts
    texts += ["", " ", "  ", "\n", " \n ", "\n\n", "a", "\ud800", "\U0001f600", "x\ud83d\nb\udc00 ", "\t\n\x0b\n\x7f\n"]
    every = "".join(map(chr, range(0x10000)))
    texts += ["\n".join(every[i : i + 300] for i in range(0, 0x10000, 300)), " \n".join(every[::7]) + "  "]
    return texts


def test_vector_page_scan_finds_the_lines_of_the_scans() -> None:
    """``_work_and_odd_lines_vector`` (numpy, for pages) gives the lines of ``re``'s page scan
    (``_work_and_odd_lines``, and so ``lines_with`` of both classes) and the lines a walk finds
    with two spaces in a row or an edge space; ``lines_needing_work`` given them (``spaced``) is
    ``lines_needing_work`` by its substring searches; the table is the two patterns' classes."""
    from pipeline.stages.unicode import (
        _LINE_WORK_OR_NFC,
        _UNIT_KINDS,
        _work_and_odd_lines,
        _work_and_odd_lines_vector,
    )

    for code in range(0x10000):
        ch = chr(code)
        expect = (_LINE_WORK_OR_NFC.match(ch) is not None) | 2 * (whitespace.ODD_SPACE.match(ch) is not None)
        assert _UNIT_KINDS[code] & 3 == expect, hex(code)
    assert [code for code in range(0x10000) if _UNIT_KINDS[code] & 4] == [10]
    checked = 0
    for text in _vector_scan_texts():
        work, odd, spaced = _work_and_odd_lines_vector(text)
        assert (work, odd) == _work_and_odd_lines(text), repr(text[:60])
        assert (work, odd) == (lines_with(_LINE_WORK_OR_NFC, text), lines_with(whitespace.ODD_SPACE, text))
        assert spaced == _spaced_lines(text), repr(text[:60])
        assert lines_needing_work(text, odd, spaced) == lines_needing_work(text), repr(text[:60])
        checked += bool(spaced)
    assert checked > 60  # pages with spaces to fix, not only clean ones


_SCAN_ALPHABET = "a é\n\t\u00a0\u3000Ã©€’«\u200b\u0301\U0001f600\ud800\udc00\x85\r"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_SCAN_ALPHABET), max_size=40))
def test_vector_page_scan_on_random_text(text: str) -> None:
    from pipeline.stages.unicode import _work_and_odd_lines, _work_and_odd_lines_vector

    work, odd, spaced = _work_and_odd_lines_vector(text)
    assert (work, odd) == _work_and_odd_lines(text)
    assert spaced == _spaced_lines(text)
    assert lines_needing_work(text, odd, spaced) == lines_needing_work(text)


def _marks_of(line: str) -> list[int]:
    """The offsets of ``_LINE_WORK_OR_NFC``'s characters in ``line``, by ``re``."""
    from pipeline.stages.unicode import _LINE_WORK_OR_NFC

    return [m.start() for m in _LINE_WORK_OR_NFC.finditer(line)]


def test_page_scan_marks_are_the_work_characters_of_each_work_line() -> None:
    """``_page_scan``'s marks: for each work line, the offsets of its characters of
    ``_LINE_WORK_OR_NFC`` (``re``'s), and the offsets of the newlines, on every page the vector
    scan is tested on; None for a page holding a character above the BMP (its UTF-16 units are
    not the string's indexes)."""
    from pipeline.stages.unicode import _page_scan, _work_and_odd_lines_vector

    marked = 0
    for text in _vector_scan_texts() + _NOT_NFC_PAGES:
        work, odd, spaced, marks, newlines = _page_scan(text)
        assert (work, odd, spaced) == _work_and_odd_lines_vector(text)
        if any(ch > "\uffff" for ch in text):
            assert marks is None and newlines is None, repr(text[:60])
            continue
        assert newlines == [at for at, ch in enumerate(text) if ch == "\n"], repr(text[:60])
        lines = text.split("\n")
        assert marks == {i: _marks_of(lines[i]) for i in work}, repr(text[:60])
        marked += len(work)
    assert marked > 1000


def _marked_lines() -> list[str]:
    lines = _lines() + TRICKY + TRICKY_LINES + ["« Ã© »\u200b", "œ\u200d", "é\u0301\u200b", "é\x85", "é\u00ad"]
    lines += [respace(line) for line in lines] + ["Le\u00a0Ã© vu", " Â Le", "Ã\u00a0 \u00a0©", "« Ã\u2009© »"]
    lines += [line for page in _NOT_NFC_PAGES for line in page.split("\n")]
    return [line for line in lines if not line.isascii()]


def test_scan_of_the_marks_answers_as_the_scan_of_the_line() -> None:
    """``_scan_marked`` with a line's marks answers as ``_scan_line`` (and so ``needs_ftfy``), on
    the corpus lines, made-up ones, lines that are not NFC and characters above the BMP."""
    from pipeline.stages.unicode import _scan_line, _scan_marked

    lines = _marked_lines()
    assert len(lines) > 2000 and sum(not unicodedata.is_normalized("NFC", line) for line in lines) > 20
    for line in lines:
        assert _scan_marked(line, _marks_of(line)) == _scan_line(line), repr(line)


_MARKED_ALPHABET = "aé Ã©Â€™œ«»“”ØÙ·°–\xa0\u00ad\u200b\u200d\x85\t\u0301\u0323\u1161\u2028\U0001d15e"


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from(_MARKED_ALPHABET), max_size=24))
def test_scan_of_the_marks_on_random_text(line: str) -> None:
    from pipeline.stages.unicode import _scan_line, _scan_marked

    if not line.isascii():
        assert _scan_marked(line, _marks_of(line)) == _scan_line(line)


def _c_page_scan() -> Any:
    """The C page scan (``_scanc.page_scan``) of a current compiled build, even where this process
    runs the source (``NEWSCLEAN_STAGES=source``), else None."""
    from pipeline import native

    if native.state() != "compiled":
        return None
    return importlib.import_module("pipeline.stages._scanc").page_scan


def _check_c_page_scan(scan: Any, text: str) -> None:
    """``scan`` (the C page scan) gives ``_page_scan``'s answer (numpy) for ``text``, and the
    lines, marks and newlines of ``re``'s scans and a walk."""
    from pipeline.stages.unicode import _LINE_WORK_OR_NFC, _UNIT_KINDS, _page_scan

    got = scan(text, _UNIT_KINDS)
    assert got == _page_scan(text), repr(text[:60])
    work, odd, spaced, marks, newlines = got
    assert (work, odd) == (lines_with(_LINE_WORK_OR_NFC, text), lines_with(whitespace.ODD_SPACE, text))
    assert spaced == _spaced_lines(text), repr(text[:60])
    if any(ch > "\uffff" for ch in text):
        assert marks is None and newlines is None, repr(text[:60])
    else:
        assert newlines == [at for at, ch in enumerate(text) if ch == "\n"], repr(text[:60])
        lines = text.split("\n")
        assert marks == {i: _marks_of(lines[i]) for i in work}, repr(text[:60])
        assert list(marks) == work


@pytest.mark.skipif(_c_page_scan() is None, reason="the stages are not compiled here")
def test_c_page_scan_is_the_numpy_page_scan() -> None:
    """The C page scan (``_scanc.pyx``, what ``_settle`` runs compiled) gives ``_page_scan``'s
    answer, and ``re``'s, on the bench pages, the corpus lines, made-up edge cases (every BMP
    unit, surrogates alone and in pairs, spaces at every edge), each page in Latin-1, UCS-2 and
    UCS-4 storage (a character above the BMP added at its end), each of its lines alone; and
    refuses a table of the wrong size."""
    scan = _c_page_scan()
    texts = _vector_scan_texts()
    texts += [p.encode("latin-1", "replace").decode("latin-1") for p in texts[:80]]  # one byte a character
    texts += [p + "\U0001f600" for p in texts[:80]] + [p + "\U0001f600 " for p in texts[80:100]]
    texts += ["\U0001f600", " \U0001f600 \n ", "\n\U0001f600\u00a0\n", "\ud83d\ude00\n\u200b", "\r\n \u2028 \n"]
    lines = [line for text in texts[:100] for line in text.split("\n")]
    assert len(lines) > 5000
    for text in texts + lines:
        _check_c_page_scan(scan, text)
    with pytest.raises(ValueError):
        scan("a", b"\x00" * 10)


_C_SCAN_ALPHABET = (
    "a é中\n\n  \t\x0b\x0c\r\x85\u00a0\u2009\u3000\u2028\u2029\u202f\u200b\u200c\u200d\u00ad\u2060\ufeff"
    "Ã©Â€â€™œ«»\u0301\u0323\u1161\x00\x7f\ud800\udbff\udc00\udfff\U0001f600\U0001d15e\U0010ffff"
)


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=st.sampled_from(_C_SCAN_ALPHABET), max_size=60))
def test_c_page_scan_on_random_text(text: str) -> None:
    scan = _c_page_scan()
    if scan is None:
        pytest.skip("the stages are not compiled here")
    _check_c_page_scan(scan, text)
    _check_c_page_scan(scan, "".join(ch for ch in text if ch <= "\uffff"))  # UCS-2 or Latin-1
    _check_c_page_scan(scan, "".join(ch for ch in text if ch <= "\xff"))


# Runs of printable ASCII of every length around the C scan's blocks (8 units of UCS-2, 16 bytes
# of Latin-1), spaces among them, between the kinds' characters: where its runs are skipped.
_RUNS = st.lists(
    st.tuples(st.text(alphabet=st.sampled_from("ab~! "), max_size=40), st.sampled_from(_C_SCAN_ALPHABET + "é")),
    max_size=8,
)


@settings(max_examples=1500, deadline=None)
@given(_RUNS)
def test_c_page_scan_on_runs_of_ascii(parts: list[tuple[str, str]]) -> None:
    scan = _c_page_scan()
    if scan is None:
        pytest.skip("the stages are not compiled here")
    text = "".join(run + ch for run, ch in parts)
    for storage in (text, "".join(ch for ch in text if ch <= "\uffff"), "".join(ch for ch in text if ch <= "\xff")):
        _check_c_page_scan(scan, storage)
        _check_c_page_scan(scan, storage.rstrip("\n"))


def test_settle_same_with_either_page_scan() -> None:
    """``_settle`` gives the same text and edits whichever page scan it uses (the vector scan for
    every text, for none, or for pages only as it runs), and leaves answers in
    ``whitespace.page_work`` that are ``lines_needing_work``'s."""
    from pipeline.document import Where
    from pipeline.native import load_source

    scans = []
    for least in (0, 1 << 62, None, -1):  # (-1: the C scan for every text, where it is built)
        module = load_source("pipeline.stages.unicode")
        if least == -1:
            module._C_PAGE_SCAN = _c_page_scan()
            if module._C_PAGE_SCAN is None:
                continue
        else:
            module._C_PAGE_SCAN = None
            if least is not None:
                module._VECTOR_SCAN_MIN = least
        scans.append(module)
    texts = [d["text"] for d in documents(40, seed=13)] + _NOT_NFC_PAGES + TRICKY + TRICKY_LINES
    texts += [
        "Le\xa0Ã© vu \n  suite\u200b dÃ\u200b©jà  \n" * 60,  # spaces to fix on lines the fix pass changes
        " a  b \n\u00a0Ã©\u2028Â \ny " * 80,  # and a line break ftfy makes
    ]
    for gate in (True, False):
        for text in texts:
            answers = []
            for module in scans:
                whitespace._PAGE_WORK.clear()
                out = module._settle(text, Where("text"), gate)
                answers.append(out)
                for key, answer in whitespace._PAGE_WORK.items():
                    assert answer == tuple(lines_needing_work(key)), repr(key[:60])
            assert all(answer == answers[0] for answer in answers[1:]), repr(text[:60])


def test_whitespace_fix_splices_the_fixed_lines_as_split_and_join() -> None:
    """``whitespace._fix`` (the fixed lines spliced between the text's unchanged pieces) gives the
    text and edits of splitting the text, fixing the lines ``lines_needing_work`` finds, and
    joining them, for the bench pages, spaces at every edge, and short fields."""
    from pipeline.document import Edit, Where
    from pipeline.stages.whitespace import _fix, _fix_line

    def reference(text: str, where: Where) -> tuple[str, list[Edit]]:
        todo = lines_needing_work(text)
        edits: list[Edit] = []
        lines = text.split("\n")
        for i in todo:
            lines[i] = _fix_line(lines[i], where.field, i if where.field == "text" else where.index, edits)
        return "\n".join(lines), edits

    pages = [d["text"] for d in documents(60, seed=14)]
    texts = pages + [" " + p.replace("\n", " \n\u3000 ") + "\u00a0" for p in pages[:20]]
    texts += ["", " ", "  ", "\n", " \n ", "\n\n \n", "a\u00a0", "x\n\u3000y\u3000\nz  ", "a  b\n\nc\t\n"]
    texts += ["\n".join(_lines()[:400])]
    changed = 0
    for text in texts:
        for where in (Where("text"), Where("paragraphs", 3)):
            whitespace._PAGE_WORK.clear()
            out = _fix(text, where)
            assert out == reference(text, where), repr(text[:60])
            changed += out[0] != text
    assert changed > 40


_ODD_ALPHABET = "a é\t\u00a0\u3000\u2009\u202f\x85\r\x0b\u1680’"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ODD_ALPHABET), max_size=30), st.integers(0, 31))
def test_first_of_is_the_odd_space_search(line: str, pos: int) -> None:
    """``edits.first_of`` of the odd spaces a line holds (a ``str.find`` of each) is
    ``ODD_SPACE.search``'s start, or the line's length."""
    from pipeline.edits import first_of
    from pipeline.stages.whitespace import _ODD_SPACES

    m = whitespace.ODD_SPACE.search(line, pos)
    held = [ch for ch in _ODD_SPACES if ch in line]
    assert first_of(line, pos, held) == (len(line) if m is None else m.start())


def test_odd_spaces_are_the_class_s_characters() -> None:
    from pipeline.stages.whitespace import _ODD_SPACES

    assert set(_ODD_SPACES) == {chr(c) for c in range(0x110000) if whitespace.ODD_SPACE.match(chr(c))}
    assert len(_ODD_SPACES) == len(set(_ODD_SPACES)) == 23


def test_a_line_s_work_in_two_tests() -> None:
    """``holds_odd_space`` is ``ODD_SPACE``'s search, and, for a line without a newline, it or
    ``_spaced`` is ``lines_needing_work`` of the line (what ``_settle``'s later passes ask)."""
    from pipeline.stages.unicode import _spaced
    from pipeline.stages.whitespace import holds_odd_space

    lines = _lines()[:3000] + TRICKY + TRICKY_LINES + ["", " ", "  ", "a ", " a", "a  b", "a\u3000b", "\u2000", "x\t"]
    lines += [" " + line.replace("\u00a0", " ") for line in _lines()[:500]]
    lines += [chr(code) for code in range(0x3001)]
    for line in lines:
        assert holds_odd_space(line) == (whitespace.ODD_SPACE.search(line) is not None), repr(line)
        assert (holds_odd_space(line) or _spaced(line)) == bool(lines_needing_work(line)), repr(line)


def test_newlines_to_lf_is_the_newline_substitution() -> None:
    """``decode.newlines_to_lf`` (two ``replace`` calls) is ``_NEWLINES.sub("\\n", text)``, the
    regex substitution it replaces, compiled and from source: on the bench pages with their line
    ends as CRLF, CR alone and mixed, and on made-up texts of CR, LF and letters (CR runs, CR
    before CRLF, at either end)."""
    import itertools

    from pipeline.native import load_source
    from pipeline.stages import decode

    texts = [d["text"] for d in documents(40, seed=13)]
    texts += [t.replace("\n", "\r\n") for t in texts[:10]] + [t.replace("\n", "\r") for t in texts[10:20]]
    texts += [t.replace("\n\n", "\r\r\n").replace("\n", "\n\r") for t in texts[20:30]]
    texts += ["".join(p) for n in range(7) for p in itertools.product("\r\na", repeat=n)]
    texts += ["\r" * 5, "\r\n" * 5, "\r\r\n\n\r", "é\r\n越\r\U0001f600\r\n"]
    assert sum("\r" in t for t in texts) > 1000
    for module in (decode, load_source("pipeline.stages.decode")):
        for text in texts:
            assert module.newlines_to_lf(text) == decode._NEWLINES.sub("\n", text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["\r", "\n", "\r\n", "a", " ", "é"]), max_size=40).map("".join))
def test_newlines_to_lf_on_random_text(text: str) -> None:
    from pipeline.stages import decode

    assert decode.newlines_to_lf(text) == decode._NEWLINES.sub("\n", text)


def test_jsonl_reader_reads_the_same_with_any_buffer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The JSONL readers' 1 MiB buffer (``io.READ_BUFFER``) changes no item: a file of lines of
    every size (short, about a bench page, longer than the buffer, over ``--max-bytes``), CRLF
    ends, blank lines, a broken line and no final newline reads as with Python's default buffer
    and a tiny one, plain and zstd-compressed, with and without the limit."""
    import json

    import zstandard

    from pipeline import io as pio

    pages = [d["text"] for d in documents(6, seed=14)]
    lines = [json.dumps({"id": f"p{i}", "text": t}, ensure_ascii=i % 2 == 0).encode() for i, t in enumerate(pages)]
    lines += [json.dumps({"id": "big", "text": "é" * (1 << 20)}).encode(), b"{broken", b"", b"  "]
    lines += [json.dumps({"id": "huge", "text": "a" * (3 << 20)}).encode()]
    lines += [json.dumps({"id": "s", "text": "x"}).encode()]
    data = b"\n".join(line + (b"\r" if i % 3 == 0 else b"") for i, line in enumerate(lines))  # no final newline
    (tmp_path / "in.jsonl").write_bytes(data)
    (tmp_path / "in.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(data))

    def read(name: str, max_bytes: int | None) -> list[Any]:
        return [
            (it.id, it.text, it.source) if isinstance(it, Document) else it
            for it in pio.read_inputs([str(tmp_path / name)], max_bytes=max_bytes)
        ]

    assert pio.READ_BUFFER == 1 << 20
    for name in ("in.jsonl", "in.jsonl.zst"):
        for max_bytes in (None, 2 << 20):
            ours = read(name, max_bytes)
            assert len(ours) == 10  # (the blank lines are skipped)
            assert isinstance(ours[8], dict) == (max_bytes is not None)  # "huge": too_large
            for size in (8192, 64):  # Python's default, and a tiny one
                monkeypatch.setattr(pio, "READ_BUFFER", size)
                assert read(name, max_bytes) == ours, (name, max_bytes, size)
            monkeypatch.undo()


def test_dates_without_a_placeholder_field_is_the_mapped_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    """``dates.run`` skips ``map_text_fields`` when no text field holds ``DNUM_``
    (``_has_placeholder``, by ``find_literal``): the same document and edits as the stage that always maps, on bench
    pages before and after ``structure`` (with and without a byline date), and with a placeholder
    put in the title, lead, a paragraph, a caption or the unsplit text, decodable or not."""
    from pipeline.document import Caption, Reject
    from pipeline.native import load_source
    from pipeline.stages import decode, structure

    cfg = Config()
    docs: list[Document] = []
    for i, page in enumerate(documents(40, seed=15)):
        doc = Document(id=f"d{i}", source=Source("x", 1, "0" * 64), text=page["text"])
        docs.append(doc)
        try:
            docs.append(structure.run(whitespace.run(unicode.run(decode.run(doc, cfg), cfg), cfg), cfg))
        except Reject:
            continue
    structured = [d for d in docs if d.structured]
    assert len(structured) > 30 and any(d.published_raw for d in structured)
    for j, doc in enumerate(structured[:20]):
        code = "DNUM_AIZABZCACB" if j % 2 else "DNUM_ZZQ"
        docs.append(dataclasses.replace(doc, title=f"{doc.title or 'T'} {code}"))
        docs.append(dataclasses.replace(doc, lead=f"{code} Chapô"))
        docs.append(dataclasses.replace(doc, paragraphs=(*doc.paragraphs[:-1], doc.paragraphs[-1] + " " + code)))
        docs.append(dataclasses.replace(doc, captions=(*doc.captions, Caption(None, code, "VNA"))))
    docs.append(Document(id="t", source=Source("x", 1, "0" * 64), text="Le DNUM_AIZABZCACB 10:55."))
    fast = load_source("pipeline.stages.dates")
    always = load_source("pipeline.stages.dates")
    monkeypatch.setattr(always, "_has_placeholder", lambda doc: True)
    from pipeline.stages import dates

    skipped = 0
    for doc in docs:
        want = always.run(doc, cfg)
        for module in (dates, fast):
            got = module.run(doc, cfg)
            assert got == want and got.edits == want.edits and got.__dict__ == want.__dict__
        skipped += not fast._has_placeholder(doc)
    assert skipped > 40 and skipped < len(docs) - 60
    # ``_has_placeholder`` finds ``DNUM_`` by ``find_literal`` (its ``_`` first): ``"DNUM_" in``
    # some field, on those documents and on fields holding near misses, ``_`` and its low-byte
    # twins in two-byte text (U+015F, U+4E5F), and the literal at either end
    base = structured[0]
    for field in ("DNUM_", "xDNUM_", "DNUM_x", "DNUM", "NUM_", "_DNUM", "D_NUM_", "DNUM ş 也 _ DNUM_", "ş也_DNUM",
                  "ş也_DNU_M_", "DNUMş_", "", "_" * 9):
        docs.append(dataclasses.replace(base, paragraphs=(*base.paragraphs, field)))
    for module in (dates, fast):
        for doc in docs:
            want_found = any("DNUM_" in value for _, _, value in doc.text_fields())
            assert module._has_placeholder(doc) == want_found, doc.text_fields()


def test_edit_json_keys_in_order_with_and_without_a_score() -> None:
    """``Edit.to_json`` (``_edit_json``, which makes a scored edit's dict in one display) writes
    the keys in the record's order, ``score`` last and only when there is one, and rounds the
    score as before (a float to four places, an int kept an int, a bool by ``round``), compiled
    and from source: the record line's bytes depend on the order, which ``==`` on dicts ignores."""
    from pipeline import document
    from pipeline.native import load_source

    keys = ["stage", "kind", "before", "after", "where"]
    for module in (document, load_source("pipeline.document")):
        where = module.Where("paragraphs", 2, 7)
        plain = module.Edit("glue", "wrap", "a b", "ab", where).to_json()
        assert list(plain) == keys and plain["where"] == {"field": "paragraphs", "index": 2, "offset": 7}
        for score, want in ((0.123456, 0.1235), (2, 2), (True, 1), (-0.00001, -0.0), (1e300, 1e300)):
            out = module.Edit("glue", "wrap", "a b", "ab", where, score).to_json()
            assert list(out) == [*keys, "score"] and out["where"] == plain["where"]
            assert out["score"] == want and type(out["score"]) is type(round(score, 4))
            assert orjson.dumps(out) == orjson.dumps({**plain, "score": round(score, 4)})


def test_fix_lines_removes_invisible_characters_and_joiners_as_both_subs() -> None:
    """``_fix_lines`` (the joiners' ``sub_recorded`` only for a line holding ZWNJ or ZWJ, each
    line's ``Where`` only for a line with an edit) gives the text and edits of ftfy then both
    subs on every line."""
    from pipeline.document import Edit, Where
    from pipeline.edits import diff_edit, sub_recorded
    from pipeline.stages.unicode import _INVISIBLE, _JOINERS, _fix_lines, _ftfy

    lines = _marked_lines() + TRICKY + TRICKY_LINES
    lines += ["Viet\u200b\u200dnam", "a\u200c\u200bb", "\u200dx\u200b", "é\u200cé", "越\u200d南\u00ad", "x\u2066y"]
    lines += [line.replace(" ", "\u200b ", 2).replace("e", "e\u200d", 1) for line in _lines()[:300]]
    for where in (Where("text"), Where("paragraphs", 3)):
        expect_lines, expect_edits = [], []
        for i, line in enumerate(lines):
            line_where = Where(where.field, i if where.field == "text" else where.index)
            fixed = _ftfy(line, None) if needs_ftfy(line) else line
            edit = diff_edit("unicode", "ftfy", line, fixed, line_where)
            more: list[Edit] = [] if edit is None else [edit]
            fixed, found = sub_recorded(_INVISIBLE, "", fixed, "unicode", "invisible", line_where)
            fixed, joined = sub_recorded(_JOINERS, "", fixed, "unicode", "invisible", line_where)
            expect_lines.append(fixed)
            expect_edits += more + found + joined
        got = list(lines)
        edits, _ = _fix_lines(got, range(len(got)), where, True)
        assert got == expect_lines and edits == expect_edits
        assert sum(e.kind == "invisible" for e in edits) > 300


def _respace_lines_to_test() -> list[str]:
    lines = _marked_lines()
    # white space of every kind at the edges, in runs and alone, next to witnesses and targets
    lines += [line.replace(" ", "\u00a0", 3).replace(" ", " \t ", 1) for line in lines[:600]]
    lines += ["\u3000" + line.replace(" ", "\u3000", 2) + "\u2009" for line in lines[:300]]
    lines += [" « Ã\u00a0©\t» ", "\t\x85 é\u2028 \u2003\u0301 ", "a \x0b\x0c\r\u2029 b é", "é\u3000\u3000 « x »\u205f"]
    return lines


def test_marks_read_as_the_scans_of_the_respaced_line() -> None:
    """``_marks_may_need_ftfy`` answers as ``_FTFY_OR_BADNESS``'s search and the NFC check, and
    ``_respaced`` gives ``respace(line)`` and the marks of it (``re``'s), from a line's marks."""
    from pipeline.stages.unicode import _FTFY_OR_BADNESS, _marks_may_need_ftfy, _respaced

    moved = 0
    for line in _respace_lines_to_test():
        marks = _marks_of(line)
        expect = _FTFY_OR_BADNESS.search(line) is not None or not unicodedata.is_normalized("NFC", line)
        assert _marks_may_need_ftfy(line, marks) == expect, repr(line)
        spaced = respace(line)
        assert _respaced(line, marks) == (spaced, _marks_of(spaced)), repr(line)
        moved += spaced != line and bool(marks)
    assert moved > 500


_RESPACED_ALPHABET = "a é\t\u00a0\u3000\u2003\x85\u2028Ã©«»\u200b\u0301"


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from(_RESPACED_ALPHABET), max_size=24))
def test_marks_of_the_respaced_line_on_random_text(line: str) -> None:
    from pipeline.stages.unicode import _FTFY_OR_BADNESS, _marks_may_need_ftfy, _respaced

    marks = _marks_of(line)
    expect = _FTFY_OR_BADNESS.search(line) is not None or not unicodedata.is_normalized("NFC", line)
    assert _marks_may_need_ftfy(line, marks) == expect
    assert _respaced(line, marks) == (respace(line), _marks_of(respace(line)))


def test_respace_lines_same_with_the_marks() -> None:
    """``_respace_lines`` given the lines' marks gives the text and edits it gives without them."""
    from pipeline.document import Where
    from pipeline.stages.unicode import _respace_lines

    lines = _respace_lines_to_test()
    marks = {i: _marks_of(line) for i, line in enumerate(lines) if not any(ch > "\uffff" for ch in line)}
    with_marks, without = list(lines), list(lines)
    got = _respace_lines(with_marks, range(len(lines)), Where("text"), True, set(), None, marks)
    expect = _respace_lines(without, range(len(lines)), Where("text"), True, set(), None, None)
    assert got == expect and with_marks == without
    assert len(got[1]) > 100


def test_find_literal_is_str_find() -> None:
    """``edits.find_literal`` (a search for the needle's anchor character, then the needle read
    there) gives ``str.find``'s answer, compiled and from source: every shipped literal of
    ``sources.toml``'s patterns over the seeds and 200 bench pages from every start found in
    them, and made-up needles and texts (anchor first, inside, last; one character; repeats
    that overlap; the needle cut by the end of the text; characters above U+00FF and their
    low-byte twins, which a two-byte page's ``memchr`` meets as false places); with
    ``literal_anchor``'s anchor and with every other index of the needle as the anchor."""
    import random

    from pipeline.native import load_source
    from pipeline.sources import _signature_plan, literal_anchor
    from pipeline.stages.structure import _required

    modules = [pytest.importorskip("pipeline.edits"), load_source("pipeline.edits")]
    sites, generic = profiles()
    needles: set[str] = set()
    for profile in (*sites, generic):
        patterns = [*profile.signatures, *profile.boilerplate, profile.photo_marker, profile.credit_label]
        for pattern in patterns:
            if pattern is not None:
                needles.update(_required(pattern) or ())
        for sig in profile.signatures:
            assert _signature_plan(sig)[2] == tuple(literal_anchor(n) for n in _signature_plan(sig)[0] or ())
    assert {"(VNA)", "Photo", "ảnh ", "图自", "越通社", "DNUM_"} <= needles
    pages = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    pages += [d["text"] for d in documents(200, seed=11)]

    def check(text: str, needle: str, starts: list[int]) -> None:
        anchors = {literal_anchor(needle), *range(len(needle))}
        for module in modules:
            for anchor in anchors:
                for start in starts:
                    assert module.find_literal(text, needle, anchor, start) == text.find(needle, start), (
                        needle,
                        anchor,
                        start,
                    )

    for page in pages:
        for needle in needles:
            found = [0, 1, len(page), len(page) + 3]
            at = page.find(needle)
            while at >= 0 and len(found) < 12:
                found += [at, at + 1]
                at = page.find(needle, at + 1)
            check(page, needle, found)
    alphabet = ["a", "b", "P", "(", " ", "ả", "Ả", "\u1e50", "\u5028", "越", "\n", "\u0100"]
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
        needle = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 5)))
        if rng.random() < 0.5 and len(text) > 2:  # a needle taken from the text: it occurs
            i = rng.randrange(len(text) - 1)
            needle = text[i : i + rng.randrange(1, 4)]
        check(text, needle, [0, 1, 2, len(text) // 2, max(len(text) - 1, 0), len(text), len(text) + 1])
    for text, needle in [("aaaa", "aa"), ("PPhoto", "Photo"), ("Phot", "Photo"), ("x(VNA", "(VNA)"), ("", "P")]:
        check(text, needle, list(range(len(text) + 2)))


def test_literal_anchor_picks_a_rare_kind_of_character() -> None:
    """``literal_anchor`` never picks a space, a lower-case ASCII letter, a digit or a character
    whose code is a multiple of 256 (its low byte would be the NUL of every ASCII character in a
    two-byte page), and prefers ASCII punctuation, then upper case and non-ASCII."""
    from pipeline.sources import literal_anchor

    assert literal_anchor("(VNA)") == 0
    assert literal_anchor("DNUM_") == 4
    assert literal_anchor("Photo") == 0
    assert literal_anchor("ảnh ") == 0
    assert literal_anchor("photo") == -1
    assert literal_anchor("a b 1") == -1
    assert literal_anchor("\u0100x") == -1
    assert literal_anchor("") == -1
    for needle in ["Voir plus", "越通社", "a.b,c-d'e\"f", "x Y", "\u4e00\u4e01"]:
        at = literal_anchor(needle)
        if at >= 0:
            ch = needle[at]
            assert not ch.isspace() and not ("a" <= ch <= "z") and not ch.isdigit() and ord(ch) % 256


def test_structure_lines_are_the_split_lines_holding_text() -> None:
    """``structure._lines`` (line ends found by ``str.find``, empty lines skipped unmade) is
    ``[line for line in text.split("\\n") if line.strip()]``, compiled and from source: the
    seeds, 200 bench pages, the same pages with their line ends doubled, spaced and cut off, and
    made-up texts of line ends, spaces, other line breaks (which ``split("\\n")`` does not cut
    at), and characters whose low byte is a line end's (``上`` U+4E0A, U+010A), a false place
    for a two-byte page's ``memchr``, long and short."""
    import random

    from pipeline.native import load_source

    modules = [pytest.importorskip("pipeline.stages.structure"), load_source("pipeline.stages.structure")]
    pages = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    pages += [d["text"] for d in documents(200, seed=13)]
    pages += [p.replace("\n", "\n\n") for p in pages[:50]] + [p.replace("\n", " \n\t") for p in pages[:50]]
    pages += [p[: len(p) // 2] + "\n" for p in pages[:50]] + ["\n" + p.strip() for p in pages[:50]]
    alphabet = ["a", " ", "\t", "\n", "\n", "\r", "\u2028", "\x85", "\x0b", "上", "\u010a", "\u3000", "é", "\U0001f600"]
    rng = random.Random(5)
    for _ in range(3000):
        n = rng.choice((0, 1, 2, 5, 30, 120))
        pages.append("".join(rng.choice(alphabet) for _ in range(n)))
    pages += ["", "\n", "\n\n", " ", "a", "a\n", "\na", "上" * 100 + "\n" + "上" * 100, "\u010a\n" * 50]
    for page in pages:
        expected = [line for line in page.split("\n") if line.strip()]
        for module in modules:
            assert module._lines(page) == expected, page[:80]


def test_joined_is_the_lines_joined() -> None:
    """``unicode._joined`` (the changed lines of ``cut`` spliced into the page) gives
    ``"\\n".join`` of the page's lines with those changes, for any set of lines cut and any
    changes of them (equal copies, empty lines, lines with newlines, the first and last line),
    on the bench pages and made-up ones; the page itself when no cut line changed."""
    import random

    from pipeline.stages.unicode import _UNCUT, _joined

    rng = random.Random(7)
    texts = [d["text"] for d in documents(30, seed=21)] + ["", "\n", "a", "\n\n", "a\nb", "\nx\n", "é\n\n中\n"]
    checked = 0
    for text in texts:
        whole = text.split("\n")
        newlines = [at for at, ch in enumerate(text) if ch == "\n"]
        for _ in range(20):
            picked = sorted(rng.sample(range(len(whole)), rng.randint(0, len(whole))))
            lines = [_UNCUT] * len(whole)
            cut: dict[int, str] = {}
            for i in picked:
                start = newlines[i - 1] + 1 if i else 0
                lines[i] = cut[i] = text[start : newlines[i] if i < len(newlines) else len(text)]
                assert cut[i] == whole[i]
            expect = list(whole)
            for i in picked:
                change = rng.choice(["same", "copy", "empty", "new", "newline"])
                new = {"same": lines[i], "copy": "".join(list(lines[i])), "empty": "", "new": lines[i] + "Ã©",
                       "newline": "x\ny"}[change]
                lines[i] = expect[i] = new
            got = _joined(text, lines, newlines, cut)
            assert got == "\n".join(expect), repr(text[:60])
            if all(lines[i] is cut[i] for i in picked):
                assert got is text
            checked += 1
    assert checked > 500
    assert _joined("a\nb", ["a", "B"], None, {}) == "a\nB"  # without the newlines: the lines joined


def _drop_invisible_as_sub(line: str) -> None:
    """``_drop_invisible`` with the invisible characters ``line`` holds gives the text and edits of
    ``sub_recorded(_INVISIBLE, ...)`` (the reference); a line holding none is left to it."""
    from pipeline.document import Edit, Where
    from pipeline.edits import sub_recorded
    from pipeline.stages.unicode import _INVISIBLE, _INVISIBLE_ORDER, _drop_invisible

    where = Where("paragraphs", 4)
    expect = sub_recorded(_INVISIBLE, "", line, "unicode", "invisible", where)
    held = [ch for ch in _INVISIBLE_ORDER if ch in line]
    assert bool(held) == (_INVISIBLE.search(line) is not None), repr(line)
    if held:
        edits: list[Edit] = [Edit("x", "y", "a", "b", where)]  # (appended to, not replaced)
        got = _drop_invisible(line, held, where, edits)
        assert (got, edits[1:]) == expect and edits[0].stage == "x", repr(line)


def test_drop_invisible_as_the_sub_on_bench_and_made_up_lines() -> None:
    """``_drop_invisible`` removes the runs ``_INVISIBLE`` matches, with the same edits: on the
    corpus lines with invisible characters put in (alone, in runs, at both ends, next to
    joiners), on every invisible character alone and in pairs, and ``_INVISIBLE_SET`` is the
    class (every code point tried)."""
    from pipeline.stages.unicode import _INVISIBLE, _INVISIBLE_ORDER, _INVISIBLE_SET

    assert _INVISIBLE_SET == {chr(code) for code in range(0x110000) if _INVISIBLE.match(chr(code))}
    assert len(_INVISIBLE_ORDER) == len(_INVISIBLE_SET)
    invisible = sorted(_INVISIBLE_SET)
    lines = [a + b for a in [*invisible, "x", "é", "\u200c"] for b in [*invisible, "y", "越", "\u200d"]]
    lines += ["\u200bLe\u00ad mi\u200e\u200fnistre\u2066", "a\u200b\u00adb\u200bc", "\ufeff\ufeff", "越\u200b南\u202e"]
    for k, line in enumerate(_lines()[:1500]):
        ch, other = invisible[k % len(invisible)], invisible[(3 * k + 1) % len(invisible)]
        lines.append(ch + line.replace(" ", ch, 2).replace("e", other + ch + "\u200d", 1) + other)
        lines.append(line.replace("a", "\u200c" + ch, 1))
    for line in lines + TRICKY + TRICKY_LINES:
        _drop_invisible_as_sub(line)


_INVISIBLE_ALPHABET = "ab é越\u200b\u00ad\u2066\u202a\ufeff\u061c\u200c\u200d\u200e\u2060"


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=st.sampled_from(_INVISIBLE_ALPHABET), max_size=20))
def test_drop_invisible_as_the_sub_on_random_text(line: str) -> None:
    _drop_invisible_as_sub(line)


def test_fix_lines_takes_a_line_ftfy_gave_as_it_is() -> None:
    """A later pass's ``_fix_lines`` takes a line of ``settled`` (ftfy gave it) as ftfy would give
    it back, without scanning it: the same text and edits as the scan and ftfy's own answer, on
    ftfy's outputs of the corpus lines that need it, with and without invisible characters and
    joiners kept (and ASCII ones, which take the other path)."""
    from pipeline.document import Where
    from pipeline.stages.unicode import _fix_lines, _ftfy

    lines = [line for line in _marked_lines() + TRICKY + TRICKY_LINES if needs_ftfy(line)]
    lines += [line.replace(" ", " \u200b", 1).replace("e", "e\u200d\u00ad", 1) for line in lines]
    settled: set[str] = set()
    given = [_ftfy(line, settled) for line in lines]
    assert len(settled) > 200 and sum(any(ch in line for ch in "\u200b\u200d\u00ad") for line in settled) > 50
    for where in (Where("text"), Where("paragraphs", 3)):
        fast, slow = list(given), list(given)
        fast_edits, fast_touched = _fix_lines(fast, range(len(fast)), where, True, settled)
        slow_edits, slow_touched = _fix_lines(slow, range(len(slow)), where, True, None)
        assert (fast, fast_edits, fast_touched) == (slow, slow_edits, slow_touched)
