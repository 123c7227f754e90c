"""Screenshots of the drawing panel with a 7 drawn by mouse events and used as the selected
sample: the whole window at the desk (1600x1000) and in presentation mode (1920x1080, two plots
at once). Usage: python docs/drawing_screenshots.py [FOLDER] (default docs/screenshots)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: A 7 as a hand draws it: the bar left to right, then down to the foot (fractions of the paper).
SEVEN = [(0.24, 0.26), (0.23, 0.45), (0.22, 0.62), (0.23, 0.74), (0.36, 0.66), (0.52, 0.57),
         (0.68, 0.50), (0.82, 0.46)]  # fmt: skip


def draw(canvas, points) -> None:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    paper = canvas.paper_rect()

    def at(row, col):
        return QPoint(
            round(paper.left() + col * paper.width()), round(paper.top() + row * paper.height())
        )

    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(canvas, left, none, at(*points[0]))
    for point in points[1:]:
        QTest.mouseMove(canvas, at(*point))
    QTest.mouseRelease(canvas, left, none, at(*points[-1]))


def shoot(app, path: Path, size, presentation: bool) -> None:
    from tests.gui.clients import close_scripted, drawing_window

    window, client, panel = drawing_window("mnist", size, 500, presentation)
    draw(panel.canvas, SEVEN)
    panel.use_button.setChecked(True)
    for _ in range(3):
        window.mark_dirty()
        window.redraw()
        for _ in range(10):
            app.processEvents()
    window.grab().save(str(path))
    print(path, panel.status_label.text())
    close_scripted(window, client)


def main() -> int:
    from PySide6.QtWidgets import QApplication

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    app = QApplication.instance() or QApplication(["softmax-lab"])
    shoot(app, folder / "drawing.png", (1600, 1000), presentation=False)
    shoot(app, folder / "drawing_presentation.png", (1920, 1080), presentation=True)
    return 0


if __name__ == "__main__":
    code = main()
    # The pictures are written. PySide6 6.11 now and then crashes while the interpreter tears
    # down the in-process windows (rc 139 after the last print, with or without the GUI-thread
    # garbage collector): end here rather than let that stop docs/make_screenshots.sh.
    sys.stdout.flush()
    os._exit(code)
