"""How the weights panel paints one class template, device pixel by device pixel (issue 14:
"the weights' pixels are square and crisp" on a screen with a scale factor).

Each device pixel of the painted tile is traced back to the weight under its centre. Crisp: its
colour is that weight's colour, or (a pixel whose centre lies within a device pixel of a
weight's edge, where rasterisers round either way) a neighbour's; any other colour is a blend.
Square: each weight is a block of whole device pixels, as wide as it is tall and as wide as
every other (k x k for some integer k).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage

#: Colour difference (per channel, 0-255) still counted as the same colour: format rounding.
SAME_COLOUR = 1


def image_rgb(image: QImage) -> np.ndarray:
    """An image as an (h, w, 3) uint8 array."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    pixels = rows[:, : 4 * image.width()].reshape(image.height(), image.width(), 4)
    return pixels[..., 2::-1].copy()  # a copy: the buffer goes with the converted image


def _runs(indices: np.ndarray) -> list[int]:
    """Lengths of the runs of equal values, without the first and last (cut by the edges)."""
    edges = np.flatnonzero(np.diff(indices)) + 1
    lengths = np.diff(np.concatenate([[0], edges, [len(indices)]]))
    return [int(n) for n in lengths[1:-1]]


def template_pixels(panel, i: int, png: str | None = None) -> dict:
    """Class i's template in `panel` (a WeightsPanel showing image data), as painted."""
    mosaic = panel.templates
    r, c = divmod(i, mosaic.cols)
    item = mosaic.row_images[r]
    x0 = c * (mosaic.w + mosaic.gap)
    view = panel.view
    grab = view.viewport().grab()
    if png:
        grab.save(png)
    dpr = grab.devicePixelRatio()
    painted = image_rgb(grab.toImage()).astype(int)
    # The tile in the viewport's logical pixels, then in device pixels.
    scene = item.mapRectToScene(QRectF(x0, 0, mosaic.w, mosaic.h))
    rect = view.viewportTransform().mapRect(scene)
    left, top = rect.left() * dpr, rect.top() * dpr
    cell_w, cell_h = rect.width() * dpr / mosaic.w, rect.height() * dpr / mosaic.h
    # Each weight's colour, as the image item renders it (one QImage pixel per weight).
    colours = image_rgb(item.qimage)[:, x0 : x0 + mosaic.w].astype(int)

    xs = np.arange(int(np.ceil(left - 0.5)), int(np.floor(left + rect.width() * dpr - 0.5)) + 1)
    ys = np.arange(int(np.ceil(top - 0.5)), int(np.floor(top + rect.height() * dpr - 0.5)) + 1)
    xs = xs[(xs >= 0) & (xs < painted.shape[1])]
    ys = ys[(ys >= 0) & (ys < painted.shape[0])]
    u = (xs + 0.5 - left) / cell_w  # weight column (fractional) under each pixel centre
    v = (ys + 0.5 - top) / cell_h
    col = np.clip(np.floor(u).astype(int), 0, mosaic.w - 1)
    row = np.clip(np.floor(v).astype(int), 0, mosaic.h - 1)
    shown = painted[np.ix_(ys, xs)]
    assigned_col = np.full(shown.shape[:2], -1)
    assigned_row = np.full(shown.shape[:2], -1)
    near_x = np.minimum(u - np.floor(u), np.ceil(u) - u) * cell_w < 1  # within a pixel of an edge
    near_y = np.minimum(v - np.floor(v), np.ceil(v) - v) * cell_h < 1
    for dr in (0, -1, 1):
        for dc in (0, -1, 1):
            rr, cc = np.clip(row + dr, 0, mosaic.h - 1), np.clip(col + dc, 0, mosaic.w - 1)
            candidate = colours[np.ix_(rr, cc)]
            allowed = np.ones(shown.shape[:2], bool)
            if dr:
                allowed &= near_y[:, None]
            if dc:
                allowed &= near_x[None, :]
            match = allowed & (np.abs(shown - candidate).max(axis=-1) <= SAME_COLOUR)
            match &= assigned_col < 0
            assigned_row[match] = rr[:, None].repeat(len(xs), 1)[match]
            assigned_col[match] = cc[None, :].repeat(len(ys), 0)[match]
    exact = np.abs(shown - colours[np.ix_(row, col)]).max(axis=-1) <= SAME_COLOUR
    blended = assigned_col < 0
    middle_y, middle_x = len(ys) // 2, len(xs) // 2
    return {
        "device_pixel_ratio": dpr,
        "tile_device_rect": [round(x * dpr, 2) for x in rect.getRect()],
        "device_pixels_per_weight": [round(cell_w, 3), round(cell_h, 3)],
        "pixels": int(exact.size),
        "exact": int(exact.sum()),
        "rounded_at_edges": int((~exact & ~blended).sum()),
        "blended": int(blended.sum()),
        "block_widths": sorted(set(_runs(assigned_col[middle_y]))),
        "block_heights": sorted(set(_runs(assigned_row[:, middle_x]))),
    }
