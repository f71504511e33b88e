"""Types of the compiled kernel `_wrapc.pyx` (Cython): mypy does not read `.pyx` files, and
`wrap.py` reaches the module through `native.kernel()` (a `ModuleType`), so this stub is
documentation and a check for code that imports the module by name."""

from typing import Any

def solve(n: int, size: int, lex_d: dict[int, float], which_d: dict[int, int], short_b: bytes,
          starts: list[tuple[int, float]], pens_b: bytes, lows: list[int],
          last_start: int, cfg: Any) -> tuple[float, list[int]] | None: ...
