"""The review report and ``explain``: what the cleaner did to each page, shown where it happened.

The views are checked against the records themselves (every glue split, every removed line, every
caption), and against hand-written expectations on seed 001 and on small made-up records.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pipeline.explain import highlight, render
from pipeline.report import _clean_marks, _inserted, _nest, doc_view, load_output, render_html, unpack_view

from .conftest import ROOT, S000, S001, S002, S003, S004, cli, read_jsonl

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def views(seeds_out: Path) -> dict[str, dict[str, Any]]:
    loaded, _ = load_output(seeds_out, ROOT)
    return {v["id"]: v for v in loaded}


def _apply(text: str, marks: list[list[Any]], cls: str) -> list[str]:
    """The text under each ``cls`` mark; a mark split around an inner mark (its later pieces have an
    empty label) counts once, from its first piece to its last."""
    spans: list[list[int]] = []
    for m in marks:
        if m[2] != cls:
            continue
        if m[3] or not spans:
            spans.append([m[0], m[1]])
        else:
            spans[-1][1] = m[1]
    return [text[s:e] for s, e in spans]


def test_every_glue_split_of_001_is_highlighted_in_the_clean_text(views: dict[str, dict[str, Any]]) -> None:
    view = views[S001]
    glue = [e for e in view["edits"] if e["stage"] == "glue"]
    assert len(glue) >= 45  # seed 001 has ~50 glued words; the report must show each one
    splits = [(key, m) for key, ms in view["marks"].items() for m in ms if m[2] == "split"]
    assert len(splits) == len(glue)
    texts = {f"paragraphs/{i}": p for i, p in enumerate(view["paragraphs"])} | {"dateline": view["meta"]["dateline"]}
    shown = sorted(texts[key][m[0] : m[1]] for key, m in splits)
    assert shown == sorted(e["after"] for e in glue)
    for key, m in splits:  # each highlighted character is the space glue inserted
        assert [texts[key][m[0] + k] for k in m[4]] == [" "]
    first = view["marks"]["paragraphs/1"][0]
    assert view["paragraphs"][1][first[0] : first[1]] == "Le ministre" and first[4] == [2]
    leministre = next(e for e in glue if e["before"] == "Leministre" and e["where"]["index"] == 1)
    assert f"score {leministre['score']:.2f}" in first[3]  # the split's own score, as recorded


def test_every_repair_of_001_is_marked_in_the_raw_page(views: dict[str, dict[str, Any]]) -> None:
    view = views[S001]
    raw = view["raw"]
    glued = _apply(raw, view["raw_marks"], "glued")
    befores = {e["before"] for e in view["edits"] if e["stage"] == "glue"}
    assert set(glued) == befores and "Leministre" in glued and "Vietnamont" in glued
    ws = [m for m in view["raw_marks"] if m[2] == "ws"]
    assert len(ws) == sum(1 for e in view["edits"] if e["where"]["field"] == "text") == 2
    assert all("\u00a0" in raw[m[0] : m[1]] for m in ws)


@pytest.mark.parametrize("seed", [S000, S001, S003, S004])
def test_every_sidebar_and_boilerplate_line_is_struck_in_the_raw_page(
    views: dict[str, dict[str, Any]], seed: str
) -> None:
    view = views[seed]
    assert view["removed"] and all(r["found"] for r in view["removed"])
    struck = [m for m in view["raw_marks"] if m[2] == "rm" and m[3]]  # labelled pieces: one per entry
    assert len(struck) == len(view["removed"])
    texts = _apply(view["raw"], view["raw_marks"], "rm")
    sidebars = [r for r in view["removed"] if r["kind"] == "sidebar"]
    assert sidebars and all(m[3].startswith("structure: ") for m in struck)
    joined = "\n".join(texts)
    for r in sidebars:
        assert " ".join(r["text"].split())[:40] in " ".join(joined.split())


def test_alt_text_is_struck_on_the_caption_line_not_on_the_title(views: dict[str, dict[str, Any]]) -> None:
    view = views[S000]
    raw = view["raw"]
    alt = [m for m in view["raw_marks"] if m[2] == "rm" and "alt_text" in m[3]]
    assert len(alt) == 2
    for m in alt:
        line_end = raw.find("\n", m[1])
        assert raw[m[1] : line_end].startswith(" ảnh ")  # the alt text sits before the photo marker
    assert not any(m[0] == 0 for m in view["raw_marks"])  # the title line stays unmarked


@pytest.mark.parametrize("seed", [S000, S001, S002, S003, S004])
def test_every_caption_is_shown_and_found_in_the_raw_page(views: dict[str, dict[str, Any]], seed: str) -> None:
    view = views[seed]
    caps = [c["text"] for c in view["captions"]]
    assert caps
    found = _apply(view["raw"], view["raw_marks"], "cap")
    assert [" ".join(t.split()) for t in found] == [" ".join(c.split()) for c in caps]


def test_clean_seeds_get_no_highlight_in_their_text(views: dict[str, dict[str, Any]]) -> None:
    for seed in (S000, S002, S003):  # no glue edit: nothing may look repaired
        assert views[seed]["marks"] == {}
        assert not [m for m in views[seed]["raw_marks"] if m[2] == "glued"]


def test_every_edit_of_every_seed_is_located(records: dict[str, dict[str, Any]]) -> None:
    for seed, rec in records.items():
        _, located = _clean_marks(rec)
        assert len(located) == len(rec["edits"]) and all(located), seed


def test_date_repair_is_marked_in_the_metadata(views: dict[str, dict[str, Any]]) -> None:
    view = views[S004]
    assert view["marks"]["published"] == [[0, 25, "fix", "dates published"]]
    assert view["meta"]["published"] == "2021-01-08T10:55:00+07:00"


def test_inserted_and_nest() -> None:
    assert _inserted("Leministre", "Le ministre") == [2]
    assert _inserted("Hanoï,17", "Hanoï, 17") == [6]
    assert _inserted("abc", "abc") == []
    assert _nest([[0, 10, "cap", "c"]], [[4, 5, "ws", "w"]]) == [
        [0, 4, "cap", "c"], [4, 5, "ws", "w"], [5, 10, "cap", ""]]
    assert _nest([[0, 3, "rm", "r"]], [[5, 6, "ws", "w"]]) == [[0, 3, "rm", "r"], [5, 6, "ws", "w"]]


def _record(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "x", "text": "", "lang": "fr", "title": None, "lead": None, "dateline": None, "byline": None,
        "published": None, "paragraphs": [], "captions": [], "removed": [], "edits": [],
        "source": {"path": "gone/x.txt", "bytes": 1, "sha256": "0" * 64, "encoding": "utf-8"},
    }
    base.update(fields)
    return base


def test_unedited_text_that_looks_glued_gets_no_mark() -> None:
    # "quele" without an edit must not be highlighted: the report shows what the cleaner did, no more.
    rec = _record(paragraphs=["Il a dit quele projet avance."])
    view = doc_view(rec, "Il a dit quele projet avance.\n")
    assert view["marks"] == {} and view["raw_marks"] == []


def test_removed_text_missing_from_the_raw_page_is_reported_not_invented() -> None:
    rec = _record(
        paragraphs=["Un paragraphe."],
        removed=[{"stage": "structure", "kind": "boilerplate", "text": "Texte absent de la page"}],
    )
    view = doc_view(rec, "Un paragraphe.\n")
    assert view["removed"][0]["found"] is False and view["raw_marks"] == []


def test_missing_raw_input_degrades_with_a_note(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    rec = _record(
        paragraphs=["Un paragraphe."], removed=[{"stage": "structure", "kind": "signoff", "text": "-VNA"}]
    )
    (out / "corpus.jsonl").write_text(json.dumps(rec) + "\n", encoding="utf-8")
    views, stats = load_output(out, tmp_path)
    assert stats == {} and views[0]["raw"] is None
    assert "no longer there" in views[0]["raw_note"]
    page = render_html(views, stats)
    packed = re.findall(r'<script type="application/gzip\+base64" id="d0">(.*?)</script>', page, re.S)
    assert "no longer there" in unpack_view(packed[0])["raw_note"]  # the note travels with the document
    assert views[0]["removed"][0]["found"] is None  # listed (struck) below, not claimed as located


def test_script_breaking_text_is_escaped() -> None:
    rec = _record(id="</script><!-- x", paragraphs=["</script><script>alert(1)</script> <!-- x"])
    page = render_html([doc_view(rec, None, "gone")], {})
    assert page.count("</script>") == 3  # index, the document, the page script: nothing else closes a block
    index = re.findall(r'<script type="application/json" id="index">(.*?)</script>', page, re.S)
    assert json.loads(index[0])["index"][0]["id"] == "</script><!-- x"
    packed = re.findall(r'<script type="application/gzip\+base64" id="d0">(.*?)</script>', page, re.S)
    assert unpack_view(packed[0])["paragraphs"] == ["</script><script>alert(1)</script> <!-- x"]


def test_report_html_is_self_contained(seeds_out: Path) -> None:
    result = cli("report", str(seeds_out))
    assert result.returncode == 0, result.stderr
    page = (seeds_out / "report.html").read_text(encoding="utf-8")
    assert "5 documents" in result.stdout
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//|@import|url\(""", page)
    assert page.count('<script type="application/gzip+base64" id="d') == 5
    assert '<svg class="chart"' in page and 'class="bar edits" data-stage="glue"' in page
    assert '<li><b>fr</b> 3</li>' in page and '<li><b>zh</b> 1</li>' in page


def test_report_of_rejects_and_jsonl_inputs(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "pages.jsonl").write_text(
        json.dumps({"id": "j1", "text": "Titre\n\nLeministre a dit quele projet avance bien cette année."}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert cli("clean", str(src), "--out", str(out)).returncode == 0
    result = cli("report", str(out))
    assert result.returncode == 0, result.stderr
    views, _ = load_output(out, tmp_path)
    by_id = {v["id"]: v for v in views}
    assert by_id["empty"]["kind"] == "reject" and by_id["empty"]["reject"]["reason"] == "empty"
    assert by_id["j1"]["raw"].startswith("Titre\n\nLeministre")  # the JSONL line's text
    explained = cli("explain", str(out), "empty", "--color", "never")
    assert explained.returncode == 0 and "rejected by stage decode: empty" in explained.stdout


def test_report_needs_an_output_directory(tmp_path: Path) -> None:
    result = cli("report", str(tmp_path))
    assert result.returncode == 2 and "run `python -m pipeline clean" in result.stderr


def test_explain_plain_when_piped(seeds_out: Path, records: dict[str, dict[str, Any]]) -> None:
    result = cli("explain", str(seeds_out), S001)  # --color=auto, stdout is a pipe
    assert result.returncode == 0, result.stderr
    assert not ANSI.search(result.stdout)
    assert "Le[+ ]ministre" in result.stdout and "Hanoï,[+ ]17 mars" in result.stdout
    split = next(e for e in records[S001]["edits"] if e["before"] == "Leministre" and e["where"]["index"] == 1)
    assert f"{split['score']:7.2f}  {split['kind']:<7} paragraphs[1]    Leministre -> Le ministre" in result.stdout
    assert "~~[structure: sidebar marker] Voir plus~~" in result.stdout


def test_explain_colour_always_and_never(seeds_out: Path) -> None:
    coloured = cli("explain", str(seeds_out), S001, "--color", "always", "--raw")
    assert coloured.returncode == 0
    assert "Le\x1b[30;42m \x1b[0m\x1b[4mministre" in coloured.stdout  # the inserted space on green
    assert "\x1b[9;31m[structure: sidebar marker] Voir plus\x1b[0m" in coloured.stdout
    plain = cli("explain", str(seeds_out), S001, "--color", "never", "--raw")
    assert not ANSI.search(plain.stdout)
    assert ANSI.sub("", coloured.stdout).replace("[+ ]", " ") != plain.stdout  # plain marks are textual
    assert "{Leministre}" in plain.stdout  # the glued word, marked in the raw page


def test_explain_auto_respects_tty_and_no_color(monkeypatch: pytest.MonkeyPatch, seeds_out: Path) -> None:
    from pipeline import cli as cli_module

    class Tty:
        def __init__(self) -> None:
            self.parts: list[str] = []

        def isatty(self) -> bool:
            return True

        def write(self, text: str) -> int:
            self.parts.append(text)
            return len(text)

    monkeypatch.chdir(ROOT)
    for no_color, expect_ansi in ((None, True), ("1", False)):
        tty = Tty()
        monkeypatch.setattr("sys.stdout", tty)
        if no_color is None:
            monkeypatch.delenv("NO_COLOR", raising=False)
        else:
            monkeypatch.setenv("NO_COLOR", no_color)
        assert cli_module.main(["explain", str(seeds_out), S004]) == 0
        assert bool(ANSI.search("".join(tty.parts))) is expect_ansi


def test_explain_unknown_id(seeds_out: Path) -> None:
    result = cli("explain", str(seeds_out), "nope")
    assert result.returncode == 1 and "'nope': no such id" in result.stderr


def test_highlight_plain_and_colour() -> None:
    marks = [[0, 11, "split", "glue wrap", [2]], [12, 16, "rm", "structure: signoff"]]
    text = "Le ministre -VNA"
    assert highlight(text, marks, color=False) == "Le[+ ]ministre ~~[structure: signoff] -VNA~~"
    assert ANSI.sub("", highlight(text, marks, color=True)) == "Le ministre [structure: signoff] -VNA"


def test_render_lists_every_removed_entry(views: dict[str, dict[str, Any]]) -> None:
    out = render(views[S003], color=False)
    assert out.count("~~[structure: ") == len(views[S003]["removed"])
    assert "n=1  [zh]  越南政府办公厅主任梅进勇和日本驻越南大使山田贵雄(左)。  (credit: 越通社)" in out


def test_records_and_rejects_in_output_are_all_in_the_report(seeds_out: Path) -> None:
    views, _ = load_output(seeds_out, ROOT)
    ids = [r["id"] for r in read_jsonl(seeds_out / "corpus.jsonl")]
    assert [v["id"] for v in views] == ids


def test_report_is_deterministic_and_says_when_timings_are_off(seeds_out: Path) -> None:
    views, stats = load_output(seeds_out, ROOT)
    assert render_html(views, stats) == render_html(views, stats)
    stages = {name: {k: v for k, v in s.items() if k != "seconds"} for name, s in stats["stages"].items()}
    untimed = {**stats, "stages": stages}
    page = render_html(views, untimed)
    assert "no timings" in page and "ms/doc" not in page
    assert "ms/doc" in render_html(views, stats)
