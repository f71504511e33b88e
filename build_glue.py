"""Compile the glue engine with mypyc: `python build_glue.py` (`make` runs it; `--clean` removes the build).

The engine's modules (`pipeline.glue.native.MODULES`: langdata, lexicon, wrap, core) are
compiled, as they are, by mypyc (it ships with the pinned mypy) into C extension modules
beside their sources, one shared library for the group (`_compiled__mypyc...so`), and the wrap
model's hot loops (`pipeline/glue/_wrapc.pyx`) by Cython into one more (`_wrapc...so`); then
`pipeline/glue/_compiled.sha256` records the digest of the sources compiled (the `.pyx` too), so that a build of
other sources is never run (`pipeline.glue.native.select`). Artefacts (`*.so`, `build/`, the
digest) are not committed. About 25 s on 2 cores; the pure-Python source remains the reference
and the fallback: the same repairs, bit for bit (`tests/test_glue_native.py`).

Then, in a fresh process that runs the engine just built, the fast gate's table of listed rare
words it clears (`pipeline.glue.gatetable`: `_gate_fr.bin`, `_gate_en.bin` beside the sources,
not committed; about 15 s of CPU per language, the two side by side), keyed like the build by
the sources' digest, and before each the tables the engine derives from wordfreq's list
(`pipeline.glue.lexicon.stored`: `_gate_lexicon_fr.bin`, `_gate_lexicon_en.bin`, about 1 s).

Without a C compiler the compilation is skipped with a warning (exit 0: the source runs) and the
table is built by the source (unless current already); a failed compilation is an error.
`NEWSCLEAN_GLUE_BUILD=0` skips both.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
GLUE = ROOT / "pipeline" / "glue"
BUILD = ROOT / "build" / "glue"


def _native() -> Any:
    """`pipeline/glue/native.py` loaded on its own: importing the package would load the engine,
    whose extension files are about to be replaced."""
    spec = importlib.util.spec_from_file_location("_glue_native", GLUE / "native.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _remove_extensions(native: Any) -> None:
    """Unlink the built modules and the digest: a process that has an extension loaded keeps its
    file (rewriting the file in place under it could crash it), and until the new build is
    complete the source runs."""
    native.STAMP.unlink(missing_ok=True)
    for name in native.EXTENSIONS:
        path = native.extension(name)
        while path is not None:
            path.unlink()
            path = native.extension(name)


def _remove_tables() -> None:
    for path in GLUE.glob("_gate_*"):  # the tables and any half-written `.tmp`
        path.unlink()


def clean() -> None:
    _remove_extensions(_native())
    _remove_tables()
    shutil.rmtree(BUILD, ignore_errors=True)


def build_tables() -> int:
    """Build the gate tables (`pipeline.glue.gatetable`) in fresh processes, so that they import
    the engine as it now is (the build just made, or the source): one per language, side by side
    (about 15 s of CPU each)."""
    langs = ("fr", "en")
    procs = [subprocess.Popen([sys.executable, "-c", f"import sys; from pipeline.glue.gatetable import main; "
                               f"sys.exit(main(({lang!r},)))"], cwd=ROOT) for lang in langs]
    return max(proc.wait() for proc in procs)


def current_tables() -> bool:
    """Every gate table is there and current (`gatetable.load` would use it)."""
    code = ("import sys; from pipeline.glue import core, gatetable, lexicon; "
            "sys.exit(0 if all(gatetable.load(lang, repr(core.DEFAULT_CONFIG)) is not None "
            "and lexicon.stored(lang) is not None for lang in gatetable.LANGS) else 1)")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0


def _compiler() -> str | None:
    """The C compiler setuptools will call, if it is installed with Python's headers."""
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    include = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if shutil.which(cc) is None or not include.exists():
        return None
    return cc


def build_in_place(name: str, extensions: list[Any], build_dir: Path) -> None:
    """setuptools' `build_ext` for `extensions`, in place (each beside its source), its temporary
    and library files under `build_dir`, on every core: the glue build's step and
    `build_stages.py`'s."""
    from setuptools import Distribution

    dist = Distribution({"name": name, "ext_modules": extensions})
    cmd = dist.get_command_obj("build_ext")
    cmd.inplace = True
    cmd.build_temp = str(build_dir / "temp")
    cmd.build_lib = str(build_dir / "lib")
    cmd.parallel = os.cpu_count() or 1
    dist.run_command("build_ext")


def build() -> int:
    if os.environ.get("NEWSCLEAN_GLUE_BUILD", "1") == "0":
        print("build_glue: NEWSCLEAN_GLUE_BUILD=0: not built (a build runs only while it is of the current sources)")
        return 0
    if _compiler() is None:
        print("build_glue: WARNING: no C compiler or no Python headers: not built; the glue engine runs from "
              "source (slower, same output)", file=sys.stderr)
        return 0 if current_tables() else build_tables()
    from mypyc.build import mypycify

    native = _native()
    before = native.digest()
    started = time.perf_counter()
    os.chdir(ROOT)  # mypy reads pyproject.toml's [tool.mypy] and resolves `pipeline` from here
    _remove_extensions(native)
    paths = [f"pipeline/glue/{name}.py" for name in native.MODULES]
    extensions = mypycify(paths, opt_level="3", group_name="pipeline.glue._compiled", target_dir=str(BUILD / "c"))
    # the wrap model's hot loops (`_wrapc.pyx`), compiled by Cython (pinned in requirements.txt)
    # into one more extension of the same build, under the same digest (no fused multiply-adds:
    # each float operation rounded as Python and numpy round it)
    from Cython.Build import cythonize
    from setuptools import Extension

    kernel = f"pipeline/glue/{native.KERNEL}.pyx"
    flags = ["-O3", "-ffp-contract=off"]
    extensions += cythonize([Extension(f"pipeline.glue.{native.KERNEL}", [kernel], extra_compile_args=flags)],
                            build_dir=str(BUILD / "cy"), quiet=True, compiler_directives={"language_level": "3"})
    build_in_place("newsclean-glue", extensions, BUILD)
    if native.digest() != before:
        print("build_glue: the sources changed during the build: not marked current", file=sys.stderr)
        return 1
    native.STAMP.write_text(before + "\n", encoding="ascii")
    print(f"build_glue: compiled {', '.join(paths)} with mypyc and {kernel} with Cython "
          f"in {time.perf_counter() - started:.0f} s")
    return build_tables()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clean", action="store_true", help="remove the compiled modules, the gate tables and build/glue")
    args = ap.parse_args()
    if args.clean:
        clean()
        return 0
    return build()


if __name__ == "__main__":
    sys.exit(main())
