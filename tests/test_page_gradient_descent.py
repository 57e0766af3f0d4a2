"""The gradient-descent page in AppTest: each section's defaults, its controls, bad input."""

import pandas as pd
import pytest

from testkit.apptest import app_test, assert_no_exception, chart_data, chart_specs, set_config

PAGE = "app_pages/gradient_descent.py"


@pytest.fixture(scope="module")
def at():
    return app_test(PAGE)


def chart_titles(at) -> list[str]:
    """Titles of the charts' panels, to tell which chart is which."""

    def titles(spec):
        found = [spec["title"]] if isinstance(spec.get("title"), str) else []
        for child in [*spec.get("hconcat", []), *spec.get("concat", []), *spec.get("layer", [])]:
            found += titles(child)
        return found

    return [t for spec in chart_specs(at, widest=True) for t in titles(spec)]


def values_of(frame: pd.DataFrame, field: str) -> set:
    return set(frame[field].dropna())


def test_defaults_show_all_three_sections(at):
    assert_no_exception(at)
    assert at.title[0].value == "Gradient descent"
    assert [h.value for h in at.header] == [
        "1 · Compare runs",
        "2 · Gradient descent on a loss surface",
        "3 · Backpropagation: how much gradient reaches each layer",
    ]
    specs = chart_data(at)
    assert len(specs) == 5
    assert {
        "Loss",
        "Accuracy",
        "The loss surface and the paths of the weights",
        "Loss after each step",
    } <= set(chart_titles(at))
    assert values_of(specs[0], "value") == {"0.01", "0.05", "0.1", "0.5"}  # the course's rates
    assert values_of(specs[1], "path") == {"sgd, lr 0.3", "sgd, lr 1", "sgd, lr 4", "sgd, lr 9"}
    assert values_of(specs[3], "layer") == {"hidden_1", "bottleneck", "output"}  # DEEPER_LESSON
    assert values_of(specs[4], "run") == {"sigmoid net", "relu net"}
    readings = [i.value for i in at.info]
    assert readings[0].startswith("Learning rate 0.5 reached 95% accuracy")
    assert "in the sigmoid net it is" in readings[1] and "smaller" in readings[1]
    assert not at.warning and not at.error


def test_compare_runs_follows_the_varied_choice():
    at = app_test(PAGE)
    at.segmented_control(key="vary").set_value("optimizer").run()
    assert_no_exception(at)
    assert values_of(chart_data(at)[0], "value") == {
        "sgd",
        "momentum 0.3",
        "nesterov 0.3",
        "adam",
        "adagrad",
        "rmsprop",
    }
    assert at.info[0].value.startswith("Optimizer ")
    at.multiselect(key="gd_optimizers").set_value(["sgd", "momentum 0.9", "warp drive"]).run()
    assert_no_exception(at)
    assert values_of(chart_data(at)[0], "value") == {"sgd", "momentum 0.9"}
    assert "Unknown optimizer “warp drive”" in at.warning[0].value
    at.radio(key="model").set_value("mlp").run()
    at.slider(key="gd_epochs").set_value(3).run()
    assert_no_exception(at)
    assert "network 4 → 3 → 2 → 1" in at.caption[0].value
    assert max(values_of(chart_data(at)[0], "epoch")) == 3


def test_compare_runs_without_values_says_what_to_do():
    at = app_test(PAGE)
    at.multiselect(key="gd_rates").set_value(["fast"]).run()
    assert_no_exception(at)
    assert "not a number" in at.warning[0].value
    assert "at least one value" in at.info[0].value
    assert len(chart_specs(at, widest=True)) == 4  # the other sections still draw


def test_surface_compares_optimizers_and_learning_rates():
    at = app_test(PAGE)
    at.segmented_control(key="paths").set_value("optimizers").run()
    assert_no_exception(at)
    surface = chart_data(at)[1]
    assert values_of(surface, "path") == {"sgd, lr 0.5", "momentum 0.9, lr 0.5", "adam, lr 0.5"}
    at.number_input(key="start_w1").set_value(-2.0).run()
    at.radio(key="rows_per_step").set_value(16).run()
    assert_no_exception(at)
    starts = chart_data(at)[1].query("step == 0").drop_duplicates("path")
    assert len(starts) == 3 and (starts.w1 == -2.0).all() and (starts.w2 == 3.0).all()
    assert any("16 rows only" in c.value for c in at.caption)


def test_surface_with_the_same_feature_twice_warns():
    at = app_test(PAGE)
    at.selectbox(key="feature2").set_value("skewness").run()
    assert_no_exception(at)
    assert "two different features" in at.warning[0].value
    assert "The loss surface and the paths of the weights" not in chart_titles(at)


def test_backpropagation_section_follows_depth_and_optimizer():
    at = app_test(PAGE)
    at.slider(key="depth").set_value(1).run()
    assert_no_exception(at)
    assert values_of(chart_data(at)[4], "layer") == {"hidden_1", "bottleneck", "output"}
    at.toggle(key="adaptive").set_value(True).run()
    assert_no_exception(at)
    assert any("train with rmsprop at learning rate 0.01" in c.value for c in at.caption)


def test_other_data_sets_work_too():
    at = app_test(PAGE)
    at.session_state["data"] = "iris"  # the sidebar's choice
    at.run()
    assert_no_exception(at)
    assert len(chart_specs(at, widest=True)) == 5
    assert any("from all the others" in c.value for c in at.caption)


def test_the_current_network_comes_from_the_inner_layer_page():
    from lib.training import TrainConfig

    at = app_test(PAGE)
    set_config(at, TrainConfig(hidden=(5, 4), epochs=3, optimizer="adam"))
    at.run()
    assert_no_exception(at)
    assert values_of(chart_data(at)[3], "layer") == {"hidden_1", "hidden_2", "bottleneck", "output"}
    assert max(values_of(chart_data(at)[3], "epoch")) == 3
    assert any("4 → 5 → 4 → 2 → 1, relu, adam" in c.value for c in at.caption)


def test_surface_learning_rates_can_be_typed_in():
    at = app_test(PAGE)
    at.multiselect(key="surface_rates").set_value(["0.3", "2.5", "100"]).run()
    assert_no_exception(at)
    assert values_of(chart_data(at)[1], "path") == {"sgd, lr 0.3", "sgd, lr 2.5"}
    assert "at most 10" in at.warning[0].value


def test_the_network_changed_on_the_inner_layer_page_is_the_one_named_here():
    from ui import state

    at = app_test("app_pages/inner_layer.py")
    at.sidebar.slider(key="epochs").set_value(3)
    at.sidebar.slider(key=state.nodes(1)).set_value(5)
    at.sidebar.selectbox(key="optimizer").select("adam").run()
    at.switch_page(PAGE).run()
    assert_no_exception(at)
    assert any("The current network: 4 → 5 → 2 → 1, relu, adam" in c.value for c in at.caption)
    at.radio(key="model").set_value("mlp").run()
    assert "network 4 → 5 → 2 → 1" in at.caption[0].value


def test_a_fresh_session_on_another_data_set_shows_that_data_sets_network():
    at = app_test(PAGE)
    at.sidebar.selectbox(key="data").select("wine").run()  # never visited the inner-layer page
    assert_no_exception(at)
    assert any("The current network: 13 → 8 → 5 → 2 → 3" in c.value for c in at.caption)
