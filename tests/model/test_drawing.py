"""model/drawing.py against hand-worked numbers (docs/math.md, section 7) and against MNIST itself.

No Qt: a drawing here is a NumPy canvas, ink high.
"""

import numpy as np
import pytest

from model import digits_style, draw_segment, load_dataset, mnist_style, preprocess_drawing
from model.drawing import area_weights, centre_of_mass, fit_box, resample_area


def bar(shape, rows, cols) -> np.ndarray:
    canvas = np.zeros(shape)
    canvas[rows[0] : rows[1], cols[0] : cols[1]] = 1.0
    return canvas


def test_area_weights_by_hand():
    # Three input pixels into two: each output covers 1.5 inputs.
    expected = np.array([[1, 0.5, 0], [0, 0.5, 1]]) / 1.5
    np.testing.assert_allclose(area_weights(3, 2), expected)
    np.testing.assert_allclose(resample_area(np.array([[1.0, 0.0, 0.0]]), (1, 2)), [[2 / 3, 0]])


@pytest.mark.parametrize("corner", [(10, 80), (0, 0), (40, 3), (35, 94)])
def test_a_vertical_bar_anywhere_comes_out_centred(corner):
    # A 60 x 6 bar: scale 20/60 gives 20 x 2 of full ink (each output column is 3 full inputs).
    r, c = corner
    image = mnist_style(bar((100, 100), (r, r + 60), (c, c + 6)))
    expected = np.zeros((28, 28), np.float32)
    # Centre of mass of the 20 x 2 block is (9.5, 0.5); round(14 - 9.5) = 4, round(13.5) = 14.
    expected[4:24, 14:16] = 1.0
    np.testing.assert_array_equal(image, expected)
    row, col = centre_of_mass(image)
    assert abs(row - 14) <= 0.5 and abs(col - 14) <= 0.5


def test_an_off_centre_shape_is_centred_by_mass_not_by_box():
    # An L: its box is centred differently from its mass.
    canvas = bar((90, 90), (10, 70), (20, 26)) + bar((90, 90), (64, 70), (20, 80))
    image = mnist_style(np.clip(canvas, 0, 1))
    row, col = centre_of_mass(image)
    assert abs(row - 14) <= 0.5 and abs(col - 14) <= 0.5


def test_the_fit_keeps_the_aspect_a_wide_stroke_stays_wide():
    # 10 x 80: scale 20/80 gives round(2.5) = 2 rows (each 5 full inputs) by 20 columns.
    fitted = fit_box(bar((50, 100), (20, 30), (10, 90)), 20)
    np.testing.assert_array_equal(fitted, np.ones((2, 20)))
    image = mnist_style(bar((50, 100), (20, 30), (10, 90)))
    rows = np.flatnonzero(image.any(axis=1))
    cols = np.flatnonzero(image.any(axis=0))
    assert (len(rows), len(cols)) == (2, 20)


def test_the_box_fit_conserves_ink_up_to_the_resampling_scale():
    rng = np.random.default_rng(1)
    canvas = np.zeros((120, 90))
    canvas[13:101, 20:71] = rng.random((88, 51))
    fitted = fit_box(canvas, 20)
    # 88 x 51 into 20 x round(51 * 20/88) = 20 x 12: ink scales by (20/88)(12/51) exactly.
    assert fitted.shape == (20, 12)
    assert fitted.sum() == pytest.approx(canvas.sum() * (20 / 88) * (12 / 51), rel=1e-12)


def test_values_are_float32_in_0_1_even_for_ink_beyond_1():
    canvas = np.zeros((64, 64))
    canvas[5:60, 30:34] = 3.0  # clipped to full ink first
    image = mnist_style(canvas)
    assert image.dtype == np.float32 and image.shape == (28, 28)
    assert image.min() >= 0 and image.max() == 1.0


def test_an_empty_canvas_gives_none():
    assert mnist_style(np.zeros((280, 280))) is None
    assert digits_style(np.zeros((280, 280))) is None
    assert preprocess_drawing(np.zeros((50, 50)), (28, 28)) is None
    assert preprocess_drawing(np.zeros((50, 50)), (8, 8)) is None


def test_mnist_images_enlarged_tenfold_come_back_unchanged():
    """MNIST's own images were made this way: box 20, mass at (14, 14) by whole pixels."""
    X = load_dataset("mnist").X_test[:300]
    same = 0
    for row in X:
        image = row.reshape(28, 28)
        same += np.abs(mnist_style(np.kron(image, np.ones((10, 10)))) - image).max() < 1e-5
    assert same >= 0.99 * len(X)


def test_digits_style_by_hand():
    # A 64 x 8 bar: scale 32/64 gives 32 x 4 of full ink, centred at columns 14..17 of the
    # 32 x 32 bitmap; blocks 3 (columns 12..15) and 4 (16..19) are half ink: level 8 of 16.
    image = digits_style(bar((100, 100), (20, 84), (50, 58)))
    expected = np.zeros((8, 8), np.float32)
    expected[:, 3:5] = 8 / 16
    np.testing.assert_array_equal(image, expected)


def test_digits_style_levels_are_the_datasets():
    """Levels 0..16 divided by 16, as model/datasets/builtin.py scales the digits rows."""
    rng = np.random.default_rng(2)
    image = digits_style(rng.random((200, 150)) ** 4)
    levels = image * 16
    np.testing.assert_array_equal(levels, np.rint(levels))
    dataset_levels = set(np.unique(load_dataset("digits").X_test * 16))
    assert set(np.unique(levels)) <= dataset_levels
    assert image.dtype == load_dataset("digits").X_test.dtype


def test_preprocess_drawing_picks_the_datasets_way():
    canvas = bar((100, 100), (20, 84), (50, 58))
    np.testing.assert_array_equal(preprocess_drawing(canvas, (8, 8)), digits_style(canvas).ravel())
    np.testing.assert_array_equal(preprocess_drawing(canvas, (28, 28)), mnist_style(canvas).ravel())


def test_a_dab_of_the_brush_by_hand():
    canvas = np.zeros((11, 11))
    # Radius 2, softness 2: full ink within 2 of the centre, half at 3, none from 4.
    rect = draw_segment(canvas, (5.5, 5.5), (5.5, 5.5), radius=2, softness=2)
    assert rect == (1, 1, 10, 10)
    assert canvas[5, 5] == 1 and canvas[5, 7] == 1  # distances 0 and 2
    assert canvas[5, 8] == pytest.approx(0.5)  # distance 3
    assert canvas[5, 9] == 0  # distance 4
    before = canvas.copy()
    draw_segment(canvas, (5.5, 5.5), (5.5, 5.5), radius=2, softness=2)
    np.testing.assert_array_equal(canvas, before)  # max, not a sum: no darker overlaps


def test_a_stroke_inks_the_segment_and_stays_on_the_canvas():
    canvas = np.zeros((20, 20))
    rect = draw_segment(canvas, (10.5, -5.0), (10.5, 30.0), radius=1, softness=1)
    assert rect == (8, 0, 13, 20)
    np.testing.assert_array_equal(canvas[10], np.ones(20))
    assert draw_segment(canvas, (-50, -50), (-40, -40), radius=1) is None
