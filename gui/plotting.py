"""The look every plot shares: fonts, pens and colour bars, normal and for a projector."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont

#: Sizes for the desk and for the back of a classroom.
NORMAL = {"tick_pt": 9, "label_pt": 10, "title_pt": 11, "line": 2}
PRESENTATION = {"tick_pt": 16, "label_pt": 18, "title_pt": 20, "line": 4}


def configure_pyqtgraph() -> None:
    """Once per process: light background, antialiasing, row-major images (data[row, col])."""
    pg.setConfigOptions(antialias=True, background="w", foreground="k", imageAxisOrder="row-major")


def sizes(presentation: bool) -> dict[str, int]:
    return PRESENTATION if presentation else NORMAL


def style_plot(plot: pg.PlotItem, presentation: bool = False) -> None:
    """Set tick and label fonts of all four axes and the title size for the mode."""
    s = sizes(presentation)
    tick_font = QFont()
    tick_font.setPointSize(s["tick_pt"])
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        axis.setStyle(tickFont=tick_font)
        axis.label.setFont(_font(s["label_pt"]))
        # Keep room for bigger tick labels so nothing is cut off.
        if name in ("left", "right"):
            axis.setWidth(None)
    if plot.titleLabel.text:
        plot.setTitle(plot.titleLabel.text, size=f"{s['title_pt']}pt")


def _font(point_size: int) -> QFont:
    font = QFont()
    font.setPointSize(point_size)
    return font


def style_colorbar(bar: pg.ColorBarItem, presentation: bool = False) -> None:
    """Tick and label fonts of a colour bar; its tick axis widens to fit large tick labels."""
    s = sizes(presentation)
    tick_font = QFont()
    tick_font.setPointSize(s["tick_pt"])
    bar.axis.setStyle(tickFont=tick_font)
    bar.axis.setWidth(None)  # pyqtgraph fixes it at 45 px, too narrow for projector fonts
    # A vertical bar carries its label on the left axis, not on the tick axis.
    for axis in {bar.axis, bar.getAxis("left"), bar.getAxis("bottom")}:
        axis.label.setFont(_font(s["label_pt"]))


def blank_image(shape: tuple[int, ...], levels: tuple[float, float] = (-1, 1)) -> pg.ImageItem:
    """An ImageItem holding zeros of `shape`, with fixed levels.

    It must hold data from the start: pyqtgraph defers levels set on an empty item (as
    ColorBarItem.setImageItem does) and would apply those stale levels over the first frame's;
    and setRect needs the image size.
    """
    return pg.ImageItem(np.zeros(shape), axisOrder="row-major", autoLevels=False, levels=levels)
