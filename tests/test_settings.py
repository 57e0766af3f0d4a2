"""The one settings table: its grids and snapping, its kinds, and that everything else reads it."""

import dataclasses
import re

import pytest

from lib.links import parse_query, to_query
from lib.presets import funnel
from lib.settings import (
    LEARNING_RATES,
    MAX_NODES,
    TRAIN,
    TRAIN_SETTINGS,
    Number,
    Setting,
    batch_sizes,
    nearest,
    on_the_grids,
    registry,
)
from lib.training import DEEPER_LESSON, TrainConfig
from testkit import ROOT
from testkit.apptest import last_line_printed
from ui.data import DATA
from ui.links import CONTROL_KEYS, PAGE_SETTINGS, SETTINGS


def test_the_learning_rate_grid_is_log_spaced_from_1e_4_to_1():
    assert LEARNING_RATES[:4] == (1e-4, 2e-4, 5e-4, 1e-3) and LEARNING_RATES[-1] == 1.0
    low, high = SETTINGS["lr"].kind.bounds
    assert (low, high) == (LEARNING_RATES[0], LEARNING_RATES[-1])


def test_the_batch_size_grid_ends_with_the_full_batch():
    assert batch_sizes(672) == (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 672)
    assert batch_sizes(512) == (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
    assert batch_sizes(1) == (1,)


@pytest.mark.parametrize(
    "options, value, log, expected",
    [
        (LEARNING_RATES, 0.003, True, 0.002),  # nearer on a log scale
        (LEARNING_RATES, 0.004, True, 0.005),
        (LEARNING_RATES, 5.0, True, 1.0),
        (LEARNING_RATES, 1e-9, True, 1e-4),
        (batch_sizes(672), 50, True, 64),
        (batch_sizes(672), 10_000, True, 672),
        ((250, 500, 1000, 2000), 600, False, 500),
        ((0, 16), 3, False, 0),
    ],
)
def test_nearest_snaps_onto_a_grid(options, value, log, expected):
    assert nearest(options, value, log) == expected


def test_a_config_is_moved_onto_the_grids():
    config = DEEPER_LESSON.__class__(learning_rate=0.003, batch_size=50)
    snapped = on_the_grids(config, 672)
    assert (snapped.learning_rate, snapped.batch_size) == (0.002, 64)
    assert on_the_grids(DEEPER_LESSON, 672) == DEEPER_LESSON  # the lesson is on the grids


def test_presets_stay_inside_the_nodes_limit():
    assert SETTINGS["hidden"].kind.high == MAX_NODES
    assert max(funnel(n)[0] for n in (5, 64, 1000, 100_000)) == MAX_NODES


def test_every_default_survives_a_link_unchanged():
    defaults = {key: s.default for key, s in SETTINGS.items() if s.default is not None}
    parsed = parse_query(to_query(defaults, SETTINGS), SETTINGS)
    assert parsed.notices == ()
    assert {key: parsed.values[key] for key in defaults} == defaults


@pytest.mark.parametrize("text", ["", " ", "nan", "-1e999", "1e999", "<b>x</b>", ",,,", "0x10", "é" * 300])
def test_no_value_of_any_setting_raises(text):
    parsed = parse_query(dict.fromkeys(SETTINGS, text), SETTINGS)
    assert set(parsed.values) == set(SETTINGS)


@pytest.mark.parametrize(
    "key, raw, expected, noticed",
    [
        ("gd_rates", "0.1, fast,0.10,1e-3", ("0.1", "0.001"), True),  # canonical, no duplicates
        ("gd_optimizers", "adam,momentum 0.9", ("adam", "momentum 0.9"), False),
        ("gd_optimizers", "warp drive", SETTINGS["gd_optimizers"].default, True),  # nothing usable: default
        ("gd_batches", ",".join(str(2**k) for k in range(10)), tuple(str(2**k) for k in range(8)), True),
        ("gd_inits", "zeros,HE_NORMAL", ("zeros", "he_normal"), False),
        ("iterations", "600", 500, True),  # onto the nearest level
        ("iterations", "2000", 2000, False),
        ("rows_per_step", "16", 16, False),
        ("all_rows", "true", True, False),
        ("all_rows", "maybe", False, True),
        ("adaptive", "0", False, False),
        ("runs", "40", 12, True),
        ("gd_epochs", "0", 1, True),
        ("start_w1", "-11.5", -10.0, True),
        ("surface_lr", "0.25", 0.25, False),
        ("vary", "batch_size", "batch_size", False),
        ("model", "forest", "logistic", True),
        ("paths", "optimizers", "optimizers", False),
        ("init", "he_normal", "he_normal", False),
        ("init", "ones", "glorot_uniform", True),
        ("pairplot", "variance,entropy,variance", ("variance", "entropy"), False),
    ],
)
def test_page_settings_are_parsed_clamped_or_defaulted(key, raw, expected, noticed):
    parsed = parse_query({key: raw}, SETTINGS)
    assert parsed.values[key] == expected
    assert bool(parsed.notices) == noticed
    if noticed:
        assert SETTINGS[key].label in parsed.notices[0]


def test_every_setting_is_the_data_set_a_config_field_or_a_pages_own_and_has_one_key():
    assert list(SETTINGS) == [*CONTROL_KEYS, "lock", "hide"]
    assert set(CONTROL_KEYS) == {DATA.key, *TRAIN, *(s.key for s in PAGE_SETTINGS), "pairplot"}
    fields = {f.name for f in dataclasses.fields(TrainConfig)}
    assert all(s.field in fields for s in TRAIN_SETTINGS)  # each row sets the field it names
    assert not any(s.field for s in PAGE_SETTINGS)
    with pytest.raises(ValueError, match="share a key"):  # one key, one setting
        registry(DATA, Setting("data", Number(0, 1), 0, "another"))


def test_every_setting_can_be_locked_and_hidden():
    assert SETTINGS["lock"].kind.options == SETTINGS["hide"].kind.options == CONTROL_KEYS


@pytest.mark.parametrize("key, blank", [("methods", ""), ("pairplot", " , "), ("gd_rates", ""), ("lock", "")])
def test_an_empty_list_opens_the_default_list(key, blank):
    parsed = parse_query({key: blank}, SETTINGS)
    assert parsed.values[key] == SETTINGS[key].default and parsed.notices == ()


def test_a_link_value_between_a_grids_values_moves_to_the_nearest():
    config = on_the_grids(TrainConfig(learning_rate=0.3, batch_size=100), 672)
    assert (config.learning_rate, config.batch_size) == (0.2, 128)


def test_raising_max_layers_is_one_number():
    """With MAX_LAYERS = 4 in lib/settings.py and nothing else changed, a link to four hidden
    layers opens with four node sliders and trains that network (a fresh process reads the edit)."""
    source = (ROOT / "lib" / "settings.py").read_text()
    assert source.count("MAX_LAYERS = 3") == 1
    line = last_line_printed(
        "import sys, types\n"
        "import lib\n"
        "module = types.ModuleType('lib.settings')\n"
        "module.__file__ = 'lib/settings.py'\n"
        "sys.modules['lib.settings'] = module\n"
        f"exec(compile({source.replace('MAX_LAYERS = 3', 'MAX_LAYERS = 4')!r}, 'lib/settings.py', 'exec'),"
        " module.__dict__)\n"
        "from testkit.apptest import app_test, without_background_load\n"
        "without_background_load()\n"
        "at = app_test('app_pages/inner_layer.py', {'hidden': '4,4,4,4,4', 'epochs': '1'})\n"
        "assert not at.exception, [e.value for e in at.exception]\n"
        "sliders = {s.key: s for s in at.sidebar.slider}\n"
        "config = at.session_state['train_config']\n"
        "print(int(sliders['n_hidden'].max), sliders['nodes_4'].label, config.hidden)\n"
    )
    assert line == "4 Nodes in hidden layer 4 (4, 4, 4, 4)"


VIEWS = [ROOT / "streamlit_app.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]


@pytest.mark.parametrize("path", VIEWS, ids=lambda p: p.name)
def test_no_session_key_is_spelled_outside_ui_state(path):
    if path.name == "state.py":
        return
    source = path.read_text()
    literal = r"""\s*f?["']"""
    for pattern in (
        rf"key={literal}",
        rf"session_state\[{literal}",
        rf"session_state\.(get|pop|setdefault)\({literal}",
    ):
        assert not re.search(pattern, source), (path, pattern)


LIMITS = r"MAX_(LAYERS|NODES|EPOCHS)\s*=|LEARNING_RATES\s*=|def (batch_sizes|nearest)\("


@pytest.mark.parametrize("path", [*VIEWS, *(ROOT / "lib").glob("*.py")], ids=lambda p: p.name)
def test_ranges_and_grids_are_declared_only_in_the_settings_table(path):
    if path.name != "settings.py":
        assert not re.search(LIMITS, path.read_text()), path


@pytest.mark.parametrize("name", ["settings.py", "links.py", "presets.py"])
def test_the_settings_speak_no_page_words(name):
    source = (ROOT / "lib" / name).read_text()
    assert not re.search(r"\b(page|slider|button|sidebar|widget)s?\b", source, re.I), name


def test_the_l2_weight_decay_is_never_negative():
    assert parse_query({"l2": "-1"}, SETTINGS).values["l2"] == 0.0
    with pytest.raises(ValueError, match="L2 weight decay"):
        TrainConfig(l2=-0.1)


def test_dropout_and_input_noise_are_off_by_default_and_kept_in_their_ranges():
    assert (DEEPER_LESSON.dropout, DEEPER_LESSON.noise) == (0.0, 0.0)
    parsed = parse_query({"dropout": "0.9", "noise": "-1"}, SETTINGS)
    assert (parsed.values["dropout"], parsed.values["noise"]) == (0.5, 0.0)
    assert len(parsed.notices) == 2
    snapped = on_the_grids(TrainConfig(dropout=0.27, noise=0.45), 672)
    assert (snapped.dropout, snapped.noise) == (0.3, 0.5)
    for bad, words in ((dict(dropout=1.0), "dropout rate"), (dict(noise=-0.1), "input noise")):
        with pytest.raises(ValueError, match=words):
            TrainConfig(**bad)
