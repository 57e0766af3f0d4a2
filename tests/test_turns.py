"""New work in turns (ui.turns): at most TURNS page runs compute something new at once, a turn is
given back however a run ends, and a page run that asks only for what was computed before never
waits. What a class gains is measured in bench/bench_class.py, not here."""

import threading

import pytest

import ui.turns
from testkit.apptest import app_test
from ui.turns import TURNS, ComputedRecord, page_run, take_turn

JOIN = 60  # seconds a thread may take before the test says it hangs (it never should, by far)


def in_threads(work, count: int) -> list[threading.Thread]:
    threads = [threading.Thread(target=work, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads


def test_at_most_turns_page_runs_do_new_work_at_once():
    holding, most, lock = [0], [0], threading.Lock()
    started, go = threading.Barrier(TURNS + 3), threading.Event()

    def page():
        started.wait()
        with page_run():
            take_turn()
            take_turn()  # a second ask in the same run takes no second turn
            with lock:
                holding[0] += 1
                most[0] = max(most[0], holding[0])
            go.wait(JOIN)
            with lock:
                holding[0] -= 1

    threads = in_threads(page, TURNS + 3)
    for _ in range(JOIN * 100):  # until TURNS runs hold a turn; the others wait for one
        with lock:
            if holding[0] == TURNS:
                break
        threading.Event().wait(0.01)
    with lock:
        assert holding[0] == TURNS
    go.set()
    for thread in threads:
        thread.join(JOIN)
    assert not any(thread.is_alive() for thread in threads)  # every one had its turn
    assert most[0] == TURNS


def test_a_turn_is_given_back_however_the_run_ends():
    def runs():
        for _ in range(2 * TURNS):
            with pytest.raises(RuntimeError), page_run():  # a rerun or a stop ends a run so
                take_turn()
                raise RuntimeError("stopped")
        with page_run():  # and a turn is still there
            take_turn()

    (thread,) = in_threads(runs, 1)
    thread.join(JOIN)
    assert not thread.is_alive()


def test_a_run_waits_at_most_so_long_for_a_turn_and_once(monkeypatch):
    """While other runs hold every turn (a t-SNE of every row, say), a new run goes on without one
    after WAIT_AT_MOST, and asks no more in that run."""
    monkeypatch.setattr(ui.turns, "WAIT_AT_MOST", 0.05)
    holding, go = threading.Barrier(TURNS + 1), threading.Event()

    def long_page():
        with page_run():
            take_turn()
            holding.wait(JOIN)
            go.wait(JOIN)

    long_pages = in_threads(long_page, TURNS)
    holding.wait(JOIN)  # every turn is held

    def page():
        with page_run():
            for _ in range(2000):  # waits once: 2,000 waits would outlast JOIN
                take_turn()

    (thread,) = in_threads(page, 1)
    thread.join(JOIN)
    waited = thread.is_alive()
    go.set()
    for other in long_pages:
        other.join(JOIN)
    assert not waited


def test_outside_a_page_run_nothing_waits():
    """A fragment's rerun and a test calling a page's parts are outside the entrypoint's page run."""

    def asks():
        for _ in range(2 * TURNS):
            take_turn()

    (thread,) = in_threads(asks, 1)
    thread.join(JOIN)
    assert not thread.is_alive()


def test_the_record_keeps_the_most_recently_computed_keys():
    record = ComputedRecord(kept=3)
    for key in "abcd":
        record.add(key)
    assert "a" not in record and all(key in record for key in "bcd")
    record.add("b")  # computed again: the newest
    record.add("e")
    assert "c" not in record and all(key in record for key in "bde")


class CountingTurns(threading.Semaphore):
    taken = 0

    def acquire(self, *args, **kwargs):
        CountingTurns.taken += 1
        return super().acquire(*args, **kwargs)


@pytest.mark.counts_calls
def test_a_new_run_waits_for_a_turn_and_a_cached_rerun_does_not(monkeypatch):
    """The inner-layer page of a network no other test trains takes one turn for its training and
    charts; the same page again asks only for what it computed, and takes none."""
    monkeypatch.setattr(ui.turns, "_TURNS", CountingTurns(TURNS))
    at = app_test(query={"seed": "4321", "epochs": "3"})  # the data page first
    CountingTurns.taken = 0
    at.switch_page("app_pages/inner_layer.py").run()
    assert not at.exception and at.get("vega_lite_chart")
    assert CountingTurns.taken == 1  # one a page run, however much it computes
    at.run()
    assert not at.exception and CountingTurns.taken == 1
