"""Files a student can take away: the run's activations, its history, the trained model, the maps' coordinates
(a chart's own files are lib.charts.files')."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from lib.datasets import Dataset
from lib.keras_model import build_model
from lib.training import Run


def bottleneck_frame(run: Run, dataset: Dataset) -> pd.DataFrame:
    """One row per test row: its id, original features, class, bottleneck nodes, prediction."""
    frame = pd.DataFrame(dataset.X[run.test_index], columns=list(dataset.feature_names))
    frame.insert(0, "row_id", run.test_index)
    frame["class"] = np.asarray(dataset.class_names, dtype=object)[run.y_test]
    for node in range(run.snapshots.shape[2]):
        frame[f"bottleneck_{node + 1}"] = run.snapshots[-1][:, node]
    frame["predicted"] = np.asarray(dataset.class_names, dtype=object)[run.probabilities().argmax(1)]
    return frame


def csv_bytes(frame: pd.DataFrame, index: bool = False) -> bytes:
    return frame.to_csv(index=index).encode("utf-8")


def keras_bytes(run: Run) -> bytes:
    """The trained network as a `.keras` file that `keras.saving.load_model` opens."""
    model, _ = build_model(run.config, run.layer_sizes[0], run.n_classes)
    model.set_weights(run.weights)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bottleneck_mlp.keras"
        model.save(path)
        return path.read_bytes()


def projections_frame(dataset: Dataset, rows: np.ndarray, embeddings: list) -> pd.DataFrame:
    """One row per shown data row: its id, class, and a column pair per method's map.

    A 1-D method (LDA with two classes) gets an empty second column: its plotted second
    axis is jitter, not data.
    """
    frame = pd.DataFrame(
        {"row_id": rows, "class": np.asarray(dataset.class_names, dtype=object)[dataset.y[rows]]}
    )
    for embedding in embeddings:
        frame[f"{embedding.method}_1"] = embedding.points[:, 0]
        frame[f"{embedding.method}_2"] = embedding.points[:, 1] if embedding.dims > 1 else np.nan
    return frame
