"""Codes vs softmax: the code regressor trained beside a softmax run, on the same minibatches
in the same order, evaluated at the same steps (docs/codes_vs_softmax.md).

`CodesFollower` follows a TrainingRun: `advance(run)` steps its CodeRegressor through the run's
minibatches (replayed from the seed, model/minibatch_replay.py) up to the run's step, and at
every step the run was evaluated at it evaluates both models on the test set. It can fall
behind (switched off, or a time budget) and catch up later: it always starts at step 0.
`compare_codes_vs_softmax` does the same for scripts and returns the `CodesComparison` the
training process sends the panel.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .binary_output import n_bits_for
from .code_regressor import CodeRegressor, code_distance_matrix, code_distances, decode_outputs
from .datasets import Dataset, load_dataset
from .metrics import confusion_matrix
from .minibatch_replay import MinibatchReplay
from .training import TrainingRun

__all__ = [
    "CODE_LEARNING_RATE",
    "CodesComparison",
    "CodesFollower",
    "compare_codes_vs_softmax",
    "distance_counts",
    "pair_distance_shares",
]

#: The code model's learning rate unless told otherwise. Its gradient carries s (1 - s) <= 1/4,
#: so it takes a larger step than the softmax's 0.1: on mnist (batch 32, 3000 steps, seeds 0-2)
#: 0.3, 0.5 and 1.0 reached test accuracies of 0.704, 0.703 and 0.697 (spread 0.003-0.005), and
#: 3 or 10 less than 0.61 on seed 0.
CODE_LEARNING_RATE = 0.5
#: Evaluations kept in the history; past it every other one is dropped (the last stays).
MAX_EVALUATIONS = 1000
#: Steps between looks at the clock while following.
STEPS_PER_CLOCK_LOOK = 64


def distance_counts(y_true, values, n_bits: int) -> np.ndarray:
    """How many samples were answered with a code at each Hamming distance from the true
    class's code, 0..n_bits (n_bits + 1 ints; index 0 counts the right answers)."""
    d = code_distances(y_true, values)
    return np.bincount(d, minlength=n_bits + 1)


def pair_distance_shares(n_classes: int) -> np.ndarray:
    """The share of ordered pairs of distinct classes whose codes lie at each distance 0..K
    (index 0 is 0): what errors would look like if they fell on wrong classes evenly."""
    d = code_distance_matrix(n_classes)
    off = d[~np.eye(n_classes, dtype=bool)]
    return np.bincount(off, minlength=n_bits_for(n_classes) + 1) / off.size


@dataclass(frozen=True)
class CodesComparison:
    """The two models side by side, from step 0 to `step` of one run.

    eval_steps, code_accuracy, softmax_accuracy, invalid_share: one entry per evaluation (test
    set). At the last evaluation (`step`): code_confusion, C x 2^K counts of (true class,
    decoded code value; values >= C are invalid codes); code_distances and softmax_distances,
    K + 1 counts of test samples by the Hamming distance of their answer's code from the true
    code (index 0: right). softmax_step: the step the softmax's counts are from (`step` once
    the code model has caught up with the run). run_step: the run's step when this was made.
    following: the code model had caught up with the run then (False: catching up).
    start_step: where the code model started: 0, or the step a run loaded from a file was at
    when the code model was first asked for (its earlier minibatches are not known).
    """

    dataset_name: str
    n_classes: int
    learning_rate: float
    step: int
    run_step: int
    start_step: int
    following: bool
    softmax_step: int
    eval_steps: np.ndarray
    code_accuracy: np.ndarray
    softmax_accuracy: np.ndarray
    invalid_share: np.ndarray
    code_confusion: np.ndarray
    code_distances: np.ndarray
    softmax_distances: np.ndarray

    @property
    def n_bits(self) -> int:
        return len(self.code_distances) - 1

    @cached_property
    def pair_shares(self) -> np.ndarray:
        """K + 1 shares of distinct class pairs at each code distance (index 0 is 0)."""
        return pair_distance_shares(self.n_classes)

    @property
    def code_error_shares(self) -> np.ndarray:
        """The code model's errors by distance, as shares of its errors (K + 1, index 0 is 0)."""
        return _error_shares(self.code_distances)

    @property
    def softmax_error_shares(self) -> np.ndarray:
        return _error_shares(self.softmax_distances)

    @property
    def last_code_accuracy(self) -> float:
        return float(self.code_accuracy[-1]) if len(self.code_accuracy) else math.nan

    @property
    def last_softmax_accuracy(self) -> float:
        return float(self.softmax_accuracy[-1]) if len(self.softmax_accuracy) else math.nan

    @property
    def last_invalid_share(self) -> float:
        return float(self.invalid_share[-1]) if len(self.invalid_share) else math.nan

    @property
    def invalid_error_share(self) -> float:
        """The share of the code model's errors that are invalid codes (visibly wrong)."""
        errors = int(self.code_distances[1:].sum())
        return self.invalid_count / errors if errors else math.nan

    @property
    def invalid_count(self) -> int:
        """Test samples the code model answered with an invalid code (a value >= C)."""
        return int(self.code_confusion[:, self.n_classes :].sum())


def _error_shares(counts: np.ndarray) -> np.ndarray:
    shares = np.zeros(len(counts))
    errors = counts[1:].sum()
    if errors:
        shares[1:] = counts[1:] / errors
    return shares


class CodesFollower:
    """A CodeRegressor that follows a TrainingRun's minibatches and evaluations (see module)."""

    def __init__(self, learning_rate: float = CODE_LEARNING_RATE):
        self.learning_rate = float(learning_rate)
        self.run: TrainingRun | None = None
        self.report: CodesComparison | None = None

    def attach(self, run: TrainingRun) -> None:
        """Start over at step 0 of `run` (a new run, or the same one reset)."""
        data = run.dataset
        self.run = run
        self.model = CodeRegressor(
            data.n_features,
            data.n_classes,
            learning_rate=self.learning_rate,
            random_state=run.random_state,
            dtype=run.classifier.W.dtype,
        )
        # From step 0 when the run's minibatches are known from it (its seed and its batch
        # sizes since step 0); a run loaded from a file knows them only from where it was
        # loaded: then from the run's step now.
        schedule = run.batch_schedule
        if run.step_count == 0 or (schedule and schedule[0][0] == 0):
            self._replay = MinibatchReplay(run.train_inputs, run.train_labels, run.random_state)
        else:
            self._replay = MinibatchReplay.from_now(run)
        self.start_step = self._replay.step
        self._history: list[tuple[int, float, float, float]] = []
        self._evaluated = -1  # the last step evaluated
        self._softmax_step = -1  # the run's step the softmax's distances are from
        self.report = None

    @property
    def step(self) -> int:
        return self._replay.step

    def set_learning_rate(self, value: float) -> None:
        """From the next step on (no restart)."""
        value = float(value)
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"the code model's learning rate must be positive, got {value!r}")
        self.learning_rate = value
        if self.run is not None:
            self.model.learning_rate = value

    def advance(
        self,
        run: TrainingRun,
        budget: float = math.inf,
        clock: Callable[[], float] = time.perf_counter,
    ) -> bool:
        """Step toward `run`'s step for at most `budget` seconds, evaluating at each step the run
        was evaluated at. Returns True while still behind the run."""
        if run is not self.run or run.step_count < self.step:  # another run, or this one reset
            self.attach(run)
        deadline = clock() + budget
        eval_steps = run.evaluations.view()["step"]
        while True:
            due = self._next_evaluation(eval_steps)
            if due == self.step:
                self._evaluate(run, eval_steps)
                continue
            if self.step >= run.step_count:
                break
            target = run.step_count if due is None else due
            self._steps(run, min(target - self.step, STEPS_PER_CLOCK_LOOK))
            # After a slice, so every call gets somewhere; and never before the evaluation
            # at the run's step, so a model that is not behind has its figures.
            if clock() >= deadline and self.step < run.step_count:
                break
        behind = self.step < run.step_count
        if self.report is not None and self.report.following == behind:  # caught up, or not
            self.report = self._make_report(run, following=not behind)
        return behind

    def _next_evaluation(self, eval_steps: np.ndarray) -> int | None:
        """The first step not evaluated yet, at or after the model's own, that the run was
        evaluated at."""
        later = eval_steps[(eval_steps >= self.step) & (eval_steps > self._evaluated)]
        return int(later.min()) if later.size else None

    def _steps(self, run: TrainingRun, n: int) -> None:
        model, replay, schedule = self.model, self._replay, run.batch_schedule
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(n):
                X, y = replay.next_batch(schedule)
                model._step(X, y)

    def _evaluate(self, run: TrainingRun, eval_steps: np.ndarray) -> None:
        step = self.step
        rows = np.flatnonzero(eval_steps == step)
        softmax_accuracy = float(run.evaluations.view()["test_accuracy"][rows[-1]])
        X, y = run.test_inputs, run.test_labels
        values = decode_outputs(self.model.outputs(X))
        C, K = run.dataset.n_classes, self.model.n_bits
        self._history.append((step, float(np.mean(values == y)), softmax_accuracy,
                              float(np.mean(values >= C))))  # fmt: skip
        if len(self._history) > MAX_EVALUATIONS:
            self._history = self._history[-2::-2][::-1] + self._history[-1:]
        self._confusion = confusion_matrix(y, values, 2**K)[:C]
        self._code_distances = distance_counts(y, values, K)
        # The softmax's answers now: at the same step once the code model has caught up (while
        # it catches up they would be the run's latest anyway: worked out once, not per step).
        if self._softmax_step != run.step_count:
            predicted = run.classifier.predict(X)
            self._softmax_distances = distance_counts(y, predicted, K)
            self._softmax_step = run.step_count
        self._evaluated = step
        self.report = self._make_report(run, following=self.step == run.step_count)

    def _make_report(self, run: TrainingRun, following: bool) -> CodesComparison:
        columns = zip(*self._history, strict=True)
        steps, code, softmax, invalid = (np.array(column) for column in columns)
        return CodesComparison(
            dataset_name=run.dataset.name,
            n_classes=run.dataset.n_classes,
            learning_rate=self.learning_rate,
            step=self._evaluated,
            run_step=run.step_count,
            start_step=self.start_step,
            following=following,
            softmax_step=self._softmax_step,
            eval_steps=steps.astype(np.int64),
            code_accuracy=code,
            softmax_accuracy=softmax,
            invalid_share=invalid,
            code_confusion=self._confusion,
            code_distances=self._code_distances,
            softmax_distances=self._softmax_distances,
        )


def compare_codes_vs_softmax(
    dataset: Dataset | str,
    steps: int,
    batch_size: int = 32,
    learning_rates: tuple[float, float] = (0.1, CODE_LEARNING_RATE),
    seed: int = 0,
    evaluations: int = 20,
) -> CodesComparison:
    """Train a softmax (learning_rates[0]) and the code regressor (learning_rates[1]) for
    `steps` minibatches of `batch_size`, the same minibatches in the same order (`seed`),
    evaluating both on the test set at step 0 and `evaluations` evenly spaced steps."""
    if isinstance(dataset, str):
        dataset = load_dataset(dataset)
    softmax_rate, code_rate = learning_rates
    run = TrainingRun(dataset, batch_size=batch_size, learning_rate=softmax_rate,
                      random_state=seed, evaluate_each_epoch=False)  # fmt: skip
    follower = CodesFollower(code_rate)
    points = np.unique(np.linspace(0, int(steps), int(evaluations) + 1).round().astype(int))
    for point in points:
        run.step(point - run.step_count)
        run.evaluate()
        follower.advance(run)
    return follower.report
