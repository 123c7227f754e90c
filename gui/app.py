"""The `softmax-lab` command: parse the command line, build the window, run (or screenshot)."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import sys
import time
from pathlib import Path

from gui.gc_guard import collect_in_gui_thread, freeze_the_start
from gui.logs import LOGGER, note, start_logging
from model import DatasetError, load_dataset
from model.settings import SETTINGS, RunSettings, SettingError, check_setting
from model.version import __version__


def shipped_lessons() -> int:
    """How many lessons ship in resources/lessons.toml (for --help)."""
    from gui.lesson_file import count_lessons
    from resources import resource_path

    return count_lessons(resource_path("lessons.toml"))  # (presenter_keys.BUILTIN_LESSONS)


#: Window size for --screenshot: the same picture on every machine.
SCREENSHOT_SIZE = (1600, 1000)

#: Set (to anything) by tests/benchmarks/bench_app.py to time start-up: the app prints
#: "startup <stage> <time.time()>" lines as it gets through its stages and quits once the
#: window has been painted for the first time. Not an option users see.
STARTUP_PROBE = "SOFTMAX_LAB_STARTUP_PROBE"


def non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def setting(name: str):
    """An argparse type that checks a value against model.settings' table, as saved ones are."""

    def check(text: str):
        try:
            return check_setting(name, text)
        except SettingError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    check.__name__ = name  # argparse names the type in "invalid <name> value"
    return check


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="softmax-lab",
        description="Watch a softmax classifier learn handwritten digits by minibatch "
        "gradient descent: weights, softmax Jacobian, loss curves and the binary output network.",
    )
    parser.add_argument(
        "--dataset",
        metavar="NAME|PATH",
        help="mnist (default), digits, blobs, mnist-full or fashion-mnist (once downloaded: "
        "File > Get more data...), or an IDX folder/file or .npz",
    )
    parser.add_argument(
        "--seed",
        type=setting("seed"),
        help=f"seed of weights and shuffling ({SETTINGS['seed'].what})",
    )
    parser.add_argument(
        "--learning-rate",
        type=setting("learning_rate"),
        metavar="X",
        help=SETTINGS["learning_rate"].what,
    )
    parser.add_argument(
        "--batch-size",
        type=setting("batch_size"),
        metavar="N",
        help="samples per minibatch (at most the training-set size, which it is capped to)",
    )
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
        type=setting("threshold"),
        metavar="P",
        help="threshold p of the binary output network's step layer (0..1)",
    )
    parser.add_argument(
        "--load",
        metavar="RUN.npz",
        help="open a run saved with File > Save run and continue it (before --train-steps)",
    )
    parser.add_argument(
        "--screenshot",
        metavar="FILE.png",
        help="render the window once after --train-steps, save it as PNG, exit",
    )
    parser.add_argument(
        "--export",
        metavar="DIR",
        help="after --train-steps, save every panel as PNG (1x and 2x) and SVG and the data as "
        "CSV into DIR, then exit (on Linux without showing a window)",
    )
    parser.add_argument(
        "--size",
        type=window_size,
        default=SCREENSHOT_SIZE,
        metavar="WxH",
        help="the window's size for --screenshot and --export (default 1600x1000)",
    )
    parser.add_argument(
        "--lesson",
        metavar="NAME|PATH",
        help=f"start a lesson: its number or title words (1 .. {shipped_lessons()}, "
        '"threshold"), or a lesson file (.toml); PageDown/PageUp step through it',
    )
    parser.add_argument(
        "--presentation",
        action="store_true",
        help="start in presentation mode (full screen, large fonts)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    launcher = parser.add_mutually_exclusive_group()
    launcher.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add Softmax Lab to the desktop's launcher (Linux: a .desktop file and icon under "
        "$XDG_DATA_HOME; Windows: a Start-menu shortcut; macOS: says what to do), then exit",
    )
    launcher.add_argument(
        "--uninstall-desktop-entry",
        action="store_true",
        help="remove what --install-desktop-entry added, then exit",
    )
    return parser


def window_size(text: str) -> tuple[int, int]:
    """ "1280x720" -> (1280, 720): a window from 640x480 to 7680x4320."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        message = f"must be WIDTHxHEIGHT, like 1280x720, got {text}"
        raise argparse.ArgumentTypeError(message) from None
    if not (640 <= width <= 7680 and 480 <= height <= 4320):
        raise argparse.ArgumentTypeError(f"must lie within 640x480 .. 7680x4320, got {text}")
    return width, height


def _settings(args):
    """The user's QSettings, or none for --screenshot and --export (reproducible pictures)."""
    from PySide6.QtCore import QSettings

    if args.screenshot or args.export:
        return None
    path = os.environ.get("SOFTMAX_LAB_SETTINGS")  # tests point this at a temporary file
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings("SoftmaxLab", "Softmax Lab")


def _install_excepthook() -> None:
    """An unexpected error becomes a message in the window (its traceback in the log and on
    stderr), with a button that copies a report for a bug report; not a crash or a silent
    traceback."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from gui.bug_report import copy_report

    def hook(kind, value, tb):
        LOGGER.error("unexpected error", exc_info=(kind, value, tb))
        app = QApplication.instance()
        if app is None:
            return
        text = f"{kind.__name__}: {value}"
        # In the window's banner (no modal dialog in front of a class); a dialog only where
        # there is no window to say it in.
        windows = [w for w in app.topLevelWidgets() if hasattr(w, "show_message")]
        window = next((w for w in windows if w.isVisible()), None)
        if window is not None:
            window.show_message(
                "error",
                "Unexpected error",
                text + " (details in the log: Help, Show log)",
                "Copy report",
                lambda: copy_report(text),
            )
        else:
            QMessageBox.critical(None, "Softmax Lab: unexpected error", text)

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


def no_display(environ, platform: str) -> str | None:
    """Why the window cannot open on this Linux session (no display at all), or None.

    Without a display Qt falls back to its xcb plugin and aborts with a message about a
    missing library; this says what is really wrong before Qt starts.
    """
    if not platform.startswith("linux"):
        return None  # macOS and Windows always have their own platform plugin
    if any(environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        return None
    return (
        "no display found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window cannot "
        "open. Run it in a desktop session, or get a picture without a display:\n"
        "    QT_QPA_PLATFORM=offscreen softmax-lab --screenshot out.png"
    )


def export_folder_problem(folder: str) -> str | None:
    """Why --export cannot write into `folder` (made here if missing), or None."""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return f"could not export to {folder}: {error.strerror or error}"
    if not os.access(folder, os.W_OK):
        return f"could not export to {folder}: the folder is not writable"
    return None


def start_values(args, settings, n_train: int) -> dict:
    """The run's learning_rate, batch_size, seed and alpha and the threshold p to start with.

    A command-line value (already checked by argparse) wins over a saved one; a saved one is
    checked against the same table (see gui/saved_settings.py). The batch size is capped to
    the training-set size (full-batch descent), not refused.
    """
    from gui.saved_settings import saved_setting

    values = {}
    for name in ("learning_rate", "batch_size", "seed", "alpha", "threshold"):
        given = getattr(args, name, None)
        values[name] = given if given is not None else saved_setting(settings, name)
    values["batch_size"] = min(values["batch_size"], n_train)
    return values


def main(argv: list[str] | None = None) -> int:
    # First of all: in a frozen bundle the training process starts this same program, and
    # this turns it into the training process (a no-op everywhere else).
    multiprocessing.freeze_support()
    _probe("main")
    parser = build_parser()
    args = parser.parse_args(argv)
    start_logging()
    # Until the window can show errors (_install_excepthook), they go to the log and stderr.
    sys.excepthook = lambda *error: LOGGER.error("unexpected error", exc_info=error)
    LOGGER.info(
        "Softmax Lab %s starting (Python %s, %s)",
        __version__,
        platform.python_version(),
        platform.platform(),
    )
    if args.install_desktop_entry or args.uninstall_desktop_entry:  # no window: no display needed
        from gui import desktop_entry

        if args.install_desktop_entry:
            return desktop_entry.install().report()
        return desktop_entry.uninstall().report()
    problem = args.export and export_folder_problem(args.export)
    if problem:  # said before any training, not after it
        note(problem)
        return 1
    if args.export and sys.platform.startswith("linux"):
        # Files, not a window: the same pictures with or without a desktop session.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    problem = no_display(os.environ, sys.platform)
    if problem:
        note(problem)
        return 1

    from PySide6.QtWidgets import QApplication

    from gui.main_window import MainWindow
    from gui.plotting import configure_pyqtgraph
    from gui.saved_settings import saved_dataset
    from gui.training_client import TrainingClient

    _probe("imports")
    from gui.app_icon import app_icon

    app = QApplication.instance() or QApplication([sys.argv[0]])
    collect_in_gui_thread()  # before the training client's reader thread starts
    app.setApplicationName("Softmax Lab")
    app.setOrganizationName("SoftmaxLab")
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("softmax-lab")  # Wayland pairs the window with its launcher entry
    configure_pyqtgraph()
    settings = _settings(args)

    if args.dataset:
        source = args.dataset
        try:
            dataset = load_dataset(source)
        except DatasetError as error:
            parser.error(str(error))  # argparse's usual message and exit code 2
    else:
        source = saved_dataset(settings)  # a built-in name
        dataset = load_dataset(source)
    _probe("dataset")
    values = start_values(args, settings, dataset.n_train)
    threshold = values.pop("threshold")
    controller = TrainingClient(dataset, RunSettings(dataset=str(source), **values))
    app.aboutToQuit.connect(controller.shutdown)  # however the app ends, end the process
    try:
        window = MainWindow(controller, settings, threshold=threshold)
        _probe("window")
        if args.sample is not None:
            window.selection.set_index(args.sample)
        if args.load and not _load_run(window, args.load, bool(args.screenshot or args.export)):
            controller.shutdown()
            return 1
        if args.export:  # codes.png shows the code model trained beside the run, as its CSVs
            controller.set_codes_comparison(True)
        if args.train_steps:
            controller.train_now(args.train_steps)
    except Exception:
        # Nothing may outlive a failed start: not the training process, not its reader.
        controller.shutdown()
        LOGGER.exception("the window could not be built")
        return 1
    _install_excepthook()
    if args.screenshot or args.export:
        if args.lesson:  # the pictures show the step's scene, set
            window.presenter.load(args.lesson)
            controller.wait_until(lambda: window.lessons.settled, 120)
        # The pictures show what the training process computed (step 0's evaluation too).
        controller.wait_until(
            lambda: controller.ready and len(controller.latest_snapshot.eval_steps) > 0, 120
        )
        if args.export:  # the code model at the run's step too, evaluated where the run is
            latest = controller.latest_snapshot
            if controller.ready and latest.eval_steps[-1] != latest.step:  # a loaded run
                controller.evaluate_now()
            controller.wait_until(lambda: _codes_caught_up(controller.latest_snapshot), 600)
        if not controller.ready:
            what = "export" if args.export else "screenshot"
            note(f"no {what}: {controller.failure or 'the training process did not start'}")
            window.close()
            return 1
        return _export(app, window, args) if args.export else _screenshot(app, window, args)
    window.fit_to_screen()  # a first start; later ones restore the saved geometry and docks
    # The first frame is drawn before the window appears, so it never shows empty plots.
    window.redraw()
    freeze_the_start()  # full collections would walk the whole window: 30 ms stalls
    if os.environ.get(STARTUP_PROBE):
        _quit_after_first_paint(app, window)
    window.show()
    if args.presentation:
        window.presentation.set_active(True)
    if args.lesson:  # once laid out: a layout opens every panel
        window.presenter.load(args.lesson)  # a bad one says so in the banner
    return app.exec()


def _load_run(window, path: str, for_screenshot: bool) -> bool:
    """Open the run in `path` at start-up; False if it cannot be used for a screenshot (the
    window itself shows why in its banner and goes on with the run it had)."""
    from PySide6.QtWidgets import QApplication

    sent = window.run_files.load(path)
    if sent:
        window.controller.wait_until(lambda: window.run_files.loading is None, 120)
        # Drawn once before anything else: the plots' views settle on the loaded run's ranges
        # (a screenshot's single frame clipped the loss curve to the previous run's range).
        window.redraw()
        QApplication.processEvents()
    error = window.run_files.last_error
    if error and for_screenshot:
        note(error)
        return False
    return True


def _lay_out_for_pictures(app, window, args) -> None:
    """The window at --size, laid out as a first start there (in presentation mode with
    --presentation), with the newest snapshot drawn."""
    window.resize(*args.size)
    window._arrange_default_layout()  # as a first start on a screen of that size
    window.show()
    app.processEvents()
    if args.presentation:
        # The projector's large fonts and tabbed layout, at the screenshot's size rather than
        # full screen (docks are sized for the window they are laid out in).
        window.presentation.set_active(True, full_screen=False)
        app.processEvents()
        window.resize(
            *args.size
        )  # the new fonts' size hints may have grown it, as a screen would not
        app.processEvents()
    window.mark_dirty()
    window.redraw()
    app.processEvents()


def _screenshot(app, window, args) -> int:
    _lay_out_for_pictures(app, window, args)
    path = Path(args.screenshot)
    ok = window.grab().save(str(path))
    window.close()
    if not ok:
        note(f"could not write the screenshot to {path}")
        return 1
    print(
        f"Saved {path} ({args.size[0]}x{args.size[1]}) after "
        f"{window.controller.latest_snapshot.step} steps, threshold p = {window.threshold.p:g}"
    )
    return 0


def _codes_caught_up(snapshot) -> bool:
    """The snapshot's codes comparison is at its step (the code model has caught up)."""
    codes = snapshot.codes
    return codes is not None and codes.following and codes.step == snapshot.step


def _export(app, window, args) -> int:
    """--export: every panel's pictures and the CSV tables into args.export, then exit."""
    from gui.export_files import save_everything

    _lay_out_for_pictures(app, window, args)
    try:
        paths = save_everything(window, args.export)
    except OSError as error:
        where = error.filename or args.export
        note(f"could not export to {where}: {error.strerror or error}")
        return 1
    finally:
        window.close()
    step = window.controller.latest_snapshot.step
    print(f"Saved {len(paths)} files in {args.export} after {step} steps")
    return 0
