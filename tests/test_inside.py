"""Inside the network: every hidden node's picture per epoch, and the input plane's grid bent by it."""

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from lib import inside
from lib.charts import inside as inside_charts
from lib.charts.common import frame_of
from lib.charts.inner_layer import architecture_parts
from lib.charts.layouts import LAYOUTS, widest
from lib.datasets import load_dataset
from lib.training import DEEPER_LESSON, WINE_EXERCISE, train
from testkit.apptest import LAPTOP_BAND, app_test, assert_no_exception, first_run, upload
from ui import state
from ui.charts import UNTOLD


@pytest.fixture(scope="module")
def run(banknotes):
    return train(banknotes, replace(DEEPER_LESSON, epochs=6))


@pytest.fixture(scope="module")
def dead_run(banknotes):
    return train(banknotes, replace(DEEPER_LESSON, seed=0))  # this start loses bottleneck node 1


def test_every_hidden_node_has_a_picture_per_epoch(run, banknotes):
    frame = inside.node_frame(run, banknotes, range(7))
    counts = frame.groupby(["epoch", "layer"])["node_id"].nunique().unstack()
    assert counts["hidden_1"].tolist() == [3] * 7 and counts["bottleneck"].tolist() == [2] * 7
    per_picture = frame.groupby(["epoch", "node_id"]).size()
    assert set(per_picture) == {inside.MOST_ROWS}  # the same sample of test rows in each
    assert frame["level"].between(0, 1).all()


def test_a_nodes_picture_is_its_activation_at_that_epoch(run, banknotes):
    frame = inside.node_frame(run, banknotes, [0, 6])
    rows = inside.shown_rows(len(run.y_test))
    for epoch in (0, 6):
        bottleneck = frame[(frame.epoch == epoch) & (frame.node_id == "bottleneck · node 2")]
        np.testing.assert_allclose(bottleneck["activation"], run.snapshots[epoch][rows, 1], atol=1e-5)
    assert not np.allclose(
        frame[(frame.epoch == 0) & (frame.layer == "hidden_1")]["activation"],
        frame[(frame.epoch == 6) & (frame.layer == "hidden_1")]["activation"],
    )  # training moved the first layer too


def player(run, dataset) -> dict:
    """The epoch player of `run` with both inside views following it, as a wide screen shows it."""
    return inside_charts.epoch_player(run, dataset, inside_charts.VIEWS)(widest("player"))


def network(spec: dict, frame: str) -> pd.DataFrame:
    """One frame of the node pictures' view in a player's spec (`places`, `links`, `circles`, …)."""
    [rows] = [rows for name, rows in spec["datasets"].items() if name.endswith(f"_{frame}")]
    return rows


def test_a_dead_node_is_labelled(dead_run, banknotes):
    frame = inside.node_frame(dead_run, banknotes, [dead_run.config.epochs])
    status = frame.drop_duplicates("node_id").set_index("node_id")["status"]
    assert status["bottleneck · node 1"] == "dead"
    assert status["bottleneck · node 2"] == ""
    for layout in LAYOUTS["player"]:
        places = network(inside_charts.epoch_player(dead_run, banknotes, ("nodes",))(layout), "places")
        labelled = places[places[f"status@{dead_run.config.epochs}"] != ""]
        assert labelled["node_id"].tolist() == ["bottleneck · node 1"]  # on its picture, in every layout
    layers = json.dumps(player(dead_run, banknotes)["vconcat"][1]["layer"])
    assert "datum['status@' + epoch]" in layers and "datum.status != ''" in layers  # drawn at the epoch shown


def test_each_hidden_nodes_picture_sits_at_its_node_in_the_network(banknotes):
    wine = load_dataset("wine")
    run = train(wine, replace(WINE_EXERCISE, epochs=2))  # 13 → 8 → 5 → 2 → 3
    diagram = architecture_parts(run, most=inside.MOST_NODES).frames["nodes"]
    hidden = diagram[diagram["layer"].isin(["hidden_1", "hidden_2", "bottleneck"])]
    for layout in LAYOUTS["player"]:
        spec = inside_charts.epoch_player(run, wine, ("nodes",))(layout)
        places = network(spec, "places").set_index("node_id").loc[hidden["node_id"]]
        np.testing.assert_array_equal(places[["x", "y"]], hidden[["x", "y"]])  # the diagram's nodes
        side = places["right"] - places["left"]
        assert (side == places["bottom"] - places["top"]).all() and (side == places["span"]).all()  # squares
        centre = places[["cx", "cy"]].to_numpy()
        np.testing.assert_allclose(centre, places[["left", "top"]].to_numpy() + side.to_numpy()[:, None] / 2)
        across, down = ("cx", "cy") if layout.columns > 1 else ("cy", "cx")  # layers left to right, or down
        by_layer = places.groupby("x")
        assert (by_layer[across].nunique() == 1).all()  # a layer on one line
        assert by_layer[across].first().is_monotonic_increasing  # in the diagram's order of layers
        for _, layer in by_layer:  # its nodes in the diagram's order, first on top (or on the left)
            assert layer.sort_values("y", ascending=False)[down].is_monotonic_increasing
            assert (np.diff(np.sort(layer[down])) >= layer["span"].max()).all()  # pictures do not overlap
        if layout.columns > 1:
            assert side.min() >= 96  # a laptop's pictures
        else:  # a phone's row of 8 pictures leaves each less room than the bottleneck's 2
            assert side.min() < side[places["kind"] == "bottleneck"].min() <= inside_charts.PICTURE
        links = network(spec, "links")
        for (_, link), ends in zip(links.iterrows(), zip(links["node_id"], links["end"])):
            node, end = ends
            if node in places.index:  # a weight's line starts or ends at an edge of its picture
                box = places.loc[node]
                x, y = (link["x"], link["y"]) if end == "from" else (link["x2"], link["y2"])
                assert box["left"] <= x <= box["right"] and box["top"] <= y <= box["bottom"]
                assert x in (box["left"], box["right"]) or y in (box["top"], box["bottom"])
        circles = network(spec, "circles")
        assert circles["text"].tolist() == [*wine.feature_names[: inside.MOST_NODES], *wine.class_names]


def test_the_bottleneck_is_marked(run, banknotes):
    spec = player(run, banknotes)
    places = network(spec, "places")
    marked = places[places["kind"] == "bottleneck"]["node_id"].tolist()
    assert marked == ["bottleneck · node 1", "bottleneck · node 2"]
    [frame] = [
        layer
        for layer in spec["vconcat"][1]["layer"]
        if {"filter": "datum.kind == 'bottleneck'"} in layer.get("transform", [])
    ]
    assert frame["mark"]["stroke"] == inside_charts.BOTTLENECK_COLOUR and frame["mark"]["strokeWidth"] >= 3
    assert "bottleneck: 2" in network(spec, "heads")["text"].tolist()


def test_duplicate_nodes_are_said_to_be_the_same():
    a = np.linspace(0, 1, 50)
    assert inside.node_status(np.column_stack([a, 2 * a + 1, np.zeros(50), np.sin(7 * a)])) == [
        "",
        "same as node 1",
        "dead",
        "",
    ]


def test_the_bent_grid_is_the_network_applied_to_the_grid_points(run, banknotes):
    bending = inside.bending_frame(run, banknotes, [0, 6])
    final = bending[bending.epoch == 6][[inside.B1, inside.B2]].to_numpy()
    # the feature model of the trained network, on the grid's points in the data's own units
    plane = inside.input_plane(banknotes, run)
    points = plane.points(inside.grid_lines(plane)[[inside.PC1, inside.PC2]].to_numpy())
    in_units = points * run.scaler_scale + run.scaler_mean
    np.testing.assert_allclose(final, run.bottleneck_activations(in_units), atol=1e-5)
    start = bending[bending.epoch == 0][[inside.B1, inside.B2]].to_numpy()
    assert not np.allclose(start, final)  # the grid bends as training goes


def test_the_grid_is_a_regular_grid_of_the_input_plane(run, banknotes):
    plane = inside.input_plane(banknotes, run)
    grid = inside.grid_lines(plane, lines=5, steps=11)
    assert grid["line"].nunique() == 10 and len(grid) == 110
    points = plane.points(grid[[inside.PC1, inside.PC2]].to_numpy())
    np.testing.assert_allclose(plane.coordinates(points), grid[[inside.PC1, inside.PC2]], atol=1e-9)
    assert abs(float(plane.components[0] @ plane.components[1])) < 1e-9  # two orthogonal directions


def test_the_views_carry_every_epoch_and_follow_the_players_epoch(run, banknotes):
    spec = player(run, banknotes)
    [epoch] = [p for p in spec["params"] if p["name"] == "epoch"]
    assert epoch["bind"]["input"] == "range" and epoch["value"] == run.config.epochs  # one slider for all
    columns = {c for frame in spec["datasets"].values() for c in frame.columns}
    assert {f"level@{e}" for e in range(7)} <= columns  # every node picture, every epoch
    assert {f"{inside.B1}@{e}" for e in range(7)} <= columns  # every bent grid, every epoch
    views = json.dumps(spec["vconcat"][1:])
    assert "datum['level@' + epoch]" in views and f"datum['{inside.B1}@' + epoch]" in views
    assert '"name": "epoch"' not in views  # the views define no epoch of their own


def test_clicking_a_picture_picks_its_node_and_its_weights_stand_out(run, banknotes):
    spec = player(run, banknotes)
    [pick] = [p for p in spec["params"] if p["name"] == inside_charts.PICK]
    assert pick["select"]["fields"] == ["node_id"] and pick["select"]["on"] == "click"
    layers = spec["vconcat"][1]["layer"]
    [frames] = [layer for layer in layers if layer.get("name") in pick["views"]]
    assert frames["mark"]["type"] == "rect" and "places" in frames["data"]["name"]  # the pictures
    picked = [
        layer
        for layer in layers
        if {"filter": {"param": inside_charts.PICK, "empty": False}} in layer.get("transform", [])
    ]
    assert {layer["mark"]["type"] for layer in picked} == {"rule", "rect"}  # its weights, its ring
    links = network(spec, "links")
    drawn = links[links["end"] == "from"]
    assert len(links) == 2 * len(drawn)  # each weight under both its nodes, drawn once
    assert len(drawn) == 4 * 3 + 3 * 2 + 2 * 1
    assert set(links[links["node_id"] == "hidden_1 · node 3"]["end"]) == {"from", "to"}


def test_a_phones_network_runs_top_to_bottom_and_fits_its_column(run, banknotes):
    phone = inside_charts.epoch_player(run, banknotes, ("nodes",))(LAYOUTS["player"][-1])
    view = phone["vconcat"][-1]
    assert view["width"] <= 358 - 16  # the column of a 390 px phone
    places = network(phone, "places")
    assert places.groupby("x")["cy"].first().is_monotonic_increasing  # layers top to bottom
    assert (places["right"] <= view["width"]).all() and (places["left"] >= 0).all()


def node_pictures_view(at) -> dict:
    """The node pictures' view drawn on the page (the one spec with the node selection), with the
    frames Streamlit ships beside it (as Arrow)."""
    [chart] = [c for c in at.get("vega_lite_chart") if f'"{inside_charts.PICK}"' in c.proto.spec]
    spec = json.loads(chart.proto.spec)
    spec["datasets"] = {d.name: frame_of(d.data.data) for d in chart.proto.datasets}
    return spec


@pytest.mark.parametrize(
    "band", [None, LAPTOP_BAND, 0], ids=["before the width is told", "a laptop", "a phone"]
)
def test_a_link_opens_the_inner_layer_page_with_the_pictures_in_the_network(band):
    told = None if band is None else {"band": band}
    at = app_test(
        "app_pages/inner_layer.py", {"epochs": "5", "node_pictures": "true"}, {state.CHART_WIDTH: told}
    )
    assert_no_exception(at)
    assert any(
        "Each small picture is **one hidden node**, drawn where the node sits" in m.value for m in at.markdown
    )
    if band is None:  # like every responsive chart: not built until the browser tells its width
        assert not [c for c in at.get("vega_lite_chart") if f'"{inside_charts.PICK}"' in c.proto.spec]
        assert UNTOLD in [c.value for c in at.caption]
        return
    spec = node_pictures_view(at)
    places = spec["datasets"]["places"]
    assert sorted(places["node_id"]) == sorted(
        [f"hidden_1 · node {k}" for k in (1, 2, 3)] + [f"bottleneck · node {k}" for k in (1, 2)]
    )
    [epoch] = [p for p in spec["params"] if p["name"] == "epoch"]
    assert epoch["bind"]["input"] == "range" and epoch["bind"]["max"] == 5
    if band == LAPTOP_BAND:  # the widest layout: left to right, laptop-sized pictures
        assert (places["span"] >= 96).all() and places.groupby("x")["cx"].nunique().eq(1).all()
    else:  # a phone's: top to bottom, within its column
        assert places.groupby("x")["cy"].nunique().eq(1).all() and spec["width"] <= 358 - 16


def test_an_uploaded_csvs_long_names_are_cut_to_their_room():
    rng = np.random.default_rng(0)
    kinds = np.array(["a very long class name for the first kind of thing", "second", "third kind"])
    rows = kinds[np.arange(90) % 3]
    frame = pd.DataFrame(
        {
            "an extremely long feature name that would run into the pictures": rng.normal(size=90)
            + (rows == "second") * 2.5,
            "width": rng.normal(size=90) + (rows == "third kind") * 2.5,
            "kind": rows,
        }
    )
    at = upload(first_run(data="upload"), "things.csv", frame.to_csv(index=False).encode())
    at.switch_page("app_pages/inner_layer.py").run()
    at.sidebar.slider(key="epochs").set_value(3).run()
    at.main.toggle(key="node_pictures").set_value(True).run()
    assert_no_exception(at)
    spec = node_pictures_view(at)
    assert set(kinds) <= set(spec["datasets"]["circles"]["text"])  # every output named
    names = [layer for layer in spec["layer"] if "datum.side ==" in json.dumps(layer.get("transform"))]
    assert len(names) == 2 and all(0 < layer["mark"]["limit"] <= inside_charts.NAME_ROOM for layer in names)
