"""Where the docks go: the desk layout (everything visible) and the projector layout (tabs)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar

H, V = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
LEFT = Qt.DockWidgetArea.LeftDockWidgetArea
PRESENTATION_LEFT_WIDTH = 470
#: The version saveState/restoreState record: a layout from another version is not restored.
LAYOUT_VERSION = 1
#: Below this window size the six panels do not fit side by side: the plots become tabs.
DESK_MIN_SIZE = (1400, 850)
#: The left column of that compact layout, at desk font sizes.
COMPACT_LEFT_WIDTH = 340


def _start(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """Take every dock out and put the controls back first, so any earlier state is gone."""
    for dock in docks.values():
        window.removeDockWidget(dock)
        dock.setFloating(False)
    window.addDockWidget(LEFT, docks["TrainingControlsPanel"])
    for dock in docks.values():
        dock.show()


def desk_layout(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """Three columns: controls over the sample; weights over the loss; Jacobian over binary."""
    d = docks
    _start(window, d)
    set_left_column_minimum(d, 0)
    window.splitDockWidget(d["TrainingControlsPanel"], d["WeightsPanel"], H)
    window.splitDockWidget(d["WeightsPanel"], d["JacobianPanel"], H)
    window.splitDockWidget(d["TrainingControlsPanel"], d["SamplePanel"], V)
    window.splitDockWidget(d["WeightsPanel"], d["LossPanel"], V)
    window.splitDockWidget(d["JacobianPanel"], d["BinaryOutputPanel"], V)
    window.resizeDocks(
        [d["TrainingControlsPanel"], d["WeightsPanel"], d["JacobianPanel"]], [360, 660, 580], H
    )
    # The controls need little height; the sample inspector shows an image and text.
    window.resizeDocks([d["TrainingControlsPanel"], d["SamplePanel"]], [330, 670], V)
    window.resizeDocks([d["WeightsPanel"], d["LossPanel"]], [560, 440], V)
    window.resizeDocks([d["JacobianPanel"], d["BinaryOutputPanel"]], [480, 520], V)
    hide_stale_tab_bars(window)


def presentation_layout(
    window: QMainWindow, docks: dict[str, QDockWidget], left_width: int = PRESENTATION_LEFT_WIDTH
) -> None:
    """Two columns for a projector: controls and sample as tabs on the left, and one large
    tabbed area for the weights, loss, Jacobian and binary network (Ctrl+1..6 switch)."""
    d = docks
    _start(window, d)
    window.splitDockWidget(d["TrainingControlsPanel"], d["WeightsPanel"], H)
    window.tabifyDockWidget(d["TrainingControlsPanel"], d["SamplePanel"])
    for name in ("LossPanel", "JacobianPanel", "BinaryOutputPanel"):
        window.tabifyDockWidget(d["WeightsPanel"], d[name])
    set_left_column_minimum(d, left_width)
    window.resizeDocks([d["TrainingControlsPanel"], d["WeightsPanel"]], [left_width, 1440], H)
    d["TrainingControlsPanel"].raise_()
    d["WeightsPanel"].raise_()
    hide_stale_tab_bars(window)


def set_left_column_minimum(docks: dict[str, QDockWidget], width: int) -> None:
    """The left tabs' minimum width: room for both titles at projector font sizes (0: none).

    A minimum, not a resizeDocks: the size hints of the new fonts shrink a resized column back.
    """
    for name in ("TrainingControlsPanel", "SamplePanel"):
        docks[name].setMinimumWidth(width)


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
