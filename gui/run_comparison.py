"""A comparison of runs (issue 15): the previous run, kept to be drawn faded under the new one,
and the setting changes of the current run, each to be a labelled marker on the loss curve.

One small model the loss panel shows. The previous run is kept only while comparing (a
comparison lesson turns it on); the markers are kept always, since a change in the middle of a
run explains a kink in its curve whether or not a lesson is on.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from gui.training_client import TrainingClient
from model import TrainingSnapshot
from model.datasets import input_scale_name, input_scale_words

#: How the loss curve's markers and the previous run's label name the settings.
SETTING_WORDS = {
    "learning_rate": "learning rate",
    "batch_size": "batch size",
    "alpha": "L2",
}


def value_text(name: str, value) -> str:
    """ "0.1", "8,000", "raw 0-255": a setting's value as the user reads it."""
    if name == "input_scale":
        return input_scale_words(value)
    return f"{value:,}" if isinstance(value, int) else f"{float(value):g}"


def setting_text(name: str, value) -> str:
    """ "learning rate 0.1", "batch size 32", "inputs raw 0-255"."""
    return f"{SETTING_WORDS.get(name, 'inputs')} {value_text(name, value)}"


def change_text(name: str, old, new) -> str:
    """ "learning rate 10 → 0.1": a marker's label."""
    return f"{SETTING_WORDS.get(name, name)} {value_text(name, old)} → {value_text(name, new)}"


def run_settings_of(snapshot: TrainingSnapshot) -> dict:
    """The settings a snapshot's run used last, by the names of RunSettings."""
    scale = input_scale_name(snapshot.input_scale)
    return {
        "learning_rate": snapshot.learning_rate,
        "batch_size": snapshot.batch_size,
        "alpha": snapshot.alpha,
        "input_scale": scale,
    }


class RunComparison(QObject):
    """The previous run (`previous`, None when not comparing) and the current run's setting
    changes (`markers`: (step, text) in order). `changed` says either changed; `version` counts
    the changes, so a view redraws only on a new one."""

    changed = Signal()

    def __init__(self, client: TrainingClient, parent: QObject | None = None):
        super().__init__(parent)
        self.client = client
        self.enabled = False
        self.previous: TrainingSnapshot | None = None
        self.markers: list[tuple[int, str]] = []
        self.version = 0
        self._first_run_id = 0  # runs before this one are not compared (they came before)
        client.run_replaced.connect(self._run_replaced)
        client.setting_changed.connect(self._setting_changed)

    def set_enabled(self, on: bool) -> None:
        """Compare from now on (keep each replaced run), or not (drop the previous run)."""
        self.enabled = bool(on)
        if not self.enabled and self.previous is not None:
            self.previous = None
            self._changed()

    def start_afresh(self) -> None:
        """Forget the previous run, and compare only with runs that start after now."""
        self._first_run_id = self.client.run_id + 1
        if self.previous is not None:
            self.previous = None
            self._changed()

    @property
    def previous_label(self) -> str:
        """ "previous run: learning rate 0.1": the settings in which it differs from the run
        now (its learning rate where none differs)."""
        if self.previous is None:
            return ""
        before = run_settings_of(self.previous)
        now = self.client.settings
        differ = [name for name, value in before.items() if getattr(now, name) != value]
        shown = differ or ["learning_rate"]
        return "previous run: " + ", ".join(setting_text(name, before[name]) for name in shown)

    def _run_replaced(self, _reason: str) -> None:
        client = self.client
        previous = client.previous_run
        keep = (
            self.enabled
            and previous is not None
            and client.previous_run_id >= self._first_run_id
            and previous.W.shape == client.latest_snapshot.W.shape  # the same kind of data
        )
        if client.run_id == 0:  # a restarted process counts runs from 0 again
            self._first_run_id = 0
        self.previous = previous if keep else None
        self.markers = []
        self._changed()

    def _setting_changed(self, step: int, changes: dict) -> None:
        if step <= 0:  # the run's own starting setting, not a change in its course ...
            if self.previous is not None:
                self._changed()  # ... but the previous run's label says how they differ
            return
        text = ", ".join(change_text(name, *values) for name, values in changes.items())
        self.markers.append((step, text))
        self._changed()

    def _changed(self) -> None:
        self.version += 1
        self.changed.emit()
