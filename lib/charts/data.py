"""The data page's charts: the table of a data set and the course's pairplot."""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import numpy as np
import pandas as pd

from lib.charts.common import CLASS_FIELD, ChartParts, add_images, class_color, image_tooltip, sample_rows
from lib.charts.layouts import Layout, widest
from lib.datasets import Dataset
from lib.images import IMAGE_FIELD


def dataset_frame(dataset: Dataset) -> pd.DataFrame:
    """The data as a table: features in original units, then the class name."""
    frame = pd.DataFrame(dataset.X, columns=list(dataset.feature_names))
    frame[CLASS_FIELD] = np.asarray(dataset.class_names, dtype=object)[dataset.y]
    return frame


PLOT_LIMIT = 2000  # points per pairplot panel: a larger data set is sampled
SMALL_PLOT_LIMIT = 600  # in the narrower layouts' panels (104 px, 54 px) more points only overlap
PANEL_SPACING = 8  # px between the pairplot's panels
LEGEND_COLUMNS = 5  # classes a row in the legend above the matrix
LARGEST_PANEL = 150  # px: one or two features do not fill a wide screen with two giant panels


def pairplot_panel(n_features: int, width: int) -> int:
    """The side of each pairplot panel, in px, so that `n_features` of them fill `width`."""
    fitting = (width - PANEL_SPACING * (n_features - 1)) // max(n_features, 1)
    return max(min(fitting, LARGEST_PANEL), 20)


def pairplot(dataset: Dataset, features: list[str], layout: Layout) -> ChartParts:
    """The pairplot in one of its layouts (lib.charts.layouts). Every layout is sent to every screen and
    drawn by its browser, shown or not, so the narrower ones are lighter: a sample of
    SMALL_PLOT_LIMIT rows (the same seeded sample), and pictures in the wide layout's tooltips
    only, since hovering needs a mouse (2,000 digits' pictures are about 1 MB)."""
    wide = layout == widest("pairplot")
    limit = PLOT_LIMIT if wide else SMALL_PLOT_LIMIT
    return scatter_matrix(dataset, features, limit, layout.size, pictures=wide)


def pairplot_layouts(dataset: Dataset, features: list[str]) -> Callable[[Layout], ChartParts]:
    """`pairplot` for any layout."""
    return lambda layout: pairplot(dataset, features, layout)


def scatter_matrix(
    dataset: Dataset, features: list[str], limit: int = PLOT_LIMIT, width: int = 620, pictures: bool = True
) -> ChartParts:
    """The course's pairplot, each pair once: below the diagonal one feature against another,
    coloured by class; on the diagonal each feature's distribution per class (a density). Its
    panels together are at most `width` px wide (axes aside); with `pictures`, a digit's tooltip
    shows its picture. `usermeta["features"]` names the features plotted, in order."""
    panel = pairplot_panel(len(features), width)
    frame = sample_rows(dataset_frame(dataset), limit)[features + [CLASS_FIELD]]
    if pictures:
        frame, _ = add_images(frame, dataset, frame.index)  # digits: each row's picture
    shape = {"features": tuple(features), "class_names": tuple(dataset.class_names), "panel": panel}
    return ChartParts(_scatter_matrix, {"rows": frame}, shape=shape)


def _scatter_matrix(frames, values, *, features, class_names, panel) -> alt.VConcatChart:
    frame, features = frames["rows"], list(features)
    pictures = [image_tooltip()] if IMAGE_FIELD in frame else []
    color = class_color(class_names)
    last = len(features) - 1
    rows = []
    for i, y in enumerate(features):
        cells = [_density(frame, y, color, panel, bottom=i == last)]
        for j, x in enumerate(features[:i]):
            tips = pictures + [alt.Tooltip(f"{f}:Q") for f in features] + [alt.Tooltip(CLASS_FIELD)]
            cells.insert(j, _scatter(frame, x, y, tips, color, panel, bottom=i == last, left=j == 0))
        rows.append(alt.hconcat(*cells, spacing=PANEL_SPACING))
    return alt.vconcat(  # given to the constructor: `.properties` and `.configure_*` copy the whole chart
        *rows,
        spacing=PANEL_SPACING,
        usermeta={"features": list(features)},
        config=alt.Config(legend=alt.LegendConfig(columns=LEGEND_COLUMNS)),  # ten digits in two rows: a phone
    )


def _axis(title: str, shown: bool, panel: int) -> alt.Axis:
    """A feature's axis on the matrix's edge only; a long name is cut to its panel (small panels)."""
    return alt.Axis(
        title=title if shown else None, labels=shown, ticks=shown, titleLimit=panel + PANEL_SPACING
    )


def _scatter(frame, x: str, y: str, tooltip, color, panel: int, bottom: bool, left: bool) -> alt.Chart:
    return (
        alt.Chart(frame)
        .mark_circle(size=14, opacity=0.55)
        .encode(
            x=alt.X(f"{x}:Q", scale=alt.Scale(zero=False), axis=_axis(x, bottom, panel)),
            y=alt.Y(f"{y}:Q", scale=alt.Scale(zero=False), axis=_axis(y, left, panel)),
            color=color,
            tooltip=tooltip,
        )
        .properties(width=panel, height=panel)
    )


def _diagonal_title(feature: str, panel: int) -> str:
    """The feature's name, and on a panel wide enough to say it, "by class"."""
    return f"{feature}: by class" if panel >= 120 else feature


def _density(frame, feature: str, color, panel: int, bottom: bool) -> alt.Chart:
    """One feature's distribution in each class, overlaid (the pairplot's diagonal)."""
    return (
        alt.Chart(frame)
        .transform_density(feature, groupby=[CLASS_FIELD], as_=[feature, "density"], steps=80)
        .mark_area(opacity=0.4, line=True, interpolate="monotone")
        .encode(
            x=alt.X(f"{feature}:Q", scale=alt.Scale(zero=False), axis=_axis(feature, bottom, panel)),
            y=alt.Y(
                "density:Q", stack=None, axis=alt.Axis(title=None, labels=False, ticks=False, grid=False)
            ),
            color=color,
            tooltip=[
                alt.Tooltip(CLASS_FIELD),
                alt.Tooltip(f"{feature}:Q", format=".3~g"),
                alt.Tooltip("density:Q", format=".3f"),
            ],
        )
        .properties(
            width=panel,
            height=panel,
            title=alt.TitleParams(_diagonal_title(feature, panel), fontSize=11, limit=panel),
        )
    )
