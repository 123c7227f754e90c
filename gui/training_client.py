"""The GUI's side of the training process: commands out, the newest snapshot in.

`TrainingClient` never waits for training (but in `train_now`, for scripts): its commands are
messages, and a timer collects what the process sent, assembles the deltas into the newest
`latest_snapshot` and turns the rest into signals. Signals are past tense and rare:
`running_changed(bool)`, `run_replaced(str)` (the reason), `diverged(str)`, `rejected(str)` (a
command was refused, nothing changed), `failed(str)` (the training process ended: the last
snapshot stays, `restart()` starts a new process at the same settings), `run_saved(str)` (the
path written), `run_file_failed(str)` (a save or load refused: the run is untouched) and
`setting_changed(int, dict)` (a setting of the running run changed at that step: {name: (old,
new)}).

The start handshake: a process that has not said ("ready", info) within `ready_timeout`
seconds (it hangs in an import, a frozen build lacks freeze_support), or says it speaks another
protocol (a mixed install), is ended and reported through `failed` like a process that died;
one that dies before it is ready (a broken install) is reported by its transport.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal

from gui.logs import LOGGER
from gui.transports import InProcessTransport, ProcessTransport
from model import Dataset, TrainingSnapshot, load_dataset
from model.serve import PROTOCOL_VERSION
from model.settings import RunSettings, SettingError, check_setting
from model.snapshots import SnapshotAssembler, initial_snapshot

#: How often arrived messages are collected (the window draws the newest at about 30 Hz).
POLL_INTERVAL_MS = 15
#: A training process that has not answered the start handshake by then is given up. It is
#: ready in about a second here; a first start on a laptop whose virus scanner reads every
#: NumPy and Qt library, or a bundle unpacking itself, takes longer.
READY_TIMEOUT = 30.0


class TrainingClient(QObject):
    """Talks to one training process at a time; the GUI's only way to change training.

    dataset: the Dataset the GUI shows (the process loads its own copy from
    settings.dataset). transport: ProcessTransport (the app) or InProcessTransport (tests).
    """

    running_changed = Signal(bool)
    run_replaced = Signal(str)
    diverged = Signal(str)
    rejected = Signal(str)
    failed = Signal(str)
    run_saved = Signal(str)
    run_file_failed = Signal(str)
    setting_changed = Signal(int, dict)

    def __init__(
        self,
        dataset: Dataset,
        settings: RunSettings,
        *,
        speed: float | None = None,
        transport: Callable[[RunSettings], object] = ProcessTransport,
        ready_timeout: float = READY_TIMEOUT,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._make_transport = transport
        self.ready_timeout = ready_timeout
        self.failure: str | None = None  # what the last failed() said
        self.settings = settings.with_(batch_size=min(settings.batch_size, dataset.n_train))
        self.dataset = dataset
        self._speed = speed
        self._codes_on = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_INTERVAL_MS)
        self._timer.timeout.connect(self.poll)
        self._start(initial_snapshot(dataset, self.settings))

    def _start(self, snapshot: TrainingSnapshot) -> None:
        self.latest_snapshot = snapshot
        #: The last snapshot of the last replaced run that had trained (a comparison shows it),
        #: and that run's id.
        self.previous_run: TrainingSnapshot | None = None
        self.previous_run_id = -1
        self._assembler = SnapshotAssembler(0)
        self._datasets: dict[str, Dataset] = {self.settings.dataset: self.dataset}
        self._playing = False
        self.alive = True
        self.ready = False
        self._replies: dict[int, Callable] = {}
        self._failure: str | None = None
        self._next_request = 0
        self._started_at = time.monotonic()
        self._transport = self._make_transport(self.settings)
        if self._speed is not None:
            self._send("speed", self._speed)
        if self._codes_on:  # a restarted process trains the code model too
            self._send("codes", True)
        self._timer.start()

    # ------------------------------------------------------------------ reading
    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def speed(self) -> float | None:
        """Steps per second while playing; None means as fast as possible."""
        return self._speed

    @property
    def run_id(self) -> int:
        """The current run's number in this training process (each new run counts one up)."""
        return self._assembler.run_id

    @property
    def seed(self) -> int:
        return self.settings.seed

    # ------------------------------------------------------------------ settings
    def set_learning_rate(self, value: float) -> None:
        """Takes effect at the next step, without a reset."""
        self._set("learning_rate", value)

    def set_batch_size(self, value: int) -> None:
        """Takes effect at the next step (capped to the training set), without a reset."""
        self._set("batch_size", min(int(value), self.dataset.n_train))

    def set_alpha(self, value: float) -> None:
        self._set("alpha", value)

    def _set(self, name: str, value) -> None:
        try:
            value = check_setting(name, value)
        except SettingError as error:
            self.rejected.emit(str(error))
            return
        self.settings = self.settings.with_(**{name: value})
        self._send("set", {name: value})

    def set_speed(self, steps_per_second: float | None) -> None:
        self._speed = steps_per_second
        self._send("speed", steps_per_second)

    def set_seed(self, seed: int) -> None:
        """A new seed re-initialises the weights and the shuffling: a new run."""
        try:
            seed = check_setting("seed", seed)
        except SettingError as error:
            self.rejected.emit(str(error))
            return
        self.settings = self.settings.with_(seed=seed)
        self._send("seed", seed)

    def set_dataset(self, dataset: Dataset, source: str | None = None) -> None:
        """A new dataset (already loaded by the GUI from `source`, default its name): a new
        run. The GUI switches to it when the process has made the run."""
        source = str(source if source is not None else dataset.name)
        self._datasets[source] = dataset
        self._send("dataset", source)

    def set_input_scale(self, name: str) -> None:
        """Inputs "unit" (scaled 0-1) or "raw" (0-255 pixels): a new run."""
        try:
            self.settings.with_(input_scale=name)
        except SettingError as error:
            self.rejected.emit(str(error))
            return
        self._send("input_scale", name)

    def reset(self, reason: str = "Reset") -> None:
        """Back to the seeded initial weights, step 0."""
        self._send("reset", reason)

    # ------------------------------------------------------------------ commands
    def play(self) -> None:
        if self.latest_snapshot.diverged:
            self.diverged.emit(self.latest_snapshot.divergence_message)
            return
        self._send("play")
        self._set_playing(True)

    def pause(self) -> None:
        self._send("pause")
        self._set_playing(False)

    def toggle(self) -> None:
        self.pause() if self._playing else self.play()

    def step(self, n: int = 1) -> None:
        """n more minibatch steps."""
        self._send("step", int(n))

    def step_epoch(self) -> None:
        """Train to the end of the current epoch."""
        self._send("step_epoch")

    def set_codes_comparison(self, on: bool) -> None:
        """Train the code model beside the run (model/codes_comparison.py), or stop: the
        "Codes vs softmax" panel asks for it while it is on screen."""
        self._codes_on = bool(on)
        self._send("codes", self._codes_on)

    @property
    def codes_comparison(self) -> bool:
        return self._codes_on

    def evaluate_now(self) -> None:
        self._send("evaluate")

    def save_run(self, path: str) -> None:
        """Write the run to `path` (.npz); run_saved or run_file_failed says how it went."""
        self._send("save", str(path))

    def load_run(self, path: str, dataset: Dataset | None = None, source: str | None = None):
        """Replace the run by the one saved in `path`; `dataset` loaded from `source` when the
        user pointed to the run's moved dataset (None: from where the run file says)."""
        if dataset is not None:
            self._datasets[str(source)] = dataset
        self._send("load", str(path), None if source is None else str(source))

    def query(self, kind: str, args: dict | None, answer: Callable[[bool, object], None]) -> None:
        """Ask the process (see model.serve's queries); `answer(ok, value)` is called later."""
        self._next_request += 1
        self._replies[self._next_request] = answer
        self._send("query", self._next_request, kind, args)

    def train_now(self, n: int, timeout: float = 600.0) -> bool:
        """Train n steps as fast as possible and wait for them (for --screenshot and scripts,
        never from a GUI action). Evaluates four times an epoch, so curves have points."""
        target = self.latest_snapshot.step + int(n)
        self.train(n)
        return self.wait_until(
            lambda: self.latest_snapshot.step >= target or self.latest_snapshot.diverged, timeout
        )

    def train(self, n: int) -> None:
        """n steps as fast as possible, evaluating four times an epoch, without waiting: the
        process answers later commands and queries once they are done (lessons)."""
        self._send("train", int(n))

    def wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Collect messages until `condition()` or the process ends (scripts and start-up)."""
        deadline = time.monotonic() + timeout
        while self.alive and not condition() and time.monotonic() < deadline:
            self.poll()
            time.sleep(0.002)
        return condition()

    def _send(self, *command) -> None:
        if self.alive:
            self._transport.send(command)

    def _set_playing(self, playing: bool) -> None:
        if playing != self._playing:
            self._playing = playing
            self.running_changed.emit(playing)

    # ------------------------------------------------------------------ the process
    def poll(self) -> None:
        """Take in every message that has arrived (the timer calls this)."""
        for message in self._transport.receive():
            getattr(self, f"_on_{message[0]}")(*message[1:])
        waited = time.monotonic() - self._started_at
        if self.alive and not self.ready and self._failure is None and waited > self.ready_timeout:
            self._give_up(
                f"The training process did not start: no answer within {self.ready_timeout:g} s."
            )

    def _give_up(self, why: str) -> None:
        """End a process that cannot be used; its end is reported through failed(why)."""
        self._failure = why
        self._transport.kill()

    def _on_ready(self, info: dict) -> None:
        LOGGER.info(
            "training process ready: pid %s, Softmax Lab %s, Python %s, NumPy %s",
            *(info.get(key, "?") for key in ("pid", "version", "python", "numpy")),
        )
        protocol = info.get("protocol")
        if protocol != PROTOCOL_VERSION:
            self._give_up(
                f"The training process speaks protocol {protocol}, this window "
                f"{PROTOCOL_VERSION} (Softmax Lab {info.get('version', '?')} beside this one: "
                "reinstall the app)."
            )
            return
        self.ready = True

    def _on_snapshot(self, delta) -> None:
        if delta.run_id == self._assembler.run_id:  # not a late one of a replaced run
            self.latest_snapshot = self._assembler.apply(delta)

    def _on_replaced(self, run_id: int, reason: str, settings: RunSettings, delta) -> None:
        dataset = self._datasets.get(settings.dataset)
        if dataset is None or dataset.n_features != delta.W.shape[1]:
            dataset = load_dataset(settings.dataset)  # never pair weights with other data
        self.dataset = dataset
        self._datasets = {settings.dataset: self.dataset}
        self.settings = settings
        if self.latest_snapshot.step > 0:
            self.previous_run = self.latest_snapshot
            self.previous_run_id = self._assembler.run_id
        self._assembler = SnapshotAssembler(run_id)
        self.latest_snapshot = self._assembler.apply(delta)
        self.run_replaced.emit(reason)

    def _on_changed(self, run_id: int, step: int, changes: dict) -> None:
        if run_id == self._assembler.run_id:
            # What the run uses now: a "replaced" that crossed a "set" on its way out carried
            # the settings from before it.
            self.settings = self.settings.with_(**{name: new for name, (_, new) in changes.items()})
            self.setting_changed.emit(int(step), dict(changes))

    def _on_running(self, playing: bool) -> None:
        self._set_playing(playing)

    def _on_diverged(self, message: str) -> None:
        # The snapshot saying so may still be on its way: show the state at once.
        self.latest_snapshot = replace(
            self.latest_snapshot, diverged=True, divergence_message=message
        )
        self.diverged.emit(message)

    def _on_saved(self, path: str) -> None:
        self.run_saved.emit(path)

    def _on_error(self, message: str, command: str | None = None) -> None:
        if command in ("save", "load"):
            self.run_file_failed.emit(message)
            return
        if command == "dataset":  # the process could not load it: forget it here too
            self._datasets = {self.settings.dataset: self.dataset}
        self.rejected.emit(message)

    def _on_reply(self, request_id: int, ok: bool, value) -> None:
        answer = self._replies.pop(request_id, None)
        if answer is not None:
            answer(ok, value)

    def _on_failed(self, message: str, details: str = "") -> None:
        LOGGER.error("%s\n%s", message, details.rstrip())
        self._failure = message

    def _on_gone(self) -> None:
        if not self.alive:
            return
        self.alive = False
        self._timer.stop()
        why = self._failure or (
            f"The training process ended unexpectedly: {self._transport.exit_description()}."
        )
        self._failure = None
        self._transport.close(0)  # let go of the pipe (a child of the process may hold it)
        self._set_playing(False)
        LOGGER.error("training process gone: %s", why)
        self.failure = why
        self.failed.emit(
            f"{why} The last picture stays on screen; Restart starts training again at the "
            "same settings."
        )

    def restart(self) -> None:
        """A new training process at the same settings (after a failure), from step 0."""
        if self.alive:
            self._transport.close()
        self._start(initial_snapshot(self.dataset, self.settings))
        self.run_replaced.emit("Restarted training at the same settings")

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """End the training process; True if it stopped by itself within the timeout."""
        self._timer.stop()
        if not self.alive:
            return True
        self.alive = False
        return self._transport.close(timeout_ms / 1000)

    @staticmethod
    def in_process(dataset: Dataset, settings: RunSettings, **kwargs) -> TrainingClient:
        """A client whose server runs in this process (tests)."""
        return TrainingClient(dataset, settings, transport=InProcessTransport, **kwargs)
