"""The comparison page's own settings, and its 2-D maps, each cached with its scores on its own key.

The key is (data fingerprint, the train/test split, method, its parameters, seed), and
the network only for the bottleneck: moving the t-SNE slider recomputes t-SNE only,
changing the network never recomputes PCA or t-SNE, and coming back to an earlier value
is a cache hit. A method that places new points maps the test rows and all rows in one
go (`lib.projections.placed_rows`), so "Show all rows" recomputes only t-SNE and the
scores of the rows shown. Each map's neighbourhoods (`lib.neighbours`) are cached up to
the largest k, so moving k picks from them; its scores are cached for each k.
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from lib.datasets import Dataset
from lib.neighbours import K_MAX, K_MIN, NEIGHBOURS, Neighbourhoods, neighbourhoods
from lib.projections import (
    DEFAULT_METHODS,
    METHODS,
    Embedding,
    comparison_rows,
    map_of,
    map_scores,
    placed_rows,
    shown_features,
    take_rows,
)
from lib.settings import Flag, Levels, Number, Setting, Several
from lib.training import Run
from ui.turns import ComputedRecord

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
NEIGHBOURS_K = Setting(
    "neighbours",
    Number(K_MIN, K_MAX),
    NEIGHBOURS,
    "number of neighbours k",
    "Neighbours k",
    "Click a dot: its k nearest rows in the data are ringed in every map. Also the k of "
    "trustworthiness and continuity in the scores.",
)
KEPT_COLOURS = Setting(
    "kept",
    Flag(),
    False,
    "colouring by neighbours kept",
    "Colour by neighbours kept",
    "Colour each dot by the share of its k nearest rows in the data that stay among its k "
    "nearest on that map: red where the map tears the data apart.",
)
FIND_ROW = Setting(
    "row",
    Number(0, 9_999_999),
    None,
    "row to find",
    "Find a row by its number",
    "Picks that row in every map, as clicking its dot does (a row's number is in its tooltip "
    "and on the data page). Clicking another dot moves on from it.",
    control="number_input",
)
SETTINGS = (SHOWN, ALL_ROWS, PERPLEXITY, ITERATIONS, NEIGHBOURS_K, KEPT_COLOURS, FIND_ROW)


class MapKey(NamedTuple):
    """What a map's cache entry is known by: the data set's fingerprint and the split stand for the
    data set and the run (not hashed), the bottleneck's params for its network."""

    fingerprint: str
    all_rows: bool
    split: tuple
    method: str
    params: tuple
    seed: int


@st.cache_data(max_entries=64, max_size="32MB", show_spinner=False)
def _placed(key: MapKey, _dataset: Dataset, _run: Run) -> Embedding:
    """The map of the rows a method places (fit on the training rows), whichever rows are shown."""
    rows = placed_rows(len(_dataset.y), _run.test_index)
    kwargs = {"run": _run} if key.method == "bottleneck" else dict(key.params)
    return map_of(_dataset, rows, key.method, key.seed, **kwargs)


@st.cache_data(max_entries=64, max_size="32MB", show_spinner=False)
def _map(key: MapKey, _dataset: Dataset, _run: Run) -> Embedding:
    rows = comparison_rows(len(_dataset.y), _run.test_index, key.all_rows)
    if not METHODS[key.method].can_place_new_points:  # t-SNE: refit on exactly the rows shown
        embedding = map_of(_dataset, rows, key.method, key.seed, **dict(key.params))
    else:
        mapped = placed_rows(len(_dataset.y), _run.test_index)
        embedding = take_rows(_placed(key._replace(all_rows=False), _dataset, _run), mapped.show, rows.show)
    COMPUTED.add(key)
    return embedding


COMPUTED = ComputedRecord(kept=256)  # the maps this process computed: far more than `_map` keeps


def computed_before(dataset: Dataset, run: Run, method: str, all_rows: bool, seed: int = 0, **params) -> bool:
    """Whether this process computed the map of `method` before, so that asking for it again is most
    likely a cache hit (st.cache_data cannot be asked). The page draws the maps as each group of them
    comes in only while one is still to be computed: drawing them again and again with every map
    ready cost the server each draw and the browser a new chart each time."""
    return _key(dataset, run, method, all_rows, seed, params)[0] in COMPUTED


@st.cache_data(max_entries=64, max_size="1MB", show_spinner=False)  # a few numbers each
def _scores(key: MapKey, _dataset: Dataset, _run: Run, k: int = NEIGHBOURS) -> dict:
    """Continuity from the neighbourhoods the page rings neighbours with: each row ranked once a map."""
    rows = comparison_rows(len(_dataset.y), _run.test_index, key.all_rows)
    hoods = _neighbourhoods(key, _dataset, _run)
    return map_scores(_dataset, rows, _map(key, _dataset, _run), key.seed, k, hoods)


@st.cache_data(max_entries=64, max_size="31MB", show_spinner=False)
def _neighbourhoods(key: MapKey, _dataset: Dataset, _run: Run) -> Neighbourhoods:
    rows = comparison_rows(len(_dataset.y), _run.test_index, key.all_rows)
    return neighbourhoods(shown_features(_dataset, rows), _map(key, _dataset, _run).coordinates)


def _key(dataset: Dataset, run: Run, method: str, all_rows: bool, seed: int, params: dict) -> tuple:
    key = tuple(sorted(params.items()))
    if method == "bottleneck":  # the network is its parameter; the Run itself is not hashed
        key = (("network", run.config),)
    return (MapKey(dataset.fingerprint, all_rows, run.config.split_key(), method, key, seed), dataset, run)


def projection(
    dataset: Dataset, run: Run, method: str, all_rows: bool, seed: int = 0, **params
) -> Embedding | str:
    """The map of `method`, or the sentence saying why it cannot be drawn. A map not computed before
    waits for a turn (`ui.turns`)."""
    key = _key(dataset, run, method, all_rows, seed, params)
    COMPUTED.take_turn_if_new(key[0])
    try:
        return _map(*key)
    except ValueError as err:
        return str(err)


def projection_scores(
    dataset: Dataset, run: Run, method: str, all_rows: bool, seed: int = 0, k: int = NEIGHBOURS, **params
) -> dict | str:
    """The scores of the map of `method` with `k` neighbours (see `lib.metrics.embedding_scores`),
    or the sentence saying why there are none."""
    try:
        return _scores(*_key(dataset, run, method, all_rows, seed, params), k=k)
    except ValueError as err:
        return str(err)


def projection_neighbourhoods(
    dataset: Dataset, run: Run, method: str, all_rows: bool, seed: int = 0, **params
) -> Neighbourhoods:
    """Every row's nearest rows in the data and on the map of `method` (drawn already), up to K_MAX."""
    return _neighbourhoods(*_key(dataset, run, method, all_rows, seed, params))
