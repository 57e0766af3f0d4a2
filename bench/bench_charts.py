"""A chart from its template against the same chart built by Altair, for every templated chart.

    python bench/bench_charts.py [--repeat 20]

Per chart: the median time of `vega_lite(parts.chart())` (Altair builds, validates and
converts the chart: what the pages did before), of `parts.spec()` (the cached template
filled with the frames and values), and their ratio. Both start from the same `ChartParts`,
so the frames (the data the chart shows) are computed once, outside either timing.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time

from common import print_table, summary


def median_us(task, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        task()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    repeat = parser.parse_args().repeat

    import altair as alt

    from lib import inside
    from lib.charts import data as dc
    from lib.charts import inner_layer as rc
    from lib.charts import inside as ic
    from lib.charts import plane
    from lib.charts.common import vega_lite
    from lib.datasets import load_dataset
    from lib.training import DEEPER_LESSON, train

    data = load_dataset("banknotes")
    run = train(data, dataclasses.replace(DEEPER_LESSON, epochs=25))
    extent = plane.plane_extent(run.snapshots)
    charts = {
        "bent grid (inner layer)": ic.bending_view(run, inside.bending_frame(run, data, range(26)), extent),
        "evolution, 25 panels": rc.evolution_parts(run, rc.chosen_epochs(25), extent),
        "learning curves": rc.curves_parts(run.history),
        "model diagram": rc.architecture_parts(run),
        "pairplot (data page)": dc.scatter_matrix(data, list(data.feature_names)),
    }
    table, altair_total, template_total = [], 0.0, 0.0
    for name, parts in charts.items():
        parts.spec()  # the template is built once per shape, then reused
        with alt.data_transformers.disable_max_rows():  # the bent grid has 26 epochs of 398 points
            built = median_us(lambda parts=parts: vega_lite(parts.chart()), max(3, repeat // 4))
        filled = median_us(parts.spec, repeat)
        altair_total, template_total = altair_total + built, template_total + filled
        table.append((name, f"{built / 1e3:.1f} ms", f"{filled:.0f} µs", f"{built / filled:.0f}x"))
    print_table(
        "One chart: Altair's build against its template filled",
        table,
        ("chart", "Altair build", "template fill", "ratio"),
    )
    summary(
        "charts: a chart's template filled",
        template_total / len(charts),
        "µs",
        goal="microseconds, not tens of milliseconds",
        met=template_total / len(charts) < 1000,
        baseline=f"Altair's build of the same charts ({altair_total / len(charts) / 1e3:.1f} ms a chart)",
        ratio=template_total / altair_total,
    )


if __name__ == "__main__":
    main()
