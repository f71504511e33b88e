"""The warm-up of a run (issue #4), cut without changing a table or an answer.

- The glue engine's tables derived from wordfreq's fixed lists (`lexicon.table`, the spelling
  model's trigram counts, the prefix and suffix sets) are stored by `make native` beside the gate
  tables (`lexicon.stored`): what the file gives is what wordfreq gives, bit for bit and in the same
  order; a missing, stale or damaged file is not used, and the tables are built from wordfreq as
  before (the same again); `common_words` reads a stored table, in descending Zipf order, as a
  prefix: the same words as a whole scan.
- lingua's models are preloaded on lingua's threads before the first batch of a run with several
  workers (`language.preload`): the detector's answers are the same as when it loads them lazily,
  and only such a run preloads; while it loads, glibc maps each block of 1 MiB or more on its own
  (`local._large_blocks_mapped`: lingua's freed buffers are not left resident in its threads'
  heaps), and afterwards the threshold is 32 MiB.
"""

from __future__ import annotations

import marshal
import math
import platform
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson
import pytest
import wordfreq

from bench.make_corpus import documents
from pipeline.config import Config
from pipeline.executors import local
from pipeline.glue import core, gatetable, lexicon, native
from pipeline.io import read_inputs

from .conftest import ROOT

LANGS = gatetable.LANGS


def _wordfreq_full(lang: str) -> dict[str, float]:
    """wordfreq's own dict, in Zipf: what the spelling model and the prefixes are built from."""
    return {w: math.log10(f) + 9.0 for w, f in wordfreq.get_frequency_dict(lang).items()}


def _wordfreq_table(lang: str) -> dict[str, float]:
    """The reference of `lexicon.table`: wordfreq's dict less the listed glues (`ofthe`)."""
    from pipeline.glue.langdata import LISTED_GLUES

    glues = LISTED_GLUES.get(lang, frozenset())
    return {w: z for w, z in _wordfreq_full(lang).items() if w not in glues}


def _same_floats(a: dict[str, float], b: dict[str, float]) -> bool:
    """The same keys in the same order with the same floats, bit for bit."""
    return list(a) == list(b) and all(x.hex() == y.hex() for x, y in zip(a.values(), b.values(), strict=True))


def _model_state(model: Any) -> list[list[tuple[str, Any]]]:
    """Everything `CharModel` derives from its counts, each dict as its ordered items."""
    dicts = (model.tri, model.bi, model.uni, model.ctx2, model.ctx1, model._log3, model._firsts,
             model._starts, model._ends)
    return [list(d.items()) for d in dicts] + [[("total", model.total), ("vocab", model.vocab)]]


@pytest.mark.parametrize("lang", LANGS)
def test_the_stored_tables_are_wordfreqs(lang: str, tmp_path: Path) -> None:
    """What `make native` writes (`stored_bytes`), read back, gives wordfreq's table, the
    trigram counts of its words and the prefix and suffix sets, exactly; so does the file the
    build wrote, when it is current (it is in a built tree: the gate table beside it is)."""
    reference = _wordfreq_table(lang)
    full = _wordfreq_full(lang)
    words = [w for w, z in full.items() if z >= 1.5 and w.isalpha()]
    path = tmp_path / "stored.bin"
    path.write_bytes(lexicon.stored_bytes(lang))
    found = lexicon.read_stored(path, lang)
    assert found is not None
    assert _same_floats(found["table"], reference)
    assert list(found["tri"].items()) == list(lexicon._count_trigrams(words).items())
    assert found["prefixes"] == frozenset(w[:4] for w, z in full.items() if z >= 1.5)
    assert found["suffixes"] == frozenset(w[-3:] for w, z in full.items() if z >= 2.0)
    assert found["descending"] is True
    if gatetable.load(lang, repr(core.DEFAULT_CONFIG)) is not None:
        assert lexicon.stored(lang) is not None, "the build wrote the gate table but no current stored tables"
    assert _same_floats(lexicon.table(lang), reference)
    assert lexicon.prefixes(lang) == found["prefixes"] and lexicon.suffixes(lang) == found["suffixes"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_spelling_model_from_stored_counts_is_the_one_built_from_words(lang: str) -> None:
    words = [w for w, z in _wordfreq_full(lang).items() if z >= 1.5 and w.isalpha()]  # (glues kept)
    built = lexicon.CharModel(words)
    given = lexicon.CharModel([], lexicon._count_trigrams(words))
    assert _model_state(given) == _model_state(built)
    assert _model_state(lexicon.char_model(lang)) == _model_state(built)
    for word in ("ministre", "gorseréalise", "vietnamont", "the", "x", "qqqq", "œuvre", "straße"):
        assert given.logp(word).hex() == built.logp(word).hex()


def test_a_missing_stale_or_damaged_stored_file_is_not_used(tmp_path: Path) -> None:
    good = lexicon.stored_bytes("fr")
    key, _, body = good.partition(b"\n")
    assert key == lexicon.stored_key("fr").encode("ascii")
    files = {
        "missing": None,
        "stale": b"0" * 64 + b"\n" + body,
        "truncated": good[: len(good) // 2],
        "garbage": key + b"\n" + b"\x00\xff not marshal",
        "not a dict": key + b"\n" + marshal.dumps(["table", "tri"]),
        "a name missing": key + b"\n" + marshal.dumps({"table": {}, "tri": {}, "prefixes": frozenset(),
                                                        "suffixes": frozenset()}),
        "empty": b"",
    }
    for name, data in files.items():
        path = tmp_path / f"{name}.bin"
        if data is not None:
            path.write_bytes(data)
        assert lexicon.read_stored(path, "fr") is None, name
    path = tmp_path / "good.bin"
    path.write_bytes(good)
    assert lexicon.read_stored(path, "fr") is not None
    assert lexicon.read_stored(path, "en") is None  # another language's key
    assert lexicon.stored_key("fr") != lexicon.stored_key("en")


@pytest.fixture
def unstored(tmp_path: Path) -> Iterator[ModuleType]:
    """The engine's sources loaded afresh (`native.load_sources`: their own caches) with no stored
    file found: every table built from wordfreq."""
    modules = native.load_sources()
    src = modules["lexicon"]
    src.stored_path = lambda lang: tmp_path / f"none_{lang}.bin"  # type: ignore[attr-defined]
    yield src


@pytest.mark.parametrize("lang", LANGS)
def test_without_a_stored_file_the_tables_are_built_from_wordfreq_the_same(lang: str, unstored: ModuleType) -> None:
    assert unstored.stored(lang) is None
    assert _same_floats(unstored.table(lang), lexicon.table(lang))
    assert _same_floats(unstored.table(lang), _wordfreq_table(lang))
    assert unstored.prefixes(lang) == lexicon.prefixes(lang)
    assert unstored.suffixes(lang) == lexicon.suffixes(lang)
    assert _model_state(unstored.char_model(lang)) == _model_state(lexicon.char_model(lang))


THRESHOLDS = (-1.0, 0.0, 1.0, 1.5, 2.0, 3.0, 3.5, 4.0, 5.0, 6.5, 9.0, 12.0)


@pytest.mark.parametrize("lang", LANGS)
def test_common_words_read_as_a_prefix_are_the_whole_scan(lang: str, unstored: ModuleType) -> None:
    """A stored table is in descending Zipf order (wordfreq's list is most frequent first), and
    `common_words` read as its prefix gives the words of a whole scan, at any threshold (the
    gate's among them), as the build from wordfreq does."""
    found = lexicon.stored(lang)
    if found is None:
        pytest.skip("no current stored tables (the glue build did not run)")
    assert found["descending"] is True
    reference = _wordfreq_table(lang)
    for threshold in (*THRESHOLDS, core.DEFAULT_CONFIG.gate_zipf):
        expected = [w for w, z in reference.items() if z >= threshold]
        assert lexicon.common_words(lang, threshold) == frozenset(expected), threshold
        assert unstored.common_words(lang, threshold) == frozenset(expected), threshold


def test_common_words_scan_a_table_stored_out_of_order(unstored: ModuleType) -> None:
    """A stored table whose Zipfs rise somewhere (`descending` False) is scanned whole."""
    tab = {"le": 7.0, "rare": 1.0, "de": 7.5, "mot": 4.0, "x": 4.0}
    stored = {"table": tab, "tri": {}, "prefixes": frozenset(), "suffixes": frozenset(), "descending": False}
    unstored.stored = lambda lang: stored  # type: ignore[attr-defined]
    unstored.table.cache_clear()
    assert unstored.table("xx") is tab
    for threshold in THRESHOLDS:
        assert unstored.common_words("xx", threshold) == frozenset(w for w, z in tab.items() if z >= threshold)
    assert unstored.common_words("xx", 5.0) == {"le", "de"}


def test_a_process_with_current_stored_tables_never_imports_wordfreq() -> None:
    if any(lexicon.stored(lang) is None for lang in LANGS):
        pytest.skip("no current stored tables (the glue build did not run)")
    code = textwrap.dedent(
        """
        import sys
        from pipeline.glue import repair
        repair("Le ministre a déclaré quele projet avance bien.", "fr")
        repair("The minister saidthat the project is going well.", "en")
        assert "wordfreq" not in sys.modules, "wordfreq imported"
        print("ok")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def _lingua_answers(preload: bool) -> str:
    """A digest of lingua's answers (the stage's `_lingua`) on the texts of
    tests/test_language_fasttext.py, in a fresh process, preloaded or not."""
    code = textwrap.dedent(
        f"""
        import hashlib
        from pipeline.config import Config
        from pipeline.stages import language
        from tests.test_language_fasttext import _texts
        cfg = Config()
        if {preload!r}:
            language.preload(cfg.language.languages)
        h = hashlib.sha256()
        for text in _texts():
            for part in (text, text[:60], text[-200:]):
                h.update(repr(language._lingua(part, cfg)).encode() + b"\\0")
        print(h.hexdigest())
        """
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_preloaded_lingua_gives_the_lazily_loaded_answers() -> None:
    lazy = _lingua_answers(False)
    assert len(lazy) == 64
    assert _lingua_answers(True) == lazy


def test_only_a_run_that_forks_workers_preloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`local.results` preloads lingua's models before the first batch only when it will fork
    workers after it (several workers, a full first batch, the stage on), and the results are
    the same."""
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(orjson.dumps(doc) + b"\n" for doc in documents(9, seed=5)))
    cfg = Config()
    calls: list[tuple[str, ...]] = []
    monkeypatch.setattr(local.language, "preload", calls.append)

    def run(config: Config, workers: int, batch: int) -> list[Any]:
        items = read_inputs([str(path)], max_bytes=config.decode.max_bytes)
        return [r[:3] for r in local.results(items, config, workers, batch)]

    one = run(cfg, 1, 4)
    assert calls == []
    assert run(cfg, 2, 16) == one and calls == []  # one batch: no pool
    assert run(cfg, 2, 4) == one and calls == [cfg.language.languages]
    calls.clear()
    run(cfg.override(language={"enabled": False}), 2, 4)
    assert calls == []


MAPPED = """
import ctypes
from pipeline.executors import local

libc = ctypes.CDLL(None)
names = ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")


class Info(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in names]


libc.mallinfo2.restype = Info
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]


def mapped(size):
    # 1 if a block of this size is mapped on its own (glibc's mallinfo2 counts such blocks)
    before = libc.mallinfo2().hblks
    block = libc.malloc(size)
    count = libc.mallinfo2().hblks - before
    libc.free(block)
    return count


def beyond_free():
    # larger than all the free memory of the heaps: malloc must grow a heap or map it
    return libc.mallinfo2().fordblks + (2 << 20)


# glibc's dynamic rule: once a mapped 24 MiB block is freed, smaller ones come from the heap
libc.free(libc.malloc(24 << 20))
print(mapped(4 << 20), end=" ")
with local._large_blocks_mapped():
    print(mapped(beyond_free()), mapped(512 << 10), end=" ")
size = beyond_free()
assert size < 30 << 20, size
print(mapped(size), mapped(48 << 20))
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator only")
def test_the_preload_maps_large_blocks_then_lets_the_heap_serve_them() -> None:
    """Inside `_large_blocks_mapped` a block that the heaps' free memory cannot hold is mapped
    on its own although glibc's dynamic threshold had risen above it (a 512 KiB block is not);
    after it the threshold is 32 MiB (such a block of under 30 MiB from the heap, 48 MiB mapped).
    In a fresh process: the setting is for good."""
    out = subprocess.run([sys.executable, "-c", MAPPED], cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "1", "0", "0", "1"]
