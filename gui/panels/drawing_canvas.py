"""A canvas the mouse, a pen or a finger draws a digit on, with a soft round brush.

The ink is a NumPy array (model/drawing.py's brush inks it); the widget shows it, dark on
white, through a QImage that shares the array's memory, and repaints only the rectangle a
stroke segment touched, so drawing keeps up with the hand. Pens and touch screens reach it as
mouse events (Qt synthesises them from tablet and touch events a widget does not take).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from model import draw_segment

#: The canvas's longer side in ink pixels, whatever the dataset's image size (28 x 28 images
#: get 280 x 280: ten canvas pixels an image pixel).
CANVAS_PX = 280
#: The brush's radius as a share of the canvas's longer side, plus a soft edge: a digit drawn
#: across most of the canvas then has strokes about 2.5 pixels wide once fitted into MNIST's
#: 20 x 20 box, as MNIST's own strokes are.
BRUSH_SHARE = 0.045
SOFT_EDGE_SHARE = 0.012
MIN_SIDE_PX = 100


class DrawingCanvas(QWidget):
    """The ink (`ink`, rows x cols float32 in [0, 1], ink high) and the widget drawing it."""

    #: A stroke ended (the mouse, pen or finger was lifted): the drawing is complete for now.
    stroke_finished = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # so Delete and C reach the panel
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(MIN_SIDE_PX, MIN_SIDE_PX)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setToolTip("Draw a digit with the mouse, a pen or a finger.")
        self.setAccessibleName("Drawing canvas")
        self._last: tuple[float, float] | None = None  # (row, col) of the stroke so far
        self.set_image_shape((28, 28))

    # ------------------------------------------------------------------ the ink
    def set_image_shape(self, image_shape: tuple[int, int]) -> None:
        """A canvas shaped like the dataset's images (a whole number of canvas pixels each)."""
        rows, cols = image_shape
        per_pixel = math.ceil(CANVAS_PX / max(rows, cols))
        self.ink = np.zeros((rows * per_pixel, cols * per_pixel), np.float32)
        side = max(self.ink.shape)
        self.radius = BRUSH_SHARE * side
        self.softness = max(1.0, SOFT_EDGE_SHARE * side)
        # Paper white, ink black: 255 (1 - ink), shared with the QImage the widget paints.
        self._pixels = np.full(self.ink.shape, 255, np.uint8)
        h, w = self._pixels.shape
        self._image = QImage(self._pixels.data, w, h, w, QImage.Format.Format_Grayscale8)
        self._last = None
        self.update()

    @property
    def is_empty(self) -> bool:
        return not self.ink.any()

    def clear(self) -> None:
        self.ink[:] = 0
        self._pixels[:] = 255
        self._last = None
        self.update()

    def _ink_segment(self, start: tuple[float, float], end: tuple[float, float]) -> None:
        changed = draw_segment(self.ink, start, end, self.radius, self.softness)
        if changed is None:
            return
        r0, c0, r1, c1 = changed
        self._pixels[r0:r1, c0:c1] = 255 - np.rint(self.ink[r0:r1, c0:c1] * 255).astype(np.uint8)
        self.update(self._widget_rect(r0, c0, r1, c1))

    # ------------------------------------------------------------------ geometry
    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(CANVAS_PX, CANVAS_PX)

    def paper_rect(self) -> QRectF:
        """Where the canvas is shown: the largest rectangle of its aspect, centred."""
        h, w = self.ink.shape
        scale = min((self.width() - 2) / w, (self.height() - 2) / h)
        size_w, size_h = w * scale, h * scale
        return QRectF((self.width() - size_w) / 2, (self.height() - size_h) / 2, size_w, size_h)

    def to_canvas(self, position: QPointF) -> tuple[float, float]:
        """A widget position as canvas (row, col), in canvas pixels."""
        paper = self.paper_rect()
        scale = self.ink.shape[1] / paper.width()
        return (position.y() - paper.top()) * scale, (position.x() - paper.left()) * scale

    def _widget_rect(self, r0: int, c0: int, r1: int, c1: int) -> QRect:
        paper = self.paper_rect()
        scale = paper.width() / self.ink.shape[1]
        rect = QRectF(paper.left() + c0 * scale, paper.top() + r0 * scale,
                      (c1 - c0) * scale, (r1 - r0) * scale)  # fmt: skip
        return rect.toAlignedRect().adjusted(-1, -1, 1, 1)

    # ------------------------------------------------------------------ events
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setClipRect(event.rect())
        painter.fillRect(event.rect(), self.palette().window())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        paper = self.paper_rect()
        painter.drawImage(paper, self._image)
        # White paper on a white page needs an edge to show where the canvas ends.
        painter.setPen(QPen(QColor(150, 150, 150), 1))
        painter.drawRect(paper.adjusted(-0.5, -0.5, 0.5, 0.5))
        painter.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self._last = self.to_canvas(event.position())
        self._ink_segment(self._last, self._last)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self._last is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return super().mouseMoveEvent(event)
        here = self.to_canvas(event.position())
        self._ink_segment(self._last, here)
        self._last = here

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.button() != Qt.MouseButton.LeftButton or self._last is None:
            return super().mouseReleaseEvent(event)
        here = self.to_canvas(event.position())
        self._ink_segment(self._last, here)
        self._last = None
        self.stroke_finished.emit()
