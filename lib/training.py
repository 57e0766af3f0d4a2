"""The lesson's network: its config, its split, and `train()` that returns a `Run`.

`train()` reproduces `model.fit` semantics (the last `validation_split` of the
training rows held out, reshuffled minibatches every epoch, the last short batch
kept) through the traced engine in `lib.engine`, and records what the lesson
looks at: the bottleneck activations of the test rows before training and after
every epoch ("snapshots"), the history, and per-layer gradient sizes.

A run of e epochs is the first e epochs of any longer run of its config: the seed alone
draws the initial weights, every epoch's order and its dropout masks and input noise, whatever the
number of epochs. So
`Run.first` cuts a shorter run out of a longer one, and `train_on` goes on from a
`Checkpoint` to more epochs; both give, to the bit, what training from scratch gives.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import pandas as pd

from lib import engine
from lib.datasets import Dataset
from lib.initializers import INITIALIZERS, initial_weights
from lib.lazy import LazyModule
from lib.optimizers import OPTIMIZERS

# scikit-learn is imported when a split is first made: the data page needs none of it.
model_selection = LazyModule("sklearn.model_selection")
preprocessing = LazyModule("sklearn.preprocessing")

ACTIVATIONS = tuple(engine.ACTIVATIONS)  # the names of the one activation table, in its order


@dataclass(frozen=True)
class TrainConfig:
    """Everything that determines a run; frozen, so it is a cache key and a URL."""

    hidden: tuple[int, ...] = ()
    bottleneck_nodes: int = 2  # the width of the 2-node layer the pages plot
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
    l2: float = 0.0  # L2 weight decay λ of the hidden layers' weights (Keras' kernel_regularizer)
    dropout: float = 0.0  # the rate of the dropout on the bottleneck's inputs in training (Keras' Dropout)
    noise: float = 0.0  # σ of the Gaussian noise added to the inputs in training (Keras' GaussianNoise)

    def __post_init__(self):
        object.__setattr__(self, "hidden", tuple(int(n) for n in self.hidden))
        checks = [
            (self.activation in ACTIVATIONS, f"activation must be one of {', '.join(ACTIVATIONS)}"),
            (self.optimizer in OPTIMIZERS, f"optimizer must be one of {', '.join(OPTIMIZERS)}"),
            (self.initializer in INITIALIZERS, f"initializer must be one of {', '.join(INITIALIZERS)}"),
            (
                all(n >= 1 for n in self.hidden) and self.bottleneck_nodes >= 1,
                "every layer needs at least 1 node",
            ),
            (
                self.learning_rate > 0 and np.isfinite(self.learning_rate),
                "the learning rate must be positive",
            ),
            (self.batch_size >= 1, "the batch size must be at least 1"),
            (self.l2 >= 0 and np.isfinite(self.l2), "the L2 weight decay must be 0 or more"),
            (0 <= self.dropout < 1, "the dropout rate must be in [0, 1)"),
            (self.noise >= 0 and np.isfinite(self.noise), "the input noise must be 0 or more"),
            (self.epochs >= 1, "train for at least 1 epoch"),
            (0 <= self.validation_split < 1, "the validation split must be in [0, 1)"),
            (0 < self.test_size < 1, "the test size must be in (0, 1)"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"{message} (got {self!r}).")

    def layer_sizes(self, n_features: int, n_classes: int) -> tuple[int, ...]:
        return (n_features, *self.hidden, self.bottleneck_nodes, output_nodes(n_classes))

    def architecture(self, n_features: int, n_classes: int) -> engine.Architecture:
        return engine.Architecture(
            sizes=self.layer_sizes(n_features, n_classes),
            activation=self.activation,
            output=output_activation(n_classes),
            bottleneck_layer=len(self.hidden),
            optimizer=self.optimizer,
        )

    def as_dict(self) -> dict:
        return asdict(self)

    def family(self) -> tuple:
        """What the runs of this config with any number of epochs share (each is the first epochs
        of the longest): every setting but the epochs."""
        return tuple((name, value) for name, value in self.as_dict().items() if name != "epochs")

    def split_key(self) -> tuple:
        """What the test rows and the training rows (`split`) depend on besides the data: a cache
        key for what is computed from them alone."""
        return (self.test_size, self.split_seed)


LESSON = TrainConfig()  # 4 → 2 relu → 1 sigmoid, the lesson's first model
DEEPER_LESSON = TrainConfig(hidden=(3,), epochs=25, seed=1)  # 4 → 3 → 2 → 1, the epoch grid
# (seed 1 keeps both bottleneck nodes alive; with seed 0 one dies, as the lesson shows)
WINE_EXERCISE = TrainConfig(hidden=(8, 5), epochs=50, seed=4)  # 13 → 8 → 5 → 2 → 3 softmax
# (seed 4 keeps both bottleneck nodes alive; with seed 0 node 2 dies: every data set opens alive)


def output_nodes(n_classes: int) -> int:
    """One sigmoid node for two classes, one softmax node per class otherwise."""
    return 1 if n_classes == 2 else n_classes


def output_activation(n_classes: int) -> str:
    """The output layer's activation: sigmoid for two classes, softmax for more."""
    return "sigmoid" if n_classes == 2 else "softmax"


def network_name(sizes) -> str:
    """The layer sizes as the lesson writes a network: "4 → 3 → 2 → 1"."""
    return " → ".join(str(n) for n in sizes)


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
    scaler: preprocessing.StandardScaler


def fit_rows(n_rows: int, config: TrainConfig) -> int:
    """How many fitting rows `split` leaves, by arithmetic alone (the sidebar asks on every run):
    train_test_split keeps ceil(test_size · n) rows for testing, validation_split the last share."""
    n_train = n_rows - math.ceil(config.test_size * n_rows)
    return int(n_train * (1 - config.validation_split))


def split(dataset: Dataset, config: TrainConfig) -> Split:
    """The lesson's split: train_test_split(test_size, random_state=split_seed), then
    a scaler fit on the training rows, then Keras' validation_split (the last rows)."""
    rows = np.arange(len(dataset.y))
    if min(np.bincount(dataset.y)) < 1 or len(rows) < 4:
        raise ValueError("The data set is too small to split into training and test rows.")
    train_rows, test_rows = model_selection.train_test_split(
        rows, test_size=config.test_size, random_state=config.split_seed
    )
    scaler = preprocessing.StandardScaler().fit(dataset.X[train_rows])
    x_train = scaler.transform(dataset.X[train_rows]).astype(np.float32)
    x_test = scaler.transform(dataset.X[test_rows]).astype(np.float32)
    cut = fit_rows(len(rows), config)
    if cut < 1:
        raise ValueError("No fitting rows are left after the validation split.")
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
    """Each epoch's row order, drawn from the run's seed alone: the first e of them whatever the
    number of epochs, so a shorter run is the beginning of a longer one."""
    rng = np.random.default_rng([seed, 2])
    return np.stack([rng.permutation(n_rows) for _ in range(epochs)]).astype(np.int32)


@dataclass(frozen=True, eq=False)
class Run:
    """One training of one config on one data set, with everything the lesson draws."""

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
    elapsed: np.ndarray  # (epochs + 1,): seconds of training up to each snapshot (see `seconds`)
    scaler_mean: np.ndarray  # the training rows' standardization, to place new rows
    scaler_scale: np.ndarray
    class_names: tuple[str, ...] = field(default=())
    weight_history: tuple = field(default=())  # [W0, b0, ...] before training, then after each epoch

    @property
    def test_accuracy(self) -> float:
        return float(self.snapshot_accuracy[-1])

    @property
    def seconds(self) -> float:
        """How long training these epochs took: in the training that made them, first or longer,
        summed over the trainings that went on from one another. The one field not equal between
        two ways of computing one run."""
        return float(self.elapsed[-1])

    def first(self, epochs: int) -> Run:
        """This run cut to its first `epochs` epochs: what training its config with that many epochs
        gives, to the bit (`seconds` is the time those epochs took here)."""
        if not 1 <= epochs <= self.config.epochs:
            raise ValueError(f"A run of {self.config.epochs} epochs has no first {epochs} epochs.")
        if epochs == self.config.epochs:
            return self
        snapshots = slice(0, epochs + 1)
        return replace(
            self,
            config=replace(self.config, epochs=epochs),
            history=self.history.iloc[:epochs].copy(),
            snapshots=self.snapshots[snapshots].copy(),
            snapshot_accuracy=self.snapshot_accuracy[snapshots].copy(),
            weights=list(self.weight_history[epochs]),
            head=self.head[snapshots],
            grad_norms=self.grad_norms.iloc[:epochs].copy(),
            update_norms=self.update_norms.iloc[:epochs].copy(),
            elapsed=self.elapsed[snapshots].copy(),
            weight_history=self.weight_history[snapshots],
        )

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def output(self) -> str:
        return output_activation(self.n_classes)

    def bottleneck_activations(self, X: np.ndarray) -> np.ndarray:
        """Bottleneck activations of any rows in original units (the feature model, in NumPy)."""
        h = (np.asarray(X, dtype=np.float64) - self.scaler_mean) / self.scaler_scale
        to_bottleneck = self.weights[: 2 * (len(self.config.hidden) + 1)]
        return engine.numpy_forward(h, to_bottleneck, self.config.activation).astype(np.float32)

    def layer_outputs(self, x_standardized: np.ndarray, epoch: int = -1) -> list[np.ndarray]:
        """Every hidden layer's activations (the bottleneck last) of standardized rows, under the
        weights of a snapshot (0: before training)."""
        weights = self.weight_history[epoch] if self.weight_history else self.weights
        outputs, h = [], np.asarray(x_standardized, dtype=np.float64)
        for layer in range(len(self.config.hidden) + 1):
            h = engine.numpy_forward(h, weights[2 * layer : 2 * layer + 2], self.config.activation)
            outputs.append(h)
        return outputs

    def probabilities(self, epoch: int = -1, points: np.ndarray | None = None) -> np.ndarray:
        """Predicted class probabilities, (n, n_classes), of the test rows at a snapshot, or of
        any `points` of the bottleneck plane under that snapshot's output layer."""
        points = self.snapshots[epoch] if points is None else points
        p = engine.numpy_forward(points, self.head[epoch], self.config.activation, self.output)
        return np.column_stack([1 - p[:, 0], p[:, 0]]) if p.shape[1] == 1 else p


def layer_names(config: TrainConfig) -> list[str]:
    """Names shared by the Keras model, the tables and the charts."""
    return [f"hidden_{i + 1}" for i in range(len(config.hidden))] + ["bottleneck", "output"]


def node_id(layer: str, index: int) -> str:
    """The name one node goes by in every view ("hidden_1 · node 2")."""
    return f"{layer} · node {index + 1}"


def engine_arrays(parts: Split, n_classes: int) -> engine.Arrays:
    """The split's rows with their targets, as the engine takes them."""
    return engine.Arrays(
        parts.x_fit,
        targets(parts.y_fit, n_classes),
        parts.x_val,
        targets(parts.y_val, n_classes),
        parts.x_test,
        targets(parts.y_test, n_classes),
    )


def fit_network(
    arch: engine.Architecture,
    data: engine.Arrays,
    config: TrainConfig,
    on_epoch=None,
    start: engine.State | None = None,
) -> engine.Fit:
    """Train `arch` by the engine from `config`'s seeded initial weights (or on from `start`, a state
    of the same training after fewer epochs) to `config.epochs`, in its seeded minibatch order, with
    its optimizer settings: every network here is trained this way. (`config` gives only
    initializer, seed, epochs, learning rate, batch size, momentum, L2, dropout, input noise.)"""
    if start is None:
        weights = initial_weights(arch.sizes, config.initializer, config.seed)
        start = engine.initial_state(arch, weights, seed=config.seed)
    return engine.fit(
        arch,
        data,
        start,
        permutations=shuffles(config.seed, config.epochs, len(data.x_fit))[start.epoch :],
        learning_rate=config.learning_rate,
        batch_size=config.batch_size,
        momentum=config.momentum,
        on_epoch=on_epoch,
        l2=config.l2,
        dropout=config.dropout,
        noise=config.noise,
    )


@dataclass(frozen=True, eq=False)
class Checkpoint:
    """A run and the state its training ended in (weights, optimizer slots and step), which
    `train_on` goes on from. Kept apart from the run: a run cut by `Run.first` has no such state,
    and equals the same run trained alone."""

    run: Run
    state: engine.State


def train(dataset: Dataset, config: TrainConfig, on_epoch=None) -> Run:
    """Train `config` on `dataset` by minibatch gradient descent; deterministic per config."""
    return train_on(dataset, config, on_epoch=on_epoch).run


def train_on(
    dataset: Dataset, config: TrainConfig, start: Checkpoint | None = None, on_epoch=None
) -> Checkpoint:
    """Train `config` on `dataset`, from scratch or on from `start`, a checkpoint of the same network on
    the same data after fewer epochs; the run equals training `config` from scratch, to the bit.
    `on_epoch(epoch, metrics)` hears the epochs trained here, by their number in the whole run."""
    if dataset.n_classes < 2:
        raise ValueError("Training needs at least two classes.")
    if start is not None and not (
        start.run.config.family() == config.family()
        and start.run.dataset_name == dataset.name
        and start.run.config.epochs < config.epochs
    ):
        raise ValueError("Training goes on only from fewer epochs of the same network on the same data.")
    parts = split(dataset, config)
    arch = config.architecture(dataset.n_features, dataset.n_classes)
    result = fit_network(
        arch, engine_arrays(parts, dataset.n_classes), config, on_epoch, start and start.state
    )
    epochs, names = pd.RangeIndex(1, config.epochs + 1, name="epoch"), layer_names(config)
    metrics, grads, updates = result.metrics, result.grad_norms, result.update_norms
    snapshots, accuracy = result.snapshots, result.metric("test_accuracy", with_initial=True)
    weight_history, elapsed = tuple(tuple(w) for w in result.weight_history), result.elapsed
    if start is not None:  # the start's epochs, then the new ones (whose first snapshot it has)
        before = start.run
        metrics = np.concatenate([before.history.to_numpy(), metrics])
        grads = np.concatenate([before.grad_norms.to_numpy(), grads])
        updates = np.concatenate([before.update_norms.to_numpy(), updates])
        snapshots = np.concatenate([before.snapshots, snapshots[1:]])
        accuracy = np.concatenate([before.snapshot_accuracy, accuracy[1:]])
        weight_history = before.weight_history + weight_history[1:]
        elapsed = np.concatenate([before.elapsed, before.elapsed[-1] + elapsed[1:]])
    run = Run(
        config=config,
        dataset_name=dataset.name,
        layer_sizes=arch.sizes,
        n_params=arch.n_params,
        history=pd.DataFrame(metrics, columns=list(engine.METRIC_NAMES), index=epochs),
        snapshots=snapshots,
        snapshot_accuracy=accuracy,
        y_test=parts.y_test,
        test_index=parts.test_index,
        weights=list(weight_history[-1]),
        head=[(w[-2], w[-1]) for w in weight_history],
        grad_norms=pd.DataFrame(grads, columns=names, index=epochs),
        update_norms=pd.DataFrame(updates, columns=names, index=epochs),
        elapsed=elapsed,
        scaler_mean=parts.scaler.mean_,
        scaler_scale=parts.scaler.scale_,
        class_names=dataset.class_names,
        weight_history=weight_history,
    )
    return Checkpoint(run, result.final)
