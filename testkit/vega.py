"""What Vega drew in Chromium, read from a chart's own view (its scenegraph and its data).

Streamlit keeps the Vega view in React state: it is found from the chart's element by walking the
element's React fiber up to the component that holds it. Positions are in px of the page's
viewport, where a mouse click or a tap lands.
"""

from __future__ import annotations

VIEW = """(element) => {
  const key = Object.keys(element).find((k) => k.startsWith('__reactFiber$'));
  const isView = (v) => v && typeof v === 'object' && typeof v.scenegraph === 'function'
    && typeof v.signal === 'function' && typeof v.origin === 'function';
  for (let fiber = element[key], depth = 0; fiber && depth < 30; fiber = fiber.return, depth++) {
    for (let hook = fiber.memoizedState, i = 0; hook && typeof hook === 'object' && i < 100;
         hook = hook.next, i++) {
      for (const value of [hook.memoizedState, hook.memoizedState && hook.memoizedState.current]) {
        if (isView(value)) return value;
      }
    }
  }
  return null;
}"""

# Every symbol and text item drawn, with the index of the concatenated view it is in (its
# `concat_N_group`, -1 outside one), its place on the page, size, text and the datum's `fields`.
# null until the view has drawn.
ITEMS = f"""([element, fields]) => {{
  const view = ({VIEW})(element);
  const surface = element.querySelector('canvas, svg.marks');  // Streamlit draws small data as SVG
  if (!view || !surface || !view.scenegraph().root.items.length) return null;
  const box = surface.getBoundingClientRect();
  const scale = box.width / parseFloat(surface.style.width || surface.getAttribute('width'));
  const found = [];
  const walk = (group, x, y, panel) => {{
    for (const mark of group.items || []) {{
      if (mark.marktype === 'group') {{
        const match = /^concat_(\\d+)_group$/.exec(mark.name || '');
        for (const item of mark.items) {{
          walk(item, x + (item.x || 0), y + (item.y || 0), match ? Number(match[1]) : panel);
        }}
      }} else if (mark.marktype === 'symbol' || mark.marktype === 'text') {{
        for (const item of mark.items) {{
          const datum = {{}};
          for (const field of fields) datum[field] = item.datum ? item.datum[field] : undefined;
          found.push({{
            panel, type: mark.marktype, size: item.size, text: item.text, datum,
            x: box.left + scale * (x + item.x), y: box.top + scale * (y + item.y),
          }});
        }}
      }}
    }}
  }};
  const [left, top] = view.origin();
  walk(view.scenegraph().root.items[0], left, top, -1);
  return found;
}}"""

# The values of a selection's store (`name`_store), one list per selected tuple.
SELECTED = f"""([element, name]) => {{
  const view = ({VIEW})(element);
  return view ? view.data(name + '_store').map((tuple) => tuple.values) : null;
}}"""


def drawn_items(chart, fields: list[str]) -> list[dict]:
    """Every symbol and text item Vega drew in `chart` (a Playwright locator of one chart element),
    once it has drawn, with the datum `fields` of each."""
    handle = chart.element_handle()
    chart.page.wait_for_function(f"(args) => ({ITEMS})(args) !== null", arg=[handle, fields], timeout=60_000)
    return chart.page.evaluate(ITEMS, [handle, fields])


def selected(chart, name: str) -> list[list]:
    """The values selected by the selection parameter `name` in `chart`."""
    handle = chart.element_handle()
    return chart.page.evaluate(SELECTED, [handle, name])


def wait_selected(chart, name: str, values: list[list], timeout: float = 30_000) -> None:
    """Wait until the selection parameter `name` in `chart` selects `values` (see `selected`)."""
    handle = chart.element_handle()
    chart.page.wait_for_function(
        f"([args, want]) => JSON.stringify(({SELECTED})(args)) === JSON.stringify(want)",
        arg=[[handle, name], values],
        timeout=timeout,
    )


# The pictures as drawn, in px of the page's viewport: each picture's frame (a white rect with
# its node), and the colours of its dots in order; null until Vega has drawn a view of node pictures.
NODE_PICTURES = f"""(element) => {{
  const view = ({VIEW})(element);
  if (!view || !view.scenegraph().root.items.length) return null;
  const canvas = element.querySelector('canvas');
  if (!canvas) return null;
  const box = canvas.getBoundingClientRect();
  const scale = box.width / parseFloat(canvas.style.width);
  const pictures = [], dots = [];
  const walk = (group, x, y) => {{
    for (const mark of group.items || []) {{
      for (const item of mark.items || []) {{
        if (mark.marktype === 'group') walk(item, x + (item.x || 0), y + (item.y || 0));
        else if (mark.marktype === 'rect' && item.fill === 'white' && item.opacity === undefined
                 && item.datum && item.datum.node_id) {{
          pictures.push({{
            node: item.datum.node_id, left: box.left + scale * (x + item.x),
            top: box.top + scale * (y + item.y), width: scale * item.width, height: scale * item.height,
          }});
        }} else if (mark.marktype === 'symbol' && item.datum && item.datum.u !== undefined) {{
          dots.push(item.fill);
        }}
      }}
    }}
  }};
  const [left, top] = view.origin();
  walk(view.scenegraph().root.items[0], left, top);
  if (!pictures.length || !dots.length) return null;
  return {{pictures, dots: dots.join(','), right: box.right}};
}}"""


def node_pictures(chart, other_than: str | None = None) -> dict:
    """The pictures once drawn for the screen's width (the page draws the widest layout until the
    browser has told its width), with dots coloured otherwise than `other_than` if given."""
    chart.page.wait_for_function(
        f"""([element, before]) => {{
          const shown = ({NODE_PICTURES})(element);
          return shown !== null && shown.dots !== before && shown.right <= window.innerWidth;
        }}""",
        arg=[chart.element_handle(), other_than],
        timeout=60_000,
    )
    return chart.evaluate(NODE_PICTURES)
