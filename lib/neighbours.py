"""Each row's nearest rows in the data and on a map, and how many of them the map keeps.

A row's neighbours are the other rows in order of distance (Euclidean), ties in row order; a
neighbour's *rank* is its place in that order (the nearest is 1). `Neighbourhoods` holds, for
every row, its `most` nearest rows in the data and the rank on the map of each: enough to answer,
for any k up to `most`, how many of a row's k neighbours in the data stay among its k nearest on
the map (`kept`), and continuity (Venna & Kaski 2006): the mirror of trustworthiness, it counts
the neighbours in the data that the map tears apart, and how far (trustworthiness counts the
map's false neighbours, `lib.metrics`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.lazy import LazyModule

distance = LazyModule("scipy.spatial.distance")  # imported when first needed: the data page needs no SciPy

NEIGHBOURS = 10  # k unless a person chooses: of the rings, the kept counts and the scores (lib.metrics)
K_MIN, K_MAX = 5, 50  # the range of k a person may choose
BLOCK = 1 << 20  # distances held at once (8 MB): rows are ranked a block at a time


def most_neighbours(n_rows: int) -> int:
    """The largest k the scores allow for `n_rows` rows (k < n / 2), at most K_MAX."""
    return min(K_MAX, (n_rows - 1) // 2)


def _nearest(distances: np.ndarray, k: int) -> np.ndarray:
    """The positions of the k + 1 smallest of each row of `distances`, smallest first, ties in
    position order (a partition, then a sort of the few found: not a sort of every row)."""
    found = np.argpartition(distances, k, axis=1)[:, : k + 1]
    bound = np.take_along_axis(distances, found, axis=1).max(axis=1, keepdims=True)
    near = np.empty_like(found)
    for i, (row, candidates) in enumerate(zip(distances, found)):
        if np.count_nonzero(row <= bound[i]) > k + 1:  # a tie at the edge: every tied row is a candidate
            candidates = np.flatnonzero(row <= bound[i])
        near[i] = candidates[np.lexsort((candidates, row[candidates]))][: k + 1]
    return near


def _ranks(distances: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """The place of each `targets[i]` in row i's order of `distances` (ascending, ties in
    position order; the smallest is 0)."""
    ordered = np.sort(distances, axis=1)
    values = np.take_along_axis(distances, targets, axis=1)
    ranks = np.empty(targets.shape, dtype=np.int32)
    for i, (row, sorted_row, value) in enumerate(zip(distances, ordered, values)):
        below = np.searchsorted(sorted_row, value, "left")
        tied = np.searchsorted(sorted_row, value, "right") - below > 1
        for m in np.flatnonzero(tied):  # rare: rows at exactly the same distance count in position order
            below[m] += np.count_nonzero(row[: targets[i, m]] == value[m])
        ranks[i] = below
    return ranks


def _ranked(points: np.ndarray, k: int, targets: np.ndarray | None = None):
    """Each row's `k` nearest other rows (positions, nearest first) and, if `targets` (n, m) is
    given, the rank of each `targets[i]` among row i's neighbours."""
    n = len(points)
    near = np.empty((n, k), dtype=np.int32)
    ranks = None if targets is None else np.empty(targets.shape, dtype=np.int32)
    step = max(1, BLOCK // max(n, 1))
    for start in range(0, n, step):
        rows = np.arange(start, min(start + step, n))
        distances = distance.cdist(points[rows], points, "sqeuclidean")
        distances[np.arange(len(rows)), rows] = -1.0  # the row itself first (rank 0), before any duplicate
        near[rows] = _nearest(distances, k)[:, 1:]
        if targets is not None:
            ranks[rows] = _ranks(distances, targets[rows])
    return near, ranks


@dataclass(frozen=True, eq=False)
class Neighbourhoods:
    """Every row's `most` nearest rows in the data, and where a map puts them."""

    in_data: np.ndarray  # (n, most) positions, nearest first
    rank_on_map: np.ndarray  # (n, most): the rank on the map of each of `in_data`

    @property
    def most(self) -> int:
        return self.in_data.shape[1]

    def _check(self, k: int) -> None:
        if not 0 < k <= self.most:
            raise ValueError(f"k = {k} is outside 1 to {self.most}, the neighbours computed.")

    def kept(self, k: int) -> np.ndarray:
        """For each row, how many of its k nearest rows in the data are among its k nearest on the map."""
        self._check(k)
        return (self.rank_on_map[:, :k] <= k).sum(axis=1)

    def continuity(self, k: int) -> float:
        """1 when every row's k nearest rows in the data are its k nearest on the map; less the
        further beyond k the map puts them (their ranks on the map beyond k, summed and normalised
        to 0 for the worst map on average)."""
        self._check(k)
        n = len(self.rank_on_map)
        torn = np.maximum(self.rank_on_map[:, :k] - k, 0).sum(dtype=np.int64)
        return float(1.0 - 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)) * torn)


def _as_points(points: np.ndarray) -> np.ndarray:
    points = np.asarray(points, dtype=np.float64)
    return points.reshape(-1, 1) if points.ndim == 1 else points


def neighbourhoods(X: np.ndarray, points: np.ndarray, most: int = K_MAX) -> Neighbourhoods:
    """The neighbourhoods of the rows `X` (the features the map was made from) and their map
    `points`, up to `most` neighbours (fewer if the rows allow fewer, see `most_neighbours`)."""
    X, points = _as_points(X), _as_points(points)
    if len(points) != len(X):
        raise ValueError("X and points must have one row per point.")
    most = min(most, most_neighbours(len(X)))
    if most < 1:
        raise ValueError(f"Neighbourhoods need at least 3 rows; there are {len(X)}.")
    in_data = _ranked(X, most)[0]
    return Neighbourhoods(in_data, _ranked(points, most, in_data)[1])
