"""Numbers written for people: "12,000", "3.4 million", "0.0012", never "1.19e+04"."""

from __future__ import annotations

import math

WORDS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def readable(x: float, digits: int = 2) -> str:
    """`x` rounded to `digits` significant figures in plain notation with thousands separators;
    millions, billions and trillions in words; beyond that, or below 0.0001, a power of ten
    ("3.4 × 10¹⁵")."""
    x = float(x)
    if not math.isfinite(x):
        return "infinite" if math.isinf(x) else "not a number"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    x = abs(x)
    exponent = math.floor(math.log10(x))
    rounded = round(x, digits - 1 - exponent)
    exponent = math.floor(math.log10(rounded))  # 9,999 rounds up to 10,000
    if rounded >= 1e15 or rounded < 1e-4:
        mantissa = f"{rounded / 10**exponent:.{digits - 1}f}".rstrip("0").rstrip(".")
        return f"{sign}{mantissa} × 10{str(exponent).translate(SUPERSCRIPT)}"
    for size, word in WORDS:
        if rounded >= size:
            return f"{sign}{_plain(rounded / size, digits - 1 - (exponent - round(math.log10(size))))} {word}"
    return sign + _plain(rounded, digits - 1 - exponent)


def _plain(x: float, decimals: int) -> str:
    text = f"{x:,.{max(decimals, 0)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def times(ratio: float) -> str:
    """How a size compares with another as people say it: "12,000× smaller", "3.5× larger"."""
    if not (ratio > 0 and math.isfinite(ratio)):
        return "not comparable"
    if ratio < 1:
        return f"{readable(1 / ratio)}× smaller"
    return f"{readable(ratio)}× larger"
