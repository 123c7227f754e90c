"""A small labelled matrix: coloured cells with their numbers written in, some cells outlined.

The "Codes vs softmax" panel shows two of them side by side: the cost of each pair of codes
(Hamming distances) and the code model's confusion matrix, both with the cells at cost 1
outlined, so the class sees the code model's mistakes gather where its loss charges least.
Items are made once per grid; a new frame sets colours and texts in place.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QPainterPath
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

from gui.panels.cell_texts import CellTexts
from gui.plotting import blank_image, sizes, style_plot

#: Texts on cells darker than this relative luminance are white, else black; tone 0 is grey.
DARK_BELOW = 0.45
TEXT_COLORS = ((150, 150, 150), "k", "w")
OUTLINE_COLOR = (220, 30, 30)
#: Cell numbers are written at the plot's tick size, smaller where the cells are too small,
#: down to this many points; below it they are left out.
SMALLEST_TEXT_PT = 7


class CodeMatrixPlot(pg.PlotWidget):
    """An R x C grid, cell (i, j) centred on view point (j, i), row 0 on top.

    colormap: for values on `levels`. Rows are labelled on the left, columns at the bottom.
    """

    def __init__(self, colormap: pg.ColorMap, levels: tuple[float, float], parent=None):
        super().__init__(parent)
        self.levels = levels
        self.presentation = False
        table = colormap.getLookupTable(0.0, 1.0, 256, alpha=False).astype(float) / 255
        self._luminance = table @ np.array([0.2126, 0.7152, 0.0722])
        self.setBackground("w")
        plot = self.plot = self.getPlotItem()
        plot.setMouseEnabled(x=False, y=False)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.invertY(True)
        self.image = blank_image((1, 1), levels)
        self.image.setColorMap(colormap)
        plot.addItem(self.image)
        self.texts = CellTexts(TEXT_COLORS)
        self.texts.setZValue(5)
        plot.addItem(self.texts)
        self.outlines = QGraphicsPathItem()
        self.outlines.setZValue(10)
        plot.addItem(self.outlines)
        for axis in ("left", "bottom"):
            plot.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.shape = (0, 0)
        self._widest = ""
        plot.vb.sigResized.connect(self._fit_texts)
        self.set_presentation(False)

    def set_grid(self, row_labels, column_labels, widest_text: str) -> None:
        """A new grid (rows x columns, labelled); `widest_text` is the longest a cell shows."""
        R, C = len(row_labels), len(column_labels)
        self.shape = (R, C)
        self._widest = widest_text
        self.image.setImage(np.zeros((R, C)), autoLevels=False, levels=self.levels)
        self.image.setRect(QRectF(-0.5, -0.5, C, R))
        self.plot.setRange(xRange=(-0.5, C - 0.5), yRange=(-0.5, R - 0.5), padding=0)
        self.plot.getAxis("left").setTicks([list(enumerate(row_labels))])
        self.plot.getAxis("bottom").setTicks([list(enumerate(column_labels))])
        self.texts.set_texts(np.full((R, C), "", dtype=object), np.zeros((R, C), int))
        self.outlines.setPath(QPainterPath())
        self._fit_texts()

    def set_values(self, values: np.ndarray, texts: np.ndarray, faint: np.ndarray) -> None:
        """Colours from `values` (R x C, on the levels), `texts` written in each cell (grey
        where `faint`, else black or white for contrast)."""
        low, high = self.levels
        self.image.setImage(values, autoLevels=False, levels=self.levels)
        index = np.round(np.clip((values - low) / (high - low), 0, 1) * 255).astype(int)
        dark = self._luminance[index] < DARK_BELOW
        self.texts.set_texts(texts, np.where(faint, 0, np.where(dark, 2, 1)))

    def set_outlined(self, cells: np.ndarray) -> None:
        """Outline the cells where `cells` (R x C bools) is True."""
        path = QPainterPath()
        for i, j in zip(*np.nonzero(cells), strict=True):
            path.addRect(QRectF(j - 0.5, i - 0.5, 1, 1))
        self.outlines.setPath(path)

    def set_presentation(self, on: bool) -> None:
        self.presentation = bool(on)
        style_plot(self.plot, self.presentation)
        self.outlines.setPen(pg.mkPen(OUTLINE_COLOR, width=sizes(self.presentation)["line"]))
        self._fit_texts()

    def _fit_texts(self, *_) -> None:
        """Cell numbers at the tick size if the widest fits a cell, else smaller, else none
        (on resize and mode changes, never per frame)."""
        R, C = self.shape
        if not R or not C:
            return
        cell_width, cell_height = self.plot.vb.width() / C, self.plot.vb.height() / R
        point = sizes(self.presentation)["tick_pt"]
        font = QFont()
        while point >= SMALLEST_TEXT_PT:
            font.setPointSize(point)
            metrics = QFontMetricsF(font)
            if (metrics.horizontalAdvance(self._widest) <= 0.92 * cell_width
                    and metrics.height() <= 1.05 * cell_height):  # fmt: skip
                break
            point -= 1
        if point >= SMALLEST_TEXT_PT:
            self.texts.set_font(font)
        self.texts.setVisible(point >= SMALLEST_TEXT_PT)
        # The row labels no taller than a row (at the tick size they ran into each other).
        point = sizes(self.presentation)["tick_pt"]
        label = QFont()
        label.setPointSize(point)
        while point > SMALLEST_TEXT_PT and QFontMetricsF(label).height() > 1.1 * cell_height:
            point -= 1
            label.setPointSize(point)
        self.plot.getAxis("left").setStyle(tickFont=label)
