"""Colour maps and colour levels shared by the panels.

Weights and the Jacobian use one diverging map centred on 0 (blue negative, white zero, red
positive), with levels symmetric about 0, so the same colour means the same sign everywhere.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

#: Blue - white - red, perceptually uniform (colorcet's diverging_bwr_40-95_c42).
DIVERGING = "CET-D1"


def diverging_colormap() -> pg.ColorMap:
    return pg.colormap.get(DIVERGING)


#: Categorical colours for classes (blobs regions, curves): distinguishable on a projector.
CLASS_COLORS = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
]


def class_color(i: int) -> tuple[int, int, int]:
    return CLASS_COLORS[i % len(CLASS_COLORS)]


class SmoothSymmetricLevels:
    """Colour levels (-L, L) that follow max |values| without flicker.

    L jumps up at once when the data outgrow it (nothing is clipped), and eases down by
    `decay` of the gap per update when they shrink, so the colours of a slowly changing matrix
    do not pump from frame to frame. L never falls below `floor`.
    """

    def __init__(self, decay: float = 0.1, floor: float = 1e-6, headroom: float = 1.0):
        self.decay = decay
        self.floor = floor
        self.headroom = headroom
        self.limit: float | None = None

    def reset(self) -> None:
        self.limit = None

    def update(self, values: np.ndarray) -> tuple[float, float]:
        finite = np.abs(values[np.isfinite(values)]) if values.size else np.zeros(1)
        target = max(float(finite.max()) * self.headroom if finite.size else 0.0, self.floor)
        if self.limit is None or target >= self.limit:
            self.limit = target
        else:
            self.limit -= self.decay * (self.limit - target)
        return -self.limit, self.limit
