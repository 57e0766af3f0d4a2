"""2-D maps for the comparison page, each cached with its scores on its own key.

The key is (data fingerprint, rows choice, the train/test split, method, its
parameters, seed): moving the t-SNE slider recomputes t-SNE only, and coming
back to an earlier value is a cache hit.
"""

from __future__ import annotations

import streamlit as st
from sklearn.preprocessing import StandardScaler

from lib.datasets import Dataset
from lib.metrics import embedding_scores
from lib.projections import Embedding, comparison_rows, embed
from lib.training import Run


@st.cache_data(max_entries=64, show_spinner=False)
def _projected(
    fingerprint: str,
    all_rows: bool,
    split: tuple,
    method: str,
    params: tuple,
    seed: int,
    _dataset: Dataset,
    _run: Run,
) -> tuple[Embedding, dict]:
    rows = comparison_rows(len(_dataset.y), _run.test_index, all_rows)
    X, y = _dataset.X, _dataset.y
    kwargs = {"run": _run} if method == "bottleneck" else dict(params)
    embedding = embed(method, X[rows.show], y[rows.show], seed, fit_on=(X[rows.fit], y[rows.fit]), **kwargs)
    features = StandardScaler().fit(X[rows.fit]).transform(X[rows.show])
    return embedding, embedding_scores(features, embedding.coordinates, y[rows.show], seed=seed)


def projection(
    dataset: Dataset, run: Run, method: str, all_rows: bool, seed: int = 0, **params
) -> tuple[Embedding, dict] | str:
    """The map and scores of `method`, or the sentence saying why it cannot be drawn."""
    key = tuple(sorted(params.items()))
    if method == "bottleneck":  # the network is its parameter; the Run itself is not hashed
        key = (("network", run.config),)
    split = (run.config.test_size, run.config.split_seed)
    try:
        return _projected(dataset.fingerprint, all_rows, split, method, key, seed, dataset, run)
    except ValueError as err:
        return str(err)
