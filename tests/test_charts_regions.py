"""The network diagram's input names and the exact, straight-edged decision regions of a softmax."""

import dataclasses

import numpy as np
import pytest

from lib.charts import inner_layer as rc
from lib.charts import plane, regions
from lib.charts.common import vega_lite
from lib.datasets import load_dataset
from lib.training import DEEPER_LESSON, WINE_EXERCISE, train


@pytest.fixture(scope="module")
def wine_run():
    wine = load_dataset("wine")
    return wine, train(wine, dataclasses.replace(WINE_EXERCISE, epochs=4))


def inside(polygon: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Which points lie in a convex polygon (vertices in order, either orientation)."""
    edges = np.roll(polygon, -1, axis=0) - polygon
    cross = edges[:, 0][None] * (points[:, 1][:, None] - polygon[:, 1][None]) - edges[:, 1][None] * (
        points[:, 0][:, None] - polygon[:, 0][None]
    )
    return (cross >= -1e-9).all(axis=1) | (cross <= 1e-9).all(axis=1)


def area(polygon: np.ndarray) -> float:
    x, y = polygon[:, 0], polygon[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def test_each_point_of_the_plane_lies_in_the_region_of_the_class_the_network_predicts(wine_run):
    _, run = wine_run
    extent = plane.plane_extent(run.snapshots)
    polygons = regions.class_regions(*run.head[-1], extent)
    x0, x1, y0, y1 = extent
    points = np.random.default_rng(0).uniform([x0, y0], [x1, y1], size=(2000, 2))
    predicted = run.probabilities(-1, points=points).argmax(axis=1)
    for k, polygon in enumerate(polygons):
        if len(polygon):
            assert (predicted[inside(polygon, points)] == k).all()
    assert sum(area(p) for p in polygons if len(p)) == pytest.approx((x1 - x0) * (y1 - y0))


def test_regions_of_hand_made_logits_have_their_corners_where_the_logits_tie():
    W = np.array([[1.0, -1.0, 0.0], [0.0, 0.0, 1.0]])  # z0 = x, z1 = -x, z2 = y
    polygons = regions.class_regions(W, np.zeros(3), (-2, 2, -2, 2))
    assert area(polygons[0]) + area(polygons[1]) + area(polygons[2]) == pytest.approx(16)
    assert {tuple(np.round(v, 6)) for v in polygons[2]} == {(0, 0), (2, 2), (-2, 2)}  # y above |x|
    assert len(regions.class_regions(W, np.array([0, 0, -100.0]), (-2, 2, -2, 2))[2]) == 0  # never wins


def test_the_area_mark_fills_exactly_the_polygon():
    triangle = np.array([[0.0, 0.0], [4.0, 1.0], [1.0, 3.0]])
    spans = regions.vertical_spans(triangle)
    filled = np.trapezoid(spans["high"] - spans["low"], spans["x"])
    assert filled == pytest.approx(area(triangle))


def test_the_multiclass_plane_draws_one_straight_edged_region_per_class(wine_run):
    wine, run = wine_run
    spec = rc.representation_parts(run, wine, -1, plane.plane_extent(run.snapshots)).spec()
    background = spec["layer"][0]
    assert background["mark"]["type"] == "area"
    rows = spec["datasets"][background["data"]["name"]]
    assert set(rows["class"]) <= set(wine.class_names)
    assert len(rows) <= 3 * 2 * 3  # a few corners per class, not 1,600 grid cells


def input_names(spec: dict) -> list[list[str]]:
    return [
        list(spec["datasets"][layer["data"]["name"]]["feature"])
        for layer in spec["layer"]
        if layer["encoding"].get("text", {}).get("field") == "feature"
    ]


def test_input_nodes_carry_the_feature_names(banknotes):
    run = train(banknotes, dataclasses.replace(DEEPER_LESSON, epochs=1))
    spec = vega_lite(rc.architecture_chart(run, feature_names=banknotes.feature_names))
    assert input_names(spec) == [list(banknotes.feature_names)]
    digits = load_dataset("digits")
    wide = train(digits, dataclasses.replace(DEEPER_LESSON, epochs=1))
    spec = vega_lite(rc.architecture_chart(wide, feature_names=digits.feature_names))
    assert input_names(spec) == [list(digits.feature_names[:10])]  # one per drawn node
