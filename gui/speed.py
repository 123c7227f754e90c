"""How fast Play trains: one small model that the speed control writes and settings save."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from model.settings import DEFAULT_SPEED_INDEX, SPEEDS, check_setting


class Speed(QObject):
    """A position in model.settings.SPEEDS (steps per second; the last is full speed)."""

    changed = Signal(int)

    def __init__(self, index: int = DEFAULT_SPEED_INDEX, parent: QObject | None = None):
        super().__init__(parent)
        self._index = check_setting("speed_index", index)

    @property
    def index(self) -> int:
        return self._index

    @property
    def steps_per_second(self) -> float | None:
        """The pace Play trains at; None is as fast as possible."""
        return SPEEDS[self._index]

    def set_index(self, index: int) -> None:
        """Choose a speed; an index outside SPEEDS raises SettingError."""
        index = check_setting("speed_index", index)
        if index != self._index:
            self._index = index
            self.changed.emit(index)
