"""A class of simulated students (testkit.students) for a fixed time, every action timed.

Each student opens the inner-layer page from a link: in the workload "own" a link with a seed of
its own (`start_link`), in "link" the teacher's one link for the whole class. Then, after every
pause of THINK seconds, it does one of ACTIONS, picked uniformly: moves the Epochs slider by a small
step ("train"), moves one hidden layer's Nodes slider by one ("nodes"), picks another activation
("activation"), presses Re-initialize ("reinitialize"), or visits the comparison and comes back
("compare" and "back", timed apart), until the deadline. `run_class` runs a whole class on 127.0.0.1
and returns every action's time; it stops by itself (a deadline, and a timeout on every wait).
`warm_up` opens each replica once first, on the teacher's link.
"""

from __future__ import annotations

import asyncio
import functools
import random
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import common  # noqa: F401  (puts the project on the path, for testkit)
import websockets

from testkit.students import (
    ACTIVATION,
    COMPARE,
    INNER_LAYER,
    NODES,
    REINITIALIZE,
    Student,
    StudentError,
    start_link,
)

THINK = (2.5, 7.5)  # seconds a student looks at the page between actions, uniformly
ARRIVAL = 5.0  # seconds over which a class opens its links
EPOCH_STEPS = (-1, 1, 2)  # how far one move of the Epochs slider goes, uniformly
NODE_STEPS = (-1, 1)  # and one of a Nodes slider
ACTIONS = ("train", "nodes", "activation", "reinitialize", "compare")  # what a student does, uniformly
WORKLOADS = {  # the link each student opens: a seed of its own, or the teacher's (student 0's)
    "own": start_link,
    "link": lambda number: start_link(0),
}
WORKLOAD_NAMES = {"own": "each student on a seed of its own", "link": "the class on the teacher's link"}


async def _do(student: Student, rng: random.Random, action: str) -> float:
    """One action but compare (two actions) on the page as it is now; its seconds."""
    if action == "train":
        return await student.train(rng.choice(EPOCH_STEPS))
    if action == "nodes":
        layers = [NODES.format(i) for i in range(1, 10) if NODES.format(i) in student.widgets]
        if not layers:
            raise StudentError("no Nodes slider on the page")
        return await student.step(rng.choice(layers), rng.choice(NODE_STEPS))
    if action == "activation":
        others = [o for o in student.options(ACTIVATION) if o != student.value(ACTIVATION)]
        return await student.choose(ACTIVATION, rng.choice(others))
    return await student.press(REINITIALIZE)


@dataclass
class Timing:
    student: int
    action: str
    seconds: float
    error: str = ""  # empty when the action went through


async def _student(
    number: int, base: str, deadline: float, seed: int, arrival: float, link: str, timings: list[Timing]
) -> Student:
    rng = random.Random(seed * 1000 + number)
    student = Student(number, base)

    async def act(name: str, action) -> bool:
        started = time.perf_counter()
        try:
            seconds = await action()
        except (StudentError, OSError, websockets.WebSocketException) as error:
            timings.append(Timing(number, name, time.perf_counter() - started, str(error)[:400]))
            return False
        timings.append(Timing(number, name, seconds))
        return True

    try:
        await asyncio.sleep(rng.uniform(0, arrival))  # a class does not arrive at once
        if not await act("connect", lambda: student.connect(link)):
            return student
        if not await act("open", student.open):
            return student
        while True:
            pause = rng.uniform(*THINK)
            if time.monotonic() + pause >= deadline:
                return student
            await asyncio.sleep(pause)
            action = rng.choice(ACTIONS)
            if action == "compare":
                ok = await act("compare", lambda: student.switch(COMPARE))
                ok = ok and await act("back", lambda: student.switch(INNER_LAYER))
            else:
                ok = await act(action, functools.partial(_do, student, rng, action))
            if not ok:
                return student
    finally:
        await student.close()


@dataclass
class ClassRun:
    students: int
    seconds: float
    timings: list[Timing] = field(default_factory=list)
    replicas: dict[int, set[str]] = field(default_factory=dict)  # student -> the replicas that answered

    def done(self, action: str) -> list[float]:
        return sorted(t.seconds for t in self.timings if t.action == action and not t.error)

    @property
    def errors(self) -> list[Timing]:
        return [t for t in self.timings if t.error]

    @property
    def actions(self) -> int:
        return sum(1 for t in self.timings if t.action != "connect" and not t.error)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted `values` (nan when there are none)."""
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, int(-(-share * len(values) // 1)) - 1))]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


async def run_class(
    base: str, students: int, seconds: float, seed: int = 0, arrival: float = ARRIVAL, workload: str = "own"
) -> ClassRun:
    """`students` simulated students against the app at `base` (http://127.0.0.1:port) for `seconds`.

    They open their links (WORKLOADS[workload]) at uniformly random moments of the first `arrival`
    seconds.
    """
    if urlsplit(base).hostname not in ("127.0.0.1", "localhost"):
        raise ValueError("the class only ever talks to this machine")
    result = ClassRun(students, seconds)
    deadline = time.monotonic() + seconds
    done = await asyncio.gather(
        *(
            _student(n, base, deadline, seed, arrival, WORKLOADS[workload](n), result.timings)
            for n in range(students)
        ),
        return_exceptions=True,
    )
    for number, student in enumerate(done):
        if isinstance(student, BaseException):
            result.timings.append(Timing(number, "student", 0.0, f"{type(student).__name__}: {student}"))
        else:
            result.replicas[number] = set(student.replicas)
    return result


async def warm_up(urls: list[str]) -> list[str]:
    """Open the inner-layer page and the comparison on every replica once, as a teacher would first.

    The first run of a process imports TensorFlow and traces the network, the first comparison
    computes t-SNE: seconds a class would otherwise wait for at its first action.
    """

    async def teacher(number: int, url: str) -> str:
        student = Student(-1 - number, url)
        try:
            await student.connect(start_link(0))
            await student.open()
            await student.switch(COMPARE)
            await student.switch(INNER_LAYER)
        except (StudentError, OSError, websockets.WebSocketException) as error:
            return f"warm-up of {url}: {error}"
        finally:
            await student.close()
        return ""

    return [e for e in await asyncio.gather(*(teacher(n, u) for n, u in enumerate(urls))) if e]
