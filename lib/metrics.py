"""How good is a 2-D map? Seeded wrappers over scikit-learn and SciPy, and continuity (lib.neighbours).

Two questions, two kinds of score: does the map keep each point's neighbours, read both ways
(trustworthiness: are the map's neighbours true neighbours? continuity: do the data's neighbours
stay neighbours on the map?), and do the classes come apart in it (kNN and linear-probe
accuracy, silhouette)? A map can do well on one and badly on the other.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import procrustes
from sklearn.linear_model import LogisticRegression
from sklearn.manifold import trustworthiness
from sklearn.metrics import silhouette_score
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from lib.neighbours import NEIGHBOURS, Neighbourhoods, neighbourhoods

SCORE_NAMES = ("trustworthiness", "continuity", "knn_accuracy", "linear_accuracy", "silhouette")
FOLDS = 5  # cross-validation folds of the accuracies (fewer when the smallest class has fewer rows)


def folds(y: np.ndarray, seed: int = 0, n_splits: int = FOLDS) -> StratifiedKFold:
    """Seeded stratified folds; fewer than `n_splits` when the smallest class has fewer rows."""
    counts = np.bincount(y)
    smallest = int(counts[counts > 0].min()) if len(y) else 0
    return StratifiedKFold(n_splits=max(2, min(n_splits, smallest)), shuffle=True, random_state=seed)


def embedding_scores(
    X: np.ndarray,
    points: np.ndarray,
    y: np.ndarray,
    k: int = NEIGHBOURS,
    seed: int = 0,
    hoods: Neighbourhoods | None = None,
) -> dict[str, float]:
    """Scores of the map `points` of the rows `X` (the features the map was made from).

    trustworthiness / continuity: 1 when each point's k nearest on the map are its k nearest in the
    data, less the further its false neighbours are in the data / its torn-apart neighbours on the map;
    knn_accuracy / linear_accuracy: cross-validated accuracy of a k-nearest-neighbour /
    logistic-regression classifier that sees only the map's coordinates;
    silhouette: how far apart the classes sit relative to their spread (-1 to 1).
    `hoods`: the rows' neighbourhoods on this map, up to k or more, when they are at hand (a page that
    rings neighbours has them): continuity is read from them instead of ranking every row again.
    """
    X, points, y = np.asarray(X), np.asarray(points), np.asarray(y)
    if points.ndim == 1:
        points = points.reshape(-1, 1)
    if len(points) != len(X) or len(y) != len(X):
        raise ValueError("X, points and y must have one row per point.")
    counts = np.bincount(y)
    if (counts > 0).sum() < 2 or counts[counts > 0].min() < 2:
        raise ValueError("Scoring a map needs at least two classes with two or more rows each.")
    if len(X) <= 2 * k:
        raise ValueError(f"Scoring with k = {k} neighbours needs more than {2 * k} rows; there are {len(X)}.")
    cv = folds(y, seed)
    smallest_fold = len(y) - int(np.ceil(len(y) / cv.get_n_splits()))
    knn = KNeighborsClassifier(n_neighbors=min(k, smallest_fold))
    probe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    # One thread: on a busy 2-core server OpenBLAS' spinning threads made the linear probe
    # 10x slower (0.7 s instead of 0.06 s for 412 rows), a third of a t-SNE step.
    with threadpool_limits(limits=1):
        return _scores(
            X, points, y, k, cv, knn, probe, hoods if hoods is not None else neighbourhoods(X, points, k)
        )


def _scores(X, points, y, k, cv, knn, probe, hoods: Neighbourhoods) -> dict[str, float]:
    return {
        "trustworthiness": float(trustworthiness(X, points, n_neighbors=k)),
        "continuity": hoods.continuity(k),
        "knn_accuracy": float(cross_val_score(knn, points, y, cv=cv).mean()),
        "linear_accuracy": float(cross_val_score(probe, points, y, cv=cv).mean()),
        "silhouette": float(silhouette_score(points, y)),
    }


def procrustes_align(reference: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, float]:
    """`points` moved onto `reference` by the best shift, rotation or reflection and scale.

    Two maps that differ only by such a move carry the same information; aligning them
    leaves what really differs. Returns the aligned points in the reference's units and
    SciPy's disparity (the sum of squared differences after both are standardized: 0 means
    identical up to the move, 1 means nothing in common).
    """
    reference = np.asarray(reference, dtype=np.float64)
    points = np.asarray(points, dtype=np.float64)
    if reference.shape != points.shape:
        raise ValueError("Procrustes alignment needs the same rows in both maps.")
    try:
        standard_ref, aligned, disparity = procrustes(reference, points)
    except ValueError:
        raise ValueError(
            "All points of a map coincide (a dead bottleneck?): there is nothing to align."
        ) from None
    centre = reference.mean(axis=0)
    size = np.linalg.norm(reference - centre)
    return aligned * size + centre, float(disparity)
