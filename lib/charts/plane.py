"""The bottleneck plane shared by the inner-layer and gallery charts: one fixed extent per run
(points move, the axes do not) and one fixed sample of rows when there are too many."""

from __future__ import annotations

import numpy as np

MAX_ROWS = 5000  # Altair's default row limit per chart: keeps a notebook working and the page quick


def plane_extent(snapshots: np.ndarray, pad: float = 0.05) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1) holding every finite snapshot point, padded; never zero-width."""
    finite = snapshots[np.isfinite(snapshots).all(axis=-1)]
    if finite.size == 0:
        return (-1.0, 1.0, -1.0, 1.0)
    bounds = []
    for lo, hi in zip(finite.min(axis=0)[:2], finite.max(axis=0)[:2]):
        margin = max((hi - lo) * pad, 0.05)
        bounds += [float(lo - margin), float(hi + margin)]
    return tuple(bounds)


def panel_rows(n_test: int, n_panels: int = 1, most: int = MAX_ROWS) -> np.ndarray:
    """The test rows drawn in every panel: all of them, or one fixed sample within `most` rows."""
    keep = min(n_test, most // n_panels - 2)  # 2 rows per panel for its boundary
    return np.sort(np.random.default_rng(0).choice(n_test, keep, replace=False))
