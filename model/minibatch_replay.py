"""The minibatches a TrainingRun took, replayed from its seed and its batch-size schedule.

A TrainingRun shuffles each epoch with np.random.default_rng(seed).permutation(N) (one draw per
epoch, nothing else draws from that generator) and takes the next B samples of the epoch's order
at each step, the last batch of an epoch being what is left. Its `batch_schedule` says from which
step each batch size was used. So a second model can see exactly the same minibatches in the same
order, later and at its own pace, without the run keeping any of them.
"""

from __future__ import annotations

import numpy as np

__all__ = ["MinibatchReplay"]


class MinibatchReplay:
    """Step k's minibatch of a run, for k = 0, 1, 2, ... in turn.

    X, y: the training set in the dataset's order (N x D, N). seed: the run's random_state.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, seed: int):
        if seed is None:
            raise ValueError("a run without a seed cannot be replayed")
        self.X, self.y = X, y
        self._rng = np.random.default_rng(seed)
        self._order = self._rng.permutation(len(y))
        self._position = 0
        self.step = 0  # the step whose minibatch `next_batch` gives next

    @classmethod
    def from_now(cls, run) -> MinibatchReplay:
        """The minibatches of `run` (a TrainingRun) from its current step on: its epoch order,
        its place in it and a copy of its shuffling generator. For a run whose earlier
        minibatches cannot be replayed (one loaded from a file)."""
        replay = cls.__new__(cls)
        replay.X, replay.y = run.train_inputs, run.train_labels
        replay._rng = np.random.default_rng()
        replay._rng.bit_generator.state = run._rng.bit_generator.state
        replay._order = np.array(run._order)
        replay._position = run._position
        replay.step = run.step_count
        return replay

    def next_batch(self, schedule: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        """The minibatch (X_batch, y_batch) of step `self.step`, then move on one step.

        schedule: the run's batch_schedule, (first step, batch size) in order."""
        B = next(size for start, size in reversed(schedule) if start <= self.step)
        n = len(self.y)
        stop = min(self._position + B, n)
        rows = self._order[self._position : stop]
        self._position = stop
        if stop == n:  # the epoch's end: the run draws the next epoch's order now
            self._order = self._rng.permutation(n)
            self._position = 0
        self.step += 1
        return self.X[rows], self.y[rows]
