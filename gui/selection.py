"""The selected test sample: one small model that the sample inspector writes and others read."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class SampleSelection(QObject):
    """Index of the selected test sample, kept within 0..n_samples - 1."""

    changed = Signal(int)

    def __init__(self, n_samples: int, index: int = 0, parent: QObject | None = None):
        super().__init__(parent)
        self._n = max(1, int(n_samples))
        self._index = min(max(0, int(index)), self._n - 1)

    @property
    def index(self) -> int:
        return self._index

    @property
    def n_samples(self) -> int:
        return self._n

    def set_index(self, index: int) -> None:
        index = min(max(0, int(index)), self._n - 1)
        if index != self._index:
            self._index = index
            self.changed.emit(index)

    def set_n_samples(self, n_samples: int) -> None:
        """A new dataset: keep the index if it still exists, else go back to 0."""
        self._n = max(1, int(n_samples))
        if self._index >= self._n:
            self._index = 0
            self.changed.emit(0)
