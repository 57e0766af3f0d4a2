"""The charts of what the bottleneck learned: fixed extents, panels, curves, tables, the network."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from lib.charts import inner_layer as rc
from lib.charts import plane
from lib.charts.common import vega_lite
from lib.charts.layouts import LAYOUTS
from lib.datasets import load_dataset
from lib.training import DEEPER_LESSON, LESSON, WINE_EXERCISE, train


@pytest.fixture(scope="module")
def run(banknotes):
    return train(banknotes, dataclasses.replace(DEEPER_LESSON, epochs=6, seed=1))


@pytest.fixture(scope="module")
def wine_run():
    wine = load_dataset("wine")
    return wine, train(wine, dataclasses.replace(WINE_EXERCISE, epochs=3))


def test_extent_holds_every_snapshot_and_survives_degenerate_input(run):
    x0, x1, y0, y1 = plane.plane_extent(run.snapshots)
    points = run.snapshots.reshape(-1, 2)
    assert x0 < points[:, 0].min() and points[:, 0].max() < x1
    assert y0 < points[:, 1].min() and points[:, 1].max() < y1
    assert plane.plane_extent(np.zeros((3, 5, 2))) == pytest.approx((-0.05, 0.05, -0.05, 0.05))
    assert plane.plane_extent(np.full((2, 4, 2), np.nan)) == (-1.0, 1.0, -1.0, 1.0)


def test_the_grid_shows_the_lessons_epochs_1_to_25_and_otherwise_even_steps_to_the_last():
    assert rc.chosen_epochs(25) == list(range(1, 26))  # the lesson's 5 × 5 grid, epoch 13 included
    assert rc.chosen_epochs(3) == [1, 2, 3]
    assert rc.chosen_epochs(50) == list(range(2, 51, 2))
    assert rc.chosen_epochs(200) == list(range(8, 201, 8))
    for n in (1, 7, 26, 30, 61, 199):
        epochs = rc.chosen_epochs(n)
        assert epochs[-1] == n and 0 not in epochs and len(epochs) <= 25
        assert len({b - a for a, b in zip(epochs, epochs[1:])}) <= 1  # one step size
    assert rc.chosen_epochs(26)[:3] == [2, 4, 6]  # 13 panels, not 25 with uneven steps


def test_evolution_has_one_titled_panel_per_epoch_on_shared_axes(run):
    epochs = [0, 3, 6]
    spec = rc.evolution_parts(run, epochs, plane.plane_extent(run.snapshots)).chart().to_dict()
    assert spec["facet"]["sort"] == {"field": "epoch", "op": "min"}  # panels in the order of epochs
    assert spec["columns"] == 5
    data = spec["datasets"][spec["data"]["name"]]
    titles = {row["epoch"]: row["panel"] for row in data}
    assert titles == {e: f"Epoch {e} · test acc {run.snapshot_accuracy[e]:.1%}" for e in epochs}
    assert sum(row["layer"] == "points" for row in data) == 3 * 412


@pytest.fixture(scope="module")
def lesson_run(banknotes):
    return train(banknotes, DEEPER_LESSON)


def panels_of(spec: dict) -> pd.DataFrame:
    return spec["datasets"]["panels"].query("layer == 'points'")


def test_the_lessons_grid_titles_each_epoch_as_the_player_and_draws_its_errors(lesson_run):
    """Each panel's title is the player's test accuracy at that epoch, to one decimal, and the
    panel draws every test row, so its crosses are the rows that accuracy counts wrong."""
    run = lesson_run
    epochs = rc.chosen_epochs(DEEPER_LESSON.epochs)
    spec = rc.evolution_parts(run, epochs, plane.plane_extent(run.snapshots)).spec()
    points = panels_of(spec)
    for epoch, panel in points.groupby("epoch", observed=True):
        assert set(panel["panel"]) == {f"Epoch {epoch} · test acc {run.snapshot_accuracy[epoch]:.1%}"}
        assert len(panel) == len(run.y_test) == 412
        wrong = (panel["outcome"] == "misclassified").sum()
        assert wrong == round((1 - run.snapshot_accuracy[epoch]) * 412), epoch
    assert "title" not in spec  # nothing left out, nothing to say


def test_a_grid_that_draws_a_sample_of_the_rows_says_so(lesson_run, monkeypatch):
    run = lesson_run
    monkeypatch.setattr(rc, "GRID_POINTS", 5000)
    epochs = rc.chosen_epochs(DEEPER_LESSON.epochs)
    spec = rc.evolution_parts(run, epochs, plane.plane_extent(run.snapshots)).spec()
    drawn = panels_of(spec).groupby("epoch", observed=True).size()
    assert set(drawn) == {198}
    note = " ".join(spec["title"]["text"])
    assert "the same 198 of the 412 test rows" in note and "counts them all" in note


def test_confusion_matrix_counts_every_test_row(run):
    frame = rc.confusion_frame(run, 6)
    assert frame["rows"].sum() == 412
    right = frame.loc[frame["true class"] == frame["predicted class"], "rows"].sum()
    assert right / 412 == pytest.approx(run.snapshot_accuracy[6], abs=1e-6)


def test_curves_have_three_splits_of_two_metrics(run):
    frame = rc.curves_frame(run.history)
    assert len(frame) == 3 * 2 * 6
    assert set(frame["split"]) == {"training", "validation", "test"}
    test_acc = frame.query("split == 'test' and metric == 'accuracy'")["value"].to_numpy()
    np.testing.assert_allclose(test_acc, run.snapshot_accuracy[1:])
    assert len(rc.curves_parts(run.history).chart().to_dict()["concat"]) == 2


def test_layer_table_counts_parameters_like_keras():
    lesson = rc.layer_table(LESSON, 4, 2)
    assert lesson["parameters"].tolist() == [0, 10, 3] and lesson["parameters"].sum() == 13
    assert lesson["output shape"].tolist() == ["(None, 4)", "(None, 2)", "(None, 1)"]
    deeper = rc.layer_table(DEEPER_LESSON, 4, 2)
    assert deeper["layer"].tolist() == ["input", "hidden_1", "bottleneck", "output"]
    assert deeper["parameters"].sum() == 26
    assert rc.layer_table(WINE_EXERCISE, 13, 3)["parameters"].sum() == 112 + 45 + 12 + 9


def test_architecture_draws_every_weight_of_small_layers_and_caps_wide_ones(run, banknotes):
    spec = rc.architecture_parts(run).chart().to_dict()
    links = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert len(links) == 4 * 3 + 3 * 2 + 2 * 1
    assert links[0]["weight"] == pytest.approx(run.weights[0][0, 0], abs=1e-3)
    wide = train(banknotes, dataclasses.replace(LESSON, hidden=(32,), epochs=1))
    spec = rc.architecture_parts(wide).chart().to_dict()
    nodes = spec["datasets"][spec["layer"][1]["data"]["name"]]
    assert sum(node["layer"] == "hidden_1" for node in nodes) == 10
    labels = spec["datasets"][spec["layer"][2]["data"]["name"]]
    assert "hidden_1: 32 (10 shown)" in [label["text"] for label in labels]


def test_the_diagram_puts_each_layers_size_under_its_name_on_a_phone(run):
    """At a phone's width the layers' labels ("hidden_1: 3", "bottleneck: 2") would run into each
    other on one line; every layout of the diagram shares one set of frames."""
    wide, narrow = LAYOUTS["model"]
    for_layout = rc.architecture_layouts(run)
    specs = {layout.size: for_layout(layout).spec() for layout in (wide, narrow)}
    assert specs[wide.size]["datasets"]["labels"] is specs[narrow.size]["datasets"]["labels"]
    breaks = {
        size: [layer["mark"].get("lineBreak") for layer in spec["layer"]] for size, spec in specs.items()
    }
    assert breaks[narrow.size][2] == ": " and not any(breaks[wide.size])
    assert [specs[size]["width"] for size in (wide.size, narrow.size)] == [wide.size, narrow.size]


def input_names(spec: dict) -> list[list[str]]:
    return [
        list(spec["datasets"][layer["data"]["name"]]["feature"])
        for layer in spec["layer"]
        if layer["encoding"].get("text", {}).get("field") == "feature"
    ]


def test_input_nodes_carry_the_feature_names(banknotes):
    run = train(banknotes, dataclasses.replace(DEEPER_LESSON, epochs=1))
    spec = vega_lite(rc.architecture_parts(run, feature_names=banknotes.feature_names).chart())
    assert input_names(spec) == [list(banknotes.feature_names)]
    digits = load_dataset("digits")
    wide = train(digits, dataclasses.replace(DEEPER_LESSON, epochs=1))
    spec = vega_lite(rc.architecture_parts(wide, feature_names=digits.feature_names).chart())
    assert input_names(spec) == [list(digits.feature_names[:10])]  # one per drawn node


def test_a_charts_layouts_share_its_frames_and_take_each_layouts_size(run):
    wide, narrow = LAYOUTS["curves"]
    for_layout = rc.curves_layouts(run.history)
    specs = [for_layout(layout).spec() for layout in (wide, narrow)]
    assert specs[0]["datasets"]["curves"] is specs[1]["datasets"]["curves"]  # built once
    assert [(s["columns"], s["concat"][0]["width"]) for s in specs] == [(2, wide.size), (1, narrow.size)]
    alone = rc.curves_parts(run.history, narrow.size, narrow.columns).spec()  # the same chart
    assert {k: v for k, v in specs[1].items() if k != "datasets"} == {
        k: v for k, v in alone.items() if k != "datasets"
    }
    pd.testing.assert_frame_equal(specs[1]["datasets"]["curves"], alone["datasets"]["curves"])
