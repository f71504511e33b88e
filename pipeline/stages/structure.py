"""``structure``: a page of lines becomes title, lead, dateline, byline, paragraphs and captions.

The page's source is recognised by the signatures in ``sources.toml``; its markers drive every
decision here, so this code knows no site. In order:

1. boilerplate lines (``Featured Nghe An Newspaper``) leave the page;
2. the first sidebar marker (``Voir plus``, ``更多``, ``Latest``) that follows article text cuts
   the page: it and everything after go to ``removed`` (each line with its role);
3. a ``byline + DNUM_...`` line gives ``byline`` and ``published_raw`` (``dates`` decodes it);
4. captions are lifted out: ``<alt text> ảnh 1<caption>. Photo: VNA`` (the alt text, a copy of
   the headline, is dropped) and lines ending in a credit (``... bridge. Photo: Chinhphu.vn``);
   the alt text, the ``ảnh 1`` marker and the ``Photo:`` label go to ``removed`` (``alt_text``,
   ``photo_marker``, ``credit_label``), so every character of the page is kept somewhere;
5. sign-offs (``-VNA``, ``(完)``, a lone ``越通社`` line, ``./.``) leave the end of the article;
6. the first line is the title if it reads as a headline; the paragraph opening with the
   dateline (``Hanoï (VNA) -``) gives ``dateline``; a paragraph between title and dateline
   paragraph is the ``lead``; the rest are ``paragraphs``.

    before: "Titre\\n\\nChapô.\\nTitre ảnh 1Le ministre. Photo: VNA\\n\\nHanoï (VNA) - Texte. -VNA\\n\\nVoir plus\\n..."
    after:  title="Titre", lead="Chapô.", dateline="Hanoï (VNA)", paragraphs=("Hanoï (VNA) - Texte.",),
            captions=(Caption(1, "Le ministre.", "VNA"),), removed=(alt text, sign-off, sidebar ...)
"""

from __future__ import annotations

import functools
import time
from typing import Final

import regex

from ..config import Config
from ..document import Caption, Document, Reject, Removed, evolve
from ..edits import find_literal
from ..sources import (
    CREDIT_AFTER,
    CREDIT_MAX,
    CREDIT_STOPS,
    LabelItems,
    Profile,
    credit_label_items,
    credit_starts,
    literal_anchor,
    profile_for,
    required_literals,
)

NAME = "structure"


class _Budget:
    """The document's time budget for matching ``sources.toml`` patterns (``regex_timeout`` per
    MiB of page text, at least ``regex_timeout``).

    Those patterns are user-provided data: one with catastrophic backtracking must turn the
    document into a reject ``timeout``, not hang the run. Every call gets the time left.

        before: boilerplate = ['^(\\w|\\w\\w)+$'] and a 40-letter line ending in "!"
        after:  Reject("structure", "timeout", "... sources.toml pattern '^(\\w|\\w\\w)+$' ...")
    """

    def __init__(self, seconds: float, page: str = "") -> None:
        self.seconds = seconds
        self.deadline = time.perf_counter() + seconds
        self.page = page  # the page text whose lines ``search_line`` is given
        self._scans: dict[regex.Pattern[str], tuple[dict[str, bool] | None, bool]] = {}

    def _left(self, pattern: regex.Pattern[str]) -> float:
        left = self.deadline - time.perf_counter()
        if left <= 0:
            raise self._reject(pattern)
        return left

    def _reject(self, pattern: regex.Pattern[str]) -> Reject:
        return Reject(
            NAME,
            "timeout",
            f"matching the page against the sources.toml pattern '{pattern.pattern}' took more than"
            f" {self.seconds:g}s (--regex-timeout, per MiB of page); simplify that pattern (nested"
            " repetition backtracks) or raise the limit",
        )

    def search(self, pattern: regex.Pattern[str], text: str, pos: int = 0) -> regex.Match[str] | None:
        """``pattern.search(text, pos)`` within the time left; None at once, without asking
        ``regex``, when ``text`` holds none of the pattern's required literals (see
        :func:`_absent`).

            before: search(r"\\s*\\(VNA\\)$", "Le ministre a déclaré.") -> a timed regex search
            after:  None by one substring test (every match holds "(VNA)")
        """
        left = self.deadline - time.perf_counter()
        if left <= 0:
            raise self._reject(pattern)
        if _absent(pattern, text):
            return None
        try:
            # (the time left passed positionally, after ``pos``, ``endpos``, ``concurrent`` and
            # ``partial`` at their defaults, as ``sources.profile_for`` does: the same search,
            # without ``regex`` parsing a keyword call, about 4,700 instructions saved a call;
            # ``structure`` makes about ten a page)
            return pattern.search(text, pos, None, None, False, left)
        except TimeoutError:
            raise self._reject(pattern) from None

    def search_line(self, pattern: regex.Pattern[str], piece: str, line: str) -> regex.Match[str] | None:
        """``search(pattern, piece)``, where ``piece`` is ``line``, a line of the page, or a piece
        of it: None at once when ``pattern`` is one :func:`_line_scan` can read and the scan of
        the page finds no match starting in ``line`` (for an anchored pattern, only when
        ``piece`` is the whole line).

        Why: each search with a timeout costs ``regex`` two ``clock_gettime`` system calls
        (about 1.5 µs) whatever the text, and a page took a few hundred per pattern, one per
        line, although only a few lines hold a credit label or a photo marker. One scan of the
        page (:meth:`_hits`) finds them.
        """
        hits, anchored = self._scans.get(pattern) or self._hits(pattern)
        if hits is not None and line not in hits and (not anchored or piece == line):
            return None
        return self.search(pattern, piece)

    def holds(self, pattern: regex.Pattern[str], piece: str, line: str) -> bool:
        """``search_line(pattern, piece, line) is not None``, without searching ``line`` again
        when the scan of the page found a match inside it."""
        hits, anchored = self._scans.get(pattern) or self._hits(pattern)
        if hits is not None and (not anchored or piece == line):
            inside = hits.get(line)
            if inside is None:
                return False
            if inside and piece == line:
                return True
        return self.search(pattern, piece) is not None

    def may_hold(self, pattern: regex.Pattern[str], piece: str, line: str) -> bool:
        """False when ``holds(pattern, piece, line)`` is False; True when it may be True.

        For a line the page's scan (or its literals) found, True without searching it: for a
        caller whose next search cannot match where ``pattern`` does not (``credit`` holds a
        credit label), that search answers for both. Otherwise ``holds``.
        """
        hits, anchored = self._scans.get(pattern) or self._hits(pattern)
        if hits is None or (anchored and piece != line):
            return self.holds(pattern, piece, line)
        return line in hits

    def whole_line_hits(self, pattern: regex.Pattern[str]) -> dict[str, bool] | None:
        """The lines of the page :meth:`_hits` found for ``pattern`` (None when its scan cannot
        tell): asked about a whole line not among them, ``search_line`` answers None and
        ``holds`` and ``may_hold`` False, without searching."""
        return (self._scans.get(pattern) or self._hits(pattern))[0]

    def _hits(self, pattern: regex.Pattern[str]) -> tuple[dict[str, bool] | None, bool]:
        """The lines of the page in which the scan pattern of ``pattern`` (:func:`_line_scan`)
        finds a match starting, each with whether that match ends inside the line too, and
        whether ``pattern`` is anchored; found once per page. No lines (None) when ``pattern``
        is not one :func:`_line_scan` can read.

        Every line in which ``pattern`` matches is among them: its match, inside the line, is a
        match of the scan pattern in the page, so a search from the start of that line (or of
        an earlier line whose match reaches into it) finds a match starting at or before it;
        after each match the scan goes on from the start of the next line. A match of the scan
        pattern that starts and ends inside a line is a match in that line alone (an anchored
        one's ``^`` can only be at the line's start then, its ``$`` at its end), unless the
        pattern has a lookaround: that can see past the line's end in the page (``(?<=\\s)b``
        sees the newline before ``b``, which the line alone does not have), so such a line is
        only marked as holding a match start, and ``holds`` searches it.

        A pattern with required literals (:func:`~pipeline.sources.required_literals`) is not
        scanned: its lines are those holding one of them (:meth:`_lines_holding`), all searched.
        """
        found = self._scans.get(pattern)
        if found is None:
            needles = _required(pattern)
            if needles is not None:
                found = self._scans[pattern] = (self._lines_holding(needles), False)
                return found
            scan = _line_scan(pattern)
            if scan is None:
                found = self._scans[pattern] = (None, False)
                return found
            lines: dict[str, bool] = {}
            text, pos = self.page, 0
            while (m := self.search(scan[0], text, pos)) is not None:
                start = text.rfind("\n", 0, m.start()) + 1
                end = text.find("\n", m.start())
                if end < 0:
                    end = len(text)
                line = text[start:end]
                lines[line] = lines.get(line, False) or (scan[2] and m.end() <= end)
                if end == len(text):
                    break
                pos = end + 1
            found = self._scans[pattern] = (lines, scan[1])
        return found

    def _lines_holding(self, needles: tuple[str, ...]) -> dict[str, bool]:
        """The lines of the page that hold one of ``needles`` (no newline in them), each marked
        as a line to search (False), found by substring searches.

        For a pattern of which every match holds one of them (:func:`required_literals`), these
        lines, as the keys of :meth:`_hits`, give the same answers as its scan: a match in a line,
        or in a piece of one, holds a needle inside that line, so a line without any holds no
        match (whether the pattern is anchored or not), and every other line is searched. It
        costs a substring search per needle instead of the ``regex`` scan, which steps through
        the page (``\\s*ảnh (\\d+)``, which no literal starts, tries ``\\s*`` at every character).
        """
        text = self.page
        lines: dict[str, bool] = {}
        for needle in needles:
            # (``text.find(needle, ...)`` by ``edits.find_literal``: a search for the needle's
            # rarest character, a ``memchr``, instead of a check at each character of the page)
            anchor = _anchor(needle)
            at = find_literal(text, needle, anchor, 0)
            while at >= 0:
                start = text.rfind("\n", 0, at) + 1
                end = text.find("\n", at)
                if end < 0:
                    end = len(text)
                lines[text[start:end]] = False
                at = find_literal(text, needle, anchor, end + 1)
        return lines

    def match(self, pattern: regex.Pattern[str], text: str, pos: int = 0) -> regex.Match[str] | None:
        """``pattern.match(text, pos)`` within the time left; None at once when ``text`` holds
        none of the pattern's required literals, as :meth:`search`."""
        left = self._left(pattern)
        if _absent(pattern, text):
            return None
        try:
            return pattern.match(text, pos, None, None, False, left)  # (as in :meth:`search`)
        except TimeoutError:
            raise self._reject(pattern) from None


# ``required_literals`` of each pattern asked, by pattern (a per-pattern table: the function is
# cached, but each call of its cache wrapper costs about 650 instructions, and ``structure`` asks
# it of every search and match, about 15 a page)
_REQUIRED: Final[dict[regex.Pattern[str], tuple[str, ...] | None]] = {}


def _required(pattern: regex.Pattern[str]) -> tuple[str, ...] | None:
    """``required_literals(pattern)``, read from :data:`_REQUIRED` once asked.

        before: required_literals(p) -> ("(VNA)",) (the cache wrapper: hash, look-up, call)
        after:  _required(p)         -> ("(VNA)",) (a dict read)
    """
    if pattern in _REQUIRED:
        return _REQUIRED[pattern]
    needles = _REQUIRED[pattern] = required_literals(pattern)
    return needles


# ``literal_anchor`` of each needle asked, by needle (a per-literal table, as :data:`_REQUIRED`:
# the needles are the literals of ``sources.toml``'s patterns)
_ANCHORS: Final[dict[str, int]] = {}


def _anchor(needle: str) -> int:
    """``sources.literal_anchor(needle)``, read from :data:`_ANCHORS` once asked."""
    anchor = _ANCHORS.get(needle)
    if anchor is None:
        anchor = _ANCHORS[needle] = literal_anchor(needle)
    return anchor


def _absent(pattern: regex.Pattern[str], text: str) -> bool:
    """True when ``text`` holds none of ``pattern``'s required literals
    (:func:`~pipeline.sources.required_literals`), so that no search or match of ``pattern`` in
    it (from any position: a literal inside a lookbehind is never required) can succeed; False
    when it holds one, or the pattern has none.

    Why: ``regex`` reads the clock twice for every search given a ``timeout`` (two system
    calls, about 7 µs on the bench machine, whatever the text), and many of ``structure``'s
    searches are of lines that cannot match (two in five on the bench pages): the dateline,
    ``(VNA)`` and ``-VNA`` sign-offs, ``(Baonghean)``, ``DNUM_`` bylines asked of the lines of
    every page. A substring test per literal answers them. (So a catastrophic pattern is not
    run, and cannot time out, on a line holding none of its literals, which cannot match it:
    :meth:`_Budget._lines_holding` assumes as much already.)

        "^(?P<dl>越通社\\p{Han}{1,10})(?:——|—|－|-)", "Hanoï (VNA) - Le ..." -> True
    """
    needles = _required(pattern)
    if needles is None:
        return False
    for needle in needles:
        if needle in text:
            return False
    return True


# Escapes that match characters only, never a position: classes (\s, \p{L}), code points,
# back references. Any other letter (\b, \A, \Z, \G, \m, \X, \L ...) and all flags but these
# make ``_line_scan`` give up.
_CHAR_ESCAPES = frozenset("sSdDwWpPNxuUtnrfv0123456789")
_PLAIN_FLAGS = regex.V0 | regex.V1 | regex.UNICODE | regex.IGNORECASE | regex.FULLCASE | regex.MULTILINE | regex.DOTALL
_QUANTIFIER = regex.compile(r"\{\d*(?:,\d*)?\}")


def _shape(source: str) -> str | None:
    """``"local"`` when whether the pattern ``source`` matches a string at a position depends on
    the characters its match spans only (no anchor, no negative lookaround, no word boundary, no
    atomic group or possessive quantifier; positive lookarounds are fine: what they see inside
    a line they see in the page too); ``"anchored"`` when it is so but for ``^`` and ``$``;
    None for anything else or anything this reading is unsure of (nested sets, fuzzy
    matching, inline flags ...).

        "\\s*ảnh (\\d+)(?=\\S)" -> "local"; "^Featured$" -> "anchored"; "(?<![.])x" -> None
    """
    anchored = False
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        quantifier = False
        if ch == "\\":
            if i + 1 >= n or (source[i + 1].isalnum() and source[i + 1] not in _CHAR_ESCAPES):
                return None
            i += 2
            if source[i - 1] in "pPNx" and source.startswith("{", i):  # \p{Han}, \N{name}, \x{e9}
                i = source.find("}", i) + 1
                if i == 0:
                    return None
            continue
        if ch == "[":  # a set: skip to its end; ^ and $ in it are characters
            i += 1
            if i < n and source[i] == "^":
                i += 1
            if i < n and source[i] == "]":
                i += 1
            while i < n and source[i] != "]":
                if source[i] == "[":
                    return None  # a nested set (V1) or a literal [: not told apart here
                if source[i] == "\\":
                    if i + 1 >= n or (source[i + 1].isalnum() and source[i + 1] not in _CHAR_ESCAPES):
                        return None
                    i += 1
                i += 1
            if i >= n:
                return None
            i += 1
            continue
        if ch in "^$":
            anchored = True
        elif ch == "(" and source.startswith("(?", i):
            for prefix in ("(?:", "(?=", "(?<=", "(?P<"):
                if source.startswith(prefix, i):
                    i += len(prefix)
                    break
            else:
                named = source.startswith("(?<", i) and i + 3 < n and (source[i + 3].isalpha() or source[i + 3] == "_")
                if not named:
                    return None  # (?!, (?<!, (?>, flags, conditionals, recursion ...
                i += 3
            continue
        elif ch in "*+?":
            quantifier = True
        elif ch == "{":
            m = _QUANTIFIER.match(source, i)
            if m is None:
                return None  # fuzzy matching, or a literal brace: not told apart here
            i = m.end() - 1
            quantifier = True
        i += 1
        if quantifier:
            if i < n and source[i] == "?":  # lazy
                i += 1
            if i < n and source[i] in "*+?{":
                return None  # possessive, or a repeat of a repeat
    return "anchored" if anchored else "local"


@functools.cache
def _line_scan(pattern: regex.Pattern[str]) -> tuple[regex.Pattern[str], bool, bool] | None:
    """The pattern that finds, in one scan of a page, the lines ``pattern`` may match in,
    whether it is anchored, and whether a match it finds inside a line is a match in the line
    alone (no lookaround, which could see past the line: told by a plain substring test, which
    may also say "lookaround" of an escaped parenthesis, the safe side); None when ``pattern``
    is not one :func:`_shape` can read.

    A local pattern is its own scan pattern: a match inside a line is a match in the page. An
    anchored one is compiled again with ``MULTILINE``: a ``^`` at the start of a line alone
    matches after that line's newline in the page, a ``$`` at its end before the next newline
    (the lines hold no newline); it can tell for whole lines only, not for pieces of lines,
    where ``^`` and ``$`` match inside a line.
    """
    if pattern.flags & ~_PLAIN_FLAGS:
        return None
    shape = _shape(pattern.pattern)
    if shape is None:
        return None
    exact = "(?=" not in pattern.pattern and "(?<=" not in pattern.pattern
    if shape == "local":
        return pattern, False, exact
    return regex.compile(pattern.pattern, pattern.flags | regex.MULTILINE), True, exact


_SENTENCE_END = regex.compile(r"[.!?;:。！？…]$|\.\s*[\"”»)]$")
_SENTENCE_STOPS: Final = frozenset(".!?;:。！？…")  # the first alternative's set
_SENTENCE_CLOSERS: Final = frozenset("\"”»)")  # the second's closing characters
_SENTENCE_SPACE: Final = regex.compile(r"\s")  # its ``\s`` (compiled as it is: V0)


def _ends_sentence(line: str) -> bool:
    """``_SENTENCE_END.search(line) is not None``, for a line (no newline inside), without the
    regex: ``$`` matches at the end of the line only, so the first alternative holds when the
    last character is one of its set, and the second when it is a closing character and the
    character before the run of ``\\s`` before it is a full stop (``.`` is not ``\\s``: a match's
    ``\\s*`` is that whole run). The search stepped through the line at every character (about
    5,500 instructions a sidebar line of the bench pages); this reads its last few.

        before: _SENTENCE_END.search("Le port de Haiphong. »") -> a match (the whole line tried)
        after:  "»" closes, " " before it is \\s, "." before that -> True
    """
    last = line[-1:]
    if last in _SENTENCE_STOPS:
        return True
    if last not in _SENTENCE_CLOSERS:  # (and the empty line)
        return False
    at = len(line) - 2
    while at >= 0 and _SENTENCE_SPACE.match(line, at) is not None:
        at -= 1
    return at >= 0 and line[at] == "."


_HAS_LETTER: Final = regex.compile(r"\p{L}", regex.V1)


class _Credit:
    """A profile's credit pattern, its labels' pattern and the numbers of its ``label`` and
    ``credit`` groups, read once per page: ``_split_caption`` asks them of every caption and
    sidebar line, where each was an attribute read of the profile (a Python class: a generic
    look-up, about 190 instructions) or a cached ``_group_no`` call (about 700).

        before: profile.credit, profile.credit_label, _group_no(profile.credit, "label") ... per line
        after:  credit = _Credit(profile) per page; credit.pattern, credit.label_no ... per line
    """

    def __init__(self, profile: Profile) -> None:
        self.pattern = profile.credit
        self.labels = profile.credit_label
        pattern = self.pattern
        self.label_no: int | str = "label" if pattern is None else _group_no(pattern, "label")
        self.credit_no: int | str = "credit" if pattern is None else _group_no(pattern, "credit")
        # the labels read, when :func:`_credit_parts` may match a label itself (:func:`_label_end`)
        # and read the rest of the pattern itself (see ``sources.credit_label_items``)
        self.simple: tuple[LabelItems, ...] | None = None if pattern is None else credit_label_items(pattern)


def _split_caption(text: str, credit: _Credit, budget: _Budget, line: str) -> tuple[str, str | None, str] | None:
    """``"Vue générale. Photo: VNA"`` -> ``("Vue générale.", "VNA", "Photo:")``: body, credit, and
    the label with anything else the credit pattern consumed (kept in ``removed``); None when no
    credit. ``text`` is ``line``, a line of the page, or a piece of it; ``credit`` is the page's
    profile's (:class:`_Credit`)."""
    pattern = credit.pattern
    if pattern is None:
        return None
    # No label, so no credit: the cheaper search first where the scan of the page cannot tell.
    # In a line the scan (or the labels' literals) found, ``credit``'s search alone answers: any
    # match of it holds a label.
    labels = credit.labels
    if labels is not None and not budget.may_hold(labels, text, line):
        return None
    parts = _credit_parts(credit, text, budget)
    if parts is None:
        return None
    start, label_text, credit_end, credit_text = parts
    body = text[:start].rstrip()
    label = " ".join(part for part in (label_text.strip(), text[credit_end:].strip()) if part)
    return body, credit_text.strip() or None, label


@functools.cache
def _group_no(pattern: regex.Pattern[str], name: str) -> int | str:
    """The number of ``pattern``'s group ``name`` (``name`` itself when it has none, so that
    ``m.group`` raises as before): ``m.group(_group_no(p, "dl"))`` is ``m.group("dl")``.

    Why: ``regex`` reads a group's name by first trying it as an integer, which raises and formats
    a ``TypeError`` it then discards (about 1,800 instructions a call, 13,000 calls on 320 bench
    pages); a number is read at once. (``groupindex`` is a new dict at each read: cached here.)

        before: m.group("credit") -> "VNA" (an exception made and dropped inside ``regex``)
        after:  m.group(2)        -> "VNA"
    """
    return pattern.groupindex.get(name, name)


_SPACE: Final = regex.compile(r"\s", regex.V1)  # the credit pattern's ``\s`` (V1, as it is compiled)
# ``_SPACE``'s answer per character, filled as characters are asked (at most one entry for each
# character there is: a per-character table, not a memo of text)
_IS_SPACE: Final[dict[str, bool]] = {}


def _is_space(ch: str) -> bool:
    """``_SPACE.match(ch) is not None`` for one character ``ch``, remembered per character:
    ``\\s`` is a class of single characters, so a character's answer is the same wherever it
    stands (``_SPACE.match(text, i)`` is ``_is_space(text[i])``). The credit search asks it of
    the character before each label's prefix and of the spaces before that (two or three
    ``regex`` calls, about 2,800 instructions each, per caption or sidebar line).

        before: _SPACE.match("Vue générale. Photo: VNA", 13) -> a regex call
        after:  _is_space(" ") -> True (a dict read once " " was asked)
    """
    known = _IS_SPACE.get(ch)
    if known is None:
        known = _IS_SPACE[ch] = _SPACE.match(ch) is not None
    return known


# ``credit_starts`` of each credit pattern asked, by pattern (as :data:`_REQUIRED`)
_STARTS: Final[dict[regex.Pattern[str], tuple[str, ...] | None]] = {}


def _starts(credit: regex.Pattern[str]) -> tuple[str, ...] | None:
    """``credit_starts(credit)``, read from :data:`_STARTS` once asked (a Python function's call
    for every caption and sidebar line before; a credit pattern's prefixes are set when it is
    made, before any page can ask).

        before: credit_starts(p) -> ("Photo", "Source") (a call into sources.py)
        after:  _starts(p)       -> ("Photo", "Source") (a dict read)
    """
    if credit in _STARTS:
        return _STARTS[credit]
    starts = _STARTS[credit] = credit_starts(credit)
    return starts


# The credit pattern's lookbehind set (the label follows one of these, or starts the text), the
# characters its credit excludes (a full stop only before a space or the end) and its longest
# credit: ``sources._credit_regex`` builds the pattern from the same constants
_CREDIT_AFTER: Final = frozenset(CREDIT_AFTER)
_CREDIT_STOPS: Final = frozenset(CREDIT_STOPS)
# (the tables and sets the hot paths read are ``Final``: compiled by mypyc, a ``Final`` module
# global is a C static read directly, any other a look-up in the module's dict at each read,
# about 130 instructions; ``_is_space`` alone is asked some 12,000 times on 320 bench pages)


def _credit_tail(text: str, label_end: int) -> tuple[int, int] | None:
    """The span of the ``credit`` group when the credit pattern's ``label`` group ends at
    ``label_end`` in ``text`` (a text without a newline), following the pattern's first way:
    ``\\s*`` then ``[^\\s.。!?](?:[^.。!?]|\\.(?!\\s|$)){0,79}?`` then ``\\s*\\.?\\s*$``; None when
    that way fails (another way of the label may still match: the caller asks ``regex``).

    Why this is the pattern's answer: the credit's first character cannot be a space, so the
    ``\\s*`` before it takes the whole run of spaces (fewer fail at once). The ends from which
    ``\\s*\\.?\\s*$`` matches are every position from ``c0``, the start of the longest such
    suffix, to the end (a suffix of such a suffix is one), so the lazy repeat stops at the first
    end it reaches that is at least ``c0``: ``max(start + 1, c0)``, if no character before it
    is one the repeat refuses and the credit holds at most ``CREDIT_MAX`` (80) characters.

        before: credit.match("Vue générale. Photo: VNA.", 13) (the lazy repeat tried char by char)
        after:  _credit_tail("Vue générale. Photo: VNA.", 20) -> (21, 24)   ("VNA")
    """
    n = len(text)
    start = label_end
    while start < n and _is_space(text[start]):
        start += 1
    if start >= n or text[start] in _CREDIT_STOPS:
        return None
    c0 = n
    while c0 > 0 and _is_space(text[c0 - 1]):
        c0 -= 1
    if c0 > 0 and text[c0 - 1] == ".":
        c0 -= 1
        while c0 > 0 and _is_space(text[c0 - 1]):
            c0 -= 1
    end = max(start + 1, c0)
    if end - start > CREDIT_MAX:
        return None
    # The repeat's characters, by substring tests (a character read alone is a new string, and
    # a hash, above U+00FF): none of "。!?", and a full stop only before a non-space.
    rest = text[start + 1 : end]
    if "。" in rest or "!" in rest or "?" in rest:
        return None
    dot = rest.find(".")
    while dot >= 0:
        after = start + 2 + dot  # the character after the full stop, in ``text``
        if after >= n or _is_space(text[after]):
            return None
        dot = rest.find(".", dot + 1)
    return start, end


def _credit_positions(starts: tuple[str, ...], text: str) -> list[int]:
    """The positions the credit pattern can match from in ``text``, in order: the start of the
    run of spaces before each place one of its labels' literal prefixes ``starts`` opens."""
    tried: list[int] = []
    for prefix in starts:
        at = text.find(prefix)
        while at >= 0:
            pos = at
            while pos > 0 and _is_space(text[pos - 1]):
                pos -= 1
            tried.append(pos)
            at = text.find(prefix, at + 1)
    if len(tried) > 1:  # (most lines hold one label: nothing to order)
        tried = sorted(set(tried))
    return tried


def _credit_parts(credit: _Credit, text: str, budget: _Budget) -> tuple[int, str, int, str] | None:
    """What ``_split_caption`` reads of the first match of the page's credit pattern in ``text``
    (``budget.search``): its start, its ``label`` group, the end and text of its ``credit`` group;
    None when there is none.

    Where the labels are simple (``credit.simple``, see ``sources.credit_label_items``) and the
    text has no newline, only the label is matched, by :func:`_label_end` (no ``regex`` call), at
    each position the pattern can match from (:func:`_credit_positions`; the lookbehind read as
    the character before it), and :func:`_credit_tail` reads the rest; where the tail fails after
    the label's first way, the whole pattern is matched there as before. Elsewhere :func:`_credit_search`.

    Why: a match of the whole pattern cost about 17,500 instructions (the lazy repeat and its
    guards), two thousand times on 320 bench pages, nearly all of them ending in a short credit.

        before: credit.match("Vue générale. Photo: VNA", 13)   -> groups label "Photo:", credit "VNA"
        after:  _label_end(labels, "Vue générale. Photo: VNA", 14) -> 20 ("Photo:"); tail (21, 24) -> "VNA"
    """
    pattern = credit.pattern
    assert pattern is not None
    simple = credit.simple
    starts = _starts(pattern)
    if simple is None or starts is None or "\n" in text:
        m = _credit_search(pattern, text, budget)
        if m is None:
            return None
        return m.start(), m.group(credit.label_no), m.end(credit.credit_no), m.group(credit.credit_no)
    for pos in _credit_positions(starts, text):
        if pos > 0 and text[pos - 1] not in _CREDIT_AFTER:
            continue  # neither the lookbehind nor ``^`` (the text's start only) holds here
        at = pos
        while _is_space(text[at]):  # (a label's prefix, not a space, opens after the run)
            at += 1
        budget._left(pattern)  # (the page's time is still checked here, as the label's match did)
        label_end = _label_end(simple, text, at)
        if label_end < 0:
            continue  # no label here, so no match of the pattern from ``pos``
        tail = _credit_tail(text, label_end)
        if tail is None:  # the label's first way does not end in a credit: ask the pattern
            m = budget.match(pattern, text, pos)
            if m is None:
                continue
            return m.start(), m.group(credit.label_no), m.end(credit.credit_no), m.group(credit.credit_no)
        return pos, text[at:label_end], tail[1], text[tail[0] : tail[1]]
    return None


def _label_end(labels: tuple[LabelItems, ...], text: str, at: int) -> int:
    """Where the first way the alternation of the simple ``labels`` (``sources.credit_label_items``)
    matches at ``at`` in ``text`` ends: ``regex.match`` of ``"(?:Photo ?:)|(?:Source ?:)"`` at
    ``at``, its ``end()``; -1 when none matches there. Each label in order, as ``regex`` tries the
    branches, by :func:`_label_way`.

    Why: a ``regex`` match of the alternation, its ``end()`` and ``group()`` cost about 5,100
    instructions (most of it the call: arguments, state, the match object), two thousand times
    on 320 bench pages; the walk compares a few characters.

        before: regex.match("(?:Photo ?:)|(?:Source ?:)", "Vue. Photo: VNA", 5).end() -> 11
        after:  _label_end((("Photo :", (..., True, False)), ...), "Vue. Photo: VNA", 5) -> 11
    """
    for chars, optional in labels:
        end = _label_way(chars, optional, 0, text, at)
        if end >= 0:
            return end
    return -1


def _label_way(chars: str, optional: tuple[bool, ...], k: int, text: str, pos: int) -> int:
    """The end of the first way the label's characters from the ``k``-th on match at ``pos`` in
    ``text``, or -1: a character that is not optional must be there; an optional one is taken
    when it is there and the rest then matches (greedy, as ``x?``), else left out (its
    backtrack). No way's success depends on anything after the label, so the first way found is
    ``regex``'s."""
    n = len(text)
    while k < len(chars):
        same = pos < n and ord(text[pos]) == ord(chars[k])
        if optional[k]:
            if same:
                end = _label_way(chars, optional, k + 1, text, pos + 1)
                if end >= 0:
                    return end
            k += 1  # left out
            continue
        if not same:
            return -1
        pos += 1
        k += 1
    return pos


def _credit_search(credit: regex.Pattern[str], text: str, budget: _Budget) -> regex.Match[str] | None:
    """``budget.search(credit, text)``: the credit pattern tried only where it can match, at the
    start of the run of spaces before each place one of its labels' literal prefixes opens
    (:func:`~pipeline.sources.credit_starts`), in order; the first match is the search's.

    Why: the search tries the pattern's lookbehind at every character of the line (about 30 µs
    on a sidebar caption of the bench pages, where almost every search is); a label opens in one
    or two places, and a match tried there reads the end of the line only.

        before: search over "Le port de Haiphong. Photo: VNA" tries positions 0, 1, 2 ... 20
        after:  match at 20 (the space before "Photo"): the same match
    """
    starts = _starts(credit)
    if starts is None:
        return budget.search(credit, text)
    for pos in _credit_positions(starts, text):
        m = budget.match(credit, text, pos)
        if m is not None:
            return m
    return None


def _sidebar_role(text: str, credit: _Credit, budget: _Budget) -> str:
    """``caption``, ``headline`` or ``summary`` for ``text``, a whole line of the page after a sidebar marker."""
    if _split_caption(text, credit, budget, text) is not None:
        return "caption"
    if len(text) <= 200 and not _ends_sentence(text):
        return "headline"
    return "summary"


def _is_title(line: str, cfg: Config, profile: Profile, budget: _Budget, credit: _Credit) -> bool:
    """Whether ``line``, a whole line of the page, reads as a headline."""
    return (
        len(line) <= cfg.structure.max_title_chars
        and _HAS_LETTER.search(line) is not None
        and not line.endswith((".", "。", ":", ";", ","))
        and not (profile.dateline is not None and budget.match(profile.dateline, line))
        and _split_caption(line, credit, budget, line) is None
    )


def _only_sidebar(rest: list[str], profile: Profile, budget: _Budget) -> bool:
    """A page opening with a sidebar marker is all sidebar unless an article (a dateline) follows.

    Only sources with a ``dateline`` can tell; for the others the marker alone is dropped.

        "Voir plus\nPanorama. Photo: VNA\nUn titre\nUn résumé."      -> True  (all sidebar)
        "Voir plus\nHanoï (VNA) - Le ministre a déclaré ..."          -> False (article follows)
    """
    if profile.dateline is None:
        return False
    return not any(budget.match(profile.dateline, line) for line in rest)


def _lines(text: str) -> list[str]:
    """The lines of ``text`` (split at ``"\\n"``) that hold more than white space, in order:
    ``[line for line in text.split("\\n") if line.strip()]``, the same list.

    Why: ``str.split`` with a one-character separator compares every character of the page in
    a loop of its own (about 35,000 instructions on a bench page); ``str.find("\\n")`` looks for
    the next line end with a ``memchr`` (of the low byte, in a two-byte string: a false hit,
    ``上`` is U+4E0A, is checked and skipped inside ``find``), so the page costs a call per line.
    An empty line (two line ends in a row) is skipped without making its string.

        before: [line for line in "Titre\\n\\n  \\nTexte.".split("\\n") if line.strip()] -> ["Titre", "Texte."]
        after:  _lines("Titre\\n\\n  \\nTexte.")                                          -> ["Titre", "Texte."]
    """
    out: list[str] = []
    start = 0
    end = text.find("\n")
    while end >= 0:
        if end > start:
            line = text[start:end]
            if line.strip():
                out.append(line)
        start = end + 1
        end = text.find("\n", start)
    line = text[start:]
    if line.strip():
        out.append(line)
    return out


def run(doc: Document, cfg: Config) -> Document:
    # The budget grows with the page (per MiB), so that a big page of ordinary lines, linear work,
    # is never cut short; a catastrophic pattern blows any budget on a single line.
    seconds = cfg.structure.regex_timeout * max(1.0, len(doc.text) / 2**20)
    budget = _Budget(seconds, doc.text)
    try:
        profile = profile_for(doc.text, timeout=seconds)
    except TimeoutError:
        raise Reject(
            NAME,
            "timeout",
            f"matching the page against the sources.toml signatures took more than {seconds:g}s"
            f" (--regex-timeout {cfg.structure.regex_timeout:g}s per MiB of page); simplify the signatures"
            " or raise the limit",
        ) from None
    page_credit = _Credit(profile)  # (``credit`` below is a caption's credit)
    removed: list[Removed] = []
    lines = _lines(doc.text)

    # 1. Boilerplate lines, wherever they stand.
    # (the profile's fields read once, not for each line: a Python class's attributes)
    boilerplate = profile.boilerplate
    if boilerplate:
        kept: list[str] = []
        for line in lines:
            if any(budget.search_line(p, line, line) for p in boilerplate):
                removed.append(Removed(NAME, "boilerplate", line))
            else:
                kept.append(line)
        lines = kept

    # 2. The sidebar: the first marker line after some article text, and all that follows.
    #    Stray markers above the article (an article follows) go alone, however many there are.
    sidebar_markers = profile.sidebar_markers
    while lines and lines[0].strip() in sidebar_markers and not _only_sidebar(lines[1:], profile, budget):
        removed.append(Removed(NAME, "sidebar", lines.pop(0), "marker"))
    for i, line in enumerate(lines):
        if line.strip() in sidebar_markers:
            removed.append(Removed(NAME, "sidebar", line, "marker"))
            removed.extend(
                Removed(NAME, "sidebar", rest, _sidebar_role(rest, page_credit, budget)) for rest in lines[i + 1 :]
            )
            lines = lines[:i]
            break

    # 3. Byline and date placeholder line.
    byline = published_raw = None
    if profile.byline_date is not None:
        for i, line in enumerate(lines[:4]):
            m = budget.match(profile.byline_date, line)
            if m:
                byline = m.group(_group_no(profile.byline_date, "byline")).strip()
                published_raw = m.group(_group_no(profile.byline_date, "date")).strip()
                del lines[i]
                break

    # 4. Captions.
    title_guess = lines[0] if lines and _is_title(lines[0], cfg, profile, budget, page_credit) else None
    captions: list[Caption] = []
    body: list[str] = []
    # The lines that may hold a photo marker, and those that may be a caption ending in a credit
    # (its label's lines): a line in neither is body, as the loop would find at more cost (two
    # calls and their lookups for each line). Asked of the page's scans in the order the loop's
    # first line asks them; None where a scan cannot tell, and the loop asks as before.
    markers: dict[str, bool] | None = {}
    labelled: dict[str, bool] | None = {}
    photo_marker = profile.photo_marker
    max_caption_chars = cfg.structure.max_caption_chars
    if lines:
        if profile.photo_marker is not None:
            markers = budget.whole_line_hits(profile.photo_marker)
        if profile.credit is not None:
            labelled = budget.whole_line_hits(profile.credit_label) if profile.credit_label is not None else None
    for line in lines:
        if markers is not None and labelled is not None and line not in markers and line not in labelled:
            body.append(line)
            continue
        marker = budget.search_line(photo_marker, line, line) if photo_marker is not None else None
        if marker is not None:
            alt = line[: marker.start()].strip()
            rest = line[marker.end() :].strip()
            split = _split_caption(rest, page_credit, budget, line)
            text, credit, label = split if split is not None else (rest, None, "")
            if alt:
                kind = "alt_text" if alt == title_guess else "alt_text_unmatched"
                removed.append(Removed(NAME, kind, alt))
            removed.append(Removed(NAME, "photo_marker", marker.group(0).strip()))
            if label:
                removed.append(Removed(NAME, "credit_label", label))
            if text:
                captions.append(Caption(int(marker.group(1)), text, credit))
            elif credit:  # a photo with a credit and no caption text: the credit is kept here
                removed.append(Removed(NAME, "caption_credit", credit))
            continue
        split = _split_caption(line, page_credit, budget, line)
        if split is not None and len(line) <= max_caption_chars and split[0]:
            captions.append(Caption(None, split[0], split[1]))
            removed.append(Removed(NAME, "credit_label", split[2]))
            continue
        body.append(line)

    # 5. Sign-offs at the end of the article, until none is left: cutting ``(完)`` from
    # ``越通社 (完)`` leaves ``越通社``, itself a sign-off (else a second run would cut it).
    changed = True
    while changed and body:
        changed = False
        while body and body[-1].strip() in profile.signoff_lines:
            removed.append(Removed(NAME, "signoff", body.pop()))
        if body:
            last = body[-1]
            for pattern in profile.signoff_suffixes:
                m = budget.search(pattern, last)
                if m and m.start() > 0:
                    removed.append(Removed(NAME, "signoff", m.group(0).strip()))
                    last = last[: m.start()].rstrip()
                    changed = True
            body[-1] = last

    if not body:
        raise Reject(
            NAME,
            "no_body",
            "no article text left once sidebar, captions and boilerplate were removed; if the page does hold"
            " an article, check the sidebar_markers and boilerplate of its source in pipeline/sources.toml",
        )

    # Identical consecutive lines are a scraping artefact: keep one. Before the title is chosen,
    # so that a headline repeated on the next line is not kept as title and first paragraph.
    paragraphs: list[str] = []
    for para in body:
        if paragraphs and para == paragraphs[-1]:
            removed.append(Removed(NAME, "duplicate", para))
        else:
            paragraphs.append(para)
    body = paragraphs

    # 6. Title, dateline paragraph, lead.
    title = None
    if len(body) > 1 and _is_title(body[0], cfg, profile, budget, page_credit):
        title = body.pop(0)
    dateline = None
    lead = None
    if profile.dateline is not None:
        for i, para in enumerate(body[:3]):
            m = budget.match(profile.dateline, para)
            if m:
                dateline = m.group(_group_no(profile.dateline, "dl")).strip()
                if i == 1:
                    lead = body.pop(0)
                break

    paragraphs = body

    return evolve(
        doc,
        site=profile.name,
        lang=doc.lang or profile.lang,
        title=title,
        lead=lead,
        dateline=dateline,
        byline=byline,
        published_raw=published_raw,
        paragraphs=tuple(paragraphs),
        captions=tuple(captions),
        removed=doc.removed + tuple(removed),
        structured=True,
        text="",
    )
