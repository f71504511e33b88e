"""The command line as a user runs it: inputs, rejects, --strict, validate, stage."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import zstandard

from .conftest import ROOT, cli, read_jsonl

SEED_001 = (ROOT / "seeds" / "001_7425207f4bc29cf3.txt").read_text(encoding="utf-8")


def _jsonl_lines() -> list[bytes]:
    return [
        json.dumps({"id": "a", "text": SEED_001, "url": "https://example.invalid/a"}).encode(),
        b"{broken json",
        json.dumps({"id": 7, "text": "x"}).encode(),
        json.dumps({"id": "no-text"}).encode(),
        json.dumps({"id": "a", "text": "Duplicate id, a second time."}).encode(),
        json.dumps({"id": "../../etc/x", "text": "Un paragraphe correct, sans défaut."}).encode(),
    ]


def _check_jsonl_run(out: Path) -> None:
    records = read_jsonl(out / "corpus.jsonl")
    rejects = read_jsonl(out / "rejects.jsonl")
    assert [r["id"] for r in records] == ["a", "../../etc/x"]
    assert [(r["reason"], r["source"]["line"]) for r in rejects] == [
        ("invalid_json", 2), ("bad_id", 3), ("missing_text", 4), ("duplicate_id", 5)]
    assert records[0]["source"]["line"] == 1 and "Le ministre et président" in records[0]["text"]
    assert sorted(p.name for p in out.iterdir()) == ["corpus.jsonl", "rejects.jsonl", "stats.json"]
    stats = json.loads((out / "stats.json").read_text())
    assert stats["inputs"] == 6 == stats["records"] + stats["rejects"]


def test_jsonl_plain_gz_zst(tmp_path: Path) -> None:
    data = b"\n".join(_jsonl_lines()) + b"\n"
    (tmp_path / "in.jsonl").write_bytes(data)
    (tmp_path / "in.jsonl.gz").write_bytes(gzip.compress(data))
    (tmp_path / "in.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(data))
    for name in ("in.jsonl", "in.jsonl.gz", "in.jsonl.zst"):
        out = tmp_path / f"out-{name}"
        result = cli("clean", str(tmp_path / name), "--out", str(out))
        assert result.returncode == 0, result.stderr
        _check_jsonl_run(out)


def test_strict_exits_non_zero_on_reject(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "ok.txt").write_text("Titre\n\nUn paragraphe correct.\n", encoding="utf-8")
    assert cli("clean", str(src), "--out", str(tmp_path / "o1")).returncode == 0
    strict = cli("clean", str(src), "--out", str(tmp_path / "o2"), "--strict")
    assert strict.returncode == 1 and "rejected" in strict.stderr
    rejects = read_jsonl(tmp_path / "o2" / "rejects.jsonl")
    assert [(r["id"], r["stage"], r["reason"]) for r in rejects] == [("empty", "decode", "empty")]
    assert "1 rejects" in strict.stdout


def test_validate_names_line_and_field(seeds_out: Path, tmp_path: Path) -> None:
    lines = (seeds_out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    bad = json.loads(lines[2])
    bad["captions"][0]["lang"] = "french"
    broken = tmp_path / "corpus.jsonl"
    broken.write_text("\n".join([lines[0], lines[1], json.dumps(bad, ensure_ascii=False), lines[3]]) + "\n")
    result = cli("validate", str(broken))
    assert result.returncode == 1
    assert f"{broken}:3: captions[0].lang:" in result.stderr
    ok = cli("validate", str(seeds_out / "rejects.jsonl"))
    assert ok.returncode == 0 and "0 rejects valid" in ok.stdout


def test_validate_rejects_file(tmp_path: Path) -> None:
    path = tmp_path / "rejects.jsonl"
    path.write_text(json.dumps({"id": "x", "source": {"path": "x"}, "stage": "decode", "reason": "Bad Reason",
                                "detail": ""}) + "\n")
    result = cli("validate", str(path))
    assert result.returncode == 1 and ":1: reason:" in result.stderr


def test_stage_glue_line_by_line() -> None:
    lines = ["Leministre a déclaré quele projet avance.", "Le taux est de 9,8 % à Hanoï.", ""]
    result = cli("stage", "glue", "--lang", "fr", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout.split("\n")
    assert out[:3] == ["Le ministre a déclaré que le projet avance.", "Le taux est de 9,8 % à Hanoï.", ""]


def test_stage_whitespace_and_language() -> None:
    result = cli("stage", "whitespace", stdin="a\u00a0 b\n")
    assert result.stdout == "a b\n"
    result = cli("stage", "language", stdin="Scene at Nghe An bridge.\n研讨会场景。\n")
    assert result.stdout == "en\nzh\n"


def test_stage_refuses_page_stages() -> None:
    result = cli("stage", "structure", stdin="x\n")
    assert result.returncode == 2 and "whole pages" in result.stderr


def test_unknown_input_is_a_reject_not_a_crash(tmp_path: Path) -> None:
    result = cli("clean", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o"))
    assert result.returncode == 0
    assert read_jsonl(tmp_path / "o" / "rejects.jsonl")[0]["reason"] == "missing"


def test_output_inside_input_is_not_read_back(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text("Titre\n\nUn paragraphe correct.\n", encoding="utf-8")
    for _ in range(2):  # the second run must not read the first run's corpus.jsonl
        assert cli("clean", str(tmp_path), "--out", str(tmp_path / "out")).returncode == 0
    assert [r["id"] for r in read_jsonl(tmp_path / "out" / "corpus.jsonl")] == ["page"]
    assert read_jsonl(tmp_path / "out" / "rejects.jsonl") == []
