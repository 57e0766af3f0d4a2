"""A fresh server draws the data page (the app's default page) without the heavy libraries,
then loads and freezes them; over many trainings afterwards, its memory does not grow without bound.

The libraries' objects are frozen out of the garbage collections Streamlit runs after each script run.

Memory: the engine keeps one traced function per kind of network (`engine.trace_key`: depth,
activation, loss, optimizer) in a bounded cache (lib.engine): a new trace costs about 4 MiB while the
cache fills, and once it is full each new one evicts the oldest, so memory stays flat. Measured in the
server's fresh process after its background load and a run of the app, on kinds it has never traced,
with the cache's bound cut to LIMIT there (the same cache, full after fewer trainings).
"""

import ast
import json

import numpy as np
import pytest

from lib.optimizers import OPTIMIZERS
from lib.training import ACTIVATIONS
from testkit import ROOT
from testkit.workloads import NONLINEAR_ACTIVATIONS, WIDTHS, varied_configs
from ui.startup import preset_architectures, trace_presets

HEAVY = ("tensorflow", "keras", "sklearn", "scipy")


def app_imports() -> list[str]:
    """The modules `streamlit_app.py` imports at its top (what every page's first run imports)."""
    tree = ast.parse((ROOT / "streamlit_app.py").read_text())
    return [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]


DATA_PAGE = (
    "import sys\n"
    f"for name in {app_imports()!r}: __import__(name)\n"
    "from testkit.apptest import without_background_load\n"
    "without_background_load()  # what the page imports, not the later load\n"
    "from streamlit.testing.v1 import AppTest\n"
    "from testkit.apptest import LAPTOP_BAND\n"
    "from ui.state import CHART_WIDTH\n"
    f"at = AppTest.from_file({str(ROOT / 'streamlit_app.py')!r}, default_timeout=120)\n"
    "at.session_state[CHART_WIDTH] = {'band': LAPTOP_BAND}  # as a laptop's browser tells\n"
    "at.run()\n"
    "charts = [e for e in at.main if e.proto is not None and 'vega' in str(type(e.proto)).lower()]\n"
    "assert at.title[0].value == 'The data' and not at.exception, at.exception\n"
    f"print(len(charts), [m for m in {HEAVY!r} if m in sys.modules])\n"
)
# One fresh process: the background load, then a run of the app (which finds the libraries loaded).
BACKGROUND_LOAD_THEN_A_RUN = (
    "import gc, sys\n"
    "from ui.startup import load_in_background\n"
    "before = len(gc.get_objects())\n"
    "assert 'tensorflow' not in sys.modules\n"
    "thread = load_in_background()\n"
    "assert load_in_background() is thread\n"
    "from ui.startup import BROWSER_SECONDS\n"
    "assert thread.interval == BROWSER_SECONDS >= 1  # the browser draws the first page meanwhile\n"
    "thread.join()\n"
    "from lib import engine\n"
    "traced = engine._compiled.cache_info().currsize\n"
    "loaded = 'tensorflow' in sys.modules\n"
    "print('loaded:', before, gc.get_freeze_count(), len(gc.get_objects()), loaded, traced)\n"
    "import keras\n"
    "from streamlit.testing.v1 import AppTest\n"
    "first = keras.layers.Dense(1).name\n"
    f"at = AppTest.from_file({str(ROOT / 'streamlit_app.py')!r}, default_timeout=120).run()\n"
    "assert not at.exception, at.exception\n"
    "print('layer names:', first, keras.layers.Dense(1).name)\n"
)
LIMIT = 4  # the bound in the fresh process
SETTLED = 8  # trainings after which that cache is full and has evicted a few
TRAININGS = SETTLED + 28  # 28 trainings measured once it is full
APP_SETTLED = 20  # the app's own bound (lib.engine.TRACES_KEPT) is full within as many shapes: about 80 MiB
# After every training: the traces held, and the resident memory once freed memory is returned to
# the system (a collection, then malloc_trim: what is measured is what is held, not fragmentation).
# What the imports made was frozen out of the collections by the background load, as in the app.
MEMORY = f"""
import ctypes, functools, gc, json
import psutil
from lib import engine
from lib.datasets import load_dataset
from lib.training import train
from testkit.workloads import varied_configs

app_limit = engine._compiled.cache_info().maxsize
engine._compiled = functools.lru_cache(maxsize={LIMIT})(engine._compiled.__wrapped__)
trim = getattr(ctypes.CDLL(None), "malloc_trim", lambda pad: 0)
data = load_dataset("banknotes")
configs = varied_configs({TRAININGS}, epochs=1)
traces, mib = [], []
for config in configs:
    train(data, config)
    gc.collect()
    trim(0)
    traces.append(engine._compiled.cache_info().currsize)
    mib.append(psutil.Process().memory_info().rss / 2**20)
print("memory:", json.dumps({{"app limit": app_limit, "limit": engine._compiled.cache_info().maxsize,
                  "traces": traces, "mib": mib,
                  "kinds": len({{engine.trace_key(c.architecture(4, 2)) for c in configs}})}}))
"""
# One fresh process, a server's life: the background load, a run of the app (which finds the libraries
# loaded), then trainings of ever new kinds of network.
SERVER = BACKGROUND_LOAD_THEN_A_RUN + MEMORY


def printed(fresh, label: str) -> list[str]:
    """The words the fresh script printed after `label:`."""
    return fresh.after(label).split()


@pytest.mark.fresh_process(DATA_PAGE)
def test_the_data_page_is_drawn_without_tensorflow_keras_or_scikit_learn(fresh):
    assert "ui.links" in app_imports()  # the parse finds the app's imports
    # the pairplot drawn, in the layout for the width told; none of the heavy libraries imported
    assert fresh.last_line == "1 []"


@pytest.mark.fresh_process(SERVER)
def test_the_background_load_imports_and_freezes_the_libraries_once(fresh):
    """...then traces the networks the app opens with (and nothing else: one trace a kind of network),
    and freezes them too."""
    from lib.engine import trace_key

    before, frozen, left, loaded, traced = printed(fresh, "loaded")
    assert loaded == "True"
    assert int(traced) == len({trace_key(arch) for arch in preset_architectures()}) > 1
    assert int(frozen) > 200_000  # TensorFlow, scikit-learn, Altair: all imported, then frozen
    assert int(left) < int(frozen) / 20  # what a collection still walks
    assert int(before) < 100_000  # the imports happen in the background, not before it


@pytest.mark.fresh_process(SERVER)
def test_a_script_run_leaves_keras_state_alone(fresh):
    """Streamlit's after-run `keras.backend.clear_session()` is off (ui.startup.keep_keras_state):
    Keras' layer names go on counting over a run of the app (a clear would restart them), and
    TensorFlow's kernels stay cached for the next training."""
    assert printed(fresh, "layer names") == ["dense", "dense_1"]


def test_the_networks_the_app_opens_with_are_traced_before_a_student_trains_them():
    """`trace_presets` (the background thread's, after the imports) leaves a trace of each bundled
    data set's opening network and of the lesson's first in the engine's cache."""
    from lib import engine
    from lib.datasets import DATASET_NAMES

    architectures = preset_architectures()
    assert len(set(architectures)) == len(DATASET_NAMES) + 1
    assert {a.sizes for a in architectures} >= {
        (4, 3, 2, 1),
        (4, 2, 1),
        (13, 8, 5, 2, 3),
        (64, 32, 16, 2, 10),
    }
    trace_presets()
    misses = engine._compiled.cache_info().misses
    for arch in architectures:
        engine.compiled(arch)
    assert engine._compiled.cache_info().misses == misses


@pytest.mark.fresh_process(SERVER)
def test_memory_stays_flat_once_the_trace_cache_is_full(fresh):
    result = json.loads(fresh.after("memory"))
    limit, traces, mib = result["limit"], result["traces"], np.array(result["mib"])
    assert result["kinds"] == TRAININGS  # every training a kind of network never traced before
    assert result["app limit"] is not None and result["app limit"] < APP_SETTLED  # the app's: bounded
    assert limit == LIMIT < SETTLED  # full before the measured trainings
    assert traces == [min(n, limit) for n in range(1, TRAININGS + 1)]  # it fills, then holds `limit`
    # After it is full: the growth per training, a least-squares slope over the later trainings
    # (about 0.1 MiB here; without the bound each new shape would add about 4 MiB).
    later = np.arange(SETTLED, TRAININGS)
    per_training = np.polyfit(later, mib[SETTLED:], 1)[0]
    assert per_training < 0.5, f"{per_training:.2f} MiB a training once the cache is full: {mib.round(1)}"


def test_the_workload_varies_every_optimizer_and_every_nonlinear_activation():
    configs = varied_configs(len(OPTIMIZERS) * len(NONLINEAR_ACTIVATIONS) * len(WIDTHS))
    assert {c.optimizer for c in configs} == set(OPTIMIZERS)
    assert {len(c.hidden) for c in configs} == {0, 1, 2, 3} and len({c.hidden for c in configs}) > 3 * len(
        WIDTHS
    )
    assert {c.activation for c in configs} == set(NONLINEAR_ACTIVATIONS) == set(ACTIVATIONS) - {"linear"}
