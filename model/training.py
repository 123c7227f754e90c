"""A training run: a classifier, a dataset and minibatch gradient descent (math.md section 3).

`TrainingRun` owns the classifier, the epoch-shuffling RNG, the counters and the history, and
steps n minibatches at a time. `snapshot()` hands out an immutable `TrainingSnapshot` that
another thread (the GUI) can read while training goes on.

One epoch visits every training sample once in a fresh random order; the last batch of an
epoch may be smaller than batch_size. A step whose loss is not finite is a divergence: the
run puts back the last weights that gave a finite loss and refuses to step until
`clear_divergence()` (after, say, a smaller learning rate) or `reset()`.

The run keeps its past weights as it goes (model/checkpoints.py: the whole first epoch, each
evaluation point, then about a thousand more spread over the run): `snapshot_at(k)` gives them
back. `save(path)` writes the run to one .npz and `load_run(path)` (model/run_file.py) reads it
back, so a loaded run continues exactly as the original would have.
"""

from __future__ import annotations

import math
import time
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .binary_output import ProbabilitySummary
from .checkpoints import CheckpointStore
from .datasets import Dataset
from .history import EvaluationLog, LossHistory
from .softmax import SoftmaxClassifier

if TYPE_CHECKING:  # it imports this module
    from .codes_comparison import CodesComparison

__all__ = ["DivergenceError", "KeptState", "TrainingRun", "TrainingSnapshot"]


class DivergenceError(RuntimeError):
    """Training stopped because a step gave a non-finite loss."""


@dataclass(frozen=True, eq=False)  # one moment: equal only to itself (fields hold arrays)
class TrainingSnapshot:
    """The state of a run at one moment; every array is a read-only copy or frozen view.

    W: C x D, b: C. step: minibatches done since reset. epoch: completed epochs;
    epoch_progress: fraction of the current epoch done. step_losses: the loss of every
    minibatch (downsampled into bins once very long: `step_loss_steps` gives the step each
    value stands at). evaluations: train/test loss and accuracy at the steps they were taken.
    """

    dataset_name: str
    step: int
    epoch: int
    epoch_progress: float
    samples_seen: int
    learning_rate: float
    batch_size: int
    alpha: float
    W: np.ndarray
    b: np.ndarray
    step_loss_steps: np.ndarray
    step_losses: np.ndarray
    eval_steps: np.ndarray
    eval_epochs: np.ndarray
    train_loss: np.ndarray
    train_accuracy: np.ndarray
    test_loss: np.ndarray
    test_accuracy: np.ndarray
    diverged: bool
    divergence_message: str
    steps_per_epoch: int
    wall_time: float
    #: A on the test set (N_test x C, float64), when whoever made the snapshot computed it.
    test_proba: np.ndarray | None = None
    #: What the panels need of A on the test set (the training process sends this, not A).
    test_summary: ProbabilitySummary | None = None
    #: Minibatch steps a second measured by the training process (0 when not training).
    steps_per_second: float = 0.0
    #: The code model trained beside the run, while the training process is asked for it.
    codes: CodesComparison | None = None
    #: The factor the dataset's [0, 1] rows are multiplied by before W sees them (255 for raw
    #: pixels, model/datasets/scaling.py): z = W (input_scale x) + b.
    input_scale: float = 1.0

    @property
    def last_loss(self) -> float:
        return float(self.step_losses[-1]) if len(self.step_losses) else float("nan")

    @property
    def last_test_accuracy(self) -> float:
        return float(self.test_accuracy[-1]) if len(self.test_accuracy) else float("nan")

    @property
    def epochs_float(self) -> float:
        return self.epoch + self.epoch_progress


@dataclass(frozen=True)
class KeptState:
    """The weights a run had at `step`: W (C x D) and b (C), read-only copies."""

    step: int
    W: np.ndarray
    b: np.ndarray


def _frozen_copy(array: np.ndarray) -> np.ndarray:
    copy = np.array(array)
    copy.flags.writeable = False
    return copy


#: Training rows gathered at a time in the epoch's shuffled order (see TrainingRun._rows).
GATHER_ROWS = 256


def _scaled(X: np.ndarray, dtype, factor: float) -> np.ndarray:
    """X (N, D) as a C-contiguous array of `dtype`, times `factor` unless it is 1.

    A new array is read-only, and shared by the runs that ask for the same array of the same
    dataset while that dataset lives: a new seed on full MNIST cast its 60,000 images again
    (0.8 s)."""
    key = (id(X), np.dtype(dtype).str, float(factor))
    kept = _SCALED.get(key)
    if kept is not None and kept[0]() is X:
        return kept[1]
    scaled = np.ascontiguousarray(X, dtype=dtype)
    scaled = scaled * dtype.type(factor) if factor != 1.0 else scaled
    if scaled is X:  # the dataset's own array, used as it is
        return X
    scaled.flags.writeable = False
    try:
        source = weakref.ref(X, lambda _, key=key: _SCALED.pop(key, None))
    except TypeError:  # an array type that takes no weak references: not shared
        return scaled
    _SCALED[key] = (source, scaled)
    return scaled


#: _scaled's arrays: (id of the source, dtype, factor) -> (weak reference to it, the array).
_SCALED: dict[tuple, tuple] = {}


class TrainingRun:
    """Minibatch gradient descent of a SoftmaxClassifier on a Dataset, one step at a time.

    dataset: a model.Dataset. classifier: a SoftmaxClassifier sized for it (default: a new one
    with learning_rate, alpha, random_state, dtype). batch_size: B, may change between steps.
    random_state: seeds both the initial weights (when the run makes the classifier) and the
    epoch shuffling, so the same seed and settings give the same W after N steps.
    evaluate_each_epoch: evaluate at every epoch's end (False: the owner decides when; at full
    speed mnist ends an epoch 16 times a second, and each evaluation reads all 10,000 samples).
    input_scale: the factor the dataset's [0, 1] rows are multiplied by (255: raw pixels).
    """

    def __init__(
        self,
        dataset: Dataset,
        classifier: SoftmaxClassifier | None = None,
        *,
        batch_size: int = 32,
        learning_rate: float = 0.1,
        alpha: float = 0.0,
        random_state: int | None = 0,
        dtype=np.float64,
        max_loss_points: int = 200_000,
        evaluate_each_epoch: bool = True,
        input_scale: float = 1.0,
    ):
        if classifier is None:
            classifier = SoftmaxClassifier(
                dataset.n_features,
                dataset.n_classes,
                learning_rate=learning_rate,
                alpha=alpha,
                random_state=random_state,
                dtype=dtype,
            )
        if classifier.W.shape != (dataset.n_classes, dataset.n_features):
            raise ValueError(
                f"classifier W is {classifier.W.shape}, dataset needs "
                f"{(dataset.n_classes, dataset.n_features)} (C x D)"
            )
        self.dataset = dataset
        self.classifier = classifier
        self.batch_size = batch_size
        self.random_state = random_state
        self.max_loss_points = max_loss_points
        self.evaluate_each_epoch = evaluate_each_epoch
        dtype = classifier.W.dtype
        self.input_scale = float(input_scale)
        # Cast (and scaled) once: a per-step cast would copy every minibatch.
        self._X_train = _scaled(dataset.X_train, dtype, self.input_scale)
        self._y_train = np.asarray(dataset.y_train, dtype=np.intp)
        self._X_test = _scaled(dataset.X_test, dtype, self.input_scale)
        self._y_test = np.asarray(dataset.y_test, dtype=np.intp)
        self.dataset_source = dataset.name  # how to load it again: a built-in name or a path
        # The rows of the epoch's shuffled order from _block_span[0] to [1], gathered.
        self._X_block = np.empty((0, dataset.n_features), dtype=dtype)
        self._block_span = (0, 0)
        self._y_epoch = np.empty_like(self._y_train)
        self._initial_W = classifier.W.copy()
        self._initial_b = classifier.b.copy()
        self.reset(reinitialise=False)

    # ------------------------------------------------------------------ settings
    @property
    def learning_rate(self) -> float:
        return self.classifier.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self.classifier.learning_rate = value

    @property
    def alpha(self) -> float:
        return self.classifier.alpha

    @alpha.setter
    def alpha(self, value: float) -> None:
        self.classifier.alpha = value

    @property
    def steps_per_epoch(self) -> int:
        """Minibatches in one epoch at the current batch size (the last may be smaller)."""
        return -(-self.dataset.n_train // self._checked_batch_size())

    def _checked_batch_size(self) -> int:
        B = self.batch_size
        if int(B) != B or B < 1:
            raise ValueError(f"batch_size must be a positive integer, got {B!r}")
        return min(int(B), self.dataset.n_train)

    # ------------------------------------------------------------------ state
    def reset(self, reinitialise: bool = True) -> None:
        """Back to step 0: the seeded initial weights, a fresh shuffle RNG, empty history."""
        if reinitialise:
            self.classifier.W = self._initial_W
            self.classifier.b = self._initial_b
        self.classifier.n_steps_ = 0
        self._rng = np.random.default_rng(self.random_state)
        self.step_count = 0
        self.epoch = 0
        self.samples_seen = 0
        self._position = 0  # index into the current epoch's shuffled order
        # (step, batch size) from each step the batch size changed at: with the seed, it says
        # which samples every minibatch took (model/minibatch_replay.py replays them).
        self.batch_schedule: list[tuple[int, int]] = []
        self._shuffle()
        self.losses = LossHistory(self.max_loss_points)
        self.evaluations = EvaluationLog()
        self.diverged = False
        self.divergence_message = ""
        # Double buffer: the weights before the current step, and the last ones known good.
        self._good_W = self.classifier.W.copy()
        self._good_b = self.classifier.b.copy()
        self._before_W = self.classifier.W.copy()
        self._before_b = self.classifier.b.copy()
        self._training_time = 0.0
        self.history = CheckpointStore()
        self.history.add(0, self.classifier.W, self.classifier.b, first_epoch=True)

    def _shuffle(self) -> None:
        self._use_order(self._rng.permutation(self.dataset.n_train))

    def _use_order(self, order: np.ndarray) -> None:
        self._order = order  # kept for save(): the rest of this epoch visits this order
        np.take(self._y_train, order, out=self._y_epoch)
        self._block_span = (0, 0)  # rows are gathered as minibatches reach them

    def _rows(self, start: int, stop: int) -> np.ndarray:
        """X of the epoch's shuffled rows start..stop, a contiguous slice (a view, no copy).

        Rows are gathered GATHER_ROWS at a time, as minibatches reach them: a block stays in
        the cache until its minibatches have read it. One gather of the whole epoch paused a
        full-MNIST run for 140 ms every epoch (a second copy of its 376 MB of training images),
        and a step of mnist is about 30 % faster this way (tests/benchmarks/bench_gather.py).
        A batch larger than a block is gathered whole; the buffer shrinks back with the batch.
        """
        low, high = self._block_span
        if not (low <= start and stop <= high):
            low = start
            high = min(self.dataset.n_train, start + max(GATHER_ROWS, stop - start))
            if not high - low <= len(self._X_block) <= 2 * max(GATHER_ROWS, high - low):
                self._X_block = np.empty((high - low, self._X_train.shape[1]), self._X_train.dtype)
            np.take(self._X_train, self._order[low:high], axis=0, out=self._X_block[: high - low])
            self._block_span = (low, high)
        return self._X_block[start - low : stop - low]

    def clear_divergence(self) -> None:
        """Allow stepping again after a divergence (from the restored finite weights)."""
        self.diverged = False
        self.divergence_message = ""

    # ------------------------------------------------------------------ training
    def step(self, n: int = 1) -> int:
        """Run n minibatch steps (fewer if training diverges); return how many were done.

        An epoch boundary inside the n steps evaluates train and test loss and accuracy.
        Raises DivergenceError if the run is in the diverged state already.
        """
        if self.diverged:
            raise DivergenceError(self.divergence_message)
        B = self._checked_batch_size()
        if not self.batch_schedule or self.batch_schedule[-1][1] != B:
            self.batch_schedule.append((self.step_count, B))
        clf = self.classifier
        if not (math.isfinite(clf.learning_rate) and clf.learning_rate > 0):
            raise ValueError(f"learning_rate must be a positive number, got {clf.learning_rate!r}")
        started = time.perf_counter()
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is detected below
            done = self._step_n(int(n), B)
        self._training_time += time.perf_counter() - started
        return done

    def _step_n(self, n: int, B: int) -> int:
        clf = self.classifier
        n_train = self.dataset.n_train
        done = 0
        for _ in range(n):
            stop = min(self._position + B, n_train)
            X = self._rows(self._position, stop)
            y = self._y_epoch[self._position : stop]
            np.copyto(self._before_W, clf.W)
            np.copyto(self._before_b, clf.b)
            loss = clf._step(X, y)
            if not math.isfinite(loss):
                self._diverge(loss)
                break
            # The weights before this step gave a finite loss: they are the last good state.
            self._good_W, self._before_W = self._before_W, self._good_W
            self._good_b, self._before_b = self._before_b, self._good_b
            clf.last_batch_loss_ = loss
            done += 1
            self.step_count += 1
            self.samples_seen += stop - self._position
            self._position = stop
            self.losses.append(self.step_count, loss)
            self.history.add(self.step_count, clf.W, clf.b, first_epoch=self.epoch == 0)
            if stop == n_train:
                self.epoch += 1
                self._position = 0
                self._shuffle()
                if self.evaluate_each_epoch:
                    self.evaluate()
        return done

    def _diverge(self, loss: float) -> None:
        # The weights before this step gave the non-finite loss; _good_W holds the ones
        # before them, which gave a finite loss: the last finite state.
        self.classifier.W = self._good_W
        self.classifier.b = self._good_b
        self.history.replace_last(self.step_count, self._good_W, self._good_b)
        self.diverged = True
        self.divergence_message = (
            f"Training diverged at step {self.step_count + 1}: the minibatch loss became "
            f"{loss} with learning rate {self.classifier.learning_rate:g}. Training is paused "
            f"with the last weights that gave a finite loss; lower the learning rate or reset."
        )

    @property
    def steps_left_in_epoch(self) -> int:
        """Minibatches from here to the end of the current epoch at the current batch size."""
        return -(-(self.dataset.n_train - self._position) // self._checked_batch_size())

    def step_epoch(self) -> int:
        """Step to the end of the current epoch; return the number of steps done."""
        return self.step(self.steps_left_in_epoch)

    def evaluate(self) -> dict[str, float]:
        """Train and test loss and accuracy now, appended to the history (also on demand)."""
        train_loss, train_accuracy = self.classifier.loss_and_score(self._X_train, self._y_train)
        test_loss, test_accuracy = self.classifier.loss_and_score(self._X_test, self._y_test)
        values = {
            "train_loss": train_loss,
            "train_accuracy": train_accuracy,
            "test_loss": test_loss,
            "test_accuracy": test_accuracy,
        }
        epochs = self.epoch + self._position / self.dataset.n_train
        self.evaluations.append(self.step_count, epochs, **values)
        self.history.add_evaluation(self.step_count, self.classifier.W, self.classifier.b)
        return values

    # ------------------------------------------------------------------ reading
    @property
    def train_inputs(self) -> np.ndarray:
        """X_train in the model's dtype (N_train x D), in the dataset's order: read-only use."""
        return self._X_train

    @property
    def train_labels(self) -> np.ndarray:
        """y_train (N_train), in the dataset's order: read-only use."""
        return self._y_train

    @property
    def test_inputs(self) -> np.ndarray:
        """X_test in the model's dtype (N_test x D), cast once: read-only use."""
        return self._X_test

    @property
    def test_labels(self) -> np.ndarray:
        """y_test (N_test), read-only use."""
        return self._y_test

    def snapshot_at(self, step: int) -> KeptState:
        """The kept weights nearest at or before `step` (the current ones from the current
        step on); equal, bit for bit, to a fresh run of the same seed and settings stepped
        to the returned step."""
        if step >= self.step_count:
            kept = (self.step_count, self.classifier.W, self.classifier.b)
        else:
            kept = self.history.at(step)
        return KeptState(int(kept[0]), _frozen_copy(kept[1]), _frozen_copy(kept[2]))

    @property
    def kept_steps(self) -> np.ndarray:
        """The steps snapshot_at can show exactly: the kept ones and the current one."""
        steps = np.array(self.history.steps, dtype=np.int64)
        if not len(steps) or steps[-1] != self.step_count:
            steps = np.append(steps, self.step_count)
        return steps

    def save(self, path) -> None:
        """Write this run to `path` (.npz; see model/run_file.py); load_run(path) reads it."""
        from .run_file import save_run  # run_file builds TrainingRuns: imported when used

        save_run(self, path)

    def snapshot(self) -> TrainingSnapshot:
        """An immutable copy of the state, safe to read from another thread."""
        clf = self.classifier
        loss_steps, losses = self.losses.view()
        ev = self.evaluations.view()
        return TrainingSnapshot(
            dataset_name=self.dataset.name,
            step=self.step_count,
            epoch=self.epoch,
            epoch_progress=self._position / self.dataset.n_train,
            samples_seen=self.samples_seen,
            learning_rate=float(clf.learning_rate),
            batch_size=self._checked_batch_size(),
            alpha=float(clf.alpha),
            W=_frozen_copy(clf.W),
            b=_frozen_copy(clf.b),
            step_loss_steps=loss_steps,
            step_losses=losses,
            eval_steps=ev["step"],
            eval_epochs=ev["epoch"],
            train_loss=ev["train_loss"],
            train_accuracy=ev["train_accuracy"],
            test_loss=ev["test_loss"],
            test_accuracy=ev["test_accuracy"],
            diverged=self.diverged,
            divergence_message=self.divergence_message,
            steps_per_epoch=self.steps_per_epoch,
            wall_time=self._training_time,
            input_scale=self.input_scale,
        )
