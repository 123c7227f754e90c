"""Screenshots of the "Codes vs softmax" panel after 1,500 steps on mnist, the code model
trained beside the run: the whole window at the desk (1920x1080, all four figures at once) and
in presentation mode at 1280x720 (two pages of two figures).
Usage: python docs/codes_screenshots.py [FOLDER] (default docs/screenshots)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STEPS = 1500


def shoot(app, folder: Path, size, presentation: bool) -> None:
    from gui.panels.codes_panel import CodesPanel
    from tests.gui.clients import close_scripted, scripted_window

    # Trained first, then brought to front: the code model catches up from step 0, as it does
    # when a teacher opens the panel mid-run.
    window, client = scripted_window("mnist", size, STEPS, presentation, "CodesPanel", plots=1)
    panel = window.panel(CodesPanel)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (panel.codes and panel.codes.following):
        client.poll()
        window.redraw()
        app.processEvents()
    name = "codes_vs_softmax" + ("_presentation" if presentation else "")
    for page in (0, 1) if not panel.grid_mode else (None,):
        if page is not None:
            panel.set_page(page)
        for _ in range(10):
            app.processEvents()
        path = folder / f"{name}{'' if page is None else f'_{page + 1}'}.png"
        window.grab().save(str(path))
        print(path, panel.heading.text())
    close_scripted(window, client)


def main() -> int:
    from PySide6.QtWidgets import QApplication

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    app = QApplication.instance() or QApplication(["softmax-lab"])
    shoot(app, folder, (1920, 1080), presentation=False)
    shoot(app, folder, (1280, 720), presentation=True)
    return 0


if __name__ == "__main__":
    code = main()
    # The pictures are written. PySide6 6.11 now and then crashes while the interpreter tears
    # down the in-process windows (rc 139 after the last print, with or without the GUI-thread
    # garbage collector): end here rather than let that stop docs/make_screenshots.sh.
    sys.stdout.flush()
    os._exit(code)
