"""Every chart the pages draw from a template is the chart Altair builds, for other data too."""

import dataclasses
import json
import re

import altair as alt
import numpy as np
import pandas as pd
import pytest

from lib.charts import common, gallery, plane
from lib.charts import data as dc
from lib.charts import inner_layer as rc
from lib.charts.layouts import LAYOUTS
from lib.datasets import load_dataset
from lib.training import DEEPER_LESSON, WINE_EXERCISE, train


def canonical(spec: dict) -> tuple[str, list[pd.DataFrame]]:
    """The spec as JSON with its datasets named by order of use, and those datasets' rows.

    Altair names a dataset by a hash of its rows and numbers views and parameters per
    process or by a hash (Streamlit renumbers them the same way before it draws)."""
    spec = dict(spec)
    datasets = spec.pop("datasets")
    text = json.dumps(spec, sort_keys=True)
    order = list(dict.fromkeys(re.findall(r'"data": \{"name": "([^"]+)"\}', text)))
    assert sorted(order) == sorted(datasets)  # every dataset drawn, and only those
    for i, name in enumerate(order):
        text = text.replace(f'"name": "{name}"', f'"name": "dataset {i}"')
    for prefix in ("view_", "param_"):
        for i, name in enumerate(dict.fromkeys(re.findall(rf"{prefix}(?:[0-9a-f]+_)?\d+", text))):
            text = re.sub(rf"\b{name}\b", f"{prefix}#{i}", text)
    return text, [datasets[name].reset_index(drop=True) for name in order]


def assert_same_chart(parts: common.ChartParts) -> None:
    with alt.data_transformers.disable_max_rows():  # the loss surface's grid has 10,201 rows
        built_text, built_rows = canonical(common.vega_lite(parts.chart()))
    filled_text, filled_rows = canonical(parts.spec())
    assert filled_text == built_text
    assert len(filled_rows) == len(built_rows)
    for filled, built in zip(filled_rows, built_rows):
        filled = filled.astype(
            {c: object for c, t in filled.dtypes.items() if isinstance(t, pd.CategoricalDtype)}
        )
        if filled.isna().any().any():  # JSON made Altair's missing values None; both are drawn as null
            filled, built = (frame.astype(object).where(frame.notna(), None) for frame in (filled, built))
        pd.testing.assert_frame_equal(filled, built, check_dtype=False)


@pytest.fixture(scope="module")
def runs(banknotes):
    wine = load_dataset("wine")
    return [
        (banknotes, train(banknotes, dataclasses.replace(DEEPER_LESSON, epochs=4, seed=1))),
        (banknotes, train(banknotes, dataclasses.replace(DEEPER_LESSON, epochs=7, seed=2))),
        (wine, train(wine, dataclasses.replace(WINE_EXERCISE, epochs=3))),
    ]


def test_the_inner_layer_charts_fill_their_templates_like_altair(runs):
    for dataset, run in runs:  # the second banknote run fills the first one's templates
        extent = plane.plane_extent(run.snapshots)
        assert_same_chart(rc.evolution_parts(run, rc.chosen_epochs(run.config.epochs), extent))
        assert_same_chart(rc.curves_parts(run.history))
        assert_same_chart(rc.architecture_parts(run))
        assert_same_chart(rc.architecture_parts(run, feature_names=dataset.feature_names))
        assert_same_chart(rc.architecture_parts(run, width=300, feature_names=dataset.feature_names))


def x_domain(spec: dict) -> list:
    return spec["spec"]["layer"][0]["encoding"]["x"]["scale"]["domain"]


def test_a_second_run_reuses_the_template_and_shows_its_own_numbers(runs):
    (_, first), (_, second) = runs[:2]
    specs = [
        rc.evolution_parts(run, [3], plane.plane_extent(run.snapshots)).spec() for run in (first, second)
    ]
    titles = [list(spec["datasets"]["panels"]["panel"].unique()) for spec in specs]
    assert titles[0] != titles[1] and titles[1] == [f"Epoch 3 · test acc {second.snapshot_accuracy[3]:.1%}"]
    assert x_domain(specs[1]) == list(plane.plane_extent(second.snapshots)[:2])
    assert specs[0]["spec"]["layer"][0]["mark"] is specs[1]["spec"]["layer"][0]["mark"]  # one template
    points = specs[1]["datasets"]["panels"].query("layer == 'points'")
    np.testing.assert_allclose(points[rc.H1], second.snapshots[3][:, 0])


def test_a_layer_of_another_width_fills_the_same_network_diagram(banknotes):
    """A student moving Nodes gets a new diagram from the template built for the first width (an
    Altair build took a tenth of a second or more), its height fitted to the widest layer."""
    narrow, wide = (
        train(banknotes, dataclasses.replace(DEEPER_LESSON, hidden=(nodes,), epochs=1)) for nodes in (3, 9)
    )
    specs = [
        rc.architecture_parts(run, feature_names=banknotes.feature_names).spec() for run in (narrow, wide)
    ]
    assert specs[0]["layer"][0]["mark"] is specs[1]["layer"][0]["mark"]  # one template
    assert_same_chart(rc.architecture_parts(wide, feature_names=banknotes.feature_names))
    domains = [spec["layer"][0]["encoding"]["y"]["scale"]["domain"] for spec in specs]
    assert domains[1][1] - domains[1][0] > domains[0][1] - domains[0][0]  # room for 9 nodes


def test_the_data_page_charts_fill_their_templates_like_altair(banknotes, runs):
    for dataset in (banknotes, runs[2][0]):
        features = list(dataset.feature_names[:3])
        assert_same_chart(dc.scatter_matrix(dataset, features, limit=500))
        assert_same_chart(dc.scatter_matrix(dataset, features[:2], limit=300))


def test_a_template_is_not_changed_by_filling_it(runs):
    (_, first), (_, second) = runs[:2]
    extent = plane.plane_extent(first.snapshots)
    before = x_domain(rc.evolution_parts(first, [1], extent).spec())
    x_domain(rc.evolution_parts(second, [4], plane.plane_extent(second.snapshots)).spec())[0] = 99
    assert x_domain(rc.evolution_parts(first, [1], extent).spec()) == before == list(extent[:2])


def test_a_value_hidden_inside_a_string_is_refused():
    def layout(frames, values):
        import altair as alt

        return alt.Chart(frames["rows"]).mark_point().properties(title=f"Epoch {values['epoch']}")

    with pytest.raises(ValueError, match="epoch"):
        common.chart_spec(layout, {"rows": pd.DataFrame({"a": [1.0]})}, {"epoch": 3})


def test_the_gallery_fills_its_template_like_altair_with_dead_and_diverged_runs():
    rng = np.random.default_rng(0)
    y_test = rng.integers(0, 2, 50)
    for scale in (1.0, 3.0):  # the second gallery fills the first one's template
        panels = [
            gallery.Panel(0, 0.9, "ok", 0.0, scale * rng.normal(size=(50, 2))),
            gallery.Panel(1, 0.5, "dead", None, None),
            gallery.Panel(2, 0.8, "dead_node", 0.2, scale * rng.normal(size=(50, 2))),
            gallery.Panel(3, 0.5, "diverged", None, None),
        ]
        assert_same_chart(gallery.gallery_parts(panels, y_test, ["genuine", "forged"]))


def test_the_gradient_descent_charts_fill_their_templates_like_altair(banknotes, runs):
    from lib import experiments, surface
    from lib.charts import gradient_descent as gd

    for rates in ((0.1, 1.0), (0.05, 2.0, 9.0)):  # the second set of paths: other data, other order
        experiment = experiments.Experiment(
            "learning_rate", "logistic", dataclasses.replace(experiments.LOGISTIC, epochs=3)
        )
        table = pd.concat(
            [experiments.curves(banknotes, experiment, str(r)) for r in rates], ignore_index=True
        )
        assert_same_chart(gd.comparison(table, "Learning rate"))
        data = surface.problem(banknotes, surface.Plane(("skewness", "kurtosis")))
        paths = pd.concat([surface.path(data, surface.Descent("sgd", r, steps=8)) for r in rates])
        best = surface.optimum(data)
        grid = surface.grid(data, surface.window(data, paths, best))
        assert_same_chart(gd.surface(grid, paths, best, ("skewness", "kurtosis")))
        assert_same_chart(gd.loss_by_step(paths))
    for (_, first), (_, second) in (runs[:2], runs[1:]):
        assert_same_chart(gd.layer_norms(gd.norms_frame({"current": first}), "what", "Size (log scale)"))
        frame = gd.norms_frame({"one": first, "two": second})
        assert_same_chart(gd.gradient_by_layer(frame[frame["what"] == gd.NORMS["gradient"]]))


def test_the_views_inside_the_network_fill_their_templates_like_altair(runs):
    from lib import inside
    from lib.charts import inside as ic

    for dataset, run in runs:  # the second banknote run fills the first one's templates
        epochs = range(run.config.epochs + 1)
        extent = plane.plane_extent(run.snapshots)
        placed = ic.nodes_layouts(run, inside.node_frame(run, dataset, epochs), dataset.feature_names)
        for layout in LAYOUTS["player"]:  # left to right, and top to bottom on a phone
            assert_same_chart(placed(layout))
        assert_same_chart(ic.bending_view(run, inside.bending_frame(run, dataset, epochs), extent))


def test_one_template_serves_every_number_of_epochs(runs):
    """A run with other epochs (4, then 7: other per-epoch columns, other panels) fills the same
    templates, so moving the Epochs slider builds no Altair chart."""
    from lib import inside
    from lib.charts import inside as ic

    (dataset, first), (_, second) = runs[:2]
    assert first.config.epochs != second.config.epochs

    def views(run):
        epochs = range(run.config.epochs + 1)
        extent = plane.plane_extent(run.snapshots)
        return [
            ic.nodes_view(run, inside.node_frame(run, dataset, epochs)).spec(),
            ic.bending_view(run, inside.bending_frame(run, dataset, epochs), extent).spec(),
            rc.evolution_parts(run, rc.chosen_epochs(run.config.epochs), extent).spec(),  # 4, then 7 panels
        ]

    views(first)
    before = len(common._TEMPLATES)
    nodes, bending, _ = views(second)
    assert len(common._TEMPLATES) == before  # nothing built for the second run
    assert f"level@{second.config.epochs}" in nodes["datasets"]["dots"]
    assert f"{inside.B1}@{second.config.epochs}" in bending["datasets"]["grid"]


def test_the_linked_maps_fill_their_template_like_altair(runs):
    """The comparison page's maps, with a dead node (a constant axis gets a domain around it) and
    without, coloured by class or by neighbours kept, a row picked or not; a second data set's maps
    fill the same template with their own titles."""
    from lib.charts import compare
    from lib.neighbours import neighbourhoods
    from lib.projections import embed

    for dataset, run in runs[:1] + runs[2:]:
        rows = run.test_index
        pca = embed("pca", dataset.X[rows], dataset.y[rows])
        lda = embed("lda", dataset.X[rows], dataset.y[rows])
        dead = dataclasses.replace(
            pca, method="bottleneck", points=np.column_stack([pca.points[:, 0], 0 * rows])
        )
        for maps in ([pca, lda], [pca, dead]):
            hoods = [neighbourhoods(dataset.X[rows], m.coordinates) for m in maps]
            for kept_colours, picked in ((False, None), (True, int(rows[3]))):
                assert_same_chart(compare.linked_maps(dataset, rows, maps, hoods, 10, kept_colours, picked))
    parts = compare.linked_maps(dataset, rows, [pca, dead], hoods, 10)
    corners = parts.frames["corners"]
    assert list(corners["bottleneck_y"]) == [-1, 1]  # room around the dead node's constant 0
    assert list(corners["pca_x"]) == [pca.points[:, 0].min(), pca.points[:, 0].max()]
    alive = dataclasses.replace(dead, points=pca.points[:, ::-1])
    assert parts.shape == compare.linked_maps(dataset, rows, [pca, alive], hoods, 10).shape  # one template


def test_arrow_datasets_send_a_repeated_text_once_and_read_back_the_same_rows():
    """Text columns go as Arrow dictionaries (each class name or panel title once), numbers as
    they are; `frame_of` gives back the frame that went in (without its index: no chart reads it)."""
    import pyarrow as pa

    n = 10_000
    frame = pd.DataFrame(
        {
            "panel": np.repeat([f"Epoch {e} · test acc 99%" for e in range(25)], n // 25),
            "class": np.tile(["genuine", "forged"], n // 2),
            "h1": np.linspace(0, 1, n),
        },
        index=pd.RangeIndex(5, 5 + n),
    )
    [spec] = common.arrow_datasets({"mark": "point", "datasets": {"points": frame}})
    sent = spec["datasets"]["points"]
    table = pa.ipc.open_stream(sent).read_all()
    assert [pa.types.is_dictionary(t) for t in table.schema.types] == [True, True, False]
    assert len(sent) < 120_000 + 8 * n  # the floats, and each text about once: not 10,000 copies
    pd.testing.assert_frame_equal(common.frame_of(sent), frame.reset_index(drop=True))


def test_a_template_build_converts_each_frame_once(runs, monkeypatch):
    """The comparison's maps draw their frame in many layers of every panel; a build converts it
    (Altair's sanitizing, to JSON rows) once, and Altair's own conversion is untouched outside."""
    from lib.charts import compare
    from lib.neighbours import neighbourhoods
    from lib.projections import embed

    dataset, run = runs[0]
    rows = run.test_index
    maps = [embed(method, dataset.X[rows], dataset.y[rows]) for method in ("pca", "lda")]
    parts = compare.linked_maps(
        dataset, rows, maps, [neighbourhoods(dataset.X[rows], m.coordinates) for m in maps], 10
    )
    converted = []
    convert = common.default_data_transformer
    monkeypatch.setattr(
        common, "default_data_transformer", lambda data, **kw: converted.append(1) or convert(data, **kw)
    )
    template = common.build_template(parts.layout, parts.frames, parts.values, parts.shape)
    assert len(converted) == len(parts.frames) == len(template.frames) == 3  # maps, neighbours, corners
    assert alt.data_transformers.active == "default"
    with alt.data_transformers.disable_max_rows():
        alt.Chart(pd.DataFrame({"x": np.arange(6000)})).mark_point().to_dict()  # no MaxRowsError
    with pytest.raises(alt.MaxRowsError):
        alt.Chart(pd.DataFrame({"x": np.arange(6000)})).mark_point().to_dict()
