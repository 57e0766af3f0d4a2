"""Two-dimensional maps of a data set: the network's bottleneck beside classic reductions.

One registry, `METHODS`, names every method with what a student must know about
it (does it use the labels? can it place a new point without refitting?). Every
method sees the same standardized features: methods that can place new points are
fit on the training rows (`fit_on`) and then applied to the rows shown, as the
network is; t-SNE cannot, so it is refit on exactly the rows it shows.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from lib import engine
from lib.lazy import LazyModule
from lib.neighbours import NEIGHBOURS, Neighbourhoods
from lib.training import Run, TrainConfig, fit_network, network_name, preprocessing

# Imported when a map is first drawn: the pages that draw none need no scikit-learn.
decomposition = LazyModule("sklearn.decomposition")
discriminant_analysis = LazyModule("sklearn.discriminant_analysis")
manifold = LazyModule("sklearn.manifold")
threadpoolctl = LazyModule("threadpoolctl")
metrics = LazyModule("lib.metrics")

TSNE_ROW_LIMIT = 5000  # t-SNE's cost grows with rows: every panel shows at most this many


@dataclass(frozen=True, eq=False)
class Embedding:
    """2-D points of the rows shown, in row order, and what a page says about them."""

    method: str
    points: np.ndarray  # (n, 2); for a 1-D method the second column is jitter, see `dims`
    seconds: float
    uses_labels: bool
    can_place_new_points: bool
    axis_titles: tuple[str, str]
    dims: int = 2  # how many columns of `points` the method really produced
    explained_variance: tuple[float, ...] | None = None  # share of variance per axis (PCA, LDA)
    loss_curve: np.ndarray | None = None  # training loss per epoch (autoencoder)
    notes: tuple[str, ...] = field(default=())

    @property
    def coordinates(self) -> np.ndarray:
        """The real coordinates (without jitter): what the scores are computed on."""
        return self.points[:, : self.dims]


@dataclass(frozen=True)
class Method:
    """A registry entry: how to compute the map and what kind of map it is."""

    label: str
    compute: Callable  # (X_fit, y_fit, X_show, seed, **params) -> dict of Embedding fields
    uses_labels: bool
    can_place_new_points: bool
    summary: str
    cost: int = 0  # 0: a fraction of a second; 1: trains a network (about 1 s); 2: t-SNE, the slowest


def _standardize(X_fit: np.ndarray, X_show: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scaler = preprocessing.StandardScaler().fit(X_fit)
    return scaler.transform(X_fit), scaler.transform(X_show)


def _bottleneck(X_fit, y_fit, X_show, seed, *, run: Run):
    """The trained network's feature model; it standardizes with its own training scaler."""
    points = run.bottleneck_activations(X_show).astype(np.float64)
    if points.shape[1] != 2:
        raise ValueError(
            f"This network's bottleneck has {points.shape[1]} nodes; "
            "the comparison needs a 2-node bottleneck."
        )
    shape = network_name(run.layer_sizes)
    notes = [
        f"The classifier {shape} ({run.config.activation}, {run.config.epochs} epochs); "
        "its compute time is its training time."
    ]
    notes += [
        f"Node {node + 1} gives the same value for every row shown (a *dead* node): the "
        "network squeezed these rows onto a single line."
        for node in range(2)
        if np.ptp(points[:, node]) < 1e-6
    ]
    return dict(
        points=points,
        axis_titles=("bottleneck node 1", "bottleneck node 2"),
        training_seconds=run.seconds,
        notes=tuple(notes),
    )


def _pca(X_fit, y_fit, X_show, seed):
    fit, show = _standardize(X_fit, X_show)
    pca = decomposition.PCA(n_components=2, random_state=seed).fit(fit)
    ratio = tuple(float(r) for r in pca.explained_variance_ratio_)
    return dict(
        points=pca.transform(show),
        explained_variance=ratio,
        axis_titles=(f"PC1 ({ratio[0]:.0%} of variance)", f"PC2 ({ratio[1]:.0%} of variance)"),
        notes=(
            f"The two principal components keep {sum(ratio):.0%} of the variance "
            "of the standardized features.",
        ),
    )


TSNE_ANGLE = 0.8  # Barnes-Hut's trade-off: 0.8 instead of 0.5 is a fifth faster, same scores (bench)


def _tsne(X_fit, y_fit, X_show, seed, *, perplexity: float = 30.0, max_iter: int = 500):
    if len(X_show) <= perplexity:
        raise ValueError(
            f"t-SNE's perplexity ({perplexity:g}) must be below the number of rows "
            f"shown ({len(X_show)}): lower the perplexity or show all rows."
        )
    _, show = _standardize(X_fit, X_show)
    # One thread: OpenMP's spinning threads run many times slower on a shared, busy CPU
    # (the app's server, or CI); see bench/bench_projections.py.
    with threadpoolctl.threadpool_limits(limits=1):
        points = manifold.TSNE(
            perplexity=perplexity,
            max_iter=max_iter,
            init="pca",
            angle=TSNE_ANGLE,
            random_state=seed,
        ).fit_transform(show)
    return dict(
        points=points.astype(np.float64),
        axis_titles=("t-SNE 1", "t-SNE 2"),
        notes=(
            f"Refit on the {len(X_show):,} rows shown (perplexity {perplexity:g}, {max_iter:,} iterations).",
        ),
    )


def _lda(X_fit, y_fit, X_show, seed):
    classes = 0 if y_fit is None else len(np.unique(y_fit))
    if classes < 2:
        raise ValueError("LDA uses the labels: it needs rows of at least two classes to fit on.")
    fit, show = _standardize(X_fit, X_show)
    lda = discriminant_analysis.LinearDiscriminantAnalysis(n_components=min(2, classes - 1)).fit(fit, y_fit)
    points = lda.transform(show)
    ratio = tuple(float(r) for r in lda.explained_variance_ratio_[:2])
    if points.shape[1] == 2:
        return dict(points=points, explained_variance=ratio, axis_titles=("LD1", "LD2"))
    jitter = np.random.default_rng([seed, 3]).uniform(-1, 1, len(points))
    return dict(
        points=np.column_stack([points[:, 0], jitter]),
        dims=1,
        explained_variance=ratio,
        axis_titles=("LD1", "random jitter (no meaning)"),
        notes=(
            "With two classes LDA finds only one direction (at most classes − 1): "
            "the vertical position is random jitter so that points do not hide "
            "each other.",
        ),
    )


def _autoencoder(
    X_fit,
    y_fit,
    X_show,
    seed,
    *,
    hidden: tuple[int, ...] = (3,),
    activation: str = "elu",
    epochs: int = 100,
    learning_rate: float = 0.01,
    batch_size: int = 32,
):
    """Encoder widths mirrored by a decoder around a 2-node bottleneck, trained by the
    same engine as the network but on reconstruction error (targets = inputs)."""
    fit, show = (a.astype(np.float32) for a in _standardize(X_fit, X_show))
    hidden = tuple(int(n) for n in hidden)
    sizes = (fit.shape[1], *hidden, 2, *hidden[::-1], fit.shape[1])
    arch = engine.Architecture(
        sizes=sizes, activation=activation, output="linear", bottleneck_layer=len(hidden), optimizer="adam"
    )
    settings = TrainConfig(
        activation=activation,
        optimizer="adam",
        learning_rate=learning_rate,
        batch_size=batch_size,
        epochs=epochs,
        seed=seed,
        initializer="glorot_uniform",
        momentum=0.0,  # unused by Adam
    )
    result = fit_network(arch, engine.Arrays(fit, fit, show, show, show, show), settings)
    loss = result.metric("loss")
    return dict(
        points=result.snapshots[-1].astype(np.float64),
        loss_curve=loss,
        axis_titles=("autoencoder node 1", "autoencoder node 2"),
        notes=(
            f"{network_name(sizes)}, {activation.upper()}, {epochs} epochs of Adam on the mean "
            f"squared reconstruction error (final {loss[-1]:.3f}).",
        ),
    )


def _umap(X_fit, y_fit, X_show, seed, *, n_neighbors: int = 15):
    import umap

    fit, show = _standardize(X_fit, X_show)
    reducer = umap.UMAP(n_neighbors=n_neighbors, random_state=seed).fit(fit)
    return dict(points=reducer.transform(show), axis_titles=("UMAP 1", "UMAP 2"))


METHODS: dict[str, Method] = {
    "bottleneck": Method(
        "Network bottleneck",
        _bottleneck,
        True,
        True,
        "the 2 hidden nodes of the classifier: trained to separate the classes",
    ),
    "pca": Method(
        "PCA", _pca, False, True, "the two directions of greatest variance: a rotation of the data, flattened"
    ),
    "tsne": Method(
        "t-SNE",
        _tsne,
        False,
        False,
        "places points so that neighbours stay neighbours; distances far apart mean little",
        cost=2,
    ),
    "lda": Method(
        "LDA",
        _lda,
        True,
        True,
        "the linear directions that best separate the classes: the linear cousin of the bottleneck",
    ),
    "autoencoder": Method(
        "Autoencoder",
        _autoencoder,
        False,
        True,
        "a network trained to rebuild its input through 2 nodes: the neural cousin of PCA",
        cost=1,
    ),
}
DEFAULT_METHODS = tuple(METHODS)
# Optional, and off by default: umap-learn pulls in numba, whose first call compiles for ~40 s.
if importlib.util.find_spec("umap") is not None:
    METHODS["umap"] = Method(
        "UMAP", _umap, False, True, "like t-SNE, keeps neighbours; can place new points", cost=1
    )


def drawing_order(methods) -> list[list[str]]:
    """`methods` in groups of equal cost, cheapest first, each group in the order given: a
    page draws every group's maps as soon as they are ready, t-SNE last."""
    costs = sorted({METHODS[m].cost for m in methods})
    return [[m for m in methods if METHODS[m].cost == cost] for cost in costs]


def embed(
    method: str,
    X: np.ndarray,
    y: np.ndarray | None = None,
    seed: int = 0,
    *,
    fit_on: tuple[np.ndarray, np.ndarray | None] | None = None,
    **params,
) -> Embedding:
    """The 2-D map of the rows `X` (original units) by `method`.

    `fit_on=(X_train, y_train)` fits methods that can place new points on those rows and
    applies them to `X`; without it they are fit on `X` itself (with `y`). t-SNE always
    fits on `X`. Raises ValueError with a sentence a student can act on.
    """
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}; choose one of {', '.join(METHODS)}.")
    entry = METHODS[method]
    X = np.asarray(X, dtype=np.float64)
    X_fit, y_fit = fit_on if fit_on is not None else (X, y)
    X_fit = np.asarray(X_fit, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] < 2 or len(X) < 3:
        raise ValueError("A 2-D map needs at least 3 rows and 2 features.")
    started = time.perf_counter()
    fields = entry.compute(X_fit, None if y_fit is None else np.asarray(y_fit), X, seed, **params)
    # A trained network's map costs its training, done before (and cached) by the caller.
    seconds = time.perf_counter() - started + fields.pop("training_seconds", 0.0)
    return Embedding(
        method=method,
        seconds=seconds,
        uses_labels=entry.uses_labels,
        can_place_new_points=entry.can_place_new_points,
        **fields,
    )


@dataclass(frozen=True, eq=False)
class Rows:
    """Which rows a comparison fits on and which it shows (row ids into the data set)."""

    fit: np.ndarray
    show: np.ndarray
    sampled_from: int  # rows there were to show before any sampling


def comparison_rows(
    n_rows: int, test_index: np.ndarray, all_rows: bool = False, limit: int = TSNE_ROW_LIMIT, seed: int = 0
) -> Rows:
    """Fit on the training rows (those not in `test_index`); show the test rows, or all
    rows, capped at `limit` by a seeded sample so that t-SNE stays affordable."""
    test_index = np.asarray(test_index)
    fit = np.setdiff1d(np.arange(n_rows), test_index)
    show = np.arange(n_rows) if all_rows else test_index
    total = len(show)
    if total > limit:
        show = np.sort(np.random.default_rng([seed, 4]).choice(show, size=limit, replace=False))
    return Rows(fit=fit, show=show, sampled_from=total)


def placed_rows(n_rows: int, test_index: np.ndarray, limit: int = TSNE_ROW_LIMIT, seed: int = 0) -> Rows:
    """Every row either choice of `comparison_rows` can show: a method that places new
    points maps these once, and the test rows or all rows are taken from that one map."""
    every = comparison_rows(n_rows, test_index, True, limit, seed)
    return Rows(fit=every.fit, show=np.union1d(every.show, test_index), sampled_from=every.sampled_from)


def take_rows(embedding: Embedding, mapped: np.ndarray, rows: np.ndarray) -> Embedding:
    """The points of the row ids `rows` out of `embedding`, a map of the row ids `mapped` (sorted)."""
    at = np.searchsorted(mapped, rows)
    if not np.array_equal(mapped[np.minimum(at, len(mapped) - 1)], rows):
        raise ValueError("Some rows asked for are not in the map.")
    return replace(embedding, points=embedding.points[at])


def shown_features(dataset, rows: Rows) -> np.ndarray:
    """The standardized features of `rows.show` (the scaler fit on the training rows, as every
    method and the network see them): what a map is scored against and who counts as a row's
    neighbour in the data, so that a feature in large units does not decide alone."""
    return _standardize(dataset.X[rows.fit], dataset.X[rows.show])[1]


def map_scores(
    dataset,
    rows: Rows,
    embedding: Embedding,
    seed: int = 0,
    k: int = NEIGHBOURS,
    hoods: Neighbourhoods | None = None,
) -> dict:
    """The scores of a map of `rows.show` with `k` neighbours, against their `shown_features`
    (`hoods`: their neighbourhoods on this map, if at hand: `lib.metrics.embedding_scores`)."""
    features, y = shown_features(dataset, rows), dataset.y[rows.show]
    return metrics.embedding_scores(features, embedding.coordinates, y, k, seed, hoods)


def map_of(dataset, rows: Rows, method: str, seed: int = 0, **params) -> Embedding:
    """The map of `rows.show` by `method`, fit on `rows.fit` (t-SNE: on `rows.show`)."""
    X, y = dataset.X, dataset.y
    return embed(method, X[rows.show], y[rows.show], seed, fit_on=(X[rows.fit], y[rows.fit]), **params)
