"""Where the docks go: the desk layout (everything visible) and the projector layout (tabs).

Each dock's place comes from its row of the table of panels (gui/panel_table.py)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar

from gui.panel_dock import PanelDock
from gui.panel_row import PLOT_PLACES, Place
from gui.tab_style import compact_tab_style

H, V = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
LEFT = Qt.DockWidgetArea.LeftDockWidgetArea
TOP = Qt.DockWidgetArea.TopDockWidgetArea
PRESENTATION_LEFT_WIDTH = 470
#: ... or this share of the window, if less (a 1024 px projector: 410 px).
PRESENTATION_LEFT_SHARE = 0.4
#: The version saveState/restoreState record: a layout from another version is not restored.
LAYOUT_VERSION = 4
#: From this window size up the four plots are all on screen at once (a 1280x720 screen, less
#: a task bar and a title bar, still gets them: the Jacobian and binary panels go compact);
#: below it they go into two tab groups (two plots at once, Ctrl+N brings another in).
GRID_MIN_SIZE = (1200, 600)
#: From this window height the grid's left column gives the weights more than half.
TALL_GRID_HEIGHT = 900
#: The left column (the sample inspector) of the desk layout.
LEFT_COLUMN_WIDTH = 250
#: How many plots presentation mode shows at once (the others are tabs), by choice.
PLOTS_AT_ONCE = (1, 2, 4)


def docks_at(docks: dict[str, PanelDock], place: Place) -> list[PanelDock]:
    """The docks of the panels at `place`, in table order (the first is the place's own)."""
    return [dock for dock in docks.values() if dock.row.place is place]


def _first(docks: dict[str, PanelDock], place: Place) -> PanelDock:
    return docks_at(docks, place)[0]


def _start(window: QMainWindow, docks: dict[str, PanelDock]) -> None:
    """Take every dock out, then the strip across the top and the left column, so any earlier
    state is gone."""
    for dock in docks.values():
        window.removeDockWidget(dock)
        dock.setFloating(False)
    window.addDockWidget(TOP, _first(docks, Place.TOP_STRIP))
    window.addDockWidget(LEFT, _first(docks, Place.LEFT_COLUMN))
    for dock in docks.values():
        dock.show()


def _split(window: QMainWindow, d: dict[str, PanelDock], at_once: int) -> list[tuple]:
    """The plots right of the left column: a 2 x 2 grid (4), two columns (2) or one area (1).
    Returns the groups of places that become one tab group each (see _tab)."""
    top_left, bottom_left, top_right, bottom_right = (_first(d, p) for p in PLOT_PLACES)
    window.splitDockWidget(_first(d, Place.LEFT_COLUMN), top_left, H)
    if at_once == 1:
        return [PLOT_PLACES]
    window.splitDockWidget(top_left, top_right, H)
    if at_once == 2:
        return [PLOT_PLACES[:2], PLOT_PLACES[2:]]
    window.splitDockWidget(top_left, bottom_left, V)
    window.splitDockWidget(top_right, bottom_right, V)
    return [(place,) for place in PLOT_PLACES]


def _tab(window: QMainWindow, d: dict[str, PanelDock], groups: list[tuple]) -> None:
    """The panels that share a place (or a group of places) become tabs of its first one.

    Last, after the splits and the sizes: a dock split off a tabbed one lands in a broken
    arrangement, and resizeDocks ignored every size it was given once a dock was tabbed."""
    for group in ((Place.TOP_STRIP,), (Place.LEFT_COLUMN,), *groups):
        front, *others = [dock for place in group for dock in docks_at(d, place)]
        for dock in others:
            window.tabifyDockWidget(front, dock)
        if others:
            front.raise_()


def desk_layout(window: QMainWindow, docks: dict[str, PanelDock], at_once: int = 4) -> None:
    """The strip across the top; below, three columns: the left column; the top-left plot over
    the bottom-left one; the top-right over the bottom-right (at_once = 2: each plot column a
    pair of tabs, for screens under GRID_MIN_SIZE). Which panel is where: gui/panel_table.py."""
    d = docks
    _start(window, d)
    set_left_column_minimum(d, 0)
    groups = _split(window, d, at_once)
    set_titles(d, short=at_once < 4)
    # Sized before the tabs (resizeDocks ignores a dock just tabbed) and again once the new
    # tab groups are laid out (they took sizes of their own: the loss plot lost 100 px).
    _size_desk(window, d, at_once)
    _tab(window, d, groups)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    _size_desk(window, d, at_once)
    hide_stale_tab_bars(window)


def _size_desk(window: QMainWindow, d: dict[str, PanelDock], at_once: int) -> None:
    """The desk layout's column widths and, in the grid, the plots' heights."""
    left, (top_left, bottom_left, top_right, bottom_right) = _columns(d)
    window.layout().activate()  # the docks at this window size (a resize lays out later)
    width = window.width()
    plots = max(2 * 300, width - LEFT_COLUMN_WIDTH)
    window.resizeDocks(
        [left, top_left, top_right],
        [LEFT_COLUMN_WIDTH, plots * 53 // 100, plots * 47 // 100],
        H,
    )
    if at_once == 4:
        # On a short window the weights' templates need less than their share (they keep
        # their aspect) and the loss curves more: there the two halves are equal.
        # (In pixels adding up to about the window's height: small proportional numbers made
        # Qt shrink the whole dock area for a moment, and the sizes did not come back.)
        height = window.height()
        weights = 50 if height < TALL_GRID_HEIGHT else 56
        window.resizeDocks(
            [top_left, bottom_left], [height * weights // 100, height * (100 - weights) // 100], V
        )
        window.resizeDocks([top_right, bottom_right], [height * 45 // 100, height * 55 // 100], V)


def _columns(d: dict[str, PanelDock]) -> tuple[PanelDock, tuple[PanelDock, ...]]:
    """The left column's dock and the four plot places' (top left, bottom left, top right,
    bottom right), the first of each place."""
    return _first(d, Place.LEFT_COLUMN), tuple(_first(d, p) for p in PLOT_PLACES)


def presentation_layout(
    window: QMainWindow,
    docks: dict[str, PanelDock],
    at_once: int = 2,
    left_width: int = PRESENTATION_LEFT_WIDTH,
    window_width: int | None = None,
) -> None:
    """For a projector: the strip across the top and the left column (both in view), and
    `at_once` plots (1, 2 or 4; the others are tabs; Ctrl+N brings one in)."""
    d = docks
    _start(window, d)
    groups = _split(window, d, at_once)
    set_titles(d, short=True)
    # The width the window is about to have (full screen: the screen's, which the window
    # system gives it later) or has.
    width = window.width() if window_width is None else window_width
    # A narrow projector (1024 px) leaves the plots at least PRESENTATION_LEFT_SHARE of it.
    left_width = min(left_width, round(PRESENTATION_LEFT_SHARE * width))
    set_left_column_minimum(d, left_width)
    left, (top_left, _, top_right, _) = _columns(d)
    rest = max(300, width - left_width)
    if at_once == 1:
        window.resizeDocks([left, top_left], [left_width, rest], H)
    else:  # the two plot columns share the rest equally
        window.resizeDocks(
            [left, top_left, top_right],
            [left_width, rest // 2, rest - rest // 2],
            H,
        )
    _tab(window, d, groups)
    hide_stale_tab_bars(window)


def set_titles(docks: dict[str, PanelDock], short: bool) -> None:
    """Short dock titles where tabs would cut the full ones."""
    for dock in docks.values():
        dock.setWindowTitle(dock.row.short_title if short else dock.row.title)


def set_left_column_minimum(docks: dict[str, PanelDock], width: int) -> None:
    """The left column's minimum width at projector font sizes (0: none).

    A minimum, not a resizeDocks: the size hints of the new fonts shrink a resized column back.
    """
    for dock in docks_at(docks, Place.LEFT_COLUMN):
        dock.setMinimumWidth(width)


def hide_stale_tab_bars(window: QMainWindow) -> None:
    """Hide tab bars left over from earlier arrangements.

    Qt keeps the tab bar of a tab group that a later tabify or restoreState replaced, and on
    some platforms (seen with the offscreen one) leaves it visible over the status bar. A bar
    is current when its tabs are exactly one group of docks tabbed together now. Two bars with
    the same tabs (a group laid out again, as the window's first layout is at its real size)
    are both hidden: which one Qt uses is not known before it lays the window out, and
    laying it out shows the one it uses (QDockAreaLayoutInfo::apply).

    Every bar also keeps its titles whole: Qt elides them where the tabs do not fit (five plot
    tabs at projector fonts on a 1024 px screen cut each title by a few letters); whole
    titles with scroll arrows beside them are read, "Jacob…" is guessed at.
    """
    by_title = {dock.windowTitle(): dock for dock in window.findChildren(QDockWidget)}
    groups: dict[frozenset, list[QTabBar]] = {}
    for bar in window.findChildren(QTabBar):
        if bar.parent() is not window:
            continue  # tab bars inside panels are theirs
        bar.setElideMode(Qt.TextElideMode.ElideNone)
        bar.setUsesScrollButtons(True)
        if bar.style() is not compact_tab_style():  # seven plot tabs on a 1024 px projector
            bar.setStyle(compact_tab_style())
        titles = {bar.tabText(i) for i in range(bar.count())}
        docks = [by_title.get(title) for title in titles]
        current = len(docks) >= 2 and all(docks)
        if current:
            group = {docks[0].windowTitle()}
            group |= {d.windowTitle() for d in window.tabifiedDockWidgets(docks[0])}
            current = group == titles
        groups.setdefault(frozenset(titles) if current else frozenset(), []).append(bar)
    for titles, bars in groups.items():
        if not titles or len(bars) > 1:
            for bar in bars:
                bar.hide()
