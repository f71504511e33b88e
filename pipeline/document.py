"""The document that flows through the stages, and the records of what each stage did.

A :class:`Document` is immutable: a stage returns a new one (``dataclasses.replace``) with the
fields it wrote and the :class:`Edit` / :class:`Removed` entries it added. Nothing a stage cuts or
changes goes unrecorded, so ``inputs = records + rejects`` and every character is accounted for.

Example (what the ``whitespace`` stage does to a line with a no-break space)::

    before: "Mai Tien Dung,\\u00a0 a déclaré"
    after:  "Mai Tien Dung, a déclaré"
    edit:   Edit(stage="whitespace", kind="spaces", before="\\u00a0 ", after=" ",
                 where=Where(field="text", index=4, offset=14))
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, TypeVar

from mypy_extensions import mypyc_attr

from .rounding import round_places


class Reject(Exception):
    """Raised by a stage (or a reader) when a document cannot become a clean record.

    The runner turns it into a line of ``rejects.jsonl``; the run goes on.
    ``reason`` is a short machine-readable code (``binary``, ``empty``, ``no_body`` ...) and
    ``detail`` a sentence a user can act on.
    """

    def __init__(self, stage: str, reason: str, detail: str = "") -> None:
        super().__init__(f"{stage}: {reason}: {detail}" if detail else f"{stage}: {reason}")
        self.stage = stage
        self.reason = reason
        self.detail = detail


@mypyc_attr(native_class=False)
@dataclass(frozen=True, init=False)
class Where:
    """Where an edit happened: a record field (``text`` before ``structure`` splits the page),
    the index in a list field (line number for ``text``), and the character offset."""

    field: str
    index: int | None = None
    offset: int | None = None

    def __init__(self, field: str, index: int | None = None, offset: int | None = None) -> None:
        # The __init__ dataclass writes for a frozen class sets each field with
        # ``object.__setattr__``; filling the instance's dict gives the same object in half the
        # time (0.17 instead of 0.35 µs). One is made for every text field of a page in each of
        # four stages, and for every edit. The price: the dict, made at once, is where later
        # reads look (about 15 ns more per read); an edit made and written (``to_json``) costs
        # 1.24 instead of 1.60 µs. (tests/test_fastpaths.py: same fields, same objects.)
        state = self.__dict__
        state["field"] = field
        state["index"] = index
        state["offset"] = offset

    def to_json(self) -> dict[str, Any]:
        return _where_json(self.__dict__)


def _where_json(d: dict[str, Any]) -> dict[str, Any]:
    """A ``Where``'s JSON from its instance dict: ``Where.to_json``, and ``Edit.to_json`` for its
    ``Where`` (a module function, which compiled by mypyc is a direct call where the method is a
    generic one on a Python class). The fields are read from the dict, untyped, so that compiled
    it passes a wrong-typed field on, as the source does, for the record's schema check to name it.

        _where_json(Where("paragraphs", 2, 7).__dict__) -> {"field": "paragraphs", "index": 2, "offset": 7}
    """
    return {"field": d["field"], "index": d["index"], "offset": d["offset"]}


@mypyc_attr(native_class=False)
@dataclass(frozen=True, init=False)
class Edit:
    """One change made by a stage. ``score`` is set by stages that decide (``glue``)."""

    stage: str
    kind: str
    before: str
    after: str
    where: Where
    score: float | None = None

    def __init__(
        self, stage: str, kind: str, before: str, after: str, where: Where, score: float | None = None
    ) -> None:
        # As Where's: the instance's dict filled directly (0.25 instead of 0.54 µs; a page gets
        # about twenty edits).
        state = self.__dict__
        state["stage"] = stage
        state["kind"] = kind
        state["before"] = before
        state["after"] = after
        state["where"] = where
        state["score"] = score

    def to_json(self) -> dict[str, Any]:
        return _edit_json(self.__dict__)


def _edit_json(d: dict[str, Any]) -> dict[str, Any]:
    """An ``Edit``'s JSON from its instance dict: ``Edit.to_json``, and the ``record`` stage's
    for an ``Edit`` (a module function: compiled, the stage calls it directly where
    ``edit.to_json()`` is a generic method call on a Python class, as :func:`_where_json`).

        before: edit.to_json()            (look-up, bound method, argument parsing)
        after:  _edit_json(edit.__dict__) -> {"stage": "glue", "kind": "wrap", ..., "score": 0.8731}
    """
    where = d["where"]
    # ``where.to_json()`` by its function for a ``Where`` (a subclass, or anything else a
    # caller put there, still gets its own ``to_json``): the same dict without a method call,
    # which compiled by mypyc is a generic one on a Python class (about 2,000 instructions of
    # the 7,800 an edit cost; the ``record`` stage writes about twenty edits a page).
    where_json = _where_json(where.__dict__) if type(where) is Where else where.to_json()
    score = d["score"]
    if score is None:
        return {"stage": d["stage"], "kind": d["kind"], "before": d["before"], "after": d["after"], "where": where_json}
    # A scored edit's dict made whole, ``score`` last as before: a sixth key added to the
    # five-key dict would make it grow (a new table, the keys moved), about 600 instructions.
    # (a float by ``round_places``, compiled: anything else, an int, a subclass, still by
    # ``round``, which gives an int back for an int)
    return {
        "stage": d["stage"],
        "kind": d["kind"],
        "before": d["before"],
        "after": d["after"],
        "where": where_json,
        "score": round_places(score, 4) if type(score) is float else round(score, 4),
    }


@mypyc_attr(native_class=False)
@dataclass(frozen=True, init=False)
class Removed:
    """Text cut from the article (sidebar, boilerplate, sign-off, alt-text copy), kept for audit.

    ``role`` refines ``kind`` for sidebar lines: ``headline``, ``summary``, ``caption``, ``marker``.
    """

    stage: str
    kind: str
    text: str
    role: str | None = None

    def __init__(self, stage: str, kind: str, text: str, role: str | None = None) -> None:
        # As Where's (``structure`` makes one for every sidebar line).
        state = self.__dict__
        state["stage"] = stage
        state["kind"] = kind
        state["text"] = text
        state["role"] = role

    def to_json(self) -> dict[str, Any]:
        return _removed_json(self.__dict__)


def _removed_json(d: dict[str, Any]) -> dict[str, Any]:
    """A ``Removed``'s JSON from its instance dict (as :func:`_edit_json`).

        _removed_json(Removed("structure", "sidebar", "Voir plus", "marker").__dict__)
        -> {"stage": "structure", "kind": "sidebar", "text": "Voir plus", "role": "marker"}
    """
    out: dict[str, Any] = {"stage": d["stage"], "kind": d["kind"], "text": d["text"]}
    role = d["role"]
    if role is not None:
        out["role"] = role
    return out


@mypyc_attr(native_class=False)
@dataclass(frozen=True, init=False)
class Caption:
    """A photo caption lifted out of the body: ``ảnh 1Le ministre ... Photo: VNA`` becomes
    ``Caption(n=1, text="Le ministre ...", credit="VNA", lang="fr")``."""

    n: int | None
    text: str
    credit: str | None
    lang: str | None = None

    def __init__(self, n: Any, text: Any, credit: Any, lang: Any = None) -> None:
        # As Where's: ``structure`` makes one for every caption and ``language`` again with its
        # language (the dataclass's ``__init__``, interpreted, ran about 5,000 instructions a
        # caption; this one about 3,000 fewer). The parameters are untyped as the dataclass's
        # are unchecked: compiled by mypyc, a typed one would raise TypeError on a wrong-typed
        # value (a bug of a stage), which the record's schema check must name instead.
        state = self.__dict__
        state["n"] = n
        state["text"] = text
        state["credit"] = credit
        state["lang"] = lang

    def to_json(self) -> dict[str, Any]:
        return _caption_json(self.__dict__)


def _caption_json(d: dict[str, Any]) -> dict[str, Any]:
    """A ``Caption``'s JSON from its instance dict (as :func:`_edit_json`).

        _caption_json(Caption(1, "Le port.", "VNA", "fr").__dict__)
        -> {"n": 1, "text": "Le port.", "credit": "VNA", "lang": "fr"}
    """
    return {"n": d["n"], "text": d["text"], "credit": d["credit"], "lang": d["lang"]}


@mypyc_attr(native_class=False)
@dataclass(frozen=True, init=False)
class Source:
    """Where a document came from: path (and line for JSONL), size and sha256 of the raw bytes."""

    path: str
    bytes: int
    sha256: str
    line: int | None = None
    encoding: str | None = None

    def __init__(
        self, path: str, bytes: int, sha256: str, line: int | None = None, encoding: str | None = None
    ) -> None:
        # As Where's: the instance's dict filled directly (the reader makes one for every input).
        state = self.__dict__
        state["path"] = path
        state["bytes"] = bytes
        state["sha256"] = sha256
        state["line"] = line
        state["encoding"] = encoding

    def to_json(self) -> dict[str, Any]:
        return _source_json(self.__dict__)


def _source_json(d: dict[str, Any]) -> dict[str, Any]:
    """A ``Source``'s JSON from its instance dict (as :func:`_edit_json`).

        _source_json(Source("in.jsonl", 120, "ab..", line=3, encoding="utf-8").__dict__)
        -> {"path": "in.jsonl", "bytes": 120, "sha256": "ab..", "line": 3, "encoding": "utf-8"}
    """
    out: dict[str, Any] = {"path": d["path"], "bytes": d["bytes"], "sha256": d["sha256"]}
    line = d["line"]
    if line is not None:
        out["line"] = line
    out["encoding"] = d["encoding"]
    return out


@mypyc_attr(native_class=False)
@dataclass(frozen=True, init=False)
class Document:
    """A page on its way to becoming a record.

    Before ``structure`` the page lives in ``text`` (``raw`` holds the undecoded bytes until
    ``decode``); from ``structure`` on it lives in ``title``, ``lead``, ``paragraphs`` ...
    """

    id: str
    source: Source
    raw: bytes | None = None
    text: str = ""
    site: str | None = None
    lang: str | None = None
    title: str | None = None
    lead: str | None = None
    dateline: str | None = None
    byline: str | None = None
    published_raw: str | None = None
    published: str | None = None
    paragraphs: tuple[str, ...] = ()
    captions: tuple[Caption, ...] = ()
    removed: tuple[Removed, ...] = ()
    edits: tuple[Edit, ...] = ()
    structured: bool = False
    record: dict[str, Any] | None = field(default=None, compare=False)
    # ``record`` as its line of ``corpus.jsonl`` (``io.dumps``), made once by the ``record`` stage,
    # which serializes the record to check it anyway; the executors write these bytes.
    record_line: bytes | None = field(default=None, compare=False, repr=False)

    def __init__(
        self,
        id: str,
        source: Source,
        raw: bytes | None = None,
        text: str = "",
        site: str | None = None,
        lang: str | None = None,
        title: str | None = None,
        lead: str | None = None,
        dateline: str | None = None,
        byline: str | None = None,
        published_raw: str | None = None,
        published: str | None = None,
        paragraphs: tuple[str, ...] = (),
        captions: tuple[Caption, ...] = (),
        removed: tuple[Removed, ...] = (),
        edits: tuple[Edit, ...] = (),
        structured: bool = False,
        record: dict[str, Any] | None = None,
        record_line: bytes | None = None,
    ) -> None:
        # As Where's: the instance's dict filled directly, in the fields' order (the reader makes
        # one for every input; the frozen dataclass's own sets its 19 fields one
        # ``object.__setattr__`` call each, about 18,000 instructions a document with its
        # ``Source``). The stages make theirs with ``evolve``.
        state = self.__dict__
        state["id"] = id
        state["source"] = source
        state["raw"] = raw
        state["text"] = text
        state["site"] = site
        state["lang"] = lang
        state["title"] = title
        state["lead"] = lead
        state["dateline"] = dateline
        state["byline"] = byline
        state["published_raw"] = published_raw
        state["published"] = published
        state["paragraphs"] = paragraphs
        state["captions"] = captions
        state["removed"] = removed
        state["edits"] = edits
        state["structured"] = structured
        state["record"] = record
        state["record_line"] = record_line

    def text_fields(self) -> list[tuple[str, int | None, str]]:
        """Every piece of article text as ``(field, index, value)``: what text-level stages visit."""
        if not self.structured:
            return [("text", None, self.text)]
        # (the fields read by name and list comprehensions, not `getattr` and generators fed to
        # `extend`: the same list at about half the cost; four stages ask it of every page)
        out: list[tuple[str, int | None, str]] = []
        title, lead, dateline = self.title, self.lead, self.dateline
        if title:
            out.append(("title", None, title))
        if lead:
            out.append(("lead", None, lead))
        if dateline:
            out.append(("dateline", None, dateline))
        out += [("paragraphs", i, p) for i, p in enumerate(self.paragraphs)]
        if self.captions:
            out += [("captions", i, c.text) for i, c in enumerate(self.captions)]
        return out


_D = TypeVar("_D", "Document", Caption, Source)
_FIELDS: dict[type, frozenset[str]] = {
    cls: frozenset(f.name for f in dataclasses.fields(cls)) for cls in (Document, Caption, Source)
}


def evolve(obj: _D, **changes: Any) -> _D:
    """``dataclasses.replace(obj, **changes)``, the same object, about 5x faster (0.6 µs instead
    of 3.3 for a ``Document``; the stages make about six a page).

    ``replace`` calls the class's ``__init__``, which on a frozen dataclass sets every field
    through ``object.__setattr__``; these classes have no ``__post_init__`` and no field outside
    ``__init__``, so copying the fields and setting the changed ones gives an equal object with
    the same fields. An unknown field name goes to ``replace``, which raises ``TypeError``.
    """
    if not _FIELDS[type(obj)].issuperset(changes):
        return dataclasses.replace(obj, **changes)
    new = object.__new__(type(obj))
    # The old object's dict copied whole (a copy of its table), the changed fields set in the
    # copy, and the copy made the new object's dict: the same keys in the same order as filling
    # the new object's own dict key by key, which inserted every field one at a time
    # (``structure``'s call, twelve changes to a ``Document`` of 19 fields: about 7,700
    # instructions, against 11,500).
    state = obj.__dict__.copy()
    state.update(changes)
    object.__setattr__(new, "__dict__", state)
    return new
