"""Which implementation of the per-document pipeline runs: the mypyc-compiled one or the Python source.

The glue engine has its own compiled build (`pipeline.glue.native`); this is the same for the
rest of what runs on every page: the stages, the document, the edit helpers and the runner
(`MODULES`). `build_stages.py` (run by `make`) compiles them with mypyc into
extension modules beside their sources (`pipeline/stages/structure.cpython-311-x86_64-linux-gnu.so`,
..., and the group's shared library `pipeline/_compiled__mypyc...so`) and writes
`pipeline/_compiled.sha256`, the digest of the sources it compiled. Python imports an extension
module in preference to a source file of the same name; `select` (run once, by
`pipeline/__init__.py`, before any of these modules can be imported) makes sure that happens only
when the extensions are the compilation of the sources as they are now:

- every extension is there and the digest matches: the compiled modules run (same output,
  `tests/test_stages_native.py`);
- no build, a build of other sources (a stale build would run old code: the sources were edited
  or checked out since), or `NEWSCLEAN_STAGES=source` in the environment: a finder put first on
  `sys.meta_path` gives each of `MODULES` its `.py` source, whatever extension lies beside it.

The digest covers every `.py` file of the package, not only the compiled ones: mypyc compiles a
module against the types (and may inline the `Final` constants) of the modules it imports, so a
build is of "the sources as they are now" only if none of them changed.

Example: after editing `pipeline/stages/dates.py` without `make`,
`pipeline.native.ENGINE` is "source (the compiled build is stale: ...)" and `dates.__file__`
ends in `dates.py`; after `make native`, "compiled" and `dates.cpython-311-...so`.

This module itself is never compiled, and imports nothing of the package (`build_stages.py`
loads it alone). `ENGINE` says what runs; the CLI prints it on its last line, pytest in its header.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

PACKAGE = "pipeline"
# the compiled modules (each a dotted name under `pipeline`); see bench/SCALE.md, "Stop 19", for
# what each gains, and why `io` and `executors.local` are not among them (they gained nothing)
MODULES = (
    "pipeline.rounding",
    "pipeline.document",
    "pipeline.edits",
    "pipeline.sources",
    "pipeline.runner",
    "pipeline.stages.decode",
    "pipeline.stages.unicode",
    "pipeline.stages.whitespace",
    "pipeline.stages.structure",
    "pipeline.stages.language",
    "pipeline.stages.glue",
    "pipeline.stages.dates",
    "pipeline.stages.record",
)
GROUP = "pipeline._compiled"  # mypyc's group: its shared library is `pipeline/_compiled__mypyc...so`
# hot loops in C (`.pyx`, compiled by Cython in the same build, under the same digest), each with
# a Python reference its caller runs instead when `kernel` gives None (see bench/SCALE.md, "Stop 24:
# `unicode`'s page scan in C")
KERNELS = ("pipeline.stages._scanc",)
EXTENSIONS = (*MODULES, f"{GROUP}__mypyc", *KERNELS)  # every extension module a build makes
HERE = Path(__file__).resolve().parent  # the package directory
STAMP = HERE / "_compiled.sha256"
ENV = "NEWSCLEAN_STAGES"  # "source": run the Python source even where a current build exists
_kernels = False  # whether `KERNELS` may run: set by `select` with a current build, not forced to the source


def source(name: str) -> Path:
    """The `.py` file of the dotted module name `name` (`pipeline.stages.dates` -> `.../stages/dates.py`)."""
    return HERE.joinpath(*name.split(".")[1:]).with_suffix(".py")


def sources() -> list[Path]:
    """Every `.py` and `.pyx` file of the package, in a fixed order: what the digest covers."""
    return sorted([*HERE.rglob("*.py"), *HERE.rglob("*.pyx")], key=lambda p: p.relative_to(HERE).as_posix())


def digest() -> str:
    """SHA-256 of the package's `.py` sources as they are now (what a build must have compiled)."""
    h = hashlib.sha256()
    for path in sources():
        data = path.read_bytes()
        h.update(f"{path.relative_to(HERE).as_posix()} {len(data)}\n".encode())
        h.update(data)
    return h.hexdigest()


def extension(name: str) -> Path | None:
    """The extension module of the dotted name `name` built beside the sources, if any."""
    base = HERE.joinpath(*name.split(".")[1:])
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = base.with_name(base.name + suffix)
        if path.exists():
            return path
    return None


def strays() -> list[str]:
    """Dotted names of the extension modules beside the package's sources that no build of
    `MODULES` makes (a module compiled by an older build and since left out): each would shadow
    its source. The glue engine's (`pipeline/glue/`) are its own build's."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    wanted = set(EXTENSIONS)
    out = []
    for path in sorted(HERE.rglob("*")):
        if path.name.endswith(suffixes) and path.relative_to(HERE).parts[0] != "glue":
            stem = path.name[: -len(next(s for s in suffixes if path.name.endswith(s)))]
            name = ".".join((PACKAGE, *path.relative_to(HERE).parent.parts, stem))
            if name not in wanted:
                out.append(name)
    return out


def state() -> str:
    """"compiled" (a build of the current sources), "stale" (some extension is there, but not a
    complete build of these sources, or a stray one) or "absent" (no extension at all)."""
    found = [extension(name) for name in EXTENSIONS]
    stray = strays()
    if not any(found) and not stray:
        return "absent"
    if stray or not all(found) or not STAMP.exists() or STAMP.read_text(encoding="ascii").strip() != digest():
        return "stale"
    return "compiled"


class SourceFinder(importlib.abc.MetaPathFinder):
    """Finds each of `names` as its `.py` source (never the extension beside it); leaves every
    other module to the finders after it."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = frozenset(names)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.names:
            return None
        return importlib.util.spec_from_file_location(fullname, source(fullname))


def load_source(name: str) -> ModuleType:
    """A fresh module executed from the `.py` source of `name`, not put in `sys.modules` (its own
    imports get the modules in use): what a test monkeypatches, since the compiled code binds its
    calls to functions of its own group at build time (patching a compiled module changes nothing
    for its compiled callers).

        language = load_source("pipeline.stages.language")
        monkeypatch.setattr(language, "_lingua", refuse)   # language.detect calls `refuse`
    """
    spec = importlib.util.spec_from_file_location(name, source(name))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def kernel(name: str) -> ModuleType | None:
    """The compiled kernel `name` (one of `KERNELS`) when the compiled build runs, else None: the
    caller then runs its Python reference (`NEWSCLEAN_STAGES=source`, a stale or absent build).

        kernel("pipeline.stages._scanc")   # the module with a current build, else None
    """
    return importlib.import_module(name) if _kernels else None


def select() -> str:
    """Make the sources run unless a current build exists (see the module docstring); return what
    runs. Called by `pipeline/__init__.py`, before any of `MODULES` is imported."""
    global _kernels
    found = state()
    forced = os.environ.get(ENV, "") == "source"
    if found == "compiled" and not forced:
        _kernels = True
        return "compiled"
    if found != "absent" and not any(isinstance(f, SourceFinder) for f in sys.meta_path):
        # (and the strays that have a source: the group's shared library has none, and nothing imports it then)
        names = [*MODULES, *(name for name in strays() if source(name).is_file())]
        sys.meta_path.insert(0, SourceFinder(names))
    if forced:
        return f"source ({ENV}=source)"
    if found == "absent":
        return "source"
    return "source (the compiled build is stale: run `make` or `python build_stages.py`)"
