"""The gradient-descent page's charts as a student sees them (drawn to SVG by Vega itself)."""

import math
import re

import pandas as pd

from lib.charts.files import chart_file
from lib.charts.gradient_descent import gradient_by_layer

LAYERS = [f"hidden_{i}" for i in range(1, 7)] + ["bottleneck", "output"]
LABEL = re.compile(
    r'<text[^>]*transform="translate\(([-\d.]+),[-\d.]+\)(?: rotate\(([-\d.]+)\))?[^"]*"[^>]*'
    r'font-size="([\d.]+)px"[^>]*opacity="([\d.]+)"[^>]*>([^<]*)</text>'
)


def test_six_hidden_layers_keep_every_layer_name_readable_output_included():
    rows = [
        dict(run=run, layer=layer, epoch=epoch, size=10.0**-i, what="gradient")
        for run in ("sigmoid net", "relu net")
        for i, layer in enumerate(LAYERS)
        for epoch in (1, 2)
    ]
    svg = chart_file(gradient_by_layer(pd.DataFrame(rows)).spec(), "svg").decode()
    labels = [m for m in LABEL.findall(svg) if m[4] in LAYERS][: len(LAYERS)]  # the first panel
    assert [m[4] for m in labels] == LAYERS
    assert all(float(m[3]) == 1 for m in labels)  # none hidden
    for (x0, angle, size, _, name0), (x1, _, _, _, name1) in zip(labels, labels[1:]):
        gap, size = float(x1) - float(x0), float(size)
        turn = math.radians(float(angle or 0))
        if abs(math.sin(turn)) < 1e-6:  # side by side: half of each name's width must fit
            assert gap >= 0.3 * size * (len(name0) + len(name1)), (name0, name1)
        else:  # slanted: parallel lines of text, a font size apart at least
            assert gap * abs(math.sin(turn)) >= size, (name0, name1)
