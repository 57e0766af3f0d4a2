"""Every control at its extremes on the inner-layer and gradient pages (the compare page's: in
tests/test_page_compare.py): no exception, and a result that cannot be drawn or learned is explained
on the page."""

import pytest

from testkit.apptest import (
    app_test,
    assert_no_exception,
    final_test_accuracy,
    player_params,
)

INNER, GRADIENT = "app_pages/inner_layer.py", "app_pages/gradient_descent.py"


def metric(at, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def explained(at) -> bool:
    return bool(at.error or at.warning or at.info)


def final_accuracy(at) -> float:
    return final_test_accuracy(at)


def inner(**widgets):
    """The inner-layer page with sidebar widgets set (sliders, select sliders, number inputs)."""
    at = app_test(INNER)
    for key, value in widgets.items():
        widget = next(
            w
            for kind in ("slider", "select_slider", "number_input", "selectbox")
            for w in getattr(at.sidebar, kind)
            if w.key == key
        )
        widget.set_value(value)
        at.run()  # one at a time: the nodes sliders exist only once their layer is switched on
    assert_no_exception(at)
    return at


@pytest.mark.parametrize(
    "widgets, parameters",
    [
        (dict(epochs=2, nodes_1=1), (4 + 1) * 1 + (1 + 1) * 2 + 3),  # 1 node before the bottleneck
        (
            dict(epochs=2, n_hidden=3, nodes_1=32, nodes_2=32, nodes_3=32),
            (4 + 1) * 32 + 2 * (32 + 1) * 32 + (32 + 1) * 2 + 3,
        ),  # 32 nodes in 3 layers
        (dict(epochs=1, n_hidden=0), 13),  # 1 epoch of the lesson's 4 → 2 → 1
    ],
)
def test_network_sizes_at_their_extremes_train_and_state_their_size(widgets, parameters):
    at = inner(**widgets)
    assert metric(at, "Trainable parameters") == f"{parameters:,}"
    assert 0 <= final_accuracy(at) <= 1
    if final_accuracy(at) < 0.7:  # barely better than guessing: the page must say something
        assert explained(at)


def test_200_epochs_of_full_batch_training_show_the_last_epoch():
    at = app_test(INNER)
    at.sidebar.select_slider(key="batch").set_value(672).run()
    at.sidebar.slider(key="epochs").set_value(200).run()
    assert_no_exception(at)
    assert at.session_state["train_config"].epochs == 200
    params = player_params(at)
    assert params["epoch"]["bind"]["max"] == 200 and params["epoch"]["value"] == 200
    assert len(params["accuracy"]["value"]) == 201  # epoch 0 and every epoch trained


def test_batch_size_1_trains():
    at = inner(epochs=1)
    at.sidebar.select_slider(key="batch").set_value(1).run()
    assert_no_exception(at)
    assert at.session_state["train_config"].batch_size == 1
    assert player_params(at)["epoch"]["value"] == 1 and 0 <= final_accuracy(at) <= 1


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "adagrad"])
def test_learning_rate_1_is_explained_when_it_breaks_training(optimizer):
    at = app_test(INNER)
    at.sidebar.slider(key="epochs").set_value(3)
    at.sidebar.selectbox(key="optimizer").select(optimizer)
    at.sidebar.select_slider(key="lr").set_value(1.0).run()
    assert_no_exception(at)
    assert at.session_state["train_config"].learning_rate == 1.0
    if final_accuracy(at) < 0.7:
        assert explained(at), optimizer


def test_the_largest_seeds_are_accepted():
    at = inner(epochs=2, split_seed=9999, seed=99_999)
    config = at.session_state["train_config"]
    assert (config.split_seed, config.seed) == (9999, 99_999)


def test_gradient_page_controls_at_their_extremes():
    at = app_test(GRADIENT, {"data": "iris"})
    for key, value in (("gd_epochs", 1), ("steps", 100), ("depth", 6)):
        at.slider(key=key).set_value(value).run()
        assert_no_exception(at)
    for key, value in (("gd_seed", 9999), ("start_w1", -10.0), ("start_w2", 10.0)):
        at.number_input(key=key).set_value(value).run()
        assert_no_exception(at)
    at.slider(key="gd_epochs").set_value(100)
    at.multiselect(key="gd_rates").set_value(["1", "0.0001"]).run()
    assert_no_exception(at)
    at.segmented_control(key="paths").set_value("optimizers").run()
    at.number_input(key="surface_lr").set_value(10.0).run()
    assert_no_exception(at)
    assert at.get("vega_lite_chart")


def test_a_typed_value_that_is_not_a_number_is_explained():
    at = app_test(GRADIENT)
    at.multiselect(key="gd_rates").set_value(["0.01", "fast"]).run()
    assert_no_exception(at)
    assert at.warning and "fast" in at.warning[0].value
