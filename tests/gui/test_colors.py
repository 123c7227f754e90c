"""SmoothSymmetricLevels: symmetric colour levels that jump up, ease down, ignore outliers."""

import numpy as np
import pytest

from gui.colors import SmoothSymmetricLevels, diverging_colormap


def test_levels_cover_the_largest_value_and_are_symmetric():
    levels = SmoothSymmetricLevels()
    assert levels.update(np.array([-0.3, 0.1, 0.2])) == (-0.3, 0.3)


def test_levels_jump_up_then_ease_down_by_the_decay():
    levels = SmoothSymmetricLevels(decay=0.5)
    levels.update(np.array([1.0]))
    assert levels.update(np.array([4.0])) == (-4.0, 4.0)
    assert levels.update(np.array([2.0])) == (-3.0, 3.0)  # half the gap
    assert levels.update(np.array([2.0])) == (-2.5, 2.5)


def test_a_quantile_lets_outliers_saturate():
    values = np.concatenate([np.linspace(-1, 1, 999), [50.0]])
    levels = SmoothSymmetricLevels(quantile=0.99)
    lo, hi = levels.update(values)
    assert hi == pytest.approx(np.quantile(np.abs(values), 0.99)) and hi < 1.0


def test_non_finite_values_are_ignored_and_the_floor_holds():
    levels = SmoothSymmetricLevels(floor=1e-3)
    assert levels.update(np.array([np.nan, np.inf, 0.0])) == (-1e-3, 1e-3)
    assert levels.update(np.array([])) == (-1e-3, 1e-3)


def test_the_diverging_map_is_white_at_zero_blue_below_red_above():
    cmap = diverging_colormap()
    low, mid, high = (cmap.map(x, mode="byte")[:3] for x in (0.0, 0.5, 1.0))
    assert min(mid) > 200  # near white in the middle
    assert low[2] > low[0] and high[0] > high[2]
