"""Streams of varied training configs: what a class of students produces, for the memory test and
benchmark."""

from __future__ import annotations

import itertools

from lib.optimizers import OPTIMIZERS
from lib.training import ACTIVATIONS, TrainConfig

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
