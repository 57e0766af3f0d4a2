"""Files a student can take away: the run's activations, its history, the trained model, charts."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from lib.charts.common import frame_of
from lib.datasets import Dataset
from lib.keras_model import build_model
from lib.training import Run


def bottleneck_frame(run: Run, dataset: Dataset) -> pd.DataFrame:
    """One row per test row: its id, original features, class, bottleneck nodes, prediction."""
    frame = pd.DataFrame(dataset.X[run.test_index], columns=list(dataset.feature_names))
    frame.insert(0, "row_id", run.test_index)
    frame["class"] = np.asarray(dataset.class_names, dtype=object)[run.y_test]
    for unit in range(run.snapshots.shape[2]):
        frame[f"bottleneck_{unit + 1}"] = run.snapshots[-1][:, unit]
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


CHART_FORMATS = {"svg": "image/svg+xml", "png": "image/png", "json": "application/json"}


def _records(rows):
    """A dataset as the JSON rows vl-convert reads (a frame's NaN as null)."""
    return json.loads(rows.to_json(orient="records")) if isinstance(rows, pd.DataFrame) else rows


def chart_file(spec: dict, fmt: str) -> bytes:
    """A chart as SVG, PNG (at twice the pixels) or its Vega-Lite source, drawn without a browser.

    Streamlit turns off Vega's own export menu; vl-convert draws the same spec with Vega's
    own code, so the picture matches the one in the app except for Streamlit's theme.
    """
    if fmt not in CHART_FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}; choose one of {', '.join(CHART_FORMATS)}")
    datasets = {name: _records(frame_of(rows)) for name, rows in spec.get("datasets", {}).items()}
    plain = {**spec, "datasets": datasets} if datasets else spec
    if fmt == "json":
        return json.dumps(plain, indent=1).encode("utf-8")
    import vl_convert  # loads a JavaScript engine (~90 MB): only when a chart is saved

    if fmt == "svg":
        return vl_convert.vegalite_to_svg(plain).encode("utf-8")
    return vl_convert.vegalite_to_png(plain, scale=2)
