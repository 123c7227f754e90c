"""The timeline under the plots: drag to any kept step of the run, Replay it, Live returns.

`TimelineBar` shows a Timeline (gui/timeline.py) and writes to it; the window tells it the
newest step on each redraw (`show_latest`), so the slider's end follows training. It sits in
the status bar's row, left of the status text (which says "Viewing step 120 of 5,000"): a row
of its own took 34 px at the desk and 48 in presentation mode from the plots, and squeezed
panels into their compact forms at 1280x720 and 1600x1000. In presentation mode the status
text needs the whole row, so the bar shows only while looking back or replaying (Home looks
back to step 0, Ctrl+Home replays, End returns), on a row of its own above the text
(TrainingStatus.set_stacked: at 1280 px the two on one row cut the text and left the slider
~110 px).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QSlider, QWidget

from gui.timeline import REPLAY_SPEEDS, Timeline


class TimelineBar(QWidget):
    """Replay, its pace, the slider over steps 0..now, and Live (End)."""

    def __init__(self, timeline: Timeline, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("TimelineBar")
        # Opaque: QStatusBar paints its messages left of its permanent widgets, under this bar;
        # they show in the status text's place (gui/status.py), not through the gaps here.
        self.setAutoFillBackground(True)
        self.timeline = timeline
        self._latest = 0
        self._presentation = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 0, 8, 0)
        self.replay_button = QPushButton("Replay")
        self.replay_button.setAccessibleName("Replay the kept history")
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
        self.slider.setMinimumWidth(80)
        self.live_button = QPushButton("Live (End)")
        self.live_button.setAccessibleName("Back to live")
        self.live_button.setToolTip("Back to the newest step (End).")
        layout.addWidget(self.replay_button)
        layout.addWidget(self.speed_box)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.live_button)

        self.slider.valueChanged.connect(self._slider_moved)
        self.live_button.clicked.connect(timeline.go_live)
        self.replay_button.clicked.connect(self._replay_clicked)
        self.speed_box.activated.connect(
            lambda index: timeline.set_replay_speed(self.speed_box.itemData(index))
        )
        timeline.changed.connect(self._show_timeline)
        self._show_timeline()

    def set_presentation(self, on: bool) -> None:
        """In presentation mode, shown only while looking back (see the module)."""
        self._presentation = bool(on)
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
        self.replay_button.setText("Stop replay" if t.replaying else "Replay")
        self.live_button.setEnabled(not t.live)
        self.setVisible(not self._presentation or not t.live or t.replaying)

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
