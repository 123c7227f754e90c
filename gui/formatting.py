"""Numbers as the screen shows them: short whatever their size (a diverging loss is 1.2e+73,
not three hundred digits), the same way in every panel."""

from __future__ import annotations

import math


def compact(value: float, digits: int = 4) -> str:
    """`value` in at most about digits + 6 characters: 0.3255, 12.5, 1.2e+73, nan, inf.

    Fixed notation from 1e-3 up to 10**digits, scientific outside it, so a column of changing
    values keeps its width.
    """
    value = float(value)
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "−inf")
    magnitude = abs(value)
    if magnitude != 0 and not 1e-3 <= magnitude < 10**digits:
        return f"{value:.{max(1, digits - 3)}e}"
    if magnitude == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(magnitude)))  # digits significant
    return f"{value:.{decimals}f}"


def percent(fraction: float) -> str:
    """A fraction as a percentage with one decimal (88.8 %), or "-" for none yet."""
    fraction = float(fraction)
    return "-" if not math.isfinite(fraction) else f"{100 * fraction:.1f}%"


_SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def subscript(n: int) -> str:
    """n in Unicode subscript digits ("a" + subscript(7) is "a₇"): the text's own size, where
    rich text's <sub> is two thirds of it (under 18 px in presentation mode)."""
    return str(n).translate(_SUBSCRIPT_DIGITS)
