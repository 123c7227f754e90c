"""App benchmark: issue 8's table, side by side in one run, with the real training process.

    python tests/benchmarks/bench_app.py [--quick] [--json FILE] [options]

Offscreen at 1600x1000, mnist at batch 32 by default; a TrainingClient with its default
ProcessTransport trains in a spawned process and the MainWindow draws on its 33 ms timer.
In order:

- start-up: fresh `python -m gui` processes, from before the spawn to the window's first
  paint (SOFTMAX_LAB_STARTUP_PROBE; median, target <= 1.5 s);
- the lesson default: at model.settings.DEFAULT_SPEED_INDEX from step 0, the distinct
  snapshot steps drawn during the first epoch (target >= 100);
- paced speeds: each speed of model.settings.SPEEDS up to 1000, played for a few seconds;
  steps/s delivered (snapshot steps over the wall time between their arrivals) against the
  label (target within 10 %);
- the frame cost, idle and while the process trains in the background: MainWindow.redraw()
  after mark_dirty with a fresh snapshot each time ("compute"), plus the paint the event loop
  does after it ("frame as drawn": targets median <= 12 ms, p95 <= 20 ms); for reference the
  whole window repainted by window.grab() after a redraw; per panel, its show_frame and its
  widget rendered into a QImage;
- full speed (speed None), in rounds of three segments in rotating order: a plain headless
  `TrainingRun` stepping in a separate process (the training process paused meanwhile), the
  training process with the window hidden and its redraw timer stopped, and the window shown
  and live. Throughput ratios of the medians (targets >= 0.8 live, >= 0.9 hidden); while live,
  QEvent.Paint counted on every pyqtgraph view (target >= 25 frames/s on every visible one)
  and event-loop lateness (a 10 ms timer: targets p99 < 20 ms, max < 50 ms);
- settings mid-run at batch 1, full speed: set_batch_size, set_learning_rate, set_alpha,
  set_seed and reset on the TrainingClient, each call and the event-loop turn after it timed
  (target every call < 20 ms), then MainWindow.close() with its client's shutdown (< 1 s),
  and the child processes left (0).

Prints the machine, a table of every figure with its target and met/missed, per-panel and
per-view details; --json FILE writes everything. Not collected by pytest
(tests/benchmarks/test_bench_app_smoke.py runs it briefly).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WINDOW_SIZE = (1600, 1000)
FRAME_MEDIAN_MS, FRAME_P95_MS = 12.0, 20.0


# ---------------------------------------------------------------------- small helpers
def percentile(values, q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation; nan for no values."""
    values = sorted(values)
    if not values:
        return float("nan")
    position = (len(values) - 1) * q / 100
    lo = int(position)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (position - lo)


def summary(ms: list[float]) -> dict:
    """n, median, p95, p99 and max of a list of milliseconds."""
    return {
        "n": len(ms),
        "median_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "p99_ms": percentile(ms, 99),
        "max_ms": max(ms, default=float("nan")),
    }


def machine_facts() -> dict:
    facts = {
        "nproc": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": platform.processor() or "unknown",
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": list(os.getloadavg()),
    }
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    facts["cpu_model"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import numpy as np
    import pyqtgraph as pg
    import PySide6
    from PySide6.QtCore import qVersion

    facts.update(numpy=np.__version__, pyside6=PySide6.__version__, qt=qVersion())
    facts["pyqtgraph"] = pg.__version__
    try:
        from threadpoolctl import threadpool_info

        facts["blas"] = [
            {k: pool.get(k) for k in ("internal_api", "version", "num_threads", "architecture")}
            for pool in threadpool_info()
        ]
    except ImportError:
        facts["blas"] = "threadpoolctl not installed"
    return facts


def wait(seconds: float) -> None:
    """Run the event loop for `seconds` (timers fire, the window redraws and paints)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(max(0, int(seconds * 1000)), loop.quit)
    loop.exec()


# ---------------------------------------------------------------------- start-up
def measure_startup(runs: int, dataset: str) -> dict:
    """Fresh `python -m gui` processes; seconds from before the spawn to each start-up stage.

    Stages (printed by gui/app.py when SOFTMAX_LAB_STARTUP_PROBE is set): main (interpreter,
    numpy and model imported), imports (Qt, pyqtgraph, the GUI), dataset (loaded), window
    (client and main window built), paint (the first paint begins), painted (done).
    """
    stages: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SOFTMAX_LAB_STARTUP_PROBE="1")
            env["SOFTMAX_LAB_SETTINGS"] = str(Path(tmp) / f"settings{i}.ini")  # defaults
            started = time.time()
            result = subprocess.run(
                [sys.executable, "-m", "gui", "--dataset", dataset],
                capture_output=True,
                text=True,
                timeout=120,
                env=env,
                cwd=ROOT,
            )
            marks = {}
            for line in result.stdout.splitlines():
                parts = line.split()
                if len(parts) == 3 and parts[0] == "startup":
                    marks[parts[1]] = float(parts[2]) - started
            if result.returncode != 0 or "painted" not in marks:
                raise RuntimeError(f"start-up probe failed: {result.stdout}\n{result.stderr}")
            for stage, seconds in marks.items():
                stages.setdefault(stage, []).append(seconds)
    return {
        "runs": runs,
        "first_paint_s": stages["painted"],
        "median_first_paint_s": statistics.median(stages["painted"]),
        "median_stage_s": {stage: statistics.median(v) for stage, v in stages.items()},
    }


# ---------------------------------------------------------------------- the reference
def reference_worker(connection, dataset_name: str, batch_size: int, seed: int) -> None:
    """A plain TrainingRun in its own process: ("run", seconds) steps it for that long and
    answers (steps, seconds); ("stop",) ends it. No snapshots, no evaluation but its own."""
    from model import TrainingRun, load_dataset

    run = TrainingRun(load_dataset(dataset_name), batch_size=batch_size, random_state=seed)
    connection.send(("ready",))
    while True:
        command = connection.recv()
        if command[0] != "run":
            return
        chunk, steps = 16, 0
        started = time.perf_counter()
        deadline = started + command[1]
        while (now := time.perf_counter()) < deadline:
            steps += run.step(chunk)
            if run.diverged:
                run.reset()
            chunk = min(2 * chunk, 256) if now + 0.01 < deadline else 16
        connection.send((steps, time.perf_counter() - started))


class ReferenceRun:
    """The headless reference of the throughput ratios: reference_worker, spawned."""

    def __init__(self, dataset_name: str, batch_size: int, seed: int):
        context = multiprocessing.get_context("spawn")
        self.connection, theirs = context.Pipe()
        self.process = context.Process(
            target=reference_worker,
            args=(theirs, dataset_name, batch_size, seed),
            name="bench-reference",
            daemon=True,
        )
        self.process.start()
        theirs.close()
        self._ready = False

    def steps_per_second(self, seconds: float) -> float:
        if not self._ready:
            self.connection.recv()  # ("ready",)
            self._ready = True
        self.connection.send(("run", seconds))
        steps, elapsed = self.connection.recv()
        return steps / elapsed

    def close(self) -> None:
        try:
            self.connection.send(("stop",))
        except OSError:
            pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)


# ---------------------------------------------------------------------- instruments
class LatenessProbe:
    """A 10 ms single-shot timer, restarted when it fires: how late is each firing?"""

    def __init__(self, interval_ms: int = 10):
        from PySide6.QtCore import Qt, QTimer

        self.interval_ms = interval_ms
        self.samples: list[float] = []
        self._due = 0.0
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._fired)

    def start(self) -> None:
        self._due = time.perf_counter() + self.interval_ms / 1000
        self.timer.start(self.interval_ms)

    def stop(self) -> None:
        self.timer.stop()

    def _fired(self) -> None:
        now = time.perf_counter()
        self.samples.append(max(0.0, now - self._due))
        self._due = now + self.interval_ms / 1000
        self.timer.start(self.interval_ms)

    def summary(self) -> dict:
        return summary([1000 * s for s in self.samples])


class SnapshotWatcher:
    """Collects the client's messages every 5 ms (TrainingClient.poll) and records when each
    new snapshot arrived: (perf_counter seconds, step). Rates come from arrival times."""

    def __init__(self, client):
        from PySide6.QtCore import Qt, QTimer

        self.client = client
        self.arrivals: list[tuple[float, int]] = []
        self._last = None
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(5)
        self.timer.timeout.connect(self.look)
        self.timer.start()

    def look(self) -> None:
        self.client.poll()
        snapshot = self.client.latest_snapshot
        if snapshot is not self._last:
            self._last = snapshot
            self.arrivals.append((time.perf_counter(), snapshot.step))

    def steps(self, since: float, until: float) -> int:
        """Steps trained between the snapshots that arrived in the span (across new runs)."""
        inside = [s for t, s in self.arrivals if since <= t <= until]
        return sum(b - a if b >= a else b for a, b in zip(inside[:-1], inside[1:], strict=True))

    def rate(self, since: float, until: float) -> float:
        """Steps per second between the first and last snapshots that arrived in the span."""
        inside = [(t, s) for t, s in self.arrivals if since <= t <= until]
        if len(inside) < 2 or inside[-1][0] <= inside[0][0]:
            return float("nan")
        (t0, s0), (t1, s1) = inside[0], inside[-1]
        return (s1 - s0) / (t1 - t0)


class Instruments:
    """Times and records each panel's show_frame; counts paints of the plot panels' views."""

    def __init__(self, window):
        import pyqtgraph as pg
        from PySide6.QtCore import QEvent, QObject

        self.window = window
        self.show_frames: dict[str, list[float]] = {name: [] for name in window.docks}
        self.steps_drawn: list[int] = []  # the snapshot step of every panel frame
        self.views: dict[str, object] = {}
        self.paints: dict[str, int] = {}
        self.recording = False
        instruments = self

        class PaintCounter(QObject):
            def __init__(self, name, parent):
                super().__init__(parent)
                self.name = name

            def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
                if instruments.recording and event.type() == QEvent.Type.Paint:
                    instruments.paints[self.name] += 1
                return False

        from gui.panel_table import PANELS

        # The four plots are the live views; the sample's picture changes only with the sample.
        plots = {row.object_name for row in PANELS if row.place.is_plot}
        for name, dock in window.docks.items():
            panel = dock.widget()
            panel.show_frame = self._timed(panel.show_frame, self.show_frames[name])
            if name not in plots:
                continue
            for i, view in enumerate(panel.findChildren(pg.GraphicsView)):
                key = f"{name}/{type(view).__name__}#{i}"
                self.views[key] = view
                self.paints[key] = 0
                viewport = view.viewport()  # a QGraphicsView paints its viewport
                viewport.installEventFilter(PaintCounter(key, viewport))

    def _timed(self, function, into: list):
        def timed(frame):
            started = time.perf_counter()
            result = function(frame)
            if self.recording:
                into.append(time.perf_counter() - started)
                self.steps_drawn.append(frame.snapshot.step)
            return result

        return timed

    def visible_views(self) -> list[str]:
        return [
            key
            for key, view in self.views.items()
            if view.isVisible() and not view.viewport().visibleRegion().isEmpty()
        ]

    def reset(self) -> None:
        for times in self.show_frames.values():
            times.clear()
        self.steps_drawn.clear()
        self.paints = dict.fromkeys(self.paints, 0)


# ---------------------------------------------------------------------- the app
class AppBench:
    """One TrainingClient (a real training process) and one MainWindow, measured in turn."""

    def __init__(self, dataset_name: str, batch_size: int, seed: int = 0):
        from PySide6.QtWidgets import QApplication

        from gui.main_window import MainWindow
        from gui.plotting import configure_pyqtgraph
        from gui.training_client import TrainingClient
        from model import load_dataset
        from model.settings import RunSettings

        self.app = QApplication.instance() or QApplication([sys.argv[0]])
        configure_pyqtgraph()
        settings = RunSettings(dataset=dataset_name, batch_size=batch_size, seed=seed)
        self.client = TrainingClient(load_dataset(dataset_name), settings)
        self.window = MainWindow(self.client, settings=None)
        self.window.resize(*WINDOW_SIZE)
        self.instruments = Instruments(self.window)
        self.watcher = SnapshotWatcher(self.client)
        self.window.show()
        if not self.client.wait_until(lambda: self.client.ready, 120):
            raise RuntimeError("the training process did not start")
        wait(0.3)  # shown, laid out, the first frame painted
        from gui.gc_guard import freeze_the_start

        freeze_the_start()  # as gui.app.main does once the window is built

    def set_speed(self, speed: float | None) -> None:
        """As the user does: the speed control's position (it tells the client)."""
        from model.settings import SPEEDS

        self.window.controls.set_speed_index(SPEEDS.index(speed))

    def set_live(self, live: bool) -> None:
        """Window shown and redrawn ~30 times a second, or hidden with no redraws."""
        if live:
            self.window.show()
            self.window.mark_dirty()
            self.window.redraw_timer.start()
        else:
            self.window.redraw_timer.stop()
            self.window.hide()

    def pause(self) -> None:
        self.client.pause()
        wait(0.1)

    # ------------------------------------------------------------------ the lesson
    def lesson(self, timeout: float) -> dict:
        """From step 0 at the default speed: distinct steps drawn in the first epoch."""
        from model.settings import DEFAULT_SPEED_INDEX, SPEEDS

        speed = SPEEDS[DEFAULT_SPEED_INDEX]
        self.set_speed(speed)
        self.set_live(True)
        # The window on screen first: on a busy machine it was exposed only after digits' short
        # first epoch (45 steps, 0.9 s) had gone by, and no frame was counted.
        shown = time.perf_counter()
        while time.perf_counter() - shown < timeout and not self.instruments.visible_views():
            wait(0.05)
        epoch = self.client.latest_snapshot.steps_per_epoch
        start_step = self.client.latest_snapshot.step
        ins = self.instruments
        ins.reset()
        ins.recording = True
        started = time.perf_counter()
        self.client.play()
        while self.client.latest_snapshot.step < epoch:
            if time.perf_counter() - started > timeout:
                break
            wait(0.05)
        seconds = time.perf_counter() - started
        wait(0.1)  # the frame of the epoch's last step
        ins.recording = False
        self.pause()
        drawn = sorted({s for s in ins.steps_drawn if start_step < s <= epoch})
        return {
            "speed": speed,
            "steps_per_epoch": epoch,
            "start_step": start_step,
            "epoch_seconds": seconds,
            "distinct_steps_drawn": len(drawn),
            "first_steps_drawn": drawn[:10],
        }

    # ------------------------------------------------------------------ paced speeds
    def paced(self, seconds: float, min_steps: float, max_speed: float = 1000) -> dict:
        """Each paced speed up to max_speed, live: steps/s delivered against the label."""
        from model.settings import SPEEDS

        self.set_live(True)
        rows = {}
        for speed in [s for s in SPEEDS if s is not None and s <= max_speed]:
            self.set_speed(speed)
            self.client.play()
            wait(0.3 + 1.0 / speed)  # the pace set, the first step or two arrived
            span = max(seconds, min_steps / speed)
            since = time.perf_counter()
            wait(span)
            delivered = self.watcher.rate(since, time.perf_counter())
            rows[f"{speed:g}"] = {
                "label_steps_per_s": speed,
                "delivered_steps_per_s": delivered,
                "error": delivered / speed - 1,
                "seconds": span,
            }
        self.pause()
        return rows

    # ------------------------------------------------------------------ frame cost
    def frame_cost(self, n: int, training: bool) -> dict:
        """n full redraws, each of a fresh snapshot, with the redraw timer stopped.

        Two redraws in four are followed by one processEvents(): the paint Qt does of what the
        redraw changed, as the app's event loop does after every frame; redraw plus that is
        the frame as the app draws it (the measure of the issue's table, whose first version
        timed a redraw that painted what changed before returning). One in four is followed
        by window.grab() (the whole window painted into a pixmap, every widget whether it
        changed or not: a screenshot's cost, for reference), one by each panel rendered into
        a QImage (per-panel paint). The event loop then runs so nothing is left pending.
        """
        from PySide6.QtGui import QImage

        window, client, ins = self.window, self.client, self.instruments
        self.set_speed(None)
        self.set_live(True)
        window.redraw_timer.stop()
        if training:
            client.play()
        else:
            self.pause()
        wait(0.3)
        step_at_start = client.latest_snapshot.step
        compute, whole, loop_paint, as_drawn = [], [], [], []
        panel_paint: dict[str, list[float]] = {name: [] for name in window.docks}
        ins.reset()
        for i in range(n):
            last = client.latest_snapshot
            if not training:
                client.step(4)
            client.wait_until(lambda last=last: client.latest_snapshot is not last, 10)
            ins.recording = True
            window.mark_dirty()
            started = time.perf_counter()
            window.redraw()
            computed = time.perf_counter()
            ins.recording = False
            compute.append(1000 * (computed - started))
            if i % 4 == 0:
                window.grab()
                whole.append(1000 * (time.perf_counter() - started))
            elif i % 4 == 1:
                for name, dock in window.docks.items():
                    panel = dock.widget()
                    if dock.visibleRegion().isEmpty() or panel.width() < 1:
                        continue
                    image = QImage(panel.size(), QImage.Format.Format_ARGB32_Premultiplied)
                    t0 = time.perf_counter()
                    panel.render(image)
                    panel_paint[name].append(1000 * (time.perf_counter() - t0))
            else:
                self.app.processEvents()
                painted = time.perf_counter()
                loop_paint.append(1000 * (painted - computed))
                as_drawn.append(1000 * (painted - started))
            self.app.processEvents()
        if training:
            self.pause()
        window.redraw_timer.start()
        return {
            "redraws": n,
            "training": training,
            "steps_at_start": step_at_start,
            "steps_at_end": client.latest_snapshot.step,
            "loss_points_at_end": len(client.latest_snapshot.step_losses),
            "compute": summary(compute),
            "frame_as_drawn": summary(as_drawn),
            "whole_window_compute_and_paint": summary(whole),
            "event_loop_paint_after_redraw": summary(loop_paint),
            "per_panel_show_frame": {
                name: summary([1000 * s for s in times]) for name, times in ins.show_frames.items()
            },
            "per_panel_paint": {name: summary(ms) for name, ms in panel_paint.items()},
        }

    # ------------------------------------------------------------------ full speed
    def full_speed(self, rounds: int, seconds: float, reference: ReferenceRun) -> dict:
        """Rounds of reference, hidden and live segments (the order rotating each round)."""
        kinds = ["reference", "hidden", "live"]
        rates: dict[str, list[float]] = {kind: [] for kind in kinds}
        settle = min(0.5, seconds / 4)
        probe = LatenessProbe()
        ins = self.instruments
        ins.reset()
        self.set_speed(None)
        live_seconds = 0.0
        visible = set()
        for r in range(rounds):
            for kind in kinds[r % 3 :] + kinds[: r % 3]:
                if kind == "reference":
                    self.set_live(False)
                    self.pause()
                    rates[kind].append(reference.steps_per_second(seconds))
                    continue
                self.set_live(kind == "live")
                self.client.play()
                wait(settle)
                if kind == "live":
                    visible.update(ins.visible_views())
                    ins.recording = True
                    probe.start()
                since = time.perf_counter()
                wait(seconds - settle)
                until = time.perf_counter()
                if kind == "live":
                    probe.stop()
                    ins.recording = False
                    live_seconds += until - since
                rates[kind].append(self.watcher.rate(since, until))
        self.pause()
        medians = {kind: statistics.median(v) for kind, v in rates.items()}
        paints = {key: count / live_seconds for key, count in ins.paints.items()}
        shown = {key: paints[key] for key in paints if key in visible}
        return {
            "rounds": rounds,
            "segment_s": seconds,
            "steps_per_s": rates,
            "median_steps_per_s": medians,
            "ratio_live": medians["live"] / medians["reference"],
            "ratio_hidden": medians["hidden"] / medians["reference"],
            "live_seconds": live_seconds,
            "paints_per_s": paints,
            "visible_views": sorted(visible),
            "min_visible_paints_per_s": min(shown.values(), default=float("nan")),
            # Each visible plot panel's redraws with the newest snapshot (its show_frame calls):
            # what "live" means; a view then repaints only what moved (a Jacobian that moved by
            # less than a colour step is not painted again).
            "min_visible_redraws_per_s": min(
                (len(ins.show_frames[name]) / live_seconds
                 for name in {key.split("/")[0] for key in visible}),
                default=float("nan"),
            ),  # fmt: skip
            "slowest_visible_view": min(shown, key=shown.get, default=""),
            "redraws_per_s": {
                name: len(times) / live_seconds for name, times in ins.show_frames.items()
            },
            "lateness": probe.summary(),
        }

    # ------------------------------------------------------------------ settings mid-run
    def settings_mid_run(self, rounds: int, gap: float) -> dict:
        """At batch 1 and full speed, live: each setting changed in turn, every call timed."""
        client = self.client
        self.set_speed(None)
        self.set_live(True)
        client.set_batch_size(1)
        client.play()
        wait(0.5)
        probe = LatenessProbe()
        probe.start()
        calls: dict[str, list[float]] = {}
        turns: list[float] = []
        replies: list[float] = []
        since = time.perf_counter()
        for r in range(rounds):
            actions = [
                ("set_batch_size", lambda: client.set_batch_size(2)),
                ("set_learning_rate", lambda r=r: client.set_learning_rate(0.05 + 0.01 * r)),
                ("set_alpha", lambda r=r: client.set_alpha(1e-4 * (r % 2))),
                ("set_batch_size", lambda: client.set_batch_size(1)),
                ("set_seed", lambda r=r: client.set_seed(r + 1)),
                ("reset", lambda: client.reset("Reset by the benchmark")),
            ]
            for name, call in actions:
                started = time.perf_counter()
                call()
                called = time.perf_counter()
                self.app.processEvents()
                turns.append(1000 * (time.perf_counter() - called))
                calls.setdefault(name, []).append(1000 * (called - started))
                wait(gap)
            asked = time.perf_counter()
            client.query(
                "settings",
                None,
                lambda ok, value, asked=asked: replies.append(1000 * (time.perf_counter() - asked)),
            )
            wait(gap)
        until = time.perf_counter()
        steps_per_s = self.watcher.steps(since, until) / (until - since)
        probe.stop()
        every = [ms for times in calls.values() for ms in times]
        return {
            "rounds": rounds,
            "calls": {name: summary(ms) for name, ms in calls.items()},
            "longest_call_ms": max(every),
            "longest_call": max(calls, key=lambda name: max(calls[name])),
            "turn_after_call": summary(turns),
            "lateness": probe.summary(),
            "query_reply": summary(replies),
            "batch_size_at_end": client.latest_snapshot.batch_size,
            "steps_per_s_during": steps_per_s,
        }

    def close_while_training(self) -> dict:
        """MainWindow.close() (its client shuts the training process down) while training."""
        self.watcher.timer.stop()
        self.client.play()
        wait(0.3)
        started = time.perf_counter()
        self.window.close()
        seconds = time.perf_counter() - started
        left = [child.name for child in multiprocessing.active_children()]
        return {"seconds": seconds, "children_left": left, "client_alive": self.client.alive}


# ---------------------------------------------------------------------- report
def _ms(s: dict) -> str:
    return f"{s['median_ms']:.1f} / {s['p95_ms']:.1f} ms"


def _frame_ok(s: dict) -> bool:
    return s["median_ms"] <= FRAME_MEDIAN_MS and s["p95_ms"] <= FRAME_P95_MS


def results_table(r: dict) -> list[tuple[str, str, str, bool | None]]:
    """(figure, measured, target, met) rows; met None for a figure without a target."""
    fs, st, les = r["full_speed"], r["startup"], r["lesson"]
    idle, busy = r["frame_idle"], r["frame_training"]
    mid, close = r["settings_mid_run"], r["close"]
    med = fs["median_steps_per_s"]
    lat = fs["lateness"]
    target = f"<= {FRAME_MEDIAN_MS:g} / {FRAME_P95_MS:g} ms"
    rows = [
        (
            "frames/s drawn, slowest visible plot panel",
            f"{fs['min_visible_redraws_per_s']:.1f}",
            ">= 25",
            fs["min_visible_redraws_per_s"] >= 25,
        ),
        (
            "  paints/s, slowest visible plot view",
            f"{fs['min_visible_paints_per_s']:.1f} ({fs['slowest_visible_view']})",
            "",
            None,
        ),
        (
            "throughput live / headless TrainingRun",
            f"{fs['ratio_live']:.2f} ({med['live']:,.0f} / {med['reference']:,.0f} steps/s)",
            ">= 0.8",
            fs["ratio_live"] >= 0.8,
        ),
        (
            "throughput hidden / headless TrainingRun",
            f"{fs['ratio_hidden']:.2f} ({med['hidden']:,.0f} / {med['reference']:,.0f} steps/s)",
            ">= 0.9",
            fs["ratio_hidden"] >= 0.9,
        ),
        ("frame compute, idle, med / p95", _ms(idle["compute"]), "", None),
        (
            "frame as drawn (compute + paint), idle",
            _ms(idle["frame_as_drawn"]),
            target,
            _frame_ok(idle["frame_as_drawn"]),
        ),
        ("frame compute, training, med / p95", _ms(busy["compute"]), "", None),
        (
            "frame as drawn (compute + paint), training",
            _ms(busy["frame_as_drawn"]),
            target,
            _frame_ok(busy["frame_as_drawn"]),
        ),
        (
            "  of which the event loop's paint, training",
            _ms(busy["event_loop_paint_after_redraw"]),
            "",
            None,
        ),
        (
            "whole window repainted (grab) + compute, idle",
            _ms(idle["whole_window_compute_and_paint"]),
            "",
            None,
        ),
        (
            "whole window repainted (grab) + compute, training",
            _ms(busy["whole_window_compute_and_paint"]),
            "",
            None,
        ),
        (
            "event-loop lateness p99, full speed",
            f"{lat['p99_ms']:.1f} ms",
            "< 20 ms",
            lat["p99_ms"] < 20,
        ),
        (
            "event-loop lateness max, full speed",
            f"{lat['max_ms']:.1f} ms",
            "< 50 ms",
            lat["max_ms"] < 50,
        ),
        (
            "longest GUI call, settings at batch 1",
            f"{mid['longest_call_ms']:.2f} ms ({mid['longest_call']})",
            "< 20 ms",
            mid["longest_call_ms"] < 20,
        ),
        (
            "  turn after a call, med / max",
            f"{mid['turn_after_call']['median_ms']:.1f} / "
            f"{mid['turn_after_call']['max_ms']:.1f} ms",
            "",
            None,
        ),
        (
            "  lateness then, p99 / max",
            f"{mid['lateness']['p99_ms']:.1f} / {mid['lateness']['max_ms']:.1f} ms",
            "max < 50 ms",
            mid["lateness"]["max_ms"] < 50,
        ),
        ("close window while training", f"{close['seconds']:.3f} s", "< 1 s", close["seconds"] < 1),
        (
            "  child processes left",
            str(len(close["children_left"])),
            "0",
            not close["children_left"],
        ),
        (
            "start-up to first paint (median)",
            f"{st['median_first_paint_s']:.2f} s (of {st['runs']})",
            "<= 1.5 s",
            st["median_first_paint_s"] <= 1.5,
        ),
    ]
    for label, p in r["paced"].items():
        rows.append(
            (
                f"paced {label} steps/s delivered",
                f"{p['delivered_steps_per_s']:.1f} ({100 * p['error']:+.1f} %)",
                "within 10 %",
                abs(p["error"]) <= 0.10,
            )
        )
    rows.append(
        (
            f"distinct frames, first epoch at {les['speed']:g} steps/s",
            f"{les['distinct_steps_drawn']} of {les['steps_per_epoch']} steps "
            f"({les['epoch_seconds']:.1f} s)",
            ">= 100",
            les["distinct_steps_drawn"] >= 100,
        )
    )
    return rows


def print_report(r: dict) -> None:
    m = r["machine"]
    print(f"Machine: {m['nproc']} CPUs ({m['cpus_usable']} usable), {m['cpu_model']}")
    print(
        f"Python {m['python']}, numpy {m['numpy']}, PySide6 {m['pyside6']} (Qt {m['qt']}), "
        f"pyqtgraph {m['pyqtgraph']}"
    )
    blas = m["blas"]
    if isinstance(blas, list):
        blas = ", ".join(
            f"{b['internal_api']} {b['version']} ({b['num_threads']} threads)" for b in blas
        )
    print(f"BLAS: {blas}; load average {m['load_average_at_start']} -> {m['load_average_at_end']}")
    s = r["settings"]
    print(
        f"Dataset {s['dataset']}, batch {s['batch_size']}, offscreen "
        f"{WINDOW_SIZE[0]}x{WINDOW_SIZE[1]}{', --quick' if s['quick'] else ''}\n"
    )
    rows = results_table(r)
    widths = [
        max(len(row[i]) for row in [("figure", "measured", "target", None), *rows])
        for i in range(3)
    ]
    print(f"{'figure':<{widths[0]}}  {'measured':<{widths[1]}}  {'target':<{widths[2]}}  met")
    for name, value, target, ok in rows:
        mark = "" if ok is None else ("yes" if ok else "MISSED")
        print(f"{name:<{widths[0]}}  {value:<{widths[1]}}  {target:<{widths[2]}}  {mark}")
    print()
    print_panels(r)
    fs = r["full_speed"]
    print("\nframes/s per plot view while live at full speed (* visible):")
    for key, rate in fs["paints_per_s"].items():
        print(f"  {'*' if key in fs['visible_views'] else ' '} {key:<48} {rate:5.1f}")
    idle, busy = r["frame_idle"], r["frame_training"]
    print(
        f"frame cost measured at steps {idle['steps_at_start']:,}-{idle['steps_at_end']:,} "
        f"idle and {busy['steps_at_start']:,}-{busy['steps_at_end']:,} training "
        f"({busy['loss_points_at_end']:,} loss points held at the end)"
    )
    print("redraws/s per panel while live: " + _pairs(fs["redraws_per_s"], "{:.1f}"))
    print(
        "start-up stages (median s from spawn): " + _pairs(r["startup"]["median_stage_s"], "{:.2f}")
    )
    mid = r["settings_mid_run"]
    print(
        "settings calls, max ms: "
        + _pairs({k: v["max_ms"] for k, v in mid["calls"].items()}, "{:.2f}")
    )
    print(
        f"while settings changed: {mid['steps_per_s_during']:,.0f} steps/s, a settings "
        f"query answered in {_ms(mid['query_reply'])} (median / p95)"
    )


def print_panels(r: dict) -> None:
    """Per panel: show_frame and its rendering into an image, idle and while training."""
    idle, busy = r["frame_idle"], r["frame_training"]
    print(
        "per panel, ms median / p95   show_frame idle   show_frame train"
        "   paint idle        paint train"
    )
    for name in idle["per_panel_show_frame"]:
        cells = [
            idle["per_panel_show_frame"][name],
            busy["per_panel_show_frame"][name],
            idle["per_panel_paint"][name],
            busy["per_panel_paint"][name],
        ]
        print(
            f"  {name:<26} "
            + "".join(f"{c['median_ms']:6.2f} / {c['p95_ms']:6.2f}   " for c in cells)
        )


def _pairs(values: dict, fmt: str) -> str:
    return ", ".join(f"{k} {fmt.format(v)}" for k, v in values.items())


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a shorter run (about a minute)")
    parser.add_argument("--json", metavar="FILE", help="write every number as JSON here")
    parser.add_argument("--dataset", default="mnist")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--rounds", type=int, help="full-speed rounds of 3 segments (5; quick 2)")
    parser.add_argument("--segment-seconds", type=float, help="full-speed segment (3; quick 2)")
    parser.add_argument("--paced-seconds", type=float, help="per paced speed (3; quick 1.5)")
    parser.add_argument(
        "--paced-min-steps", type=float, help="steps a paced measure spans at least (6; quick 3)"
    )
    parser.add_argument("--redraws", type=int, help="timed redraws, idle and training (90; 30)")
    parser.add_argument("--settings-rounds", type=int, help="rounds of 6 calls (10; quick 4)")
    parser.add_argument("--startup-runs", type=int, help="fresh processes (5; quick 3)")
    args = parser.parse_args(argv)
    defaults = dict(
        rounds=(2, 5),
        segment_seconds=(2.0, 3.0),
        paced_seconds=(1.5, 3.0),
        paced_min_steps=(3, 6),
        redraws=(30, 90),
        settings_rounds=(4, 10),
        startup_runs=(3, 5),
    )
    for key, (quick, full) in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, quick if args.quick else full)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    began = time.perf_counter()
    result = {"machine": machine_facts(), "settings": dict(vars(args))}
    # Start-up first, while this process is idle and before it builds a window.
    result["startup"] = measure_startup(args.startup_runs, args.dataset)
    reference = ReferenceRun(args.dataset, args.batch_size, seed=1)
    bench = AppBench(args.dataset, args.batch_size)
    try:
        result["lesson"] = bench.lesson(timeout=120)
        result["paced"] = bench.paced(args.paced_seconds, args.paced_min_steps)
        result["frame_idle"] = bench.frame_cost(args.redraws, training=False)
        result["full_speed"] = bench.full_speed(args.rounds, args.segment_seconds, reference)
        result["frame_training"] = bench.frame_cost(args.redraws, training=True)
        reference.close()
        result["settings_mid_run"] = bench.settings_mid_run(args.settings_rounds, gap=0.1)
        result["close"] = bench.close_while_training()
    finally:
        reference.close()
        bench.client.shutdown()
    result["machine"]["load_average_at_end"] = list(os.getloadavg())
    result["seconds"] = time.perf_counter() - began
    result["targets_met"] = {name: ok for name, _, _, ok in results_table(result) if ok is not None}
    print_report(result)
    print(f"\n({result['seconds']:.0f} s in all)")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
