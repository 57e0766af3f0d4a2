"""The data page's charts: the table of a data set and the course's pairplot."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from lib.charts.common import CLASS_FIELD, add_images, class_color, sample_rows
from lib.datasets import Dataset


def dataset_frame(dataset: Dataset) -> pd.DataFrame:
    """The data as a table: features in original units, then the class name."""
    frame = pd.DataFrame(dataset.X, columns=list(dataset.feature_names))
    frame[CLASS_FIELD] = np.asarray(dataset.class_names, dtype=object)[dataset.y]
    return frame


def scatter_matrix(
    dataset: Dataset, features: list[str], limit: int = 2000, panel: int = 150
) -> alt.VConcatChart:
    """The course's pairplot, each pair once: below the diagonal one feature against another,
    coloured by class; on the diagonal each feature's distribution per class (a density).
    `usermeta["features"]` names the features plotted, in order."""
    frame = sample_rows(dataset_frame(dataset), limit)[features + [CLASS_FIELD]]
    frame, pictures = add_images(frame, dataset, frame.index)  # digits: each row's picture
    color = class_color(dataset.class_names)
    last = len(features) - 1
    rows = []
    for i, y in enumerate(features):
        cells = [_density(frame, y, color, panel, bottom=i == last)]
        for j, x in enumerate(features[:i]):
            tips = pictures + [alt.Tooltip(f"{f}:Q") for f in features] + [CLASS_FIELD]
            cells.insert(j, _scatter(frame, x, y, tips, color, panel, bottom=i == last, left=j == 0))
        rows.append(alt.hconcat(*cells, spacing=8))
    return alt.vconcat(*rows, spacing=8).properties(usermeta={"features": list(features)})


def _axis(title: str, shown: bool) -> alt.Axis:
    return alt.Axis(title=title if shown else None, labels=shown, ticks=shown)


def _scatter(frame, x: str, y: str, tooltip, color, panel: int, bottom: bool, left: bool) -> alt.Chart:
    return (
        alt.Chart(frame)
        .mark_circle(size=14, opacity=0.55)
        .encode(
            x=alt.X(f"{x}:Q", scale=alt.Scale(zero=False), axis=_axis(x, bottom)),
            y=alt.Y(f"{y}:Q", scale=alt.Scale(zero=False), axis=_axis(y, left)),
            color=color,
            tooltip=tooltip,
        )
        .properties(width=panel, height=panel)
    )


def _density(frame, feature: str, color, panel: int, bottom: bool) -> alt.Chart:
    """One feature's distribution in each class, overlaid (the pairplot's diagonal)."""
    return (
        alt.Chart(frame)
        .transform_density(feature, groupby=[CLASS_FIELD], as_=[feature, "density"], steps=80)
        .mark_area(opacity=0.4, line=True, interpolate="monotone")
        .encode(
            x=alt.X(f"{feature}:Q", scale=alt.Scale(zero=False), axis=_axis(feature, bottom)),
            y=alt.Y(
                "density:Q", stack=None, axis=alt.Axis(title=None, labels=False, ticks=False, grid=False)
            ),
            color=color,
            tooltip=[
                CLASS_FIELD,
                alt.Tooltip(f"{feature}:Q", format=".3~g"),
                alt.Tooltip("density:Q", format=".3f"),
            ],
        )
        .properties(width=panel, height=panel, title=alt.TitleParams(f"{feature}: by class", fontSize=11))
    )
