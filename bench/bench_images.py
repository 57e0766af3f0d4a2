"""Digit thumbnails: what the pictures cost the data page's pairplot and the comparison maps.

The baseline is the same chart without pictures (a non-picture data set of the same size is
not at hand, so the digits' pictures are dropped by hand), built in the same run.

    python bench/bench_images.py
"""

from __future__ import annotations

import json
from unittest import mock

from common import print_table, seconds, summary

from lib import images
from lib.charts import data
from lib.charts.common import vega_lite
from lib.datasets import load_dataset


def spec_bytes(spec: dict) -> int:
    rows = {name: frame.to_dict("records") for name, frame in spec["datasets"].items()}
    return len(json.dumps({**spec, "datasets": rows}))


def main() -> None:
    digits = load_dataset("digits")
    features = ["pixel_3_3", "pixel_4_4", "pixel_5_2", "pixel_2_5"]
    images._CACHE.clear()
    first = seconds(lambda: images.thumbnails(digits), repeat=1)  # made once per data set
    cached = seconds(lambda: images.thumbnails(digits), repeat=5)
    with_pictures = seconds(lambda: vega_lite(data.scatter_matrix(digits, features)))
    size_with = spec_bytes(vega_lite(data.scatter_matrix(digits, features)))
    with mock.patch.object(images, "image_shape", return_value=None):
        without = seconds(lambda: vega_lite(data.scatter_matrix(digits, features)))
        size_without = spec_bytes(vega_lite(data.scatter_matrix(digits, features)))
    print_table(
        "Digit pictures (1,797 rows)",
        [
            ("make every thumbnail (first time)", f"{first * 1000:.0f} ms", ""),
            ("thumbnails again (cached)", f"{cached * 1000:.2f} ms", ""),
            (
                "pairplot spec with pictures",
                f"{with_pictures * 1000:.0f} ms",
                f"{with_pictures / without:.2f}×",
            ),
            ("pairplot spec without pictures", f"{without * 1000:.0f} ms", "1.00×"),
            ("pairplot JSON with pictures", f"{size_with / 1e3:.0f} kB", f"{size_with / size_without:.2f}×"),
            ("pairplot JSON without pictures", f"{size_without / 1e3:.0f} kB", "1.00×"),
        ],
        ("what", "value", "vs without"),
    )
    summary("digit thumbnails, first time", first * 1000, "ms", baseline="cached", ratio=first / cached)
    summary(
        "pairplot JSON with pictures",
        size_with / 1e3,
        "kB",
        baseline="without pictures",
        ratio=size_with / size_without,
    )


if __name__ == "__main__":
    main()
