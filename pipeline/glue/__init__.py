"""The `glue` stage: put back spaces lost where lines or HTML elements were joined.

`repair("Leministre a déclaré quele 9 janvier", "fr")`
-> `("Le ministre a déclaré que le 9 janvier", [Split(...), Split(...)])`

See `pipeline.glue.core` for the algorithm and `bench/GLUE.md` for its measured quality.
The engine runs compiled by mypyc where `build_glue.py` built it for the current sources, else
from this source (`pipeline.glue.native`; `ENGINE` says which).
"""

from pipeline.glue.native import select

ENGINE = select()  # first: it decides which `core` the import below gets
from pipeline.glue.core import GlueConfig, GlueContext, Split, repair  # noqa: E402  # reason: after `select`

__all__ = ["ENGINE", "GlueConfig", "GlueContext", "Split", "repair"]
