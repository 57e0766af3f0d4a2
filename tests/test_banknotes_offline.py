"""A school laptop offline, a firewall that drops connections, the course's own file uploaded."""

from __future__ import annotations

import socket
import threading

import pytest

from conftest import SHARED_CSV, app_test, assert_no_exception
from lib import datasets
from lib.csv_reader import read_csv


@pytest.fixture
def silent_address(monkeypatch, tmp_path):
    """A listener on 127.0.0.1 that accepts connections and never answers, as the download address;
    no banknote file anywhere. Yields the list of connections it saw."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    seen, stop = [], threading.Event()

    def hold():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            seen.append(connection)  # held open, never answered

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    monkeypatch.delenv(datasets.BANKNOTES_ENV, raising=False)
    monkeypatch.setenv(datasets.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(datasets, "BANKNOTES_URL", f"http://127.0.0.1:{server.getsockname()[1]}/banknote.txt")
    monkeypatch.setattr(datasets, "DOWNLOAD_TIMEOUT", 0.5)
    datasets.forget_failed_download()
    yield seen
    stop.set()
    thread.join()
    for connection in seen:
        connection.close()
    server.close()
    datasets.forget_failed_download()


def test_a_silent_address_fails_once_then_is_remembered(silent_address, tmp_path):
    with pytest.raises(datasets.BanknotesUnavailable) as first:
        datasets.load_banknotes()
    assert "did not answer within 0.5 s" in first.value.reason
    assert len(silent_address) == 1
    for _ in range(3):  # every later attempt (a page change) fails at once, without connecting
        with pytest.raises(datasets.BanknotesUnavailable):
            datasets.load_banknotes()
    assert len(silent_address) == 1
    # a copy dropped into the cache folder is used on the next attempt, no restart
    (tmp_path / "banknotes.csv").write_bytes(SHARED_CSV.read_bytes())
    assert len(datasets.load_banknotes().y) == 1372


def test_offline_data_page_tells_a_student_what_to_do_now(silent_address, tmp_path):
    at = app_test()
    assert_no_exception(at)
    [error] = at.error
    assert "could not be downloaded" in error.value and "did not answer" in error.value
    assert "choose another data set" in error.value and "banknotes.csv" in error.value
    assert "urlopen" not in error.value and "Errno" not in error.value and "reload" not in error.value
    note = " ".join(c.value for c in at.caption)
    assert str(tmp_path / "banknotes.csv") in note and "no restart" in note
    assert "BANKNOTES_CSV" in note and "restart" in note
    at.switch_page("app_pages/inner_layer.py").run()  # another page: no second wait on the network
    assert_no_exception(at)
    assert len(silent_address) == 1
    [choice] = [box for box in at.sidebar.selectbox if box.label == "Data set"]
    choice.set_value("wine").run()  # the student goes on
    assert_no_exception(at)
    assert not at.error


def test_the_course_csv_uploaded_is_the_banknote_data(banknotes):
    uploaded = read_csv(SHARED_CSV.read_bytes(), name="banknotes.csv")
    assert uploaded.name == "banknotes"
    assert uploaded.feature_names == ("variance", "skewness", "kurtosis", "entropy")
    assert uploaded.class_names == ("genuine", "forged")
    assert uploaded.fingerprint == banknotes.fingerprint
    assert any("recognised as the banknote data" in n for n in uploaded.notices)


def test_a_look_alike_file_is_not_taken_for_banknotes():
    text = "variace,skewness,curtosis,entropy,class\n" + "\n".join(
        f"{i},{i % 7},{i % 5},{i % 3},{'ab'[i % 2]}" for i in range(40)
    )
    assert read_csv(text.encode(), name="other.csv").name == "upload"
