"""A message across the top of the window that interrupts nothing (issue 15: a modal dialog
stopped the lecture until someone clicked "OK").

It says what happened and what to do, offers the action as a button (and names its key), and
goes with Esc or its close button; the keyboard stays live while it is up.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QWidget,
)

#: A lesson's note and its heading take at most this many lines (a longer note is cut; lesson
#: notes are two or three sentences).
MAX_NOTE_LINES = 4
#: Background and text colours by kind: light enough to read black text from the back.
COLORS = {
    "warning": ("#ffe08a", "#3d2600"),
    "error": ("#f7b9b9", "#4d0000"),
    "info": ("#cfe6ff", "#00264d"),  # news, not trouble (a download that arrived)
    "lesson": ("#e3f2d9", "#173d0a"),  # a lesson's note (gui/lesson_player.py)
}
#: Kinds whose text wraps (a lesson's note is two or three sentences, read from the back);
#: the others stay one line, cut to their room.
WRAPPED_KINDS = {"lesson"}


def wrapped_lines(text: str, advance: Callable[[str], int], width: int) -> list[str]:
    """`text` broken between words into lines no wider than `width` (by `advance`, a line's
    width in pixels); a word wider than that is a line of its own."""
    lines: list[str] = []
    for word in text.split():
        if lines and advance(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


class Banner(QFrame):
    """One message at a time; `show_message` replaces the one shown."""

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Banner")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.Box)
        self.title_label = QLabel()
        self.text_label = QLabel()
        # One line, cut to its room (the whole text in the tooltip): a wrapped message made the
        # bar three lines tall in presentation mode and the window taller than a 720 px screen.
        self.text_label.setMinimumWidth(0)
        self.text_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._note: tuple[str, str] | None = None  # (title, text) of a lesson's note
        self.text_label.installEventFilter(self)
        self.action_button = QPushButton()
        self.action_button.setAccessibleName("Act on the message")
        self.action_button.hide()
        self.close_button = QPushButton("Dismiss (Esc)")
        self.close_button.setAccessibleName("Dismiss the message")
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.title_label)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(self.close_button)
        self._action: Callable[[], None] | None = None
        self.action_button.clicked.connect(self._act)
        self.kind = ""
        self.has_message = False  # the bar shows the banner exactly while this is true

    def show_message(
        self,
        kind: str,
        title: str,
        text: str,
        action: str | None = None,
        do: Callable[[], None] | None = None,
    ) -> None:
        """Show `title`: `text` (kind "warning", "error" or "info"), with a button `action`
        doing `do`."""
        background, color = COLORS[kind]
        self.kind = kind
        # Colours through the palette, not a style sheet: a style sheet stops the application
        # font from reaching the labels, and presentation mode's large font would pass them by.
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(background))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(color))
        self.setPalette(palette)
        # The tool bar gives its widgets the Button role (grey): the banner paints Window.
        self.setBackgroundRole(QPalette.ColorRole.Window)
        for label in (self.title_label, self.text_label):
            label.setPalette(palette)
        wrapped = kind in WRAPPED_KINDS
        self.title_label.setVisible(not wrapped)
        self.title_label.setText(f"<b>{title}</b>")
        # A lesson's note: its title a line of its own above it, both across the bar.
        self._note = (title, text) if wrapped else None
        if wrapped:
            self._lay_out_note()
        else:
            self.text_label.setText(text)
        self.text_label.setToolTip(text)
        self._action = do
        self.action_button.setText(action or "")
        self.action_button.setAccessibleName(action or "Act on the message")
        self.action_button.setVisible(bool(action and do))
        self.setToolTip(f"{title}: {text}")
        self.has_message = True

    def _lay_out_note(self) -> None:
        """A lesson's note in lines that fit the label's width, under its heading.

        The lines are broken here, not by the label's word wrap: a word-wrapping label gives the
        bar a height for a width, and the tool bar asked it for the height at a narrow width
        (the window grew by 350 px at 1280x720)."""
        if self._note is None:
            return
        title, text = self._note
        label = self.text_label
        # Before the bar is laid out at the window's width the label is narrow: the width it
        # will have is the window's, less the buttons and margins.
        shown = [b for b in (self.action_button, self.close_button) if not b.isHidden()]
        buttons = sum(b.sizeHint().width() for b in shown)
        will_have = self.window().width() - buttons - 4 * self.layout().spacing() - 40
        laid_out = label.isVisible() and label.width() > 0
        width = max(label.width() if laid_out else will_have, 100)
        metrics = label.fontMetrics()
        lines = wrapped_lines(text, metrics.horizontalAdvance, width)
        if len(lines) > MAX_NOTE_LINES - 1:
            lines = lines[: MAX_NOTE_LINES - 1]
            lines[-1] = metrics.elidedText(lines[-1] + " …", Qt.TextElideMode.ElideRight, width)
        html = "<br>".join([f"<b>{escape(title, False)}</b>", *(escape(x, False) for x in lines)])
        if html != label.text():
            label.setText(html)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if watched is self.text_label and kind in (QEvent.Type.Resize, QEvent.Type.Show):
            self._lay_out_note()  # the lines for the label's new width
        return False

    def dismiss(self) -> None:
        if self.has_message:
            self.has_message = False
            self.dismissed.emit()

    def _act(self) -> None:
        action, self._action = self._action, None
        self.dismiss()
        if action is not None:
            action()


class BannerBar(QToolBar):
    """The banner in a fixed bar above the controls, shown only while it has a message, and
    the Esc key that dismisses it. With no message, Esc does `otherwise` where `otherwise_when`
    says so (leaving presentation mode: a remote's "stop the show"); with neither, Esc is the
    typed-value revert."""

    def __init__(self, window: QWidget):
        super().__init__("Messages", window)
        self.setObjectName("BannerBar")
        self.setMovable(False)
        self.setFloatable(False)
        self.toggleViewAction().setVisible(False)  # not a panel to switch on in the View menu
        self.banner = Banner(self)
        self.addWidget(self.banner)
        self.escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
        self.escape.setContext(Qt.ShortcutContext.WindowShortcut)
        self.escape.activated.connect(self._escape)
        self.escape.setEnabled(False)
        self.otherwise: Callable[[], None] | None = None
        self.otherwise_when: Callable[[], bool] = lambda: False
        self.banner.dismissed.connect(self._hidden)
        self.hide()

    def show_message(self, *args, **kwargs) -> None:
        self.banner.show_message(*args, **kwargs)
        self.show()
        self.update_escape()

    def update_escape(self, *_) -> None:
        """Esc is the bar's while there is a message or something else for it to do."""
        self.escape.setEnabled(self.banner.has_message or self._otherwise_due())

    def _otherwise_due(self) -> bool:
        return self.otherwise is not None and self.otherwise_when()

    def _escape(self) -> None:
        if self.banner.has_message:
            self.banner.dismiss()
        elif self._otherwise_due():
            self.otherwise()
        self.update_escape()

    def follow_banner(self) -> None:
        """Shown exactly while the banner has a message (after a restored window state)."""
        self.setVisible(self.banner.has_message)

    def _hidden(self) -> None:
        self.hide()
        self.update_escape()
