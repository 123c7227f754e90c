"""Render resources/softmax-lab.svg to the PNG sizes the app and its launcher entry use.

Run from the repository root after changing the SVG:
    QT_QPA_PLATFORM=offscreen python docs/make_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from resources import ICON_NAME, ICON_SIZES, icon_png_name  # noqa: E402

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def main() -> None:
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - QImage needs it
    renderer = QSvgRenderer(str(RESOURCES / f"{ICON_NAME}.svg"))
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = RESOURCES / icon_png_name(size)
        image.save(str(path))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
