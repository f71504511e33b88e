"""Compile the per-document pipeline with mypyc: `python build_stages.py` (`make` runs it; `--clean` removes the build).

The modules of `pipeline.native.MODULES` (the stages but `glue`'s engine, which has its own build,
`build_glue.py`; the document, the edit helpers, the runner) are compiled, as
they are, by mypyc (it ships with the pinned mypy) into C extension modules beside their sources,
one shared library for the group (`pipeline/_compiled__mypyc...so`); then
`pipeline/_compiled.sha256` records the digest of the package's sources, so that a build of other
sources is never run (`pipeline.native.select`). Artefacts (`*.so`, `build/stages`, the digest)
are not committed. About 40 s on 2 cores; the Python source remains the reference and the
fallback: the same records, rejects and edits, byte for byte (`tests/test_stages_native.py`).

Without a C compiler the compilation is skipped with a warning (exit 0: the source runs); a failed
compilation is an error. `NEWSCLEAN_STAGES_BUILD=0` skips it.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
BUILD = ROOT / "build" / "stages"


def _native() -> Any:
    """`pipeline/native.py` loaded on its own: importing the package would select (and so might
    load) the extensions that are about to be replaced."""
    spec = importlib.util.spec_from_file_location("_pipeline_native", ROOT / "pipeline" / "native.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _remove_extensions(native: Any) -> None:
    """Unlink the built modules and the digest: a process that has an extension loaded keeps its
    file (rewriting the file in place under it could crash it), and until the new build is
    complete the source runs."""
    native.STAMP.unlink(missing_ok=True)
    for name in (*native.EXTENSIONS, *native.strays()):  # (a stray: a module an older build compiled)
        path = native.extension(name)
        while path is not None:
            path.unlink()
            path = native.extension(name)


def clean() -> None:
    _remove_extensions(_native())
    shutil.rmtree(BUILD, ignore_errors=True)


def build() -> int:
    if os.environ.get("NEWSCLEAN_STAGES_BUILD", "1") == "0":
        print("build_stages: NEWSCLEAN_STAGES_BUILD=0: not built (a build runs only while it is of the current sources)")
        return 0
    # the same test as the glue build's (a C compiler and Python's headers)
    spec = importlib.util.spec_from_file_location("_build_glue", ROOT / "build_glue.py")
    assert spec is not None and spec.loader is not None
    build_glue = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_glue)
    if build_glue._compiler() is None:
        print("build_stages: WARNING: no C compiler or no Python headers: not built; the stages run from "
              "source (slower, same output)", file=sys.stderr)
        return 0
    from mypyc.build import mypycify

    native = _native()
    before = native.digest()
    started = time.perf_counter()
    os.chdir(ROOT)  # mypy reads pyproject.toml's [tool.mypy] and resolves `pipeline` from here
    _remove_extensions(native)
    paths = [native.source(name).relative_to(ROOT).as_posix() for name in native.MODULES]
    extensions = mypycify(paths, opt_level="3", group_name=native.GROUP, target_dir=str(BUILD / "c"))
    # the hot loops in C (`native.KERNELS`: `.pyx` beside the sources), by Cython as the glue's kernel
    from Cython.Build import cythonize
    from setuptools import Extension

    kernels = [Extension(name, [native.source(name).with_suffix(".pyx").relative_to(ROOT).as_posix()],
                         extra_compile_args=["-O3"]) for name in native.KERNELS]
    paths += [ext.sources[0] for ext in kernels]
    extensions += cythonize(kernels, build_dir=str(BUILD / "cy"), quiet=True, compiler_directives={"language_level": "3"})
    build_glue.build_in_place("newsclean-stages", extensions, BUILD)
    if native.digest() != before:
        print("build_stages: the sources changed during the build: not marked current", file=sys.stderr)
        return 1
    native.STAMP.write_text(before + "\n", encoding="ascii")
    print(f"build_stages: compiled {', '.join(paths)} with mypyc and Cython in {time.perf_counter() - started:.0f} s")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clean", action="store_true", help="remove the compiled modules and build/stages")
    args = ap.parse_args()
    if args.clean:
        clean()
        return 0
    return build()


if __name__ == "__main__":
    sys.exit(main())
