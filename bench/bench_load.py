"""A class at once: 8 browser sessions for 60 s against one server (the load test's driver).

Prints what tests/test_load.py asserts on: changes done, errors, health answers, the slowest
health answer, and the server's memory before and after.

    python bench/bench_load.py [--sessions 8] [--seconds 60]
"""

from __future__ import annotations

import argparse

from common import summary
from load_driver import drive

from conftest import CHROMIUM, CHROMIUM_FLAGS, start_server, stop_server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    process, url = start_server()
    try:
        load = drive(url, process.pid, args.sessions, args.seconds, chromium=CHROMIUM, flags=CHROMIUM_FLAGS)
    finally:
        stop_server(process)
    errors = sum(len(s.errors) for s in load.sessions) + len(load.warm_up_errors)
    print(
        f"{args.sessions} sessions, {load.seconds:.0f} s: {load.actions} changes, {errors} errors; "
        f"health {load.health_ok} answers, {len(load.health_failures)} failures, "
        f"slowest {load.health_worst:.1f} s; server RSS {load.rss_fresh:.0f} MiB fresh, "
        f"{load.rss_before:.0f} after one session, {load.rss_after:.0f} after the class"
    )
    for where, error in [("warm-up", e) for e in load.warm_up_errors] + [
        (f"session {s.number}", e) for s in load.sessions for e in s.errors
    ]:
        print(f"  {where}: {error}")
    summary(
        f"load: {args.sessions} sessions × {args.seconds:.0f} s",
        f"{load.actions} changes, {errors} errors, {len(load.health_failures)} health failures "
        f"(slowest {load.health_worst:.1f} s)",
    )
    summary(
        "load: server memory",
        f"{load.rss_before:.0f} MiB after one session → {load.rss_after:.0f} MiB after the class",
    )


if __name__ == "__main__":
    main()
