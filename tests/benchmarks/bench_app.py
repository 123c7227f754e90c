"""App benchmark: does the window keep up with training at full speed, offscreen?

    python tests/benchmarks/bench_app.py [--quick] [--json FILE]

Measures, on one dataset (mnist) and batch size (32), training as fast as possible:

- throughput: samples/s with every panel live at the normal redraw rate, against the same
  controller with the window hidden and its redraw timer stopped ("no window"), in
  alternating segments of the same process; the ratio of the medians (target >= 0.8);
- event-loop lateness while live: a 10 ms single-shot timer, restarted on each firing,
  records how late it fires (targets p99 < 30 ms, max < 100 ms);
- the cost of one full redraw of all panels (training paused, a new snapshot each time):
  MainWindow.redraw() alone (the panels' show_frame in Python) and with the painting it
  triggers (target median < 15 ms for the redraw);
- resident memory (VmRSS) after the first frame and after N steps (100,000; --quick fewer):
  growth under 50 MB, with the number of points the plots hold;
- start-up: fresh `python -m gui` processes, from before the spawn to the window's first
  paint (median of 5, target < 1.5 s), with the stages in between.

Prints the machine, a table and writes everything as JSON with --json FILE. Not collected by
pytest (tests/benchmarks/test_bench_app_smoke.py runs it briefly).
"""

from __future__ import annotations

import argparse
import json
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

MB = 1024 * 1024
WINDOW_SIZE = (1600, 1000)


# ---------------------------------------------------------------------- small helpers
def rss_bytes() -> int:
    """Resident memory of this process, from /proc (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def percentile(values, q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation; nan for no values."""
    values = sorted(values)
    if not values:
        return float("nan")
    position = (len(values) - 1) * q / 100
    lo = int(position)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (position - lo)


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


# ---------------------------------------------------------------------- start-up
def measure_startup(runs: int, dataset: str) -> dict:
    """Fresh `python -m gui` processes; seconds from before the spawn to each start-up stage.

    Stages (printed by gui/app.py when SOFTMAX_LAB_STARTUP_PROBE is set): main (interpreter,
    numpy and model imported), imports (Qt, pyqtgraph, the GUI), dataset (loaded), window
    (controller and main window built), paint (the first paint begins), painted (done).
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


# ---------------------------------------------------------------------- the live app
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


class Instruments:
    """Counts and times each panel's show_frame, counts paints of the plots, times redraws."""

    def __init__(self, window):
        from PySide6.QtCore import QEvent, QObject

        self.window = window
        self.show_frames = {name: [] for name in window.docks}  # seconds per call
        self.paints = dict.fromkeys(window.docks, 0)
        self.redraws: list[float] = []
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

        import pyqtgraph as pg

        for name, dock in window.docks.items():
            panel = dock.widget()
            panel.show_frame = self._timed(panel.show_frame, self.show_frames[name])
            # Plots paint their viewports; other panels (buttons, labels) paint themselves.
            views = panel.findChildren(pg.GraphicsView) or [panel]
            for view in views:
                target = view.viewport() if hasattr(view, "viewport") else view
                target.installEventFilter(PaintCounter(name, target))
        # Each whole frame the timer draws (a panel per turn of the event loop) reports its
        # drawing-and-painting time here.
        drawer = window.drawer
        frame_drawn = drawer.frame_drawn

        def record(seconds: float) -> None:
            if self.recording:
                self.redraws.append(seconds)
            frame_drawn(seconds)

        drawer.frame_drawn = record

    def _timed(self, function, into: list):
        def timed(*args):
            started = time.perf_counter()
            result = function(*args)
            if self.recording:
                into.append(time.perf_counter() - started)
            return result

        return timed

    def reset(self) -> None:
        for times in self.show_frames.values():
            times.clear()
        self.paints = dict.fromkeys(self.paints, 0)
        self.redraws.clear()


def wait(app, seconds: float) -> None:
    """Run the event loop for `seconds` (timers fire, the window redraws)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(max(0, int(seconds * 1000)), loop.quit)
    loop.exec()


def plot_points(window) -> dict:
    """Data points the window's plots hold: full data of each curve or scatter plot, and what
    their (clipped, downsampled) drawn curves keep. Bounded history means bounded counts."""
    import pyqtgraph as pg

    def count(data) -> int:
        return 0 if data is None else len(data)

    held, drawn, largest = 0, 0, 0
    for view in window.findChildren(pg.GraphicsView):
        for item in view.scene().items():
            inside_data_item = isinstance(item.parentItem(), pg.PlotDataItem)
            if isinstance(item, pg.PlotDataItem):
                n = count(item.xData)
            elif isinstance(item, pg.PlotCurveItem):
                drawn += count(item.xData)
                n = 0 if inside_data_item else count(item.xData)
            elif isinstance(item, pg.ScatterPlotItem):
                drawn += count(item.data)
                n = 0 if inside_data_item else count(item.data)
            else:
                continue
            held += n
            largest = max(largest, n)
    return {"held": held, "drawn": drawn, "largest_held": largest}


class AppBench:
    """One controller and one main window in this process, measured in turn."""

    def __init__(self, dataset_name: str, batch_size: int):
        from PySide6.QtWidgets import QApplication

        from gui.controller import TrainingController
        from gui.main_window import MainWindow
        from gui.plotting import configure_pyqtgraph
        from model import load_dataset

        self.app = QApplication.instance() or QApplication([sys.argv[0]])
        configure_pyqtgraph()
        self.controller = TrainingController(load_dataset(dataset_name), batch_size=batch_size)
        self.controller.set_speed(None)  # as fast as possible
        self.window = MainWindow(self.controller, settings=None)
        self.window.resize(*WINDOW_SIZE)
        self.instruments = Instruments(self.window)
        self.lateness = LatenessProbe()
        self.live_seconds = 0.0
        self.set_live(True)
        wait(self.app, 0.3)  # shown, laid out, first frame painted
        self.rss_start = rss_bytes()

    def samples_seen(self) -> int:
        return self.controller.latest_snapshot.samples_seen

    def set_live(self, live: bool) -> None:
        """Window shown and redrawn ~30 times a second, or hidden with no redraws."""
        if live:
            self.window.show()
            self.window.mark_dirty()
            self.window.redraw_timer.start()
        else:
            self.window.redraw_timer.stop()
            self.window.hide()

    def segment(self, live: bool, seconds: float, settle: float, probe=None) -> float:
        """Train for `seconds` live or headless; samples/s after the first `settle` seconds.
        Live segments record the instruments and the lateness `probe` (if any)."""
        self.set_live(live)
        wait(self.app, settle)
        if live:
            self.instruments.recording = True
        if probe is not None:
            probe.start()
        s0, t0 = self.samples_seen(), time.perf_counter()
        wait(self.app, seconds - settle)
        s1, t1 = self.samples_seen(), time.perf_counter()
        if probe is not None:
            probe.stop()
        if live:
            self.instruments.recording = False
            self.live_seconds += t1 - t0
        return (s1 - s0) / (t1 - t0)

    def throughput(self, segments: int, seconds: float) -> dict:
        """Alternate headless and live segments (headless first); compare their medians."""
        settle = min(0.4, seconds / 4)
        self.controller.play()
        rates = {"headless": [], "live": []}
        for i in range(segments):
            live = i % 2 == 1
            probe = self.lateness if live else None
            rates["live" if live else "headless"].append(self.segment(live, seconds, settle, probe))
        headless = statistics.median(rates["headless"])
        live = statistics.median(rates["live"])
        seconds_live = max(self.live_seconds, 1e-9)
        ins = self.instruments
        return {
            "segments": segments,
            "segment_s": seconds,
            "headless_samples_per_s": rates["headless"],
            "live_samples_per_s": rates["live"],
            "median_headless_samples_per_s": headless,
            "median_live_samples_per_s": live,
            "ratio": live / headless,
            "live_seconds": seconds_live,
            "redraws_per_s": len(ins.redraws) / seconds_live,
            "show_frame_per_s": {n: len(t) / seconds_live for n, t in ins.show_frames.items()},
            "paints_per_s": {n: c / seconds_live for n, c in ins.paints.items()},
            "frames_timed": len(ins.redraws),
            "median_frame_ms_while_training": 1000 * statistics.median(ins.redraws or [0]),
            "p95_frame_ms_while_training": 1000 * percentile(ins.redraws, 95),
            "median_redraw_interval_ms": self.window.redraw_timer.interval(),  # the last one
        }

    def fixed_rate(self, segments: int, seconds: float) -> dict:
        """For comparison: the window redrawing every 33 ms even at full speed (no pacing)."""
        window = self.window
        drawer = window.drawer
        share, drawer.full_speed_drawing_share = drawer.full_speed_drawing_share, None
        settle = min(0.4, seconds / 4)
        probe = LatenessProbe()
        self.instruments.reset()
        self.live_seconds = 0.0
        rates = {"headless": [], "live": []}
        self.controller.play()
        try:
            for i in range(segments):
                live = i % 2 == 1
                rates["live" if live else "headless"].append(
                    self.segment(live, seconds, settle, probe if live else None)
                )
        finally:
            drawer.full_speed_drawing_share = share
        ms = [1000 * s for s in probe.samples]
        headless = statistics.median(rates["headless"])
        live = statistics.median(rates["live"])
        return {
            "segments": segments,
            "headless_samples_per_s": rates["headless"],
            "live_samples_per_s": rates["live"],
            "ratio": live / headless,
            "redraws_per_s": len(self.instruments.redraws) / max(self.live_seconds, 1e-9),
            "lateness_p99_ms": percentile(ms, 99),
            "lateness_max_ms": max(ms, default=float("nan")),
        }

    def memory(self, steps: int, timeout: float) -> dict:
        """Train live until the run has done `steps` steps; RSS and plot points before/after."""
        self.set_live(True)
        self.controller.play()
        self.lateness.start()
        started = time.perf_counter()
        step0 = self.controller.latest_snapshot.step
        while self.controller.latest_snapshot.step < steps:
            if time.perf_counter() - started > timeout:
                break
            wait(self.app, 0.25)
        elapsed = time.perf_counter() - started
        self.lateness.stop()
        self.live_seconds += elapsed
        self.controller.pause()
        wait(self.app, 0.2)  # the last frame drawn and painted
        run = self.controller.run
        done = self.controller.latest_snapshot.step
        return {
            "steps_target": steps,
            "steps_done": done,
            "seconds": elapsed,
            "steps_per_s_live": (done - step0) / elapsed if elapsed > 1 else None,
            "rss_start_mb": self.rss_start / MB,
            "rss_end_mb": rss_bytes() / MB,
            "growth_mb": (rss_bytes() - self.rss_start) / MB,
            "loss_history_points": len(run.losses),
            "loss_history_bin_size": run.losses.bin_size,
            "loss_history_max_points": run.losses.max_points,
            "plot_points": plot_points(self.window),
        }

    def redraw_cost(self, n: int) -> dict:
        """Training paused; each time a few more steps and a full redraw of all panels.

        MainWindow.redraw() paints before it returns, so its time is the whole cost; the
        panels' show_frame (Python: new data into the plots) is timed inside it too, and
        whatever the event loop still does afterwards is timed as "after".
        """
        self.controller.pause()
        self.window.redraw_timer.stop()
        self.window.show()  # shown, but no timer: only the redraws timed here
        wait(self.app, 0.3)
        run, window = self.controller.run, self.window
        redraw_ms, show_ms, after_ms = [], [], []
        ins = self.instruments
        ins.reset()
        ins.recording = True
        for _ in range(n):
            run.step(4)  # the worker is idle while paused: nothing else steps the run
            self.controller.latest_snapshot = run.snapshot()
            before = sum(sum(times) for times in ins.show_frames.values())
            started = time.perf_counter()
            window.mark_dirty()
            window.redraw()
            drawn = time.perf_counter()
            self.app.processEvents()
            self.app.processEvents()
            after_ms.append(1000 * (time.perf_counter() - drawn))
            redraw_ms.append(1000 * (drawn - started))
            show_ms.append(1000 * (sum(sum(t) for t in ins.show_frames.values()) - before))
        ins.recording = False
        per_panel = {
            name: 1000 * statistics.median(times) if times else 0.0
            for name, times in ins.show_frames.items()
        }
        return {
            "redraws": n,
            "median_ms": statistics.median(redraw_ms),
            "p95_ms": percentile(redraw_ms, 95),
            "median_show_frame_total_ms": statistics.median(show_ms),
            "p95_show_frame_total_ms": percentile(show_ms, 95),
            "median_after_ms": statistics.median(after_ms),
            "median_show_frame_ms": per_panel,
            "paints_per_redraw": {name: c / n for name, c in ins.paints.items()},
        }

    def lateness_summary(self) -> dict:
        ms = [1000 * s for s in self.lateness.samples]
        return {
            "samples": len(ms),
            "p50_ms": percentile(ms, 50),
            "p99_ms": percentile(ms, 99),
            "max_ms": max(ms, default=float("nan")),
        }

    def close(self) -> None:
        self.window.redraw_timer.stop()
        self.controller.shutdown(5000)
        self.window.close()


# ---------------------------------------------------------------------- report
def results_table(r: dict) -> list[tuple[str, str, str, bool | None]]:
    """(metric, measured, target, met) rows."""
    t, lat, red, mem, st = (
        r["throughput"],
        r["lateness"],
        r["redraw"],
        r["memory"],
        r["startup"],
    )
    steps = f"{mem['steps_done']:,} steps"
    return [
        (
            "throughput live / no window",
            f"{t['ratio']:.2f} ({t['median_live_samples_per_s']:,.0f} / "
            f"{t['median_headless_samples_per_s']:,.0f} samples/s)",
            ">= 0.8",
            t["ratio"] >= 0.8,
        ),
        ("redraws while live", f"{t['redraws_per_s']:.1f} /s", "", None),
        ("event-loop lateness p50", f"{lat['p50_ms']:.1f} ms", "", None),
        ("event-loop lateness p99", f"{lat['p99_ms']:.1f} ms", "< 30 ms", lat["p99_ms"] < 30),
        ("event-loop lateness max", f"{lat['max_ms']:.1f} ms", "< 100 ms", lat["max_ms"] < 100),
        (
            "full redraw incl. paint median",
            f"{red['median_ms']:.1f} ms",
            "< 15 ms",
            red["median_ms"] < 15,
        ),
        ("full redraw incl. paint p95", f"{red['p95_ms']:.1f} ms", "", None),
        (
            "  of which show_frame med / p95",
            f"{red['median_show_frame_total_ms']:.1f} / {red['p95_show_frame_total_ms']:.1f} ms",
            "",
            None,
        ),
        (
            f"RSS growth after {steps}",
            f"{mem['growth_mb']:+.1f} MB ({mem['rss_start_mb']:.0f} -> {mem['rss_end_mb']:.0f})",
            "< 50 MB",
            mem["growth_mb"] < 50,
        ),
        (
            "plot points held",
            f"{mem['plot_points']['held']:,} held, {mem['plot_points']['drawn']:,} drawn "
            f"(loss history {mem['loss_history_points']:,})",
            "bounded",
            None,
        ),
        *_fixed_rate_rows(r.get("fixed_30hz")),
        (
            "start-up to first paint (median)",
            f"{st['median_first_paint_s']:.2f} s (of {st['runs']})",
            "< 1.5 s",
            st["median_first_paint_s"] < 1.5,
        ),
    ]


def _fixed_rate_rows(f: dict | None) -> list:
    if not f:
        return []
    return [
        (
            "(info) at a fixed 30 Hz: ratio",
            f"{f['ratio']:.2f} at {f['redraws_per_s']:.1f} redraws/s",
            "",
            None,
        ),
        (
            "(info) at a fixed 30 Hz: lateness",
            f"p99 {f['lateness_p99_ms']:.0f} ms, max {f['lateness_max_ms']:.0f} ms",
            "",
            None,
        ),
    ]


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
        f"Dataset {s['dataset']}, batch {s['batch_size']}, full speed, offscreen "
        f"{WINDOW_SIZE[0]}x{WINDOW_SIZE[1]}{', --quick' if s['quick'] else ''}\n"
    )
    rows = results_table(r)
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    print(f"{'metric':<{widths[0]}}  {'measured':<{widths[1]}}  {'target':<{widths[2]}}  ok")
    for name, value, target, ok in rows:
        mark = "" if ok is None else ("yes" if ok else "NO")
        print(f"{name:<{widths[0]}}  {value:<{widths[1]}}  {target:<{widths[2]}}  {mark}")
    red, st = r["redraw"], r["startup"]
    print("\nshow_frame median ms: " + _pairs(red["median_show_frame_ms"], "{:.2f}"))
    print("show_frame calls/s while live: " + _pairs(r["throughput"]["show_frame_per_s"], "{:.0f}"))
    print("plot paints/s while live: " + _pairs(r["throughput"]["paints_per_s"], "{:.0f}"))
    print("start-up stages (median s from spawn): " + _pairs(st["median_stage_s"], "{:.2f}"))
    mem = r["memory"]
    rate = mem["steps_per_s_live"]
    print(
        f"run length at the second RSS reading: {mem['steps_done']:,} steps (target "
        f"{mem['steps_target']:,}; {mem['seconds']:.1f} s of live training after the "
        f"throughput segments{f', {rate:,.0f} steps/s' if rate else ''})"
    )
    t = r["throughput"]
    print(
        f"frames while live: median {t['median_frame_ms_while_training']:.1f} ms, p95 "
        f"{t['p95_frame_ms_while_training']:.1f} ms to draw and paint; redraw interval at "
        f"the end {t['median_redraw_interval_ms']} ms"
    )


def _pairs(values: dict, fmt: str) -> str:
    return ", ".join(f"{k} {fmt.format(v)}" for k, v in values.items())


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a shorter run (under a minute)")
    parser.add_argument("--json", metavar="FILE", help="write every number as JSON here")
    parser.add_argument("--dataset", default="mnist")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--segments", type=int, help="throughput segments (default 8; quick 4)")
    parser.add_argument("--segment-seconds", type=float, help="default 2.5; quick 2")
    parser.add_argument(
        "--memory-steps",
        type=int,
        help="the run's steps before the second RSS reading (default 100,000; quick 50,000)",
    )
    parser.add_argument("--redraws", type=int, help="timed redraws (default 100; quick 40)")
    parser.add_argument("--startup-runs", type=int, help="fresh processes (default 5)")
    parser.add_argument(
        "--fixed-rate-segments",
        type=int,
        help="extra segments redrawing every 33 ms at full speed, for comparison "
        "(default 4; quick 2; 0 skips them)",
    )
    args = parser.parse_args(argv)
    defaults = (
        {"segments": 4, "segment_seconds": 2.0, "memory_steps": 50_000, "redraws": 40}
        if args.quick
        else {"segments": 8, "segment_seconds": 2.5, "memory_steps": 100_000, "redraws": 100}
    )
    defaults["fixed_rate_segments"] = 2 if args.quick else 4
    defaults["startup_runs"] = 5
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    began = time.perf_counter()
    result = {"machine": machine_facts(), "settings": {k: v for k, v in vars(args).items()}}
    # Start-up first, while this process is idle and before it imports Qt.
    result["startup"] = measure_startup(args.startup_runs, args.dataset)
    bench = AppBench(args.dataset, args.batch_size)
    try:
        result["throughput"] = bench.throughput(args.segments, args.segment_seconds)
        result["lateness"] = bench.lateness_summary()
        if args.fixed_rate_segments:
            result["fixed_30hz"] = bench.fixed_rate(args.fixed_rate_segments, args.segment_seconds)
        result["memory"] = bench.memory(args.memory_steps, timeout=600)
        result["lateness_with_memory_phase"] = bench.lateness_summary()
        result["redraw"] = bench.redraw_cost(args.redraws)
    finally:
        bench.close()
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
