"""Links open pages with their settings; bad values get a notice; classroom links lock or hide."""

from lib.training import DEEPER_LESSON, WINE_EXERCISE
from testkit.apptest import app_test, assert_no_exception, chart_data, chart_specs
from ui import state
from ui.charts import SAVE_AS
from ui.links import SETTINGS

INNER = "app_pages/inner_layer.py"


def widget(at, kind: str, label: str):
    matches = [w for w in at.get(kind) if w.label == label]
    assert matches, f"no {kind} labelled {label!r}"
    return matches[0]


def test_a_link_opens_the_inner_layer_page_with_its_settings():
    at = app_test(
        INNER,
        {"epochs": "7", "optimizer": "adam", "hidden": "5", "seed": "1", "lr": "0.05", "activation": "tanh"},
    )
    assert_no_exception(at)
    assert not at.warning
    assert widget(at, "slider", "Epochs").value == 7
    assert widget(at, "slider", "Nodes in hidden layer 1").value == 5
    assert widget(at, "selectbox", "Optimizer").value == "adam"
    assert widget(at, "selectbox", "Activation").value == "tanh"
    assert widget(at, "number_input", "Weights seed").value == 1
    config = at.session_state["train_config"]
    assert (config.epochs, config.hidden, config.optimizer, config.learning_rate, config.seed) == (
        7,
        (5,),
        "adam",
        0.05,
        1,
    )
    assert at.query_params["epochs"] == "7" and at.query_params["hidden"] == "5"  # the address follows
    assert any("epochs=7" in c.value and "optimizer=adam" in c.value for c in at.code)  # copy-link box
    # the user's later change wins over the link
    widget(at, "slider", "Epochs").set_value(9).run()
    assert at.session_state["train_config"].epochs == 9
    assert at.query_params["epochs"] == "9"


def test_bad_values_open_defaulted_or_clamped_with_a_notice():
    at = app_test(
        INNER, {"epochs": "ten", "optimizer": "lbfgs", "lr": "-1", "hidden": "4," * 30, "batch": "50"}
    )
    assert_no_exception(at)
    notices = " ".join(w.value for w in at.warning)
    for label in ("epochs", "optimizer", "learning rate", "hidden layers"):
        assert f"link's {label}" in notices
    assert "The link's batch size 50 is not one of the slider's values; using 64 instead." in notices
    config = at.session_state["train_config"]
    assert config.epochs == DEEPER_LESSON.epochs and config.optimizer == DEEPER_LESSON.optimizer
    assert config.learning_rate == 1e-4 and config.hidden == (4, 4, 4)
    widget(at, "slider", "Epochs").set_value(5).run()  # the notice goes once the settings move on
    assert not [w for w in at.warning if "link's" in w.value]


def test_a_classroom_link_locks_and_hides_controls():
    at = app_test(INNER, {"epochs": "5", "lock": "epochs,optimizer,data", "hide": "activation,seed"})
    assert_no_exception(at)
    assert widget(at, "slider", "Epochs").disabled and widget(at, "slider", "Epochs").value == 5
    assert widget(at, "selectbox", "Optimizer").disabled
    assert widget(at, "selectbox", "Data set").disabled
    assert not widget(at, "slider", "Hidden layers before the bottleneck").disabled
    assert "Activation" not in [s.label for s in at.selectbox]
    assert "Weights seed" not in [n.label for n in at.number_input]
    assert "Re-initialize" not in [b.label for b in at.button]
    assert at.session_state["train_config"].activation == DEEPER_LESSON.activation
    assert at.query_params["lock"] == "epochs,optimizer,data"  # the lock survives in the address


def test_a_link_sets_dropout_and_input_noise_and_a_classroom_link_locks_and_hides_them():
    at = app_test(INNER, {"dropout": "0.2", "noise": "0.3", "epochs": "2"})
    assert_no_exception(at)
    assert widget(at, "select_slider", "Dropout before the bottleneck").value == 0.2
    assert widget(at, "select_slider", "Gaussian input noise (σ)").value == 0.3
    assert (config := at.session_state["train_config"]).dropout == 0.2 and config.noise == 0.3
    widget(at, "select_slider", "Dropout before the bottleneck").set_value(0.4).run()
    assert at.session_state["train_config"].dropout == 0.4 and at.query_params["dropout"] == "0.4"

    at = app_test(INNER, {"dropout": "0.5", "noise": "1", "epochs": "2", "lock": "dropout", "hide": "noise"})
    assert_no_exception(at)
    assert widget(at, "select_slider", "Dropout before the bottleneck").disabled
    assert "Gaussian input noise (σ)" not in [s.label for s in at.select_slider]
    assert (at.session_state["train_config"].dropout, at.session_state["train_config"].noise) == (0.5, 1.0)
    assert at.query_params["noise"] == "1" and at.query_params["hide"] == "noise"


def test_the_classroom_link_maker_builds_a_link_with_lock_and_hide():
    at = app_test(INNER, {"epochs": "4"})
    at.multiselect(key="classroom_lock").set_value(["epochs"])
    at.multiselect(key="classroom_hide").set_value(["optimizer", "lr"]).run()
    assert_no_exception(at)
    assert any(
        "lock=epochs" in c.value and "hide=optimizer,lr" in c.value and "epochs=4" in c.value for c in at.code
    )


def test_a_link_to_wine_preloads_its_network_and_keeps_given_values():
    at = app_test(INNER, {"data": "wine", "epochs": "6"})
    assert_no_exception(at)
    assert widget(at, "selectbox", "Data set").value == "wine"
    config = at.session_state["train_config"]
    assert config.hidden == WINE_EXERCISE.hidden and config.epochs == 6


def test_choosing_another_data_set_preloads_its_network():
    at = app_test(INNER)
    widget(at, "slider", "Epochs").set_value(3).run()
    widget(at, "selectbox", "Data set").set_value("wine").run()
    assert_no_exception(at)
    assert at.session_state["train_config"] == WINE_EXERCISE
    assert widget(at, "slider", "Nodes in hidden layer 2").value == WINE_EXERCISE.hidden[1]
    widget(at, "selectbox", "Data set").set_value("banknotes").run()
    assert at.session_state["train_config"] == DEEPER_LESSON


def test_a_link_opens_the_compare_page_with_its_methods_and_perplexity():
    at = app_test(
        "app_pages/compare.py", {"methods": "pca,bottleneck,nonsense", "perplexity": "12", "epochs": "3"}
    )
    assert_no_exception(at)
    assert widget(at, "multiselect", "Methods to show").value == ["pca", "bottleneck"]
    assert widget(at, "slider", "t-SNE perplexity").value == 12
    assert any("methods shown" in w.value for w in at.warning)
    assert len(chart_specs(at)[0]["concat"]) == 2
    assert at.query_params["methods"] == "pca,bottleneck"
    assert data_downloads(at) == ["Download every map's coordinates (CSV)"]


def data_downloads(at) -> list[str]:
    """The download buttons other than the charts' save menus."""
    return [b.label for b in at.get("download_button") if b.label not in SAVE_AS.values()]


def test_every_chart_has_a_save_menu_made_on_click():
    at = app_test(INNER, {"epochs": "3", "node_pictures": "on", "bending_grid": "on"})
    saves = [b.proto for b in at.get("download_button") if b.label in SAVE_AS.values()]
    charts = chart_specs(at)  # player, node pictures, bent grid, evolution, curves, model
    assert len(charts) == 6  # each in the layout for the width told
    assert len(saves) == len(SAVE_AS) * 6
    assert all(b.deferred_file_id for b in saves)  # drawn only when clicked


def test_the_inner_layer_page_offers_its_downloads():
    at = app_test(INNER, {"epochs": "3"})
    buttons = {b.label: b.proto for b in at.get("download_button") if b.label not in SAVE_AS.values()}
    assert set(buttons) == {
        "Bottleneck activations (CSV)",
        "Learning curves (CSV)",
        "Trained model (.keras)",
        "Python script (.py)",
    }
    # the costly files are made on click (deferred); the script is sent with the page
    assert buttons["Trained model (.keras)"].deferred_file_id
    assert buttons["Python script (.py)"].url


def test_controls_changed_with_the_data_set_are_kept_and_the_others_follow_its_preset():
    import dataclasses

    at = app_test(INNER)
    at.sidebar.selectbox(key="data").select("iris")
    at.sidebar.slider(key="epochs").set_value(3).run()  # same rerun as the data set change
    config = at.session_state["train_config"]
    assert config.epochs == 3 and config.hidden == DEEPER_LESSON.hidden  # iris has 4 features
    # another page, the layers too: kept, the controls show them, the rest is wine's network
    at = app_test("app_pages/compare.py")
    at.sidebar.selectbox(key="data").select("wine")
    at.sidebar.slider(key="nodes_1").set_value(6)
    at.sidebar.slider(key="epochs").set_value(2)
    at.multiselect(key="methods").set_value(["bottleneck"]).run()
    assert_no_exception(at)
    assert at.session_state["train_config"] == dataclasses.replace(WINE_EXERCISE, hidden=(6,), epochs=2)
    assert "13 → 6 → 2 → 3" in at.caption[0].value
    assert at.sidebar.slider(key="epochs").value == 2 and at.sidebar.slider(key="nodes_1").value == 6


def test_advice_never_points_at_a_control_the_link_hides():
    # seed 0 loses bottleneck node 1; the teacher hid the seed and the learning rate
    at = app_test("app_pages/inner_layer.py", {"seed": "0", "hide": "lr,seed"})
    assert_no_exception(at)
    [warning] = [w.value for w in at.warning if "node 1 is dead" in w.value]
    assert "Re-initialize" not in warning and "learning rate" not in warning
    assert "**Try:** the tanh or elu activation" in warning
    at = app_test("app_pages/inner_layer.py", {"seed": "0", "hide": "lr,seed,activation"})
    [warning] = [w.value for w in at.warning if "node 1 is dead" in w.value]
    assert "fixed by your teacher's link" in warning and "Try" not in warning


GRADIENT = "app_pages/gradient_descent.py"


def keys_of(at, kind: str) -> set[str]:
    return {w.key for w in at.get(kind)}


def test_the_initializer_has_a_control_that_follows_links_and_sets_the_config():
    at = app_test(INNER, {"epochs": "3", "init": "he_normal"})
    assert_no_exception(at)
    picker = widget(at, "selectbox", "Initializer (starting weights)")
    assert picker.value == "he_normal" and "starting weights" in picker.help
    assert "He normal (for ReLU)" in picker.options  # readable names
    assert at.session_state[state.CONFIG].initializer == "he_normal"
    picker.set_value("zeros").run()
    assert_no_exception(at)
    assert at.session_state[state.CONFIG].initializer == "zeros"
    assert at.query_params["init"] == "zeros"
    locked = app_test(INNER, {"epochs": "3", "lock": "init"})
    assert widget(locked, "selectbox", "Initializer (starting weights)").disabled
    hidden = app_test(INNER, {"epochs": "3", "init": "lecun_normal", "hide": "init"})
    assert_no_exception(hidden)
    assert "Initializer (starting weights)" not in [s.label for s in hidden.selectbox]
    assert hidden.session_state[state.CONFIG].initializer == "lecun_normal"


GD_LINK = {
    "epochs": "3",
    "vary": "optimizer",
    "model": "mlp",
    "gd_epochs": "4",
    "gd_seed": "5",
    "gd_optimizers": "sgd,momentum 0.9",
    "feature1": "variance",
    "feature2": "entropy",
    "start_w1": "-2",
    "paths": "optimizers",
    "steps": "12",
    "rows_per_step": "16",
    "surface_lr": "0.2",
    "surface_optimizers": "adam,nesterov 0.5",
    "depth": "1",
    "adaptive": "true",
}


def test_a_link_opens_the_gradient_page_with_its_settings():
    at = app_test(GRADIENT, GD_LINK)
    assert_no_exception(at)
    assert not at.warning
    assert at.segmented_control(key="vary").value == "optimizer"
    assert at.radio(key="model").value == "mlp"
    assert at.slider(key="gd_epochs").value == 4 and at.number_input(key="gd_seed").value == 5
    assert at.multiselect(key="gd_optimizers").value == ["sgd", "momentum 0.9"]
    assert (at.selectbox(key="feature1").value, at.selectbox(key="feature2").value) == (
        "variance",
        "entropy",
    )
    assert at.number_input(key="start_w1").value == -2.0
    assert at.segmented_control(key="paths").value == "optimizers"
    assert at.slider(key="steps").value == 12 and at.radio(key="rows_per_step").value == 16
    assert at.number_input(key="surface_lr").value == 0.2
    assert at.multiselect(key="surface_optimizers").value == ["adam", "nesterov 0.5"]
    assert at.slider(key="depth").value == 1 and at.toggle(key="adaptive").value
    assert "4 epochs, seed 5" in at.caption[0].value
    for key, text in GD_LINK.items():  # the address carries them all
        assert at.query_params[key] == (text if key != "start_w1" else "-2"), key
    at.slider(key="gd_epochs").set_value(6).run()
    assert at.query_params["gd_epochs"] == "6"


def test_bad_gradient_page_values_in_a_link_get_notices():
    at = app_test(GRADIENT, {"gd_rates": "0.1,fast", "steps": "500", "feature1": "<b>nope</b>"})
    assert_no_exception(at)
    notices = " ".join(w.value for w in at.warning)
    assert "link's learning rates compared" in notices and "link's number of steps" in notices
    assert "link's feature for w1 is not a feature of this data" in notices
    assert "<b>" not in notices  # the link's text is not shown
    assert at.multiselect(key="gd_rates").value == ["0.1"]
    assert at.slider(key="steps").value == 100
    assert at.selectbox(key="feature1").value == "skewness"  # not a feature: the page's choice


def test_a_classroom_link_locks_and_hides_the_gradient_pages_controls():
    at = app_test(GRADIENT, {"lock": "gd_epochs,vary,paths", "hide": "gd_seed,surface_rates,depth"})
    assert_no_exception(at)
    assert at.slider(key="gd_epochs").disabled and at.segmented_control(key="vary").disabled
    assert at.segmented_control(key="paths").disabled
    assert "gd_seed" not in keys_of(at, "number_input")
    assert "surface_rates" not in keys_of(at, "multiselect")
    assert "depth" not in keys_of(at, "slider")
    assert len(chart_specs(at, widest=True)) == 5  # the hidden ones' values are used: every section draws


def test_a_hidden_gradient_page_control_keeps_the_links_value():
    at = app_test(GRADIENT, {"gd_epochs": "3", "surface_rates": "0.5", "hide": "gd_epochs,surface_rates"})
    assert_no_exception(at)
    assert "gd_epochs" not in keys_of(at, "slider")
    assert "; 3 epochs, seed 0" in at.caption[0].value
    assert set(chart_data(at)[1]["path"].dropna()) == {"sgd, lr 0.5"}


def test_a_link_sets_the_gallerys_seeds_and_the_compare_pages_t_sne():
    at = app_test("app_pages/gallery.py", {"epochs": "2", "runs": "3", "lock": "runs"})
    assert_no_exception(at)
    assert at.slider(key="runs").value == 3 and at.slider(key="runs").disabled
    first = DEEPER_LESSON.seed
    assert f"seeds {first} to {first + 2}" in at.caption[0].value
    assert at.query_params["runs"] == "3"
    hidden = app_test("app_pages/gallery.py", {"epochs": "2", "runs": "2", "hide": "runs"})
    assert "runs" not in keys_of(hidden, "slider")
    assert f"seeds {first} to {first + 1}" in hidden.caption[0].value
    at = app_test(
        "app_pages/compare.py",
        {"epochs": "2", "methods": "pca,lda", "iterations": "250", "all_rows": "true", "lock": "iterations"},
    )
    assert_no_exception(at)
    assert at.select_slider(key="iterations").value == 250
    assert at.select_slider(key="iterations").disabled
    assert at.toggle(key="all_rows").value
    assert "1,372 rows: all rows" in " ".join(m.value for m in at.markdown)
    assert (at.query_params["iterations"], at.query_params["all_rows"]) == ("250", "true")
    hidden = app_test(
        "app_pages/compare.py", {"epochs": "2", "methods": "pca", "all_rows": "true", "hide": "all_rows"}
    )
    assert_no_exception(hidden)
    assert "all_rows" not in keys_of(hidden, "toggle")
    assert "1,372 rows: all rows" in " ".join(m.value for m in hidden.markdown)


def test_a_link_sets_the_data_pages_features():
    at = app_test(None, {"pairplot": "entropy,variance"})
    assert_no_exception(at)
    assert chart_specs(at)[0]["usermeta"]["features"] == ["entropy", "variance"]
    assert at.query_params["pairplot"] == "entropy,variance"
    locked = app_test(None, {"lock": "pairplot"})
    assert at.multiselect(key="pairplot").disabled is False
    assert locked.multiselect(key="pairplot").disabled


def test_the_address_names_the_new_data_sets_features_in_the_run_that_switches_to_it():
    at = app_test(None)
    at.sidebar.selectbox(key="data").set_value("wine").run()
    assert_no_exception(at)
    shown = at.multiselect(key="pairplot").value
    assert "proline" in shown and at.query_params["pairplot"] == ",".join(shown)  # not banknotes' four


CLASSROOM = {"epochs": "30", "optimizer": "adam", "lock": "epochs,optimizer", "hide": "lr,seed"}


def test_locks_and_hides_hold_through_a_data_set_change_and_every_page():
    at = app_test(INNER, {**CLASSROOM, "lr": "0.05"})
    assert_no_exception(at)
    at.sidebar.selectbox(key="data").select("wine").run()
    assert_no_exception(at)
    config = at.session_state[state.CONFIG]
    # the teacher's locked and hidden values stand; the unlocked network follows wine's preset
    assert (config.epochs, config.optimizer, config.learning_rate, config.seed) == (30, "adam", 0.05, 1)
    assert config.hidden == WINE_EXERCISE.hidden and (config.epochs, config.seed) != (
        WINE_EXERCISE.epochs,
        WINE_EXERCISE.seed,
    )
    assert widget(at, "slider", "Epochs").disabled and widget(at, "slider", "Epochs").value == 30
    for page in ("app_pages/gallery.py", "app_pages/compare.py", "app_pages/data.py", INNER):
        at.switch_page(page).run()
        assert_no_exception(at)
        assert at.session_state[state.CONFIG] == config, page
    at.sidebar.selectbox(key="data").select("iris").run()  # changed on another page
    at.switch_page("app_pages/compare.py").run()
    assert_no_exception(at)
    config = at.session_state[state.CONFIG]
    assert (config.epochs, config.optimizer, config.learning_rate, config.seed) == (30, "adam", 0.05, 1)
    assert widget(at, "selectbox", "Optimizer").disabled
    assert "Learning rate (log scale)" not in [s.label for s in at.select_slider]
    assert at.query_params["epochs"] == "30" and at.query_params["hide"] == "lr,seed"


def test_a_classroom_link_offers_no_classroom_link_maker_and_says_what_is_locked():
    maker = "Make a classroom link (for teachers)"
    assert maker in [e.label for e in app_test(INNER, {"epochs": "3"}).expander]
    at = app_test(INNER, {**CLASSROOM, "epochs": "3"})
    assert_no_exception(at)
    assert maker not in [e.label for e in at.expander]
    assert "set by your teacher's link" in widget(at, "slider", "Epochs").help
    assert "set by your teacher's link" in widget(at, "selectbox", "Optimizer").help
    assert "teacher" not in (widget(at, "selectbox", "Activation").help or "")
    assert any("set by your teacher's link" in c.value for c in at.sidebar.caption)
    hidden_only = app_test(INNER, {"epochs": "3", "hide": "seed"})
    assert maker not in [e.label for e in hidden_only.expander]
    locked_seed = app_test(INNER, {"epochs": "3", "lock": "seed,data"})
    [button] = [b for b in locked_seed.button if b.label == "Re-initialize"]
    assert button.disabled and "set by your teacher's link" in button.help
    assert "set by your teacher's link" in widget(locked_seed, "selectbox", "Data set").help


def test_a_link_with_no_usable_method_opens_the_default_methods_with_a_notice():
    at = app_test("app_pages/compare.py", {"epochs": "2", "methods": "abc", "iterations": "250"})
    assert_no_exception(at)
    assert widget(at, "multiselect", "Methods to show").value == list(SETTINGS["methods"].default)
    assert not [i for i in at.info if "at least one method" in i.value]
    assert any("'abc' names none of" in w.value and "instead" in w.value for w in at.warning)
    assert len(chart_specs(at)[0]["concat"]) == len(SETTINGS["methods"].default)


def test_a_link_with_an_empty_list_opens_the_default_list():
    at = app_test("app_pages/compare.py", {"epochs": "2", "methods": "", "iterations": "250"})
    assert_no_exception(at)
    assert widget(at, "multiselect", "Methods to show").value == list(SETTINGS["methods"].default)
    assert len(chart_specs(at)[0]["concat"]) == len(SETTINGS["methods"].default)
    at = app_test(None, {"pairplot": ""})
    assert_no_exception(at)
    assert chart_specs(at)[0]["usermeta"]["features"] == ["variance", "skewness", "kurtosis", "entropy"]


def test_the_network_controls_are_drawn_on_the_pages_that_show_a_network_only():
    at = app_test(None, {"epochs": "4", "step": "4"})
    assert "n_hidden" not in keys_of(at, "slider")  # the data page
    at.switch_page("app_pages/lesson.py").run()
    assert "n_hidden" not in keys_of(at, "slider")  # a step of the lesson's own networks
    next(b for b in at.button if b.label == "Next step").click().run()  # step 5: your turn
    assert_no_exception(at)
    assert at.sidebar.slider(key="epochs").value == 4 and at.session_state["train_config"].epochs == 4
    at.switch_page(GRADIENT).run()
    assert "n_hidden" not in keys_of(at, "slider") and at.session_state["train_config"].epochs == 4
