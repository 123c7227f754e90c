"""What the loss panel draws of a comparison (gui/run_comparison.py): the previous run's loss
and test accuracy, faded and labelled, under the new run's, and a labelled vertical marker at
each setting change of the run.

The faded curves are made once and given new data only when the comparison changes (a new
previous run, another x-axis); markers are made when a change happens, which is rare.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from gui.curves import minibatch_lines, steps_to_epochs
from gui.plotting import sizes
from gui.run_comparison import RunComparison
from model import TrainingSnapshot

#: The previous run in grey-violet, faded: it must not be taken for the train or test curves.
PREVIOUS_COLOR = (120, 90, 160)
PREVIOUS_BAND_ALPHA = 45
PREVIOUS_LINE_ALPHA = 150
MARKER_COLOR = (60, 60, 60)


class RunOverlay:
    """The comparison's items in the loss panel's two plots (`loss_plot`, `accuracy_plot`),
    named in their legends."""

    def __init__(self, loss_plot, accuracy_plot, loss_legend, accuracy_legend):
        self.loss_plot, self.accuracy_plot = loss_plot, accuracy_plot
        self.loss_legend, self.accuracy_legend = loss_legend, accuracy_legend
        self.band = pg.PlotDataItem(skipFiniteCheck=True)
        self.smooth = pg.PlotDataItem(skipFiniteCheck=True)
        self.accuracy = pg.PlotDataItem(skipFiniteCheck=True)
        for plot, item in ((loss_plot, self.band), (loss_plot, self.smooth)):
            plot.addItem(item)
            item.setZValue(-10)  # under every curve of the run now
        accuracy_plot.addItem(self.accuracy)
        self.accuracy.setZValue(-10)
        for curve, method in ((self.band, "peak"), (self.smooth, "mean")):
            curve.setDownsampling(auto=True, method=method)
            curve.setClipToView(True)
        self.markers: list[pg.InfiniteLine] = []
        self.label = ""
        self._presentation = False
        self.set_presentation(False)
        self.clear()

    def set_presentation(self, on: bool) -> None:
        self._presentation = on
        line = sizes(on)["line"]
        self.band.setPen(pg.mkPen((*PREVIOUS_COLOR, PREVIOUS_BAND_ALPHA), width=1))
        dash = Qt.PenStyle.DashLine
        for item in (self.smooth, self.accuracy):
            item.setPen(pg.mkPen((*PREVIOUS_COLOR, PREVIOUS_LINE_ALPHA), width=line, style=dash))
        for marker in self.markers:
            self._style_marker(marker)

    def clear(self) -> None:
        for item in (self.band, self.smooth, self.accuracy):
            item.setData(x=np.empty(0), y=np.empty(0))
        self._set_label("")
        self._set_markers([], None, "steps")

    def draw(
        self, comparison: RunComparison, snapshot: TrainingSnapshot, x_axis: str
    ) -> tuple[np.ndarray, list[np.ndarray]] | None:
        """Show the comparison on the axis `x_axis` ("steps" or "epochs"; the markers' steps
        become epochs through `snapshot`, the run now). Returns the previous run's x and
        losses (for the view to take in), or None without one."""
        self._set_markers(comparison.markers, snapshot, x_axis)
        previous = comparison.previous
        if previous is None or not len(previous.step_losses):
            for item in (self.band, self.smooth, self.accuracy):
                item.setData(x=np.empty(0), y=np.empty(0))
            self._set_label("")
            return None
        steps = np.asarray(previous.step_loss_steps, dtype=np.float64)
        x = steps_to_epochs(steps, previous) if x_axis == "epochs" else steps
        band_x, band_y, smooth_x, smooth_y, spans = minibatch_lines(x, previous.step_losses)
        self.band.setData(x=band_x, y=band_y)
        self.smooth.setData(x=smooth_x, y=smooth_y)
        eval_x = previous.eval_epochs if x_axis == "epochs" else previous.eval_steps
        self.accuracy.setData(x=eval_x, y=previous.test_accuracy)
        self._set_label(comparison.previous_label)
        return smooth_x, spans

    def _set_label(self, text: str) -> None:
        """The previous run's name in both legends (out of them without one)."""
        if text == self.label:
            return
        for legend, item, words in (
            (self.loss_legend, self.smooth, text),
            (self.accuracy_legend, self.accuracy, text.replace("previous run", "previous test")),
        ):
            if self.label:
                legend.removeItem(item)
            if text:
                legend.addItem(item, words)
        self.label = text

    def _set_markers(self, markers, snapshot: TrainingSnapshot | None, x_axis: str) -> None:
        """One vertical line per setting change, at its step (or epoch), labelled with it."""
        while len(self.markers) > len(markers):
            self.loss_plot.removeItem(self.markers.pop())
        while len(self.markers) < len(markers):
            marker = pg.InfiniteLine(
                angle=90,
                movable=False,
                label="",
                labelOpts={
                    # Near the bottom, right of the line: the legends are at the top.
                    "position": 0.06,
                    "anchors": [(0, 1), (0, 1)],
                    "color": MARKER_COLOR,
                    "fill": (255, 255, 255, 210),
                },
            )
            self._style_marker(marker)
            self.loss_plot.addItem(marker)
            self.markers.append(marker)
        if not markers:
            return
        steps = np.array([step for step, _ in markers], dtype=np.float64)
        x = steps_to_epochs(steps, snapshot) if x_axis == "epochs" else steps
        for marker, position, (_, text) in zip(self.markers, x, markers, strict=True):
            marker.setPos(float(position))
            if marker.label.format != text:
                marker.label.setFormat(text)

    def _style_marker(self, marker: pg.InfiniteLine) -> None:
        s = sizes(self._presentation)
        marker.setPen(
            pg.mkPen(MARKER_COLOR, width=max(1, s["line"] - 1), style=Qt.PenStyle.DotLine)
        )
        font = marker.label.textItem.font()
        font.setPointSizeF(s["label_pt"])
        marker.label.textItem.setFont(font)
        marker.setZValue(5)
