"""Which implementation of the glue engine runs: the mypyc-compiled one or the Python source.

`build_glue.py` (run by `make`) compiles `langdata`, `lexicon`, `wrap` and `core` with mypyc
into extension modules beside their sources (`core.cpython-311-x86_64-linux-gnu.so`, ...)
and writes `_compiled.sha256`, the digest of the sources it compiled. Python imports an
extension module in preference to a source file of the same name; `select` (run once, by
`pipeline/glue/__init__.py`, before the engine is imported) makes sure that happens only when
the extensions are the compilation of the sources as they are now:

- every extension is there and the digest matches: the compiled engine runs (same output,
  `tests/test_glue_native.py`; about 1.4x the speed);
- no build, a build of other sources (a stale build would run old code: the sources were
  edited or checked out since), or `NEWSCLEAN_GLUE=source` in the environment: the `.py`
  sources are loaded explicitly and run as they are.

This module itself is never compiled, and imports nothing of the engine (`build_glue.py` loads
it alone). `pipeline.glue.ENGINE` says which implementation runs ("compiled", "source" or
"source (why)"): the CLI prints it on its last line, pytest in its header.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

PACKAGE = "pipeline.glue"
# the compiled modules, in import order (each imports only modules before it)
MODULES = ("langdata", "lexicon", "wrap", "core")
GROUP = "_compiled__mypyc"  # mypyc's shared library of the group (`build_glue.py`)
# the wrap model's hot loops in C (`_wrapc.pyx`, compiled by Cython in the same build): part of
# the build and of its digest, and run (by `wrap.best_chain`) only with the compiled engine
KERNEL = "_wrapc"
EXTENSIONS = (*MODULES, GROUP, KERNEL)  # every extension module a build makes
HERE = Path(__file__).resolve().parent
STAMP = HERE / "_compiled.sha256"
ENV = "NEWSCLEAN_GLUE"  # "source": run the Python source even where a current build exists

# the C kernel `wrap.best_chain` calls (`kernel()`), set by `select` with the compiled engine
# alone: the source, however it is loaded, runs its own Python throughout
_kernel: ModuleType | None = None


def kernel() -> ModuleType | None:
    """The compiled `_wrapc` module when the compiled engine runs, else None (read once by
    `wrap.py` as it is imported)."""
    return _kernel


def digest() -> str:
    """SHA-256 of the sources of `MODULES` as they are now (what a build must have compiled)."""
    h = hashlib.sha256()
    for file in (*(f"{name}.py" for name in MODULES), f"{KERNEL}.pyx"):
        data = (HERE / file).read_bytes()
        h.update(f"{file} {len(data)}\n".encode())
        h.update(data)
    return h.hexdigest()


def extension(name: str) -> Path | None:
    """The extension module `name` built beside the sources, if any."""
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = HERE / f"{name}{suffix}"
        if path.exists():
            return path
    return None


def state() -> str:
    """"compiled" (a build of the current sources), "stale" (some extension is there, but not a
    complete build of these sources) or "absent" (no extension at all)."""
    found = [extension(name) for name in EXTENSIONS]
    if not any(found):
        return "absent"
    if not all(found) or not STAMP.exists() or STAMP.read_text(encoding="ascii").strip() != digest():
        return "stale"
    return "compiled"


def load_sources() -> dict[str, ModuleType]:
    """Execute the `.py` sources of `MODULES` as `pipeline.glue.<name>`, in order, each seeing the
    ones before it, and return them, leaving `sys.modules` and the package as they were.

    What `select` installs when the build must not run, and what a test uses to compare the
    compiled engine with its source, or to monkeypatch module functions (the compiled code
    binds its calls at build time, so patching a compiled module changes nothing).
    """
    global _kernel
    package = sys.modules[PACKAGE]
    names = [f"{PACKAGE}.{name}" for name in MODULES]
    saved_kernel, _kernel = _kernel, None  # (the sources' `wrap` runs its Python)
    saved_modules = {name: sys.modules.get(name) for name in names}
    saved_attrs = {name: package.__dict__.get(name) for name in MODULES}
    loaded: dict[str, ModuleType] = {}
    try:
        for name in MODULES:
            full = f"{PACKAGE}.{name}"
            spec = importlib.util.spec_from_file_location(full, HERE / f"{name}.py")
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            # seen by the later modules' imports (`from pipeline.glue import langdata` reads the
            # package attribute first, `from pipeline.glue.lexicon import ...` sys.modules)
            sys.modules[full] = module
            setattr(package, name, module)
            spec.loader.exec_module(module)
            loaded[name] = module
    finally:
        _kernel = saved_kernel
        for full, old_module in saved_modules.items():
            if old_module is None:
                sys.modules.pop(full, None)
            else:
                sys.modules[full] = old_module
        for name, old_attr in saved_attrs.items():
            if old_attr is None:
                package.__dict__.pop(name, None)
            else:
                setattr(package, name, old_attr)
    return loaded


def select() -> str:
    """Make the sources run unless a current build exists (see the module docstring); return what
    runs. Called by the package before it imports the engine."""
    found = state()
    forced = os.environ.get(ENV, "") == "source"
    global _kernel
    if found == "compiled" and not forced:
        _kernel = importlib.import_module(f"{PACKAGE}.{KERNEL}")
        return "compiled"
    if found == "absent":
        return f"source ({ENV}=source)" if forced else "source"
    # an extension is there and must not run: import the sources instead, under the usual names
    package = sys.modules[PACKAGE]
    for name, module in load_sources().items():
        sys.modules[f"{PACKAGE}.{name}"] = module
        setattr(package, name, module)
    if forced:
        return f"source ({ENV}=source)"
    return "source (the compiled build is stale: run `make` or `python build_glue.py`)"

