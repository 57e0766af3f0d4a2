"""The inner-layer page in AppTest: defaults, every control, and runs that cannot be drawn."""

import pytest

from conftest import app_test, assert_no_exception, chart_specs
from lib.training import DEEPER_LESSON

PAGE = "app_pages/inner_layer.py"


@pytest.fixture(scope="module")
def at():
    """One session shared by the control tests (each test sets what it checks)."""
    return app_test(PAGE)


def panels(at) -> list[str]:
    [spec] = [s for s in chart_specs(at) if "facet" in s]
    return spec["facet"]["sort"]


def plane_title(at) -> str | None:
    titles = [s.get("title") for s in chart_specs(at) if "layer" in s]
    return next((t for t in titles if isinstance(t, str) and t.startswith("Epoch")), None)


def metric(at, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def config(at):
    return at.session_state["train_config"]


def test_defaults_are_the_lessons_deeper_network(at):
    assert_no_exception(at)
    assert at.title[0].value == "Inner layers: the lesson"
    assert config(at) == DEEPER_LESSON
    sidebar = at.sidebar
    assert sidebar.slider(key="n_hidden").value == 1 and sidebar.slider(key="nodes_1").value == 3
    assert sidebar.slider(key="epochs").value == 25
    assert sidebar.select_slider(key="learning_rate").value == 0.01
    assert sidebar.select_slider(key="batch_size").value == 16
    assert sidebar.selectbox(key="optimizer").value == "rmsprop"
    assert metric(at, "Trainable parameters") == "26"
    assert plane_title(at).startswith("Epoch 25 · test accuracy")
    assert len(panels(at)) == 25 and panels(at)[0].startswith("Epoch 0 ·")
    assert "4 → 3 → 2 → 1" in at.caption[0].value
    assert "RMSprop(learning_rate=0.01)" in at.code[0].value
    assert not at.warning  # the default start keeps both bottleneck units alive


def test_a_dead_node_is_said_not_hidden(at):
    at.sidebar.number_input(key="init_seed").set_value(0).run()  # this start loses node 1
    assert_no_exception(at)
    [warning] = [w.value for w in at.warning if "node 1 is dead" in w.value]
    assert "**Try:** **Re-initialize**" in warning and "smaller learning rate" in warning


def test_epochs_change_the_snapshots_and_the_scrubber(at):
    at.sidebar.slider(key="epochs").set_value(4).run()
    assert_no_exception(at)
    assert config(at).epochs == 4
    assert len(panels(at)) == 5 and panels(at)[-1].startswith("Epoch 4 ·")
    assert at.slider(key="view_epoch").max == 4 and at.slider(key="view_epoch").value == 4
    assert plane_title(at).startswith("Epoch 4 ·")


def test_the_scrubber_shows_an_earlier_epoch(at):
    at.slider(key="view_epoch").set_value(0).run()
    assert_no_exception(at)
    assert plane_title(at).startswith("Epoch 0 ·")
    assert metric(at, "Test accuracy after epoch 0")


def test_play_steps_through_the_epochs_and_pause_stops(at):
    at.button(key="view_play").click().run()
    assert_no_exception(at)
    assert at.session_state["view_playing"]
    before = at.session_state["view_epoch"]
    at.run()  # what a timer tick does: rerun the fragment, one step further
    assert at.session_state["view_epoch"] > before
    at.button(key="view_play").click().run()
    assert not at.session_state["view_playing"]


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
    at.sidebar.select_slider(key="learning_rate").set_value(0.05)
    at.sidebar.select_slider(key="batch_size").set_value(64).run()
    assert_no_exception(at)
    got = config(at)
    assert (got.activation, got.optimizer, got.learning_rate, got.batch_size) == ("tanh", "adam", 0.05, 64)
    assert "Adam(learning_rate=0.05)" in at.code[0].value and 'activation="tanh"' in at.code[0].value
    assert at.sidebar.select_slider(key="batch_size").options[-1] == "672 (full batch)"


def test_seeds_and_reinitialize(at):
    at.sidebar.number_input(key="split_seed").set_value(7).run()
    assert config(at).split_seed == 7 and "random_state=7" in at.code[0].value
    seed = config(at).seed
    at.sidebar.button[0].click().run()  # Re-initialize
    assert_no_exception(at)
    assert config(at).seed == seed + 1 == at.sidebar.number_input(key="init_seed").value


def test_the_settings_survive_a_visit_to_another_page():
    at = app_test(PAGE)
    at.sidebar.slider(key="epochs").set_value(3).run()
    at.switch_page("app_pages/data.py").run()
    at.switch_page(PAGE).run()
    assert_no_exception(at)
    assert at.sidebar.slider(key="epochs").value == 3 and config(at).epochs == 3
    assert plane_title(at).startswith("Epoch 3 ·")  # the trained network, not epoch 0


def test_a_dead_bottleneck_is_explained_instead_of_drawn():
    at = app_test(PAGE)
    at.sidebar.slider(key="epochs").set_value(5)
    at.sidebar.select_slider(key="learning_rate").set_value(1.0).run()
    assert_no_exception(at)
    assert any("Dead bottleneck at epoch 5" in e.value for e in at.error)
    assert plane_title(at) is None  # no empty plane
    assert metric(at, "Test accuracy after epoch 5")  # the numbers are still stated


def test_a_diverged_run_is_explained_instead_of_drawn():
    at = app_test(PAGE)
    at.sidebar.slider(key="epochs").set_value(5)
    at.sidebar.selectbox(key="activation").select("linear")
    at.sidebar.selectbox(key="optimizer").select("momentum")
    at.sidebar.select_slider(key="learning_rate").set_value(1.0).run()
    assert_no_exception(at)
    assert "Training diverged at epoch" in at.error[0].value
    assert plane_title(at) is None and not [s for s in chart_specs(at) if "facet" in s]
    assert [c.language for c in at.code].count("python") == 1  # the code is still there to learn from


def test_a_multiclass_data_set_shades_softmax_regions():
    at = app_test(PAGE)
    at.sidebar.selectbox(key="dataset_name").select("iris")
    at.sidebar.slider(key="epochs").set_value(5).run()
    assert_no_exception(at)
    assert plane_title(at).startswith("Epoch 5 ·")
    assert "to_categorical" in at.code[0].value
    assert at.sidebar.select_slider(key="batch_size").options[-1].endswith("(full batch)")


def test_the_code_section_says_what_the_courses_k_function_became(at):
    text = " ".join(m.value for m in at.markdown)
    assert "`K.function([model.input], [layer.output])`" in text
    assert "`keras.Model(model.inputs, layer.output)`" in text
