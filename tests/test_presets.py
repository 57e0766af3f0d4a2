"""Which network each data set opens with, and which features its pairplot starts from."""

import numpy as np
import pytest

from lib.data_summary import separating_features
from lib.datasets import Dataset, load_dataset
from lib.presets import default_config_for, funnel
from lib.training import DEEPER_LESSON, WINE_EXERCISE


@pytest.mark.parametrize(
    "name, sizes",
    [
        ("banknotes", (4, 3, 2, 1)),
        ("iris", (4, 3, 2, 3)),
        ("wine", (13, 8, 5, 2, 3)),
        ("breast_cancer", (30, 16, 8, 2, 1)),
        ("digits", (64, 32, 16, 2, 10)),
    ],
)
def test_each_bundled_set_opens_with_a_network_that_fits_it(name, sizes):
    dataset = load_dataset(name)
    config = default_config_for(dataset)
    assert config.layer_sizes(dataset.n_features, dataset.n_classes) == sizes
    assert config.epochs == (WINE_EXERCISE if name == "wine" else DEEPER_LESSON).epochs


def test_the_lesson_and_the_exercise_are_the_presets_themselves(banknotes):
    assert default_config_for(banknotes) == DEEPER_LESSON
    assert default_config_for(load_dataset("wine")) is WINE_EXERCISE


def synthetic(rows: int, features: int) -> Dataset:
    rng = np.random.default_rng(0)
    return Dataset(
        "upload",
        rng.normal(size=(rows, features)),
        np.arange(rows) % 2,
        tuple(f"f{i}" for i in range(features)),
        ("a", "b"),
    )


def test_large_and_wide_uploads_get_a_bigger_batch_and_at_most_32_nodes():
    config = default_config_for(synthetic(30_000, 1000))
    assert config.batch_size == 128 and config.hidden == (32, 16)
    assert default_config_for(synthetic(300, 5)).hidden == (4, 3)
    assert [funnel(n) for n in (5, 13, 30, 64, 1000)] == [(4, 3), (8, 4), (16, 8), (32, 16), (32, 16)]


def test_separating_features_skip_blank_pixels_and_rank_the_clearest_first():
    digits = load_dataset("digits")
    chosen = separating_features(digits, 4)
    assert len(chosen) == 4 and not {"pixel_0_0", "pixel_0_7"} & set(chosen)
    data = synthetic(100, 6)
    X = data.X.copy()
    X[:, 4] += 10 * data.y  # f4 separates the classes
    X[:, 0] = 1.0  # f0 is constant
    ranked = separating_features(Dataset("upload", X, data.y, data.feature_names, ("a", "b")), 5)
    assert ranked[0] == "f4" and "f0" not in ranked
    assert separating_features(load_dataset("iris"), 4) == list(load_dataset("iris").feature_names)


OPENING_ACCURACY = {"banknotes": 0.98, "wine": 0.95, "iris": 0.95, "breast_cancer": 0.95, "digits": 0.85}


@pytest.mark.parametrize("name", sorted(OPENING_ACCURACY))
def test_every_preset_opens_alive_with_the_classes_apart(name):
    from lib.diagnostics import diagnose
    from lib.training import train

    dataset = load_dataset(name)
    run = train(dataset, default_config_for(dataset))
    assert diagnose(run) == []  # no dead node, no collapsed bottleneck, no divergence
    assert run.test_accuracy >= OPENING_ACCURACY[name]
