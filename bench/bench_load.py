"""A class at once: 8 browser sessions for 60 s against one server (the load test's driver).

Prints what tests/test_load.py asserts on: changes done, errors, health answers, the slowest
health answer, and the server's memory before and after.

    python bench/bench_load.py [--sessions 8] [--seconds 60]
"""

from __future__ import annotations

import argparse

from common import summary

from testkit.load_driver import drive
from testkit.server import start_server, stop_server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    process, url = start_server()
    try:
        load = drive(url, process.pid, args.sessions, args.seconds)
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
        f"load: {args.sessions} sessions × {args.seconds:.0f} s, errors",
        errors + len(load.health_failures),
        "errors",
        goal="0",
        met=errors + len(load.health_failures) == 0,
        note=f"{load.actions} changes, {len(load.health_failures)} health failures "
        f"(slowest answer {load.health_worst:.1f} s)",
    )
    summary(
        "load: server memory after the class",
        load.rss_after,
        "MiB",
        baseline=f"after one session ({load.rss_before:.0f} MiB)",
        ratio=load.rss_after / load.rss_before,
    )


if __name__ == "__main__":
    main()
