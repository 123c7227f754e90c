"""Classroom use: full screen with large fonts and lines (F11), and font zoom (Ctrl+= / Ctrl+-)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow

from gui.dock_layout import (
    LAYOUT_VERSION,
    PLOTS_AT_ONCE,
    hide_stale_tab_bars,
    presentation_layout,
    set_left_column_minimum,
)
from gui.panel import Panel

#: Application font size in presentation mode, readable from the back of a room.
PRESENTATION_POINT_SIZE = 18
ZOOM_STEP_PT = 2
#: Tab titles in presentation mode: this much smaller than the text (14 pt: 18.7 px).
TAB_SMALLER_PT = 4


class Presentation:
    """Switches the window and its panels between desk and projector sizes."""

    def __init__(self, window: QMainWindow, panels: list[Panel]):
        self.window = window
        self.panels = panels
        app = QApplication.instance()
        self._base_point_size = app.font().pointSizeF() if app.font().pointSizeF() > 0 else 10.0
        self._desk_font = QFont(app.font())
        self._desk_font.setPointSizeF(self._base_point_size)
        self.active = False
        self.desk_state = None
        self._desk_window_state = Qt.WindowState.WindowNoState
        self._desk_geometry = None
        self.desk_titles: dict[str, str] = {}
        self.zoom = 0  # font steps added by Ctrl+= / Ctrl+-
        self.toggle_action = QAction("Presentation mode", window)
        self.toggle_action.setCheckable(True)
        self.toggle_action.setShortcut(QKeySequence("F11"))
        self.toggle_action.setToolTip(
            "Full screen with large fonts and lines for a projector (F11)."
        )
        self.toggle_action.toggled.connect(self.set_active)
        #: Plots on screen at once in presentation mode (the others are tabs); None: by the
        #: window's width (four from 2400 px, two from 1800, else one: at projector font
        #: sizes a plot needs about 900 x 500 px to show everything).
        self.plots_at_once: int | None = None
        self.plots_actions = QActionGroup(window)
        plot_keys = ", ".join(d.row.shortcut for d in window.docks.values() if d.row.place.is_plot)
        for n in PLOTS_AT_ONCE:
            action = QAction(f"Presentation: {n} plot{'s' if n > 1 else ''} at once", window)
            action.setCheckable(True)
            action.setShortcut(QKeySequence(f"Alt+{n}"))
            action.setToolTip(
                f"In presentation mode, show {n} of the four plot places at once (Alt+{n});"
                f" {plot_keys} bring the others in."
            )
            action.triggered.connect(lambda _=False, n=n: self.set_plots_at_once(n))
            self.plots_actions.addAction(action)

    def add_actions(self, menu) -> None:
        zoom_in = QAction("Zoom in", self.window)
        zoom_in.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        zoom_in.setToolTip("Larger fonts everywhere.")
        zoom_in.triggered.connect(lambda: self.set_zoom(self.zoom + 1))
        zoom_out = QAction("Zoom out", self.window)
        zoom_out.setShortcut(QKeySequence("Ctrl+-"))
        zoom_out.setToolTip("Smaller fonts everywhere.")
        zoom_out.triggered.connect(lambda: self.set_zoom(self.zoom - 1))
        for action in (self.toggle_action, *self.plots_actions.actions(), zoom_in, zoom_out):
            menu.addAction(action)
            self.window.addAction(action)

    def set_plots_at_once(self, n: int | None) -> None:
        """How many plots presentation mode shows at once (1, 2 or 4; None: by width)."""
        self.plots_at_once = n if n in PLOTS_AT_ONCE else None
        for action, count in zip(self.plots_actions.actions(), PLOTS_AT_ONCE, strict=True):
            action.setChecked(count == self.plots_at_once)
        if self.active:
            presentation_layout(self.window, self.window.docks, self.at_once())

    def at_once(self, width: int | None = None) -> int:
        """Plots at once: the teacher's choice, else by `width` (default: the window's)."""
        if self.plots_at_once is not None:
            return self.plots_at_once
        width = self.window.width() if width is None else width
        return 4 if width >= 2400 else 2 if width >= 1800 else 1

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
            self.desk_titles = {n: d.windowTitle() for n, d in self.window.docks.items()}
            # The window as it was (maximised on a small screen, or its own size), to give
            # back on leaving: showNormal() un-maximised a window that started maximised.
            self._desk_window_state = self.window.windowState()
            self._desk_geometry = self.window.geometry()
            if full_screen:
                self.window.showFullScreen()
        elif self.window.isFullScreen():
            if self._desk_window_state & Qt.WindowState.WindowMaximized:
                self.window.showMaximized()
            else:
                self.window.showNormal()
                if self._desk_geometry is not None:
                    self.window.setGeometry(self._desk_geometry)
        # Fonts and lines first: the layout below sizes the docks for them.
        self._apply_font()
        for panel in self.panels:
            panel.set_presentation(on)
        if on:
            # Full screen is the screen's width, though the window may not have it yet (the
            # window system resizes it later): a 1920 px projector shows two plots, not one.
            screen = self.window.screen()
            width = screen.geometry().width() if full_screen and screen else None
            presentation_layout(
                self.window, self.window.docks, self.at_once(width), window_width=width
            )
        elif self.desk_state is not None:
            set_left_column_minimum(self.window.docks, 0)
            self._restore_desk()
            # Again once the window system has given the window its desk size back: restored
            # at full-screen width, the columns shrank with the window, the sample inspector a
            # little more on every round trip.
            QTimer.singleShot(0, self._restore_desk)

    def _restore_desk(self) -> None:
        if self.active or self.desk_state is None:
            return
        self.window.restoreState(self.desk_state, LAYOUT_VERSION)
        self.window.banner_bar.follow_banner()
        for name, dock in self.window.docks.items():
            dock.setWindowTitle(self.desk_titles.get(name, dock.windowTitle()))
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
        app = QApplication.instance()
        app.setFont(font)
        # A dock whose font is its class's draws its title in the platform's small title font;
        # one given another font draws the title in that font. (Setting the application font
        # set the class's too.)
        app.setFont(self._desk_font, "QDockWidget")
        # The plots' tab titles are for the teacher, not the back row: a little smaller in
        # presentation mode (still over 18 px), so six tabs fit a 1024 px projector.
        tabs = QFont(font)
        tabs.setPointSizeF(font.pointSizeF() - (TAB_SMALLER_PT if self.active else 0))
        app.setFont(tabs, "QTabBar")
        for dock in self.window.docks.values():
            dock.setFont(font)
