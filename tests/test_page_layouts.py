"""Charts that change their layout by the width there is: one layout per band, the stylesheet
that shows exactly one, and each layout fitting the widths it is shown at."""

import json
import re

import pytest

from lib.charts import inner_layer as rc
from lib.charts import inside, plane, player
from lib.charts.common import frame_of
from lib.charts.data import scatter_matrix
from lib.charts.files import chart_file
from lib.charts.layouts import LAYOUTS
from lib.data_summary import separating_features
from lib.datasets import load_dataset
from lib.training import DEEPER_LESSON, LESSON, WINE_EXERCISE, train
from testkit import ROOT
from testkit.apptest import app_test, assert_no_exception, chart_specs, each_layout, marked_views
from ui import state
from ui.charts import COMPUTED, UNTOLD
from ui.layout import band_rules, layout_key, stylesheet
from ui.lesson import PLANE_SIZE

PHONE_COLUMN = 358  # px of the main column on a 390 px phone (Streamlit's 16 px padding each side)


def shown_layouts(chart: str, width: float) -> list[str]:
    """The layouts of `chart` the stylesheet leaves visible in a container `width` px wide."""
    css = band_rules(chart, LAYOUTS[chart])
    hidden = set()
    for condition, layout in re.findall(r"@container (.+?) \{\n  \.st-key-(\S+) \{ display: none; \}", css):
        tests = re.findall(r"\(width (<|>=) (\d+)px\)", condition)
        if any(width < int(n) if op == "<" else width >= int(n) for op, n in tests):
            hidden.add(layout)
    return [layout.name for layout in LAYOUTS[chart] if layout_key(chart, layout.name) not in hidden]


@pytest.mark.parametrize("chart", sorted(LAYOUTS))
def test_the_stylesheet_shows_exactly_one_layout_at_every_width(chart):
    layouts = LAYOUTS[chart]
    assert [layout.min_width for layout in layouts] == sorted(
        (lay.min_width for lay in layouts), reverse=True
    )
    assert layouts[-1].min_width == 0
    for width in [
        0,
        200,
        389.5,
        767.5,
        1440,
        *(lay.min_width - 0.5 for lay in layouts),
        *(lay.min_width for lay in layouts),
    ]:
        if width >= 0:
            expected = next(lay.name for lay in layouts if width >= lay.min_width)
            assert shown_layouts(chart, width) == [expected], (chart, width)
    assert f".st-key-{chart}_layouts {{\n  container-type: inline-size;" in stylesheet()
    assert "ui.layout import responsive_layout" in (ROOT / "streamlit_app.py").read_text()


def test_the_width_probe_is_drawn_after_the_navigation_so_its_rerun_stays_on_the_page():
    """The browser sends the probe's rerun for the page it knows. Drawn before the navigation
    message, the probe could speak first on a busy server, and a link to the lesson's step 3 opened
    the data page instead (seen in Chromium: its rerun named the entry script, not the lesson)."""
    source = (ROOT / "streamlit_app.py").read_text()
    assert source.index("st.navigation(") < source.index("responsive_layout(")


def test_the_gallery_draws_3_2_and_1_columns_of_the_same_maps():
    at = app_test("app_pages/gallery.py")
    specs = []
    for _ in each_layout(at, "gallery_maps"):
        assert_no_exception(at)
        specs.append(chart_specs(at)[0])
    assert [spec["columns"] for spec in specs] == [3, 2, 1]
    assert specs[0]["concat"] == specs[1]["concat"] == specs[2]["concat"]


@pytest.fixture(scope="module")
def run(banknotes):
    return train(banknotes, DEEPER_LESSON)


def drawn_width(spec: dict) -> float:
    """The width Vega draws `spec` at, in px."""
    svg = chart_file(spec, "svg").decode()
    return float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))


def test_every_layout_fits_the_widths_it_is_shown_at(run, banknotes):
    """Each layout is no wider than the band it is shown in: the narrowest fits a phone."""
    extent = plane.plane_extent(run.snapshots)
    epochs = rc.chosen_epochs(run.config.epochs)
    cancer = load_dataset("breast_cancer")
    build = {
        "player": lambda lay: player.player_layouts(run, banknotes, extent)(lay),
        "evolution": lambda lay: rc.evolution_layouts(run, epochs, extent)(lay).spec(),
        "curves": lambda lay: rc.curves_parts(run.history, lay.size, lay.columns).spec(),
        "model": lambda lay: rc.architecture_parts(
            run, width=lay.size, feature_names=banknotes.feature_names
        ).spec(),
        # the widest pairplot: six features with long names and large values
        "pairplot": lambda lay: scatter_matrix(cancer, separating_features(cancer, 6), width=lay.size).spec(),
    }
    for chart, spec_of in build.items():
        assert_each_layout_fits(chart, [spec_of(layout) for layout in LAYOUTS[chart]])
    for views in [*[(view,) for view in inside.VIEWS], inside.VIEWS]:  # the lesson's steps 3, 5 and 6
        for_layout = inside.epoch_player(run, banknotes, views)
        assert_each_layout_fits("player", [for_layout(layout) for layout in LAYOUTS["player"]])
    wine = load_dataset("wine")
    for_layout = inside.epoch_player(train(wine, WINE_EXERCISE), wine, ("nodes",))
    assert_each_layout_fits("player", [for_layout(layout) for layout in LAYOUTS["player"]])


def drawn_height(spec: dict) -> float:
    svg = chart_file(spec, "svg").decode()
    return float(re.search(r'<svg[^>]* height="([\d.]+)"', svg).group(1))


def test_on_a_phone_the_plane_fills_the_column_and_the_grid_is_one_screen(run):
    """The plane takes most of a phone's column, whatever views are attached below it (they are
    no wider: `test_every_layout_fits_the_widths_it_is_shown_at`); the grid shows fewer epochs,
    evenly spaced to the last, within about one phone screen, and says which."""
    assert LAYOUTS["player"][-1].size >= 0.75 * PHONE_COLUMN
    phone = LAYOUTS["evolution"][-1]
    extent = plane.plane_extent(run.snapshots)
    spec = rc.evolution_layouts(run, rc.chosen_epochs(run.config.epochs), extent)(phone).spec()
    shown = sorted(set(spec["datasets"]["panels"]["epoch"]))
    assert shown == [5, 10, 15, 20, 25]
    assert drawn_height(spec) <= 844  # a 390 × 844 phone's screen
    assert spec["title"]["text"] == ["One panel every 5 epochs here;", "a wider screen shows all 25."]


def with_its_data(chart) -> dict:
    """A drawn chart's spec with the rows Streamlit ships beside it (as Arrow) put back in."""
    spec = json.loads(chart.proto.spec)
    for dataset in chart.proto.datasets:
        rows = frame_of(dataset.data.data)
        spec.setdefault("datasets", {})[dataset.name] = json.loads(rows.to_json(orient="records"))
    return spec


def assert_each_layout_fits(chart: str, specs: list[dict]) -> None:
    """`specs`, one per layout of `chart`, each no wider than the widest container it is shown
    in; the narrowest fits a phone."""
    room = None  # the widest container a layout is shown in
    for layout, spec in zip(LAYOUTS[chart], specs, strict=True):
        width = drawn_width(spec)
        if room is not None:
            assert width <= room, (chart, layout.name, width, room)
        room = layout.min_width
    assert width <= PHONE_COLUMN, (chart, width)


def test_until_the_browser_tells_its_width_no_chart_is_built_then_each_once(monkeypatch):
    """A link's first run (the width probe has not spoken) builds no chart and says they are
    coming; the run the probe asks for builds each chart once, in the layout for that width."""
    built = []
    monkeypatch.setattr(COMPUTED, "add", built.append)  # what `_specs` computes anew
    at = app_test("app_pages/inner_layer.py", {"epochs": "6", "seed": "4323"}, {state.CHART_WIDTH: None})
    assert_no_exception(at)
    assert not at.get("vega_lite_chart") and built == []
    assert [c.value for c in at.caption].count(UNTOLD) == 4  # the player, the grid, the curves, the model
    at.session_state[state.CHART_WIDTH] = {"band": 980}
    at.run()
    assert_no_exception(at)
    specs = chart_specs(at)
    assert sum("accuracy" in str(s.get("params")) for s in specs) == 1
    assert sum("facet" in s for s in specs) == 1
    assert len(built) == len(specs) == 4 and UNTOLD not in [c.value for c in at.caption]


@pytest.mark.parametrize("band", [0, 2000], ids=["phone", "wide screen"])
def test_once_the_browser_tells_its_width_each_responsive_chart_is_drawn_in_one_layout(band):
    """The width probe (ui/layout.py) has told the band: only the layout that fits is sent."""
    at = app_test("app_pages/inner_layer.py", {"epochs": "6"})
    at.session_state[state.CHART_WIDTH] = {"band": band}
    at.run()
    assert_no_exception(at)
    specs = chart_specs(at)
    players = [s for s in specs if "accuracy" in str(s.get("params"))]
    [grid] = [s for s in specs if "facet" in s]
    assert len(players) == 1
    assert len(players[0]["vconcat"]) == (3 if band == 0 else 1)  # a phone: plane, accuracy, matrix stacked
    assert grid["columns"] == LAYOUTS["evolution"][-1 if band == 0 else 0].columns
    assert f'data-band="{band}"' in at.markdown[0].value  # the page says it was drawn for that band


def test_the_data_page_draws_the_pairplot_in_each_layout_with_smaller_panels_on_smaller_screens():
    at = app_test(None)
    sides = []
    for _ in each_layout(at, "pairplot"):
        assert_no_exception(at)
        [spec] = chart_specs(at)
        sides.append({panel["width"] for panel in marked_views(spec)})
    assert sides == [{150}, {104}, {54}]  # 4 features: 150 px at 1440, 104 on a tablet, 54 on a phone


def test_the_gradient_descent_page_draws_each_chart_in_layouts_that_fit_their_widths():
    """In the main column each chart is drawn in the layout for the width told: every width band
    is told in turn. The two charts side by side (a column's width is not told) come in every layout."""
    main, in_columns = ("comparison", "layer_norms", "gradient_by_layer"), ("surface", "loss_by_step")
    drawn = {chart: {} for chart in main}  # chart -> layout name -> spec
    side_by_side = sum(len(LAYOUTS[chart]) for chart in in_columns)
    at = app_test("app_pages/gradient_descent.py")
    for band in sorted({layout.min_width for chart in main for layout in LAYOUTS[chart]}, reverse=True):
        at.session_state[state.CHART_WIDTH] = {"band": band}
        at.run()
        assert_no_exception(at)
        comparison, *rest = [with_its_data(chart) for chart in at.get("vega_lite_chart")]  # page order
        assert len(rest) == side_by_side + len(main) - 1
        for chart, spec in zip(main, [comparison, *rest[side_by_side:]]):
            drawn[chart][next(lay.name for lay in LAYOUTS[chart] if band >= lay.min_width)] = spec
    for chart in main:
        assert_each_layout_fits(chart, [drawn[chart][layout.name] for layout in LAYOUTS[chart]])
    for chart in in_columns:
        count = len(LAYOUTS[chart])
        assert_each_layout_fits(chart, rest[:count])
        rest = rest[count:]


def test_the_lessons_planes_before_and_after_fit_half_a_tablet_and_a_phone(banknotes):
    run = train(banknotes, LESSON)
    extent = plane.plane_extent(run.snapshots)
    for epoch in (0, LESSON.epochs):
        width = drawn_width(player.plane_spec(run, banknotes, extent, epoch, PLANE_SIZE))
        assert width <= PHONE_COLUMN and width <= (736 - 24) / 2, (epoch, width)  # a tablet's two columns
