"""The selected test sample: one small model that the sample inspector writes and others read.

It may also hold a walk: an ordered set of test samples (the samples of a confusion-matrix
cell) that Previous and Next (`step`) stay inside until the user leaves it, by `clear_walk` or by
choosing a sample by other means (`set_index`: an index typed, Random, Next misclassified).

The drawing panel can put the user's drawing in the test sample's place (`set_drawn`);
selecting any test sample leaves the drawing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from gui.frame import DrawnSample


@dataclass(frozen=True, eq=False)
class SampleWalk:
    """The samples a walk visits, in order (`indices`, (n,) int64, n >= 1), and what they are
    (`label`, e.g. "true 8 → predicted 4"; `note`, a longer word on where they came from)."""

    indices: np.ndarray
    label: str
    note: str = ""

    def __len__(self) -> int:
        return len(self.indices)


class SampleSelection(QObject):
    """Index of the selected test sample, kept within 0..n_samples - 1, an optional walk,
    or a drawn sample in the test sample's place (`drawn`, None when a test sample is
    selected)."""

    changed = Signal(int)
    #: The walk began, ended, or moved to another of its samples.
    walk_changed = Signal()
    #: The drawn sample was set, changed or cleared.
    drawn_changed = Signal()

    def __init__(self, n_samples: int, index: int = 0, parent: QObject | None = None):
        super().__init__(parent)
        self._n = max(1, int(n_samples))
        self._index = min(max(0, int(index)), self._n - 1)
        self._walk: SampleWalk | None = None
        self._drawn: DrawnSample | None = None

    @property
    def index(self) -> int:
        return self._index

    @property
    def n_samples(self) -> int:
        return self._n

    def set_index(self, index: int) -> None:
        """Select sample `index` (clamped); a sample chosen this way leaves any walk, and any
        drawing (even for the same index)."""
        self._select(index)
        self.clear_walk()

    def set_n_samples(self, n_samples: int) -> None:
        """A new dataset: keep the index if it still exists, else go back to 0. A walk's
        indices belong to the old dataset: it ends."""
        self.clear_walk()
        self._n = max(1, int(n_samples))
        self.clear_drawn()  # drawn for the old dataset's shape
        if self._index >= self._n:
            self._index = 0
            self.changed.emit(0)

    # ------------------------------------------------------------------ the walk
    @property
    def walk(self) -> SampleWalk | None:
        return self._walk

    @property
    def walk_position(self) -> int | None:
        """Where the selected sample is in the walk (0 for its first sample); None without one."""
        if self._walk is None:
            return None
        return int(np.searchsorted(self._walk.indices, self._index))

    def set_walk(self, indices, label: str, note: str = "") -> None:
        """Walk through `indices` (test-set indices, kept in increasing order), beginning at the
        first. An empty set of indices is no walk: ValueError."""
        indices = np.unique(np.asarray(indices, dtype=np.int64))  # sorted, once each
        if indices.size == 0:
            raise ValueError(f"a walk needs at least one sample ({label})")
        if indices[0] < 0 or indices[-1] >= self._n:
            raise ValueError(f"walk indices must lie in 0..{self._n - 1}")
        self._walk = SampleWalk(indices, str(label), str(note))
        self._select(int(indices[0]))
        self.walk_changed.emit()

    def clear_walk(self) -> None:
        if self._walk is not None:
            self._walk = None
            self.walk_changed.emit()

    def step(self, delta: int) -> None:
        """Previous (-1) or Next (+1): inside the walk if there is one (wrapping around at its
        ends), else the neighbouring test sample (stopping at the ends of the test set)."""
        walk = self._walk
        if walk is None:
            self._select(self._index + delta)
            return
        self._select(int(walk.indices[(self.walk_position + delta) % len(walk)]))
        self.walk_changed.emit()

    def _select(self, index: int) -> None:
        """A test sample chosen (typed, stepped to, or a walk's): any drawing makes way."""
        self.clear_drawn()
        index = min(max(0, int(index)), self._n - 1)
        if index != self._index:
            self._index = index
            self.changed.emit(index)

    # ------------------------------------------------------------------ a drawn sample
    @property
    def drawn(self) -> DrawnSample | None:
        return self._drawn

    def set_drawn(self, x: np.ndarray, label: int | None = None) -> None:
        """Put the drawing x (D,) in the test sample's place, meant as class `label` (None:
        the model's prediction). x is copied and made read-only."""
        x = np.array(x, dtype=np.float32).ravel()
        x.flags.writeable = False
        self.clear_walk()  # a drawing is no sample of a confusion-matrix cell
        self._drawn = DrawnSample(x, None if label is None else int(label))
        self.drawn_changed.emit()

    def clear_drawn(self) -> None:
        """Back to the selected test sample."""
        if self._drawn is not None:
            self._drawn = None
            self.drawn_changed.emit()
