"""The epoch player: one Vega-Lite spec per run that carries every epoch's snapshot.

The epoch shown is a Vega-Lite parameter named `epoch`, bound to a range slider (the scrubber)
and stepped by a timer while the bound "Play" checkbox is ticked, so scrubbing and playing happen
in the browser without a message to the server. The plane (test rows' bottleneck activations, the
output layer's regions and decision line), its title, the accuracy and the confusion matrix all
filter their data by that one parameter, so they always name the same epoch.

Another view can follow the same epoch: give its data an `epoch` column, pass it through
`at_epoch`, and add it to the spec with `player_spec(..., more=[view])`.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from lib.charts.common import CLASS_FIELD, PALETTE, class_color, vega_lite
from lib.charts.inner_layer import OUTCOMES, boundary_segment, confusion_frame, predictions, probability_label
from lib.datasets import Dataset
from lib.training import Run

EPOCH = "epoch"  # the parameter (a Vega signal) every view of the player filters by
PLAYING = "playing"  # the bound "Play" checkbox
TICK_MS = 80  # one epoch per tick while playing: 12.5 frames a second
MAX_FRAME_ROWS = 100_000  # points carried over all epochs: the spec stays near a megabyte
N1, N2 = "node 1", "node 2"
AXIS_TITLES = ("Bottleneck node 1 (its activation)", "Bottleneck node 2 (its activation)")
TOOLTIP_FEATURES = 6
CELLS = 40  # a binary net's probability is shaded on CELLS × CELLS rectangles, computed in the browser
CLASS_CELLS = 80  # finer for several classes, whose regions have edges
CLASS_LEGEND = {"title": "True class", "orient": "top", "symbolOpacity": 1}
TITLE_EXPR = f"'Epoch ' + {EPOCH} + ' · test accuracy ' + format(accuracy[{EPOCH}], '.1%')"


def frame_rows(n_test: int, n_frames: int) -> np.ndarray:
    """The test rows drawn at every epoch: all of them, or one fixed sample within MAX_FRAME_ROWS."""
    keep = min(n_test, max(1, MAX_FRAME_ROWS // n_frames))
    return np.sort(np.random.default_rng(0).choice(n_test, keep, replace=False))


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


def _epoch_filter() -> dict:
    return {"filter": f"datum.epoch == {EPOCH}"}


def _scale(lo: float, hi: float) -> dict:
    return {"domain": [lo, hi], "nice": False, "zero": False}


def _class_scale(names) -> dict:
    return class_color(names).to_dict()["scale"]


def _frames(run: Run, rows: np.ndarray) -> pd.DataFrame:
    """Every epoch's points: epoch, row, the two activations, predicted class and probability."""
    parts = []
    binary = len(run.class_names) == 2
    for epoch in range(len(run.snapshots)):
        predicted, probabilities = predictions(run, epoch)
        parts.append(
            pd.DataFrame(
                {
                    "epoch": np.int16(epoch),
                    "row": rows.astype(np.int32),
                    N1: run.snapshots[epoch][rows, 0].astype(np.float32),
                    N2: run.snapshots[epoch][rows, 1].astype(np.float32),
                    "pred": predicted[rows].astype(np.int8),
                    "prob": np.round(
                        probabilities[rows, 1] if binary else probabilities[rows].max(axis=1), 3
                    ).astype(np.float32),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _rows(run: Run, dataset: Dataset, rows: np.ndarray, features: list[str]) -> pd.DataFrame:
    """What does not change with the epoch: each row's true class and original features."""
    frame = pd.DataFrame({"row": rows.astype(np.int32), "truth": run.y_test[rows].astype(np.int8)})
    frame[CLASS_FIELD] = np.asarray(run.class_names, dtype=object)[run.y_test[rows]]
    originals = dataset.X[run.test_index][rows][:, : len(features)]
    for i in range(len(features)):
        frame[f"f{i}"] = np.round(originals[:, i].astype(np.float64), 3)
    return frame


def _cells(extent, cells: int = CELLS) -> pd.DataFrame:
    x0, x1, y0, y1 = extent
    xs, ys = np.linspace(x0, x1, cells + 1), np.linspace(y0, y1, cells + 1)
    ix, iy = (grid.ravel() for grid in np.meshgrid(np.arange(cells), np.arange(cells)))
    return pd.DataFrame(
        {
            "x": xs[ix],
            "x2": xs[ix + 1],
            "y": ys[iy],
            "y2": ys[iy + 1],
            "cx": (xs[ix] + xs[ix + 1]) / 2,
            "cy": (ys[iy] + ys[iy + 1]) / 2,
        }
    )


def _heads(run: Run) -> list[list[list[float]]]:
    """Each epoch's output layer as one [w1, w2, b] per output node, for the browser's regions."""
    return [
        [
            [round(float(w[0, k]), 6), round(float(w[1, k]), 6), round(float(b[k]), 6)]
            for k in range(w.shape[1])
        ]
        for w, b in run.head
    ]


def _logit(k: int) -> str:
    head = f"heads[{EPOCH}][{k}]"
    return f"({head}[0] * datum.cx + {head}[1] * datum.cy + {head}[2])"


def region_transforms(n_outputs: int) -> list[dict]:
    """Vega expressions for what the output layer predicts at each cell, at the current epoch."""
    if n_outputs == 1:
        return [{"calculate": f"1 / (1 + exp(-{_logit(0)}))", "as": "p"}]
    logits = [_logit(k) for k in range(n_outputs)]
    largest = ", ".join(f"datum.logits[{k}]" for k in range(n_outputs))
    return [
        {"calculate": "[" + ", ".join(logits) + "]", "as": "logits"},
        {
            "calculate": f"indexof(datum.logits, max({largest}))",
            "as": "k",
        },
        {"calculate": "classes[datum.k]", "as": CLASS_FIELD},
    ]


def _lines(run: Run, extent) -> pd.DataFrame:
    parts = [
        boundary_segment(w[:, 0], float(b[0]), extent)
        .rename(columns=dict(zip(("unit 1", "unit 2"), (N1, N2))))
        .assign(epoch=epoch)
        for epoch, (w, b) in enumerate(run.head)
    ]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[N1, N2, "epoch"])


def _confusions(run: Run) -> pd.DataFrame:
    return pd.concat(
        [confusion_frame(run, epoch).assign(epoch=epoch) for epoch in range(len(run.snapshots))],
        ignore_index=True,
    )


def plane_view(run: Run, dataset: Dataset, extent, size: int = 420) -> dict:
    """The test rows in the bottleneck plane over the output layer's regions, at `epoch`."""
    x0, x1, y0, y1 = extent
    binary = len(run.class_names) == 2
    features = list(dataset.feature_names[:TOOLTIP_FEATURES])
    x = {"field": N1, "type": "quantitative", "title": AXIS_TITLES[0], "scale": _scale(x0, x1)}
    y = {"field": N2, "type": "quantitative", "title": AXIS_TITLES[1], "scale": _scale(y0, y1)}
    classes = _class_scale(run.class_names)
    if binary:
        shade = {
            "field": "p",
            "type": "quantitative",
            "title": probability_label(run),
            "scale": {"domain": [0, 0.5, 1], "range": [PALETTE[0], "#ffffff", PALETTE[1]]},
            "legend": {
                "orient": "top",
                "direction": "horizontal",
                "gradientLength": 120,
                "format": ".1f",
                "values": [0, 0.5, 1],
            },
        }
    else:  # the same colours as the dots, so one legend serves both
        shade = {"field": CLASS_FIELD, "type": "nominal", "scale": classes, "legend": CLASS_LEGEND}
    regions = {
        "data": {"name": "cells"},
        "transform": region_transforms(1 if binary else len(run.class_names)),
        "mark": {"type": "rect", "opacity": 0.3},
        "encoding": {
            "x": {**x, "field": "x"},
            "x2": {"field": "x2"},
            "y": {**y, "field": "y"},
            "y2": {"field": "y2"},
            "color": shade,
        },
    }
    outcome = {"field": "outcome", "type": "nominal"}
    dots = {
        "data": {"name": "frames"},
        "transform": [
            _epoch_filter(),
            {
                "lookup": "row",
                "from": {
                    "data": {"name": "rows"},
                    "key": "row",
                    "fields": ["truth", CLASS_FIELD, *[f"f{i}" for i in range(len(features))]],
                },
            },
            {"calculate": "classes[datum.pred]", "as": "predicted"},
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
                "legend": CLASS_LEGEND,
            },
            "shape": {
                **outcome,
                "scale": {"domain": list(OUTCOMES), "range": ["circle", "cross"]},
                "legend": {"title": "Prediction", "orient": "top"},
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
                {"field": CLASS_FIELD, "type": "nominal", "title": "true class"},
                {"field": "predicted", "type": "nominal"},
                {"field": "prob", "type": "quantitative", "title": probability_label(run), "format": ".3f"},
                *[
                    {"field": f"f{i}", "type": "quantitative", "title": name}
                    for i, name in enumerate(features)
                ],
                {"field": N1, "type": "quantitative", "format": ".3f"},
                {"field": N2, "type": "quantitative", "format": ".3f"},
            ],
        },
    }
    layers = [regions, dots]
    if binary:
        layers.append(
            {
                "data": {"name": "lines"},
                "transform": [_epoch_filter()],
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


def confusion_view(run: Run) -> dict:
    """The confusion matrix of the test rows at `epoch`."""
    names = list(run.class_names)
    step = 60 if len(names) <= 3 else max(24, 240 // len(names))
    axis = {
        "x": {
            "field": "predicted class",
            "type": "nominal",
            "sort": names,
            "axis": {"labelAngle": 0, "orient": "top"},
        },
        "y": {"field": "true class", "type": "nominal", "sort": names},
    }
    return {
        "data": {"name": "confusion"},
        "transform": [_epoch_filter()],
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


def player_spec(run: Run, dataset: Dataset, extent, size: int = 420, more=()) -> dict:
    """The whole player as one Vega-Lite spec: plane beside accuracy and confusion matrix, every
    epoch's data inside, the epoch a parameter bound to a slider and to Play. `more`: Altair
    charts (filtered with `at_epoch`) drawn below, following the same epoch."""
    rows = frame_rows(len(run.y_test), len(run.snapshots))
    features = list(dataset.feature_names[:TOOLTIP_FEATURES])
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "params": [
            *epoch_params(len(run.snapshots) - 1),
            {"name": "accuracy", "value": [round(float(a), 6) for a in run.snapshot_accuracy]},
            {"name": "heads", "value": _heads(run)},
            {"name": "classes", "value": [str(name) for name in run.class_names]},
        ],
        "hconcat": [
            plane_view(run, dataset, extent, size),
            {"vconcat": [accuracy_view(), confusion_view(run)], "spacing": 12},
        ],
        "spacing": 40,
        "resolve": {"scale": {"color": "independent", "shape": "independent", "size": "independent"}},
        "autosize": {"type": "pad"},
        "usermeta": {"embedOptions": {"renderer": "canvas"}},
        "datasets": {
            "frames": _frames(run, rows),
            "rows": _rows(run, dataset, rows, features),
            "cells": _cells(extent, CELLS if len(run.class_names) == 2 else CLASS_CELLS),
            "lines": _lines(run, extent)
            if len(run.class_names) == 2
            else pd.DataFrame(columns=[N1, N2, "epoch"]),
            "confusion": _confusions(run),
        },
    }
    if more:
        extra = [vega_lite(chart) for chart in more]
        spec["vconcat"] = [{"hconcat": spec.pop("hconcat"), "spacing": 40}]
        for view in extra:
            spec["datasets"].update(view.pop("datasets", {}))
            view.pop("$schema", None)
            view.pop("config", None)
            spec["vconcat"].append(view)
    return spec
