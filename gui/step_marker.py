"""A vertical line through the loss and accuracy plots at the step the timeline shows."""

from __future__ import annotations

import pyqtgraph as pg

from gui.curves import steps_to_epochs
from model import TrainingSnapshot

#: The marker's colour: a strong magenta, apart from the curves' blue, orange and green.
MARKER_COLOR = (200, 0, 150)


class StepMarker:
    """One InfiniteLine per plot, made once; `show` moves them or hides them (live)."""

    def __init__(self, plots: tuple[pg.PlotItem, ...]):
        self.lines = []
        for i, plot in enumerate(plots):
            # The step is written once, at the top of the first plot, right of the line.
            label = {} if i else {
                "label": "",
                "labelOpts": {"position": 0.93, "anchors": [(0, 0), (0, 0)],
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

    def set_width(self, width: int) -> None:
        for line in self.lines:
            line.setPen(pg.mkPen(MARKER_COLOR, width=width))

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
        self.lines[0].label.setFormat(f"step {step:,}")  # after show: a hidden label ignores it
