"""One student in Chromium: a fresh link, and a slider move, to a settled page.

Debian's headless Chromium (testkit.chromium) at 1440 × 900 against an idle `streamlit run` on
127.0.0.1, on each of PAGES:

- open: a link with a seed not seen yet, in a new tab, from the navigation's start to the page
  settled for the width its browser told (ui.layout): its first run, the run the width asks for,
  every visible chart drawn;

then opens the page's own link, moves the sidebar's Epochs slider once untimed, and times key
presses on it:

- new: one step up to a value not seen yet (the run trains on, then the page draws);
- cached: one step back and forth between two values already seen (cache hits, then the draw).

Each time runs from the key's `keydown` in the page to the moment the page settled: the script run
finished (its `script_finished` message arrived and Streamlit's running-status widget is gone),
every visible Vega chart is drawn, at least one was drawn anew, and then nothing happened for
QUIET_MS: no DOM mutation in the main block and no Vega view on screen redrawn or replaced. The
quiet window is not counted: the time ends at the last thing that happened. The bytes are every
websocket message the page received meanwhile (counted in the page). Prints median/p90/max per page
and kind beside the goals of issue 22 (1.0 s new, 0.3 s cached; for an open, the class's 2 s) and
one SUMMARY line each.

`--baseline REV` measures the same on REV too, in the same run: a `git worktree` of REV served by
its own fresh server, the two servers' pages measured in turns; the ratios are this tree's medians
over REV's.

    python bench/bench_browser.py [--repeats 5] [--baseline 75d38a0]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from class_students import median, percentile
from common import ROOT, print_table, summary, worktree
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from lib import lesson
from testkit.chromium import launch
from testkit.server import free_port, stop_server, wait_healthy
from testkit.students import EPOCHS
from testkit.vega import VIEW

YOUR_TURN = next(step.number for step in lesson.STEPS if step.sets_network)  # the sidebar has the network
PAGES = {  # page -> the link its student opens
    "inner_layer": "/inner_layer?data=banknotes&seed=201",
    "compare": "/compare?data=banknotes&seed=202",
    "lesson": f"/lesson?step={YOUR_TURN}&data=banknotes&seed=203",
}
KINDS = ("open", "new", "cached")
GOALS = {"open": 2.0, "new": 1.0, "cached": 0.3}  # seconds, issue 22 (an open: the class's goal)
VIEWPORT = {"width": 1440, "height": 900}
QUIET_MS = 250
LOAD_QUIET_MS = 1000  # a page's load: its first run, the run after the browser told its width
TIMEOUT_MS = 120_000  # a hang guard, not a goal
SLIDER = "[data-testid='stSidebar'] [data-testid='stSlider']"

# Before the app's scripts: every websocket message is counted (bytes), and each `script_finished`
# noted with its status, read from the message's top-level protobuf fields.
SOCKETS = """([finishedField]) => {
  const bench = (window.__bench = { bytes: 0, finished: [] });
  const status = (bytes) => {
    let i = 0;
    const varint = () => {
      let value = 0;
      for (let scale = 1; i < bytes.length; scale *= 128) {
        const b = bytes[i++];
        value += (b & 127) * scale;
        if (b < 128) return value;
      }
      return -1;
    };
    while (i < bytes.length) {
      const key = varint(), field = Math.floor(key / 8), wire = key % 8;
      if (wire === 0) {
        const value = varint();
        if (field === finishedField) return value;
      } else if (wire === 2) {
        const length = varint();  // read before `i` is: the length's own bytes count
        i += length;
      } else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return null;
    }
    return null;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const t = performance.now(), data = event.data;
        bench.bytes += data.byteLength ?? data.size ?? data.length;
        if (data instanceof ArrayBuffer) {
          const found = status(new Uint8Array(data));
          if (found !== null) bench.finished.push({ t, status: found });
        }
      });
    }
  };
}"""

# Before a key press (or a page's load): from here on, note the last moment anything happened on
# screen (a DOM mutation in the main block, a Vega view on screen drawn or replaced) and the key's time.
ARM = f"""() => {{
  const bench = window.__bench;
  const view = {VIEW};
  const main = document.querySelector('[data-testid="stMain"]');
  const mark = () => {{ bench.last = performance.now(); }};
  Object.assign(bench, {{ armed: performance.now(), t0: null, last: performance.now(), bytes: 0, finished: [],
                          draws: 0 }});
  bench.views = bench.views || new WeakSet();
  const hook = () => {{
    for (const chart of main.querySelectorAll('[data-testid="stVegaLiteChart"]')) {{
      const found = view(chart);
      if (!found || !found._renderer || bench.views.has(found)) continue;  // its renderer once there
      bench.views.add(found);
      if (chart.offsetParent !== null) {{ bench.draws++; mark(); }}  // a new view: drawn anew
      const renderer = found._renderer, render = renderer.render;
      renderer.render = function (...args) {{
        if (chart.offsetParent !== null) {{ bench.draws++; mark(); }}
        return render.apply(this, args);
      }};
    }}
  }};
  hook();
  bench.draws = 0;
  clearInterval(bench.timer);
  bench.timer = setInterval(hook, 20);
  if (bench.observer) bench.observer.disconnect();
  bench.observer = new MutationObserver(mark);
  bench.observer.observe(main, {{ subtree: true, childList: true, attributes: true, characterData: true }});
  if (!bench.keyed) {{
    bench.keyed = true;
    document.addEventListener('keydown', (event) => {{
      if (bench.t0 === null) {{ bench.t0 = event.timeStamp; bench.draws = 0; }}
    }}, true);
  }}
}}"""

# The page settled (see the module docstring): null until then, else what the step took. `moved`:
# after a key press (else after a page's load: no run to wait for, only the quiet).
SETTLED = """([quiet, early, moved]) => {
  const bench = window.__bench, now = performance.now();
  const start = moved ? bench.t0 : bench.armed;
  if (start === null) return null;
  const finished = bench.finished.filter((f) => f.status !== early && f.t >= start);
  if (moved && !finished.length) return null;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return null;
  const charts = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stVegaLiteChart"]')]
    .filter((chart) => chart.offsetParent !== null);
  if (!charts.every((chart) => chart.querySelector('canvas, svg'))) return null;
  if (moved ? charts.length && !bench.draws : !charts.length) return null;  // new data drawn, a page drawn
  const ran = finished.length ? finished[finished.length - 1].t : start;
  const last = Math.max(bench.last, ran);
  if (now - last < quiet) return null;
  const errors = [...document.querySelectorAll('[data-testid="stException"]')].map((e) => e.innerText);
  return { seconds: (last - start) / 1000, at: last / 1000, ran: (ran - start) / 1000, bytes: bench.bytes,
           status: finished.length ? finished[finished.length - 1].status : null, charts: charts.length,
           errors };
}"""
SUCCESS = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
# A link's page drawn for the width its browser told (the stylesheet says the band), no run under way,
# every visible chart drawn; what arrived until then: the time of the last finished run, the bytes.
OPENED = """() => {
  const bench = window.__bench;
  const charts = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stVegaLiteChart"]')]
    .filter((chart) => chart.offsetParent !== null);
  if (!document.querySelector('style[data-sheet][data-band]') || !bench.finished.length) return null;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return null;
  if (!charts.length || !charts.every((chart) => chart.querySelector('canvas, svg'))) return null;
  return { ran: bench.finished[bench.finished.length - 1].t / 1000, bytes: bench.bytes };
}"""


@dataclass
class Step:
    page: str
    kind: str
    epochs: int  # the slider's value after the step
    seconds: float
    ran: float  # seconds until the run's `script_finished` arrived (the rest is the browser's)
    bytes: int
    charts: int  # the Vega charts on screen
    error: str = ""


@contextmanager
def serving(root: Path):
    """A fresh `streamlit run` of the app in `root` (its own config and code), on 127.0.0.1."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
        "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(command, cwd=root, stdout=log, stderr=subprocess.STDOUT)
        try:
            try:
                wait_healthy(url, process)
            except RuntimeError as error:
                log.seek(0)
                raise RuntimeError(
                    f"the app in {root} did not start ({error}):\n{log.read()[-3000:]}"
                ) from None
            yield url
        finally:
            stop_server(process)


class PageLost(Exception):
    """The page no longer shows the slider, or did not settle: its later steps cannot be measured."""


def settle(tab, moved: bool) -> dict:
    """What SETTLED returns, once the page settled (`moved`: after a key press, else after a load)."""
    quiet = QUIET_MS if moved else LOAD_QUIET_MS
    try:
        handle = tab.wait_for_function(
            SETTLED, arg=[quiet, ForwardMsg.FINISHED_EARLY_FOR_RERUN, moved], polling=20, timeout=TIMEOUT_MS
        )
    except PlaywrightTimeout:
        raise PageLost(f"the page did not settle within {TIMEOUT_MS / 1000:.0f} s") from None
    return handle.json_value()


def _step(tab, thumb, page: str, kind: str, key: str, seen: set[int]) -> Step:
    """Press `key` on the slider's `thumb`; the step's time once the page settled. A new step must land
    on a value not in `seen`, a cached one on a value in it."""
    thumb.focus()
    tab.evaluate(ARM)
    tab.keyboard.press(key)
    done = settle(tab, moved=True)
    if not thumb.is_visible():
        raise PageLost(f"after a {kind} step the Epochs slider is gone: the page changed ({tab.url})")
    epochs = int(thumb.input_value())
    errors = done["errors"]
    if done["status"] not in SUCCESS:
        errors.append(f"the run ended with {ForwardMsg.ScriptFinishedStatus.Name(done['status'])}")
    if (kind == "new") == (epochs in seen):
        errors.append(f"a {kind} step landed on {epochs} epochs, {'seen' if epochs in seen else 'new'}")
    seen.add(epochs)
    fields = ("seconds", "ran", "bytes", "charts")
    return Step(page, kind, epochs, *(done[f] for f in fields), "; ".join(errors)[:300])


def _open(context, url: str, page: str, seed: int) -> Step:
    """Open `page`'s link with `seed` in a new tab: seconds from the navigation's start until the
    page settled (OPENED, then no change for LOAD_QUIET_MS)."""
    tab = context.new_page()
    try:
        tab.goto(url + re.sub(r"seed=\d+", f"seed={seed}", PAGES[page]))
        arrived = tab.wait_for_function(OPENED, polling=20, timeout=TIMEOUT_MS).json_value()
        tab.evaluate(ARM)
        done = settle(tab, moved=False)
    finally:
        tab.close()
    errors = "; ".join(done["errors"])[:300]
    return Step(
        page, "open", 0, done["at"], arrived["ran"], arrived["bytes"] + done["bytes"], done["charts"], errors
    )


def measure_page(browser, url: str, page: str, repeats: int) -> tuple[list[Step], list[str]]:
    """`repeats` opens of fresh links, then `repeats` new and `repeats` cached moves of the Epochs
    slider on `page`, in a tab of its own; and why the page's measuring stopped early, if it did."""
    context = browser.new_context(viewport=VIEWPORT)
    finished = ForwardMsg.DESCRIPTOR.fields_by_name["script_finished"].number
    context.add_init_script(f"({SOCKETS})([{finished}])")
    steps = []
    try:
        for i in range(repeats):  # seeds no other open or move uses
            steps.append(_open(context, url, page, 9000 + 100 * list(PAGES).index(page) + i))
        tab = context.new_page()
        tab.goto(url + PAGES[page])
        thumb = tab.locator(SLIDER).filter(has_text=EPOCHS).get_by_role("slider")
        thumb.wait_for(timeout=TIMEOUT_MS)
        tab.evaluate(ARM)
        settle(tab, moved=False)
        seen = {int(thumb.input_value())}
        _step(tab, thumb, page, "new", "ArrowRight", seen)  # untimed: the page's first move
        for _ in range(repeats):
            steps.append(_step(tab, thumb, page, "new", "ArrowRight", seen))
        for i in range(repeats):  # back and forth between the last two values
            steps.append(_step(tab, thumb, page, "cached", "ArrowRight" if i % 2 else "ArrowLeft", seen))
    except (PageLost, PlaywrightTimeout) as lost:
        return steps, [f"{page}: measuring stopped after {len(steps)} steps: {lost}"]
    finally:
        context.close()
    return steps, []


def measure(trees: dict[str, Path], pages: list[str], repeats: int) -> tuple[dict, dict]:
    """Every page on each tree's own fresh server, the trees in turns page by page; and why a page's
    measuring stopped early, if it did (per tree)."""
    with ExitStack() as stack:
        urls = {name: stack.enter_context(serving(root)) for name, root in trees.items()}
        browser = launch(stack.enter_context(sync_playwright()))
        stack.callback(browser.close)
        steps, stopped = {name: [] for name in trees}, {name: [] for name in trees}
        for page in pages:
            for name, url in urls.items():
                taken, why = measure_page(browser, url, page, repeats)
                steps[name] += taken
                stopped[name] += why
        return steps, stopped


def figures(steps: list[Step]) -> dict[str, float]:
    """The figures of some steps (nan where there are none)."""
    times = sorted(s.seconds for s in steps)
    return {
        "n": len(times),
        "errors": sum(1 for s in steps if s.error),
        "median": median(times),
        "p90": percentile(times, 0.9),
        "max": max(times, default=float("nan")),
        "ran": median([s.ran for s in steps]),
        "kB": median([s.bytes / 1000 for s in steps]),
        "charts": max((s.charts for s in steps), default=0),
    }


def report(
    steps: dict[str, list[Step]], stopped: dict[str, list[str]], pages: list[str], baseline: str | None
):
    """A table per tree (the ratios to the baseline beside this tree's), the errors, a SUMMARY line each."""
    found = {
        (name, page, kind): figures([s for s in taken if (s.page, s.kind) == (page, kind)])
        for name, taken in steps.items()
        for page in pages
        for kind in KINDS
    }
    here = next(iter(steps))
    ratio = {
        (page, kind): found[here, page, kind]["median"] / found[baseline, page, kind]["median"]
        for page in pages
        for kind in KINDS
        if baseline
    }
    for name, taken in steps.items():
        compared = baseline is not None and name == here
        rows = []
        for page in pages:
            for kind in KINDS:
                f = found[name, page, kind]
                rows.append(
                    (
                        page, kind, f["n"], f["errors"],
                        *(f"{f[k]:.2f}" for k in ("median", "p90", "max", "ran")),
                        f"{GOALS[kind]:g}", "yes" if f["median"] <= GOALS[kind] else "NO",
                        f"{f['kB']:.0f}", f["charts"], *([f"{ratio[page, kind]:.2f}"] if compared else []),
                    )
                )  # fmt: skip
        print_table(
            f"{name}: a fresh link or a slider move to a settled page, 1440 × 900 (seconds; ran: until the "
            "run finished, the median; kB received over the websocket a step)",
            rows,
            (
                "page", "kind", "n", "errors", "median", "p90", "max", "ran", "goal", "met", "kB", "charts",
                *([f"× {baseline}"] if compared else []),
            ),
        )  # fmt: skip
        for step in taken:
            if step.error:
                print(f"  error: {step.page} {step.kind} at {step.epochs} epochs: {step.error}")
        for why in stopped[name]:
            print(f"  error: {why}")
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (other work slows every case)")
    for page in pages:
        for kind in KINDS:
            f = found[here, page, kind]
            summary(
                f"browser: {page} page, {'link' if kind == 'open' else 'slider'} to a settled page: "
                f"{kind} (median)",
                f["median"],
                "s",
                goal=f"≤ {GOALS[kind]:g} s",
                met=f["median"] <= GOALS[kind] and not f["errors"] and not stopped[here],
                baseline=f"{baseline}, measured in the same run" if baseline else None,
                ratio=ratio.get((page, kind)),
                note=f"{f['n']} steps, p90 {f['p90']:.2f} s, max {f['max']:.2f} s, the run finished after "
                f"{f['ran']:.2f} s, {f['errors']} errors, {f['kB']:.0f} kB a step",
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed moves of each kind on each page")
    parser.add_argument("--baseline", help="a git revision measured in the same run (e.g. 75d38a0)")
    parser.add_argument("--pages", nargs="+", choices=tuple(PAGES), default=list(PAGES))
    args = parser.parse_args()
    with ExitStack() as stack:
        trees = {"this tree": ROOT}
        if args.baseline:
            trees[args.baseline] = stack.enter_context(worktree(args.baseline))
        steps, stopped = measure(trees, args.pages, args.repeats)
    report(steps, stopped, args.pages, args.baseline)


if __name__ == "__main__":
    main()
