"""Resident memory of the app server after 5 browser sessions that each trained the defaults.

Each session opens the inner-layer page through a link with its own seed (so each
trains once, nothing shared from the cache) and stays open. Community Cloud gives an
app between 690 MB and 2.7 GB; the goal is under 1.5 GB.

    python bench/bench_sessions_memory.py [--sessions 5]
"""

from __future__ import annotations

import argparse

import psutil
from common import print_table, summary

from testkit.chromium import chromium, seconds_to_chart
from testkit.server import server

GOAL_MIB = 1500


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=5)
    sessions = parser.parse_args().sessions
    with server() as (process, url), chromium() as browser:
        app = psutil.Process(process.pid)
        mib = lambda: app.memory_info().rss / 2**20
        rows = [("server started", f"{mib():.0f}", "")]
        contexts = []
        for number in range(1, sessions + 1):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            contexts.append(context)
            took = seconds_to_chart(
                context.new_page(), f"{url}/inner_layer?seed={number}", "Trainable parameters"
            )
            rows.append((f"session {number} trained (seed {number})", f"{mib():.0f}", f"{took:.1f}"))
        for context in contexts:
            context.close()
        rows.append(("all sessions closed", f"{mib():.0f}", ""))
        peak = max(float(r[1]) for r in rows)
    print_table(
        f"RSS of the streamlit process over {sessions} browser sessions",
        rows,
        ("moment", "RSS MiB", "page seconds"),
    )
    print(f"\npeak {peak:.0f} MiB = {peak / GOAL_MIB:.2f} of the 1.5 GB goal")
    started = float(rows[0][1])
    summary(
        f"server memory over {sessions} sessions, peak",
        peak,
        "MiB",
        goal=f"< {GOAL_MIB} MiB",
        met=peak < GOAL_MIB,
        baseline=f"the server just started ({started:.0f} MiB)",
        ratio=peak / started,
    )


if __name__ == "__main__":
    main()
