"""Map scores against scikit-learn computed directly, and the Procrustes alignment."""

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.manifold import trustworthiness
from sklearn.metrics import silhouette_score
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from lib.metrics import SCORE_NAMES, embedding_scores, procrustes_align


@pytest.fixture(scope="module")
def iris():
    bunch = load_iris()
    return StandardScaler().fit_transform(bunch.data), bunch.target


def test_scores_match_scikit_learn_computed_directly(iris):
    X, y = iris
    points = X[:, [0, 2]] + np.random.default_rng(1).normal(0, 0.3, (len(X), 2))
    scores = embedding_scores(X, points, y, k=10, seed=3)
    assert tuple(scores) == SCORE_NAMES
    cv = StratifiedKFold(5, shuffle=True, random_state=3)
    probe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    assert scores["trustworthiness"] == pytest.approx(trustworthiness(X, points, n_neighbors=10))
    assert scores["knn_accuracy"] == pytest.approx(
        cross_val_score(KNeighborsClassifier(10), points, y, cv=cv).mean()
    )
    assert scores["linear_accuracy"] == pytest.approx(cross_val_score(probe, points, y, cv=cv).mean())
    assert scores["silhouette"] == pytest.approx(silhouette_score(points, y))


def test_scores_are_deterministic_for_a_seed_and_change_with_k(iris):
    X, y = iris
    points = X[:, :2]
    assert embedding_scores(X, points, y, seed=0) == embedding_scores(X, points, y, seed=0)
    assert (
        embedding_scores(X, points, y, k=5)["trustworthiness"]
        != embedding_scores(X, points, y, k=20)["trustworthiness"]
    )


def test_a_map_that_separates_the_classes_scores_high_and_a_random_one_low(iris):
    X, y = iris
    rng = np.random.default_rng(0)
    separated = np.column_stack([y * 10.0, rng.normal(0, 0.1, len(y))])
    noise = rng.normal(size=(len(y), 2))
    good, bad = embedding_scores(X, separated, y), embedding_scores(X, noise, y)
    assert good["knn_accuracy"] == 1.0 and good["linear_accuracy"] == 1.0
    assert good["silhouette"] > 0.9
    assert bad["knn_accuracy"] < 0.6 and abs(bad["silhouette"]) < 0.1
    assert bad["trustworthiness"] < 0.6  # random positions keep no neighbours


def test_one_dimensional_coordinates_are_scored(iris):
    X, y = iris
    scores = embedding_scores(X, X[:, 2], y)
    assert scores["silhouette"] == pytest.approx(silhouette_score(X[:, [2]], y))


def test_bad_inputs_get_a_sentence(iris):
    X, y = iris
    with pytest.raises(ValueError, match="two classes"):
        embedding_scores(X, X[:, :2], np.zeros(len(X), dtype=int))
    with pytest.raises(ValueError, match="needs more than 20 rows"):
        embedding_scores(X[:20], X[:20, :2], np.arange(20) % 2)
    with pytest.raises(ValueError, match="one row per point"):
        embedding_scores(X, X[:10, :2], y)


def test_a_rotated_reflected_scaled_shifted_copy_aligns_back():
    reference = np.random.default_rng(0).normal(size=(200, 2)) * [3.0, 1.0] + [5.0, -2.0]
    angle = 0.8
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    reflection = np.diag([1.0, -1.0])
    moved = 0.25 * reference @ rotation @ reflection + [40.0, 7.0]
    aligned, disparity = procrustes_align(reference, moved)
    assert disparity == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(aligned, reference, atol=1e-9)  # in the reference's own units


def test_unrelated_maps_keep_a_large_disparity():
    rng = np.random.default_rng(1)
    aligned, disparity = procrustes_align(rng.normal(size=(300, 2)), rng.normal(size=(300, 2)))
    assert aligned.shape == (300, 2)
    assert disparity > 0.8


def test_alignment_refuses_mismatched_or_collapsed_maps():
    with pytest.raises(ValueError, match="same rows"):
        procrustes_align(np.ones((5, 2)), np.ones((4, 2)))
    with pytest.raises(ValueError, match="dead bottleneck"):
        procrustes_align(np.random.default_rng(0).normal(size=(5, 2)), np.zeros((5, 2)))
