"""Charts of what the bottleneck learned: its evolution, the curves and the model (the plane
itself, at one epoch or played, is lib.charts.player's).

Every plane is drawn on one fixed extent (all snapshots of a run), so panels and
the animated view can be compared by eye: points move, the axes do not.
"""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import numpy as np
import pandas as pd

from lib.charts.common import CLASS_FIELD, INDEPENDENT_COLOURS, ChartParts, class_color, per_layout
from lib.charts.layouts import Layout
from lib.charts.plane import panel_rows
from lib.plane_geometry import H1, H2, boundary_ends, confusion_counts, output_line, predictions
from lib.training import Run, TrainConfig, layer_names, node_id, output_activation

AXIS_TITLES = ("Bottleneck node 1 (its activation)", "Bottleneck node 2 (its activation)")
OUTCOMES = ("correct", "misclassified")
GRID_POINTS = 20_000  # the grid's dots in all its panels: every test row of each bundled data set in 25
PLOT_SIZE = alt.AutoSizeParams(type="pad")  # width/height size the plot, not plot + legends
CANVAS = {"embedOptions": {"renderer": "canvas"}}  # thousands of marks draw faster than as SVG nodes


def chosen_epochs(n_epochs: int, panels: int = 25) -> list[int]:
    """The epochs of the small multiples: every `step`-th epoch counted back from the last, so the
    last one is always shown, the spacing is even, and at most `panels` are shown (epochs 1–25 of
    the lesson's 25; epoch 0, before training, is left to the player)."""
    step = -(-n_epochs // panels)
    return list(range(n_epochs, 0, -step))[::-1]


def probability_label(run: Run) -> str:
    """What the plane's probability is: of the positive class with one sigmoid node, else of the
    predicted class."""
    if len(run.class_names) == 2:
        return f"P({run.class_names[1]})"
    return "P(predicted class)"


def _axes(extent, titles=AXIS_TITLES) -> tuple[alt.X, alt.Y]:
    x0, x1, y0, y1 = extent
    sx = alt.Scale(domain=[x0, x1], nice=False, zero=False)
    sy = alt.Scale(domain=[y0, y1], nice=False, zero=False)
    return alt.X(f"{H1}:Q", title=titles[0], scale=sx), alt.Y(f"{H2}:Q", title=titles[1], scale=sy)


def _outcome_shape() -> alt.Shape:
    return alt.Shape(
        "outcome:N",
        scale=alt.Scale(domain=list(OUTCOMES), range=["circle", "cross"]),
        legend=alt.Legend(title="Prediction", orient="top"),
    )


def evolution_parts(
    run: Run, epochs: list[int], extent, panel: int = 130, columns: int = 5, most: int = 0
) -> ChartParts:
    """Small multiples, one per chosen epoch, on the same axes so the motion shows; at most `most`
    of `epochs` (0: all), evenly spaced, the last kept. Each panel's title gives the test accuracy
    of all the test rows, as the player does; a note above the panels says when they draw only a
    sample of the rows, or only some of `epochs`."""
    every = len(epochs)
    if 0 < most < every:
        epochs = [epochs[i - 1] for i in chosen_epochs(every, most)]
    titles = {e: f"Epoch {e} · test acc {run.snapshot_accuracy[e]:.1%}" for e in epochs}
    rows = panel_rows(len(run.y_test), len(epochs), GRID_POINTS)
    notes = []
    if len(rows) < len(run.y_test):
        notes += [
            f"Each panel draws the same {len(rows):,} of the {len(run.y_test):,} test rows;",
            "its accuracy counts them all.",
        ]
    if len(epochs) < every:
        notes += [
            f"One panel every {epochs[1] - epochs[0]} epochs here;",
            f"a wider screen shows all {every}.",
        ]
    right = np.concatenate([predictions(run, e)[0][rows] == run.y_test[rows] for e in epochs])
    panel_names, layers = [titles[e] for e in epochs], ["points", "boundary"]
    n = len(rows) * len(epochs)  # text as categories: a few names on thousands of rows
    points = pd.DataFrame(
        {
            "panel": pd.Categorical.from_codes(np.repeat(np.arange(len(epochs)), len(rows)), panel_names),
            "epoch": np.repeat(np.asarray(epochs, dtype=np.int64), len(rows)),  # the panels' order
            "layer": pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), layers),
            H1: np.concatenate([run.snapshots[e][rows, 0] for e in epochs]),
            H2: np.concatenate([run.snapshots[e][rows, 1] for e in epochs]),
            CLASS_FIELD: pd.Categorical.from_codes(np.tile(run.y_test[rows], len(epochs)), run.class_names),
            "outcome": pd.Categorical.from_codes((~right).astype(np.int8), OUTCOMES),
        }
    )
    frames = [points]
    if len(run.class_names) == 2:
        ends = [boundary_ends(*output_line(run, e), extent) for e in epochs]
        lines = pd.DataFrame(
            [(*end, i, e) for i, e in enumerate(epochs) for end in ends[i]],
            columns=[H1, H2, "panel", "epoch"],
        )
        lines["panel"] = pd.Categorical.from_codes(lines["panel"], panel_names)
        lines["layer"] = pd.Categorical.from_codes(np.ones(len(lines), dtype=np.int8), layers)
        frames.append(lines)
    values = {
        **dict(zip(("x0", "x1", "y0", "y1"), extent)),
        **{f"note{i}": note for i, note in enumerate(notes)},
    }
    shape = {"class_names": tuple(run.class_names), "panel": panel, "columns": columns, "notes": len(notes)}
    return ChartParts(_evolution, {"panels": pd.concat(frames, ignore_index=True)}, values, shape)


def evolution_layouts(run: Run, epochs: list[int], extent) -> Callable[[Layout], ChartParts]:
    """`evolution_parts` in any layout (lib.charts.layouts): its panel size and columns, and at
    most its number of panels (a phone's grid stays short)."""
    every = evolution_parts(run, epochs, extent)
    return lambda layout: (
        evolution_parts(run, epochs, extent, layout.size, layout.columns, layout.panels)
        if 0 < layout.panels < len(epochs)
        else every.reshaped(panel=layout.size, columns=layout.columns)
    )


def _evolution(frames, values, *, class_names, panel, columns, notes=0) -> alt.FacetChart:
    extent = [values[k] for k in ("x0", "x1", "y0", "y1")]
    x, y = _axes(extent, titles=("node 1", "node 2"))
    base = alt.Chart().encode(x=x, y=y)
    dots = (
        base.transform_filter(alt.datum.layer == "points")
        .mark_point(filled=True, size=14, opacity=0.75)
        .encode(color=class_color(class_names, title="True class"), shape=_outcome_shape())
    )
    line = base.transform_filter(alt.datum.layer == "boundary").mark_line(
        color="black", strokeDash=[4, 2], strokeWidth=1.5
    )
    grid = (
        alt.layer(dots, line, data=frames["panels"])
        .properties(width=panel, height=panel)
        .facet(
            facet=alt.Facet(
                "panel:N",
                sort=alt.EncodingSortField("epoch", op="min"),  # by epoch, for any number of panels
                title=None,
                header=alt.Header(labelFontSize=12, labelFontWeight="bold"),
            ),
            columns=columns,
        )
        .properties(usermeta=CANVAS)
    )
    if notes:  # what the panels leave out, in lines short enough for a phone
        note = [values[f"note{i}"] for i in range(notes)]
        grid = grid.properties(title=alt.Title(note, anchor="start", fontSize=13, fontWeight="normal"))
    return grid


def confusion_frame(run: Run, epoch: int) -> pd.DataFrame:
    """Counts of test rows by true and predicted class (long form, every pair present)."""
    counts = confusion_counts(run, epoch)
    labels = list(range(len(run.class_names)))
    names = list(run.class_names)
    return pd.DataFrame(
        [
            {
                "true class": names[i],
                "predicted class": names[j],
                "rows": int(counts[i, j]),
                "kind": "correct" if i == j else "wrong",
            }
            for i in labels
            for j in labels
        ]
    )


CURVE_SPLITS = {"": "training", "val_": "validation", "test_": "test"}


def curves_frame(history: pd.DataFrame) -> pd.DataFrame:
    """The history in long form: epoch, metric (loss/accuracy), split, value. Built column by column
    (a frame per curve, with its text repeated by pandas, took six times as long: it is on every
    new run's path)."""
    curves = [
        (prefix, split, metric) for prefix, split in CURVE_SPLITS.items() for metric in ("loss", "accuracy")
    ]
    n = len(history)
    return pd.DataFrame(
        {
            "epoch": np.tile(history.index.to_numpy(), len(curves)),
            "metric": np.repeat([metric for _, _, metric in curves], n),
            "split": np.repeat([split for _, split, _ in curves], n),
            "value": np.concatenate([history[prefix + metric].to_numpy() for prefix, _, metric in curves]),
        }
    )


def curves_parts(history: pd.DataFrame, width: int = 330, columns: int = 2) -> ChartParts:
    """Loss and accuracy per epoch, for the training, validation and test rows: side by side
    (2 columns) or one above the other."""
    shape = {"points": len(history) <= 30, "width": width, "columns": columns}
    return ChartParts(_curves, {"curves": curves_frame(history)}, {"last": max(2, len(history))}, shape)


def curves_layouts(history: pd.DataFrame) -> Callable[[Layout], ChartParts]:
    """`curves_parts` in any layout (lib.charts.layouts): its panel width and columns."""
    return per_layout(curves_parts(history))


def _curves(frames, values, *, points, width, columns) -> alt.ConcatChart:
    colour = alt.Color(
        "split:N",
        title="Rows",
        sort=list(CURVE_SPLITS.values()),
        scale=alt.Scale(range=["#4c4c4c", "#9467bd", "#d62728"]),
        legend=alt.Legend(orient="top"),
    )
    charts = []
    epochs = alt.Scale(domain=[1, values["last"]], nice=False)
    for metric, title in (
        ("loss", "Loss: cross-entropy, lower is better"),
        ("accuracy", "Accuracy: share right, higher is better"),
    ):
        charts.append(
            alt.Chart(frames["curves"])
            .transform_filter(alt.datum.metric == metric)
            .mark_line(point=points)
            .encode(
                x=alt.X("epoch:Q", title="Epoch", scale=epochs, axis=alt.Axis(tickMinStep=1)),
                y=alt.Y(
                    "value:Q",
                    title=metric,
                    scale=alt.Scale(domain=[0, 1]) if metric == "accuracy" else alt.Scale(),
                ),
                color=colour,
                tooltip=["epoch", "split", alt.Tooltip("value:Q", format=".3f")],
            )
            .properties(width=width, height=220, title=title)
        )
    return alt.concat(*charts, columns=columns)


def layer_table(config: TrainConfig, n_features: int, n_classes: int) -> pd.DataFrame:
    """Keras' model.summary() as a table, with how each parameter count comes about."""
    sizes = config.layer_sizes(n_features, n_classes)
    output = output_activation(n_classes)
    rows = [
        {
            "layer": "input",
            "nodes": sizes[0],
            "activation": "—",
            "output shape": f"(None, {sizes[0]})",
            "parameters": 0,
            "how": "the features, standardized",
        }
    ]
    for name, fan_in, nodes in zip(layer_names(config), sizes[:-1], sizes[1:]):
        rows.append(
            {
                "layer": name,
                "nodes": nodes,
                "activation": output if name == "output" else config.activation,
                "output shape": f"(None, {nodes})",
                "parameters": (fan_in + 1) * nodes,
                "how": f"({fan_in} inputs + 1 bias) × {nodes} nodes",
            }
        )
    return pd.DataFrame(rows)


def architecture_parts(
    run: Run, most: int = 10, width: int = 640, height: int = 230, feature_names=()
) -> ChartParts:
    """The network as nodes and links; link colour is the final weight's sign, width its size;
    the input nodes carry the `feature_names` they stand for (`_architecture` draws it, with a
    click selection when given one)."""
    sizes = run.layer_sizes
    names = ["input", *layer_names(run.config)]
    shown = [min(n, most) for n in sizes]
    ys = [np.linspace((k - 1) / 2, -(k - 1) / 2, k) if k > 1 else np.zeros(1) for k in shown]  # first on top
    nodes = pd.DataFrame(
        [
            {
                "x": layer,
                "y": float(y),
                "layer": names[layer],
                "kind": "bottleneck" if names[layer] == "bottleneck" else "other",
                "node_id": node_id(names[layer], i),
            }
            for layer in range(len(sizes))
            for i, y in enumerate(ys[layer])
        ]
    )
    links = []
    for layer in range(len(sizes) - 1):
        w = run.weights[2 * layer]
        for i, y0 in enumerate(ys[layer]):
            for j, y1 in enumerate(ys[layer + 1]):
                links.append(
                    {
                        "x": layer,
                        "y": float(y0),
                        "x2": layer + 1,
                        "y2": float(y1),
                        "weight": round(float(w[i, j]), 3),
                        "size": abs(float(w[i, j])),
                        "sign": "positive" if w[i, j] >= 0 else "negative",
                    }
                )
    links = pd.DataFrame(links)
    bottom = -(max(shown) - 1) / 2 - 0.7
    labels = pd.DataFrame(
        [
            {
                "x": layer,
                "y": bottom,
                "text": f"{names[layer]}: {size}" + (f" ({most} shown)" if size > most else ""),
            }
            for layer, size in enumerate(sizes)
        ]
    )
    frames = {"links": links, "nodes": nodes, "labels": labels}
    left = -1.3 if len(feature_names) else -0.5  # room for the feature names
    if len(feature_names):
        frames["inputs"] = _input_names(feature_names, ys[0])
    shape = {"layers": len(sizes), "left": left, "height": height, **_sized(width, len(sizes), left)}
    span = max(shown) / 2 + 1.2  # a value, not the shape: a new width of a layer fills the same template
    return ChartParts(_architecture, frames, {"low": -span, "high": span - 0.6}, shape)


def _sized(width: int, layers: int, left: float) -> dict:
    """The diagram's shape that follows its width: the pixels left of the input nodes for their
    feature names (`limit`), and whether the layers' names go above their sizes (`wrap`: at a phone's
    width, "hidden_1: 3" and "bottleneck: 2" side by side ran into each other)."""
    return {"width": width, "limit": int(0.75 * width / (layers - 0.5 - left)), "wrap": width < 500}


def architecture_layouts(run: Run, feature_names=()) -> Callable[[Layout], ChartParts]:
    """`architecture_parts` as wide as each layout (lib.charts.layouts, "model"): one set of frames."""
    parts = architecture_parts(run, feature_names=feature_names)
    layers, left = parts.shape["layers"], parts.shape["left"]
    return lambda layout: parts.reshaped(**_sized(layout.size, layers, left))


def _architecture(
    frames, values, *, layers, left, limit, width, height, wrap=False, pick=None
) -> alt.LayerChart:
    """`pick`, a point selection on "node_id", is made by clicking a node and rings the picked one."""
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[left, layers - 0.5]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[values["low"], values["high"]]))
    edges = (
        alt.Chart(frames["links"])
        .mark_rule(opacity=0.6)
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            color=alt.Color(
                "sign:N",
                title="Weight",
                scale=alt.Scale(domain=["positive", "negative"], range=["#2166ac", "#b2182b"]),
                legend=alt.Legend(orient="top"),
            ),
            strokeWidth=alt.StrokeWidth("size:Q", scale=alt.Scale(range=[0.3, 4]), legend=None),
            tooltip=[alt.Tooltip("weight:Q", title="final weight")],
        )
    )
    dots = (
        alt.Chart(frames["nodes"])
        .mark_circle(size=260, opacity=1, stroke="black")
        .encode(
            x=x,
            y=y,
            tooltip=["layer"],
            color=alt.Color(
                "kind:N",
                legend=None,
                scale=alt.Scale(domain=["bottleneck", "other"], range=["#ffbf00", "#f0f0f0"]),
            ),
        )
    )
    if pick is not None:
        ring = alt.when(pick, empty=False)
        dots = dots.add_params(pick).encode(
            stroke=ring.then(alt.value("#d62728")).otherwise(alt.value("black")),
            strokeWidth=ring.then(alt.value(4)).otherwise(alt.value(1)),
            tooltip=["node_id"],
        )
    wrapped = {"lineBreak": ": "} if wrap else {}  # "hidden_1: 3" as "hidden_1" above "3"
    text = alt.Chart(frames["labels"]).mark_text(fontSize=12, baseline="top", **wrapped)
    text = text.encode(x=x, y=y, text="text:N")
    layers = [edges, dots, text]
    if "inputs" in frames:
        layers.append(
            alt.Chart(frames["inputs"])
            .mark_text(align="right", baseline="middle", fontSize=11, limit=limit)
            .encode(x=x, y=y, text="feature:N", tooltip=[alt.Tooltip("feature:N", title="input")])
        )
    return alt.layer(*layers, resolve=INDEPENDENT_COLOURS, width=width, height=height, autosize=PLOT_SIZE)


def _input_names(feature_names, ys) -> pd.DataFrame:
    """The feature each drawn input node stands for, written to its left (the first len(ys))."""
    names = [str(name) for name in list(feature_names)[: len(ys)]]
    return pd.DataFrame({"x": -0.12, "y": [float(v) for v in ys[: len(names)]], "feature": names})
