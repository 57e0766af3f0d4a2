"""Digits as pictures: a thumbnail per row, beside the table and in every map's tooltip."""

import base64
import io
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from lib.charts import compare, data, gallery, player
from lib.charts.common import frame_of
from lib.charts.inside import epoch_player
from lib.charts.layouts import widest
from lib.datasets import load_dataset
from lib.images import IMAGE_FIELD, SCALE, image_shape, images_for, thumbnails
from lib.neighbours import neighbourhoods
from lib.projections import Embedding
from lib.training import DEEPER_LESSON, train
from testkit.apptest import app_test, assert_no_exception, each_layout


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


def picture(uri: str) -> np.ndarray:
    head, body = uri.split(",", 1)
    assert head == "data:image/png;base64"
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(body))).convert("L"))


def tooltip_titles(spec: dict) -> list[list[str]]:
    found = []
    if "tooltip" in spec.get("encoding", {}):
        found.append([t.get("title", t.get("field")) for t in spec["encoding"]["tooltip"]])
    for key in ("vconcat", "hconcat", "concat", "layer"):
        for child in spec.get(key, []):
            found += tooltip_titles(child)
    return found


def test_only_pixel_rectangles_are_pictures(digits, banknotes):
    assert image_shape(digits.feature_names) == (8, 8)
    assert image_shape(banknotes.feature_names) is None
    assert image_shape(["pixel_0_0", "pixel_0_1", "pixel_1_0"]) is None  # not a full rectangle
    assert thumbnails(banknotes) is None and images_for(banknotes, [0, 1]) is None


def test_each_row_becomes_its_own_sharp_picture(digits):
    images = thumbnails(digits)
    assert len(images) == len(digits.y) and thumbnails(digits) is images  # made once
    row = 5
    shown = picture(images[row])
    assert shown.shape == (8 * SCALE, 8 * SCALE)
    pixels = digits.X[row].reshape(8, 8)
    expected = np.round(255 * (1 - pixels / digits.X.max())).astype(np.uint8)
    np.testing.assert_array_equal(shown[::SCALE, ::SCALE], expected)  # 0 white, 16 black
    assert max(len(uri) for uri in images) < 600  # small enough for a tooltip of every row
    np.testing.assert_array_equal(images_for(digits, [3, 1]), images[[3, 1]])


def test_the_data_pages_maps_show_each_rows_picture(digits, banknotes):
    spec = data.scatter_matrix(digits, ["pixel_3_3", "pixel_4_4"]).spec()
    scatters = [t for t in tooltip_titles(spec) if "pixel_3_3" in t and "density" not in t]
    assert scatters and all(t[0] == IMAGE_FIELD for t in scatters)
    (rows,) = spec["datasets"].values()
    assert rows[IMAGE_FIELD].str.startswith("data:image/png").all()
    plain = data.scatter_matrix(banknotes, ["variance", "skewness"]).spec()
    assert all(IMAGE_FIELD not in t for t in tooltip_titles(plain))
    small = data.scatter_matrix(digits, ["pixel_3_3", "pixel_4_4"], pictures=False).spec()  # a phone's
    assert all(IMAGE_FIELD not in t for t in tooltip_titles(small))
    assert IMAGE_FIELD not in next(iter(small["datasets"].values()))


def test_the_comparison_maps_show_each_rows_picture(digits):
    rows = np.arange(0, 300, 3)
    embedding = Embedding(
        "pca", np.random.default_rng(0).normal(size=(len(rows), 2)), 0.0, False, True, ("a", "b")
    )
    hoods = [neighbourhoods(digits.X[rows], embedding.points)]
    frame = compare.maps_frame(digits, rows, [embedding], hoods, 10)
    np.testing.assert_array_equal(frame[IMAGE_FIELD], thumbnails(digits)[rows])
    frames = {"maps": frame, "neighbours": compare.neighbours_frame(rows, hoods[0], 10)}
    spec = compare.linked_panels(frames, digits, [embedding]).chart().to_dict()
    assert all(t == [IMAGE_FIELD, "row", "class"] for t in tooltip_titles(spec))  # no pixel values


def test_the_gallery_maps_show_each_test_rows_picture(digits):
    runs = [train(digits, replace(DEEPER_LESSON, epochs=1, seed=seed)) for seed in (1, 2)]
    images = images_for(digits, runs[0].test_index)
    spec = gallery.gallery_parts(gallery.align_runs(runs), runs[0].y_test, digits.class_names, images=images)
    spec = spec.chart().to_dict()
    assert [t[0] for t in tooltip_titles(spec)] == [IMAGE_FIELD, IMAGE_FIELD]
    first = spec["datasets"][spec["concat"][0]["data"]["name"]]
    assert first[0][IMAGE_FIELD] == images[0]


def test_the_inner_layer_players_points_show_each_test_rows_picture(digits, banknotes):
    run = train(digits, replace(DEEPER_LESSON, epochs=1, seed=2))
    spec = epoch_player(run, digits)(widest("player"))
    points = spec["datasets"]["points"]
    rows = player.frame_rows(len(run.y_test), len(run.snapshots))
    assert list(points[IMAGE_FIELD]) == list(images_for(digits, run.test_index[rows]))
    assert tooltip_titles(spec)[0][0] == IMAGE_FIELD  # the plane's dots, picture first
    lesson = train(banknotes, replace(DEEPER_LESSON, epochs=1))
    no_pictures = epoch_player(lesson, banknotes)(widest("player"))
    assert IMAGE_FIELD not in no_pictures["datasets"]["points"]
    assert all(IMAGE_FIELD not in titles for titles in tooltip_titles(no_pictures))


def test_the_data_page_sends_the_digits_pictures_once_in_the_wide_pairplot_only():
    at = app_test(None, {"data": "digits"})
    with_pictures = []
    for _ in each_layout(at, "pairplot"):
        assert_no_exception(at)
        [chart] = at.get("vega_lite_chart")
        with_pictures.append(IMAGE_FIELD in frame_of(chart.proto.datasets[0].data.data))
    assert with_pictures == [True, False, False]  # wide, medium, narrow
