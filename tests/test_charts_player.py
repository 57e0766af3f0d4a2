"""The bottleneck plane: the epoch player's spec (every epoch inside, the epoch a parameter bound to
a slider and to Play, and the title, accuracy, matrix and regions all following that one
parameter), and the same plane at one epoch."""

import dataclasses
import json
import re

import altair as alt
import numpy as np
import pandas as pd
import pytest

from lib.charts import inside, plane, player
from lib.charts.files import chart_file
from lib.charts.inner_layer import confusion_frame
from lib.charts.layouts import LAYOUTS, widest
from lib.datasets import load_dataset
from lib.training import DEEPER_LESSON, WINE_EXERCISE, train


@pytest.fixture(scope="module")
def run(banknotes):
    return train(banknotes, dataclasses.replace(DEEPER_LESSON, epochs=6, seed=1))


def player_spec(run, dataset, more=()) -> dict:
    """The player as the inner-layer page draws it on a wide screen."""
    return player.player_layouts(run, dataset, plane.plane_extent(run.snapshots), more)(widest("player"))


@pytest.fixture(scope="module")
def spec(run, banknotes):
    return player_spec(run, banknotes)


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


def is_dots(layer: dict) -> bool:
    return layer["mark"]["type"] == "point"


def test_a_multiclass_player_keeps_its_legend_tooltips_and_classes(wine_run):
    wine, run = wine_run
    spec = player_spec(run, wine)
    assert params(spec)["classes"]["value"] == list(run.class_names)
    [dots] = [layer["encoding"] for layer in spec["vconcat"][0]["hconcat"][0]["layer"] if is_dots(layer)]
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
    spec = player_spec(run, banknotes, more=[follower])
    [top, added] = spec["vconcat"]
    assert "hconcat" in top and {"filter": "datum.epoch == epoch"} in added["transform"]
    assert [p["name"] for p in spec["params"]].count("epoch") == 1
    assert any(
        len(frame) == len(data) for name, data in spec["datasets"].items() if name.startswith("view1_")
    )


READS = re.compile(r"datum\.(\w+)|datum\['([^']+)'(\]|\s*\+)")  # datum.f, datum['f'], datum['prefix' + …]


def fields_read(node) -> set[tuple[str, bool]]:
    """(field, is a prefix) of every field a part of a spec reads: encoded, faceted, sorted by,
    filtered on or read by an expression."""
    found = set()
    if isinstance(node, dict):
        if isinstance(node.get("field"), str):
            found.add((node["field"], False))
        for key, child in node.items():
            if key in ("expr", "calculate", "filter", "test") and isinstance(child, str):
                found |= {(a or b, bool(b) and end != "]") for a, b, end in READS.findall(child)}
            else:
                found |= fields_read(child)
    elif isinstance(node, list):
        for child in node:
            found |= fields_read(child)
    return found


def unit_reads(spec: dict, data=None, made=frozenset(), reads=frozenset()):
    """(dataset name, fields read that no transform made) of every unit view of a spec: a view
    takes its parent's data and transforms, as Vega-Lite does."""
    data = spec.get("data", {}).get("name", data) if "values" not in spec.get("data", {}) else None
    for step in spec.get("transform", []):
        reads |= {(field, prefix) for field, prefix in fields_read(step) if field not in made}
        made |= {step["as"]} if isinstance(step.get("as"), str) else set()
        made |= set(step["from"].get("fields", [])) if "lookup" in step else set()  # from another dataset
    if "facet" in spec:
        reads |= fields_read(spec["facet"])
    if "mark" in spec:
        yield (
            data,
            {(f, prefix) for f, prefix in reads | fields_read(spec.get("encoding", {})) if f not in made},
        )
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for child in spec.get(key, []):
            yield from unit_reads(child, data, made, reads)
    if "spec" in spec:
        yield from unit_reads(spec["spec"], data, made, reads)


def test_every_view_attached_to_the_plane_keeps_its_own_data(run, banknotes):
    """The views the pages attach below the plane bring datasets of their own (the bent grid its
    decision line "lines", as the plane does): combined, every layer still finds the fields it
    reads, the plane's line its ends at every epoch."""
    for views in [*[(view,) for view in inside.VIEWS], inside.VIEWS]:
        for layout in LAYOUTS["player"]:
            spec = inside.epoch_player(run, banknotes, views)(layout)
            units = list(unit_reads(spec))
            assert len(units) >= 8, (views, layout)  # the plane's 3 layers, accuracy, matrix, the views'
            for data, reads in units:
                if data is None:  # the accuracy's text, from values
                    continue
                columns = list(spec["datasets"][data].columns)
                missing = [
                    field
                    for field, prefix in reads
                    if not any(c.startswith(field) if prefix else c == field for c in columns)
                ]
                assert missing == [], (views, layout.name, data, missing)
            [plane] = [v for v in json_views(spec) if v.get("name") == player.DECISION_LINE]
            ends = spec["datasets"][plane["data"]["name"]]
            assert {f"x@{e}" for e in range(7)} <= set(ends.columns) and len(ends) == 2


def json_views(node):
    """Every dict of a spec that is a view (has a mark)."""
    if isinstance(node, dict):
        if "mark" in node:
            yield node
        for key, child in node.items():
            if key != "datasets":
                yield from json_views(child)
    elif isinstance(node, list):
        for child in node:
            yield from json_views(child)


def test_a_long_run_of_many_rows_is_sampled_to_keep_the_spec_small():
    rows = player.frame_rows(5000, 201)
    assert len(rows) * 201 <= player.MAX_FRAME_ROWS and len(rows) == len(set(rows))
    assert list(player.frame_rows(412, 26)) == list(range(412))


def test_the_planes_rows_carry_original_features_classes_and_probability(run, banknotes):
    frame = player.plane_frame(run, banknotes, np.arange(len(run.y_test)), [6])
    assert len(frame) == len(run.y_test) == 412
    assert [c for c in frame.columns if c.startswith("f")] == ["f0", "f1", "f2", "f3"]  # every feature
    np.testing.assert_allclose(frame["f0"], banknotes.X[run.test_index, 0], atol=1e-3)
    np.testing.assert_allclose(frame["q@6"] / 1000, run.probabilities(6)[:, 1], atol=1e-3)  # P(forged)
    wrong = (frame["c@6"] != frame["truth"]).mean()
    assert wrong == pytest.approx(1 - run.snapshot_accuracy[6], abs=1e-6)
    assert set(frame["class"]) == {"genuine", "forged"}


def test_the_plane_at_one_epoch_is_the_players_plane_with_only_that_epoch(run, banknotes):
    extent = plane.plane_extent(run.snapshots)
    spec = player.plane_spec(run, banknotes, extent, 3, size=333)
    assert params(spec)["epoch"] == {"name": "epoch", "value": 3}  # no slider, no Play
    assert spec["title"]["text"] == {"expr": player.TITLE_EXPR}
    assert params(spec)["accuracy"]["value"][3] == pytest.approx(run.snapshot_accuracy[3], abs=1e-6)
    kinds = [(layer["data"]["name"], layer["mark"]["type"]) for layer in spec["layer"]]
    assert kinds == [("regions", "line"), ("points", "point"), ("lines", "line")]  # shading, rows, boundary
    dots = spec["layer"][1]["encoding"]
    assert dots["x"]["scale"]["domain"] == list(extent[:2])
    titles = {t.get("title", t["field"]) for t in dots["tooltip"]}
    assert {"variance", "entropy", "true class", "P(forged)"} <= titles
    assert spec["width"] == spec["height"] == 333
    points = spec["datasets"]["points"]
    assert len(points) == len(run.y_test)  # every row
    np.testing.assert_allclose(points["x@3"], run.snapshots[3][:, 0], rtol=1e-6)
    assert not [c for c in points.columns if c.endswith("@6")]  # no other epoch's data
    assert len(spec["datasets"]["lines"]) == 2  # the boundary's two ends
    assert params(player.plane_spec(run, banknotes, extent, -1, 333))["epoch"]["value"] == 6


def test_the_softmax_plane_draws_one_straight_edged_region_per_class_and_no_single_line(wine_run):
    wine, run = wine_run
    spec = player.plane_spec(run, wine, plane.plane_extent(run.snapshots), -1, 280)
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["line", "point"]
    regions = spec["layer"][0]
    assert regions["mark"]["filled"] and regions["mark"]["interpolate"] == "linear-closed"  # polygons
    assert regions["encoding"]["color"]["field"] == "class"
    rows = spec["datasets"]["regions"]
    assert set(rows["class"]) <= set(wine.class_names)
    assert len(rows) <= 3 * 6  # a few corners per class, not a grid of cells
    assert "lines" not in spec["datasets"]
    assert len(confusion_frame(run, -1)) == 9


def drawn_at(spec: dict, epoch: int, ticked: bool = True) -> str:
    """The player as Vega draws it (vl-convert: Vega's own code, as in the browser) at `epoch`,
    the trails checkbox `ticked`, as SVG."""
    values = {player.TRAILS: ticked, player.EPOCH: epoch}
    spec = {**spec, "params": [{**p, "value": values.get(p["name"], p["value"])} for p in spec["params"]]}
    return chart_file(spec, "svg").decode()


def trails_in(svg: str) -> list[int]:
    """How many points each trail drawn in `svg` goes through."""
    marks = re.findall(rf'<g class="mark-line role-mark {player.TRAILS}_marks"[^>]*>(.*?)</g>', svg)
    return [len(re.findall(r"[ML]", d)) for d in re.findall(r'<path [^>]*d="([^"]+)"', "".join(marks))]


def test_trails_are_a_checkbox_by_play_and_the_slider_off_at_first(run, banknotes, wine_run):
    for dataset, trained, label in [
        (banknotes, run, "Show where each row came from (200 random rows) "),
        (*wine_run, "Show where each row came from "),  # wine's 54 test rows: every one
    ]:
        for layout in LAYOUTS["player"]:
            spec = player.player_layouts(trained, dataset, plane.plane_extent(trained.snapshots))(layout)
            assert [p["name"] for p in spec["params"]][:3] == ["playing", "epoch", "trails"]
            assert params(spec)["trails"] == {
                "name": "trails",
                "value": False,
                "bind": {"input": "checkbox", "name": label},
            }


def test_trail_rows_are_at_most_200_and_always_the_same():
    assert len(player.trail_rows(412, 26)) == player.MAX_TRAILS == 200
    assert list(player.trail_rows(412, 26)) == list(player.trail_rows(412, 26))  # the same each time
    assert len(set(player.trail_rows(5000, 26))) == 200 and player.trail_rows(5000, 26).max() < 5000
    assert list(player.trail_rows(54, 51)) == list(range(54))  # every row when there are few
    assert len(player.trail_rows(412, 101)) == 200  # 200 rows up to 100 epochs
    long = player.trail_rows(412, 201)  # then fewer, so that every frame stays quick
    assert 0 < len(long) * 201 <= player.MAX_TRAIL_POINTS and len(long) == len(set(long))
    column = player.trail_column(player.trail_rows(412, 26), 412)
    assert list(np.flatnonzero(column)) == list(player.trail_rows(412, 26))
    assert sorted(column[column > 0]) == list(range(1, 201))  # one number per row with a trail
    assert player.trails_param(100, 412)["bind"]["name"] == (
        "Show where each row came from (100 random rows) "
    )


def test_trails_follow_the_epoch_from_the_players_own_data(run, spec, banknotes):
    [plane_view, _] = spec["vconcat"][0]["hconcat"]
    layers = plane_view["layer"]
    [trails] = [layer for layer in layers if layer.get("name") == player.TRAILS]
    assert layers.index(trails) < next(i for i, layer in enumerate(layers) if is_dots(layer))  # under
    assert trails["data"] == {"name": "points"}  # the dots' data, no second copy of the positions
    filters = [step["filter"] for step in trails["transform"] if "filter" in step]
    assert filters == ["trails && datum.trail > 0", "datum.step <= epoch"]
    assert trails["mark"]["type"] == "line" and trails["mark"]["opacity"] <= 0.5
    assert trails["mark"]["strokeWidth"] <= 1
    encoding = trails["encoding"]
    assert encoding["detail"]["field"] == "trail"
    assert encoding["order"] == {"value": None}  # the data's order, the epochs' (the browser test checks)
    assert {"flatten": ["step"]} in trails["transform"]
    assert encoding["color"]["field"] == "class" and encoding["color"]["legend"] is None
    points = spec["datasets"]["points"]
    plain = player.plane_frame(run, banknotes, np.arange(len(run.y_test)), range(7))
    assert set(points.columns) - set(plain.columns) == {"trail"}  # one small column more
    assert points["trail"].dtype == np.int16
    assert trails_in(drawn_at(spec, 3, ticked=False)) == []
    svg = drawn_at(spec, 3)
    assert trails_in(svg) == [4] * 200  # 200 lines through epochs 0, 1, 2, 3
    assert svg.count('role-legend"') == 3  # P(forged), true class, prediction: no legend of their own
    assert trails_in(drawn_at(spec, 6)) == [7] * 200


def test_trails_are_drawn_on_a_phone_and_for_many_classes(run, banknotes, wine_run):
    narrow = LAYOUTS["player"][-1]
    phone = player.player_layouts(run, banknotes, plane.plane_extent(run.snapshots))(narrow)
    assert trails_in(drawn_at(phone, 2)) == [3] * 200
    wine, trained = wine_run
    for layout in LAYOUTS["player"]:
        spec = player.player_layouts(trained, wine, plane.plane_extent(trained.snapshots))(layout)
        svg = drawn_at(spec, 2)
        assert trails_in(svg) == [3] * len(trained.y_test)  # every row: 54 of them
        assert svg.count('role-legend"') == 2  # true class and prediction: the trails add no legend


def test_long_class_names_are_cut_to_their_column_of_the_confusion_matrix(run, banknotes):
    """Two long names side by side at the top of the matrix ran into each other: each is cut with an
    ellipsis to its column (whole in the cell's tooltip), and the rows' names to a fixed room."""
    long_names = ("genuine banknote from the central bank", "forged banknote from the workshop")
    named = dataclasses.replace(run, class_names=long_names)
    view = player.confusion_view(named)
    step = view["width"]["step"]
    x_axis, y_axis = view["layer"][0]["encoding"]["x"]["axis"], view["layer"][0]["encoding"]["y"]["axis"]
    assert 0 < x_axis["labelLimit"] < step and 0 < y_axis["labelLimit"] <= player.CLASS_LABEL
    confusions = {"confusion": player._confusions(named)}
    matrix = {**view, "$schema": player.SCHEMA, "params": player.epoch_params(3), "datasets": confusions}
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", chart_file(matrix, "svg").decode())
    cut = [label for label in labels if label.endswith("…")]
    assert len(cut) >= 4  # both names on both axes, cut
    assert not any(name in labels for name in long_names)
