"""Charts and tables of the comparison page: linked 2-D maps and their scores.

All panels draw one wide table (a row per data row, two columns per method), so
a box dragged in one panel selects rows by their values there, and every other
panel highlights the same rows: the selection travels with the row, not the axes.
Clicking a dot (or finding a row by its number) picks one row the same way: its k nearest rows in
the data are ringed in every panel, from a table of each row's neighbours sent with the maps,
and each panel says how many of them it keeps among the row's k nearest on its map. The
browser does it all: picking a row costs the server nothing.
"""

from __future__ import annotations

import warnings

import altair as alt
import numpy as np
import pandas as pd

from lib.charts.common import CLASS_FIELD, ChartParts, add_images, class_color, image_tooltip
from lib.datasets import Dataset
from lib.images import IMAGE_FIELD
from lib.neighbours import Neighbourhoods
from lib.projections import METHODS, Embedding

ROW_FIELD = "row"
OF_FIELD = "of"  # in the neighbours table: the row whose neighbour `row` is
K_FIELD = "k"
PICK = "pick"
RING = "#222222"
TARGET = 300  # px², the area around a dot that picks it (the dot itself is 22)
SPACING = 20  # px between panels
TOOLTIP_FEATURES = 8  # more would not fit in a tooltip (digits has 64)
UNSELECTED = "#d9d9d9"


def _feature_field(i: int) -> str:
    return f"feature_{i}"  # feature names may hold dots or slashes, which Vega reads as paths


def _kept_field(method: str) -> str:
    return f"{method}_kept"


def maps_frame(
    dataset: Dataset, rows: np.ndarray, embeddings: list[Embedding], hoods: list[Neighbourhoods], k: int
) -> pd.DataFrame:
    """One row per shown data row: its id, class, picture (digits), first features, x/y of every
    method and how many of its k nearest rows in the data each map keeps among its k nearest."""
    frame = pd.DataFrame(
        {ROW_FIELD: rows, CLASS_FIELD: np.asarray(dataset.class_names, dtype=object)[dataset.y[rows]]}
    )
    for i in range(min(TOOLTIP_FEATURES, dataset.n_features)):
        frame[_feature_field(i)] = dataset.X[rows, i]
    frame, _ = add_images(frame, dataset, rows)
    for embedding, hood in zip(embeddings, hoods, strict=True):
        frame[f"{embedding.method}_x"] = embedding.points[:, 0]
        frame[f"{embedding.method}_y"] = embedding.points[:, 1]
        frame[_kept_field(embedding.method)] = hood.kept(k).astype(np.int8)
    frame[K_FIELD] = np.int8(k)
    return frame


def neighbours_frame(rows: np.ndarray, hoods: Neighbourhoods, k: int) -> pd.DataFrame:
    """Each shown row's k nearest rows in the data, one line each: the row (`of`) and its neighbour
    (`row`, as the maps name a row, so that clicking a ringed neighbour picks it)."""
    return pd.DataFrame({OF_FIELD: np.repeat(rows, k), ROW_FIELD: rows[hoods.in_data[:, :k]].ravel()})


def corners_frame(embeddings: list[Embedding]) -> pd.DataFrame:
    """Two rows per map, its bottom-left and top-right corners: each axis' data extent, or around a
    constant coordinate (a dead node's) some room. An invisible layer of each panel draws them, so
    the axes fit the data as data, not as numbers in the spec: a new map (another run's bottleneck)
    changes the data only, and the browser updates the maps instead of rebuilding them; a dead node
    needs no template of its own."""
    corners = {}
    for embedding in embeddings:
        for axis in (0, 1):
            low, high = (float(f(embedding.points[:, axis])) for f in (np.min, np.max))
            corners[f"{embedding.method}_{'xy'[axis]}"] = (
                (low - 1, high + 1) if high - low < 1e-6 else (low, high)
            )
    return pd.DataFrame(corners)


def linked_panels(
    frames: dict[str, pd.DataFrame],
    dataset: Dataset,
    embeddings: list[Embedding],
    kept_colours: bool = False,
    picked: int | None = None,
    columns: int = 2,
    size: int = 410,
) -> ChartParts:
    """One scatter per method, same rows and class colours (or, with `kept_colours`, each dot
    coloured by the share of its k nearest rows in the data its map keeps among its k nearest);
    drag a box in any panel to highlight those rows everywhere (double-click clears); click a dot
    to ring its neighbours everywhere (`picked`: the row id picked when the chart opens); hover
    for a row's features. `frames`: the `maps_frame` and the `neighbours_frame`, under those names."""
    values = {} if picked is None else {"picked": int(picked)}
    for i, embedding in enumerate(embeddings):
        for axis in (0, 1):
            values[f"title_{i}{'xy'[axis]}"] = embedding.axis_titles[axis]
    frames = {**frames, "corners": corners_frame(embeddings)}
    n_features = 0 if IMAGE_FIELD in frames["maps"] else min(TOOLTIP_FEATURES, dataset.n_features)
    shape = {
        "methods": tuple((e.method, e.uses_labels, e.can_place_new_points) for e in embeddings),
        "class_names": tuple(dataset.class_names),
        "features": tuple(dataset.feature_names[:n_features]),
        "kept_colours": kept_colours,
        "picked": picked is not None,
        "columns": columns,
        "size": size,
    }
    return ChartParts(_linked_panels, frames, values, shape)


def _kept_colour() -> alt.Color:
    return alt.Color(
        "kept_share:Q",
        scale=alt.Scale(scheme="redyellowblue", domain=[0, 1]),
        legend=alt.Legend(
            title="Share of its k neighbours kept", orient="top", format=".0%", gradientLength=160
        ),
    )


def _panel(frames, i, method: tuple, values, *, brush, pick, tooltip, color, kept_colours, size):
    name, uses_labels, places_new_points = method
    kind = (
        ("uses the labels" if uses_labels else "never sees the labels")
        + " · "
        + ("places new points" if places_new_points else "must be refit for new points")
    )
    scale = alt.Scale(zero=False, nice=False)  # the data's extent, its corners' included
    x = alt.X(f"{name}_x:Q", title=values[f"title_{i}x"], scale=scale)
    y = alt.Y(f"{name}_y:Q", title=values[f"title_{i}y"], scale=scale)
    kept = _kept_field(name)
    frame, neighbours = frames["maps"], frames["neighbours"]
    # Under the dots, larger: a tap near a dot picks it, on a phone too. The first layer, so the
    # view the brush and the pick are defined in (Altair puts a layer's params on its first).
    targets = (
        alt.Chart(frame, name=f"targets_{i}")
        .mark_circle(size=TARGET, color="transparent", opacity=1)
        .encode(x=x, y=y, tooltip=tooltip)
        .add_params(brush, pick)  # lifted to the concatenation by Altair, one parameter for every panel
    )
    corners = alt.Chart(frames["corners"]).mark_point(opacity=0).encode(x=x, y=y)  # the axes' extent
    dots = alt.Chart(frame)
    if kept_colours:
        dots = dots.transform_calculate(kept_share=f"datum['{kept}'] / datum.{K_FIELD}")
    # Channels as Altair's objects: a dict or a shorthand is converted by a search of Altair's schema,
    # a third of the cost of this chart's template.
    dots = dots.mark_circle(size=22).encode(
        x=x,
        y=y,
        color=alt.ColorValue(**alt.when(brush).then(color).otherwise(alt.value(UNSELECTED))),
        opacity=alt.OpacityValue(**alt.when(brush).then(alt.value(0.8)).otherwise(alt.value(0.35))),
        tooltip=tooltip,
    )
    shown = [t.shorthand.rpartition(":")[0] for t in tooltip]  # what a ring's tooltip shows too
    looked_up = [field for field in shown if field != ROW_FIELD] + [f"{name}_x", f"{name}_y"]
    rings = (  # the picked row's neighbours in the data: their own rows, so a click on one picks it
        alt.Chart(neighbours)
        .transform_filter(
            f"isValid({PICK}.{ROW_FIELD}) && indexof({PICK}.{ROW_FIELD}, datum.{OF_FIELD}) >= 0"
        )
        .transform_lookup(lookup=ROW_FIELD, from_=alt.LookupData(frame, ROW_FIELD, looked_up))
        .mark_point(shape="circle", filled=False, size=120, strokeWidth=1.6, color=RING, opacity=1)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    picked = (
        alt.Chart(frame)
        .transform_filter(pick)
        # no fill: a click inside the ring reaches the neighbours' rings around it
        .mark_point(shape="circle", filled=False, fill=None, size=340, strokeWidth=3, color=RING, opacity=1)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    caption = (  # above the plot, under the subtitle: what this map keeps of the picked row's neighbours
        alt.Chart(frame)
        .transform_filter(pick)
        .transform_calculate(
            caption=f"'row ' + datum.{ROW_FIELD} + ' keeps ' + datum['{kept}'] + ' of its ' "
            f"+ datum.{K_FIELD} + ' neighbours'"
        )
        .mark_text(align="left", baseline="bottom", fontSize=12, fontWeight="bold", color=RING)
        .encode(x=alt.XValue(0), y=alt.YValue(-6), text=alt.Text("caption:N"))
    )
    title = alt.TitleParams(METHODS[name].label, subtitle=kind, anchor="start", offset=22)
    return alt.layer(targets, dots, rings, picked, caption, corners).properties(
        width=size, height=size, title=title
    )


def _linked_panels(
    frames, values, *, methods, class_names, features, kept_colours, picked, columns, size
) -> alt.ConcatChart:
    frame = frames["maps"]
    brush = alt.selection_interval(name="brush", resolve="global")
    pick = alt.selection_point(
        name=PICK,
        fields=[ROW_FIELD],
        # Vega gives a tap's click the item under the last pointer move, which a finger never makes:
        # a tap picks on touchend, the item under the finger.
        on="click[event.pointerType !== 'touch'], touchend",
        clear="dblclick",
        toggle=False,
        empty=False,
        **({"value": [{ROW_FIELD: values["picked"]}]} if picked else {}),
    )
    tooltip = [image_tooltip()] if IMAGE_FIELD in frame else []
    tooltip += [alt.Tooltip(f"{ROW_FIELD}:Q", title="row"), alt.Tooltip(f"{CLASS_FIELD}:N", title="class")]
    tooltip += [  # a picture says more than its first pixels
        alt.Tooltip(f"{_feature_field(i)}:Q", title=feature, format=".3g")
        for i, feature in enumerate(features)
    ]
    shared = dict(
        brush=brush,
        pick=pick,
        tooltip=tooltip,
        color=_kept_colour() if kept_colours else class_color(class_names),
        kept_colours=kept_colours,
        size=size,
    )
    panels = [_panel(frames, i, method, values, **shared) for i, method in enumerate(methods)]
    with warnings.catch_warnings():
        # One brush and one pick shared by every panel is the point; Altair 6 warns whenever a
        # parameter is merged across views, even when asked to (vega/altair#3891).
        warnings.simplefilter("ignore", UserWarning)
        # One legend for every panel: the class colours (or the share kept) are one shared scale.
        # Given to the constructor: `resolve_scale` and `configure_title` each copy the whole chart.
        return alt.concat(
            *panels,
            columns=columns,
            spacing=SPACING,
            resolve=alt.Resolve(scale=alt.ScaleResolveMap(x="independent", y="independent", color="shared")),
            config=alt.Config(title=alt.TitleConfig(fontSize=15, subtitleFontSize=11, subtitleColor="#555")),
        )


def linked_maps(
    dataset: Dataset,
    rows: np.ndarray,
    embeddings: list[Embedding],
    hoods: list[Neighbourhoods],
    k: int,
    kept_colours: bool = False,
    picked: int | None = None,
) -> ChartParts:
    """`linked_panels` of the maps of the row ids `rows`, with `hoods` (one per map, of the same
    rows) giving each row's k neighbours."""
    frames = {
        "maps": maps_frame(dataset, rows, embeddings, hoods, k),
        "neighbours": neighbours_frame(rows, hoods[0], k),
    }
    return linked_panels(frames, dataset, embeddings, kept_colours, picked)


def scores_table(embeddings: list[Embedding], scores: list[dict]) -> pd.DataFrame:
    """One row per method: the five scores (accuracies in percent), what the method knew,
    and what it cost."""
    return pd.DataFrame(
        [
            {
                "method": METHODS[e.method].label,
                "trustworthiness": s["trustworthiness"],
                "continuity": s["continuity"],
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
