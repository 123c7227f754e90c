"""Pure NumPy helpers for the loss curves: a moving mean, and minibatch steps as epochs."""

from __future__ import annotations

import math

import numpy as np

from model import TrainingSnapshot

#: The smoothing window covers about this fraction of the points on each side.
SMOOTH_FRACTION = 0.02
MIN_SMOOTH_HALF_WIDTH = 2


def smoothing_half_width(n_points: int) -> int:
    """Half-width h of the moving-mean window (2h + 1 points) for a history of n_points."""
    return max(int(n_points * SMOOTH_FRACTION), MIN_SMOOTH_HALF_WIDTH)


def moving_mean(values: np.ndarray, half_width: int) -> np.ndarray:
    """Moving mean over up to 2 * half_width + 1 points, as long as `values`.

    In the middle the window is centred. Near the start it shrinks symmetrically, so the
    smoothed line starts where the loss starts (a one-sided window would pull the steep first
    descent down). Near the end it keeps half_width points behind and what there is ahead, so
    the newest end follows the latest minibatches without jumping with each one.
    Each output is a mean of inputs, so it lies within their [min, max]. O(N) through one
    cumulative sum, no loop per point.
    """
    values = np.asarray(values, dtype=np.float64)
    n = len(values)
    if n == 0:
        return np.empty(0)
    # Scale to at most 1 first: the losses of a run about to diverge (1e300) would overflow
    # a plain cumulative sum.
    scale = float(np.abs(values).max()) or 1.0
    cumulative = np.concatenate(([0.0], np.cumsum(values / scale)))
    index = np.arange(n)
    behind = np.minimum(index, half_width)
    ahead = np.minimum(behind, n - 1 - index)
    lo = index - behind
    hi = index + ahead + 1
    mean = (cumulative[hi] - cumulative[lo]) / (hi - lo) * scale
    # Rounding in the cumulative sum must not push a mean outside the data's range.
    return np.clip(mean, values.min(), values.max())


def window_words(window: int) -> str:
    """The smoothing window in the legend: exact up to 100 minibatches, above it the nearest
    "nice" number (NICE_MANTISSAS, within 16 %). A binned history's window grows with
    every new point; a legend text set anew re-lays out and repaints the legend, so it may
    change about ten times a decade, not on every frame."""
    if window <= 100:
        return f"{window:,}"
    exponent = math.floor(math.log10(window))
    nice = [m * 10**exponent for m in NICE_MANTISSAS]
    nearest = min(nice, key=lambda v: abs(math.log(v / window)))
    return f"about {round(nearest):,}"


#: A minibatch history longer than this is drawn as this many bins (no screen is wider).
MAX_BINS = 2000
#: While the loss plot follows the data, about one bin per pixel column of the plot, at least
#: this many.
MIN_BINS = 200


def bin_envelope(
    x: np.ndarray, y: np.ndarray, max_bins: int = MAX_BINS
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x, low, high, mean) of y in consecutive bins of equal count, at most about max_bins.

    x of a bin is its mean. The last bin may be shorter. Drawing each bin's low and high keeps
    every spike of a 200,000-point history on screen; setting 2,000 bins instead of 200,000
    points makes a frame cheap however long training runs.
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n = len(y)
    factor = max(1, -(-n // max_bins))
    full = n // factor * factor
    parts = [(x[:full].reshape(-1, factor), y[:full].reshape(-1, factor))]
    if full < n:
        parts.append((x[full:][None, :], y[full:][None, :]))
    xs, lows, highs, means = [], [], [], []
    for bx, by in parts:
        xs.append(bx.mean(axis=1))
        lows.append(by.min(axis=1))
        highs.append(by.max(axis=1))
        means.append(by.mean(axis=1))
    return tuple(np.concatenate(v) for v in (xs, lows, highs, means))


def minibatch_lines(
    x: np.ndarray, losses: np.ndarray, max_bins: int = MAX_BINS
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[np.ndarray]]:
    """What the loss plot draws of a minibatch history at x: (band x, band y, smooth x,
    smooth y, the loss values the band spans). Up to max_bins points as they are; longer,
    each bin's low and high (so every spike stays) and a moving mean of the bins' means."""
    half_width = smoothing_half_width(len(losses))
    if len(losses) > max_bins:
        bx, low, high, mean = bin_envelope(x, losses, max_bins)
        factor = len(losses) / len(bx)
        smooth = moving_mean(mean, max(1, round(half_width / factor)))
        return np.repeat(bx, 2), np.column_stack([low, high]).ravel(), bx, smooth, [low, high]
    return x, losses, x, moving_mean(losses, half_width), [losses]


def steps_to_epochs(steps: np.ndarray, snapshot: TrainingSnapshot) -> np.ndarray:
    """Epochs at the given minibatch steps.

    Between evaluations, interpolate their (step, epoch) pairs: they are exact even when the
    batch size changed during training. Outside them, extend with the current steps_per_epoch.
    """
    steps = np.asarray(steps, dtype=np.float64)
    eval_steps = np.asarray(snapshot.eval_steps, dtype=np.float64)
    eval_epochs = np.asarray(snapshot.eval_epochs, dtype=np.float64)
    per_epoch = float(max(snapshot.steps_per_epoch, 1))
    if len(eval_steps) == 0:
        return steps / per_epoch
    epochs = np.interp(steps, eval_steps, eval_epochs)
    # np.interp holds the end values constant outside the evaluations; continue the slope.
    after = steps > eval_steps[-1]
    epochs[after] = eval_epochs[-1] + (steps[after] - eval_steps[-1]) / per_epoch
    before = steps < eval_steps[0]
    epochs[before] = eval_epochs[0] - (eval_steps[0] - steps[before]) / per_epoch
    return epochs


#: Mantissas of the "nice" range ends: each next one at most 25 % further.
NICE_MANTISSAS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(value: float) -> float:
    """The smallest m * 10**k >= value with m in NICE_MANTISSAS (value > 0).

    Ranges that end at these values change about eleven times a decade as the data grow, not
    on every new point, so the axes and grid are redrawn rarely.
    """
    exponent = np.floor(np.log10(value))
    for mantissa in NICE_MANTISSAS:
        candidate = float(mantissa * 10.0**exponent)
        if candidate >= value * (1 - 1e-12):
            return candidate
    return float(10.0 ** (exponent + 1))


def following_x_range(first: float, last: float, min_range: float) -> tuple[float, float]:
    """An x-range from the first point to a little past the last, ending at a nice value."""
    span = max(last - first, min_range)
    return first, first + nice_ceiling(span * 1.05)


def following_loss_range(low: float, high: float, log: bool) -> tuple[float, float] | None:
    """A y-range for losses between `low` and `high` (finite, >= 0): from 0 to a nice value
    above `high`; on a log axis (log10 units) whole half-decades around them. None: no data."""
    if not (np.isfinite(low) and np.isfinite(high)):
        return None
    if not log:
        return 0.0, nice_ceiling(max(high, 1e-12) * 1.05)
    low, high = max(low, 1e-300), max(high, 1e-300)
    return float(np.floor(2 * np.log10(low)) / 2), float(np.ceil(2 * np.log10(high)) / 2)
