"""Write `repair()`'s output for every benchmark paragraph, to check that a speed change is exact.

Run from the repository root: `python -m bench.glue_dump OUT`, once before and once after a
change (and once more with `NEWSCLEAN_GLUE=source`), then `cmp` the two files: the speed rounds of
`bench/GLUE.md` are "exact" because these dumps were byte-identical.

One line per paragraph of the five scenarios of `bench.bench_glue`, dev and test, simulator seeds
2024 and 1, without and with the paragraph's own document context (11,328 repairs):

    fr-wrap dev 2024 False<TAB>Le ministre a déclaré ...<TAB>[Split(offset=2, left='Le', ...), ...]
"""

from __future__ import annotations

import sys

from bench.bench_glue import SCENARIOS, _items
from pipeline.glue import ENGINE, GlueContext, repair


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python -m bench.glue_dump OUT")
    with open(sys.argv[1], "w", encoding="utf-8") as fh:
        for name, (_, lang, _) in SCENARIOS.items():
            for split in ("dev", "test"):
                for seed in (2024, 1):
                    for g in _items(name, split, seed):
                        for ctx in (None, GlueContext.from_texts([g.text], lang)):
                            text, splits = repair(g.text, lang, ctx)
                            fh.write(f"{name} {split} {seed} {ctx is not None}\t{text}\t{splits!r}\n")
    print("glue engine:", ENGINE)


if __name__ == "__main__":
    main()
