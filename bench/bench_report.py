"""The review report at scale: build time, size and load time in headless Chromium.

    python -m bench.bench_report --docs 10000 --runs 3

Synthesises an output directory of ``--docs`` documents by cleaning the five seeds once and
replicating their records with new ids (1 % of them turned into rejects), all pointing at the seed
files so every document has its raw page. Then, ``--runs`` times: builds ``report.html`` (load +
render + write), opens it in Debian's headless Chromium (``/usr/bin/chromium`` via Playwright) and
measures, from navigation start, the time until the first page of documents is rendered and
usable (``body[data-ready]``), then the time a language filter and a page turn take. Prints each
run and the medians. Figures are wall-clock on a shared machine: noisy; compare medians.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import orjson

from pipeline.config import Config
from pipeline.executors.local import run
from pipeline.report import iter_views, read_stats, render_html

ROOT = Path(__file__).resolve().parent.parent
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def synthesise(out: Path, docs: int) -> None:
    seeds_out = out.parent / "seeds_out"
    run([str(ROOT / "seeds")], seeds_out, Config())
    records = [orjson.loads(line) for line in (seeds_out / "corpus.jsonl").read_bytes().splitlines()]
    stats = json.loads((seeds_out / "stats.json").read_text())
    out.mkdir(parents=True, exist_ok=True)
    n_rejects = docs // 100
    with open(out / "corpus.jsonl", "wb") as corpus, open(out / "rejects.jsonl", "wb") as rejects:
        for i in range(docs):
            rec = dict(records[i % len(records)])
            rec["id"] = f"{rec['id']}-{i:06d}"
            rec["source"] = dict(rec["source"], path=str(ROOT / rec["source"]["path"]))
            if i % 100 == 99:
                rejects.write(orjson.dumps({"id": rec["id"], "source": rec["source"], "stage": "structure",
                                            "reason": "no_body", "detail": "synthetic reject"}) + b"\n")
            else:
                corpus.write(orjson.dumps(rec) + b"\n")
    scale = docs / len(records)
    for s in stats["stages"].values():
        for key in ("seen", "changed", "edits"):
            s[key] = int(s[key] * scale)
        s["seconds"] = s["seconds"] * scale
    stats.update(inputs=docs, records=docs - n_rejects, rejects=n_rejects)
    (out / "stats.json").write_text(json.dumps(stats))


def build(out: Path) -> float:
    start = time.perf_counter()
    (out / "report.html").write_text(render_html(iter_views(out), read_stats(out)), encoding="utf-8")
    return time.perf_counter() - start


def browse(html: Path, profile: Path) -> tuple[float, float, float, int]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(profile), executable_path="/usr/bin/chromium", args=ARGS, headless=True,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            tab = ctx.new_page()
            tab.goto(html.as_uri(), timeout=300_000, wait_until="commit")
            tab.wait_for_selector("body[data-ready='1']", timeout=300_000)
            ready = tab.evaluate("performance.now()") / 1000
            sections = tab.locator("section.doc").count()
            start = time.perf_counter()
            tab.select_option("#f-lang", "zh")
            tab.wait_for_function("document.querySelectorAll('section.doc[data-lang=\"zh\"]').length > 0")
            filtered = time.perf_counter() - start
            start = time.perf_counter()
            first = tab.eval_on_selector("section.doc", "e => e.id")
            tab.click("#next")
            tab.wait_for_function(f"document.querySelector('section.doc').id !== {first!r}")
            paged = time.perf_counter() - start
            tab.screenshot(path=str(ROOT / "out" / "report-10k.png"))
        finally:
            ctx.close()
    return ready, filtered, paged, sections


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR", help="also copy the synthetic output directory here")
    args = parser.parse_args()
    (ROOT / "out").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        synthesise(out, args.docs)
        rows = []
        for n in range(args.runs):
            built = build(out)
            size = (out / "report.html").stat().st_size
            profile = Path(tmp) / f"profile{n}"
            ready, filtered, paged, sections = browse(out / "report.html", profile)
            rows.append((built, ready, filtered, paged))
            print(f"run {n + 1}: build {built:.2f} s, {size / 1e6:.1f} MB; browser: first page usable after "
                  f"{ready:.2f} s ({sections} sections), language filter {filtered:.3f} s, next page {paged:.3f} s")
        med = [statistics.median(col) for col in zip(*rows, strict=True)]
        print(f"median of {args.runs}, {args.docs} documents: build {med[0]:.2f} s, load {med[1]:.2f} s, "
              f"filter {med[2]:.3f} s, next page {med[3]:.3f} s")
        if args.keep:
            shutil.copytree(out, args.keep, dirs_exist_ok=True)


if __name__ == "__main__":
    main()
