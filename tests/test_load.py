"""A class at once: 8 browser sessions for 60 s, each getting its own, correct numbers.

The sessions change their own sliders and seeds on the inner-layer page and visit the
comparison page; at the end each page's stated test accuracy and parameter count must
equal those of the same config trained alone, no session saw an error, and the server
answered its health check all along. Correctness only: the waits of the driver (testkit's
load driver, shared with bench/bench_load.py) are generous hang guards, and nothing here
asserts how fast anything was, so a busy machine makes the test slower, not red.
"""

import pytest

from testkit.chromium import require_chromium
from testkit.load_driver import drive, expected_numbers
from testkit.server import start_server, stop_server

pytestmark = pytest.mark.browser
SESSIONS, SECONDS = 8, 60


@pytest.fixture(scope="module")
def load():
    require_chromium()
    process, url = start_server()
    try:
        result = drive(url, process.pid, SESSIONS, SECONDS)
        alive = process.poll() is None
    finally:
        stop_server(process)
    print(
        f"\n{SESSIONS} sessions, {result.seconds:.0f} s, {result.actions} actions; server RSS "
        f"{result.rss_fresh:.0f} MiB fresh, {result.rss_before:.0f} MiB after one session, "
        f"{result.rss_after:.0f} MiB after; health {result.health_ok} answers, "
        f"{len(result.health_failures)} failures, slowest {result.health_worst:.2f} s"
    )
    return result, alive


def test_every_session_ran_without_errors(load):
    load, _ = load
    assert load.warm_up_errors == []
    assert len(load.sessions) == SESSIONS
    for session in load.sessions:
        assert session.errors == [], (session.number, session.errors)
        assert session.actions >= 1 and session.compare_visits >= 1, session


def test_the_sessions_ended_on_different_configs(load):
    load, _ = load
    assert len({(s.hidden, s.seed) for s in load.sessions}) == SESSIONS
    assert len({s.hidden for s in load.sessions}) == 2  # 3 or 4 nodes: different parameter counts


def test_each_session_shows_the_numbers_of_its_config_trained_alone(load, banknotes):
    load, _ = load
    for session in load.sessions:
        label, accuracy, parameters = expected_numbers(banknotes, session)
        assert (session.accuracy_label, session.accuracy, session.parameters) == (
            label,
            accuracy,
            parameters,
        ), session


def test_the_server_stayed_alive_and_answered_every_health_check(load):
    load, alive = load
    assert alive, "the server process exited during the class"
    assert load.health_failures == []  # each check may take up to the driver's HEALTH_TIMEOUT
    assert load.health_ok >= 1
    assert load.rss_after > 0
