"""The base of every panel: a widget that shows one thing from a Frame."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu, QWidget

from gui.frame import Frame
from model import Dataset


class Panel(QWidget):
    """A dock's content. The main window calls `set_dataset` when the dataset changes (build
    plot items here) and `show_frame` on each redraw (update items in place, never rebuild).
    """

    title = "Panel"

    def set_dataset(self, dataset: Dataset) -> None:
        """A new dataset: shapes and class names may change."""

    def show_frame(self, frame: Frame) -> None:
        """Draw the frame; called at most about 30 times a second."""

    def set_presentation(self, on: bool) -> None:
        """Large lines and fonts for a projector (fonts follow the application font)."""

    def lines_high(self) -> float:
        """The panel's height in lines of its font: what the compact modes are decided by, so
        a panel goes compact at the same point at the desk and with a projector's fonts."""
        return self.height() / max(1, self.fontMetrics().height())

    def add_actions(self, menu: QMenu) -> None:
        """Put the panel's own commands in the window's View menu (and make them work there)."""
