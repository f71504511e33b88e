"""Types of the compiled kernel `_wrapc.pyx` (Cython): mypy does not read `.pyx` files, and
`wrap.py` reaches the module through `native.kernel()` (a `ModuleType`), so this stub is
documentation and a check for code that imports the module by name."""

from collections.abc import Sequence
from typing import Any

def solve(n: int, tokens: Sequence[tuple[int, int]] | Sequence[int], cands: Sequence[Any], pens_b: bytes,
          lows: list[int], cfg: Any, words: Sequence[str] | None = None) -> tuple[float, list[int]] | None: ...
def top_widths_of(pw: list[float], m: int) -> list[int] | None: ...

SIMD: bool

def set_simd(on: bool) -> bool: ...

class Spelling:
    model: Any
    def __init__(self, model: Any) -> None: ...
    def logp(self, word: str) -> float: ...
    def run_logps(self, low: str) -> tuple[list[float], list[float]]: ...
