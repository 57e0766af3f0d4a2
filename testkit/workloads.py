"""Workloads for the engine: streams of varied training configs (what a class of students produces,
for the memory test and benchmark), and small data sets for exact comparisons."""

from __future__ import annotations

import itertools

from lib.optimizers import OPTIMIZERS
from lib.training import ACTIVATIONS, TrainConfig, split, targets

WIDTHS = ((), (3,), (5, 3), (6, 4, 3))  # one a depth: each of the first 96 configs a new engine trace
# Every activation but "linear", whose net is one linear map whatever its widths.
NONLINEAR_ACTIVATIONS = tuple(name for name in ACTIVATIONS if name != "linear")


def varied_configs(count: int, epochs: int = 5) -> list[TrainConfig]:
    """`count` configs cycling through depths, activations and optimizers, new seeds and widths each
    (the widths vary too, though a new width costs the engine no new trace: `engine.trace_key`)."""
    kinds = itertools.cycle(itertools.product(OPTIMIZERS, NONLINEAR_ACTIVATIONS, WIDTHS))
    return [
        TrainConfig(
            hidden=tuple(width + seed % 5 for width in widths),
            activation=activation,
            optimizer=optimizer,
            epochs=epochs,
            seed=seed,
        )
        for seed, (optimizer, activation, widths) in zip(range(count), kinds)
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


def fruit_csv(rows: int = 90) -> bytes:
    """An upload as a student might bring one: three classes named in a text column, three numeric
    features that tell them apart more or less well."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    kinds = np.array(["apple", "pear", "plum"])[np.arange(rows) % 3]
    frame = pd.DataFrame(
        {
            "weight": rng.normal(size=rows) + (kinds == "pear") * 2.5,
            "width": rng.normal(size=rows) + (kinds == "plum") * 2.5,
            "sugar": rng.normal(size=rows),
            "fruit": kinds,
        }
    )
    return frame.to_csv(index=False).encode()
