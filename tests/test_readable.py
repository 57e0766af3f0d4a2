"""Numbers written for people in the insight boxes."""

import math

import pytest

from lib.readable import readable, times


@pytest.mark.parametrize(
    "x, text",
    [
        (11_900, "12,000"),
        (1.19e4, "12,000"),
        (9_999, "10,000"),
        (3.456, "3.5"),
        (1, "1"),
        (0.5, "0.5"),
        (0.0012, "0.0012"),
        (3.4e6, "3.4 million"),
        (7e12, "7 trillion"),
        (3.4e15, "3.4 × 10¹⁵"),
        (1.2e-5, "1.2 × 10⁻⁵"),
        (-11_900, "-12,000"),
        (0, "0"),
        (math.inf, "infinite"),
    ],
)
def test_numbers_are_written_as_people_write_them(x, text):
    assert readable(x) == text
    assert "e+" not in readable(x) and "e-" not in readable(x)


def test_a_ratio_says_smaller_or_larger():
    assert times(1 / 11_900) == "12,000× smaller"
    assert times(3.46) == "3.5× larger"
    assert times(float("nan")) == "not comparable"
