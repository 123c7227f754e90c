"""What one redraw shows: a training snapshot, its dataset and the selected sample (a test
sample, or the user's drawing).

Panels read a Frame and nothing else. A summary of the test-set probabilities comes with the
snapshot (the training process computes it once per snapshot, in float64); the selected sample's
a, J and a - e_y are computed once per frame, on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from gui.viewed_step import ViewedStep
from model import (
    Dataset,
    ProbabilitySummary,
    TrainingSnapshot,
    softmax,
    softmax_jacobian,
    summarize_probabilities,
)


@dataclass(frozen=True, eq=False)
class DrawnSample:
    """The user's drawing as a dataset row: x (D,) float32 in [0, 1], and the class the user
    meant (None: whatever the model predicts, until the user picks one)."""

    x: np.ndarray
    label: int | None = None


class Frame:
    """A snapshot seen through its dataset, with test sample `sample_index` selected, or
    `drawn` (a DrawnSample of this dataset's width) in its place. viewing_step: the past step
    whose weights the snapshot holds (the timeline looks back), None when it is the newest;
    viewed: what that step read (gui/viewed_step.py), for texts that describe the step."""

    def __init__(
        self,
        snapshot: TrainingSnapshot,
        dataset: Dataset,
        sample_index: int = 0,
        drawn: DrawnSample | None = None,
        viewing_step: int | None = None,
        viewed: ViewedStep | None = None,
    ):
        self.snapshot = snapshot
        self.viewing_step = viewing_step
        self.viewed = viewed  # what the viewed step read (its epoch, loss, test accuracy)
        self.dataset = dataset
        self.sample_index = int(np.clip(sample_index, 0, dataset.n_test - 1))
        # A drawing made for another dataset (the switch has not reached the selection yet)
        # is not shown.
        fits = drawn is not None and drawn.x.shape == (dataset.n_features,)
        self.drawn = drawn if fits else None

    @cached_property
    def test_proba(self) -> np.ndarray:
        """A for the whole test set (N_test x C), float64 (a float32 cast of diverging weights
        would overflow). Computed here: snapshots from the training process carry only
        test_summary."""
        s = self.snapshot
        if s.test_proba is not None:
            return s.test_proba
        X = self.dataset.X_test.astype(np.float64) * s.input_scale
        return softmax(X @ np.asarray(s.W, dtype=np.float64).T + s.b)

    @cached_property
    def test_summary(self) -> ProbabilitySummary:
        """The largest and second largest a_i, the argmax and whether it is right, per test
        sample (what the panels read of A: the training process sends it)."""
        s = self.snapshot
        if s.test_summary is not None:
            return s.test_summary
        return summarize_probabilities(self.test_proba, self.dataset.y_test)

    @property
    def test_predictions(self) -> np.ndarray:
        return self.test_summary.predicted

    @property
    def sample_is_drawn(self) -> bool:
        """The selected sample is the user's drawing, not a test sample."""
        return self.drawn is not None

    @property
    def sample_name(self) -> str:
        """How the panels name the selected sample: "#1,234" or "your drawing"."""
        return "your drawing" if self.drawn is not None else f"#{self.sample_index:,}"

    @property
    def label_word(self) -> str:
        """What y is: the "true" class of a test sample, the "intended" class of a drawing."""
        return "intended" if self.drawn is not None else "true"

    @property
    def sample_x(self) -> np.ndarray:
        if self.drawn is not None:
            return self.drawn.x
        return self.dataset.X_test[self.sample_index]

    @property
    def sample_label(self) -> int:
        """y: the test sample's label, or the drawing's intended class (its prediction until
        the user picks one)."""
        if self.drawn is not None:
            label = self.drawn.label
            return self.sample_prediction if label is None else int(label)
        return int(self.dataset.y_test[self.sample_index])

    @cached_property
    def sample_proba(self) -> np.ndarray:
        """a for the selected sample (C), in float64 whatever the model's dtype."""
        s = self.snapshot
        x = self.sample_x.astype(np.float64) * s.input_scale  # raw pixels: 255 x
        return softmax(s.W.astype(np.float64) @ x + s.b)

    @property
    def sample_prediction(self) -> int:
        return int(self.sample_proba.argmax())

    @cached_property
    def sample_jacobian(self) -> np.ndarray:
        """J = diag(a) - a a^T for the selected sample (C x C)."""
        return softmax_jacobian(self.sample_proba)

    @cached_property
    def sample_gradient(self) -> np.ndarray:
        """d loss / d z = a - e_y for the selected sample (C)."""
        g = self.sample_proba.copy()
        g[self.sample_label] -= 1.0
        return g
