"""Links carry settings; every bad value opens clamped or defaulted, with a notice."""

import pytest

from lib.links import config_from_values, fit_to_data, parse_query, to_query, values_from_config
from lib.training import DEEPER_LESSON, TrainConfig
from ui.links import SETTINGS


@pytest.mark.parametrize(
    "key, raw, expected, noticed",
    [
        ("epochs", "40", 40, False),
        ("epochs", "10e9", 200, True),  # huge: clamped to the slider's end
        ("epochs", "0", 1, True),
        ("epochs", "ten", 25, True),  # text where a number belongs: default
        ("epochs", "2.5", 25, True),  # not a whole number
        ("epochs", "nan", 25, True),
        ("lr", "0.05", 0.05, False),
        ("lr", "-0.1", 1e-4, True),  # negative learning rate: clamped to the smallest
        ("lr", "inf", 0.01, True),
        ("lr", "5", 1.0, True),
        ("optimizer", "adam", "adam", False),
        ("optimizer", "lbfgs", "rmsprop", True),  # unknown optimizer: default
        ("hidden", "8,5", (8, 5), False),
        ("hidden", "", (), False),  # no hidden layer: the lesson's first model
        ("hidden", "64,0,3", (32, 1, 3), True),
        ("hidden", ",".join(["4"] * 50), (4, 4, 4), True),  # a huge list of layers: first three
        ("hidden", "a,b", (3,), True),
        ("batch", "-3", 1, True),
        ("dropout", "0.3", 0.3, False),
        ("dropout", "0.8", 0.5, True),  # past the range: its end
        ("noise", "0.5", 0.5, False),
        ("noise", "loud", 0.0, True),
        ("data", "wine", "wine", False),
        ("data", "<script>", "banknotes", True),
        ("perplexity", "100", 50, True),
        ("lock", "epochs,optimizer,bogus", ("epochs", "optimizer"), True),
        ("methods", "abc", SETTINGS["methods"].default, True),  # nothing usable: the default, not none
        ("methods", "abc,pca", ("pca",), True),
        ("gd_rates", "x,y", SETTINGS["gd_rates"].default, True),
    ],
)
def test_each_value_is_used_clamped_or_defaulted(key, raw, expected, noticed):
    parsed = parse_query({key: raw}, SETTINGS)
    assert parsed.values[key] == expected
    assert bool(parsed.notices) == noticed
    if noticed:
        assert SETTINGS[key].label in parsed.notices[0]


@pytest.mark.parametrize(
    "key, raw, notice",
    [
        ("epochs", "abc", "The link's epochs: 'abc' is not a number; using 25 instead."),  # int
        ("epochs", "2.5", "The link's epochs: '2.5' is not a whole number; using 25 instead."),
        ("lr", "fast", "The link's learning rate: 'fast' is not a number; using 0.01 instead."),  # float
        ("lr", "inf", "The link's learning rate: 'inf' is not a finite number; using 0.01 instead."),
        (
            "optimizer",  # choice
            "lbfgs",
            "The link's optimizer: 'lbfgs' is not one of sgd, momentum, nesterov, rmsprop, adam, adagrad; "
            "using rmsprop instead.",
        ),
        (
            "methods",  # list
            "abc",
            "The link's methods shown: 'abc' names none of bottleneck, pca, tsne, lda, autoencoder; "
            "using bottleneck,pca,tsne,lda,autoencoder instead.",
        ),
        (
            "hidden",
            "a,b",
            "The link's hidden layers: 'a,b' is not a list of node counts such as 8,5; using 3",
        ),
        ("all_rows", "maybe", "The link's choice of all rows: 'maybe' is neither true nor false;"),
        ("iterations", "lots", "The link's t-SNE iterations: 'lots' is not a number; using 500 instead."),
    ],
)
def test_notices_say_in_words_what_was_wrong(key, raw, notice):
    [said] = parse_query({key: raw}, SETTINGS).notices
    assert said.startswith(notice)
    for python_text in ("could not convert", "invalid literal", "ValueError", '"'):
        assert python_text not in said


def test_missing_values_take_defaults_without_notice():
    parsed = parse_query({}, SETTINGS)
    assert parsed.notices == ()
    assert config_from_values(parsed.values) == DEEPER_LESSON


def test_an_overlong_value_is_refused_not_parsed():
    parsed = parse_query({"hidden": "3," * 10_000}, SETTINGS)
    assert parsed.values["hidden"] == (3,) and "too long" in parsed.notices[0]


def test_lists_from_streamlit_take_the_first_value():
    assert parse_query({"epochs": ["7", "9"]}, SETTINGS).values["epochs"] == 7


def test_round_trip_of_a_config():
    config = TrainConfig(
        hidden=(8, 5),
        epochs=50,
        optimizer="adam",
        learning_rate=0.003,
        batch_size=32,
        seed=7,
        initializer="he_normal",
        dropout=0.2,
        noise=0.3,
    )
    query = to_query(values_from_config(config), SETTINGS)
    assert query["lr"] == "0.003" and query["hidden"] == "8,5"
    assert query["dropout"] == "0.2" and query["noise"] == "0.3"
    parsed = parse_query(query, SETTINGS)
    assert parsed.notices == ()
    assert config_from_values(parsed.values) == config


def test_round_trip_of_no_hidden_layer():
    query = to_query(values_from_config(TrainConfig()), SETTINGS)
    assert query["hidden"] == ""
    assert config_from_values(parse_query(query, SETTINGS).values).hidden == ()


def test_methods_are_a_subset_of_the_projection_registry():
    from lib.projections import METHODS

    assert parse_query({"methods": "pca,tsne"}, SETTINGS).values["methods"] == ("pca", "tsne")
    parsed = parse_query({"methods": "pca,umap2000,pca"}, SETTINGS)
    assert parsed.values["methods"] == ("pca",) and parsed.notices
    assert parse_query({}, SETTINGS).values["methods"] == tuple(METHODS)


def test_seeds_are_clamped_to_the_pages_ranges():
    assert parse_query({"seed": "123456789"}, SETTINGS).values["seed"] == 99_999
    assert parse_query({"split_seed": "10000"}, SETTINGS).values["split_seed"] == 9999


def test_settings_naming_features_are_checked_against_the_data():
    values = parse_query(
        {"feature1": "entropy", "feature2": "colour", "pairplot": "variance,colour"}, SETTINGS
    ).values
    fitted = fit_to_data(values, ["feature1", "feature2", "pairplot"], ("variance", "entropy"), SETTINGS)
    assert (fitted.values["feature1"], fitted.values["feature2"]) == ("entropy", None)
    assert fitted.values["pairplot"] == ("variance",)
    assert len(fitted.notices) == 2 and "feature for w2" in fitted.notices[0]
    assert fit_to_data(values, ["feature1"], ("entropy",), SETTINGS).notices == ()  # only what the link gave


def test_a_link_with_an_empty_list_opens_the_default_list():
    for key in ("methods", "pairplot", "surface_optimizers"):
        parsed = parse_query({key: ""}, SETTINGS)
        assert parsed.values[key] == SETTINGS[key].default and not parsed.notices
    assert (
        parse_query({"hidden": ""}, SETTINGS).values["hidden"] == ()
    )  # no hidden layer is not a list of none
