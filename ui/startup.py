"""Start quickly, then keep the garbage collections Streamlit runs after every script run short.

The default page, the data page, needs no TensorFlow, Keras or scikit-learn (`lib.lazy`): a
fresh server draws it without them. Once that first page is drawn, `load_in_background` imports
the heavy libraries in a thread of their own, so that the first training does not wait for them.

After each script run Streamlit collects garbage in full, twice once Keras is loaded: its
`runner.postScriptGC`, then `keras.backend.clear_session`, which it calls itself. With
TensorFlow, Keras, scikit-learn and Altair loaded, each pass walks some 450,000 objects while
holding the GIL, so every session's page waits: 0.57 s a pass before the freeze, 0.03 ms after
(`python bench/bench_gc.py`, 2026-12-02, on an idle 2-core machine; the README's
Performance table has the latest figure). Those objects live as long as the process: freezing
them once, after the imports, leaves them out of every later pass.
"""

from __future__ import annotations

import functools
import gc
import importlib
import threading

HEAVY_MODULES = (
    "tensorflow",
    "lib.engine",
    "lib.training",
    "lib.projections",
    "lib.metrics",
    "lib.charts.inner_layer",
    "sklearn.model_selection",
    "sklearn.preprocessing",
    "sklearn.decomposition",
    "sklearn.discriminant_analysis",
    "sklearn.manifold",
    "keras",
)


@functools.cache
def freeze_libraries() -> None:
    """Import the heavy libraries and move their objects out of the collector's reach (once)."""
    for name in HEAVY_MODULES:
        importlib.import_module(name)
    gc.collect()  # the imports' own garbage is collected, not frozen
    gc.freeze()


@functools.cache
def load_in_background() -> threading.Thread:
    """Run `freeze_libraries` in a daemon thread, once per process; returns that thread."""
    thread = threading.Thread(target=freeze_libraries, name="load-heavy-libraries", daemon=True)
    thread.start()
    return thread
