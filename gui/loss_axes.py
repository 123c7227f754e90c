"""The loss plot's axes as the user chose them: one small model the loss panel shows."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

#: What the shared x-axis can count.
X_AXIS_KEYS = ("steps", "epochs")


class LossAxes(QObject):
    """x in minibatch "steps" or "epochs"; the loss on a log scale (`log_y`) or not."""

    changed = Signal()

    def __init__(self, x_axis: str = "steps", log_y: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self._x_axis = self._valid_x_axis(x_axis)
        self._log_y = bool(log_y)

    @property
    def x_axis(self) -> str:
        return self._x_axis

    @property
    def log_y(self) -> bool:
        return self._log_y

    def set_x_axis(self, which: str) -> None:
        """Count the x-axis in "steps" or "epochs"; anything else raises ValueError."""
        which = self._valid_x_axis(which)
        if which != self._x_axis:
            self._x_axis = which
            self.changed.emit()

    def set_log_y(self, on: bool) -> None:
        on = bool(on)
        if on != self._log_y:
            self._log_y = on
            self.changed.emit()

    @staticmethod
    def _valid_x_axis(which: str) -> str:
        if which not in X_AXIS_KEYS:
            raise ValueError(f"x axis must be one of {list(X_AXIS_KEYS)}, got {which!r}")
        return which
