"""Inside the network: every hidden node's picture per epoch, and the input plane's grid bent by it."""

import json
from dataclasses import replace

import numpy as np
import pytest

from lib import inside
from lib.charts import inside as inside_charts
from lib.charts.layouts import widest
from lib.training import DEEPER_LESSON, train


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


def test_a_dead_node_is_labelled(dead_run, banknotes):
    frame = inside.node_frame(dead_run, banknotes, [dead_run.config.epochs])
    status = frame.drop_duplicates("node_id").set_index("node_id")["status"]
    assert status["bottleneck · node 1"] == "dead"
    assert status["bottleneck · node 2"] == ""
    spec = player(dead_run, banknotes)
    labels = [
        r
        for rows in spec["datasets"].values()
        if "kind" in rows
        for r in rows.to_dict("records")
        if r["kind"] == "label" and r["epoch"] == dead_run.config.epochs
    ]
    assert [r["node_id"] for r in labels] == ["bottleneck · node 1"]


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


def test_clicking_a_node_picks_it_in_the_pictures_and_the_diagram(run, banknotes):
    spec = player(run, banknotes)
    [pick] = [p for p in spec["params"] if p["name"] == inside_charts.PICK]
    assert pick["select"]["fields"] == ["node_id"]
    nodes = spec["vconcat"][1]
    diagram_dots = nodes["vconcat"][0]["layer"][1]
    picture_dots = nodes["vconcat"][1]["spec"]["layer"][0]
    assert {diagram_dots["name"], picture_dots["name"]} <= set(pick["views"])  # one selection, two views
    diagram_ids = {
        r["node_id"]
        for frame in spec["datasets"].values()
        if "kind" in frame and "x" in frame
        for r in frame.to_dict("records")
        if r["kind"] != "label"
    }
    assert {"hidden_1 · node 3", "bottleneck · node 2"} <= diagram_ids
