"""The output contract: JSON Schema (draft 2020-12) files in ``schemas/``, and their validators."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs
import orjson
import regex

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


@functools.cache
def validator(name: str) -> Draft202012Validator:
    """The validator of ``schemas/<name>.schema.json`` (``record`` or ``reject``), built once.

    jsonschema is imported here, on first use: valid records never need it (:func:`is_valid`),
    and importing it costs every process (each Ray task's, each spawned worker's) ~40 ms.
    """
    from jsonschema import Draft202012Validator
    with open(SCHEMA_DIR / f"{name}.schema.json", encoding="utf-8") as fh:
        schema = json.load(fh)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def field_path(path: Any) -> str:
    """``deque(['captions', 0, 'lang'])`` -> ``"captions[0].lang"``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(record)"


def problems(instance: Any, name: str = "record") -> Iterator[str]:
    """Each violation as ``"<field>: <message>"``, most specific first, in a stable order."""
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    for error in errors:
        message = error.message if len(error.message) < 300 else error.message[:300] + "..."
        yield f"{field_path(error.absolute_path)}: {message}"


@functools.cache
def fast_validator(name: str) -> Any:
    """jsonschema-rs's compiled validator of the same schema file (formats not asserted, as in
    jsonschema without a format checker)."""
    with open(SCHEMA_DIR / f"{name}.schema.json", encoding="utf-8") as fh:
        schema = json.load(fh)
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=False)


# Where the two regex dialects disagree so that jsonschema-rs (ECMA 262) could accept what
# jsonschema (Python ``re``) rejects: C0 separators U+001C-U+001F and U+0085 are ``\s`` for Python
# only. A record holding one is left to the Python validator.
_PY_ONLY_SPACE = regex.compile(rb"\\u001[cdefCDEF]|\xc2\x85")


def is_valid(instance: Any, name: str = "record", data: bytes | None = None) -> bool:
    """Same answer as ``not list(problems(instance, name))``, about 50x faster on valid records.

    jsonschema-rs answers first; only a record it finds invalid (or one holding a character the
    two regex dialects read differently) goes through jsonschema, which also names the field.
    ``data``: ``instance`` serialized by orjson, if the caller already has it (with or without
    the newline of a JSONL line: a newline byte is not part of what is looked for in it).
    """
    if fast_validator(name).is_valid(instance):
        if data is None:
            data = orjson.dumps(instance)
        # Substring tests first: the regex only runs on the rare record holding one. (The lone
        # byte first: memchr finds it 20x faster than the pair, and most records hold neither.)
        if not ((b"\\u001" in data or (b"\x85" in data and b"\xc2\x85" in data)) and _PY_ONLY_SPACE.search(data)):
            return True
    return not any(True for _ in validator(name).iter_errors(instance))
