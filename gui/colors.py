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
    """Colour levels (-L, L) that follow the size of the values without flicker.

    The target is the `quantile` of |values| (1.0: the maximum). Below 1, a few outliers (the
    weights of border pixels that are almost never ink grow large over a long run) saturate
    instead of washing out every other colour. L jumps up at once when the target outgrows it,
    and eases down by `decay` of the gap per update when it shrinks, so the colours of a
    slowly changing matrix do not pump from frame to frame. L never falls below `floor`.
    """

    def __init__(
        self, decay: float = 0.1, floor: float = 1e-6, headroom: float = 1.0, quantile=1.0
    ):
        self.decay = decay
        self.floor = floor
        self.headroom = headroom
        self.quantile = quantile
        self.limit: float | None = None

    def reset(self) -> None:
        self.limit = None

    def target(self, values: np.ndarray) -> float:
        finite = np.abs(values[np.isfinite(values)])
        if not finite.size:
            return self.floor
        size = finite.max() if self.quantile >= 1 else np.quantile(finite, self.quantile)
        return max(float(size) * self.headroom, self.floor)

    def update(self, values: np.ndarray) -> tuple[float, float]:
        target = self.target(np.asarray(values))
        if self.limit is None or target >= self.limit:
            self.limit = target
        else:
            self.limit -= self.decay * (self.limit - target)
        return -self.limit, self.limit


#: Sequential, white (none) to dark blue (all): colorcet's linear_bgyw_15-100_c68 reversed.
SEQUENTIAL = "CET-L9"


def share_colormap() -> pg.ColorMap:
    """Shares 0..1: white for none, through yellow and green to dark blue for all.

    The map runs at sqrt(share), so the few per cent a typical confusion takes are already a
    clear yellow (a linear map leaves them all but white); the colour bar shows the stretch.
    """
    base = pg.colormap.get(SEQUENTIAL)
    share = np.linspace(0.0, 1.0, 65)
    colors = base.map(1.0 - np.sqrt(share), mode="byte")
    return pg.ColorMap(share, colors)
