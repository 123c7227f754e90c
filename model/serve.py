"""The training process: a TrainingRun behind messages, so that training never shares a GIL
with drawing (PyMeasure's Worker, pyqtgraph's RemoteSpeedTest).

`TrainingServer` is the whole behaviour and knows no pipe: `handle(command)` takes a command,
`work()` trains for a few milliseconds and publishes what is due, and every message out goes
through the `emit` callable it was given. `serve()` is the spawned process's entry point: it
wires a server to a `multiprocessing` connection, with a sender thread so that a slow reader
never stalls training. The GUI's tests drive the same server in-process.

Commands in (tuples, the name first):

| command | effect |
|---|---|
| ("play",) / ("pause",) | train at the current speed / stop (pause drops steps asked for) |
| ("step", n) | n more minibatch steps (while paused) |
| ("step_epoch",) | steps to the end of the current epoch |
| ("train", n) | n steps at once, evaluating 4 times an epoch or more (scripts, lessons) |
| ("evaluate",) | train/test loss and accuracy now |
| ("set", {name: value}) | learning_rate, batch_size, alpha: from the next step, no reset |
| ("speed", steps_per_second or None) | the pace of play; None is as fast as possible |
| ("reset", reason) | the seeded initial weights, step 0 (a new run) |
| ("seed", n) / ("dataset", source) | a new run with that seed / that dataset (loaded here) |
| ("codes", on, learning_rate=None) | train the code model beside the run, or stop (see below) |
| ("save", path) | write the run to path (model/run_file.py); answered by ("saved", path) |
| ("load", path, source) | the run saved in path, paused, replaces this one (data: source) |
| ("input_scale", name) | a new run on inputs scaled "unit" (0-1) or "raw" (0-255 pixels) |
| ("query", request_id, kind, args) | answered by ("reply", request_id, ok, value); kinds below |
| ("shutdown",) | end the process |

A loaded run's dataset is loaded from where it was saved, or from `source` when given (the
user pointed to a moved file); either way checked against the SHA-256 the file holds.

Queries: "checkpoint" {"step": k} gives (step, W, b) of the latest kept state at or before
step k (states are kept all along a run, thinned as it grows: model/checkpoints.py);
"history" gives the steps kept (int64 array, the current step last); "snapshot_at" {"step": k}
gives a KeptView: the kept state nearest at or before k with the test-set summary the panels
read (computed here, in float64, as for a snapshot); "settings" gives the RunSettings now.

The code model (model/codes_comparison.py) sees the run's minibatches in the run's order from
step 0. Switched on mid-run, it catches up from step 0 (CODES_SECONDS per turn) and then follows
step by step; switched off, it stops where it is and catches up when switched on again; a new
run or a reset starts it over. Its comparison rides on the snapshots (SnapshotDelta.codes).

Messages out: ("ready", info) once, after the dataset is loaded (the start handshake: protocol
version, pid, settings, and the versions of Softmax Lab, Python and NumPy it runs);
("snapshot", SnapshotDelta) at most every SEND_INTERVAL seconds and only when something
changed; ("replaced", run_id, reason, settings, SnapshotDelta) when a new run starts (it
carries the new run's first snapshot, so the receiver never pairs a dataset with another
run's weights); ("running", bool) when play starts or stops; ("diverged", message); ("error",
message, command name) when a command is refused (nothing changed); ("changed", run_id, step,
{name: (old, new)}) when a "set" changed a setting of the running run, at the step it applies
from (the loss curve marks it); ("reply", ...); ("saved", path) when a save is written;
("failed", message) when the process ends with an unexpected error.
"""

from __future__ import annotations

import math
import os
import platform
import queue
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .binary_output import ProbabilitySummary, summarize_probabilities
from .codes_comparison import CodesFollower
from .datasets import DatasetError, input_factor, input_scale_words, load_dataset
from .datasets.scaling import input_scale_name
from .run_file import load_run
from .settings import RunSettings, SettingError, check_setting
from .snapshots import DeltaTracker
from .softmax import softmax
from .training import TrainingRun
from .version import __version__

__all__ = ["PROTOCOL_VERSION", "KeptView", "TrainingServer", "serve"]

PROTOCOL_VERSION = 1
#: At most about 30 snapshots a second, whatever the training speed.
SEND_INTERVAL = 1 / 30
#: At full speed, commands are read between chunks of steps about this long.
CHUNK_SECONDS = 0.004
#: A bound on the chunk whatever the clock says (a coarse clock can read 0 s for a chunk).
MAX_STEPS_PER_CHUNK = 2048
#: Train/test loss and accuracy are evaluated at least this often while training, and at an
#: epoch's end unless the last evaluation is less than 1 / EVALUATIONS_PER_SECOND old (at full
#: speed an epoch of mnist ends 16 times a second, and an evaluation reads 10,000 samples).
EVALUATE_EVERY_SECONDS = 1.0
EVALUATIONS_PER_SECOND = 4
#: While playing, evaluations take at most about this share of the process's time: on full
#: MNIST an evaluation reads 70,000 images (half a second here), and four a second would leave
#: no time to train (or to send the frames).
EVALUATION_TIME_SHARE = 0.1
#: The "train" command evaluates at least every this many steps (and four times an epoch): at
#: batch size 1 an epoch of mnist is 8,000 steps, and a lesson's 1,000 would have one point.
TRAIN_EVALUATE_EVERY = 250
#: A paced run more than this far behind its schedule (a slow machine) drops the backlog
#: instead of racing to catch up.
MAX_PACED_BACKLOG_SECONDS = 0.25
#: Python's thread switch interval in the training process (see serve()).
SWITCH_INTERVAL = 0.001
#: The fastest pace a speed command may ask for (steps a second).
MAX_SPEED = 1e6
#: The code model's time per turn of the loop while it catches up with the run (see
#: TrainingServer._follow_codes).
CODES_SECONDS = 0.004


@dataclass(frozen=True)
class KeptView:
    """What the panels show of a past step: its kept W (C x D) and b (C), and the summary of
    A on the test set at those weights. step: the kept step; current_step: the run's now."""

    step: int
    current_step: int
    W: np.ndarray
    b: np.ndarray
    test_summary: ProbabilitySummary


class TrainingServer:
    """A TrainingRun driven by commands; every message out goes to `emit`.

    can_publish: says whether a snapshot may be sent now (the process's sender thread is free);
    until it is, changes add up into the next one. clock: seconds, monotonic.
    """

    def __init__(
        self,
        settings: RunSettings,
        emit: Callable[[tuple], None],
        *,
        can_publish: Callable[[], bool] = lambda: True,
        clock: Callable[[], float] = time.perf_counter,
    ):
        self.emit = emit
        self.can_publish = can_publish
        self.clock = clock
        self.playing = False
        self.speed: float | None = None
        self.pending = 0
        self.stopping = False
        self.run_id = 0
        self._steps_per_chunk = 1.0
        self.codes: CodesFollower | None = None  # made when first asked for
        self.codes_on = False
        self.settings, dataset = self._checked(settings)
        self.run = self._make_run(dataset, self.settings)
        self._start_run()

    # ------------------------------------------------------------------ runs
    @staticmethod
    def _checked(settings: RunSettings):
        settings = settings.checked()
        dataset = load_dataset(settings.dataset)
        batch_size = min(settings.batch_size, dataset.n_train)
        return settings.with_(batch_size=batch_size), dataset

    @staticmethod
    def _make_run(dataset, settings: RunSettings) -> TrainingRun:
        run = TrainingRun(
            dataset,
            batch_size=settings.batch_size,
            learning_rate=settings.learning_rate,
            alpha=settings.alpha,
            random_state=settings.seed,
            evaluate_each_epoch=False,  # _after_steps decides (at most EVALUATIONS_PER_SECOND)
            input_scale=input_factor(settings.input_scale),
        )
        run.dataset_source = settings.dataset  # a save names it
        run.evaluate()  # the untrained model's losses, so curves start at step 0
        return run

    def _start_run(self) -> None:
        """Bookkeeping for a run that starts at its step 0 (or was reset to it)."""
        self._tracker = DeltaTracker(self.run_id)
        self._last_evaluation = self.clock()
        self._evaluation_seconds = 0.0  # how long the last evaluation while playing took
        self._evaluated_epoch = self.run.epoch
        self._next_publish = -math.inf
        self._rate_mark = (self.clock(), 0)
        self.steps_per_second = 0.0
        self._pace_origin = None
        self._dirty = True
        self._codes_sent = None
        if self.codes is not None:
            self.codes.attach(self.run)

    def _replace(self, run: TrainingRun, settings: RunSettings, reason: str) -> None:
        self.run, self.settings = run, settings
        self.run_id += 1
        self.pending = 0
        self._start_run()
        delta = self._tracker.delta(self.run)
        self.emit(("replaced", self.run_id, reason, self.settings, delta))
        self._next_publish = self.clock() + SEND_INTERVAL
        self._dirty = False

    def ready_message(self) -> tuple:
        info = {
            "protocol": PROTOCOL_VERSION,
            "pid": os.getpid(),
            "settings": self.settings,
            "version": __version__,
            "python": platform.python_version(),
            "numpy": np.__version__,
        }
        return ("ready", info)

    # ------------------------------------------------------------------ commands
    def handle(self, command: tuple) -> None:
        """Carry out one command; a refused one is answered with ("error", why)."""
        name = command[0] if command else None
        try:
            method = getattr(self, f"_do_{name}", None)
            if method is None:
                raise ValueError(f"unknown command {name!r}")
            method(*command[1:])
        except (SettingError, DatasetError, ValueError, TypeError) as error:
            self.emit(("error", str(error), name))

    def _do_play(self) -> None:
        if self.run.diverged:
            self.emit(("diverged", self.run.divergence_message))
        else:
            self._set_playing(True)

    def _do_pause(self) -> None:
        self.pending = 0
        self._set_playing(False)

    def _set_playing(self, playing: bool) -> None:
        self._pace_origin = None
        if playing != self.playing:
            self.playing = playing
            self.emit(("running", playing))

    def _do_step(self, n: int) -> None:
        if self.run.diverged:
            self.emit(("diverged", self.run.divergence_message))
        else:
            self.pending += max(0, int(n))

    def _do_step_epoch(self) -> None:
        self._do_step(self.run.steps_left_in_epoch)

    def _do_train(self, n: int) -> None:
        run, n = self.run, int(n)
        chunk = max(1, min(run.steps_per_epoch // 4, TRAIN_EVALUATE_EVERY))
        while n > 0 and not run.diverged:
            n -= run.step(min(chunk, n))
            run.evaluate()
        # Evaluated just now: _after_steps must not evaluate the same step again (a train
        # that came more than EVALUATE_EVERY_SECONDS after the last evaluation did).
        self._last_evaluation, self._evaluated_epoch = self.clock(), run.epoch
        if self.codes_on:  # a script wants the figures at the end
            self.codes.advance(run)
        self._after_steps()
        self._dirty = True
        self.publish()

    def _do_codes(self, on: bool, learning_rate: float | None = None) -> None:
        if self.codes is None:
            self.codes = CodesFollower()
            self.codes.attach(self.run)
        if learning_rate is not None:
            self.codes.set_learning_rate(learning_rate)
        self.codes_on = bool(on)
        self._dirty = True

    def _do_evaluate(self) -> None:
        self.run.evaluate()
        self._dirty = True

    def _do_set(self, changes: dict) -> None:
        allowed = {"learning_rate", "batch_size", "alpha"}
        if not set(changes) <= allowed:
            raise ValueError(f"set takes {sorted(allowed)}, got {sorted(changes)}")
        settings = self.settings.with_(**changes)
        settings = settings.with_(batch_size=min(settings.batch_size, self.run.dataset.n_train))
        changed = {
            name: (getattr(self.settings, name), getattr(settings, name))
            for name in sorted(changes)
            if getattr(settings, name) != getattr(self.settings, name)
        }
        if changed:
            self.emit(("changed", self.run_id, self.run.step_count, changed))
        self.settings = settings
        self.run.learning_rate = settings.learning_rate
        self.run.batch_size = settings.batch_size
        self.run.alpha = settings.alpha
        if self.run.diverged:  # a new setting is the user's answer to a divergence
            self.run.clear_divergence()
        self._dirty = True

    def _do_speed(self, speed: float | None) -> None:
        if speed is not None:
            speed = float(speed)
            if not 0 < speed <= MAX_SPEED:
                raise ValueError(f"speed must be in (0, {MAX_SPEED:g}] steps/s or None")
        self.speed = speed
        self._pace_origin = None

    def _do_reset(self, reason: str = "Reset") -> None:
        self.run.reset()
        self.run.evaluate()
        self._replace(self.run, self.settings, reason)

    def _do_seed(self, seed: int) -> None:
        settings = self.settings.with_(seed=check_setting("seed", seed))
        run = self._make_run(self.run.dataset, settings)
        self._replace(run, settings, f"Reset: seed changed to {settings.seed}")

    def _do_dataset(self, source: str) -> None:
        settings, dataset = self._checked(self.settings.with_(dataset=os.fspath(source)))
        run = self._make_run(dataset, settings)
        self._replace(run, settings, f"Reset: dataset changed to {dataset.name}")

    def _do_save(self, path: str) -> None:
        try:
            self.run.save(path)
        except OSError as error:
            why = error.strerror or error
            raise ValueError(f"{path}: the run could not be saved ({why})") from None
        self.emit(("saved", os.fspath(path)))

    def _do_load(self, path: str, dataset_source: str | None = None) -> None:
        dataset = None if dataset_source is None else load_dataset(dataset_source)
        run = load_run(path, dataset)
        if dataset_source is not None:
            run.dataset_source = os.fspath(dataset_source)  # where it is now: the next save
        clf = run.classifier
        settings = self.settings.with_(
            dataset=run.dataset_source,
            learning_rate=clf.learning_rate,
            batch_size=run.batch_size,
            seed=run.random_state,
            alpha=clf.alpha,
            input_scale=input_scale_name(run.input_scale),
        )
        run.evaluate_each_epoch = False  # as _make_run: _after_steps decides
        self._set_playing(False)
        name = os.path.basename(os.fspath(path))
        self._replace(run, settings, f"Loaded run {name} at step {run.step_count:,}")

    def _kept_view(self, step: int) -> KeptView:
        kept = self.run.snapshot_at(step)
        # As predict_proba computes it for a snapshot: the same numbers for the same weights.
        A = softmax(self.run.test_inputs @ kept.W.T + kept.b)
        summary = summarize_probabilities(A, self.run.test_labels)
        return KeptView(kept.step, self.run.step_count, kept.W, kept.b, summary)

    def _do_input_scale(self, name: str) -> None:
        settings = self.settings.with_(input_scale=name)
        run = self._make_run(self.run.dataset, settings)
        words = input_scale_words(settings.input_scale)
        self._replace(run, settings, f"Reset: inputs {words}")

    def _do_query(self, request_id, kind: str, args: dict | None = None) -> None:
        args = args or {}
        try:
            if kind == "checkpoint":
                kept = self.run.snapshot_at(int(args["step"]))
                value = (kept.step, np.array(kept.W), np.array(kept.b))
            elif kind == "history":
                value = self.run.kept_steps
            elif kind == "snapshot_at":
                value = self._kept_view(int(args["step"]))
            elif kind == "settings":
                value = self.settings
            else:
                raise ValueError(f"unknown query {kind!r}")
        except (KeyError, ValueError, TypeError) as error:
            self.emit(("reply", request_id, False, f"{type(error).__name__}: {error}"))
        else:
            self.emit(("reply", request_id, True, value))

    def _do_shutdown(self) -> None:
        self.stopping = True

    # ------------------------------------------------------------------ training
    def work(self) -> float | None:
        """Train what is due now (a few milliseconds at most), publish if due.

        Returns how long until something is next due: 0 while training as fast as possible,
        None when nothing will happen until the next command.
        """
        now = self.clock()
        wait = None
        if self.playing and self.speed is None:
            self._step_chunk(math.inf)
            wait = 0.0
        elif self.playing:
            wait = self._step_paced(now)
        elif self.pending:
            self.pending -= self._step_chunk(self.pending)
            wait = 0.0 if self.pending else None
        if self.codes_on and self._follow_codes():
            wait = 0.0  # still catching up
        if self._dirty:
            due = self._next_publish - self.clock()
            if due <= 0 and self.can_publish():
                self.publish()
            else:
                due = max(due, 0.002)  # the sender is busy: look again shortly
                wait = due if wait is None else min(wait, due)
        return wait

    def _follow_codes(self) -> bool:
        """The code model toward the run's step; True while it is behind."""
        # Following (behind by about one of the run's chunks), it keeps step whatever that
        # takes, so at full speed the two share the time; catching up, it takes CODES_SECONDS
        # a turn, so commands are still read between turns.
        lag = self.run.step_count - self.codes.step
        budget = math.inf if lag <= 2 * self._steps_per_chunk + 1 else CODES_SECONDS
        behind = self.codes.advance(self.run, budget, self.clock)
        if self.codes.report is not self._codes_sent:
            self._dirty = True
        return behind

    def _step_chunk(self, limit: float) -> int:
        """Steps for about CHUNK_SECONDS (at most `limit`); returns how many were done."""
        run = self.run
        n = int(min(max(1.0, self._steps_per_chunk), limit))
        started = self.clock()
        done = self._steps(n)
        if done and not run.diverged:  # learn how many steps fit in a chunk
            per_step = (self.clock() - started) / done
            fit = CHUNK_SECONDS / max(per_step, 1e-7)
            self._steps_per_chunk = min(
                max(1.0, 0.7 * self._steps_per_chunk + 0.3 * fit),
                4 * self._steps_per_chunk + 1,
                MAX_STEPS_PER_CHUNK,
            )
        return done

    def _step_paced(self, now: float) -> float:
        """The steps the schedule says are due; returns the wait until the next one."""
        if self._pace_origin is None:
            self._pace_origin, self._paced_done = now, 0
        due = int((now - self._pace_origin) * self.speed) + 1 - self._paced_done
        backlog = MAX_PACED_BACKLOG_SECONDS * self.speed
        if due > backlog + 1:  # too far behind: forget the backlog, keep the pace from here
            self._pace_origin, self._paced_done, due = now, 0, 1
        if due > 0:
            done = self._steps(min(due, max(1, int(self._steps_per_chunk))))
            self._paced_done += done
        next_time = self._pace_origin + self._paced_done / self.speed
        return max(0.0, next_time - self.clock())

    def _steps(self, n: int) -> int:
        run = self.run
        if run.diverged:
            return 0
        done = run.step(n)
        self._after_steps()
        return done

    def _after_steps(self) -> None:
        run = self.run
        self._dirty = True
        now = self.clock()
        since = now - self._last_evaluation
        new_epoch = run.epoch != self._evaluated_epoch
        due = since > EVALUATE_EVERY_SECONDS or (new_epoch and since >= 1 / EVALUATIONS_PER_SECOND)
        if due and since * EVALUATION_TIME_SHARE >= self._evaluation_seconds:
            run.evaluate()
            self._evaluation_seconds = self.clock() - now
            self._last_evaluation, self._evaluated_epoch = now, run.epoch
        if run.diverged:
            self.pending = 0
            self._set_playing(False)
            self.emit(("diverged", run.divergence_message))

    def publish(self) -> None:
        """Send a snapshot delta of the run now."""
        now = self.clock()
        mark_time, mark_step = self._rate_mark
        if now - mark_time >= 0.5:  # a rate over half a second: per-frame rates jump around
            self.steps_per_second = (self.run.step_count - mark_step) / (now - mark_time)
            self._rate_mark = (now, self.run.step_count)
        if not (self.playing or self.pending):
            self.steps_per_second = 0.0
        codes = self.codes.report if self.codes_on else None
        if codes is self._codes_sent:
            codes = None  # sent already: the receiver keeps it
        else:
            self._codes_sent = codes
        self.emit(("snapshot", self._tracker.delta(self.run, self.steps_per_second, codes)))
        # On a fixed beat (a late snapshot does not push the next ones later), but never two
        # at once to catch up.
        self._next_publish = max(self._next_publish + SEND_INTERVAL, now + SEND_INTERVAL / 2)
        self._dirty = False


# ---------------------------------------------------------------------- the process
class _Outbox:
    """Sends messages in order on a thread of its own; one snapshot in flight at most."""

    def __init__(self, connection):
        self._connection = connection
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._snapshot_in_flight = False
        self.broken = False
        self._thread = threading.Thread(target=self._send_all, name="outbox", daemon=True)
        self._thread.start()

    def put(self, message: tuple) -> None:
        if message[0] == "snapshot":
            self._snapshot_in_flight = True
        self._queue.put(message)

    def idle(self) -> bool:
        return not self._snapshot_in_flight

    def close(self, timeout: float = 1.0) -> None:
        self._queue.put(None)
        self._thread.join(timeout)

    def _send_all(self) -> None:
        while (message := self._queue.get()) is not None:
            try:
                self._connection.send(message)
            except (OSError, ValueError):  # the GUI is gone
                self.broken = True
                return
            if message[0] == "snapshot":
                self._snapshot_in_flight = False


def serve(connection, settings: RunSettings) -> None:
    """The training process: serve commands from `connection` until shutdown, or until the
    other end is gone (its pipe closes), so no training process outlives its window."""
    # The sender thread writes a snapshot in pieces as the pipe drains, and after each piece
    # waits for the GIL the training loop holds: at Python's default 5 ms a turn a snapshot took
    # 20-40 ms to leave, and only about 16 a second left. 1 ms turns cost training nothing
    # measurable (the sender asks rarely).
    sys.setswitchinterval(SWITCH_INTERVAL)
    outbox = _Outbox(connection)
    try:
        server = TrainingServer(settings, outbox.put, can_publish=outbox.idle)
        outbox.put(server.ready_message())
        server.publish()
        while not (server.stopping or outbox.broken):
            wait = server.work()
            if connection.poll(wait):
                server.handle(connection.recv())
                while connection.poll(0):  # everything that came in before training again
                    server.handle(connection.recv())
    except (EOFError, BrokenPipeError, ConnectionResetError):
        return  # the window closed or its process died: nobody to train for
    except BaseException as error:  # noqa: BLE001 - the GUI must hear why the process ended
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        outbox.put(("failed", f"The training process stopped: {detail}", traceback.format_exc()))
    finally:
        outbox.close()
