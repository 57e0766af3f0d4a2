"""Cold start: from `streamlit run` to the default page's first chart in headless Chromium.

Goal on this machine: within 15 s (Community Cloud wakes a sleeping app the same way).

    python bench/bench_cold_start.py [--repeat 2]
"""

from __future__ import annotations

import argparse
import time

from common import print_table, summary

from testkit.chromium import chromium, seconds_to_chart
from testkit.server import server

GOAL = 15.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    repeat = parser.parse_args().repeat
    rows = []
    with chromium() as browser:
        for attempt in range(1, repeat + 1):
            started = time.perf_counter()
            with server() as (_, url):
                healthy = time.perf_counter() - started
                tab = browser.new_page(viewport={"width": 1400, "height": 1000})
                chart = seconds_to_chart(tab, url)
                total = time.perf_counter() - started
                warm = seconds_to_chart(tab, url)  # the same page again: imports and data cached
                tab.close()
            rows.append(
                (
                    attempt,
                    f"{healthy:.1f}",
                    f"{chart:.1f}",
                    f"{total:.1f}",
                    f"{warm:.1f}",
                    f"{total / GOAL:.2f}",
                )
            )
    print_table(
        "Cold start of the app (seconds)",
        rows,
        ("run", "server healthy", "page to chart", "total cold", "reload warm", "total / 15 s"),
    )
    slowest = max(float(r[3]) for r in rows)
    summary(
        "cold start to the first chart",
        slowest,
        "s",
        goal=f"≤ {GOAL:.0f} s",
        met=slowest <= GOAL,
        baseline="reload warm",
        ratio=slowest / max(float(r[4]) for r in rows),
    )


if __name__ == "__main__":
    main()
