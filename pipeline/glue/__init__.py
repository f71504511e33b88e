"""The `glue` stage: put back spaces lost where lines or HTML elements were joined.

`repair("Leministre a déclaré quele 9 janvier", "fr")`
-> `("Le ministre a déclaré que le 9 janvier", [Split(...), Split(...)])`

See `pipeline.glue.core` for the algorithm and `bench/GLUE.md` for its measured quality.
"""

from pipeline.glue.core import GlueConfig, GlueContext, Split, repair

__all__ = ["GlueConfig", "GlueContext", "Split", "repair"]
