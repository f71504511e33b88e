"""``structure``'s page scan (``_Budget.search_line``): the same answers as one search per line.

A pattern of ``sources.toml`` that ``_shape`` reads as local or anchored is searched once over
the page, and a line in which no match starts is not searched again; a pattern of which every
match holds one of a few literals (``sources.required_literals``) is not scanned at all: only the
lines holding one are searched. These tests check that this never hides a match, on the shipped
patterns over real and synthetic pages and on random patterns over random pages (anchors,
lookarounds, spaces that reach across lines), and that the literals are in every match.
"""

from __future__ import annotations

import dataclasses

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.make_corpus import documents
from pipeline.sources import profiles, required_literals
from pipeline.stages.structure import _Budget, _line_scan, _shape

from .conftest import ROOT


def test_shape_examples() -> None:
    assert _shape(r"\s*ảnh (\d+)(?=\S)") == "local"
    assert _shape(r"(?:Photo ?:)|(?:Source ?:)") == "local"
    assert _shape(r"\p{Han}+[\w--\d]\x{e9}a??b") == "local"
    assert _shape(r"^Featured Nghe An Newspaper$") == "anchored"
    assert _shape(r"[^]x]$") == "anchored"
    for source in (r"(?<![.])x", r"x(?!y)", r"\bword", r"\Ax", r"x\Z", r"a*+", r"a{2,3}+", r"(?>a)", r"a{e<=1}",
                   r"(?i)x", r"(?P<n>x)(?P=n)", r"[[a-z]--[aeiou]]", r"\X", r"\mword", "a\\", r"(?(1)a|b)"):
        assert _shape(source) is None, source


def test_the_shipped_patterns_take_the_scan() -> None:
    """The photo marker, the credit labels and the boilerplate of every source are read (else
    the scan would quietly not be used)."""
    sites, generic = profiles()
    for profile in (*sites, generic):
        for pattern in (profile.photo_marker, profile.credit_label, *profile.boilerplate):
            if pattern is not None:
                assert _line_scan(pattern) is not None, pattern.pattern


def _pages() -> list[str]:
    pages = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    pages += [d["text"].replace("\r\n", "\n") for d in documents(200, seed=3)]
    pages += ["Vue. Photo: VNA\n  Titre ảnh 1Le ministre. Photo: VNA\nFeatured Nghe An Newspaper\nx ảnh\n2y"]
    return pages


def _same(pattern: regex.Pattern[str], page: str) -> int:
    """Every line of ``page`` and some pieces of it: ``search_line`` answers as ``search``."""
    budget = _Budget(60.0, page)
    found = 0
    for line in page.split("\n"):
        pieces = {line, line.strip(), line[len(line) // 2 :], line[:-3], line[5:].strip()}
        for piece in pieces:
            direct = pattern.search(piece)
            if piece in line:
                scanned = budget.search_line(pattern, piece, line)
                assert (scanned is None) == (direct is None), (pattern.pattern, piece, line)
                if direct is not None and scanned is not None:
                    assert scanned.span() == direct.span()
                assert budget.holds(pattern, piece, line) == (direct is not None), (pattern.pattern, piece)
                assert budget.may_hold(pattern, piece, line) or direct is None, (pattern.pattern, piece)
                found += direct is not None
    return found


def test_search_line_same_as_search_on_real_and_synthetic_pages() -> None:
    sites, generic = profiles()
    found = 0
    for page in _pages():
        for profile in (*sites, generic):
            for pattern in (profile.photo_marker, profile.credit_label, *profile.boilerplate):
                if pattern is not None:
                    found += _same(pattern, page)
    assert found > 500  # the pages do hold markers, labels and boilerplate


_PARTS = ["a", "b", " ", r"\s*", r"\s", "[ab]", "[^a]", "^", "$", "(?=b)", "(?<=a)", "(?=\\S)", "(?:a|b )", "a+",
          "b?", r"\d", ".", r"(?<=\s)", r"(?=\s)", "(?<=[^a])", "(?=.)"]


def test_a_lookaround_past_the_line_is_searched_in_the_line() -> None:
    """A lookaround sees the page's newline that the line alone does not have: a match the scan
    finds inside such a line is no proof of a match in the line (``holds`` must search it)."""
    for source, page, line in [(r"(?<=\s)b", "x\nb", "b"), (r"a(?=\s)", "a\nx", "a"), (r"(?<=[^a])b", "a\nb", "b")]:
        pattern = regex.compile(source, regex.V1)
        assert _shape(source) == "local"
        budget = _Budget(60.0, page)
        assert pattern.search(line) is None
        assert not budget.holds(pattern, line, line), source
        assert budget.search_line(pattern, line, line) is None


@given(
    st.lists(st.sampled_from(_PARTS), min_size=1, max_size=5),
    st.text(alphabet="ab 1\n\t", max_size=30),
    st.booleans(),
)
@settings(max_examples=1500, deadline=None)
def test_search_line_same_as_search_on_random_patterns(parts: list[str], page: str, dotall: bool) -> None:
    pattern = regex.compile("".join(parts), regex.V1 | (regex.DOTALL if dotall else 0))
    assert _line_scan(pattern) is not None
    _same(pattern, page)


def test_ends_sentence_is_the_sentence_end_regex() -> None:
    from pipeline.stages.structure import _SENTENCE_END, _ends_sentence

    lines = [line for page in _pages() for line in page.split("\n")]
    lines += ["", ".", "Fin.", "Fin. »", "Fin.\u00a0”", "Fin ”", "a)", "Titre", "完。", "Quoi ?", "x…", "x. ) "]
    # runs of every kind of space (and characters that are not \s) between the stop and the closer
    for space in (" ", "\t", "\u00a0", "\u2003", "\u3000", "\x1c", "\x1f", "\x85", "\u2028", "\u200b", "\ufeff", "\v"):
        for closer in "\"”»)":
            lines += [f"Fin.{space}{closer}", f"Fin.{space} {space}{closer}", f".{space}{closer}", f"{space}{closer}",
                      f"Fin{space}{closer}", f"Fin.{closer}{space}{closer}", f"Fin{space}.{space}{closer}"]
    assert sum(_ends_sentence(line) for line in lines) > 100
    for line in lines:
        assert _ends_sentence(line) == (_SENTENCE_END.search(line) is not None), repr(line)


@given(st.text(alphabet=".!?;:。！？…\"”») \u00a0ax\t\u2003\x1c\x85\u200b", max_size=8))
@settings(max_examples=1000, deadline=None)
def test_ends_sentence_on_random_lines(line: str) -> None:
    from pipeline.stages.structure import _SENTENCE_END, _ends_sentence

    assert _ends_sentence(line) == (_SENTENCE_END.search(line) is not None)


def test_required_literals_examples() -> None:
    def needles(source: str, flags: int = 0) -> tuple[str, ...] | None:
        return required_literals(regex.compile(source, regex.V1 | flags))

    assert needles(r"\s*ảnh (\d+)(?=\S)") == ("ảnh ",)
    assert needles(r"(?:Photo ?:)|(?:Source ?:)") == ("Photo", "Source")
    assert needles(r"^POWERED BY ?ONECMS.*$") == ("POWERED BY",)
    assert needles(r"\(VNA\)\s*[-–—]") == ("(VNA)",)
    assert needles(r"ab{2,3}cd") == ("cd",)
    assert needles(r"a*+b") == ("b",)
    assert needles(r"(ab)?cd") == ("cd",)
    assert needles(r"(?=abc)d") == ("d",)
    assert needles(r"x(?:ab|cd)") == ("x",)
    assert needles(r"(?:ab|cd)[x]") == ("ab", "cd")
    assert needles(r"[ab]c\.d") == ("c.d",)
    for source in (r"^(\w|\w\w)+$", "a|", r"(?i)abc", r"\x27ab", r"(?>ab)", r"a\N{DIGIT ONE}", r"[[a]]b",
                   r"(a)?(?(1)a|b)", r"\s+", r"(?<=ab)", "(?|a|b)", r"(a)\1b"):
        assert needles(source) is None, source
    assert needles("abc", regex.IGNORECASE) is None
    assert needles("a bc", regex.VERBOSE) is None


def test_the_shipped_patterns_have_required_literals() -> None:
    """The photo marker, the credit labels, the boilerplate and the signatures of every source
    give literals (else they would quietly be scanned by ``regex`` again)."""
    sites, generic = profiles()
    for profile in (*sites, generic):
        for pattern in (profile.photo_marker, profile.credit_label, *profile.boilerplate, *profile.signatures):
            if pattern is not None:
                assert required_literals(pattern), pattern.pattern


_LITERAL_PARTS = ["a", "b", "ab", " ", "a?", "b*", "a+", "(?:ab)?", "(ba)", "(?:a|b)", "(?:ab|b)", "[ab]", r"\s*", ".",
                  "^", "$", "(?=a)", "(?<=b)", "(?!a)", r"\(", r"\.", "a{2}", "b{0,2}", "a??", "|", r"\d", "(?P<n>a b)"]


@given(
    st.lists(st.sampled_from(_LITERAL_PARTS), min_size=1, max_size=6),
    st.lists(st.text(alphabet="ab .(1\n", max_size=25), min_size=1, max_size=4),
)
@settings(max_examples=2000, deadline=None)
def test_every_match_holds_a_required_literal(parts: list[str], texts: list[str]) -> None:
    try:
        pattern = regex.compile("".join(parts), regex.V1)
    except regex.error:
        return
    needles = required_literals(pattern)
    if needles is None:
        return
    assert needles and all(needles)
    for text in texts:
        for m in pattern.finditer(text, overlapped=True):
            assert any(needle in m.group(0) for needle in needles), (pattern.pattern, text, m)
        if not any(needle in text for needle in needles):
            assert pattern.search(text) is None


def test_budget_search_and_match_same_as_regex_on_every_shipped_pattern() -> None:
    """``_Budget.search`` and ``match`` answer without ``regex`` when the text holds none of the
    pattern's required literals (``_absent``): the same matches as the plain calls, on every
    pattern of every source over the lines of the real and synthetic pages and made-up lines
    (with and without the literals, and from a position inside the line)."""
    from pipeline.stages.structure import _absent

    sites, generic = profiles()
    patterns = [
        p
        for profile in (*sites, generic)
        for p in (profile.photo_marker, profile.credit, profile.credit_label, profile.dateline, profile.byline_date,
                  *profile.boilerplate, *profile.signoff_suffixes, *profile.signatures)
        if p is not None
    ]
    lines = {line for page in _pages() for line in page.split("\n")}
    lines |= {"Hanoï (VNA) - Le ministre.", "Hanoï (VNA)", "x (VNA)", "Fin. -VNA", "越通社河内——", "(完)", "a./.",
              "(Baonghean.vn) - x", "Thanh Le DNUM_AIZABZCACB 10:55", "Vue. Photo: VNA", "图自越通社", "", " "}
    skipped = 0
    for pattern in patterns:
        budget = _Budget(60.0, "")
        for line in lines:
            for pos in (0, min(3, len(line))):
                direct = pattern.search(line, pos)
                ours = budget.search(pattern, line, pos)
                assert (None if direct is None else direct.span()) == (None if ours is None else ours.span())
                direct = pattern.match(line, pos)
                ours = budget.match(pattern, line, pos)
                assert (None if direct is None else direct.span()) == (None if ours is None else ours.span())
            skipped += _absent(pattern, line)
    assert skipped > 1000  # the skip is taken


def _credit_lines() -> set[str]:
    lines = {line for page in _pages() for line in page.split("\n")}
    lines |= {line.strip() for line in lines}
    lines |= {
        "Vue. Photo: VNA", "Photo: VNA", " Photo : VNA.", "Vue.\u00a0\u3000 Photo:VNA", "Vue. Photo: Photo: VNA",
        "Vue.Photo: VNA. Photo: TTXVN", "Vue Photo: VNA", "图自越通社", "会议现场。图自越通社",
        "x.\tẢnh minh họa: Internet", "Illustration photo: Internet", "x) Illustration photo : a.b",
        "Photo", "Photo:", ". Source : VNA/CVN", "",
    }
    return lines


def test_credit_search_same_as_search() -> None:
    """``_credit_search`` (the credit pattern tried only before its labels' literal prefixes) finds
    the match ``search`` finds, same span and groups, for every source's credit pattern on the
    lines of the real and synthetic pages and made-up captions."""
    from pipeline.stages.structure import _credit_search

    sites, generic = profiles()
    found = 0
    for profile in (*sites, generic):
        assert profile.credit is not None
        for line in _credit_lines():
            direct = profile.credit.search(line)
            ours = _credit_search(profile.credit, line, _Budget(60.0, line))
            assert (None if direct is None else (direct.span(), direct.groupdict())) == (
                None if ours is None else (ours.span(), ours.groupdict())
            ), (profile.name, line)
            found += direct is not None
    assert found > 100


def test_credit_starts_examples() -> None:
    from pipeline.sources import _credit_regex, _literal_prefix, credit_starts

    assert _literal_prefix("Photo ?:") == "Photo"
    assert _literal_prefix("Ảnh minh họa ?:") == "Ảnh minh họa"
    assert _literal_prefix(r"\(Ảnh\)") == "(Ảnh)"
    assert _literal_prefix("Ph*oto") == "P"
    for label in ("(?i)photo", "Photo|Ảnh", "[Pp]hoto", r"\w+:", "^Photo", ".Photo", "x{2}"):
        assert _literal_prefix(label) == "", label
    plain, unread = _credit_regex(["Photo ?:", "Source ?:"]), _credit_regex(["Photo ?:", "[Pp]hoto"])
    assert plain is not None and unread is not None
    assert credit_starts(plain) == ("Photo", "Source")
    assert credit_starts(unread) is None
    assert credit_starts(regex.compile("Photo")) is None  # not a credit pattern: searched as it is


_PIECES = [*"Photo: 图自(Ảnh).\u3000\u00a0\t»xab", "Photo: ", ". ", "图自", "(Ảnh)"]
_LABELS = ["Photo ?:", "Ph ?oto:", r"\(Ảnh\)", "图自", "[Pp]hoto", " Src:", r"P\.", "a+b"]


@given(
    st.lists(st.sampled_from(_LABELS), min_size=1, max_size=3),
    st.lists(st.sampled_from(_PIECES), max_size=16),
)
@settings(max_examples=1500, deadline=None)
def test_credit_search_same_as_search_on_random_labels(labels: list[str], parts: list[str]) -> None:
    from pipeline.sources import _credit_regex
    from pipeline.stages.structure import _credit_search

    credit = _credit_regex(labels)
    assert credit is not None
    line = "".join(parts)
    direct = credit.search(line)
    ours = _credit_search(credit, line, _Budget(60.0, line))
    assert (None if direct is None else (direct.span(), direct.groupdict())) == (
        None if ours is None else (ours.span(), ours.groupdict())
    )


def test_group_numbers_read_the_named_groups() -> None:
    """``m.group(_group_no(p, name))`` (and ``m.end``) is ``m.group(name)`` for every named group
    of every shipped pattern that has one (credit, dateline, byline), on the lines of the real and
    synthetic pages and made-up captions; a name the pattern lacks raises as before."""
    import pytest

    from pipeline.stages.structure import _group_no

    sites, generic = profiles()
    lines = _credit_lines() | {
        "Hanoï (VNA) - Le ministre", "Hà Nội (TTXVN) - x", "越通社河内1月8日电 越南",
        "Thanh Huong DNUM_AIZABZCACB 10:55",
    }
    found = 0
    for profile in (*sites, generic):
        for pattern in (profile.credit, profile.dateline, profile.byline_date):
            if pattern is None:
                continue
            names = list(pattern.groupindex)
            assert names
            for line in lines:
                m = pattern.search(line)
                if m is None:
                    continue
                found += 1
                for name in names:
                    assert m.group(_group_no(pattern, name)) == m.group(name), (profile.name, name, line)
                    assert m.span(_group_no(pattern, name)) == m.span(name)
                assert _group_no(pattern, "no_such_group") == "no_such_group"
                with pytest.raises(IndexError):
                    m.group(_group_no(pattern, "no_such_group"))
    assert found > 100


def test_is_space_is_the_credit_pattern_s_space_class() -> None:
    """``_is_space`` (``_SPACE``'s answer remembered per character, read by the credit search)
    is ``_SPACE.match`` for every character of the BMP and a sample above it, asked first and
    again; and in a text, ``_SPACE.match(text, i)`` is ``_is_space(text[i])`` (a class of single
    characters: no context), on caption lines and made-up ones."""
    from pipeline.stages.structure import _SPACE, _is_space

    chars = [chr(code) for code in range(0x10000)] + [chr(code) for code in range(0x10000, 0x110000, 97)]
    for _ in range(2):
        spaces = [ch for ch in chars if _is_space(ch)]
        assert spaces == [ch for ch in chars if _SPACE.match(ch) is not None]
    assert {" ", "\t", "\u00a0", "\u3000", "\u2003", "\x85"} <= set(spaces) and "\u200b" not in spaces
    for text in [*_credit_lines(), "Vue.\u00a0\u3000 Photo:VNA", "a\u2028\u2029\x1c\x1f\x0b b", "\ud800 \U0001f600"]:
        for i in range(len(text)):
            assert _is_space(text[i]) == (_SPACE.match(text, i) is not None), (text, i)


def test_credit_reads_the_profile_once() -> None:
    """``_Credit`` (a page's credit patterns and group numbers, read once) holds what
    ``_split_caption`` read from the profile line by line, for every source and the fallback,
    and for a profile without credit labels; and ``_split_caption`` with it splits the caption
    lines as the credit pattern's own match does."""
    import dataclasses

    from pipeline.stages.structure import _Credit, _group_no, _split_caption

    sites, generic = profiles()
    for profile in (*sites, generic):
        credit = _Credit(profile)
        assert credit.pattern is profile.credit and credit.labels is profile.credit_label
        assert profile.credit is not None
        assert (credit.label_no, credit.credit_no) == (
            _group_no(profile.credit, "label"), _group_no(profile.credit, "credit"))
        assert isinstance(credit.label_no, int) and isinstance(credit.credit_no, int)
        split = 0
        for line in _credit_lines():
            got = _split_caption(line, credit, _Budget(60.0, line), line)
            m = profile.credit.search(line)
            if m is None:
                assert got is None
                continue
            label = " ".join(p for p in (m.group("label").strip(), line[m.end("credit"):].strip()) if p)
            assert got == (line[: m.start()].rstrip(), m.group("credit").strip() or None, label), line
            split += 1
        assert split > 10
    bare = _Credit(dataclasses.replace(generic, credit=None, credit_label=None))
    assert bare.pattern is None and bare.labels is None and (bare.label_no, bare.credit_no) == ("label", "credit")
    assert _split_caption("Vue. Photo: VNA", bare, _Budget(60.0, "x"), "Vue. Photo: VNA") is None


def test_required_table_is_required_literals() -> None:
    """``_required`` (``required_literals`` per pattern, kept in a table) answers as
    ``required_literals``, asked first and again, for every pattern of every shipped profile, the
    scan patterns made of them, and patterns it cannot read."""
    from pipeline.stages.structure import _line_scan, _required

    sites, generic = profiles()
    patterns: list[regex.Pattern[str]] = []
    for profile in (*sites, generic):
        patterns += [*profile.signatures, *profile.boilerplate, *profile.signoff_suffixes]
        patterns += [p for p in (profile.photo_marker, profile.credit, profile.credit_label, profile.dateline,
                                 profile.byline_date) if p is not None]
    patterns += [scan[0] for p in list(patterns) if (scan := _line_scan(p)) is not None]
    patterns += [regex.compile(r"^(\w|\w\w)+$", regex.V1), regex.compile("(?i)photo"), regex.compile("x")]
    assert len(patterns) > 20 and any(required_literals(p) is None for p in patterns)
    for _ in range(2):
        for pattern in patterns:
            assert _required(pattern) == required_literals(pattern), pattern.pattern


def test_starts_table_is_credit_starts() -> None:
    """``_starts`` (``credit_starts`` per pattern, kept in a table) answers as ``credit_starts``,
    asked first and again, for every shipped credit pattern, credit patterns of made-up labels
    (with and without literal prefixes), and a pattern that is not a credit pattern."""
    from pipeline.sources import _credit_regex, credit_starts
    from pipeline.stages.structure import _starts

    sites, generic = profiles()
    patterns = [p.credit for p in (*sites, generic) if p.credit is not None]
    patterns += [_credit_regex(labels) for labels in (["Photo ?:"], ["[Pp]hoto"], [r"\(Ảnh\)", "图自"])]
    patterns.append(regex.compile("Photo"))
    assert any(credit_starts(p) is None for p in patterns if p is not None)
    for _ in range(2):
        for pattern in patterns:
            assert pattern is not None
            assert _starts(pattern) == credit_starts(pattern), pattern.pattern


def test_budget_passes_the_time_left_as_the_timeout() -> None:
    """``_Budget.search`` and ``match`` give ``regex`` the time left positionally (after ``pos``,
    ``endpos``, ``concurrent`` and ``partial``): it is still the timeout, so a catastrophic
    pattern on a line it cannot match is a ``timeout`` reject naming the pattern, from either
    call, in the compiled stage and in its source; and a pattern that matches in time answers
    as the plain call, from a position too."""
    from pipeline.document import Reject
    from pipeline.native import load_source
    from pipeline.stages import structure

    catastrophic = regex.compile(r"^(\w|\w\w)+$", regex.V1)
    hostile = "a" * 80 + "!"
    for module in (structure, load_source("pipeline.stages.structure")):
        for call in ("search", "match"):
            budget = module._Budget(0.05, hostile)
            try:
                getattr(budget, call)(catastrophic, hostile)
            except Reject as exc:
                assert (exc.stage, exc.reason) == ("structure", "timeout") and catastrophic.pattern in exc.detail
            else:
                raise AssertionError(f"{call} did not time out")
        budget = module._Budget(60.0, "")
        word = regex.compile(r"(?P<w>\w+)\.", regex.V1)
        for text, pos in (("Vue générale. Photo: VNA", 0), ("Vue générale. Photo: VNA", 4), ("x", 0), ("", 0)):
            for call in ("search", "match"):
                direct = getattr(word, call)(text, pos)
                ours = getattr(budget, call)(word, text, pos)
                assert (None if direct is None else direct.span()) == (None if ours is None else ours.span())


def _parts_of(m: regex.Match[str] | None) -> tuple[int, str, int, str] | None:
    """What ``_split_caption`` reads of a credit match: start, label, end and text of the credit."""
    return None if m is None else (m.start(), m.group("label"), m.end("credit"), m.group("credit"))


def test_credit_parts_same_as_search() -> None:
    """``_credit_parts`` (the label matched alone, the rest of the credit pattern read by
    ``_credit_tail``) gives what ``search`` of the whole pattern gives: start, label, credit end and
    text, for every source's credit pattern (all simple labels: the fast path is taken) on the
    lines of the real and synthetic pages and made-up captions, each also with a long credit, a
    credit ending in a full stop and spaces, and a newline; compiled and from source."""
    from pipeline.native import load_source
    from pipeline.sources import credit_label_items
    from pipeline.stages import structure

    lines = _credit_lines()
    sites, generic = profiles()
    # (the first 400 holding a credit, in sorted order: a set's order changes with the hash seed)
    credited = [line for line in sorted(lines) if any(p.credit.search(line) for p in (*sites, generic))][:400]
    lines |= {line + suffix for line in credited for suffix in (" . ", ".", "x" * 90, " a. b", "\n", "!")}
    lines |= {"Vue. Photo: " + "x" * n for n in (78, 79, 80, 81)} | {"Vue. Photo: a" + "." * n for n in (1, 2, 3)}
    lines |= {"Vue. Photo: a.b.c .", "Vue. Photo: a. b", "Vue! Photo:VNA", "»Photo: x", "x Photo: y. Photo: z"}
    found = 0
    for module in (structure, load_source("pipeline.stages.structure")):
        for profile in (*sites, generic):
            credit = module._Credit(profile)
            assert credit.simple is not None and credit.simple is credit_label_items(profile.credit)
            for line in lines:
                ours = module._credit_parts(credit, line, module._Budget(60.0, line))
                assert ours == _parts_of(profile.credit.search(line)), (profile.name, line)
                found += ours is not None
    assert found >= 900  # (918: both modules, every profile)


_SIMPLE_LABELS = ["Photo ?:", "Ph ?oto:", r"\(Ảnh\)", "图自", r"P\.", "Ảnh ?:", "Photo", "P ?h ?:"]
_TAIL_PIECES = [*"Photo: 图自(Ảnh).\u3000\u00a0\t»xab!?。)", "Photo: ", ". ", "图自", "(Ảnh)", "P.", "Ph:", "x" * 40]


@given(
    st.lists(st.sampled_from(_SIMPLE_LABELS + _LABELS), min_size=1, max_size=3),
    st.lists(st.sampled_from(_TAIL_PIECES), max_size=16),
)
@settings(max_examples=3000, deadline=None)
def test_credit_parts_same_as_search_on_random_labels(labels: list[str], parts: list[str]) -> None:
    """As above, on random labels (simple ones, which take the fast path, and others, which do
    not) and random lines of labels, stops, spaces of several kinds and long runs of letters."""
    from pipeline.sources import _credit_regex, _label_regex
    from pipeline.stages.structure import _Credit, _credit_parts

    credit = _credit_regex(labels)
    assert credit is not None
    sites, _ = profiles()
    profile = dataclasses.replace(sites[0], credit=credit, credit_label=_label_regex(labels))
    line = "".join(parts)
    assert _credit_parts(_Credit(profile), line, _Budget(60.0, line)) == _parts_of(credit.search(line))


def _label_ends(labels: list[str], text: str) -> None:
    """``_label_end`` of the labels read, compiled and from source, at every position of
    ``text`` (and its end) is ``end()`` of ``regex``'s match of their alternation there, or -1."""
    from pipeline.native import load_source
    from pipeline.sources import _credit_regex, _label_regex, credit_label_items
    from pipeline.stages import structure

    credit = _credit_regex(labels)
    alternation = _label_regex(labels)
    assert credit is not None and alternation is not None
    items = credit_label_items(credit)
    assert items is not None, labels
    for module in (structure, load_source("pipeline.stages.structure")):
        for at in range(len(text) + 1):
            m = alternation.match(text, at)
            assert module._label_end(items, text, at) == (-1 if m is None else m.end()), (labels, text, at)


def test_label_end_same_as_the_alternation() -> None:
    """``_label_end`` (a simple label matched without ``regex``: each optional character taken
    first, then left out) ends where ``regex``'s match of the labels' alternation ends, at every
    position of the credit lines of the real and synthetic pages and of made-up texts, for every
    shipped source's labels and made-up simple ones (optional characters first, last, in a row,
    repeated characters that make the walk backtrack, escaped punctuation, CJK, a prefix of
    another label listed first); labels of more than eight optional characters are not read."""
    from pipeline.sources import _credit_regex, credit_label_items

    sites, generic = profiles()
    shipped = [[label for label in p.credit_label.pattern[3:-1].split(")|(?:")] for p in (*sites, generic)
               if p.credit_label is not None]
    assert ["Photo ?:", "Source ?:"] in shipped
    lines = sorted(_credit_lines())
    made = [["aa?a?ab"], ["P ?h ?:", "Ph"], ["Ph", "Photo ?:"], ["aa?a?a?a?", "x"], [r"\(Ảnh\)", "图自 ?:?"],
            ["Photo", "Photo ?:"], [r"P\.\??"], ["Ảnh minh họa ?:", "Ảnh ?:"]]
    texts = ["aaab", "aab", "aaaab", "ab", "a", "aaaaaaaab", "Ph: Photo : Photo:: P h : Ph", "P.? P. P", "(Ảnh) 图自:",
             "图自 : 图自:", "Ảnh minh họa: Ảnh : Ảnh minh", "x.Photo :VNA", ""]
    for labels in shipped:
        for line in lines:
            _label_ends(labels, line)
    for labels in made:
        for text in texts + lines[:200]:
            _label_ends(labels, text)
    eight, nine = _credit_regex(["b" + "a?" * 8 + "b"]), _credit_regex(["b" + "a?" * 9 + "b"])
    assert eight is not None and nine is not None
    assert credit_label_items(eight) is not None and credit_label_items(nine) is None


_WALK_LABELS = ["aa?a?ab", "Ph ?oto ?:", "P", "ab?b?", r"\(Ảnh\)?", "图自", "aa", "b ?a ?a?"]


@given(
    st.lists(st.sampled_from(_WALK_LABELS), min_size=1, max_size=3),
    st.text(alphabet="aabPhoto :()Ảnh图自 x", max_size=14),
)
@settings(max_examples=2000, deadline=None)
def test_label_end_same_as_the_alternation_on_random_labels(labels: list[str], text: str) -> None:
    """As above, on random simple labels and random texts of their characters."""
    _label_ends(labels, text)
