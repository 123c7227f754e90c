"""Outcome fractions over the test set against the threshold p, with p as a draggable line.

Four curves (decoded right, one fired but wrong, none fired, several fired) from
BinaryOutputNetwork.sweep, the softmax argmax accuracy as a dashed horizontal line (the right
answers never rise above it), the sheet's p = 0.5 dashed, and the current p as a thick line the
student can drag. Dots mark the current fractions on the curves.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem

from gui.panels.binary_verdict import KINDS, OUTCOME_COLORS, OUTCOME_NAMES
from gui.plotting import keep_axis_label_fitted, shrink_legend, sizes, style_plot
from model import OutcomeFractions, ThresholdSweep

P_COLOR = (20, 20, 20)


#: The y-axis label, longest first: the longest that fits the plot's height is shown. In a plot
#: too short even for "fraction" it goes: the stats line under the plot says the fractions.
FRACTION_LABELS = ("fraction of test samples", "fraction of test set", "fraction", "")


class Dots:
    """One dot per outcome at (p, fraction), of constant pixel size. Plain Qt ellipses: a
    ScatterPlotItem runs Python on every paint, and these move with every frame."""

    def __init__(self, colors, plot: pg.PlotItem, size: float = 11):
        self.items = []
        for color in colors:
            dot = QGraphicsEllipseItem()
            dot.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            dot.setBrush(pg.mkBrush(color))
            dot.setPen(pg.mkPen("w", width=1.5))
            dot.setZValue(5)
            dot.setVisible(False)
            plot.addItem(dot, ignoreBounds=True)
            self.items.append(dot)
        self._x, self._y = np.zeros(0), np.zeros(0)
        self.setSize(size)

    def setData(self, x, y) -> None:  # noqa: N802 - ScatterPlotItem's name
        """Dots at (x[i], y[i]); as many as given, the rest hidden."""
        self._x, self._y = np.asarray(x, float), np.asarray(y, float)
        for i, dot in enumerate(self.items):
            shown = i < len(self._x)
            if shown:
                dot.setPos(self._x[i], self._y[i])
            dot.setVisible(shown)

    def getData(self) -> tuple[np.ndarray, np.ndarray]:  # noqa: N802
        return self._x, self._y

    def setSize(self, size: float) -> None:  # noqa: N802
        for dot in self.items:
            dot.setRect(-size / 2, -size / 2, size, size)


class ThresholdSweepPlot(pg.GraphicsLayoutWidget):
    """The sweep plot; `threshold_dragged(p)` fires while the student drags the p line."""

    threshold_dragged = Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        plot = self.plot_item = self.addPlot(row=0, col=0)
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(False, False)
        plot.hideButtons()
        plot.setLabel("bottom", "threshold p")
        plot.setLabel("left", FRACTION_LABELS[0])
        self._fit_y_label = keep_axis_label_fitted(plot.getAxis("left"), FRACTION_LABELS, plot.vb)
        # A margin beyond 0 and 1, so the end ticks keep their labels at any font size.
        plot.setXRange(-0.03, 1.04, padding=0)
        plot.setYRange(-0.04, 1.06, padding=0)
        plot.showGrid(x=True, y=True, alpha=0.15)
        # An axis with a grid spans the whole plot, so every moving dot or line repainted its
        # ticks, labels and grid; its range never changes: paint it once, then copy it.
        for name in ("left", "bottom"):
            plot.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.curves = {kind: plot.plot([], []) for kind in KINDS}
        self.argmax_curve = plot.plot([], [])
        # The legend sits under the plot: over it, it would hide some curve at every p.
        self.legend = pg.LegendItem(colCount=3, labelTextSize="9pt")
        self.addItem(self.legend, row=1, col=0)
        for kind in KINDS:
            self.legend.addItem(self.curves[kind], OUTCOME_NAMES[kind])
        self.legend.addItem(self.argmax_curve, "softmax argmax accuracy")
        for item in (*self.curves.values(), self.argmax_curve):
            # A new sweep comes a few times a second, the dots move every frame: the curves
            # under them are copied from a cache, not stroked again.
            item.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.dots = Dots([OUTCOME_COLORS[k] for k in KINDS], plot)
        self.half_line = pg.InfiniteLine(
            0.5, angle=90, movable=False, label="0.5",
            labelOpts={"position": 0.97, "color": (90, 90, 90), "anchors": [(1.1, 0), (1.1, 0)]},
        )  # fmt: skip
        plot.addItem(self.half_line)
        self.p_line = pg.InfiniteLine(
            0.5, angle=90, movable=True, bounds=(0.0, 1.0), label="p = {value:.3f}",
            labelOpts={"position": 0.03, "color": P_COLOR, "fill": (255, 255, 255, 220),
                       "anchors": [(-0.05, 1), (-0.05, 1)]},
        )  # fmt: skip
        self.p_line.setZValue(10)
        self.p_line.setToolTip("Drag this line to set the threshold p.")
        plot.addItem(self.p_line)
        self._setting = False  # True while the panel moves the line itself
        self.p_line.sigPositionChanged.connect(self._line_moved)
        self.setToolTip(
            "How the test set decodes at every threshold p; drag the black line to set p."
        )
        self.sweep: ThresholdSweep | None = None
        self._current: tuple = (None, None)  # (p, outcomes) shown
        plot.vb.sigResized.connect(self._fit_line_labels)
        self.set_presentation(False)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # The legend first: the base class then sizes the layout to the new width, and a
        # legend removed afterwards would leave the layout as wide as it was (the plot cut off).
        if hasattr(self, "legend"):  # GraphicsView resizes once before __init__ is done
            self._fit_legend()
        super().resizeEvent(event)

    def _fit_legend(self) -> None:
        """As many legend columns as fit (a legend wider than the plot would squeeze it).

        Where not even two columns fit, the legend goes: the panel's stats line under the
        plot names every curve in its colour, and the plot needs the height more.
        """
        available = self.width() - 10
        columns = 0
        for count in (3, 2):  # the legend laid out at each count, widest first
            self.legend.setColumnCount(count)
            shrink_legend(self.legend)
            if self.legend.boundingRect().width() <= available:
                columns = count
                break
        shown = self.legend.scene() is not None
        if columns and not shown:
            self.addItem(self.legend, row=1, col=0)
        elif not columns and shown:
            self.ci.removeItem(self.legend)

    def set_sweep(self, sweep: ThresholdSweep | None) -> None:
        """Show a new sweep (None clears the curves, e.g. after a dataset change)."""
        self.sweep = sweep
        if sweep is None:
            for curve in (*self.curves.values(), self.argmax_curve):
                curve.setData([], [])
            return
        p = sweep.thresholds
        for kind, values in zip(KINDS, self._fractions(sweep), strict=True):
            self.curves[kind].setData(p, values)
        self.argmax_curve.setData([0.0, 1.0], [sweep.argmax_accuracy] * 2)

    @staticmethod
    def _fractions(s) -> tuple:
        return s.correct, s.wrong, s.none_fired, s.several_fired

    def set_current(self, p: float, outcomes: OutcomeFractions | None) -> None:
        """Move the p line (without echoing it back) and put the dots at the current fractions.

        Called every frame: what has not changed is not set again."""
        if (p, outcomes) == self._current:
            return
        moved = p != self._current[0]
        self._current = (p, outcomes)
        if moved:
            self._move_line(p)
        if outcomes is None:
            self.dots.setData([], [])
            return
        self.dots.setData(np.full(len(KINDS), p), np.asarray(self._fractions(outcomes), float))

    def _move_line(self, p: float) -> None:
        self._setting = True
        try:
            # The "p = ..." label inside the plot: right of the line, or left of it near p = 1
            # (or where only that side has room); a plot too narrow for it on either side
            # drops it (the spin box above says p).
            label = self.p_line.label
            width = 1.1 * label.textItem.boundingRect().width()
            width *= self.plot_item.vb.viewPixelSize()[0]
            left_end, right_end = self.plot_item.vb.viewRange()[0]
            fits_right, fits_left = p + width <= right_end, p - width >= left_end
            anchor = (-0.05, 1) if fits_right and (p <= 0.7 or not fits_left) else (1.05, 1)
            label.anchors = [anchor, anchor]
            self.p_line.setValue(p)
            label.updatePosition()
            label.setOpacity(1.0 if fits_right or fits_left else 0.0)
        finally:
            self._setting = False

    def _line_moved(self, line: pg.InfiniteLine) -> None:
        if not self._setting:
            self.threshold_dragged.emit(float(line.value()))

    def set_presentation(self, on: bool) -> None:
        s = sizes(on)
        width = s["line"]
        for kind, curve in self.curves.items():
            curve.setPen(pg.mkPen(OUTCOME_COLORS[kind], width=width))
        self.argmax_curve.setPen(pg.mkPen((0, 0, 0), width=width, style=Qt.PenStyle.DashLine))
        self.half_line.setPen(pg.mkPen((90, 90, 90), width=max(1, width - 1),
                                       style=Qt.PenStyle.DashLine))  # fmt: skip
        self.p_line.setPen(pg.mkPen(P_COLOR, width=width + 1))
        self.p_line.setHoverPen(pg.mkPen((0, 90, 200), width=width + 3))
        self.dots.setSize(11 if not on else 17)
        font = QFont()
        font.setPointSize(s["tick_pt"])
        self.p_line.label.setFont(font)
        self.half_line.label.setFont(font)
        self.legend.setLabelTextSize(f"{s['tick_pt']}pt")
        for _, label in self.legend.items:  # setLabelTextSize alone does not re-render them
            label.setText(label.text, size=f"{s['tick_pt']}pt")
        self._fit_legend()
        style_plot(self.plot_item, on)
        self._fit_y_label()  # new fonts
        self._fit_line_labels()

    def _fit_line_labels(self, *_) -> None:
        """The lines' labels ("0.5" at the top, "p = ..." at the bottom) where the plot is tall
        enough for both with room between; in a shorter plot they would stick out of it (the
        spin box above still says p)."""
        tall = 3 * self.p_line.label.textItem.boundingRect().height()
        shown = self.plot_item.vb.height() >= tall
        for line in (self.p_line, self.half_line):
            if line.label.isVisible() != shown:
                line.label.setVisible(shown)
        self._move_line(float(self.p_line.value()))  # its side of the line, for the new width
