"""The training controller: runs a model.TrainingRun off the event loop and publishes snapshots.

A worker QThread steps the run in short chunks and, after each chunk, replaces
`latest_snapshot` (one reference assignment, so a reader always sees a whole snapshot). The
GUI never waits for training: a redraw timer reads the latest snapshot when it fires.
Everything that changes the run (reset, a new dataset, a new seed) takes `_run_lock`, which
the worker holds only for one chunk (a few milliseconds).

Signals are past tense and rare (a state change, not a step): `running_changed(bool)`,
`run_replaced(str)` (the reason), `diverged(str)`, `failed(str)`.

Both threads share one GIL, and a redraw is hundreds of Python calls (pyqtgraph paints in
Python; Qt keeps the GIL while it paints). Had the worker kept stepping through a redraw,
each of those calls would wait up to the interpreter's switch interval for the GIL, and a
30 ms redraw would take well over 100 ms. So the GUI thread calls `hold_for_drawing(True)`
when it starts a frame: a worker stepping as fast as it can finishes its current slice of
steps (about SLICE_SECONDS), publishes, and waits until `hold_for_drawing(False)` (or at
most MAX_DRAWING_WAIT_SECONDS).
"""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, QThread, Signal

from model import Dataset, TrainingRun, TrainingSnapshot

#: Steps per second for each position of the speed control; None is "as fast as possible".
SPEEDS: tuple[float | None, ...] = (1, 2, 5, 10, 30, 100, 300, 1000, None)

#: How long the worker steps before publishing a snapshot, at full speed.
CHUNK_SECONDS = 0.015
#: A chunk is stepped in slices this long; between slices the worker gives way to drawing.
SLICE_SECONDS = 0.002
#: The worker waits at most this long for a frame to be drawn (a safety net, not a pace).
MAX_DRAWING_WAIT_SECONDS = 0.5
#: How often train/test loss and accuracy are evaluated while training (besides each epoch).
EVALUATE_EVERY_SECONDS = 1.0


class _Worker(QThread):
    """Steps the controller's run while playing, or as many steps as were asked for."""

    def __init__(self, controller: TrainingController):
        super().__init__()
        self.controller = controller

    def run(self) -> None:
        self.controller._work()


class TrainingController(QObject):
    """Owns the training run and the worker thread; the GUI's only way to change training."""

    running_changed = Signal(bool)
    run_replaced = Signal(str)
    diverged = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        dataset: Dataset,
        *,
        learning_rate: float = 0.1,
        batch_size: int = 32,
        seed: int = 0,
        alpha: float = 0.0,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._run_lock = threading.Lock()
        self._wake = threading.Condition()
        self._playing = False
        self._pending_steps = 0
        self._stopping = False
        self._speed: float | None = None
        self._steps_per_chunk = 1.0
        #: True while the worker waits for work (nothing asked for, not playing).
        self.idle = False
        self._may_step = threading.Event()  # cleared while the GUI thread draws a frame
        self._may_step.set()
        self._last_evaluation = time.perf_counter()
        self.seed = seed
        self.run = self._make_run(dataset, learning_rate, batch_size, seed, alpha)
        self.latest_snapshot: TrainingSnapshot = self.run.snapshot()
        self._worker = _Worker(self)
        self._worker.start()

    # ------------------------------------------------------------------ reading
    @property
    def dataset(self) -> Dataset:
        return self.run.dataset

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def speed(self) -> float | None:
        """Steps per second while playing; None means as fast as possible."""
        return self._speed

    # ------------------------------------------------------------------ settings
    @staticmethod
    def _make_run(dataset, learning_rate, batch_size, seed, alpha) -> TrainingRun:
        run = TrainingRun(
            dataset,
            batch_size=batch_size,
            learning_rate=learning_rate,
            alpha=alpha,
            random_state=seed,
        )
        run.evaluate()  # the untrained model's losses, so curves start at step 0
        return run

    def set_learning_rate(self, value: float) -> None:
        """Takes effect at the next step, without a reset."""
        self.run.learning_rate = float(value)
        self._clear_divergence()

    def set_batch_size(self, value: int) -> None:
        """Takes effect at the next step, without a reset."""
        self.run.batch_size = int(value)
        self._clear_divergence()

    def set_alpha(self, value: float) -> None:
        self.run.alpha = float(value)
        self._clear_divergence()

    def set_speed(self, steps_per_second: float | None) -> None:
        self._speed = steps_per_second
        self._notify()

    def _clear_divergence(self) -> None:
        # A new setting is the user's answer to a divergence: allow stepping again.
        with self._run_lock:
            if self.run.diverged:
                self.run.clear_divergence()
                self.latest_snapshot = self.run.snapshot()

    def reset(self, reason: str = "Reset") -> None:
        """Back to the seeded initial weights, step 0."""
        self._replace(self._reset_run, reason)

    @staticmethod
    def _reset_run(run: TrainingRun) -> TrainingRun:
        run.reset()
        run.evaluate()
        return run

    def set_seed(self, seed: int) -> None:
        """A new seed re-initialises the weights and the shuffling: a reset."""
        self.seed = int(seed)
        self._replace_with(self.dataset, f"Reset: seed changed to {self.seed}")

    def set_dataset(self, dataset: Dataset) -> None:
        """A new dataset needs a new model (its shapes change): a reset."""
        self._replace_with(dataset, f"Reset: dataset changed to {dataset.name}")

    def _replace_with(self, dataset: Dataset, reason: str) -> None:
        old = self.run
        self._replace(
            lambda _: self._make_run(
                dataset, old.learning_rate, old.batch_size, self.seed, old.alpha
            ),
            reason,
        )

    def _replace(self, make, reason: str) -> None:
        with self._run_lock:
            self._pending_steps = 0
            self.run = make(self.run)
            self._last_evaluation = time.perf_counter()
            self.latest_snapshot = self.run.snapshot()
        self.run_replaced.emit(reason)

    # ------------------------------------------------------------------ commands
    def play(self) -> None:
        if self.run.diverged:
            self.diverged.emit(self.run.divergence_message)
            return
        self._set_playing(True)

    def pause(self) -> None:
        self._set_playing(False)

    def toggle(self) -> None:
        self.pause() if self._playing else self.play()

    def _set_playing(self, playing: bool) -> None:
        if playing != self._playing:
            self._playing = playing
            self._pending_steps = 0
            self._notify()
            self.running_changed.emit(playing)

    def step(self, n: int = 1) -> None:
        """Ask the worker for n more minibatch steps (used while paused)."""
        with self._wake:
            self._pending_steps += int(n)
            self._wake.notify()

    def step_epoch(self) -> None:
        """Ask the worker to finish the current epoch."""
        self.step(self.run.steps_left_in_epoch)

    def train_now(self, n: int) -> None:
        """Run n steps on the calling thread, then publish (for --screenshot and scripts).

        Evaluates about four times an epoch on the way, so the curves have points to draw.
        """
        with self._run_lock:
            run = self.run
            chunk = max(1, run.steps_per_epoch // 4)
            while n > 0 and not run.diverged:
                n -= run.step(min(chunk, n))
                run.evaluate()
            self.latest_snapshot = run.snapshot()
        if run.diverged:
            self.diverged.emit(run.divergence_message)

    def evaluate_now(self) -> None:
        with self._run_lock:
            self.run.evaluate()
            self.latest_snapshot = self.run.snapshot()

    def hold_for_drawing(self, hold: bool) -> None:
        """For the GUI thread: True pauses the worker at its next slice boundary until False,
        so drawing gets the GIL without waiting for it call after call."""
        if hold:
            self._may_step.clear()
        else:
            self._may_step.set()

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Stop the worker and join it; True if it ended within the timeout.

        A worker still busy after the timeout (a heavily loaded machine) is still waited for:
        destroying a running QThread would abort the process.
        """
        with self._wake:
            self._stopping = True
            self._playing = False
            self._wake.notify_all()
        if self._worker.wait(timeout_ms):
            return True
        self._worker.wait()
        return False

    def _notify(self) -> None:
        with self._wake:
            self._wake.notify_all()

    # ------------------------------------------------------------------ worker side
    def _work(self) -> None:
        """The worker thread's loop: wait for work, step a chunk, publish, repeat."""
        while True:
            with self._wake:
                while not (self._stopping or self._playing or self._pending_steps):
                    self.idle = True
                    self._wake.wait()
                self.idle = False
                if self._stopping:
                    return
                speed = self._speed if self._playing else None
            if speed is None:
                # Outside every lock: a frame being drawn may need the run lock. (A paced
                # worker sleeps between single steps anyway, and keeps its pace.)
                self._may_step.wait(MAX_DRAWING_WAIT_SECONDS)
            try:
                if speed is None:
                    self._step_chunk()
                else:
                    self._step_paced(speed)
            except Exception as error:  # noqa: BLE001 - anything goes to the user, not stderr
                self._playing = False
                self._pending_steps = 0
                self.running_changed.emit(False)
                self.failed.emit(f"Training stopped: {type(error).__name__}: {error}")

    def _step_chunk(self) -> None:
        """Step for about CHUNK_SECONDS (fewer if only some steps were asked for), publish.

        The chunk goes in slices of about SLICE_SECONDS; when the GUI starts drawing, the
        chunk ends after the current slice (steps asked for and not done stay pending).
        """
        with self._run_lock:
            run = self.run
            n = max(1, int(self._steps_per_chunk))
            asked = not self._playing  # steps asked for (by step()), not playing
            if asked:
                with self._wake:
                    n = min(n, self._pending_steps)
                    self._pending_steps -= n
            per_slice = max(1, round(n * SLICE_SECONDS / CHUNK_SECONDS))
            started = time.perf_counter()
            done = 0
            while done < n and not run.diverged:
                done += run.step(min(per_slice, n - done))
                if not self._may_step.is_set():
                    break
            if done and not run.diverged:  # learn how many steps fit in a chunk
                per_step = (time.perf_counter() - started) / done
                fit = CHUNK_SECONDS / max(per_step, 1e-7)
                self._steps_per_chunk = min(
                    max(1.0, 0.7 * self._steps_per_chunk + 0.3 * fit),
                    4 * self._steps_per_chunk + 1,
                )
            if asked and done < n and not run.diverged:
                with self._wake:
                    self._pending_steps += n - done
            self._publish(run)

    def _step_paced(self, speed: float) -> None:
        """One step, published, then wait 1/speed seconds (a stop or pause cuts the wait)."""
        with self._run_lock:
            run = self.run
            if not run.diverged:
                run.step(1)
            self._publish(run)
        with self._wake:
            self._wake.wait_for(
                lambda: self._stopping or not self._playing or self._speed != speed,
                timeout=1.0 / speed,
            )

    def _publish(self, run: TrainingRun) -> None:
        now = time.perf_counter()
        if now - self._last_evaluation > EVALUATE_EVERY_SECONDS:
            run.evaluate()
            self._last_evaluation = now
        self.latest_snapshot = run.snapshot()
        if run.diverged and (self._playing or self._pending_steps):
            self._playing = False
            self._pending_steps = 0
            self.running_changed.emit(False)
            self.diverged.emit(run.divergence_message)
