"""Charts of the gradient-descent page: compared runs, the loss surface, gradient sizes.

No Streamlit here; every function takes tidy frames from lib.experiments,
lib.surface or a Run and returns the chart's `ChartParts` (`.chart()` is the Altair chart,
`.spec()` its filled template); each `*_layouts` gives it in any layout of lib.charts.layouts (the page
draws every one, for every width).
"""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import numpy as np
import pandas as pd

from lib.charts.common import INDEPENDENT_COLOURS, PALETTE, ChartParts, per_layout
from lib.charts.layouts import Layout

PAD = alt.AutoSizeParams(type="pad", contains="padding")  # legends outside the plot's size
SPLIT_DASH = alt.StrokeDash(
    "split:N",
    sort=["training", "validation"],
    scale=alt.Scale(domain=["training", "validation"], range=[[1, 0], [5, 3]]),
    legend=alt.Legend(
        orient="top", symbolStrokeWidth=2, symbolSize=500, symbolStrokeColor="black", title="Rows"
    ),
)

# Two curves closer than this share of a comparison panel's range cannot be told apart (about 3 px
# of its 260): the later one is drawn dotted (lib.experiments.coinciding).
COINCIDE = 0.01


def comparison(
    table: pd.DataFrame, title: str, width: int = 360, height: int = 260, dotted=(), columns: int = 2
) -> ChartParts:
    """Loss and accuracy per epoch (side by side, or with `columns=1` one above the other), one
    colour per compared value, train solid and validation dashed; the values in `dotted` (curves
    lying on others) are drawn as a dot per epoch over the line they lie on."""
    shape = {
        "order": tuple(dict.fromkeys(table["value"])),
        "title": title,
        "width": width,
        "height": height,
        "dotted": tuple(dotted),
        "columns": columns,
    }
    return ChartParts(_comparison, {"table": table}, shape=shape)


def _comparison(frames, values, *, order, title, width, height, dotted, columns) -> alt.ConcatChart:
    order = list(order)
    color = alt.Color(
        "value:N",
        title=title,
        sort=order,
        scale=alt.Scale(domain=order, range=[PALETTE[i % len(PALETTE)] for i in range(len(order))]),
        # one panel a row (a phone): the values in rows of three, beside the "Rows" legend
        legend=alt.Legend(
            orient="top", symbolType="stroke", symbolStrokeWidth=3, **({"columns": 3} if columns == 1 else {})
        ),
    )
    base = (
        alt.Chart(frames["table"])
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("epoch:Q", title="Epoch", axis=alt.Axis(tickMinStep=1)),
            color=color,
            strokeDash=SPLIT_DASH,
            tooltip=[
                alt.Tooltip("value:N", title=title),
                "epoch:Q",
                "split:N",
                alt.Tooltip("score:Q", format=".3f"),
            ],
        )
        .properties(width=width, height=height)
    )
    dots = (  # no stroke dash here: a point in the "Rows" legend would replace the dash samples
        alt.Chart(frames["table"])
        .mark_point(filled=True, size=40, opacity=1, stroke="white", strokeWidth=0.8)
        .encode(x="epoch:Q", color=color, tooltip=base.encoding.tooltip)
        .transform_filter(alt.FieldOneOfPredicate(field="value", oneOf=list(dotted)))
        .properties(width=width, height=height)
    )
    panels = []
    for metric, y in (
        ("loss", alt.Y("score:Q", title="Loss (cross-entropy, lower is better)")),
        ("accuracy", alt.Y("score:Q", title="Accuracy (higher is better)", scale=alt.Scale(zero=False))),
    ):
        # a dotted value is drawn as dots only, so the line it lies on stays visible beneath
        lines = base.transform_filter({"not": {"field": "value", "oneOf": list(dotted)}}) if dotted else base
        layers = [lines] + ([dots] if dotted else [])
        panels.append(
            alt.layer(*layers)
            .transform_filter(alt.datum.metric == metric)
            .encode(y=y)
            .properties(title=metric.capitalize())
        )
    return alt.concat(*panels, columns=columns).resolve_scale(color="shared", strokeDash="shared")


# ColorBrewer "Blues", darkest first: the deeper the valley, the darker the band.
BANDS = ("#08306b", "#08519c", "#2171b5", "#4292c6", "#6baed6", "#9ecae1", "#c6dbef", "#deebf7", "#f7fbff")


def loss_levels(loss: np.ndarray, count: int = len(BANDS)) -> np.ndarray:
    """Contour levels between the bands, geometric above the minimum so that the valley
    floor, where the paths end, gets the most lines."""
    low, high = float(np.min(loss)), float(np.max(loss))
    return low + np.geomspace(0.02 * max(high - low, 1e-9), 0.7 * max(high - low, 1e-9), count - 1)


def surface(
    grid: pd.DataFrame, paths: pd.DataFrame, best: np.ndarray, features: tuple[str, str], size: int = 400
) -> ChartParts:
    """The loss over (w1, w2) in bands of equal loss (a filled contour map), with each path
    drawn step by step on it, its start ringed and the lowest point marked."""
    levels = [float(f"{v:.3g}") for v in loss_levels(grid["loss"].to_numpy())]
    drawn = paths[np.isfinite(paths[["w1", "w2"]]).all(axis=1)]
    frames = {
        "grid": grid,
        "paths": drawn,
        "start": drawn[drawn["step"] == 0].head(1),
        "best": pd.DataFrame({"w1": [best[0]], "w2": [best[1]], "what": ["lowest loss"]}),
    }
    values = {f"level_{i}": level for i, level in enumerate(levels)}
    values.update(x0=grid.w1_low.min(), x1=grid.w1_high.max(), y0=grid.w2_low.min(), y1=grid.w2_high.max())
    shape = {"features": tuple(features), "order": tuple(dict.fromkeys(paths["path"])), "size": size}
    return ChartParts(_surface, frames, values, shape)


def _surface(frames, values, *, features, order, size) -> alt.LayerChart:
    levels = [values[f"level_{i}"] for i in range(len(BANDS) - 1)]
    w1, w2 = f"w1 (weight on {features[0]})", f"w2 (weight on {features[1]})"
    x_scale = alt.Scale(domain=[values["x0"], values["x1"]], nice=False, zero=False)
    y_scale = alt.Scale(domain=[values["y0"], values["y1"]], nice=False, zero=False)
    heat = (
        alt.Chart(frames["grid"])
        .mark_rect()
        .encode(
            x=alt.X("w1_low:Q", title=w1, scale=x_scale),
            x2="w1_high:Q",
            y=alt.Y("w2_low:Q", title=w2, scale=y_scale),
            y2="w2_high:Q",
            color=alt.Color(
                "loss:Q",
                title="Training loss",
                scale=alt.Scale(type="threshold", domain=levels, range=list(BANDS)),
                legend=alt.Legend(orient="right", format=".3~f"),
            ),
            tooltip=[
                alt.Tooltip("w1:Q", format=".2f"),
                alt.Tooltip("w2:Q", format=".2f"),
                alt.Tooltip("loss:Q", format=".3f"),
            ],
        )
    )
    order = list(order)
    palette = alt.Scale(domain=order, range=_path_colours(len(order)))
    color = alt.Color(
        "path:N",
        title="Path (optimizer, learning rate)",
        sort=order,
        scale=palette,
        legend=alt.Legend(orient="bottom", columns=2, labelLimit=300),
    )
    tips = [
        "path:N",
        "step:Q",
        alt.Tooltip("w1:Q", format=".3f"),
        alt.Tooltip("w2:Q", format=".3f"),
        alt.Tooltip("loss:Q", format=".3f"),
    ]
    lines = (
        alt.Chart(frames["paths"])
        .mark_line(strokeWidth=2.2, clip=True)
        .encode(x=alt.X("w1:Q", scale=x_scale), y=alt.Y("w2:Q", scale=y_scale), order="step:Q", color=color)
    )
    steps = lines.mark_circle(size=26, opacity=1, clip=True, stroke="white", strokeWidth=0.6).encode(
        color=alt.Color("path:N", scale=palette, legend=None), tooltip=tips
    )
    start = (
        alt.Chart(frames["start"])
        .mark_point(size=260, shape="circle", filled=False, color="black", strokeWidth=2.5, clip=True)
        .encode(
            x=alt.X("w1:Q", scale=x_scale),
            y=alt.Y("w2:Q", scale=y_scale),
            tooltip=[alt.Tooltip("w1:Q", title="start w1"), alt.Tooltip("w2:Q", title="start w2")],
        )
    )
    target = alt.Chart(frames["best"])
    star = target.mark_point(
        shape="diamond", size=260, filled=True, color="#d62728", stroke="white", strokeWidth=1.5
    ).encode(
        x=alt.X("w1:Q", scale=x_scale),
        y=alt.Y("w2:Q", scale=y_scale),
        tooltip=["what:N", alt.Tooltip("w1:Q", format=".3f"), alt.Tooltip("w2:Q", format=".3f")],
    )
    layers = [heat, lines, steps, start, star]
    return alt.layer(
        *layers,
        resolve=INDEPENDENT_COLOURS,
        width=size,
        height=size,
        autosize=PAD,
        title="The loss surface and the paths of the weights",
    )


def _path_colours(n: int) -> list[str]:
    # Saturated colours that stand out on a blue map (no blue among them).
    colours = ("#ff7f0e", "#d62728", "#2ca02c", "#9467bd", "#e377c2", "#8c564b", "#bcbd22", "#000000")
    return [colours[i % len(colours)] for i in range(n)]


def loss_by_step(paths: pd.DataFrame, width: int = 300, height: int = 220) -> ChartParts:
    """The training loss after each step of each path."""
    shape = {"order": tuple(dict.fromkeys(paths["path"])), "width": width, "height": height}
    return ChartParts(_loss_by_step, {"paths": paths[np.isfinite(paths["loss"])]}, shape=shape)


def _loss_by_step(frames, values, *, order, width, height) -> alt.Chart:
    order = list(order)
    return (
        alt.Chart(frames["paths"])
        .mark_line(point=alt.OverlayMarkDef(size=16))
        .encode(
            x=alt.X("step:Q", title="Step", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("loss:Q", title="Training loss", scale=alt.Scale(zero=False)),
            color=alt.Color(
                "path:N",
                title="Path",
                sort=order,
                scale=alt.Scale(domain=order, range=_path_colours(len(order))),
                legend=None,
            ),
            tooltip=["path:N", "step:Q", alt.Tooltip("loss:Q", format=".4f")],
        )
        .properties(width=width, height=height, autosize=PAD, title="Loss after each step")
    )


PANEL_HEADER = alt.Header(labelFontSize=13, labelFontWeight="bold")  # a panel's name above it
NORMS = {"gradient": "gradient ‖dL/dW‖ reaching the layer", "update": "update ‖ΔW‖ of the layer"}


def norms_frame(runs: dict) -> pd.DataFrame:
    """Tidy per-epoch gradient and update sizes of each layer of each named Run."""
    frames = []
    for name, run in runs.items():
        for what, table in (("gradient", run.grad_norms), ("update", run.update_norms)):
            tidy = table.reset_index().melt(id_vars="epoch", var_name="layer", value_name="size")
            frames.append(tidy.assign(run=name, what=NORMS[what]))
    return pd.concat(frames, ignore_index=True)


def layer_norms(
    frame: pd.DataFrame, column: str, y_title: str, width: int = 330, height: int = 240, columns: int = 2
) -> ChartParts:
    """Sizes per layer per epoch on a log scale, one panel per value of `column` (`columns` a
    row), sharing the y axis; layers coloured from the input side (light) to the output side (dark)."""
    data = frame[frame["size"] > 0]  # a log scale cannot show an exact zero
    shape = {
        "layers": tuple(dict.fromkeys(frame["layer"])),
        "column": column,
        "panels": tuple(dict.fromkeys(data[column])),
        "y_title": y_title,
        "width": width,
        "height": height,
        "columns": columns,
    }
    return ChartParts(_layer_norms, {"sizes": data}, shape=shape)


def _layer_norms(
    frames, values, *, layers, column, panels, y_title, width, height, columns
) -> alt.FacetChart:
    layers = list(layers)
    return (
        alt.Chart(frames["sizes"])
        .mark_line(point=alt.OverlayMarkDef(size=16))
        .encode(
            x=alt.X("epoch:Q", title="Epoch", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("size:Q", title=y_title, scale=alt.Scale(type="log")),
            color=alt.Color(
                "layer:N",
                title="Layer (input side → output)",
                sort=layers,
                scale=alt.Scale(domain=layers, scheme="plasma"),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=["run:N", "what:N", "layer:N", "epoch:Q", alt.Tooltip("size:Q", format=".2e")],
        )
        .properties(width=width, height=height)
        .facet(alt.Facet(f"{column}:N", title=None, sort=list(panels), header=PANEL_HEADER), columns=columns)
    )


# Slanted, never dropped: with 6 hidden layers the 8 names do not fit side by side, and Vega
# would hide every other one ("output" among them).
LAYER_AXIS = alt.Axis(
    labelAngle=-40, labelAlign="right", labelBaseline="middle", labelOverlap=False, labelLimit=90
)


def gradient_by_layer(
    frame: pd.DataFrame, width: int = 330, height: int = 250, columns: int = 2
) -> ChartParts:
    """The gradient reaching each layer, input side on the left, one line per epoch (light
    = first, dark = last), one panel per run (`columns` a row): a steep climb to the right is a
    vanishing gradient."""
    data = frame[frame["size"] > 0]
    shape = {
        "layers": tuple(dict.fromkeys(frame["layer"])),
        "runs": tuple(dict.fromkeys(data["run"])),
        "width": width,
        "height": height,
        "columns": columns,
    }
    return ChartParts(_gradient_by_layer, {"sizes": data}, shape=shape)


def _gradient_by_layer(frames, values, *, layers, runs, width, height, columns) -> alt.FacetChart:
    layers = list(layers)
    return (
        alt.Chart(frames["sizes"])
        .mark_line(point=alt.OverlayMarkDef(size=20))
        .encode(
            x=alt.X("layer:N", title="Layer (input side → output)", sort=layers, axis=LAYER_AXIS),
            y=alt.Y("size:Q", title="Gradient size ‖dL/dW‖ (log scale)", scale=alt.Scale(type="log")),
            color=alt.Color(
                "epoch:Q",
                title="Epoch",
                scale=alt.Scale(scheme="viridis", reverse=True),
                legend=alt.Legend(orient="right", format="d", gradientLength=height - 40),
            ),
            detail="epoch:O",
            tooltip=["run:N", "layer:N", "epoch:Q", alt.Tooltip("size:Q", format=".2e")],
        )
        .properties(width=width, height=height)
        .facet(alt.Facet("run:N", title=None, sort=list(runs), header=PANEL_HEADER), columns=columns)
    )


def comparison_layouts(table: pd.DataFrame, title: str, dotted=()) -> Callable[[Layout], ChartParts]:
    return per_layout(comparison(table, title, dotted=dotted))


def surface_layouts(
    grid: pd.DataFrame, paths: pd.DataFrame, best: np.ndarray, features: tuple[str, str]
) -> Callable[[Layout], ChartParts]:
    return per_layout(surface(grid, paths, best, features), size="size", columns=None)


def loss_by_step_layouts(paths: pd.DataFrame) -> Callable[[Layout], ChartParts]:
    return per_layout(loss_by_step(paths), columns=None)


def layer_norms_layouts(runs: dict, column: str, y_title: str) -> Callable[[Layout], ChartParts]:
    """`layer_norms` of the named runs (their `norms_frame`): built from the runs, so a cached chart
    costs a page run no frame."""
    return per_layout(layer_norms(norms_frame(runs), column, y_title))


def gradient_by_layer_layouts(runs: dict) -> Callable[[Layout], ChartParts]:
    """`gradient_by_layer` of the named runs' gradients."""
    frame = norms_frame(runs)
    return per_layout(gradient_by_layer(frame[frame["what"] == NORMS["gradient"]]))
