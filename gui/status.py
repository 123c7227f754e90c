"""The status bar: epoch, step, samples per second, current loss and test accuracy."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QLabel, QStatusBar

from gui.formatting import compact
from model import TrainingSnapshot


class TrainingStatus:
    """Permanent status-bar text describing the latest snapshot."""

    def __init__(self, status_bar: QStatusBar):
        self.label = QLabel("")
        self.label.setToolTip(
            "Epoch, minibatch step, training speed, last minibatch loss, test accuracy."
        )
        status_bar.addPermanentWidget(self.label, 1)
        self.reset_rate()

    def reset_rate(self) -> None:
        self._last = None  # (time, samples_seen) of the last rate measurement
        self.samples_per_second = 0.0

    def show_snapshot(self, s: TrainingSnapshot, playing: bool = True) -> None:
        self._update_rate(s)
        self.label.setText(self.describe(s, playing))

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
