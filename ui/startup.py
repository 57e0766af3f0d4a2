"""Start quickly, then keep the garbage collections Streamlit runs after every script run short.

The default page, the data page, needs no TensorFlow, Keras or scikit-learn (`lib.lazy`): a
fresh server draws it without them. Once that first page is drawn, `load_in_background` imports
the heavy libraries in a thread of their own, so that the first training does not wait for them,
then traces the engine for the networks the app opens with (`trace_presets`), so that the first
training of each does not wait for its trace either.

After each script run Streamlit collects garbage in full (its `runner.postScriptGC`). With
TensorFlow, Keras, scikit-learn and Altair loaded, each pass walks some 450,000 objects while
holding the GIL, so every session's page waits: 0.57 s a pass before the freeze, 0.03 ms after
(`python bench/bench_gc.py`, 2026-12-02, on an idle 2-core machine; the README's
Performance table has the latest figure). Those objects live as long as the process: freezing
them once, after the imports, leaves them out of every later pass.

Streamlit also ends every script run with `keras.backend.clear_session()` once Keras has been
imported (by the first download of a trained network): process-global, it would reset the Keras
state of a session building its model at that moment, collect garbage once more, and empty
TensorFlow's kernel cache, so that every next training rebuilds its kernels (0.05 s of training
became 0.15 s, `python bench/bench_action_cost.py`). The app keeps no Keras state between runs,
so `keep_keras_state` makes that clean-up leave Keras alone.
"""

from __future__ import annotations

import functools
import gc
import importlib
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lib.engine import Architecture

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
)  # not Keras: only a download of a trained network needs it (lib.keras_model)


@functools.cache
def freeze_libraries() -> None:
    """Import the heavy libraries and move their objects out of the collector's reach (once)."""
    for name in HEAVY_MODULES:
        importlib.import_module(name)
    gc.collect()  # the imports' own garbage is collected, not frozen
    gc.freeze()


def preset_architectures() -> list[Architecture]:
    """The networks the app opens with: each bundled data set's (`lib.presets`) and the lesson's first."""
    from lib.datasets import DATASET_NAMES, load_dataset
    from lib.presets import default_config_for
    from lib.training import LESSON

    found = []
    for name in DATASET_NAMES:
        dataset = load_dataset(name)
        configs = [default_config_for(dataset)] + [LESSON] * (name == "banknotes")
        found += [config.architecture(dataset.n_features, dataset.n_classes) for config in configs]
    return found


def trace_presets() -> None:
    """Trace and run once the engine's epoch function of each of `preset_architectures` (a bounded
    cache keeps them, `lib.engine.compiled`): no Keras, nothing process-global is reset."""
    from lib import engine

    for arch in preset_architectures():
        engine.warm(arch)


def _load_and_trace() -> None:
    freeze_libraries()
    trace_presets()
    gc.collect()  # the traces live as long as the process too: out of every later pass
    gc.freeze()


BROWSER_SECONDS = 2.0  # the first page's browser fetches its scripts and draws meanwhile


@functools.cache
def load_in_background(delay: float = BROWSER_SECONDS) -> threading.Thread:
    """Run `freeze_libraries`, then `trace_presets`, in a daemon thread `delay` seconds from now,
    once per process; returns that thread. The imports hold the interpreter most of the time they
    take, so started at once they slowed the server's answers to the browser drawing the first page by 1.5 s
    (cold start 6.6-7.8 s; 4.1-4.5 s with the delay, `python bench/bench_cold_start.py`). A page
    that needs them sooner imports them itself (a training page opened within seconds of a cold
    start waits for TensorFlow's import, about 4 s)."""
    thread = threading.Timer(delay, _load_and_trace)
    thread.name, thread.daemon = "load-heavy-libraries", True
    thread.start()
    return thread


def _clean_up_after_run() -> None:
    """Streamlit's own clean-up after a script run, without `keras.backend.clear_session()`."""
    if "matplotlib.pyplot" in sys.modules:  # what else Streamlit cleans up (the app draws no pyplot)
        sys.modules["matplotlib.pyplot"].close("all")


def keep_keras_state() -> None:
    """Replace Streamlit's after-run clean-up (`script_runner._clean_problem_modules`, looked up
    at the end of every run) by `_clean_up_after_run`: nothing process-global is cleared."""
    from streamlit.runtime.scriptrunner import script_runner

    if getattr(script_runner, "_clean_problem_modules", None) is None:
        raise RuntimeError("Streamlit's clean-up after a script run has moved: see ui/startup.py")
    script_runner._clean_problem_modules = _clean_up_after_run
