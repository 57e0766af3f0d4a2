"""Charts of lib.inside: every hidden node's picture beside the network diagram, and the input
space bending in the bottleneck plane.

Each view carries every epoch it is given and shows the one of the Vega-Lite parameter named
`epoch` (`datum['level@' + epoch]`, `datum.epoch == epoch`) of the spec it joins: the epoch
player's (`epoch_player`), bound to its slider and Play, or its own (`view_with_scrubber`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import altair as alt
import numpy as np
import pandas as pd

from lib import inside
from lib.charts.common import CLASS_FIELD, ChartParts, class_color
from lib.charts.inner_layer import CANVAS, PLOT_SIZE, _architecture, _axes, architecture_parts
from lib.charts.layouts import Layout, widest
from lib.charts.plane import panel_rows, plane_extent
from lib.charts.player import at_epoch, by_epoch, epoch_params, pick_epoch, player_layouts
from lib.datasets import Dataset
from lib.inside import PC1, PC2
from lib.plane_geometry import H1, H2, boundary_ends, output_line
from lib.training import Run, layer_names

# One selection in two views is what PICK is; Altair 6 warns when it merges the two into one.
warnings.filterwarnings("ignore", message="Automatically deduplicated selection parameter")
NODE_PANEL = 92  # px, a node's picture (at most)
SPACING = 6  # px between two pictures
DIAGRAM_HEIGHT = 180  # px, the network diagram above the node pictures
PICK = "node_pick"  # the click selection shared by the node pictures and the diagram
VIEWS = ("nodes", "bending")  # every hidden node's picture, the input space bending


def wide(frame: pd.DataFrame, keys: list[str], values: dict[str, str]) -> pd.DataFrame:
    """`frame` (one row per epoch 0, 1, … and key) laid out as the player's data: one row per key,
    a column per value and epoch (`lib.charts.player.by_epoch`, "level@7"), picked in the browser
    with `datum['level@' + epoch]`. `frame` must hold the same keys in the same order at every epoch
    (as lib.inside's frames do)."""
    epochs = frame["epoch"].unique()
    n = len(frame) // len(epochs)
    base = frame.iloc[:n][keys].reset_index(drop=True)
    first = frame[keys[0]].to_numpy()
    if len(frame) != n * len(epochs) or not (first.reshape(len(epochs), n) == first[:n]).all():
        raise ValueError("every epoch needs the same rows in the same order")
    if list(epochs) != list(range(len(epochs))):
        raise ValueError("the player needs every epoch from 0")
    blocks = {prefix: frame[name].to_numpy().reshape(len(epochs), n) for name, prefix in values.items()}
    return pd.concat([base, pd.DataFrame(by_epoch(blocks))], axis=1)


def _picked(field: str, chart: alt.Chart) -> alt.Chart:
    """`chart` with `field` set to the current epoch's column of it (`lib.charts.player.pick_epoch`)."""
    [calculate] = pick_epoch({field: field})
    return chart.transform_calculate(**{calculate["as"]: calculate["calculate"]})


def nodes_view(run: Run, frame: pd.DataFrame) -> ChartParts:
    """The network diagram over one small picture per hidden node (a column per layer, as in the
    diagram): the test rows in the input plane coloured by the node's activation, dead and
    duplicate nodes labelled. Clicking a picture or a node of the diagram rings that node in both."""
    order = layer_names(run.config)[:-1]
    frame = frame.assign(
        row=frame.groupby(["epoch", "node_id"]).cumcount(), depth=frame["layer"].map(order.index)
    )
    keys = ["depth", "node", "node_id"]
    frame = frame.assign(level=np.round(100 * frame["level"]).astype(np.int8))  # whole percent
    points = wide(frame, [*keys, "row", PC1, PC2], {"level": "level"})
    statuses = frame.drop_duplicates(["epoch", "node_id"])
    labels = statuses[statuses["status"] != ""][["epoch", *keys, "status"]]
    pictures = pd.concat([points.assign(kind="point"), labels.assign(kind="label")], ignore_index=True)
    diagram = architecture_parts(run, height=DIAGRAM_HEIGHT)
    shape = {"order": tuple(order), "diagram": tuple(diagram.shape.items())}
    return ChartParts(_nodes_view, {"pictures": pictures, **diagram.frames}, shape=shape)


def _nodes_view(frames, values, *, order, diagram, panel=NODE_PANEL) -> alt.VConcatChart:
    pick = alt.selection_point(name=PICK, fields=["node_id"], on="click", clear="dblclick", nearest=True)
    blank = alt.Axis(labels=False, ticks=False, title=None)
    dots = (
        _picked("level", alt.Chart().transform_filter(alt.datum.kind == "point"))
        .mark_circle(size=10)
        .encode(
            x=alt.X(f"{PC1}:Q", axis=blank),
            y=alt.Y(f"{PC2}:Q", axis=blank),
            color=alt.Color(
                "level:Q",
                title="Activation",
                scale=alt.Scale(scheme="viridis", domain=[0, 100]),
                legend=alt.Legend(orient="top", labelExpr="datum.value + ' %'", gradientLength=140),
            ),
            opacity=alt.when(pick).then(alt.value(0.9)).otherwise(alt.value(0.12)),
            tooltip=["node_id:N"],
        )
        .add_params(pick)
    )
    text = (
        alt.Chart()
        .transform_filter("datum.kind == 'label' && datum.epoch == epoch")
        .mark_text(align="left", baseline="top", fontWeight="bold", color="#b00020", fontSize=11)
        .encode(x=alt.value(3), y=alt.value(3), text="status:N")
    )
    header = alt.Header(labelFontWeight="bold", labelExpr=f"{list(order)}[datum.value]")  # layer names
    grid = (
        alt.layer(dots, text, data=frames["pictures"])
        .properties(width=panel, height=panel)
        .facet(
            column=alt.Column("depth:O", title=None, header=header),
            row=alt.Row("node:O", title=None, header=alt.Header(labelExpr="'node ' + datum.value")),
            spacing=SPACING,
        )
    )
    network = _architecture(frames, values, **dict(diagram), pick=pick)
    network.autosize = alt.Undefined  # a part of a concatenation cannot size itself
    return alt.vconcat(network, grid).properties(usermeta=CANVAS)


def bending_view(run: Run, bending: pd.DataFrame, extent, size: int = 420) -> ChartParts:
    """The input plane's grid, bent by the network, behind the test rows in the bottleneck plane,
    with the output layer's line; every epoch of `bending` carried, the one of `epoch` shown."""
    epochs = sorted(bending["epoch"].unique())
    rows = panel_rows(len(run.y_test), 1)
    names = np.asarray(run.class_names, dtype=object)[run.y_test[rows]]
    points = np.concatenate([run.snapshots[e][rows] for e in epochs])
    dots = pd.DataFrame(
        {
            "epoch": np.repeat(np.array(epochs, dtype=np.int64), len(rows)),
            "row": np.tile(rows, len(epochs)),
            CLASS_FIELD: np.tile(names, len(epochs)),
            H1: points[:, 0],
            H2: points[:, 1],
        }
    )
    columns = {H1: H1, H2: H2}
    frames = {
        "grid": wide(bending, ["line", "direction", "order"], columns),
        "dots": wide(dots, ["row", CLASS_FIELD], columns),
    }
    if len(run.class_names) == 2:
        ends = [(*end, e) for e in epochs for end in boundary_ends(*output_line(run, e), extent)]
        lines = pd.DataFrame(ends, columns=[H1, H2, "epoch"])
        frames["lines"] = lines.astype({H1: float, H2: float, "epoch": int})
    values = dict(zip(("x0", "x1", "y0", "y1"), extent))
    return ChartParts(_bending_view, frames, values, {"class_names": tuple(run.class_names), "size": size})


def _bending_view(frames, values, *, class_names, size, legends="horizontal") -> alt.LayerChart:
    """`legends`: their entries side by side (horizontal) or, on a narrow screen, one under another."""
    x, y = _axes([values[k] for k in ("x0", "x1", "y0", "y1")])

    def follow(chart: alt.Chart) -> alt.Chart:
        return _picked(H2, _picked(H1, chart))

    grid = (
        follow(alt.Chart(frames["grid"]))
        .mark_line(strokeWidth=1, clip=True)
        .encode(
            x=x,
            y=y,
            detail="line:N",
            order="order:Q",
            color=alt.Color(
                "direction:N",
                title="Grid of the input plane",
                scale=alt.Scale(range=["#8c8c8c", "#c7a26b"]),
                legend=alt.Legend(orient="top", direction=legends),
            ),
        )
    )
    points = (
        follow(alt.Chart(frames["dots"]))
        .mark_circle(size=16, opacity=0.8, clip=True)
        .encode(
            x=x,
            y=y,
            color=class_color(class_names).legend(title="True class", orient="top", direction=legends),
        )
    )
    layers = [grid, points]
    if "lines" in frames:
        layers.append(
            at_epoch(alt.Chart(frames["lines"]))
            .mark_line(color="black", strokeDash=[6, 3], strokeWidth=2)
            .encode(x=x, y=y)
        )
    return (
        alt.layer(*layers)
        .resolve_scale(color="independent")
        .properties(
            width=size,
            height=size,
            autosize=PLOT_SIZE,
            usermeta=CANVAS,
            title=alt.Title(alt.expr("'Epoch ' + epoch")),
        )
    )


def followers(run: Run, dataset: Dataset, which=VIEWS) -> list[Callable[[Layout], ChartParts]]:
    """The chosen views (of VIEWS) of `run`, every epoch inside, to follow an epoch slider: each
    in any layout of the player (lib.charts.layouts, "player"), its data built once: the bent grid
    as large as the plane, its legends stacked in one column (a phone), the node pictures of all
    layers together no wider than the plane."""
    epochs = range(run.config.epochs + 1)

    def nodes() -> Callable[[Layout], ChartParts]:
        view = nodes_view(run, inside.node_frame(run, dataset, epochs))
        layers = len(view.shape["order"])
        return lambda layout: view.reshaped(
            diagram=_diagram(run, layout), panel=min(NODE_PANEL, layout.size // layers - SPACING)
        )

    def bending() -> Callable[[Layout], ChartParts]:
        extent = plane_extent(run.snapshots)
        view = bending_view(run, inside.bending_frame(run, dataset, epochs), extent)
        return lambda layout: view.reshaped(
            size=layout.size, legends="horizontal" if layout.columns > 1 else "vertical"
        )

    built = {"nodes": nodes, "bending": bending}
    return [built[name]() for name in which]


def _diagram(run: Run, layout: Layout) -> tuple:
    """The shape of the network diagram over the node pictures in the player's `layout`: as wide
    as the plane in one column (a phone), else as a wide screen's diagram (lib.charts.layouts, "model")."""
    width = layout.size if layout.columns == 1 else widest("model").size
    return tuple(architecture_parts(run, width=width, height=DIAGRAM_HEIGHT).shape.items())


def epoch_player(run: Run, dataset: Dataset, views=()) -> Callable[[Layout], dict]:
    """The epoch player of `run` (lib.charts.player) in each of its layouts, with `views` (of
    VIEWS) drawn below the plane, following its epoch."""
    return player_layouts(run, dataset, plane_extent(run.snapshots), followers(run, dataset, views))


def view_with_scrubber(run: Run, dataset: Dataset, view: str) -> dict:
    """One view (of VIEWS) with an epoch slider and Play of its own, for a page whose player must
    keep its controls near its plane; as large as in the player on a wide screen."""
    [follower] = followers(run, dataset, (view,))
    return with_scrubber(follower(widest("player")), run.config.epochs)


def with_scrubber(view: ChartParts, n_epochs: int) -> dict:
    """`view` as a spec of its own with the player's epoch slider and Play (lib.charts.player)."""
    spec = view.spec()
    spec["params"] = [*epoch_params(n_epochs), *spec.get("params", [])]
    return spec
