"""New work in turns: at most TURNS page runs at a time compute something not computed before in
this process (a run's training and its charts); the others wait their turn, first come first served.
A page run that asks only for what was computed before takes no turn and never waits.

Why: Streamlit runs every session as a thread of one interpreter. Thirty students opening a link,
each with a seed of their own, share that interpreter's time: a first visit costs about 0.2 s of
CPU, and when all of them go on at once every one ends near the end of the burst. Taken in turns,
the first ones are drawn at once and the last wait about the work queued before them
(bench/bench_class.py, the README's Performance section). No run waits more than WAIT_AT_MOST.

No deadlock: a turn is taken only at a page's top level (`ui.runs.trained`, `ui.charts.chart`,
`ui.compare.projection`, before their cached functions), where the thread holds no lock; a thread
that holds a turn never waits for another, and a thread without one never waits for a turn while it
holds a lock.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Hashable

TURNS = 2  # page runs doing new work at once: one a core of this project's 2-core machine
# The longest wait for a turn: a page run holding one for long (t-SNE of every row of a big data set,
# the gallery's six trainings) delays the others at most this much, then they go on without one and
# share the interpreter's time, as without turns.
WAIT_AT_MOST = 3.0  # seconds
_TURNS = threading.Semaphore(TURNS)
_THREAD = threading.local()  # a script thread's page run: inside one, asked for a turn, holding one


@contextlib.contextmanager
def page_run():
    """Around a page's run (the entrypoint's `navigation.run()`): a turn taken in it is given back at
    its end, however it ends (a rerun or a stop interrupts it with an exception)."""
    _THREAD.inside, _THREAD.asked, _THREAD.holding = True, False, False
    try:
        yield
    finally:
        if _THREAD.holding:
            _TURNS.release()
        _THREAD.inside = _THREAD.asked = _THREAD.holding = False


def take_turn() -> None:
    """Wait for a turn (at most WAIT_AT_MOST), once a page run; outside one (a fragment's rerun, a
    test calling a page's parts) nothing."""
    if getattr(_THREAD, "inside", False) and not _THREAD.asked:
        _THREAD.asked = True
        _THREAD.holding = _TURNS.acquire(timeout=WAIT_AT_MOST)


class ComputedRecord:
    """The keys of what this process computed, the most recent `kept` of them: whether asking again
    is most likely a cache hit (st.cache_data cannot be asked what it holds without computing it)."""

    def __init__(self, kept: int):
        self.kept = kept
        self._keys: OrderedDict[Hashable, None] = OrderedDict()
        self._lock = threading.Lock()  # sessions are threads

    def add(self, key: Hashable) -> None:
        with self._lock:
            self._keys[key] = None
            self._keys.move_to_end(key)  # computed again (dropped by its cache): the newest
            while len(self._keys) > self.kept:
                self._keys.popitem(last=False)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._keys

    def take_turn_if_new(self, key: Hashable) -> None:
        """Wait for a turn (`take_turn`) unless `key` was computed before: asking for it is new work."""
        if key not in self:
            take_turn()
