"""Executors: how the stages are run over a corpus, kept apart from the stages themselves.

``local`` runs :func:`pipeline.runner.clean_document` in this process or in a pool of local
processes (``--workers``); ``ray_exec`` runs the same function on Ray Data (``--executor ray``).
Both write through :mod:`pipeline.executors.output`: one ``corpus.jsonl`` by default, or
atomically committed shards that ``--resume`` can pick up after a crash.
"""
