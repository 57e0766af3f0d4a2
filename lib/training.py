"""The lesson's network: its config, its Keras model, and `train()` that returns a `Run`.

`train()` reproduces `model.fit` semantics (the last `validation_split` of the
training rows held out, reshuffled minibatches every epoch, the last short batch
kept) through the traced engine in `lib.engine`, and records what the pages
show: the bottleneck activations of the test rows before training and after
every epoch ("snapshots"), the history, and per-layer gradient sizes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from lib import engine
from lib.datasets import Dataset
from lib.initializers import INITIALIZERS, initial_weights
from lib.optimizers import OPTIMIZERS

ACTIVATION_FUNCTIONS = {
    "relu": lambda z: np.maximum(z, 0),
    "tanh": np.tanh,
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "elu": lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0))),
    "linear": lambda z: z,
}
ACTIVATIONS = tuple(ACTIVATION_FUNCTIONS)


@dataclass(frozen=True)
class TrainConfig:
    """Everything that determines a run; frozen, so it is a cache key and a URL."""

    hidden: tuple[int, ...] = ()
    bottleneck: int = 2
    activation: str = "relu"
    optimizer: str = "rmsprop"
    learning_rate: float = 0.01
    batch_size: int = 16
    epochs: int = 20
    validation_split: float = 0.3
    test_size: float = 0.3
    split_seed: int = 42
    seed: int = 0
    initializer: str = "glorot_uniform"
    momentum: float = 0.9

    def __post_init__(self):
        object.__setattr__(self, "hidden", tuple(int(n) for n in self.hidden))
        checks = [
            (self.activation in ACTIVATIONS, f"activation must be one of {', '.join(ACTIVATIONS)}"),
            (self.optimizer in OPTIMIZERS, f"optimizer must be one of {', '.join(OPTIMIZERS)}"),
            (self.initializer in INITIALIZERS, f"initializer must be one of {', '.join(INITIALIZERS)}"),
            (all(n >= 1 for n in self.hidden) and self.bottleneck >= 1, "every layer needs at least 1 node"),
            (
                self.learning_rate > 0 and np.isfinite(self.learning_rate),
                "the learning rate must be positive",
            ),
            (self.batch_size >= 1, "the batch size must be at least 1"),
            (self.epochs >= 1, "train for at least 1 epoch"),
            (0 <= self.validation_split < 1, "the validation split must be in [0, 1)"),
            (0 < self.test_size < 1, "the test size must be in (0, 1)"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"{message} (got {self!r}).")

    def layer_sizes(self, n_features: int, n_classes: int) -> tuple[int, ...]:
        return (n_features, *self.hidden, self.bottleneck, output_units(n_classes))

    def architecture(self, n_features: int, n_classes: int) -> engine.Architecture:
        return engine.Architecture(
            sizes=self.layer_sizes(n_features, n_classes),
            activation=self.activation,
            output="sigmoid" if n_classes == 2 else "softmax",
            bottleneck_layer=len(self.hidden),
            optimizer=self.optimizer,
        )

    def as_dict(self) -> dict:
        return asdict(self)


LESSON = TrainConfig()  # 4 → 2 relu → 1 sigmoid, the lesson's first model
DEEPER_LESSON = TrainConfig(hidden=(3,), epochs=25, seed=1)  # 4 → 3 → 2 → 1, the epoch grid
# (seed 1 keeps both bottleneck units alive; with seed 0 one dies, which the page explains)
WINE_EXERCISE = TrainConfig(hidden=(8, 5), epochs=50, seed=4)  # 13 → 8 → 5 → 2 → 3 softmax
# (seed 4 keeps both bottleneck nodes alive; with seed 0 node 2 dies: every data set opens alive)


def output_units(n_classes: int) -> int:
    """One sigmoid unit for two classes, one softmax unit per class otherwise."""
    return 1 if n_classes == 2 else n_classes


@dataclass(frozen=True, eq=False)
class Split:
    """Standardized rows in model.fit's roles; `test_index` are row ids in the data set."""

    x_fit: np.ndarray
    y_fit: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    test_index: np.ndarray
    train_index: np.ndarray
    scaler: StandardScaler


def split(dataset: Dataset, config: TrainConfig) -> Split:
    """The lesson's split: train_test_split(test_size, random_state=split_seed), then
    a scaler fit on the training rows, then Keras' validation_split (the last rows)."""
    rows = np.arange(len(dataset.y))
    if min(np.bincount(dataset.y)) < 1 or len(rows) < 4:
        raise ValueError("The data set is too small to split into training and test rows.")
    train_rows, test_rows = train_test_split(rows, test_size=config.test_size, random_state=config.split_seed)
    scaler = StandardScaler().fit(dataset.X[train_rows])
    x_train = scaler.transform(dataset.X[train_rows]).astype(np.float32)
    x_test = scaler.transform(dataset.X[test_rows]).astype(np.float32)
    cut = int(len(train_rows) * (1 - config.validation_split))
    if cut < 1:
        raise ValueError("No training rows are left after the validation split.")
    y_train = dataset.y[train_rows]
    return Split(
        x_fit=x_train[:cut],
        y_fit=y_train[:cut],
        x_val=x_train[cut:],
        y_val=y_train[cut:],
        x_test=x_test,
        y_test=dataset.y[test_rows],
        test_index=test_rows,
        train_index=train_rows,
        scaler=scaler,
    )


def targets(y: np.ndarray, n_classes: int) -> np.ndarray:
    """A column of 0/1 for a sigmoid output, one-hot rows for softmax."""
    if n_classes == 2:
        return y.reshape(-1, 1).astype(np.float32)
    return np.eye(n_classes, dtype=np.float32)[y]


def shuffles(seed: int, epochs: int, n_rows: int) -> np.ndarray:
    """Each epoch's row order, drawn from the run's seed alone."""
    rng = np.random.default_rng([seed, 2])
    return np.stack([rng.permutation(n_rows) for _ in range(epochs)]).astype(np.int32)


@dataclass(frozen=True, eq=False)
class Run:
    """One training of one config on one data set, with everything the pages draw."""

    config: TrainConfig
    dataset_name: str
    layer_sizes: tuple[int, ...]
    n_params: int
    history: pd.DataFrame  # one row per epoch, index "epoch" from 1
    snapshots: np.ndarray  # (epochs + 1, n_test, bottleneck): before training, then each epoch
    snapshot_accuracy: np.ndarray  # (epochs + 1,): test accuracy at each snapshot
    y_test: np.ndarray
    test_index: np.ndarray
    weights: list[np.ndarray]  # final [W0, b0, ...], Keras order
    head: list[tuple[np.ndarray, np.ndarray]]  # output layer (W, b) at each snapshot
    grad_norms: pd.DataFrame  # per epoch × layer
    update_norms: pd.DataFrame
    seconds: float
    scaler_mean: np.ndarray  # the training rows' standardization, to place new rows
    scaler_scale: np.ndarray
    class_names: tuple[str, ...] = field(default=())

    @property
    def test_accuracy(self) -> float:
        return float(self.snapshot_accuracy[-1])

    def bottleneck(self, X: np.ndarray) -> np.ndarray:
        """Bottleneck activations of any rows in original units (the feature model, in NumPy)."""
        h = (np.asarray(X, dtype=np.float64) - self.scaler_mean) / self.scaler_scale
        n_hidden = len(self.config.hidden)
        for layer in range(n_hidden + 1):
            h = ACTIVATION_FUNCTIONS[self.config.activation](
                h @ self.weights[2 * layer] + self.weights[2 * layer + 1]
            )
        return h.astype(np.float32)

    def probabilities(self, epoch: int = -1) -> np.ndarray:
        """Predicted class probabilities of the test rows at a snapshot, (n_test, n_classes)."""
        w, b = self.head[epoch]
        logits = self.snapshots[epoch] @ w + b
        if logits.shape[1] == 1:
            p = 1 / (1 + np.exp(-logits[:, 0]))
            return np.column_stack([1 - p, p])
        z = np.exp(logits - logits.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)


def layer_names(config: TrainConfig) -> list[str]:
    """Names shared by the Keras model, the tables and the charts."""
    return [f"hidden_{i + 1}" for i in range(len(config.hidden))] + ["bottleneck", "output"]


def train(dataset: Dataset, config: TrainConfig, on_epoch=None) -> Run:
    """Train `config` on `dataset` by minibatch gradient descent; deterministic per config."""
    if dataset.n_classes < 2:
        raise ValueError("Training needs at least two classes.")
    parts = split(dataset, config)
    arch = config.architecture(dataset.n_features, dataset.n_classes)
    arrays = engine.Arrays(
        parts.x_fit,
        targets(parts.y_fit, dataset.n_classes),
        parts.x_val,
        targets(parts.y_val, dataset.n_classes),
        parts.x_test,
        targets(parts.y_test, dataset.n_classes),
    )
    result = engine.fit(
        arch,
        arrays,
        weights=initial_weights(arch.sizes, config.initializer, config.seed),
        permutations=shuffles(config.seed, config.epochs, len(parts.y_fit)),
        learning_rate=config.learning_rate,
        batch_size=config.batch_size,
        momentum=config.momentum,
        on_epoch=on_epoch,
    )
    epochs = pd.RangeIndex(1, config.epochs + 1, name="epoch")
    names = layer_names(config)
    return Run(
        config=config,
        dataset_name=dataset.name,
        layer_sizes=arch.sizes,
        n_params=arch.n_params,
        history=pd.DataFrame(result.metrics, columns=list(engine.METRIC_NAMES), index=epochs),
        snapshots=result.snapshots,
        snapshot_accuracy=np.concatenate([[result.initial_test[1]], result.metrics[:, 5]]),
        y_test=parts.y_test,
        test_index=parts.test_index,
        weights=result.weight_history[-1],
        head=[(w[-2], w[-1]) for w in result.weight_history],
        grad_norms=pd.DataFrame(result.grad_norms, columns=names, index=epochs),
        update_norms=pd.DataFrame(result.update_norms, columns=names, index=epochs),
        seconds=result.seconds,
        scaler_mean=parts.scaler.mean_,
        scaler_scale=parts.scaler.scale_,
        class_names=dataset.class_names,
    )


def build_model(config: TrainConfig, n_features: int, n_classes: int):
    """The Keras functional model of `config` and its feature model (input → bottleneck).

    Seeded initializers make a fresh model a function of the config; `Run.weights`
    can be loaded with `model.set_weights` to get the trained network.
    """
    import keras

    init = lambda i: keras.initializers.get(
        {"class_name": _KERAS_INITIALIZERS[config.initializer], "config": {"seed": config.seed + i}}
        if config.initializer != "zeros"
        else "zeros"
    )
    inputs = keras.Input(shape=(n_features,), name="features")
    x = inputs
    for i, width in enumerate(config.hidden):
        x = keras.layers.Dense(
            width, activation=config.activation, kernel_initializer=init(i), name=f"hidden_{i + 1}"
        )(x)
    bottleneck = keras.layers.Dense(
        config.bottleneck,
        activation=config.activation,
        kernel_initializer=init(len(config.hidden)),
        name="bottleneck",
    )(x)
    outputs = keras.layers.Dense(
        output_units(n_classes),
        activation="sigmoid" if n_classes == 2 else "softmax",
        kernel_initializer=init(len(config.hidden) + 1),
        name="output",
    )(bottleneck)
    model = keras.Model(inputs, outputs, name="bottleneck_mlp")
    return model, keras.Model(inputs, bottleneck, name="features_to_bottleneck")


_KERAS_INITIALIZERS = {
    "glorot_uniform": "GlorotUniform",
    "glorot_normal": "GlorotNormal",
    "he_uniform": "HeUniform",
    "he_normal": "HeNormal",
    "lecun_uniform": "LecunUniform",
    "lecun_normal": "LecunNormal",
    "uniform": "RandomUniform",
    "normal": "RandomNormal",
    "zeros": "Zeros",
}
