"""The app's icon (resources/softmax-lab.svg and PNGs rendered from it by docs/make_icons.py),
for the window, the application and the launcher entry."""

from __future__ import annotations

from PySide6.QtGui import QIcon, QPixmap

from resources import ICON_SIZES, icon_png_name, resource_path


def app_icon() -> QIcon:
    """The icon at every shipped size (read as bytes: works from an installed wheel too)."""
    icon = QIcon()
    for size in ICON_SIZES:
        pixmap = QPixmap()
        if pixmap.loadFromData(resource_path(icon_png_name(size)).read_bytes(), "PNG"):
            icon.addPixmap(pixmap)
    return icon
