"""The status bar: epoch, step, samples per second, current loss and test accuracy."""

from __future__ import annotations

import time

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QStatusBar, QWidget

from gui.formatting import compact
from gui.viewed_step import ViewedStep
from model import TrainingSnapshot


class _LabelBox(QWidget):
    """A layout-free box one line high holding `label` at its own size: a QLabel asks its
    layout for a new pass on every new text, and the status bar's pass runs up to the main
    window; the box stops the request (the label's text changes on every frame)."""

    def __init__(self, label: QLabel):
        super().__init__()
        self.label = label
        label.setParent(self)
        label.setAutoFillBackground(True)  # opaque: a new text repaints the label alone
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(0, QFontMetrics(self.label.font()).height() + 2)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.sizeHint()

    resized = None  # called after a new size (the status fits its message again)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.label.setFixedSize(event.size())
        if self.resized is not None:
            self.resized()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == event.Type.FontChange:
            self.updateGeometry()  # a new line height
        super().changeEvent(event)


class TrainingStatus:
    """Permanent status-bar text describing the latest snapshot.

    beside: a widget sharing the row, left of the text (the timeline bar); `set_stacked`
    gives it a row of its own above the text (presentation mode: the fonts are too large for
    both on one row at 1280 px)."""

    def __init__(self, status_bar: QStatusBar, beside: QWidget | None = None):
        self.label = QLabel("")
        self.label.setToolTip(
            "Epoch, minibatch step, training speed, last minibatch loss, test accuracy."
        )
        self._tip = self.label.toolTip()
        self._box = _LabelBox(self.label)
        self.beside = beside
        if beside is None:
            status_bar.addPermanentWidget(self._box, 1)
        else:
            self.row = QWidget()
            self.row.setAutoFillBackground(True)  # over the message QStatusBar paints
            self._grid = QGridLayout(self.row)
            self._grid.setContentsMargins(0, 0, 0, 0)
            self._grid.setVerticalSpacing(2)
            self.stacked = None
            self.set_stacked(False)
            status_bar.addPermanentWidget(self.row, 1)
        # A message (showMessage: "Saved ...", a reset's reason, "Copied ...") shows in this
        # text's own place while it lasts: QStatusBar paints it left of the permanent widgets,
        # under them here (the timeline bar and this box fill the row).
        self._text = ""  # the training status, shown again when the message ends
        self.message = ""
        status_bar.messageChanged.connect(self._show_message)
        self._box.resized = self._fit_message
        self.reset_rate()

    def set_stacked(self, on: bool) -> None:
        """`beside` on a row of its own above the text (on), or left of it (off)."""
        on = bool(on)
        if self.beside is None or on == self.stacked:
            return
        self.stacked = on
        for widget in (self.beside, self._box):
            self._grid.removeWidget(widget)
        for column in (0, 1):
            self._grid.setColumnStretch(column, 0)
        if on:
            self._grid.addWidget(self.beside, 0, 0, 1, 2)
            self._grid.addWidget(self._box, 1, 0, 1, 2)
            self._grid.setColumnStretch(0, 1)
        else:
            self._grid.addWidget(self.beside, 0, 0)
            self._grid.addWidget(self._box, 0, 1)
            self._grid.setColumnStretch(0, 1)
            self._grid.setColumnStretch(1, 1)

    def _show_message(self, message: str) -> None:
        self.message = message or ""
        self.label.setToolTip(self.message or self._tip)
        if self.message:
            self._fit_message()
        else:
            self.label.setText(self._text)

    def _fit_message(self) -> None:
        if self.message:  # a long message is cut in its middle (a path's start and end)
            width = max(self.label.width() - 8, 40)
            metrics = QFontMetrics(self.label.font())
            text = metrics.elidedText(self.message, Qt.TextElideMode.ElideMiddle, width)
            self.label.setText(text)

    def reset_rate(self) -> None:
        self._last = None  # (time, samples_seen) of the last rate measurement
        self.samples_per_second = 0.0

    def show_snapshot(
        self, s: TrainingSnapshot, playing: bool = True, viewing: ViewedStep | None = None
    ) -> None:
        """`s` is the newest snapshot; `viewing` what the past step the panels show read
        (None: live). While looking back the text describes that step alone: no live number
        beside it contradicts the panels."""
        self._update_rate(s)
        text = self.describe(s, playing) if viewing is None else self.describe_viewed(viewing)
        self._text = text
        if not self.message and text != self.label.text():
            self.label.setText(text)

    def describe_viewed(self, v: ViewedStep) -> str:
        parts = [
            f"Viewing step {v.step:,} of {v.of:,} (End: live)",
            f"epoch {v.epoch} ({v.epoch_progress:.0%})",
            f"loss {compact(v.loss)}" if v.loss == v.loss else "loss -",
        ]
        if v.test_accuracy == v.test_accuracy:
            parts.append(f"test accuracy {v.test_accuracy:.1%}")
        return "   |   ".join(parts)

    def describe(self, s: TrainingSnapshot, playing: bool = True) -> str:
        speed = f"{self.samples_per_second:,.0f} samples/s" if playing else "paused"
        parts = [
            f"Epoch {s.epoch} ({s.epoch_progress:.0%})",
            f"step {s.step:,}",
            speed,
            f"loss {compact(s.last_loss)}" if s.step else "loss -",
            f"test accuracy {s.last_test_accuracy:.1%}",
        ]
        if s.diverged:
            parts.append("DIVERGED (paused)")
        return "   |   ".join(parts)

    def _update_rate(self, s: TrainingSnapshot) -> None:
        now = time.perf_counter()
        if self._last is None or s.samples_seen < self._last[1]:
            self._last = (now, s.samples_seen)
            return
        elapsed = now - self._last[0]
        if elapsed >= 0.5:  # average over half a second: per-frame rates jump around
            self.samples_per_second = (s.samples_seen - self._last[1]) / elapsed
            self._last = (now, s.samples_seen)
