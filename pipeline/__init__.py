"""newsclean: a staged cleaner for scraped news pages.

`ENGINE` says whether the per-document modules run compiled by mypyc or from their source
(`pipeline.native`; the glue engine's own is `pipeline.glue.ENGINE`).
"""

from pipeline.native import select

__version__ = "0.1.0"
ENGINE = select()  # first: it decides which files the stages' imports get
