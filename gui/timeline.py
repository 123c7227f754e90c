"""Which step the window shows: the newest (live), or a kept step of the run's past.

`Timeline` is the small model behind the timeline bar (gui/timeline_bar.py). Looking back asks
the training process for the kept step nearest at or before the one wanted (query
"snapshot_at": W, b and the test-set summary, computed there); while that answer is on its way
newer wishes replace older ones, so dragging the slider sends at most one question at a time.
Replay walks the kept steps at a chosen pace (steps of training a second) and returns to live
at the end. Training goes on meanwhile; a new run (reset, new dataset, a loaded run) returns
to live.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from gui.viewed_step import ViewedStep, read_step
from model import TrainingSnapshot

#: Replay paces, in training steps a second: 10 shows the first epoch of mnist (250 steps)
#: in 25 s, each step a frame.
REPLAY_SPEEDS = (2, 5, 10, 25, 50, 100, 250, 1000)
DEFAULT_REPLAY_SPEED = 25
#: Replay moves on about this often (the window redraws at about 30 Hz).
REPLAY_INTERVAL_MS = 33


class Timeline(QObject):
    """The step on screen: None while live. `changed` says the view or the replay changed."""

    changed = Signal()

    def __init__(self, client, parent: QObject | None = None):
        super().__init__(parent)
        self.client = client
        self.view = None  # the KeptView on screen (model.serve), None while live
        self._past: TrainingSnapshot | None = None  # made from _past_of and the view
        self._past_of: TrainingSnapshot | None = None
        self._reading: ViewedStep | None = None
        self._wanted: int | None = None  # the step asked for, None: live
        self._asking = False
        self._generation = 0  # a new run makes answers about the old one stale
        self.replay_speed = DEFAULT_REPLAY_SPEED
        self._replay_steps: np.ndarray | None = None
        self._replay_timer = QTimer(self)
        self._replay_timer.setInterval(REPLAY_INTERVAL_MS)
        self._replay_timer.timeout.connect(self._replay_tick)
        client.run_replaced.connect(self.go_live)

    # ------------------------------------------------------------------ state
    @property
    def live(self) -> bool:
        return self._wanted is None

    @property
    def replaying(self) -> bool:
        return self._replay_timer.isActive() or self._replay_steps is not None

    @property
    def viewing_step(self) -> int | None:
        """The kept step on screen, None while live (or before the first answer)."""
        return None if self.live or self.view is None else self.view.step

    def snapshot(self, latest: TrainingSnapshot) -> TrainingSnapshot:
        """What the panels draw: `latest`, or while looking back `latest` with the kept step's
        W, b and test summary (the curves as they are now: they grow while training goes
        on, and the loss panel marks the viewed step on them)."""
        if self.live or self.view is None:
            return latest
        if self._past is None or self._past_of is not latest:
            view = self.view
            self._past_of = latest
            self._past = replace(
                latest, W=view.W, b=view.b, test_summary=view.test_summary, test_proba=None
            )
            self._reading = read_step(latest, view.step, view.test_summary)
        return self._past

    def reading(self, latest: TrainingSnapshot) -> ViewedStep | None:
        """What the viewed step read (its epoch, loss, test accuracy), None while live."""
        if self.live or self.view is None:
            return None
        self.snapshot(latest)
        return self._reading

    # ------------------------------------------------------------------ looking back
    def show_step(self, step: int) -> None:
        """Show the kept step nearest at or before `step` (after the process answers)."""
        self._wanted = max(0, int(step))
        self._ask()

    def go_live(self, *_) -> None:
        """Back to the newest step (End, "Live", a new run)."""
        self._replay_timer.stop()
        self._replay_steps = None
        was_live = self.live and self.view is None
        self._wanted, self.view = None, None
        self._past = self._past_of = self._reading = None
        self._generation += 1
        self._asking = False
        if not was_live:
            self.changed.emit()

    def _ask(self) -> None:
        if self._asking or self._wanted is None:
            return
        self._asking = True
        self._asked = self._wanted
        generation = self._generation
        self.client.query(
            "snapshot_at",
            {"step": self._asked},
            lambda ok, view: self._answered(ok, view, generation),
        )

    def _answered(self, ok: bool, view, generation: int) -> None:
        if generation != self._generation:  # asked before going live (maybe of another run)
            return
        self._asking = False
        if ok:
            self.view = view
            self._past = self._past_of = self._reading = None  # made again for this view
            self.changed.emit()
        if self._wanted != self._asked:  # the slider moved on meanwhile
            self._ask()

    # ------------------------------------------------------------------ replay
    def set_replay_speed(self, steps_per_second: float) -> None:
        """A new pace, from the step shown now when a replay is on."""
        if self._replay_timer.isActive() and self._wanted is not None:
            self._replay_origin = (time.monotonic(), self._wanted)
        self.replay_speed = float(steps_per_second)
        self.changed.emit()

    def replay(self, start: int = 0) -> None:
        """Play the kept history from `start` at replay_speed steps a second."""
        self._replay_timer.stop()
        self._replay_steps = np.empty(0, dtype=np.int64)  # replaying, the steps not known yet
        self._replay_from = int(start)
        self.client.query("history", None, self._history_answered)
        self.changed.emit()

    def _history_answered(self, ok: bool, steps) -> None:
        if self._replay_steps is None or not ok:  # stopped meanwhile
            return
        self._replay_steps = np.asarray(steps, dtype=np.int64)
        if self._replay_from >= self._replay_steps[-1]:  # at the end already: from the start
            self._replay_from = 0
        self._replay_origin = (time.monotonic(), self._replay_from)
        self.show_step(self._replay_from)
        self._replay_timer.start()

    def stop_replay(self) -> None:
        """Stay on the step shown."""
        self._replay_timer.stop()
        self._replay_steps = None
        self.changed.emit()

    def _replay_tick(self) -> None:
        started, first = self._replay_origin
        target = first + (time.monotonic() - started) * self.replay_speed
        steps = self._replay_steps
        if steps is None or not len(steps) or target >= steps[-1]:
            self.go_live()
            return
        # The kept step at or before the target: every step of the first epoch, then spaced.
        kept = int(steps[max(0, np.searchsorted(steps, target, side="right") - 1)])
        if kept != self._wanted:
            self.show_step(kept)
