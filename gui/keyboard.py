"""The keyboard is the classroom's remote control: the window's shortcuts work after any edit.

A number box with focus takes every printable key and the arrows before the window's
shortcuts see them, so after typing a learning rate Space, Right and R did nothing (and Space
emptied the box). Here Space, R, PageUp, PageDown and B, never part of a number, always go to the
shortcuts, as do Right and Shift+Right once the cursor is at the end of the number; Enter
takes the typed value and Escape puts the last one back, and both hand the focus back to the
window. Digits, ".", "e", "-", Backspace and the Left arrow still edit the number.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractSpinBox, QWidget

# PageUp/PageDown (a presenter remote's previous/next) would step a box by ten; B blanks the
# screen (gui/presenter_keys.py). None of them is part of a number.
_ALWAYS_SHORTCUTS = {
    Qt.Key.Key_Space,
    Qt.Key.Key_R,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
    Qt.Key.Key_B,
}
_AT_END_SHORTCUTS = {Qt.Key.Key_Right}
_NO_MODS = Qt.KeyboardModifier.NoModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier


class ShortcutKeys(QObject):
    """An event filter on a window's number boxes (and their line edits); see the module."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window
        for box in window.findChildren(QAbstractSpinBox):
            box.installEventFilter(self)
            box.lineEdit().installEventFilter(self)

    @staticmethod
    def _box(watched) -> QAbstractSpinBox | None:
        if isinstance(watched, QAbstractSpinBox):
            return watched
        parent = watched.parent()
        return parent if isinstance(parent, QAbstractSpinBox) else None

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        box = self._box(watched)
        if box is None:
            return False
        if kind == QEvent.Type.ShortcutOverride:
            # Filtered out, the override is not accepted, so the shortcut fires.
            return self._for_shortcut(box, event)
        if event.key() == Qt.Key.Key_Escape:
            box.setValue(box.value())  # the text shows the value in use again
            self.window.setFocus()
            return True
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # The box takes the value and says editingFinished first; then the window has
            # the keys again.
            QTimer.singleShot(0, self.window.setFocus)
        return False

    @staticmethod
    def _for_shortcut(box: QAbstractSpinBox, event) -> bool:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        key = event.key()
        if key in _ALWAYS_SHORTCUTS and mods == _NO_MODS:
            return True
        if key in _AT_END_SHORTCUTS and mods in (_NO_MODS, _SHIFT):
            edit = box.lineEdit()
            end = len(edit.text()) - len(getattr(box, "suffix", lambda: "")())
            return edit.cursorPosition() >= end and not edit.hasSelectedText()
        return False
