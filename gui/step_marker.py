"""A vertical line through the loss and accuracy plots at the step the timeline shows."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QFont

from gui.curves import steps_to_epochs
from model import TrainingSnapshot

#: The marker's colour: a strong magenta, apart from the curves' blue, orange and green.
MARKER_COLOR = (200, 0, 150)


class StepMarker:
    """One InfiniteLine per plot, made once; `show` moves them or hides them (live)."""

    def __init__(self, plots: tuple[pg.PlotItem, ...]):
        self.lines = []
        for i, plot in enumerate(plots):
            # The step is written once, low in the last plot (accuracy), right of the line:
            # the loss plot's legend and curves fill its top, accuracy is near 1 after a few
            # steps.
            label = {} if i != len(plots) - 1 else {
                "label": "",
                "labelOpts": {"position": 0.2, "anchors": [(0, 0.5), (0, 0.5)],
                              "color": MARKER_COLOR, "fill": pg.mkBrush(255, 255, 255, 220)},
            }  # fmt: skip
            line = pg.InfiniteLine(
                angle=90, movable=False, pen=pg.mkPen(MARKER_COLOR, width=2), **label
            )
            line.setZValue(5)
            line.hide()
            plot.addItem(line, ignoreBounds=True)
            self.lines.append(line)
        self.step: int | None = None
        self._x: float | None = None

    def set_style(self, width: int, point_size: int) -> None:
        """Line width and label size for the desk or a projector."""
        for line in self.lines:
            line.setPen(pg.mkPen(MARKER_COLOR, width=width))
        font = QFont()
        font.setPointSize(point_size)
        font.setBold(True)
        self.lines[-1].label.setFont(font)

    def show(self, step: int | None, snapshot: TrainingSnapshot | None, epochs: bool) -> None:
        """Mark `step` (None: hide), on an x-axis of steps or, if `epochs`, of epochs."""
        if step is None or snapshot is None:
            if self.step is not None:
                for line in self.lines:
                    line.hide()
            self.step, self._x = None, None
            return
        x = float(steps_to_epochs([step], snapshot)[0]) if epochs else float(step)
        if (step, x) == (self.step, self._x):
            return
        self.step, self._x = step, x
        for line in self.lines:
            line.setValue(x)
            line.show()
        self.lines[-1].label.setFormat(f"step {step:,}")  # after show: a hidden label ignores it
