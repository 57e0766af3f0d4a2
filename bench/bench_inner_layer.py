"""How long the inner-layer page takes to show new charts after a slider move, in a real browser.

Drives headless Chromium against `streamlit run` on 127.0.0.1 and times, from the key press on
a slider to the moment the script has finished and the bottleneck plane has been repainted:

- fresh:  the Epochs slider moved to a value this server has not trained yet (train + draw);
- cached: the Epochs slider moved back to a value already trained (cache hit + draw): the floor
  the fresh case is compared with.

(The epoch scrubber and Play run in the browser without the server: bench/bench_player.py.)

Goals from issue 3: fresh within 1.5 s, cached within 0.5 s. Usage:
    python bench/bench_inner_layer.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import statistics

from common import summary

from testkit.chromium import launch, wait_for_app
from testkit.server import start_server, stop_server

GOALS = {"fresh": 1.5, "cached": 0.5}
# The plane is the first chart on the page. Vega draws it as SVG (its title is then text in the
# DOM) or, for large data, on a canvas (then a checksum of the title strip changes on repaint).
STRIP = """() => {
    const chart = document.querySelector('.vega-embed');
    const svg = chart && chart.querySelector('svg .role-title-text');
    if (svg) return svg.textContent;
    const canvas = chart && chart.querySelector('canvas');
    if (!canvas || !canvas.width) return '';
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, 40).data;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum = (sum * 31 + data[i] + data[i + 3]) % 1000000007;
    return 'canvas:' + sum;
}"""
REDRAWN = (
    """([before, label]) => {
    if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
    const caption = document.querySelector('[data-testid="stMain"] [data-testid="stCaptionContainer"]');
    if (!caption || !caption.innerText.includes(label)) return false;
    const now = (%s)();
    return now !== '' && now !== before;
}"""
    % STRIP
)


def timed_key(tab, thumb, key: str, epoch_label: str) -> float:
    """Seconds from pressing `key` on `thumb` to the repainted plane showing `epoch_label`."""
    before = tab.evaluate(STRIP)
    thumb.focus()
    start = tab.evaluate("() => performance.now()")
    tab.keyboard.press(key)
    tab.wait_for_function(REDRAWN, arg=[before, epoch_label], polling=20, timeout=60_000)
    return (tab.evaluate("() => performance.now()") - start) / 1000


def measure(url: str, repeats: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    times = {"fresh": [], "cached": []}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.goto(url)  # the root first, so the server runs streamlit_app.py's navigation
        wait_for_app(tab)
        tab.goto(f"{url}/inner_layer")
        wait_for_app(tab)
        tab.get_by_text("Trainable parameters").wait_for(timeout=60_000)
        epochs = (
            tab.locator("[data-testid='stSidebar'] [data-testid='stSlider']")
            .filter(has_text="Epochs")
            .get_by_role("slider")
        )
        epoch = 25
        for _ in range(repeats):
            epoch -= 1
            times["fresh"].append(timed_key(tab, epochs, "ArrowLeft", f" {epoch} epochs"))
        for _ in range(repeats):
            times["cached"].append(timed_key(tab, epochs, "ArrowRight", f" {epoch + 1} epochs"))
            times["cached"].append(timed_key(tab, epochs, "ArrowLeft", f" {epoch} epochs"))
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats
    process, url = start_server()
    try:
        times = measure(url, repeats)
    finally:
        stop_server(process)
    floor = statistics.median(times["cached"])
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (other work slows every case)")
    print(f"{'case':<8}{'median s':>10}{'min s':>8}{'max s':>8}{'goal s':>8}{'goal met':>10}{'× cached':>9}")
    for case, values in times.items():
        median = statistics.median(values)
        goal = GOALS.get(case)
        print(
            f"{case:<8}{median:>10.3f}{min(values):>8.3f}{max(values):>8.3f}"
            f"{goal if goal else '':>8}{('yes' if median <= goal else 'NO') if goal else '':>10}"
            f"{median / floor:>9.1f}"
        )
        summary(
            f"inner-layer page, slider to redraw: {case} (median)",
            median,
            "s",
            goal=f"≤ {goal} s" if goal else None,
            met=median <= goal if goal else None,
            baseline="cached (a config already trained: cache hit and redraw)",
            ratio=median / floor,
        )


if __name__ == "__main__":
    main()
