"""The stages, in pipeline order. One name per stage: its module, its config key, its ``edits``
and ``stats`` key, and its test-case file ``tests/cases/<name>.toml``.

Order, and why:
``decode`` (bytes to text) → ``unicode`` (mojibake, NFC) → ``whitespace`` → ``structure`` (the page
becomes fields) → ``language`` (glue repair is language-specific, so it must be known first; lingua
reads glued text fine) → ``glue`` → ``dates`` → ``record`` (assemble and validate).
"""

from __future__ import annotations

from collections.abc import Callable

from ..config import Config
from ..document import Document
from . import dates, decode, glue, language, record, structure, unicode, whitespace

StageFn = Callable[[Document, Config], Document]

STAGES: tuple[tuple[str, StageFn], ...] = tuple(
    (module.NAME, module.run) for module in (decode, unicode, whitespace, structure, language, glue, dates, record)
)
NAMES: tuple[str, ...] = tuple(name for name, _ in STAGES)


def get(name: str) -> StageFn:
    for stage_name, fn in STAGES:
        if stage_name == name:
            return fn
    raise KeyError(f"unknown stage {name!r}; stages are: {', '.join(NAMES)}")
