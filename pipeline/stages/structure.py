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

import time
from dataclasses import dataclass, replace

import regex

from ..config import Config
from ..document import Caption, Document, Reject, Removed
from ..sources import Profile, profile_for

NAME = "structure"


class _Budget:
    """The document's time budget for matching ``sources.toml`` patterns (``regex_timeout`` per
    MiB of page text, at least ``regex_timeout``).

    Those patterns are user-provided data: one with catastrophic backtracking must turn the
    document into a reject ``timeout``, not hang the run. Every call gets the time left.

        before: boilerplate = ['^(\\w|\\w\\w)+$'] and a 40-letter line ending in "!"
        after:  Reject("structure", "timeout", "... sources.toml pattern '^(\\w|\\w\\w)+$' ...")
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.perf_counter() + seconds

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

    def search(self, pattern: regex.Pattern[str], text: str) -> regex.Match[str] | None:
        try:
            return pattern.search(text, timeout=self._left(pattern))
        except TimeoutError:
            raise self._reject(pattern) from None

    def match(self, pattern: regex.Pattern[str], text: str) -> regex.Match[str] | None:
        try:
            return pattern.match(text, timeout=self._left(pattern))
        except TimeoutError:
            raise self._reject(pattern) from None

_SENTENCE_END = regex.compile(r"[.!?;:。！？…]$|\.\s*[\"”»)]$")
_HAS_LETTER = regex.compile(r"\p{L}", regex.V1)


@dataclass
class _Line:
    text: str
    kind: str = "body"  # body | caption | removed


def _split_caption(text: str, profile: Profile, budget: _Budget) -> tuple[str, str | None, str] | None:
    """``"Vue générale. Photo: VNA"`` -> ``("Vue générale.", "VNA", "Photo:")``: body, credit, and
    the label with anything else the credit pattern consumed (kept in ``removed``); None when no
    credit."""
    if profile.credit is None:
        return None
    if profile.credit_label is not None and budget.search(profile.credit_label, text) is None:
        return None  # no label, so no credit (the cheaper search first)
    m = budget.search(profile.credit, text)
    if m is None:
        return None
    body = text[: m.start()].rstrip()
    label = " ".join(part for part in (m.group("label").strip(), text[m.end("credit") :].strip()) if part)
    return body, m.group("credit").strip() or None, label


def _sidebar_role(text: str, profile: Profile, budget: _Budget) -> str:
    if _split_caption(text, profile, budget) is not None:
        return "caption"
    if not _SENTENCE_END.search(text) and len(text) <= 200:
        return "headline"
    return "summary"


def _is_title(line: str, cfg: Config, profile: Profile, budget: _Budget) -> bool:
    return (
        len(line) <= cfg.structure.max_title_chars
        and _HAS_LETTER.search(line) is not None
        and not line.endswith((".", "。", ":", ";", ","))
        and not (profile.dateline is not None and budget.match(profile.dateline, line))
        and _split_caption(line, profile, budget) is None
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


def run(doc: Document, cfg: Config) -> Document:
    # The budget grows with the page (per MiB), so that a big page of ordinary lines, linear work,
    # is never cut short; a catastrophic pattern blows any budget on a single line.
    seconds = cfg.structure.regex_timeout * max(1.0, len(doc.text) / 2**20)
    budget = _Budget(seconds)
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
    removed: list[Removed] = []
    lines = [line for line in doc.text.split("\n") if line.strip()]

    # 1. Boilerplate lines, wherever they stand.
    kept: list[str] = []
    for line in lines:
        if any(budget.search(p, line) for p in profile.boilerplate):
            removed.append(Removed(NAME, "boilerplate", line))
        else:
            kept.append(line)
    lines = kept

    # 2. The sidebar: the first marker line after some article text, and all that follows.
    #    Stray markers above the article (an article follows) go alone, however many there are.
    while lines and lines[0].strip() in profile.sidebar_markers and not _only_sidebar(lines[1:], profile, budget):
        removed.append(Removed(NAME, "sidebar", lines.pop(0), role="marker"))
    for i, line in enumerate(lines):
        if line.strip() in profile.sidebar_markers:
            removed.append(Removed(NAME, "sidebar", line, role="marker"))
            removed.extend(
                Removed(NAME, "sidebar", rest, role=_sidebar_role(rest, profile, budget)) for rest in lines[i + 1 :]
            )
            lines = lines[:i]
            break

    # 3. Byline and date placeholder line.
    byline = published_raw = None
    if profile.byline_date is not None:
        for i, line in enumerate(lines[:4]):
            m = budget.match(profile.byline_date, line)
            if m:
                byline, published_raw = m.group("byline").strip(), m.group("date").strip()
                del lines[i]
                break

    # 4. Captions.
    title_guess = lines[0] if lines and _is_title(lines[0], cfg, profile, budget) else None
    captions: list[Caption] = []
    tagged: list[_Line] = []
    for line in lines:
        marker = budget.search(profile.photo_marker, line) if profile.photo_marker is not None else None
        if marker is not None:
            alt = line[: marker.start()].strip()
            rest = line[marker.end() :].strip()
            split = _split_caption(rest, profile, budget)
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
            tagged.append(_Line(line, "caption"))
            continue
        split = _split_caption(line, profile, budget)
        if split is not None and len(line) <= cfg.structure.max_caption_chars and split[0]:
            captions.append(Caption(None, split[0], split[1]))
            removed.append(Removed(NAME, "credit_label", split[2]))
            tagged.append(_Line(line, "caption"))
            continue
        tagged.append(_Line(line))
    body = [t.text for t in tagged if t.kind == "body"]

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
    if len(body) > 1 and _is_title(body[0], cfg, profile, budget):
        title = body.pop(0)
    dateline = None
    lead = None
    if profile.dateline is not None:
        for i, para in enumerate(body[:3]):
            m = budget.match(profile.dateline, para)
            if m:
                dateline = m.group("dl").strip()
                if i == 1:
                    lead = body.pop(0)
                break

    paragraphs = body

    return replace(
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
