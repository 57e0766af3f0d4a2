"""The server's CPU time for each kind of action, one student at a time (no contention).

One simulated student (testkit.students) opens the inner-layer page from its link, then does
--repeats of each action in turn against a fresh, warmed-up server: a new config (the Epochs
slider), the comparison page and back, and a fresh link (another seed), after the same done once
by other students (other seeds: what a class shares is cached, what is theirs is not), and the
same config once more (every result cached: the baseline the others are compared with). The server's CPU time
over each action, over the action's count, is the cost a class pays per action; at 30 students
and an action every ~5 s, one process (about one core) holds the class only if the mean stays
well under 0.15 s. `--profile FILE` samples the server with py-spy meanwhile.

    python bench/bench_action_cost.py --repeats 20
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import signal
import subprocess
import time

from class_students import warm_up
from common import print_table, summary

from testkit.students import COMPARE, INNER_LAYER, Servers, Student, start_link

ACTIONS = ("train", "compare", "back", "open", "rerun")  # rerun: the same config again, the baseline


async def _costs(servers: Servers, repeats: int, first: int = 100) -> dict[str, list[tuple[float, float]]]:
    """(server CPU seconds, wall seconds) of each action, `repeats` times each, by the students
    numbered from `first` (each its own seed)."""
    costs: dict[str, list[tuple[float, float]]] = {a: [] for a in ACTIONS}

    async def timed(name: str, action) -> None:
        before = servers.usage().cpu_seconds
        started = time.perf_counter()
        await action()
        wall = time.perf_counter() - started
        await asyncio.sleep(0.05)  # the run's last messages leave the server
        costs[name].append((servers.usage().cpu_seconds - before, wall))

    for number in range(repeats):
        student = Student(first + number, servers.url)
        try:
            await student.connect(start_link(first + number))
            await timed("open", student.open)
            await timed("train", functools.partial(student.train, 1))
            await timed("rerun", functools.partial(student.train, 0))  # nothing new: every cache hit
            await timed("compare", functools.partial(student.switch, COMPARE))
            await timed("back", functools.partial(student.switch, INNER_LAYER))
        finally:
            await student.close()
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--profile", help="write py-spy's collapsed stacks of the server here")
    args = parser.parse_args()
    with Servers(1) as servers:
        asyncio.run(warm_up(servers.replica_urls))
        asyncio.run(_costs(servers, args.repeats, first=1000))  # every chart's shape seen once, as in a class
        profiler = None
        if args.profile:
            pid = str(servers.app_processes()[0].pid)
            command = ["py-spy", "record", "--format", "raw", "--rate", "100", "--nonblocking"]
            profiler = subprocess.Popen([*command, "--output", args.profile, "--pid", pid])
        costs = asyncio.run(_costs(servers, args.repeats))
        if profiler is not None:
            profiler.send_signal(signal.SIGINT)  # py-spy writes its file on Ctrl-C
            profiler.wait(timeout=60)
    rows, means = [], {}
    for action in ACTIONS:
        cpu = sorted(c for c, _ in costs[action])
        wall = sorted(w for _, w in costs[action])
        means[action] = sum(cpu) / len(cpu)
        rows.append(
            (
                action,
                len(cpu),
                f"{means[action]:.3f}",
                f"{cpu[len(cpu) // 2]:.3f}",
                f"{wall[len(wall) // 2]:.3f}",
            )
        )
    print_table(
        "Server CPU per action, one student at a time",
        rows,
        ("action", "n", "mean CPU s", "median CPU s", "median wall s"),
    )
    mix = (means["train"] + means["compare"] + means["back"]) / 3  # a class's mix: scrubs cost nothing
    baseline = means["rerun"]
    summary(
        "server CPU per action (train, compare, back; one student)",
        mix,
        "s",
        goal="≤ 0.15 s (30 students on one process)",
        met=mix <= 0.15,
        baseline=f"a cached rerun of the same config, {baseline:.3f} s",
        ratio=mix / baseline if baseline else None,
        note=", ".join(f"{a} {means[a]:.3f} s" for a in ACTIONS)
        + (f"; a new training costs {means['train'] / baseline:.1f}x a cached rerun" if baseline else ""),
    )


if __name__ == "__main__":
    main()
