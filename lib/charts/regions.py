"""Exact decision regions of a softmax output layer in the bottleneck plane.

The output layer is affine in the bottleneck, z = h·W + b, and softmax picks the largest
logit, so the points a class wins form a convex polygon: the plotted rectangle clipped by
one half-plane per other class, (w_k − w_j)·h + (b_k − b_j) ≥ 0. Drawing those polygons
gives the straight edges the text promises, where a grid of cells gives stair steps.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

EPS = 1e-12


def clip(polygon: np.ndarray, normal: np.ndarray, offset: float) -> np.ndarray:
    """The part of a convex polygon ((n, 2) vertices in order) where normal·h + offset ≥ 0
    (Sutherland–Hodgman against one half-plane)."""
    if len(polygon) == 0:
        return polygon
    side = polygon @ normal + offset
    kept = []
    for i in range(len(polygon)):
        p, q, sp, sq = polygon[i], polygon[(i + 1) % len(polygon)], side[i], side[(i + 1) % len(polygon)]
        if sp >= 0:
            kept.append(p)
        if (sp >= 0) != (sq >= 0) and abs(sp - sq) > EPS:
            kept.append(p + (q - p) * (sp / (sp - sq)))
    return np.array(kept, dtype=float).reshape(-1, 2)


def rectangle(extent) -> np.ndarray:
    """The plotted rectangle (x0, x1, y0, y1) as a convex polygon, corners in order."""
    x0, x1, y0, y1 = extent
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=float)


def class_regions(W: np.ndarray, b: np.ndarray, extent) -> list[np.ndarray]:
    """For each class k (column of W, (2, k)), the polygon of the rectangle `extent`
    (x0, x1, y0, y1) where its logit is the largest; an empty (0, 2) array where it never is."""
    x0, x1, y0, y1 = extent
    W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float).ravel()
    regions = []
    for k in range(W.shape[1]):
        polygon = rectangle(extent)
        for j in range(W.shape[1]):
            if j != k:
                polygon = clip(polygon, W[:, k] - W[:, j], float(b[k] - b[j]))
        regions.append(polygon if _area(polygon) > EPS * (x1 - x0) * (y1 - y0) else np.empty((0, 2)))
    return regions


def _area(polygon: np.ndarray) -> float:
    if len(polygon) < 3:
        return 0.0
    x, y = polygon[:, 0], polygon[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def vertical_spans(polygon: np.ndarray) -> pd.DataFrame:
    """A convex polygon as Vega-Lite can fill it: at each vertex's x, the polygon's lowest
    and highest y (x, low, high); between them both edges are straight, so a linear area
    between `low` and `high` is exactly the polygon."""
    xs = np.unique(np.round(polygon[:, 0], 12))
    rows = []
    edges = list(zip(polygon, np.roll(polygon, -1, axis=0)))
    for x in xs:
        ys = []
        for p, q in edges:
            lo, hi = sorted((p[0], q[0]))
            if lo - 1e-9 <= x <= hi + 1e-9:
                ys += [p[1], q[1]] if hi - lo < 1e-12 else [p[1] + (q[1] - p[1]) * (x - p[0]) / (q[0] - p[0])]
        rows.append((float(x), float(min(ys)), float(max(ys))))
    return pd.DataFrame(rows, columns=["x", "low", "high"])


def regions_frame(W: np.ndarray, b: np.ndarray, extent, class_names) -> pd.DataFrame:
    """Every class's region as vertical spans, one group of rows per class (class, x, low, high)."""
    frames = [
        vertical_spans(polygon).assign(**{"class": name})
        for name, polygon in zip(class_names, class_regions(W, b, extent))
        if len(polygon)
    ]
    return pd.concat(frames, ignore_index=True)[["class", "x", "low", "high"]]


def regions_layer(frame: pd.DataFrame, x_scale: alt.Scale, y_scale: alt.Scale, color, titles) -> alt.Chart:
    """The regions filled in their class colour, straight-edged, for layering under the points."""
    return (
        alt.Chart(frame)
        .mark_area(opacity=0.3, interpolate="linear", clip=True)
        .encode(
            x=alt.X("x:Q", scale=x_scale, title=titles[0]),
            y=alt.Y("low:Q", scale=y_scale, title=titles[1], stack=None),
            y2="high:Q",
            color=color,
            detail="class:N",  # rows come sorted by x; an `order` channel would split each area
        )
    )
