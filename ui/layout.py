"""The app's stylesheet: `ui/responsive.css` and, built from `lib.charts.layouts.LAYOUTS`, the rules that
show each responsive chart's one layout that fits the width there is; and the probe that tells the
server that width, so that it sends a responsive chart in that one layout only.

Until the browser has said (a session's first run), a responsive chart in the main column is not
drawn: a line says it is coming, and the run the probe asks for draws it in the one layout that
fits. The server builds each chart once, for the width there is, and a student's browser draws it
once: drawing every layout at first kept a laptop's browser busy for seconds before the probe could
even speak. A chart in a column (whose width is not told) is drawn in every layout, and the
stylesheet shows the one that fits. The probe speaks again only when the width crosses into another
band (a turned phone, the sidebar opened), and the page is drawn again for it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import streamlit as st

from lib.charts.layouts import LAYOUTS, Layout
from ui import state

STYLESHEET = Path(__file__).with_name("responsive.css")
SHEET_ID = "bottleneck"  # the <style> element's data-sheet: the sheet hides its own element


def charts_key(chart: str) -> str:
    """The container of all layouts of a chart, e.g. compare_maps_layouts (also its CSS class): not
    the chart's name alone, which may be a setting's key (pairplot), its widget on the same page."""
    return f"{chart}_layouts"


def layout_key(chart: str, layout: str) -> str:
    """The container of one layout of a chart, e.g. compare_maps_wide (also its CSS class)."""
    return f"{chart}_{layout}"


def band_rules(chart: str, layouts: tuple[Layout, ...]) -> str:
    """CSS that hides every layout of `chart` whose band of widths its container is not in."""
    rules = [f".st-key-{charts_key(chart)} {{\n  container-type: inline-size;\n}}"]
    above = None  # the least width of the next wider layout
    for layout in layouts:
        outside = [f"(width < {layout.min_width}px)"] if layout.min_width else []
        if above is not None:
            outside.append(f"(width >= {above}px)")
        if outside:
            rules.append(
                f"@container {' or '.join(outside)} {{\n"
                f"  .st-key-{layout_key(chart, layout.name)} {{ display: none; }}\n}}"
            )
        above = layout.min_width
    return "\n".join(rules)


@cache
def stylesheet(band: int | None = None) -> str:
    """The whole stylesheet; no user text ever goes into it. Its element says the band the page was
    drawn for (`data-band`), once the browser has told it: a test waits for a page drawn so."""
    bands = "\n".join(band_rules(chart, layouts) for chart, layouts in LAYOUTS.items())
    # its own element takes no room at the top of the page
    itself = f'[data-testid="stElementContainer"]:has(style[data-sheet="{SHEET_ID}"]) {{ display: none; }}'
    probe = f".st-key-{state.CHART_WIDTH} {{ display: none; }}"  # the width probe takes no room either
    told = "" if band is None else f' data-band="{band}"'
    rules = "\n".join((STYLESHEET.read_text(), itself, probe, bands))
    return f'<style data-sheet="{SHEET_ID}"{told}>\n{rules}\n</style>'


BANDS = sorted({layout.min_width for layouts in LAYOUTS.values() for layout in layouts})
# Measures the main column's content width (the width of a chart's container there) and tells the
# server the widest layout threshold it reaches, once per band crossed.
PROBE_JS = """
export default function ({ parentElement, data, setStateValue }) {
  const host = parentElement.host ?? parentElement;
  // the page's width if Streamlit's main column is not found: a chart drawn a size too big beats none
  const main = host.closest('[data-testid="stMainBlockContainer"]') ?? document.documentElement;
  let told = data.band;
  const measure = () => {
    const style = getComputedStyle(main);
    const width = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return data.bands.filter((least) => width >= least).pop() ?? 0;
  };
  // the band the browser would tell now, measured on demand: a browser test waits for a page drawn
  // for it (testkit.chromium.SETTLED), also in the moment after a resize before this probe speaks
  main.chartBand = measure;
  const tell = () => {
    const band = measure();
    if (band !== told) {
      told = band;
      setStateValue("band", band);
    }
  };
  const observer = new ResizeObserver(tell);
  observer.observe(main);
  tell();
  return () => observer.disconnect();
}
"""
PROBE = "bottleneck_chart_width"  # the component's name
_PROBE = st.components.v2.component(PROBE, js=PROBE_JS)


def chart_band() -> int | None:
    """The least width of the band the page's charts are in (one of BANDS), or None until told.

    The browser's word is checked: a value that is not a width in whole pixels (any client can send
    the probe's state) counts as not told, so it never reaches the stylesheet's HTML or a comparison
    of widths."""
    told = st.session_state.get(state.CHART_WIDTH)
    band = told.get("band") if isinstance(told, dict) else None
    return band if type(band) is int and band >= 0 else None


def chosen_layout(chart: str) -> Layout | None:
    """The one layout of `chart` the main column fits, or None until the browser has told its width."""
    band = chart_band()
    if band is None:
        return None
    return next(layout for layout in LAYOUTS[chart] if band >= layout.min_width)


def responsive_layout(on_told: Callable[[], None]) -> None:
    """Load the stylesheet into the page, before any chart is drawn.

    Not `st.html`: Streamlit puts a style-only one in its event container, drawn by a component
    the browser loads on demand, often after the charts; until then a phone showed every layout.
    Markdown's component is loaded with the first label, and the sheet hides its own element.
    Then the width probe; `on_told` is called when it tells a band, before the rerun it asks for.
    """
    st.markdown(stylesheet(chart_band()), unsafe_allow_html=True)
    _PROBE(
        key=state.CHART_WIDTH,
        data={"bands": BANDS, "band": chart_band()},
        default={"band": None},
        on_band_change=on_told,  # before the page is drawn again in its layouts
        height=0,
    )
