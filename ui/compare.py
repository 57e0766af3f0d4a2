"""2-D maps for the comparison page, each cached with its scores on its own key.

The key is (data fingerprint, rows choice, the train/test split, method, its
parameters, seed): moving the t-SNE slider recomputes t-SNE only, and coming
back to an earlier value is a cache hit. The map and its scores are
`lib.projections.scored_map`.
"""

from __future__ import annotations

import streamlit as st

from lib.datasets import Dataset
from lib.projections import Embedding, comparison_rows, scored_map
from lib.training import Run


@st.cache_data(max_entries=64, max_size="32MB", show_spinner=False)  # ~10 kB a map
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
    kwargs = {"run": _run} if method == "bottleneck" else dict(params)
    return scored_map(_dataset, rows, method, seed, **kwargs)


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
