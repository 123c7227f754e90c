"""One line of text that changes every frame without clipping and without a layout pass."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ReadoutLine(QWidget):
    """A QLabel (`label`) showing the longest of several wordings that fits its width.

    The wordings go from the fullest to the shortest; if even the shortest does not fit, it is
    elided with "…" and the tooltip carries the full text. The label has a fixed size (that of
    this holder), so a new text repaints the label but never asks the layout around it to be
    recomputed, as a QLabel in a layout does on every setText.
    """

    def __init__(self, tooltip: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._tooltip = tooltip
        self._wordings: tuple[str, ...] = ("",)
        self.label.setToolTip(tooltip)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def set_wordings(self, wordings: Sequence[str]) -> None:
        """Show the first of `wordings` (fullest first) that fits."""
        wordings = tuple(wordings) or ("",)
        if wordings != self._wordings:
            self._wordings = wordings
            self._fit()

    def text(self) -> str:
        return self.label.text()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(0, QFontMetrics(self.font()).height() + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self.sizeHint()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.label.setFixedSize(event.size())
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()  # a new line height
            self._fit()
        super().changeEvent(event)

    def _fit(self) -> None:
        metrics = QFontMetrics(self.label.font())
        width = self.label.contentsRect().width()
        text = next((t for t in self._wordings if metrics.horizontalAdvance(t) <= width), None)
        if text is None:
            text = metrics.elidedText(self._wordings[-1], Qt.TextElideMode.ElideRight, width)
        if text != self.label.text():
            self.label.setText(text)
        full = self._wordings[0]
        tooltip = self._tooltip if text == full else f"{full}\n\n{self._tooltip}"
        if tooltip != self.label.toolTip():
            self.label.setToolTip(tooltip)
