"""A chart as a file: SVG, PNG or its Vega-Lite source, drawn without a browser."""

from __future__ import annotations

import json

import pandas as pd

from lib.charts.common import frame_of

CHART_FORMATS = {"svg": "image/svg+xml", "png": "image/png", "json": "application/json"}


def _records(rows):
    """A dataset as the JSON rows vl-convert reads (a frame's NaN as null)."""
    return json.loads(rows.to_json(orient="records")) if isinstance(rows, pd.DataFrame) else rows


def chart_file(spec: dict, fmt: str) -> bytes:
    """A chart as SVG, PNG (at twice the pixels) or its Vega-Lite source, drawn without a browser.

    Streamlit turns off Vega's own export menu; vl-convert draws the same spec with Vega's
    own code, so the picture matches the one in the app except for Streamlit's theme.
    """
    if fmt not in CHART_FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}; choose one of {', '.join(CHART_FORMATS)}")
    datasets = {name: _records(frame_of(rows)) for name, rows in spec.get("datasets", {}).items()}
    plain = {**spec, "datasets": datasets} if datasets else spec
    if fmt == "json":
        return json.dumps(plain, indent=1).encode("utf-8")
    import vl_convert  # loads a JavaScript engine (~90 MB): only when a chart is saved

    if fmt == "svg":
        return vl_convert.vegalite_to_svg(plain).encode("utf-8")
    return vl_convert.vegalite_to_png(plain, scale=2)
