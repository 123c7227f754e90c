"""The weights of a run at points along the way, kept in bounded memory (for going back in time).

A checkpoint is added every `interval` steps. When `max_checkpoints` are held, every other one is
dropped and the interval doubles, so a run of any length keeps between max/2 and max states
spread evenly over its whole history (the step-0 state always stays).
"""

from __future__ import annotations

import bisect

import numpy as np

__all__ = ["CheckpointStore"]


class CheckpointStore:
    """(step, W, b) states of one run; `at(k)` gives the latest one at or before step k."""

    def __init__(self, max_checkpoints: int = 256, interval: int = 1):
        if max_checkpoints < 4:
            raise ValueError("max_checkpoints must be at least 4")
        self.max_checkpoints = max_checkpoints
        self.interval = interval
        self._steps: list[int] = []
        self._states: list[tuple[np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        return len(self._steps)

    @property
    def steps(self) -> tuple[int, ...]:
        return tuple(self._steps)

    def add(self, step: int, W: np.ndarray, b: np.ndarray) -> bool:
        """Keep a copy of (W, b) at `step` if the interval since the last one has passed."""
        if self._steps and step < self._steps[-1] + self.interval:
            return False
        if len(self._steps) == self.max_checkpoints:
            keep = [0, *range(2, len(self._steps), 2)]  # step 0 and every other one
            self._steps = [self._steps[i] for i in keep]
            self._states = [self._states[i] for i in keep]
            self.interval *= 2
        self._steps.append(int(step))
        self._states.append((np.array(W), np.array(b)))
        return True

    def at(self, step: int) -> tuple[int, np.ndarray, np.ndarray]:
        """(step, W, b) of the latest checkpoint at or before `step`."""
        i = bisect.bisect_right(self._steps, step) - 1
        if i < 0:
            raise ValueError(f"no checkpoint at or before step {step}")
        W, b = self._states[i]
        return self._steps[i], W.copy(), b.copy()
