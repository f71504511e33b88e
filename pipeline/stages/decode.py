"""``decode``: raw bytes to text.

UTF-8 first; a BOM selects UTF-8-sig, UTF-16 or UTF-32; bytes that are not valid UTF-8 are read
as cp1252 (latin-1 for its five holes), one byte at a time, so a cp1252 page and a UTF-8 page
with a few stray bytes both come out right. Line ends become ``\\n``; NUL bytes are dropped.
Binary files (PNG, gzip, ELF, PDF, ZIP, or many control bytes) are rejected, as are empty inputs
and inputs over the size limits.

    before: b"Hano\\xefe,\\r\\nl'\\xe9quipement"     (cp1252, CRLF)
    after:  "Hanoïe,\\nl'équipement"
"""

from __future__ import annotations

import codecs

import regex

from ..config import Config
from ..document import Document, Edit, Reject, Where, evolve

NAME = "decode"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\x1f\x8b", "gzip"),
    (b"\x7fELF", "elf"),
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"(\xb5/\xfd", "zstd"),
)

# C0 controls other than \t \n \r (and \x0c, common in old text dumps).
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D}
_NEWLINES = regex.compile(r"\r\n?")  # what :func:`newlines_to_lf` replaces (its reference)


def newlines_to_lf(text: str) -> str:
    """``_NEWLINES.sub("\\n", text)``: each CRLF, then each CR left, becomes LF.

    Why two ``replace`` calls are the substitution: ``\\r\\n?`` matches each CR with the LF
    right after it if there is one, so a CRLF becomes one LF and every other CR one LF; the
    first ``replace`` turns the CRLF pairs (which never overlap) into LF, and the CRs left are
    exactly those not followed by LF, which the second turns into LF (no replacement makes a
    new CR). The ``regex`` substitution built the text from a match object per line end (about
    175,000 instructions on a bench page with CRLF line ends, one page in five); the two
    ``replace`` calls are a copy each.

        before: "a\\r\\nb\\rc\\r\\r\\nd"
        after:  "a\\nb\\nc\\n\\nd"
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode the offending byte as cp1252 (latin-1 where cp1252 has none)."""
    assert isinstance(err, UnicodeDecodeError)
    byte = err.object[err.start : err.start + 1]
    try:
        return byte.decode("cp1252"), err.start + 1
    except UnicodeDecodeError:
        return byte.decode("latin-1"), err.start + 1


codecs.register_error("newsclean-cp1252", _cp1252_fallback)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows NULs in every other byte for ASCII letters."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def sniff_binary(data: bytes, control_ratio: float) -> str | None:
    """The kind of binary file this is, or None for text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    sample = data[:65536]
    controls = sum(1 for b in sample if b in _CONTROL_BYTES)
    if sample and controls / len(sample) > control_ratio:
        return "control-bytes"
    return None


def decode_bytes(data: bytes, cfg: Config) -> tuple[str, str, int]:
    """Return (text, encoding, number of bytes that were not valid UTF-8). Raises Reject."""
    c = cfg.decode
    if len(data) > c.max_bytes:
        raise Reject(NAME, "too_large", f"{len(data)} bytes > --max-bytes {c.max_bytes}; raise the limit to keep it")
    if not data.strip():
        raise Reject(
            NAME, "empty", "the input holds no text (empty or only whitespace): nothing to clean; drop it"
        )
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding + "-bom", 0
            except UnicodeDecodeError as exc:
                raise Reject(
                    NAME, "undecodable", f"{encoding} BOM but invalid {encoding}: {exc}; re-encode the file as UTF-8"
                ) from exc
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        try:
            return data.decode(utf16), utf16, 0
        except UnicodeDecodeError:
            pass
    kind = sniff_binary(data, c.binary_control_ratio)
    if kind is not None:
        raise Reject(NAME, "binary", f"looks like binary data ({kind}), not text; remove it from the input")
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="newsclean-cp1252")
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    # Valid multi-byte UTF-8 next to the bad bytes: a UTF-8 page with stray bytes; else cp1252.
    has_utf8 = any(ord(ch) > 0x7F and ch != "\ufffd" for ch in replaced)
    return text, ("utf-8+cp1252" if has_utf8 else "cp1252"), bad


def run(doc: Document, cfg: Config) -> Document:
    if doc.raw is None:  # JSONL input: already text
        if doc.source.bytes > cfg.decode.max_bytes:
            raise Reject(
                NAME,
                "too_large",
                f"{doc.source.bytes} bytes > --max-bytes {cfg.decode.max_bytes}; raise the limit to keep it",
            )
        text, encoding = doc.text, doc.source.encoding or "utf-8"
    else:
        text, encoding, _ = decode_bytes(doc.raw, cfg)
    edits: list[Edit] = []
    if "\r" in text:
        count = text.count("\r")
        text = newlines_to_lf(text)
        edits.append(Edit(NAME, "newlines", f"{count} CR/CRLF", "LF", Where("text")))
    if "\x00" in text:
        count = text.count("\x00")
        text = text.replace("\x00", "")
        edits.append(Edit(NAME, "nul", "\x00" * min(count, 16), "", Where("text")))
    # No line is longer than the text: the lines are measured only when the text could hold one
    # too long (pages are a few thousand characters, the limit 200,000).
    longest = max((len(line) for line in text.split("\n")), default=0) if len(text) > cfg.decode.max_line_chars else 0
    if longest > cfg.decode.max_line_chars:
        raise Reject(
            NAME,
            "line_too_long",
            f"a line of {longest} characters > --max-line-chars {cfg.decode.max_line_chars}; a dump, not an article?"
            " raise --max-line-chars to keep it",
        )
    if not text.strip():
        raise Reject(
            NAME, "empty", "the input holds no text once decoded (only NUL bytes or line ends): nothing to clean"
        )
    if doc.raw is not None and encoding not in ("utf-8",):
        edits.insert(0, Edit(NAME, "encoding", encoding, "utf-8", Where("text")))
    return evolve(
        doc,
        raw=None,
        text=text,
        source=evolve(doc.source, encoding=encoding),
        edits=doc.edits + tuple(edits),
    )
