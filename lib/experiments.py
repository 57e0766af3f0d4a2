"""Compare runs: vary one training choice over a list of values, hold the rest fixed.

The course compares learning rates, batch sizes, optimizers and initializers on a
logistic regression before it trains the lesson's network; here the same engine
trains either that logistic regression or the current MLP once per value, and the
curves come back as one tidy table that a chart can overlay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from lib import engine
from lib.datasets import Dataset
from lib.initializers import INITIALIZERS
from lib.optimizers import OPTIMIZERS
from lib.readable import times
from lib.training import (
    TrainConfig,
    engine_arrays,
    fit_network,
    output_activation,
    output_nodes,
    split,
    train,
)

VARIABLES = {
    "learning_rate": "learning rate",
    "batch_size": "batch size",
    "optimizer": "optimizer",
    "initializer": "initializer",
}
MODELS = {"logistic": "logistic regression", "mlp": "current network"}
COURSE_MOMENTUM = 0.3
COURSE_VALUES = {
    "learning_rate": ("0.01", "0.05", "0.1", "0.5"),
    "batch_size": ("16", "32", "64", "128"),
    "optimizer": ("sgd", "momentum 0.3", "nesterov 0.3", "adam", "adagrad", "rmsprop"),
    "initializer": ("zeros", "uniform", "normal", "he_normal", "lecun_uniform"),
}
# The course's logistic regression: SGD, learning rate 0.01, batch 16; an optimizer
# chosen by name alone gets the course's momentum 0.3.
LOGISTIC = TrainConfig(
    optimizer="sgd", learning_rate=0.01, batch_size=16, epochs=20, momentum=COURSE_MOMENTUM
)
# The batch-size comparison holds the learning rate at 0.5, not the course's 0.01: at 0.01
# no batch size reaches 95% validation accuracy in 20 epochs, so the chart shows nothing of
# what it is there to teach. At 0.5 every batch size gets there, in the taught order: batch 16
# (42 steps an epoch) first, batch 128 (6 steps an epoch) last, with the smoothest curve.
BASES = {"batch_size": replace(LOGISTIC, learning_rate=0.5)}
TARGET_ACCURACY = 0.95
SPLITS = {"loss": "training", "accuracy": "training", "val_loss": "validation", "val_accuracy": "validation"}


@dataclass(frozen=True)
class Experiment:
    """One comparison: which choice varies, on which model, and the settings held fixed."""

    vary: str
    model: str = "logistic"
    base: TrainConfig = LOGISTIC  # hidden/bottleneck/activation unused by the logistic model

    def __post_init__(self):
        if self.vary not in VARIABLES:
            raise ValueError(f"Vary one of {', '.join(VARIABLES)} (got {self.vary!r}).")
        if self.model not in MODELS:
            raise ValueError(f"The model must be one of {', '.join(MODELS)} (got {self.model!r}).")


def logistic_base(vary: str) -> TrainConfig:
    """The logistic regression's fixed settings when `vary` is compared (see BASES)."""
    return BASES.get(vary, LOGISTIC)


def parse_value(vary: str, text: str) -> str:
    """A typed-in value in its canonical spelling, or a ValueError a student can act on."""
    raw = str(text).strip().lower()
    if vary == "learning_rate":
        try:
            rate = float(raw)
        except ValueError:
            raise ValueError(f"“{text}” is not a number; type a learning rate such as 0.2.") from None
        if not (0 < rate <= 10):
            raise ValueError(f"A learning rate must be above 0 and at most 10 (got “{text}”).")
        return f"{rate:g}"
    if vary == "batch_size":
        if not raw.isdigit() or int(raw) < 1:
            raise ValueError(f"A batch size is a whole number of rows, at least 1 (got “{text}”).")
        return str(int(raw))
    if vary == "optimizer":
        return _parse_optimizer(raw, text)
    if vary == "initializer":
        if raw not in INITIALIZERS:
            raise ValueError(f"Unknown initializer “{text}”; choose one of {', '.join(INITIALIZERS)}.")
        return raw
    raise ValueError(f"Vary one of {', '.join(VARIABLES)} (got {vary!r}).")


def _parse_optimizer(raw: str, text: str) -> str:
    match = re.fullmatch(r"([a-z]+)(?:\s+([0-9.eE+-]+))?", raw)
    name, number = (match.group(1), match.group(2)) if match else (raw, None)
    if name not in OPTIMIZERS:
        raise ValueError(
            f"Unknown optimizer “{text}”; choose one of {', '.join(OPTIMIZERS)} "
            "(momentum and nesterov may be followed by a momentum, e.g. “momentum 0.9”)."
        )
    if name not in ("momentum", "nesterov"):
        if number is not None:
            raise ValueError(f"Only momentum and nesterov take a number (got “{text}”).")
        return name
    try:
        beta = COURSE_MOMENTUM if number is None else float(number)
    except ValueError:
        raise ValueError(f"“{number}” is not a momentum; type e.g. “{name} 0.9”.") from None
    if not 0 <= beta < 1:
        raise ValueError(f"A momentum must be at least 0 and below 1 (got “{text}”).")
    return f"{name} {beta:g}"


def configure(experiment: Experiment, value: str) -> TrainConfig:
    """The base config with the varied choice set to `value` (a canonical spelling)."""
    value = parse_value(experiment.vary, value)
    if experiment.vary == "learning_rate":
        return replace(experiment.base, learning_rate=float(value))
    if experiment.vary == "batch_size":
        return replace(experiment.base, batch_size=int(value))
    if experiment.vary == "initializer":
        return replace(experiment.base, initializer=value)
    name, momentum = optimizer_and_momentum(value)
    return replace(
        experiment.base, optimizer=name, momentum=experiment.base.momentum if momentum is None else momentum
    )


def optimizer_and_momentum(text: str) -> tuple[str, float | None]:
    """An optimizer as typed ("adam", "momentum 0.9") → (its name, its momentum or None)."""
    name, *beta = parse_value("optimizer", text).split()
    return name, float(beta[0]) if beta else None


def fit_logistic(dataset: Dataset, config: TrainConfig) -> pd.DataFrame:
    """The course's logistic regression (one sigmoid node, or one softmax node per class,
    on the standardized features) trained by the engine; returns the per-epoch history."""
    k = dataset.n_classes
    arch = engine.Architecture(
        sizes=(dataset.n_features, output_nodes(k)),
        activation="linear",
        output=output_activation(k),
        bottleneck_layer=0,
        optimizer=config.optimizer,
    )
    return fit_network(arch, engine_arrays(split(dataset, config), k), config).history()


def curves(dataset: Dataset, experiment: Experiment, value: str) -> pd.DataFrame:
    """One run's loss and accuracy per epoch, training and validation, as tidy rows."""
    config = configure(experiment, value)
    if experiment.model == "logistic":
        history = fit_logistic(dataset, config)
    else:
        history = train(dataset, config).history
    tidy = history[list(SPLITS)].reset_index().melt(id_vars="epoch", var_name="column", value_name="score")
    tidy["split"] = tidy["column"].map(SPLITS)
    tidy["metric"] = np.where(tidy["column"].str.endswith("loss"), "loss", "accuracy")
    tidy["value"] = parse_value(experiment.vary, value)
    return tidy[["value", "epoch", "split", "metric", "score"]]


def compare(dataset: Dataset, experiment: Experiment, values) -> pd.DataFrame:
    """One run per value (the rest held fixed), the curves stacked in the order given."""
    return pd.concat([curves(dataset, experiment, v) for v in values], ignore_index=True)


def reading(table: pd.DataFrame, vary: str, target: float = TARGET_ACCURACY) -> str:
    """One sentence on the curves: who reached `target` validation accuracy first, who
    ended with the lowest validation loss, and who diverged."""
    if table.empty:
        return "Choose at least one value to compare."
    split_name = (
        "validation" if table.loc[table["split"] == "validation", "score"].notna().any() else "training"
    )
    rows = table[table["split"] == split_name]
    order = list(dict.fromkeys(table["value"]))
    loss = rows[rows["metric"] == "loss"].pivot(index="epoch", columns="value", values="score")[order]
    acc = rows[rows["metric"] == "accuracy"].pivot(index="epoch", columns="value", values="score")[order]
    name, data = VARIABLES[vary], f"{split_name} data"
    broken = [v for v in order if not np.isfinite(loss[v]).all()]
    sound = [v for v in order if v not in broken]
    parts = []
    reached = {v: int(acc.index[acc[v] >= target][0]) for v in sound if (acc[v] >= target).any()}
    if reached:
        first = min(reached.values())
        winners = [v for v, e in reached.items() if e == first]
        later = sorted((e, v) for v, e in reached.items() if e > first)
        parts.append(
            f"{_listing(name, winners)} reached {target:.0%} accuracy on the {data} first (epoch {first})"
            + (f", then {_listing(name, [f'{v} (epoch {e})' for e, v in later], bare=True)}" if later else "")
        )
        if len(reached) < len(sound):
            parts.append(
                f"{_listing(name, [v for v in sound if v not in reached], bare=True)} "
                f"never did in {len(acc)} epochs"
            )
    elif sound:
        parts.append(f"no {name} reached {target:.0%} accuracy on the {data} in {len(acc)} epochs")
    if sound:
        final = loss[sound].iloc[-1]
        best = final.idxmin()
        parts.append(f"the lowest final {split_name} loss was {final[best]:.3f}, with {name} {best}")
    if broken:
        parts.append(f"{_listing(name, broken)} diverged (the loss became infinite or NaN)")
    sentence = "; ".join(parts) + "."
    return sentence[0].upper() + sentence[1:]


def coinciding(table: pd.DataFrame, tolerance: float) -> dict[str, str]:
    """Each compared value whose curves lie on an earlier value's, mapped to that earlier value:
    on every split and metric the two differ by at most `tolerance` of the metric's range (the
    share of a chart's panel below which two curves cannot be told apart)."""
    wide = table.pivot_table(
        index=["metric", "split", "epoch"], columns="value", values="score", dropna=False
    )
    order = [v for v in dict.fromkeys(table["value"]) if v in wide.columns]
    spans = wide.groupby(level="metric").agg(lambda c: c.max() - c.min()).max(axis=1)
    scale = np.maximum(spans.reindex(wide.index.get_level_values("metric")).to_numpy(), 1e-12)
    same = {}
    for i, later in enumerate(order):
        for earlier in order[:i]:
            if earlier in same:
                continue
            gap = (wide[later] - wide[earlier]).abs().to_numpy() / scale
            if np.isfinite(gap).all() and gap.max() <= tolerance:
                same[later] = earlier
                break
    return same


def coincidence_note(same: dict[str, str], name: str, tolerance: float) -> str:
    """What the chart says about curves drawn on top of each other ("" when none are), found
    by `coinciding` with `tolerance`."""
    if not same:
        return ""
    pairs = "; ".join(f"{name} {later} lies on {name} {earlier}" for later, earlier in same.items())
    return (
        f"Curves that coincide: {pairs} (they differ by less than {tolerance:.0%} of the panel's "
        "height everywhere), so the later one is drawn as dots on the earlier one's line."
    )


def _listing(name: str, values: list[str], bare: bool = False) -> str:
    joined = " and ".join([", ".join(values[:-1]), values[-1]] if len(values) > 1 else values)
    return joined if bare else f"{name} {joined}"


def deep_nets(base: TrainConfig, depth: int, width: int = 8) -> dict[str, TrainConfig]:
    """The same deep net twice, sigmoid and ReLU hidden layers, everything else as `base`."""
    if not 1 <= depth <= 8:
        raise ValueError("Choose between 1 and 8 hidden layers.")
    return {
        f"{name} net": replace(base, hidden=(width,) * depth, activation=name) for name in ("sigmoid", "relu")
    }


def vanishing_reading(runs: dict, epoch: int = 1) -> str:
    """One sentence per run: how the gradient reaching the first layer compares with the
    output layer's, and where the run's test accuracy ended."""
    parts = []
    for name, run in runs.items():
        row = run.grad_norms.loc[epoch]
        ratio = float(row.iloc[0] / row.iloc[-1]) if row.iloc[-1] > 0 else float("nan")
        size = times(ratio)
        parts.append(f"in the {name} it is {size} (test accuracy after training {run.test_accuracy:.0%})")
    return (
        f"In epoch {epoch}, the gradient reaching the first hidden layer compared with the "
        "output layer's: " + "; ".join(parts) + "."
    )
