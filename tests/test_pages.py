"""Every page in AppTest: it runs, shows the right elements, and handles bad input."""

from testkit.apptest import app_test, assert_no_exception, chart_specs, each_layout


def test_data_page_shows_the_banknotes():
    at = app_test()
    assert_no_exception(at)
    assert at.title[0].value == "The data"
    assert [m.value for m in at.metric] == ["1,372", "4", "2"]
    assert "genuine** 762 (56%)" in at.caption[0].value
    for _ in each_layout(at, "pairplot"):  # the scatter-plot matrix, in each layout
        [spec] = chart_specs(at)
        assert spec["usermeta"]["features"] == ["variance", "skewness", "kurtosis", "entropy"]
    assert len(at.dataframe[0].value) == 1372


def test_pairplot_features_can_be_chosen():
    at = app_test()
    at.multiselect[0].set_value(["variance", "entropy"]).run()
    assert_no_exception(at)
    assert chart_specs(at)[0]["usermeta"]["features"] == ["variance", "entropy"]
    at.multiselect[0].set_value([]).run()
    assert_no_exception(at)
    assert "at least one feature" in at.info[0].value


def test_missing_data_file_shows_what_is_wrong(monkeypatch, tmp_path):
    from lib import datasets

    missing = tmp_path / "missing.csv"
    monkeypatch.setattr(datasets, "BANKNOTES_FILE", missing)  # caches: cleared by conftest
    at = app_test()
    assert_no_exception(at)
    assert str(missing) in at.error[0].value and "cannot be read" in at.error[0].value
    assert not chart_specs(at)
