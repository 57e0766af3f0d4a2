"""Keep the garbage collections Streamlit runs after every script run short.

After each script run Streamlit collects garbage in full, twice once Keras is loaded: its
`runner.postScriptGC`, then `keras.backend.clear_session`, which it calls itself. With
TensorFlow, Keras, scikit-learn and Altair loaded, each pass walks some 450,000 objects while
holding the GIL, so every session's page waits: 2.1 s a pass before the freeze, 0.02 ms after
(`python bench/bench_gc.py`, 2026-12-02, on the shared 2-core machine under load; the README's
Performance table has the latest figure). Those objects live as long as the process: freezing
them once, after the imports, leaves them out of every later pass.
"""

from __future__ import annotations

import functools
import gc
import importlib

HEAVY_MODULES = (
    "lib.engine",
    "lib.training",
    "lib.projections",
    "lib.metrics",
    "lib.charts.inner_layer",
    "keras",
)


@functools.cache
def freeze_libraries() -> None:
    """Import the heavy libraries and move their objects out of the collector's reach (once)."""
    for name in HEAVY_MODULES:
        importlib.import_module(name)
    gc.collect()  # the imports' own garbage is collected, not frozen
    gc.freeze()
