"""``round(x, places)`` for a float, bit for bit, without its decimal string where the answer is
plain: the glue engine rounds each split's score to 3 places and the ``record`` stage each edit's
score to 4, thousands of times a page, and Python's ``round`` costs about 3,300 instructions a call.

Why it is exact: Python rounds ``x`` to a string of ``places`` decimals (``_Py_dg_dtoa``, half to
even on the exact binary value) and reads it back (``_Py_dg_strtod``). Here ``p = x * 10**places``
is within ``|p| * 2**-53`` of the exact product (one rounding), so when ``p``'s fraction ``d`` is
farther than that from one half, the exact product rounds to the same integer ``r`` as ``p``
(``floor(p)``, or one more when ``d > 0.5``); ``r / 10**places`` is then the double nearest to the
decimal ``r`` e-``places`` (IEEE division rounds correctly; ``r`` and the power of ten are exact),
which is what the string reads back as; a zero keeps the sign of ``x`` (``round(-0.0001, 3)`` is
``-0.0``). Near a half (ties such as ``0.0625 * 1000 = 62.5``, where the even neighbour wins),
outside +-1e12 after scaling, for infinities and NaNs, and for ``places`` outside 0-6, ``round``
itself answers.

    before: round(2.71828, 3)         -> 2.718 (a decimal string made and read back)
    after:  round_places(2.71828, 3)  -> 2.718 (2718 / 1000.0)
"""

from __future__ import annotations

import math


def round_places(x: float, places: int) -> float:
    """``round(x, places)`` for a float ``x``, bit for bit (see the module's docstring)."""
    if 0 <= places <= 6:
        # 10 ** places, an exact double (a literal: the glue engine's compiled group calls this
        # module's, and a module-level ``Final`` of another group is not set for it)
        scale = (1.0, 10.0, 100.0, 1000.0, 10000.0, 100000.0, 1000000.0)[places]
        p = x * scale
        if -1e12 < p < 1e12:  # (finite, and ``floor(p)``, ``p - f`` exact: |p| far below 2**52)
            f = float(math.floor(p))
            d = p - f
            tol = abs(p) * 4.5e-16 + 1e-300  # (twice the product's rounding error at most)
            if d > 0.5 + tol or d < 0.5 - tol:
                r = f + 1.0 if d > 0.5 else f
                return r / scale if r != 0.0 else math.copysign(0.0, x)
    return round(x, places)
