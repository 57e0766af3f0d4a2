"""The bottleneck plane's geometry: what a run predicts there, the output layer's line and regions.

The output layer is affine in the bottleneck, z = h·W + b, so its decision line (one sigmoid node:
w·h + b = 0) and its regions are straight-edged. The regions are convex polygons: the plotted
rectangle clipped by half-planes. With a softmax, class k wins where (w_k − w_j)·h + (b_k − b_j) ≥ 0
for every other class j; with one sigmoid node, a band of probability lies between two lines.

A module of its own, not `lib/training.py` beside `Run`: training stays about training, and every
reader of the plane (the charts, `lib/inside.py`) takes its geometry from here, in the core, so no
core module needs a chart module for it.
"""

from __future__ import annotations

import math

import numpy as np

from lib.training import Run

H1, H2 = "node 1", "node 2"  # the plane's two columns: the bottleneck nodes' activations
EPS = 1e-12


def predictions(run: Run, epoch: int) -> tuple[np.ndarray, np.ndarray]:
    """(predicted class, class probabilities) of the test rows at a snapshot."""
    probabilities = run.probabilities(epoch)
    return probabilities.argmax(axis=1), probabilities


def confusion_counts(run: Run, epoch: int) -> np.ndarray:
    """The test rows' counts by true class (rows) and predicted class (columns) at a snapshot."""
    predicted, _ = predictions(run, epoch)
    k = len(run.class_names)
    return np.bincount(run.y_test * k + predicted, minlength=k * k).reshape(k, k)


def output_line(run: Run, epoch: int) -> tuple[np.ndarray, float]:
    """The sigmoid output node's weights and bias at a snapshot: its line w·h + b = 0."""
    w, b = run.head[epoch]
    return w[:, 0], float(b[0])


def boundary_ends(w: np.ndarray, b: float, extent) -> list[tuple[float, float]]:
    """The two ends of the part of the line w·h + b = 0 inside the extent (x0, x1, y0, y1), or
    none when the line misses it."""
    x0, x1, y0, y1 = extent
    ends = []
    if abs(w[1]) > 1e-12:
        ends += [(x, -(w[0] * x + b) / w[1]) for x in (x0, x1)]
    if abs(w[0]) > 1e-12:
        ends += [(-(w[1] * y + b) / w[0], y) for y in (y0, y1)]
    inside = {
        (round(x, 9), round(y, 9))
        for x, y in ends
        if x0 - 1e-9 <= x <= x1 + 1e-9 and y0 - 1e-9 <= y <= y1 + 1e-9
    }
    return sorted(inside)[:1] + sorted(inside)[-1:] if len(inside) >= 2 else []


def clip(polygon: np.ndarray, normal: np.ndarray, offset: float) -> np.ndarray:
    """The part of a convex polygon ((n, 2) vertices in order) where normal·h + offset ≥ 0
    (Sutherland–Hodgman against one half-plane). In plain floats: a polygon has a handful of
    vertices, and numpy's per-element indexing cost more than the arithmetic (the player clips
    about a thousand band edges for every new run)."""
    if len(polygon) == 0:
        return polygon
    points = polygon.tolist()
    a, b = float(normal[0]), float(normal[1])
    side = [x * a + y * b + offset for x, y in points]
    kept = []
    for i, (p, sp) in enumerate(zip(points, side)):
        q, sq = points[(i + 1) % len(points)], side[(i + 1) % len(points)]
        if sp >= 0:
            kept.append(p)
        if (sp >= 0) != (sq >= 0) and abs(sp - sq) > EPS:
            t = sp / (sp - sq)
            kept.append([p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t])
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


def region_polygons(w: np.ndarray, b: np.ndarray, extent, bands: int) -> dict[int, np.ndarray]:
    """What one output layer (w: 2 × outputs, b: outputs) predicts over the extent, as convex
    polygons with straight edges, by region: for one sigmoid node, band i holds the probabilities
    i/bands to (i + 1)/bands; for softmax, region k is where class k wins (`class_regions`).
    Empty ones are left out."""
    if w.shape[1] > 1:
        return {k: polygon for k, polygon in enumerate(class_regions(w, b, extent)) if len(polygon) >= 3}
    edges = np.linspace(0.0, 1.0, bands + 1)
    with np.errstate(divide="ignore"):
        logits = (np.log(edges) - np.log1p(-edges)).tolist()  # -inf … +inf
    up, down, bias, whole = w[:, 0], -w[:, 0], float(b[0]), rectangle(extent)  # clip copies
    shapes = {}
    for i in range(bands):
        polygon = whole
        if math.isfinite(logits[i]):
            polygon = clip(polygon, up, bias - logits[i])
        if math.isfinite(logits[i + 1]):
            polygon = clip(polygon, down, logits[i + 1] - bias)
        if len(polygon) >= 3:
            shapes[i] = polygon
    return shapes
