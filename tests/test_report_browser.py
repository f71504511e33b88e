"""The seeds' review report in a real browser: Debian's headless Chromium, driven by Playwright.

It opens ``report.html`` of the seeds, checks the summary chart, one section per document, the
highlighted repairs of seed 001, the struck-through sidebars of 000/001/003/004, the captions, uses
the language and stage filters, and saves a screenshot to ``out/report.png``.

In CI (``CI`` set) a missing browser or Playwright is a failure with a message saying what to
install; on a developer machine without Chromium the test is skipped (the rest of the suite runs).
Playwright never downloads a browser here: it launches ``/usr/bin/chromium`` (``apt-get install
chromium``; ``.ci/run`` does it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, S000, S001, S002, S003, S004, cli, read_jsonl

CHROMIUM = os.environ.get("NEWSCLEAN_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def _unavailable(why: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser test cannot run in CI: {why} (.ci/run installs Debian's chromium; "
                    "`pip install -r requirements.lock` installs playwright)")
    pytest.skip(f"{why}; not in CI, so skipped (install Debian's chromium to run it)")


@pytest.fixture(scope="module")
def page(seeds_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    if not (os.access(CHROMIUM, os.X_OK) or shutil.which(CHROMIUM)):
        _unavailable(f"no Chromium at {CHROMIUM}")
    result = cli("report", str(seeds_out))
    assert result.returncode == 0, result.stderr
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=ARGS, headless=True,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            tab = ctx.new_page()
            tab.goto((seeds_out / "report.html").as_uri())
            tab.wait_for_selector("body[data-ready='1']", timeout=30_000)
            yield tab
        finally:
            ctx.close()


def _ids(tab: Any) -> list[str]:
    """Ids of the sections shown, once the page has rendered (filters render asynchronously)."""
    tab.wait_for_selector("body[data-ready='1']", timeout=30_000)
    return list(tab.eval_on_selector_all("section.doc", "els => els.map(e => e.id.slice(4))"))


def test_summary_and_sections(page: Any, seeds_out: Path) -> None:
    assert page.inner_text("#n-docs") == "5" and page.inner_text("#n-rejects") == "0"
    bars = page.eval_on_selector_all("svg.chart rect.bar", "els => els.map(e => e.dataset.stage)")
    assert {"whitespace", "structure", "glue", "dates"} <= set(bars)
    assert float(page.get_attribute("rect.bar.removed[data-stage='structure']", "width")) > 0
    assert _ids(page) == [S000, S001, S002, S003, S004]
    assert page.locator("ol.slow li").count() == 3


def test_repairs_sidebars_and_captions_are_visible(page: Any, seeds_out: Path) -> None:
    records = {r["id"]: r for r in read_jsonl(seeds_out / "corpus.jsonl")}
    s001 = page.locator(f"#doc-{S001}")
    glue = [e for e in records[S001]["edits"] if e["stage"] == "glue"]
    # every inserted space of 001, in the clean text and in the metadata table (the dateline)
    assert s001.locator(".clean .ins").count() + s001.locator("table.meta .ins").count() == len(glue)
    assert s001.locator(".clean .split").first.inner_text() == "Hanoï, 17"
    assert s001.locator(".raw .glued").count() == len(glue) - 1  # the dateline repeats the first paragraph's glue
    assert s001.locator(".raw .ws").count() == 2
    assert s001.locator("table.splits tr").count() == len(glue) + 1
    for seed in (S000, S001, S003, S004):
        sec = page.locator(f"#doc-{seed}")
        removed = records[seed]["removed"]
        labels = sec.locator(".raw del.rm .lbl")
        assert labels.count() == len(removed), seed
        assert labels.first.inner_text().startswith("structure: ")
        assert sec.locator(".raw del.rm").first.evaluate(
            "e => getComputedStyle(e).textDecorationLine") == "line-through"
        assert sec.locator(".raw del.rm", has_text="Voir plus" if seed in (S000, S001) else
                           "更多" if seed == S003 else "Latest").count() >= 1
    for seed, rec in records.items():
        rows = page.locator(f"#doc-{seed} table.captions tr.caption")
        assert rows.count() == len(rec["captions"]) > 0
        assert [rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())] == [
            c["text"] for c in rec["captions"]]
        assert page.locator(f"#doc-{seed} .raw .cap").count() >= len(rec["captions"])
    meta = page.locator(f"#doc-{S004} table.meta")
    assert "Thanh Le" in meta.inner_text() and "2021-01-08T10:55:00+07:00" in meta.inner_text()


def test_filters_and_screenshot(page: Any) -> None:
    page.select_option("#f-lang", "zh")
    assert _ids(page) == [S003]
    page.select_option("#f-lang", "")
    page.select_option("#f-stage", "glue")
    assert _ids(page) == [S001, S004]
    page.select_option("#f-stage", "!reject")
    assert _ids(page) == [] and page.inner_text("#pageinfo") == "no document matches"
    page.select_option("#f-stage", "")
    page.fill("#f-id", "002_")
    assert _ids(page) == [S002]
    page.fill("#f-id", "")
    assert len(_ids(page)) == 5
    out = ROOT / "out"
    out.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(out / "report.png"))  # summary, chart, filters, first document
    page.evaluate(f"window.scrollTo(0, document.getElementById('doc-{S001}').offsetTop - 50)")
    page.screenshot(path=str(out / "report-001.png"))  # seed 001: repairs highlighted, sidebar struck
    assert (out / "report.png").stat().st_size > 10_000 and (out / "report-001.png").stat().st_size > 10_000


def test_missing_browser_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run in CI: no Chromium"):
        _unavailable("no Chromium at /nowhere")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="not in CI, so skipped"):
        _unavailable("no Chromium at /nowhere")
