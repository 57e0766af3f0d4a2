"""Training from a page: cached per (data, config), with a progress bar while it runs; and how many
runs of one network the re-initializations page trains.

Moving the epochs never trains from scratch: a run of e epochs is the first e epochs of any longer
run of its config (`lib.training`). Runs that differ only in their epochs are one family, and
`LONGEST` keeps each family's longest run with the state its training ended in: a config of fewer
epochs is cut from it, one of more goes on from it. One computation per family is in flight at a
time: a session asking while another trains waits for that training (30 students opening one link
train it once), then takes its run from the family.
"""

from __future__ import annotations

import contextlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import streamlit as st

from lib.datasets import Dataset
from lib.settings import Number, Setting
from lib.training import Checkpoint, Run, TrainConfig, train_on
from ui.turns import ComputedRecord

RUNS = Setting(  # the re-initializations page's
    "runs",
    Number(2, 12),
    6,
    "number of seeds",
    "Number of seeds",
    "Each seed is one training run; runs seen before come from the cache.",
)
SETTINGS = (RUNS,)


class Families:
    """The longest run of each family (data set, config but its epochs) with its training's
    end state, at most `max_entries` of them and `max_bytes` pickled, the least recently used
    dropped first; and one lock per family, held while a run of it is cut or trained.

    Why a store beside `_trained`'s st.cache_data: that cache holds one run per config and takes a
    lock per config while one is computed, but a run of 10 epochs and one of 25 are two keys to it.
    This store is what the two share (a run to cut from, a state to go on from: st.cache_data keeps
    no optimizer state, and cannot be asked what it holds without computing it) and their lock.
    It is small: a page draws its runs from `_trained`, and a family here only spares its next
    config a training from scratch."""

    def __init__(self, max_entries: int, max_bytes: int):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._longest: OrderedDict[Hashable, tuple[Checkpoint, int]] = OrderedDict()
        self._locks: dict[Hashable, tuple[threading.Lock, int]] = {}  # a family's lock and its users
        self._lock = threading.Lock()  # guards both dicts

    @contextlib.contextmanager
    def family(self, key: Hashable):
        """Hold `key`'s family lock (kept only while someone holds or waits for it)."""
        with self._lock:
            lock, users = self._locks.get(key, (threading.Lock(), 0))
            self._locks[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._lock:
                lock, users = self._locks.pop(key)
                if users > 1:
                    self._locks[key] = (lock, users - 1)

    def longest(self, key: Hashable) -> Checkpoint | None:
        with self._lock:
            if key not in self._longest:
                return None
            self._longest.move_to_end(key)
            return self._longest[key][0]

    def keep(self, key: Hashable, checkpoint: Checkpoint) -> None:
        """Keep `checkpoint` as its family's longest, then drop the least recently used past a limit."""
        size = len(pickle.dumps(checkpoint, protocol=pickle.HIGHEST_PROTOCOL))
        with self._lock:
            self._longest.pop(key, None)
            if size > self.max_bytes:
                return
            self._longest[key] = (checkpoint, size)
            while len(self._longest) > self.max_entries or self.nbytes > self.max_bytes:
                self._longest.popitem(last=False)

    @property
    def nbytes(self) -> int:
        return sum(size for _, size in self._longest.values())

    def __len__(self) -> int:
        return len(self._longest)


LONGEST = Families(max_entries=32, max_bytes=32 * 2**20)  # ~0.1 MB a run of 25 epochs, 2 of 200


def run_of(fingerprint: str, config: TrainConfig, dataset: Dataset, on_epoch: Callable | None = None) -> Run:
    """The run of `config` on `dataset`: cut from its family's longest run, or trained on from it (or
    from scratch) to `config.epochs`, while the family's other sessions wait. `on_epoch` hears the
    epochs trained here."""
    key = (fingerprint, dataset.name, config.family())  # a run names its data set
    with LONGEST.family(key):
        start = LONGEST.longest(key)
        if start is not None and start.run.config.epochs >= config.epochs:
            return start.run.first(config.epochs)
        checkpoint = train_on(dataset, config, start, on_epoch)
        LONGEST.keep(key, checkpoint)
        return checkpoint.run


@st.cache_data(max_entries=256, max_size="128MB", show_spinner=False)  # ~100 kB a run
def _trained(fingerprint: str, config: TrainConfig, _dataset: Dataset) -> Run:
    # The bar is made inside the cached function so that a cache hit replays
    # nothing visible (Streamlit replays elements a cached function created).
    bar = st.progress(0.0, text="Training…")
    every, first = max(1, config.epochs // 25), None

    def report(epoch: int, logs: dict) -> None:  # the bar runs over the epochs trained now
        nonlocal first
        first = first or epoch
        if epoch % every == 0 or epoch == config.epochs:
            share = (epoch - first + 1) / (config.epochs - first + 1)
            bar.progress(share, text=f"Training… epoch {epoch} of {config.epochs}")

    try:
        run = run_of(fingerprint, config, _dataset, report)
    finally:
        bar.empty()
    COMPUTED.add((fingerprint, config))
    return run


COMPUTED = ComputedRecord(kept=512)  # the runs `_trained` computed: more than it keeps


def trained(dataset: Dataset, config: TrainConfig) -> Run | None:
    """The run of `config` on `dataset`, or None after saying on the page why not. A run not computed
    before waits for a turn (`ui.turns`): its training and the page's charts of it are new work."""
    COMPUTED.take_turn_if_new((dataset.fingerprint, config))
    try:
        return _trained(dataset.fingerprint, config, dataset)
    except ValueError as err:
        st.error(str(err), icon=":material/error:")
        return None
