"""``make bench``: throughput and memory of the full pipeline, side by side with datatrove.

Writes a deterministic synthetic corpus (:mod:`bench.make_corpus`, ``--docs`` pages, about 6.5 KB
each) and its 5x copy, then runs each scenario in a fresh subprocess and prints one table:

- ``newsclean 1 worker``: every stage on, ``--workers 1``;
- ``newsclean N workers``: the same with all cores;
- ``datatrove ftfy``: datatrove's JsonlReader -> FTFYFormatter -> JsonlWriter, one task, one worker,
  on the same JSONL (the baseline a datatrove user would otherwise run);
- ``newsclean 1 worker, glue stage off``: what the other stages cost (glue's share);
- ``newsclean N workers, 5x``: the 5x corpus, for memory.

``MB/CPU-s`` divides by the CPU time the scenario's processes used: unlike wall-clock MB/s it
does not drop when other jobs share the cores. Peak RSS is the largest resident set of any one
process of the scenario (``ru_maxrss`` of the waited-for children, pool workers included),
measured by a fresh wrapper process per scenario.
Timings are wall clock and noisy on a shared machine: run it several times and read the medians.

    make bench DOCS=20000      # about 130 MB; DOCS=4000 for a quicker look
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs a command and reports its wall time and the peak RSS of its process tree (one process).
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
                  "rss_mb": usage.ru_maxrss / 1024}))
"""

DATATROVE = """
import sys
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.formatters import FTFYFormatter
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter
src, name, out = sys.argv[1:4]
LocalPipelineExecutor(
    pipeline=[JsonlReader(src, glob_pattern=name, compression=None), FTFYFormatter(),
              JsonlWriter(out, compression=None)],
    tasks=1, workers=1, logging_dir=out + "/logs", skip_completed=False,
).run()
"""


NO_GLUE = """
import sys
from pathlib import Path
from pipeline.config import Config
from pipeline.executors.local import run
run([sys.argv[1]], Path(sys.argv[2]), Config().override(glue={"enabled": False}), workers=1)
"""


def measure(cmd: list[str]) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, cwd=ROOT, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise SystemExit(f"scenario failed ({result['code']}): {' '.join(cmd)}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--work", help="scratch directory (default: a temporary one, removed)")
    parser.add_argument("--skip-5x", action="store_true", help="leave out the 5x memory scenario")
    args = parser.parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="newsclean-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    corpus, corpus5 = work / "corpus.jsonl", work / "corpus5.jsonl"
    make = [py, "-m", "bench.make_corpus", "--docs", str(args.docs), "--out", str(corpus)]
    subprocess.run(make, check=True, cwd=ROOT)
    if not args.skip_5x:
        subprocess.run(
            [py, "-m", "bench.make_corpus", "--docs", str(5 * args.docs), "--out", str(corpus5)], check=True, cwd=ROOT
        )
    mb, mb5 = corpus.stat().st_size / 1e6, corpus5.stat().st_size / 1e6 if corpus5.exists() else 0.0

    def clean(src: Path, out: str, workers: int) -> list[str]:
        return [py, "-m", "pipeline", "clean", str(src), "--out", str(work / out), "--workers", str(workers)]

    rows: list[tuple[str, float, int, dict[str, float]]] = []
    rows.append(("newsclean 1 worker", mb, args.docs, measure(clean(corpus, "one", 1))))
    rows.append((f"newsclean {args.workers} workers", mb, args.docs, measure(clean(corpus, "all", args.workers))))
    rows.append(("datatrove ftfy (1 task, 1 worker)", mb, args.docs,
                 measure([py, "-c", DATATROVE, str(work), "corpus.jsonl", str(work / "dt")])))
    rows.append(("newsclean 1 worker, glue stage off", mb, args.docs,
                 measure([py, "-c", NO_GLUE, str(corpus), str(work / "noglue")])))
    if not args.skip_5x:
        rows.append((f"newsclean {args.workers} workers, 5x corpus", mb5, 5 * args.docs,
                     measure(clean(corpus5, "all5", args.workers))))

    # which glue engine the scenarios ran (compiled or source), as the pipeline itself decides it
    engine, stages = subprocess.run([py, "-c", "import pipeline; from pipeline.glue import ENGINE;"
                                     " print(ENGINE); print(pipeline.ENGINE)"], check=True, cwd=ROOT,
                                    capture_output=True, text=True).stdout.strip().split("\n")
    print(f"glue engine: {engine}; stages: {stages}")
    base = rows[2][1] / rows[2][3]["seconds"]
    print(f"\n{'scenario':<36} {'MB':>7} {'docs':>7} {'seconds':>8} {'MB/s':>6} {'docs/s':>7} {'CPU s':>6}"
          f" {'MB/CPU-s':>8} {'peak RSS MB':>11} {'vs datatrove':>12}")
    for name, size, docs, r in rows:
        rate = size / r["seconds"]
        print(f"{name:<36} {size:7.1f} {docs:7d} {r['seconds']:8.1f} {rate:6.2f} {docs / r['seconds']:7.0f}"
              f" {r['cpu']:6.1f} {size / r['cpu']:8.2f} {r['rss_mb']:11.0f} {rate / base:11.2f}x")
    one, many = rows[0][3], rows[1][3]
    dt = rows[2][3]
    print(f"\nall workers / 1 worker (wall clock): {one['seconds'] / many['seconds']:.2f}x")
    print(f"full pipeline per core / datatrove ftfy-only: {(mb / one['seconds']) / base:.2f}x wall clock,"
          f" {dt['cpu'] / one['cpu']:.2f}x per CPU-second (robust to other jobs on the machine)")
    if not args.skip_5x:
        print(f"peak RSS 5x / 1x ({args.workers} workers): {rows[4][3]['rss_mb'] / many['rss_mb']:.3f}")
    print(f"CPU use of {args.workers} workers: {many['cpu'] / many['seconds']:.2f} cores busy on average"
          " (less than the worker count when other jobs share the machine)")
    stats = json.loads((work / "one" / "stats.json").read_text())
    total = sum(s["seconds"] for s in stats["stages"].values())
    shares = ", ".join(f"{n} {100 * s['seconds'] / total:.0f}%" for n, s in stats["stages"].items())
    print(f"time per stage (1 worker): {shares}")
    if not args.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
