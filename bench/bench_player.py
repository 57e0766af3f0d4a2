"""Frames per second of the epoch player in headless Chromium, and what it sends to the server.

The player (lib/charts/player.py) steps its `epoch` parameter on a Vega timer while Play is
ticked. This opens bench/player_app.py, ticks Play and times the titles Vega draws until the
last epoch, for the lesson's player, a multi-class (wine) player and a bare player: the same
timer and title with nothing else to draw, the baseline run in the same browser. It prints
frames a second, their ratio to the baseline, and the websocket messages sent while playing.

    python bench/bench_player.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics

from common import ROOT, print_table, summary

from testkit.chromium import chromium
from testkit.server import start_server, stop_server

RECORD = """
window.__frames = [];
const fillText = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
  if (typeof text === 'string' && text.startsWith('Epoch ')) window.__frames.push([performance.now(), text]);
  return fillText.call(this, text, ...rest);
};
"""


def play_once(browser, url: str) -> tuple[float, int, int]:
    """(frames a second, frames, websocket messages sent) of one film from epoch 0 to the last."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    tab = context.new_page()
    tab.add_init_script(RECORD)
    sent = []
    tab.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
    tab.goto(url)
    play = tab.locator(".vega-bindings input[type=checkbox]").first
    play.wait_for(timeout=180_000)
    tab.wait_for_timeout(1000)
    sent.clear()
    tab.evaluate("window.__frames = []")
    play.check()
    tab.wait_for_function(
        "() => !document.querySelector('.vega-bindings input[type=checkbox]').checked", timeout=120_000
    )
    drawn = tab.evaluate("window.__frames")
    context.close()
    times = [t for i, (t, text) in enumerate(drawn) if i == 0 or text != drawn[i - 1][1]]
    return (len(times) - 1) / ((times[-1] - times[0]) / 1000), len(times), len(sent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    process, url = start_server(script=ROOT / "bench" / "player_app.py")
    try:
        with chromium() as browser:
            results = {view: [] for view in ("bare", "player", "wine")}
            for _ in range(repeats):  # interleaved, so a busy moment hits every view alike
                for view in results:
                    results[view].append(play_once(browser, f"{url}/?view={view}"))
    finally:
        stop_server(process)
    base = statistics.median(fps for fps, _, _ in results["bare"])
    rows = []
    for view, runs in results.items():
        fps = statistics.median(r[0] for r in runs)
        rows.append((view, f"{fps:.1f}", f"{fps / base:.2f}", runs[0][1], max(r[2] for r in runs)))
        summary(f"player fps ({view})", fps, "frames/s", baseline="the bare timer", ratio=fps / base)
    print_table(
        f"Epoch player, median of {repeats} films (timer: one epoch per tick)",
        rows,
        ("view", "frames/s", "× bare", "frames", "ws sent"),
    )


if __name__ == "__main__":
    main()
