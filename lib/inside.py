"""Inside the network, epoch by epoch: every hidden node's picture, and the input space bending.

Both views live in one flat plane of the input space: the plane of the first two principal
components of the (standardized) training rows, every other component at the training mean.
`node_frame` colours the test rows, placed in that plane, by each hidden node's activation;
`bending_frame` pushes a regular grid of that plane through the network to the bottleneck.
Both return long frames with an `epoch` column, so one chart can carry every epoch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA

from lib.datasets import Dataset
from lib.diagnostics import COLLAPSED_CORRELATION, node_correlation
from lib.plane_geometry import H1, H2
from lib.training import Run, layer_names, node_id, split

DEAD_SPREAD = 1e-6  # a node whose activation varies less than this over the test rows is dead
MOST_NODES = 10  # per layer, as the network diagram draws them
MOST_ROWS = 300  # test rows per node picture
ROW_BUDGET = 4800  # rows of all pictures together: under Altair's row limit of 5,000
VALUE_BUDGET = 200_000  # activations carried over all pictures and epochs: a spec of a few MB at most
PC1, PC2 = "PC 1", "PC 2"
B1, B2 = H1, H2  # the bottleneck plane's columns


@dataclass(frozen=True, eq=False)
class InputPlane:
    """The plane of the training rows' first two principal components, in standardized units."""

    components: np.ndarray  # (2, n_features), rows of length 1
    low: np.ndarray  # (2,) the training rows' 2nd and 98th percentile along each component
    high: np.ndarray
    explained: np.ndarray  # (2,) share of the variance each component explains

    def coordinates(self, x_standardized: np.ndarray) -> np.ndarray:
        return np.asarray(x_standardized) @ self.components.T

    def points(self, coordinates: np.ndarray) -> np.ndarray:
        """Standardized rows at these plane coordinates (the training mean, 0, elsewhere)."""
        return np.asarray(coordinates) @ self.components


def input_plane(dataset: Dataset, run: Run) -> InputPlane:
    """The PCA plane of the run's training rows (the same standardization the network sees)."""
    parts = split(dataset, run.config)
    x_train = np.vstack([parts.x_fit, parts.x_val]).astype(np.float64)
    n_components = min(2, x_train.shape[1])
    pca = PCA(n_components=n_components).fit(x_train)
    components = np.vstack([pca.components_, np.zeros((2 - n_components, x_train.shape[1]))])
    along = x_train @ components.T
    explained = np.pad(pca.explained_variance_ratio_, (0, 2 - n_components))
    return InputPlane(
        components, np.percentile(along, 2, axis=0), np.percentile(along, 98, axis=0), explained
    )


def test_rows_standardized(dataset: Dataset, run: Run) -> np.ndarray:
    return (dataset.X[run.test_index] - run.scaler_mean) / run.scaler_scale


def node_status(activations: np.ndarray) -> list[str]:
    """Per node of one layer: "dead" (one value for every row), "same as node k" (|r| with an
    earlier node at or above lib.diagnostics.COLLAPSED_CORRELATION), or ""."""
    statuses = []
    for j in range(activations.shape[1]):
        column = activations[:, j]
        if not np.all(np.isfinite(column)):
            statuses.append("diverged")
        elif np.ptp(column) < DEAD_SPREAD:
            statuses.append("dead")
        else:
            twin = next(
                (
                    k
                    for k in range(j)
                    if statuses[k] == ""
                    and abs(node_correlation(activations[:, [k, j]])) >= COLLAPSED_CORRELATION
                ),
                None,
            )
            statuses.append("" if twin is None else f"same as node {twin + 1}")
    return statuses


def shown_rows(n_test: int, most: int = MOST_ROWS) -> np.ndarray:
    """One fixed sample of the test rows for every node picture and epoch."""
    if n_test <= most:
        return np.arange(n_test)
    return np.sort(np.random.default_rng(1).choice(n_test, most, replace=False))


def _repeated_labels(values, repeat) -> pd.Categorical:
    """Each label repeated, as categories: a few names on thousands of rows (as text, pandas
    converts every row)."""
    names, codes = np.unique(np.array(values, dtype=object), return_inverse=True)
    return pd.Categorical.from_codes(np.repeat(codes, repeat), names)


def node_frame(run: Run, dataset: Dataset, epochs, most: int = MOST_NODES) -> pd.DataFrame:
    """One row per (epoch, hidden node, shown test row): where the row sits in the input plane,
    the node's activation there and its share of the node's range at that epoch ("level")."""
    plane = input_plane(dataset, run)
    x = test_rows_standardized(dataset, run)
    n_nodes = sum(min(n, most) for n in run.layer_sizes[1:-1])
    budget = min(ROW_BUDGET // n_nodes, VALUE_BUDGET // (n_nodes * len(epochs)))
    rows = shown_rows(len(x), max(30, min(MOST_ROWS, budget)))
    where = plane.coordinates(x[rows])
    names, pieces = layer_names(run.config)[:-1], []  # one (scalars, arrays) per picture
    for epoch in epochs:
        for layer, outputs in enumerate(run.layer_outputs(x, epoch)):
            statuses = node_status(outputs)
            for j in range(min(outputs.shape[1], most)):
                a = outputs[rows, j]
                span = np.ptp(a) if np.all(np.isfinite(a)) else 0.0
                level = (a - a.min()) / span if span > DEAD_SPREAD else np.zeros(len(a))
                pieces.append(((epoch, names[layer], j + 1, node_id(names[layer], j), statuses[j]), a, level))
    # columns built once: a DataFrame per picture, then concatenated, took most of this view's time
    repeat = [len(rows)] * len(pieces)
    scalars = list(zip(*(piece[0] for piece in pieces)))
    frame = {
        name: np.repeat(np.array(values, dtype=np.int64), repeat)
        if name in ("epoch", "node")
        else _repeated_labels(values, repeat)
        for name, values in zip(("epoch", "layer", "node", "node_id", "status"), scalars)
    }
    frame[PC1], frame[PC2] = np.tile(where[:, 0], len(pieces)), np.tile(where[:, 1], len(pieces))
    frame["activation"] = np.concatenate([piece[1] for piece in pieces])
    frame["level"] = np.concatenate([piece[2] for piece in pieces])
    return pd.DataFrame(frame)


def grid_lines(plane: InputPlane, lines: int = 9, steps: int = 25) -> pd.DataFrame:
    """A regular grid over the plane: `lines` lines along each component, `steps` points each."""
    (a0, b0), (a1, b1) = plane.low, plane.high
    along_a, along_b = np.linspace(a0, a1, steps), np.linspace(b0, b1, steps)
    names = [f"a{i}" for i in range(lines)] + [f"b{i}" for i in range(lines)]
    return pd.DataFrame(
        {
            "line": np.repeat(np.array(names, dtype=object), steps),
            "direction": np.repeat(np.array(["along PC 1", "along PC 2"], dtype=object), lines * steps),
            PC1: np.concatenate([np.tile(along_a, lines), np.repeat(np.linspace(a0, a1, lines), steps)]),
            PC2: np.concatenate([np.repeat(np.linspace(b0, b1, lines), steps), np.tile(along_b, lines)]),
            "order": np.tile(np.arange(steps, dtype=np.int64), 2 * lines),  # the place along its line
        }
    )


def bending_frame(run: Run, dataset: Dataset, epochs, lines: int = 9, steps: int = 25) -> pd.DataFrame:
    """The grid of the input plane as the bottleneck sees it at each epoch: one row per
    (epoch, grid point), with its line, its place along the line and its bottleneck point."""
    plane = input_plane(dataset, run)
    grid = grid_lines(plane, lines, steps)
    points = plane.points(grid[[PC1, PC2]].to_numpy())
    epochs = list(epochs)
    bottleneck = np.concatenate([run.layer_outputs(points, e)[-1].astype(np.float32) for e in epochs])
    frame = {name: np.tile(grid[name].to_numpy(), len(epochs)) for name in grid.columns}
    frame["epoch"] = np.repeat(np.array(epochs, dtype=np.int64), len(grid))
    return pd.DataFrame({**frame, B1: bottleneck[:, 0], B2: bottleneck[:, 1]})
