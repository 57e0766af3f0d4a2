"""Many trainings in one process do not grow memory without bound (sessions share a process)."""
import gc

import psutil

from lib.training import train
from lib.workloads import varied_configs


def test_memory_stays_flat_over_many_different_trainings(banknotes):
    configs = varied_configs(100, epochs=2)
    assert len({c.architecture(4, 2) for c in configs}) > 60  # mostly new traces
    process = psutil.Process()
    for config in configs[:30]:  # warm-up: fills the bounded trace cache
        train(banknotes, config)
    gc.collect()
    warm = process.memory_info().rss
    for config in configs[30:]:
        train(banknotes, config)
    gc.collect()
    growth_mib = (process.memory_info().rss - warm) / 2**20
    assert growth_mib < 40, f"grew {growth_mib:.0f} MiB over 70 trainings"
