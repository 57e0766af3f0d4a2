"""Every chart on a page is drawn one way: `chart(build, *args, name=...)`, with a menu to save it.

`build` is a module-level function of lib.charts and `build(*args)` the chart: `ChartParts`, an
Altair chart or a Vega-Lite spec. A responsive chart (`layouts`: its name in lib.charts.layouts.LAYOUTS)
in the main column is drawn in the layout that fits the width the browser told (ui.layout), and not
until it has told it; in a column, once per layout, each in the container the stylesheet shows only
at its widths. There `build(*args)` is
a function of the `Layout`, or one concatenation of panels laid out again for each layout (its
columns and panel size).

Building and validating a chart takes longer than training the lesson's network once it is
cached, so every chart's spec (the layouts a page draws and the widest, which its menu saves;
their frames as Arrow bytes converted once) is cached as a result, under the builder's module
and name and its arguments: hashable arguments as they are, arrays, frames and the dataclasses
holding them (a data set, a run, a map) by a digest of their contents. So a key always names
everything the chart depends on, and no caller names one.
Streamlit turns off Vega's own "Save as SVG / PNG" menu; the "Save chart" menu puts it back.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import weakref
from collections.abc import Callable, Hashable

import numpy as np
import pandas as pd
import streamlit as st

from lib.charts.common import Chart, arrow_datasets, spec_of, with_columns
from lib.charts.files import CHART_FORMATS, chart_file
from lib.charts.layouts import LAYOUTS, Layout, widest
from lib.datasets import Dataset
from ui.layout import charts_key, chosen_layout, layout_key
from ui.turns import ComputedRecord

SAVE_AS = {"svg": "SVG (any size, for slides)", "png": "PNG (picture)", "json": "Vega-Lite source (JSON)"}
ONE = ""  # the one spec of a chart that has no layouts
UNTOLD = "Drawing this chart for your screen's width…"
UNTOLD_HELP = (
    "Your browser tells the app how wide the page is, and the chart is drawn in the layout that "
    "fits it. If this stays, reload the page."
)


def say_untold() -> None:
    """The line in a chart's place until the browser has told its width (ui.layout): the run the told
    width asks for draws the chart."""
    st.caption(UNTOLD, help=UNTOLD_HELP)


def chart(build: Callable, *args, name: str, layouts: str | None = None, place=st, **options) -> None:
    """Draw `build(*args)` in `place` (or in `layouts`' slots from `layout_slots`), with the menu
    that saves it as `name`.svg/png/json (a responsive chart in its widest layout). `options` go
    to `st.vega_lite_chart` (a responsive chart's layouts are drawn at their own width)."""
    if layouts is None:
        specs = _specs_in_turn(build, args, layouts)
        place.vega_lite_chart(specs[ONE], **options)
        _save_menu(lambda: specs[ONE], name, place)
        return
    slots = place if isinstance(place, Slots) else layout_slots(layouts, place)
    if not slots.layouts:  # the width not told yet: nothing built
        return
    saved = widest(layouts)  # the layout the menu saves, built beside the ones drawn
    built = tuple(layout.name for layout in LAYOUTS[layouts] if layout in slots.layouts or layout == saved)
    specs = _specs_in_turn(build, args, layouts, built)
    for layout, slot in slots.layouts.items():
        slot.vega_lite_chart(specs[layout.name], width="content")
    first = slots.saved is None
    slots.saved = specs[saved.name]
    if first:  # drawn again, the chart keeps its one menu, which saves what is drawn last
        _save_menu(lambda: slots.saved, name, slots.menu)


@dataclasses.dataclass(eq=False)
class Slots:
    """Where a responsive chart goes: one empty slot per layout, then its menu."""

    layouts: dict[Layout, object]
    menu: object
    saved: dict | None = None  # the spec the menu saves


def layout_slots(layouts: str, place=st) -> Slots:
    """Empty slots for the chart `layouts`, then its menu, for a chart drawn again as its data comes
    in: each `chart(..., place=slots)` draws it anew in them. In the main column, one slot for the
    layout that fits the width the browser told (ui.layout), and none until it has: a line says the
    chart is coming, and nothing is built. Elsewhere one per layout, in the containers the
    stylesheet shows by width (a column's width is not told)."""
    with place.container(key=charts_key(layouts)):
        if place is not st:
            slots = {
                layout: st.container(key=layout_key(layouts, layout.name)).empty()
                for layout in LAYOUTS[layouts]
            }
        elif (chosen := chosen_layout(layouts)) is None:  # the run the told width asks for draws it
            say_untold()
            slots = {}
        else:
            slots = {chosen: st.empty()}
    return Slots(slots, place.empty())


@st.cache_data(max_entries=512, max_size="176MB", show_spinner=False)  # 2 kB-2 MB a chart
def _specs(
    key: Hashable, _build: Callable, _args: tuple, layouts: str | None, names: tuple[str, ...] = ()
) -> dict[str, dict]:
    """The specs of `build(*args)`: its one spec, or those of the layouts `names` (all if empty),
    a page building only the layouts it draws (and the one its menu saves)."""
    COMPUTED.add((key, names))  # before it is done: a page that asks again meanwhile waits for it anyway
    built = _build(*_args)
    if layouts is None:
        return dict(zip([ONE], arrow_datasets(spec_of(built))))
    if isinstance(built, Chart):  # one concatenation of panels, laid out again per layout
        spec = spec_of(built)
        built = lambda layout: with_columns(spec, layout.columns, layout.size)
    chosen = [layout for layout in LAYOUTS[layouts] if not names or layout.name in names]
    specs = arrow_datasets(*(spec_of(built(layout)) for layout in chosen))  # a shared frame once
    return {layout.name: spec for layout, spec in zip(chosen, specs)}


def _specs_in_turn(build: Callable, args: tuple, layouts: str | None, names: tuple[str, ...] = ()):
    """`_specs` of `build(*args)`, after waiting for a turn if they were not computed before (ui.turns)."""
    key = _key(build, args, layouts)
    COMPUTED.take_turn_if_new((key, names))
    return _specs(key, build, args, layouts, names)


COMPUTED = ComputedRecord(kept=1024)  # the specs `_specs` computed (key, layouts built): more than it keeps


def _key(build: Callable, args: tuple, layouts: str | None) -> tuple:
    """The cache key of `build(*args)`: the builder's module and name, the layouts, and a digest of
    the arguments' identities. A digest, because st.cache_data hashes a key's nested tuples element
    by element in Python: a run's identity took 40 % of a cached page run to hash."""
    name = f"{build.__module__}.{build.__qualname__}"
    if "<" in name:  # a lambda's or a local function's name does not tell one chart from another
        raise TypeError(f"{name}: a chart is built by a module-level function, its name part of its key")
    arguments = repr(tuple(map(identity, args))).encode()  # repr: floats exactly, str apart from int
    return (name, layouts, hashlib.blake2b(arguments, digest_size=16).hexdigest())


_DIGESTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # a run or data set's, per object
_DIGESTS_LOCK = threading.Lock()  # sessions are threads


def identity(value) -> Hashable:
    """A hashable stand-in for `value` that differs whenever its contents do."""
    if value is None or isinstance(value, (str, bytes, bool, int, float, np.generic)):
        return value
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(map(identity, value)))
    if isinstance(value, dict):
        return ("dict", tuple((identity(k), identity(v)) for k, v in value.items()))
    if isinstance(value, (range, Layout)):
        return value
    if isinstance(value, np.ndarray):
        return ("array", value.dtype.str, value.shape, _digest(value))
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return (type(value).__name__, _digest(value))
    if isinstance(value, Dataset):  # its content hash, made once and kept by its copies from a cache
        return ("Dataset", value.name, value.fingerprint, value.description, value.notices)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        try:  # a frozen object without `==` (a run): its digest is made once
            with _DIGESTS_LOCK:
                return _DIGESTS[value]
        except (KeyError, TypeError):
            pass
        found = (
            type(value).__qualname__,
            tuple(identity(getattr(value, f.name)) for f in dataclasses.fields(value)),
        )
        try:
            with _DIGESTS_LOCK:
                _DIGESTS[value] = found
        except TypeError:  # a dataclass with `==` and arrays inside is not hashable: not kept
            pass
        return found
    raise TypeError(f"a chart's argument of type {type(value).__name__} has no identity for its cache key")


def _digest(value: np.ndarray | pd.DataFrame | pd.Series) -> str:
    digest = hashlib.blake2b(digest_size=16)
    if isinstance(value, np.ndarray) and value.dtype != object:
        digest.update(np.ascontiguousarray(value).tobytes())
        return digest.hexdigest()
    frame = value if isinstance(value, (pd.DataFrame, pd.Series)) else pd.Series(value.ravel())
    frame = frame.to_frame() if isinstance(frame, pd.Series) else frame
    digest.update(repr([(column, str(kind)) for column, kind in frame.dtypes.items()]).encode())
    kinds = set(frame.dtypes)
    if len(kinds) == 1 and next(iter(kinds)).kind in "biuf":  # numbers of one dtype (a run's history):
        # their bytes as they are (mixed dtypes would be converted, booleans and numbers to objects)
        digest.update(_digest(frame.index.to_numpy()).encode())
        digest.update(np.ascontiguousarray(frame.to_numpy()).tobytes())
    else:  # text and Python objects: pandas' hash of each row (index included), 20x slower
        digest.update(pd.util.hash_pandas_object(frame).to_numpy().tobytes())
    return digest.hexdigest()


def _save_menu(spec: Callable[[], dict], name: str, place) -> None:
    """A small "Save chart" menu; a file is drawn only when its button is clicked."""
    with place.popover(
        "Save chart",
        icon=":material/download:",
        type="tertiary",
        help="Save this chart as a picture, or its Vega-Lite source.",
    ):
        for fmt, label in SAVE_AS.items():
            st.download_button(
                label,
                lambda fmt=fmt: chart_file(spec(), fmt),
                file_name=f"{name}.{fmt}",
                mime=CHART_FORMATS[fmt],
                on_click="ignore",
                width="stretch",
            )
