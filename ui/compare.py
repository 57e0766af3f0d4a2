"""The comparison page's own settings, and its 2-D maps, each cached with its scores on its own key.

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
    DEFAULT_METHODS,
    METHODS,
    Embedding,
    comparison_rows,
    map_of,
    map_scores,
    placed_rows,
    take_rows,
)
from lib.settings import Flag, Levels, Number, Setting, Several
from lib.training import Run

# The page's own settings
SHOWN = Setting(
    "methods",
    Several(tuple(METHODS), {name: method.label for name, method in METHODS.items()}),
    tuple(DEFAULT_METHODS),
    "methods shown",
    "Methods to show",
)
ALL_ROWS = Setting(
    "all_rows",
    Flag(),
    False,
    "choice of all rows",
    "Show all rows (training and test)",
    "By default only the test rows are shown: rows the network never saw.",
)
PERPLEXITY = Setting(
    "perplexity",
    Number(5, 50),
    30,
    "t-SNE perplexity",
    "t-SNE perplexity",
    "Roughly how many neighbours each point tries to keep close.",
)
ITERATIONS = Setting(
    "iterations",
    Levels((250, 500, 1000, 2000)),
    500,
    "t-SNE iterations",
    "t-SNE iterations",
    "More iterations let t-SNE settle; fewer are faster.",
)
SETTINGS = (SHOWN, ALL_ROWS, PERPLEXITY, ITERATIONS)


@st.cache_data(max_entries=64, max_size="32MB", show_spinner=False)
def _placed(
    fingerprint: str, split: tuple, method: str, params: tuple, seed: int, _dataset: Dataset, _run: Run
) -> Embedding:
    rows = placed_rows(len(_dataset.y), _run.test_index)
    kwargs = {"run": _run} if method == "bottleneck" else dict(params)
    return map_of(_dataset, rows, method, seed, **kwargs)


@st.cache_data(max_entries=64, max_size="32MB", show_spinner=False)
def _map(
    fingerprint: str,
    all_rows: bool,
    split: tuple,
    method: str,
    params: tuple,
    seed: int,
    _dataset: Dataset,
    _run: Run,
) -> Embedding:
    rows = comparison_rows(len(_dataset.y), _run.test_index, all_rows)
    if not METHODS[method].can_place_new_points:  # t-SNE: refit on exactly the rows shown
        return map_of(_dataset, rows, method, seed, **dict(params))
    mapped = placed_rows(len(_dataset.y), _run.test_index)
    return take_rows(
        _placed(fingerprint, split, method, params, seed, _dataset, _run), mapped.show, rows.show
    )


@st.cache_data(max_entries=64, max_size="32MB", show_spinner=False)
def _scores(
    fingerprint: str,
    all_rows: bool,
    split: tuple,
    method: str,
    params: tuple,
    seed: int,
    _dataset: Dataset,
    _run: Run,
) -> dict:
    rows = comparison_rows(len(_dataset.y), _run.test_index, all_rows)
    embedding = _map(fingerprint, all_rows, split, method, params, seed, _dataset, _run)
    return map_scores(_dataset, rows, embedding, seed)


def _key(dataset: Dataset, run: Run, method: str, all_rows: bool, seed: int, params: dict) -> tuple:
    key = tuple(sorted(params.items()))
    if method == "bottleneck":  # the network is its parameter; the Run itself is not hashed
        key = (("network", run.config),)
    split = (run.config.test_size, run.config.split_seed)
    return (dataset.fingerprint, all_rows, split, method, key, seed, dataset, run)


def projection(
    dataset: Dataset, run: Run, method: str, all_rows: bool, seed: int = 0, **params
) -> Embedding | str:
    """The map of `method`, or the sentence saying why it cannot be drawn."""
    try:
        return _map(*_key(dataset, run, method, all_rows, seed, params))
    except ValueError as err:
        return str(err)


def projection_scores(
    dataset: Dataset, run: Run, method: str, all_rows: bool, seed: int = 0, **params
) -> dict | str:
    """The scores of the map of `method` (see `lib.metrics.embedding_scores`), or why there are none."""
    try:
        return _scores(*_key(dataset, run, method, all_rows, seed, params))
    except ValueError as err:
        return str(err)
