"""The epoch player's spec: every epoch inside, the epoch a parameter bound to a slider and to
Play, and the title, accuracy, matrix and regions all following that one parameter."""

import dataclasses
import json
import re

import altair as alt
import numpy as np
import pandas as pd
import pytest

from lib.charts import plane, player
from lib.charts.inner_layer import confusion_frame
from lib.datasets import load_dataset
from lib.exports import chart_file
from lib.training import DEEPER_LESSON, WINE_EXERCISE, train


@pytest.fixture(scope="module")
def run(banknotes):
    return train(banknotes, dataclasses.replace(DEEPER_LESSON, epochs=6, seed=1))


@pytest.fixture(scope="module")
def spec(run, banknotes):
    return player.player_spec(run, banknotes, plane.plane_extent(run.snapshots))


@pytest.fixture(scope="module")
def wine_run():
    wine = load_dataset("wine")
    return wine, train(wine, dataclasses.replace(WINE_EXERCISE, epochs=3))


def params(spec) -> dict:
    return {p["name"]: p for p in spec["params"]}


def test_every_epochs_points_and_matrix_are_in_the_spec(run, spec):
    points, confusion = spec["datasets"]["points"], spec["datasets"]["confusion"]
    assert len(points) == len(run.y_test)  # banknotes: every test row, at every epoch
    for epoch in range(7):
        np.testing.assert_allclose(points[f"x@{epoch}"], run.snapshots[epoch][:, 0], rtol=1e-6)
        np.testing.assert_allclose(points[f"y@{epoch}"], run.snapshots[epoch][:, 1], rtol=1e-6)
        assert list(confusion[f"n@{epoch}"]) == list(confusion_frame(run, epoch)["rows"])
        right = (points[f"c@{epoch}"] == points["truth"]).mean()
        assert right == pytest.approx(run.snapshot_accuracy[epoch])
    assert "x7" not in points
    assert params(spec)["accuracy"]["value"] == pytest.approx(list(run.snapshot_accuracy), abs=1e-6)


def test_the_epoch_is_a_parameter_bound_to_a_slider_and_stepped_by_play(spec):
    epoch, playing = params(spec)["epoch"], params(spec)["playing"]
    assert epoch["value"] == 6  # opens at the trained network
    assert {k: epoch["bind"][k] for k in ("input", "min", "max", "step")} == {
        "input": "range",
        "min": 0,
        "max": 6,
        "step": 1,
    }
    assert playing["bind"]["input"] == "checkbox" and playing["value"] is False
    [tick] = epoch["on"]
    assert re.fullmatch(r"timer\{\d+\}", tick["events"]) and 1000 / int(tick["events"][6:-1]) >= 10
    assert tick["update"] == "playing ? (epoch >= 6 ? 0 : epoch + 1) : epoch"  # the last epoch wraps to 0
    [stop] = playing["on"]
    assert stop["events"] == {"signal": "epoch"} and stop["update"] == "epoch >= 6 ? false : playing"
    text = json.dumps(spec["vconcat"])
    assert text.count("datum['x@' + epoch]") >= 3  # points, regions, line all read the epoch's columns


def test_title_accuracy_and_matrix_name_the_slider_epoch(run, spec):
    [plane_view, side] = spec["vconcat"][0]["hconcat"]
    assert plane_view["title"]["text"] == {"expr": player.TITLE_EXPR}
    at_3 = json.loads(json.dumps({k: v for k, v in spec.items() if k != "datasets"}))
    at_3["datasets"] = spec["datasets"]
    next(p for p in at_3["params"] if p["name"] == "epoch")["value"] = 3
    svg = chart_file(at_3, "svg").decode()  # Vega's own drawing, the browser's code
    texts = re.findall(r">([^<>]+)</text>", svg)
    assert f"Epoch 3 · test accuracy {run.snapshot_accuracy[3]:.1%}" in texts
    assert "Test accuracy after epoch 3" in texts and f"{run.snapshot_accuracy[3]:.1%}" in texts
    counts = [str(n) for n in confusion_frame(run, 3)["rows"]]
    assert all(c in texts for c in counts)
    assert not any(t.startswith("Epoch 6") for t in texts)


def test_binary_bands_tile_the_plane_and_hold_their_probabilities(run):
    extent = plane.plane_extent(run.snapshots)
    w, b = run.head[3]
    bands = player.region_polygons(w, b, extent)
    area = sum(abs(_area(np.array(p))) for p in bands.values())
    x0, x1, y0, y1 = extent
    assert area == pytest.approx((x1 - x0) * (y1 - y0), rel=1e-9)
    for i, polygon in bands.items():
        centre = np.mean(polygon, axis=0)
        p = 1 / (1 + np.exp(-(centre @ w[:, 0] + b[0])))
        assert i / player.BANDS - 1e-9 <= p <= (i + 1) / player.BANDS + 1e-9


def test_softmax_regions_are_where_each_class_wins(wine_run):
    wine, run = wine_run
    extent = plane.plane_extent(run.snapshots)
    w, b = run.head[-1]
    regions = player.region_polygons(w, b, extent)
    x0, x1, y0, y1 = extent
    assert sum(abs(_area(np.array(p))) for p in regions.values()) == pytest.approx((x1 - x0) * (y1 - y0))
    for k, polygon in regions.items():
        assert int(np.argmax(np.mean(polygon, axis=0) @ w + b)) == k


def test_a_multiclass_player_keeps_its_legend_tooltips_and_classes(wine_run):
    wine, run = wine_run
    spec = player.player_spec(run, wine, plane.plane_extent(run.snapshots))
    assert params(spec)["classes"]["value"] == list(run.class_names)
    dots = spec["vconcat"][0]["hconcat"][0]["layer"][1]["encoding"]
    assert dots["color"]["legend"]["title"] == "True class"
    assert dots["color"]["scale"]["domain"] == list(run.class_names)
    assert dots["shape"]["legend"]["title"] == "Prediction"
    titles = [t.get("title", t["field"]) for t in dots["tooltip"]]
    assert titles[:3] == ["true class", "predicted", "P(predicted class)"]
    assert list(wine.feature_names[:2]) == titles[3:5]
    assert "lines" not in spec["datasets"]  # no single decision line with softmax


def test_another_chart_can_follow_the_same_epoch(run, banknotes):
    frame = pd.DataFrame({"epoch": range(7), "loss": run.history["loss"].reindex(range(7)).fillna(1.0)})
    follower = player.at_epoch(alt.Chart(frame).mark_bar().encode(y="loss:Q"))
    spec = player.player_spec(run, banknotes, plane.plane_extent(run.snapshots), more=[follower])
    [top, added] = spec["vconcat"]
    assert "hconcat" in top and {"filter": "datum.epoch == epoch"} in added["transform"]
    assert [p["name"] for p in spec["params"]].count("epoch") == 1
    assert any(len(frame) == len(data) for name, data in spec["datasets"].items() if name.startswith("data-"))


def test_a_long_run_of_many_rows_is_sampled_to_keep_the_spec_small():
    rows = player.frame_rows(5000, 201)
    assert len(rows) * 201 <= player.MAX_FRAME_ROWS and len(rows) == len(set(rows))
    assert list(player.frame_rows(412, 26)) == list(range(412))


def _area(polygon: np.ndarray) -> float:
    x, y = polygon[:, 0], polygon[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
