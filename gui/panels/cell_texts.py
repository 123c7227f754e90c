"""Short texts centred on the cells of a matrix plot, all painted by one item.

A pyqtgraph TextItem per cell costs about 35 µs per new text (QGraphicsTextItem lays out a
document each time); a confusion matrix changes dozens of counts a frame while training, which
took 2 ms of the window's 12 ms budget. Here a new set of texts only stores them and asks for
one repaint, and the paint draws cached QStaticTexts at the cells' centres, in a font of fixed
pixel size whatever the plot's scale.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QStaticText

#: Prepared texts kept for reuse (counts of one test set: a few hundred at most).
MAX_PREPARED = 4096


class CellTexts(pg.GraphicsObject):
    """Texts for an R x C grid whose cell (i, j) is centred on view point (j, i), each in one
    of a few colours (`colors`, chosen per cell by a tone index)."""

    def __init__(self, colors, parent=None):
        super().__init__(parent)
        self._pens = [pg.mkPen(color) for color in colors]
        self._texts = np.empty((0, 0), dtype=object)
        self._tones = np.zeros((0, 0), dtype=np.int64)
        self._font = QFont()
        self._static: dict[str, QStaticText] = {}

    # ------------------------------------------------------------------ what it shows
    def set_texts(self, texts: np.ndarray, tones: np.ndarray) -> None:
        """`texts` (R x C, str) in colours `tones` (R x C, index into the colours); a repaint
        only if anything differs from what is shown."""
        texts, tones = np.asarray(texts, dtype=object), np.asarray(tones, dtype=np.int64)
        if texts.shape != self._texts.shape:
            self.prepareGeometryChange()  # the bounding rectangle follows the grid
        elif np.array_equal(texts, self._texts) and np.array_equal(tones, self._tones):
            return
        self._texts, self._tones = texts.copy(), tones.copy()
        self.update()

    def text(self, i: int, j: int) -> str:
        return str(self._texts[i, j])

    def color(self, i: int, j: int) -> QColor:
        return self._pens[int(self._tones[i, j])].color()

    def set_font(self, font: QFont) -> None:
        if font != self._font:
            self._font = QFont(font)
            self._static.clear()  # prepared for the old font
            self.update()

    def font(self) -> QFont:
        return QFont(self._font)

    def width_of(self, text: str) -> float:
        """The width `text` is painted at, in pixels."""
        return QFontMetricsF(self._font).horizontalAdvance(text)

    # ------------------------------------------------------------------ painting
    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        rows, columns = self._texts.shape
        return QRectF(-0.5, -0.5, columns, rows)

    def paint(self, painter: QPainter, *_) -> None:
        if not self._texts.size:
            return
        to_screen = painter.transform()  # view units to pixels
        painter.resetTransform()  # draw in pixels: the font keeps its size whatever the scale
        painter.setFont(self._font)
        for tone, pen in enumerate(self._pens):
            painter.setPen(pen)
            for i, j in zip(*np.nonzero(self._tones == tone), strict=True):
                static = self._prepared(self._texts[i, j])
                size = static.size()
                centre = to_screen.map(QPointF(j, i))
                corner = centre - QPointF(size.width() / 2, size.height() / 2)
                painter.drawStaticText(corner, static)
        painter.setTransform(to_screen)

    def _prepared(self, text: str) -> QStaticText:
        static = self._static.get(text)
        if static is None:
            if len(self._static) > MAX_PREPARED:
                self._static.clear()  # a long run meets many counts: keep the newest
            static = self._static[text] = QStaticText(text)
            static.setTextFormat(pg.QtCore.Qt.TextFormat.PlainText)
            static.prepare(font=self._font)
        return static
