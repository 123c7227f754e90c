"""Snapshots sent as deltas: what changed since the last one, and the receiver that adds it up.

The training process sends a `SnapshotDelta` at most about 30 times a second: the scalars, W and
b, a summary of the test-set probabilities (what the panels read of them), and only the loss
points and evaluations that are new since the
last delta of the same run. `SnapshotAssembler`, on the receiving side, appends them and hands
out whole `TrainingSnapshot`s, so the panels read the same immutable object as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .binary_output import ProbabilitySummary, summarize_probabilities
from .codes_comparison import CodesComparison
from .datasets import input_factor
from .history import EvaluationLog
from .softmax import SoftmaxClassifier
from .training import TrainingRun, TrainingSnapshot

__all__ = ["DeltaTracker", "SnapshotAssembler", "SnapshotDelta", "initial_snapshot"]

_SCALARS = (
    "step",
    "epoch",
    "epoch_progress",
    "samples_seen",
    "learning_rate",
    "batch_size",
    "alpha",
    "steps_per_epoch",
    "wall_time",
    "diverged",
    "divergence_message",
    "input_scale",
)


@dataclass(frozen=True)
class SnapshotDelta:
    """One run's state now, with only the history that is new since the previous delta.

    run_id: which run (a reset or a new dataset or seed starts a new one). W: C x D, b: C.
    loss_start: the index of the first loss point here in the run's loss history (0 after the
    history was thinned: the points here then replace all). evaluations: rows (k x 6) of
    EvaluationLog.fields from index eval_start. test_summary: the ProbabilitySummary of A on the
    test set, computed in float64 (a fifth of A's size). steps_per_second: the measured training
    speed.
    """

    run_id: int
    dataset_name: str
    step: int
    epoch: int
    epoch_progress: float
    samples_seen: int
    learning_rate: float
    batch_size: int
    alpha: float
    steps_per_epoch: int
    wall_time: float
    diverged: bool
    divergence_message: str
    W: np.ndarray
    b: np.ndarray
    loss_start: int
    loss_steps: np.ndarray
    losses: np.ndarray
    eval_start: int
    evaluations: np.ndarray
    test_summary: ProbabilitySummary
    steps_per_second: float = 0.0
    #: The code model beside the run (the "codes" command), when new since the last delta.
    codes: CodesComparison | None = None
    input_scale: float = 1.0


class DeltaTracker:
    """The sending side: remembers how much history of the current run has been sent."""

    def __init__(self, run_id: int):
        self.run_id = run_id
        self._loss_sent = 0
        self._loss_bin = 1
        self._eval_sent = 0

    def delta(
        self, run: TrainingRun, steps_per_second: float = 0.0, codes: CodesComparison | None = None
    ) -> SnapshotDelta:
        """A delta of `run` now (everything new since the last call), arrays owned by it;
        `codes`: a new comparison to send with it (None: nothing new)."""
        snap = run.snapshot()
        if run.losses.bin_size != self._loss_bin:  # thinned: send the whole history again
            self._loss_sent, self._loss_bin = 0, run.losses.bin_size
        loss_start, eval_start = self._loss_sent, self._eval_sent
        rows = np.column_stack([getattr(snap, f) for f in _eval_names()])[eval_start:]
        self._loss_sent, self._eval_sent = len(snap.step_losses), len(snap.eval_steps)
        return SnapshotDelta(
            run_id=self.run_id,
            dataset_name=snap.dataset_name,
            **{name: getattr(snap, name) for name in _SCALARS},
            W=np.array(snap.W),
            b=np.array(snap.b),
            loss_start=loss_start,
            loss_steps=np.array(snap.step_loss_steps[loss_start:]),
            losses=np.array(snap.step_losses[loss_start:]),
            eval_start=eval_start,
            evaluations=np.array(rows),
            test_summary=summarize_probabilities(
                run.classifier.predict_proba(run.test_inputs), run.test_labels
            ),
            steps_per_second=float(steps_per_second),
            codes=codes,
        )


def _eval_names() -> tuple[str, ...]:
    # TrainingSnapshot names the evaluation fields as EvaluationLog does, "step" and "epoch"
    # excepted.
    rename = {"step": "eval_steps", "epoch": "eval_epochs"}
    return tuple(rename.get(f, f) for f in EvaluationLog.fields)


class _Growing:
    """An append-only float64 array that doubles its buffer as it grows."""

    def __init__(self, width: int | None = None):
        self._shape_tail = () if width is None else (width,)
        self._data = np.empty((256, *self._shape_tail))
        self._n = 0

    def put(self, start: int, rows: np.ndarray) -> None:
        """Write `rows` from index `start` (dropping anything stored after it)."""
        start = min(start, self._n)
        end = start + len(rows)
        if end > len(self._data):
            size = max(end, 2 * len(self._data))
            grown = np.empty((size, *self._shape_tail))
            grown[:start] = self._data[:start]
            self._data = grown  # a new buffer: views handed out earlier stay valid
        self._data[start:end] = rows
        self._n = end

    def view(self) -> np.ndarray:
        view = self._data[: self._n]
        view.flags.writeable = False
        return view


class SnapshotAssembler:
    """The receiving side: adds up the deltas of one run into whole TrainingSnapshots.

    Appending never rewrites an index a snapshot already handed out could see, except after a
    thinning (loss_start 0), which writes a new buffer.
    """

    def __init__(self, run_id: int):
        self.run_id = run_id
        self._steps = _Growing()
        self._losses = _Growing()
        self._evals = _Growing(len(EvaluationLog.fields))
        self._codes: CodesComparison | None = None  # the last comparison sent (only new ones are)

    def apply(self, delta: SnapshotDelta) -> TrainingSnapshot:
        if delta.run_id != self.run_id:
            raise ValueError(f"delta of run {delta.run_id} given to run {self.run_id}")
        if delta.loss_start == 0 and len(self._steps.view()):
            self._steps, self._losses = _Growing(), _Growing()  # thinned: start over
        self._steps.put(delta.loss_start, delta.loss_steps)
        self._losses.put(delta.loss_start, delta.losses)
        self._evals.put(delta.eval_start, delta.evaluations)
        rows = self._evals.view()
        evaluations = {name: rows[:, i] for i, name in enumerate(_eval_names())}
        W, b, summary = delta.W, delta.b, delta.test_summary
        for array in (W, b, summary.largest, summary.second, summary.predicted, summary.right):
            array.flags.writeable = False
        if delta.codes is not None:
            self._codes = delta.codes
        return TrainingSnapshot(
            dataset_name=delta.dataset_name,
            **{name: getattr(delta, name) for name in _SCALARS},
            W=W,
            b=b,
            step_loss_steps=self._steps.view(),
            step_losses=self._losses.view(),
            **evaluations,
            test_summary=summary,
            steps_per_second=delta.steps_per_second,
            codes=self._codes,
        )


def initial_snapshot(dataset, settings) -> TrainingSnapshot:
    """Step 0 of a run of `settings` on `dataset`, made cheaply (no TrainingRun, no evaluation):
    what a window shows while its training process starts. W and b are the run's own."""
    clf = SoftmaxClassifier(
        dataset.n_features,
        dataset.n_classes,
        learning_rate=settings.learning_rate,
        alpha=settings.alpha,
        random_state=settings.seed,
    )
    batch_size = min(settings.batch_size, dataset.n_train)
    scale = input_factor(settings.input_scale)
    empty = np.empty(0)
    empty.flags.writeable = False
    return TrainingSnapshot(
        dataset_name=dataset.name,
        step=0,
        epoch=0,
        epoch_progress=0.0,
        samples_seen=0,
        learning_rate=settings.learning_rate,
        batch_size=batch_size,
        alpha=settings.alpha,
        W=clf.W,
        b=clf.b,
        step_loss_steps=empty,
        step_losses=empty,
        **{name: empty for name in _eval_names()},
        diverged=False,
        divergence_message="",
        steps_per_epoch=-(-dataset.n_train // batch_size),
        wall_time=0.0,
        test_summary=summarize_probabilities(
            clf.predict_proba(dataset.X_test if scale == 1.0 else dataset.X_test * scale),
            dataset.y_test,
        ),
        input_scale=scale,
    )
