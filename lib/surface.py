"""Gradient descent you can see: a model with exactly two weights and its loss surface.

One sigmoid node on two standardized features, p = sigmoid(w1·x1 + w2·x2 + b) with
the bias b fixed, has a loss that depends on (w1, w2) alone, so the whole surface
fits on a page. The surface is one batched NumPy evaluation over the grid; the
weight paths take their steps through `lib.optimizers.apply`, the very update rules
the engine trains with, so what the picture shows is what the other pages run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from lib import optimizers
from lib.datasets import Dataset
from lib.training import LESSON, TrainConfig, shuffles, split


@dataclass(frozen=True)
class Plane:
    """Which two features the node sees, its fixed bias, and which class counts as 1."""

    features: tuple[str, str]
    bias: float = 0.0
    positive: int = 1


@dataclass(frozen=True)
class Descent:
    """One path: an optimizer rule, its settings, where it starts and how many steps."""

    optimizer: str = "sgd"
    learning_rate: float = 1.0
    momentum: float = 0.0
    steps: int = 40
    batch_size: int = 0  # 0: full batch, every step sees every training row
    start: tuple[float, float] = (3.0, 3.0)
    seed: int = 0

    @property
    def label(self) -> str:
        beta = f" {self.momentum:g}" if self.optimizer in ("momentum", "nesterov") else ""
        return f"{self.optimizer}{beta}, lr {self.learning_rate:g}"


@dataclass(frozen=True, eq=False)
class Problem:
    """The training rows of the lesson's split on the two chosen features, standardized."""

    x: np.ndarray  # (n, 2)
    t: np.ndarray  # (n,) 0/1
    bias: float
    features: tuple[str, str]


def problem(dataset: Dataset, plane: Plane, config: TrainConfig = LESSON) -> Problem:
    """The two features of the lesson's training rows (same split and scaler as training)."""
    if len(set(plane.features)) != 2:
        raise ValueError("Choose two different features for the two weights.")
    missing = [f for f in plane.features if f not in dataset.feature_names]
    if missing:
        raise ValueError(f"This data set has no feature {missing[0]!r}.")
    parts = split(dataset, config)
    columns = [dataset.feature_names.index(f) for f in plane.features]
    return Problem(
        x=parts.x_fit[:, columns].astype(np.float64),
        t=(parts.y_fit == plane.positive).astype(np.float64),
        bias=float(plane.bias),
        features=plane.features,
    )


def loss_at(data: Problem, weights: np.ndarray) -> np.ndarray:
    """Mean binary cross-entropy at many weight pairs at once: weights (..., 2) → (...)."""
    w = np.asarray(weights, dtype=np.float64)
    z = data.x @ w.reshape(-1, 2).T + data.bias  # (n rows, m weight pairs)
    loss = np.logaddexp(0.0, z) - data.t[:, None] * z  # −log p(target), stable for large |z|
    return loss.mean(axis=0).reshape(w.shape[:-1])


def gradient(data: Problem, w: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """dL/dw of the mean loss over `rows` (all training rows when None)."""
    x, t = (data.x, data.t) if rows is None else (data.x[rows], data.t[rows])
    p = 1 / (1 + np.exp(-(x @ w + data.bias)))
    return x.T @ (p - t) / len(t)


def optimum(data: Problem) -> np.ndarray:
    """The weights of lowest loss (a convex problem, so one local search finds it)."""
    found = minimize(
        lambda w: float(loss_at(data, w)), np.zeros(2), jac=lambda w: gradient(data, w), method="BFGS"
    )
    return found.x


def _batches(n: int, descent: Descent) -> list[np.ndarray | None]:
    """The rows each step sees: all of them, or reshuffled minibatches as in training."""
    if descent.batch_size <= 0 or descent.batch_size >= n:
        return [None] * descent.steps
    per_epoch = -(-n // descent.batch_size)
    orders = shuffles(descent.seed, -(-descent.steps // per_epoch), n)
    batches = [order[i : i + descent.batch_size] for order in orders for i in range(0, n, descent.batch_size)]
    return batches[: descent.steps]


def path(data: Problem, descent: Descent) -> pd.DataFrame:
    """The weights after every step (step 0 = the start) and the full training loss there."""
    if descent.optimizer not in optimizers.OPTIMIZERS:
        raise ValueError(f"Unknown optimizer {descent.optimizer!r}.")
    if not (descent.learning_rate > 0 and descent.steps >= 1):
        raise ValueError("The learning rate must be positive and there must be at least one step.")
    w = np.array(descent.start, dtype=np.float64)
    (s1,), (s2,) = optimizers.initial_slots(descent.optimizer, [w])
    points = [w]
    with np.errstate(over="ignore", invalid="ignore"):
        for step, rows in enumerate(_batches(len(data.t), descent), start=1):
            w, s1, s2 = optimizers.apply(
                descent.optimizer,
                w,
                gradient(data, w, rows),
                s1,
                s2,
                step,
                descent.learning_rate,
                descent.momentum,
            )
            w = np.asarray(w, dtype=np.float64)
            points.append(w)
        weights = np.array(points)
        losses = loss_at(data, weights)
    return pd.DataFrame(
        {
            "path": descent.label,
            "step": np.arange(len(points)),
            "w1": weights[:, 0],
            "w2": weights[:, 1],
            "loss": losses,
        }
    )


def window(
    data: Problem, paths: pd.DataFrame, best: np.ndarray, margin: float = 0.25
) -> tuple[float, float, float]:
    """A square view (centre w1, centre w2, half-width) holding the start, the optimum and
    the paths; a path that runs away is cut at three times the start–optimum distance."""
    starts = paths.loc[paths["step"] == 0, ["w1", "w2"]].to_numpy()
    anchor = np.vstack([starts, best[None]])
    reach = 3 * max(1.0, float(np.max(np.abs(starts - best))))
    points = paths[["w1", "w2"]].to_numpy()
    inside = np.isfinite(points).all(axis=1) & (np.abs(points - best).max(axis=1) <= reach)
    box = np.vstack([anchor, points[inside]])
    low, high = box.min(axis=0), box.max(axis=0)
    centre = (low + high) / 2
    half = float(np.max(high - low) / 2 * (1 + margin)) or 1.0
    return float(centre[0]), float(centre[1]), half


def grid(data: Problem, view: tuple[float, float, float], size: int = 101) -> pd.DataFrame:
    """The loss on a size × size grid over the view, evaluated in one batched call."""
    c1, c2, half = view
    w1 = np.linspace(c1 - half, c1 + half, size)
    w2 = np.linspace(c2 - half, c2 + half, size)
    pairs = np.stack(np.meshgrid(w1, w2, indexing="ij"), axis=-1)  # (size, size, 2)
    loss = loss_at(data, pairs)
    cell = half / (size - 1)  # half a grid step: each cell is centred on its grid point
    frame = pd.DataFrame({"w1": pairs[..., 0].ravel(), "w2": pairs[..., 1].ravel(), "loss": loss.ravel()})
    return frame.assign(
        w1_low=frame.w1 - cell, w1_high=frame.w1 + cell, w2_low=frame.w2 - cell, w2_high=frame.w2 + cell
    )
