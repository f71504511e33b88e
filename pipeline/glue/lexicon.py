"""Word frequency tables for the glue stage, loaded lazily once per process.

Why not `wordfreq.zipf_frequency`: it re-tokenizes its argument on every call, which costs
more than the whole repair. The stage looks words up in a plain dict instead:
`zipf("ministre", "fr")` -> 5.27, an unknown word -> None.
"""

from __future__ import annotations

import functools
import math


@functools.cache
def table(lang: str) -> dict[str, float]:
    """Map each lowercase word of wordfreq's list for `lang` to its Zipf frequency (read-only)."""
    import wordfreq  # imported lazily: worker processes that never see fr/en text skip the cost

    freqs: dict[str, float] = wordfreq.get_frequency_dict(lang)
    return {word: math.log10(f) + 9.0 for word, f in freqs.items()}


@functools.cache
def common_words(lang: str, min_zipf: float) -> frozenset[str]:
    """The words at or above `min_zipf`: the per-paragraph gate treats them as surely spaced."""
    return frozenset(w for w, z in table(lang).items() if z >= min_zipf)


@functools.cache
def prefixes(lang: str) -> frozenset[str]:
    """First four letters of the words wordfreq knows (Zipf >= 1.5): how words may start."""
    return frozenset(w[:4] for w, z in table(lang).items() if z >= 1.5)


@functools.cache
def suffixes(lang: str) -> frozenset[str]:
    """Last three letters of the words wordfreq knows (Zipf >= 2): how words may end."""
    return frozenset(w[-3:] for w, z in table(lang).items() if z >= 2.0)
