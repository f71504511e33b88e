"""Memory stays flat in a long run: cleaning the same pages again keeps nothing more.

Issue #4's bar (peak RSS at 5x the corpus within 10 % of 1x) is measured by `make bench`; this
test catches, in seconds, the kind of fault that breaks it: memory kept per page or per call
(a C buffer never freed, an unbounded memo). After two warm passes (every memo and cache has
met these pages), three more passes over the same pages must leave the traced memory where it
was, give or take a little (tracemalloc traces Python's allocators, `PyMem_Malloc` included,
which the glue kernel allocates with; the pipeline's caches are bounded or keyed by text).
"""

from __future__ import annotations

import gc
import hashlib
import tracemalloc

from bench.make_corpus import documents
from pipeline.config import Config
from pipeline.document import Document, Source
from pipeline.io import read_inputs
from pipeline.runner import clean_batch

from .conftest import ROOT


def test_cleaning_the_same_pages_again_keeps_no_memory() -> None:
    cfg = Config()
    docs = [item for item in read_inputs([str(ROOT / "seeds")], max_bytes=cfg.decode.max_bytes)
            if isinstance(item, Document)]
    for d in documents(40, seed=3):
        data = d["text"].encode()
        docs.append(Document(id=d["id"], source=Source(d["id"], len(data), hashlib.sha256(data).hexdigest()),
                             text=d["text"]))
    for _ in range(2):
        outcomes = clean_batch(docs, cfg)
    assert sum(o.record is not None for o in outcomes) > 35
    del outcomes
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(3):
            clean_batch(docs, cfg)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # (a kept buffer of 500 bytes per glue call would be about 3 x 1,100 x 500 = 1.6 MB here)
    assert grown < 100_000, f"{grown:,} bytes kept after three passes over {len(docs)} pages"
