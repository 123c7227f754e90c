"""Export files: a panel's picture in a chosen format, the CSV tables, or all of it in a folder.

A panel is drawn with the window's newest frame before it is exported, brought to the front
first if it is a tab behind another (or closed), so the picture is the panel as it would show.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
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


def current_frame(window) -> Frame:
    """The frame the window draws now: its newest snapshot, dataset and selected sample."""
    c = window.controller
    return Frame(c.latest_snapshot, c.dataset, window.selection.index, window.selection.drawn)


@contextmanager
def held_frame(window) -> Iterator[Frame]:
    """The window's newest frame, and the redraws held while it is exported: training may go
    on, but every file of one export shows the same step."""
    window.redraw_timer.stop()
    try:
        yield current_frame(window)
    finally:
        window.mark_dirty()
        window.redraw_timer.start()


def bring_forward(dock: PanelDock, frame: Frame) -> None:
    """Show the dock's panel (its tab in front, if behind another or closed) with `frame`."""
    if dock.isHidden() or dock.visibleRegion().isEmpty():
        dock.show()
        dock.raise_()
        QApplication.processEvents()  # the layout gives the panel its size
    dock.widget().show_frame(frame)
    QApplication.processEvents()  # texts fitted to the new frame settle


def export_panel(window, dock: PanelDock, path, fmt: PictureFormat) -> Path:
    """The dock's panel with the window's newest frame, saved to `path` (raises OSError)."""
    with held_frame(window) as frame:
        bring_forward(dock, frame)
        return save_picture(dock, path, fmt)


def save_csv_files(window, directory, frame: Frame | None = None) -> list[Path]:
    """The CSV tables of `frame` (the window's newest), in `directory` (raises OSError)."""
    frame = frame or current_frame(window)
    return write_csv_files(directory, frame.snapshot, frame.dataset, frame.test_summary)


def save_everything(window, directory) -> list[Path]:
    """Every panel in every format and the CSV tables of one frame, in `directory` (made if
    missing); returns the paths written. Raises OSError if one cannot be written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    docks = list(window.docks.values())
    front = [dock for dock in docks if not dock.visibleRegion().isEmpty()]
    closed = [dock for dock in docks if dock.isHidden()]
    paths = []
    with held_frame(window) as frame:
        try:
            for dock in docks:
                bring_forward(dock, frame)
                for fmt in FORMATS:
                    path = directory / fmt.file_name(file_stem(dock))
                    paths.append(save_picture(dock, path, fmt))
            paths += save_csv_files(window, directory, frame)
        finally:  # the window as it was: the same tabs in front, closed panels closed
            for dock in front:
                dock.raise_()
            for dock in closed:
                dock.hide()
    return paths
