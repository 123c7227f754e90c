"""Export commands: each panel's context menu, File -> Export, and Ctrl+C.

A right click on a panel offers its picture as PNG (the screen's size or 2x, for slides) or
SVG, and a copy; File -> Export offers the same for any panel, the data as CSV, and everything
at once into a folder. Ctrl+C copies the panel under the mouse. The file dialog is the one
modal step (the user must choose a file before anything else); a file that cannot be written
is said in the window's banner, naming it, and nothing else changes.
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPoint, QStandardPaths, Qt
from PySide6.QtGui import QAction, QContextMenuEvent, QCursor, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QWidget

from gui.export_files import (
    FORMATS,
    PictureFormat,
    export_panel,
    file_stem,
    save_csv_files,
    save_everything,
)
from gui.panel import Panel
from gui.panel_dock import PanelDock
from gui.panel_pictures import copy_to_clipboard

#: How long a "Saved ..." note stays in the status bar (ms).
NOTE_MS = 8000


def ask_save_path(parent, caption: str, suggested: str, filters: list[str]) -> tuple[str, str]:
    """The path and filter the user chose in a save dialog ("" if cancelled)."""
    return QFileDialog.getSaveFileName(parent, caption, suggested, ";;".join(filters))


def ask_directory(parent, caption: str, suggested: str) -> str:
    """The folder the user chose ("" if cancelled)."""
    return QFileDialog.getExistingDirectory(parent, caption, suggested)


def _add(menu: QMenu, text: str, tip: str, slot) -> QAction:
    action = menu.addAction(text)
    action.setStatusTip(tip)
    action.triggered.connect(slot)
    return action


def _holds(widget: QWidget, global_pos: QPoint) -> bool:
    return widget.rect().contains(widget.mapFromGlobal(global_pos))


class ExportActions(QObject):
    """The export commands of `window` (a MainWindow): a context menu on every panel, an
    Export submenu in `file_menu`, and Ctrl+C."""

    def __init__(self, window, file_menu: QMenu):
        super().__init__(window)
        self.window = window
        pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
        self.folder = Path(pictures or Path.home())  # where the next dialog opens
        for dock in window.docks.values():
            self._give_menu(dock)
        self._build_file_menu(file_menu)
        self.copy_action = QAction("Copy panel under the mouse", window)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setStatusTip("Copy the panel under the mouse as an image.")
        self.copy_action.triggered.connect(self.copy_under_mouse)
        window.addAction(self.copy_action)  # a box with focus keeps Ctrl+C for its own text

    def _give_menu(self, dock: PanelDock) -> None:
        """A right click (or the menu key) on the dock's panel opens its export menu."""
        panel = dock.widget()
        panel.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        panel.customContextMenuRequested.connect(
            lambda pos: self.context_menu(dock).popup(panel.mapToGlobal(pos))
        )
        # On a plot the menu opens on a right click, not on the press (where Qt asks for it):
        # a right drag still zooms the loss plot.
        for view in panel.findChildren(pg.GraphicsView):
            view.viewport().installEventFilter(self)
            view.scene().sigMouseClicked.connect(lambda event: self._plot_clicked(dock, event))

    def _build_file_menu(self, file_menu: QMenu) -> None:
        self.menu = file_menu.addMenu("&Export")
        for dock in self.window.docks.values():
            tip = f"Save the {dock.row.title} panel as PNG or SVG."
            _add(self.menu, f"{dock.row.title}...", tip, lambda _=False, d=dock: self.save_panel(d))
        self.menu.addSeparator()
        tip = "Save the loss curves, W and b, the confusion matrix and the threshold sweep."
        self.csv_action = _add(self.menu, "Data as CSV...", tip, self.save_csv)
        tip = "Every panel as PNG (1x and 2x) and SVG, and the data as CSV."
        self.all_action = _add(self.menu, "Everything to a folder...", tip, self.save_everything)

    # ------------------------------------------------------------------ menus
    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        """A plot's context-menu request by mouse is dropped (its right click opens the menu);
        one from the keyboard's menu key goes on to the panel."""
        return (
            event.type() == QEvent.Type.ContextMenu
            and event.reason() == QContextMenuEvent.Reason.Mouse
        )

    def _plot_clicked(self, dock: PanelDock, event) -> None:
        if event.button() == Qt.MouseButton.RightButton and not event.double():
            self.context_menu(dock).popup(event.screenPos().toPoint())

    def context_menu(self, dock: PanelDock) -> QMenu:
        """The panel's menu: save as PNG (1x, 2x) or SVG, copy, and the data as CSV."""
        menu = QMenu(self.window)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        title = dock.row.title
        for fmt in FORMATS:
            action = menu.addAction(f"Save {title} as {fmt.label}...")
            action.triggered.connect(lambda _=False, fmt=fmt: self.save_panel(dock, fmt))
        copy = menu.addAction("Copy as image")
        copy.setShortcut(QKeySequence.StandardKey.Copy)  # shown; the window's action acts
        copy.triggered.connect(lambda: self.copy_panel(dock))
        menu.addSeparator()
        menu.addAction(self.csv_action)
        return menu

    # ------------------------------------------------------------------ commands
    def save_panel(self, dock: PanelDock, fmt: PictureFormat | None = None) -> Path | None:
        """Ask where to save the dock's panel (in `fmt`, or the format chosen in the dialog),
        save it, and return the path (None if cancelled or not written)."""
        formats = [fmt] if fmt is not None else list(FORMATS)
        suggested = self.folder / formats[0].file_name(file_stem(dock))
        filters = [f.file_filter for f in formats]
        caption = f"Export {dock.row.title}"
        path, chosen = ask_save_path(self.window, caption, str(suggested), filters)
        if not path:
            return None
        fmt = next((f for f in formats if f.file_filter == chosen), formats[0])
        path = Path(path)
        if path.suffix.lower() == ".svg":  # a typed suffix says the format
            fmt = next(f for f in FORMATS if f.scale is None)
        elif path.suffix.lower() != fmt.suffix:
            path = path.with_name(path.name + fmt.suffix)
        return self._saved(path, lambda: export_panel(self.window, dock, path, fmt))

    def save_csv(self) -> list[Path] | None:
        """Ask for a folder and write the CSV tables into it (None if cancelled or not written)."""
        return self._into_folder("Export the data as CSV into a folder", save_csv_files)

    def save_everything(self) -> list[Path] | None:
        """Ask for a folder and write every panel's pictures and the CSV tables into it."""
        return self._into_folder("Export every panel and the data into a folder", save_everything)

    def _into_folder(self, caption: str, save) -> list[Path] | None:
        folder = ask_directory(self.window, caption, str(self.folder))
        if not folder:
            return None
        return self._saved(Path(folder), lambda: save(self.window, folder))

    def _saved(self, path: Path, save):
        """Run `save()`; say in the status bar what was written, or in the banner why not."""
        try:
            result = save()
        except OSError as error:
            where = error.filename or path
            text = f"Could not write {where}: {error.strerror or error}"
            self.window.show_message("error", "Export failed", text)
            return None
        self.folder = path if path.is_dir() else path.parent
        if isinstance(result, list):
            note = f"Saved {len(result)} files in {path}"
        else:
            note = f"Saved {path}"
        self.window.statusBar().showMessage(note, NOTE_MS)
        return result

    # ------------------------------------------------------------------ clipboard
    def panel_at(self, global_pos: QPoint) -> PanelDock | None:
        """The dock whose panel is under `global_pos` (screen coordinates), if any."""
        widget: QWidget | None = QApplication.widgetAt(global_pos)
        while widget is not None and not isinstance(widget, Panel):
            widget = widget.parentWidget()
        docks = list(self.window.docks.values())
        found = next((dock for dock in docks if dock.widget() is widget), None)
        if found is not None or widget is not None:
            return found
        # No window there that Qt knows of (some platforms, such as offscreen, cannot say):
        # the panel on screen that holds the point, a floating one (on top) first.
        shown = [dock for dock in docks if not dock.visibleRegion().isEmpty()]
        shown.sort(key=lambda dock: not dock.isFloating())
        return next((dock for dock in shown if _holds(dock.widget(), global_pos)), None)

    def copy_under_mouse(self) -> None:
        dock = self.panel_at(QCursor.pos())
        if dock is None:
            self.window.statusBar().showMessage("Point at a panel to copy it (Ctrl+C).", NOTE_MS)
            return
        self.copy_panel(dock)

    def copy_panel(self, dock: PanelDock) -> None:
        image = copy_to_clipboard(dock.widget())
        self.window.statusBar().showMessage(
            f"Copied {dock.row.title} ({image.width()} x {image.height()} pixels)", NOTE_MS
        )
