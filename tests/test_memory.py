"""Many trainings in one process do not grow memory without bound (sessions share a process)."""

import json

from lib.optimizers import OPTIMIZERS
from lib.training import ACTIVATIONS
from testkit.apptest import last_line_printed
from testkit.workloads import NONLINEAR_ACTIVATIONS, varied_configs

# Run alone in a fresh process, so that what other tests left behind does not count.
SCRIPT = """
import gc, json
import psutil
from lib.datasets import load_dataset
from lib.training import train
from testkit.workloads import varied_configs
data = load_dataset("banknotes")
configs = varied_configs(100, epochs=2)
for config in configs[:30]:  # warm-up: fills the bounded trace cache
    train(data, config)
gc.collect()
warm = psutil.Process().memory_info().rss
for config in configs[30:]:
    train(data, config)
gc.collect()
print(json.dumps({"distinct": len({c.architecture(4, 2) for c in configs}),
                  "growth_mib": (psutil.Process().memory_info().rss - warm) / 2**20}))
"""


def test_memory_stays_flat_over_many_different_trainings():
    result = json.loads(last_line_printed(SCRIPT, timeout=600))
    assert result["distinct"] > 60  # mostly new traces: an unbounded cache would grow ~4 MiB each
    assert result["growth_mib"] < 40, f"grew {result['growth_mib']:.0f} MiB over 70 trainings"


def test_the_workload_varies_every_optimizer_and_every_nonlinear_activation():
    configs = varied_configs(len(OPTIMIZERS) * len(NONLINEAR_ACTIVATIONS) * 8)
    assert {c.optimizer for c in configs} == set(OPTIMIZERS)
    assert {c.activation for c in configs} == set(NONLINEAR_ACTIVATIONS) == set(ACTIVATIONS) - {"linear"}
