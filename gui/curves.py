"""Pure NumPy helpers for the loss curves: a moving mean, and minibatch steps as epochs."""

from __future__ import annotations

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
