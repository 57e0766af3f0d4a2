"""Compare runs: one curve per chosen value, the rest fixed, a reading, and clear errors."""

from dataclasses import replace

import numpy as np
import pytest

from lib.charts.gradient_descent import COINCIDE, comparison
from lib.experiments import (
    COURSE_VALUES,
    LOGISTIC,
    Experiment,
    coincidence_note,
    coinciding,
    compare,
    configure,
    deep_nets,
    logistic_base,
    parse_value,
    reading,
    vanishing_reading,
)
from lib.training import DEEPER_LESSON, TrainConfig, train

SHORT = TrainConfig(optimizer="sgd", learning_rate=0.01, batch_size=16, epochs=4, momentum=0.3)


@pytest.mark.parametrize("vary", list(COURSE_VALUES))
def test_one_curve_per_value_for_the_logistic_regression(banknotes, vary):
    values = COURSE_VALUES[vary]
    table = compare(banknotes, Experiment(vary, "logistic", SHORT), values)
    assert list(dict.fromkeys(table["value"])) == list(values)
    counts = table.groupby(["value", "split", "metric"]).size()
    assert len(counts) == len(values) * 4 and (counts == 4).all()  # 4 epochs per curve
    assert np.isfinite(table["score"]).all()
    assert set(table.columns) == {"value", "epoch", "split", "metric", "score"}


def test_only_the_varied_choice_changes():
    config = configure(Experiment("optimizer", base=LOGISTIC), "nesterov 0.3")
    assert (config.optimizer, config.momentum) == ("nesterov", 0.3)
    assert (config.learning_rate, config.batch_size) == (LOGISTIC.learning_rate, LOGISTIC.batch_size)
    assert configure(Experiment("batch_size"), "64").batch_size == 64
    assert configure(Experiment("initializer"), "zeros").initializer == "zeros"


def test_larger_learning_rate_learns_faster_and_the_reading_says_so(banknotes):
    table = compare(banknotes, Experiment("learning_rate", "logistic", LOGISTIC), ["0.01", "0.5"])
    final = table[(table.metric == "loss") & (table.split == "validation") & (table.epoch == 20)]
    losses = final.set_index("value")["score"]
    assert losses["0.5"] < losses["0.01"]
    sentence = reading(table, "learning_rate")
    assert sentence.startswith("Learning rate 0.5 reached 95% accuracy on the validation data first")
    assert "0.01 never did in 20 epochs" in sentence


def test_the_mlp_comparison_trains_the_current_network(banknotes):
    base = TrainConfig(hidden=(3,), epochs=3)
    table = compare(banknotes, Experiment("batch_size", "mlp", base), ["16", "128"])
    run = train(banknotes, TrainConfig(hidden=(3,), epochs=3, batch_size=128))
    ours = table[(table.value == "128") & (table.metric == "loss") & (table.split == "training")]
    np.testing.assert_allclose(ours["score"], run.history["loss"])


def test_reading_names_a_diverged_run():
    import pandas as pd

    rows = [
        ("a", e, s, m, np.nan if m == "loss" and e == 2 else 0.5)
        for e in (1, 2)
        for s in ("training", "validation")
        for m in ("loss", "accuracy")
    ]
    rows += [
        ("b", e, s, m, 0.3) for e in (1, 2) for s in ("training", "validation") for m in ("loss", "accuracy")
    ]
    table = pd.DataFrame(rows, columns=["value", "epoch", "split", "metric", "score"])
    sentence = reading(table, "learning_rate")
    assert "learning rate a diverged" in sentence and "with learning rate b" in sentence


@pytest.mark.parametrize(
    "vary, text, canonical",
    [
        ("learning_rate", " 0.20 ", "0.2"),
        ("learning_rate", "1e-3", "0.001"),
        ("batch_size", "032", "32"),
        ("optimizer", "Momentum 0.9", "momentum 0.9"),
        ("optimizer", "nesterov", "nesterov 0.3"),
        ("optimizer", "ADAM", "adam"),
        ("initializer", "glorot_normal", "glorot_normal"),
    ],
)
def test_typed_values_are_accepted(vary, text, canonical):
    assert parse_value(vary, text) == canonical


@pytest.mark.parametrize(
    "vary, text, message",
    [
        ("learning_rate", "fast", "not a number"),
        ("learning_rate", "-1", "above 0"),
        ("learning_rate", "50", "at most 10"),
        ("batch_size", "2.5", "whole number"),
        ("batch_size", "0", "whole number"),
        ("optimizer", "lbfgs", "Unknown optimizer"),
        ("optimizer", "momentum 1.5", "below 1"),
        ("optimizer", "adam 0.9", "Only momentum"),
        ("initializer", "ones", "Unknown initializer"),
    ],
)
def test_bad_values_get_a_clear_message(vary, text, message):
    with pytest.raises(ValueError, match=message):
        parse_value(vary, text)


def test_deep_pair_differs_only_in_activation():
    nets = deep_nets(DEEPER_LESSON, 3)
    sigmoid, relu = nets.values()
    assert sigmoid.hidden == relu.hidden == (8, 8, 8)
    assert (sigmoid.activation, relu.activation) == ("sigmoid", "relu")
    assert sigmoid.optimizer == relu.optimizer == DEEPER_LESSON.optimizer
    with pytest.raises(ValueError, match="between 1 and 8"):
        deep_nets(DEEPER_LESSON, 0)


def test_gradients_vanish_in_the_deep_sigmoid_net_only(banknotes):
    base = TrainConfig(optimizer="sgd", learning_rate=0.1, epochs=3)
    runs = {name: train(banknotes, config) for name, config in deep_nets(base, 3).items()}
    for run in runs.values():  # one finite, positive value per layer per epoch
        assert run.grad_norms.shape == run.update_norms.shape == (3, 5)
        assert np.isfinite(run.grad_norms.to_numpy()).all()
        assert (run.grad_norms.to_numpy() > 0).all()
    sigmoid, relu = (runs[k].grad_norms.loc[1] for k in runs)
    assert sigmoid.iloc[0] < sigmoid.iloc[-1] / 10  # the first layer gets < 1/10 of the output's
    assert relu.iloc[0] > relu.iloc[-1] / 3
    assert "sigmoid net it is" in vanishing_reading(runs) and "smaller" in vanishing_reading(runs)


@pytest.mark.parametrize(
    "text, expected",
    [("adam", ("adam", None)), ("Momentum 0.9", ("momentum", 0.9)), ("nesterov", ("nesterov", 0.3))],
)
def test_an_optimizer_as_typed_gives_its_name_and_momentum(text, expected):
    from lib.experiments import LOGISTIC, Experiment, configure, optimizer_and_momentum

    assert optimizer_and_momentum(text) == expected
    config = configure(Experiment("optimizer", base=LOGISTIC), text)  # the same parser
    assert (config.optimizer, config.momentum) == (expected[0], expected[1] or LOGISTIC.momentum)
    with pytest.raises(ValueError, match="Unknown optimizer"):
        optimizer_and_momentum("warp drive")


def test_the_default_batch_size_comparison_shows_what_the_course_teaches(banknotes):
    """With the page's defaults, small batches learn more per epoch: every batch size reaches 95%
    validation accuracy, the smallest first and in order of size."""
    values = COURSE_VALUES["batch_size"]
    table = compare(banknotes, Experiment("batch_size", "logistic", logistic_base("batch_size")), values)
    acc = table[(table.split == "validation") & (table.metric == "accuracy")]
    acc = acc.pivot(index="epoch", columns="value", values="score")[list(values)]
    reached = [int(acc.index[acc[v] >= 0.95][0]) for v in values]  # IndexError if one never does
    assert reached == sorted(reached) and reached[0] < reached[-1]
    assert list(acc.loc[1]) == sorted(acc.loc[1], reverse=True)  # after one epoch: smaller is ahead
    sentence = reading(table, "batch_size")
    assert sentence.startswith("Batch size 16 reached 95% accuracy on the validation data first")
    assert "then 32 (epoch" in sentence and "never did" not in sentence


def test_curves_lying_on_each_other_are_found_and_dotted(banknotes):
    values = ["sgd", "momentum 0.3", "nesterov 0.3", "adam"]
    table = compare(banknotes, Experiment("optimizer"), values)
    same = coinciding(table, COINCIDE)
    assert same == {"nesterov 0.3": "momentum 0.3"}
    assert "optimizer nesterov 0.3 lies on optimizer momentum 0.3" in coincidence_note(
        same, "optimizer", COINCIDE
    )
    spec = comparison(table, "Optimizer", dotted=list(same)).chart().to_dict()
    dotted = [
        layer for panel in spec["concat"] for layer in panel["layer"] if layer["mark"]["type"] == "point"
    ]
    assert len(dotted) == 2  # loss and accuracy panels
    lines = [layer for panel in spec["concat"] for layer in panel["layer"] if layer["mark"]["type"] == "line"]
    hidden = {"not": {"field": "value", "oneOf": ["nesterov 0.3"]}}
    assert all(hidden in [t.get("filter") for t in line["transform"]] for line in lines)  # momentum's shows
    assert all(
        {"field": "value", "oneOf": ["nesterov 0.3"]} in [t.get("filter") for t in d["transform"]]
        for d in dotted
    )


def test_curves_that_differ_do_not_coincide():
    rows = [
        dict(value=v, epoch=e, split=s, metric=m, score=(0.5 + 0.1 * e + (0.05 if v == "b" else 0)))
        for v in ("a", "b")
        for e in range(1, 4)
        for s in ("training", "validation")
        for m in ("loss", "accuracy")
    ]
    import pandas as pd

    assert coinciding(pd.DataFrame(rows), COINCIDE) == {}
    assert coincidence_note({}, "optimizer", COINCIDE) == ""


def test_the_vanishing_reading_writes_numbers_for_people(banknotes):
    runs = {name: train(banknotes, replace(c, epochs=1)) for name, c in deep_nets(SHORT, 6).items()}
    sentence = vanishing_reading(runs)
    assert "e+" not in sentence and "e-" not in sentence
    assert "× smaller" in sentence or "× larger" in sentence
