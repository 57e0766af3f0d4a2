"""The bottleneck-plane charts: fixed extents, boundaries, tooltips, panels, tables."""

import dataclasses

import numpy as np
import pytest

from lib.charts import inner_layer as rc
from lib.charts import plane
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


def test_boundary_segment_is_the_line_clipped_to_the_box():
    box = (-1.0, 1.0, -1.0, 1.0)
    diagonal = rc.boundary_segment(np.array([1.0, -1.0]), 0.0, box)
    assert diagonal[[rc.H1, rc.H2]].to_numpy().tolist() == [[-1.0, -1.0], [1.0, 1.0]]
    flat = rc.boundary_segment(np.array([0.0, 2.0]), -1.0, box)  # h2 = 0.5
    assert flat[rc.H2].tolist() == [0.5, 0.5] and flat[rc.H1].tolist() == [-1.0, 1.0]
    assert rc.boundary_segment(np.array([1.0, 1.0]), 5.0, box).empty  # misses the box


def test_points_carry_original_features_classes_and_probability(run, banknotes):
    frame = rc.plane_frame(run, banknotes, epoch=6)
    assert len(frame) == len(run.y_test) == 412
    assert list(frame.columns[-4:]) == ["variance", "skewness", "kurtosis", "entropy"]
    np.testing.assert_allclose(frame["variance"], banknotes.X[run.test_index, 0], atol=1e-3)
    np.testing.assert_allclose(frame["P(forged)"], run.probabilities(6)[:, 1], atol=1e-3)
    wrong = (frame["outcome"] == "misclassified").mean()
    assert wrong == pytest.approx(1 - run.snapshot_accuracy[6], abs=1e-6)
    assert set(frame["class"]) == {"genuine", "forged"}


def test_shading_agrees_with_the_boundary(run):
    extent = plane.plane_extent(run.snapshots)
    grid = rc.probability_grid(run, 6, extent, cells=20)
    assert len(grid) == 400 and grid["p"].between(0, 1).all()
    w, b = run.head[6]
    centre = np.column_stack([(grid.x + grid.x2) / 2, (grid.y + grid.y2) / 2])
    assert ((centre @ w[:, 0] + b[0] > 0) == (grid["p"] > 0.5)).all()


def test_representation_chart_for_a_sigmoid_output(run, banknotes):
    extent = plane.plane_extent(run.snapshots)
    spec = rc.representation_parts(run, banknotes, 3, extent).chart().to_dict()
    assert spec["title"] == f"Epoch 3 · test accuracy {run.snapshot_accuracy[3]:.1%}"
    kinds = [layer["mark"]["type"] for layer in spec["layer"]]
    assert kinds == ["rect", "point", "line"]  # shading, test rows, decision boundary
    dots = spec["layer"][1]["encoding"]
    assert dots["x"]["scale"]["domain"] == list(extent[:2])
    assert {"variance", "entropy", "class", "P(forged)"} <= {t["field"] for t in dots["tooltip"]}
    assert (
        rc.representation_parts(run, banknotes, -1, extent).chart().to_dict()["title"].startswith("Epoch 6 ")
    )


def test_softmax_shades_predicted_classes_without_a_single_line(wine_run):
    wine, run = wine_run
    spec = rc.representation_parts(run, wine, -1, plane.plane_extent(run.snapshots)).chart().to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["area", "point"]
    assert spec["layer"][0]["encoding"]["color"]["field"] == "class"
    assert len(rc.confusion_frame(run, -1)) == 9


def test_evolution_has_one_titled_panel_per_epoch_on_shared_axes(run):
    epochs = [0, 3, 6]
    spec = rc.evolution_parts(run, epochs, plane.plane_extent(run.snapshots)).chart().to_dict()
    assert spec["facet"]["sort"] == {"field": "epoch", "op": "min"}  # panels in the order of epochs
    assert spec["columns"] == 5
    data = spec["datasets"][spec["data"]["name"]]
    titles = {row["epoch"]: row["panel"] for row in data}
    assert titles == {e: f"Epoch {e} · test acc {run.snapshot_accuracy[e]:.0%}" for e in epochs}
    assert sum(row["layer"] == "points" for row in data) == 3 * 412


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
    assert len(rc.curves_chart(run.history).to_dict()["concat"]) == 2


def test_layer_table_counts_parameters_like_keras():
    lesson = rc.layer_table(LESSON, 4, 2)
    assert lesson["parameters"].tolist() == [0, 10, 3] and lesson["parameters"].sum() == 13
    assert lesson["output shape"].tolist() == ["(None, 4)", "(None, 2)", "(None, 1)"]
    deeper = rc.layer_table(DEEPER_LESSON, 4, 2)
    assert deeper["layer"].tolist() == ["input", "hidden_1", "bottleneck", "output"]
    assert deeper["parameters"].sum() == 26
    assert rc.layer_table(WINE_EXERCISE, 13, 3)["parameters"].sum() == 112 + 45 + 12 + 9


def test_architecture_draws_every_weight_of_small_layers_and_caps_wide_ones(run, banknotes):
    spec = rc.architecture_chart(run).to_dict()
    links = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert len(links) == 4 * 3 + 3 * 2 + 2 * 1
    assert links[0]["weight"] == pytest.approx(run.weights[0][0, 0], abs=1e-3)
    wide = train(banknotes, dataclasses.replace(LESSON, hidden=(32,), epochs=1))
    spec = rc.architecture_chart(wide).to_dict()
    nodes = spec["datasets"][spec["layer"][1]["data"]["name"]]
    assert sum(node["layer"] == "hidden_1" for node in nodes) == 10
    labels = spec["datasets"][spec["layer"][2]["data"]["name"]]
    assert "hidden_1: 32 (10 shown)" in [label["text"] for label in labels]


def test_cached_spec_keeps_every_row_and_the_charts_own_size(run, banknotes):
    from lib.charts.common import vega_lite

    chart = rc.representation_parts(run, banknotes, 3, plane.plane_extent(run.snapshots), size=333).chart()
    spec = vega_lite(chart)
    sizes = sorted(len(frame) for frame in spec["datasets"].values())
    assert sizes == [2, len(run.y_test), 40 * 40]  # boundary ends, test rows, background cells
    assert spec["width"] == spec["height"] == 333
    assert "continuousWidth" not in spec.get("config", {}).get("view", {})  # Altair's 300 × 300 default
    points = next(f for f in spec["datasets"].values() if len(f) == len(run.y_test))
    np.testing.assert_allclose(points["node 1"], run.snapshots[3][:, 0], rtol=1e-6)
