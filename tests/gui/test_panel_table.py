"""The table of panels: a new panel is one file plus one row. A row added here (as a new panel
would be) gets a dock, a View-menu toggle, a Ctrl+N bring-to-front and a real place in the desk
and presentation layouts, with nothing else changed."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout

from gui import panel_table
from gui.main_window import MainWindow
from gui.panel import Panel
from gui.panel_row import PLOT_PLACES, PanelRow, Place
from gui.plotting import configure_pyqtgraph
from tests.gui.clients import make_client

#: The object names saved layouts are keyed by: renaming one loses the user's layout.
SAVED_NAMES = {
    "DrawingPanel",
    "TrainingControlsPanel",
    "WeightsPanel",
    "LossPanel",
    "JacobianPanel",
    "SamplePanel",
    "BinaryOutputPanel",
    "ConfusionPanel",
    "CodesPanel",
}
#: The tally's shortcut: the next number free after the table's own rows (Ctrl+0 once the
#: rows have taken Ctrl+1 to Ctrl+9).
TALLY_NUMBER = (len(panel_table.PANELS) + 1) % 10
TALLY_SHORTCUT = f"Ctrl+{TALLY_NUMBER}"


def test_the_table_is_whole_and_unambiguous():
    rows = panel_table.PANELS
    assert {row.object_name for row in rows} == SAVED_NAMES
    assert len({row.shortcut for row in rows}) == len(rows)
    assert len({row.short_title for row in rows}) == len(rows)
    for place in (Place.TOP_STRIP, Place.LEFT_COLUMN, *PLOT_PLACES):
        assert any(row.place is place for row in rows), place
    for row in rows:
        assert QKeySequence(row.shortcut).toString() == row.shortcut
        assert len(row.short_title) <= len(row.title)


class TallyPanel(Panel):
    """A panel as a new file would add it: it shows how many frames it was given."""

    title = "Frame tally"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.frames = 0
        self.label = QLabel("no frame yet")
        QVBoxLayout(self).addWidget(self.label)

    def show_frame(self, frame) -> None:
        self.frames += 1
        self.label.setText(f"{self.frames} frames")


@pytest.fixture
def with_row(monkeypatch, request):
    row = PanelRow(TallyPanel, "Tally", request.param, TALLY_SHORTCUT)
    monkeypatch.setattr(panel_table, "PANELS", (*panel_table.PANELS, row))
    return row


def shown_in_a_real_place(window, dock) -> bool:
    """In the window (not floating, not a stray widget at 0, 0) and given real room."""
    panel = dock.widget()
    return (
        not dock.isFloating()
        and window.dockWidgetArea(dock) != Qt.DockWidgetArea.NoDockWidgetArea
        and not dock.visibleRegion().isEmpty()
        and panel.width() >= 200
        and panel.height() >= 80
        and dock.mapTo(window, dock.rect().topLeft()).y() > window.menuBar().height()
    )


def press_tally_shortcut(qtbot) -> None:
    """The tally's Ctrl+N as the user presses it: to whatever has the focus."""
    key = Qt.Key(Qt.Key.Key_0.value + TALLY_NUMBER)
    qtbot.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.ControlModifier)


@pytest.mark.parametrize(
    "with_row",
    [Place.TOP_LEFT, Place.BOTTOM_RIGHT, Place.LEFT_COLUMN],
    indirect=True,
    ids=lambda place: place.name,
)
def test_a_new_row_gets_a_dock_a_toggle_a_shortcut_and_a_place(qtbot, with_row):
    configure_pyqtgraph()
    client = make_client()
    window = MainWindow(client, None)
    qtbot.addWidget(window)
    try:
        window.resize(1600, 1000)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        window._arrange_default_layout()
        dock = window.docks["TallyPanel"]
        assert dock.windowTitle() == "Frame tally" and isinstance(dock.widget(), TallyPanel)
        view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
        assert dock.toggleViewAction() in view.actions()
        bring = [a for a in view.actions() if a.shortcut().toString() == TALLY_SHORTCUT]
        assert [a.text() for a in bring] == ["Bring Frame tally to front"]

        # Desk: it shares its place (tabs) with the panel there, and its shortcut shows it.
        neighbours = [d for d in window.docks.values() if d.row.place is with_row.place]
        assert set(window.tabifiedDockWidgets(dock)) == set(neighbours) - {dock}
        press_tally_shortcut(qtbot)
        qtbot.waitUntil(lambda: shown_in_a_real_place(window, dock))
        window.redraw()
        assert dock.widget().frames >= 1  # drawn like every panel

        dock.toggleViewAction().trigger()
        assert not dock.isVisible()
        dock.toggleViewAction().trigger()
        assert dock.isVisible()

        # Presentation mode, every choice of plots at once: a tab its shortcut brings to front.
        window.presentation.set_active(True, full_screen=False)
        for at_once in (1, 2, 4):
            window.presentation.set_plots_at_once(at_once)
            press_tally_shortcut(qtbot)
            qtbot.waitUntil(lambda: shown_in_a_real_place(window, dock))
            assert dock.windowTitle() == "Tally"  # the short title
        window.presentation.set_active(False, full_screen=False)
        assert dock.windowTitle() == "Frame tally"
    finally:
        window.close()
        client.shutdown()
