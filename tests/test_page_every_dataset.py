"""Every bundled data set works on the pages that train: softmax for many classes, a legend
naming each class, and the network widened for wide data."""

import pytest

from lib.datasets import load_dataset
from testkit.apptest import app_test, assert_no_exception, chart_specs, player_opens_at

BUNDLED = ["banknotes", "wine", "iris", "breast_cancer", "digits"]


def class_domains(specs) -> list[list[str]]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("field") == "class" and isinstance(node.get("scale"), dict):
                found.append(node["scale"].get("domain"))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(specs)
    return [d for d in found if d]


@pytest.mark.parametrize("name", BUNDLED)
def test_inner_layer_page_trains_on_each_data_set(name):
    at = app_test("app_pages/inner_layer.py")
    at.sidebar.selectbox(key="data").select(name)
    at.sidebar.slider(key="epochs").set_value(3).run()
    assert_no_exception(at)
    dataset = load_dataset(name)
    config = at.session_state["train_config"]
    assert config.epochs == 3
    assert list(dataset.class_names) in class_domains(chart_specs(at))
    n_out = 1 if dataset.n_classes == 2 else dataset.n_classes
    assert f"→ 2 → {n_out}" in at.caption[0].value
    assert player_opens_at(at) == 3


@pytest.mark.parametrize("name", ["wine", "digits"])
def test_compare_page_maps_each_data_set(name):
    at = app_test("app_pages/compare.py", {"methods": "bottleneck,pca,lda"})  # no t-SNE to wait for
    at.sidebar.selectbox(key="data").select(name)
    at.run()
    assert_no_exception(at)
    assert list(load_dataset(name).class_names) in class_domains(chart_specs(at))
    assert len(at.dataframe[0].value) == 3  # a score row per method
