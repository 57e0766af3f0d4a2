"""The bottleneck plane, drawn one way: the epoch player, and the plane at one epoch.

The player is one Vega-Lite spec per run that carries every epoch's snapshot. The epoch shown is
a Vega-Lite parameter named `epoch`, bound to a range slider (the scrubber) and stepped by a timer
while the bound "Play" checkbox is ticked, so scrubbing and playing happen in the browser without a
message to the server. The plane (test rows' bottleneck activations, the output layer's regions and
decision line), its title, the accuracy and the confusion matrix all filter their data by that one
parameter, so they always name the same epoch. `plane_spec` draws the same plane at one epoch
(the parameter fixed, only that epoch's data inside): the lesson's "before" and "after".

A third bound checkbox, `trails`, draws under the dots a faint line through each row's places at
every epoch up to the one shown (for `trail_rows`: at most MAX_TRAILS rows, fewer in a run so long
that their points would pass MAX_TRAIL_POINTS): the film shows where rows move, not only where
they are. The lines read the dots' own data (each row's columns per epoch, spread into one point
per epoch in the browser), so they add one small column to the spec.

Another view can follow the same epoch: give its data an `epoch` column, pass it through
`at_epoch`, and add it to the spec with `player_layouts(..., more=[view])`. Each view added keeps
its own datasets (renamed `view1_…`, `view2_…`), so none can take the place of the plane's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import altair as alt
import numpy as np
import pandas as pd

from lib.charts.common import (
    CLASS_FIELD,
    PALETTE,
    PER_EPOCH,
    Chart,
    add_images,
    class_scale,
    image_tooltip,
    own_datasets,
    spec_of,
)
from lib.charts.inner_layer import AXIS_TITLES, CANVAS, OUTCOMES, confusion_frame, probability_label
from lib.charts.layouts import LAYOUTS, Layout
from lib.datasets import Dataset
from lib.images import image_shape
from lib.plane_geometry import (
    H1,
    H2,
    boundary_ends,
    confusion_counts,
    output_line,
    predictions,
    region_polygons,
)
from lib.training import Run

EPOCH = "epoch"  # the parameter (a Vega signal) every view of the player filters by
PLAYING = "playing"  # the bound "Play" checkbox
TRAILS = "trails"  # the bound "Show where each row came from" checkbox
TRAIL = "trail"  # the points' column: a row's number among the rows with a trail (1, 2, …), else 0
MAX_TRAILS = 200  # more lines than this turn the plane into a tangle
# Trail points over all epochs (200 rows up to 100 epochs): every frame's filter reads each of them
# (Streamlit's Vega interprets it); within this many, Play keeps its 12.5 frames a second
MAX_TRAIL_POINTS = 20_200
TICK_MS = 80  # one epoch per tick while playing: 12.5 frames a second
MAX_FRAME_ROWS = 100_000  # points carried over all epochs: the spec stays near a megabyte
TOOLTIP_FEATURES = 6  # more original features than this would bury the tooltip
BANDS = 20  # a sigmoid output's probability is shaded in bands 0.05 wide, bounded by straight lines
CLASS_LEGEND = {"title": "True class", "symbolOpacity": 1}
INDEPENDENT = {"scale": {"color": "independent", "shape": "independent", "size": "independent"}}
TITLE_EXPR = f"'Epoch ' + {EPOCH} + ' · test accuracy ' + format(accuracy[{EPOCH}], '.1%')"
DECISION_LINE = "decision_line"  # the plane's line layer; Vega names its mark decision_line_marks


def frame_rows(n_test: int, n_frames: int) -> np.ndarray:
    """The test rows drawn at every epoch: all of them, or one fixed sample within MAX_FRAME_ROWS."""
    keep = min(n_test, max(1, MAX_FRAME_ROWS // n_frames))
    return np.sort(np.random.default_rng(0).choice(n_test, keep, replace=False))


def trail_rows(n_rows: int, n_frames: int) -> np.ndarray:
    """The rows of the plane (positions in its points) drawn with a trail through `n_frames`
    epochs: all of them, or one fixed random sample of MAX_TRAILS (fewer within MAX_TRAIL_POINTS)."""
    keep = min(n_rows, MAX_TRAILS, max(1, MAX_TRAIL_POINTS // n_frames))
    return np.sort(np.random.default_rng(0).choice(n_rows, keep, replace=False))


def trail_column(rows: np.ndarray, n_rows: int) -> np.ndarray:
    """The points' TRAIL column: 1, 2, … for the trail `rows`, 0 for the others."""
    column = np.zeros(n_rows, dtype=np.int16)
    column[rows] = np.arange(1, len(rows) + 1)
    return column


def trails_param(n_trails: int, n_rows: int) -> dict:
    """The `trails` checkbox, off: its label says when the trails are for a sample of the rows."""
    label = "Show where each row came from "
    if n_trails < n_rows:
        label += f"({n_trails} random rows) "  # short: one line on a phone, however many rows
    return {"name": TRAILS, "value": False, "bind": {"input": "checkbox", "name": label}}


def epoch_params(n_epochs: int, start: int | None = None, tick_ms: int = TICK_MS) -> list[dict]:
    """The `playing` checkbox and the `epoch` slider; while playing a timer steps the epoch and
    the last epoch stops it (ticking Play again starts over from epoch 0)."""
    n = int(n_epochs)
    return [
        {
            "name": PLAYING,
            "value": False,
            "bind": {"input": "checkbox", "name": "Play "},
            "on": [{"events": {"signal": EPOCH}, "update": f"{EPOCH} >= {n} ? false : {PLAYING}"}],
        },
        {
            "name": EPOCH,
            "value": n if start is None else int(start),
            "bind": {"input": "range", "min": 0, "max": n, "step": 1, "name": "Epoch (0 = before training) "},
            "on": [
                {
                    "events": f"timer{{{int(tick_ms)}}}",
                    "update": f"{PLAYING} ? ({EPOCH} >= {n} ? 0 : {EPOCH} + 1) : {EPOCH}",
                }
            ],
        },
    ]


def at_epoch(chart: alt.Chart) -> alt.Chart:
    """`chart` showing only its rows of the player's current epoch (its data needs an `epoch` column)."""
    return chart.transform_filter(f"datum.epoch == {EPOCH}")


def accuracy_param(run: Run) -> dict:
    """Each epoch's test accuracy, for the title's expression."""
    return {"name": "accuracy", "value": [round(float(a), 6) for a in run.snapshot_accuracy]}


def by_epoch(values: dict[str, np.ndarray], epochs: Sequence[int] | None = None) -> dict[str, np.ndarray]:
    """Columns per epoch: {prefix: array (epochs, rows)} → {"prefix@epoch": that epoch's column},
    for `epochs` (every epoch from 0 when not given).

    Data laid out so scales better than `at_epoch`'s long form: each frame reads one column per
    field for each row instead of filtering every epoch's rows (Streamlit's Vega interprets
    every expression, so a frame costs about one evaluation per row touched)."""
    return {
        f"{prefix}{PER_EPOCH}{e}": column
        for prefix, columns in values.items()
        for e, column in zip(range(len(columns)) if epochs is None else epochs, columns)
    }


def pick_epoch(fields: dict[str, str]) -> list[dict]:
    """Transforms that give each row the current epoch's value: {field: prefix} from `by_epoch`."""
    return [
        {"calculate": f"datum['{prefix}{PER_EPOCH}' + {EPOCH}]", "as": field}
        for field, prefix in fields.items()
    ]


def _scale(lo: float, hi: float) -> dict:
    return {"domain": [lo, hi], "nice": False, "zero": False}


def plane_frame(run: Run, dataset: Dataset, rows: np.ndarray, epochs: Sequence[int]) -> pd.DataFrame:
    """One row per test row drawn (`rows`): true class, original features (f0, f1, …), and per
    epoch of `epochs` its two activations (x, y), predicted class (c) and probability in
    thousandths (q): of the positive class with one sigmoid node, else of the predicted class."""
    binary = len(run.class_names) == 2
    features = dataset.feature_names[:TOOLTIP_FEATURES]
    frame = pd.DataFrame({"truth": run.y_test[rows].astype(np.int8)})
    frame[CLASS_FIELD] = np.asarray(run.class_names, dtype=object)[run.y_test[rows]]
    originals = dataset.X[run.test_index][rows][:, : len(features)]
    for i in range(len(features)):
        frame[f"f{i}"] = np.round(originals[:, i].astype(np.float64), 3)
    predicted, probability = [], []
    for epoch in epochs:
        classes, p = predictions(run, epoch)
        predicted.append(classes[rows].astype(np.int8))
        probability.append(np.round(1000 * (p[rows, 1] if binary else p[rows].max(axis=1))).astype(np.int16))
    frame, _ = add_images(frame, dataset, run.test_index[rows])
    snapshots = run.snapshots[list(epochs)][:, rows].astype(np.float32)
    values = {"x": snapshots[..., 0], "y": snapshots[..., 1], "c": predicted, "q": probability}
    return pd.concat([frame, pd.DataFrame(by_epoch(values, epochs))], axis=1)


def _regions(run: Run, extent, epochs: Sequence[int]) -> pd.DataFrame:
    """Every epoch's region polygons (lib.plane_geometry.region_polygons): one row per (region,
    vertex slot), the vertex's x and y per epoch. A polygon with fewer vertices repeats its last
    one; a missing region is NaN (not drawn)."""
    binary = run.head[0][0].shape[1] == 1
    n_regions = BANDS if binary else run.head[0][0].shape[1]
    shapes = [region_polygons(*map(np.asarray, run.head[e]), extent, BANDS) for e in epochs]
    slots = max(len(polygon) for epoch in shapes for polygon in epoch.values())
    xy = np.full((len(shapes), n_regions, slots, 2), np.nan)
    for epoch, polygons in enumerate(shapes):
        for region, polygon in polygons.items():
            corners = np.array(polygon)
            xy[epoch, region] = corners[np.minimum(np.arange(slots), len(corners) - 1)]
    frame = pd.DataFrame(
        {"region": np.repeat(np.arange(n_regions), slots), "order": np.tile(np.arange(slots), n_regions)}
    )
    if binary:
        frame["p"] = (frame["region"] + 0.5) / BANDS
    else:
        frame[CLASS_FIELD] = np.asarray(run.class_names, dtype=object)[frame["region"]]
    flat = xy.reshape(len(shapes), n_regions * slots, 2)
    return pd.concat([frame, pd.DataFrame(by_epoch({"x": flat[..., 0], "y": flat[..., 1]}, epochs))], axis=1)


def _lines(run: Run, extent, epochs: Sequence[int]) -> pd.DataFrame:
    """The decision line's two ends per epoch (NaN where the line misses the plane)."""
    ends = np.full((len(epochs), 2, 2), np.nan)
    for i, epoch in enumerate(epochs):
        segment = boundary_ends(*output_line(run, epoch), extent)
        if len(segment) == 2:
            ends[i] = segment
    return pd.DataFrame({"end": [0, 1], **by_epoch({"x": ends[..., 0], "y": ends[..., 1]}, epochs)})


def _confusions(run: Run) -> pd.DataFrame:
    """One row per (true, predicted) class pair; its count of test rows per epoch."""
    counts = by_epoch({"n": [confusion_counts(run, epoch).ravel() for epoch in range(len(run.snapshots))]})
    return pd.concat([confusion_frame(run, 0).drop(columns="rows"), pd.DataFrame(counts)], axis=1)


def plane_data(run: Run, dataset: Dataset, extent, epochs: Sequence[int]) -> dict[str, pd.DataFrame]:
    """The datasets `plane_view` draws, for `epochs`: the test rows (one fixed sample of them
    when there are many, `frame_rows`), the output layer's regions and (one sigmoid node) its line."""
    rows = frame_rows(len(run.y_test), len(epochs))
    data = {"points": plane_frame(run, dataset, rows, epochs), "regions": _regions(run, extent, epochs)}
    if len(run.class_names) == 2:
        data["lines"] = _lines(run, extent, epochs)
    return data


def _plane_params(run: Run) -> list[dict]:
    """The values the plane reads besides its data: each epoch's accuracy and the class names."""
    return [accuracy_param(run), {"name": "classes", "value": [str(name) for name in run.class_names]}]


def trail_layer(x: dict, y: dict, classes: dict, last: int) -> dict:
    """While `trails` is ticked, a thin faint line per trail row (TRAIL > 0) through its places at
    epochs 0 to `epoch`, in its class's colour. Each row's per-epoch columns become one point per
    epoch once (a flatten over epochs 0 to `last`); scrubbing only filters those points by the epoch.

    A line joins its points in the data's order, which is the epochs' (the flatten's), and stays so:
    the filter only ever removes or adds the last epochs. Sorting them by epoch instead cost every
    frame a sort of each line (Play at 200 epochs fell as low as 7 frames a second, against 11)."""
    return {
        "name": TRAILS,
        "data": {"name": "points"},
        "transform": [
            {"filter": f"{TRAILS} && datum.{TRAIL} > 0"},
            {"calculate": f"sequence(0, {int(last) + 1})", "as": "step"},
            {"flatten": ["step"]},
            {"filter": f"datum.step <= {EPOCH}"},
            {"calculate": f"datum['x{PER_EPOCH}' + datum.step]", "as": H1},
            {"calculate": f"datum['y{PER_EPOCH}' + datum.step]", "as": H2},
        ],
        "mark": {"type": "line", "strokeWidth": 1, "opacity": 0.35},
        "encoding": {
            "x": x,
            "y": y,
            "detail": {"field": TRAIL, "type": "nominal"},
            "order": {"value": None},  # the data's order: epoch by epoch
            "color": {"field": CLASS_FIELD, "type": "nominal", "scale": classes, "legend": None},
        },
    }


def plane_view(
    run: Run, dataset: Dataset, extent, size: int, legends: str = "right", trails: bool = False
) -> dict:
    """The test rows in the bottleneck plane over the output layer's regions, at `epoch`; its
    legends beside it (`right`) or, on a narrow screen, under it (`bottom`); with `trails`, the
    rows' trails (`trail_layer`) between the regions and the dots."""
    x0, x1, y0, y1 = extent
    binary = len(run.class_names) == 2
    features = list(dataset.feature_names[:TOOLTIP_FEATURES])
    x = {"field": H1, "type": "quantitative", "title": AXIS_TITLES[0], "scale": _scale(x0, x1)}
    y = {"field": H2, "type": "quantitative", "title": AXIS_TITLES[1], "scale": _scale(y0, y1)}
    classes = class_scale(run.class_names)
    class_legend = {**CLASS_LEGEND, "orient": legends, "direction": "vertical"}
    if binary:
        shade = {
            "field": "p",
            "type": "quantitative",
            "title": probability_label(run),
            "scale": {"domain": [0, 0.5, 1], "range": [PALETTE[0], "#ffffff", PALETTE[1]]},
            "legend": {
                "orient": legends,
                "direction": "vertical",
                "gradientLength": 90,
                "format": ".1f",
                "values": [0, 0.5, 1],
            },
        }
    else:  # the same colours as the dots, so one legend serves both
        shade = {"field": CLASS_FIELD, "type": "nominal", "scale": classes, "legend": class_legend}
    regions = {
        "data": {"name": "regions"},
        "transform": pick_epoch({H1: "x", H2: "y"}),
        "mark": {"type": "line", "filled": True, "interpolate": "linear-closed", "opacity": 0.3},
        "encoding": {
            "x": x,
            "y": y,
            "order": {"field": "order", "type": "quantitative"},
            "detail": {"field": "region", "type": "nominal"},
            "color": shade,
        },
    }
    outcome = {"field": "outcome", "type": "nominal"}
    dots = {
        "data": {"name": "points"},
        "transform": [
            *pick_epoch({H1: "x", H2: "y", "pred": "c", "permille": "q"}),
            {"calculate": "classes[datum.pred]", "as": "predicted"},
            {"calculate": "datum.permille / 1000", "as": "prob"},
            {"calculate": f"datum.pred == datum.truth ? '{OUTCOMES[0]}' : '{OUTCOMES[1]}'", "as": "outcome"},
        ],
        "mark": {"type": "point", "filled": True, "opacity": 0.85, "stroke": "black"},
        "encoding": {
            "x": x,
            "y": y,
            "color": {
                "field": CLASS_FIELD,
                "type": "nominal",
                "scale": classes,
                "legend": class_legend,
            },
            "shape": {
                **outcome,
                "scale": {"domain": list(OUTCOMES), "range": ["circle", "cross"]},
                "legend": {"title": "Prediction", "orient": legends, "direction": "vertical"},
            },
            "size": {
                **outcome,
                "scale": {"domain": list(OUTCOMES), "range": [28, 110]},
            },  # one legend with shape
            "strokeWidth": {
                **outcome,
                "scale": {"domain": list(OUTCOMES), "range": [0, 1.2]},
                "legend": None,
            },
            "tooltip": [
                *([image_tooltip().to_dict()] if image_shape(dataset.feature_names) else []),
                {"field": CLASS_FIELD, "type": "nominal", "title": "true class"},
                {"field": "predicted", "type": "nominal"},
                {"field": "prob", "type": "quantitative", "title": probability_label(run)},
                *[
                    {"field": f"f{i}", "type": "quantitative", "title": name}
                    for i, name in enumerate(features)
                ],
                {"field": H1, "type": "quantitative", "format": ".3f"},
                {"field": H2, "type": "quantitative", "format": ".3f"},
            ],
        },
    }
    layers = [regions, *([trail_layer(x, y, classes, len(run.snapshots) - 1)] if trails else []), dots]
    if binary:
        layers.append(
            {
                "name": DECISION_LINE,
                "data": {"name": "lines"},
                "transform": pick_epoch({H1: "x", H2: "y"}),
                "mark": {"type": "line", "color": "black", "strokeDash": [6, 3], "strokeWidth": 2},
                "encoding": {"x": x, "y": y},
            }
        )
    view = {
        "layer": layers,
        "width": size,
        "height": size,
        "title": {"text": {"expr": TITLE_EXPR}, "anchor": "start", "fontSize": 15},
    }
    if binary:
        view["resolve"] = {"scale": {"color": "independent"}}
    return view


def accuracy_view() -> dict:
    """The test accuracy at `epoch`, as two lines of text."""
    text = {"type": "text", "align": "left", "baseline": "top", "x": 0}
    return {
        "data": {"values": [{}]},
        "width": 200,
        "height": 56,
        "layer": [
            {
                "mark": {
                    **text,
                    "y": 0,
                    "fontSize": 13,
                    "text": {"expr": f"'Test accuracy after epoch ' + {EPOCH}"},
                }
            },
            {
                "mark": {
                    **text,
                    "y": 20,
                    "fontSize": 28,
                    "text": {"expr": f"format(accuracy[{EPOCH}], '.1%')"},
                }
            },
        ],
    }


CLASS_LABEL = 110  # px, the most a true class's name takes beside the confusion matrix


def confusion_view(run: Run) -> dict:
    """The confusion matrix of the test rows at `epoch`."""
    names = list(run.class_names)
    step = 60 if len(names) <= 3 else max(24, 240 // len(names))
    axis = {  # a long class name is cut to its column (an ellipsis), whole in the cell's tooltip
        "x": {
            "field": "predicted class",
            "type": "nominal",
            "sort": names,
            "axis": {"labelAngle": 0, "orient": "top", "labelLimit": step - 6},
        },
        "y": {"field": "true class", "type": "nominal", "sort": names, "axis": {"labelLimit": CLASS_LABEL}},
    }
    return {
        "data": {"name": "confusion"},
        "transform": pick_epoch({"rows": "n"}),
        "width": {"step": step},
        "height": {"step": step},
        "title": {"text": "Confusion matrix of the test rows", "fontSize": 13, "anchor": "start"},
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "white"},
                "encoding": {
                    **axis,
                    "color": {
                        "field": "kind",
                        "type": "nominal",
                        "scale": {"domain": ["correct", "wrong"], "range": ["#c7e9c0", "#fcbba1"]},
                        "legend": None,
                    },
                    "opacity": {"condition": {"test": "datum.rows > 0", "value": 1}, "value": 0.25},
                    "tooltip": [
                        {"field": "true class", "type": "nominal"},
                        {"field": "predicted class", "type": "nominal"},
                        {"field": "rows", "type": "quantitative"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "fontSize": 16 if len(names) <= 4 else 10},
                "encoding": {**axis, "text": {"field": "rows", "type": "quantitative"}},
            },
        ],
    }


SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def plane_spec(run: Run, dataset: Dataset, extent, epoch: int, size: int) -> dict:
    """The plane at one `epoch` (-1: the last), as the player draws it at that epoch, without
    slider or Play and with only that epoch's data; its legends under it, so that two fit side by
    side on a tablet (the lesson's "before" and "after")."""
    epoch = range(len(run.snapshots))[epoch]
    return {
        "$schema": SCHEMA,
        "params": [{"name": EPOCH, "value": epoch}, *_plane_params(run)],
        **plane_view(run, dataset, extent, size, legends="bottom"),
        "autosize": {"type": "pad"},
        "usermeta": CANVAS,
        "datasets": plane_data(run, dataset, extent, [epoch]),
    }


def player_layouts(
    run: Run, dataset: Dataset, extent, more: Sequence[Chart | Callable[[Layout], Chart]] = ()
) -> Callable[[Layout], dict]:
    """The whole player in each of its layouts (lib.charts.layouts, "player"): the plane, the accuracy
    and the confusion matrix, every epoch's data inside, the epoch a parameter bound to a slider
    and to Play. With 2 columns the accuracy and confusion matrix stand beside the plane, with 1
    under it (a phone), its legends too. `more`: charts (`ChartParts`, Altair or specs, filtered
    with `at_epoch`), or functions of the layout giving one (as wide as the plane there), drawn
    below and following the same epoch, each with its own datasets. The layouts share the plane's
    data: it is built once."""
    epochs = range(len(run.snapshots))
    plane = plane_data(run, dataset, extent, epochs)
    points = plane.pop("points")
    trails = trail_rows(len(points), len(epochs))
    points[TRAIL] = trail_column(trails, len(points))
    datasets = {"points": points, "regions": plane.pop("regions"), "confusion": _confusions(run)}
    datasets.update(plane)  # the decision line, if any
    params = [
        *epoch_params(len(run.snapshots) - 1),
        trails_param(len(trails), len(points)),
        *_plane_params(run),
    ]
    specs = {
        layout: _layout(
            run, dataset, extent, layout, params, datasets, [_fitted(view, layout) for view in more]
        )
        for layout in LAYOUTS["player"]
    }
    return specs.__getitem__


def _fitted(view: Chart | Callable[[Layout], Chart], layout: Layout) -> Chart:
    return view if isinstance(view, Chart) else view(layout)


def _layout(run, dataset, extent, layout: Layout, params, datasets, more) -> dict:
    columns, size = layout.columns, layout.size
    datasets, params, extra = dict(datasets), list(params), []
    for i, chart in enumerate(more, 1):
        view = own_datasets(spec_of(chart), f"view{i}")
        datasets.update(view.pop("datasets"))
        params += view.pop("params", [])  # a view's selections live at the top level
        for key in ("$schema", "config", "autosize", "usermeta"):
            view.pop(key, None)
        extra.append(view)
    if columns > 1:
        views = [
            {
                "hconcat": [
                    plane_view(run, dataset, extent, size, trails=True),
                    {"vconcat": [accuracy_view(), confusion_view(run)], "spacing": 12},
                ],
                "spacing": 40,
                "resolve": INDEPENDENT,  # each view keeps its legends beside it
            }
        ]
    else:
        views = [
            plane_view(run, dataset, extent, size, legends="bottom", trails=True),
            accuracy_view(),
            confusion_view(run),
        ]
    return {
        "$schema": SCHEMA,
        "params": params,
        "vconcat": [*views, *extra],
        # in one column, a view with long labels at its left (the matrix's) takes no room from the plane
        "center": columns == 1,
        "spacing": 24,
        "resolve": INDEPENDENT,
        "autosize": {"type": "pad"},
        "usermeta": CANVAS,
        "datasets": datasets,
    }
