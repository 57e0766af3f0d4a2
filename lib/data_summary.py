"""Facts about a data set that the data page shows before any network is trained."""

from __future__ import annotations

import numpy as np

from lib.datasets import Dataset


def separating_features(dataset: Dataset, k: int = 4) -> list[str]:
    """The k features whose class means differ most for their spread (ANOVA F), best first.

    With 64 pixels (digits) the first columns are blank borders; these are the ones
    worth plotting first. Data with at most k features keep their own order.
    """
    if dataset.n_features <= k:
        return list(dataset.feature_names)
    X, y = dataset.X, dataset.y
    between = np.zeros(dataset.n_features)
    within = np.zeros(dataset.n_features)
    for c in range(dataset.n_classes):
        rows = X[y == c]
        between += len(rows) * (rows.mean(axis=0) - X.mean(axis=0)) ** 2
        within += ((rows - rows.mean(axis=0)) ** 2).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.nan_to_num(between / within, nan=-np.inf)  # constant columns separate nothing
    order = np.argsort(-scores, kind="stable")[:k]
    return [dataset.feature_names[i] for i in order]
