"""Glue quality across simulator seeds: precision, recall, false and missed splits, no timing.

Run from the repository root: `python -m bench.glue_seeds [--split dev] [--seeds 2024,1,2,3]
[--only fr-wrap fr-rough fr-clean en-clean]`. One line per scenario, one column per seed:

    fr-wrap   2024: 0.9973/0.9977 (7/6)  1: 0.9943/0.9931 (15/18)  ...

(precision/recall (false splits/missed glues)), then `pooled:` the same over every seed's glues
counted together; a clean scenario prints its false splits, for one seed only (the clean
originals do not depend on it). A change to the glue stage is judged on
every seed: `bench.bench_glue` draws its glues with seed 2024 only, which tuning can over-fit.
"""

from __future__ import annotations

import argparse

from bench.bench_glue import counts

__all__ = ["counts"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=["dev", "test"], default="dev")
    ap.add_argument("--seeds", default="2024,1,2,3")
    ap.add_argument("--only", nargs="*", default=["fr-wrap", "fr-rough", "fr-clean", "en-clean"])
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    for name in args.only:
        cells = []
        total = [0, 0, 0]
        for seed in seeds[:1] if name.endswith("clean") else seeds:
            tp, fp, fn = counts(name, args.split, seed)
            total = [total[0] + tp, total[1] + fp, total[2] + fn]
            if name.endswith("clean"):
                cells.append(f"false splits {fp}")
            else:
                cells.append(f"{seed}: {_pr(tp, fp, fn)}")
        if len(seeds) > 1 and not name.endswith("clean"):
            cells.append(f"pooled: {_pr(*total)}")  # every draw's glues counted together
        print(f"{name:9} " + "  ".join(cells), flush=True)


def _pr(tp: int, fp: int, fn: int) -> str:
    """`precision/recall (false splits/missed glues)`."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return f"{p:.4f}/{r:.4f} ({fp}/{fn})"


if __name__ == "__main__":
    main()
