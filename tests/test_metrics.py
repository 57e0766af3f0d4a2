"""Map scores against scikit-learn computed directly, neighbourhoods and continuity against
independent computations and hand-made maps, and the Procrustes alignment."""

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.manifold import trustworthiness
from sklearn.metrics import silhouette_score
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from lib.metrics import SCORE_NAMES, embedding_scores, procrustes_align
from lib.neighbours import K_MAX, most_neighbours, neighbourhoods


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
    assert scores["continuity"] == neighbourhoods(X, points, 10).continuity(10)


@pytest.fixture(scope="module")
def untied():
    """Rows in 5-D and a noisy 2-D map of them, with no two distances equal."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(150, 5))
    return X, X[:, :2] + rng.normal(0, 0.6, (150, 2))


def test_scores_read_continuity_from_the_neighbourhoods_at_hand(iris):
    """A page that rings neighbours has them up to K_MAX: the scores read continuity from them, and
    every score is what they would be computed alone."""
    X, y = iris
    points = X[:, [0, 2]] + np.random.default_rng(1).normal(0, 0.3, (len(X), 2))
    alone = embedding_scores(X, points, y, k=10, seed=3)
    assert embedding_scores(X, points, y, k=10, seed=3, hoods=neighbourhoods(X, points)) == alone
    other = neighbourhoods(X, X[:, :2])  # the neighbourhoods given are the ones read
    assert embedding_scores(X, points, y, k=10, seed=3, hoods=other)["continuity"] == other.continuity(10)


def test_each_rows_neighbours_are_scikit_learns_nearest_neighbours(untied):
    X, points = untied
    hoods = neighbourhoods(X, points)
    assert hoods.most == K_MAX
    data = NearestNeighbors(n_neighbors=K_MAX).fit(X).kneighbors(return_distance=False)
    on_map = NearestNeighbors(n_neighbors=K_MAX).fit(points).kneighbors(return_distance=False)
    np.testing.assert_array_equal(hoods.in_data, data)
    # a data neighbour's rank on the map: 1 + the rows nearer to the row on the map (itself excluded)
    distances = np.linalg.norm(points[:, None] - points[None], axis=-1)
    nearer = distances[:, None, :] < np.take_along_axis(distances, data, axis=1)[:, :, None]
    np.testing.assert_array_equal(hoods.rank_on_map, nearer.sum(axis=-1))  # the row itself is nearer: + 1
    for k in (1, 5, 10, K_MAX):
        kept = [len(set(data[i, :k]) & set(on_map[i, :k])) for i in range(len(X))]
        np.testing.assert_array_equal(hoods.kept(k), kept)


def test_continuity_is_trustworthiness_read_the_other_way(untied):
    """Continuity of a map (Venna & Kaski) is scikit-learn's trustworthiness with the data and the
    map swapped: the data's neighbours torn apart on the map are the map's false neighbours, seen
    from the data."""
    X, points = untied
    hoods = neighbourhoods(X, points)
    for k in (1, 5, 10, 30, K_MAX):
        assert hoods.continuity(k) == pytest.approx(trustworthiness(points, X, n_neighbors=k), abs=1e-12)
    scores = embedding_scores(X, points, (X[:, 0] > 0).astype(int), k=10)
    assert scores["continuity"] == pytest.approx(trustworthiness(points, X, n_neighbors=10), abs=1e-12)


def test_a_row_moved_away_tears_its_neighbourhoods_by_hand():
    """Eight rows on a line, gaps 1, 2, ... 7 (no ties); the map moves row 0 to 100, k = 1. Rows 0
    and 1 lose their neighbour (each other); every other row keeps its own. Row 1 is 7th nearest to
    row 0 on the map and row 0 7th nearest to row 1: each torn 7 - 1 = 6 ranks too far, so
    continuity = 1 - 2 / (n k (2n - 3k - 1)) · 12 = 1 - 12/48 = 0.75. The map's false neighbours:
    row 7 for row 0 (7th in the data: 6 too far) and row 2 for row 1 (2nd: 1 too far), so
    trustworthiness = 1 - 7/48."""
    X = np.array([0.0, 1, 3, 6, 10, 15, 21, 28])
    moved = X.copy()
    moved[0] = 100
    hoods = neighbourhoods(X, moved)
    np.testing.assert_array_equal(hoods.kept(1), [0, 0, 1, 1, 1, 1, 1, 1])
    assert hoods.continuity(1) == pytest.approx(0.75)
    assert trustworthiness(X[:, None], moved[:, None], n_neighbors=1) == pytest.approx(1 - 7 / 48)
    same = neighbourhoods(X, 3 * X + 5)  # a map that only stretches and shifts keeps everything
    assert same.continuity(1) == 1.0 and (same.kept(3) == 3).all()


def test_a_circle_cut_open_onto_a_line_tears_only_at_the_cut():
    """Twelve rows round a circle, mapped to their place along it (0 to 11), k = 2: every row keeps
    both its neighbours but rows 0 and 11, each of which loses the other (11 places away on the
    line, 9 too far): continuity = 1 - 2 / (12 · 2 · 17) · 18 = 31/34."""
    angles = 2 * np.pi * np.arange(12) / 12
    circle = np.column_stack([np.cos(angles), np.sin(angles)])
    hoods = neighbourhoods(circle, np.arange(12.0))
    np.testing.assert_array_equal(hoods.kept(2), [1] + [2] * 10 + [1])
    assert hoods.continuity(2) == pytest.approx(31 / 34)


def test_ties_and_duplicates_are_ranked_in_row_order():
    X = np.array([[0.0, 0], [1, 0], [0, 0], [-1, 0], [5, 5], [6, 6], [7, 7]])  # row 2 repeats row 0
    hoods = neighbourhoods(X, X)
    assert list(hoods.in_data[0]) == [2, 1, 3]  # the duplicate first, then 1 and 3 (tied) in row order
    assert list(hoods.in_data[2]) == [0, 1, 3]
    assert list(hoods.rank_on_map[0]) == [1, 2, 3]
    assert (hoods.kept(3) == 3).all() and hoods.continuity(3) == 1.0


def test_k_stays_under_half_the_rows():
    X = np.random.default_rng(0).normal(size=(45, 3))
    assert most_neighbours(45) == 22 and most_neighbours(10_000) == K_MAX
    hoods = neighbourhoods(X, X[:, :2])
    assert hoods.most == 22
    with pytest.raises(ValueError, match="outside 1 to 22"):
        hoods.kept(23)
    with pytest.raises(ValueError, match="at least 3 rows"):
        neighbourhoods(X[:2], X[:2, :2])


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
