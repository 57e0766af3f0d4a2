"""The re-initialisation gallery: one aligned panel per seed, with the accuracy summary."""

from testkit.apptest import app_test, assert_no_exception, chart_specs

PAGE = "app_pages/gallery.py"


def panels(at) -> list[dict]:
    return chart_specs(at)[0]["concat"]


def test_six_seeds_by_default_then_as_many_as_asked():
    at = app_test(PAGE, {"epochs": "3", "seed": "10"})
    assert_no_exception(at)
    titles = [p["title"]["text"] for p in panels(at)]
    assert len(titles) == 6
    assert [t.split(" · ")[0] for t in titles] == [f"seed {s}" for s in range(10, 16)]
    assert "disparity 0.000" in titles[0] and all("test accuracy" in t for t in titles)
    assert at.metric[0].label == "Test accuracy over the seeds" and "±" in at.metric[0].value
    at.slider(key="runs").set_value(2).run()
    assert_no_exception(at)
    assert len(panels(at)) == 2


def test_dead_runs_are_marked_in_the_gallery():
    # Plain SGD with learning rate 1 on single rows kills most relu bottlenecks (seeded: always the same).
    at = app_test(PAGE, {"epochs": "3", "lr": "1", "optimizer": "sgd", "hidden": "", "batch": "1"})
    assert_no_exception(at)
    titles = [p["title"]["text"] for p in panels(at)]
    assert ["DEAD" in t for t in titles] == [True, False, True, True, True, False]
    assert "disparity 0.000 · one node dead" in titles[1]  # the first live run is the reference
    assert any("4 of 6 runs have no map" in w.value for w in at.warning)


def test_collapsed_runs_are_marked_with_advice():
    at = app_test(PAGE, {"seed": "5"})  # seeds 5-10 of the lesson's net: 6, 8 and 10 collapse onto a line
    assert_no_exception(at)
    titles = [p["title"]["text"] for p in panels(at)]
    assert ["collapsed onto one line" in t for t in titles] == [False, True, False, True, False, True]
    [warning] = [w.value for w in at.warning if "learned one feature instead of two" in w.value]
    assert warning.startswith("3 of 6 runs") and "Re-initialize" in warning


def test_the_network_controls_are_in_the_gallerys_sidebar():
    at = app_test(PAGE, {"epochs": "2", "runs": "2", "seed": "20"})
    assert_no_exception(at)
    at.sidebar.slider(key="epochs").set_value(3).run()
    assert_no_exception(at)
    assert at.session_state["train_config"].epochs == 3 and at.query_params["epochs"] == "3"
    assert "3 epochs" in at.caption[0].value and "inner-layer page" not in at.caption[0].value
    [reinitialize] = [b for b in at.sidebar.button if b.label == "Re-initialize"]
    reinitialize.click().run()  # the seeds start one further
    assert [p["title"]["text"].split(" · ")[0] for p in panels(at)] == ["seed 21", "seed 22"]
