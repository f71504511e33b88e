"""Glued-word repair: put back the spaces that line-wrap joins and inline-HTML joins removed.

Before: `Leministre et président du bureau ... a déclaré quele 9 janvier 2020, ... au Vietnamont signé`
After:  `Le ministre et président du bureau ... a déclaré que le 9 janvier 2020, ... au Vietnam ont signé`

How (per paragraph; bench/GLUE.md has the figures and the error analysis):
1. Gates. A paragraph in which upper bounds of the odd tokens' split scores show that no split
   can be made is returned as is (`_nothing_to_split`, most clean paragraphs); so is one whose
   letter runs are all common words and that has no punctuation or digit glued to a letter
   (one regex, one `frozenset.issuperset`). Then tokens that are not common words are
   counted: too few for a wrap chain, and only tokens that could be two known words or carry a
   punctuation or case cue are scored.
2. Candidates. Inside each whitespace token, every position where a space could have been
   lost is scored: `lex = s(left) + s(right) - 9 - s(token)`, a log10 likelihood ratio of "two
   words" over "one word" in Zipf units. Known words score their wordfreq Zipf; unknown ones
   `oov_zipf + log10 P(spelling)` under a character trigram model (`Gorse|réalise`, not
   `Gorseréali|se`); a piece holding a glue of its own scores its parts. Cues: case
   (`ofEmbassy`), a sentence end before a capital, quotes, document context (`Mai Tien` seen
   spaced elsewhere), grammar vetoes (`Il|sont`). Positions that would cut a URL, an e-mail, a
   number (`9,8`), an acronym, an elision (`l'|équipement`) or a hyphen compound are never
   candidates; some (`32|kg`, `M.|Sleimane`) only a wrap chain may take.
3. French wrap model (`pipeline/glue/wrap.py`). Hard-wrapped text lost one space after the
   first word and then one per line; greedy wrapping at width W puts each break inside the
   token that straddles `p + W`. A vectorised walk over every width ranks them, an exact
   dynamic program re-solves the best few, and the chain is accepted only when it beats "not
   wrapped" by a margin. This recovers glues whose pieces are weak on frequency alone
   (`Vietnam|ont`) and rejects strong-looking splits of rare words where no line could end.
4. Inline splits. Outside the chain, a candidate is split only with a margin (English HTML
   joins, stray French glues). In a paragraph whose chain was accepted, stray glues are likelier
   than on clean text: a French spaced mark (`président|«`), a function word (`un|troupeau`,
   `Cette|approche`) or two lowercase words whose glued form is no listed word
   (`plusieurs|centaines`) are split from a lower threshold. The comma rule (`e-gouvernement,l'ambassadeur`) is
   deterministic and leaves decimals and thousands (`9,8`, `15,000`) alone; a comma before a
   number is split only in a dateline (`Hanoï,17 mars`) or a chain.
5. Fixpoint: the repair is re-run on its own output until nothing changes, so it is idempotent.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

from mypy_extensions import mypyc_attr

from pipeline.glue import gatetable, native
from pipeline.glue import langdata as L
from pipeline.glue.lexicon import CharModel, char_model, common_words, prefixes, register_memo, suffixes, table
from pipeline.glue.wrap import best_chain_at, chain_bound_at, chain_bound_with
from pipeline.rounding import round_places


@dataclass(frozen=True)
class GlueConfig:
    """Thresholds and widths of the glue stage. Scores are in Zipf units (log10 of frequency).

    The defaults were tuned on the dev halves of ud-french-gsd and ud-english-ewt
    (see bench/GLUE.md); raise the thresholds for fewer, safer splits.
    """

    languages: tuple[str, ...] = ("fr", "en")  # others pass through untouched
    comma_languages: tuple[str, ...] = ("fr",)  # `mot,suite` -> `mot, suite` (EWT has `meat,chorizo`)
    wrap_languages: tuple[str, ...] = ("fr",)  # languages whose pages come hard-wrapped
    gate_zipf: float = 3.0  # a word at least this frequent is taken as correctly spaced by the gate
    # Zipf assumed for a token that wordfreq does not know (English glue has no wrap model to help)
    whole_unknown: dict[str, float] = field(default_factory=lambda: {"fr": 1.0, "en": -1.0})
    # ... plus this share of how far its own score falls below that (a long glue of two words)
    whole_unknown_slope: dict[str, float] = field(default_factory=lambda: {"en": 0.2, "fr": 0.2})
    # ... in these languages only for a token with no capital: French names, brands and file
    # names (`DirectSound`, `10.JPG`, `Deixe`) are unlikely spellings that are no glues, two
    # lowercase words glued (`troisièmeroman`, `servicespermettent`) are
    lowercase_slope_languages: tuple[str, ...] = ("fr",)
    # ... and this much more below this knee: a spelling that unlikely is mostly several words
    # glued (`TheformerIraqileader` -17, `Arabregions`), where rare real words and names stay
    # above it (`Zipdash` -3.5, `BARTrail` -4.7); a split must then beat a lower base
    whole_unknown_knee: dict[str, float] = field(default_factory=lambda: {"en": -7.0})
    whole_unknown_slope2: dict[str, float] = field(default_factory=lambda: {"en": 0.4})
    unknown_piece: float = 1.0  # ... for a lowercase split piece it does not know
    # Zipf of the unknown-word mass: an unknown piece scores this + log10 P(spelling) under a
    # character trigram model of the language (`Gorse` ~ 1.0, `Gorseréali` ~ -6); None: a
    # length heuristic instead
    oov_zipf: float | None = 7.5
    # ... for a capitalised piece it does not know (a possible name). French 2.0, tuned with the
    # five other values marked "stop 30" over the five French tuning samples (bench/GLUE.md):
    # names the spelling model dislikes were cut (`Tops|ya` for `Topsy|a`)
    name_piece: dict[str, float] = field(default_factory=lambda: {"fr": 2.0, "en": 1.5})
    acronym_piece: float = 2.5  # ... for an all-capital piece (`UFE`)
    abbrev_piece: float = 4.0  # ... for an initial or an abbreviation with its dot (`M.`, `St.`)
    # an unknown piece that itself opens with a common word (French 0.5, stop 30) ...
    inner_glue_penalty: dict[str, float] = field(default_factory=lambda: {"fr": 0.5, "en": 1.0})
    # ... or holds a known word at either end (`dímossuccède`; French 2.5, stop 30)
    embedded_word_penalty: dict[str, float] = field(default_factory=lambda: {"fr": 2.5, "en": 3.0})
    # ... opening it with at least this many letters: French words open with `est`, `par`,
    # `con`, `pre` too often (`estimatoire`) for three letters to mark a glue
    embedded_min: dict[str, int] = field(default_factory=lambda: {"fr": 4})
    unknown_length_penalty: float = 0.2  # per letter an unknown piece is longer than 8 ...
    unknown_short_penalty: float = 0.4  # ... or shorter than 6: real short words are all known
    known_whole_penalty: float = 2.0  # extra cost of splitting a token that is a known word
    # ... and this much for a lowercase word listed at Zipf `listed_zipf` or more but below
    # `gate_zipf` (`arien`, `ente`: `a|rien`, `en|te` are no glues; wordfreq also lists web
    # glues such as `laville` lower than real words of that rank, so the floor is not lower)
    listed_whole_penalty: dict[str, float] = field(default_factory=lambda: {"fr": 1.0})
    listed_zipf: float = 2.0
    number_piece: float = 5.0  # ... for a number piece (`2020`)
    punct_piece: float = 5.5  # ... for a lone French punctuation piece (`:`, `»`)
    punct_lex: float = 0.0  # score of splitting off a lone punctuation piece (`«|Tu`, `chose|:`)
    glued_piece: float = -6.0  # at most this for a piece holding a glue of its own (`arrières.Biblio`)
    nested_languages: tuple[str, ...] = ("en", "fr")  # an unknown piece may be two glued words
    # ... and that reading pays no penalty for holding a word at an end or a glue (it is one):
    # `party|laterthat` scores `later` + `that` less a glue, as `partylater|that` does
    nested_plain_languages: tuple[str, ...] = ("en",)
    nested_plain_extra: float = 0.5  # ... which then costs this more (the penalties cost 3.0 and more)
    # a piece with a capital inside may be two pieces glued at the case change (`the|HyattRegency`:
    # `HyattRegency` scores `Hyatt` + `Regency`, minus `nested_extra`); French has `EuroCity`
    camel_nested_languages: tuple[str, ...] = ("en",)
    # an acronym may be split from a capitalised word glued to it (`US|Marines`; see `_acronym_word`)
    acronym_word_languages: tuple[str, ...] = ("en",)
    # a web-address ending that is also a word (`.it`, `.me`, `.us`) counts only in lowercase
    # (`located.It's`: a sentence starts; French wrap glues were tuned with every case)
    cased_domain_languages: tuple[str, ...] = ("en",)
    # ... scored as both, minus this (French: a wrap line's first or last word holding a stray
    # glue, `se|soucierdes`, `Enraison`; dearer, as French pieces are rarely glued)
    nested_extra: dict[str, float] = field(default_factory=lambda: {"en": 0.5, "fr": 2.0})
    # ... which scores its two parts side by side, minus this (French 3.5, stop 30)
    glued_extra: dict[str, float] = field(default_factory=lambda: {"fr": 3.5, "en": 3.0})
    # a comma glued to a lowercase word is scored (never forced) after a capitalised word
    # (`Hamas,but`): the sources' own comma glues are between lowercase words (`website,but`),
    # the glues of inline HTML next to names
    comma_name_languages: tuple[str, ...] = ("en",)
    # a split after a comma, where the comma rule does not force it (English)
    comma_bonus: dict[str, float] = field(default_factory=dict)  # e.g. {"en": 2.0}: +3 % recall, -1 % precision
    sentence_bonus: float = 3.0  # the split follows a sentence end and precedes a capital
    quote_bonus: float = 1.5  # which side of a straight quote a split falls on (by the token)
    quote_parity_bonus: float = 2.0  # ... (by the paragraph: an even count before it opens)
    # a split only a wrap chain may make (numbers: `223|000`; 1.0 since stop 30, 2.0 before: a
    # chain's soft break is mostly right, `Tamines-Auvelais-|Velaine`, `20 6/2|cantons`)
    soft_penalty: float = 1.0
    # ... but between an acronym and a capitalised word (`HMS|Shannon`, `US|Open`) only this: the
    # other reading of the token, the capital cut off (`HMSS|hannon`, `USO|pen`), pays nothing
    acronym_soft_penalty: float = 0.5
    candidate_floor: float = -30.0  # candidates scoring below this are never considered
    chain_floor: float = -3.0  # the wrap chain compresses scores below this (see wrap.py)
    cheap_floor: float = -4.0  # a known word is cut by a chain only above this (`pour|tant`)
    inline_threshold: dict[str, float] = field(default_factory=lambda: {"fr": 1.0, "en": 1.0})
    # ... for a token that starts with a capital: rare names split into a word and debris
    # (`Bien|ne`, `Lui|se`) are the main false splits on clean text
    # (English 0.5 found 36 more dev glues, `Baath|officials`, but split brands in held-out text:
    # `Post|Script`, `Tide|lift`, `My|pyc`)
    inline_name_threshold: dict[str, float] = field(default_factory=lambda: {"fr": 3.0, "en": 1.0})
    comma_score: float = 4.0  # lexical score given to a comma-rule position
    # `ofEmbassy`: lowercase then capital inside an unknown token (French has `EuroCity`, and
    # its glues are line wraps, so the cue is weaker there)
    camel_bonus: dict[str, float] = field(default_factory=lambda: {"fr": 1.5, "en": 3.0})
    camel_piece_penalty: float = 3.0  # an unknown piece with a capital inside (`relioVidmar`)
    ctx_pair_bonus: float = 3.0  # the two pieces are seen side by side elsewhere in the document
    ctx_word_bonus: float = 1.0  # a rare piece is seen as a word elsewhere in the document
    ctx_whole_penalty: float = 2.0  # the glued form itself occurs twice or more in the document
    bad_bigram_penalty: float = 4.0  # the split would create a pair grammar rules out
    # two readings of one token that move an `s` across the break (`Voyageur|sans` /
    # `Voyageurs|ans`, `historien|sont` / `historiens|ont`): the one whose first word does not
    # agree in number with the determiner before the token costs this much (`du Voyageur`,
    # `les historiens`; langdata.NUMBER_DETERMINERS)
    agreement_penalty: dict[str, float] = field(default_factory=lambda: {"fr": 1.5})
    # a split whose left piece is a capitalised function word (`langdata.FUNCTION_WORDS`) before a
    # lowercase word, inside a sentence (`honorer Se|lu,`, `seigneur de Les|serre,`): French
    # capitalises `Se`, `Les` at a sentence's start only, so the token is a name (`Selu`)
    mid_capital_penalty: dict[str, float] = field(default_factory=lambda: {"fr": 2.0})
    # a split that leaves a word French elides (`langdata.ELIDING_WORDS`) whole before a vowel:
    # `Castie|la inspecté` (for `Castiel|a`), `le|avion`
    elision_penalty: dict[str, float] = field(default_factory=lambda: {"fr": 2.0})
    # a split whose right piece is a determiner that ends a sentence or the paragraph
    # (`langdata.NEVER_LAST`: `60510 Bres|les`, for the commune `Bresles`), a word that ends one
    # only after a few words (`langdata.LAST_ONLY_AFTER`: `passionner|a.`), or a determiner
    # before what no noun phrase opens with (`langdata.NEVER_BEFORE`: `tel|les que`)
    dangling_penalty: dict[str, float] = field(default_factory=lambda: {"fr": 2.0})
    # a split inside a word glued to a number, where the letters on both sides make a listed word
    # (`7000t|entes`, `115s|élections`, for `7000|tentes`, `115|sélections`; `core._grammar`)
    number_word_penalty: dict[str, float] = field(default_factory=lambda: {"fr": 3.0})
    # a number and its unit (`865|ha`, `300|km/h`, `langdata.UNITS`), a soft split: the place
    # of a line end inside `865ha`, rather than `865h|a` (an hour and a lone `a`)
    unit_bonus: float = 2.0
    # an elision before a one-letter word that wordfreq does not list (`n'a`, `j'y`, `qu'à`):
    # the letter's Zipf less this
    elided_single_penalty: float = 1.5
    date_bonus: float = 2.0  # the split separates a day and its month, or a month and its year (`27|mai`)
    # wrap model (pipeline/glue/wrap.py): widths tried, one per character
    min_width: int = 50
    max_width: int = 100
    window_before: int = 22  # a line may end this many characters before the width ...
    window_after: int = 7  # ... or this many after it (per-line jitter)
    min_line: int = 20  # no line is shorter than this
    line_bonus: float = 2.5  # reward per break the chain places
    first_word_bonus: float = 2.0  # reward for the glue after the first word of a paragraph
    no_first_penalty: float = 5.0  # the chain starts at offset 0 (no first-word glue)
    over_penalty: float = 0.7  # per character a line is longer than greedy wrapping at W allows
    under_penalty: float = 0.35  # per character it is shorter (jitter, a word broken early)
    refine_widths: int = 3  # widths re-solved exactly after the greedy walk
    first_candidates: int = 3  # places of the first-word glue tried (the best by score)
    prune_margin: float = 25.0  # the greedy walk drops widths this far behind the best
    visible_break: float = 0.0  # split-score of a line end marked by a double space
    under_cap: float = 5.0  # ... at most this: real pages have odd short lines (4.0 before stop 30)
    phantom_penalty: float = 7.5  # a line end with no plausible split (a glue we cannot see)
    wrap_threshold: float = 3.0  # a chain must score this much over "not wrapped"
    max_passes: int = 8  # one split per token per pass: `ofEmbassyofJapan` needs three
    glued_paragraph_relief: float = 0.5  # inline thresholds drop by this in a wrapped paragraph
    glued_name_relief: float = 1.0  # ... for a capitalised token (`Groupe|des`)
    wrap_min_odd: int = 2  # fewer odd tokens than this (or than half the lines): no wrap chain
    # the only split of a paragraph, of two lowercase words, needs this margin (English): the
    # sources' own glues (`theyy`, `anothers`) are isolated, while lost spaces of inline HTML
    # come several to a paragraph: finding no other glue in a paragraph of 50-100 words is about
    # 1 log10 of evidence against gluing. Held-out clean English (licences, package
    # descriptions): 63 -> 44 splits (`lang|codes`, `sub|licenses`); dev: 4 clean splits fewer,
    # 10 repairs fewer of 3,778
    isolated_threshold: dict[str, float] = field(default_factory=lambda: {"en": 2.5})
    # a lowercase token of `typo_min`+ letters that wordfreq does not list, one edit (a letter
    # left out, added, changed, or two swapped) from a word of Zipf `typo_zipf` or more, is that
    # word misspelled as likely as the word's Zipf less `typo_cost`: it scores at least that as
    # a whole, which a split must beat (`islad`, `airpart`, `theyy` are no `is|lad`, `air|part`,
    # `the|yy`). A lone `a` or `i` at an end is no added letter: it is the glue (`amust`,
    # `thinka`). English only: French glues are line wraps, which the wrap model reads. Dev
    # (4 seeds): en-clean 14 -> 12 false splits, en-inline 9 false splits fewer, 1 repair fewer
    typo_languages: tuple[str, ...] = ("en",)
    typo_zipf: float = 4.5
    typo_cost: float = 4.0
    typo_min: int = 5
    maybe_zipf: float = 1.5  # inline splits are looked for only where both pieces are this common
    # ... or where three pieces are (`partylaterthat`): a piece may hold a glue (`nested_languages`)
    maybe_three_languages: tuple[str, ...] = ("en",)
    # an unknown word that is a known one of `inflection_stem`+ letters with an inflection's
    # ending (`langdata.INFLECTIONS`: `intransigeances`, `monocamérale`) scores at least as the
    # stem, at most this (wordfreq lists French words down to Zipf 1.0, so the form is rarer)
    inflection_zipf: float = 0.5
    inflection_stem: int = 5
    # ... and so does a learned prefix before a listed word of this Zipf or more
    # (`langdata.COMPOUND_PREFIXES`: `pyroélectricité`; not `aranéomorphes` read as `ara` and
    # `néo|morphes`, `morphes` being 1.34)
    compound_zipf: float = 2.0
    # inline threshold, in a wrapped paragraph (a chain was accepted), of a split that sets a
    # French spaced punctuation mark apart (scored `punct_lex`): fr-rough dev 16 more glues, no new
    # false split (4 seeds)
    wrapped_punct_threshold: float = 0.0
    # ... of a split next to a very common function word (`langdata.FUNCTION_WORDS`) whose glued
    # form is no listed word, lowercase (`de|poulpes`): fr-rough dev 46 more, no new false split
    function_glue_threshold: float = 0.0
    function_glue_name_threshold: float = 1.0  # ... capitalised (`Cette|approche`): 16 more, none false
    # ... of any lowercase split whose glued form is no listed word (`poseur|de`): 28 more, none false
    unlisted_glue_threshold: float = 0.0

    def __post_init__(self) -> None:
        # the wrap model reads each line's window at `p + W - window_before` (wrap.py): a width
        # below `window_before` would put it before the paragraph's start
        if self.min_width < self.window_before:
            raise ValueError(f"GlueConfig: min_width {self.min_width} < window_before {self.window_before}")


# (`acyclic`: its fields are an int, a float and strs, which can hold no reference back to it, so
# mypyc makes it no container of Python's cyclic collector, see `_Cand`)
@mypyc_attr(acyclic=True)
@dataclass(frozen=True, init=False)
class Split:
    """One inserted space: `Leministre` -> Split(0+2, "Le", "ministre", 4.1, "wrap")."""

    offset: int  # character offset in the INPUT paragraph where a space is inserted
    left: str  # the token piece before the inserted space
    right: str  # the piece after
    score: float  # the margin the decision was taken with
    rule: str  # "wrap", "inline", "comma", "address" (a web address glued on, split before its scheme)

    # written out, not generated (`init=False`; the same signature and fields): mypyc compiles
    # this one, where the dataclass-generated `__init__` runs as interpreted Python (about 7,500
    # instructions a split); `object.__setattr__`, as the generated one, since the class is frozen
    def __init__(self, offset: int, left: str, right: str, score: float, rule: str) -> None:
        object.__setattr__(self, "offset", offset)
        object.__setattr__(self, "left", left)
        object.__setattr__(self, "right", right)
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "rule", rule)


# (`Final`: mypyc reads them from C statics, not from the module's dict at each use)
_OPENING: Final = "".join(sorted(L.OPENING_PUNCT))
_CLOSING: Final = "".join(sorted(L.CLOSING_PUNCT))
# the C kernel (`_wrapc`) with the compiled engine, else None: the sources, however they are
# loaded, run their own Python (`native.load_sources`); `GlueContext._index` calls it
_KERNEL: Final = native.kernel()
# the `langdata` tables the scoring reads most, as `Final` names of this module: `L.X` is a
# look-up in the module's dict at each use in compiled code (about 145 instructions)
_OPENING_PUNCT: Final = L.OPENING_PUNCT
_CLOSING_PUNCT: Final = L.CLOSING_PUNCT
_QUOTES: Final = L.QUOTES
_NUMBER_SUFFIXES: Final = L.NUMBER_SUFFIXES
_DOMAINS: Final = L.DOMAINS
_WORDLIKE_DOMAINS: Final = L.WORDLIKE_DOMAINS
_SENTENCE_END: Final = L.SENTENCE_END
_FR_SPACED: Final = L.FR_SPACED
_UNITS: Final = L.UNITS
_INFLECTIONS: Final = L.INFLECTIONS
_INFLECTION_LAST: Final = L.INFLECTION_LAST
_FUNCTION_WORDS: Final = L.FUNCTION_WORDS
# `langdata.VERB_ENDINGS` by length, longest first: ((5, {"aient"}), (4, {"ions"}), ...)
_VERB_ENDING_SIZES: Final[dict[str, tuple[tuple[int, frozenset[str]], ...]]] = {
    lang: tuple((size, frozenset(e for e in ends if len(e) == size))
                for size in sorted({len(e) for e in ends}, reverse=True))
    for lang, ends in L.VERB_ENDINGS.items()
}
# `langdata.COMPOUND_PREFIXES` by their first two letters (every prefix has two or more), the
# shortest first: a word is tried against the few prefixes that open as it does
_COMPOUND_HEADS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    lang: {head: tuple(sorted((p for p in prefixes if p[:2] == head), key=lambda p: (len(p), p)))
           for head in {p[:2] for p in prefixes}}
    for lang, prefixes in L.COMPOUND_PREFIXES.items()
}
_APOSTROPHES: Final = L.APOSTROPHES


def _core_bounds(tok: str) -> tuple[int, int]:
    """Offsets of `tok` without its opening, then its closing punctuation: `(St.` -> (1, 3)."""
    i = len(tok) - len(tok.lstrip(_OPENING))
    return i, i + len(tok[i:].rstrip(_CLOSING))


def _core_start(tok: str) -> str:
    """`tok` without its opening punctuation: `(St.` -> `St.`."""
    return tok.lstrip(_OPENING)


def _core(tok: str) -> str:
    """`tok` without its opening, then its closing punctuation: `(Dung,` -> `Dung`."""
    # (each strip only where its end holds a mark: `str.lstrip` with a set of characters costs
    # about 260 instructions in compiled code even when it strips nothing, and most tokens have
    # no mark; an ASCII letter or digit at an end is none, by an integer test (`in` a string is
    # a call of about 140 instructions); the strips of "" leave "")
    core = tok
    if tok:
        if not _ascii_alnum(ord(tok[0])) and tok[0] in _OPENING:
            core = core.lstrip(_OPENING)
        if core and not _ascii_alnum(ord(core[-1])) and core[-1] in _CLOSING:
            core = core.rstrip(_CLOSING)
    return core


def _ascii_alnum(c: int) -> bool:
    """The code point `c` is an ASCII letter or digit (no mark of `_OPENING`, `_CLOSING`)."""
    return 97 <= c <= 122 or 65 <= c <= 90 or 48 <= c <= 57


class GlueContext:
    """Document-level evidence: words seen correctly spaced elsewhere in the same document.

    `GlueContext.from_texts(["Mai Tien Dung reçoit ...", "MaiTien Dung a ..."], "fr")` knows
    the pair ("Mai", "Tien"), which makes `MaiTien` a confident split. The tables are built on
    first use, so a clean document (every paragraph passes the gate) never pays for them.
    """

    __slots__ = ("_cands", "_cands_cfg", "_counts", "_follow", "_given", "_members", "_pairs", "_scans", "_texts",
                 "_tokens", "_words", "lang")

    def __init__(self, lang: str, counts: Counter[str] | None = None,
                 pairs: frozenset[tuple[str, str]] | None = None, texts: Sequence[str] = (),
                 tokens: Sequence[list[str]] | None = None) -> None:
        self.lang = lang
        self._texts = texts
        # `tokens`: `[text.split() for text in texts]`, when the caller has split them (the glue
        # stage splits each text once, for this and for the first pass of its `repair`: the
        # same token strings, each made and hashed once, not twice)
        self._tokens = tokens
        self._counts = counts
        self._pairs = pairs
        # tables given (not built from `texts` on demand): `has_pair` and `seen_twice` then read
        # them as `pairs` and `counts` always did (a first `pairs` builds both from the texts)
        self._given = counts is not None or pairs is not None
        self._words: frozenset[str] | None = None  # (`words`, made when asked: the engine reads `_word_map`)
        # the index of the texts' tokens (`_index`): each core -> what follows it, one entry per
        # token with that core (a str for one token, a list for two or more): the words of the
        # document (its keys), the cores met twice (`seen_twice`: a list) and the adjacent pairs
        # (`has_pair`: the core after it, or "" where the pair ends)
        self._follow: dict[str, str | list[str]] | None = None
        # the words as a dict when `counts` came first (given, or built by `_build`): its keys
        self._members: dict[str, str | list[str]] | None = None
        self._scans = 0  # texts scanned by `has_word`
        # the candidates scored in this document (`candidates_memo`), for one configuration: in
        # full, and the common words' (`cheap_only`)
        self._cands: tuple[dict[str, list[_Cand]], dict[str, list[_Cand]]] = ({}, {})
        self._cands_cfg: GlueConfig | None = None

    @classmethod
    def from_texts(cls, texts: Iterable[str], lang: str) -> GlueContext:
        return cls(lang, texts=tuple(texts))

    @classmethod
    def from_tokens(cls, texts: Sequence[str], tokens: Sequence[list[str]], lang: str) -> GlueContext:
        """`from_texts(texts, lang)` when the caller has split each text already: `tokens[i]` is
        `texts[i].split()` (the same context; `_index` reads the tokens instead of splitting)."""
        return cls(lang, texts=tuple(texts), tokens=tokens)

    def candidates_memo(self, config: GlueConfig) -> tuple[dict[str, list[_Cand]], dict[str, list[_Cand]]]:
        """The memo of `_Scorer.cached` for every paragraph of this document under `config`:
        two dicts, token -> its candidates at offset 0 in full, and with `cheap_only` (two dicts
        keyed by the token, where one keyed by `(token, cheap_only)` made and hashed a tuple per
        question: a str keeps its hash). They depend on the token, the language
        (the context's: a scorer of another language reads no context), the configuration and
        this context alone, so a token met again in another paragraph of the document
        (`Vietnam`, `ministre`, `Hanoïle` in a title and a paragraph) is not scored again.
        A memo per token of one document, emptied with the document; a new configuration gets
        a new one.

        Before: each paragraph's scorer started with an empty memo; after: the second paragraph
        holding `pourtant` gets `pour|tant` from the first's."""
        if self._cands_cfg is not config:
            self._cands = ({}, {})
            self._cands_cfg = config
        return self._cands

    def _build(self) -> None:
        counts: Counter[str] = Counter()
        pairs: set[tuple[str, str]] = set()
        opening, closing = _OPENING, _CLOSING  # (locals: read once, not per token)
        for text in self._texts:
            toks = text.split()
            cores = [tok.lstrip(opening).rstrip(closing) for tok in toks]
            counts.update(filter(None, cores))
            # a core followed by punctuation ends the phrase: `Dung, a` is not a pair (a plain
            # loop over the adjacent tokens: a generator over a zip cost more per token)
            for i in range(len(toks) - 1):
                c1, c2 = cores[i], cores[i + 1]
                if c1 and c2 and toks[i].endswith(c1):
                    pairs.add((c1, c2))
        self._counts, self._pairs = counts, frozenset(pairs)

    @property
    def counts(self) -> Counter[str]:
        """Token cores (case kept) -> occurrences in the document."""
        if self._counts is None:
            self._build()
        assert self._counts is not None
        return self._counts

    @property
    def pairs(self) -> frozenset[tuple[str, str]]:
        """Adjacent token cores, in order."""
        if self._pairs is None:
            self._build()
        assert self._pairs is not None
        return self._pairs

    def seen_twice(self, core: str) -> bool:
        """`counts[core] >= 2`, without building `counts` where the texts do not even hold the
        string `core` twice (the tokens with that core are disjoint occurrences of it, and
        `str.count` finds as many disjoint occurrences as there are: it is never below). Built
        from the texts, it is read from the index of the tokens (`_index`: a core of two tokens
        or more holds a list; one pass over the tokens, no `Counter`); given, or built for
        `counts`, it is `counts`."""
        follow = self._follow
        if follow is None:
            if self._counts is None and not self._given:
                # (with the tokens given, the index is built at once, as `has_word` does: every
                # French and English page of the bench corpora builds it anyway, so the counts
                # of `core` in the texts would only be paid on top)
                if self._tokens is None and sum(text.count(core) for text in self._texts) < 2:
                    return False
                follow = self._index()
            else:
                return self.counts.get(core, 0) >= 2
        found = follow.get(core)
        return found is not None and not isinstance(found, str)

    def has_pair(self, c1: str, c2: str) -> bool:
        """`(c1, c2) in pairs`, without building `pairs` from the texts: a scan of each text for
        a token that is opening marks and `c1` (its core, with nothing after it: `endswith`),
        then whitespace, then a token whose core is `c2` (opening marks, `c2`, closing marks).
        A document asks this some 15 times: cheaper than a set of every adjacent pair (a tuple
        hashed per token). A core's first character is no opening mark, its last no closing one
        (`lstrip`, `rstrip` removed them) and it holds no whitespace (`_scannable`), so each such
        occurrence is exactly such a pair of tokens. The table when built or given; once the
        index of the tokens is built (`_index`, for `words` or `seen_twice`), read there: the
        cores that follow `c1`'s tokens (no scan of the texts; `c2`, a core, is never "")."""
        if self._pairs is not None or self._given:
            return (c1, c2) in self.pairs
        follow = self._follow
        if follow is not None:
            after = follow.get(c1)
            if after is None or not c2:
                return False
            if isinstance(after, str):
                return after == c2
            return c2 in after
        if not (_scannable(c1) and _scannable(c2)):
            return False  # no token has such a core
        size, size2 = len(c1), len(c2)
        for text in self._texts:  # (a pair does not cross texts)
            n = len(text)
            p = text.find(c1)
            while p >= 0:
                e = p + size  # `c1` ends its token: whitespace follows
                if e < n and text[e].isspace():
                    q = p - 1
                    while q >= 0 and text[q] in _OPENING:
                        q -= 1
                    if q < 0 or text[q].isspace():
                        t = e + 1
                        while t < n and text[t].isspace():
                            t += 1
                        while t < n and text[t] in _OPENING:  # the next token's opening marks
                            t += 1
                        # (`startswith(c2, t)`: a generic method call in compiled code, about
                        # 1,000 instructions; `find` in the window of `c2`'s length is a primitive)
                        if text.find(c2, t, t + size2) == t:
                            r = t + size2
                            while r < n and text[r] in _CLOSING:
                                r += 1
                            if r == n or text[r].isspace():
                                return True
                p = text.find(c1, p + 1)
        return False

    @property
    def words(self) -> frozenset[str]:
        """The token cores of the document (the keys of `counts`), built alone when `counts`
        is not (cheaper: the fast gate asks only this, see `_Scorer._context_terms`). The engine
        reads the same words as the keys of `_word_map` (no frozenset copy)."""
        if self._words is None:
            if self._counts is not None:
                self._words = frozenset(self._counts)
            else:
                self._words = frozenset(self._word_map())
        return self._words

    def _word_map(self) -> dict[str, str | list[str]]:
        """The token cores of the document as the keys of a dict (`core in ctx._word_map()` is
        `core in ctx.words`): the index of the tokens (`_index`), or `counts`'s keys when
        `counts` came first (given, or built by `_build`)."""
        found = self._follow
        if found is None:
            found = self._members
            if found is None:
                if self._counts is not None:
                    found = self._members = dict.fromkeys(self._counts, "")
                else:
                    found = self._index()
        return found

    def _has_words(self) -> bool:
        """The words are built (`_word_map` makes nothing)."""
        return self._follow is not None or self._members is not None

    def _index(self) -> dict[str, str | list[str]]:
        """The index of the texts' tokens, in one pass over them: each token's core (not "")
        -> the core of the token after it in the same text when the two make a pair (`_build`'s
        `pairs`: both cores not empty, nothing stripped after the first: `toks[i].endswith(c1)`),
        else ""; a str for a core met once, a list of them (one per token) for a core met twice
        or more. Its keys are `words`, its lists `seen_twice`, its entries `has_pair` (`counts`
        is not needed for any: a `Counter` costs about 600 instructions a token, most of it in
        `Counter.update`; a pair scan of the texts about 10,000 a question).

        Before: texts `Mai Tien Dung reçoit`, `Mai Tien, dit`; after: `Mai` -> [`Tien`, `Tien`],
        `Tien` -> [`Dung`, ""], `Dung` -> `reçoit`, `reçoit` -> "", `dit` -> ""."""
        given = self._tokens
        if _KERNEL is not None:
            # the same table by the same steps in C (`_wrapc.index_tokens`; None: an input it
            # leaves to the loop below), with the compiled engine
            built: dict[str, str | list[str]] | None = _KERNEL.index_tokens(self._texts, given, _OPENING, _CLOSING)
            if built is not None:
                self._follow = built
                return built
        opening, closing = _OPENING, _CLOSING  # (locals: read once, not per token)
        follow: dict[str, str | list[str]] = {}
        for n, text in enumerate(self._texts):
            prev = ""  # the previous token's core in this text ("": none, or an empty core)
            paired = False  # nothing was stripped after it: it may open a pair
            for tok in (text.split() if given is None else given[n]):
                # `tok.lstrip(opening).rstrip(closing)`, each strip only where its end holds a
                # mark, as `_core` does (`str.split`'s tokens are not empty)
                # (one mark before an ASCII letter or digit, most of them: `dit,`, `(le`, cut by a
                # slice, where a strip with its set of characters costs about 270 instructions)
                # (`_ascii_alnum` written out for the two ends of every token: a call per end of
                # each of the page's tokens cost more than the comparisons)
                core = tok
                c = ord(tok[0])
                if not (97 <= c <= 122 or 65 <= c <= 90 or 48 <= c <= 57) and tok[0] in opening:
                    core = core[1:] if len(core) > 1 and _ascii_alnum(ord(core[1])) else core.lstrip(opening)
                closed = False
                if core:
                    c = ord(core[-1])
                    if not (97 <= c <= 122 or 65 <= c <= 90 or 48 <= c <= 57) and core[-1] in closing:
                        core = core[:-1] if len(core) > 1 and _ascii_alnum(ord(core[-2])) else core.rstrip(closing)
                        closed = True
                if prev:
                    after = core if paired else ""
                    # (one look-up for a new core: `setdefault` stores it, the dict grows by one)
                    size = len(follow)
                    found = follow.setdefault(prev, after)
                    if len(follow) == size:  # met before
                        if isinstance(found, str):
                            follow[prev] = [found, after]
                        else:
                            found.append(after)
                prev = core
                paired = not closed
            if prev:  # (the text's last token: no pair)
                size = len(follow)
                found = follow.setdefault(prev, "")
                if len(follow) == size:
                    if isinstance(found, str):
                        follow[prev] = [found, ""]
                    else:
                        found.append("")
        self._follow = follow
        return follow

    def has_word(self, core: str) -> bool:
        """`core in self.words`, without building `words` for a few questions (the fast gate
        asks about the pieces of a handful of tokens per paragraph): an occurrence of the string
        `core` is a token's core when only opening marks stand between it and the whitespace
        before it, and only closing marks between it and the whitespace after it (`str.split`'s
        tokens, `lstrip(_OPENING)`, `rstrip(_CLOSING)`); a core that itself opens with an opening
        mark or ends with a closing one is looked up in `words`. After `_HAS_WORD_SCANS`
        questions the set is built: a document asked often pays for it once. With the tokens
        given (`from_tokens`, the glue stage) the set is built at the first question: indexing
        split tokens costs about as much as a dozen scans, and nearly every document of the bench
        corpora (3,175 of the 3,200 French and English pages of 4,000) builds it anyway, for
        `seen_twice` or for scoring."""
        if self._has_words() or not core or self._tokens is not None:
            return core in self._word_map()
        if core[0] in _OPENING or core[-1] in _CLOSING or self._scans >= _HAS_WORD_SCANS:
            return core in self._word_map()
        self._scans += 1
        size = len(core)
        for text in self._texts:
            p = text.find(core)
            while p >= 0:
                # an ASCII letter or digit before the occurrence (most: `e` in `ministre`) is no
                # opening mark nor whitespace, so the occurrence is inside a token, by an
                # integer test, without the walk below (which would stop there and say so)
                if p > 0 and _ascii_alnum(ord(text[p - 1])):
                    p = text.find(core, p + 1)
                    continue
                q = p - 1
                while q >= 0 and text[q] in _OPENING:
                    q -= 1
                if q < 0 or text[q].isspace():
                    r = p + size
                    n = len(text)
                    while r < n and text[r] in _CLOSING:
                        r += 1
                    if r == n or text[r].isspace():
                        return _no_space(core)  # (a core holds no whitespace)
                p = text.find(core, p + 1)
        return False


# `GlueContext.has_word` scans the texts this many times, then builds the set of words
_HAS_WORD_SCANS = 32


def _scannable(core: str) -> bool:
    """`core` may be a token's core (`GlueContext.has_pair`): not empty, no opening mark first,
    no closing mark last (`lstrip`, `rstrip` removed them), no whitespace (`str.split` cut there)."""
    return bool(core) and core[0] not in _OPENING and core[-1] not in _CLOSING and _no_space(core)


def _isalpha(s: str) -> bool:
    """`s.isalpha()`: ASCII characters answered by integer tests (a letter, or else False), the
    string asked as soon as it holds another (`isalpha`, `islower`, `isupper` are generic method
    calls in compiled code, about 750 instructions each)."""
    if not s:
        return False
    for k in range(len(s)):
        c = ord(s[k])
        if c >= 128:
            return s.isalpha()
        if not (97 <= c <= 122 or 65 <= c <= 90):
            return False
    return True


def _islower(s: str) -> bool:
    """`s.islower()` (no uppercase cased character, one lowercase at least), as `_isalpha`."""
    cased = False
    for k in range(len(s)):
        c = ord(s[k])
        if c >= 128:
            return s.islower()
        if 65 <= c <= 90:
            return False
        if 97 <= c <= 122:
            cased = True
    return cased


def _isupper(s: str) -> bool:
    """`s.isupper()` (no lowercase cased character, one uppercase at least), as `_isalpha`."""
    cased = False
    for k in range(len(s)):
        c = ord(s[k])
        if c >= 128:
            return s.isupper()
        if 97 <= c <= 122:
            return False
        if 65 <= c <= 90:
            cased = True
    return cased


def _isdecimal(s: str) -> bool:
    """`s.isdecimal()`, as `_isalpha`: ASCII characters by integer tests (a digit 0-9, or else
    False: no other ASCII character is a decimal), the string asked at the first other one."""
    if not s:
        return False
    for k in range(len(s)):
        c = ord(s[k])
        if c >= 128:
            return s.isdecimal()
        if not 48 <= c <= 57:
            return False
    return True


def _has_upper(s: str) -> bool:
    """`any(ch.isupper() for ch in s)`, without a generator: an ASCII character is uppercase
    when it is A-Z (an integer test), any other is asked (`Mai` yes, `mai` no, `Đà` yes)."""
    for k in range(len(s)):
        c = ord(s[k])
        if c < 128:
            if 65 <= c <= 90:
                return True
        elif s[k].isupper():
            return True
    return False


def _decimal_first(s: str) -> bool:
    """`s` opens with a character `\\d` matches (`str.isdecimal`: Unicode's Nd, as the regex
    engine's digit class), by an integer test for ASCII; False for an empty `s`."""
    if not s:
        return False
    c = ord(s[0])
    if c < 128:
        return 48 <= c <= 57
    return s[0].isdecimal()


def _below_0250(s: str) -> bool:
    """`s.isascii() or max(s) < "\u0250"` of a non-empty `s`: every character is Latin (below
    U+0250), by integer tests (`isascii` and `max` are generic calls in compiled code)."""
    for k in range(len(s)):
        if ord(s[k]) >= 0x250:
            return False
    return True


def _no_space(s: str) -> bool:
    """`not any(ch.isspace() for ch in s)`, without a generator: an ASCII letter or digit is no
    space (an integer test), any other character is asked."""
    for k in range(len(s)):
        if not _ascii_alnum(ord(s[k])) and s[k].isspace():
            return False
    return True


_LETTERS_RE = re.compile(r"[^\W\d_]+")


def _ascii_no_letter(tok: str) -> bool:
    """`tok` is ASCII and holds no letter (`35`, `(2012),`, `100%`, `:`), by integer tests: its
    letter runs are none and `_PUNCT_GLUE_RE` cannot match it (`_no_glue_without_letters`: no
    `×`), so the token gate passes it (`_Scorer._plain`) without `lower`, `findall` and the
    regex. `Vietnam`, `2020,au`, `«` -> False (asked the long way)."""
    for k in range(len(tok)):
        c = ord(tok[k])
        if c >= 128 or 97 <= c <= 122 or 65 <= c <= 90:
            return False
    return True


def _no_glue_without_letters(tok: str) -> bool:
    """`_PUNCT_GLUE_RE` cannot match `tok`, a token with no letter (no character of `[^\\W\\d_]`),
    shown without a regex pass: every alternative needs a letter in or next to its match (the
    comma's, `[^\\W\\d_)»%],\\d`, too: `)`, `»`, `%` are left out of a negated class), but the
    camel one, `[a-zß-ÿ]{2}[A-ZÀ-Þ]`, whose ranges hold two characters that are no letters:
    `÷` before and `×` at the capital's place, which it needs (`÷÷×` matches). `35`, `(2012),`,
    `«`, `100%`, `—` -> True; `÷÷×` -> False (the regex decides)."""
    return "×" not in tok


class _GlueSearch:
    """`search` of the pattern below, skipped where it cannot match: in letters alone, or
    letters and one of `,.;:!?)` at the end (`ministre,`), only its `andI` alternative can (each
    other one needs a digit, a quote, an apostrophe, an opening mark, or a mark before a letter),
    and that one needs a capital from the third letter on. The regex tries its ten alternatives
    at every offset: a few microseconds a token, about 5 % of glued French."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def search(self, text: str) -> re.Match[str] | None:
        letters = text[:-1] if text and text[-1] in ",.;:!?)" else text
        # (`_isalpha`, `_islower`: the str methods by integer tests for ASCII, where a method
        # call is a generic one in compiled code, about 750 instructions)
        if _isalpha(letters) and (len(letters) < 3 or _islower(letters[2:])):
            return None
        return self.pattern.search(text)


# punctuation directly followed by a letter, or a letter directly followed by an opening mark;
# a lone capital or an acronym after lowercase letters (`andI`; `PowerPoint` is a name) and a
# quote between words (`talk"he`, `Hamas."Let`); an elision glued to the word before
# (`del'Université`, `jen'ai`: their letter runs are common words), a word glued after `'s` (`It'san`)
# Written trigger first, for speed (only whether it matches is used): every alternative opens
# with the one character it cannot do without (a mark, a digit, a capital), what comes before
# that is a lookbehind, so the regex engine skips to such characters with its first-character
# set instead of trying ten alternatives at every offset (5-15x faster on a word). The same
# matches as the plain form, `tests/test_glue_speed.py` checks it:
# [,;:.!?)»”«][^\W\d_] | [^\W\d_.][(«“»] | [^\W\d_)»%],\d | [^\W\d_]\d | \d[^\W\d_]
# | [a-zß-ÿ]{2}[A-ZÀ-Þ](?![a-zß-ÿ]) | [^\W\d_]"[^\W\d_] | [.!?]["'][^\W\d_]
# | [^\W\d_]{2}[ldjnsmtc]['’][aeiouyhàâéèêîôûœAEIOUYHÀÂÉÈÊÎÔÛŒ] | [^\W\d_]['’]s[^\W\d_]
_PUNCT_GLUE_RE = _GlueSearch(re.compile(
    r"[,;:.!?)»”«(“\"'’\dA-ZÀ-Þ]"
    r"(?:(?<=[,;:.!?)»”«])[^\W\d_]|(?<=[^\W\d_.][(«“»])|(?<=[^\W\d_)»%],)\d|(?<=[^\W\d_]\d)|(?<=\d)[^\W\d_]"
    r"|(?<=[a-zß-ÿ]{2}[A-ZÀ-Þ])(?![a-zß-ÿ])|(?<=[^\W\d_]\")[^\W\d_]|(?<=[.!?])[\"'][^\W\d_]"
    r"|(?<=[^\W\d_]{2}[ldjnsmtc]['’])[aeiouyhàâéèêîôûœAEIOUYHÀÂÉÈÊÎÔÛŒ]|(?<=[^\W\d_]['’])s[^\W\d_])"
))
_TLDS = "|".join(sorted(_DOMAINS))
# ... where a domain that is also a word counts only in lowercase (`cased_domain_languages`:
# `located.It's` is a glue at a sentence end, `Newsfeed.Com` and `site.it` are addresses)
_WORDLIKE = "|".join(sorted(_WORDLIKE_DOMAINS))
_OTHER_TLDS = "|".join(sorted(_DOMAINS - _WORDLIKE_DOMAINS))
_URL_CASED_RE = re.compile(
    rf"(?i:(?:^|[\W_])(?:https?://|ftp://|www\.)|@\w|\.(?:{_OTHER_TLDS})(?:\W|$))|\.(?:{_WORDLIKE})(?:\W|$)"
)
# ... elsewhere in lower or upper case: `Paris.Au`, `DC.De` are a sentence end and a capitalised
# word; `vietnamplus.vn`, `X.COM`, `Newsfeed.Com` addresses
_TLDS_CASED = "|".join([_TLDS, _TLDS.upper(), *sorted(d.capitalize() for d in _DOMAINS - _WORDLIKE_DOMAINS)])
_URL_RE = re.compile(rf"(?i:(?:^|[\W_])(?:https?://|ftp://|www\.))|@\w|\.(?:{_TLDS_CASED})(?:\W|$)")
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
# a web address glued after a letter or digit (`commentcamarche.nethttp://www.`, `réalisationshttp://`):
# no address holds its scheme after a letter (a scheme inside an address follows `/`, `=`, `?`)
_GLUED_SCHEME_RE = re.compile(r"(?<=[^\W_])https?://")
_SUFFIXES = "|".join(sorted(_NUMBER_SUFFIXES, key=len, reverse=True))
_ORDINAL_RE = re.compile(rf"\d+(?:{_SUFFIXES})", re.I)
# a piece holding a glue of its own: `arrières.Bibliomédias`, `time,de`, `McNiven(Supernatural`
_MEASURE_RE = re.compile(rf"\d+(?:[.,]\d+)?(?:°[CF]?|%|{_SUFFIXES})")
_CAMEL_RE = re.compile(r"[a-zß-ÿ][A-ZÀ-Þ]")
_THOUSANDS_RE = re.compile(r"\d{3}\W*")
_ELLIPSIS_RE = re.compile(r"[^\W\d_]{2}\.\.\.$")  # `romains...` ends a sentence
_ELLIPSIS_COMMA_RE = re.compile(r"[^\W\d_]\.\.\.,$")  # `Next...,|sorti`: a comma after an ellipsis
_YEAR_RE = re.compile(r"(?<!\d)(?:1|20?)$")  # before `998`, `009`: the head of a year
# where such a glue falls: the offset after the match
_INNER_SPLIT_RE = re.compile(
    r"[^\W_][.!?…]+[\"»)]*(?=[A-ZÀ-Þ][a-zà-ÿ])|[a-zà-ÿ][.!?;](?=[A-ZÀ-Þ])|[^\W\d_]{2}[!?;](?=[^\W\d_])"
    r"|[,)»](?=[^\W\d_])|[^\W\d_](?=[(«])"
)
# ... which it cannot find without one of these marks (a search for them alone is much faster)
_INNER_SPLIT_MARK_RE = re.compile(r"[.!?…;,)»(«]")


def _inner_split(s: str) -> re.Match[str] | None:
    """`_INNER_SPLIT_RE.search(s)` where `_INNER_SPLIT_MARK_RE` finds a mark, else None; the
    search starts two characters before the first mark: each alternative of the pattern holds
    one of the marks (all in the mark pattern) at most two characters after its start, and it
    has no anchor nor look-behind, so no match starts earlier (the scan of a long core before
    its mark cost thousands of instructions)."""
    mark = _INNER_SPLIT_MARK_RE.search(s)
    if mark is None:
        return None
    return _INNER_SPLIT_RE.search(s, max(mark.start() - 2, 0))


def _camel_at(s: str, pos: int) -> bool:
    """`_CAMEL_RE.search(s, pos) is not None` (`pos` >= 0): a lowercase letter (a-z, ß-ÿ) then
    a capital (A-Z, À-Þ) at `pos` or after, by integer tests on the code points."""
    after_lower = False
    for k in range(pos, len(s)):
        c = ord(s[k])
        if after_lower and (65 <= c <= 90 or 0xC0 <= c <= 0xDE):
            return True
        after_lower = 97 <= c <= 122 or 0xDF <= c <= 0xFF
    return False
# a word glued after an English clitic (`Israel'spartially`, `I'lladmit`, `don'tknow`,
# `I'mguessing`, `I'dpost`): no word goes on after one (names such as `O'Sullivan`, `Qa'ida`,
# `Mu'tamar` have a capital or other letters there; `Ma'dan`, `Sa'dah` match, but no cut of
# theirs scores as a split: dev en-inline, 7 draws, 5 repairs more and no false split)
_CLITIC_GLUE_RE = re.compile(r"[^\W\d_]['’](?:s|ll|re|ve|m|d)[^\W\d_]|[nN]['’][tT][^\W\d_]")
# (trigger first, as `_PUNCT_GLUE_RE`; the plain form: [^\W_][.!?…]+["»)]*[A-ZÀ-Þ][a-zà-ÿ]
# | [a-zà-ÿ][.!?;][A-ZÀ-Þ] | [^\W\d_]{2}[!?;][^\W\d_] | [,)»][^\W\d_] | [^\W\d_][(«] | ^[.,;:!?…])
_INNER_GLUE_RE = re.compile(
    r"[.!?…;,)»(«:]"
    r"(?:(?<=[^\W_][.!?…])[.!?…]*[\"»)]*[A-ZÀ-Þ][a-zà-ÿ]|(?<=[a-zà-ÿ][.!?;])[A-ZÀ-Þ]|(?<=[^\W\d_]{2}[!?;])[^\W\d_]"
    r"|(?<=[,)»])[^\W\d_]|(?<=[^\W\d_][(«])|(?<=^[.,;:!?…]))"
)
# a day of the month ending a piece (`(Huntingdon,25`), or a day or a year opening one (`23,`,
# `4th`, `1914--Schiermonnikoog`): with a month name on the other side, a date (`27|mai`)
_DAY_END_RE = re.compile(r"(?<!\d)(?:[1-9]|[12]\d|3[01])$")
_DATE_START_RE = re.compile(rf"(?:(?:[1-9]|[12]\d|3[01])(?:{_SUFFIXES})?|\d{{4}})(?![^\W_])")
_WORD_END_RE = re.compile(r"[^\W\d_]+$")
_WORD_START_RE = re.compile(r"[^\W\d_]+")
# a lowercase word and a number glued (`années1950`)
_WORD_NUMBER_RE = re.compile(r"([a-zß-ÿ]{3,})\d{2,}")
# a number glued to a lowercase word (`5vaisse`, French: see `core_score`)
_NUMBER_LOWER_RE = re.compile(r"\d+([a-zß-ÿ]{3,})")
# ... and a number glued to a word (`28arrest`, `11Commission`)
_NUMBER_WORD_RE = re.compile(r"\d{2,}([A-Za-z][a-z]{2,})")
# a left piece that is a number and the first letters of a word (`7000t|entes`, `115s|élections`)
_NUMBER_HEAD_RE = re.compile(r"\W*\d[\d,.]*([^\W\d_]+)")
# an initial, its dot and the first letters of a word: `C.s` of `C.|sanguinea` (no piece)
_INITIAL_HEAD_RE = re.compile(r"[A-Za-zÀ-ÿ]\.[a-zß-ÿ]{1,3}")
# an abbreviation that ends in a dot: `M.`, `J.`, `St.`, `Dr.` (a split after it is chain-only)
_ABBREV_RE = re.compile(r"[A-ZÀ-Þ][a-z]{0,2}\.")


def _latin(ch: str) -> bool:
    """A Latin letter or digit (Latin-1 and Latin Extended): the scripts this stage repairs."""
    return ch.isalnum() and ord(ch) < 0x250


# `_Cand.rules`: the rules that may read a candidate, known from its pieces alone (`_rule_bits`)
_RULE_AGREEMENT: Final = 1  # `_agreement` may lower it, or look its offset up for another one
_RULE_GRAMMAR: Final = 2  # one of `_grammar`'s tests may lower it
_RULES_ALL: Final = 3


# `acyclic`: a candidate's fields are ints, a float, strs and bools (mypyc checks each one's type
# when it is set), none of which can refer back to it, so no reference cycle goes through it and
# mypyc leaves it out of Python's cyclic collector: no collector header to link when one is made
# and unlink when it is freed, no `tp_traverse`/`tp_clear`. A paragraph makes hundreds of them
# (256,552 on the replay of 300 pages), each about 226 instructions made and freed, some 40 of
# them the collector's. The same objects, fields and values (the source engine ignores the mark).
@mypyc_attr(acyclic=True)
@dataclass(slots=True)
class _Cand:
    pos: int  # offset in the paragraph
    tok: int  # index of the whitespace token
    lex: float
    left: str
    right: str
    forced: bool  # comma rule: always split
    chain_only: bool = False  # a split only a wrap chain may make (`223|000`, `1887|l'actuel`)
    # which of `_agreement` and `_grammar` may read it (`_RULE_*` bits, `_rule_bits`): from the
    # row it is made from (`_Scorer.candidates`, `_cheap`), copied with it; all where not known
    rules: int = _RULES_ALL

    # written out, not generated: mypyc compiles this one (the dataclass-generated `__init__`
    # runs as interpreted Python, about 2,500 instructions a candidate)
    def __init__(self, pos: int, tok: int, lex: float, left: str, right: str, forced: bool,
                 chain_only: bool = False, rules: int = _RULES_ALL) -> None:
        self.pos = pos
        self.tok = tok
        self.lex = lex
        self.left = left
        self.right = right
        self.forced = forced
        self.chain_only = chain_only
        self.rules = rules


# one row of `_Scorer._positions`: (offset, left, right, s(left) + s(right) - 9, cues, camel
# bonus or None, left core, right core); the cues are the bits below (`_row_cues`): eight fields,
# where seventeen (one per cue, and the characters around the offset) cost `candidates` a type
# check and a reference count each per row. The camel bonus typed `None | float`, None first:
# mypyc tests a union's members in the order written, and most rows hold None, for which the
# float test (`PyFloat_Check`, not an exact float) walks the type's bases in `PyType_IsSubtype`,
# twice per row as `candidates` unpacks it (about 30 instructions; 128,000 rows on the replay of
# 300 pages). The same values: only the order of the two tests differs.
_Row = tuple[int, str, str, float, int, None | float, str, str]  # noqa: RUF036  (None first: see above)
_CUE_FORCED: Final = 1  # the comma rule: always split
_CUE_SOFT: Final = 2  # only a wrap chain may split here
_CUE_ABBREV: Final = 4  # after an abbreviation's dot (`M.|Sleimane`)
_CUE_PUNCT: Final = 8  # French spaced punctuation (`chose|:`)
_CUE_CAMEL2: Final = 16  # half the camel bonus again (`Rajesh|Bhagwan`)
_CUE_BAD: Final = 32  # a bad bigram
_CUE_SENT: Final = 64  # a sentence starts here
_CUE_QUOTE: Final = 128  # a quote closes before or opens after the offset
_CUE_COMMA: Final = 256  # the character before the offset is a comma
_CUE_DIGITS: Final = 512  # digits on both sides of the offset
# above the cues: the rules that may read the row's candidate (`_rule_bits`, shifted; made with
# the row, once per token, where each candidate made from it would make them again)
_CUE_RULES_SHIFT: Final = 10


def _row_cues(a: str, b: str, forced: bool, soft: bool, abbrev: bool, punct: bool, camel2: bool, bad: bool,
              sent: bool, quote: bool) -> int:
    """The cues of a `_Row` as bits; `a`, `b`: the characters before and after its offset."""
    return ((_CUE_FORCED if forced else 0) | (_CUE_SOFT if soft else 0) | (_CUE_ABBREV if abbrev else 0)
            | (_CUE_PUNCT if punct else 0) | (_CUE_CAMEL2 if camel2 else 0) | (_CUE_BAD if bad else 0)
            | (_CUE_SENT if sent else 0) | (_CUE_QUOTE if quote else 0) | (_CUE_COMMA if a == "," else 0)
            | (_CUE_DIGITS if a.isdigit() and b.isdigit() else 0))
# (offset, s(left) + s(right) - 9 - base with the bad-bigram penalty, left core, right core,
#  left, right, `_rule_bits` of the pieces): one split of a common word into two common words,
#  see `_Scorer._cheap`
_CheapRow = tuple[int, float, str, str, str, str, int]

# Sizes of the bounded memos shared across paragraphs and documents (each a plain dict, emptied
# when it holds this many entries, so memory stays flat on any corpus): pieces scored, tokens
# whose split positions were scored, tokens tested by the gates. Measured: about 250 bytes a piece and
# 2 KB a token's positions, so at most about 16 + 16 MB (+ small gate memos) per language.
MEMO_PIECES = 1 << 16
MEMO_TOKENS = 1 << 13
# the fast gate's sorting of a token (`_Shared.kind`): a plain dict, emptied when it holds this many
MEMO_KINDS = 1 << 14


_V = TypeVar("_V")


def _remember(memo: dict[str, _V], key: str, value: _V, bound: int) -> None:
    """Store `value` for `key` in one of the bounded memos (`_Shared`): a memo that holds `bound`
    entries is emptied first, so memory stays flat on any corpus (all at once rather than least
    recently used: a look-up is then one dict access, no bookkeeping). Asked on misses only."""
    if len(memo) >= bound:
        memo.clear()
    memo[key] = value


# how the gates sort a token (`_gate_kind`)
_KIND_PLAIN: Final = 0  # the token gate passes it: never scored (inside a chain, as a common word)
_KIND_LISTED: Final = 1  # odd, but the gate table clears it (`_cleared`): counted, never scored inline
_KIND_ODD: Final = 2  # odd: scored


# the shortest token the fast gate bounds by `_Scorer._mixed_bound` (shorter ones are scored
# exactly: as cheap, measured on the dev splits; see `_Scorer._bound` for where else it is not asked)
MIXED_MIN_LEN = 8
# `_one_pass` asks `_no_chain` only of a paragraph with fewer odd tokens than one per this many
# characters (a line): a wrapped and joined paragraph has a glue on nearly every line, and there
# the bounds would be computed for nothing (on dev and train2, 90-95 % of the glued paragraphs
# that reach `_one_pass` have one odd token a line or more, about 90 % of the clean ones fewer;
# 1.5 a line cost glued French 9 % more instructions, no limit 11 %). Speed only: the output is
# the same either way (`_no_chain` is a bound: tests/test_glue_speed.py).
NO_CHAIN_LINE = 75


class _Shared:
    """Memos of the document-free computations of one (language, configuration).

    Scoring a piece (`ministre` -> 5.27, `Gorseréali` -> -6.1) and finding a token's split
    positions depend only on the text, the language and the configuration, never on the
    document; across the paragraphs of a corpus the same tokens and pieces come back, so they
    are scored once (bounded dicts, see `piece`). The document context is applied on top
    by `_Scorer.candidates`. Two context-free scorers: one reads pieces as parts of a split,
    one reads the whole token (which may not itself be two glued words, see `core_score`).
    """

    def __init__(self, lang: str, config: GlueConfig) -> None:
        self.cfg = config  # held, so the id keying `_SHARED` is not reused while this lives
        self.lang = lang
        # the spelling model and the sets of common words `core_score` reads, fetched at first
        # use (`model`, `words_5`, `words_35`): a `functools.cache` call per unknown piece cost
        # about 900 instructions
        self._model: CharModel | None = None
        self._spelling: Any = None  # (`spelling`: the kernel's, when it runs)
        self._words_5: frozenset[str] | None = None
        self._words_35: frozenset[str] | None = None
        self._typo: dict[tuple[str, int], float] | None = None
        # word -> form bits of the tokens the fast gate clears in any situation, built with the
        # engine for the default configuration (`gatetable`); None: compute every bound
        self.cleared: dict[str, int] | None = gatetable.load(lang, repr(config))
        self.part = _Scorer(lang, config, None, shared=self, whole=False)
        self.whole = _Scorer(lang, config, None, shared=self, whole=True)
        # the memos of `piece`, `positions`, `cheap_rows`, `maybe_glued`, `bound`, `camel_two`:
        # plain dicts read by those methods (one look-up where a `functools.lru_cache` wrapper
        # cost a call through the interpreter's machinery, about 1,000 instructions), each
        # emptied when it holds its bound (`MEMO_PIECES`, `MEMO_TOKENS`), as `kinds` is
        self.pieces_part: dict[str, float | None] = {}
        self.pieces_whole: dict[str, float | None] = {}
        self.positions_full: dict[str, tuple[float, tuple[_Row, ...]] | None] = {}
        self.positions_cheap: dict[str, tuple[float, tuple[_Row, ...]] | None] = {}
        self.cheap_rows_memo: dict[
            str, tuple[tuple[tuple[int, float, str, str], ...], tuple[_CheapRow, ...]] | None] = {}
        self.glued: dict[str, bool] = {}
        self.bounds: dict[str, tuple[float, tuple[tuple[float, str, str], ...]] | None] = {}
        self.camels: dict[str, float] = {}
        # the fast gate's sets of surely plain tokens (`_plain_tokens`, `_plain_elisions`), held
        # here so a paragraph reads two attributes, not two `functools.cache` calls
        self.known = _plain_tokens(lang, config.gate_zipf)
        self.grammar = _GrammarRules(lang, config)  # (`_grammar`'s tables, read once)
        self.elided = _plain_elisions(lang, config.gate_zipf)
        # token -> its sorting by the gates (`_gate_kind`) for the tokens not in `known`: a pure
        # function of the token, asked for every token of every paragraph and every pass
        self.kinds: dict[str, int] = {}
        # the tokens with no split at all into two common words nor French spaced punctuation
        # (`_cheap_rows` gives two empty tuples, so `_cheap` gives [] whatever the document): the
        # wrap model asks this of every common token of a wrapped paragraph, most of them such
        # (`ministre`, `président`); one set look-up where a memo key, a `functools.lru_cache`
        # call and its key were made per token. A pure function of the token, emptied when it
        # holds `MEMO_KINDS` tokens
        self.no_cheap: set[str] = set()

    def kind(self, tok: str) -> int:
        """`_gate_kind(tok, self)`, memoised per token (`kinds`; emptied once it holds
        `MEMO_KINDS` tokens, so it stays bounded)."""
        found = self.kinds.get(tok)
        if found is None:
            found = _gate_kind(tok, self)
            _remember(self.kinds, tok, found, MEMO_KINDS)
        return found

    def piece(self, piece: str, whole: bool) -> float | None:
        """`_piece_score(piece)` of the scorer of whole tokens (`whole`) or of pieces, memoised."""
        memo = self.pieces_whole if whole else self.pieces_part
        if piece in memo:
            return memo[piece]
        found = (self.whole if whole else self.part)._piece_score(piece)
        _remember(memo, piece, found, MEMO_PIECES)
        return found

    def positions(self, tok: str, cheap_only: bool) -> tuple[float, tuple[_Row, ...]] | None:
        """`_Scorer._positions(tok, cheap_only)` of the piece scorer, memoised."""
        memo = self.positions_cheap if cheap_only else self.positions_full
        if tok in memo:
            return memo[tok]
        found = self.part._positions(tok, cheap_only)
        _remember(memo, tok, found, MEMO_TOKENS)
        return found

    def cheap_rows(
        self, tok: str
    ) -> tuple[tuple[tuple[int, float, str, str], ...], tuple[_CheapRow, ...]] | None:
        """`_Scorer._cheap_rows(tok)` of the piece scorer, memoised."""
        memo = self.cheap_rows_memo
        if tok in memo:
            return memo[tok]
        found = self.part._cheap_rows(tok)
        _remember(memo, tok, found, MEMO_TOKENS)
        return found

    def maybe_glued(self, tok: str) -> bool:
        """`_Scorer._maybe_glued(tok)` of the piece scorer, memoised."""
        memo = self.glued
        found = memo.get(tok)
        if found is None:
            found = self.part._maybe_glued(tok)
            _remember(memo, tok, found, MEMO_TOKENS)
        return found

    def bound(self, tok: str) -> tuple[float, tuple[tuple[float, str, str], ...]] | None:
        """`_Scorer._bound(tok)` of the piece scorer (what `_below` reads), memoised."""
        memo = self.bounds
        if tok in memo:
            return memo[tok]
        found = self.part._bound(tok)
        _remember(memo, tok, found, MEMO_TOKENS)
        return found

    def camel_two(self, core: str) -> float:
        """`_Scorer._camel_two(core)` of the piece scorer, memoised."""
        memo = self.camels
        found = memo.get(core)
        if found is None:
            found = self.part._camel_two(core)
            _remember(memo, core, found, MEMO_PIECES)
        return found

    def model(self) -> CharModel:
        """`char_model(lang)`, held."""
        found = self._model
        if found is None:
            found = self._model = char_model(self.lang)
        return found

    def logp(self, word: str) -> float:
        """`model().logp(word)`: the kernel's (`Spelling.logp`, the same float, no dict of its
        own) with the compiled engine, else the model's, memoised there."""
        spelling = self.spelling()
        if spelling is not None:
            found: float = spelling.logp(word)
            return found
        return self.model().logp(word)

    def spelling(self) -> Any:
        """The compiled kernel's `Spelling` of `model()` (its trigram terms in C arrays, built at
        first use, held), or None without the kernel: `_run_logps` then runs in Python."""
        if _KERNEL is None:
            return None
        found = self._spelling
        if found is None:
            found = self._spelling = _KERNEL.Spelling(self.model())
        return found

    def typo_index(self) -> dict[tuple[str, int], float]:
        """For `_Scorer._typo_zipf`: each word of Zipf `typo_zipf` or more (letters, 4+) with
        one letter left out, at each place k, -> the largest such word's Zipf: a token missing
        that letter there is (token, k); one with it changed is (token less its k-th, k).
        Built at first use (glued English only asks), held."""
        found = self._typo
        if found is None:
            found = {}
            cfg = self.cfg
            tab = table(self.lang)
            # (the held words of Zipf >= 3.5 hold them all at the default: a tenth of the table)
            words: Iterable[str] = self.words_35() if cfg.typo_zipf >= 3.5 else tab
            for w in words:
                z = tab[w]
                if z >= cfg.typo_zipf and len(w) >= cfg.typo_min - 1 and w.isalpha():
                    for k in range(len(w)):
                        key = (w[:k] + w[k + 1 :], k)
                        old = found.get(key)
                        if old is None or z > old:
                            found[key] = z
            self._typo = found
        return found

    def words_5(self) -> frozenset[str]:
        """`common_words(lang, 5.0)`, held."""
        found = self._words_5
        if found is None:
            found = self._words_5 = common_words(self.lang, 5.0)
        return found

    def words_35(self) -> frozenset[str]:
        """`common_words(lang, 3.5)`, held."""
        found = self._words_35
        if found is None:
            found = self._words_35 = common_words(self.lang, 3.5)
        return found

    def clear(self) -> None:
        self.pieces_part.clear()
        self.pieces_whole.clear()
        self.positions_full.clear()
        self.positions_cheap.clear()
        self.cheap_rows_memo.clear()
        self.glued.clear()
        self.bounds.clear()
        self.camels.clear()
        self.kinds.clear()
        self.no_cheap.clear()


def _gate_kind(tok: str, shared: _Shared) -> int:
    """How the fast gate and `_one_pass` sort `tok` (one not in `shared.known`), a pure function
    of the token: `_KIND_PLAIN` when it is surely plain (`_surely_plain`: a common word with
    marks around it, `dit,`) or the token gate passes it (`_Scorer._plain`: `Vietnam`), else
    `_KIND_LISTED` when the gate table clears it (`_cleared`: tested before the token gate, which
    passes no token the table holds), else `_KIND_ODD` (`Vietnamont`, `2020,au`)."""
    if _surely_plain(tok, shared.known, shared.elided):
        return _KIND_PLAIN
    cleared = shared.cleared
    if cleared is not None and _cleared(tok, cleared):
        return _KIND_LISTED
    # (the token gate asked directly: this sorting is memoised per token in `kinds`, so a memo
    # of `_plain` of its own would only add a call through `functools.lru_cache` per new token)
    return _KIND_PLAIN if shared.part._plain(tok) else _KIND_ODD


_SHARED: dict[tuple[str, int], _Shared] = {}


# the last memos `_shared_for` returned (one of `_SHARED`'s values, or none): a scorer is made per
# paragraph, nearly always for the (language, configuration) of the one before
_LAST_SHARED: Final[list[_Shared]] = []


def _shared_for(lang: str, config: GlueConfig) -> _Shared:
    """The memos of (`lang`, `config`); configurations are frozen, so keyed by identity (a
    configuration's dict fields make it unhashable). At most 8 are kept. The last ones
    returned are tested first (two identity tests, where the key cost a tuple, a boxed `id`
    and their hashes, about 600 instructions a paragraph); they are always in `_SHARED`, so
    `_forget_shared` empties them.

    Before: `_shared_for("fr", cfg)` twice: two look-ups of `("fr", id(cfg))`; after: the
    second is `_LAST_SHARED[0]`."""
    if _LAST_SHARED:
        last = _LAST_SHARED[0]
        if last.cfg is config and last.lang == lang:
            return last
    key = (lang, id(config))
    found = _SHARED.get(key)
    if found is None or found.cfg is not config:
        if len(_SHARED) >= 8:
            _SHARED.clear()
        found = _SHARED[key] = _Shared(lang, config)
    _LAST_SHARED.clear()
    _LAST_SHARED.append(found)
    return found


def _forget_shared() -> None:
    for shared in _SHARED.values():
        shared.clear()


register_memo(_forget_shared)  # `forget_spellings` empties these memos too (benchmark protocol)


def _run_logps(model: CharModel, low: str) -> tuple[list[float], list[float]]:
    """log10 P(spelling) under `model` of each prefix `low[:k]` and each suffix `low[k:]` of a
    run of lowercase letters, k = 1 .. len(low) - 1 (index 0 holds 0.0), from one pass over the
    run's trigrams: what `_Scorer._run_bounds` bounds unknown pieces with. The compiled engine
    runs `_wrapc.Spelling.run_logps`, the same floats (`tests/test_glue_native.py`).

    Before: `low` = `vietnamont`; after: logps_left[7] is `logp("vietnam")`, logps_right[7]
    is `logp("ont")`, each as `CharModel.logp` sums it."""
    n = len(low)
    # log10 P of each trigram of `^^low$`: terms[k] ends at low[k]; terms[n] is the end marker.
    # The trigrams that hold a `^` or the `$` are looked up by the letters they hold
    # (`CharModel._firsts`, `_starts`, `_ends`: the same values), from the run's bigrams,
    # each sliced once and used up to three times, so no trigram string is built for them;
    # a trigram never seen in training gets its backed-off estimate, as `logp` gives it
    log3, firsts, starts, ends = model._log3, model._firsts, model._starts, model._ends
    bigrams = [low[k : k + 2] for k in range(n - 1)]  # bigrams[k]: low[k], low[k + 1]
    terms: list[float] = []
    for k in range(n + 1):
        if k == 0:
            c = low[0]
            v = firsts.get(c)
            if v is None:
                v = math.log10(model._p("^", "^", c))
        elif k == n:
            if n >= 2:
                bg = bigrams[n - 2]
                v = ends.get(bg)
                if v is None:
                    v = math.log10(model._p(bg[0], bg[1], "$"))
            else:  # (one letter: `^`, it, `$`; `_lex_bound` asks for runs of two or more)
                v = log3.get("^" + low + "$")
                if v is None:
                    v = math.log10(model._p("^", low, "$"))
        elif k == 1:
            bg = bigrams[0]
            v = starts.get(bg)
            if v is None:
                v = math.log10(model._p("^", bg[0], bg[1]))
        else:
            tri = low[k - 2 : k + 1]
            v = log3.get(tri)
            if v is None:
                v = math.log10(model._p(tri[0], tri[1], tri[2]))
        terms.append(v)
    cum = [0.0] * (n + 1)
    for k in range(n):
        cum[k + 1] = cum[k] + terms[k]
    # log10 P(spelling) of each prefix `^^low[:k]$` (the same trigrams, then its own end:
    # the trigram of its last two letters and `$`, `^` and its letter for k = 1) and each
    # suffix `^^low[k:]$` (two trigrams of its own start, then the run's own)
    logps_left = [0.0] * n
    logps_right = [0.0] * n
    end = terms[n]
    for k in range(1, n):
        if k == 1:
            e3 = "^" + low[0] + "$"
            v = log3.get(e3)
        else:
            e3 = bigrams[k - 2]  # (its trigram with `$`)
            v = ends.get(e3)
        logps_left[k] = cum[k] + (v if v is not None else math.log10(model._p(e3[0], e3[1], "$")))
        c = low[k]
        v = firsts.get(c)
        first = v if v is not None else math.log10(model._p("^", "^", c))
        if n - k > 1:
            bg = bigrams[k]
            v = starts.get(bg)
            second = v if v is not None else math.log10(model._p("^", bg[0], bg[1]))
        else:  # a one-letter suffix: `^`, the letter, `$`
            t2 = "^" + c + "$"
            v = log3.get(t2)
            second = v if v is not None else math.log10(model._p("^", c, "$"))
        logps_right[k] = first + second + ((cum[n] - cum[k + 2]) + end if n - k > 1 else 0.0)
    return logps_left, logps_right


class _RunBounds:
    """One run of letters of a token `_lex_bound` covers (the token's letters, or a part between
    its hyphens), with what bounding its pieces takes (see `_Scorer._run_bounds`)."""

    def __init__(self, low: str, prefixes: list[str], suffixes: list[str], zpre: list[float | None],
                 zsuf: list[float | None], logps_left: list[float], logps_right: list[float],
                 openers: list[tuple[int, float]], closers: list[tuple[int, float]], nested: bool,
                 camel_nested: bool) -> None:
        self.low = low
        self.prefixes = prefixes
        self.suffixes = suffixes
        self.zpre = zpre
        self.zsuf = zsuf
        self.logps_left = logps_left
        self.logps_right = logps_right
        self.openers = openers
        self.closers = closers
        self.nested = nested
        self.camel_nested = camel_nested

    def bound(self, scorer: _Scorer, piece: str, k: int, left: bool) -> float:
        """At most `core_score(piece)`, `piece` being the run's prefix (`left`) or suffix cut at
        `k`: a known piece scores at most its Zipf; an unknown one at most `oov_zipf + log10
        P(spelling) - unknown_piece` (or its two known words, `nested`) plus its case's piece
        score, every penalty of `core_score` dropped."""
        cfg = scorer.cfg
        z = self.zpre[k] if left else self.zsuf[k]  # tab.get(plow)
        if len(piece) == 1:
            return (z if z is not None else 0.0) if piece in scorer.singles else 0.0
        plow = self.prefixes[k] if left else self.suffixes[k]
        if plow in scorer.elisions or plow in scorer.debris:
            return 0.0
        if z is not None:
            return z + max(0.0, -cfg.camel_piece_penalty)  # a known piece: its Zipf, or less
        if len(piece) <= 6 and _isupper(piece):
            return cfg.acronym_piece
        assert cfg.oov_zipf is not None  # (`_lex_bound` covers nothing without it)
        score = cfg.oov_zipf - cfg.unknown_piece + (self.logps_left[k] if left else self.logps_right[k])
        if self.nested:
            score = max(score, scorer._two_known_at(self.low, k, self.openers if left else self.closers, left,
                                                    piece) - cfg.unknown_piece)
        if score < cfg.inflection_zipf - cfg.unknown_piece:
            infl = scorer._inflected(plow)
            if infl is not None:
                score = max(score, infl - cfg.unknown_piece)
        case = scorer.name_piece if _isupper(piece[0]) and _islower(piece[1:]) else cfg.unknown_piece
        slack = (max(0.0, -scorer.embedded_word_penalty) + max(0.0, -cfg.camel_piece_penalty)
                 + 2 * max(0.0, -scorer.inner_glue_penalty))
        if self.camel_nested and not _islower(piece) and _camel_at(piece, 1):
            return max(case + score + slack, scorer._shared.camel_two(piece))  # exact: a rare case
        return case + score + slack


class _TokenBounds:
    """What `_Scorer._mixed_bound` needs to bound the pieces of one token that `_lex_bound` does
    not cover (digits, inner dots, elisions in hyphenated words), precomputed once per token so
    that a piece costs a few look-ups, not a pass of `core_score` over its characters: per
    offset, counts of each kind of character before it (a piece's counts are two reads), where
    a piece's core starts and ends (`_core_bounds` without slicing), the run of letters around
    it (its `_RunBounds` built when first asked for), and the spelling terms of the token's
    letters strung together (for the pieces `core_score` reads as their letters: `alt.ani`).

    `piece` and `core` mirror `_piece_score` and `core_score` branch by branch (the same tests
    in the same order, answered from the counts where a count answers them), with the costly
    parts (spelling log-probabilities, known words inside a piece) replaced by upper bounds: the
    result is at least the exact score, and None only where the exact score is None. A piece
    is given by its offsets in the token (`tok[a:b]`)."""

    def __init__(self, scorer: _Scorer, tok: str) -> None:
        self.tok = tok
        self.low = tok.lower()  # (`_mixed_bound` covers no token whose lowercase changes its length)
        n = len(tok)
        self.n = n
        alpha = [0] * (n + 1)
        alnum = [0] * (n + 1)
        dotcomma = [0] * (n + 1)
        other = [0] * (n + 1)  # neither alphanumeric nor `.` or `,`
        for k in range(n):
            ch = tok[k]
            isal = ch.isalpha()
            isan = isal or ch.isalnum()
            alpha[k + 1] = alpha[k] + (1 if isal else 0)
            alnum[k + 1] = alnum[k] + (1 if isan else 0)
            dc = ch == "." or ch == ","
            dotcomma[k + 1] = dotcomma[k] + (1 if dc else 0)
            other[k + 1] = other[k] + (0 if isan or dc else 1)
        # apostrophes, hyphens and `--` openings (most tokens have none: all zeros, one list)
        marks = _APOSTROPHES
        zeros = [0] * (n + 1)
        apos = hyph = dash2 = zeros
        if "'" in tok or "’" in tok:
            apos = [0] * (n + 1)
            for k in range(n):
                apos[k + 1] = apos[k] + (1 if tok[k] in marks else 0)
        if "-" in tok:
            hyph = [0] * (n + 1)
            dash2 = [0] * (n + 1)  # `--` opening at each offset before
            for k in range(n):
                ch = tok[k]
                hyph[k + 1] = hyph[k] + (1 if ch == "-" else 0)
                dash2[k + 1] = dash2[k] + (1 if ch == "-" and k + 1 < n and tok[k + 1] == "-" else 0)
        self.alpha, self.alnum, self.apos, self.hyph = alpha, alnum, apos, hyph
        self.dotcomma, self.other, self.dash2 = dotcomma, other, dash2
        # first_core[p]: the first offset >= p that is no opening mark; core_end[b]: one past the
        # last offset < b that is no closing mark (0: none)
        first_core = [n] * (n + 1)
        for k in range(n - 1, -1, -1):
            first_core[k] = k if tok[k] not in _OPENING else first_core[k + 1]
        core_end = [0] * (n + 1)
        for k in range(n):
            core_end[k + 1] = k + 1 if tok[k] not in _CLOSING else core_end[k]
        self.first_core, self.core_end = first_core, core_end
        # run_start[k], run_end[k]: the run of letters holding offset k (k itself when none)
        run_start = list(range(n))
        run_end = list(range(n))
        k = 0
        while k < n:
            if tok[k].isalpha():
                j = k
                while j < n and tok[j].isalpha():
                    j += 1
                for x in range(k, j):
                    run_start[x] = k
                    run_end[x] = j
                k = j
            else:
                k += 1
        self.run_start, self.run_end = run_start, run_end
        self.runs: dict[int, _RunBounds] = {}
        # no inner glue in the token, none in a piece of it (a match inside a piece is one inside
        # the token: the regex has no lookbehind, and its lookaheads read inside the piece)
        self.inner = _inner_split(tok) is not None
        self.cum: list[float] | None = None
        self.lang = scorer.lang

    def _letters_logp(self, a: int, b: int) -> float:
        """At most log10 P(spelling) of the letters of `tok[a:b]` strung together: of its trigram
        terms (each at most 0: log10 of a probability) only those wholly inside them, its start
        and its end marker left out."""
        la, lb = self.alpha[a], self.alpha[b]
        if lb - la < 3:
            return 0.0
        cum = self.cum
        if cum is None:  # the sums of the trigram terms of the token's letters strung together
            text = "".join(ch for ch in self.low if ch.isalpha())
            model = char_model(self.lang)
            log3 = model._log3
            cum = [0.0] * (len(text) + 1)
            for m in range(len(text)):
                term = 0.0
                if m >= 2:
                    tri = text[m - 2 : m + 1]
                    v = log3.get(tri)
                    term = v if v is not None else math.log10(model._p(tri[0], tri[1], tri[2]))
                cum[m + 1] = cum[m] + term
            self.cum = cum
        return cum[lb] - cum[la + 2]

    def core_of(self, a: int, b: int) -> tuple[int, int]:
        """`_core_bounds(tok[a:b])`, as offsets in the token."""
        s = min(self.first_core[a], b)
        return s, max(s, self.core_end[b])

    def alpha_at(self, scorer: _Scorer, a: int, b: int) -> float | None:
        """At most `core_score(tok[a:b])` for letters: a run's prefix or suffix by the run's
        bounds (`_RunBounds.bound`, for runs of 5+ letters: shorter ones cost less exactly), a
        whole run or a part inside one exactly (memoised)."""
        core = self.tok[a:b]
        m = b - a
        if m == 1:
            return scorer.tab.get(core.lower(), 0.0) if core in scorer.singles else 0.0
        rs, re_ = self.run_start[a], self.run_end[a]
        if (a == rs) != (b == re_) and re_ - rs >= 5:  # a prefix or a suffix of its run, not all of it
            run = self.runs.get(rs)
            if run is None:
                run = self.runs[rs] = scorer._run_bounds(self.tok[rs:re_])
            if a == rs:
                return run.bound(scorer, core, m, True)
            return run.bound(scorer, core, a - rs, False)
        return scorer._shared.piece(core, False)  # (letters are their own piece: `core_score`)

    def piece(self, scorer: _Scorer, a: int, b: int) -> float | None:
        """At most `_piece_score(tok[a:b])` (None: it is None)."""
        if a >= b:
            return None
        size = b - a
        if self.alpha[b] - self.alpha[a] == size:
            return self.alpha_at(scorer, a, b)
        cfg, tok = scorer.cfg, self.tok
        first, last = tok[a], tok[b - 1]
        fr = scorer.lang == "fr"
        if first in _CLOSING_PUNCT and first not in _OPENING_PUNCT:
            if fr and first in ":;!?»" and self.alnum[b] == self.alnum[a]:
                return cfg.punct_piece
            return None
        if last in _OPENING_PUNCT and last not in _CLOSING_PUNCT:
            if fr and size == 1 and last == "«":
                return cfg.punct_piece
            return None
        if last == "." and size <= 4 and _ABBREV_RE.fullmatch(tok, a, b):
            return cfg.abbrev_piece
        s, e = self.core_of(a, b)
        if s >= e:
            if fr and tok[a:b] not in _QUOTES:
                return cfg.punct_piece
            return None
        if tok[s] == "-" or tok[e - 1] == "-":
            return None
        return self.core(scorer, s, e)

    def core(self, scorer: _Scorer, s: int, e: int) -> float | None:
        """At most `core_score(tok[s:e])` (None: it is None), branch by branch."""
        cfg, tok = scorer.cfg, self.tok
        size = e - s
        na = self.alpha[e] - self.alpha[s]
        if na == size:
            return self.alpha_at(scorer, s, e)
        nap = self.apos[e] - self.apos[s]
        if na > 0 and na + nap == size:  # letters and apostrophes only
            return self.elided(scorer, s, e)
        digit_first = tok[s].isdigit()  # (the number, measure and ordinal patterns open with one)
        if digit_first:
            if _NUMBER_RE.fullmatch(tok, s, e):
                return cfg.number_piece
            if _MEASURE_RE.fullmatch(tok, s, e):
                return cfg.number_piece - 1.0
        if self.inner:
            core = tok[s:e]
            m = _inner_split(core)
            if m is not None and 0 < m.end() < size:
                return cfg.glued_piece  # (its parts' sum less a glue, at most this)
        if self.dash2[e - 1] > self.dash2[s] if e - 1 > s else False:  # `--` inside
            # the least of the parts that score: at most the best of them
            best: float | None = None
            k = s
            for x in tok[s:e].split("--"):
                if x:
                    sc = self.core(scorer, k, k + len(x))
                    if sc is not None and (best is None or sc > best):
                        best = sc
                k += len(x) + 2
            return best
        if digit_first and _ORDINAL_RE.fullmatch(tok, s, e):
            return cfg.number_piece - 1.0
        if self.hyph[e] > self.hyph[s]:
            z = scorer.tab.get(self.low[s:e])
            if z is not None:
                return z
            worst = 99.0
            k = s
            for p in tok[s:e].split("-"):
                if not p:
                    return None
                if len(p) == 1 and p.isalpha():
                    v = scorer.tab.get(p.lower(), 0.0)
                else:
                    v2 = self.core(scorer, k, k + len(p))
                    if v2 is None:
                        return None
                    v = v2
                worst = min(worst, v)
                k += len(p) + 1
            return worst
        if nap > 0:
            return self.elided(scorer, s, e)
        z = scorer.tab.get(self.low[s:e])
        if z is not None:
            return z
        if self.dotcomma[e] > self.dotcomma[s] and na > 0 and cfg.oov_zipf is not None:
            return cfg.oov_zipf + self._letters_logp(s, e) - (size - na) - 2.0
        if self.other[e] > self.other[s]:
            fallback = cfg.unknown_piece - 2 * scorer.inner_glue_penalty
            core = tok[s:e]
            if "/" in core:
                parts = core.split("/")
                if len(parts) <= 3 and all(p.isalpha() for p in parts):
                    scores: list[float] = []
                    k = s
                    for p in parts:
                        v3 = self.core(scorer, k, k + len(p))
                        if v3 is None:
                            break  # the exact scores go on as below
                        scores.append(v3)
                        k += len(p) + 1
                    else:
                        return max(min(scores), fallback)  # (an exact None of a part goes on below)
            return fallback
        return max(cfg.glued_piece, cfg.unknown_piece)  # a glued number and word, or unknown

    def elided(self, scorer: _Scorer, s: int, e: int) -> float | None:
        """At most `_elided_score(tok[s:e])` (None: it is None)."""
        cfg, tok = scorer.cfg, self.tok
        marks = _APOSTROPHES
        for k in range(s, e):
            if tok[k] in marks:
                if k == s or k + 1 == e:
                    return None
                prefix = self.low[s:k]
                if prefix in scorer.elisions:
                    if e - k == 2:
                        return scorer._elided_single(prefix, self.low[k + 1])
                    return self.core(scorer, k + 1, e)  # (the least of it and the prefix's)
                z = scorer.tab.get(self.low[s:e].replace("’", "'"))
                if z is not None:
                    return z
                if (scorer._wrap_lang and self.low[k + 1 : e] == "s" and _isupper(tok[s])
                        and _isalpha(tok[s:k])):
                    return self.core(scorer, s, k)  # `Falkland's`: the name (`_elided_score`)
                if scorer.lang == "fr":
                    return cfg.glued_piece / 2  # (or less)
                if self.low[k + 1 : e] in scorer.contractions:
                    return self.core(scorer, s, k)
                if _CLITIC_GLUE_RE.match(tok[s:e], k - 1 - s):
                    return cfg.glued_piece
                return cfg.unknown_piece
        return None


@functools.cache
def _longest_first(lang: str) -> tuple[str, ...]:
    """The elision prefixes of `lang` (`langdata.ELISION_PREFIXES`), the longest first, in a fixed
    order (a set's order changes between processes)."""
    return tuple(sorted(L.ELISION_PREFIXES.get(lang, frozenset()), key=lambda e: (-len(e), e)))


class _Scorer:
    """Scores split pieces for one language and configuration."""

    def __init__(self, lang: str, config: GlueConfig, context: GlueContext | None,
                 shared: _Shared | None = None, whole: bool = False) -> None:
        self.lang = lang
        self.cfg = config
        self.ctx = context if context is not None and context.lang == lang else None
        # token -> its candidates at offset 0: later passes of the fixpoint re-score the same
        # tokens, and other paragraphs of the document hold some of them (the memo is then the
        # document's: `GlueContext.candidates_memo`; the candidates depend on no paragraph)
        # (in full, `_cache`, and `cheap_only`, `_cache_cheap`: see `GlueContext.candidates_memo`)
        self._cache: dict[str, list[_Cand]]
        self._cache_cheap: dict[str, list[_Cand]]
        if self.ctx is None or shared is not None:
            self._cache, self._cache_cheap = {}, {}
        else:
            self._cache, self._cache_cheap = self.ctx.candidates_memo(config)
        self._whole = whole  # see `core_score`: the whole token is not read as two glued words
        self._wrap_lang = lang in config.wrap_languages
        if shared is None:
            # a scorer is made per paragraph: the language's tables are those the shared scorers
            # looked up (the same objects; about 8,000 instructions a paragraph less)
            shared = _shared_for(lang, config)
            part = shared.part
            self.tab: dict[str, float] = part.tab
            self.elisions: frozenset[str] = part.elisions
            self.elisions_longest: tuple[str, ...] = part.elisions_longest
            self.singles: frozenset[str] = part.singles
            self.debris: frozenset[str] = part.debris
            self.bad: frozenset[tuple[str, str]] = part.bad
            self.word_prefixes: frozenset[str] = part.word_prefixes
            self.trailing: frozenset[str] = part.trailing
            self.contractions: frozenset[str] = part.contractions
            self.name_prefixes: frozenset[str] = part.name_prefixes
            self.nested_barred: frozenset[str] = part.nested_barred
            self.url_re: re.Pattern[str] = part.url_re
            self.common_gate: frozenset[str] = part.common_gate
            self.name_piece: float = part.name_piece
            self.inner_glue_penalty: float = part.inner_glue_penalty
            self.embedded_word_penalty: float = part.embedded_word_penalty
            self.glued_extra: float = part.glued_extra
        else:
            self.tab = table(lang)
            self.elisions = L.ELISION_PREFIXES.get(lang, frozenset())
            # the longest first, in a fixed order (sorted once per language)
            self.elisions_longest = _longest_first(lang)
            self.singles = L.SINGLE_LETTER_WORDS.get(lang, frozenset())
            self.debris = L.DEBRIS_WORDS.get(lang, frozenset())
            self.bad = L.BAD_BIGRAMS.get(lang, frozenset())
            self.word_prefixes = L.WORD_PREFIXES.get(lang, frozenset())  # `pré|choisis` is one word
            self.trailing = L.TRAILING_SINGLES.get(lang, frozenset())
            self.contractions = L.CONTRACTION_TAILS.get(lang, frozenset())
            self.name_prefixes = L.NAME_PREFIXES.get(lang, frozenset())
            self.nested_barred = L.NESTED_BARRED_SINGLES.get(lang, frozenset())
            self.url_re = _URL_CASED_RE if lang in config.cased_domain_languages else _URL_RE
            # the common words the token gate passes (`_plain`), held: a `functools.cache`
            # call per token otherwise
            self.common_gate = common_words(lang, config.gate_zipf)
            # the configuration's values for this language, read once (see `GlueConfig`)
            self.name_piece = config.name_piece.get(lang, 1.5)
            self.inner_glue_penalty = config.inner_glue_penalty.get(lang, 1.0)
            self.embedded_word_penalty = config.embedded_word_penalty.get(lang, 3.0)
            self.glued_extra = config.glued_extra.get(lang, 3.0)
        self._shared = shared

    def cached(self, tok: str, start: int, index: int, cheap_only: bool, scan: bool = False) -> list[_Cand]:
        """`candidates` memoised per token text, shifted to `start` (`scan`: see `_context_terms`;
        the candidates are the same either way)."""
        out: list[_Cand] = []
        self.extend_cached(out, tok, start, index, cheap_only, scan)
        return out

    def extend_cached(self, out: list[_Cand], tok: str, start: int, index: int, cheap_only: bool,
                      scan: bool = False) -> None:
        """`out.extend(self.cached(tok, start, index, cheap_only, scan))` without the list
        `cached` makes per token (`_one_pass` gathers a paragraph's candidates in one list)."""
        found = self.memoised(tok, cheap_only, scan)
        if not found:
            return
        at = len(out)
        for c in found:
            out.append(_Cand(start + c.pos, index, c.lex, c.left, c.right, c.forced, c.chain_only, c.rules))
        if start == 0 and self.lang in self.cfg.comma_languages:
            for n in range(at, len(out)):  # a dateline: `Hanoï,17 mars (VNA)` opens the paragraph
                c = out[n]
                if c.chain_only and c.left.endswith(",") and c.right[:1].isdigit() and c.left[:1].isupper():
                    c.forced, c.chain_only = True, False

    def memoised(self, tok: str, cheap_only: bool, scan: bool = False) -> list[_Cand]:
        """The memo's own candidates of `tok` at offset 0, computed at the first question (what
        `cached` copies; read them, never change them: `_quote_parity`, `_agreement` and the
        dateline rule change the copies)."""
        if cheap_only and tok in self._shared.no_cheap:
            return []  # (see below: known to have no split at all)
        memo = self._cache_cheap if cheap_only else self._cache
        found = memo.get(tok)
        if found is None:
            if cheap_only:
                rows = self._shared.cheap_rows(tok)
                if rows is not None and not rows[0] and not rows[1]:
                    # no split of the token at all (most common words): `_cheap` gives [] whatever
                    # the document, so there is nothing to memoise nor to copy; the token is
                    # remembered as such (`_Shared.no_cheap`, bounded)
                    no_cheap = self._shared.no_cheap
                    if len(no_cheap) >= MEMO_KINDS:
                        no_cheap.clear()
                    no_cheap.add(tok)
                    return []
                found = self._cheap(tok, rows)
            else:
                found = self.candidates(tok, 0, 0, False, scan)
            memo[tok] = found
        return found

    def _plain(self, tok: str) -> bool:
        """The token gate: all its letter runs are common words and no punctuation or digit is
        glued to a letter (`ministre,` yes; `Vietnamont`, `2020,au` no; `35`, `(2012)`, `«` yes)."""
        if _ascii_no_letter(tok):
            return True  # (`35`, `(2012),`, `:`: no letter run, and no glue, see below)
        common = self.common_gate
        low = tok.lower()
        if _isalpha(low):  # one letter run, `low` itself (no regex pass)
            return low in common and _PUNCT_GLUE_RE.search(tok) is None
        letters = _LETTERS_RE.findall(low)
        if not common.issuperset(letters):
            return False
        if not letters and _no_glue_without_letters(tok):
            return True  # (numbers and marks alone, `35`, `(2012)`, `«`: no regex pass)
        return _PUNCT_GLUE_RE.search(tok) is None

    def two_words(self, c: _Cand) -> bool:
        """Both pieces are common words of 3+ letters (`qui|avait`, not `incarner|a`)."""
        lc, rc = _core(c.left).lower(), _core(c.right).lower()
        floor = self.cfg.gate_zipf
        return (len(lc) >= 3 and len(rc) >= 3 and self.tab.get(lc, 0.0) >= floor
                and self.tab.get(rc, 0.0) >= floor)

    def function_glue(self, c: _Cand) -> bool:
        """A very common function word and a word (`de|poulpes`: a word of 3+ letters after it;
        `commémoratifs|du`, `Afrique|et`: one of 4+ before it) whose glued form is no listed word."""
        words = L.FUNCTION_WORDS.get(self.lang)
        if not words:
            return False
        lc, rc = _core(c.left), _core(c.right)
        if (lc + rc).lower() in self.tab:
            return False
        if c.left[:1].isupper():  # `Il|est`, `Le|Muséum`: a capitalised function word first
            if c.left.lower() in words:
                return len(rc) >= 2
            # ... or a capitalised word of 4+ letters, then a function word (`Afrique|et`)
            return c.right in L.FUNCTION_TAILS[self.lang] and len(lc) >= 4
        if c.left in words:
            return len(rc) >= 3 and rc.isalpha()
        return c.right in L.FUNCTION_TAILS[self.lang] and len(lc) >= 4

    def unlisted_glue(self, c: _Cand) -> bool:
        """Both pieces lowercase words (no capital, no digit) and their glued form no listed
        word (`poseurde`, `bordéau`): in a wrapped paragraph, a stray glue."""
        text = c.left + c.right
        if any(ch.isupper() or ch.isdigit() for ch in text):
            return False
        return (_core(c.left) + _core(c.right)).lower() not in self.tab

    def maybe_glued(self, tok: str) -> bool:
        """`_maybe_glued`, memoised across paragraphs."""
        return self._shared.maybe_glued(tok)

    def _maybe_glued(self, tok: str) -> bool:
        """Cheap test: could `tok` hold an inline glue? (`ofEmbassy`, `quele`, `mot,suite`: yes;
        `Diefmatten`, whose every split leaves an unknown piece: no)."""
        # (letters with no capital after the first match neither regex: skipped)
        # (`_isalpha`, `_islower`: the str methods by integer tests for ASCII)
        if not (_isalpha(tok) and _islower(tok[1:])) and (_PUNCT_GLUE_RE.search(tok) or _camel_at(tok, 0)):
            return True
        i0, j0 = _core_bounds(tok)
        low = tok[i0:j0].lower()
        if not _isalpha(low):
            return True
        tab, singles, floor = self.tab, self.singles, self.cfg.maybe_zipf
        starts: list[int] = []  # where the words opening `low` end
        for k in range(1, len(low)):
            lw = low[:k]
            if tab.get(lw, 0.0) >= floor and (k > 1 or lw in singles):
                rw = low[k:]
                if tab.get(rw, 0.0) >= floor and (len(rw) > 1 or rw in singles):
                    return True
                starts.append(k)
        if starts and self.lang in self.cfg.maybe_three_languages:
            # three common words glued (`partylaterthat`, `haveattacheda`): a piece scores as two
            # (`nested_languages`); short pieces must be function words (not `aw|ee|some`)
            gate = self.cfg.gate_zipf

            def common(w: str) -> bool:
                z = tab.get(w, 0.0)
                return z >= gate and (len(w) > 2 or z >= gate + 2.0) and (len(w) > 1 or w in singles)

            # (a lone letter first reads names: `A|wee|some`)
            firsts = [k for k in starts if k > 1 and common(low[:k])]
            if not firsts:
                return False
            n = len(low)
            ends = [j for j in range(firsts[0] + 1, n) if common(low[j:])]
            for k in firsts:
                for j in ends:
                    if j > k and common(low[k:j]):
                        return True
        return False

    def _cheap(
        self, tok: str, found: tuple[tuple[tuple[int, float, str, str], ...], tuple[_CheapRow, ...]] | None
    ) -> list[_Cand]:
        """Splits of a common word into two common words (`pourtant` -> `pour|tant`).

        Only a wrap chain may take them: a line end can fall inside a word that is itself valid.
        The document-free part is memoised (`_cheap_rows`, given: `found`); the context's pairs
        are added here.
        """
        if found is None:  # `del'université`, `ets'aperçoit`: scored in full, chain only
            # and, as below, above `cheap_floor` only: the chain's floor would make any cut of a
            # common word (`L'équi|pe`, `l'attribut|ion`) cost a chain at most about 3
            return [_Cand(c.pos, c.tok, c.lex, c.left, c.right, c.forced, True, c.rules)
                    for c in self.candidates(tok, 0, 0, cheap_only=False) if c.lex >= self.cfg.cheap_floor]
        punct, rows = found
        cfg, ctx, lang = self.cfg, self.ctx, self.lang
        # (French spaced punctuation alone, `chose|:`: few, their rules found here)
        out = [_Cand(pos, 0, lex, left, right, False, True, _rule_bits(left, right, lang))
               for pos, lex, left, right in punct]
        words = ctx._word_map() if ctx is not None and rows else None
        for pos, lex, lc, rc, left, right, rules in rows:
            # (a pair's pieces are both words of the document: most rows need no pair built)
            if ctx is not None and words is not None and lc in words and rc in words and ctx.has_pair(lc, rc):
                lex += cfg.ctx_pair_bonus
            if lex >= cfg.cheap_floor:
                out.append(_Cand(pos, 0, lex, left, right, False, True, rules))
        return out

    def _cheap_rows(
        self, tok: str
    ) -> tuple[tuple[tuple[int, float, str, str], ...], tuple[_CheapRow, ...]] | None:
        """The document-free part of `_cheap`: French spaced punctuation (`chose|:`) and the
        splits of the core into two common words with their scores before the context's
        bonus (`pourtant` -> `pour|tant`). None when the core is not all letters."""
        i0, j0 = _core_bounds(tok)
        core = tok[i0:j0]
        if not core.isalpha():
            return None
        tab, cfg = self.tab, self.cfg
        punct: list[tuple[int, float, str, str]] = []
        rows: list[_CheapRow] = []
        if self.lang == "fr":  # French sets `:`, `;`, `!`, `?`, `«`, `»` apart: `chose|:`, `«|Tu`
            if j0 < len(tok) and tok[j0] in _FR_SPACED and j0 > 0:
                punct.append((j0, cfg.punct_lex, tok[:j0], tok[j0:]))
            if i0 > 0 and tok[i0 - 1] in _FR_SPACED and i0 < len(tok):
                punct.append((i0, cfg.punct_lex, tok[:i0], tok[i0:]))
        if len(core) < 4:
            return tuple(punct), ()
        low = core.lower()
        floor = cfg.gate_zipf + 1.0
        base = tab.get(low, cfg.gate_zipf) + cfg.known_whole_penalty
        singles = self.singles
        for k in range(1, len(low)):
            lw, rw = low[:k], low[k:]
            if (k == 1 and lw not in singles) or (k == len(low) - 1 and rw not in singles):
                continue
            zl = tab.get(lw, 0.0)
            if zl < floor:
                continue
            zr = tab.get(rw, 0.0)
            if zr < floor or rw in self.debris or lw in self.debris:
                continue
            lex = zl + zr - 9.0 - base
            if (lw, rw) in self.bad:
                lex -= cfg.bad_bigram_penalty
            left, right = tok[: i0 + k], tok[i0 + k :]
            rows.append((i0 + k, lex, core[:k], core[k:], left, right, _rule_bits(left, right, self.lang)))
        return tuple(punct), tuple(rows)

    def core_score(self, core: str) -> float | None:
        """Zipf-like plausibility of a token core as a standalone word; None if impossible."""
        cfg = self.cfg
        if _isalpha(core):
            low = core.lower()
            if len(core) == 1:
                return self.tab.get(low, 0.0) if core in self.singles else 0.0
            if low in self.elisions or low in self.debris:
                return 0.0
            z = self.tab.get(low)
            if z is not None:
                if _islower(core[0]) and not _islower(core) and _camel_at(core, 0):
                    return z - cfg.camel_piece_penalty  # `eX`, `eB`: a word never looks so
                if len(core) >= 3 and _isupper(core[-1]) and _islower(core[-2]) and self._wrap_lang:
                    # `WauterS|traël`, `ActiveS|et`: a listed word ending in one capital is the
                    # next word's capital cut off (`Wauter|Straël`), not the word (French; English
                    # writes `LeT`, Lashkar-e-Taiba)
                    return z - cfg.camel_piece_penalty
                return z
            if _isupper(core) and len(core) <= 6:
                return cfg.acronym_piece
            # unknown: longer strings are less likely words (`L'a|ctionestimatoire`)
            opens: bool | None = None  # `_starts_with_word(low)` when `_two_known_opens` told it
            two_read: float | None = None  # the two-word reading, where the penalties skip it
            if cfg.oov_zipf is not None:
                # spelling model: Zipf of an unknown word = the unknown mass + log10 P(spelling)
                score = cfg.oov_zipf + self._shared.logp(low) - cfg.unknown_piece
                if self.lang in cfg.nested_languages and not self._whole and _below_0250(low):
                    # or two known words glued (`Iraqipolitical`): then the token held two glues;
                    # the same look-ups tell whether a common word opens it (`_starts_with_word`)
                    two, opens = self._two_known_opens(low, core)
                    if self.lang in cfg.nested_plain_languages:
                        two_read = two - cfg.unknown_piece - cfg.nested_plain_extra
                    else:
                        score = max(score, two - cfg.unknown_piece)
            else:
                size = len(core)
                if size > 8:
                    score = -cfg.unknown_length_penalty * (size - 8)
                else:
                    score = -cfg.unknown_short_penalty * max(0, 6 - size)
                if low[:4] not in prefixes(self.lang):
                    score -= self.inner_glue_penalty  # `ctionestimatoire` starts like no word does
                if low[-3:] not in suffixes(self.lang):
                    score -= self.inner_glue_penalty  # `Papadímossuccè` ends like no word does
            if (opens if opens is not None else self._starts_with_word(low)) or (
                    self._ends_with_word(low) and not (self._wrap_lang and _isupper(core[0]) and _islower(core[1:]))):
                score -= self.embedded_word_penalty  # `trèsmelvillien`, `dímossuccède` are glued
            camel = not _islower(core) and _camel_at(core, 2 if core[:2] == "Mc" else 1)
            if camel:
                score -= cfg.camel_piece_penalty  # `relioVidmar`, `xA380`: itself glued
            if len(low) >= 10 and low[:7] in self.tab and self.tab[low[:7]] >= 3.0:
                score -= self.inner_glue_penalty  # `Navettespatia` opens with a 7-letter word
            if two_read is not None:
                # the penalties above say the string holds a word at an end, or a glue: the
                # two-word reading says so itself and pays for its glue (`nested_extra`)
                score = max(score, two_read)
            if score < cfg.inflection_zipf - cfg.unknown_piece:  # (only then can it lift it)
                infl = self._inflected(low)
                if infl is not None:
                    score = max(score, infl - cfg.unknown_piece)
            if _isupper(core[0]) and _islower(core[1:]):
                return self.name_piece + score
            if camel and self.lang in cfg.camel_nested_languages and not self._whole:
                return max(cfg.unknown_piece + score, self._shared.camel_two(core))
            return cfg.unknown_piece + score
        if _isalpha(core.replace("'", "").replace("’", "")):  # (the method by integer tests for ASCII)
            # letters and apostrophes only: none of the number, glue or dash rules below can
            # apply, so straight to the elision rules (`l'équi`, the left piece of `l'équipement`)
            return self._elided_score(core)
        # the number, measure and ordinal patterns all open with `\d+`: a core that does not
        # open with a decimal digit matches none of them (three regex calls spared)
        digit = _decimal_first(core)
        if digit and _NUMBER_RE.fullmatch(core):
            return cfg.number_piece
        if digit and _MEASURE_RE.fullmatch(core):
            return cfg.number_piece - 1.0  # `19°C`, `73%`, `160km`
        m = _inner_split(core)  # (the mark first: fast)
        if m is not None and 0 < m.end() < len(core):
            # the piece holds a glue of its own (`rrières.Bibliomédias`): it is as likely as its
            # two parts side by side, and less (a piece should not hide a second glue)
            left, right = self.piece_score(core[: m.end()]), self.piece_score(core[m.end() :])
            if left is None or right is None:
                return cfg.glued_piece
            return min(left + right - 9.0 - self.glued_extra, cfg.glued_piece)
        if "--" in core:  # GSD's dash: `Paris--mort`
            dashed = [self.core_score(x) for x in core.split("--") if x]
            return min((x for x in dashed if x is not None), default=None)
        if digit and _ORDINAL_RE.fullmatch(core):
            return cfg.number_piece - 1.0
        if "-" in core:  # before elisions: `Sainte-Anne-d'Auray` is three words
            z = self.tab.get(core.lower())
            if z is not None:
                return z
            parts = core.split("-")
            if any(not p for p in parts):
                return None
            worst = 99.0
            for p in parts:
                if p.isalpha() and len(p) == 1:
                    s = self.tab.get(p.lower(), 0.0)  # `e-gouvernement`, `a-t-il`
                else:
                    s2 = self.core_score(p)
                    if s2 is None:
                        return None
                    s = s2
                worst = min(worst, s)
            return worst
        if any(ch in _APOSTROPHES for ch in core):
            return self._elided_score(core)
        z = self.tab.get(core.lower())
        if z is not None:
            return z
        if any(ch in ".," for ch in core) and any(ch.isalpha() for ch in core) and cfg.oov_zipf is not None:
            # `ntpoort,26`: letters around a comma or a dot; as unlikely as its spelling, and less
            letters = "".join(ch for ch in core.lower() if ch.isalpha())
            others = len(core) - len(letters)
            return cfg.oov_zipf + self._shared.logp(letters) - others - 2.0
        if "/" in core:  # `son/sa`, `et/ou`: words joined by a slash are as likely as the rarest
            parts = core.split("/")
            if len(parts) <= 3 and all(p.isalpha() for p in parts):
                scores = [self.core_score(p) for p in parts]
                if all(x is not None for x in scores):
                    return min(x for x in scores if x is not None)
        if any(not (ch.isalnum() or ch in ".,") for ch in core):
            return cfg.unknown_piece - 2 * self.inner_glue_penalty  # `udi(Tourmalet`: not one word
        m = _NUMBER_WORD_RE.fullmatch(core) if self.lang not in cfg.wrap_languages else None
        if m is not None:
            # a number of 2+ digits glued to a word (`11Commission`, `28arrest`; not `2day`) holds
            # a glue of its own, in a language of inline joins: its two parts side by side, and less
            word = self.core_score(m.group(1))
            if word is not None:
                return min(word + cfg.number_piece - 9.0 - self.glued_extra, cfg.glued_piece)
        if digit and self._wrap_lang:
            m = _NUMBER_LOWER_RE.fullmatch(core)
            if m is not None:
                # a number glued to a lowercase word of 3+ letters that is no unit nor ordinal
                # (those matched above) holds a glue of its own in French, which sets numbers
                # apart: `5vaisse|aux` is no reading of `5|vaisseaux`
                word = self.core_score(m.group(1))
                if word is not None:
                    return min(word + cfg.number_piece - 9.0 - self.glued_extra, cfg.glued_piece)
        m = _WORD_NUMBER_RE.fullmatch(core)
        if m is not None:
            # a lowercase word glued to a number holds a glue of its own (`années1950`): as likely
            # as the word and the number side by side, and less (`a|nnées1950` is no split)
            word = self.core_score(m.group(1))
            if word is not None:
                return min(word + cfg.number_piece - 9.0 - self.glued_extra, cfg.glued_piece)
        return cfg.unknown_piece

    def _elided_score(self, core: str) -> float | None:
        """`core_score` of a core holding an apostrophe, read at its first one: an elision
        (`l'équipe` scores `équipe`), a word of its own (`aujourd'hui`), or a glue."""
        cfg = self.cfg
        for k, ch in enumerate(core):
            if ch in _APOSTROPHES:
                prefix, rest = core[:k].lower(), core[k + 1 :]
                if not rest or not prefix:
                    return None
                if prefix in self.elisions:
                    if len(rest) == 1:  # `n'y`, `l'a`, `qu'à` are words; `d'a`, `l'e` are not
                        return self._elided_single(prefix, rest.lower())
                    r = self.core_score(rest)
                    if r is not None and len(prefix) > 2:  # `lorsqu'il` is as rare as `lorsqu`
                        r = min(r, self.tab.get(prefix, 0.0))
                    return r
                z = self.tab.get(core.lower().replace("’", "'"))
                if z is not None:
                    return z
                if self._wrap_lang and rest.lower() == "s" and _isupper(core[0]) and _isalpha(core[:k]):
                    # an English possessive in French text (`Falkland's`, `McDonald's`): the name
                    return self.core_score(core[:k])
                if self.lang == "fr":
                    # `trel'UFE`, `cd'Intercity` cannot be a word: at best a glue before an elision
                    # (`de|l'Université`), and no likelier than its two parts side by side minus a
                    # glue (`nderens|L'Archestrate`, the debris of a wrong cut, is far less)
                    score = cfg.glued_piece / 2
                    for e in self.elisions_longest:  # the longest first: `jusqu'`, not `qu'`
                        if prefix.endswith(e) and len(prefix) > len(e):
                            left = self.core_score(core[: k - len(e)])
                            right = self.core_score(core[k - len(e) :])
                            if left is not None and right is not None:
                                score = min(score, left + right - 9.0 - self.glued_extra)
                            break
                    return score
                if rest.lower() in self.contractions:
                    return self.core_score(core[:k])  # `Japan's`; but `It'st|his` is no word
                if _CLITIC_GLUE_RE.match(core, k - 1):
                    return cfg.glued_piece  # `Israel'spartially`: a clitic, then a glued word
                return cfg.unknown_piece
        return None  # no apostrophe: not called so

    def _inflected(self, low: str) -> float | None:
        """Score of an unknown word that is a known word of 5+ letters with an inflection's
        ending (`intransigeance|s`, `monocaméral|e`), a listed infinitive with a future or
        conditional ending (`englober|ont`, `langdata.VERB_ENDINGS`), or a prefix before a listed
        word of 4+ letters (`pyro|électricité`, `langdata.COMPOUND_PREFIXES`): rarer than any
        listed word, but a word, not the debris of a glue that its spelling alone makes of it;
        None: no such reading."""
        endings = _INFLECTIONS.get(self.lang)
        cfg = self.cfg
        n = len(low)
        # (every reading wants 6 letters or more: a stem of `inflection_stem` and an ending, or a
        # prefix of two and a word of four; most pieces of a glued token are shorter)
        if not endings or n <= min(cfg.inflection_stem, 5):
            return None
        tab = self.tab
        if low[-1:] in _INFLECTION_LAST.get(self.lang, ""):
            for e in endings:
                if low.endswith(e) and len(low) - len(e) >= cfg.inflection_stem:
                    z = tab.get(low[: -len(e)])
                    if z is not None:
                        return min(z, cfg.inflection_zipf)
            # a future or conditional: the infinitive (`englober|ont`), or one in `-re` (`prendr|a`);
            # the endings by length, longest first, each tried only after an `r` (one index test)
            for size, ends in _VERB_ENDING_SIZES.get(self.lang, ()):
                if n - size >= cfg.inflection_stem and low[n - size - 1] == "r" and low[n - size:] in ends:
                    stem = low[: n - size]
                    z = tab.get(stem)
                    if z is None:  # `prendr|a`; a listed stem that is no infinitive is a glue's
                        z = tab.get(stem + "e")  # piece: `auteur|a`, whatever `auteure` is
                    elif stem[-2] not in "ei":
                        z = None
                    if z is not None:
                        return min(z, cfg.inflection_zipf)
        # a compound: a prefix, then a listed word (`pyro|électricité`, `poly|thérapie`); most
        # words open with no prefix's first two letters (one look-up)
        heads = _COMPOUND_HEADS.get(self.lang)
        if heads is not None:
            for prefix in heads.get(low[:2], ()):
                if len(low) - len(prefix) >= 4 and low.startswith(prefix):
                    word = low[len(prefix):]
                    z = tab.get(word)
                    # (a prefix makes no compound of a function word: `pro|mais` is a glue)
                    if z is not None and z >= cfg.compound_zipf and word not in _FUNCTION_WORDS.get(self.lang, ()):
                        return min(z, cfg.inflection_zipf)
        return None

    def _elided_single(self, prefix: str, letter: str) -> float:
        """Score of an elision before a one-letter word (`n'|a`, `j'|y`, `qu'|à`, lowercase):
        the elided form's own Zipf if wordfreq lists it, else (its tokenizer splits them) the
        letter's less `elided_single_penalty` where the pair is French (`langdata.ELIDED_SINGLES`:
        `n'a`, not `d'a`), else 0."""
        z = self.tab.get(prefix + "'" + letter)
        if z is not None:
            return z
        if prefix in L.ELIDED_SINGLES.get(self.lang, {}).get(letter, ()):
            return self.tab.get(letter, 0.0) - self.cfg.elided_single_penalty
        return 0.0

    def _starts_with_word(self, low: str) -> bool:
        """True when a common word of `embedded_min` letters or more (3 by default) opens `low`
        and leaves 3+ letters."""
        words = self._shared.words_5()  # the words of Zipf >= 5
        for k in range(self.cfg.embedded_min.get(self.lang, 3), len(low) - 2):
            if low[:k] in words:
                return True
        return False

    def _two_known_opens(self, low: str, core: str | None = None) -> tuple[float, bool | None]:
        """`_two_known(low, core)`, and `_starts_with_word(low)` from the same look-ups (None: not
        told, where `embedded_min` is below 2): `low[:k]` is a word of Zipf >= 5 (the set
        `common_words(lang, 5.0)` is the table's words of Zipf >= 5) for some k of
        `range(embedded_min, n - 2)`, every one of which the loop looks up (k > 1, k < n - 1:
        the lone-letter rules, at k = 1 and k = n - 1, change no `opens`)."""
        tab, singles, debris, best = self.tab, self.singles, self.debris, -99.0
        n = len(low)
        first = self.cfg.embedded_min.get(self.lang, 3)
        opens: bool | None = False if first >= 2 else None
        extra = self.cfg.nested_extra.get(self.lang, 0.5)
        for k in range(1, n):
            if k == n - 1 and low[k:] not in singles:
                continue
            lw = low[:k]  # (the right piece is sliced only behind a known left one)
            if k == 1 and (lw not in singles or (core is not None and core[0] in self.nested_barred)):
                continue
            zl = tab.get(lw)
            if zl is None:
                continue
            if opens is False and zl >= 5.0 and first <= k < n - 2:
                opens = True
            if lw in debris:
                continue
            if k == n - 1 and core is not None and self.trailing and not self._trails(core[:k], zl, core[k:]):
                continue
            rw = low[k:]
            zr = tab.get(rw)
            if zr is None or rw in debris:
                continue
            best = max(best, zl + zr - 9.0 - extra)
        return best, opens

    def _two_known(self, low: str, core: str | None = None) -> float:
        """Best score of `low` read as two known words side by side, minus a glue's cost.

        With `core` (`low` in its own case), a lone letter obeys the rules of a split between
        pieces (the reading is one: `And|iamos` read as `And i amos`): last, it must be able to
        follow the word before (`_trails`: `Afghanistan` + `a` no, `attached` + `a` yes, in a
        language with `langdata.TRAILING_SINGLES`); first, it may not be a letter of
        `langdata.NESTED_BARRED_SINGLES` (`iamos` is no `i` + `amos`, `Iwas` is `I` + `was`):
        the piece is mostly a right piece, so the letter would follow the piece before, which a
        letter that never trails (`i`) cannot. Without `core`, every listed letter may stand
        alone at either end (the readings before these rules)."""
        tab, singles, best = self.tab, self.singles, -99.0
        n = len(low)
        for k in range(1, n):
            if k == n - 1 and low[k:] not in singles:
                continue
            lw = low[:k]  # (the right piece is sliced only behind a known left one)
            if k == 1 and (lw not in singles or (core is not None and core[0] in self.nested_barred)):
                continue
            zl = tab.get(lw)
            if zl is None or lw in self.debris:
                continue
            if k == n - 1 and core is not None and self.trailing and not self._trails(core[:k], zl, core[k:]):
                continue
            rw = low[k:]
            zr = tab.get(rw)
            if zr is None or rw in self.debris:
                continue
            best = max(best, zl + zr - 9.0 - self.cfg.nested_extra.get(self.lang, 0.5))
        return best

    def _two_known_at(self, low: str, k: int, ends: list[tuple[int, float]], left: bool,
                      piece: str | None = None) -> float:
        """`_two_known(low[:k], piece)` if `left`, else `_two_known(low[k:], piece)`, from the
        known words that open `low` (`ends`: (end, Zipf)) or that close it ((start, Zipf)), which
        `_lex_bound` looks up once per token: the same readings in the same order, less those
        `_two_known` skips (`piece`: the piece in its own case, for the lone-letter rules; a
        method, not a closure: a closure calling a closure makes a reference cycle)."""
        tab, singles, debris, best = self.tab, self.singles, self.debris, -99.0
        extra = self.cfg.nested_extra.get(self.lang, 0.5)
        for j, z in ends:
            # the other piece lies between the known word's end (or start) and k
            if left:
                if j >= k:
                    break
                a, b = j, k
            elif j <= k:
                continue
            else:
                a, b = k, j
            other = low[a:b]
            if b - a == 1 and other not in singles:
                continue
            zo = tab.get(other)
            if zo is None or other in debris:
                continue
            if piece is not None:
                # the lone-letter rules of `_two_known`: the known word `z` is first if `left`
                cut = j if left else b - a  # where the reading's two words meet, in `piece`
                if cut == 1 and piece[0] in self.nested_barred:
                    continue
                if (self.trailing and cut == len(piece) - 1
                        and not self._trails(piece[:cut], z if left else zo, piece[cut:])):
                    continue
            best = max(best, z + zo - 9.0 - extra)  # (a sum of two is the same float either way round)
        return best

    def _camel_two(self, core: str) -> float:
        """Best score of the letters `core` read as two pieces glued at a case change
        (`HyattRegency` -> `Hyatt` + `Regency`, `theIsraeli`), minus a glue's cost: a piece with
        a capital inside is mostly a glue of its own in a language of inline joins."""
        best = -99.0
        extra = 9.0 + self.cfg.nested_extra.get(self.lang, 0.5)
        for m in _CAMEL_RE.finditer(core, 2 if core[:2] == "Mc" else 1):
            k = m.start() + 1
            if not (core[0].isupper() or core[:k].lower() in self.tab):
                continue  # an unknown lowercase piece before a capital: no reading (`yatt|Regency`)
            left, right = self.piece_score(core[:k]), self.piece_score(core[k:])
            if left is not None and right is not None:
                best = max(best, left + right - extra)
        return best

    def _ends_with_word(self, low: str) -> bool:
        """True when a fairly common word of 5+ letters ends `low` after 3+ letters."""
        words = self._shared.words_35()  # the words of Zipf >= 3.5
        for k in range(3, len(low) - 4):
            if low[k:] in words:
                return True
        return False

    def piece_score(self, piece: str) -> float | None:
        """`_piece_score`, memoised across paragraphs (`_Shared.piece`)."""
        return self._shared.piece(piece, self._whole)

    def _piece_score(self, piece: str) -> float | None:
        if _isalpha(piece):
            return self.core_score(piece)  # a word of letters is its own core
        if not piece:
            return None
        first, last = piece[0], piece[-1]
        # a piece cannot start with a mark that closes a word (`,8`) nor end with one that opens
        if first in _CLOSING_PUNCT and first not in _OPENING_PUNCT:
            if self.lang == "fr" and first in ":;!?»" and all(not ch.isalnum() for ch in piece):
                return self.cfg.punct_piece
            return None
        if last in _OPENING_PUNCT and last not in _CLOSING_PUNCT:
            if self.lang == "fr" and piece == "«":
                return self.cfg.punct_piece
            return None
        if last == "." and _ABBREV_RE.fullmatch(piece):
            return self.cfg.abbrev_piece  # `M.`, `V.`, `St.`
        i, j = _core_bounds(piece)
        core = piece[i:j]
        if not core and self.lang == "fr" and piece not in _QUOTES:
            return self.cfg.punct_piece  # `(...)`, `".` (a lone `"` opens or closes: unknown)
        if not core or core[0] == "-" or core[-1] == "-":
            return None
        return self.core_score(core)

    def candidates(self, tok: str, start: int, index: int, cheap_only: bool, scan: bool = False) -> list[_Cand]:
        """Split candidates inside one whitespace token.

        `cheap_only`: the token is a common word; only splits into two common words are tried
        (`pourtant` can be `pour|tant` at a line end), which the wrap model alone may accept.
        The document-free part (which positions, the pieces' scores) is memoised across
        documents in `_Shared.positions`; the document context is applied here, in the same
        order of float operations as ever, so the scores are bit-identical.
        """
        found = self._shared.positions(tok, cheap_only)
        if found is None:
            return []
        base, rows = found
        cfg = self.cfg
        ctx = self.ctx
        if ctx is not None and ctx.seen_twice(_core(tok)):
            base += cfg.ctx_whole_penalty
        out: list[_Cand] = []
        # scoring reads the document's set of words (the fast gate's scans too once it is built:
        # `has_word` is membership in it): once per token, and a row with neither piece in it
        # gets nothing from the context (`_context_terms` returns () without a look-up more), so
        # it is not asked
        words = ctx._word_map() if ctx is not None and rows and (not scan or ctx._has_words()) else None
        for i, left, right, t, cues, camel, lc, rc in rows:
            forced = (cues & _CUE_FORCED) != 0
            soft = (cues & _CUE_SOFT) != 0
            comma = (cues & _CUE_COMMA) != 0
            lex = t - base
            if cues & _CUE_PUNCT:
                lex = cfg.punct_lex  # French sets `« Tu »`, `chose :` apart: neutral, chain decides
            if camel is not None:
                lex += camel
                if cues & _CUE_CAMEL2:
                    lex += camel / 2  # `RajeshBhagwan`: two capitalised names
            if cues & _CUE_BAD:
                lex -= cfg.bad_bigram_penalty
            if ctx is not None and (words is None or lc in words or rc in words):
                for bonus in self._context_terms(lc, rc, scan):
                    lex += bonus  # term by term, as ever: bit-identical scores
            if forced or (soft and comma):
                lex = max(lex, cfg.comma_score)
            if cues & _CUE_ABBREV:
                lex = max(lex, 0.0)  # `M.|Sleimane`: at a line end, the best place in the token
            elif soft:
                lex = -cfg.soft_penalty if cues & _CUE_DIGITS else lex - cfg.soft_penalty
            if comma and not forced:
                lex += cfg.comma_bonus.get(self.lang, 0.0)  # `Hamas,|but`: a comma ends a word
            if cues & _CUE_SENT:
                lex += cfg.sentence_bonus  # `arrières.|Bibliomédias`: a sentence starts here
            if cues & _CUE_QUOTE:
                lex += cfg.quote_bonus  # `Só"|qui` closes, `de|"Sanctus` opens (see `_positions`)
            if lex < cfg.candidate_floor and not forced:
                continue
            out.append(_Cand(start + i, index, lex, left, right, forced, soft, cues >> _CUE_RULES_SHIFT))
        return out

    def _context_terms(self, lc: str, rc: str, scan: bool = False) -> tuple[float, ...]:
        """What the document context adds to the split `lc|rc`, term by term: the pair bonus when
        the two pieces stand side by side elsewhere (`Mai Tien`), else a word bonus per piece seen
        elsewhere that is a rare name (rare verb forms, `coopérer|ont`, are no evidence)."""
        ctx, cfg = self.ctx, self.cfg
        if ctx is None:
            return ()
        # a pair's pieces are both words of the document: most splits need no pairs. `scan`: the
        # fast gate's few questions scan the texts (`has_word`); scoring asks for every
        # candidate, so it builds the set of words once
        if scan:
            left, right = ctx.has_word(lc), ctx.has_word(rc)
        else:
            words = ctx._word_map()
            left, right = lc in words, rc in words
        if not (left or right):
            return ()  # most splits: neither piece is a word of the document (no tuple built)
        if left and right and ctx.has_pair(lc, rc):
            return (cfg.ctx_pair_bonus,)
        # a word bonus per piece seen that is a rare name, the left one first (written out: the
        # generator expressions this was, a tuple of generated terms and an `any` over each
        # piece's characters, cost about 1,500 instructions a call in compiled code)
        tab = self.tab
        named_left = left and tab.get(lc.lower(), 0.0) < 3.5 and _has_upper(lc)
        named_right = right and tab.get(rc.lower(), 0.0) < 3.5 and _has_upper(rc)
        if named_left and named_right:
            return (cfg.ctx_word_bonus, cfg.ctx_word_bonus)
        if named_left or named_right:
            return (cfg.ctx_word_bonus,)
        return ()

    def _base(self, tok: str, whole: float | None) -> float:
        """The score of leaving `tok` whole, which a split must beat, from its own score as one
        piece (`whole`); one place for `_positions` and the fast gate's bounds (`_lex_bound`)."""
        cfg = self.cfg
        if whole is not None and whole >= cfg.gate_zipf:
            return whole + cfg.known_whole_penalty  # splitting a real word needs strong support
        if whole is not None and whole >= cfg.listed_zipf and self.lang in cfg.listed_whole_penalty:
            core = _core(tok)
            k = core.find("'")
            if k < 0:
                k = core.find("’")
            if 0 < k <= 5 and core[:k].lower() in self.elisions:
                core = core[k + 1 :]  # `s'enrôle`: the word after the elision
            if core.isalpha() and core.islower() and core in self.tab and not self._web_glue(core):
                # a rarer listed word (`arien`, `ente`: not common enough for the gate) is still a
                # word: `a|rien`, `en|te` need more than the pair's frequency over the word's
                return whole + cfg.listed_whole_penalty[self.lang]
        if whole is not None and (
            _INNER_GLUE_RE.search(tok)
            or (self.contractions and ("'" in tok or "’" in tok) and _CLITIC_GLUE_RE.search(tok))
        ):
            return whole  # the token holds a glue of its own: `arrières.Bibliomédias`, `Israel'spartially`
        unk = cfg.whole_unknown.get(self.lang, 1.0)
        base = max(whole if whole is not None else unk, unk)
        if whole is not None and whole < unk and (self.lang not in cfg.lowercase_slope_languages or tok.islower()):
            # ... but a very unlikely spelling still counts (`Holocaustopened`, -10.9)
            base += cfg.whole_unknown_slope.get(self.lang, 0.0) * (whole - unk)
            knee = cfg.whole_unknown_knee.get(self.lang)
            if knee is not None and whole < knee:
                base += cfg.whole_unknown_slope2.get(self.lang, 0.0) * (whole - knee)
        return base

    def _glued_scheme(self, tok: str) -> int:
        """Where a web address glued to what precedes it starts in `tok` (0: none): after a
        letter or digit (`réalisationshttp://`), or, in French, after the spaced colon that opens
        the token (`:http://`: `Orientales :http://www.`)."""
        if "://" not in tok:
            return 0
        m = _GLUED_SCHEME_RE.search(tok, 2)
        if m is not None:
            return m.start()
        if self.lang == "fr" and tok[:1] == ":" and tok[1:9].lower().startswith(("http://", "https://")):
            return 1
        return 0

    def _address(self, tok: str) -> bool:
        """`self.url_re.search(tok)`, skipped where it cannot match: each of its alternatives
        holds a `.`, a `:` or an `@` (case folding maps none of them), which most tokens lack."""
        return ("." in tok or ":" in tok or "@" in tok) and self.url_re.search(tok) is not None

    def _listed_single(self, left: str, right: str) -> bool:
        """`métriques|a`: a lowercase word wordfreq lists (Zipf `listed_zipf` or more, below the
        gate) before a one-letter word of a wrap language is no name's ending (`Xar|a`): the
        lone-letter rule keeps the split chain-only (`encres|à` inline may be a source's own) but
        without the soft penalty (its rows add `soft_penalty` back; the bound reads it as not soft)."""
        return (self.lang in self.cfg.wrap_languages and right in self.singles and left.isalpha()
                and left.islower() and self.tab.get(left, 0.0) >= self.cfg.listed_zipf)

    def _web_glue(self, low: str) -> bool:
        """`low` is a determiner or preposition glued to a common word of 3+ letters (`laville`,
        `enligne`): wordfreq lists such web glues as words, but they are none
        (`langdata.GLUE_HEADS`); unless another form of it is listed too (`enrôle`, `enrôler`;
        `surgelé`, `surgelés`: `_has_family`), which a glue of two words does not have."""
        heads = L.GLUE_HEADS.get(self.lang, frozenset())
        for k in range(1, min(len(low) - 2, 6)):
            if low[:k] in heads and self.tab.get(low[k:], 0.0) >= self.cfg.gate_zipf:
                return not self._has_family(low)
        return False

    def _has_family(self, low: str) -> bool:
        """Another form of the word `low` is listed at Zipf 2 or more: `low` with an ending of
        `langdata.FAMILY_ENDINGS` added, or a verb's ending it ends with (its stem keeping four
        letters or more) swapped for another. Before: `enrôle` read as the web glue `en|rôle`;
        after: `enrôler` is listed, so it is a word (`laville`, `enligne`: no such form)."""
        family = L.FAMILY_ENDINGS.get(self.lang)
        if not family:
            return False
        added, verb = family
        tab = self.tab
        for e in added:
            if tab.get(low + e, 0.0) >= 2.0:
                return True
        for e in verb:
            if low.endswith(e) and len(low) - len(e) >= 4:
                stem = low[: -len(e)]
                for e2 in verb:
                    if e2 != e and tab.get(stem + e2, 0.0) >= 2.0:
                        return True
        return False

    def _typo_zipf(self, tok: str) -> float:
        """The Zipf of the most frequent word of Zipf `typo_zipf` or more one edit from the core
        of `tok`, when that core is a lowercase word of `typo_min`+ letters wordfreq does not
        list, else -inf (see `GlueConfig.typo_languages`): `islad` -> `island` 5.01, `airpart` ->
        `airport` 4.84, `theyy` -> `they` 6.5; `amust` -> -inf (`a` + `must` is the glue, no
        typo), `thecn` -> `then` 6.07 (`the|cn` is then no split: a repair lost on dev).

        A letter left out or changed is read in `_Shared.typo_index`, an added letter or two
        swapped ones by a look-up of the word they leave."""
        cfg = self.cfg
        low = _core(tok)
        n = len(low)
        if n < cfg.typo_min or not low.isalpha() or not low.islower() or low in self.tab:
            return -math.inf
        index = self._shared.typo_index()
        tab, singles, floor = self.tab, self.singles, cfg.typo_zipf
        best = -math.inf
        for k in range(n + 1):
            z = index.get((low, k))  # a letter left out before k (`islad`: `island`)
            if z is not None and z > best:
                best = z
        for k in range(n):
            rest = low[:k] + low[k + 1 :]
            z = index.get((rest, k))  # the k-th letter changed (`airpart`: `airport`)
            if z is not None and z > best:
                best = z
            if (k == 0 or k == n - 1) and low[k] in singles:
                continue  # a lone `a` or `i` glued at an end is the glue, no added letter
            z = tab.get(rest)  # the k-th letter added (`theyy`: `they`)
            if z is not None and z >= floor and z > best:
                best = z
        for k in range(n - 1):
            z = tab.get(low[:k] + low[k + 1] + low[k] + low[k + 2 :])  # two letters swapped
            if z is not None and z >= floor and z > best:
                best = z
        return best

    def _positions(self, tok: str, cheap_only: bool) -> tuple[float, tuple[_Row, ...]] | None:
        """The document-free part of `candidates`: the base score of the whole token and, per
        position that may hold a split, its pieces, `s(left) + s(right) - 9` and its cues.

        A pure function of the token (for one language and configuration), so `_Shared`
        memoises it across paragraphs and documents: `Vietnamont` -> (base, (row of
        `Vietnam|ont`, row of `Viet|namont`, ...)). None: no position at all (`www.x.com`).
        """
        n = len(tok)
        if n < 2:
            return None
        if self._address(tok):
            at = self._glued_scheme(tok)
            if not at:
                return None
            # an address glued on: split before its scheme, always (the comma rule's strength)
            left, right = tok[:at], tok[at:]
            return 0.0, ((at, left, right, 0.0, _CUE_FORCED, None, _core(left), _core(right)),)
        cfg = self.cfg
        comma_rule = self.lang in cfg.comma_languages
        wrap_lang = self.lang in cfg.wrap_languages
        # the token itself is not read as two words: that is the question
        base = self._base(tok, self._shared.piece(tok, True))
        if self.lang in cfg.typo_languages:
            base = max(base, self._typo_zipf(tok) - cfg.typo_cost)  # (the bounds' base stays below)
        if _isalpha(tok):
            return base, self._letter_rows(tok, cheap_only)
        rows: list[_Row] = []
        for i in range(1, n):
            a, b = tok[i - 1], tok[i]
            forced = soft = abbrev = unit = acronym = False
            if (_isalpha(a) and not _latin(a)) or (_isalpha(b) and not _latin(b)):
                continue  # Chinese, Cyrillic, Greek: not this stage's scripts (`1月8日`)
            if a.isdigit() and b.isdigit():
                if (not _THOUSANDS_RE.fullmatch(tok, i) or _YEAR_RE.search(tok[:i])
                        or _NUMBER_RE.fullmatch(_core(tok[:i])) is None):
                    continue  # `1|998` is a year, not a thousand; `HO6|000` a model's name
                soft = True  # French thousands lose their space at a line end: `223|000`
            if _isupper(a) and _isupper(b) and not self._caps_glue(tok) and not self._acronym_word(tok, i):
                if not (i + 1 < n and _islower(tok[i + 1]) and wrap_lang):
                    continue  # inside an acronym
                soft = True  # `ISA|Brown`, `FA|Cup`, `A|Boston`: the acronym stays whole; only a chain may
                acronym = True
            if b in _APOSTROPHES or (a in _APOSTROPHES and a not in _CLOSING_PUNCT):
                continue  # never cut an elision
            if a in _APOSTROPHES and i >= 2 and _isalpha(tok[i - 2]) and (_isalpha(b) or (b == "«" and wrap_lang)):
                continue  # `l'|équipement`, `Japan'|s`; French sets no space after an elision: `l'|«instant »`
            if a == "-" or b == "-":
                continue  # hyphen compounds stay whole
            if a == ",":
                # `dit,|"par`: an opening quote after a comma (wrap languages; quote parity decides)
                quoted = (b in _QUOTES and i + 1 < n and _latin(tok[i + 1])
                          and wrap_lang)
                # (after a dot that ends an abbreviation too: `R.E.M.,|sommes-nous`)
                # (... and after an ellipsis that ends a word: `Next...,|sorti`)
                after_dot = i >= 3 and tok[i - 2] == "." and (
                    _latin(tok[i - 3]) or _ELLIPSIS_COMMA_RE.search(tok, 0, i) is not None)
                if i < 2 or not (_latin(tok[i - 2]) or tok[i - 2] in ")»\"%" or after_dot) or not (_latin(b) or quoted):
                    continue  # Chinese text uses ASCII commas too: `越通社,1月8日`
                if tok[i:].lower() in _DOMAINS and tok[i:].lower() not in _WORDLIKE_DOMAINS:
                    continue  # `baomoi,com`: a mistyped web address
                if b.isdigit():
                    if tok[i - 2].isdigit():
                        continue  # 9,8  15,000
                    # only a wrap chain may split (sources have `Londres,3 septembre`), or a
                    # dateline that opens a paragraph (`Hanoï,17 mars`, see `cached`)
                    soft = True
                elif _isalpha(b):
                    if comma_rule:
                        forced = True
                    elif (not _isupper(b) and self.lang not in cfg.comma_bonus
                          and not (self.lang in cfg.comma_name_languages and self._name_before(tok[:i]))):
                        continue  # English sources have `meat,chorizo`: scored, never forced
                elif not quoted:
                    continue
            elif a in _SENTENCE_END:
                if not (_isupper(b) or b in _OPENING_PUNCT):
                    if a in "?!" and _islower(b) and i >= 3 and _isalpha(tok[i - 2]) and not wrap_lang:
                        pass  # `kidding?|why`: no address nor abbreviation ends so (inline languages)
                    elif (wrap_lang and a == "." and _islower(b) and i >= 2 and _isalpha(tok[i - 2])
                          and (i < 3 or not _isalpha(tok[i - 3])) and len(_core(tok[i:])) >= 2
                          and _isalpha(_core(tok[i:])) and not self.url_re.search(tok)):
                        # `C.|sanguinea`, `E.|coli` at a line end: a genus's initial, then its
                        # species; `s.|par`, `v.|cep.`: a one-letter abbreviation, then a word
                        soft = True
                    elif not (wrap_lang and i >= 4 and _islower(tok[i - 2])
                              and (_islower(b) or b.isdigit()) and not self.url_re.search(tok)):
                        continue  # `Baonghean.vn`, `etc.le`
                    else:
                        soft = True  # `menace.|c'est`, `exemplaire.|2000` at a line end: only a chain may
                # a capitalised word of 3+ letters after the dot, in a language of inline joins
                after = tok[i + 1 : i + 3]
                word_after = not wrap_lang and _isupper(b) and _isalpha(after) and _islower(after)
                if ((i >= 2 and tok[i - 2] == ".") or (i >= 3 and tok[i - 3] == ".")) and not (
                    word_after or (wrap_lang and _ELLIPSIS_RE.search(tok, 0, i))
                ):
                    continue  # `U.S.A`; but `U.S.|Department`, `romains...|Elle`
                if (wrap_lang and _isupper(b) and i + 1 < n and tok[i + 1] == "."
                        and i >= 2 and _isupper(tok[i - 2]) and (i < 3 or not _isalpha(tok[i - 3]))):
                    continue  # `R.|E.M.`, `T.|A.`: French writes an initialism solid (a name's initials spaced)
                if _ABBREV_RE.fullmatch(_core_start(tok[:i])):
                    abbrev = soft = True  # `St.John`, `M.Sleimane`: only a wrap chain may
                    if word_after:
                        abbrev = soft = False  # ... but `Dr.|Dorn`, `Sun.|Please`, `D.|Hilliard` inline
            elif b.isdigit() and not a.isalnum():
                continue  # `08:02`, `(989)755`: only the comma rule splits before a number
            elif a.isdigit() and _isalpha(b):
                rest = tok[i:]
                rest_core = _core(rest).lower()
                if wrap_lang and rest_core in _UNITS and _NUMBER_RE.fullmatch(_core(tok[:i])):
                    soft = unit = True  # `865|ha`, `300|km/h`, `2990|m`: French sets units apart
                elif rest_core in _NUMBER_SUFFIXES and wrap_lang and len(rest_core) > 1:
                    soft = True  # `32|kg`, `12|ans`: French sets units apart; only a chain may
                elif wrap_lang and rest_core in self.singles and rest_core not in _NUMBER_SUFFIXES:
                    soft = True  # `1961|à Moscou` at a line end: only a chain may
                elif rest_core in _NUMBER_SUFFIXES or len(rest_core) < 2:
                    continue
                elif (not wrap_lang and len(rest_core) >= 3 and _isalpha(rest_core)
                      and _core(rest)[1:].islower() and self.tab.get(rest_core, 0.0) >= cfg.gate_zipf):
                    pass  # `11|Commission`, `28|arrest`: a number before a word (inline languages)
                elif _isupper(b) or self.tab.get(rest_core, 0.0) < 4.5 or not _isalpha(rest_core):
                    soft = True  # `ảnh 1Le`: a photo marker; `9|féminines`: only a chain may
            elif _isalpha(a) and b.isdigit():
                lcore = _core(tok[:i])
                if (len(lcore) < 4 and self.tab.get(lcore.lower(), 0.0) < 4.5) or _isupper(lcore):
                    soft = True  # `F16`, `COVID19`, `mp3`; but `à23 km`, `Interstate680`
            elif a.isalnum() and b.isalnum():
                if cheap_only and not (_isupper(b) and _islower(a)):
                    pass
            elif not (
                (self.lang == "fr" and a == "«")
                or a in _CLOSING_PUNCT or b in _OPENING_PUNCT or (self.lang == "fr" and b in "«»:;!?")
            ):
                continue
            left, right = tok[:i], tok[i:]
            # `l'«|instantanéité`: an elision binds to the guillemet it stands before (`l'«` is no
            # piece that scores), and French sets a space after the guillemet: the split is
            # French spaced punctuation (`punct`, below), as `«|Tu`
            elided_guillemet = (a == "«" and wrap_lang and i >= 3 and tok[i - 2] in _APOSTROPHES
                                and tok[: i - 2].lower() in self.elisions)
            sl = 0.0 if elided_guillemet else self.piece_score(left)
            if sl is None:
                continue
            if cheap_only and sl < cfg.gate_zipf + 1.0:
                continue
            sr = self.piece_score(right)
            if sr is None:
                continue
            if cheap_only and sr < cfg.gate_zipf + 1.0:
                continue
            t = sl + sr - 9.0
            if acronym:
                t += cfg.soft_penalty - cfg.acronym_soft_penalty  # (the soft cue takes the first off)
            if (a.isdigit() or b.isdigit()) and self._date(left, right):
                t += cfg.date_bonus
            if unit:
                t += cfg.unit_bonus
            lc, rc = ("" if elided_guillemet else _core(left)), _core(right)
            punct = self.lang == "fr" and not (lc and rc) and a not in _QUOTES and b not in _QUOTES
            lone = len(rc) == 1 and _isalpha(rc) and _isalpha(a)  # `Yaqub|i.` too
            if lone and right == rc and wrap_lang and _islower(b) and b not in self.singles:
                continue  # `stratagème|s`, as in `_letter_rows` (`voir|p.`, an abbreviation, stays)
            if rc and ord(rc[0]) > 127 and self._foreign_initial(rc):
                continue  # `Pan|čevo.`, as in `_letter_rows`
            if _islower(b) and len(lc) <= 5 and _INITIAL_HEAD_RE.fullmatch(lc) and (wrap_lang or _isupper(lc[0])):
                continue  # `C.s|anguinea`, `s.p|ar`: an initial and a few letters is no word (`C.|sanguinea`)
            if lone and sl < cfg.gate_zipf and self._listed_single(lc, rc):
                t += cfg.soft_penalty  # `métriques|a`: chain-only, as below, but at full score
            if lone and (sl < cfg.gate_zipf or (self.lang == "en" and not self._trails(left, sl, rc))
                         or (wrap_lang and any(ch.isdigit() for ch in lc))):
                # `Xar|a`: a lone letter next to an unknown word is a name's ending, next to a
                # measure its unit's (`865h|a` is `865|ha`) ...
                if not ((_isupper(b) or b in self.singles) and wrap_lang):
                    continue
                soft = True  # ... but `chromosome|X`, `encres|à` at a line end: only a wrap chain may
            if (_islower(b) and _isupper(a) and a not in self.singles and self.lang not in cfg.wrap_languages
                    and (i < 2 or not _isalpha(tok[i - 2]))):
                continue  # `A.B|oone`: an initial is not cut from its name (inline languages)
            camel: float | None = None
            camel2 = False
            if _islower(a) and _isupper(b):
                if lc in self.name_prefixes:
                    continue  # `Mc|Leran`: a name's own prefix
                camel = cfg.camel_bonus.get(self.lang, 0.0)
                camel2 = i >= 3 and _isupper(tok[0]) and _islower(right[1:2])
            rlow = rc.lower()
            if rlow[:3] in ("qu'", "qu’"):
                rlow = "que"  # `puis|qu'il` is `puis|que`
            bad = (lc.lower(), rlow) in self.bad or (lc in self.word_prefixes and _isalpha(rc) and _islower(rc))
            sent = a in _SENTENCE_END and (_isupper(b) or b in _OPENING_PUNCT) and not abbrev
            if a == ":" and _isupper(b) and _islower(right[1:2]) and self.lang not in cfg.wrap_languages:
                sent = True  # `Coach:|Melanie`, `NOTE:|Your`: a colon before a capitalised word
            quote = bool(
                (a in _QUOTES and i >= 2 and _isalpha(tok[i - 2]) and _islower(b) and a not in tok[i:])
                or (b in _QUOTES and i + 1 < n and (_isupper(tok[i + 1]) or b in tok[i + 1 :]))
            )
            cues = _row_cues(a, b, forced, soft, abbrev, punct, camel2, bad, sent, quote)
            rows.append((i, left, right, t, cues | _rule_bits(left, right, self.lang) << _CUE_RULES_SHIFT,
                         camel, lc, rc))
        return base, tuple(rows)

    def _foreign_initial(self, piece: str) -> bool:
        """`piece` opens with a lowercase letter no word of the language opens with
        (`langdata.WORD_INITIALS`) and is no listed word: `íen`, `číket`, `èqui` (not `ès`)."""
        initials = L.WORD_INITIALS.get(self.lang)
        c = piece[0]
        return (initials is not None and c not in initials and c.islower()
                and piece.lower() not in self.tab)

    @staticmethod
    def _name_before(left: str) -> bool:
        """The letters that end `left` before its closing punctuation are capitalised (`Hamas,`,
        `O'Keefe,`, `X),`; not `E-commercesolutions,`)."""
        m = _WORD_END_RE.search(_core(left))
        return m is not None and m.group()[0].isupper()

    def _date(self, left: str, right: str) -> bool:
        """`left|right` separates a day and its month (`27|mai`, `(Huntingdon,25|avril`) or a
        month and its day or year (`August|1,`, `September|23,`, `octobre|1914--...`)."""
        months = L.MONTHS.get(self.lang, frozenset())
        m = _WORD_START_RE.match(right)
        if m is not None and m.group().lower() in months and _DAY_END_RE.search(left):
            return True
        m = _WORD_END_RE.search(left)
        return m is not None and m.group().lower() in months and _DATE_START_RE.match(right) is not None

    def _caps_glue(self, tok: str) -> bool:
        """Whether two capitals side by side in `tok` may hold an inline glue, in a language without wrap
        chains: inside an all-capital token of 5+ letters that is no word (`WANTS|TO`,
        `MILLIONS|FOR`; `NASCAR`, `AZURIX` score too low to split). An acronym before a
        capitalised word stays whole (`BARTrail` is no `BAR|Trail`)."""
        if self.lang in self.cfg.wrap_languages:
            return False
        i0, j0 = _core_bounds(tok)
        core = tok[i0:j0]
        return len(core) >= 5 and core.isalpha() and core.isupper() and core.lower() not in self.tab

    def _acronym_word(self, tok: str, i: int) -> bool:
        """An acronym of 2+ capitals glued to a capitalised word of 3+ letters at `i`, in a
        language of inline joins (`US|Marines`, `GISB|Agreement`, `AM|Will`): the sources
        rarely write so."""
        if not (self.lang in self.cfg.acronym_word_languages and i >= 2 and tok[i - 2].isupper()
                and tok[i - 1].isupper() and tok[i : i + 1].isupper() and tok[i + 1 : i + 3].islower()
                and tok[i + 1 : i + 3].isalpha() and len(tok[i + 1 : i + 3]) == 2):
            return False
        # ... unless the capital may end the acronym before a word (`BART|rail`, not `BAR|Trail`)
        m = _WORD_START_RE.match(tok, i + 1)
        rest = m.group().lower() if m is not None else ""
        return len(rest) < 4 or self.tab.get(rest, 0.0) < self.cfg.gate_zipf

    def _trails(self, left: str, sl: float, right: str) -> bool:
        """A lone single-letter word may follow `left` (`just|a`, `which|I`): a common word,
        and a very common one when capitalised (`Hill|a` is the name `Hilla`; `Such|a` is not)."""
        if right not in self.trailing:
            return False
        return sl >= self.cfg.gate_zipf + (2.0 if left[:1].isupper() else 0.0)

    def _letter_rows(self, tok: str, cheap_only: bool) -> tuple[_Row, ...]:
        """`_positions` for a token of letters only (`Vietnamont`, most glued tokens): the
        same rows by the same rules, with the rules about digits, punctuation, quotes and
        elisions left out, as none of them can apply; a letter piece is its own core."""
        cfg, lang = self.cfg, self.lang
        shared = self._shared  # (`shared.piece(...)`: a native call; a bound method held in a
        # local would be called through the interpreter's machinery)
        wrap_lang = lang in cfg.wrap_languages
        floor = cfg.gate_zipf + 1.0
        camel_bonus = cfg.camel_bonus.get(lang, 0.0)
        bad_pairs = self.bad
        n = len(tok)
        rows: list[_Row] = []
        # letters all Latin: `_latin` holds at every position (`isascii` is O(1): most tokens)
        all_latin = tok.isascii() or max(tok) < "\u0250"
        for i in range(1, n):
            a, b = tok[i - 1], tok[i]
            if not all_latin and not (_latin(a) and _latin(b)):
                continue  # Chinese, Cyrillic, Greek: not this stage's scripts
            soft = acronym = False
            if _isupper(a) and _isupper(b) and not self._caps_glue(tok) and not self._acronym_word(tok, i):
                if not (i + 1 < n and _islower(tok[i + 1]) and wrap_lang):
                    continue  # inside an acronym
                soft = acronym = True  # `ISA|Brown`: only a chain may
            if i == n - 1 and wrap_lang and _islower(b) and b not in self.singles:
                continue  # `stratagème|s`: a lowercase letter alone is no word (a variable's `x` aside)
            if ord(b) > 127 and self._foreign_initial(tok[i:]):
                continue  # `Manab|íen`: no word of the language opens so
            left, right = tok[:i], tok[i:]
            sl = shared.piece(left, False)
            if sl is None or (cheap_only and sl < floor):
                continue
            sr = shared.piece(right, False)
            if sr is None or (cheap_only and sr < floor):
                continue
            t = sl + sr - 9.0
            if acronym:
                t += cfg.soft_penalty - cfg.acronym_soft_penalty  # `HMS|Shannon` (see `_positions`)
            if len(right) == 1 and sl < cfg.gate_zipf and self._listed_single(left, right):
                t += cfg.soft_penalty  # `métriques|a`: chain-only, as below, but at full score
            if len(right) == 1 and (sl < cfg.gate_zipf or (lang == "en" and not self._trails(left, sl, right))):
                # `Xar|a`: a lone letter next to an unknown word is a name's ending ...
                if not ((_isupper(b) or b in self.singles) and wrap_lang):
                    continue
                soft = True  # ... but `chromosome|X`, `encres|à` at a line end: only a wrap chain may
            camel: float | None = None
            camel2 = False
            if _islower(a) and _isupper(b):
                if left in self.name_prefixes:
                    continue  # `Mc|Leran`: a name's own prefix
                camel = camel_bonus
                camel2 = i >= 3 and _isupper(tok[0]) and _islower(right[1:2])
            bad = (left.lower(), right.lower()) in bad_pairs or (left in self.word_prefixes and _islower(right))
            cues = _row_cues(a, b, False, soft, False, False, camel2, bad, False, False)
            rows.append((i, left, right, t, cues | _rule_bits(left, right, self.lang) << _CUE_RULES_SHIFT,
                         camel, left, right))
        return tuple(rows)

    def _run_bounds(self, run: str) -> _RunBounds:
        """What `_lex_bound` needs to bound the pieces of one run of letters (`_RunBounds`): the
        spelling log-probabilities of all its prefixes and suffixes from one pass over its
        trigrams, their Zipfs, and the known words opening and closing it."""
        n = len(run)
        low = run.lower()
        tab, singles, debris = self.tab, self.singles, self.debris
        spelling = self._shared.spelling()
        if spelling is not None:
            logps_left, logps_right = spelling.run_logps(low)  # (the same floats, in C)
        else:
            logps_left, logps_right = _run_logps(self._shared.model(), low)
        # every prefix and suffix of `low` and its Zipf (None: unknown), looked up once; from them
        # `_two_known` of a prefix or a suffix: the known words opening and closing `low`
        prefixes = [low[:j] for j in range(n)]
        suffixes = [low[j:] for j in range(n)]
        zpre = [tab.get(w) for w in prefixes]
        zsuf = [tab.get(w) for w in suffixes]
        openers: list[tuple[int, float]] = []  # (end, Zipf) of the words `_two_known` may open with
        closers: list[tuple[int, float]] = []  # (start, Zipf) of those it may close with
        nested = self.lang in self.cfg.nested_languages
        if nested:
            for j in range(1, n):
                zl, lw = zpre[j], prefixes[j]
                if zl is not None and (j > 1 or lw in singles) and lw not in debris:
                    openers.append((j, zl))
                zr, rw = zsuf[j], suffixes[j]
                if zr is not None and (j < n - 1 or rw in singles) and rw not in debris:
                    closers.append((j, zr))
        camel_nested = self.lang in self.cfg.camel_nested_languages and _camel_at(run, 0)
        return _RunBounds(low, prefixes, suffixes, zpre, zsuf, logps_left, logps_right, openers, closers,
                          nested, camel_nested)

    def _hyphen_part(self, run: _RunBounds, part: str, k: int, left: bool) -> float:
        """At most the score `core_score` gives the part `part` of a hyphenated piece, the run's
        prefix (`left`) or suffix cut at `k`: one letter scores its Zipf there (`e-gouvernement`)."""
        if len(part) == 1:
            return self.tab.get(run.prefixes[k] if left else run.suffixes[k], 0.0)
        return run.bound(self, part, k, left)

    def _lex_bound(self, tok: str) -> tuple[float, tuple[tuple[float, str, str], ...]] | None:
        """Upper bounds of the lexical scores `candidates` gives the splits of `tok`, document
        context left out (see `_nothing_to_split`): (the largest, then per position (bound,
        left core, right core), in offset order); None when `tok` is not one this covers.

        Covered: a core of Latin letters with opening punctuation before it and closing
        punctuation after it that no piece can start or end with (`Papadímos`, `(OSCE),`),
        maybe after a one-letter elision (`d'Averroès`) or, in a language without elisions,
        before a clitic (`Enron's`). Their splits fall inside the letters (`_letter_rows`, or
        the same rules in `_positions`): lex = s(left) + s(right) - 9 - base, plus the case
        cue, minus the bad-bigram and soft penalties. Each term is bounded from above without
        the costly parts of scoring a piece: a known piece scores at most its Zipf; an unknown one at most
        `oov_zipf + log10 P(spelling) - unknown_piece` (or its two known words, `nested`) plus
        its case's piece score, every penalty of `core_score` dropped; the spelling
        log-probabilities of all the core's prefixes and suffixes come from one pass over its
        trigrams. The base is bounded from below. Sums are in another order than the exact
        scores', so 1e-6 is added. The exact base is computed when cheap (a known word) or
        when it may matter. `tests/test_glue_speed.py` checks the bounds against the exact
        scores on every token of the benchmark: a new cue or bonus in `candidates`,
        `_positions`, `_letter_rows` or `core_score` must be reflected here too.
        """
        cfg, lang = self.cfg, self.lang
        if len(tok) < 2 or self._address(tok):
            if self._glued_scheme(tok):
                return None  # (its one split is forced: scored exactly)
            return -math.inf, ()  # `_positions` gives no split at all (an address, a letter)
        if cfg.oov_zipf is None:
            return None
        i0, j0 = _core_bounds(tok)
        core = tok[i0:j0]
        # an elision before the letters (`d'Averroès`) or, in a language without elisions, a
        # clitic after them (`Enron's`, `wouldn't`): splits fall inside the letters only
        pre = post = ""
        marks = _APOSTROPHES  # (read once: a module attribute costs a look-up per character)
        apostrophes = [k for k, ch in enumerate(core) if ch in marks]
        if len(apostrophes) == 1:
            k = apostrophes[0]
            if k == 1 and core[0].isalpha() and core[0].lower() in self.elisions:
                pre, core = core[:2], core[2:]
            elif k == len(core) - 2 and core[-1].lower() in self.debris and not self.elisions and lang != "fr":
                post, core = core[k:], core[:k]
            else:
                return None
        n = len(core)
        low = core.lower()
        if n < 2 or (not core.isascii() and max(core) >= "\u0250") or len(low) != n:
            return None
        # the letter runs where a split may fall, with their offsets in `core`: the core itself,
        # or the parts of letters joined by single hyphens (`Saint-Genest`, `al-Zarqawi`): no
        # split at a hyphen (`_positions`), and a piece that holds one scores as its listed
        # form, else as the least of its parts (`core_score`): at most the part the split cuts
        segs: list[tuple[int, str]] = [(0, core)]
        if not core.isalpha():
            parts = core.split("-")
            if pre or post or not all(part.isalpha() for part in parts):  # (an empty part is not)
                return None
            segs = []
            at = 0
            for part in parts:
                segs.append((at, part))
                at += len(part) + 1
        head, tail = tok[:i0], tok[j0:]
        i0 += len(pre)  # offset of the letters in the token
        fr = lang == "fr"
        # a straight double quote opening the token or closing it is a piece of its own that
        # scores None (`"|Mamma`, `combatif|"`); anywhere else it may make a piece (`("`)
        opening = head[1:] if head[:1] == '"' else head
        closing = tail[:-1] if tail[-1:] == '"' else tail
        if any(ch in _CLOSING_PUNCT or (fr and ch == "«") for ch in opening):
            return None  # a piece may start or end there (`«|Tu`, `'`)
        if any(ch in _OPENING_PUNCT or (fr and ch in _FR_SPACED) for ch in closing):
            return None  # `chose|:`, a quote
        tab, singles = self.tab, self.singles
        unk = cfg.whole_unknown.get(lang, 1.0)
        if (low in tab or low in self.elisions or low in self.debris or _ABBREV_RE.fullmatch(tok)
                or (post and (core + post).lower().replace("’", "'") in tab)):
            whole_known = True  # a known word: its exact score is cheap
        else:
            whole_known = False
            base = min(unk, cfg.gate_zipf + cfg.known_whole_penalty)  # at least
        wrap_lang = lang in cfg.wrap_languages
        camel_bonus = cfg.camel_bonus.get(lang, 0.0)
        soft = cfg.soft_penalty
        acronym_soft = min(cfg.acronym_soft_penalty, soft)  # (a bound: the lesser)
        rows: list[tuple[float, str, str]] = []
        top = -math.inf  # the largest v
        for at, seg in segs:
            m = len(seg)
            if m < 2:
                continue  # no split inside one letter
            run = self._run_bounds(seg)
            hyphen_left = at > 0  # the left piece holds a hyphen
            hyphen_right = at + m < n  # the right one does
            for k in range(1, m):
                j = at + k  # offset of the split in `core`
                a, b = seg[k - 1], seg[k]
                is_soft = acronym = False
                # inside an acronym: no split, or a soft one (`ISA|Brown`); `WANTS|TO`: see `_caps_glue`
                # (`_isupper`, `_islower`: the str methods by integer tests for ASCII, where a
                # method call is a generic one in compiled code; two or three per position)
                upper_b = _isupper(b)
                if upper_b and _isupper(a) and not self._caps_glue(tok) and not self._acronym_word(core, j):
                    if not (j + 1 < n and _islower(core[j + 1]) and wrap_lang):
                        continue
                    is_soft = acronym = True
                lc, rc = core[:j], core[j:]
                if pre and j == 1:  # `d'A`: `_elided_score` reads the elided form as a word
                    sl = self._elided_single(pre[0].lower(), lc.lower())
                elif hyphen_left:  # `Saint-Gen|est`: the listed form, else at most the part `Gen`
                    z = tab.get(lc.lower())
                    sl = z if z is not None else self._hyphen_part(run, seg[:k], k, True)
                else:
                    sl = run.bound(self, lc, k, True)  # (`seg` is `core` from its start: `lc` is `seg[:k]`)
                if not tail and not post and j == n - 1 and (
                    (sl < cfg.gate_zipf and not self._listed_single(lc, rc))
                    or (lang == "en" and not self._trails(lc.lower(), sl, rc))
                ):  # (lowercase: `_trails` then asks the least of `sl`, as a bound must)
                    # `Xar|a`: a lone letter is a name's ending, or a soft split (`chromosome|X`)
                    if not ((upper_b or b in singles) and wrap_lang):
                        continue
                    is_soft = True
                if post:  # `ron's`: the clitic form if known, else its letters (`_elided_score`)
                    z = tab.get((rc + post).lower().replace("’", "'"))
                    sr = z if z is not None else run.bound(self, seg[k:], k, False)
                elif hyphen_right:  # `Mort|agne-sur-Sèvre`: at most the part `agne`
                    z = tab.get(rc.lower())
                    sr = z if z is not None else self._hyphen_part(run, seg[k:], k, False)
                elif tail == "." and _ABBREV_RE.fullmatch(rc + tail):
                    sr = cfg.abbrev_piece  # `Dr.` at the end of a token
                else:
                    sr = run.bound(self, rc, k, False)  # (the last part: `rc` is `seg[k:]`)
                # (an acronym's split pays `acronym_soft_penalty` whatever else makes it soft)
                v = sl + sr - 9.0 - (acronym_soft if acronym else soft if is_soft else 0.0)
                if upper_b and _islower(a):
                    v += camel_bonus
                    if i0 + j >= 3 and _isupper(tok[0]) and _islower(rc[1:2]):
                        v += camel_bonus / 2
                rows.append((v, pre + lc if pre else lc, rc + post if post else rc))
                if v > top:
                    top = v
        if not rows:
            return -math.inf, ()
        # the exact base when it may matter, and always where the base has no cheap lower bound
        # (`whole_unknown_slope`: the less likely the spelling, the lower the base)
        if whole_known or cfg.whole_unknown_slope.get(lang, 0.0) > 0 or top - base > -4.0:
            whole = self._shared.piece(tok, True)
            if whole is None:
                return None
            base = self._base(tok, whole)
        shift = -base + max(0.0, -cfg.bad_bigram_penalty) + max(0.0, -soft, -acronym_soft) + 1e-6
        out = tuple((v + shift, lc, rc) for v, lc, rc in rows)
        return top + shift, out  # (adding the same float keeps the order: the largest of `out`)

    def _bound(self, tok: str) -> tuple[float, tuple[tuple[float, str, str], ...]] | None:
        """`_lex_bound`, else `_mixed_bound` where it pays (`_Shared.bound` memoises this).

        `_mixed_bound` costs about what exact scoring costs on a short token (`24e`, `1990s`,
        `R.E.M.`: a few positions, each piece a constant), and is wasted on one that holds a
        glue of its own (`délicieuse.Initialement`, `Wednesday,leaving`: `_INNER_GLUE_RE`), which
        its bound rarely clears; and in a language of wrap chains, where a glued paragraph has
        every token scored exactly once a chain is possible (glued French paid 0.4 % for it,
        clean French gained about as much). Those are scored exactly, as before (see
        bench/GLUE.md, "Fifth speed round")."""
        found = self._lex_bound(tok)
        if (found is None and len(tok) >= MIXED_MIN_LEN and self.lang not in self.cfg.wrap_languages
                and _INNER_GLUE_RE.search(tok) is None):
            return self._mixed_bound(tok)
        return found

    def _mixed_bound(self, tok: str) -> tuple[float, tuple[tuple[float, str, str], ...]] | None:
        """Upper bounds of the lexical scores of the splits of a token `_lex_bound` does not
        cover, as `_lex_bound` gives them: digits and ordinals (`24e`, `20h30`, `1990s`),
        inner dots and addresses (`U.S.`, `alt.animals.cat,`, `Stocks.pdf)(See`), elisions
        in hyphenated words (`Sainte-Anne-d'Auray`), slashes, dashes.

        The positions are those of `_positions`, by its very tests in its order (the soft and
        abbreviation flags as it sets them); at each, the pieces' scores are bounded by
        `_TokenBounds` (which mirrors `core_score` branch by branch with the spelling terms
        bounded), the base is the exact one (one score of the whole token), and each cue of
        `candidates` is added where it may apply (a replacement by a constant, `punct_lex`,
        `comma_score`, as a max). Not covered (None): a forced split (the comma rule, a
        dateline's comma), a straight or curly double quote (quote bonuses and parity), letters
        of other scripts, a token whose lowercase changes its length."""
        cfg, lang = self.cfg, self.lang
        n = len(tok)
        if n < 2 or self._address(tok):
            return None if self._glued_scheme(tok) else (-math.inf, ())
        if cfg.oov_zipf is None or any(ch in _QUOTES for ch in tok):
            return None
        if not tok.isascii() and (len(tok.lower()) != n or any(ch.isalnum() and ord(ch) >= 0x250 for ch in tok)):
            return None
        comma_rule = lang in cfg.comma_languages
        wrap_lang = lang in cfg.wrap_languages
        base = self._base(tok, self._shared.piece(tok, True))
        tb = _TokenBounds(self, tok)
        camel_bonus = cfg.camel_bonus.get(lang, 0.0)
        best: dict[tuple[str, str], float] = {}
        for i in range(1, n):
            a, b = tok[i - 1], tok[i]
            soft = abbrev = unit = acronym = False
            # (the position tests of `_positions`, in its order; its `forced` is not covered)
            if a.isdigit() and b.isdigit():
                if (not _THOUSANDS_RE.fullmatch(tok, i) or _YEAR_RE.search(tok[:i])
                        or _NUMBER_RE.fullmatch(_core(tok[:i])) is None):
                    continue
                soft = True
            if a.isupper() and b.isupper() and not self._caps_glue(tok) and not self._acronym_word(tok, i):
                if not (i + 1 < n and tok[i + 1].islower() and wrap_lang):
                    continue
                soft = acronym = True
            if b in _APOSTROPHES or (a in _APOSTROPHES and a not in _CLOSING_PUNCT):
                continue
            if a in _APOSTROPHES and i >= 2 and tok[i - 2].isalpha() and b.isalpha():
                continue
            if a == "-" or b == "-":
                continue
            if a == ",":
                quoted = False  # (no quote in a covered token)
                after_dot = i >= 3 and tok[i - 2] == "." and (
                    _latin(tok[i - 3]) or _ELLIPSIS_COMMA_RE.search(tok, 0, i) is not None)
                if i < 2 or not (_latin(tok[i - 2]) or tok[i - 2] in ")»\"%" or after_dot) or not (_latin(b) or quoted):
                    continue
                if tok[i:].lower() in _DOMAINS and tok[i:].lower() not in _WORDLIKE_DOMAINS:
                    continue
                if b.isdigit():
                    if tok[i - 2].isdigit():
                        continue
                    if comma_rule:
                        return None  # a dateline's comma may be forced (`Hanoï,17`, see `cached`)
                    soft = True
                elif b.isalpha():
                    if comma_rule:
                        return None  # the comma rule: forced
                    elif (not b.isupper() and lang not in cfg.comma_bonus
                          and not (lang in cfg.comma_name_languages and self._name_before(tok[:i]))):
                        continue
                else:
                    continue
            elif a in _SENTENCE_END:
                if not (b.isupper() or b in _OPENING_PUNCT):
                    if a in "?!" and b.islower() and i >= 3 and tok[i - 2].isalpha() and not wrap_lang:
                        pass
                    elif (wrap_lang and a == "." and b.islower() and i >= 2 and tok[i - 2].isalpha()
                          and (i < 3 or not tok[i - 3].isalpha()) and len(_core(tok[i:])) >= 2
                          and _core(tok[i:]).isalpha() and not self.url_re.search(tok)):
                        soft = True  # `C.|sanguinea`, `s.|par`
                    elif not (wrap_lang and i >= 4 and tok[i - 2].islower()
                              and (b.islower() or b.isdigit()) and not self.url_re.search(tok)):
                        continue
                    else:
                        soft = True
                after = tok[i + 1 : i + 3]
                word_after = not wrap_lang and b.isupper() and after.isalpha() and after.islower()
                if ((i >= 2 and tok[i - 2] == ".") or (i >= 3 and tok[i - 3] == ".")) and not (
                    word_after or (wrap_lang and _ELLIPSIS_RE.search(tok, 0, i))
                ):
                    continue
                if (wrap_lang and b.isupper() and i + 1 < n and tok[i + 1] == "."
                        and i >= 2 and tok[i - 2].isupper() and (i < 3 or not tok[i - 3].isalpha())):
                    continue
                if _ABBREV_RE.fullmatch(_core_start(tok[:i])):
                    abbrev = soft = True
                    if word_after:
                        abbrev = soft = False
            elif b.isdigit() and not a.isalnum():
                continue
            elif a.isdigit() and b.isalpha():
                rest = tok[i:]
                rest_core = _core(rest).lower()
                if wrap_lang and rest_core in _UNITS and _NUMBER_RE.fullmatch(_core(tok[:i])):
                    soft = unit = True
                elif rest_core in _NUMBER_SUFFIXES and wrap_lang and len(rest_core) > 1:
                    soft = True
                elif wrap_lang and rest_core in self.singles and rest_core not in _NUMBER_SUFFIXES:
                    soft = True
                elif rest_core in _NUMBER_SUFFIXES or len(rest_core) < 2:
                    continue
                elif (not wrap_lang and len(rest_core) >= 3 and rest_core.isalpha()
                      and _core(rest)[1:].islower() and self.tab.get(rest_core, 0.0) >= cfg.gate_zipf):
                    pass
                elif b.isupper() or self.tab.get(rest_core, 0.0) < 4.5 or not rest_core.isalpha():
                    soft = True
            elif a.isalpha() and b.isdigit():
                lcore = _core(tok[:i])
                if (len(lcore) < 4 and self.tab.get(lcore.lower(), 0.0) < 4.5) or lcore.isupper():
                    soft = True
            elif a.isalnum() and b.isalnum():
                pass
            elif not (
                (lang == "fr" and a == "«")
                or a in _CLOSING_PUNCT or b in _OPENING_PUNCT or (lang == "fr" and b in "«»:;!?")
            ):
                continue
            sl = tb.piece(self, 0, i)
            if sl is None:
                continue
            sr = tb.piece(self, i, n)
            if sr is None:
                continue
            t = sl + sr - 9.0
            if (a.isdigit() or b.isdigit()) and self._date(tok[:i], tok[i:]):
                t += cfg.date_bonus
            if unit:
                t += cfg.unit_bonus
            ls, le = tb.core_of(0, i)
            rs, re_ = tb.core_of(i, n)
            lc, rc = tok[ls:le], tok[rs:re_]  # (`_core` of the pieces)
            punct = lang == "fr" and not (lc and rc)  # (no quote in a covered token)
            lone = len(rc) == 1 and rc.isalpha() and a.isalpha()
            if lone:
                # `_listed_single` gives its rows `soft_penalty` back (their soft flag is not
                # known here: `sl` is a bound), and the lone-letter rule drops what it surely drops
                t += max(0.0, cfg.soft_penalty)
                if ((sl < cfg.gate_zipf or (lang == "en" and rc not in self.trailing)
                     or (wrap_lang and any(ch.isdigit() for ch in lc)))
                        and not ((b.isupper() or b in self.singles) and wrap_lang)):
                    continue
            if (b.islower() and a.isupper() and a not in self.singles and lang not in cfg.wrap_languages
                    and (i < 2 or not tok[i - 2].isalpha())):
                continue
            v = t - base
            if punct:
                v = max(v, cfg.punct_lex)
            if a.islower() and b.isupper():
                if lc in self.name_prefixes:
                    continue
                v += camel_bonus
                if i >= 3 and tok[0].isupper() and tok[i + 1 : i + 2].islower():
                    v += camel_bonus / 2
            v += max(0.0, -cfg.bad_bigram_penalty)
            if soft and a == ",":
                v = max(v, cfg.comma_score)
            if abbrev:
                v = max(v, 0.0)
            elif acronym:
                v -= min(cfg.acronym_soft_penalty, cfg.soft_penalty)  # `HMS|Shannon`: see `_positions`
            elif soft:
                v = -cfg.soft_penalty if a.isdigit() and b.isdigit() else v - cfg.soft_penalty
            if a == ",":
                v += max(0.0, cfg.comma_bonus.get(lang, 0.0))
            sent = a in _SENTENCE_END and (b.isupper() or b in _OPENING_PUNCT) and not abbrev
            if a == ":" and b.isupper() and tok[i + 1 : i + 2].islower() and lang not in cfg.wrap_languages:
                sent = True
            if sent:
                v += max(0.0, cfg.sentence_bonus)
            old = best.get((lc, rc))
            if old is None or v > old:
                best[(lc, rc)] = v  # (positions with the same cores: the context adds the same)
        if not best:
            return -math.inf, ()
        out = tuple((v + 1e-6, lc, rc) for (lc, rc), v in best.items())
        return max(v for v, _, _ in out), out


def _one_pass(
    paragraph: str, lang: str, scorer: _Scorer, cfg: GlueConfig, was_wrapped: bool = False,
    words: list[str] | None = None, next_words: list[str] | None = None,
    sorting: list[list[int]] | None = None, next_sorting: list[list[int]] | None = None,
) -> list[Split]:
    """One pass of the repair; `was_wrapped`: an earlier pass accepted a wrap chain here, so the
    stray-glue rules of a wrapped paragraph still apply (see `repair`). `words`:
    `paragraph.split()`, when the caller has it. `next_words` (an empty list, when given): filled
    with the tokens of the repaired paragraph when splits are returned (`_next_words`), else
    left empty. `sorting`: `[suspicious, odd]` of `words` as `_sort_tokens` gives them, when
    the caller has them (the previous pass's `next_sorting`); `next_sorting` (an empty list,
    when given with `next_words`): filled with those of `next_words` when that is filled
    (`_next_sorting`), else left empty."""
    if words is None:
        words = paragraph.split()  # (for the fast gate, then for the tokens below: split once)
    shared = scorer._shared
    # the tokens sorted once, for the fast gate and for the steps below (`_sort_tokens`); in a
    # later pass, as the previous pass carried them over (`_next_sorting`: its tokens no split
    # fell in are the same strings, only the pieces of the split ones are new)
    if sorting is not None:
        suspicious, odd = sorting[0], sorting[1]
    else:
        suspicious = []
        odd = []
        _sort_tokens(words, shared, suspicious, odd)
    if _nothing_to_split(paragraph, lang, scorer, cfg, was_wrapped, words, odd, len(suspicious)):
        return []  # the fast gate: proved by bounds that the steps below would find nothing
    # (no per-paragraph gate here, "every letter run a common word and no punctuation glue":
    # the fast gate says False only for a token the token gate does not pass (`_Scorer._plain`:
    # a letter run that is no common word, or a punctuation glue), and such a token makes the
    # paragraph fail that gate too, so it never returned here; without it, a paragraph of plain
    # tokens has no candidate and returns [] below anyway)
    # each token's offset, by index (`words[k]` starts at `starts[k]`): a list of offsets where
    # one of (offset, token) tuples made and freed a tuple per token
    starts = _token_starts(paragraph, words)
    cands: list[_Cand] = []
    # second gate: a wrapped paragraph has a glue on every line, most of them odd tokens; with
    # fewer odd tokens than that, only inline splits are possible, and only in tokens that could
    # be two known words or carry a punctuation or case cue (a rare name costs a few look-ups)
    lines = len(paragraph) // cfg.max_width
    wrap = lang in cfg.wrap_languages and len(suspicious) >= max(cfg.wrap_min_odd, lines // 2)
    # a paragraph with few odd tokens (clean text the fast gate did not clear: one name whose
    # bound exceeds 0) where bounds show that no chain can pass: only inline splits, as below
    if wrap and len(odd) * NO_CHAIN_LINE < len(paragraph) and _no_chain(paragraph, words, starts, suspicious,
                                                                         scorer, cfg):
        wrap = False
    rest: list[int] = []
    # no wrap chain possible: a token whose bounds are below every inline threshold can give no
    # split (see `_below`), so it is not scored; one the gate table clears is such a token (and
    # would only go to `rest`, which serves a wrap chain, if `maybe_glued` said no): only the
    # odd ones are looked at
    for k in (suspicious if wrap else odd):
        start, tok = starts[k], words[k]
        if scorer.maybe_glued(tok):
            if not wrap and _below(tok, scorer, cfg, _inline_threshold(tok, lang, cfg, was_wrapped), False):
                continue
            scorer.extend_cached(cands, tok, start, k, cheap_only=False)
        else:
            rest.append(k)
    _quote_parity(paragraph, cands, cfg)
    chosen: dict[int, tuple[_Cand, str]] = {}
    wrap = wrap and any(c.lex > 0 for c in cands)  # a chain needs at least one good split
    if wrap:
        more: list[_Cand] = []
        for k in rest:
            start, tok = starts[k], words[k]
            scorer.extend_cached(more, tok, start, k, cheap_only=False)
        _quote_parity(paragraph, more, cfg)
        cands.extend(more)
        in_words: list[_Cand] = []
        # glues that form a real word only the wrap model can find, in the plain tokens
        for k in _cut_plain(words, suspicious, shared.no_cheap):
            scorer.extend_cached(in_words, words[k], starts[k], k, cheap_only=True)
        _quote_parity(paragraph, in_words, cfg)  # `répété,"nous`: its letter runs are common words
        cands.extend(in_words)
        _agreement(words, cands, lang, cfg)
        _grammar(words, cands, lang, cfg)
        # `chain_bound`: too few good places for the paragraph's length (a clean paragraph with a
        # few odd tokens, one of them with a split above 0), no chain can pass: not tried. (The
        # tokens' spans as their starts and words, `chain_bound_at`, `best_chain_at`: where a
        # list of (start, end) tuples made a tuple and two boxed ints per token, freed after.)
        if chain_bound_at(len(paragraph), starts, words, cands, cfg) >= cfg.wrap_threshold:
            total, chain = best_chain_at(len(paragraph), starts, words, cands, cfg)
        else:
            total, chain = float("-inf"), []
        if total >= cfg.wrap_threshold:
            for i in chain:
                c = cands[i]
                chosen[c.tok] = (c, _forced_rule(c) if c.forced else "wrap")
    else:
        _agreement(words, cands, lang, cfg)
        _grammar(words, cands, lang, cfg)
    if not cands:
        return []
    low_t = cfg.inline_threshold.get(lang, 3.0)
    wrapped = bool(chosen) or was_wrapped
    wrap_lang = lang in cfg.wrap_languages
    stray_t = _stray_threshold(cfg)
    best: dict[int, _Cand] = {}
    by_token: dict[int, float] = {}
    # the tokens the chain took (`chosen` holds no other yet), as flags by token index: a list
    # read where `c.tok in chosen` boxed the index and looked it up, per candidate
    chained = bool(chosen)
    taken: list[bool] = [False] * len(words) if chained else []
    for k in chosen:
        taken[k] = True
    for c in cands:
        if c.chain_only and not c.forced:
            continue  # never made inline (see below; first: most candidates, no look-up by token)
        if chained and taken[c.tok]:
            continue
        threshold = by_token.get(c.tok)
        if threshold is None:
            threshold = by_token[c.tok] = _inline_threshold(c.left, lang, cfg)  # as its token opens
        if not c.forced:
            # never made inline, whatever the rules below set (they cost): a chain-only
            # candidate, or one below its threshold, below it less the relief of two plain words
            # (in a wrapped paragraph) and below every stray-glue threshold (a rule sets one of
            # them, only for a candidate at or above the lowest, `stray_t`)
            if c.chain_only:
                continue
            if c.lex < threshold:
                if not wrapped:
                    continue
                two = threshold - (cfg.glued_paragraph_relief if threshold == low_t else cfg.glued_name_relief)
                if c.lex < two and c.lex < stray_t:
                    continue
        lowercase = threshold == low_t
        if wrapped and scorer.two_words(c):
            # a wrapped-and-joined paragraph: a stray glue of two plain words (`quiavait`,
            # `Groupedes`) is likelier than on clean text
            threshold -= cfg.glued_paragraph_relief if threshold == low_t else cfg.glued_name_relief
        if wrapped and stray_t <= c.lex < threshold and not c.chain_only:  # (the rules below cost)
            if scorer.function_glue(c):
                # `de|poulpes`, `commémoratifs|du`, `Il|est`: a stray glue next to a function word
                relief = cfg.function_glue_threshold if lowercase else cfg.function_glue_name_threshold
                threshold = min(threshold, relief)
            elif wrap_lang and scorer.unlisted_glue(c):
                # `poseur|de`, `bordé|au`: lowercase letters that make no listed word
                threshold = min(threshold, cfg.unlisted_glue_threshold)
            elif wrap_lang and _spaced_punct(c):
                # French sets `«`, `»`, `:`, `;`, `!`, `?` apart: in a wrapped-and-joined paragraph a
                # stray glue there (`de|«`, `:|Being`) is no source's typo
                threshold = min(threshold, cfg.wrapped_punct_threshold)
        if c.forced or (c.lex >= threshold and not c.chain_only):
            old = best.get(c.tok)
            if old is None or (c.forced, c.lex) > (old.forced, old.lex):
                best[c.tok] = c
    for k, c in best.items():
        chosen[k] = (c, _forced_rule(c) if c.forced else "inline")
    # a forced comma split in a token whose chosen split is elsewhere is still made
    extra = [c for c in cands if c.forced and chosen.get(c.tok, (None,))[0] is not c]
    splits = [Split(c.pos, c.left, c.right, round_places(c.lex, 3), rule) for c, rule in chosen.values()]
    for c in extra:
        if all(s.offset != c.pos for s in splits):
            splits.append(Split(c.pos, _piece_at(paragraph, c.pos, -1), _piece_at(paragraph, c.pos, 1),
                                round_places(c.lex, 3), _forced_rule(c)))
    if len(splits) > 1:  # (a sort with its key function costs about 700 instructions, even of one)
        splits.sort(key=lambda s: s.offset)
    if next_words is not None and splits:
        cuts: list[int] = []
        _next_words(starts, words, splits, next_words, cuts)
        if next_words and next_sorting is not None:
            next_suspicious: list[int] = []
            next_odd: list[int] = []
            _next_sorting(next_words, cuts, suspicious, odd, shared, next_suspicious, next_odd)
            next_sorting.append(next_suspicious)
            next_sorting.append(next_odd)
    return splits


def _no_chain(paragraph: str, words: list[str], starts: list[int], suspicious: list[int], scorer: _Scorer,
              cfg: GlueConfig) -> bool:
    """True when no wrap chain of `paragraph` can reach `wrap_threshold`, shown with upper bounds
    of each token's best candidate where `_one_pass` would score the token in full
    (`_chain_upper`); False when a chain looks likely (the positive line-end gains of the
    bounds so far reach what `likely_chain` asks: a glued paragraph, then scored exactly at
    once) or when the bound does not exclude one.

    Why: a clean paragraph the fast gate does not clear (a name whose bound exceeds 0: `Kohen`,
    `Poston`) was scored in full, every odd token and every plain token's in-word cuts, only
    for the chain bound to refuse a chain; without one only inline splits are possible, and
    `_one_pass`'s path without a chain scores only the tokens whose bounds may reach an inline
    threshold. Before: `Poston` fails the gate and every token is scored; after: bounds show
    no chain, and only `Poston` is looked at again (its bound, memoised)."""
    likely = cfg.wrap_threshold + cfg.no_first_penalty
    return _chain_upper(paragraph, words, starts, suspicious, scorer, cfg, likely) < cfg.wrap_threshold


def _chain_upper(paragraph: str, words: list[str], starts: list[int], suspicious: list[int], scorer: _Scorer,
                 cfg: GlueConfig, likely: float) -> float:
    """At least the score of the best wrap chain `_one_pass` could find in `paragraph`, or +inf
    once the positive line-end gains of the tokens bounded so far reach `likely`. Each token
    counts by an upper bound of its best candidate (`chain_bound_with`): the suspicious tokens'
    bounds (`_Shared.bound`, the fast gate's, mostly memoised by it), the plain tokens' in-word
    cuts from their memoised rows (`_Shared.cheap_rows`; a core that is no run of letters,
    `l'école`, by its bound), with what the document context may add (`_upper`) and
    `_quote_parity`'s bonus; `_agreement` and `_grammar` only lower scores. The first token (a
    dateline at offset 0) and tokens no bound covers are scored exactly, as `_one_pass` scores
    them."""
    found = _chain_terms(paragraph, words, starts, suspicious, scorer, cfg, likely)
    if found is None:
        return math.inf
    return chain_bound_with(len(paragraph), starts, words, found[0], found[1], cfg)


def _chain_terms(paragraph: str, words: list[str], starts: list[int], suspicious: list[int], scorer: _Scorer,
                 cfg: GlueConfig, likely: float) -> tuple[list[_Cand], dict[int, float]] | None:
    """What `_chain_upper` bounds the chain from: the candidates scored exactly (quote parity
    applied), and the other tokens' upper bounds (token index -> at least the score of its best
    candidate); None once the positive line-end gains of the bounds so far reach `likely`."""
    shared = scorer._shared
    ctx = scorer.ctx
    allow = 0.0 if ctx is None else _context_allowance(cfg)
    quoted = abs(cfg.quote_parity_bonus)
    bonus = cfg.line_bonus
    crude = 0.0
    exact: list[_Cand] = []  # the candidates scored exactly
    uppers: dict[int, float] = {}  # token index -> at least its best candidate's score
    for k in suspicious:
        tok = words[k]
        found = shared.bound(tok) if k > 0 else None
        top = None if found is None else _upper(found, scorer, cfg, allow, -bonus)
        if top is None:
            scorer.extend_cached(exact, tok, starts[k], k, cheap_only=False)
            continue
        if top == -math.inf:
            continue  # (no split at all)
        if '"' in tok:
            top += quoted  # (`_quote_parity`)
        uppers[k] = top
        if top > -bonus:
            crude += bonus + top
            if crude >= likely:
                return None  # a chain is likely (`likely_chain`): a glued paragraph
    # the plain tokens' in-word cuts (as `_one_pass` takes them: `_Scorer._cheap`, chain only)
    words_map = ctx._word_map() if ctx is not None else None
    pair, floor = cfg.ctx_pair_bonus, cfg.cheap_floor
    for k in _cut_plain(words, suspicious, shared.no_cheap):
        tok = words[k]
        top = None
        if k > 0:
            found_rows = shared.cheap_rows(tok)
            if found_rows is None:  # (`_cheap` scores such a token in full: its bound)
                found = shared.bound(tok)
                if found is not None:
                    top = _upper(found, scorer, cfg, allow, -bonus)
            else:  # `_cheap`'s own scores, without the candidates made
                punct, rows = found_rows
                top = -math.inf
                for row in punct:
                    if row[1] > top:
                        top = row[1]
                for _, lex, lc, rc, _, _, _ in rows:
                    if words_map is not None and lc in words_map and rc in words_map and ctx is not None \
                            and ctx.has_pair(lc, rc):
                        lex += pair
                    if lex >= floor and lex > top:
                        top = lex
        if top is None:
            scorer.extend_cached(exact, tok, starts[k], k, cheap_only=True)
            continue
        if top == -math.inf:
            continue
        if '"' in tok:
            top += quoted
        uppers[k] = top
    _quote_parity(paragraph, exact, cfg)
    return exact, uppers


def _cut_plain(words: list[str], suspicious: list[int], no_cheap: set[str]) -> list[int]:
    """The indices of the plain tokens (those not in `suspicious`, in order) a wrap chain may cut
    inside (`_Scorer._cheap`): three characters or more, and not known to have no such cut
    (`_Shared.no_cheap`, see `_Scorer.memoised`). Before: `Le ministre quele a dit`, suspicious
    [2], `no_cheap` empty; after: [1, 4] (`Le` and `a` too short)."""
    out: list[int] = []
    j = 0
    nxt = suspicious[0] if suspicious else -1  # (the next suspicious index)
    for k, tok in enumerate(words):
        if k == nxt:
            j += 1
            nxt = suspicious[j] if j < len(suspicious) else -1
            continue
        if len(tok) >= 3 and tok not in no_cheap:
            out.append(k)
    return out


def _upper(found: tuple[float, tuple[tuple[float, str, str], ...]], scorer: _Scorer, cfg: GlueConfig,
           allow: float, level: float) -> float:
    """At least the best score of a token's candidates, document context included, from its
    bound `found` (`_Shared.bound`): the bound plus `allow`, the most the context may add
    (`_context_allowance`, 0 without a context), except where that reaches `level`: there the
    context's own terms, position by position, as `_below` adds them."""
    ub, rows = found
    if not allow or ub + allow <= level:
        return ub + allow
    top = -math.inf
    for v, left, right in rows:
        if v + allow > level:
            for term in scorer._context_terms(left, right, True):
                v += term
            v += max(0.0, -cfg.ctx_whole_penalty)
        else:
            v += allow
        if v > top:
            top = v
    return top


def _sort_tokens(words: list[str], shared: _Shared, suspicious: list[int], odd: list[int]) -> None:
    """Sort the tokens `words` for the fast gate and `_one_pass`: the indices of the odd ones
    and of the ones the gate table clears (`_cleared`), in order, appended to `suspicious`, and
    of the odd ones alone to `odd`; the others are plain (`shared.known`, or `_gate_kind`: a
    pure function of the token). (The fast gate sorted them itself, then `_one_pass` did again
    for every paragraph the gate did not clear: 43 % of those paragraphs' tokens twice.)

    Before: `Leministre a dit quele projet`; after: suspicious [0, 3], odd [0, 3]."""
    known = shared.known  # surely plain (see `_nothing_to_split`): no memo call
    kinds = shared.kinds
    for k, tok in enumerate(words):
        if tok in known:
            continue
        kind = kinds.get(tok)
        if kind is None:
            kind = shared.kind(tok)
        if kind != _KIND_PLAIN:
            suspicious.append(k)  # (the table holds no token the token gate passes)
            if kind == _KIND_ODD:
                odd.append(k)


def _next_sorting(out: list[str], cuts: list[int], suspicious: list[int], odd: list[int], shared: _Shared,
                  next_suspicious: list[int], next_odd: list[int]) -> None:
    """`_sort_tokens(out, shared, next_suspicious, next_odd)` for the next pass's tokens `out`
    (`_next_words`), from this pass's sorting (`suspicious`, `odd`) and `cuts`, the index in
    this pass's tokens of the token each split fell in (one per split, rising): the tokens no
    split fell in are the very strings of this pass, so sorted as before (a token's kind is a
    pure function of the token), only at an index moved by the pieces before them; a token
    with m splits became m + 1 pieces, which are sorted here. Only the pieces are looked up
    (a later pass sorted every token again: a look-up in the set of 60,000 common words, and
    in `kinds`, per token).

    Before: tokens `Leministre a dit quele projet` (suspicious [0, 3], odd [0, 3]), cuts [0, 3];
    after: `Le ministre a dit que le projet`, whose pieces are plain: suspicious [], odd []."""
    known = shared.known
    kinds = shared.kinds
    shift = 0  # pieces added before the token at hand
    js = jo = 0  # the entries of `suspicious`, `odd` carried over so far
    ns, no = len(suspicious), len(odd)
    i, n = 0, len(cuts)
    while i < n:
        at = cuts[i]
        m = 1  # the splits in this token
        while i + m < n and cuts[i + m] == at:
            m += 1
        # the tokens before it, as they were (moved by the pieces before them); itself dropped
        while js < ns and suspicious[js] < at:
            next_suspicious.append(suspicious[js] + shift)
            js += 1
        if js < ns and suspicious[js] == at:
            js += 1
        while jo < no and odd[jo] < at:
            next_odd.append(odd[jo] + shift)
            jo += 1
        if jo < no and odd[jo] == at:
            jo += 1
        # its pieces, sorted as `_sort_tokens` sorts a token (its rule written out again: that
        # loop made to take a range and called here measured +9 M of the stage on g30's replay,
        # its `enumerate` being cheaper than indexing; tests/test_glue_speed.py compares the two)
        for p in range(at + shift, at + shift + m + 1):
            tok = out[p]
            if tok in known:
                continue
            kind = kinds.get(tok)
            if kind is None:
                kind = shared.kind(tok)
            if kind != _KIND_PLAIN:
                next_suspicious.append(p)
                if kind == _KIND_ODD:
                    next_odd.append(p)
        shift += m
        i += m
    while js < ns:
        next_suspicious.append(suspicious[js] + shift)
        js += 1
    while jo < no:
        next_odd.append(odd[jo] + shift)
        jo += 1


def _next_words(starts: list[int], words: list[str], splits: list[Split], out: list[str],
                cuts: list[int] | None = None) -> None:
    """Fill `out` with `_apply(paragraph, offsets).split()` (the tokens of the next pass), from
    the pass's tokens `words`, their offsets `starts` (`_token_starts`) and its `splits` (sorted
    by offset): a token no split falls in is the same string (its hash already made: the next
    pass's look-ups by token do not hash it again), a token split at offsets strictly inside it
    becomes its pieces (a space inserted inside a run of non-whitespace cuts it there and nowhere
    else). Left empty when an offset is not strictly inside a token, or the offsets do not rise
    (never seen: the caller then splits).

    By split, not by token: each offset's token is found by bisection in `starts`, and the
    untouched tokens between two split ones are copied as one slice (a pass splits a handful of
    a paragraph's hundred tokens; a loop over the tokens cost about 100 instructions a token).

    `cuts` (an empty list, when given): the index in `words` of the token each split fell in is
    appended to it, one per split (`_next_sorting`); meaningless when `out` is left empty.

    Before: tokens `Leministre`, `a`, `dit`, a split at 2; after: `Le`, `ministre`, `a`, `dit`
    (the last two the very strings of the pass), cuts [0]."""
    done = 0  # the tokens before this one are in `out`
    k = -1  # the token being cut (-1: none yet)
    prev = 0  # where its last piece starts, in the token
    last = -1  # the previous offset
    for s in splits:
        offset = s.offset
        if offset <= last:
            out.clear()  # (repeated, or not rising)
            return
        last = offset
        # the last token starting at or before the offset: a bisection of `starts` from the
        # token cut last (written out: `bisect.bisect_right` is a generic call in compiled code,
        # about 1,000 instructions with its global look-up and its boxed comparisons)
        lo, hi = (k if k > 0 else 0), len(starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if starts[mid] <= offset:
                lo = mid + 1
            else:
                hi = mid
        at = lo - 1
        if at < 0:
            out.clear()  # (before the first token)
            return
        if at != k:
            if k >= 0:
                out.append(words[k][prev:])  # the rest of the token cut before
            if done < at:
                out.extend(words[done:at])
            k, prev, done = at, 0, at + 1
        tok = words[at]
        cut = offset - starts[at]
        if cut <= prev or cut >= len(tok):
            out.clear()  # (at the token's start, or in the whitespace after it, or past the end)
            return
        out.append(tok[prev:cut])
        if cuts is not None:
            cuts.append(at)
        prev = cut
    if k >= 0:
        out.append(words[k][prev:])
    if done < len(words):
        out.extend(words[done:])


def _token_starts(paragraph: str, words: list[str]) -> list[int]:
    """The offsets of the `\\S+` tokens of `paragraph`, from `words = paragraph.split()` (the
    same tokens: a test checks the whitespace), by index: `words[k]` starts at the k-th. Each
    one starts at the first non-whitespace character after the previous one's end, as only
    whitespace lies between: where `paragraph.find(word, at)` finds it, without its set-up of
    about 350 instructions a token; a space, or else a character that is no ASCII letter or
    digit and is whitespace, is skipped. (A list of offsets: the (offset, token) tuples this
    gave cost a tuple made and freed per token.)

    Most paragraphs are single-spaced (the whitespace stage made them so): their offsets are the
    running sums of `len(word) + 1`, and that is so exactly when the paragraph is as long as its
    tokens and one character between each two (whitespace runs between tokens are one character
    or more, so that length leaves none before the first, none after the last and one between
    each two): summed first, checked after, else the walk below.

    Before: `" Le  ministre"`, words `Le`, `ministre`; after: [1, 5]; `"Le ministre"`: [0, 3]
    (the sums)."""
    starts: list[int] = []
    at = 0
    for word in words:
        starts.append(at)
        at += len(word) + 1
    if at - 1 == len(paragraph) and words:
        return starts  # single-spaced: no character read
    starts.clear()
    at = 0
    for word in words:
        while True:
            c = ord(paragraph[at])
            if c == 32 or (not _ascii_alnum(c) and paragraph[at].isspace()):
                at += 1
            else:
                break
        starts.append(at)
        at += len(word)
    return starts


def _rule_words(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words `_grammar`'s tests name for `lang`, as `_rule_bits` looks them up: those a left
    piece is tested against (function words, plural determiners, eliding and replaced words;
    lowercase) and those a right piece is (determiners, words that end a sentence only after a
    few, eliding and replaced words, what never follows an infinitive; lowercase: a test of
    a piece as written looks up a listed word, which is lowercase, so its lowercase form finds it).
    """
    empty: frozenset[str] = frozenset()
    left = {*L.FUNCTION_WORDS.get(lang, empty), *L.ELIDING_WORDS.get(lang, empty),
            *L.REPLACED_BEFORE_VOWEL.get(lang, empty),
            *(w for w, plural in L.NUMBER_DETERMINERS.get(lang, {}).items() if plural)}
    right = {*L.NEVER_LAST.get(lang, empty), *L.LAST_ONLY_AFTER.get(lang, {}),
             *L.NEVER_BEFORE.get(lang, (empty, empty))[0], *L.ELIDING_WORDS.get(lang, empty),
             *L.REPLACED_BEFORE_VOWEL.get(lang, empty), *L.NEVER_AFTER_INFINITIVE.get(lang, empty)}
    return frozenset(w.lower() for w in left), frozenset(w.lower() for w in right)


# `_rule_words` per language, and the plural verbs' rule (`langdata.VERB_AGREEMENT`: `sont`, `-aient`)
_RULE_WORDS: Final = {lang: _rule_words(lang) for lang in {
    *L.FUNCTION_WORDS, *L.NUMBER_DETERMINERS, *L.ELIDING_WORDS, *L.REPLACED_BEFORE_VOWEL, *L.NEVER_LAST,
    *L.LAST_ONLY_AFTER, *L.NEVER_BEFORE, *L.NEVER_AFTER_INFINITIVE}}
_NO_RULE_WORDS: Final[tuple[frozenset[str], frozenset[str]]] = (frozenset(), frozenset())
_RULE_VERBS: Final = {lang: (rule[0], rule[1]) for lang, rule in L.VERB_AGREEMENT.items()}


def _rule_bits(left: str, right: str, lang: str) -> int:
    """The rules that may read a candidate split into `left` and `right`, whatever its paragraph
    and configuration: the tests of `_agreement` and `_grammar` that read the pieces alone, one
    bit per function (`_RULE_*`). The rest of each test (the tokens around the candidate, the
    other candidates, the penalties) is made there, on the candidates whose bit is set.

    Why: those two ran every test on every candidate of every pass after the memoised scoring
    (about 1,600 instructions a candidate in `_grammar`), and 95 % of the candidates meet none
    (measured on `make bench`'s pages); the bits are computed once per row of the memos shared
    across documents (`_Scorer._positions`, `_cheap_rows`: a few thousand on `make bench`'s
    1,000 pages, where 174,000 candidates were made from them) and copied into each candidate
    made from the row, then into each copy. A superset: a bit is set wherever the function's
    own tests could touch the candidate, and a few more (the words each test names, looked up
    in one set per piece: `_rule_words`); tests/test_glue_speed.py compares the two on real and
    made-up candidates in many contexts.

    Before: `ministre|s` -> `_RULE_AGREEMENT` (an `s` at the break); `Le|ministre` ->
    `_RULE_GRAMMAR` (a capitalised function word: `mid_capital_penalty` after a word);
    `pour|tant` -> 0.
    """
    bits = 0
    # `_agreement` compares the readings with an `s` or `x` moved across the break: a candidate
    # compared ends its left piece with one or opens its right piece with one, and so does the
    # other reading it looks up (`historien|sont` against `historiens|ont`)
    end, opens = left[-1:], right[:1]
    if end == "s" or end == "x" or opens == "s" or opens == "x":
        bits = _RULE_AGREEMENT
    # `_grammar`'s tests, each to where it first reads more than the pieces (most candidates
    # fail the length and character tests: no piece lowercased, no set looked up)
    if not _isalpha(left[:1]) and _isalpha(end) and _isalpha(opens) and _NUMBER_HEAD_RE.fullmatch(left):
        return bits | _RULE_GRAMMAR  # `7000t|entes`
    words = _RULE_WORDS.get(lang, _NO_RULE_WORDS)
    m = len(right)
    if m <= 5:
        # `Bres|les.`, `passionner|a.`, `tel|les que`, `n'attribuer|ai`, `Castie|la inspecté`
        tail = right.rstrip(_CLOSING)
        if tail.lower() in words[1]:
            return bits | _RULE_GRAMMAR
    if opens == "s":
        verb = _RULE_VERBS.get(lang)
        if verb is not None and (right == verb[0] or right.endswith(verb[1])):
            return bits | _RULE_GRAMMAR  # `qu'il|sont`, `allé|sont`
    n = len(left)
    # `de Les|serre` (a capital), `leurs|avoir` (an `s`), `le|avion` (three letters at most)
    if n <= 9 and (n <= 3 or end == "s" or _isupper(left[:1])) and left.lower() in words[0]:
        return bits | _RULE_GRAMMAR
    return bits


def _agreement(words: list[str], cands: list[_Cand], lang: str, cfg: GlueConfig) -> None:
    """Two readings of a token that differ by an `s` or `x` moved across the break
    (`Voyageurs|ans` / `Voyageur|sans`): after a determiner of known number, the reading whose
    first word disagrees with it loses `agreement_penalty` (`du Voyageur|sans`, `les
    historiens|ont`); so does a noun after `de` elided in the token, after a plural determiner
    or a noun of quantity (`milliers d'année|sont` loses to `d'années|ont`). Only lowers scores
    (the fast gate's bounds stay upper bounds); in place, on the fresh copies `_Scorer.cached`
    gives."""
    penalty = cfg.agreement_penalty.get(lang)
    numbers = L.NUMBER_DETERMINERS.get(lang)
    if penalty is None or numbers is None:
        return
    last = -1  # the token whose determiner is looked up below (its candidates mostly follow)
    det: bool | None = None
    number = False
    elided_de = False
    quantities = L.QUANTITY_NOUNS.get(lang, frozenset())
    # first the candidates after a determiner of known number, then the left pieces of their
    # tokens alone (the only ones looked up), then the readings compared (only `lex` changes)
    todo: list[tuple[_Cand, bool, int]] = []  # (candidate, plural, where its noun starts in `left`)
    # the offsets of the candidates of the tokens after a determiner or a number (a superset of
    # those of the tokens with a reading to compare, which is all the look-ups below need: see
    # there), gathered in this pass, not in a second one over every candidate
    at: set[int] = set()
    for c in cands:
        if not c.rules & _RULE_AGREEMENT:
            continue  # (neither compared nor the other reading of one: see `_rule_bits`)
        left = c.left
        if len(left) >= 4 and (left[1] == "'" or left[1] == "’") and left[0].lower() + "'" in numbers:
            # an elided determiner opens the left piece itself: `L'Organisations|coute` (singular
            # `l'`) against `L'Organisation|scoute`; its noun is compared, after the apostrophe
            at.add(c.pos)
            if len(left) > 4 and not numbers[left[0].lower() + "'"] and left[-1] in "sx" and _isalpha(left[2:]):
                todo.append((c, False, 2))
            continue
        if c.tok == 0:
            continue
        if c.tok != last:  # the token before, looked up once per token, not per candidate
            last = c.tok
            prev = words[c.tok - 1]
            before = _core(prev).lower()
            det = numbers.get(before)
            # (isdecimal, not isdigit: `int` takes decimal digits only, not `²`; `_isdecimal`,
            # `_isalpha`, `_islower`: the `str` methods, ASCII by integer tests, as they are
            # generic method calls in compiled code)
            number = det is None and _isdecimal(prev) and int(before[-6:]) >= 2
            # `de` elided before the noun (`d'années`): after a plural determiner, or after a
            # noun of quantity (`milliers d'années`, `une centaine d'hommes`), the noun is plural
            head = words[c.tok][:2]
            elided_de = bool(quantities) and (head == "d'" or head == "d’") and (
                det is True or before in quantities)
            if elided_de:
                det = True
        # (most candidates follow no determiner nor number: skipped before `_isalpha`; the
        # token's look-up above depends on the token alone)
        if det is None and not number:
            continue
        at.add(c.pos)
        # the noun starts after an elided `de` where one opens the token (`d'autre|sont`)
        k = 2 if elided_de else 0
        if k and (len(left) < 4 or not (left[:2] == "d'" or left[:2] == "d’")):
            continue  # (the token's other candidates: `d|'autres`, `d'|autres`)
        # only a reading the loop below may lower goes on (it changes nothing else): a plural
        # one (a plural determiner, or a number) whose left piece ends in neither `s` nor `x`
        # and whose right piece opens with one, a singular one whose left piece ends in one;
        # tested first, by characters (most candidates after a determiner are neither: no
        # `_isalpha`, no entry in `todo`)
        end = c.left[-1:]
        sx_end = end == "s" or end == "x"
        if det is None or det:
            opens = c.right[:1]
            if sx_end or not (opens == "s" or opens == "x"):
                continue
        elif not sx_end:
            continue
        if not _isalpha(c.left[k:]):
            continue
        if k:
            todo.append((c, True, k))
            continue
        plural = det
        if plural is None:
            if not (number and _islower(c.left)):
                continue  # (a number that ends a sentence, `1993. Parmi|ses`, is no determiner)
            plural = True  # `4000 soldats|ont`, not `soldat|sont`
        todo.append((c, plural, 0))
    if not todo:
        return
    tab = table(lang)
    # the other reading, the break one character later (`left + e`) or earlier (`left[:-1]`), by
    # its offset: every candidate's left piece is its token up to its offset, so another
    # candidate of the token has the left piece `left + e` exactly when it stands at `c.pos + 1`
    # and `e` opens `c.right`, and `left[:-1]` when at `c.pos - 1`; and `c.pos + 1`, `c.pos - 1`
    # lie inside the token or at its ends, where no other token has a candidate (whitespace lies
    # between tokens). A set of offsets, not of (token, left piece) pairs: no tuple per candidate.
    # (`at` also holds the offsets of tokens after a determiner none of whose candidates is
    # compared: for the same reason never `c.pos + 1` nor `c.pos - 1` of a candidate compared)
    for c, plural, k in todo:
        left = c.left[k:]
        if plural and left[-1] not in "sx" and c.right[:1] in ("s", "x") and c.pos + 1 in at:
            c.lex -= penalty  # `les historien|sont`: `historiens|ont` agrees
        elif (not plural and left[-1] in "sx" and c.pos - 1 in at
              and tab.get(left[:-1].lower(), 0.0) + 1.0 > tab.get(left.lower(), 0.0)):
            # `du Voyageurs|ans`: `Voyageur|sans` agrees; but a singular may end in `s` (`son
            # corps|aligné`, `la fois|enfant`): a form ten times its stem's frequency is a word
            # of its own, not the stem's plural
            c.lex -= penalty


class _GrammarRules:
    """`_grammar`'s penalties and word tables for one language and configuration, read once
    (`_Shared.grammar`): each call read a dozen module attributes and configuration dicts and
    made empty sets for the rules a language lacks (about 8,000 instructions a call, 4,228
    calls on 1,000 pages of `make bench`'s corpus). A rule whose penalty the configuration does
    not give is off: its tables are empty. `active`: some rule is on."""

    def __init__(self, lang: str, cfg: GlueConfig) -> None:
        mid = cfg.mid_capital_penalty.get(lang)
        function = L.FUNCTION_WORDS.get(lang)
        agree = cfg.agreement_penalty.get(lang)
        numbers = L.NUMBER_DETERMINERS.get(lang)
        elide = cfg.elision_penalty.get(lang)
        eliding = L.ELIDING_WORDS.get(lang)
        if function is None or mid is None:
            function, mid = frozenset(), 0.0
        if numbers is None or agree is None:
            numbers, agree = {}, 0.0
        if eliding is None or elide is None:
            eliding, elide = frozenset(), 0.0
        self.mid: float = mid
        self.function: frozenset[str] = function
        self.agree: float = agree
        self.numbers: dict[str, bool] = numbers
        self.elide: float = elide
        self.eliding: frozenset[str] = eliding
        verb_rule = L.VERB_AGREEMENT.get(lang) if agree else None
        verb, plural_ends, subjects, never_after, never_after_ends = (
            verb_rule if verb_rule is not None else ("", (), frozenset(), frozenset(), ()))
        self.verb: str = verb
        self.plural_ends: tuple[str, ...] = plural_ends
        self.subjects: frozenset[str] = subjects
        self.never_after: frozenset[str] = never_after
        self.never_after_ends: tuple[str, ...] = never_after_ends
        self.replaced: frozenset[str] = L.REPLACED_BEFORE_VOWEL.get(lang, frozenset()) if elide else frozenset()
        dangle = cfg.dangling_penalty.get(lang, 0.0)
        self.dangle: float = dangle
        self.never_last: frozenset[str] = L.NEVER_LAST.get(lang, frozenset()) if dangle else frozenset()
        self.last_after: dict[str, frozenset[str]] = L.LAST_ONLY_AFTER.get(lang, {}) if dangle else {}
        before_dets, never_before = L.NEVER_BEFORE.get(lang, (frozenset(), frozenset())) if dangle else (
            frozenset(), frozenset())
        self.before_dets: frozenset[str] = before_dets
        self.never_before: frozenset[str] = never_before
        self.number_word: float = cfg.number_word_penalty.get(lang, 0.0)
        self.after_infinitive: frozenset[str] = (
            L.NEVER_AFTER_INFINITIVE.get(lang, frozenset()) if agree else frozenset())
        self.active: bool = bool(function or numbers or eliding or verb or self.number_word
                                 or self.after_infinitive)
        self.longest: int = _LONGEST_FUNCTION.get(lang, 0)
        self.vowels: frozenset[str] = L.ELIDING_BEFORE
        self.not_elided: frozenset[str] = L.NOT_ELIDED_BEFORE.get(lang, frozenset())


def _grammar(words: list[str], cands: list[_Cand], lang: str, cfg: GlueConfig) -> None:
    """Readings French does not write, each of which loses its penalty (one pass over the
    candidates: each test opens with a length, and most pieces are longer; only lowers scores,
    as `_agreement`):

    - `mid_capital_penalty`: a capitalised function word (`langdata.FUNCTION_WORDS`) as the left
      piece before a lowercase word, in a token that follows a word or a comma, inside a
      sentence: `honorer Se|lu`, `seigneur de Les|serre` (the names `Selu`, `Lesserre`); not at
      a paragraph's or a sentence's start (`Leministre`, `fin. Lesports`).
    - `agreement_penalty`: a plural determiner that is never a pronoun opening the token, before
      a word that does not agree, where the `s` moved across the break gives a listed word:
      `leurs|avoir` (`leur|savoir`), `des|on` (`de|son`). Not `les` (`les|avait` may be `il les
      avait`); not the singular mirror: `le|sports` against `les|ports` lost as often as it won
      on the held-out text (`le sports études`).
    - `elision_penalty`: a word French elides (`langdata.ELIDING_WORDS`) or replaces
      (`langdata.REPLACED_BEFORE_VOWEL`: `sa`, `son amie`; `du`, `de l'eau`) before a vowel,
      written whole before one, as the left piece before a right piece opening with one
      (`le|avion`, `du|eau`) or as the right piece before a token opening with one (`Castie|la
      inspecté`, for `Castiel|a`; `Martin|sa établi`, for `Martins|a`); not before the few words
      French elides nothing before (`langdata.NOT_ELIDED_BEFORE`: `du|onzième siècle`).
    - `agreement_penalty` again: a plural verb of `langdata.VERB_AGREEMENT` as the right piece
      after a singular subject pronoun (`qu'il|sont accomplis`, for `qu'ils|ont`; `il|savaient`)
      or `sont` before a participle of the other auxiliary (`allé|sont été`, for `allés|ont
      été`) or one that does not agree (`renommé|sont contribué`), where the reading with the
      `s` moved across the break is a candidate too; and a listed infinitive in `-er` or `-ir`
      as the left piece before `ai` or `as` (`langdata.NEVER_AFTER_INFINITIVE`:
      `n'attribuer|ai pas`, the future `n'attribuerai`).
    - `dangling_penalty`: a determiner (`langdata.NEVER_LAST`) as the right piece that ends the
      paragraph or a sentence (`60510 Bres|les` for the commune `Bresles`), or a word that ends
      one only after a few words (`langdata.LAST_ONLY_AFTER`: `passionner|a.`, not `en|a.`), or
      a determiner before a mark or a word no noun phrase opens with (`langdata.NEVER_BEFORE`:
      `tel|les que`, `perdre|aux,`).
    - `number_word_penalty`: a split inside the letters that follow a number, where those
      letters make a listed word of 4+ letters and the split between the number and them is a
      candidate too: `7000t|entes`, `90377S|edna`, for `7000|tentes`, `90377|Sedna` (not
      `1er|janvier`, `25h|de`: `erjanvier`, `hde` are no words).
    """
    # the candidates a test below may touch (`_rule_bits`): four a pass on `make bench`'s pages,
    # of 45; the tables of the tests, read once per language and configuration (`_GrammarRules`)
    todo = [c for c in cands if c.rules & _RULE_GRAMMAR]
    if not todo:
        return
    rules = _shared_for(lang, cfg).grammar
    if not rules.active:
        return
    mid, function, agree, numbers = rules.mid, rules.function, rules.agree, rules.numbers
    elide, eliding, replaced, vowels = rules.elide, rules.eliding, rules.replaced, rules.vowels
    not_elided = rules.not_elided
    verb, plural_ends, subjects = rules.verb, rules.plural_ends, rules.subjects
    never_after, never_after_ends = rules.never_after, rules.never_after_ends
    dangle, never_last, last_after = rules.dangle, rules.never_last, rules.last_after
    before_dets, never_before = rules.before_dets, rules.never_before
    number_word, after_infinitive, longest = rules.number_word, rules.after_infinitive, rules.longest
    last = len(words) - 1
    determined: list[_Cand] = []  # `leurs|avoir`: compared once the offsets are known
    verbs: list[_Cand] = []  # `qu'il|sont`: the same
    # `7000t|entes`: the same, with the word's letters (`tentes`) and how many the left piece holds (1)
    numbered: list[tuple[_Cand, str, int]] = []
    for c in todo:
        left, right = c.left, c.right
        n = len(left)
        # (the rarest test first: most left pieces open with a letter)
        if number_word and not _isalpha(left[:1]) and _isalpha(left[-1:]) and _isalpha(right[:1]):
            head = _NUMBER_HEAD_RE.fullmatch(left)
            if head is not None:
                tail = _WORD_START_RE.match(right)
                letters = head.group(1)
                numbered.append((c, letters + (tail.group() if tail is not None else ""), len(letters)))
        if never_last and len(right) <= 5 and (c.tok == last or right[-1:] in _SENTENCE_END):
            end = right.rstrip(_CLOSING)
            after = last_after.get(end)
            if end.lower() in never_last or (after is not None and _core(left).lower() not in after):
                # `60510 Bres|les` ending the paragraph: a determiner ends no sentence; nor does
                # `a` but after `en`, `y` (`passionner|a.`)
                c.lex -= dangle
        elif before_dets and len(right) <= 5:
            end = right.rstrip(_CLOSING).lower()
            if end in before_dets and (end != right.lower() or (
                    c.tok < last and _core(words[c.tok + 1]).lower() in never_before)):
                c.lex -= dangle  # `tel|les que`, `profession|les,`: no noun phrase opens so
        if after_infinitive and len(right) == 2 and right in after_infinitive and left[-1:] == "r":
            stem = left[max(left.rfind("'"), left.rfind("’")) + 1:]  # (`n'attribuer`: the verb after its elision)
            if stem[-2:] in ("er", "ir") and _islower(stem) and stem in table(lang):
                c.lex -= agree  # `n'attribuer|ai`: the future `n'attribuerai`
        if verb and right[:1] == "s" and (right == verb or right.endswith(plural_ends)):
            if _core(left).lower().replace("’", "'") in subjects:
                verbs.append(c)  # (its `s` reading is `left + s|ont`, one offset later)
            elif right == verb and c.tok < last:
                following = _core(words[c.tok + 1]).lower()
                if following in never_after or (len(following) > 2 and following.endswith(never_after_ends)):
                    verbs.append(c)  # `allé|sont été`, `renommé|sont contribué`
        if n <= 9:  # (no test of a left piece reads a longer one)
            if (2 <= n <= longest and c.tok > 0 and _isupper(left[0]) and _islower(left[1:])
                    and _islower(right[:1]) and left.lower() in function):
                end = words[c.tok - 1][-1:]
                if end.isalnum() or end == ",":  # (a word or a comma before: inside a sentence)
                    c.lex -= mid
            if (left[-1:] == "s" and right[-1:] not in ("s", "x", "") and numbers.get(left.lower()) is True
                    and left.lower() != "les" and _isalpha(right) and _islower(right)):
                determined.append(c)
            if (n <= 3 and right[:1] in vowels and (left.lower() in eliding or left in replaced)
                    and _core(right).lower() not in not_elided):  # (`du|onzième siècle`)
                c.lex -= elide
                continue  # (the right piece's test is for the other readings)
        if (len(right) <= 3 and c.tok < last and words[c.tok + 1][:1] in vowels
                and (right.lower() in eliding or right in replaced)
                and _core(words[c.tok + 1]).lower() not in not_elided):
            c.lex -= elide
    if determined or verbs or numbered:
        at = {c.pos for c in cands}
        tab = table(lang)
        for c, letters, k in numbered:
            if len(letters) >= 4 and c.pos - k in at and letters.lower() in tab:
                c.lex -= number_word  # `7000t|entes`: `7000|tentes` is a word after a number
        for c in determined:
            if c.pos - 1 in at and tab.get("s" + c.right, 0.0) >= 3.0:
                c.lex -= agree  # `leurs|avoir`: `leur|savoir` agrees
        for c in verbs:
            if c.pos + 1 in at:
                c.lex -= agree  # `qu'il|sont`: `qu'ils|ont` agrees


# the length of the longest function word per language (`_grammar` tests a left piece's length first)
_LONGEST_FUNCTION: dict[str, int] = {lang: max(map(len, words)) for lang, words in L.FUNCTION_WORDS.items()}


def _forced_rule(c: _Cand) -> str:
    """The rule name of a forced split: `address` before a glued web address's scheme
    (`_Scorer._glued_scheme`), else `comma` (the comma rule)."""
    return "address" if c.right[:4].lower() == "http" and "://" in c.right[:8] else "comma"


def _spaced_punct(c: _Cand) -> bool:
    """The split sets a French spaced punctuation mark apart from a word: one piece is only
    punctuation holding one of `:;!?«»` (`de|«`, `»,|en`, `:|Being`), the other has letters."""
    lc, rc = _core(c.left), _core(c.right)
    if bool(lc) == bool(rc):
        return False
    mark = c.right if lc else c.left
    return any(ch in _FR_SPACED for ch in mark)


def _stray_threshold(cfg: GlueConfig) -> float:
    """The lowest inline threshold a stray-glue rule of a wrapped paragraph can set."""
    # (two-argument `min`s, left to right: the same comparisons as one `min` of the four, which
    # mypyc compiles as comparisons of floats, where `min` of four is a generic call on boxed ones)
    return min(min(min(cfg.function_glue_threshold, cfg.function_glue_name_threshold),
                   cfg.unlisted_glue_threshold), cfg.wrapped_punct_threshold)


def _nothing_to_split(
    paragraph: str, lang: str, scorer: _Scorer, cfg: GlueConfig, was_wrapped: bool = False,
    words: list[str] | None = None, odd: list[int] | None = None, met: int = 0,
) -> bool:
    """True when `_one_pass` would find no split in `paragraph`, shown cheaply: most clean
    paragraphs hold a few rare words (`Papadímos`), which the gates below pass on to scoring.

    The same steps as `_one_pass`, with bounds instead of scores: tokens that are common words
    (with a comma or a dot) are plain by a set look-up (`_plain_tokens`), the others by the
    token gate; of the odd ones, those `maybe_glued` keeps are the only ones scored before the
    wrap decision, and if each one's `_lex_bound` (plus the most the document context could
    add) is below every inline threshold, no inline split is made; if it is also not above 0,
    no wrap chain is tried (`_one_pass` needs a candidate above 0). A token the bound does not
    clear is scored exactly (memoised for `_one_pass`). False: a split may be made, score.
    `words`: `paragraph.split()`, when the caller has it. `odd`, `met`: the tokens as the caller
    sorted them (`_one_pass`, which sorts every token whatever the gate says): the indices in
    `words` of the odd ones, in order, and the count of those and of the ones the gate table
    clears; the gate then sorts nothing itself (the same tokens tested, in the same order, with
    the same `wrap`, as when it sorts them: see below). Before: `_nothing_to_split(p, ...)`
    sorts `p`'s tokens; after: `_nothing_to_split(p, ..., words, [4, 9], 3)` tests `words[4]`,
    then `words[9]`.
    """
    shared = scorer._shared
    known = shared.known  # (`_plain_tokens` of the scorer's language and configuration)
    if words is None:
        words = paragraph.split()
    if odd is not None:
        # `wrap` is what the loop below ends with once every token is met (`met >= need`; True
        # from the start when `need <= 0`), and each odd token is tested with it, in order
        need = max(cfg.wrap_min_odd, (len(paragraph) // cfg.max_width) // 2)
        wrap = lang in cfg.wrap_languages and met >= need
        first = words[0] if words and not paragraph[:1].isspace() else None  # (as below)
        for k in odd:
            if not _gate_clears(words[k], first, scorer, lang, cfg, was_wrapped, wrap):
                return False
        return True
    # the other tokens' sorting (`_gate_kind`), memoised per token: a common word with marks
    # around it (`dit,`, `(and`, `else?)`) is plain too, a token the gate table clears is odd
    # but never scored, the others are plain when the token gate passes them
    kinds = shared.kinds
    # `wrap` (a wrap chain is possible) needs as many odd tokens as `need` (the tokens the gate
    # table clears count, `_one_pass` sorts them with the odd ones, but are never scored): once
    # that many are met it is True whatever follows, so the tokens met so far are tested at
    # once and each one after as it is met, and a glued paragraph (its first odd tokens are
    # glued) stops after a few tokens instead of sorting all of them first. The tokens tested
    # are the same, in the same order, with the same `wrap`, as when all were sorted first (the
    # first failing one ends both); when the paragraph never gets that many, `wrap` is False
    # and they are tested after the loop, as before.
    wrap_lang = lang in cfg.wrap_languages
    need = max(cfg.wrap_min_odd, (len(paragraph) // cfg.max_width) // 2)
    met = 0  # odd tokens met: the ones sorted as suspicious and the ones the table clears
    suspicious: list[str] = []
    wrap = wrap_lang and need <= 0
    done = 0  # suspicious tokens tested so far
    # the first token's candidates differ at offset 0 (a dateline, see `_Scorer.cached`)
    first = words[0] if words and not paragraph[:1].isspace() else None
    for tok in words:  # (the same sorting as `_one_pass`'s)
        if tok in known:
            continue
        kind = kinds.get(tok)
        if kind is None:
            kind = shared.kind(tok)
        if kind == _KIND_PLAIN:
            continue
        if kind == _KIND_ODD:
            suspicious.append(tok)
        met += 1  # (a listed token counts as odd: the table holds no token the token gate passes)
        if not wrap and wrap_lang and met >= need:
            wrap = True
        if wrap:
            while done < len(suspicious):
                if not _gate_clears(suspicious[done], first, scorer, lang, cfg, was_wrapped, wrap):
                    return False
                done += 1
    while done < len(suspicious):
        if not _gate_clears(suspicious[done], first, scorer, lang, cfg, was_wrapped, wrap):
            return False
        done += 1
    return True


def _gate_clears(tok: str, first: str | None, scorer: _Scorer, lang: str, cfg: GlueConfig,
                 was_wrapped: bool, wrap: bool) -> bool:
    """The fast gate's test of one odd token `tok` (`_nothing_to_split`): True when no split of
    it can be made, by its bounds or its exact candidates; `first`: the paragraph's first token
    (whose candidates differ at offset 0), None when the paragraph opens with whitespace."""
    if not scorer._shared.maybe_glued(tok):
        return True
    target = _inline_threshold(tok, lang, cfg, was_wrapped)
    # a token this document has scored exactly (a later pass: `_one_pass` scored it before the
    # splits) is checked on its exact candidates at once, not bounded first (its bound is mostly
    # not memoised: the first pass of a wrapped paragraph needed none). Exact: a bound below
    # means no candidate passes the test below either, and a False only sends the paragraph to
    # `_one_pass`. (The first token's candidates differ at offset 0.)
    cands = scorer._cache.get(tok) if tok != first else None
    if cands is None:
        if _below(tok, scorer, cfg, target, wrap):
            return True
        # not covered by the bound, or not shown by it: its exact candidates (memoised, so a
        # paragraph that goes on to `_one_pass` does not score them twice), the memo's own
        # (only read here: no copies), but the first token's as `_one_pass` gets them (a dateline)
        cands = (scorer.cached(tok, 0, 0, cheap_only=False, scan=True) if tok == first
                 else scorer.memoised(tok, False, scan=True))
    quoted = abs(cfg.quote_parity_bonus) if '"' in tok else 0.0
    for c in cands:
        lex = c.lex
        at = c.pos  # offset in the token (the candidates are at offset 0)
        if quoted and (tok[at - 1] == '"' or tok[at : at + 1] == '"'):
            lex += quoted  # `_quote_parity` moves it by this, up or down
        if c.forced or (lex >= target and not c.chain_only) or (wrap and lex > 0):
            return False
    return True


def _inline_threshold(tok: str, lang: str, cfg: GlueConfig, was_wrapped: bool = False) -> float:
    """The margin an inline split of `tok` (or of a left piece, which opens as its token does)
    needs: `inline_name_threshold` for a capitalised token, else `inline_threshold` (the gates
    use each token's own, not the lower of the two). With `was_wrapped` (a later pass of a
    paragraph whose wrap chain was accepted, in a wrap language) the gates use the lowest that a
    stray-glue rule may set (`_stray_threshold`), as `_one_pass` may lower it that far."""
    # (`tok[:1].isupper()`, an ASCII first character answered by an integer test: `isupper` is a
    # generic method call in compiled code)
    c = ord(tok[0]) if tok else 0
    upper = 65 <= c <= 90 if c < 128 else tok[:1].isupper()
    threshold = cfg.inline_name_threshold.get(lang, 3.0) if upper else cfg.inline_threshold.get(lang, 3.0)
    if was_wrapped and lang in cfg.wrap_languages:
        threshold = min(threshold, _stray_threshold(cfg))
    return threshold


def _below(tok: str, scorer: _Scorer, cfg: GlueConfig, target: float, wrap: bool) -> bool | None:
    """True when no candidate of `tok` (document context included) can reach `target`, nor
    exceed 0 if `wrap`, by its bounds (`_Scorer._lex_bound`); False when that is not shown;
    None when the bound does not cover `tok`. A bound-covered token has no forced candidate."""
    found = scorer._shared.bound(tok)
    if found is None:
        return None
    ub, rows = found
    ctx = scorer.ctx
    allow = 0.0 if ctx is None else _context_allowance(cfg)
    if not (ub + allow >= target or (wrap and ub + allow > 0)):
        return True
    if ctx is None or ub >= target or (wrap and ub > 0):
        return False
    # only the document context could lift a split over: add what it adds, position by position
    for v, left, right in rows:  # (in offset order: the rows that cannot get over are skipped)
        if not (v + allow >= target or (wrap and v + allow > 0)):
            continue
        for bonus in scorer._context_terms(left, right, True):
            v += bonus
        v += max(0.0, -cfg.ctx_whole_penalty)
        if v >= target or (wrap and v > 0):
            return False
    return True


def _context_allowance(cfg: GlueConfig) -> float:
    """The most the document context may add to a candidate's score (`candidates` adds the pair
    bonus, or a word bonus per piece, and may take off the whole-token penalty)."""
    # (two-argument `max`s, left to right: the same comparisons as one `max` of the four, see
    # `_stray_threshold`)
    allow = max(max(max(0.0, cfg.ctx_pair_bonus), cfg.ctx_word_bonus), 2 * cfg.ctx_word_bonus)
    return allow + max(0.0, -cfg.ctx_whole_penalty)


def _clears(tok: str, lang: str, scorer: _Scorer, cfg: GlueConfig, known: frozenset[str],
            elided: frozenset[str], allow: float) -> bool:
    """What `gatetable` records for a token: the fast gate passes `tok` on to `_below` (it is no
    surely plain token and the token gate does not pass it), and the bound alone makes `_below`
    True in any situation: with the most the context may add (`allow`, `_context_allowance`),
    the lowest inline threshold `tok`'s case may get (`was_wrapped` or not), a wrap chain
    possible where the language has one (`wrap_languages`). The bound is `_Scorer._bound`, the
    one `_Shared.bound` memoises for `_below`. `scorer` is the context-free part scorer of
    (`lang`, `cfg`)."""
    if _surely_plain(tok, known, elided) or scorer._plain(tok):
        return False
    found = scorer._bound(tok)
    if found is None:
        return False
    ub = found[0]
    target = min(_inline_threshold(tok, lang, cfg, False), _inline_threshold(tok, lang, cfg, True))
    wrap = lang in cfg.wrap_languages  # (`_nothing_to_split` never sets `wrap` in another language)
    return not (ub + allow >= target or (wrap and ub + allow > 0))


def _cleared(tok: str, cleared: dict[str, int]) -> bool:
    """`tok` is a form the gate table clears (`gatetable.FORMS`: bit 2i lowercase, 2i+1
    capitalised; i = 0 bare, 1 with a closing `,`, 2 with a closing `.`): its word part,
    lowercased, is a key whose bit for that form is set, and the word part is exactly that form
    of the key (so a hit is the very string the table was built for)."""
    last = tok[-1]
    if last == ",":
        word, shift = tok[:-1], 2
    elif last == ".":
        word, shift = tok[:-1], 4
    else:
        word, shift = tok, 0
    low = word.lower()
    bits = cleared.get(low, 0)
    if not bits:
        return False
    if word == low:
        return (bits >> shift) & 1 == 1
    return (bits >> (shift + 1)) & 1 == 1 and word == low[:1].upper() + low[1:]


# marks that may open or close a surely plain token around its word (`_nothing_to_split`): none
# a letter may follow (opening) or precede (closing) in `_PUNCT_GLUE_RE`, no apostrophe, no digit
_PLAIN_OPENING: Final = "(\"“["
_PLAIN_CLOSING: Final = ",.?!;:)\"”]"


@functools.cache
def _plain_elisions(lang: str, min_zipf: float) -> frozenset[str]:
    """The elided forms of one or two letters that are common words (`l`, `qu`), lowercase and
    capitalised: before a surely plain word (`l'origine`, `Qu'ils`) they make a plain token."""
    short = [e for e in L.ELISION_PREFIXES.get(lang, frozenset()) if len(e) <= 2 and e in common_words(lang, min_zipf)]
    return frozenset(short + [e.capitalize() for e in short])


def _surely_plain(tok: str, known: frozenset[str], elided: frozenset[str]) -> bool:
    """The token gate (`_Scorer._plain`) surely passes `tok`, shown by set look-ups: a surely
    plain word (`_plain_tokens`) or an elided one (`_elided_plain`) with opening marks before it
    and closing ones after it (`dit,`, `(and`, `else?)`, `"l'origine".`): no mark is followed by a
    letter nor follows one where `_PUNCT_GLUE_RE` looks (`_PLAIN_OPENING`, `_PLAIN_CLOSING`)."""
    # (each strip only where its end holds a mark: `str.lstrip` with a set of characters costs
    # about 600 instructions even when it strips nothing, and most tokens have no mark; an empty
    # string's `[:1]` is "", which `in` finds, so it goes through the strips as before)
    # (an ASCII letter or digit at an end is no mark, by an integer test: `in` a string is a call)
    word = tok
    if tok:  # (the strips of "" leave "")
        if not _ascii_alnum(ord(tok[0])) and tok[0] in _PLAIN_OPENING:
            word = word.lstrip(_PLAIN_OPENING)
        if word and not _ascii_alnum(ord(word[-1])) and word[-1] in _PLAIN_CLOSING:
            word = word.rstrip(_PLAIN_CLOSING)
    return word in known or (bool(elided) and _elided_plain(word, known, elided))


def _elided_plain(word: str, known: frozenset[str], elided: frozenset[str]) -> bool:
    """`word` is an elided form of `_plain_elisions`, an apostrophe and a surely plain word not
    opening with `s` (`l'origine`, not `l'sien`: `_PUNCT_GLUE_RE` reads a word glued after `'s`):
    the token gate passes it (no three letters before the apostrophe, no mark before a letter)."""
    # (`word[1:2] in _APOSTROPHES`, then `word[2:3]`: no slice, and an ASCII letter or digit
    # there is no apostrophe by an integer test)
    n = len(word)
    k = (1 if n > 1 and not _ascii_alnum(ord(word[1])) and word[1] in _APOSTROPHES
         else 2 if n > 2 and not _ascii_alnum(ord(word[2])) and word[2] in _APOSTROPHES else 0)
    return k > 0 and word[:k] in elided and word[k + 1 : k + 2] != "s" and word[k + 1 :] in known


@functools.cache
def _plain_tokens(lang: str, min_zipf: float) -> frozenset[str]:
    """Tokens the token gate (`_Scorer._plain`) surely passes: the common words of letters,
    lowercase or capitalised (`ministre`, `Le`): one letter run, a common word, and no
    punctuation. About 60,000 strings per language (7 MB), built in a few hundredths of a second."""
    words = [w for w in common_words(lang, min_zipf) if w.isalpha() and w.lower() == w]
    caps = [w[0].upper() + w[1:] for w in words]
    return frozenset(words).union(c for c, w in zip(caps, words, strict=True) if c.isalpha() and c.lower() == w)


def _quote_parity(paragraph: str, cands: list[_Cand], cfg: GlueConfig) -> None:
    """A straight quote opens when an even number of them precede it in the paragraph: then a
    split before it is right (`gigantesque|"mensonge"`), after it wrong; and the reverse.
    Adjusts the candidates' scores in place (they are fresh copies, see `_Scorer.cached`)."""
    if not cands or '"' not in paragraph:
        return  # (most paragraphs: no straight quote, no candidate next to one)
    for c in cands:
        # (`ord(...) == 34`: the character `"` read as an integer, no string made per candidate)
        if c.pos > 0 and ord(paragraph[c.pos - 1]) == 34:
            opens = paragraph.count('"', 0, c.pos - 1) % 2 == 0
            c.lex += -cfg.quote_parity_bonus if opens else cfg.quote_parity_bonus
        elif c.pos < len(paragraph) and ord(paragraph[c.pos]) == 34:
            opens = paragraph.count('"', 0, c.pos) % 2 == 0
            c.lex += cfg.quote_parity_bonus if opens else -cfg.quote_parity_bonus


def _piece_at(paragraph: str, pos: int, side: int) -> str:
    """The non-whitespace run of `paragraph` ending (`side` < 0) or starting at `pos`."""
    # (an ASCII letter or digit is no whitespace, by an integer test: `str.isspace` is a call)
    # (`_ascii_alnum` written out: a call per character cost more than the comparisons)
    if side < 0:
        start = pos
        while start > 0:
            c = ord(paragraph[start - 1])
            if not (97 <= c <= 122 or 65 <= c <= 90 or 48 <= c <= 57) and paragraph[start - 1].isspace():
                break
            start -= 1
        return paragraph[start:pos]
    end = pos
    n = len(paragraph)
    while end < n:
        c = ord(paragraph[end])
        if not (97 <= c <= 122 or 65 <= c <= 90 or 48 <= c <= 57) and paragraph[end].isspace():
            break
        end += 1
    return paragraph[pos:end]


def _isolated_doubt(s: Split, lang: str, cfg: GlueConfig) -> bool:
    """The only split of a paragraph joins two lowercase words at a low margin (`find|in`,
    `me|as`): in an otherwise clean paragraph an isolated glue of plain words is as likely the
    author's own spelling as a lost space (`isolated_threshold`)."""
    threshold = cfg.isolated_threshold.get(lang)
    if threshold is None or s.rule != "inline" or s.score >= threshold:
        return False
    left, right = _core(s.left), _core(s.right)
    return left[-1:].islower() and right[:1].islower() and left[:1].islower()


def _apply(paragraph: str, offsets: Sequence[int]) -> str:
    parts, prev = [], 0
    for off in offsets:
        parts.append(paragraph[prev:off])
        prev = off
    parts.append(paragraph[prev:])
    return " ".join(parts)


DEFAULT_CONFIG = GlueConfig()  # the configuration `repair` uses when given none (its memos: `_shared_for`)


def repair(
    paragraph: str, lang: str, context: GlueContext | None = None, config: GlueConfig = DEFAULT_CONFIG,
    words: list[str] | None = None,
) -> tuple[str, list[Split]]:
    """Return the repaired paragraph and the splits made (the identical string and [] if none).

    `repair("Leministre a déclaré quele 9 janvier", "fr")`
    -> ("Le ministre a déclaré que le 9 janvier", [Split(2, "Le", "ministre", ...), ...])
    Languages outside `config.languages` pass through unchanged. `words`: `paragraph.split()`,
    when the caller has it (the glue stage splits each text once for the document context and
    the first pass; the same tokens, so the same result).
    """
    cfg = config
    if lang not in cfg.languages or not paragraph:
        return paragraph, []
    text = paragraph
    all_splits: list[Split] = []
    inserted: list[int] = []  # offsets in the input where spaces went, for mapping later passes
    was_wrapped = False
    scorer = _Scorer(lang, cfg, context)
    sorting: list[list[int]] | None = None  # `words` sorted (`_one_pass`), when carried over
    for _ in range(cfg.max_passes):
        following: list[str] = []
        after: list[list[int]] = []
        splits = _one_pass(text, lang, scorer, cfg, was_wrapped, words, following, sorting, after)
        # the next pass's tokens: this pass's own strings where no split fell (see `_next_words`),
        # and their sorting, carried over for those strings (`_next_sorting`)
        words = following if following else None
        sorting = after if following and after else None
        # a paragraph whose chain was accepted stays a wrapped one for the later passes (a
        # stray glue left by the first is still one: `LeLeministre Leministre`)
        was_wrapped = was_wrapped or any(s.rule == "wrap" for s in splits)
        if not splits:
            break
        for s in splits:
            # map an offset in `text` back to the input: subtract earlier inserted spaces
            shift = 0
            for ins in inserted:  # (sorted: made so below, not sorted again per split)
                if ins + shift < s.offset:
                    shift += 1
            # (unmoved, the record itself: an equal copy costs a dataclass `__init__`, about
            # 7,000 instructions, and every split of the first pass is unmoved)
            all_splits.append(s if shift == 0 else Split(s.offset - shift, s.left, s.right, s.score, s.rule))
        text = _apply(text, [s.offset for s in splits])
        inserted = sorted({s.offset for s in all_splits})
    if len(all_splits) > 1:  # (most paragraphs: none; a sort with its key costs even then)
        all_splits.sort(key=lambda s: s.offset)
    if len(all_splits) == 1 and _isolated_doubt(all_splits[0], lang, cfg):
        return paragraph, []
    if len(all_splits) > 1:
        # a later pass may have split a piece an earlier split recorded (`the|HyattRegency`, then
        # `Hyatt|Regency`): each record names the pieces around its space in the output
        for n, s in enumerate(all_splits):
            at = s.offset + n  # the inserted space in `text`
            left, right = _piece_at(text, at, -1), _piece_at(text, at + 1, 1)
            if (left, right) != (s.left, s.right):
                all_splits[n] = Split(s.offset, left, right, s.score, s.rule)
    return text, all_splits

