"""What a past step read: its epoch, its minibatch loss, its test loss and accuracy.

While the timeline looks back (gui/timeline.py), everything on screen describes the viewed
step, not the newest one: the status bar and the loss panel's readout read it from here. The
curves are the run's (they keep growing while training goes on); the test accuracy is the
evaluation's when the step was an evaluation point, else the one the training process
computed for the kept weights (the test-set summary it answered with).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gui.curves import steps_to_epochs
from model import ProbabilitySummary, TrainingSnapshot


@dataclass(frozen=True)
class ViewedStep:
    """step: the kept step on screen; of: the newest step of the run. epoch, epoch_progress:
    where `step` lies in training. loss: its minibatch's loss (nan at step 0). test_loss: the
    evaluation's at `step` (nan when it was none). test_accuracy: the evaluation's, else the
    summary's argmax accuracy for the kept weights."""

    step: int
    of: int
    epoch: int
    epoch_progress: float
    loss: float
    test_loss: float
    test_accuracy: float

    @property
    def epochs_float(self) -> float:
        return self.epoch + self.epoch_progress


def read_step(
    snapshot: TrainingSnapshot, step: int, summary: ProbabilitySummary | None
) -> ViewedStep:
    """The reading of `step` from the run's curves in `snapshot` (the newest) and the test-set
    summary of the kept weights."""
    epochs = float(steps_to_epochs([step], snapshot)[0])
    epoch = int(math.floor(epochs + 1e-9))
    progress = min(max(epochs - epoch, 0.0), 1.0)
    loss = float("nan")
    steps, losses = snapshot.step_loss_steps, snapshot.step_losses
    if step > 0 and len(steps):
        at = np.flatnonzero(steps == step)
        if at.size:
            loss = float(losses[at[0]])
        elif steps[0] <= step <= steps[-1]:  # a binned history: the curve's value there
            loss = float(np.interp(step, steps, losses))
    test_loss, test_accuracy = float("nan"), float("nan")
    evaluated = np.flatnonzero(snapshot.eval_steps == step)
    if evaluated.size:
        test_loss = float(snapshot.test_loss[evaluated[-1]])
        test_accuracy = float(snapshot.test_accuracy[evaluated[-1]])
    elif summary is not None:
        test_accuracy = float(summary.argmax_accuracy)
    return ViewedStep(step, snapshot.step, epoch, progress, loss, test_loss, test_accuracy)
