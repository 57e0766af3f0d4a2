"""The loader finds the banknote data, checks it, and explains every bad file."""

import os
from pathlib import Path

import numpy as np
import pytest

from conftest import SHARED_CSV
from lib import datasets
from lib.datasets import DatasetError, load_banknotes, load_dataset, parse_banknotes


@pytest.fixture(autouse=True)
def no_remembered_failure():
    """A failed download is remembered for minutes; each test starts as a fresh server would."""
    datasets.forget_failed_download()
    yield
    datasets.forget_failed_download()


def uci_text() -> str:
    """The shared course CSV rewritten in UCI's headerless layout."""
    return "\n".join(SHARED_CSV.read_text().splitlines()[1:]) + "\n"


def test_lesson_facts(banknotes):
    assert banknotes.X.shape == (1372, 4)
    assert banknotes.X.dtype == np.float64 and np.isfinite(banknotes.X).all()
    assert banknotes.class_counts() == {"genuine": 762, "forged": 610}
    assert banknotes.feature_names == ("variance", "skewness", "kurtosis", "entropy")
    assert "267" in banknotes.description


def test_uci_layout_reads_the_same_numbers(banknotes):
    from_uci = parse_banknotes(uci_text(), "uci.txt")
    np.testing.assert_array_equal(from_uci.X, banknotes.X)
    np.testing.assert_array_equal(from_uci.y, banknotes.y)
    assert from_uci.fingerprint == banknotes.fingerprint


@pytest.mark.parametrize(
    "mangle, message",
    [
        (lambda t: "", "empty"),
        (lambda t: "\n".join(t.splitlines()[:701]), "700 rows"),
        (lambda t: t.replace("3.6216,8.6661", "3.6216;8.6661", 1), "comma-separated"),
        (lambda t: t.replace(",0\n", ",7\n", 1), "class column"),
        (lambda t: "\n".join(line + ",1" for line in t.splitlines()), "6 columns"),
        (lambda t: t.replace("3.6216", "nan", 1), "missing or infinite"),
        (lambda t: t.replace("3.6216", "abc", 1), "comma-separated"),
    ],
)
def test_bad_files_name_the_file_and_the_problem(tmp_path, mangle, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(mangle(SHARED_CSV.read_text()))
    with pytest.raises(DatasetError, match=message) as caught:
        load_banknotes(bad)
    assert str(bad) in str(caught.value)


def test_binary_garbage_is_refused(tmp_path):
    bad = tmp_path / "image.png"
    bad.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(DatasetError, match="not a text file"):
        load_banknotes(bad)


def test_missing_explicit_path_says_how_to_provide_the_file(tmp_path):
    with pytest.raises(DatasetError, match="BANKNOTES_CSV") as caught:
        load_banknotes(tmp_path / "nowhere.csv")
    assert datasets.BANKNOTES_URL in str(caught.value)


def test_offline_without_a_copy_explains_what_to_do(tmp_path, monkeypatch):
    monkeypatch.delenv("BANKNOTES_CSV", raising=False)
    monkeypatch.setenv("BOTTLENECK_LAB_CACHE", str(tmp_path))

    def offline(url):
        raise OSError("network unreachable")

    with pytest.raises(datasets.BanknotesUnavailable, match="could not be downloaded") as caught:
        load_banknotes(download=offline)
    assert str(tmp_path / "banknotes.csv") in str(caught.value)
    assert caught.value.cache_path == tmp_path / "banknotes.csv"
    assert "network unreachable" not in str(caught.value)  # the student reads words, not errno


def test_download_is_validated_then_cached_atomically(tmp_path, monkeypatch, banknotes):
    monkeypatch.delenv("BANKNOTES_CSV", raising=False)
    monkeypatch.setenv("BOTTLENECK_LAB_CACHE", str(tmp_path))
    calls = []

    def fake_download(url):
        calls.append(url)
        return uci_text()

    first = load_banknotes(download=fake_download)
    assert calls == [datasets.BANKNOTES_URL]
    assert sorted(os.listdir(tmp_path)) == ["banknotes.csv"]  # no temporary file left behind
    second = load_banknotes(download=fake_download)
    assert calls == [datasets.BANKNOTES_URL]  # read from the cache
    assert first.fingerprint == second.fingerprint == banknotes.fingerprint


def test_a_corrupt_download_is_not_cached(tmp_path, monkeypatch):
    monkeypatch.delenv("BANKNOTES_CSV", raising=False)
    monkeypatch.setenv("BOTTLENECK_LAB_CACHE", str(tmp_path))
    with pytest.raises(DatasetError, match="rows"):
        load_banknotes(download=lambda url: "1,2,3,4,0\n")
    assert not (tmp_path / "banknotes.csv").exists()


def test_a_damaged_cache_is_replaced_by_a_fresh_download(tmp_path, monkeypatch):
    monkeypatch.delenv("BANKNOTES_CSV", raising=False)
    monkeypatch.setenv("BOTTLENECK_LAB_CACHE", str(tmp_path))
    (tmp_path / "banknotes.csv").write_text("truncated\n1,2")
    dataset = load_banknotes(download=lambda url: uci_text())
    assert len(dataset.y) == 1372
    assert Path(tmp_path / "banknotes.csv").read_text() == uci_text()


def test_wine_is_the_exercise_data():
    wine = load_dataset("wine")
    assert wine.X.shape == (178, 13) and wine.n_classes == 3


def test_unknown_name_lists_the_choices():
    with pytest.raises(DatasetError, match="banknotes, wine"):
        load_dataset("mnist")
