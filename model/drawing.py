"""A drawn digit made into a dataset row the way the dataset's own images were made.

Not a drawing program: the brush (`draw_segment`) and the preprocessing (`mnist_style`,
`digits_style`) only, on NumPy arrays; the GUI's canvas calls them. Ink is high: a canvas is a
float (H, W) array in [0, 1], 0 paper, 1 full ink. docs/math.md, section 7, says the steps.
"""

from __future__ import annotations

import numpy as np

#: MNIST: the ink's bounding box fitted into 20 x 20, centred by mass in 28 x 28.
MNIST_SHAPE = (28, 28)
MNIST_BOX = 20
#: UCI optdigits: a 32 x 32 bitmap, its 4 x 4 blocks counted to levels 0..16.
DIGITS_BITMAP = 32
DIGITS_BLOCK = 4


def draw_segment(
    canvas: np.ndarray,
    start: tuple[float, float],
    end: tuple[float, float],
    radius: float,
    softness: float = 1.5,
) -> tuple[int, int, int, int] | None:
    """Ink a round-ended stroke from `start` to `end` ((row, col), pixel centres at i + 0.5)
    into `canvas` (H, W) in place, as the maximum of old and new ink; return the rectangle
    changed, (row0, col0, row1, col1) with row1, col1 exclusive (None: off the canvas).

    Ink is 1 within `radius` of the segment and falls linearly to 0 over `softness` pixels
    beyond it: an anti-aliased edge; max, not a sum, so overlapping dabs do not darken.
    """
    (r0, c0), (r1, c1) = start, end
    reach = radius + softness
    rows = slice(max(0, int(np.floor(min(r0, r1) - reach))), int(np.ceil(max(r0, r1) + reach)))
    cols = slice(max(0, int(np.floor(min(c0, c1) - reach))), int(np.ceil(max(c0, c1) + reach)))
    rows = slice(rows.start, min(rows.stop, canvas.shape[0]))
    cols = slice(cols.start, min(cols.stop, canvas.shape[1]))
    if rows.start >= rows.stop or cols.start >= cols.stop:
        return None
    pr = np.arange(rows.start, rows.stop)[:, None] + 0.5
    pc = np.arange(cols.start, cols.stop)[None, :] + 0.5
    dr, dc = r1 - r0, c1 - c0
    length2 = dr * dr + dc * dc
    # The nearest point of the segment: its parameter t clipped to [0, 1].
    t = np.clip(((pr - r0) * dr + (pc - c0) * dc) / length2, 0, 1) if length2 > 0 else 0.0
    distance = np.hypot(pr - (r0 + t * dr), pc - (c0 + t * dc))
    ink = np.clip((reach - distance) / softness, 0, 1)
    np.maximum(canvas[rows, cols], ink, out=canvas[rows, cols])
    return rows.start, cols.start, rows.stop, cols.stop


def ink_box(canvas: np.ndarray) -> tuple[int, int, int, int] | None:
    """The bounding box of the ink, (row0, col0, row1, col1) exclusive; None for no ink."""
    rows = np.flatnonzero(canvas.max(axis=1) > 0)
    if rows.size == 0:
        return None
    cols = np.flatnonzero(canvas.max(axis=0) > 0)
    return int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1


def area_weights(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) weights of area-averaging resampling along one axis.

    Output pixel i covers input [i L, (i + 1) L), L = n_in / n_out; its value is the mean of the
    input over that interval: the overlap of each input pixel with it, divided by L. Every
    column sums to 1 / L, so the total ink scales by exactly n_out / n_in.
    """
    step = n_in / n_out
    lo = np.arange(n_out)[:, None] * step
    j = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(lo + step, j + 1) - np.maximum(lo, j), 0, None)
    return overlap / step


def resample_area(image: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """`image` (h, w) resampled to `shape` by area averaging (anti-aliased; NumPy only)."""
    rows = area_weights(image.shape[0], shape[0])
    cols = area_weights(image.shape[1], shape[1])
    return rows @ image @ cols.T


def fit_box(canvas: np.ndarray, box: int) -> np.ndarray | None:
    """The ink's bounding box scaled so its longer side is `box` pixels, keeping its aspect
    (the shorter side rounded, at least 1 pixel); None for an empty canvas."""
    found = ink_box(canvas)
    if found is None:
        return None
    r0, c0, r1, c1 = found
    crop = np.asarray(canvas[r0:r1, c0:c1], dtype=np.float64)
    scale = box / max(crop.shape)
    shape = tuple(max(1, round(n * scale)) for n in crop.shape)
    return resample_area(crop, shape)


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, col) of the ink's centre of mass, in pixel indices."""
    total = image.sum()
    rows = (image.sum(axis=1) * np.arange(image.shape[0])).sum() / total
    cols = (image.sum(axis=0) * np.arange(image.shape[1])).sum() / total
    return float(rows), float(cols)


def paste(image: np.ndarray, shape: tuple[int, int], top: int, left: int) -> np.ndarray:
    """A zero (shape) frame with `image` placed at (top, left), cut to the frame."""
    out = np.zeros(shape)
    r0, c0 = max(0, top), max(0, left)
    r1 = min(shape[0], top + image.shape[0])
    c1 = min(shape[1], left + image.shape[1])
    if r0 < r1 and c0 < c1:
        out[r0:r1, c0:c1] = image[r0 - top : r1 - top, c0 - left : c1 - left]
    return out


def mnist_style(
    canvas: np.ndarray, shape: tuple[int, int] = MNIST_SHAPE, box: int = MNIST_BOX
) -> np.ndarray | None:
    """A drawing (H, W), ink high in [0, 1], as MNIST made its images: the ink's bounding box
    fitted into box x box keeping its aspect (area averaging), then shifted by whole pixels so
    its centre of mass sits at the frame's centre (row, col) = (14, 14) in 28 x 28, the part
    outside the frame cut off. Returns `shape` float32 in [0, 1]; None for an empty canvas."""
    fitted = fit_box(np.clip(canvas, 0, 1), box)
    if fitted is None:
        return None
    com_row, com_col = centre_of_mass(fitted)
    top = round(shape[0] / 2 - com_row)
    left = round(shape[1] / 2 - com_col)
    return np.clip(paste(fitted, shape, top, left), 0, 1).astype(np.float32)


def digits_style(canvas: np.ndarray) -> np.ndarray | None:
    """A drawing (H, W) as the UCI 8 x 8 digits were made: the ink's bounding box fitted into
    a 32 x 32 bitmap keeping its aspect, centred; each 4 x 4 block's mean ink as a level
    0..16 (rounded); divided by 16 as the app's digits rows are (model/datasets/builtin.py).
    Returns (8, 8) float32 in [0, 1]; None for an empty canvas."""
    fitted = fit_box(np.clip(canvas, 0, 1), DIGITS_BITMAP)
    if fitted is None:
        return None
    side = DIGITS_BITMAP
    top, left = (side - fitted.shape[0]) // 2, (side - fitted.shape[1]) // 2
    bitmap = paste(fitted, (side, side), top, left)
    n = side // DIGITS_BLOCK
    blocks = bitmap.reshape(n, DIGITS_BLOCK, n, DIGITS_BLOCK).mean(axis=(1, 3))
    levels = np.rint(blocks * 16)
    return (levels / np.float32(16)).astype(np.float32)


def preprocess_drawing(canvas: np.ndarray, image_shape: tuple[int, int]) -> np.ndarray | None:
    """The drawing as a dataset row (D,) for images of `image_shape`: digits' way for 8 x 8,
    MNIST's otherwise (the box 20/28 of the frame); None for an empty canvas."""
    if tuple(image_shape) == (8, 8):
        image = digits_style(canvas)
    else:
        box = round(min(image_shape) * MNIST_BOX / MNIST_SHAPE[0])
        image = mnist_style(canvas, tuple(image_shape), box)
    return None if image is None else image.ravel()
