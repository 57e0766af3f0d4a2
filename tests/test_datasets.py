"""The banknote data ships with the app: the canonical file, checked, and every bad file explained."""

import hashlib
import socket

import numpy as np
import pytest

from lib.csv_reader import read_csv
from lib.datasets import BANKNOTES_FILE, DATASET_NAMES, DatasetError, load_banknotes, load_dataset
from lib.training import LESSON, split
from testkit import ROOT
from testkit.apptest import app_test, assert_no_exception

CANONICAL_SHA256 = "efd403db8c91b250e16ed31ef4224f9b388703786539f7b461f91f55b66b6b0e"
SHARED_COPY = ROOT.parent / "shared" / "data" / "banknotes.csv"  # beside the repo in CI


def test_the_bundled_file_is_the_canonical_data():
    assert BANKNOTES_FILE == ROOT / "data" / "banknotes.csv"
    assert hashlib.sha256(BANKNOTES_FILE.read_bytes()).hexdigest() == CANONICAL_SHA256
    assert BANKNOTES_FILE.read_text().startswith("variace,skewness,curtosis,entropy,class\n")
    assert "10.24432/C55P57" in (ROOT / "data" / "README.md").read_text()  # the attribution beside it


@pytest.mark.skipif(
    not SHARED_COPY.exists(), reason="no ../shared beside the repo (the checksum still holds)"
)
def test_the_bundled_file_equals_the_shared_copy_byte_for_byte():
    assert BANKNOTES_FILE.read_bytes() == SHARED_COPY.read_bytes()


def test_lesson_facts(banknotes):
    assert banknotes.X.shape == (1372, 4)
    assert banknotes.X.dtype == np.float64 and np.isfinite(banknotes.X).all()
    assert banknotes.class_counts() == {"genuine": 762, "forged": 610}
    assert banknotes.feature_names == ("variance", "skewness", "kurtosis", "entropy")
    np.testing.assert_array_equal(banknotes.X[0], [3.6216, 8.6661, -2.8073, -0.44699])


def test_the_lesson_has_its_412_test_rows(banknotes):
    assert (LESSON.test_size, LESSON.split_seed) == (0.3, 42)
    parts = split(banknotes, LESSON)
    assert len(parts.test_index) == 412 and len(parts.train_index) == 960
    assert np.bincount(parts.y_test).tolist() == [229, 183]
    assert parts.test_index[:8].tolist() == [430, 588, 296, 184, 244, 590, 78, 708]


def test_the_data_page_credits_the_source():
    at = app_test()
    assert_no_exception(at)
    [credit] = [m.value for m in at.caption if "Lohweg" in m.value]
    assert "Doerksen" in credit and "2012" in credit and "DOI 10.24432/C55P57" in credit
    assert "CC BY 4.0" in credit and "UCI" in credit


def test_every_bundled_data_set_loads_without_network_or_setup(monkeypatch, tmp_path):
    def no_network(*args, **kwargs):
        raise OSError("this test has no network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)  # the banknote file is found from the package, not the working directory
    assert [len(load_dataset(name).y) for name in DATASET_NAMES] == [1372, 178, 150, 569, 1797]
    assert list(tmp_path.iterdir()) == []  # nothing written: no cache


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
    bad.write_text(mangle(BANKNOTES_FILE.read_text()))
    with pytest.raises(DatasetError, match=message) as caught:
        load_banknotes(bad)
    assert str(bad) in str(caught.value)


def test_binary_garbage_is_refused(tmp_path):
    bad = tmp_path / "image.png"
    bad.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(DatasetError, match="not a text file"):
        load_banknotes(bad)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(DatasetError, match="cannot be read") as caught:
        load_banknotes(tmp_path / "nowhere.csv")
    assert str(tmp_path / "nowhere.csv") in str(caught.value)


def test_the_course_csv_uploaded_is_the_banknote_data(banknotes):
    """A student's own copy of the course's banknotes.csv, through *Upload a CSV*."""
    uploaded = read_csv(BANKNOTES_FILE.read_bytes(), name="banknotes.csv")
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


def test_wine_is_the_exercise_data():
    wine = load_dataset("wine")
    assert wine.X.shape == (178, 13) and wine.n_classes == 3


def test_unknown_name_lists_the_choices():
    with pytest.raises(DatasetError, match="banknotes, wine"):
        load_dataset("mnist")
