"""A text of constant pixel size at a point of a plot, painted and measured by Qt alone."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsTextItem

#: The text colour unless told otherwise.
DARK = (40, 40, 40)


class PixelText(QGraphicsTextItem):
    """Text of constant pixel size at a point of the view, `anchor` (like pg.TextItem's) at it.

    Qt alone paints and measures it: a pg.TextItem is two items and runs Python on every paint
    and every bounding-box query; the binary network's 40-odd texts cost more than a
    millisecond a frame that way, and the weight templates' 20 titles 0.8 ms.
    It answers pg.TextItem's calls the panels use: setText, setAnchor, textItem.
    """

    def __init__(self, text: str = "", anchor=(0.0, 0.0), color=DARK):
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self._anchor = tuple(anchor)
        self.setText(text, color)

    @property
    def textItem(self) -> QGraphicsTextItem:  # noqa: N802 - pg.TextItem's name
        return self

    def setText(self, text: str, color=None) -> None:  # noqa: N802 - pg.TextItem's name
        """Show `text`, in `color` if given (else in the colour it has)."""
        if color is not None:
            self.setDefaultTextColor(pg.mkColor(color))
        self.setPlainText(text)
        self._place()

    def setAnchor(self, anchor) -> None:  # noqa: N802 - pg.TextItem's name
        """The point of the text's box (0..1 in x and y) that sits at its position."""
        anchor = tuple(anchor)
        if anchor != self._anchor:
            self._anchor = anchor
            self._place()

    def setFont(self, font: QFont) -> None:  # noqa: N802 - Qt's name
        super().setFont(font)
        self._place()

    def setTextWidth(self, width: float) -> None:  # noqa: N802 - Qt's name
        super().setTextWidth(width)
        self._place()

    def drawn_rect(self) -> QRectF:
        """The box the text is drawn in, in scene coordinates. (sceneBoundingRect() scales it
        by the plot's zoom, which the text ignores.)"""
        views = self.scene().views() if self.scene() else []
        if not views:
            return self.sceneBoundingRect()
        to_viewport = views[0].viewportTransform()
        drawn = self.deviceTransform(to_viewport).mapRect(self.boundingRect())
        return to_viewport.inverted()[0].mapRect(drawn)

    def _place(self) -> None:
        r = self.boundingRect()
        ax, ay = self._anchor
        self.setTransform(QTransform.fromTranslate(-ax * r.width(), -ay * r.height()))
