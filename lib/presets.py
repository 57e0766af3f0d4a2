"""Which network a data set starts with, so it never opens with a net that cannot fit it.

The wine data opens the lesson's exercise (13 → 8 → 5 → 2 → 3 softmax); data with up
to 4 features open the lesson's deeper net (4 → 3 → 2 → 1); wider data get a funnel
that halves towards the 2-node bottleneck (at most `lib.settings.MAX_NODES` wide), and
large data a bigger batch so an epoch stays quick.
"""

from __future__ import annotations

import math
from dataclasses import replace

from lib.datasets import Dataset
from lib.settings import MAX_NODES
from lib.training import DEEPER_LESSON, WINE_EXERCISE, TrainConfig

# The weights seed each bundled data set opens with: one whose two bottleneck nodes both live and
# carry different features (tests/test_presets.py trains every preset and checks it).
OPENING_SEEDS = {"iris": 5, "digits": 2}
LARGE_ROWS = 20_000
LARGE_BATCH = 128


def default_config_for(dataset: Dataset) -> TrainConfig:
    """The network to preload for `dataset` (see the module docstring)."""
    if dataset.name == "wine":
        return WINE_EXERCISE
    hidden = DEEPER_LESSON.hidden if dataset.n_features <= 4 else funnel(dataset.n_features)
    batch = LARGE_BATCH if len(dataset.y) > LARGE_ROWS else DEEPER_LESSON.batch_size
    seed = OPENING_SEEDS.get(dataset.name, DEEPER_LESSON.seed)
    return replace(DEEPER_LESSON, hidden=hidden, batch_size=batch, seed=seed)


def funnel(n_features: int) -> tuple[int, int]:
    """Two hidden layers halving from about n/2: 30 → 16 → 8, 64 → 32 → 16, 13 → 8 → 4."""
    first = min(MAX_NODES, max(4, 2 ** round(math.log2(n_features / 2))))
    return first, max(3, first // 2)
