"""Scale: workers, shards, compression, kill-and-resume, and the Ray executor.

Every test compares outputs (ids, bytes) with a reference run; none measures time.
"""

from __future__ import annotations

import fcntl
import gzip
import json
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import orjson
import pytest
import zstandard

from bench.make_corpus import documents

from .conftest import ROOT, cli, read_jsonl


def _corpus(path: Path, n: int) -> list[str]:
    """``n`` synthetic pages plus three lines that must become rejects; returns every input id."""
    ids = []
    with open(path, "wb") as fh:
        for doc in documents(n, seed=7):
            fh.write(orjson.dumps(doc) + b"\n")
            ids.append(doc["id"])
        fh.write(b"{not json\n")
        fh.write(orjson.dumps({"id": "syn-0000001-001", "text": "a duplicate id"}) + b"\n")
        fh.write(orjson.dumps({"id": "empty", "text": ""}) + b"\n")
    return [*ids, f"{path.name}:{n + 1}", "syn-0000001-001", "empty"]


def _parts(directory: Path) -> bytes:
    out = b""
    for part in sorted(directory.iterdir()):
        data = part.read_bytes()
        out += zstandard.ZstdDecompressor().decompressobj().decompress(data) if part.suffix == ".zst" else data
    return out


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], Path]:
    """A 120-page corpus cleaned by one worker into the single-file layout."""
    tmp = tmp_path_factory.mktemp("scale")
    ids = _corpus(tmp / "in.jsonl", 120)
    result = cli("clean", str(tmp / "in.jsonl"), "--out", str(tmp / "one"), "--workers", "1", "--no-timings")
    assert result.returncode == 0, result.stderr
    return tmp / "in.jsonl", ids, tmp / "one"


def test_reference_accounts_for_every_input(reference: tuple[Path, list[str], Path]) -> None:
    _, ids, out = reference
    records = [r["id"] for r in read_jsonl(out / "corpus.jsonl")]
    rejects = read_jsonl(out / "rejects.jsonl")
    assert sorted(records + [r["id"] for r in rejects]) == sorted(ids)
    assert sorted(r["reason"] for r in rejects) == ["duplicate_id", "empty", "invalid_json"]


def test_two_workers_same_bytes_as_one(reference: tuple[Path, list[str], Path], tmp_path: Path) -> None:
    corpus, _, one = reference
    result = cli("clean", str(corpus), "--out", str(tmp_path / "two"), "--workers", "2", "--no-timings")
    assert result.returncode == 0, result.stderr
    for name in ("corpus.jsonl", "rejects.jsonl", "stats.json"):
        assert (tmp_path / "two" / name).read_bytes() == (one / name).read_bytes(), name


def test_zstd_shards_concatenate_to_the_single_file(reference: tuple[Path, list[str], Path], tmp_path: Path) -> None:
    corpus, _, one = reference
    out = tmp_path / "sharded"
    result = cli(
        "clean", str(corpus), "--out", str(out), "--workers", "2", "--shard-size", "25", "--compression", "zstd",
        "--no-timings",
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (out / "corpus").iterdir()) == [f"part-{i:05d}.jsonl.zst" for i in range(5)]
    assert _parts(out / "corpus") == (one / "corpus.jsonl").read_bytes()
    assert _parts(out / "rejects") == (one / "rejects.jsonl").read_bytes()
    assert (out / "stats.json").read_bytes() == (one / "stats.json").read_bytes()
    first = (out / "corpus" / "part-00000.jsonl.zst").read_bytes()
    assert orjson.loads(zstandard.ZstdDecompressor().decompressobj().decompress(first).split(b"\n")[0])["id"] == (
        "syn-0000000-000"
    )


def test_progress_bar_quiet_when_piped(reference: tuple[Path, list[str], Path], tmp_path: Path) -> None:
    corpus, _, _ = reference
    result = cli("clean", str(corpus), "--out", str(tmp_path / "o"), "--workers", "1")
    lines = result.stderr.splitlines()
    assert "\r" not in result.stderr and len(lines) == 1, result.stderr
    assert lines[0].startswith("newsclean: ") and "docs/s" in lines[0] and "MB/s" in lines[0]


def test_kill_then_resume_gives_every_input_once(reference: tuple[Path, list[str], Path], tmp_path: Path) -> None:
    corpus, ids, one = reference
    out = tmp_path / "killed"
    args = [sys.executable, "-m", "pipeline", "clean", str(corpus), "--out", str(out), "--shard-size", "10",
            "--workers", "1", "--no-timings"]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if len(list((out / "done").glob("*.json"))) >= 3:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the run finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=60)
    committed = len(list((out / "done").glob("*.json")))
    assert 3 <= committed < 13, committed
    assert not (out / "stats.json").exists()

    result = cli("clean", str(corpus), "--out", str(out), "--shard-size", "10", "--workers", "2", "--resume",
                 "--no-timings")
    assert result.returncode == 0, result.stderr
    assert not list(out.rglob("*.tmp"))
    records = [json.loads(line)["id"] for line in _parts(out / "corpus").splitlines()]
    rejects = [json.loads(line)["id"] for line in _parts(out / "rejects").splitlines()]
    assert sorted(records + rejects) == sorted(ids)  # exactly once each
    assert _parts(out / "corpus") == (one / "corpus.jsonl").read_bytes()
    assert json.loads((out / "stats.json").read_text())["inputs"] == len(ids)


def test_resume_refuses_other_inputs(reference: tuple[Path, list[str], Path], tmp_path: Path) -> None:
    corpus, _, _ = reference
    out = tmp_path / "o"
    assert cli("clean", str(ROOT / "seeds"), "--out", str(out), "--shard-size", "2").returncode == 0
    result = cli("clean", str(corpus), "--out", str(out), "--shard-size", "2", "--resume")
    assert result.returncode != 0 and "describes another run" in result.stderr
    assert len(list((out / "done").glob("*.json"))) == 3  # the earlier shards are untouched


def test_ray_writes_the_same_records_as_local(tmp_path: Path) -> None:
    pytest.importorskip("ray", reason="Ray is installed by `make test` (requirements-ray.txt)")
    src = tmp_path / "in"
    (src / "pages").mkdir(parents=True)
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        (src / "pages" / seed.name).write_bytes(seed.read_bytes())
    (src / "pages" / "empty.txt").write_bytes(b"")
    with open(src / "news.jsonl", "wb") as fh:
        for doc in documents(12, seed=3):
            fh.write(orjson.dumps(doc) + b"\n")
        fh.write(b"[1, 2]\n")
    local = cli("clean", str(src), "--out", str(tmp_path / "local"), "--no-timings")
    assert local.returncode == 0, local.stderr
    ray = cli("clean", str(src), "--out", str(tmp_path / "ray"), "--executor", "ray", "--files-per-task", "3",
              "--no-timings")
    assert ray.returncode == 0, ray.stderr
    assert sorted(p.name for p in (tmp_path / "ray" / "corpus").iterdir()) == [f"part-0000{i}.jsonl" for i in range(3)]
    ray_records = _parts(tmp_path / "ray" / "corpus").splitlines()
    local_records = (tmp_path / "local" / "corpus.jsonl").read_bytes().splitlines()
    assert len(local_records) == 17 and set(ray_records) == set(local_records)
    assert _parts(tmp_path / "ray" / "rejects") == (tmp_path / "local" / "rejects.jsonl").read_bytes()
    assert json.loads((tmp_path / "ray" / "stats.json").read_text()) == json.loads(
        (tmp_path / "local" / "stats.json").read_text()
    )

    # --resume on Ray: a shard lost (its done file gone, as after a crash) is redone, the others kept.
    kept = (tmp_path / "ray" / "corpus" / "part-00000.jsonl").stat().st_mtime_ns
    (tmp_path / "ray" / "done" / "part-00001.json").unlink()
    (tmp_path / "ray" / "corpus" / "part-00001.jsonl").write_bytes(b"half a line")
    again = cli("clean", str(src), "--out", str(tmp_path / "ray"), "--executor", "ray", "--files-per-task", "3",
                "--no-timings", "--resume")
    assert again.returncode == 0, again.stderr
    assert "17 records out, 2 rejects" in again.stdout
    assert (tmp_path / "ray" / "corpus" / "part-00000.jsonl").stat().st_mtime_ns == kept
    assert _parts(tmp_path / "ray" / "corpus").splitlines() == ray_records


def test_validate_reads_compressed_shards(reference: tuple[Path, list[str], Path], tmp_path: Path) -> None:
    corpus, _, _ = reference
    out = tmp_path / "o"
    assert cli("clean", str(corpus), "--out", str(out), "--shard-size", "100", "--compression", "gzip").returncode == 0
    ok = cli("validate", str(out / "corpus" / "part-00001.jsonl.gz"))
    assert ok.returncode == 0 and "20 records valid" in ok.stdout, ok.stdout + ok.stderr
    rejects = cli("validate", str(out / "rejects" / "part-00001.jsonl.gz"))
    assert rejects.returncode == 0 and "3 rejects valid" in rejects.stdout, rejects.stdout + rejects.stderr
    broken = tmp_path / "corpus.jsonl.gz"
    broken.write_bytes(gzip.compress(b'{"id": "x", "text": "t"}\n'))
    bad = cli("validate", str(broken))
    assert bad.returncode == 1 and ":1: " in bad.stderr


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    """With stderr on a terminal, tqdm draws a bar with docs/s; the final line follows."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a 100-column terminal
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "clean", str(ROOT / "seeds"), "--out", str(tmp_path / "o")],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=slave,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=300) == 0
    os.close(master)
    err = b"".join(chunks).decode("utf-8", "replace")
    assert "\r5doc[" in err.replace(" ", ""), err  # the bar, redrawn in place, up to 5 documents
    assert "doc/s" in err and "newsclean: " in err


def test_bench_corpus_tally_counts_glued_french_without_changing_pages() -> None:
    """`make bench` prints how much of its corpus is wrap-glued French (where glue works hardest);
    counting it must not move the generator (same pages), and it is a part of the corpus: about
    30 % of the body paragraphs of the French pages (3 templates of 5), so a few percent to 20 %."""
    tally: dict[str, int] = {}
    counted = list(documents(50, seed=2, tally=tally))
    assert counted == list(documents(50, seed=2))
    total = sum(len(d["text"].encode("utf-8")) for d in counted)
    assert 0.02 * total < tally["glued_bytes"] < 0.2 * total
    none: dict[str, int] = {}
    list(documents(0, tally=none))
    assert none == {}


def test_bench_corpus_counts_the_glue_of_the_source() -> None:
    """make_corpus's tally of glued French must cover the seeds glued at the source.

    Seed 001's body paragraphs are themselves glued (`Leministre`), so a corpus drawn from them
    holds glued French beyond what the generator adds; the printed share of glued bytes (the
    figure the README's per-core arithmetic rests on) must count them. The glue stage decides
    which seeds those are: it splits every body paragraph of the SOURCE_GLUED seeds and none of
    the other French seeds.
    """
    from bench.make_corpus import LANG, SOURCE_GLUED, _load
    from pipeline.glue import GlueContext, repair

    for name, lines, body in _load():
        if LANG[name] != "fr":
            continue
        splits = [len(repair(p, "fr", GlueContext.from_texts([p], "fr"))[1])
                  for p in (lines[i].replace("  ", " ") for i in body)]
        assert body, name
        if name in SOURCE_GLUED:
            assert min(splits) >= 3, (name, splits)
        else:
            assert max(splits) == 0, (name, splits)
    tally: dict[str, int] = {}
    pages = list(documents(50, seed=2, tally=tally))
    french = sum(len(d["text"].encode()) for d in pages if LANG[d["id"][-3:]] == "fr")
    assert 0 < tally["glued_bytes"] < french
    assert 0 < tally["source_glued_bytes"] < french
