"""Classroom use: full screen with large fonts and lines (F11), and font zoom (Ctrl+= / Ctrl+-)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow

from gui.dock_layout import (
    LAYOUT_VERSION,
    hide_stale_tab_bars,
    presentation_layout,
    set_left_column_minimum,
)
from gui.panel import Panel

#: Application font size in presentation mode, readable from the back of a room.
PRESENTATION_POINT_SIZE = 18
ZOOM_STEP_PT = 2


class Presentation:
    """Switches the window and its panels between desk and projector sizes."""

    def __init__(self, window: QMainWindow, panels: list[Panel]):
        self.window = window
        self.panels = panels
        app = QApplication.instance()
        self._base_point_size = app.font().pointSizeF() if app.font().pointSizeF() > 0 else 10.0
        self.active = False
        self.desk_state = None
        self.zoom = 0  # font steps added by Ctrl+= / Ctrl+-
        self.toggle_action = QAction("Presentation mode", window)
        self.toggle_action.setCheckable(True)
        self.toggle_action.setShortcut(QKeySequence("F11"))
        self.toggle_action.setToolTip(
            "Full screen with large fonts and lines for a projector (F11)."
        )
        self.toggle_action.toggled.connect(self.set_active)

    def add_actions(self, menu) -> None:
        zoom_in = QAction("Zoom in", self.window)
        zoom_in.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        zoom_in.setToolTip("Larger fonts everywhere.")
        zoom_in.triggered.connect(lambda: self.set_zoom(self.zoom + 1))
        zoom_out = QAction("Zoom out", self.window)
        zoom_out.setShortcut(QKeySequence("Ctrl+-"))
        zoom_out.setToolTip("Smaller fonts everywhere.")
        zoom_out.triggered.connect(lambda: self.set_zoom(self.zoom - 1))
        for action in (self.toggle_action, zoom_in, zoom_out):
            menu.addAction(action)
            self.window.addAction(action)

    def set_active(self, on: bool, full_screen: bool = True) -> None:
        """Presentation mode on or off: full screen, large fonts, thick lines, tabbed plots."""
        on = bool(on)
        if on == self.active:
            return
        self.active = on
        if self.toggle_action.isChecked() != on:
            self.toggle_action.setChecked(on)
        if on:
            # Six panels do not fit a projector at large sizes: tab the plots, and put the
            # teacher's own arrangement back afterwards.
            self.desk_state = self.window.saveState(LAYOUT_VERSION)
            if full_screen:
                self.window.showFullScreen()
        elif self.window.isFullScreen():
            self.window.showNormal()
        # Fonts and lines first: the layout below sizes the docks for them.
        self._apply_font()
        for panel in self.panels:
            panel.set_presentation(on)
        if on:
            presentation_layout(self.window, self.window.docks)
        elif self.desk_state is not None:
            set_left_column_minimum(self.window.docks, 0)
            self.window.restoreState(self.desk_state, LAYOUT_VERSION)
            hide_stale_tab_bars(self.window)

    def restore_font(self) -> None:
        """The application font as it was before presentation mode and zoom."""
        font = QFont(QApplication.instance().font())
        font.setPointSizeF(self._base_point_size)
        QApplication.instance().setFont(font)

    def set_zoom(self, steps: int) -> None:
        self.zoom = max(-3, min(10, int(steps)))
        self._apply_font()

    def point_size(self) -> float:
        base = PRESENTATION_POINT_SIZE if self.active else self._base_point_size
        return max(6.0, base + ZOOM_STEP_PT * self.zoom)

    def _apply_font(self) -> None:
        font = QFont(QApplication.instance().font())
        font.setPointSizeF(self.point_size())
        QApplication.instance().setFont(font)
