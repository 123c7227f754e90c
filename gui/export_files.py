"""Export files: a panel's picture in a chosen format, the CSV tables, or all of it in a folder.

A panel is drawn with the window's newest frame before it is exported, brought to the front
first if it is a tab behind another (or closed), so the picture is the panel as it would show.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QApplication

from gui.frame import Frame
from gui.panel_dock import PanelDock
from gui.panel_pictures import panel_image, panel_svg
from model.export_csv import write_csv_files

INCHES_PER_METRE = 1 / 0.0254


@dataclass(frozen=True)
class PictureFormat:
    """How a panel is saved: `scale` times its size as a PNG, or SVG (scale None)."""

    key: str
    label: str
    suffix: str
    scale: int | None

    @property
    def file_filter(self) -> str:
        """The file dialog's filter, e.g. "PNG image (*.png)"."""
        return f"{self.label} (*{self.suffix})"

    def file_name(self, stem: str) -> str:
        """"weights.png", "weights@2x.png", "weights.svg"."""
        at = f"@{self.scale}x" if self.scale not in (None, 1) else ""
        return f"{stem}{at}{self.suffix}"


PNG = PictureFormat("png", "PNG image, the screen's size", ".png", 1)
PNG_2X = PictureFormat("png2x", "PNG image, twice the size (slides)", ".png", 2)
SVG = PictureFormat("svg", "SVG drawing (scalable)", ".svg", None)
FORMATS = (PNG, PNG_2X, SVG)


def file_stem(dock: PanelDock) -> str:
    """A panel's files are named after its tab: "weights", "binary-net"."""
    return dock.row.short_title.lower().replace(" ", "-")


def save_picture(dock: PanelDock, path, fmt: PictureFormat) -> Path:
    """Save the dock's panel, as shown now, to `path` in `fmt`. Raises OSError if the file
    cannot be written."""
    path, panel = Path(path), dock.widget()
    if fmt.scale is None:
        path.write_bytes(panel_svg(panel, dock.row.title))
        return path
    image = panel_image(panel, fmt.scale)
    # The resolution says the doubled picture is as large as the first, only finer, so a
    # slide program places it at the panel's size.
    dots_per_metre = round(panel.logicalDpiX() * fmt.scale * INCHES_PER_METRE)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    if not image.save(str(path), "PNG"):
        why = "no such folder" if not path.parent.is_dir() else "Qt could not write a PNG there"
        raise OSError(errno.EIO, why, str(path))
    return path


def bring_forward(window, dock: PanelDock) -> None:
    """Show the dock's panel (its tab in front) with the newest frame drawn on it."""
    if dock.isHidden() or dock.visibleRegion().isEmpty():
        dock.show()
        dock.raise_()
        QApplication.processEvents()  # the layout gives the panel its size
    window.mark_dirty()
    window.redraw()
    QApplication.processEvents()  # texts fitted to the new frame settle


def current_frame(window) -> Frame:
    """The frame the window draws now: its newest snapshot, dataset and selected sample."""
    c = window.controller
    return Frame(c.latest_snapshot, c.dataset, window.selection.index, window.selection.drawn)


def save_csv_files(window, directory) -> list[Path]:
    """The CSV tables of the window's newest snapshot, in `directory` (raises OSError)."""
    frame = current_frame(window)
    return write_csv_files(directory, frame.snapshot, frame.dataset, frame.test_summary)


def save_everything(window, directory) -> list[Path]:
    """Every panel in every format and the CSV tables, in `directory` (made if missing);
    returns the paths written. Raises OSError if one cannot be written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    docks = list(window.docks.values())
    front = [dock for dock in docks if not dock.visibleRegion().isEmpty()]
    closed = [dock for dock in docks if dock.isHidden()]
    paths = []
    for dock in docks:
        bring_forward(window, dock)
        for fmt in FORMATS:
            paths.append(save_picture(dock, directory / fmt.file_name(file_stem(dock)), fmt))
    for dock in front:  # the window as it was: the same tabs in front, closed panels closed
        dock.raise_()
    for dock in closed:
        dock.hide()
    paths += save_csv_files(window, directory)
    return paths
