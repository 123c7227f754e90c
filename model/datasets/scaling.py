"""How a run scales the inputs it trains on: pixels / 255 into [0, 1] ("unit", the default) or
the raw 0-255 pixel values ("raw", the classic mistake lesson 3 shows).

A Dataset always holds rows in [0, 1]; the training run multiplies them by `input_factor` once,
when it casts them. With raw pixels the gradient dL/dW = (a - e_y) x^T is 255 times larger and
z = W x 255 times more sensitive to W, so the same learning rate takes a step about 255^2 times
too large for the scaled problem (docs/math.md, section 3).
"""

from __future__ import annotations

__all__ = ["INPUT_SCALES", "input_factor", "input_scale_name", "input_scale_words"]

#: Name -> (factor the [0, 1] rows are multiplied by, what the user reads).
INPUT_SCALES: dict[str, tuple[float, str]] = {
    "unit": (1.0, "scaled 0-1"),
    "raw": (255.0, "raw 0-255"),
}


def input_factor(name: str) -> float:
    """The factor [0, 1] rows are multiplied by for input scaling `name` (ValueError: unknown)."""
    try:
        return INPUT_SCALES[name][0]
    except (KeyError, TypeError):
        raise ValueError(
            f"input_scale must be one of {sorted(INPUT_SCALES)}, got {name!r}"
        ) from None


def input_scale_name(factor: float) -> str:
    """The name of the input scaling that multiplies by `factor` (ValueError: none does)."""
    for name, (known, _) in INPUT_SCALES.items():
        if not isinstance(factor, bool) and factor == known:
            return name
    raise ValueError(f"no input scaling multiplies by {factor!r}")


def input_scale_words(name: str) -> str:
    """ "scaled 0-1" or "raw 0-255": the input scaling as the user reads it."""
    input_factor(name)
    return INPUT_SCALES[name][1]
