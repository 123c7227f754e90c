"""The timeline under the plots: drag to any kept step of the run, Replay it, Live returns.

`TimelineBar` shows a Timeline (gui/timeline.py) and writes to it; the window tells it the
newest step on each redraw (`show_latest`), so the slider's end follows training.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QToolBar,
    QWidget,
)

from gui.timeline import REPLAY_SPEEDS, Timeline


class TimelineBar(QToolBar):
    """Replay, its pace, the slider over steps 0..now, the step shown, and Live (End)."""

    def __init__(self, timeline: Timeline, parent: QWidget | None = None):
        super().__init__("Timeline", parent)
        self.setObjectName("TimelineBar")
        self.setMovable(False)
        self.setFloatable(False)
        self.timeline = timeline
        self._latest = 0
        box = QWidget(self)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(6, 2, 6, 2)
        self.replay_button = QPushButton("Replay")
        self.replay_button.setToolTip(
            "Play the kept history from the step shown (from step 0 when live) at the chosen "
            "pace: the first epoch step by step, without retraining."
        )
        self.speed_box = QComboBox()
        for speed in REPLAY_SPEEDS:
            self.speed_box.addItem(f"{speed:,} steps/s", speed)
        self.speed_box.setCurrentIndex(REPLAY_SPEEDS.index(int(timeline.replay_speed)))
        self.speed_box.setToolTip("How fast Replay goes through the steps (steps a second).")
        self.speed_box.setAccessibleName("replay speed")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setToolTip(
            "Drag to look back at any step: every panel shows the weights and predictions of "
            "the kept step at or before it (every step of the first epoch is kept). Training "
            "goes on meanwhile."
        )
        self.slider.setAccessibleName("step shown")
        self.step_label = QLabel()
        self.step_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.live_button = QPushButton("Live (End)")
        self.live_button.setToolTip("Back to the newest step (End).")
        layout.addWidget(self.replay_button)
        layout.addWidget(self.speed_box)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.step_label)
        layout.addWidget(self.live_button)
        self.addWidget(box)

        self.slider.valueChanged.connect(self._slider_moved)
        self.live_button.clicked.connect(timeline.go_live)
        self.replay_button.clicked.connect(self._replay_clicked)
        self.speed_box.activated.connect(
            lambda index: timeline.set_replay_speed(self.speed_box.itemData(index))
        )
        timeline.changed.connect(self._show_timeline)
        self._show_timeline()

    def show_latest(self, step: int) -> None:
        """The newest step of the run (each redraw): the slider's end, and live its value."""
        if step != self._latest or self.slider.maximum() != step:
            self._latest = int(step)
            self._show_timeline()

    def _show_timeline(self) -> None:
        t = self.timeline
        shown = self._latest if t.live else (t.viewing_step if t.view is not None else None)
        self.slider.blockSignals(True)
        self.slider.setMaximum(self._latest)
        if shown is not None:
            self.slider.setValue(shown)
        self.slider.blockSignals(False)
        if t.live:
            text = f"live: step {self._latest:,}"
        elif t.view is None:
            text = "looking back..."
        else:
            text = f"step {t.view.step:,} of {self._latest:,}"
        self.step_label.setText(text)
        widest = f"step {max(self._latest, 99_999):,} of {max(self._latest, 99_999):,}"
        self.step_label.setMinimumWidth(self.step_label.fontMetrics().horizontalAdvance(widest))
        self.replay_button.setText("Stop replay" if t.replaying else "Replay")
        self.live_button.setEnabled(not t.live)

    def _slider_moved(self, value: int) -> None:
        if self.timeline.replaying:
            self.timeline.stop_replay()
        self.timeline.show_step(value)

    def _replay_clicked(self) -> None:
        t = self.timeline
        if t.replaying:
            t.stop_replay()
        else:
            t.replay(0 if t.live or t.view is None else t.view.step)
