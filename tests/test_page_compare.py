"""The comparison page in AppTest: defaults, every control, and inputs that cannot be drawn."""

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

import lib.neighbours
import lib.projections
import ui.compare
import ui.train_controls
from lib.charts.common import frame_of
from lib.charts.layouts import LAYOUTS
from lib.training import DEEPER_LESSON, train
from testkit.apptest import app_test, assert_no_exception, chart_specs, each_layout, first_run, set_config

PAGE = "app_pages/compare.py"
LABELS = ["Network bottleneck", "PCA", "t-SNE", "LDA", "Autoencoder"]


def panels(at) -> list[dict]:
    return chart_specs(at)[0]["concat"]


def panel_titles(at) -> list[str]:
    return [panel["title"]["text"] for panel in panels(at)]


def page_text(at) -> str:
    return "\n".join(m.value for m in [*at.markdown, *at.caption])


def maps_data(at) -> dict[str, pd.DataFrame]:
    """The linked maps' datasets by name (their widest layout's): the maps and the neighbours."""
    chart = at.get("vega_lite_chart")[0]
    return {d.name: frame_of(d.data.data) for d in chart.proto.datasets}


def dots(panel: dict) -> dict:
    return panel["layer"][1]  # over the larger, invisible targets a tap hits


def picked_row(at) -> list | None:
    pick = next(p for p in chart_specs(at)[0]["params"] if p["name"] == "pick")
    return pick.get("value")


@pytest.fixture
def fast():
    """The page with t-SNE's fewest iterations: the points here are about wiring, not t-SNE."""
    at = app_test(PAGE)
    at.select_slider(key="iterations").set_value(250).run()
    return at


def test_defaults_show_five_linked_maps_and_their_scores():
    at = app_test(PAGE)
    assert_no_exception(at)
    assert at.title[0].value == "Compare reductions"
    assert panel_titles(at) == LABELS
    spec = chart_specs(at)[0]
    brush = [p for p in spec["params"] if p["name"] == "brush"][0]
    assert brush["select"]["type"] == "interval" and len(brush["views"]) == 5  # one brush, all panels
    pick = [p for p in spec["params"] if p["name"] == "pick"][0]
    assert pick["select"]["type"] == "point" and pick["views"] == brush["views"]  # one pick, all panels
    for panel in panels(at):
        assert dots(panel)["encoding"]["color"]["condition"]["param"] == "brush"
        tooltip = [t["title"] for t in dots(panel)["encoding"]["tooltip"]]
        assert tooltip == ["row", "class", "variance", "skewness", "kurtosis", "entropy"]
    data = maps_data(at)
    assert (data["maps"]["k"] == 10).all() and len(data["neighbours"]) == 10 * 412
    for method in ("bottleneck", "pca", "tsne", "lda", "autoencoder"):
        assert data["maps"][f"{method}_kept"].between(0, 10).all()
    table = at.dataframe[0].value
    assert list(table["method"]) == LABELS
    assert table["trustworthiness"].between(0, 1).all() and table["continuity"].between(0, 1).all()
    for column in ("knn_accuracy", "linear_accuracy"):  # in percent
        assert table[column].between(50, 100).all()
    assert table["silhouette"].between(-1, 1).all()
    assert list(table["uses_labels"]) == [True, False, False, True, False]
    assert list(table["places_new_points"]) == [True, True, False, True, True]
    assert (table["seconds"] > 0).all()
    text = page_text(at)
    assert "412 rows: the test rows" in text and "960 training rows" in text
    assert "refit on exactly the rows it shows" in text
    assert "of the variance" in text  # PCA states its explained variance
    assert "only one direction" in text  # LDA's single axis for two classes is explained
    assert "lesson's defaults" in at.caption[0].value


def test_perplexity_and_iterations_recompute_t_sne(fast):
    before = fast.dataframe[0].value.set_index("method").loc["t-SNE"]
    assert "250 iterations" in page_text(fast)
    fast.slider(key="perplexity").set_value(5).run()
    assert_no_exception(fast)
    assert "perplexity 5," in page_text(fast)
    after = fast.dataframe[0].value.set_index("method")
    assert after.loc["t-SNE", "trustworthiness"] != before["trustworthiness"]
    assert panel_titles(fast) == LABELS


def test_methods_can_be_chosen_and_none_gets_a_message(fast):
    fast.multiselect(key="methods").set_value(["pca", "lda"]).run()
    assert_no_exception(fast)
    assert panel_titles(fast) == ["PCA", "LDA"]
    assert list(fast.dataframe[0].value["method"]) == ["PCA", "LDA"]
    fast.multiselect(key="methods").set_value([]).run()
    assert_no_exception(fast)
    assert "at least one method" in fast.info[0].value
    assert not chart_specs(fast)


def test_all_rows_shows_every_row_fit_on_the_training_rows(fast):
    fast.multiselect(key="methods").set_value(["bottleneck", "pca", "tsne"]).run()
    fast.toggle(key="all_rows").set_value(True).run()
    assert_no_exception(fast)
    text = page_text(fast)
    assert "1,372 rows: all rows" in text and "960 training rows" in text
    assert len(fast.dataframe[0].value) == 3


def on_dataset(at, name: str):
    """Run on another data set, chosen in the sidebar."""
    at.sidebar.selectbox(key="data").select(name)
    return at.run()


def test_perplexity_above_the_rows_shown_is_a_warning_not_a_crash(fast):
    fast.slider(key="perplexity").set_value(50)
    on_dataset(fast, "iris")  # 45 test rows
    assert_no_exception(fast)
    assert "t-SNE" in fast.warning[0].value and "lower the perplexity" in fast.warning[0].value
    assert any("perplexity (50) must be below the number of rows shown (45)" in w.value for w in fast.warning)
    assert panel_titles(fast) == ["Network bottleneck", "PCA", "LDA", "Autoencoder"]  # the others drawn
    fast.toggle(key="all_rows").set_value(True)
    on_dataset(fast, "iris")  # all 150 rows: t-SNE fits
    assert_no_exception(fast)
    assert not fast.warning and "t-SNE" in panel_titles(fast)


def test_three_classes_give_lda_two_real_axes():
    at = app_test(PAGE, {"data": "wine", "methods": "lda"})
    assert_no_exception(at)
    assert "54 rows" in page_text(at)
    assert panel_titles(at) == ["LDA"]
    lda = dots(panels(at)[0])
    assert lda["encoding"]["y"]["title"] == "LD2"
    assert [t["title"] for t in lda["encoding"]["tooltip"]][2] == "alcohol"


def test_t_sne_reading_rules_and_link_sit_beside_the_perplexity(fast):
    rules = [c.value for c in fast.caption if "distill.pub/2016/misread-tsne" in c.value]
    assert len(rules) == 1
    assert (
        "sizes of its clusters" in rules[0] and "perplexity" in rules[0] and "one run can mislead" in rules[0]
    )


def test_every_width_gets_a_layout_of_the_same_linked_panels():
    layouts = LAYOUTS["compare_maps"]
    at = app_test(PAGE)
    specs = []
    for _ in each_layout(at, "compare_maps"):
        assert "computing" not in page_text(at)  # the progress note is gone once every map is drawn
        specs.append(chart_specs(at)[0])
    assert [(s["columns"], s["concat"][0]["width"]) for s in specs] == [
        (layout.columns, layout.size) for layout in layouts
    ]
    assert layouts[0].size >= 320  # panels of at least 320 px at 1440 px
    for spec in specs:
        assert [p["title"]["text"] for p in spec["concat"]] == LABELS
        assert spec["resolve"]["scale"]["color"] == "shared"  # one legend for every panel


def test_k_rings_that_many_neighbours_and_the_neighbour_scores_follow(fast):
    fast.multiselect(key="methods").set_value(["pca", "tsne"]).run()
    before = fast.dataframe[0].value.set_index("method")
    fast.slider(key="neighbours").set_value(25).run()
    assert_no_exception(fast)
    data = maps_data(fast)
    assert (data["maps"]["k"] == 25).all() and len(data["neighbours"]) == 25 * 412
    assert (data["neighbours"].groupby("of").size() == 25).all()
    assert data["maps"]["tsne_kept"].max() > 10  # counted among 25, not 10
    after = fast.dataframe[0].value.set_index("method")
    for score in ("trustworthiness", "continuity", "knn_accuracy"):
        assert after.loc["PCA", score] != before.loc["PCA", score]
    assert "k = 25" in page_text(fast) and "its 25 nearest rows" in page_text(fast)
    columns = json.loads(fast.dataframe[0].proto.columns)  # the headers say which way each score reads
    assert columns["trustworthiness"]["label"] == "Trustworthiness: map → data"
    assert columns["continuity"]["label"] == "Continuity: data → map"
    for score in ("trustworthiness", "continuity", "knn_accuracy", "linear_accuracy", "silhouette"):
        assert "Higher is better" in columns[score]["help"]


def test_k_stays_under_half_the_rows_shown(fast):
    fast.slider(key="neighbours").set_value(50)
    fast.multiselect(key="methods").set_value(["pca", "lda"])
    on_dataset(fast, "iris")  # 45 test rows
    assert_no_exception(fast)
    assert "counted up to k = 22" in page_text(fast)
    assert (maps_data(fast)["maps"]["k"] == 22).all()
    assert len(fast.dataframe[0].value) == 2


def test_kept_colours_colour_every_map_by_its_share_of_neighbours_kept(fast):
    fast.toggle(key="kept").set_value(True).run()
    assert_no_exception(fast)
    for panel in panels(fast):
        assert dots(panel)["encoding"]["color"]["condition"]["field"] == "kept_share"
    assert "red where the map tears" in page_text(fast)
    fast.toggle(key="kept").set_value(False).run()
    assert all(dots(p)["encoding"]["color"]["condition"]["field"] == "class" for p in panels(fast))


def test_a_row_found_by_its_number_opens_picked_or_says_why_not(fast):
    test_row = int(maps_data(fast)["maps"]["row"].iloc[5])
    assert picked_row(fast) is None
    fast.number_input(key="row").set_value(test_row).run()
    assert_no_exception(fast)
    assert picked_row(fast) == [{"row": test_row}]
    training_row = next(r for r in range(100) if r not in set(maps_data(fast)["maps"]["row"]))
    fast.number_input(key="row").set_value(training_row).run()
    assert f"Row {training_row} is not on the maps: it is a training row" in page_text(fast)
    assert picked_row(fast) is None
    fast.toggle(key="all_rows").set_value(True).run()
    assert picked_row(fast) == [{"row": training_row}]
    fast.number_input(key="row").set_value(5000).run()
    assert "Row 5000 is not on the maps: the data has 1,372 rows" in page_text(fast)


def test_a_link_carries_k_the_colours_and_the_row_found():
    at = app_test(PAGE, {"neighbours": "20", "kept": "true", "row": "10", "methods": "pca,lda"})
    assert_no_exception(at)
    assert at.slider(key="neighbours").value == 20 and at.toggle(key="kept").value
    assert picked_row(at) == [{"row": 10}]
    assert (maps_data(at)["maps"]["k"] == 20).all()


def rings_of(data: dict[str, pd.DataFrame]) -> dict[int, set]:
    table = data["neighbours"]
    return {row: set(group["row"]) for row, group in table.groupby("of")}


@pytest.mark.parametrize("name", ["banknotes", "wine", "iris", "breast_cancer", "digits", "upload"])
def test_every_data_set_rings_each_rows_neighbours_on_every_map(name):
    if name == "upload":
        rng = np.random.default_rng(3)
        frame = pd.DataFrame(rng.normal(size=(120, 3)), columns=["a", "b", "c"]).assign(
            label=np.where(rng.random(120) < 0.5, "yes", "no")
        )
        at = first_run(data="upload", csv_file=("mine.csv", frame.to_csv(index=False).encode(), "m1"))
        at.switch_page(PAGE)
    else:
        at = app_test(PAGE, {"data": name, "methods": "pca,lda"})  # no t-SNE or autoencoder to wait for
    at.session_state["methods"] = ["pca", "lda"]
    at.run()
    assert_no_exception(at)
    data = maps_data(at)
    shown = set(data["maps"]["row"])
    k = int(data["maps"]["k"].iloc[0])
    rings = rings_of(data)
    assert set(rings) == shown and all(len(r) == k and r <= shown for r in rings.values())
    assert all(row not in ring for row, ring in rings.items())  # a row is not its own neighbour
    for method in ("pca", "lda"):
        assert data["maps"][f"{method}_kept"].between(0, k).all()
    assert at.dataframe[0].value["continuity"].between(0, 1).all()


# --- Controls at their extremes ------------------------------------------------------------------


def compare_page(dataset: str = "iris", **config):
    """The compare page opened on `dataset` with t-SNE's fewest iterations, then trained with `config`."""
    at = app_test(PAGE, {"data": dataset, "iterations": "250"})
    set_config(at, dataclasses.replace(DEEPER_LESSON, **{"epochs": 3, **config}))
    at.run()
    assert_no_exception(at)
    assert at.session_state["train_config"] == dataclasses.replace(DEEPER_LESSON, **{"epochs": 3, **config})
    return at


def test_the_compare_controls_at_their_other_ends():
    at = compare_page(hidden=(1,), epochs=1)
    at.slider(key="perplexity").set_value(5)
    at.select_slider(key="iterations").set_value(2000).run()
    assert_no_exception(at)
    at.multiselect(key="methods").set_value([]).run()
    assert_no_exception(at)
    assert "Choose at least one method" in at.info[0].value


def test_a_dead_bottleneck_is_drawn_on_the_compare_page_and_scored_as_carrying_nothing(banknotes):
    config = dict(learning_rate=1.0, epochs=5)  # kills the relu bottleneck (tests/test_diagnostics.py)
    at = compare_page("banknotes", **config)
    assert panel_titles(at) == ["Network bottleneck", "PCA", "t-SNE", "LDA", "Autoencoder"]
    scores = at.dataframe[0].value.set_index("method").loc["Network bottleneck"]
    y_test = train(banknotes, dataclasses.replace(DEEPER_LESSON, **config)).y_test
    guess = 100 * np.bincount(y_test).max() / len(y_test)  # every row on one spot: the largest class
    # accuracies are means over the cross-validation folds: the largest class's share, to 0.1 points
    assert scores["knn_accuracy"] == pytest.approx(guess, abs=0.1)
    assert scores["linear_accuracy"] == pytest.approx(guess, abs=0.1)
    assert scores["silhouette"] == 0
    assert any("**Dead bottleneck at epoch 5:**" in e.value for e in at.error)  # said as on the lesson page


def test_a_diverged_network_on_the_compare_page_is_explained_and_the_other_maps_drawn():
    at = compare_page("banknotes", activation="linear", optimizer="momentum", learning_rate=1.0, epochs=5)
    assert any("**Training diverged at epoch" in e.value for e in at.error)  # said in words
    assert any("bottleneck map is left out" in i.value for i in at.info)
    assert not any("NaN" in w.value and "Input" in w.value for w in at.warning)  # no library's own text
    assert panel_titles(at) == ["PCA", "t-SNE", "LDA", "Autoencoder"]
    assert list(at.dataframe[0].value["method"]) == ["PCA", "t-SNE", "LDA", "Autoencoder"]


# --- Tests that patch ---------------------------------------------------------------------------
# Those that count calls share the caches (conftest), on keys no other test asks for; the last one runs
# between emptied caches, last in the module: the caches the tests above fill are emptied once.


@pytest.mark.counts_calls
def test_epochs_and_nodes_in_the_sidebar_retrain_the_bottleneck_only(monkeypatch):
    """The compare page has the network's controls; PCA, t-SNE and the autoencoder (the data set's
    preset layers, one map for the class) do not depend on them."""
    calls = []
    real_embed = lib.projections.embed
    monkeypatch.setattr(
        lib.projections, "embed", lambda method, *a, **k: calls.append(method) or real_embed(method, *a, **k)
    )
    # a network no other test trains, so its bottleneck map is not in the cache already
    at = app_test(
        PAGE,
        {"epochs": "2", "hidden": "7", "methods": "bottleneck,pca,tsne,autoencoder", "iterations": "250"},
    )
    assert_no_exception(at)
    assert "4 → 7 → 2 → 1" in at.caption[0].value
    before = at.dataframe[0].value.set_index("method")
    calls.clear()
    at.sidebar.slider(key="epochs").set_value(6).run()
    assert_no_exception(at)
    assert calls == ["bottleneck"]  # PCA and t-SNE came from the cache
    assert "6 epochs" in at.caption[0].value
    after = at.dataframe[0].value.set_index("method")
    assert after.loc["Network bottleneck", "silhouette"] != before.loc["Network bottleneck", "silhouette"]
    assert after.loc["PCA", "silhouette"] == before.loc["PCA", "silhouette"]
    calls.clear()
    at.sidebar.slider(key="nodes_1").set_value(9).run()
    assert_no_exception(at)
    assert calls == ["bottleneck"] and "4 → 9 → 2 → 1" in at.caption[0].value
    assert panel_titles(at) == ["Network bottleneck", "PCA", "t-SNE", "Autoencoder"]


@pytest.mark.counts_calls
def test_each_map_is_cached_on_its_own_key(banknotes, monkeypatch):
    """Moving the t-SNE slider recomputes t-SNE only, and going back is a cache hit."""
    calls = []
    real_embed = lib.projections.embed
    monkeypatch.setattr(
        lib.projections, "embed", lambda method, *a, **k: calls.append(method) or real_embed(method, *a, **k)
    )
    run = train(banknotes, dataclasses.replace(DEEPER_LESSON, epochs=1))
    seed = 7  # a key no other test uses
    for perplexity in (20, 21, 20):
        for method in ("pca", "tsne"):
            params = dict(perplexity=perplexity, max_iter=250) if method == "tsne" else {}
            embedding = ui.compare.projection(banknotes, run, method, False, seed, **params)
            scores = ui.compare.projection_scores(banknotes, run, method, False, seed, **params)
            assert embedding.points.shape == (412, 2) and set(scores) >= {"trustworthiness"}
    assert calls == ["pca", "tsne", "tsne"]


@pytest.mark.counts_calls
def test_a_new_map_ranks_its_rows_once_for_its_rings_and_its_scores(monkeypatch):
    """The scores read continuity from the neighbourhoods the rings are drawn from: a new bottleneck
    map ranks the rows once in the data and once on the map, and both are on the page."""
    ranked = []
    real_ranked = lib.neighbours._ranked
    monkeypatch.setattr(
        lib.neighbours,
        "_ranked",
        lambda points, *a, **k: ranked.append(len(points)) or real_ranked(points, *a, **k),
    )
    # a network no other test trains, so its map, neighbourhoods and scores are in no cache already
    at = app_test(PAGE, {"epochs": "3", "hidden": "9", "seed": "37", "methods": "bottleneck"})
    assert_no_exception(at)
    assert "4 → 9 → 2 → 1" in at.caption[0].value
    assert ranked == [412, 412]
    scores = at.dataframe[0].value.set_index("method")
    assert 0 < scores["continuity"].iloc[0] <= 1
    assert len(chart_specs(at)) > 0  # the maps, with their rings


def counting_embed(monkeypatch) -> list[str]:
    calls = []
    real_embed = lib.projections.embed
    monkeypatch.setattr(
        lib.projections, "embed", lambda method, *a, **k: calls.append(method) or real_embed(method, *a, **k)
    )
    return calls


@pytest.mark.counts_calls
def test_changing_the_network_never_recomputes_pca_or_t_sne(banknotes, monkeypatch):
    calls = counting_embed(monkeypatch)
    seed = 8  # a key no other test uses
    for epochs in (1, 2, 1):
        run = train(banknotes, dataclasses.replace(DEEPER_LESSON, epochs=epochs))
        for method in ("bottleneck", "pca", "tsne"):
            params = dict(perplexity=20, max_iter=250) if method == "tsne" else {}
            assert not isinstance(ui.compare.projection(banknotes, run, method, False, seed, **params), str)
    assert calls == ["bottleneck", "pca", "tsne", "bottleneck"]  # the third run is the first one again


@pytest.mark.counts_calls
def test_showing_all_rows_refits_t_sne_only(banknotes, monkeypatch):
    """Methods that place new points map every row once; the test rows and all rows are cut from it."""
    calls = counting_embed(monkeypatch)
    run = train(banknotes, dataclasses.replace(DEEPER_LESSON, epochs=1))
    seed = 9
    maps = {}
    for all_rows in (False, True):
        for method in ("bottleneck", "pca", "lda", "tsne"):
            params = dict(perplexity=20, max_iter=250) if method == "tsne" else {}
            maps[method, all_rows] = ui.compare.projection(banknotes, run, method, all_rows, seed, **params)
    assert calls == ["bottleneck", "pca", "lda", "tsne", "tsne"]
    assert maps["pca", True].points.shape == (1372, 2) and maps["pca", False].points.shape == (412, 2)
    # the test rows sit in the map of all rows where their row ids are
    assert np.allclose(maps["pca", True].points[run.test_index], maps["pca", False].points)
    alone = lib.projections.map_of(
        banknotes, lib.projections.comparison_rows(1372, run.test_index), "pca", seed
    )
    assert np.allclose(alone.points, maps["pca", False].points)  # the same map as fitting it alone


def test_the_network_comes_from_the_inner_layer_page_settings(monkeypatch):
    at = app_test()
    set_config(at, dataclasses.replace(DEEPER_LESSON, hidden=(4,), epochs=3))
    at.switch_page(PAGE).run()
    at.select_slider(key="iterations").set_value(250).run()
    assert_no_exception(at)
    assert "4 → 4 → 2 → 1" in at.caption[0].value and "your settings" in at.caption[0].value
    assert "inner-layer page" not in page_text(at)
    assert at.sidebar.slider(key="epochs").value == 3  # the sidebar shows the network drawn
    preset = ui.train_controls.default_config_for  # no control sets the bottleneck's width
    monkeypatch.setattr(
        ui.train_controls, "default_config_for", lambda d: dataclasses.replace(preset(d), bottleneck_nodes=3)
    )
    set_config(at, dataclasses.replace(DEEPER_LESSON, epochs=1))
    at.run()
    assert_no_exception(at)
    assert any("3 nodes" in w.value for w in at.warning)
    assert "Network bottleneck" not in panel_titles(at)


@pytest.mark.counts_calls
def test_maps_are_drawn_as_they_come_and_once_when_every_one_is_ready(monkeypatch):
    """A first visit draws the cheap maps before t-SNE is done; a visit whose maps were all computed
    before draws them once (each draw cost the server a spec and the browser a new chart)."""
    import ui.charts

    drawn = []
    real_chart = ui.charts.chart
    monkeypatch.setattr(ui.charts, "chart", lambda *a, **k: drawn.append(k["name"]) or real_chart(*a, **k))
    query = {
        "methods": "bottleneck,pca,tsne",
        "perplexity": "17",
        "epochs": "3",
    }  # keys no other test asks for
    at = app_test(PAGE, query)
    assert_no_exception(at)
    first = [name for name in drawn if name.startswith("maps_")]
    assert len(first) == 2  # the bottleneck and PCA, then with t-SNE
    drawn.clear()
    at.run()
    assert [name for name in drawn if name.startswith("maps_")] == ["maps_banknotes"]
    assert panel_titles(at) == ["Network bottleneck", "PCA", "t-SNE"]
