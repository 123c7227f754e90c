"""Loss and accuracy over training: every minibatch's loss, a smoothed line, and evaluations.

Top plot: the cross-entropy of each minibatch (thin, light: it is noisy because each batch is
a different small sample), a moving mean of it (thick), and the loss on the whole training and
test sets at each evaluation (lines with symbols). Bottom plot: train and test accuracy at each
evaluation. The two plots share their x-axis, which counts minibatch steps or epochs.

It stays fast for 100,000+ steps: curves are made once, their data are replaced only when the
snapshot's history changed, and the minibatch curves are clipped to the view and downsampled
(peak method, so spikes stay visible) to about one point per pixel.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
)

from gui.curves import (
    MAX_BINS,
    MIN_BINS,
    following_loss_range,
    following_x_range,
    minibatch_lines,
    smoothing_half_width,
    steps_to_epochs,
    window_words,
)
from gui.formatting import compact, percent
from gui.frame import Frame
from gui.loss_axes import LossAxes
from gui.panel import Panel
from gui.panels.run_overlay import RunOverlay
from gui.plotting import fit_axis_label, shrink_legend, sizes, style_plot
from gui.readout_line import ReadoutLine
from gui.run_comparison import RunComparison
from gui.step_marker import StepMarker
from gui.viewed_step import ViewedStep
from model import Dataset, TrainingSnapshot

#: Colours of the curves; train and test keep theirs in both plots.
MINIBATCH_COLOR = (135, 165, 210)
SMOOTH_COLOR = (20, 70, 150)
TRAIN_COLOR = (230, 110, 0)
TEST_COLOR = (30, 140, 30)

#: The x-axis choices: key, combo-box text, axis label.
X_AXES = (
    ("steps", "minibatch steps", "minibatch step"),
    ("epochs", "epochs", "epoch (passes through the training set)"),
)

#: Narrowest x-range (steps or epochs) the view zooms to, so one point does not fill it.
MIN_X_RANGE = {"steps": 10.0, "epochs": 0.05}

#: Up to this many evaluations get a symbol each; more would merge into a thick band.
MAX_SYMBOLS = 40


#: The y-axis labels, longest first: the first that fits the plot's height is shown.
LOSS_LABELS = ("loss (cross-entropy)", "loss")
ACCURACY_LABELS = ("accuracy", "acc.")


class LossAxis(pg.AxisItem):
    """A y-axis that in log mode labels only 1, 2 and 5 times a power of ten.

    pyqtgraph labels every minor tick (0.2, 0.3, ... 0.9) of a log axis spanning a decade or
    two, and the labels run into each other.
    """

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        strings = []
        for value in 10 ** (np.asarray(values, dtype=float)) * scale:
            mantissa = value / 10 ** np.floor(np.log10(value) + 1e-9)
            keep = min(abs(mantissa - m) for m in (1, 2, 5)) < 1e-6
            strings.append(f"{value:g}" if keep else "")
        return strings


#: A panel shorter than this many lines of text is compact (see _fit_legends) ...
COMPACT_BELOW_LINES = 22
#: ... and below this many it has no line to spare for the read-out (unless beside the
#: controls): the status bar says the step, the loss and the test accuracy too.
READOUT_BELOW_LINES = 18


class LossPanel(Panel):
    """Cross-entropy loss (per minibatch, smoothed, train and test) and accuracy over training.

    Controls: the x-axis (minibatch steps or epochs) and a log scale for the loss.
    Public: set_x_axis("steps" | "epochs"), x_axis, set_log_y(bool), and the curves
    minibatch_curve, smooth_curve, train_loss_curve, test_loss_curve, train_accuracy_curve,
    test_accuracy_curve, in the plots loss_plot and accuracy_plot.
    """

    title = "Loss and accuracy"

    def __init__(self, axes: LossAxes | None = None, parent=None):
        super().__init__(parent)
        #: The x-axis and log-y choice: the boxes below show and write it.
        self.axes = axes if axes is not None else LossAxes(parent=self)
        self._presentation = False
        self._snapshot: TrainingSnapshot | None = None
        self._viewed: ViewedStep | None = None  # the timeline's step, None while live
        self.compact = False  # see _fit_legends
        self._minibatch_key: tuple | None = None
        self._eval_key: tuple | None = None
        #: Whether the view follows the data on each axis (until the user pans or zooms).
        self._follow = {"x": True, "y": True}
        self._bins = MAX_BINS  # bins the minibatch history was last drawn with
        #: The ranges last set, and the data's (x first, x last, y low, y high).
        self._ranges: dict[str, tuple[float, float]] = {}
        self._bounds: dict[str, tuple[float, float]] = {}
        #: A comparison of runs (set_comparison): the previous run faded, setting markers.
        self.comparison: RunComparison | None = None
        self.overlay: RunOverlay | None = None
        self._overlay_key: tuple | None = None

        self.x_axis_box = QComboBox()
        for _, text, _ in X_AXES:
            self.x_axis_box.addItem(text)
        self.x_axis_box.setToolTip(
            "Plot against minibatch steps or against epochs (passes through the training set)."
        )
        self.x_axis_box.setAccessibleName("x-axis")  # its label, for screen readers
        self.x_axis_box.currentIndexChanged.connect(
            lambda index: self.axes.set_x_axis(X_AXES[index][0])
        )
        self.log_y_box = QCheckBox("log y")
        self.log_y_box.setToolTip(
            "Show the loss on a logarithmic scale, so late small improvements stay visible."
        )
        self.log_y_box.setAccessibleName("log y")
        self.log_y_box.toggled.connect(self.axes.set_log_y)
        # The readout takes the room left beside the controls and words itself to fit it.
        self.readout_line = ReadoutLine(
            "Steps and epochs done, and the latest evaluation on the whole test set."
        )
        self.readout = self.readout_line.label

        self.controls = QHBoxLayout()
        self.controls.addWidget(QLabel("x-axis:"))
        self.controls.addWidget(self.x_axis_box)
        self.controls.addWidget(self.log_y_box)
        self.controls.addSpacing(12)
        self.controls.addWidget(self.readout_line, stretch=1)

        self.graphics = pg.GraphicsLayoutWidget()
        self.loss_plot = self.graphics.addPlot(row=0, col=0, axisItems={"left": LossAxis("left")})
        self.accuracy_plot = self.graphics.addPlot(row=1, col=0)
        # The loss is the main story; accuracy sits below it on the same x-axis.
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 2)
        self.accuracy_plot.setXLink(self.loss_plot)
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.showGrid(x=True, y=True, alpha=0.25)
            plot.setMenuEnabled(False)
            for name in ("left", "bottom"):
                # Grid lines at major ticks and one minor level: the third level adds little
                # to read and most of the painting time of a large plot.
                plot.getAxis(name).setStyle(maxTickLevel=1)
                # "(x0.001)" prefixes would turn accuracy 0.9 into 900.
                plot.getAxis(name).enableAutoSIPrefix(False)
        self.loss_plot.setLabel("left", LOSS_LABELS[0])
        self.accuracy_plot.setLabel("left", ACCURACY_LABELS[0])
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.vb.sigResized.connect(self._fit_axis_labels)
            plot.vb.sigResized.connect(self._fit_legends)  # the view's height is known then
        self.loss_plot.vb.sigResized.connect(self._rebin)
        # The x-axis is shared: its values and label are shown once, under the accuracy.
        self.loss_plot.getAxis("bottom").setStyle(showValues=False)
        self.loss_plot.setLimits(xMin=-1, minYRange=0.1)
        # Accuracy is a fraction: always show all of 0..1 (set in set_presentation), so runs
        # compare by eye.
        self.accuracy_plot.setLimits(xMin=-1)
        self.accuracy_plot.setMouseEnabled(x=True, y=False)

        # Loss falls and accuracy rises: their top-right and bottom-right corners stay free.
        self.loss_legend = self.loss_plot.addLegend(offset=(-10, 10))
        self.accuracy_legend = self.accuracy_plot.addLegend(offset=(-10, -10))
        for legend in (self.loss_legend, self.accuracy_legend):
            legend.setBrush(pg.mkBrush(255, 255, 255, 220))

        self.minibatch_curve = pg.PlotDataItem(name="minibatch loss", skipFiniteCheck=True)
        self.smooth_curve = pg.PlotDataItem(name="smoothed", skipFiniteCheck=True)
        self.train_loss_curve = pg.PlotDataItem(name="train set", symbol="o")
        self.test_loss_curve = pg.PlotDataItem(name="test set", symbol="s")
        self.train_accuracy_curve = pg.PlotDataItem(name="train set", symbol="o")
        self.test_accuracy_curve = pg.PlotDataItem(name="test set", symbol="s")
        #: (curve, symbol, snapshot field) of each curve drawn per evaluation.
        self._eval_curves = (
            (self.train_loss_curve, "o", "train_loss"),
            (self.test_loss_curve, "s", "test_loss"),
            (self.train_accuracy_curve, "o", "train_accuracy"),
            (self.test_accuracy_curve, "s", "test_accuracy"),
        )
        self.loss_plot.addItem(self.minibatch_curve)
        self.loss_plot.addItem(self.smooth_curve)
        for curve, _, field in self._eval_curves:
            (self.loss_plot if field.endswith("loss") else self.accuracy_plot).addItem(curve)
        # Each minibatch curve can hold 200,000 points: draw only what is in view, one bin
        # per pixel column ("peak" draws each bin's min and max, so no spike is hidden), and
        # the smoothed line (a window of ~4 % of the width) one point per 4 pixels.
        # pyqtgraph's default of 5 points a pixel makes thick antialiased lines slow to paint.
        # (After addItem: PlotItem.addItem overwrites these with the plot's own settings.)
        for curve, method, points_per_pixel in (
            (self.minibatch_curve, "peak", 1.0),
            (self.smooth_curve, "mean", 0.25),
        ):
            curve.opts["autoDownsampleFactor"] = points_per_pixel
            curve.setDownsampling(auto=True, method=method)
            curve.setClipToView(True)
        # Train and test often coincide: the train curves (dashed) are drawn above the test
        # curves (solid, larger symbols), so both stay visible where they overlap.
        for curve in (self.train_loss_curve, self.train_accuracy_curve):
            curve.setZValue(1)
        # The minibatch curves change every frame and the whole loss plot is repainted with
        # them; the evaluation curves and the legends change rarely: repaint those from a
        # cached pixmap (Qt renders it again when they change or the view moves).
        cached = [self.loss_legend, self.accuracy_legend]
        for curve, _, _ in self._eval_curves:
            cached += [curve.curve, curve.scatter]
        while cached:  # the legends' samples and texts are child items, painted on their own
            item = cached.pop()
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            if isinstance(item, pg.LegendItem | pg.LabelItem | pg.ItemSample):
                cached += item.childItems()

        # pyqtgraph's auto-range would move the axes and redraw the grid on every new point;
        # the view instead follows the data in steps of "nice" ranges (see _follow_data).
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.disableAutoRange()
            plot.vb.sigRangeChangedManually.connect(
                partial(self._range_changed_by_user, plot is self.loss_plot)
            )
            plot.vb.sigStateChanged.connect(self._auto_range_requested)
            for name in ("left", "bottom"):
                # Axes and grid change only with the range: paint them from a cached pixmap.
                plot.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

        # The step the timeline looks back at (hidden while live).
        self.step_marker = StepMarker((self.loss_plot, self.accuracy_plot))

        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(4, 4, 4, 4)
        self.box.addLayout(self.controls)
        self.box.addWidget(self.graphics, stretch=1)

        self._label_x_axis()
        self.set_presentation(False)
        self._shown_axes = (X_AXES[0][0], False)  # what the boxes show when made
        self.axes.changed.connect(self._axes_changed)
        self._axes_changed()  # the model's choice, if it is another

    def _fit_legends(self, *_) -> None:
        """Full legends in a tall panel. In a short one (a 2 x 2 grid at 1280x720) the loss
        plot gets more of the height and its legend two columns of short names, the accuracy
        legend goes (its train and test marks are the loss legend's), and so does the read-out
        line if it has no room beside the controls: in one column the legends covered most of
        the curves and stuck out of the accuracy plot."""
        short = self.lines_high() < COMPACT_BELOW_LINES
        if short == self.compact:
            return
        self.compact = short
        self._place_readout()
        layout = self.graphics.ci.layout
        layout.setRowStretchFactor(0, 2 if short else 3)
        layout.setRowStretchFactor(1, 1 if short else 2)
        self.accuracy_legend.setVisible(not short)
        self.loss_legend.setColumnCount(2 if short else 1)
        shrink_legend(self.loss_legend)
        self._set_legend_text(
            self.loss_legend, self.minibatch_curve, "minibatch" if short else "minibatch loss"
        )
        if self._snapshot is not None:
            self._draw_minibatches(self._snapshot)  # the smoothed curve's name follows

    def _fit_axis_labels(self, *_) -> None:
        """The longest y-axis label that fits beside its plot (a short panel: "loss")."""
        for plot, labels in ((self.loss_plot, LOSS_LABELS), (self.accuracy_plot, ACCURACY_LABELS)):
            fit_axis_label(plot.getAxis("left"), labels, plot.vb.height())

    # ------------------------------------------------------------------ readout placement
    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._place_readout()
        self._fit_legends()

    def _place_readout(self) -> None:
        """The readout beside the controls where a typical reading fits there, else on a line
        of its own under them (decided by the width and fonts, never by the text: the layout
        does not change from frame to frame)."""
        typical = "step 00,000 · test loss 0.0000 · accuracy 00.0%"
        needed = QFontMetrics(self.readout.font()).horizontalAdvance(typical)
        beside = self.controls.indexOf(self.readout_line) >= 0
        used = sum(
            self.controls.itemAt(i).sizeHint().width() + self.controls.spacing()
            for i in range(self.controls.count())
            if self.controls.itemAt(i).widget() is not self.readout_line
        )
        fits = self.width() - 8 - used >= needed
        self.readout_line.setVisible(fits or self.lines_high() >= READOUT_BELOW_LINES)
        if fits != beside:
            if beside:
                self.controls.removeWidget(self.readout_line)
                self.controls.addStretch(1)  # the controls keep their size, on the left
                self.box.insertWidget(1, self.readout_line)
            else:
                self.box.removeWidget(self.readout_line)
                self.controls.takeAt(self.controls.count() - 1)  # the stretch
                self.controls.addWidget(self.readout_line, stretch=1)

    # ------------------------------------------------------------------ controls
    @property
    def x_axis(self) -> str:
        return self.axes.x_axis

    def set_x_axis(self, which: str) -> None:
        """Plot against "steps" (minibatch steps) or "epochs"."""
        self.axes.set_x_axis(which)

    def set_log_y(self, on: bool) -> None:
        """Loss on a log scale (accuracy stays linear)."""
        self.axes.set_log_y(on)

    def _axes_changed(self) -> None:
        """Show the axes model: its boxes, then whichever axis changed."""
        x_axis, log_y = self.axes.x_axis, self.axes.log_y
        with QSignalBlocker(self.x_axis_box), QSignalBlocker(self.log_y_box):
            self.x_axis_box.setCurrentIndex([key for key, _, _ in X_AXES].index(x_axis))
            self.log_y_box.setChecked(log_y)
        shown_x, shown_log = self._shown_axes
        self._shown_axes = (x_axis, log_y)
        if x_axis != shown_x:
            self._label_x_axis()
            self._redraw()
            self.step_marker.show(self.step_marker.step, self._snapshot, x_axis == "epochs")
        if log_y != shown_log:
            self.loss_plot.setLogMode(y=log_y)
            self._follow["y"] = True
            self._ranges.pop("y", None)
            self._follow_data()

    def _label_x_axis(self) -> None:
        label = next(label for key, _, label in X_AXES if key == self.x_axis)
        self.accuracy_plot.setLabel("bottom", label)
        self.loss_plot.setLimits(minXRange=MIN_X_RANGE[self.x_axis])
        self._style()
        # Epochs squeeze the x-range: fit it again.
        self._follow["x"] = True
        self._ranges.pop("x", None)

    def set_comparison(self, comparison: RunComparison) -> None:
        """Show `comparison`: the previous run faded under this one, and a labelled marker at
        each setting change (gui/panels/run_overlay.py)."""
        self.comparison = comparison
        self.overlay = RunOverlay(
            self.loss_plot, self.accuracy_plot, self.loss_legend, self.accuracy_legend
        )
        self.overlay.set_presentation(self._presentation)
        comparison.changed.connect(self._redraw)

    # ------------------------------------------------------------------ Panel
    def set_dataset(self, dataset: Dataset) -> None:
        """A new run starts from scratch: forget what is drawn."""
        self._snapshot = self._viewed = None
        self._redraw()

    def show_frame(self, frame: Frame) -> None:
        snapshot = frame.snapshot
        self.step_marker.show(frame.viewing_step, snapshot, self.x_axis == "epochs")
        viewed_changed = frame.viewed != self._viewed
        self._viewed = frame.viewed  # looking back, the readout describes the viewed step
        if snapshot is self._snapshot:
            if viewed_changed:
                self.readout_line.set_wordings(self._readout())
            return  # paused: the timer keeps redrawing the same snapshot
        self._snapshot = snapshot
        self._update(force=False)

    def set_presentation(self, on: bool) -> None:
        self._presentation = on
        s = sizes(on)
        line = s["line"]
        symbol = 6 + 2 * line
        self.minibatch_curve.setPen(pg.mkPen(MINIBATCH_COLOR, width=1 if not on else 1.5))
        if self.overlay is not None:
            self.overlay.set_presentation(on)
        self.smooth_curve.setPen(pg.mkPen(SMOOTH_COLOR, width=line))
        self.step_marker.set_style(line, s["tick_pt"])
        for curves, color in (
            ((self.train_loss_curve, self.train_accuracy_curve), TRAIN_COLOR),
            ((self.test_loss_curve, self.test_accuracy_curve), TEST_COLOR),
        ):
            train = color == TRAIN_COLOR
            for curve in curves:
                style = Qt.PenStyle.DashLine if train else Qt.PenStyle.SolidLine
                curve.setPen(pg.mkPen(color, width=line, style=style))
                curve.setSymbolPen(pg.mkPen(color, width=1))
                curve.setSymbolBrush(pg.mkBrush(color))
                # The test squares are larger: the train dots above them leave a green rim.
                curve.setSymbolSize(symbol * 0.7 if train else symbol)
        for legend in (self.loss_legend, self.accuracy_legend):
            legend.setLabelTextSize(f"{s['label_pt']}pt")
            # The new size applies on the next setText: set each text again.
            for _, label in legend.items:
                label.setText(label.text)
            legend.updateSize()
        self._fit_accuracy()
        self._style()
        self._place_readout()  # (the font follows the application's, changed before this)
        self._fit_axis_labels()
        self._fit_legends()

    def _fit_accuracy(self) -> None:
        # A margin around 0..1 leaves room for the tick labels "0" and "1" at the ends.
        margin = 0.1 if self._presentation else 0.06
        self.accuracy_plot.setLimits(yMin=-margin, yMax=1 + margin)
        self.accuracy_plot.setYRange(0, 1, padding=margin)

    def _style(self) -> None:
        for plot in (self.loss_plot, self.accuracy_plot):
            style_plot(plot, self._presentation)
        # Linked x-axes line up only if both left axes are equally wide: fix their width
        # to fit the widest tick label ("0.005" on a log axis) and the rotated axis label.
        s = sizes(self._presentation)
        tick_font = self.loss_plot.getAxis("left").style["tickFont"]
        label_font = self.loss_plot.getAxis("left").label.font()
        width = (
            QFontMetrics(tick_font).horizontalAdvance("0.005")
            + QFontMetrics(label_font).height()
            + 2 * s["tick_pt"]
        )
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.getAxis("left").setWidth(width)
        # Room under the x tick labels for the axis label, in either mode.
        self.accuracy_plot.getAxis("bottom").setHeight(
            QFontMetrics(tick_font).height() + QFontMetrics(label_font).height() + s["tick_pt"]
        )

    # ------------------------------------------------------------------ drawing
    def _redraw(self) -> None:
        """Draw the last snapshot again (after a control changed)."""
        self._minibatch_key = self._eval_key = None
        self._update(force=True)

    def _update(self, force: bool) -> None:
        snapshot = self._snapshot
        if snapshot is None:
            curves = [self.minibatch_curve, self.smooth_curve]
            for curve in curves + [curve for curve, _, _ in self._eval_curves]:
                curve.setData(x=np.empty(0), y=np.empty(0))
            self._bounds.clear()
            self._ranges.clear()
            self._follow.update(x=True, y=True)
            self.readout_line.set_wordings([""])
            if self.overlay is not None:
                self.overlay.clear()
                self._overlay_key = None
            return
        # The history is append-only; its length, last step and last value identify it.
        steps, losses = snapshot.step_loss_steps, snapshot.step_losses
        n = len(steps)
        minibatch_key = (n, float(steps[-1]), float(losses[-1])) if n else (0,)
        eval_key = (len(snapshot.eval_steps),)
        if snapshot.eval_steps.size:
            eval_key += (float(snapshot.eval_steps[-1]), float(snapshot.test_loss[-1]))
        if self.x_axis == "epochs":
            # Converting steps to epochs uses the evaluations: redo it when they change.
            minibatch_key += eval_key
        if force or minibatch_key != self._minibatch_key:
            self._minibatch_key = minibatch_key
            self._draw_minibatches(snapshot)
        if force or eval_key != self._eval_key:
            self._eval_key = eval_key
            self._draw_evaluations(snapshot)
        if self.overlay is not None:
            self._draw_comparison(snapshot, force, eval_key)
        self._follow_data()
        self.readout_line.set_wordings(self._readout())

    def _draw_minibatches(self, snapshot: TrainingSnapshot) -> None:
        steps = np.asarray(snapshot.step_loss_steps, dtype=np.float64)
        losses = snapshot.step_losses
        x = steps_to_epochs(steps, snapshot) if self.x_axis == "epochs" else steps
        half_width = smoothing_half_width(len(losses))
        self._bins = self._minibatch_bins()
        band_x, band_y, smooth_x, smooth_y, spans = minibatch_lines(x, losses, self._bins)
        self.minibatch_curve.setData(x=band_x, y=band_y)
        self._set_bounds("minibatch", smooth_x, spans)
        self.smooth_curve.setData(x=smooth_x, y=smooth_y)
        if len(steps) > 1:
            # Binned histories stand for several steps a point: say the window in steps.
            steps_per_point = (steps[-1] - steps[0]) / (len(steps) - 1)
            window = int(round((2 * half_width + 1) * max(steps_per_point, 1.0)))
            words = window_words(window)
            text = f"mean of {words}" if self.compact else f"smoothed (mean of {words} minibatches)"
            self._set_legend_text(self.loss_legend, self.smooth_curve, text)

    def _draw_evaluations(self, snapshot: TrainingSnapshot) -> None:
        x = snapshot.eval_epochs if self.x_axis == "epochs" else snapshot.eval_steps
        for curve, symbol, field in self._eval_curves:
            wanted = symbol if len(x) <= MAX_SYMBOLS else None
            if curve.opts["symbol"] != wanted:
                curve.setSymbol(wanted)
            curve.setData(x=x, y=getattr(snapshot, field))
        self._set_bounds("evaluations", x, [snapshot.train_loss, snapshot.test_loss])

    def _draw_comparison(self, snapshot: TrainingSnapshot, force: bool, eval_key: tuple) -> None:
        """The comparison again when it, the x-axis or (on epochs) the evaluations changed."""
        key = (self.comparison.version, self.x_axis)
        if self.x_axis == "epochs":
            key += eval_key  # markers at epochs come from the evaluations
        if not force and key == self._overlay_key:
            return
        self._overlay_key = key
        previous = self.overlay.draw(self.comparison, snapshot, self.x_axis)
        if previous is None:
            self._bounds.pop("previous", None)
        else:
            self._set_bounds("previous", *previous)

    # ------------------------------------------------------------------ following the data
    def _set_bounds(self, name: str, x: np.ndarray, losses: list[np.ndarray]) -> None:
        """Remember where curves `name` lie: (first x, last x, lowest, highest loss)."""
        if len(x) == 0:
            self._bounds.pop(name, None)
            return
        lows, highs = [], []
        for values in losses:
            values = np.asarray(values, dtype=np.float64)
            low, high = values.min(), values.max()
            if not (np.isfinite(low) and np.isfinite(high) and low > 0):
                # A diverged run's inf and nan, and losses of 0, have no place on the axis.
                values = values[np.isfinite(values) & (values > 0)]
                if not values.size:
                    continue
                low, high = values.min(), values.max()
            lows.append(float(low))
            highs.append(float(high))
        y = (min(lows), max(highs)) if lows else (np.nan, np.nan)
        self._bounds[name] = (float(x[0]), float(x[-1]), *y)

    def _follow_data(self) -> None:
        """Move the view to the data's nice range on each axis it follows, if that changed."""
        if not self._bounds:
            return
        bounds = self._bounds.values()
        first = min(b[0] for b in bounds)
        last = max(b[1] for b in bounds)
        # (nan, the bounds of no finite loss, compares False: left out)
        low = min((b[2] for b in bounds if b[2] == b[2]), default=np.nan)
        high = max((b[3] for b in bounds if b[3] == b[3]), default=np.nan)
        wanted = {}
        if self._follow["x"]:
            wanted["x"] = following_x_range(first, last, MIN_X_RANGE[self.x_axis])
        if self._follow["y"]:
            log = self.axes.log_y
            wanted["y"] = following_loss_range(low, high, log)
        for axis, span in wanted.items():
            if span is not None and self._ranges.get(axis) != span:
                self._ranges[axis] = span
                if axis == "x":
                    self.loss_plot.setXRange(*span, padding=0.02)
                else:
                    self.loss_plot.setYRange(*span, padding=0.02)

    def _minibatch_bins(self) -> int:
        """Bins of a long minibatch history: one a pixel column of the plot while the view
        follows the data (more were thinned by pyqtgraph's downsampling on every setData,
        0.5 ms a frame), MAX_BINS once the user zooms or pans (detail to zoom into)."""
        width = self.loss_plot.vb.width() * self.graphics.devicePixelRatioF()
        if not self._follow["x"] or width < 2:  # (not laid out yet: as many as may be needed)
            return MAX_BINS
        return int(min(MAX_BINS, max(MIN_BINS, round(width))))

    def _rebin(self) -> None:
        """Draw the minibatch history again if the bins it would take now differ by more
        than a tenth (the plot resized, the user zoomed, or the view follows the data again):
        a paused run keeps its picture, and too few bins for the width draw sawteeth."""
        if self._snapshot is None:
            return
        wanted = self._minibatch_bins()
        if abs(wanted - self._bins) > 0.1 * self._bins:
            self._minibatch_key = None
            self._update(force=False)

    def _range_changed_by_user(self, in_loss_plot: bool, changed: list[bool]) -> None:
        """The user panned or zoomed: stop following the data on that axis."""
        if changed[0]:
            self._follow["x"] = False
        if changed[1] and in_loss_plot:
            self._follow["y"] = False
        if changed[0]:
            self._rebin()  # with every bin, to zoom into

    def _auto_range_requested(self, view: pg.ViewBox) -> None:
        """pyqtgraph's "A" button turned auto-range on: follow the data again instead."""
        auto = list(view.state["autoRange"])  # disableAutoRange changes the list itself
        if not any(auto):
            return
        view.disableAutoRange()
        if auto[0]:
            self._follow["x"] = True
            self._ranges.pop("x", None)
        if view is self.loss_plot.vb and auto[1]:
            self._follow["y"] = True
            self._ranges.pop("y", None)
        if view is self.accuracy_plot.vb:
            self._fit_accuracy()
        self._follow_data()
        self._rebin()

    def _readout(self) -> list[str]:
        if self._viewed is not None:
            return self._viewed_wordings(self._viewed)
        return self._readout_wordings(self._snapshot)

    @staticmethod
    def _viewed_wordings(v: ViewedStep) -> list[str]:
        """The readout while looking back: the viewed step's reading, never the newest's."""
        step, epoch = f"{v.step:,}", f"{v.epochs_float:.2f}"
        head = f"viewing step {step}"
        if v.test_accuracy != v.test_accuracy:  # (nan: no summary)
            return [f"{head}  ·  epoch {epoch}", head]
        accuracy = percent(v.test_accuracy)
        if v.test_loss == v.test_loss:  # an evaluation point: its test loss too
            loss = compact(v.test_loss)
            return [
                f"{head}  ·  epoch {epoch}  ·  test loss {loss}  ·  test accuracy {accuracy}",
                f"{head} · epoch {epoch} · test loss {loss} · accuracy {accuracy}",
                f"{head} · test loss {loss} · accuracy {accuracy}",
                f"step {step} · loss {loss} · acc. {accuracy}",
                f"step {step}",
            ]
        return [
            f"{head}  ·  epoch {epoch}  ·  test accuracy {accuracy}",
            f"{head} · epoch {epoch} · accuracy {accuracy}",
            f"{head} · accuracy {accuracy}",
            f"step {step} · acc. {accuracy}",
            f"step {step}",
        ]

    @staticmethod
    def _readout_wordings(snapshot: TrainingSnapshot) -> list[str]:
        """The readout, fullest wording first, down to one that fits a narrow dock."""
        step, epoch = f"{snapshot.step:,}", f"{snapshot.epochs_float:.2f}"
        if snapshot.test_accuracy.size:
            loss = compact(snapshot.test_loss[-1])
            accuracy = percent(snapshot.test_accuracy[-1])
            wordings = [
                f"step {step}  ·  epoch {epoch}  ·  test loss {loss}  ·  test accuracy {accuracy}",
                f"step {step} · epoch {epoch} · test loss {loss} · accuracy {accuracy}",
                f"step {step} · test loss {loss} · accuracy {accuracy}",
                f"test loss {loss} · accuracy {accuracy}",
                f"loss {loss} · acc. {accuracy}",
            ]
        else:
            wordings = [f"step {step}  ·  epoch {epoch}", f"step {step}"]
        if snapshot.diverged:
            wordings = [f"{text} · diverged" for text in wordings] + ["diverged"]
        return wordings

    @staticmethod
    def _set_legend_text(legend: pg.LegendItem, curve: pg.PlotDataItem, text: str) -> None:
        label = legend.getLabel(curve)
        if label is not None and label.text != text:
            label.setText(text)
            shrink_legend(legend)
