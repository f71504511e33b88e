import os
import sys

# No stage calls BLAS, but importing numpy starts OpenBLAS's thread pool, whose idle threads spin
# for a while: about 30-60 ms of CPU a process on the 2-core machine (`perf stat` of `import
# numpy`, 10 runs each). One BLAS thread starts none. A setting of the user's own is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from .cli import main  # (after the setting above: numpy reads it when first imported)

sys.exit(main())
