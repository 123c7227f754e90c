"""Append-only histories a TrainingRun keeps, readable as frozen views from another thread.

Appending never changes values already written, so a snapshot can hold a read-only view of the
first n entries while training appends more. When the buffer must grow (or be compacted), a new
array is made and old snapshots keep the old one.
"""

from __future__ import annotations

import numpy as np

__all__ = ["EvaluationLog", "LossHistory"]


def _frozen_view(array: np.ndarray, n: int) -> np.ndarray:
    view = array[:n]
    view.flags.writeable = False
    return view


class LossHistory:
    """The loss of every minibatch, bounded in memory.

    Up to max_points values are kept one per step. Past that, neighbouring pairs are merged
    (mean loss, mean step) so memory stays bounded however long training runs; each stored
    value then stands for `bin_size` consecutive steps.
    """

    def __init__(self, max_points: int = 200_000):
        if max_points < 4 or max_points % 2:
            raise ValueError("max_points must be an even number >= 4")
        self.max_points = max_points
        self._steps = np.empty(min(1024, max_points))
        self._losses = np.empty(min(1024, max_points))
        self._n = 0
        self.bin_size = 1
        self._acc_steps = 0.0  # running sums of the bin being filled
        self._acc_loss = 0.0
        self._acc_n = 0

    def __len__(self) -> int:
        return self._n

    def append(self, step: int, loss: float) -> None:
        self._acc_steps += step
        self._acc_loss += loss
        self._acc_n += 1
        if self._acc_n < self.bin_size:
            return
        if self._n == self.max_points:
            self._compact()
        if self._n == len(self._steps):
            grown = min(2 * len(self._steps), self.max_points)
            self._steps = np.concatenate([self._steps[: self._n], np.empty(grown - self._n)])
            self._losses = np.concatenate([self._losses[: self._n], np.empty(grown - self._n)])
        self._steps[self._n] = self._acc_steps / self._acc_n
        self._losses[self._n] = self._acc_loss / self._acc_n
        self._n += 1
        self._acc_steps = self._acc_loss = 0.0
        self._acc_n = 0

    def _compact(self) -> None:
        # New arrays: snapshots may still hold views of the old ones.
        self._steps = self._steps.reshape(-1, 2).mean(axis=1)
        self._losses = self._losses.reshape(-1, 2).mean(axis=1)
        self._steps = np.concatenate([self._steps, np.empty(self.max_points - len(self._steps))])
        self._losses = np.concatenate([self._losses, np.empty(self.max_points - len(self._losses))])
        self._n //= 2
        self.bin_size *= 2

    def view(self) -> tuple[np.ndarray, np.ndarray]:
        """(steps, losses) as read-only views of what is stored now."""
        return _frozen_view(self._steps, self._n), _frozen_view(self._losses, self._n)


class EvaluationLog:
    """Train and test loss and accuracy, one row per evaluation (a few per epoch at most)."""

    fields = ("step", "epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy")

    def __init__(self):
        self._rows = np.empty((64, len(self.fields)))
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def append(self, step: int, epoch: float, **values: float) -> None:
        if self._n == len(self._rows):
            self._rows = np.concatenate([self._rows, np.empty_like(self._rows)])
        row = (step, epoch, *(values[name] for name in self.fields[2:]))
        self._rows[self._n] = row
        self._n += 1

    def view(self) -> dict[str, np.ndarray]:
        """Each field as a read-only view of the rows stored now."""
        rows = _frozen_view(self._rows, self._n)
        return {name: rows[:, i] for i, name in enumerate(self.fields)}
