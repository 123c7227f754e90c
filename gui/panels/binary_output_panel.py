"""Binary output network (math.md section 4): the softmax's answer turned into a binary code.

For the selected test sample the panel draws a -> step units h (a_i > p) -> d = M h and says
in words what d decodes to; for the whole test set it gives the fractions decoded right, wrong,
none fired and several fired at the current p, and plots them against p. The threshold p is
set by a slider, a spin box, dragging the line in the plot, or the "[" and "]" shortcuts; all
of them write the `Threshold` model (gui/threshold.py), whose changes the panel follows.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui.frame import Frame
from gui.panel import Panel
from gui.panels.binary_network_view import BinaryNetworkView
from gui.panels.binary_verdict import OUTCOME_COLORS, outcome_summary, verdict
from gui.panels.threshold_sweep_plot import ThresholdSweepPlot
from gui.steady_label import SteadyLabel
from gui.threshold import Threshold
from model import BinaryOutputNetwork, Dataset, OutcomeFractions

#: The slider has this many steps over 0..1; p is kept to the same resolution everywhere.
SLIDER_STEPS = 1000
NUDGE = 0.01
#: Recompute the sweep at most this often while training (it stays cheap, but not per frame).
SWEEP_INTERVAL_MS = 250
#: The verdict's size (desk, presentation), and in a compact panel.
VERDICT_PT = {False: 17, True: 26}
COMPACT_VERDICT_PT = {False: 13, True: 20}
TEXT_PT = {False: 10, True: 15}
#: The verdict keeps room for two lines whatever it says (one in a compact panel).
TWO_LINES = "✗\n✗"
#: Below this many lines of text in height the panel is compact (a 2 x 2 grid on a small
#: screen): a smaller verdict, the drawing's one-line headers, the fractions without preamble.
COMPACT_BELOW_LINES = 30


class BinaryOutputPanel(Panel):
    """The binary output network for the selected sample and its outcomes over the test set."""

    title = "Binary output network"
    #: p changed (by any control or set_threshold).
    threshold_changed = Signal(float)

    def __init__(self, threshold: Threshold | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.threshold_setting = threshold if threshold is not None else Threshold(parent=self)
        self.network = BinaryOutputNetwork(10, threshold=self.threshold)
        self._dataset: Dataset | None = None
        self._frame: Frame | None = None
        self._presentation = False
        self.compact = False
        self.outcomes: OutcomeFractions | None = None
        self._outcomes_key = None
        self.sweep_interval_ms = SWEEP_INTERVAL_MS
        self._swept_snapshot = None
        self._swept_at = -math.inf
        self._sweep_timer = QTimer(self)
        self._sweep_timer.setSingleShot(True)
        self._sweep_timer.timeout.connect(self.refresh_sweep)
        self._build_controls()
        self.network_view = BinaryNetworkView()
        self.sweep_plot = ThresholdSweepPlot()
        self.sweep_plot.threshold_dragged.connect(self.set_threshold)
        self._build_text()
        self._lay_out()
        self._build_actions()
        self.set_presentation(False)
        self.threshold_setting.changed.connect(self._threshold_changed)

    # ------------------------------------------------------------------ building
    def _build_controls(self) -> None:
        self.threshold_label = QLabel("threshold p:")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setValue(round(self.threshold * SLIDER_STEPS))
        self.slider.setPageStep(50)
        self.slider.setToolTip("Set the threshold p: a step unit fires when its a\u1d62 > p.")
        self.slider.valueChanged.connect(lambda v: self.set_threshold(v / SLIDER_STEPS))
        self.spin = QDoubleSpinBox()
        self.spin.setRange(0.0, 1.0)
        self.spin.setDecimals(3)
        self.spin.setSingleStep(0.01)
        self.spin.setValue(self.threshold)
        self.spin.setToolTip("Type the threshold p (0 to 1, steps of 0.001); arrows move it 0.01.")
        self.spin.valueChanged.connect(self.set_threshold)
        for widget in (self.spin, self.spin.lineEdit()):  # let "[" and "]" reach the shortcuts
            widget.installEventFilter(self)
        self.threshold_label.setBuddy(self.spin)
        for control in (self.slider, self.spin, self.spin.lineEdit()):
            control.setAccessibleName("Threshold p")  # what a screen reader says: the label
        self.hint_label = QLabel("")
        self.hint_label.setToolTip(
            "The number of output units d: enough bits to give every class its own code."
        )

    def _build_text(self) -> None:
        # Two lines always, so the drawing does not jump when the verdict wraps, and more
        # when a long verdict needs them at this width (asked for only when the lines change).
        self.verdict_label = SteadyLabel("no model yet", wrap=True, widest=TWO_LINES)
        self.verdict_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict_kind = ""
        # New fractions every frame: a box of steady height, so they lay out nothing.
        self.stats_label = SteadyLabel(rich=True, wrap=True)

    def _lay_out(self) -> None:
        controls = QHBoxLayout()
        controls.addWidget(self.threshold_label)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.spin)
        controls.addWidget(self.hint_label)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.network_view)
        self.splitter.addWidget(self.sweep_plot)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.stats_label)

    def _build_actions(self) -> None:
        self.raise_action = QAction("Raise threshold p", self)
        self.raise_action.setShortcut(QKeySequence("]"))
        self.lower_action = QAction("Lower threshold p", self)
        self.lower_action.setShortcut(QKeySequence("["))
        for action, sign in ((self.raise_action, +1), (self.lower_action, -1)):
            tip = f"{'Raise' if sign > 0 else 'Lower'} the binary network's threshold p by {NUDGE}."
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.triggered.connect(lambda _=False, s=sign: self.nudge_threshold(s * NUDGE))
            self.addAction(action)  # works in a floating dock too

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        # A text field claims every printable key before shortcuts see it; "[" and "]" are
        # no part of a number, so they stay the threshold shortcuts even while typing p.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and event.key() in (Qt.Key.Key_BracketLeft, Qt.Key.Key_BracketRight)
        ):
            return True
        return super().eventFilter(watched, event)

    def add_actions(self, menu: QMenu) -> None:
        """Put "Raise/Lower threshold p" (] and [) in `menu` and make them work in its window."""
        for action in (self.raise_action, self.lower_action):
            menu.addAction(action)
        owner = menu.parentWidget()  # the menu bar, whose window is the main window
        if owner is not None:
            owner.window().addAction(self.raise_action)
            owner.window().addAction(self.lower_action)

    # ------------------------------------------------------------------ threshold
    @property
    def threshold(self) -> float:
        """p: step unit i fires when a_i > p."""
        return self.threshold_setting.p

    def set_threshold(self, p: float) -> None:
        """Set p through the Threshold model (clamped to [0, 1], rounded to 0.001)."""
        self.threshold_setting.set_p(p)

    def _threshold_changed(self, p: float) -> None:
        self.network.threshold = p
        # Blocked: each control follows p without writing it back (no rounding loops).
        with QSignalBlocker(self.spin), QSignalBlocker(self.slider):
            self.spin.setValue(p)
            self.slider.setValue(round(p * SLIDER_STEPS))
        self.sweep_plot.set_current(p, self.outcomes)
        self._draw()  # at once, from the last frame; the window redraws the rest
        self.threshold_changed.emit(p)

    def nudge_threshold(self, delta: float) -> None:
        """Move p by delta (the "[" and "]" shortcuts), staying within [0, 1]."""
        self.set_threshold(self.threshold + delta)

    # ------------------------------------------------------------------ Panel API
    def set_dataset(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self._frame = None
        self.outcomes = None
        self._outcomes_key = None
        self.network = BinaryOutputNetwork(dataset.n_classes, threshold=self.threshold)
        self.network_view.set_network(self.network, dataset.class_names)
        self._swept_snapshot = None  # the next frame sweeps at once
        self._sweep_timer.stop()
        self.sweep_plot.set_sweep(None)
        self.sweep_plot.set_current(self.threshold, None)
        self.verdict_label.setText("no model yet")
        self.stats_label.setText("")
        self._reserve_stats()
        bits = self.network.n_bits
        plural = "s" if bits > 1 else ""
        self.hint_label.setText(f"{dataset.n_classes} classes → {bits} bit{plural}")

    def show_frame(self, frame: Frame) -> None:
        if frame.dataset is not self._dataset:
            self.set_dataset(frame.dataset)
        self._frame = frame
        if frame.snapshot is not self._swept_snapshot:
            self._request_sweep()
        self._draw()

    def set_presentation(self, on: bool) -> None:
        self._presentation = on
        self._set_verdict_font()
        font = QFont(self.font())
        font.setPointSize(TEXT_PT[on])
        for widget in (self.stats_label, self.threshold_label, self.spin, self.hint_label):
            widget.setFont(font)
        self.network_view.set_presentation(on)
        self.sweep_plot.set_presentation(on)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        short = self.lines_high() < COMPACT_BELOW_LINES
        if short != self.compact:
            self.set_compact(short)

    def set_compact(self, on: bool) -> None:
        """Compact (see COMPACT_BELOW_LINES) or full; follows the panel's height on resize."""
        self.compact = on
        self.hint_label.setVisible(not on)
        self.verdict_label.set_widest("✗" if on else TWO_LINES)
        self._set_verdict_font()
        self.network_view.set_compact(on)
        # The drawing needs its labels' width; the sweep plot shrinks more gracefully.
        total = sum(self.splitter.sizes()) or self.width()
        share = 58 if on else 50
        self.splitter.setSizes([total * share // 100, total - total * share // 100])
        self._reserve_stats()
        self._outcomes_key = None  # the fractions' wording follows
        self._draw()

    def _set_verdict_font(self) -> None:
        font = QFont(self.font())
        font.setPointSize((COMPACT_VERDICT_PT if self.compact else VERDICT_PT)[self._presentation])
        font.setBold(True)
        self.verdict_label.setFont(font)

    def _reserve_stats(self) -> None:
        if self._dataset is None:
            return
        full = OutcomeFractions(1.0, 1.0, 1.0, 1.0, 1.0)  # the widest numbers: 100.0%
        self.stats_label.set_widest(
            outcome_summary(full, self._dataset.n_test, 0.5, short=self.compact)
        )

    # ------------------------------------------------------------------ drawing
    def _draw(self) -> None:
        """Everything that depends on p, from the last frame shown (cheap: one sample, one p)."""
        frame = self._frame
        if frame is None:
            return
        a, y = frame.sample_proba, frame.sample_label
        self.network_view.show_sample(a, y, self.network)
        text, kind = verdict(a, y, self.network, frame.dataset.class_names, frame.label_word)
        mark = "✓" if kind == "correct" else "✗"  # a shape as well as a colour
        self.verdict_label.setText(f"{mark} {text}")
        if kind != self.verdict_kind:  # the colour only on a change of kind
            self.verdict_label.set_color(OUTCOME_COLORS[kind])
        self.verdict_kind = kind
        key = (frame.snapshot, frame.dataset, self.threshold)
        old = self._outcomes_key
        # The test-set fractions change only with the model or p (snapshots are frozen).
        if old is None or old[0] is not key[0] or old[1] is not key[1] or old[2] != key[2]:
            self.outcomes = self.network.summary_outcomes(frame.test_summary)
            self._outcomes_key = key
            n_test, p = frame.dataset.n_test, self.threshold
            self.stats_label.setText(outcome_summary(self.outcomes, n_test, p, self.compact))
        self.sweep_plot.set_current(self.threshold, self.outcomes)

    def _request_sweep(self) -> None:
        """Sweep now, or schedule it so sweeps come at most every `sweep_interval_ms`."""
        waited_ms = (time.monotonic() - self._swept_at) * 1000
        if self._swept_snapshot is None or waited_ms >= self.sweep_interval_ms:
            self.refresh_sweep()
        elif not self._sweep_timer.isActive():
            self._sweep_timer.start(max(1, int(self.sweep_interval_ms - waited_ms)))

    def refresh_sweep(self) -> None:
        """Recompute the outcome fractions for 101 thresholds from the last frame's test set."""
        frame = self._frame
        if frame is None or frame.snapshot is self._swept_snapshot:
            return
        self._sweep_timer.stop()
        self.sweep_plot.set_sweep(self.network.summary_sweep(frame.test_summary))
        self._swept_snapshot = frame.snapshot
        self._swept_at = time.monotonic()
