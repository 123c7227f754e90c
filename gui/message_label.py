"""A label for messages of any length that never grows: it keeps the height of a few lines,
cuts what does not fit with "…", and shows the whole message in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QSizePolicy

#: The tooltip when there is no message.
IDLE_TIP = "Why training was last reset, paused or refused."


class MessageLabel(QLabel):
    """Word-wrapped text in at most `lines` lines; a long message is cut, never the layout."""

    def __init__(self, lines: int = 3, parent=None):
        super().__init__(parent)
        self.lines = lines
        self._full = ""
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setToolTip(IDLE_TIP)
        self._fix_height()

    def text(self) -> str:
        """The whole message (what is shown may be cut)."""
        return self._full

    def shown_text(self) -> str:
        return super().text()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        self._full = str(text)
        self.setToolTip(self._full or IDLE_TIP)
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._fix_height()
            self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def _lines_height(self) -> int:
        """The height `lines` lines of text take, measured as _fits measures a text (a line's
        box can be a pixel taller than the font's line spacing)."""
        metrics = QFontMetrics(self.font())
        flags = int(Qt.TextFlag.TextWordWrap)
        box = metrics.boundingRect(QRect(0, 0, 10**6, 10**6), flags, "\n".join(["Ag"] * self.lines))
        return max(self.lines * metrics.lineSpacing(), box.height())

    def _fix_height(self) -> None:
        margins = self.contentsMargins()
        self.setFixedHeight(self._lines_height() + margins.top() + margins.bottom())

    def _fits(self, text: str) -> bool:
        width = max(1, self.contentsRect().width())
        flags = int(Qt.TextFlag.TextWordWrap)
        needed = QFontMetrics(self.font()).boundingRect(QRect(0, 0, width, 10**6), flags, text)
        return needed.height() <= self._lines_height() and needed.width() <= width

    def _fit(self) -> None:
        text = self._full
        if not self._fits(text):
            words = text.split(" ")
            while len(words) > 1 and not self._fits(" ".join(words) + " …"):
                words.pop()
            text = " ".join(words) + " …"
            if not self._fits(text):
                # Not even the first word fits: cut inside it, with the mark ("Less…"), so a
                # cut word never reads as the message ("Lesson" for "Lesson reset").
                width = max(1, self.contentsRect().width())
                text = QFontMetrics(self.font()).elidedText(
                    self._full, Qt.TextElideMode.ElideRight, width
                )
                if not self._fits(text):
                    text = ""
        if super().text() != text:
            super().setText(text)
