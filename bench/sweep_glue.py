"""Sweep the glue engine's weights over the French tuning samples: errors per configuration.

Why: the weights of `GlueConfig` were first set one at a time, each on the text of its round;
with five tuning samples (dev and GSD's train samples) the samples together can choose them
(bench/GLUE.md, "French weights tuned on five samples at once"). This runs the benchmark's
French scenarios with a configuration changed from the default and prints, per configuration,
the false splits and missed glues pooled over the simulator's seven draws, in total and per
sample, so that a change is judged on every sample at once.

    python -m bench.sweep_glue '{}' '{"soft_penalty": 1.5}' '{"name_piece": {"fr": 2.5}}'
    {}                              fr-wrap 311/438 (dev 25/60 train 82/113 ...) fr-rough ...

Each argument is a JSON object of `GlueConfig` fields: a number replaces a number field; an
object is merged into a per-language field (`{"fr": 2.5}` leaves English's value). Only the
tuning samples are offered: test and the held-out samples are measured by `bench_glue`, not
tuned on. The source engine is used unless the compiled one is built (as everywhere).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from multiprocessing import Pool
from typing import Any

from bench.bench_glue import DRAWS, counts
from pipeline.glue.core import DEFAULT_CONFIG, GlueConfig

TUNING = ("dev", "train", "train2", "train3")  # the French samples tuned on (bench/data/README.md)
SCENARIOS = ("fr-wrap", "fr-rough", "fr-clean")


def overridden(changes: dict[str, Any], base: GlueConfig = DEFAULT_CONFIG) -> GlueConfig:
    """`base` with `changes`: `{"soft_penalty": 1.0}` replaces a number; `{"name_piece": {"fr":
    2.0}}` merges into a per-language dict; a list gives a tuple field. An unknown field, a kind
    or type mismatch is an error (ValueError)."""
    fields = {f.name for f in dataclasses.fields(base)}
    kw: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in fields:
            raise ValueError(f"GlueConfig has no field {name!r}")
        current = getattr(base, name)
        if isinstance(current, dict) != isinstance(value, dict):
            raise ValueError(f"{name}: {current!r} is {'per language' if isinstance(current, dict) else 'one value'}"
                             f", got {value!r}")
        if isinstance(current, (int, float)) and not isinstance(current, bool) and (
                isinstance(value, bool) or not isinstance(value, (int, float))):
            raise ValueError(f"{name}: a number, got {value!r}")
        if isinstance(current, tuple) and isinstance(value, list):
            value = tuple(value)  # (JSON has lists: `{"wrap_languages": []}`)
        kw[name] = {**current, **value} if isinstance(current, dict) else value
    try:
        return dataclasses.replace(base, **kw)
    except TypeError as exc:  # a value of the wrong type (the compiled class checks them)
        raise ValueError(f"{changes}: {exc}") from exc


def _unit(job: tuple[str, str, str, int]) -> tuple[str, str, int, int]:
    """(scenario, sample, false splits, missed glues) of one draw under one configuration."""
    changes, name, split, seed = job
    _, fp, fn = counts(name, split, seed, _config(changes))
    return name, split, fp, fn


_CONFIGS: dict[str, GlueConfig] = {}


def _config(changes: str) -> GlueConfig:
    """One configuration object per worker and JSON text: the engine's memos are keyed by it."""
    found = _CONFIGS.get(changes)
    if found is None:
        found = _CONFIGS[changes] = overridden(json.loads(changes))
    return found


def sweep(configs: list[str], splits: tuple[str, ...] = TUNING, jobs: int = 2) -> list[str]:
    """One line per configuration (JSON text): false / missed per scenario, total and per sample."""
    lines = []
    with Pool(jobs) as pool:
        for changes in configs:
            overridden(json.loads(changes))  # (fail here, not in a worker)
            work = [(changes, name, split, seed) for name in SCENARIOS for split in splits
                    for seed in ((2024,) if name == "fr-clean" else DRAWS)]
            found: dict[tuple[str, str], list[int]] = {}
            for name, split, fp, fn in pool.map(_unit, work, chunksize=1):
                cell = found.setdefault((name, split), [0, 0])
                cell[0] += fp
                cell[1] += fn
            parts = [changes]
            for name in SCENARIOS:
                total = [sum(found[(name, s)][k] for s in splits) for k in (0, 1)]
                each = " ".join(f"{s} {found[(name, s)][0]}/{found[(name, s)][1]}" for s in splits)
                parts.append(f"{name} {total[0]}/{total[1]} ({each})" if name != "fr-clean"
                             else f"{name} {total[0]} ({each.replace('/0', '')})")
            lines.append("  ".join(parts))
            print(lines[-1], flush=True)
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("configs", nargs="+", help='JSON objects of GlueConfig changes, e.g. \'{"soft_penalty": 1.5}\'')
    ap.add_argument("--splits", nargs="*", choices=TUNING, default=list(TUNING), help="tuning samples to run")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes")
    args = ap.parse_args()
    try:
        for changes in args.configs:
            overridden(json.loads(changes))
    except (ValueError, json.JSONDecodeError) as exc:
        sys.exit(f"sweep_glue: {exc}")
    sweep(args.configs, tuple(args.splits), args.jobs)


if __name__ == "__main__":
    main()
