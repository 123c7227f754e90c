"""One way to make a menu action with its key and tip (the menus, the Lessons menu)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence


def add_action(window, menu, text, slot, shortcut, tip) -> QAction:
    """An action in `menu` with its key and tip; the window's too, so the key works while the
    menu bar is hidden (full screen)."""
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setToolTip(tip)
    action.setStatusTip(tip)
    action.triggered.connect(slot)
    menu.addAction(action)
    window.addAction(action)
    return action
