"""A chart's cache key (ui.charts) names its builder and everything it is built from, by content."""

import dataclasses
import pickle

import numpy as np
import pandas as pd
import pytest

from lib.charts import inner_layer as rc
from lib.charts import plane
from lib.charts.layouts import LAYOUTS
from lib.training import LESSON, train
from ui.charts import _key, _specs, identity


@pytest.fixture(scope="module")
def run(banknotes):
    return train(banknotes, dataclasses.replace(LESSON, epochs=2))


def test_a_copy_has_the_same_key_and_other_contents_another(run, banknotes):
    copy = pickle.loads(pickle.dumps(run))  # what a cache hit gives back: another object, the same run
    assert _key(rc.curves_layouts, (copy.history,), "curves") == _key(
        rc.curves_layouts, (run.history,), "curves"
    )
    assert _key(rc.architecture_parts, (copy,), None) == _key(rc.architecture_parts, (run,), None)
    other = train(banknotes, dataclasses.replace(LESSON, epochs=2, seed=1))
    assert identity(other) != identity(run)
    x = banknotes.X.copy()
    x[0, 0] += 1e-9  # an upload that differs in one value is another data set
    assert identity(dataclasses.replace(banknotes, X=x)) != identity(banknotes)
    assert identity(pd.DataFrame({"a": ["x", "y"]})) != identity(pd.DataFrame({"a": ["x", "z"]}))
    assert identity(np.arange(3)) != identity(np.arange(3.0))  # another dtype
    assert identity(pickle.loads(pickle.dumps(banknotes))) == identity(banknotes)


def test_a_frame_of_numbers_is_named_by_its_values_index_columns_and_dtypes():
    """Numbers are digested as bytes, not row by row: anything that changes the frame changes its name."""
    frame = pd.DataFrame({"loss": [0.5, 0.25], "accuracy": [0.75, 1.0]}, index=[1, 2])
    changed = [
        frame.assign(loss=[0.5, 0.25 + 1e-12]),
        frame.set_axis([2, 3]),
        frame.rename(columns={"loss": "val_loss"}),
        frame.astype({"loss": np.float32}),
        frame[["accuracy", "loss"]],
    ]
    names = {identity(f) for f in [frame, *changed]}
    assert len(names) == 1 + len(changed)
    assert identity(frame.copy()) == identity(frame)
    mixed = frame.assign(kept=[True, False])  # booleans beside numbers: named by value, not by address
    assert identity(mixed) == identity(mixed.copy()) != identity(mixed.assign(kept=[True, True]))


def test_the_key_names_the_builder_and_refuses_a_nameless_one(run):
    assert _key(rc.architecture_parts, (run,), None)[:2] == (
        "lib.charts.inner_layer.architecture_parts",
        None,
    )
    assert _key(rc.architecture_parts, (run,), None) != _key(rc.architecture_layouts, (run,), None)
    with pytest.raises(TypeError, match="module-level"):
        _key(lambda: None, (), None)
    with pytest.raises(TypeError, match="identity"):
        identity(object())


def test_a_page_builds_only_the_layouts_it_draws_and_the_one_its_menu_saves(run):
    """Told a phone's width, the page sends the narrow layout: the medium one is not built at all."""
    args = (run, rc.chosen_epochs(run.config.epochs), plane.plane_extent(run.snapshots))
    key = _key(rc.evolution_layouts, args, "evolution")
    phone = _specs(key, rc.evolution_layouts, args, "evolution", ("wide", "narrow"))
    assert set(phone) == {"wide", "narrow"}
    every = _specs(key, rc.evolution_layouts, args, "evolution")  # no names: every layout
    assert set(every) == {layout.name for layout in LAYOUTS["evolution"]}
    assert phone["narrow"]["columns"] == every["narrow"]["columns"] == LAYOUTS["evolution"][-1].columns
