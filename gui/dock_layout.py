"""Where the docks go: the desk layout (everything visible) and the projector layout (tabs)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar

H, V = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
LEFT = Qt.DockWidgetArea.LeftDockWidgetArea
TOP = Qt.DockWidgetArea.TopDockWidgetArea
PRESENTATION_LEFT_WIDTH = 470
#: The version saveState/restoreState record: a layout from another version is not restored.
LAYOUT_VERSION = 2
#: From this window size up the four plots are all on screen at once (a 1280x720 screen, less
#: a task bar and a title bar, still gets them: the Jacobian and binary panels go compact);
#: below it they go into two tab groups (two plots at once, Ctrl+N brings another in).
GRID_MIN_SIZE = (1200, 600)
#: The left column (the sample inspector) of the desk layout.
LEFT_COLUMN_WIDTH = 250
#: The plot panels, in the order of the grid: top left, bottom left, top right, bottom right.
PLOTS = ("WeightsPanel", "LossPanel", "JacobianPanel", "BinaryOutputPanel")
#: Titles for tabs, where the full ones would be cut (presentation mode, small screens).
SHORT_TITLES = {
    "TrainingControlsPanel": "Controls",
    "WeightsPanel": "Weights W",
    "LossPanel": "Loss",
    "JacobianPanel": "Jacobian J",
    "SamplePanel": "Sample",
    "BinaryOutputPanel": "Binary network",
}
#: How many plots presentation mode shows at once (the others are tabs), by choice.
PLOTS_AT_ONCE = (1, 2, 4)


def _start(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """Take every dock out, then the controls across the top and the sample inspector on the
    left, so any earlier state is gone."""
    for dock in docks.values():
        window.removeDockWidget(dock)
        dock.setFloating(False)
    window.addDockWidget(TOP, docks["TrainingControlsPanel"])
    window.addDockWidget(LEFT, docks["SamplePanel"])
    for dock in docks.values():
        dock.show()


def _plots(window: QMainWindow, d: dict[str, QDockWidget], at_once: int) -> None:
    """The four plots right of the sample inspector: a 2 x 2 grid (4), two columns of two
    tabs each (2), or one area of four tabs (1)."""
    weights, loss, jacobian, binary = (d[name] for name in PLOTS)
    window.splitDockWidget(d["SamplePanel"], weights, H)
    if at_once == 1:
        for dock in (loss, jacobian, binary):
            window.tabifyDockWidget(weights, dock)
        weights.raise_()
        return
    window.splitDockWidget(weights, jacobian, H)
    if at_once == 2:
        window.tabifyDockWidget(weights, loss)
        window.tabifyDockWidget(jacobian, binary)
        weights.raise_()
        jacobian.raise_()
    else:
        window.splitDockWidget(weights, loss, V)
        window.splitDockWidget(jacobian, binary, V)


def desk_layout(window: QMainWindow, docks: dict[str, QDockWidget], at_once: int = 4) -> None:
    """The controls across the top; below, three columns: the sample; weights over the loss;
    Jacobian over binary (at_once = 2: each plot column a pair of tabs, for screens under
    GRID_MIN_SIZE)."""
    d = docks
    _start(window, d)
    set_left_column_minimum(d, 0)
    _plots(window, d, at_once)
    set_titles(d, short=at_once < 4)
    width = window.width()
    plots = max(2 * 300, width - LEFT_COLUMN_WIDTH)
    window.resizeDocks(
        [d["SamplePanel"], d["WeightsPanel"], d["JacobianPanel"]],
        [LEFT_COLUMN_WIDTH, plots * 53 // 100, plots * 47 // 100],
        H,
    )
    if at_once == 4:
        window.resizeDocks([d["WeightsPanel"], d["LossPanel"]], [560, 440], V)
        window.resizeDocks([d["JacobianPanel"], d["BinaryOutputPanel"]], [450, 550], V)
    hide_stale_tab_bars(window)


def presentation_layout(
    window: QMainWindow,
    docks: dict[str, QDockWidget],
    at_once: int = 2,
    left_width: int = PRESENTATION_LEFT_WIDTH,
) -> None:
    """For a projector: the controls across the top and the sample inspector on the left
    (both in view), and `at_once` plots (1, 2 or 4; the others are tabs, Ctrl+1..6 switch)."""
    d = docks
    _start(window, d)
    _plots(window, d, at_once)
    set_titles(d, short=True)
    set_left_column_minimum(d, left_width)
    rest = max(300, window.width() - left_width)
    if at_once == 1:
        window.resizeDocks([d["SamplePanel"], d["WeightsPanel"]], [left_width, rest], H)
    else:  # the two plot columns share the rest equally
        window.resizeDocks(
            [d["SamplePanel"], d["WeightsPanel"], d["JacobianPanel"]],
            [left_width, rest // 2, rest - rest // 2],
            H,
        )
    hide_stale_tab_bars(window)


def set_titles(docks: dict[str, QDockWidget], short: bool) -> None:
    """Short dock titles where tabs would cut the full ones."""
    for name, dock in docks.items():
        dock.setWindowTitle(SHORT_TITLES[name] if short else dock.widget().title)


def set_left_column_minimum(docks: dict[str, QDockWidget], width: int) -> None:
    """The left column's minimum width at projector font sizes (0: none).

    A minimum, not a resizeDocks: the size hints of the new fonts shrink a resized column back.
    """
    docks["SamplePanel"].setMinimumWidth(width)


def hide_stale_tab_bars(window: QMainWindow) -> None:
    """Hide tab bars left over from earlier arrangements.

    Qt keeps the tab bar of a tab group that a later tabify or restoreState replaced, and on
    some platforms (seen with the offscreen one) leaves it visible over the status bar. A bar
    is current when its tabs are exactly one group of docks tabbed together now.
    """
    by_title = {dock.windowTitle(): dock for dock in window.findChildren(QDockWidget)}
    for bar in window.findChildren(QTabBar):
        if bar.parent() is not window:
            continue  # tab bars inside panels are theirs
        titles = {bar.tabText(i) for i in range(bar.count())}
        docks = [by_title.get(title) for title in titles]
        current = len(docks) >= 2 and all(docks)
        if current:
            group = {docks[0].windowTitle()}
            group |= {d.windowTitle() for d in window.tabifiedDockWidgets(docks[0])}
            current = group == titles
        if not current:
            bar.hide()
