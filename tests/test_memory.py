"""Many trainings in one process do not grow memory without bound (sessions share a process).

The engine keeps one traced function per kind of network (`engine.trace_key`: depth, activation,
loss, optimizer) in a bounded cache (lib.engine): a new trace costs about 4 MiB while the cache
fills, and once it is full each new one evicts the oldest, so memory stays flat. Measured in a fresh
process, on kinds it has never traced, with the cache's bound cut to LIMIT there (the same cache,
full after fewer trainings).
"""

import json

import numpy as np
import pytest

from lib.optimizers import OPTIMIZERS
from lib.training import ACTIVATIONS
from testkit.workloads import NONLINEAR_ACTIVATIONS, WIDTHS, varied_configs

LIMIT = 4  # the bound in the fresh process
SETTLED = 8  # trainings after which that cache is full and has evicted a few
TRAININGS = SETTLED + 28  # 28 trainings measured once it is full
APP_SETTLED = 48  # the app's own bound (lib.engine.TRACES_KEPT) is full within as many shapes: about 190 MiB
# After every training: the traces held, and the resident memory once freed memory is returned to
# the system (a collection, then malloc_trim: what is measured is what is held, not fragmentation).
# What the imports made is frozen out of the collections first, by the app's own function
# (ui.startup.freeze_libraries: TensorFlow is imported on first use, so a freeze before it left its
# objects in every collection, 0.15 s each).
SCRIPT = f"""
import ctypes, functools, gc, json
import psutil
from lib import engine
from lib.datasets import load_dataset
from lib.training import train
from testkit.workloads import varied_configs
from ui.startup import freeze_libraries

app_limit = engine._compiled.cache_info().maxsize
engine._compiled = functools.lru_cache(maxsize={LIMIT})(engine._compiled.__wrapped__)
trim = getattr(ctypes.CDLL(None), "malloc_trim", lambda pad: 0)
data = load_dataset("banknotes")
configs = varied_configs({TRAININGS}, epochs=1)
freeze_libraries()
traces, mib = [], []
for config in configs:
    train(data, config)
    gc.collect()
    trim(0)
    traces.append(engine._compiled.cache_info().currsize)
    mib.append(psutil.Process().memory_info().rss / 2**20)
print(json.dumps({{"app limit": app_limit, "limit": engine._compiled.cache_info().maxsize, "traces": traces,
                  "mib": mib, "kinds": len({{engine.trace_key(c.architecture(4, 2)) for c in configs}})}}))
"""


@pytest.mark.fresh_process(SCRIPT)
def test_memory_stays_flat_once_the_trace_cache_is_full(fresh):
    result = json.loads(fresh.last_line)
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
