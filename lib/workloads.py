"""Streams of varied training configs: what a class of students produces, for memory checks."""

from __future__ import annotations

import itertools

from lib.training import TrainConfig

WIDTHS = ((), (3,), (4,), (5, 3), (8,), (6, 4, 3), (16,), (32, 8))
ACTIVATIONS = ("relu", "tanh", "sigmoid", "elu")
OPTIMIZERS = ("rmsprop", "adam", "sgd", "momentum", "nesterov", "adagrad")


def varied_configs(count: int, epochs: int = 5) -> list[TrainConfig]:
    """`count` configs cycling through architectures, activations and optimizers, new seeds each."""
    kinds = itertools.cycle(itertools.product(OPTIMIZERS, ACTIVATIONS, WIDTHS))
    return [
        TrainConfig(hidden=hidden, activation=activation, optimizer=optimizer, epochs=epochs, seed=seed)
        for seed, (optimizer, activation, hidden) in zip(range(count), kinds)
    ]
