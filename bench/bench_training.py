"""Training engine vs the lesson's Keras loop and scikit-learn, all in this one process.

The lesson trains 4 → 3 → 2 → 1 for 25 epochs as a Python loop of `fit(epochs=1)`,
`evaluate` and a `predict` through the feature model; we compare that loop, one `fit`
with a per-epoch callback, scikit-learn's `MLPClassifier.partial_fit` loop doing the
same epochs and per-epoch bottleneck activations, and `lib.training.train` with its
trace (first call) and warm. Prints wall times and ratios against the lesson's loop.

    python bench/bench_training.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from common import print_table, seconds, summary

from lib.datasets import load_dataset
from lib.keras_model import build_model
from lib.training import DEEPER_LESSON, split, train

CONFIG = DEEPER_LESSON


def keras_model(parts):
    import keras

    model, features = build_model(CONFIG, 4, 2)
    model.compile(
        optimizer=keras.optimizers.RMSprop(CONFIG.learning_rate),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    x = np.concatenate([parts.x_fit, parts.x_val])
    y = np.concatenate([parts.y_fit, parts.y_val])
    return model, features, x, y


def lesson_loop(parts) -> float:
    model, features, x, y = keras_model(parts)
    for _ in range(CONFIG.epochs):
        model.fit(x, y, batch_size=16, epochs=1, validation_split=0.3, verbose=0)
        model.evaluate(parts.x_test, parts.y_test, verbose=0)
        features.predict(parts.x_test, verbose=0)
    return model.evaluate(parts.x_test, parts.y_test, verbose=0)[1]


def one_fit_with_callback(parts) -> float:
    import keras

    model, features, x, y = keras_model(parts)
    snapshots = []
    callback = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: snapshots.append(features(parts.x_test).numpy())
    )
    model.fit(
        x, y, batch_size=16, epochs=CONFIG.epochs, validation_split=0.3, verbose=0, callbacks=[callback]
    )
    return model.evaluate(parts.x_test, parts.y_test, verbose=0)[1]


def sklearn_loop(parts) -> float:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    net = MLPClassifier(
        hidden_layer_sizes=(3, 2),
        activation="relu",
        solver="adam",
        learning_rate_init=0.01,
        batch_size=16,
        random_state=0,
    )
    classes = np.array([0, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for _ in range(CONFIG.epochs):
            net.partial_fit(parts.x_fit, parts.y_fit, classes=classes)
            hidden = np.maximum(parts.x_test @ net.coefs_[0] + net.intercepts_[0], 0)
            np.maximum(hidden @ net.coefs_[1] + net.intercepts_[1], 0)  # the 2-node activations
            net.score(parts.x_val, parts.y_val)
    return net.score(parts.x_test, parts.y_test)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    dataset = load_dataset("banknotes")
    parts = split(dataset, CONFIG)
    results = {}
    # train() first, so that its time includes tracing the graph for this architecture.
    results["train(), trace included"] = seconds(lambda: train(dataset, CONFIG), repeat=1)
    results["train(), warm"] = seconds(lambda: train(dataset, CONFIG), repeat)
    results["lesson: fit(epochs=1) loop"] = seconds(lambda: lesson_loop(parts), repeat)
    results["one fit() + callback"] = seconds(lambda: one_fit_with_callback(parts), repeat)
    results["sklearn partial_fit loop"] = seconds(lambda: sklearn_loop(parts), repeat)
    base = results["lesson: fit(epochs=1) loop"]
    sklearn = results["sklearn partial_fit loop"]
    rows = [(name, f"{t:.3f}", f"{base / t:.1f}x", f"{t / sklearn:.2f}") for name, t in results.items()]
    print_table(
        f"Training 4 → 3 → 2 → 1, {CONFIG.epochs} epochs, batch 16, banknotes (median of {repeat})",
        rows,
        ("method", "seconds", "speed-up vs lesson", "time / sklearn"),
    )
    for name in ("train(), trace included", "train(), warm"):
        t = results[name]
        summary(
            f"training: {name}",
            t,
            "s",
            baseline="the lesson's fit(epochs=1) loop",
            ratio=t / base,
            note=f"{t / sklearn:.2f}x sklearn's partial_fit time",
        )


if __name__ == "__main__":
    main()
