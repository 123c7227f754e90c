"""Starts Softmax Lab as a new user would on an offscreen screen of a given size and prints, as
one line of JSON, what is on screen: at the desk, then in presentation mode (F11).

    python -m tests.gui.screen_probe 1280x720 [--scale 2] [--template-png FILE]
    python -m tests.gui.screen_probe 1920x1080 --second-screen 1280x800

With a second screen, the window starts on the first, is looked at, then moves to the second
(as a teacher drags it to the projector) and is looked at there ("moved"), then goes to
presentation mode there.

One process per screen: the offscreen platform reads its screen from a configuration file once,
when the QApplication starts (see screen_config). The window is built by gui/app.py's own
start (fresh settings, so no saved layout; MainWindow.fit_to_screen against this screen) with
the training server in this process, which starts in a blink where a training process would
take seconds. Used by tests/gui/test_screens.py; by hand it is a quick look at a screen size.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

#: Minibatches trained before the window is looked at: the curves and read-outs have values.
TRAIN_STEPS = 200
#: Give up (and say so) if the app has not been measured by then.
WATCHDOG_SECONDS = 150


def screen_config(
    width: int, height: int, scale: float = 1.0, second: tuple[int, int] | None = None
) -> dict:
    """The offscreen platform's configuration: one screen of `width` x `height` logical pixels.

    The platform takes "width"/"height" in device pixels and scales by logicalDpi /
    logicalBaseDpi (Qt's high-DPI scaling). Its "dpr" key is no use here: QScreen reports it,
    but the offscreen windows keep painting at a ratio of 1 (seen with Qt 6.11).
    """
    screens = [(width, height, 0)] + ([(*second, round(width * scale))] if second else [])
    return {
        "synchronousWindowSystemEvents": False,
        "windowFrameMargins": True,
        "screens": [
            {
                "name": f"probe-{w}x{h}@{scale:g}",
                "x": x,
                "y": 0,
                "width": round(w * scale),
                "height": round(h * scale),
                "logicalDpi": round(96 * scale),
                "logicalBaseDpi": 96,
                "dpr": 1,
            }
            for w, h, x in screens
        ],
    }


def _size(text: str) -> tuple[int, int]:
    width, height = (int(part) for part in text.lower().split("x"))
    return width, height


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.gui.screen_probe")
    parser.add_argument("screen", type=_size, help="the screen's logical size, WxH")
    parser.add_argument("--scale", type=float, default=1.0, help="device pixels per pixel")
    parser.add_argument("--no-presentation", action="store_true", help="the desk layout only")
    parser.add_argument(
        "--second-screen", type=_size, metavar="WxH", help="then move the window to this screen"
    )
    parser.add_argument(
        "--template-png", metavar="FILE", help="also save the grab of class 0's weight template"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="screen_probe_") as folder:
        config = Path(folder, "screens.json")
        config.write_text(
            json.dumps(screen_config(*args.screen, args.scale, args.second_screen))
        )
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
        os.environ.pop("QT_SCALE_FACTOR", None)  # the screen says the scale
        # A first start: an empty settings file, so no saved geometry or docks are restored.
        os.environ["SOFTMAX_LAB_SETTINGS"] = str(Path(folder, "settings.ini"))
        report = _run(args)
    print(json.dumps(report), flush=True)
    return 0 if "error" not in report else 1


def _run(args) -> dict:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import gui.app
    import gui.training_client

    app = QApplication(["softmax-lab"])  # gui.app.main takes the existing one
    from gui.transports import InProcessTransport

    class InProcessClient(gui.training_client.TrainingClient):
        """The app's client with the server in this process (see the module's docstring)."""

        def __init__(self, dataset, settings, **kwargs):
            kwargs.setdefault("transport", InProcessTransport)
            super().__init__(dataset, settings, **kwargs)

    gui.training_client.TrainingClient = InProcessClient  # main imports it when it runs
    report: dict = {"screen": list(args.screen), "scale": args.scale}

    def measure() -> None:
        try:
            window = _main_window(app)
            report["desk"] = _look(app, window)
            report["template"] = _template(window, args.template_png)
            report["desk_layout_key"] = window.screen_layouts.key
            if args.second_screen:
                _move_to_second_screen(app, window)
                report["moved"] = _look(app, window)
                report["moved_layout_key"] = window.screen_layouts.key
            if not args.no_presentation:
                window.presentation.set_active(True)  # what F11 does
                report["presentation"] = _look(app, window)
            window.close()
        except Exception:  # noqa: BLE001 - reported, and the process ends either way
            report["error"] = traceback.format_exc()
        app.quit()

    def give_up() -> None:
        report["error"] = f"not measured within {WATCHDOG_SECONDS} s"
        app.quit()

    # Both fire once app.exec() runs, that is once main() has shown the window.
    QTimer.singleShot(0, measure)
    QTimer.singleShot(WATCHDOG_SECONDS * 1000, give_up)
    code = gui.app.main(["--train-steps", str(TRAIN_STEPS)])
    if code != 0 and "error" not in report:
        report["error"] = f"the app exited with {code}"
    return report


def _move_to_second_screen(app, window) -> None:
    """What dragging the window to a projector does: another screen, a size of its own."""
    from gui.screen_layouts import SETTLE_MS

    screen = next(s for s in app.screens() if s is not window.screen())
    window.showNormal()
    _settle(app, window)
    window.setGeometry(screen.availableGeometry().adjusted(8, 32, -8, -8))
    _settle(app, window)
    window.showMaximized()
    deadline = time.monotonic() + 10
    while window.screen() is not screen and time.monotonic() < deadline:
        app.processEvents()
    _settle(app, window)
    end = time.monotonic() + 3 * SETTLE_MS / 1000  # the follower acts once resizing pauses
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)


def _main_window(app):
    from gui.main_window import MainWindow

    windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
    if len(windows) != 1:
        raise RuntimeError(f"expected one main window, found {len(windows)}")
    return windows[0]


def _settle(app, window) -> None:
    """Turn the event loop until the window's and docks' geometry stop changing, then paint
    (pyqtgraph's text items place themselves when painted) and let the result settle too."""
    for _ in range(2):
        last, steady = None, 0
        for _ in range(400):
            app.processEvents()
            state = [window.geometry().getRect()] + [
                (d.isVisible(), d.geometry().getRect()) for d in window.docks.values()
            ]
            steady = steady + 1 if state == last else 0
            if steady >= 5:
                break
            last = state
            time.sleep(0.002)
        window.mark_dirty()
        window.redraw()
        window.grab()


def _look(app, window) -> dict:
    """What the window shows now: its size, each dock, text that does not fit, font sizes."""
    from tests.gui.text_fit import clipped_texts
    from tests.gui.text_sizes import text_pixel_sizes

    _settle(app, window)
    screen = window.screen()
    sizes = text_pixel_sizes(window)
    return {
        "screen_geometry": list(screen.geometry().getRect()),
        "available_geometry": list(screen.availableGeometry().getRect()),
        "device_pixel_ratio": window.devicePixelRatioF(),
        "full_screen": window.isFullScreen(),
        "window": [window.width(), window.height()],
        "minimum_size": [window.minimumSizeHint().width(), window.minimumSizeHint().height()],
        "frame": list(window.frameGeometry().getRect()),
        "docks": [_dock(name, dock, screen.geometry()) for name, dock in window.docks.items()],
        "clipped_texts": clipped_texts(window),
        # Sub- and superscripts apart: rich text draws them smaller than their text.
        "smallest_text_px": min((s["px"] for s in sizes if not s["script"]), default=None),
        "smallest_script_px": min((s["px"] for s in sizes if s["script"]), default=None),
        "smallest_texts": sorted(sizes, key=lambda s: s["px"])[:8],
    }


def _dock(name: str, dock, screen_rect) -> dict:
    """A dock's title, whether it is on screen (shown, not a tab behind another, not off the
    screen's edge), its size, and its panel's size on screen."""
    from PySide6.QtCore import QPoint, QRect

    def on_screen(widget) -> QRect:
        return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size()).intersected(screen_rect)

    panel = dock.widget()
    shown = dock.isVisible() and not dock.visibleRegion().isEmpty()
    seen = on_screen(panel) if shown else QRect()
    return {
        "name": name,
        "title": dock.windowTitle(),
        "visible": shown and not seen.isEmpty(),
        "size": [dock.width(), dock.height()],
        "panel_size": [panel.width(), panel.height()],
        "panel_on_screen": [seen.width(), seen.height()],
    }


def _template(window, png: str | None) -> dict:
    """Class 0's weight template as painted, in device pixels (see template_pixels)."""
    from gui.panels.weights_panel import WeightsPanel
    from tests.gui.template_pixels import template_pixels

    return template_pixels(window.panel(WeightsPanel), 0, png)


if __name__ == "__main__":
    sys.exit(main())
