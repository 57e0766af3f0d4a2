"""Charts of lib.inside: every hidden node's picture at its node in the network, and the input
space bending in the bottleneck plane.

Each view carries every epoch it is given and shows the one of the Vega-Lite parameter named
`epoch` (`datum['level@' + epoch]`, `datum.epoch == epoch`) of the spec it joins: the epoch
player's (`epoch_player`), bound to its slider and Play, or its own (`view_with_scrubber`).
"""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import numpy as np
import pandas as pd

from lib import inside
from lib.charts.common import CLASS_FIELD, INDEPENDENT_COLOURS, ChartParts, class_color
from lib.charts.inner_layer import CANVAS, PLOT_SIZE, _axes, architecture_parts
from lib.charts.layouts import Layout, widest
from lib.charts.plane import panel_rows, plane_extent
from lib.charts.player import at_epoch, by_epoch, epoch_params, pick_epoch, player_layouts
from lib.datasets import Dataset
from lib.inside import PC1, PC2
from lib.plane_geometry import H1, H2, boundary_ends, output_line
from lib.training import Run

PICTURE = 100  # px, a hidden node's picture on a wide screen (TensorFlow Playground draws them in place)
PICTURE_GAP = 16  # px between two pictures of a layer on a wide screen
ROW_GAP = 8  # px between two pictures of a layer on a phone
SMALL_PICTURE = 60  # px: a picture smaller than this has its label ("dead") under it, not in it
CIRCLE_STEP = 26  # px between two input (or output) nodes on a wide screen, at most on a phone
CIRCLE = 6  # px, an input or output node's radius
NAME_ROOM = 116  # px beside the input nodes for the feature names (wide)
OUT_ROOM = 96  # px beside the output nodes for what they give (wide)
UPRIGHT_ROOM = 84  # px above the input nodes and under the output nodes, on a phone
HEADER = 22  # px above a layer for its name
LAYER_GAP = (44, 140)  # px between two layers on a wide screen, at least and at most
WIDE = 880  # px, the widest network: the wide player's narrowest column (900 px) with a margin
PHONE_EXTRA = 28  # px a phone's network takes beyond the player's plane (within the room of its axes)
ROW_STEP = 50  # px between two layers on a phone, for the weights' lines and a layer's name
PICK = "node_pick"  # the click selection of a node's picture
BOTTLENECK_COLOUR = "#e69f00"  # the frame of the bottleneck's pictures
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


def node_pictures(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The data of every picture, whatever the layout: the pictures' dots (a row per node and test
    row, its place in the picture from 0 to 1 across and up, its level in whole percent per epoch)
    and each node's label per epoch ("dead", "same as node k" or "")."""
    frame = frame.assign(level=np.round(100 * frame["level"]).astype(np.int8))
    for name, column in (("u", PC1), ("v", PC2)):
        lo, hi = frame[column].min(), frame[column].max()
        frame[name] = np.round((frame[column] - lo) / (hi - lo if hi > lo else 1), 3).astype(np.float32)
    dots = wide(frame, ["node_id", "u", "v"], {"level": "level"})
    statuses = frame.drop_duplicates(["epoch", "node_id"]).astype({"status": object})
    return dots, wide(statuses, ["node_id"], {"status": "status"})


def network_places(run: Run, horizontal: bool, width: int, picture: int = PICTURE) -> dict:
    """Where `_network` puts the layers of the diagram (lib.charts.inner_layer.architecture_parts),
    in px: the network's size and, per layer, the place of its line of nodes, the step between two
    of them and a node's half size (a picture's or an input's or output's circle). Layers run left
    to right (`horizontal`: every picture `picture` px) or top to bottom (a layer's pictures as
    large as its row leaves them, at most `picture` px)."""
    shown = [min(n, inside.MOST_NODES) for n in run.layer_sizes]
    hidden = len(shown) - 2
    if horizontal:
        room = (width - NAME_ROOM - OUT_ROOM - hidden * picture) / (hidden + 1)
        gap = max(LAYER_GAP[0], min(LAYER_GAP[1], room))
        width = int(NAME_ROOM + OUT_ROOM + hidden * picture + (hidden + 1) * gap)
        across = [NAME_ROOM, *(NAME_ROOM + (k + 1) * gap + (k + 0.5) * picture for k in range(hidden))]
        across.append(width - OUT_ROOM)
        steps = [CIRCLE_STEP, *[picture + PICTURE_GAP] * hidden, CIRCLE_STEP]
        halves = [CIRCLE, *[picture / 2] * hidden, CIRCLE]
        height = HEADER + max(n * step for n, step in zip(shown, steps))
        return {"width": width, "height": height, "across": across, "steps": steps, "halves": halves}
    sides = [min(picture, int((width - (n - 1) * ROW_GAP) / n)) for n in shown[1:-1]]
    steps = [min(CIRCLE_STEP, width / shown[0]), *(side + ROW_GAP for side in sides)]
    steps.append(min(CIRCLE_STEP, width / shown[-1]))
    halves = [CIRCLE, *(side / 2 for side in sides), CIRCLE]
    down = [UPRIGHT_ROOM + CIRCLE]
    for above, below in zip(halves, halves[1:]):
        down.append(down[-1] + above + ROW_STEP + below)
    height = int(down[-1] + CIRCLE + UPRIGHT_ROOM)
    return {"width": width, "height": height, "across": down, "steps": steps, "halves": halves}


def _network(
    run: Run, statuses: pd.DataFrame, feature_names, horizontal: bool, width: int
) -> tuple[dict, dict]:
    """The frames of the network in one layout, in px: each hidden node's picture ("places": its
    frame, its label per epoch, the diagram's x and y of its node), the input and output nodes
    ("circles"), the weights ("links", each twice: once per node it joins) and the layers' names."""
    geometry = network_places(run, horizontal, width)
    diagram = architecture_parts(run, most=inside.MOST_NODES).frames
    nodes = diagram["nodes"].copy()
    nodes["i"] = nodes.groupby("x").cumcount()
    counts = nodes.groupby("x")["i"].transform("size")
    across, steps, halves = geometry["across"], geometry["steps"], geometry["halves"]
    along = HEADER + (geometry["height"] - HEADER) / 2 if horizontal else geometry["width"] / 2
    spread = along + (nodes["i"] - (counts - 1) / 2) * nodes["x"].map(dict(enumerate(steps)))
    nodes["cx"], nodes["cy"] = (nodes["x"].map(dict(enumerate(across))), spread)
    if not horizontal:
        nodes["cx"], nodes["cy"] = spread, nodes["x"].map(dict(enumerate(across)))
    nodes["half"] = nodes["x"].map(dict(enumerate(halves)))
    last = len(across) - 1
    hidden = nodes[(nodes["x"] > 0) & (nodes["x"] < last)]
    places = hidden[["node_id", "x", "y", "kind", "cx", "cy"]].assign(
        left=hidden["cx"] - hidden["half"],
        top=hidden["cy"] - hidden["half"],
        right=hidden["cx"] + hidden["half"],
        bottom=hidden["cy"] + hidden["half"],
        span=2 * hidden["half"],
    )
    places = places.merge(statuses, on="node_id")
    circles = nodes[(nodes["x"] == 0) | (nodes["x"] == last)][["x", "cx", "cy", "node_id"]]
    circles = circles.reset_index(drop=True)
    n_inputs = int((circles["x"] == 0).sum())
    names = [*map(str, feature_names), *(f"input {k + 1}" for k in range(len(feature_names), n_inputs))]
    circles["text"] = [*names[:n_inputs], *_outputs(run)]
    circles["side"] = np.where(circles["x"] == 0, "input", "output")
    ends = {(row.x, row.y): row for row in nodes.itertuples()}
    links = []
    for link in diagram["links"].itertuples():
        a, b = ends[(link.x, link.y)], ends[(link.x2, link.y2)]
        if horizontal:
            line = (a.cx + a.half, a.cy, b.cx - b.half, b.cy)
        else:
            line = (a.cx, a.cy + a.half, b.cx, b.cy - b.half)
        for end, node in (("from", a.node_id), ("to", b.node_id)):
            links.append((*line, link.weight, link.size, link.sign, node, end))
    links = pd.DataFrame(links, columns=["x", "y", "x2", "y2", "weight", "size", "sign", "node_id", "end"])
    size = int(2 * min(halves[1:-1]))  # the smallest picture
    names = diagram["labels"]["text"].tolist()
    if horizontal:
        heads = pd.DataFrame({"cx": across, "cy": 4.0, "text": names})
    else:
        tops = [
            across[0] - UPRIGHT_ROOM - CIRCLE,
            *(c - half - HEADER + 4 for c, half in zip(across[1:-1], halves[1:-1])),
            geometry["height"] - 14,
        ]
        heads = pd.DataFrame({"cx": 0.0, "cy": tops, "text": names})
    frames = {"places": places, "circles": circles, "links": links, "heads": heads}
    shape = {
        "width": geometry["width"],
        "height": geometry["height"],
        "picture": size,
        "horizontal": horizontal,
    }
    return frames, shape


def _outputs(run: Run) -> list[str]:
    """What each output node gives: the probability of the positive class, or of each class."""
    if len(run.class_names) == 2:
        return [f"P({run.class_names[1]})"]
    return [str(name) for name in run.class_names]


def nodes_layouts(run: Run, frame: pd.DataFrame, feature_names=()) -> Callable[[Layout], ChartParts]:
    """The network with every hidden node's picture at its node (a picture: the test rows in the
    input plane coloured by the node's activation; dead and duplicate nodes labelled), the weights
    as lines between them, in any layout of the player: left to right where there are 2 columns,
    top to bottom on a phone. The pictures' data is built once, each layout's places once."""
    dots, statuses = node_pictures(frame)

    def placed(layout: Layout) -> ChartParts:
        horizontal = layout.columns > 1
        width = WIDE if horizontal else layout.size + PHONE_EXTRA
        frames, shape = _network(run, statuses, feature_names, horizontal, width)
        return ChartParts(_nodes_view, {"dots": dots, **frames}, shape=shape)

    return placed


def nodes_view(run: Run, frame: pd.DataFrame, feature_names=(), layout: Layout | None = None) -> ChartParts:
    """`nodes_layouts` in one layout (the player's widest when not given)."""
    return nodes_layouts(run, frame, feature_names)(layout or widest("player"))


def _px(field: str, channel=alt.X):
    return channel(f"{field}:Q", scale=None, axis=None)


def _nodes_view(frames, values, *, width, height, picture, horizontal) -> alt.LayerChart:
    pick = alt.selection_point(name=PICK, fields=["node_id"], on="click", clear="dblclick")
    picked = {"param": PICK, "empty": False}  # none before a click
    weight = alt.Color(
        "sign:N",
        title="Weight",
        scale=alt.Scale(domain=["positive", "negative"], range=["#2166ac", "#b2182b"]),
        legend=alt.Legend(orient="top"),
    )
    line = dict(x=_px("x"), y=_px("y", alt.Y), x2="x2:Q", y2="y2:Q", color=weight)
    stroke = alt.StrokeWidth("size:Q", scale=alt.Scale(range=[0.3, 4]), legend=None)
    links = (
        alt.Chart(frames["links"])
        .transform_filter("datum.end == 'from'")
        .mark_rule(opacity=0.55)
        .encode(**line, strokeWidth=stroke, tooltip=[alt.Tooltip("weight:Q", title="final weight")])
    )
    picked_links = (
        alt.Chart(frames["links"])
        .transform_filter(picked)
        .mark_rule(opacity=1)
        .encode(
            **{**line, "color": weight.legend(None)},
            strokeWidth=alt.StrokeWidth("size:Q", scale=alt.Scale(range=[1.5, 6]), legend=None),
        )
    )
    at = dict(x=_px("cx"), y=_px("cy", alt.Y))
    circles = (
        alt.Chart(frames["circles"])
        .mark_circle(size=4 * CIRCLE**2, opacity=1, stroke="black", color="#f0f0f0")
        .encode(**at, tooltip=[alt.Tooltip("text:N", title="node")])
    )
    text = dict(fontSize=11, limit=(NAME_ROOM if horizontal else UPRIGHT_ROOM) - 2 * CIRCLE)
    if horizontal:
        inputs = dict(align="right", baseline="middle", dx=-2 * CIRCLE, **text)
        outputs = dict(align="left", baseline="middle", dx=2 * CIRCLE, **text)
    else:  # names turned upright, above the inputs and under the outputs
        inputs = dict(align="left", baseline="middle", angle=270, dx=2 * CIRCLE, **text)
        outputs = dict(align="right", baseline="middle", angle=270, dx=-2 * CIRCLE, **text)
    names = [
        alt.Chart(frames["circles"])
        .transform_filter(f"datum.side == '{side}'")
        .mark_text(**style)
        .encode(**at, text="text:N")
        for side, style in (("input", inputs), ("output", outputs))
    ]
    box = dict(x=_px("left"), y=_px("top", alt.Y), x2="right:Q", y2="bottom:Q")
    frame = (
        alt.Chart(frames["places"])
        .mark_rect(fill="white", stroke="#8c8c8c", strokeWidth=1)
        .encode(**box, tooltip=["node_id:N"])
        .add_params(pick)
    )
    dots = (
        _picked("level", alt.Chart(frames["dots"]))
        .transform_lookup(
            lookup="node_id", from_=alt.LookupData(frames["places"], "node_id", ["left", "top", "span"])
        )
        .transform_calculate(
            px="datum.left + 3 + datum.u * (datum.span - 6)",
            py="datum.top + 3 + (1 - datum.v) * (datum.span - 6)",
            dot=f"max(2, round(10 * pow(datum.span / {PICTURE}, 2)))",
        )
        .mark_circle()
        .encode(
            x=_px("px"),
            y=_px("py", alt.Y),
            size=alt.Size("dot:Q", scale=None),  # px², smaller in a smaller picture
            color=alt.Color(
                "level:Q",
                title="Activation",
                scale=alt.Scale(scheme="viridis", domain=[0, 100]),
                legend=alt.Legend(orient="top", labelExpr="datum.value + ' %'", gradientLength=120),
            ),
            opacity=alt.when(pick).then(alt.value(0.9)).otherwise(alt.value(0.15)),
        )
    )
    bottleneck = (
        alt.Chart(frames["places"])
        .transform_filter("datum.kind == 'bottleneck'")
        .mark_rect(fill=None, stroke=BOTTLENECK_COLOUR, strokeWidth=3)
        .encode(**box)
    )
    ring = (
        alt.Chart(frames["places"])
        .transform_filter(picked)
        .mark_rect(fill=None, stroke="#d62728", strokeWidth=3)
        .encode(**box)
    )
    labelled = _picked("status", alt.Chart(frames["places"])).transform_filter("datum.status != ''")
    if picture < 80:  # "same as node 2" is too long for a small picture
        labelled = labelled.transform_calculate(status="replace(datum.status, 'same as node ', '= node ')")
    edge = "bottom" if picture < SMALL_PICTURE else "top"  # a small picture's label goes under it
    band = (
        labelled.transform_calculate(under=f"datum.{edge} + 15")
        .mark_rect(fill="white", opacity=0.85)
        .encode(**{**box, "y": _px(edge, alt.Y), "y2": "under:Q"})
    )
    inside_it = edge == "top"
    status = labelled.mark_text(
        align="left" if inside_it else "center",
        baseline="top",
        fontWeight="bold",
        color="#b00020",
        fontSize=11 if inside_it else 10,
        dx=3 if inside_it else 0,
        dy=2,
        limit=picture - 4 if inside_it else picture + 2 * ROW_GAP,
    ).encode(x=_px("left" if inside_it else "cx"), y=_px(edge, alt.Y), text="status:N")
    heads = (
        alt.Chart(frames["heads"])
        .mark_text(align="center" if horizontal else "left", baseline="top", fontSize=12, fontWeight="bold")
        .encode(x=_px("cx"), y=_px("cy", alt.Y), text="text:N")
    )
    layers = [links, picked_links, circles, *names, frame, dots, band, status, bottleneck, ring, heads]
    return alt.layer(  # given to the constructor: `.resolve_scale` and `.properties` copy the whole chart
        *layers,
        resolve=INDEPENDENT_COLOURS,
        width=width,
        height=height,
        autosize=PLOT_SIZE,  # the pictures are placed in px: legends add room, they take none
        usermeta=CANVAS,
        view=alt.ViewBackground(stroke=None),
    )


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
    return alt.layer(
        *layers,
        resolve=INDEPENDENT_COLOURS,
        width=size,
        height=size,
        autosize=PLOT_SIZE,
        usermeta=CANVAS,
        title=alt.Title(alt.expr("'Epoch ' + epoch")),
    )


def followers(run: Run, dataset: Dataset, which=VIEWS) -> list[Callable[[Layout], ChartParts]]:
    """The chosen views (of VIEWS) of `run`, every epoch inside, to follow an epoch slider: each
    in any layout of the player (lib.charts.layouts, "player"), its data built once: the bent grid
    as large as the plane, its legends stacked in one column (a phone); the network with its node
    pictures left to right, or top to bottom no wider than a phone's column."""
    epochs = range(run.config.epochs + 1)

    def nodes() -> Callable[[Layout], ChartParts]:
        return nodes_layouts(run, inside.node_frame(run, dataset, epochs), dataset.feature_names)

    def bending() -> Callable[[Layout], ChartParts]:
        extent = plane_extent(run.snapshots)
        view = bending_view(run, inside.bending_frame(run, dataset, epochs), extent)
        return lambda layout: view.reshaped(
            size=layout.size, legends="horizontal" if layout.columns > 1 else "vertical"
        )

    built = {"nodes": nodes, "bending": bending}
    return [built[name]() for name in which]


def epoch_player(run: Run, dataset: Dataset, views=()) -> Callable[[Layout], dict]:
    """The epoch player of `run` (lib.charts.player) in each of its layouts, with `views` (of
    VIEWS) drawn below the plane, following its epoch."""
    return player_layouts(run, dataset, plane_extent(run.snapshots), followers(run, dataset, views))


def view_with_scrubber(run: Run, dataset: Dataset, view: str, layout: Layout | None = None) -> dict:
    """One view (of VIEWS) with an epoch slider and Play of its own, for a page whose player must
    keep its controls near its plane; as large as in the player's `layout` (its widest if not given)."""
    [follower] = followers(run, dataset, (view,))
    return with_scrubber(follower(layout or widest("player")), run.config.epochs)


def with_scrubber(view: ChartParts, n_epochs: int) -> dict:
    """`view` as a spec of its own with the player's epoch slider and Play (lib.charts.player)."""
    spec = view.spec()
    spec["params"] = [*epoch_params(n_epochs), *spec.get("params", [])]
    return spec
