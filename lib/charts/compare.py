"""Charts and tables of the comparison page: linked 2-D maps and their scores.

All panels draw one wide table (a row per data row, two columns per method), so
a box dragged in one panel selects rows by their values there, and every other
panel highlights the same rows: the selection travels with the row, not the axes.
"""

from __future__ import annotations

import warnings

import altair as alt
import numpy as np
import pandas as pd

from lib.charts.common import CLASS_FIELD, ChartParts, add_images, class_color, image_tooltip
from lib.datasets import Dataset
from lib.images import IMAGE_FIELD
from lib.projections import METHODS, Embedding

ROW_FIELD = "row"
SPACING = 20  # px between panels
TOOLTIP_FEATURES = 8  # more would not fit in a tooltip (digits has 64)
UNSELECTED = "#d9d9d9"


def _feature_field(i: int) -> str:
    return f"feature_{i}"  # feature names may hold dots or slashes, which Vega reads as paths


def maps_frame(dataset: Dataset, rows: np.ndarray, embeddings: list[Embedding]) -> pd.DataFrame:
    """One row per shown data row: its id, class, picture (digits), first features, and x/y of
    every method."""
    frame = pd.DataFrame(
        {ROW_FIELD: rows, CLASS_FIELD: np.asarray(dataset.class_names, dtype=object)[dataset.y[rows]]}
    )
    for i in range(min(TOOLTIP_FEATURES, dataset.n_features)):
        frame[_feature_field(i)] = dataset.X[rows, i]
    frame, _ = add_images(frame, dataset, rows)
    for embedding in embeddings:
        frame[f"{embedding.method}_x"] = embedding.points[:, 0]
        frame[f"{embedding.method}_y"] = embedding.points[:, 1]
    return frame


def _extent(values: np.ndarray) -> tuple[float, float] | None:
    """A constant coordinate's (a dead node's) domain with some room around it; None (fit the
    data) otherwise."""
    low, high = float(np.min(values)), float(np.max(values))
    return (low - 1, high + 1) if high - low < 1e-6 else None


def linked_panels(
    frame: pd.DataFrame, dataset: Dataset, embeddings: list[Embedding], columns: int = 2, size: int = 410
) -> ChartParts:
    """One scatter per method, same rows and class colours; drag a box in any panel to
    highlight those rows everywhere (double-click clears); hover for a row's features."""
    values, flat = {}, []
    for i, embedding in enumerate(embeddings):
        for axis in (0, 1):
            name = f"{i}{'xy'[axis]}"
            values[f"title_{name}"] = embedding.axis_titles[axis]
            extent = _extent(embedding.points[:, axis])
            flat.append(extent is not None)
            if extent is not None:
                values[f"low_{name}"], values[f"high_{name}"] = extent
    n_features = 0 if IMAGE_FIELD in frame else min(TOOLTIP_FEATURES, dataset.n_features)
    shape = {
        "methods": tuple((e.method, e.uses_labels, e.can_place_new_points) for e in embeddings),
        "flat": tuple(flat),
        "class_names": tuple(dataset.class_names),
        "features": tuple(dataset.feature_names[:n_features]),
        "columns": columns,
        "size": size,
    }
    return ChartParts(_linked_panels, {"maps": frame}, values, shape)


def _panel(base: alt.Chart, i: int, method: tuple, flat, values, brush, color, size: int) -> alt.Chart:
    name, uses_labels, places_new_points = method
    kind = (
        ("uses the labels" if uses_labels else "never sees the labels")
        + " · "
        + ("places new points" if places_new_points else "must be refit for new points")
    )
    x_scale, y_scale = (
        alt.Scale(domain=[values[f"low_{i}{a}"], values[f"high_{i}{a}"]])
        if is_flat
        else alt.Scale(zero=False, nice=False)
        for a, is_flat in zip("xy", flat)
    )
    return (
        base.mark_circle(size=22)
        .encode(
            x=alt.X(f"{name}_x:Q", title=values[f"title_{i}x"], scale=x_scale),
            y=alt.Y(f"{name}_y:Q", title=values[f"title_{i}y"], scale=y_scale),
            color=alt.when(brush).then(color).otherwise(alt.value(UNSELECTED)),
            opacity=alt.when(brush).then(alt.value(0.8)).otherwise(alt.value(0.35)),
        )
        .properties(
            width=size, height=size, title=alt.TitleParams(METHODS[name].label, subtitle=kind, anchor="start")
        )
    )


def _linked_panels(frames, values, *, methods, flat, class_names, features, columns, size) -> alt.ConcatChart:
    frame = frames["maps"]
    brush = alt.selection_interval(name="brush", resolve="global")
    tooltip = [image_tooltip()] if IMAGE_FIELD in frame else []
    tooltip += [alt.Tooltip(f"{ROW_FIELD}:Q", title="row"), alt.Tooltip(f"{CLASS_FIELD}:N", title="class")]
    tooltip += [  # a picture says more than its first pixels
        alt.Tooltip(f"{_feature_field(i)}:Q", title=feature, format=".3g")
        for i, feature in enumerate(features)
    ]
    base = alt.Chart(frame).encode(tooltip=tooltip)
    color = class_color(class_names)
    panels = [
        _panel(base, i, method, flat[2 * i : 2 * i + 2], values, brush, color, size)
        for i, method in enumerate(methods)
    ]
    with warnings.catch_warnings():
        # One brush shared by every panel is the point; Altair 6 warns whenever a
        # parameter is merged across views, even when asked to (vega/altair#3891).
        warnings.simplefilter("ignore", UserWarning)
        chart = alt.concat(*panels, columns=columns, spacing=SPACING).add_params(brush)
    # One legend for every panel: the class colours are one shared scale.
    return chart.resolve_scale(x="independent", y="independent", color="shared").configure_title(
        fontSize=15, subtitleFontSize=11, subtitleColor="#555"
    )


def linked_maps(dataset: Dataset, rows: np.ndarray, embeddings: list[Embedding]) -> ChartParts:
    """`linked_panels` of the maps of the row ids `rows`."""
    return linked_panels(maps_frame(dataset, rows, embeddings), dataset, embeddings)


def scores_table(embeddings: list[Embedding], scores: list[dict]) -> pd.DataFrame:
    """One row per method: the four scores (accuracies in percent), what the method knew,
    and what it cost."""
    return pd.DataFrame(
        [
            {
                "method": METHODS[e.method].label,
                "trustworthiness": s["trustworthiness"],
                "knn_accuracy": 100 * s["knn_accuracy"],
                "linear_accuracy": 100 * s["linear_accuracy"],
                "silhouette": s["silhouette"],
                "uses_labels": e.uses_labels,
                "places_new_points": e.can_place_new_points,
                "seconds": e.seconds,
            }
            for e, s in zip(embeddings, scores)
        ]
    )


def loss_curve(embedding: Embedding) -> alt.Chart:
    """The autoencoder's reconstruction error per epoch: it should fall, then level off."""
    frame = pd.DataFrame({"epoch": np.arange(1, len(embedding.loss_curve) + 1), "loss": embedding.loss_curve})
    return (
        alt.Chart(frame)
        .mark_line()
        .encode(
            x=alt.X("epoch:Q", title="epoch"),
            y=alt.Y("loss:Q", title="reconstruction error (MSE)", scale=alt.Scale(zero=False)),
        )
        .properties(height=180)
    )
