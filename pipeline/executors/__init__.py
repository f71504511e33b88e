"""Executors: how the stages are run over a corpus, kept apart from the stages themselves.

``local`` runs :func:`pipeline.runner.clean_batch` in this process or in a pool of local
processes (``--workers``), a batch of pages stage by stage; ``ray_exec`` runs the same stages on Ray
Data (``--executor ray``), one page at a time (:func:`pipeline.runner.clean_document`).
Both write through :mod:`pipeline.executors.output`: one ``corpus.jsonl`` by default, or
atomically committed shards that ``--resume`` can pick up after a crash.
"""
