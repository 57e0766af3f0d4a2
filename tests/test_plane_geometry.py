"""The bottleneck plane's geometry: predictions, the output layer's straight decision line and its
exact, straight-edged regions (a band of probability per sigmoid, a polygon per softmax class)."""

import dataclasses

import numpy as np
import pytest

from lib.charts.plane import plane_extent
from lib.datasets import load_dataset
from lib.plane_geometry import (
    boundary_ends,
    class_regions,
    confusion_counts,
    output_line,
    predictions,
    region_polygons,
)
from lib.training import DEEPER_LESSON, WINE_EXERCISE, train

BANDS = 20


@pytest.fixture(scope="module")
def run(banknotes):
    return train(banknotes, dataclasses.replace(DEEPER_LESSON, epochs=6, seed=1))


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


def test_the_boundary_is_the_line_clipped_to_the_box():
    box = (-1.0, 1.0, -1.0, 1.0)
    assert boundary_ends(np.array([1.0, -1.0]), 0.0, box) == [(-1.0, -1.0), (1.0, 1.0)]  # the diagonal
    assert boundary_ends(np.array([0.0, 2.0]), -1.0, box) == [(-1.0, 0.5), (1.0, 0.5)]  # h2 = 0.5
    assert boundary_ends(np.array([1.0, 1.0]), 5.0, box) == []  # misses the box


def test_the_output_line_is_where_the_sigmoid_says_one_half(run):
    w, b = output_line(run, 3)
    ends = np.array(boundary_ends(w, b, plane_extent(run.snapshots)))
    assert len(ends) == 2
    np.testing.assert_allclose(run.probabilities(3, points=ends)[:, 1], 0.5, atol=1e-6)


def test_predictions_and_the_confusion_counts_agree_with_the_accuracy(run):
    predicted, probabilities = predictions(run, 6)
    assert (predicted == probabilities.argmax(axis=1)).all() and len(predicted) == 412
    counts = confusion_counts(run, 6)
    assert counts.sum() == 412 and (counts.sum(axis=1) == np.bincount(run.y_test, minlength=2)).all()
    assert np.trace(counts) / 412 == pytest.approx(run.snapshot_accuracy[6], abs=1e-6)


def test_binary_bands_tile_the_plane_and_hold_their_probabilities(run):
    extent = plane_extent(run.snapshots)
    w, b = run.head[3]
    bands = region_polygons(w, b, extent, BANDS)
    x0, x1, y0, y1 = extent
    assert sum(area(np.array(p)) for p in bands.values()) == pytest.approx((x1 - x0) * (y1 - y0), rel=1e-9)
    for i, polygon in bands.items():
        centre = np.mean(polygon, axis=0)
        p = 1 / (1 + np.exp(-(centre @ w[:, 0] + b[0])))
        assert i / BANDS - 1e-9 <= p <= (i + 1) / BANDS + 1e-9
        assert (centre @ w[:, 0] + b[0] > 0) == (i >= BANDS // 2)  # the shading agrees with the line


def test_softmax_regions_are_where_each_class_wins(wine_run):
    _, run = wine_run
    extent = plane_extent(run.snapshots)
    w, b = run.head[-1]
    regions = region_polygons(w, b, extent, BANDS)
    x0, x1, y0, y1 = extent
    assert sum(area(np.array(p)) for p in regions.values()) == pytest.approx((x1 - x0) * (y1 - y0))
    for k, polygon in regions.items():
        assert int(np.argmax(np.mean(polygon, axis=0) @ w + b)) == k


def test_each_point_of_the_plane_lies_in_the_region_of_the_class_the_network_predicts(wine_run):
    _, run = wine_run
    extent = plane_extent(run.snapshots)
    polygons = class_regions(*run.head[-1], extent)
    x0, x1, y0, y1 = extent
    points = np.random.default_rng(0).uniform([x0, y0], [x1, y1], size=(2000, 2))
    predicted = run.probabilities(-1, points=points).argmax(axis=1)
    for k, polygon in enumerate(polygons):
        if len(polygon):
            assert (predicted[inside(polygon, points)] == k).all()
    assert sum(area(p) for p in polygons if len(p)) == pytest.approx((x1 - x0) * (y1 - y0))


def test_regions_of_hand_made_logits_have_their_corners_where_the_logits_tie():
    W = np.array([[1.0, -1.0, 0.0], [0.0, 0.0, 1.0]])  # z0 = x, z1 = -x, z2 = y
    polygons = class_regions(W, np.zeros(3), (-2, 2, -2, 2))
    assert area(polygons[0]) + area(polygons[1]) + area(polygons[2]) == pytest.approx(16)
    assert {tuple(np.round(v, 6)) for v in polygons[2]} == {(0, 0), (2, 2), (-2, 2)}  # y above |x|
    assert len(class_regions(W, np.array([0, 0, -100.0]), (-2, 2, -2, 2))[2]) == 0  # never wins
