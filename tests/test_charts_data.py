"""The data page's scatter-plot matrix: each pair of features once, each feature's distribution by class."""

from itertools import combinations

import pytest

from lib.charts.data import scatter_matrix
from lib.datasets import load_dataset
from testkit.apptest import marked_views


@pytest.fixture(scope="module")
def wine():
    return load_dataset("wine")


def test_each_pair_is_plotted_once_and_the_diagonal_shows_each_class_distribution(banknotes):
    features = ["variance", "skewness", "kurtosis"]
    spec = scatter_matrix(banknotes, features).spec()
    assert spec["usermeta"]["features"] == features
    marks = marked_views(spec)
    scatters = [m for m in marks if m["mark"]["type"] == "circle"]
    pairs = [(m["encoding"]["x"]["field"], m["encoding"]["y"]["field"]) for m in scatters]
    assert all(x != y for x, y in pairs)  # no feature against itself
    assert sorted(frozenset(p) for p in pairs) == sorted(frozenset(p) for p in combinations(features, 2))
    diagonal = [m for m in marks if m["mark"]["type"] == "area"]
    assert [m["encoding"]["x"]["field"] for m in diagonal] == features
    for m in diagonal:
        (density,) = [t for t in m["transform"] if "density" in t]
        assert density["groupby"] == ["class"]
        assert m["encoding"]["color"]["field"] == "class"


def test_one_feature_is_its_distribution_alone(banknotes):
    marks = marked_views(scatter_matrix(banknotes, ["entropy"]).spec())
    assert [m["mark"]["type"] for m in marks] == ["area"]


def test_the_panels_fill_the_width_given_and_stay_readable_with_few_features(banknotes, wine):
    for features, width, side in [
        (["variance", "skewness", "kurtosis", "entropy"], 440, 104),  # (440 - 3 × 8) / 4
        (["variance", "skewness"], 880, 150),  # two features: not two giant panels
        (list(wine.feature_names[:6]), 240, 33),  # six on a phone: small, all there
    ]:
        data = banknotes if features[0] == "variance" else wine
        marks = marked_views(scatter_matrix(data, features, width=width).spec())
        assert {(m["width"], m["height"]) for m in marks} == {(side, side)}, (features, width)


def test_long_feature_names_are_cut_to_their_panel_not_past_the_screen(wine):
    marks = marked_views(scatter_matrix(wine, list(wine.feature_names[:6]), width=240).spec())
    for mark in marks:
        assert mark["encoding"]["x"]["axis"]["titleLimit"] == 33 + 8
    diagonal = [mark for mark in marks if mark["mark"]["type"] == "area"]
    assert [mark["title"]["limit"] for mark in diagonal] == [33] * 6


def test_the_narrower_pairplots_draw_a_lighter_sample(banknotes):
    """Every layout is drawn by every browser, shown or not: the wide one carries every row, the
    narrower ones the same seeded sample of SMALL_PLOT_LIMIT rows, with both classes in it."""
    from lib.charts.data import PLOT_LIMIT, SMALL_PLOT_LIMIT, pairplot
    from lib.charts.layouts import LAYOUTS

    features = list(banknotes.feature_names)
    wide, *narrower = (pairplot(banknotes, features, layout).frames["rows"] for layout in LAYOUTS["pairplot"])
    assert len(wide) == len(banknotes.y) == 1372 <= PLOT_LIMIT
    for frame in narrower:
        assert len(frame) == SMALL_PLOT_LIMIT and frame.index.equals(narrower[0].index)
        assert set(frame["class"]) == set(banknotes.class_names)
