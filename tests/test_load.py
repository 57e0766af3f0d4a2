"""A class at once: 8 browser sessions for 60 s, each getting its own, correct numbers.

The sessions change their own sliders and seeds on the inner-layer page and visit the
comparison page; at the end each page's stated test accuracy and parameter count must
equal those of the same config trained alone, and the server must have answered its
health check all along. The driver is shared with bench/bench_load.py.
"""

import pytest

from bench.load_driver import drive, expected_numbers
from conftest import CHROMIUM, CHROMIUM_FLAGS, require_chromium, start_server, stop_server

pytestmark = pytest.mark.browser
SESSIONS, SECONDS = 8, 60


@pytest.fixture(scope="module")
def load():
    require_chromium()
    process, url = start_server()
    try:
        result = drive(url, process.pid, SESSIONS, SECONDS, chromium=CHROMIUM, flags=CHROMIUM_FLAGS)
    finally:
        stop_server(process)
    print(
        f"\n{SESSIONS} sessions, {result.seconds:.0f} s, {result.actions} actions; server RSS "
        f"{result.rss_fresh:.0f} MiB fresh, {result.rss_before:.0f} MiB after one session, "
        f"{result.rss_after:.0f} MiB after; health {result.health_ok} answers, "
        f"{len(result.health_failures)} failures, slowest {result.health_worst:.2f} s"
    )
    return result


def test_every_session_ran_without_errors_and_kept_busy(load):
    assert load.warm_up_errors == []
    assert len(load.sessions) == SESSIONS and load.seconds >= SECONDS
    for session in load.sessions:
        assert session.errors == [], (session.number, session.errors)
        assert session.actions >= 1 and session.compare_visits >= 1, session


def test_the_sessions_ended_on_different_configs(load):
    assert len({(s.hidden, s.seed) for s in load.sessions}) == SESSIONS
    assert len({s.hidden for s in load.sessions}) == 2  # 3 or 4 nodes: different parameter counts


def test_each_session_shows_the_numbers_of_its_config_trained_alone(load, banknotes):
    for session in load.sessions:
        label, accuracy, parameters = expected_numbers(banknotes, session)
        assert (session.accuracy_label, session.accuracy, session.parameters) == (
            label,
            accuracy,
            parameters,
        ), session


def test_the_server_answered_its_health_check_throughout(load):
    assert load.health_failures == []
    assert load.health_ok >= SECONDS / 2  # two polls a second, minus slow answers
    assert load.rss_after > 0
