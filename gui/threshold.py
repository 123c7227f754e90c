"""The binary network's threshold p: one small model that its controls write and others read."""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, Signal

from model.settings import SETTINGS

#: p is kept to the resolution of its controls (a slider of 1000 steps, a box of 3 decimals).
DECIMALS = 3


class Threshold(QObject):
    """p of the step units (unit i fires when a_i > p), within SETTINGS["threshold"]."""

    changed = Signal(float)

    def __init__(self, p: float | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._p = self._valid(SETTINGS["threshold"].default if p is None else p)

    @property
    def p(self) -> float:
        return self._p

    def set_p(self, p: float) -> None:
        """Set p, clamped to the allowed range and rounded to 0.001; nan is refused."""
        p = self._valid(p)
        if p != self._p:
            self._p = p
            self.changed.emit(p)

    @staticmethod
    def _valid(p: float) -> float:
        p = float(p)
        if math.isnan(p):
            raise ValueError("threshold p must be a number, got nan")
        allowed = SETTINGS["threshold"]
        return round(min(max(p, allowed.low), allowed.high), DECIMALS)
