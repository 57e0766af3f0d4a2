"""What every chart shares: the class colours, row sampling and the Vega-Lite spec of a chart."""

from __future__ import annotations

import altair as alt
import pandas as pd

from lib.images import IMAGE_FIELD, images_for

PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
CLASS_FIELD = "class"


def image_tooltip() -> alt.Tooltip:
    """The tooltip entry that shows a row's picture (lib.images): vega-tooltip draws the value
    of a field titled "image" as an image, above the other fields."""
    return alt.Tooltip(f"{IMAGE_FIELD}:N", title=IMAGE_FIELD)


def add_images(frame: pd.DataFrame, dataset, rows) -> tuple[pd.DataFrame, list]:
    """`frame` (one line per data row in `rows`) with the rows' pictures, and the tooltip entries
    that show them; the frame unchanged and no entries when the rows are not pictures."""
    images = images_for(dataset, rows)
    if images is None:
        return frame, []
    return frame.assign(**{IMAGE_FIELD: images}), [image_tooltip()]


def vega_lite(chart: alt.TopLevelMixin) -> dict:
    """The chart as a Vega-Lite spec with its data as frames, for `st.vega_lite_chart` or a file.

    A spec can be cached and redrawn, where an Altair chart is rebuilt and revalidated on every
    page run. The default theme's 300 × 300 view size is dropped, as Streamlit drops it.
    """
    spec = chart.to_dict()
    view = spec.get("config", {}).get("view", {})
    for key in ("continuousWidth", "continuousHeight"):
        view.pop(key, None)
    spec["datasets"] = {
        name: pd.DataFrame.from_records(rows) for name, rows in spec.get("datasets", {}).items()
    }
    return spec


def with_columns(spec: dict, columns: int, size: int | None = None) -> dict:
    """A `concat` spec laid out in `columns` (at most one per panel), its panels resized to
    `size` px squares if given: another layout of the same chart, without rebuilding it
    (building and validating the Altair chart is the slow part)."""
    panels = spec["concat"]
    if size is not None:
        panels = [{**panel, "width": size, "height": size} for panel in panels]
    return {**spec, "columns": min(columns, len(panels)), "concat": panels}


def class_color(class_names, title: str = "Class") -> alt.Color:
    """One colour per class, the same on every chart of the app."""
    names = list(class_names)
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(names))]
    return alt.Color(
        f"{CLASS_FIELD}:N",
        scale=alt.Scale(domain=names, range=colours),
        legend=alt.Legend(title=title, orient="top"),
    )


def sample_rows(frame: pd.DataFrame, limit: int, seed: int = 0) -> pd.DataFrame:
    """At most `limit` rows, drawn with a fixed seed so the picture does not flicker."""
    if len(frame) <= limit:
        return frame
    return frame.sample(n=limit, random_state=seed).sort_index()
