"""Rows that are pictures (digits: 8 × 8 pixels) as small PNG thumbnails for tables and tooltips.

A data set is a picture set when its features are named `pixel_<row>_<column>` and fill a
rectangle; each row then becomes a grey PNG (0 white, the data set's largest value black),
enlarged without smoothing so every pixel stays a sharp square, as a `data:` URI. Vega's
tooltip shows a field titled "image" as the picture itself (vega-tooltip's formatValue), the
way the Embedding Projector shows MNIST digits.
"""

from __future__ import annotations

import base64
import re
import struct
import threading
import zlib
from collections import OrderedDict

import numpy as np

IMAGE_FIELD = "image"  # the tooltip key vega-tooltip draws as a picture
PIXEL = re.compile(r"pixel_(\d+)_(\d+)")
SCALE = 6  # an 8 × 8 digit becomes 48 × 48 screen pixels, about 260 characters of base64
_CACHE: OrderedDict[tuple, np.ndarray] = OrderedDict()
_CACHE_SIZE = 4
_LOCK = threading.Lock()


def image_shape(feature_names) -> tuple[int, int] | None:
    """(rows, columns) when the features are the pixels `pixel_r_c` of a full rectangle in
    row-major order, else None."""
    found = [PIXEL.fullmatch(str(name)) for name in feature_names]
    if not found or not all(found):
        return None
    cells = [(int(m.group(1)), int(m.group(2))) for m in found]
    height, width = max(r for r, _ in cells) + 1, max(c for _, c in cells) + 1
    if cells != [(r, c) for r in range(height) for c in range(width)]:
        return None
    return height, width


def png_data_uri(pixels: np.ndarray, darkest: float, scale: int = SCALE) -> str:
    """One picture (a 2-D array, 0 = white, `darkest` = black) as a greyscale PNG `data:` URI,
    each pixel a `scale` × `scale` square; written directly with zlib (7× quicker than PIL here)."""
    ink = np.clip(np.nan_to_num(np.asarray(pixels, dtype=float)) / max(float(darkest), 1e-12), 0, 1)
    grey = np.round(255 * (1 - ink)).astype(np.uint8)
    big = np.repeat(np.repeat(grey, scale, axis=0), scale, axis=1)
    height, width = big.shape
    raw = np.hstack([np.zeros((height, 1), np.uint8), big]).tobytes()  # filter type 0 per line
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    png = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 9))
    return "data:image/png;base64," + base64.b64encode(png + _chunk(b"IEND", b"")).decode("ascii")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def thumbnails(dataset) -> np.ndarray | None:
    """A PNG `data:` URI per row of a picture data set (object array, row order), or None when
    its rows are not pictures. Kept for the last few data sets (by fingerprint)."""
    shape = image_shape(dataset.feature_names)
    if shape is None:
        return None
    key = (dataset.fingerprint, shape)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    X = np.asarray(dataset.X, dtype=float)
    darkest = float(np.nanmax(X)) if X.size else 1.0
    made = np.array([png_data_uri(row.reshape(shape), darkest) for row in X], dtype=object)
    with _LOCK:
        _CACHE[key] = made
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return made


def images_for(dataset, rows) -> np.ndarray | None:
    """The thumbnails of data rows `rows` (indices into the data set), or None for non-pictures."""
    images = thumbnails(dataset)
    return None if images is None else images[np.asarray(rows, dtype=int)]
