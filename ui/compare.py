"""2-D maps for the comparison page, each cached with its scores on its own key.

The key is (data fingerprint, the train/test split, method, its parameters, seed), and
the network only for the bottleneck: moving the t-SNE slider recomputes t-SNE only,
changing the network never recomputes PCA or t-SNE, and coming back to an earlier value
is a cache hit. A method that places new points maps the test rows and all rows in one
go (`lib.projections.placed_rows`), so "Show all rows" recomputes only t-SNE and the
scores of the rows shown.
"""

from __future__ import annotations

import streamlit as st

from lib.datasets import Dataset
from lib.projections import (
    METHODS,
    Embedding,
    comparison_rows,
    map_of,
    map_scores,
    placed_rows,
    scored_map,
    take_rows,
)
from lib.training import Run


@st.cache_data(max_entries=64, show_spinner=False)
def _placed(
    fingerprint: str, split: tuple, method: str, params: tuple, seed: int, _dataset: Dataset, _run: Run
) -> Embedding:
    rows = placed_rows(len(_dataset.y), _run.test_index)
    kwargs = {"run": _run} if method == "bottleneck" else dict(params)
    return map_of(_dataset, rows, method, seed, **kwargs)


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
    if not METHODS[method].can_place_new_points:  # t-SNE: refit on exactly the rows shown
        return scored_map(_dataset, rows, method, seed, **dict(params))
    mapped = placed_rows(len(_dataset.y), _run.test_index)
    whole = _placed(fingerprint, split, method, params, seed, _dataset, _run)
    embedding = take_rows(whole, mapped.show, rows.show)
    return embedding, map_scores(_dataset, rows, embedding, seed)


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
