"""``make fuzz``: every fuzz target for ``FUZZ_SECONDS`` in all, with fresh random seeds.

    python -m tests.fuzz --seconds 300            # all targets, time shared out
    python -m tests.fuzz --seconds 60 structure   # one target

A failing input is printed by Hypothesis (with ``@reproduce_failure``) and kept in
``.hypothesis/`` so the next run tries it first; turn it into a regression case in
``tests/cases/<stage>.toml`` or ``tests/hostile/make_cases.py`` before fixing it.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from hypothesis import HealthCheck, given, settings

from .fuzz_targets import KNOWN_FAILING, TARGETS


def fuzz(name: str, seconds: float) -> int:
    strategy, fn = {**TARGETS, **KNOWN_FAILING}[name]

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(strategy)
    def run(value: Any) -> None:
        fn(value)

    rounds = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        run()  # raises on the first failing input, after shrinking it
        rounds += 1
    return rounds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fuzz", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=300.0, help="total time for all targets (default 300)")
    parser.add_argument(
        "targets",
        nargs="*",
        help=f"default: all of {', '.join(sorted(TARGETS))}; known failures: {', '.join(KNOWN_FAILING)}",
    )
    args = parser.parse_args(argv)
    names = args.targets or sorted(TARGETS)
    unknown = [n for n in names if n not in TARGETS and n not in KNOWN_FAILING]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}; targets: {', '.join(sorted(TARGETS))}")
    share = args.seconds / len(names)
    for name in names:
        start = time.monotonic()
        rounds = fuzz(name, share)
        print(f"{name}: {rounds} x 200 inputs in {time.monotonic() - start:.0f}s, no failure", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
