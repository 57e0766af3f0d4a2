"""The data page's charts: the table of a data set and the course's pairplot."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from lib.charts.common import CLASS_FIELD, ChartParts, class_color, sample_rows
from lib.datasets import Dataset


def dataset_frame(dataset: Dataset) -> pd.DataFrame:
    """The data as a table: features in original units, then the class name."""
    frame = pd.DataFrame(dataset.X, columns=list(dataset.feature_names))
    frame[CLASS_FIELD] = np.asarray(dataset.class_names, dtype=object)[dataset.y]
    return frame


def scatter_matrix(dataset: Dataset, features: list[str], limit: int = 2000, panel: int = 150) -> ChartParts:
    """The course's pairplot: every pair of chosen features, coloured by class."""
    frame = sample_rows(dataset_frame(dataset), limit)[features + [CLASS_FIELD]]
    shape = {"features": tuple(features), "class_names": tuple(dataset.class_names), "panel": panel}
    return ChartParts(_scatter_matrix, {"rows": frame}, shape=shape)


def _scatter_matrix(frames, values, *, features, class_names, panel) -> alt.RepeatChart:
    return (
        alt.Chart(frames["rows"])
        .mark_circle(size=14, opacity=0.55)
        .encode(
            x=alt.X(alt.repeat("column"), type="quantitative", scale=alt.Scale(zero=False)),
            y=alt.Y(alt.repeat("row"), type="quantitative", scale=alt.Scale(zero=False)),
            color=class_color(class_names),
            tooltip=[*features, CLASS_FIELD],
        )
        .properties(width=panel, height=panel)
        .repeat(row=list(features), column=list(features))
    )
