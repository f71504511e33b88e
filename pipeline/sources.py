"""Load ``sources.toml`` (the table of site and language markers) into compiled profiles.

The table is data; this module only compiles it and picks the profile of a page::

    >>> profile_for("Hanoï (VNA) - Le ministre ...\\n\\nVoir plus\\n").name
    'vna-fr'
"""

from __future__ import annotations

import functools
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import regex
from mypy_extensions import mypyc_attr

from .edits import find_literal
from .native import HERE

# (beside this file, found from the package directory: compiled by mypyc, this module's
# ``__file__`` is the path it was compiled from, relative to the build's directory)
TABLE_PATH = HERE / "sources.toml"


# (a Python class in the compiled module too, as ``document``'s: tests rebuild a profile from its
# ``__dict__``, and ``dataclasses.replace`` one)
@mypyc_attr(native_class=False)
@dataclass(frozen=True)
class Profile:
    """One source's markers, compiled. See the comments at the top of ``sources.toml``."""

    name: str
    lang: str | None
    signatures: tuple[regex.Pattern[str], ...]
    sidebar_markers: frozenset[str]
    boilerplate: tuple[regex.Pattern[str], ...]
    photo_marker: regex.Pattern[str] | None
    credit: regex.Pattern[str] | None
    signoff_suffixes: tuple[regex.Pattern[str], ...]
    signoff_lines: frozenset[str]
    dateline: regex.Pattern[str] | None
    byline_date: regex.Pattern[str] | None
    timezone: str
    credit_label: regex.Pattern[str] | None = None  # any credit label alone: see _label_regex


def _compile_all(patterns: list[str], flags: int = 0) -> tuple[regex.Pattern[str], ...]:
    return tuple(regex.compile(p, flags | regex.V1) for p in patterns if p)


# The credit pattern's parts that ``structure`` also reads without the pattern (its fast path,
# ``structure._credit_tail``): the characters a label must follow (or start the line), the
# sentence ends a credit may not hold (a full stop only before a non-space), and the most
# characters a credit has. One place for both: the pattern is built from them.
CREDIT_AFTER: tuple[str, ...] = tuple(".!?。！？)）\"”»")
CREDIT_STOPS: tuple[str, ...] = tuple(".。!?")
CREDIT_MAX = 80


def _credit_regex(labels: list[str]) -> regex.Pattern[str] | None:
    """A caption ends in ``<label> <credit>``: ``. Photo: VNA``, ``。图自越通社``.

    The label must follow a sentence end or a closing bracket (or start the line), so that a body
    sentence merely mentioning a photo is not taken for a caption. The credit is short and has no
    sentence end of its own.
    """
    if not labels:
        return None
    alternatives = "|".join(f"(?:{label})" for label in labels)
    after = regex.escape("".join(CREDIT_AFTER))
    stops = regex.escape("".join(CREDIT_STOPS))
    pattern = regex.compile(
        rf"(?:(?<=[{after}])|^)\s*(?P<label>{alternatives})\s*"
        rf"(?P<credit>[^\s{stops}](?:[^{stops}]|\.(?!\s|$)){{0,{CREDIT_MAX - 1}}}?)\s*\.?\s*$",
        regex.V1,
    )
    prefixes = [_literal_prefix(label) for label in labels]
    _CREDIT_STARTS[pattern] = None if not all(prefixes) else tuple(dict.fromkeys(prefixes))
    simple = all(prefixes) and all(
        _SIMPLE_LABEL.fullmatch(label) is not None
        and _SPACE.match(prefix) is None
        and label.count("?") <= _MAX_OPTIONAL  # (an escaped ``\?`` counted too: the safe side)
        for label, prefix in zip(labels, prefixes, strict=True)
    )
    _CREDIT_LABELS[pattern] = tuple(_label_items(label) for label in labels) if simple else None
    return pattern


# A label ``structure`` may match without ``regex`` in place of the credit pattern's ``label``
# group (see :func:`credit_label_items`): literal characters and escaped punctuation, each
# optionally followed by ``?`` (no group, set, class, anchor, flag or back reference: nothing
# whose meaning depends on the rest of the pattern).
_SIMPLE_LABEL = regex.compile(r"(?:(?:[^\\.^$*+?{}\[\]()|#]|\\[^\w\s])\??)*", regex.V1)
_SPACE = regex.compile(r"\s", regex.V1)  # the credit pattern's ``\s``
# The most optional characters a label read by :func:`credit_label_items` may hold: ``structure``
# tries each way of them in turn, as ``regex`` does (at most 2 ** 8 ways a label and position;
# the shipped labels hold one at most)
_MAX_OPTIONAL = 8

LabelItems = tuple[str, tuple[bool, ...]]
"""A simple label read: its literal characters in order, and for each whether it is optional."""

# The credit patterns made by ``_credit_regex``, each with its labels read (:func:`_label_items`)
# when every label is simple and opens with a literal that is not a space (else None): see
# :func:`credit_label_items`.
_CREDIT_LABELS: Final[dict[regex.Pattern[str], tuple[LabelItems, ...] | None]] = {}


def credit_label_items(pattern: regex.Pattern[str]) -> tuple[LabelItems, ...] | None:
    """The labels of ``pattern``, a credit pattern of :func:`_credit_regex`, each as its literal
    characters and which of them are optional (:func:`_label_items`), in the pattern's order,
    when each label is made of literal characters and escaped punctuation, each optionally
    followed by ``?`` (at most ``_MAX_OPTIONAL`` of them), and opens with a literal that is not a
    space; None otherwise, and for any other pattern.

    For such labels, the first way the labels' alternation (``"(?:Photo ?:)|(?:Source ?:)"``)
    matches at a position is the first way the credit pattern's ``label`` group matches there
    (nothing in a label depends on the rest of the pattern), and no label can start inside a run
    of spaces: ``structure`` finds that way itself (a greedy walk, each optional character taken
    first, then left out, as ``regex`` tries them) and reads the rest of the credit pattern
    (spaces, credit, end) itself.

        labels ['Photo ?:', 'Source ?:'] -> (("Photo :", (False, False, False, False, False, True, False)),
                                             ("Source :", (..., True, False))); ['[Pp]hoto'] -> None
    """
    return _CREDIT_LABELS.get(pattern)


def _label_items(label: str) -> LabelItems:
    """A simple label (``_SIMPLE_LABEL``) read: ``"Photo ?:"`` -> ``("Photo :", (False,) * 5 +
    (True, False))``, ``"\\(Ảnh\\)"`` -> ``("(Ảnh)", (False,) * 5)``: each literal character (an
    escaped one without its backslash) and whether a ``?`` follows it."""
    chars: list[str] = []
    optional: list[bool] = []
    i, n = 0, len(label)
    while i < n:
        if label[i] == "\\":
            i += 1
        chars.append(label[i])
        i += 1
        optional.append(i < n and label[i] == "?")
        if optional[-1]:
            i += 1
    return "".join(chars), tuple(optional)


# The credit patterns made by ``_credit_regex``, each with the literal prefixes of its labels
# (None when a label has none): see :func:`credit_starts`.
_CREDIT_STARTS: Final[dict[regex.Pattern[str], tuple[str, ...] | None]] = {}


def credit_starts(pattern: regex.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which opens the label of every match of ``pattern``, a credit pattern of
    :func:`_credit_regex`; None for any other pattern, or when some label opens with no literal.

    A match of the credit pattern starts at a position ``p`` that is the start of the line or
    follows a sentence end (a character that is not ``\\s``), then ``\\s*``, then a label at
    ``q``: ``p`` is the start of the run of ``\\s`` that ends at ``q``, one position for each
    ``q``. So the positions at which one of these strings starts give every position the
    pattern can match from, and ``structure`` tries the pattern there only (the credit search
    tried its lookbehind at every character of the line).

        labels ['Photo ?:', 'Source ?:'] -> ("Photo", "Source"); ['(?i)photo'] -> None
    """
    return _CREDIT_STARTS.get(pattern)


def _literal_prefix(label: str) -> str:
    """The literal characters every match of the pattern ``label`` opens with (V1, no flags):
    ``"Photo ?:"`` -> ``"Photo"`` (the space is optional), ``"Ảnh minh họa ?:"`` -> ``"Ảnh minh họa"``,
    ``"\\(Ảnh\\)"`` -> ``"(Ảnh)"``; ``""`` when it opens with anything else (a set, a group, a
    class, an anchor) or holds an alternation (``"Photo|Ảnh"``: the first branch's prefix is
    not the second's)."""
    if "|" in label:
        return ""
    out: list[str] = []
    i, n = 0, len(label)
    while i < n:
        ch = label[i]
        if ch == "\\":
            if i + 1 >= n or label[i + 1].isalnum() or label[i + 1] == "_":
                break  # a class, a code point, a back reference ...: not a literal read here
            out.append(label[i + 1])
            i += 2
            continue
        if ch in ".^$*+?{}[]()":
            if ch in "*+?{" and out:
                out.pop()  # the quantified character is optional (``{`` may be a literal brace: shorter is safe)
            break
        out.append(ch)
        i += 1
    return "".join(out)


def _label_regex(labels: list[str]) -> regex.Pattern[str] | None:
    """Any of the credit labels, alone. ``credit`` matches a label inside the line, so a line in
    which no label occurs holds no credit: ``structure`` looks for the labels first (a search
    several times cheaper than ``credit``'s, whose lookbehind is tried at every position)."""
    if not labels:
        return None
    return regex.compile("|".join(f"(?:{label})" for label in labels), regex.V1)


def _profile(name: str, table: dict[str, Any]) -> Profile:
    marker = table.get("photo_marker", "")
    dateline = table.get("dateline", "")
    byline = table.get("byline_date", "")
    return Profile(
        name=name,
        lang=table.get("lang"),
        signatures=_compile_all(table.get("signatures", []), regex.MULTILINE),
        sidebar_markers=frozenset(table.get("sidebar_markers", [])),
        boilerplate=_compile_all(table.get("boilerplate", [])),
        photo_marker=regex.compile(marker, regex.V1) if marker else None,
        credit=_credit_regex(table.get("credit_labels", [])),
        signoff_suffixes=_compile_all(table.get("signoff_suffixes", [])),
        signoff_lines=frozenset(table.get("signoff_lines", [])),
        dateline=regex.compile(dateline, regex.V1) if dateline else None,
        byline_date=regex.compile(byline, regex.V1) if byline else None,
        timezone=table.get("timezone", "UTC"),
        credit_label=_label_regex(table.get("credit_labels", [])),
    )


@functools.cache
def profiles(path: Path = TABLE_PATH) -> tuple[tuple[Profile, ...], Profile]:
    """All site profiles in table order, and the generic fallback."""
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    sites = tuple(_profile(name, table) for name, table in data.get("source", {}).items())
    return sites, _profile("generic", data.get("generic", {}))


class _Unreadable(Exception):
    """Syntax :func:`required_literals` does not read (it then gives no literals)."""


# Flags under which a literal character of a pattern matches that character only (no case
# folding, no verbose whitespace): ``MULTILINE`` and ``DOTALL`` change ``^ $ .`` only, ``FULLCASE``
# only matters with ``IGNORECASE``.
_LITERAL_FLAGS = regex.V0 | regex.V1 | regex.UNICODE | regex.MULTILINE | regex.DOTALL | regex.FULLCASE
_NO_ARG_ESCAPES = frozenset("sSdDwWbBAZ")  # classes and zero-width assertions, without an argument


@functools.cache
def required_literals(pattern: regex.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which every match of ``pattern`` contains; None when this reading cannot
    tell (or some match needs none).

    A text that holds none of them holds no match: ``literal in text`` (a fast substring search)
    then answers a search of ``pattern`` over a whole page (the signatures) or finds the lines a
    search can match in (``structure``), where the ``regex`` search steps through the page.

        "\\(VNA\\)\\s*[-–—]" -> ("(VNA)",); "(?:Photo ?:)|(?:Source ?:)" -> ("Photo", "Source");
        "^(\\w|\\w\\w)+$" -> None

    Read: the top-level alternatives, each a sequence of literal characters (escaped
    punctuation included), sets, classes, anchors and groups; a character or group followed by
    a quantifier is optional (dropped), a lookaround's content is not required in the match, an
    unquantified group's literals are (recursively). Anything else (inline flags, conditionals,
    escapes with arguments, nested sets, case-insensitive or verbose patterns) gives None.
    """
    if pattern.flags & ~_LITERAL_FLAGS:
        return None
    source = pattern.pattern
    try:
        end, found = _alternation(source, 0)
    except _Unreadable:
        return None
    return found if end == len(source) else None


def _alternation(s: str, i: int) -> tuple[int, tuple[str, ...] | None]:
    """Branches from ``s[i]`` to the ``)`` that closes them (or the end): where they end, and the
    literals one of which every match holds (each branch's, together), or None."""
    found: list[str] = []
    complete = True
    while True:
        i, branch = _sequence(s, i)
        if branch is None:
            complete = False
        else:
            found.extend(branch)
        if i < len(s) and s[i] == "|":
            i += 1
            continue
        return i, tuple(found) if complete else None


def _sequence(s: str, i: int) -> tuple[int, tuple[str, ...] | None]:
    """One branch from ``s[i]``: where it ends, and its best requirement (a single longest
    literal before several alternatives), or None."""
    n = len(s)
    options: list[tuple[str, ...]] = []
    run: list[str] = []  # the current run of literal characters, all required
    last_literal = False  # whether s[i - 1] ended a literal character (a quantifier drops it)
    while i < n and s[i] not in "|)":
        ch = s[i]
        if ch == "\\":
            if i + 1 >= n:
                raise _Unreadable
            nxt = s[i + 1]
            if nxt.isalnum() or nxt == "_":
                if nxt in _NO_ARG_ESCAPES:
                    i += 2
                elif nxt in "pP":  # \p{Han}, \pL
                    if s.startswith("{", i + 2):
                        close = s.find("}", i + 2)
                        if close < 0:
                            raise _Unreadable
                        i = close + 1
                    else:
                        i += 3
                else:
                    raise _Unreadable  # code points, back references, \N{...}, \X, \G ...
                if run:
                    options.append(("".join(run),))
                    run = []
                last_literal = False
                continue
            if nxt == "\n":
                raise _Unreadable
            run.append(nxt)
            i += 2
            last_literal = True
            continue
        if ch in "?*+{":
            if ch == "{":
                close = s.find("}", i)
                if close < 0:
                    raise _Unreadable
                i = close + 1
            else:
                i += 1
            if last_literal:
                run.pop()  # the quantified character is optional
            if run:
                options.append(("".join(run),))
                run = []
            last_literal = False
            continue
        if ch not in "[(.^$]}\n":  # a literal character
            run.append(ch)
            i += 1
            last_literal = True
            continue
        if run:
            options.append(("".join(run),))
            run = []
        last_literal = False
        if ch == "[":
            i = _skip_set(s, i)
        elif ch == "(":
            i, inner = _group(s, i)
            if inner is not None and not (i < n and s[i] in "?*+{"):
                options.append(inner)
        elif ch in ".^$":
            i += 1
        else:  # "]", "}" or a newline where a character is expected: not read here
            raise _Unreadable
    if run:
        options.append(("".join(run),))
    if not options:
        return i, None
    return i, min(options, key=lambda option: (len(option), -min(len(text) for text in option)))


def _group(s: str, i: int) -> tuple[int, tuple[str, ...] | None]:
    """The group opening at ``s[i]``: where it ends (after its ``)``) and its requirement (None
    for a lookaround: what it sees need not be in the match)."""
    n = len(s)
    look = False
    if s.startswith("(?:", i):
        start = i + 3
    elif s.startswith("(?P<", i) or (s.startswith("(?<", i) and i + 3 < n and (s[i + 3].isalpha() or s[i + 3] == "_")):
        close = s.find(">", i)
        if close < 0:
            raise _Unreadable
        start = close + 1
    elif s.startswith(("(?=", "(?!"), i):
        start, look = i + 3, True
    elif s.startswith(("(?<=", "(?<!"), i):
        start, look = i + 4, True
    elif s.startswith("(?", i):
        raise _Unreadable  # inline flags, atomic groups, conditionals, comments, branch reset ...
    else:
        start = i + 1
    end, inner = _alternation(s, start)
    if end >= n or s[end] != ")":
        raise _Unreadable
    return end + 1, None if look else inner


def _skip_set(s: str, i: int) -> int:
    """Past the set opening at ``s[i]`` (``[...]``; a nested set or POSIX class is unreadable)."""
    n = len(s)
    j = i + 1
    if j < n and s[j] == "^":
        j += 1
    if j < n and s[j] == "]":
        j += 1
    while j < n and s[j] != "]":
        if s[j] == "[":
            raise _Unreadable
        j += 2 if s[j] == "\\" else 1
    if j >= n:
        raise _Unreadable
    return j + 1


# Characters that are not literal in a pattern (V0 or V1): a signature without any of them, and
# under flags that keep a literal character to itself, matches exactly where its text occurs.
_META = frozenset("\\.^$*+?{}[]()|#")


# ASCII characters too common in running text to look for first (``literal_anchor``): letters in
# lower case, digits and the commonest punctuation.
_COMMON_ASCII = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.,-'\"")


@functools.cache
def literal_anchor(needle: str) -> int:
    """The index of the character :func:`~pipeline.edits.find_literal` looks for first in a page to find
    ``needle``: its first character of the rarest kind in running text (ASCII punctuation other
    than ``.,-'"``, then an upper-case ASCII letter or a character above U+007F), never a space,
    a lower-case ASCII letter, a digit, or a character whose code is a multiple of 256 (see
    ``find_literal``); -1 when there is none (``find_literal`` then is ``str.find``).

        "(VNA)" -> 0 ("("); "Photo" -> 0 ("P"); "ảnh " -> 0 ("ả"); "DNUM_" -> 4 ("_"); "photo" -> -1
    """
    best, best_rank = -1, 2
    for i, ch in enumerate(needle):
        code = ord(ch)
        if ch.isspace() or ch in _COMMON_ASCII or code & 0xFF == 0:
            continue
        rank = 0 if code < 0x80 and not ch.isalnum() else 1
        if rank < best_rank:
            best, best_rank = i, rank
    return best


@functools.cache
def _signature_plan(sig: regex.Pattern[str]) -> tuple[tuple[str, ...] | None, bool, tuple[int, ...]]:
    """How :func:`profile_for` tests the signature ``sig``: its :func:`required_literals`,
    whether ``literal in text`` is already the answer of ``sig.search(text)`` (the pattern is
    plain text: no metacharacter, no case folding or verbose flag), so the search is skipped,
    and the literals' :func:`literal_anchor` (for :func:`~pipeline.edits.find_literal`).

        "越通社" -> (("越通社",), True, (0,)); "Nghe An Newspaper" -> (("Nghe An Newspaper",), True, (0,));
        "^Voir plus$" -> (("Voir plus",), False, (0,)); "(?i)vna" -> (None, False, ())
    """
    needles = required_literals(sig)
    plain = (
        needles is not None
        and not sig.flags & ~_LITERAL_FLAGS
        and needles == (sig.pattern,)
        and not _META.intersection(sig.pattern)
    )
    return needles, plain, tuple(literal_anchor(needle) for needle in needles or ())


def profile_for(text: str, timeout: float | None = None) -> Profile:
    """The profile whose signatures match the page most often (first in the table on ties).

    ``timeout`` (seconds, for all signatures together) guards against a catastrophic pattern in
    the table: past it, ``TimeoutError`` is raised.

    A signature whose required literals (:func:`required_literals`) are all absent is not
    searched (no match without one); a plain-text signature (``"越通社"``) is answered by its
    ``in`` test alone (see :func:`_signature_plan`); the ``in`` tests are made by
    :func:`~pipeline.edits.find_literal` (the literal's rarest character looked for first). The
    search gets its ``timeout`` positionally (``pos``, ``endpos``, ``concurrent``, ``partial`` at
    their defaults): the same search, without ``regex`` looking each keyword up by name.
    """
    sites, generic = profiles()
    best, best_hits = generic, 0
    deadline = time.perf_counter() + timeout if timeout is not None else None
    for site in sites:
        hits = 0
        for i, sig in enumerate(site.signatures):
            if hits + len(site.signatures) - i <= best_hits:
                break  # it can no longer beat the best site so far (ties go to the first)
            left = None if deadline is None else deadline - time.perf_counter()
            if left is not None and left <= 0:
                raise TimeoutError("regex timed out")
            needles, plain, anchors = _signature_plan(sig)
            if needles is not None:
                # (``needle in text``, by ``find_literal``, compiled)
                if (
                    find_literal(text, needles[0], anchors[0]) < 0
                    if len(needles) == 1
                    else all(
                        find_literal(text, needle, anchor) < 0 for needle, anchor in zip(needles, anchors, strict=True)
                    )
                ):
                    continue  # no match without one of them: the regex need not step through the page
                if plain:
                    hits += 1  # the pattern is its literal: it occurs, so the search would match
                    continue
            hits += sig.search(text, None, None, None, False, left) is not None
        if hits > best_hits:
            best, best_hits = site, hits
    return best


def profile_named(name: str | None) -> Profile:
    sites, generic = profiles()
    for site in sites:
        if site.name == name:
            return site
    return generic
