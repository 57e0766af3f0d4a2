"""The whole app in Streamlit's AppTest, what its pages show (chart specs and data, the player's
parameters, stated numbers), and scripts in a fresh Python process."""

from __future__ import annotations

import functools
import json
import re

from testkit import ROOT

LAPTOP_BAND = 980  # the band Chromium at 1440 × 900 tells, the sidebar open (tests/test_browser_layouts.py)


def scan_components_once() -> None:
    """Every new AppTest scans every installed package for Streamlit components (about 0.2 s, the
    metadata of some 200 packages) in its first run; the installed packages do not change while the
    tests run, so this process scans them once and hands the same list to every later AppTest."""
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    if not hasattr(scan, "cache_info"):
        manifest_scanner.scan_component_manifests = functools.cache(scan)


def compile_scripts_once() -> None:
    """Every AppTest run makes a new cache of the app's compiled scripts (each page's source parsed,
    given Streamlit's "magic" and compiled again, on every run); the scripts do not change while the
    tests run, so every run here shares one cache."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    if app_test.ScriptCache is ScriptCache:
        shared = ScriptCache()
        app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


def without_background_load() -> None:
    """The app's background load (ui.startup.load_in_background: the heavy imports, then a trace of
    each preset's network) put off for an hour in this process. Tested in a fresh process of its own
    (tests/test_startup.py); elsewhere it only spent a test process's CPU on traces its tests may not
    use, and a test of what a page imports must see that page's imports alone."""
    import ui.startup

    load = ui.startup.load_in_background
    if not getattr(load, "put_off", False):
        ui.startup.load_in_background = functools.cache(functools.partial(load.__wrapped__, 3600.0))
        ui.startup.load_in_background.put_off = True


def skip_the_bare_mode_warning() -> None:
    """Outside `streamlit run`, Streamlit's first element checks once whether it runs in a REPL, by
    `inspect.stack()`: every frame's source file looked up, which took 2 s in a test that traces
    memory (tests/test_caches.py). The check only chooses a log line; here it is marked done."""
    from streamlit import delta_generator

    delta_generator._use_warning_has_been_displayed = True


def wait_for_runs_without_polling() -> None:
    """AppTest waits for a script run by checking, every millisecond, whether the run's list of events
    (one a message the page sends: hundreds) holds its end: the test's thread takes the GIL from the
    running script a thousand times a second and scans the list each time, about a tenth of a page
    test's CPU. Here it waits for the script's thread to end instead, with the same timeout and the
    same error when the run takes longer (the run ends with that thread, which AppTest joins next)."""
    from streamlit.testing.v1 import local_script_runner

    if getattr(local_script_runner.require_widgets_deltas, "waits", False):
        return

    def require_widgets_deltas(runner, timeout: float = 3) -> None:
        if runner._script_thread is not None:
            runner._script_thread.join(timeout)
        if not runner.script_stopped():
            runner.request_stop()
            runner.join()
            raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")

    require_widgets_deltas.waits = True
    local_script_runner.require_widgets_deltas = require_widgets_deltas


def app_test(page: str | None = None, query: dict | None = None, state: dict | None = None):
    """The whole app in AppTest, switched to `page` (a path under app_pages/), after one run;
    `query` and session `state` are set before that run. The width probe has told a laptop's band
    unless `state` says otherwise (a browser tells it at once; AppTest has none)."""
    from streamlit.testing.v1 import AppTest

    from ui.state import CHART_WIDTH

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=180)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    state = {CHART_WIDTH: {"band": LAPTOP_BAND}} | (state or {})  # as a laptop's browser tells (ui.layout)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def each_layout(at, chart: str):
    """Draw the page of `at` again as a browser in each band of widths of `chart` tells it (its layouts
    in lib.charts.layouts, widest first), yielding each layout after its run; the next run of `at`
    is told the width it was told before."""
    from lib.charts.layouts import LAYOUTS
    from ui.state import CHART_WIDTH

    told = at.session_state[CHART_WIDTH] if CHART_WIDTH in at.session_state else None
    for layout in LAYOUTS[chart]:
        at.session_state[CHART_WIDTH] = {"band": layout.min_width}
        at.run()
        yield layout
    at.session_state[CHART_WIDTH] = told  # the next run as before


def first_run(**state):
    """The app on its data page after one run, with session state set beforehand."""
    return app_test(state=state)


def upload(at, name: str, data: bytes):
    """Upload `data` as the file `name` in the sidebar's uploader, and run."""
    return at.sidebar.file_uploader(key="csv_uploader").set_value((name, data, "text/csv")).run()


def set_config(at, config) -> None:
    """Give the network's settings the values of the TrainConfig `config` before the next run, as a
    student moving every control at once would."""
    from ui.train_controls import session_values

    for key, value in session_values(config).items():
        at.session_state[key] = value


def chart_specs(at, widest: bool = False) -> list[dict]:
    """The Vega-Lite specs of every Altair chart on the page (`widest`: see `widest_charts`)."""
    return [
        json.loads(element.proto.spec)
        for element in (widest_charts(at) if widest else at.get("vega_lite_chart"))
    ]


def widest_charts(at) -> list:
    """The page's chart elements, a responsive chart (lib.charts.layouts) in its widest layout only: each
    chart once, as a wide screen shows it."""
    from lib.charts.layouts import LAYOUTS
    from ui.layout import layout_key

    narrower = {
        layout_key(chart, layout.name) for chart, layouts in LAYOUTS.items() for layout in layouts[1:]
    }

    def charts(node) -> list:
        if getattr(node, "type", None) == "vega_lite_chart":
            return [node]
        block_id = getattr(getattr(node, "proto", None), "id", "") if hasattr(node, "children") else ""
        if block_id and block_id.rsplit("-", 1)[-1] in narrower:
            return []
        return [chart for child in getattr(node, "children", {}).values() for chart in charts(child)]

    return charts(at.main)


def marked_views(spec: dict) -> list[dict]:
    """The views of a Vega-Lite spec that draw marks (its panels), inside concatenations and layers."""
    found = [spec] if "mark" in spec else []
    for key in ("vconcat", "hconcat", "layer"):
        for child in spec.get(key, []):
            found += marked_views(child)
    return found


def chart_data(at) -> list:
    """The rows each chart draws (Streamlit ships them beside the spec, as Arrow), in its widest layout:
    one pandas DataFrame per chart."""
    import pandas as pd

    from lib.charts.common import frame_of

    return [pd.concat([frame_of(d.data.data) for d in chart.proto.datasets]) for chart in widest_charts(at)]


def player_params(at) -> dict | None:
    """The inner-layer player's parameters ({name: param}) from its spec, or None if not drawn."""
    for spec in chart_specs(at):
        params = {p["name"]: p for p in spec.get("params", [])}
        if "epoch" in params and "accuracy" in params:
            return params
    return None


def player_opens_at(at) -> int | None:
    """The epoch the inner-layer player shows first (its slider's start), or None if not drawn."""
    params = player_params(at)
    return None if params is None else params["epoch"]["value"]


def final_test_accuracy(at) -> float:
    """The final test accuracy the inner-layer page's caption states, as a fraction."""
    found = [re.search(r"final test accuracy \*\*([\d.]+)%\*\*", c.value) for c in at.caption]
    return float(next(m for m in found if m).group(1)) / 100


def assert_no_exception(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def clear_caches() -> None:
    """Forget every `st.cache_data` result, so that no test sees what an earlier one computed."""
    import streamlit as st

    st.cache_data.clear()


def last_line_printed(script: str, timeout: float = 300) -> str:
    """Run `script` in a fresh Python process (nothing other tests left behind counts)."""
    from testkit.fresh import run

    return run(script, timeout=timeout).last_line
