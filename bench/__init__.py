"""Benchmarks of the cleaner's stages (run as modules: `python -m bench.bench_glue`)."""
