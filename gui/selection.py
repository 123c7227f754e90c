"""The selected test sample: one small model that the sample inspector writes and others read.

The drawing panel can put the user's drawing in the test sample's place (`set_drawn`);
selecting any test sample leaves the drawing.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from gui.frame import DrawnSample


class SampleSelection(QObject):
    """Index of the selected test sample, kept within 0..n_samples - 1; or a drawn sample in
    its place (`drawn`, None when a test sample is selected)."""

    changed = Signal(int)
    #: The drawn sample was set, changed or cleared.
    drawn_changed = Signal()

    def __init__(self, n_samples: int, index: int = 0, parent: QObject | None = None):
        super().__init__(parent)
        self._n = max(1, int(n_samples))
        self._index = min(max(0, int(index)), self._n - 1)
        self._drawn: DrawnSample | None = None

    @property
    def index(self) -> int:
        return self._index

    @property
    def n_samples(self) -> int:
        return self._n

    def set_index(self, index: int) -> None:
        self.clear_drawn()  # choosing a test sample, even the same one, leaves a drawing
        index = min(max(0, int(index)), self._n - 1)
        if index != self._index:
            self._index = index
            self.changed.emit(index)

    def set_n_samples(self, n_samples: int) -> None:
        """A new dataset: keep the index if it still exists, else go back to 0."""
        self._n = max(1, int(n_samples))
        self.clear_drawn()  # drawn for the old dataset's shape
        if self._index >= self._n:
            self._index = 0
            self.changed.emit(0)

    # ------------------------------------------------------------------ a drawn sample
    @property
    def drawn(self) -> DrawnSample | None:
        return self._drawn

    def set_drawn(self, x: np.ndarray, label: int | None = None) -> None:
        """Put the drawing x (D,) in the test sample's place, meant as class `label` (None:
        the model's prediction). x is copied and made read-only."""
        x = np.array(x, dtype=np.float32).ravel()
        x.flags.writeable = False
        self._drawn = DrawnSample(x, None if label is None else int(label))
        self.drawn_changed.emit()

    def clear_drawn(self) -> None:
        """Back to the selected test sample."""
        if self._drawn is not None:
            self._drawn = None
            self.drawn_changed.emit()
