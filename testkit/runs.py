"""Two runs of one config compared to the bit, however each was computed (trained alone, cut from a
longer run, trained on from a shorter one)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd


def assert_same_run(a, b) -> None:
    """Every field of runs `a` and `b` equal to the bit and of the same types, but `elapsed` (the
    time they took)."""
    for field in dataclasses.fields(a):
        if field.name != "elapsed":
            _assert_same(getattr(a, field.name), getattr(b, field.name), field.name)


def _assert_same(x, y, where: str) -> None:
    assert type(x) is type(y), f"{where}: {type(x).__name__} and {type(y).__name__}"
    if isinstance(x, pd.DataFrame):
        pd.testing.assert_frame_equal(x, y, check_exact=True, check_index_type=True, obj=where)
    elif isinstance(x, np.ndarray):
        assert (x.dtype, x.shape) == (y.dtype, y.shape) and x.tobytes() == y.tobytes(), where
    elif isinstance(x, (list, tuple)):
        assert len(x) == len(y), where
        for i, (p, q) in enumerate(zip(x, y)):
            _assert_same(p, q, f"{where}[{i}]")
    else:
        assert x == y, where
