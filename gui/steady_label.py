"""A label whose text changes every frame without laying out the window again.

A QLabel asks its parent's layout for a new pass on every new text (QWidget.updateGeometry),
and the pass runs up through the dock to the main window, asking every word-wrapped label on
the way for its height: at 30 frames a second that cost more than the drawing. Here the QLabel
sits alone in a box with no layout, so its requests stop at the box, and it paints its own
background, so a new text repaints the label alone. The box asks for a new height only when
the text needs a different number of lines (or never fewer than `widest` needs).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class SteadyLabel(QWidget):
    """A QLabel (`label`) in a layout-free box of fixed height; `setText` re-lays out nothing
    unless the number of lines changes."""

    def __init__(
        self,
        text: str = "",
        *,
        rich: bool = False,
        wrap: bool = False,
        widest: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.label = QLabel(self)
        self._ruler = QLabel()  # measures texts not shown; never on screen
        fmt = Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText
        for label in (self.label, self._ruler):
            label.setTextFormat(fmt)
            label.setWordWrap(wrap)
        self.label.setAutoFillBackground(True)  # opaque: its parents need no repaint
        self._widest = widest
        self._height = -1
        self._width = 0  # what an unwrapped text needs (the widest seen or reserved)
        self._reserved: int | None = None  # the width `widest` needs, measured once
        self._longest = 0  # characters in the longest text measured
        self._widest_heights: dict = {}  # and its height, by width
        self._text_heights: dict = {}  # heights of texts shown, by (width, length)
        policy = QSizePolicy.Policy.Ignored if wrap else QSizePolicy.Policy.Preferred
        self.setSizePolicy(policy, QSizePolicy.Policy.Fixed)
        self.label.setText(text)
        self._fit()

    # ------------------------------------------------------------------ QLabel's words
    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:  # noqa: N802 - reads like QLabel
        """Show `text`; nothing happens if it is the text shown."""
        if text != self.label.text():
            self.label.setText(text)
            self._fit()

    def setAlignment(self, alignment) -> None:  # noqa: N802
        self.label.setAlignment(alignment)

    def set_color(self, color: str) -> None:
        """The text's colour, through the palette: a style sheet would re-polish the label,
        and a second one reset its font to the application's (a 17 pt verdict drew at 9 pt)."""
        palette = self.label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(color))
        self.label.setPalette(palette)

    def wordWrap(self) -> bool:  # noqa: N802
        return self.label.wordWrap()

    def set_widest(self, text: str) -> None:
        """Keep room for `text` (the longest this label will show) whatever is shown now."""
        self._widest = text
        self._reserved, self._width, self._widest_heights = None, 0, {}
        self._text_heights = {}
        self._fit()

    # ------------------------------------------------------------------ geometry
    def needed_height(self, width: int, text: str | None = None) -> int:
        """Height `text` (default: the text shown, and at least `widest`) needs at `width`."""
        if text is not None:
            return self._measure(text, width)
        if not self.label.wordWrap():  # one line (or as many as the text has) of this font
            lines = self.label.text().count("\n") + self.label.text().count("<br>") + 1
            if (lines, 0) not in self._widest_heights:
                self._widest_heights[(lines, 0)] = max(
                    self._measure(self.label.text(), 0), self._measure(self._widest, 0)
                )
            return self._widest_heights[(lines, 0)]
        if width not in self._widest_heights:  # the reserve is measured once per width
            self._widest_heights[width] = self._measure(self._widest, width)
        # Wrapping a rich text takes most of a millisecond: texts of one length (numbers in
        # a fixed format) wrap alike, so each length is measured once per width.
        key = (width, len(self.label.text()))
        if key not in self._text_heights:
            if len(self._text_heights) > 200:
                self._text_heights.clear()
            self._text_heights[key] = self._measure(self.label.text(), width)
        return max(self._text_heights[key], self._widest_heights[width])

    def _measure(self, text: str, width: int) -> int:
        if not text:
            return 0
        # Measured on a label of its own: the one shown has a fixed size, which QLabel's
        # heightForWidth does not ignore.
        ruler = self._ruler
        if ruler.font() != self.font():
            ruler.setFont(self.font())
        ruler.setText(text)
        if ruler.wordWrap():
            return ruler.heightForWidth(max(1, width))
        return ruler.sizeHint().height()

    def _fit(self) -> None:
        if not self.label.wordWrap():
            if self._reserved is None:
                self._reserved = self.needed_width(self._widest) if self._widest else 0
                self._longest = 0
            # Measuring is slow (a rich-text table takes a millisecond): only a text longer
            # than any before can need more room than the reserve.
            if len(self.label.text()) > self._longest:
                self._longest = len(self.label.text())
                width = max(self._width, self._reserved, self.needed_width(self.label.text()))
                if width > self._width:
                    self._width = width
                    self.updateGeometry()  # wider than ever: ask for the room once
        elif self.width() <= 1:
            return  # not laid out yet: measured again on the first resize
        height = self.needed_height(self.width())
        if height != self._height:
            self._height = height
            self.setFixedHeight(height)  # a layout pass, but only when the lines change
            # A hidden box (a dock not shown yet) takes the new height without a resize
            # event, even later: the label would keep the old height and cut lines off.
            if self.label.size() != self.size():
                self.label.setFixedSize(self.size())

    def needed_width(self, text: str) -> int:
        """Width `text` needs on one line."""
        self._measure(text, 0)
        return self._ruler.sizeHint().width()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.minimumSizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # Unwrapped, as wide as the widest text so far: it never cuts a text off.
        return QSize(self._width, max(self._height, 0))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.label.setFixedSize(self.size())  # fixed: a new text asks nobody for room
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            # Said, not left to propagation: once a style sheet has polished the label (a
            # colour set on the box), Qt no longer passes the box's new fonts down to it, and
            # the box would be sized for one font while the label draws another.
            if self.label.font() != self.font():
                self.label.setFont(self.font())
            self._reserved, self._width, self._widest_heights = None, 0, {}
            self._text_heights = {}
            self._fit()
