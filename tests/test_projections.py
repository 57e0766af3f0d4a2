"""`embed`: each method against scikit-learn or the network computed directly, seeds, shapes."""

import dataclasses
import importlib.util

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.decomposition import PCA
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.manifold import TSNE
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from lib.projections import METHODS, comparison_rows, embed
from lib.training import LESSON, TrainConfig, train


@pytest.fixture(scope="module")
def iris():
    bunch = load_iris()
    rows = np.random.default_rng(0).permutation(len(bunch.target))
    return bunch.data[rows], bunch.target[rows]


@pytest.fixture(scope="module")
def lesson_run(banknotes):
    return train(banknotes, dataclasses.replace(LESSON, epochs=3))


def standardized(fit, show):
    scaler = StandardScaler().fit(fit)
    return scaler.transform(fit), scaler.transform(show)


def test_the_registry_says_what_each_method_is():
    assert {"bottleneck", "pca", "tsne", "lda", "autoencoder"} <= set(METHODS)
    assert set(METHODS) <= {"bottleneck", "pca", "tsne", "lda", "autoencoder", "umap"}
    assert [m for m in METHODS if METHODS[m].uses_labels] == ["bottleneck", "lda"]
    assert [m for m in METHODS if not METHODS[m].can_place_new_points] == ["tsne"]


def test_pca_is_fit_on_the_training_rows_and_applied_to_the_shown_rows(iris):
    X, y = iris
    fit, show = standardized(X[:100], X[100:])
    expected = PCA(2, random_state=0).fit(fit)
    embedding = embed("pca", X[100:], y[100:], fit_on=(X[:100], y[:100]))
    np.testing.assert_allclose(embedding.points, expected.transform(show), atol=1e-10)
    np.testing.assert_allclose(embedding.explained_variance, expected.explained_variance_ratio_)
    assert embedding.points.shape == (50, 2) and embedding.dims == 2
    assert not embedding.uses_labels and embedding.can_place_new_points
    assert embedding.axis_titles[0].startswith("PC1 (")
    assert embedding.seconds >= 0


def test_without_fit_on_a_method_is_fit_on_the_rows_it_shows(iris):
    X, y = iris
    expected = PCA(2, random_state=0).fit_transform(StandardScaler().fit_transform(X))
    np.testing.assert_allclose(embed("pca", X).points, expected, atol=1e-10)


def test_lda_with_three_classes_matches_scikit_learn(iris):
    X, y = iris
    fit, show = standardized(X[:100], X[100:])
    expected = LinearDiscriminantAnalysis(n_components=2).fit(fit, y[:100]).transform(show)
    embedding = embed("lda", X[100:], y[100:], fit_on=(X[:100], y[:100]))
    np.testing.assert_allclose(embedding.points, expected, atol=1e-8)
    assert embedding.uses_labels and embedding.dims == 2


def test_lda_with_two_classes_is_one_dimensional_and_says_so(iris):
    X, y = iris
    X, y = X[y < 2], y[y < 2]
    embedding = embed("lda", X, y, seed=4)
    expected = (
        LinearDiscriminantAnalysis(n_components=1)
        .fit(StandardScaler().fit_transform(X), y)
        .transform(StandardScaler().fit_transform(X))
    )
    assert embedding.dims == 1 and embedding.coordinates.shape == (len(y), 1)
    np.testing.assert_allclose(embedding.coordinates, expected, atol=1e-8)
    jitter = embedding.points[:, 1]
    assert np.all(np.abs(jitter) <= 1) and jitter.std() > 0.3
    np.testing.assert_array_equal(jitter, embed("lda", X, y, seed=4).points[:, 1])  # seeded
    assert "jitter" in embedding.axis_titles[1] and "one direction" in embedding.notes[0]


def test_lda_needs_labels(iris):
    with pytest.raises(ValueError, match="uses the labels"):
        embed("lda", iris[0])


def test_tsne_matches_scikit_learn_and_is_deterministic_for_a_seed(iris):
    X, _ = iris
    embedding = embed("tsne", X, seed=2, perplexity=10, max_iter=250)
    with threadpool_limits(1):
        expected = TSNE(perplexity=10, max_iter=250, init="pca", angle=0.8, random_state=2).fit_transform(
            StandardScaler().fit_transform(X)
        )
    np.testing.assert_allclose(embedding.points, expected, rtol=1e-6, atol=1e-6)
    again = embed("tsne", X, seed=2, perplexity=10, max_iter=250)
    np.testing.assert_array_equal(embedding.points, again.points)
    other = embed("tsne", X, seed=2, perplexity=30, max_iter=250)  # the PCA start ignores the seed
    assert not np.allclose(embedding.points, other.points)
    assert not embedding.can_place_new_points and "Refit on the 150 rows" in embedding.notes[0]


def test_tsne_perplexity_above_the_rows_shown_gets_a_sentence(iris):
    with pytest.raises(ValueError, match="lower the perplexity or show all rows"):
        embed("tsne", iris[0][:40], perplexity=50)


def test_autoencoder_learns_to_reconstruct_and_is_seeded(iris):
    X, y = iris
    embedding = embed("autoencoder", X[100:], fit_on=(X[:100], None), seed=1, epochs=40, hidden=(3,))
    curve = embedding.loss_curve
    assert curve.shape == (40,)
    assert curve[-1] < 0.5 * curve[0]  # the reconstruction error falls
    assert embedding.points.shape == (50, 2) and np.isfinite(embedding.points).all()
    assert embedding.points.std(axis=0).min() > 0.01  # both nodes carry something
    assert "4 → 3 → 2 → 3 → 4" in embedding.notes[0]
    same = embed("autoencoder", X[100:], fit_on=(X[:100], None), seed=1, epochs=40, hidden=(3,))
    np.testing.assert_array_equal(embedding.points, same.points)
    other = embed("autoencoder", X[100:], fit_on=(X[:100], None), seed=2, epochs=40, hidden=(3,))
    assert not np.allclose(embedding.points, other.points)


def test_bottleneck_is_the_runs_feature_model(banknotes, lesson_run):
    rows = lesson_run.test_index
    embedding = embed("bottleneck", banknotes.X[rows], run=lesson_run)
    np.testing.assert_allclose(
        embedding.points, lesson_run.bottleneck_activations(banknotes.X[rows]), rtol=1e-6
    )
    np.testing.assert_allclose(embedding.points, lesson_run.snapshots[-1], rtol=1e-4, atol=1e-5)
    assert embedding.uses_labels and embedding.can_place_new_points
    assert embedding.seconds >= lesson_run.seconds  # its cost is the training


def test_a_dead_bottleneck_node_is_named(banknotes, lesson_run):
    weights = [w.copy() for w in lesson_run.weights]
    weights[0][:, 0], weights[1][0] = 0.0, 0.0  # node 1 always outputs relu(0) = 0
    dead = dataclasses.replace(lesson_run, weights=weights)
    embedding = embed("bottleneck", banknotes.X[:50], run=dead)
    assert np.all(embedding.points[:, 0] == 0)
    assert any("Node 1 gives the same value" in note for note in embedding.notes)


def test_only_a_two_node_bottleneck_can_be_compared(banknotes):
    run = train(banknotes, TrainConfig(bottleneck_nodes=3, epochs=1))
    with pytest.raises(ValueError, match="3 nodes"):
        embed("bottleneck", banknotes.X[:10], run=run)


def test_unknown_methods_and_tiny_inputs_get_a_sentence(iris):
    with pytest.raises(ValueError, match="choose one of"):
        embed("isomap", iris[0])
    with pytest.raises(ValueError, match="at least 3 rows and 2 features"):
        embed("pca", iris[0][:, :1])


def test_comparison_rows_fit_on_training_rows_and_show_test_or_all():
    test_index = np.array([7, 2, 9])
    rows = comparison_rows(10, test_index)
    np.testing.assert_array_equal(rows.show, test_index)
    np.testing.assert_array_equal(rows.fit, [0, 1, 3, 4, 5, 6, 8])
    everything = comparison_rows(10, test_index, all_rows=True)
    np.testing.assert_array_equal(everything.show, np.arange(10))
    assert everything.sampled_from == 10


def test_comparison_rows_are_a_seeded_sample_beyond_the_limit():
    rows = comparison_rows(100, np.arange(60, 100), all_rows=True, limit=30, seed=5)
    assert len(rows.show) == 30 and rows.sampled_from == 100
    assert np.all(np.diff(rows.show) > 0)  # sorted, no repeats
    np.testing.assert_array_equal(
        rows.show, comparison_rows(100, np.arange(60, 100), all_rows=True, limit=30, seed=5).show
    )


@pytest.mark.skipif(importlib.util.find_spec("umap") is None, reason="umap-learn is optional")
def test_umap_when_installed_places_new_points(iris):
    X, y = iris
    embedding = embed("umap", X[100:], fit_on=(X[:100], y[:100]), seed=0)
    assert embedding.points.shape == (50, 2) and embedding.can_place_new_points


def test_a_map_is_scored_on_the_standardized_shown_rows(banknotes):
    from lib.metrics import embedding_scores
    from lib.projections import map_of, map_scores

    def scored_map(dataset, rows, method, seed):  # as the comparison page maps and scores
        embedding = map_of(dataset, rows, method, seed)
        return embedding, map_scores(dataset, rows, embedding, seed)

    rows = comparison_rows(len(banknotes.y), np.arange(0, len(banknotes.y), 3))
    embedding, scores = scored_map(banknotes, rows, "pca", seed=1)
    X, y = banknotes.X, banknotes.y
    assert np.allclose(embedding.points, embed("pca", X[rows.show], fit_on=(X[rows.fit], y[rows.fit])).points)
    _, features = standardized(X[rows.fit], X[rows.show])
    assert scores == embedding_scores(features, embedding.coordinates, y[rows.show], seed=1)
    # a feature in other units (here ×1000) changes neither the map nor who counts as a neighbour
    rescaled = dataclasses.replace(banknotes, X=X * np.array([1000.0, 1, 1, 1]))
    again = scored_map(rescaled, rows, "pca", seed=1)[1]
    assert again == pytest.approx(scores)
    raw = embedding_scores(rescaled.X[rows.show], embedding.coordinates, y[rows.show], seed=1)
    assert raw["trustworthiness"] != pytest.approx(scores["trustworthiness"])  # unstandardized differs


def test_cheap_maps_are_drawn_first_and_t_sne_last():
    from lib.projections import drawing_order

    order = drawing_order(["tsne", "bottleneck", "autoencoder", "pca", "lda"])
    assert order == [["bottleneck", "pca", "lda"], ["autoencoder"], ["tsne"]]
    assert drawing_order(["tsne"]) == [["tsne"]]


def test_rows_are_taken_from_a_map_by_row_id(banknotes):
    from lib.projections import placed_rows, take_rows

    test_index = np.array([9, 2, 5])
    rows = placed_rows(12, test_index, limit=4, seed=1)  # a sample of 4 of the 12, and the test rows
    assert set(test_index) <= set(rows.show) and list(rows.show) == sorted(rows.show)
    assert len(rows.show) <= 4 + 3 and list(rows.fit) == [0, 1, 3, 4, 6, 7, 8, 10, 11]
    embedding = embed("pca", banknotes.X[rows.show], fit_on=(banknotes.X[rows.fit], None))
    taken = take_rows(embedding, rows.show, test_index)
    assert np.array_equal(taken.points, embedding.points[np.searchsorted(rows.show, test_index)])
    with pytest.raises(ValueError, match="not in the map"):
        take_rows(embedding, rows.show, np.setdiff1d(np.arange(12), rows.show)[:1])
