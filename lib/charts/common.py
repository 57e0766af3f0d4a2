"""What every chart shares: the class colours, row sampling and the Vega-Lite spec of a chart.

**Templates.** Altair's `to_dict` validates the whole chart against the Vega-Lite schema and
converts every data row to JSON: tens of milliseconds for one of the lesson's charts. A chart
`layout(frames, values, **shape)` is a function of its data (named frames), of a few values that
change with the data (a title, an axis extent) and of its *shape* (everything else: class names,
sizes, which layers). `chart_spec` builds each layout once per shape, from one row of each
frame, and then only puts the new frames and values into that template: the same spec
`vega_lite(layout(...))` gives, in microseconds (tested for every chart kind the pages use, against
Altair's validated spec: so a template is built unvalidated, a sixth of its cost saved on a server
that meets a new shape).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
from altair.vegalite.data import default_data_transformer

from lib.charts.layouts import Layout
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
# A layer's resolve when its layers colour by scales of their own, for its constructor (a chained
# `.resolve_scale` deep-copies the whole chart)
INDEPENDENT_COLOURS = alt.Resolve(scale=alt.ScaleResolveMap(color="independent"))
PER_EPOCH = "@"  # a column of one epoch's values is named prefix@epoch ("level@7", lib.charts.player)


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


_BUILD = threading.local()  # per thread, the frames converted by the template build running in it


def _converted_once(data, max_rows: int | None = 5000):
    """Altair's default data transformer, converting each frame once per template build: a layout
    draws one frame in many layers, and Altair converts it again for each (a third of a build of the
    comparison's maps). Outside a build, or for anything but a frame, it is Altair's own."""
    memo = getattr(_BUILD, "converted", None)
    if memo is None or not isinstance(data, pd.DataFrame):
        return default_data_transformer(data, max_rows=max_rows)
    if id(data) not in memo:  # the frame is kept with its result: its id names no other frame meanwhile
        memo[id(data)] = data, default_data_transformer(data, max_rows=max_rows)
    return memo[id(data)][1]


# In the place of Altair's default (under its name, so that `disable_max_rows` and every other use of
# Altair in the process behave as before); a transformer enabled before this import stays enabled.
alt.data_transformers.register("default", _converted_once)
if alt.data_transformers.active == "default":
    alt.data_transformers.enable("default")  # the registry holds the function it enabled, not the name


def vega_lite(chart: alt.TopLevelMixin, validate: bool = True) -> dict:
    """The chart as a Vega-Lite spec with its data as frames, for `st.vega_lite_chart` or a file.

    A spec can be cached and redrawn, where an Altair chart is rebuilt and revalidated on every
    page run. The default theme's 300 × 300 view size is dropped, as Streamlit drops it.
    """
    spec = chart.to_dict(validate=validate)
    view = spec.get("config", {}).get("view", {})
    for key in ("continuousWidth", "continuousHeight"):
        view.pop(key, None)
    spec["datasets"] = {
        name: pd.DataFrame.from_records(rows) for name, rows in spec.get("datasets", {}).items()
    }
    return spec


_MARKER = "__template_frame__"  # a column naming each frame in the rows a template is built from


def _hole(key: str) -> str:
    return f"\x00hole:{key}\x00"  # a string no chart shows, placed where a value goes


@dataclass(frozen=True)
class Template:
    """A chart's spec without its data: `fill` puts frames and values into it.

    `spec` is shared by every filled spec (only the containers on the way to a value are
    copied), so nothing may change a filled spec in place.
    """

    spec: dict  # without "datasets"
    frames: tuple[str, ...]  # the frame names, which are also the spec's dataset names
    constants: Mapping[str, pd.DataFrame]  # datasets the layout made itself, the same every time
    holes: tuple[tuple[tuple, str], ...]  # (path in the spec, value name)

    def fill(self, frames: Mapping[str, pd.DataFrame], values: Mapping[str, Any] | None = None) -> dict:
        spec = dict(self.spec)
        copied: dict[tuple, Any] = {(): spec}
        for path, key in self.holes:
            node = spec
            for depth in range(1, len(path)):
                if path[:depth] not in copied:
                    node[path[depth - 1]] = copied[path[:depth]] = node[path[depth - 1]].copy()
                node = copied[path[:depth]]
            node[path[-1]] = values[key]
        spec["datasets"] = {**self.constants, **{name: frames[name] for name in self.frames}}
        return spec


def _paths(node, path=()):
    """(path, leaf) of every string leaf of a spec."""
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _paths(child, (*path, key))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _paths(child, (*path, i))
    elif isinstance(node, str):
        yield path, node


def _renamed_data(node, names: Mapping[str, str]):
    """A copy of `node` (a spec or part of one) with every `"data": {"name": ...}` pointing at its
    new dataset name: a filled template shares its parts with others, so nothing is renamed in place."""
    if isinstance(node, list):
        return [_renamed_data(child, names) for child in node]
    if not isinstance(node, dict):
        return node
    renamed = {key: _renamed_data(child, names) for key, child in node.items()}
    data = renamed.get("data")
    if isinstance(data, dict) and data.get("name") in names:
        renamed["data"] = {**data, "name": names[data["name"]]}
    return renamed


def own_datasets(spec: dict, owner: str) -> dict:
    """`spec` with its datasets, and every reference to them, renamed `owner_name`: views of
    several specs put into one (`lib.charts.player`) keep their own data, even under one name."""
    datasets = spec.get("datasets", {})
    names = {name: f"{owner}_{name}" for name in datasets}
    renamed = _renamed_data({key: part for key, part in spec.items() if key != "datasets"}, names)
    return {**renamed, "datasets": {names[name]: frame for name, frame in datasets.items()}}


def _one_row(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """The frame's first row (a row of missing values when empty, with the same dtypes), tagged."""
    row = frame.iloc[:1] if len(frame) else frame.reindex([0])
    return row.assign(**{_MARKER: name})


def build_template(layout: Callable[..., alt.TopLevelMixin], frames, values, shape) -> Template:
    """Build `layout` once, from one row per frame and a marker for each value (unvalidated: see above)."""
    _BUILD.converted = {}  # Altair converts frames while the layout is drawn too
    try:
        chart = layout({k: _one_row(f, k) for k, f in frames.items()}, {k: _hole(k) for k in values}, **shape)
        spec = vega_lite(chart, validate=False)
    finally:
        del _BUILD.converted
    found = {}
    constants = {}
    for dataset, rows in spec.pop("datasets", {}).items():
        if _MARKER in rows:
            found[dataset] = rows[_MARKER].iloc[0]
        else:
            constants[dataset] = rows
    if sorted(found.values()) != sorted(set(found.values())):
        raise ValueError(f"{layout.__name__}: a frame is drawn as two datasets")
    spec = _renamed_data(spec, found)
    holes = tuple((path, leaf[6:-1]) for path, leaf in _paths(spec) if leaf.startswith("\x00hole:"))
    missing = sorted(set(values) - {key for _, key in holes})
    if missing:
        raise ValueError(f"{layout.__name__}: the values {missing} must be placed in the chart as they are")
    return Template(spec, tuple(found.values()), constants, holes)


TEMPLATES_KEPT = 256  # layouts × shapes; a template is a few kB of spec
_TEMPLATES: OrderedDict[Hashable, Template] = OrderedDict()
_TEMPLATES_LOCK = threading.Lock()


def _columns_key(named: tuple[str, pd.DataFrame]) -> tuple:
    """A frame's name, columns and kinds of dtype (float32 or float64 make one spec), as a
    template's key. The columns of every epoch count once (a spec picks them by expression,
    `datum['level@' + epoch]`), so one template serves any number of epochs."""
    name, frame = named
    columns: dict = {}
    for column, dtype in zip(frame.columns, frame.dtypes):
        prefix, sep, epoch = str(column).rpartition(PER_EPOCH)
        columns.setdefault(prefix + sep if sep and epoch.isdigit() else column, dtype.kind)
    return name, tuple(columns.items())


def chart_spec(
    layout: Callable[..., alt.TopLevelMixin],
    frames: Mapping[str, pd.DataFrame],
    values: Mapping[str, Any] | None = None,
    **shape: Hashable,
) -> dict:
    """`vega_lite(layout(frames, values, **shape))`, from a template built once per shape.

    The shape (keyword arguments, hashable) and the frames' columns and dtypes name the
    template; `values` (strings or numbers placed in the chart as they are) and the frames'
    rows may change from call to call. The last TEMPLATES_KEPT templates used are kept.
    """
    values = values or {}
    key = (layout, tuple(sorted(shape.items())), tuple(map(_columns_key, frames.items())), tuple(values))
    with _TEMPLATES_LOCK:
        template = _TEMPLATES.get(key)
        if template is not None:
            _TEMPLATES.move_to_end(key)
    if template is None:
        template = build_template(layout, frames, values, shape)
        with _TEMPLATES_LOCK:
            _TEMPLATES[key] = template
            while len(_TEMPLATES) > TEMPLATES_KEPT:
                _TEMPLATES.popitem(last=False)
    return template.fill(frames, values)


@dataclass(frozen=True)
class ChartParts:
    """A chart as its layout, data, values and shape: drawn by Altair (`chart`) or by template (`spec`)."""

    layout: Callable[..., alt.TopLevelMixin]
    frames: Mapping[str, pd.DataFrame]
    values: Mapping[str, Any] = field(default_factory=dict)
    shape: Mapping[str, Hashable] = field(default_factory=dict)

    def chart(self) -> alt.TopLevelMixin:
        """The Altair chart (validated when converted): for notebooks, exports and tests."""
        return self.layout(self.frames, self.values, **self.shape)

    def spec(self) -> dict:
        """The same chart's Vega-Lite spec, from its template: what the pages draw."""
        return chart_spec(self.layout, self.frames, self.values, **self.shape)

    def reshaped(self, **shape: Hashable) -> ChartParts:
        """The same data in another shape (a layout's size and columns): its frames are shared."""
        return ChartParts(self.layout, self.frames, self.values, {**self.shape, **shape})


def per_layout(
    parts: ChartParts, size: str = "width", columns: str | None = "columns"
) -> Callable[[Layout], ChartParts]:
    """`parts` in any layout of lib.charts.layouts, its frames shared: the shape's `size` and `columns`
    (None: it has none) set to the layout's."""
    return lambda layout: parts.reshaped(
        **{size: layout.size, **({columns: layout.columns} if columns else {})}
    )


Chart = ChartParts | alt.TopLevelMixin | dict  # a dict is a Vega-Lite spec already


def spec_of(chart: Chart) -> dict:
    """A chart's Vega-Lite spec: filled from its template, built by Altair, or the spec it is."""
    if isinstance(chart, dict):
        return chart
    return chart.spec() if isinstance(chart, ChartParts) else vega_lite(chart)


def arrow_datasets(*specs: dict) -> list[dict]:
    """`specs` with their frames as Arrow IPC bytes, each frame converted once (the layouts of a
    chart share theirs). Streamlit sends bytes as they are, so a cached spec is converted when it
    is made, not again on every page run that draws it."""
    converted: dict[int, Any] = {}

    def arrow(frame):
        if isinstance(frame, pd.DataFrame) and id(frame) not in converted:
            converted[id(frame)] = _arrow_bytes(frame)
        return converted.get(id(frame), frame)

    return [
        {**spec, "datasets": {name: arrow(frame) for name, frame in spec["datasets"].items()}}
        if "datasets" in spec
        else spec
        for spec in specs
    ]


def _arrow_bytes(frame: pd.DataFrame) -> bytes | pd.DataFrame:
    """The frame's columns as an Arrow IPC stream, its text columns dictionary encoded (a class
    name or a panel title repeated on 10,000 rows is sent once: the lesson's grid of epochs
    shrinks from 0.9 MB to 0.2 MB). Column by column, without pandas' conversion (a third of
    the time for the player's hundred columns of epochs) and without the index, which no chart
    reads. A frame Arrow cannot take as it is stays a frame, for Streamlit's own conversion."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrays = []
    try:
        for _, column in frame.items():
            if isinstance(column.dtype, np.dtype):
                array = pa.array(column.to_numpy(), from_pandas=True)
            else:  # pandas' own arrays (text, categories) know their Arrow form
                array = pa.array(column.array)
            if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
                array = pc.dictionary_encode(array)
            arrays.append(array)
        table = pa.Table.from_arrays(arrays, names=[str(name) for name in frame.columns])
    except (pa.ArrowException, OverflowError, ValueError, TypeError):
        return frame
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def frame_of(rows: Any) -> Any:
    """A spec's dataset as a frame: Arrow IPC bytes (`arrow_datasets`) are read back."""
    if isinstance(rows, bytes):
        import pyarrow as pa

        table = pa.ipc.open_stream(rows).read_all()
        decoded = [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in table.columns]
        return pa.Table.from_arrays(decoded, names=table.column_names).to_pandas()
    return rows


def with_columns(spec: dict, columns: int, size: int | None = None) -> dict:
    """A `concat` spec laid out in `columns` (at most one per panel), its panels resized to
    `size` px squares if given: another layout of the same chart, without rebuilding it
    (building and validating the Altair chart is the slow part)."""
    panels = spec["concat"]
    if size is not None:
        panels = [{**panel, "width": size, "height": size} for panel in panels]
    return {**spec, "columns": min(columns, len(panels)), "concat": panels}


def class_scale(class_names) -> dict:
    """One colour per class, the same on every chart of the app, as a Vega-Lite scale (the
    hand-written player's, without an Altair build on every new run)."""
    names = [str(name) for name in class_names]
    return {"domain": names, "range": [PALETTE[i % len(PALETTE)] for i in range(len(names))]}


def class_color(class_names, title: str = "Class") -> alt.Color:
    """`class_scale` as Altair's colour encoding of the class column."""
    return alt.Color(
        f"{CLASS_FIELD}:N",
        scale=alt.Scale(**class_scale(class_names)),
        legend=alt.Legend(title=title, orient="top"),
    )


def sample_rows(frame: pd.DataFrame, limit: int, seed: int = 0) -> pd.DataFrame:
    """At most `limit` rows, drawn with a fixed seed so the picture does not flicker."""
    if len(frame) <= limit:
        return frame
    return frame.sample(n=limit, random_state=seed).sort_index()
