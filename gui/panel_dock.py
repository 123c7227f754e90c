"""A dock made from a row of the table of panels: it holds the panel and knows its row."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QWidget

from gui.panel import Panel
from gui.panel_row import PanelRow, Place


class PanelDock(QDockWidget):
    """A closable, movable, floatable dock for `panel`, named and titled by its row."""

    def __init__(self, row: PanelRow, panel: Panel, parent: QWidget | None = None):
        super().__init__(row.title, parent)
        self.row = row
        self.setObjectName(row.object_name)  # saveState() keys docks by object name
        self.setWidget(panel)
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        if row.place is Place.TOP_STRIP:  # a strip across the top: no title bar, no room to spare
            self.setTitleBarWidget(QWidget())
            self.setAllowedAreas(
                Qt.DockWidgetArea.TopDockWidgetArea | Qt.DockWidgetArea.BottomDockWidgetArea
            )
