"""The shared data choice in AppTest: every bundled set, a good upload, bad uploads, sessions apart.

AppTest (Streamlit 1.67) draws the entrypoint's sidebar on an app's first run only, so a
test puts the sidebar's state in place before that run (as a returning user would have
it) and then drives the widgets the first run drew.
"""

import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.datasets import BANKNOTES_FILE
from testkit import ROOT
from testkit.apptest import assert_no_exception, chart_specs, first_run, upload

BUNDLED = {
    "banknotes": (["1,372", "4", "2"], ["genuine", "forged"]),
    "wine": (["178", "13", "3"], ["class_0", "class_1", "class_2"]),
    "iris": (["150", "4", "3"], ["setosa", "versicolor", "virginica"]),
    "breast_cancer": (["569", "30", "2"], ["malignant", "benign"]),
    "digits": (["1,797", "64", "10"], [str(i) for i in range(10)]),
}


def shown(element) -> str:
    """An element's text as the reader sees it (user text is Markdown-escaped on the page)."""
    return re.sub(r"\\(.)", r"\1", element.value)


def colour_domain(at: AppTest) -> list:
    """The class names in the pairplot's colour legend."""
    return chart_specs(at)[0]["vconcat"][0]["hconcat"][0]["encoding"]["color"]["scale"]["domain"]


def flowers(rows: int = 60, extra: dict | None = None) -> bytes:
    rng = np.random.default_rng(0)
    kinds = np.array(["daisy", "rose", "tulip"])[np.arange(rows) % 3]
    frame = pd.DataFrame(
        {
            "petal": rng.normal(size=rows) + (kinds == "rose") * 3,
            "stem": rng.normal(size=rows),
            "leaf": np.arange(rows) % 4,
            **(extra or {}),
            "kind": kinds,
        }
    )
    return frame.to_csv(index=False).encode()


@pytest.mark.parametrize("name", BUNDLED)
def test_each_bundled_data_set_is_shown_with_its_classes(name):
    metrics, classes = BUNDLED[name]
    at = first_run(data=name)
    assert_no_exception(at)
    assert [m.value for m in at.metric] == metrics
    assert colour_domain(at) == classes  # the legend names the classes
    assert len(chart_specs(at)[0]["usermeta"]["features"]) == min(4, int(metrics[1]))


@pytest.mark.parametrize("name", ["wine", "digits"])
def test_the_sidebar_choice_switches_the_data(name):
    at = first_run()
    at.sidebar.selectbox(key="data").select(name).run()
    assert_no_exception(at)
    assert [m.value for m in at.metric] == BUNDLED[name][0]
    if name != "digits":
        return
    rows = chart_specs(at)[0]["usermeta"]["features"]
    assert "pixel_0_0" not in rows and len(rows) == 4  # blank border pixels are not preselected
    assert any("64 features; preselected are the 4" in c.value for c in at.caption)


def test_upload_asks_for_a_file_first():
    at = first_run(data="upload")
    assert_no_exception(at)
    assert "Upload a CSV file in the sidebar" in shown(at.info[0])
    assert at.sidebar.file_uploader(key="csv_uploader").allowed_type == [".csv", ".tsv", ".txt"]
    assert at.code[0].value.startswith("length,width,colour,class")  # an example file
    assert not chart_specs(at)


def test_a_good_upload_is_shown_with_its_notices():
    at = upload(first_run(data="upload"), "flowers.csv", flowers(extra={"note": "x"}))
    assert_no_exception(at)
    assert [m.value for m in at.metric] == ["60", "3", "3"]
    assert "flowers.csv" in shown(at.markdown[1])  # after the stylesheet
    assert any("note" in shown(i) and "text, not numbers" in shown(i) for i in at.info)
    assert colour_domain(at) == ["daisy", "rose", "tulip"]


@pytest.mark.parametrize(
    "data, message",
    [
        (BANKNOTES_FILE.read_bytes().split(b"\n", 1)[1], "no header row"),
        (bytes(np.random.default_rng(7).integers(0, 256, 5000, dtype=np.uint8)), "not a text file"),
        (
            b"a,b,price\n" + b"".join(f"{i},{i % 7},{i * 1.37:.2f}\n".encode() for i in range(80)),
            "looks like a measurement",
        ),
        (b"width,width,class\n" + b"1,2,a\n" * 10, "two columns named"),
    ],
)
def test_a_bad_upload_shows_what_to_change(data, message):
    at = upload(first_run(data="upload"), "mine.csv", data)
    assert_no_exception(at)
    assert message in shown(at.error[0])
    assert "sidebar" in shown(at.error[0])
    assert not chart_specs(at) and not at.metric


def test_the_class_column_can_be_changed():
    data = flowers()
    at = first_run(data="upload", csv_file=("flowers.csv", data, "f1"))
    picker = at.sidebar.selectbox(key="csv_target")
    assert picker.options == ["petal", "stem", "leaf", "kind"] and picker.value == "kind"
    picker.select("leaf").run()
    assert_no_exception(at)
    assert [m.value for m in at.metric] == ["60", "2", "4"]  # leaf 0..3 are the classes; kind is text
    at.session_state["csv_target"] = "petal"  # a measurement: refused, with the way out
    at.run()
    assert "measurement" in shown(at.error[0]) and "class column can be changed" in shown(at.error[0])


def test_an_upload_is_kept_while_another_data_set_is_viewed():
    at = upload(first_run(data="upload"), "flowers.csv", flowers())
    at.session_state["data"] = "wine"
    at.run()
    assert [m.value for m in at.metric] == BUNDLED["wine"][0]
    at.session_state["data"] = "upload"
    at.run()
    assert [m.value for m in at.metric] == ["60", "3", "3"]


def test_a_bad_upload_stays_in_its_own_session():
    bad = upload(first_run(data="upload"), "junk.csv", b"\x00\x01garbage")
    assert "not a text file" in shown(bad.error[0])
    other = first_run(data="upload")
    assert not other.error and "Upload a CSV file" in shown(other.info[0])
    assert [m.value for m in first_run().metric] == BUNDLED["banknotes"][0]


def test_large_uploads_draw_a_stated_sample():
    at = upload(first_run(data="upload"), "many.csv", flowers(rows=3000))
    assert_no_exception(at)
    captions = " ".join(shown(c) for c in at.caption)
    assert "random sample of 2,000 of the 3,000 rows" in captions
    assert len(at.dataframe[0].value) == 3000  # 12,000 cells: the whole table


def test_wide_uploads_show_a_stated_part_of_the_table():
    rng = np.random.default_rng(8)
    frame = pd.DataFrame(rng.normal(size=(400, 999)), columns=[f"f{i}" for i in range(999)])
    frame["class"] = np.arange(400) % 2
    at = upload(first_run(data="upload"), "wide.csv", frame.to_csv(index=False).encode())
    assert_no_exception(at)
    assert [m.value for m in at.metric] == ["400", "999", "2"]
    assert "The first 200 of 400 rows." in [shown(c) for c in at.caption]
    assert len(at.dataframe[0].value) == 200


def test_the_upload_limit_the_page_states_is_the_one_a_server_here_enforces():
    """Streamlit itself, started in the app's folder, reads the limit (a misspelt key would be ignored)."""
    limit = subprocess.run(
        [sys.executable, "-c", "import streamlit; print(streamlit.get_option('server.maxUploadSize'))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    assert limit == "50"
    page = first_run(data="upload")
    assert f"at most {limit} MB" in shown(page.info[0])
    assert f"at most {limit} MB" in page.sidebar.file_uploader(key="csv_uploader").help
