"""Training from a page: a config's run is cut from its family's longest run or trained on from it,
the same run whichever way, and one training of a family at a time however many sessions ask."""

import os
import threading
from dataclasses import replace
from types import SimpleNamespace

import pytest

import ui.charts
import ui.runs
from lib.training import DEEPER_LESSON, Checkpoint, train, train_on
from testkit.runs import assert_same_run

CONFIG = replace(DEEPER_LESSON, hidden=(4,), seed=3)  # a family no other test trains


@pytest.fixture
def families(monkeypatch):
    """An empty store of longest runs (`store`), and every call of `train_on` (`calls`: its epochs and
    its start's)."""
    store = ui.runs.Families(max_entries=8, max_bytes=2**25)
    monkeypatch.setattr(ui.runs, "LONGEST", store)
    calls = []

    def counted(dataset, config, start=None, on_epoch=None):
        calls.append((config.epochs, start and start.run.config.epochs))
        return train_on(dataset, config, start, on_epoch)

    monkeypatch.setattr(ui.runs, "train_on", counted)
    return SimpleNamespace(store=store, calls=calls)


def at_once(calls) -> list:
    """Run every `calls[i]()` in a thread of its own, all released at the same moment."""
    results, start = [None] * len(calls), threading.Barrier(len(calls))

    def work(i):
        start.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def without_clock(run):
    """A run's key in every chart cache (ui.charts.identity), its training time left out."""
    return ui.charts.identity(replace(run, elapsed=None))


def test_a_run_is_the_same_whichever_way_it_was_computed(banknotes, families):
    """Alone, cut from a longer run, trained on from a shorter one: one run, one key in the chart
    caches, so every cache keyed by a config or a run keeps working."""
    fingerprint, ten, twenty = banknotes.fingerprint, replace(CONFIG, epochs=10), replace(CONFIG, epochs=20)
    alone = {e: train(banknotes, replace(CONFIG, epochs=e)) for e in (10, 20, 25)}
    assert_same_run(ui.runs.run_of(fingerprint, twenty, banknotes), alone[20])  # from scratch
    cut = ui.runs.run_of(fingerprint, ten, banknotes)
    longer = ui.runs.run_of(fingerprint, CONFIG, banknotes)
    assert families.calls == [(20, None), (25, 20)]  # 10 cut from 20, then 20 trained on to 25
    for run, epochs in ((cut, 10), (longer, 25)):
        assert_same_run(run, alone[epochs])
        assert without_clock(run) == without_clock(alone[epochs])
    assert families.store.longest((fingerprint, banknotes.name, CONFIG.family())).run is longer


def test_sessions_asking_for_one_run_at_once_train_it_once(banknotes, families):
    """30 students opening one link: Streamlit's lock per cache key, and the family's, hold all but
    one while it trains; they all get its run."""
    runs = at_once([lambda: ui.runs._trained(banknotes.fingerprint, CONFIG, banknotes)] * 8)
    assert families.calls == [(25, None)]
    for run in runs:
        assert_same_run(run, runs[0])


def test_sessions_asking_for_one_family_at_once_train_each_epoch_once(banknotes, families):
    """Different epochs of one network asked at once: each epoch is trained once, in one training at
    a time (each next one going on from the longest so far), and each session gets its own run."""
    epochs = [5, 25, 10, 20, 15, 25, 10, 5]
    runs = at_once(
        [
            lambda e=e: ui.runs.run_of(banknotes.fingerprint, replace(CONFIG, epochs=e), banknotes)
            for e in epochs
        ]
    )
    trained = sum(e - (start or 0) for e, start in families.calls)
    assert trained == max(epochs), families.calls
    for run, e in zip(runs, epochs):
        assert_same_run(run, train(banknotes, replace(CONFIG, epochs=e)))
    assert families.store._locks == {}  # a family's lock is kept only while it is held or waited for


def test_the_store_of_longest_runs_is_bounded_in_entries_and_bytes():
    """The least recently used family goes first; one larger than the whole store is not kept."""
    blob = lambda megabytes: Checkpoint(os.urandom(megabytes * 2**20), None)
    store = ui.runs.Families(max_entries=3, max_bytes=11 * 2**19)  # 5.5 MB
    for key in "abc":
        store.keep(key, blob(1))
    store.longest("a")  # used: "b" is now the least recently used
    store.keep("d", blob(1))  # a fourth entry: "b" goes
    assert [k for k in "abcd" if store.longest(k)] == ["a", "c", "d"]
    store.keep("e", blob(3))  # a fourth entry again, and 6 MB: "a" goes
    assert [k for k in "acde" if store.longest(k)] == ["c", "d", "e"]
    assert len(store) == 3 and store.nbytes <= store.max_bytes
    store.keep("f", blob(6))
    assert store.longest("f") is None and len(store) == 3
    assert ui.runs.LONGEST.max_entries <= 64 and ui.runs.LONGEST.max_bytes <= 64 * 2**20
