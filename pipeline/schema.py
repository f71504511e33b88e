"""The output contract: JSON Schema (draft 2020-12) files in ``schemas/``, and their validators."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


@functools.cache
def validator(name: str) -> Draft202012Validator:
    """The validator of ``schemas/<name>.schema.json`` (``record`` or ``reject``), built once."""
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
