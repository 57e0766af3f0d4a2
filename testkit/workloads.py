"""Workloads for the engine: streams of varied training configs (what a class of students produces,
for the memory test and benchmark), and small data sets for exact comparisons."""

from __future__ import annotations

import itertools

from lib.optimizers import OPTIMIZERS
from lib.training import ACTIVATIONS, TrainConfig, split, targets

WIDTHS = ((), (3,), (4,), (5, 3), (8,), (6, 4, 3), (16,), (32, 8))
# Every activation but "linear", whose net is one linear map whatever its widths.
NONLINEAR_ACTIVATIONS = tuple(name for name in ACTIVATIONS if name != "linear")


def varied_configs(count: int, epochs: int = 5) -> list[TrainConfig]:
    """`count` configs cycling through architectures, activations and optimizers, new seeds each."""
    kinds = itertools.cycle(itertools.product(OPTIMIZERS, NONLINEAR_ACTIVATIONS, WIDTHS))
    return [
        TrainConfig(hidden=hidden, activation=activation, optimizer=optimizer, epochs=epochs, seed=seed)
        for seed, (optimizer, activation, hidden) in zip(range(count), kinds)
    ]


def small_sets() -> dict:
    """{output: (dataset, engine.Arrays)}: 60 fitting rows each of a sigmoid problem (banknotes) and a
    softmax one (wine), which are also their validation and test rows."""
    from lib.datasets import load_dataset
    from lib.engine import Arrays

    sets = {}
    for output, name in (("sigmoid", "banknotes"), ("softmax", "wine")):
        dataset = load_dataset(name)
        parts = split(dataset, TrainConfig())
        x, t = parts.x_fit[:60], targets(parts.y_fit[:60], dataset.n_classes)
        sets[output] = (dataset, Arrays(x, t, x, t, x, t))
    return sets
