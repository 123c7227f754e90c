"""Two figures of the "Codes vs softmax" panel: both models' test accuracy over the steps, and
how far (in bits) their wrong answers lie from the true code, beside all digit pairs.

Both are made once and updated in place when a new comparison arrives (a few times a second
at most: the training process evaluates that often). They have no legends: the panel's title
above each names the curves and bars in their colours (`key`), which takes no room from them.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from gui.plotting import keep_axis_label_fitted, sizes, style_plot
from model import CodesComparison

SOFTMAX_COLOR = (20, 70, 150)
CODE_COLOR = (215, 90, 0)
PAIRS_COLOR = (160, 160, 160)
INVALID_COLOR = (110, 110, 110)
TOP = 1.02
SHARE_TICKS = [[(v, f"{v:.0%}") for v in (0.0, 0.25, 0.5, 0.75, 1.0)]]
#: The bars of one distance: softmax, code model, pairs, side by side.
BAR_WIDTH = 0.27
BARS = (("softmax errors", SOFTMAX_COLOR), ("code model errors", CODE_COLOR),
        ("all digit pairs", PAIRS_COLOR))  # fmt: skip
#: A code bar's share is written this far (in shares) above the tallest bar of its distance.
LABEL_GAP = 0.01
#: Axis labels, longest first: the longest that fits is shown.
STEP_LABELS = ("minibatch step", "step")
BITS_LABELS = ("bits wrong (Hamming distance to the true code)", "bits wrong (distance)",
               "bits wrong")  # fmt: skip


def _plot(widget: pg.PlotWidget) -> pg.PlotItem:
    widget.setBackground("w")
    plot = widget.getPlotItem()
    plot.setMouseEnabled(x=False, y=False)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setYRange(-0.02, TOP, padding=0)  # 0 % and 100 % ticks inside
    plot.getAxis("left").setTicks(SHARE_TICKS)
    plot.showGrid(y=True, alpha=0.25)
    return plot


def key(*names_and_colors) -> str:
    """Rich text naming each curve or bar in its colour, e.g. for a figure's title."""
    return ", ".join(f"<span style='color: rgb{tuple(color)}'>{name}</span>"
                     for name, color in names_and_colors)  # fmt: skip


class AccuracyCurves(pg.PlotWidget):
    """Test accuracy of the softmax and of the code model at each evaluation, and the share of
    the code model's answers that are no code of a class (invalid), against the step."""

    def __init__(self, parent=None):
        super().__init__(parent)
        plot = self.plot = _plot(self)
        self.softmax_curve = plot.plot()
        self.code_curve = plot.plot()
        self.invalid_curve = plot.plot()
        self._fit_label = keep_axis_label_fitted(plot.getAxis("bottom"), STEP_LABELS, plot.vb)
        self._shown: CodesComparison | None = None
        self.set_presentation(False)

    def show_comparison(self, codes: CodesComparison | None) -> None:
        if codes is self._shown:
            return
        self._shown = codes
        if codes is None:
            for curve in (self.softmax_curve, self.code_curve, self.invalid_curve):
                curve.setData([], [])
            return
        steps = codes.eval_steps
        self.softmax_curve.setData(steps, codes.softmax_accuracy)
        self.code_curve.setData(steps, codes.code_accuracy)
        self.invalid_curve.setData(steps, codes.invalid_share)
        self.plot.setXRange(0, max(1, int(steps[-1])), padding=0.02)

    def set_presentation(self, on: bool) -> None:
        width = sizes(on)["line"]
        symbol = 7 if not on else 11
        for curve, color in ((self.softmax_curve, SOFTMAX_COLOR), (self.code_curve, CODE_COLOR)):
            curve.setPen(pg.mkPen(color, width=width))
            curve.setSymbol("o")
            curve.setSymbolSize(symbol)
            curve.setSymbolBrush(color)
            curve.setSymbolPen(None)
        self.invalid_curve.setPen(
            pg.mkPen(INVALID_COLOR, width=max(1, width - 1), style=Qt.PenStyle.DashLine)
        )
        style_plot(self.plot, on)
        self._fit_label()


class DistanceBars(pg.PlotWidget):
    """Of each model's wrong answers, the share whose code is 1, 2, ... bits from the true
    code; beside them the share of all pairs of distinct classes at that distance."""

    def __init__(self, parent=None):
        super().__init__(parent)
        plot = self.plot = _plot(self)
        self.bars = {}
        for k, (name, color) in enumerate(BARS):
            bar = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH, brush=color, pen=None)
            bar.offset = (k - 1) * BAR_WIDTH
            plot.addItem(bar)
            self.bars[name] = bar
        self._fit_label = keep_axis_label_fitted(plot.getAxis("bottom"), BITS_LABELS, plot.vb)
        plot.vb.sigResized.connect(self._place_labels)
        self.code_labels: list[pg.TextItem] = []
        self.n_bits = 0
        self._shown: CodesComparison | None = None
        self.set_presentation(False)

    def _set_bits(self, n_bits: int) -> None:
        self.n_bits = n_bits
        for label in self.code_labels:
            self.plot.removeItem(label)
        self.code_labels = []
        for _ in range(n_bits):
            label = pg.TextItem("", color=CODE_COLOR, anchor=(0.5, 1.0))
            label.setFont(self._label_font)
            self.plot.addItem(label)
            self.code_labels.append(label)
        self.plot.getAxis("bottom").setTicks([[(d, str(d)) for d in range(1, n_bits + 1)]])
        self.plot.setXRange(0.5, n_bits + 0.5, padding=0)

    def show_comparison(self, codes: CodesComparison | None) -> None:
        if codes is self._shown:
            return
        self._shown = codes
        if codes is None:
            for bar in self.bars.values():
                bar.setOpts(x=[], height=[])
            for label in self.code_labels:
                label.setText("")
            return
        if codes.n_bits != self.n_bits:
            self._set_bits(codes.n_bits)
        d = np.arange(1, codes.n_bits + 1)
        shares = (codes.softmax_error_shares, codes.code_error_shares, codes.pair_shares)
        for bar, values in zip(self.bars.values(), shares, strict=True):
            bar.setOpts(x=d + bar.offset, height=values[1:])
        self._place_labels()

    def _place_labels(self, *_) -> None:
        """Each code bar's share above the tallest bar of its distance (written on the bar
        itself it spilled over the bars beside it, wider than it), the plot's top raised to
        make room for it (on a new comparison and on resize)."""
        codes = self._shown
        if codes is None or len(self.code_labels) != codes.n_bits:
            return
        shares = codes.code_error_shares[1:]
        groups = np.max([codes.softmax_error_shares, codes.code_error_shares,
                         codes.pair_shares], axis=0)[1:]  # fmt: skip
        for label, share in zip(self.code_labels, shares, strict=True):
            label.setText(f"{share:.0%}")
        # The label's height as a share of the view's: the top t leaves it room over the
        # tallest group, t >= m + gap + r (t + 0.02).
        tall = max(label.boundingRect().height() for label in self.code_labels)  # pixels
        r = tall / max(1.0, self.plot.vb.height())
        top = TOP if r >= 0.5 else max(TOP, (groups.max() + LABEL_GAP + 0.02 * r) / (1 - r))
        self.plot.setYRange(-0.02, top, padding=0)
        for x, (label, group) in enumerate(zip(self.code_labels, groups, strict=True), start=1):
            label.setPos(x, group + LABEL_GAP)

    def set_presentation(self, on: bool) -> None:
        self._label_font = QFont()
        self._label_font.setPointSize(sizes(on)["tick_pt"])
        self._label_font.setBold(True)
        for label in self.code_labels:
            label.setFont(self._label_font)
        style_plot(self.plot, on)
        self._fit_label()
        self._place_labels()
