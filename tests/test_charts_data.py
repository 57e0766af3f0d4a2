"""The data page's scatter-plot matrix: each pair of features once, each feature's distribution by class."""

from itertools import combinations

from lib.charts.common import vega_lite
from lib.charts.data import scatter_matrix


def panels(spec: dict) -> list[dict]:
    found = [spec] if "mark" in spec else []
    for key in ("vconcat", "hconcat", "layer"):
        for child in spec.get(key, []):
            found += panels(child)
    return found


def test_each_pair_is_plotted_once_and_the_diagonal_shows_each_class_distribution(banknotes):
    features = ["variance", "skewness", "kurtosis"]
    spec = vega_lite(scatter_matrix(banknotes, features))
    assert spec["usermeta"]["features"] == features
    marks = panels(spec)
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
    marks = panels(vega_lite(scatter_matrix(banknotes, ["entropy"])))
    assert [m["mark"]["type"] for m in marks] == ["area"]
