import ctypes
import os
import sys

# No stage calls BLAS, but importing numpy starts OpenBLAS's thread pool, whose idle threads spin
# for a while: about 30-60 ms of CPU a process on the 2-core machine (`perf stat` of `import
# numpy`, 10 runs each). One BLAS thread starts none. A setting of the user's own is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# One malloc arena for the process (glibc's M_ARENA_MAX, -8), unless the user set
# MALLOC_ARENA_MAX. With several workers, lingua's models are loaded on lingua's own threads
# before the workers fork (`language.preload`), and glibc gives each thread an arena of its own
# whose freed pages stay resident: the parent's peak RSS varied by about 70 MB from run to run
# on the same input (343-410 MB), more than issue #4's 10 % between the 1x and 5x corpora. With
# one arena the threads' freed memory is reused: 317-330 MB (bench/SCALE.md, "Stop 24: peak
# RSS"). The stages run on one thread, so nothing else shares the arena. glibc only; elsewhere,
# or without the symbol, nothing is changed.
if sys.platform.startswith("linux") and "MALLOC_ARENA_MAX" not in os.environ:
    _mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
    if _mallopt is not None:
        _mallopt(-8, 1)

from .cli import main  # (after the settings above: numpy reads its own when first imported)

sys.exit(main())
