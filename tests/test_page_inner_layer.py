"""The inner-layer page in AppTest: defaults, every control, and runs that cannot be drawn."""

import json
import re

import pytest

from lib.charts.layouts import LAYOUTS
from lib.readable import readable
from lib.training import DEEPER_LESSON
from testkit.apptest import (
    app_test,
    assert_no_exception,
    chart_specs,
    each_layout,
    final_test_accuracy,
    first_run,
    player_opens_at,
    player_params,
    upload,
)
from testkit.workloads import fruit_csv
from ui import state

PAGE = "app_pages/inner_layer.py"


@pytest.fixture(scope="module")
def at():
    """One session shared by the control tests (each test sets what it checks)."""
    return app_test(PAGE)


def panels(at) -> list[str]:
    """The small multiples' titles in the order drawn (the facet is sorted by epoch)."""
    import pyarrow as pa

    grids = []
    for _ in each_layout(at, "evolution"):  # one grid per layout (lib.charts.layouts)
        for element in at.get("vega_lite_chart"):
            spec = json.loads(element.proto.spec)
            if "facet" in spec:
                assert spec["facet"]["sort"] == {"field": "epoch", "op": "min"}
                [data] = [d for d in element.proto.datasets if d.name == spec["data"]["name"]]
                rows = pa.ipc.open_stream(data.data.data).read_pandas()
                grids.append(list(rows.sort_values("epoch", kind="stable")["panel"].unique()))
    assert len(grids) == len(LAYOUTS["evolution"])
    for grid, layout in zip(grids, LAYOUTS["evolution"]):  # a phone's: at most its panels, the last kept
        most = layout.panels or len(grids[0])
        assert grid == grids[0] or len(grid) <= most < len(grids[0]) and set(grid) < set(grids[0])
        assert grid[-1] == grids[0][-1]
    return grids[0]


def player_datasets(at) -> dict[str, list[str]]:
    """The player's data sets by name: their column names."""
    import pyarrow as pa

    players = [e for e in at.get("vega_lite_chart") if '"name": "accuracy"' in e.proto.spec]  # the plane's
    assert len(players) == 1  # in the layout for the width told
    element = players[0]
    return {d.name: pa.ipc.open_stream(d.data.data).read_all().column_names for d in element.proto.datasets}


def metric(at, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def config(at):
    return at.session_state["train_config"]


def test_defaults_are_the_lessons_deeper_network(at):
    assert_no_exception(at)
    assert at.title[0].value == "The free lab: inner layers"
    assert config(at) == DEEPER_LESSON
    sidebar = at.sidebar
    assert sidebar.slider(key="n_hidden").value == 1 and sidebar.slider(key="nodes_1").value == 3
    assert sidebar.slider(key="epochs").value == 25
    assert sidebar.select_slider(key="lr").value == 0.01
    assert sidebar.select_slider(key="batch").value == 16
    assert sidebar.selectbox(key="optimizer").value == "rmsprop"
    assert metric(at, "Trainable parameters") == "26"
    assert player_opens_at(at) == 25
    # the lesson's 5 × 5 grid: epochs 1 to 25, each titled with its test accuracy
    assert [title.split(" ·")[0] for title in panels(at)] == [f"Epoch {e}" for e in range(1, 26)]
    assert all(" · test acc " in title and title.endswith("%") for title in panels(at))
    assert any("epochs 1–25" in m.value for m in at.markdown)
    assert "4 → 3 → 2 → 1" in at.caption[0].value
    assert "RMSprop(learning_rate=0.01)" in at.code[0].value
    assert not at.warning  # the default start keeps both bottleneck units alive


def test_a_dead_node_is_said_not_hidden(at):
    at.sidebar.number_input(key="seed").set_value(0).run()  # this start loses node 1
    assert_no_exception(at)
    [warning] = [w.value for w in at.warning if "node 1 is dead" in w.value]
    assert "**Try:** **Re-initialize**" in warning and "smaller learning rate" in warning


def test_epochs_change_the_snapshots_and_the_scrubber(at):
    at.sidebar.slider(key="epochs").set_value(4).run()
    assert_no_exception(at)
    assert config(at).epochs == 4
    assert [title.split(" ·")[0] for title in panels(at)] == [f"Epoch {e}" for e in range(1, 5)]
    params = player_params(at)
    bind = params["epoch"]["bind"]
    assert (bind["input"], bind["min"], bind["max"], bind["step"]) == ("range", 0, 4, 1)
    assert player_opens_at(at) == 4  # the trained network; epoch 0 is on the slider
    assert len(params["accuracy"]["value"]) == 5


def test_the_player_carries_every_epoch_and_plays_in_the_browser(at):
    at.sidebar.slider(key="epochs").set_value(4).run()
    columns = player_datasets(at)
    for epoch in range(5):  # every snapshot: points, confusion matrix, regions
        assert {f"x@{epoch}", f"y@{epoch}", f"c@{epoch}"} <= set(columns["points"])
        assert f"n@{epoch}" in columns["confusion"] and f"x@{epoch}" in columns["regions"]
    assert "x5" not in columns["points"]
    params = player_params(at)
    assert params["playing"]["bind"]["input"] == "checkbox"  # Play: a timer in the browser steps the epoch
    assert any("timer" in str(handler["events"]) for handler in params["epoch"]["on"])
    # no server-side Play button or epoch slider: the page's one button is the check against Keras
    assert [button.key for button in at.main.button] == [state.KERAS_CHECK_BUTTON] and not at.main.slider


def test_the_views_inside_the_network_are_built_only_when_switched_on():
    """A new run builds the plane first; each view inside is built when its switch is turned on."""
    at = app_test(PAGE, {"epochs": "5"})
    assert_no_exception(at)
    assert not inside_views(at)
    switches = {t.label: t for t in at.main.toggle}
    assert {"Draw every node's picture", "Draw the bent grid"} <= set(switches)
    assert sum("Switch it on to build this view" in c.value for c in at.main.caption) == 2
    switches["Draw every node's picture"].set_value(True).run()
    assert_no_exception(at)
    assert inside_views(at) == ["nodes"]
    assert sum("Switch it on to build this view" in c.value for c in at.main.caption) == 1
    assert at.query_params["node_pictures"] == "true"  # a link keeps it open
    at.main.toggle(key="bending_grid").set_value(True).run()
    assert inside_views(at) == ["nodes", "bending"]


def inside_views(at) -> list[str]:
    """The views inside the network drawn on the page, in order: node pictures, bent grid."""
    specs = [json.dumps(spec) for spec in chart_specs(at)]
    return [
        "nodes" if "node_pick" in spec else "bending"
        for spec in specs
        if "node_pick" in spec or "Grid of the input plane" in spec
    ]


def test_nodes_and_layers_change_the_parameter_count(at):
    at.sidebar.slider(key="nodes_1").set_value(8).run()
    assert_no_exception(at)
    assert metric(at, "Trainable parameters") == str((4 + 1) * 8 + (8 + 1) * 2 + (2 + 1) * 1)
    at.sidebar.slider(key="n_hidden").set_value(0).run()
    assert metric(at, "Trainable parameters") == "13"  # the lesson's 4 → 2 → 1
    at.sidebar.slider(key="n_hidden").set_value(2).run()
    assert_no_exception(at)
    assert config(at).hidden == (8, 4)  # layer 1 kept its 8 nodes while off; a new layer has 4
    assert "hidden_2" in at.code[0].value


def test_activation_optimizer_rate_and_batch_reach_the_config_and_code(at):
    at.sidebar.selectbox(key="activation").select("tanh")
    at.sidebar.selectbox(key="optimizer").select("adam")
    at.sidebar.select_slider(key="lr").set_value(0.05)
    at.sidebar.select_slider(key="batch").set_value(64).run()
    assert_no_exception(at)
    got = config(at)
    assert (got.activation, got.optimizer, got.learning_rate, got.batch_size) == ("tanh", "adam", 0.05, 64)
    assert "Adam(learning_rate=0.05)" in at.code[0].value and 'activation="tanh"' in at.code[0].value
    assert at.sidebar.select_slider(key="batch").options[-1] == "672 (full batch)"


def test_seeds_and_reinitialize(at):
    at.sidebar.number_input(key="split_seed").set_value(7).run()
    assert config(at).split_seed == 7 and "random_state=7" in at.code[0].value
    seed = config(at).seed
    at.sidebar.button[0].click().run()  # Re-initialize
    assert_no_exception(at)
    assert config(at).seed == seed + 1 == at.sidebar.number_input(key="seed").value


def test_the_settings_survive_a_visit_to_another_page():
    at = app_test(PAGE)
    at.sidebar.slider(key="epochs").set_value(3).run()
    at.switch_page("app_pages/data.py").run()
    at.switch_page(PAGE).run()
    assert_no_exception(at)
    assert at.sidebar.slider(key="epochs").value == 3 and config(at).epochs == 3
    assert player_opens_at(at) == 3  # the trained network, not epoch 0


def test_a_dead_bottleneck_is_explained_instead_of_drawn():
    at = app_test(PAGE)
    at.sidebar.slider(key="epochs").set_value(5)
    at.sidebar.select_slider(key="lr").set_value(1.0).run()
    assert_no_exception(at)
    assert any("Dead bottleneck at epoch 5" in e.value for e in at.error)
    assert player_opens_at(at) is None  # no plane of points all at (0, 0)
    assert 0 <= final_test_accuracy(at) <= 1  # the numbers are still stated


def test_a_diverged_run_is_explained_instead_of_drawn():
    at = app_test(PAGE)
    at.sidebar.slider(key="epochs").set_value(5)
    at.sidebar.selectbox(key="activation").select("linear")
    at.sidebar.selectbox(key="optimizer").select("momentum")
    at.sidebar.select_slider(key="lr").set_value(1.0).run()
    assert_no_exception(at)
    assert "Training diverged at epoch" in at.error[0].value
    assert player_opens_at(at) is None and not [s for s in chart_specs(at) if "facet" in s]
    assert [c.language for c in at.code].count("python") == 1  # the code is still there to learn from


def test_a_multiclass_data_set_shades_softmax_regions():
    at = app_test(PAGE)
    at.sidebar.selectbox(key="data").select("iris")
    at.sidebar.slider(key="epochs").set_value(5).run()
    assert_no_exception(at)
    assert player_opens_at(at) == 5
    assert player_params(at)["classes"]["value"] == ["setosa", "versicolor", "virginica"]
    assert "to_categorical" in at.code[0].value
    assert at.sidebar.select_slider(key="batch").options[-1].endswith("(full batch)")


def test_the_code_section_says_what_the_courses_k_function_became(at):
    text = " ".join(m.value for m in at.markdown)
    assert "`K.function([model.input], [layer.output])`" in text
    assert "`keras.Model(model.inputs, layer.output)`" in text


def test_the_check_against_keras_says_its_cost_then_shows_both_trainings():
    """The button names its cost before it is pressed; pressed, it shows how far Keras' own model.fit
    of this network lies from the engine's run, and is greyed out; a second session on the same
    network gets the same check (computed once); another network has its own button again."""
    at = app_test(PAGE)
    button = at.button(key=state.KERAS_CHECK_BUTTON)
    assert re.fullmatch(r"Check against Keras' own model\.fit \(about \d+ s\)", button.label)
    assert "1,050 minibatch updates" in button.help  # 25 epochs of 672 fitting rows in batches of 16
    button.click().run()
    assert_no_exception(at)
    _, check = at.session_state[state.KERAS_CHECK]
    assert check.drift_epoch is None and check.weight_gap <= 1e-5 and check.bottleneck_gap <= 1e-4
    assert check.engine_accuracy == check.keras_accuracy == pytest.approx(final_test_accuracy(at), abs=5e-4)
    assert metric(at, "Largest weight difference") == readable(check.weight_gap)
    assert metric(at, "Largest bottleneck difference") == readable(check.bottleneck_gap)
    assert metric(at, "Test accuracy, engine / Keras") == "99.5% / 99.5%"
    assert re.fullmatch(r"\d+\.\d s / \d+\.\d s", metric(at, "Training time, engine / Keras"))
    assert any("The same training, to float32 rounding:" in m.value for m in at.markdown)
    assert [b.disabled for b in at.button if b.label == "Checked against Keras' own model.fit"] == [True]

    other = app_test(PAGE)
    other.button(key=state.KERAS_CHECK_BUTTON).click().run()
    assert other.session_state[state.KERAS_CHECK][1] == check  # Keras' time too: the cached check

    at.sidebar.slider(key="epochs").set_value(24).run()
    assert_no_exception(at)
    assert not any(m.label == "Largest weight difference" for m in at.metric)
    assert not at.button(key=state.KERAS_CHECK_BUTTON).disabled


def test_with_dropout_and_noise_the_check_against_keras_compares_accuracies_not_weights():
    """Keras' Dropout and GaussianNoise layers draw other random numbers than the engine: the check
    says so plainly and shows the two accuracies and times, no weight or bottleneck difference."""
    at = app_test(PAGE, {"dropout": "0.3", "noise": "0.5", "epochs": "3"})
    assert "(and dropout, input noise)" in " ".join(m.value for m in at.markdown)
    at.button(key=state.KERAS_CHECK_BUTTON).click().run()
    assert_no_exception(at)
    _, check = at.session_state[state.KERAS_CHECK]
    assert not check.exact
    assert any("Not the same training, and not meant to be:" in m.value for m in at.markdown)
    assert not any("float32 rounding" in m.value for m in at.markdown)
    assert [m.label for m in at.metric if "engine / Keras" in m.label or "difference" in m.label] == [
        "Test accuracy, engine / Keras",
        "Training time, engine / Keras",
    ]


@pytest.mark.parametrize("name", ["wine", "iris", "breast_cancer", "digits", "upload"])
def test_the_check_against_keras_works_on_every_data_set(name):
    if name == "upload":
        at = upload(first_run(data="upload"), "fruit.csv", fruit_csv())
        at.switch_page(PAGE).run()
    else:
        at = app_test(PAGE)
        at.sidebar.selectbox(key="data").select(name)
    at.sidebar.slider(key="epochs").set_value(3).run()
    at.button(key=state.KERAS_CHECK_BUTTON).click().run()
    assert_no_exception(at)
    _, check = at.session_state[state.KERAS_CHECK]
    assert len(check.weight_gaps) == 3 and check.weight_gaps[0] <= 1e-6
    assert metric(at, "Largest weight difference") == readable(check.weight_gap)


def test_a_network_too_long_to_check_says_so_instead(monkeypatch):
    import ui.keras_check

    monkeypatch.setattr(ui.keras_check, "LONGEST", 0.5)  # seconds: shorter than any check
    at = app_test(PAGE)
    assert_no_exception(at)
    [button] = [b for b in at.button if b.label.startswith("Check against Keras")]
    assert button.disabled
    assert any(
        "too long to check here" in c.value and "1,050 minibatch updates" in c.value for c in at.caption
    )
