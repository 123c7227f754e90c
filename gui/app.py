"""The `softmax-lab` command: parse the command line, build the window, run (or screenshot)."""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path

from model import DatasetError, load_dataset
from model.settings import RunSettings

#: Window size for --screenshot: the same picture on every machine.
SCREENSHOT_SIZE = (1600, 1000)

#: Set (to anything) by tests/benchmarks/bench_app.py to time start-up: the app prints
#: "startup <stage> <time.time()>" lines as it gets through its stages and quits once the
#: window has been painted for the first time. Not an option users see.
STARTUP_PROBE = "SOFTMAX_LAB_STARTUP_PROBE"


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def learning_rate(text: str) -> float:
    value = float(text)
    if not 1e-4 <= value <= 10:
        raise argparse.ArgumentTypeError(f"must lie in [1e-4, 10], got {text}")
    return value


def threshold(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must lie in [0, 1], got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="softmax-lab",
        description="Watch a softmax classifier learn handwritten digits by minibatch "
        "gradient descent: weights, softmax Jacobian, loss curves and the binary output network.",
    )
    parser.add_argument(
        "--dataset",
        metavar="NAME|PATH",
        help="mnist (default), digits, blobs, or an IDX folder/file or .npz",
    )
    parser.add_argument("--seed", type=non_negative_int, help="seed of weights and shuffling")
    parser.add_argument("--learning-rate", type=learning_rate, metavar="X", help="1e-4 .. 10")
    parser.add_argument("--batch-size", type=positive_int, metavar="N")
    parser.add_argument(
        "--train-steps",
        type=non_negative_int,
        default=0,
        metavar="N",
        help="train N minibatches before showing (or screenshotting) the window",
    )
    parser.add_argument(
        "--sample",
        type=non_negative_int,
        metavar="N",
        help="select test sample N (for the Jacobian, the inspector and the binary network)",
    )
    parser.add_argument(
        "--threshold",
        type=threshold,
        metavar="P",
        help="threshold p of the binary output network's step layer (0..1)",
    )
    parser.add_argument(
        "--screenshot",
        metavar="FILE.png",
        help="render the window once after --train-steps, save it as PNG, exit",
    )
    parser.add_argument(
        "--presentation",
        action="store_true",
        help="start in presentation mode (full screen, large fonts)",
    )
    return parser


def _settings(args):
    """The user's QSettings, or none for --screenshot (a reproducible picture)."""
    from PySide6.QtCore import QSettings

    if args.screenshot:
        return None
    path = os.environ.get("SOFTMAX_LAB_SETTINGS")  # tests point this at a temporary file
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings("SoftmaxLab", "Softmax Lab")


def _install_excepthook() -> None:
    """An unexpected error becomes a dialog (and stderr), not a crash or a silent traceback."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    def hook(kind, value, tb):
        traceback.print_exception(kind, value, tb)
        if QApplication.instance() is not None:
            QMessageBox.critical(None, "Softmax Lab: unexpected error", f"{kind.__name__}: {value}")

    sys.excepthook = hook


def _probe(stage: str) -> None:
    """One start-up timing line for the benchmark (see STARTUP_PROBE); nothing otherwise."""
    if os.environ.get(STARTUP_PROBE):
        print(f"startup {stage} {time.time():.6f}", flush=True)


def _quit_after_first_paint(app, window) -> None:
    """For STARTUP_PROBE: report the window's first paint, then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint and not self.seen:
                self.seen = True
                _probe("paint")  # the window's own paint event opens the first paint ...
                # ... and a zero timer fires once the children in the same pass are painted.
                QTimer.singleShot(0, lambda: (_probe("painted"), app.quit()))
            return False

    watcher = FirstPaint(window)
    watcher.seen = False
    window.installEventFilter(watcher)


def main(argv: list[str] | None = None) -> int:
    _probe("main")
    parser = build_parser()
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from gui.main_window import MainWindow
    from gui.plotting import configure_pyqtgraph
    from gui.training_client import TrainingClient

    _probe("imports")
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Softmax Lab")
    app.setOrganizationName("SoftmaxLab")
    configure_pyqtgraph()
    settings = _settings(args)

    def saved(key, default, kind):
        return default if settings is None else settings.value(key, default, kind)

    source = args.dataset or saved("dataset", "mnist", str)
    try:
        dataset = load_dataset(source)
    except DatasetError as error:
        if args.dataset:
            parser.error(str(error))  # argparse's usual message and exit code 2
        source, dataset = "mnist", load_dataset("mnist")
    _probe("dataset")
    run_settings = RunSettings(
        dataset=str(source),
        learning_rate=args.learning_rate or saved("learning_rate", 0.1, float),
        batch_size=min(args.batch_size or saved("batch_size", 32, int), dataset.n_train),
        seed=args.seed if args.seed is not None else saved("seed", 0, int),
        alpha=saved("alpha", 0.0, float),
    )
    controller = TrainingClient(dataset, run_settings)
    p = args.threshold if args.threshold is not None else saved("threshold", 0.5, float)
    app.aboutToQuit.connect(controller.shutdown)  # however the app ends, end the process
    window = MainWindow(controller, settings, threshold=p)
    _probe("window")
    if args.sample is not None:
        window.selection.set_index(args.sample)
    _install_excepthook()
    if args.train_steps:
        controller.train_now(args.train_steps)
    if args.screenshot:
        # The picture shows what the training process computed (step 0's evaluation too).
        controller.wait_until(
            lambda: controller.ready and len(controller.latest_snapshot.eval_steps) > 0, 120
        )
        return _screenshot(app, window, args)
    window.fit_to_screen()  # a first start; later ones restore the saved geometry and docks
    # The first frame is drawn before the window appears, so it never shows empty plots.
    window.redraw()
    if os.environ.get(STARTUP_PROBE):
        _quit_after_first_paint(app, window)
    window.show()
    if args.presentation:
        window.presentation.set_active(True)
    return app.exec()


def _screenshot(app, window, args) -> int:
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    app.processEvents()
    if args.presentation:
        # The projector's large fonts and tabbed layout, at the screenshot's size rather than
        # full screen (docks are sized for the window they are laid out in).
        window.presentation.set_active(True, full_screen=False)
        app.processEvents()
    window.mark_dirty()
    window.redraw()
    app.processEvents()
    path = Path(args.screenshot)
    ok = window.grab().save(str(path))
    window.close()
    if not ok:
        print(f"softmax-lab: could not write the screenshot to {path}", file=sys.stderr)
        return 1
    print(
        f"Saved {path} ({SCREENSHOT_SIZE[0]}x{SCREENSHOT_SIZE[1]}) after "
        f"{window.controller.latest_snapshot.step} steps, threshold p = {window.binary.threshold:g}"
    )
    return 0
