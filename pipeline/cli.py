"""Command line: ``python -m pipeline clean|validate|stage|report|explain``.

python -m pipeline clean seeds/ --out out/        # records, rejects, stats
python -m pipeline validate out/corpus.jsonl      # exit 1 at the first invalid record
echo "Leministre a dit quele ..." | python -m pipeline stage glue --lang fr
python -m pipeline report out/                    # out/report.html: what the cleaner did, page by page
python -m pipeline explain out/ 001_7425207f4bc29cf3   # the same for one document, in the terminal
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from . import ENGINE, glue
from . import stages as stage_registry
from .config import Config
from .document import Document, Reject, Source
from .executors.local import default_workers, run
from .io import open_jsonl
from .schema import problems

LINE_STAGES = ("unicode", "whitespace", "glue", "dates", "language")


def _positive_seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"{value!r}: the time budget must be more than 0 seconds")
    return seconds


def _config(args: argparse.Namespace) -> Config:
    cfg = Config()
    decode: dict[str, int] = {}
    if args.max_bytes is not None:
        decode["max_bytes"] = args.max_bytes
    if args.max_line_chars is not None:
        decode["max_line_chars"] = args.max_line_chars
    if decode:
        cfg = cfg.override(decode=decode)
    if args.regex_timeout is not None:
        cfg = cfg.override(structure={"regex_timeout": args.regex_timeout})
    return cfg


def cmd_clean(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if args.executor == "ray":
        from .executors import ray_exec  # optional extra: pip install .[ray]

        stats = ray_exec.run(
            args.inputs,
            out,
            _config(args),
            timings=not args.no_timings,
            address=args.ray_address,
            files_per_task=args.files_per_task,
            compression=args.compression,
            resume=args.resume,
        )
    else:
        stats = run(
            args.inputs,
            out,
            _config(args),
            timings=not args.no_timings,
            workers=args.workers or default_workers(),
            shard_size=args.shard_size,
            compression=args.compression,
            resume=args.resume,
            progress=True,
        )
    print(stats.summary())
    print(f"newsclean: {stats.speed()} (glue engine: {glue.ENGINE}; stages: {ENGINE})", file=sys.stderr)
    if args.strict and stats.rejects:
        print(f"--strict: {stats.rejects} input(s) rejected; see {out / 'rejects.jsonl'}", file=sys.stderr)
        return 1
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    path = Path(args.file)
    is_rejects = path.name.startswith("rejects") or path.parent.name == "rejects"
    schema = args.schema or ("reject" if is_rejects else "record")
    count = 0
    with open_jsonl(path) as fh:  # plain, .gz or .zst (compressed shards)
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                print(f"{path}:{line_no}: empty line", file=sys.stderr)
                return 1
            try:
                obj = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                print(f"{path}:{line_no}: not JSON: {exc}", file=sys.stderr)
                return 1
            found = list(problems(obj, schema))
            if found:
                for problem in found:
                    print(f"{path}:{line_no}: {problem}", file=sys.stderr)
                return 1
            count += 1
    print(f"{path}: {count} {schema}s valid against schemas/{schema}.schema.json")
    return 0


def cmd_stage(args: argparse.Namespace) -> int:
    """One stage alone, one paragraph per stdin line, one result per stdout line."""
    if args.name not in LINE_STAGES:
        print(
            f"stage {args.name!r} works on whole pages, not lines; line stages: {', '.join(LINE_STAGES)}",
            file=sys.stderr,
        )
        return 2
    cfg = Config()
    fn = stage_registry.get(args.name)
    status = 0
    for line_no, raw in enumerate(sys.stdin.buffer, start=1):
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        source = Source("<stdin>", len(raw), hashlib.sha256(raw).hexdigest(), line=line_no)
        if args.name in ("unicode", "whitespace"):
            doc = Document(id=str(line_no), source=source, text=line, lang=args.lang)
        else:
            doc = Document(id=str(line_no), source=source, lang=args.lang, paragraphs=(line,), structured=True)
        try:
            result = fn(doc, cfg)
        except Reject as exc:
            print(f"<stdin>:{line_no}: {exc}", file=sys.stderr)
            sys.stdout.write(line + "\n")
            status = 1
            continue
        if args.name == "language":
            out = result.lang or ""
        elif result.structured:
            out = result.paragraphs[0] if result.paragraphs else ""
        else:
            out = result.text
        sys.stdout.write(out + "\n")
        if args.explain:
            for edit in result.edits:
                print(
                    f"{line_no}\t{edit.kind}\t{edit.before!r} -> {edit.after!r}"
                    + (f"\tscore={edit.score:.3f}" if edit.score is not None else ""),
                    file=sys.stderr,
                )
    return status


def cmd_report(args: argparse.Namespace) -> int:
    from .report import iter_views, read_stats, render_html

    out = Path(args.out_dir)
    if not (out / "corpus.jsonl").exists() and not (out / "rejects.jsonl").exists():
        print(f"{out}: no corpus.jsonl or rejects.jsonl; run `python -m pipeline clean ... --out {out}` first",
              file=sys.stderr)
        return 2
    counts = {"documents": 0, "missing": 0}

    def counted(views: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for view in views:
            counts["documents"] += 1
            counts["missing"] += view["raw"] is None
            yield view

    target = Path(args.html) if args.html else out / "report.html"
    page = render_html(counted(iter_views(out, Path(args.base) if args.base else None)), read_stats(out))
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(target)
    missing = counts["missing"]
    print(f"{target}: {counts['documents']} documents" + (f" ({missing} without raw input)" if missing else ""))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from .explain import render
    from .report import doc_view, read_jsonl, read_raw

    out = Path(args.out_dir)
    base = Path(args.base) if args.base else Path.cwd()
    for name, is_reject in (("corpus.jsonl", False), ("rejects.jsonl", True)):
        for item in read_jsonl(out / name):
            if item.get("id") == args.id:
                raw, note = read_raw(item.get("source") or {}, base)
                view = doc_view(item, raw, note, is_reject=is_reject)
                color = args.color == "always" or (
                    args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
                )
                sys.stdout.write(render(view, color=color, show_raw=args.raw))
                return 0
    print(f"{args.id!r}: no such id in {out / 'corpus.jsonl'} or {out / 'rejects.jsonl'}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("clean", help="clean inputs into DIR/corpus.jsonl, rejects.jsonl, stats.json")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="a .txt file, a directory, or .jsonl[.gz|.zst]")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--strict", action="store_true", help="exit 1 when any input is rejected")
    p.add_argument(
        "--no-timings",
        action="store_true",
        help="leave wall-clock seconds out of stats.json, so two runs give byte-identical output",
    )
    p.add_argument(
        "--regex-timeout",
        type=_positive_seconds,
        metavar="SECONDS",
        help="time budget per MiB of page for matching the sources.toml patterns; past it: reject 'timeout'"
        " (default 10)",
    )
    p.add_argument("--max-bytes", type=int, help="reject inputs larger than this (default 16 MiB)")
    p.add_argument("--max-line-chars", type=int, help="reject pages with a longer line (default 200000)")
    p.add_argument("--workers", type=int, help="local processes (default: all cores); same output whatever N")
    p.add_argument(
        "--shard-size",
        type=int,
        metavar="N",
        help="write DIR/corpus/part-NNNNN.jsonl shards of N inputs, each committed atomically (default with"
        " --resume or --compression: 10000)",
    )
    p.add_argument(
        "--compression",
        choices=("none", "gzip", "zstd"),
        default="none",
        help="compress the shards (.jsonl.gz / .jsonl.zst); implies the sharded layout",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="keep the shards an interrupted run committed, redo the rest (sharded layout; same inputs)",
    )
    p.add_argument("--executor", choices=("local", "ray"), default="local", help="local processes, or Ray Data")
    p.add_argument("--ray-address", help="address of an existing Ray cluster (default: start a local one)")
    p.add_argument(
        "--files-per-task", type=int, default=64, help="ray: input files per task (one JSONL file is one task)"
    )
    p.set_defaults(fn=cmd_clean)

    p = sub.add_parser("validate", help="check a JSONL file against the schema; exit 1 on the first bad line")
    p.add_argument("file", metavar="FILE.jsonl")
    p.add_argument("--schema", choices=("record", "reject"), help="default: from the file name")
    p.set_defaults(fn=cmd_validate)

    p = sub.add_parser("stage", help="run one stage on stdin, one paragraph per line")
    p.add_argument("name", choices=stage_registry.NAMES)
    p.add_argument("--lang", default="fr", help="ISO 639-1 code of the text (default fr)")
    p.add_argument("--explain", action="store_true", help="print each edit to stderr")
    p.set_defaults(fn=cmd_stage)

    p = sub.add_parser("report", help="write DIR/report.html: what the cleaner did to each page")
    p.add_argument("out_dir", metavar="DIR", help="the --out directory of a clean run")
    p.add_argument("--html", metavar="FILE", help="where to write the page (default DIR/report.html)")
    p.add_argument("--base", metavar="DIR", help="directory the clean run's input paths are relative to (default: cwd)")
    p.set_defaults(fn=cmd_report)

    p = sub.add_parser("explain", help="what the cleaner did to one document, in the terminal")
    p.add_argument("out_dir", metavar="DIR", help="the --out directory of a clean run")
    p.add_argument("id", metavar="ID")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="ANSI colour: auto = only on a terminal and when NO_COLOR is unset")
    p.add_argument("--raw", action="store_true", help="also print the raw page with the same marks")
    p.add_argument("--base", metavar="DIR", help="directory the clean run's input paths are relative to (default: cwd)")
    p.set_defaults(fn=cmd_explain)

    args = parser.parse_args(argv)
    if args.command == "clean" and not _writable_out(Path(args.out)):
        return 2
    return int(args.fn(args))


def _writable_out(out: Path) -> bool:
    """Create ``--out``, or say why it cannot be written (before any input is read)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        if not os.access(out, os.W_OK | os.X_OK):
            raise PermissionError(13, "Permission denied", str(out))
    except OSError as exc:
        print(
            f"newsclean: cannot write the output to --out {out}: {exc.strerror or exc} ({exc.filename or out});"
            " choose a writable directory",
            file=sys.stderr,
        )
        return False
    return True
