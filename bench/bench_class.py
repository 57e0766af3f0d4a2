"""A whole class against a fresh server: simulated students on Streamlit's websocket, no browsers.

Each student opens the inner-layer page from a shared link (the class arrives over the first
--arrival seconds, 5 by default): with --workload own (the default, the worst case) a link with a
seed of its own, with --workload link the teacher's one link for all. Then every 2.5-7.5 s
(uniformly) it moves the Epochs slider by -1..+2 ("train"), a hidden layer's Nodes slider by one,
picks another Activation, presses Re-initialize, or opens the comparison page and comes back
(`bench/class_students.py`). For each class size a fresh server is started (or with --proxy,
`deploy/run_local.sh`'s replicas behind nginx), opened once on each replica as a teacher would
(TensorFlow, the trace, t-SNE), and then the class runs for --seconds. Prints per action
p50/p95/max, the errors, the servers' CPU time per action and their memory (summed over replicas),
and a SUMMARY line per class size.

    python bench/bench_class.py --students 10 20 30 --seconds 60 [--workload link]
    python bench/bench_class.py --students 10 20 30 --seconds 60 --proxy --replicas 2
    python bench/bench_class.py --students 15 --seconds 30 --profile artifacts/class.txt  # py-spy

`--profile` samples the server with py-spy (`pip install py-spy`) while the class runs and
writes its collapsed stacks to the file (one line per stack: read with speedscope, or sort by
the count at the end of each line); `BENCH_PORTS=19100-19199` keeps the servers in that range.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import time

from class_students import (
    ARRIVAL,
    WORKLOAD_NAMES,
    WORKLOADS,
    ClassRun,
    median,
    percentile,
    run_class,
    warm_up,
)
from common import print_table, summary

from testkit.students import Servers

SHOWN = ("open", "train", "nodes", "activation", "reinitialize", "compare", "back")  # train: Epochs moved
GOAL_SECONDS, GOAL_RSS_MIB = 2.0, 1536


def measure(args: argparse.Namespace, students: int) -> tuple[ClassRun, dict]:
    proxy, replicas = args.proxy, args.replicas
    with Servers(replicas if proxy else 1, proxy=proxy) as servers:
        started = time.perf_counter()
        warm_errors = asyncio.run(warm_up(servers.replica_urls))
        warm_seconds = time.perf_counter() - started
        before = servers.usage()
        servers.mark()
        client = time.process_time()
        profiler = profile(servers, args.profile, args.seconds) if args.profile else None
        result = asyncio.run(
            run_class(servers.url, students, args.seconds, args.seed, args.arrival, args.workload)
        )
        client = time.process_time() - client
        if profiler is not None:
            profiler.wait(timeout=120)  # it writes its file after --duration
        after = servers.usage()
    facts = {
        "warm_seconds": warm_seconds,
        "warm_errors": warm_errors,
        "cpu": after.cpu_seconds - before.cpu_seconds,
        "rss_before": before.rss_mib,
        "rss_peak": after.rss_peak_mib,
        "rss_after": after.rss_mib,
        "replica_peak": after.replica_peak_mib,
        "client_cpu": client,
    }
    return result, facts


def profile(servers, path: str, seconds: float) -> subprocess.Popen:
    """py-spy sampling the (first) server's threads for `seconds`, without pausing it."""
    pid = str(servers.app_processes()[0].pid)
    command = ["py-spy", "record", "--format", "raw", "--rate", "20", "--nonblocking", "--duration"]
    return subprocess.Popen([*command, str(int(seconds)), "--output", path, "--pid", pid])


def overview_row(result: ClassRun, facts: dict) -> tuple:
    """One line of the issue's table."""
    p95 = {a: f"{percentile(result.done(a), 0.95):.1f}" for a in SHOWN}
    actions = result.actions
    return (
        f"{result.students}, {result.seconds:.0f} s",
        actions,
        len(result.errors) + len(facts["warm_errors"]),
        *(p95[a] for a in SHOWN[:-2]),
        f"{p95['compare']} / {p95['back']}",
        f"{facts['cpu'] / actions:.2f} s" if actions else "-",
        f"{facts['rss_peak']:.0f}",
    )


def where(args: argparse.Namespace) -> str:
    serving = f"{args.replicas} replicas behind nginx" if args.proxy else "one server"
    return f"{serving}, {WORKLOAD_NAMES[args.workload]}"


def report(result: ClassRun, facts: dict, args: argparse.Namespace) -> None:
    rows = []
    for action in SHOWN:
        times = result.done(action)
        failed = sum(1 for t in result.errors if t.action == action)
        rows.append(
            (
                action,
                len(times),
                failed,
                f"{median(times):.2f}",
                f"{percentile(times, 0.95):.2f}",
                f"{max(times, default=float('nan')):.2f}",
            )
        )
    print_table(
        f"{result.students} students, {result.seconds:.0f} s, {where(args)}",
        rows,
        ("action", "done", "errors", "p50 s", "p95 s", "max s"),
    )
    actions = result.actions
    per_action = facts["cpu"] / actions if actions else float("nan")
    print(
        f"actions {actions} ({actions / result.seconds:.2f}/s), errors {len(result.errors)}, "
        f"server CPU {facts['cpu']:.1f} s = {per_action:.2f} s per action, RSS {facts['rss_before']:.0f} MiB "
        f"after the warm-up ({facts['warm_seconds']:.0f} s) → peak {facts['rss_peak']:.0f} MiB, "
        f"{facts['rss_after']:.0f} MiB at the end (one process at most {facts['replica_peak']:.0f} MiB); "
        f"the students' own CPU {facts['client_cpu']:.1f} s"
    )
    for error in [
        *facts["warm_errors"],
        *(f"student {t.student} {t.action}: {t.error}" for t in result.errors),
    ]:
        print(f"  error: {error}")
    p95 = {a: percentile(result.done(a), 0.95) for a in SHOWN}
    worst = max((percentile(result.done(a), 0.95) for a in SHOWN if result.done(a)), default=float("nan"))
    met = (
        not result.errors
        and worst <= GOAL_SECONDS
        and facts["replica_peak"] <= GOAL_RSS_MIB
        and not facts["warm_errors"]
    )
    summary(
        f"class: {result.students} students × {result.seconds:.0f} s, {where(args)}: slowest p95",
        worst,
        "s",
        goal=f"0 errors, p95 ≤ {GOAL_SECONDS:g} s, ≤ {GOAL_RSS_MIB} MiB a process",
        met=met,
        note=f"{actions} actions, {len(result.errors)} errors, p95 "
        + ", ".join(f"{a} {p95[a]:.1f} s" for a in SHOWN)
        + f"; CPU {per_action:.2f} s/action; RSS peak {facts['rss_peak']:.0f} MiB"
        + (f" ({facts['replica_peak']:.0f} per replica)" if args.proxy else ""),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[10, 20, 30])
    parser.add_argument(
        "--workload",
        choices=tuple(WORKLOADS),
        default="own",
        help=", ".join(f"{k}: {v}" for k, v in WORKLOAD_NAMES.items()),
    )
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--proxy", action="store_true", help="replicas behind nginx (deploy/run_local.sh)")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0, help="the students' choices and pauses")
    parser.add_argument("--arrival", type=float, default=ARRIVAL, help="seconds over which the class arrives")
    parser.add_argument("--profile", help="write py-spy's collapsed stacks of the (first) server here")
    args = parser.parse_args()
    rows = []
    for students in args.students:
        result, facts = measure(args, students)
        report(result, facts, args)
        rows.append(overview_row(result, facts))
    print_table(
        f"The class, {where(args)} (p95 in seconds; train: Epochs moved; compare: there / back)",
        rows,
        (
            "students",
            "actions",
            "errors",
            *(f"p95 {a}" for a in SHOWN[:-2]),
            "p95 compare",
            "CPU/action",
            "RSS MiB",
        ),
    )


if __name__ == "__main__":
    main()
