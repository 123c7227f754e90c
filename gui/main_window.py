"""The main window: the panels of the table of panels (gui/panel_table.py) as dock widgets,
the menus and the redraw timer.

Training runs in its own process (gui/training_client.py). One timer, about 30 times a
second, takes the newest snapshot that arrived and draws it on every panel on screen in one
go, so every panel of a frame shows the same step.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from gui import panel_table
from gui.about_dialog import AboutDialog
from gui.app_icon import app_icon
from gui.banner import BannerBar
from gui.data_download import DataDownloads
from gui.dataset_choice import DatasetChoice
from gui.dock_layout import (
    GRID_MIN_SIZE,
    LAYOUT_VERSION,
    desk_layout,
    hide_stale_tab_bars,
    set_titles,
)
from gui.frame import Frame
from gui.gc_guard import collect_in_gui_thread
from gui.loss_axes import LossAxes
from gui.menus import build_menus
from gui.panel import Panel
from gui.panel_dock import PanelDock
from gui.panel_help import PanelHelpers
from gui.panel_row import PanelContext, PanelRow
from gui.panels.loss_panel import LossPanel
from gui.panels.training_controls import TrainingControlsPanel
from gui.presentation import Presentation
from gui.run_comparison import RunComparison
from gui.run_files import RunFiles
from gui.saved_settings import note, saved_bytes, saved_int, saved_setting
from gui.screen_layouts import ScreenLayouts
from gui.selection import SampleSelection
from gui.speed import Speed
from gui.status import TrainingStatus
from gui.threshold import Threshold
from gui.timeline import Timeline
from gui.timeline_bar import TimelineBar
from gui.training_client import TrainingClient
from model.settings import SETTINGS, SettingError, check_setting

P = TypeVar("P", bound=Panel)

#: A first start's window size, where the screen has room for it.
PREFERRED_SIZE = (1600, 1000)
#: Room left for a window frame and title bar on a first start, before the window is shown
#: and its real frame known: a smaller screen starts maximised.
FRAME_ALLOWANCE = (16, 40)
#: At most about 30 redraws a second, whatever the training speed.
REDRAW_INTERVAL_MS = 33


class MainWindow(QMainWindow):
    """Softmax Lab's window. It owns no training logic: the training process trains (through
    `controller`, a TrainingClient), panels draw."""

    def __init__(
        self,
        controller: TrainingClient,
        settings: QSettings | None = None,
        threshold: float | None = None,
    ):
        super().__init__()
        collect_in_gui_thread()  # never in the reader's or a download's thread
        self.setWindowTitle("Softmax Lab")
        self.setWindowIcon(app_icon())
        self.setObjectName("SoftmaxLabMainWindow")
        self.setDockNestingEnabled(True)
        self.controller = controller
        self.settings = settings
        # User-facing state: small models the panels show and write, and settings save.
        self.selection = SampleSelection(controller.dataset.n_test, parent=self)
        self.threshold = Threshold(threshold, parent=self)
        self.speed = Speed(parent=self)
        self.loss_axes = LossAxes(parent=self)
        self.dataset_choice = DatasetChoice(controller.dataset.name, parent=self)

        context = PanelContext(
            controller,
            self.selection,
            self.threshold,
            self.speed,
            self.loss_axes,
            self.dataset_choice,
        )
        # Every panel and its dock from the table of panels, in its order.
        self.panels: list[Panel] = []
        self.docks: dict[str, PanelDock] = {}
        for row in panel_table.PANELS:
            panel = row.make(context)
            self.panels.append(panel)
            self._add_dock(row, panel)
        # The File and Training menus act through the controls.
        self.controls = self.panel(TrainingControlsPanel)
        # The previous run and the setting changes, on the loss curve (comparison lessons).
        self.comparison = RunComparison(controller, self)
        self.panel(LossPanel).set_comparison(self.comparison)
        self._dirty = True
        self.setCentralWidget(QWidget())
        self.centralWidget().hide()  # all content lives in docks the teacher can move
        self._arrange_default_layout(for_size=False)

        # The timeline under the plots, in the status bar's row left of the status text (a
        # row of its own cost the plots their room; in presentation mode it gets one, shown
        # only while looking back): look back at any kept step, replay, back to live.
        self.timeline = Timeline(controller, parent=self)
        self.timeline_bar = TimelineBar(self.timeline, self)
        self.status = TrainingStatus(self.statusBar(), beside=self.timeline_bar)
        # Divergence, a stopped training process and unexpected errors say so here, not in a
        # modal dialog: the keyboard (a presenter remote) stays live.
        self.banner_bar = BannerBar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.banner_bar)
        self.timeline.changed.connect(self.mark_dirty)
        self.run_files = RunFiles(self)
        self.presentation = Presentation(self, self.panels)
        # Esc, with no message up, leaves presentation mode (a remote's "stop the show" key).
        self.banner_bar.otherwise = lambda: self.presentation.set_active(False)
        self.banner_bar.otherwise_when = lambda: self.presentation.active
        self.presentation.toggle_action.toggled.connect(self.banner_bar.update_escape)
        # Another screen, or a size across a layout threshold: the layout for it (issue 15).
        self.screen_layouts = ScreenLayouts(
            self,
            self._arrange_default_layout,
            self.apply_state,
            lambda: self.presentation.active,
            self.desk_arrangement,
        )
        self.downloads = DataDownloads(self)  # File -> Get more data...
        self.help = PanelHelpers(self, self.docks)  # a "?" on every panel, F1
        self.presentation.toggle_action.toggled.connect(self.timeline_bar.set_presentation)
        self.presentation.toggle_action.toggled.connect(self.status.set_stacked)
        build_menus(self)  # gui/menus.py

        self._dataset = None
        self._drawn = None  # the snapshot on screen
        self._dirty = True
        self._on_run_replaced("")
        controller.run_replaced.connect(self._on_run_replaced)
        controller.diverged.connect(self._on_diverged)
        controller.failed.connect(self._on_failed)
        self.controls.load_failed.connect(self._on_load_failed)
        self.selection.changed.connect(self.mark_dirty)
        self.selection.drawn_changed.connect(self.mark_dirty)
        self.threshold.changed.connect(self.mark_dirty)

        self.redraw_timer = QTimer(self)
        self.redraw_timer.setInterval(REDRAW_INTERVAL_MS)
        self.redraw_timer.timeout.connect(self.redraw)
        self.redraw_timer.start()
        self.geometry_restored = False
        self.restore_settings()

    # ------------------------------------------------------------------ layout
    def _add_dock(self, row: PanelRow, panel: Panel) -> None:
        dock = PanelDock(row, panel, self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        dock.visibilityChanged.connect(self.mark_dirty)  # a panel coming back needs a frame
        self.docks[row.object_name] = dock

    def panel(self, kind: type[P]) -> P:
        """The window's panel of class `kind`."""
        return next(panel for panel in self.panels if type(panel) is kind)

    def _arrange_default_layout(self, for_size: bool = True) -> None:
        """The desk layout: four plots at once, or two on a window smaller than GRID_MIN_SIZE
        (`for_size` False: four, as when the window is made before it is given a size)."""
        small = self.width() < GRID_MIN_SIZE[0] or self.height() < GRID_MIN_SIZE[1]
        desk_layout(self, self.docks, at_once=2 if for_size and small else 4)
        self._lesson_panels_again()

    def _lesson_panels_again(self) -> None:
        """A lesson's panels stay the ones on screen through a new layout (which opens all);
        the new layout, all open, is then the arrangement the lesson found (kept and saved)."""
        lessons = getattr(self, "lessons", None)  # (none yet while the window is being built)
        if lessons is not None and lessons.position is not None:
            if not self.presentation.active:
                lessons.state_before = self.saveState(LAYOUT_VERSION)
            lessons.show_step_panels()

    def desk_arrangement(self) -> QByteArray:
        """The arrangement to keep and save for the layout on screen: in a lesson, the one the
        lesson found (not its few panels; see stop() in gui/lesson_player.py for presentation
        mode); in presentation mode, the desk it goes back to (not the tabs); else as it is."""
        lessons = getattr(self, "lessons", None)  # (none yet while the window is being built)
        if lessons is not None and lessons.state_before is not None:
            return lessons.state_before
        if self.presentation.active and self.presentation.desk_state is not None:
            return self.presentation.desk_state
        return self.saveState(LAYOUT_VERSION)

    # ------------------------------------------------------------------ drawing
    def mark_dirty(self, *_) -> None:
        self._dirty = True

    def redraw(self) -> None:
        """The redraw timer's work: the newest snapshot on every panel on screen (on every
        panel while the window is hidden), if it is new or the selection or p changed."""
        every_panel = not self.isVisible()
        latest = self.controller.latest_snapshot
        viewing = self.timeline.viewing_step
        snapshot = self.timeline.snapshot(latest)
        reading = self.timeline.reading(latest)  # what the viewed step read, None while live
        self.status.show_snapshot(latest, self.controller.playing, reading)  # also while paused
        self.timeline_bar.show_latest(latest.step)
        if snapshot is self._drawn and not self._dirty:
            return
        if self.controller.dataset is not self._dataset:
            self._on_run_replaced("")
        frame = Frame(
            snapshot, self._dataset, self.selection.index, self.selection.drawn, viewing, reading
        )
        # A closed or tabbed-away panel is not drawn (its dock's visible region is empty);
        # it is marked, and drawn when it comes back (visibilityChanged marks the window).
        for dock in self.docks.values():
            if every_panel or not dock.visibleRegion().isEmpty():
                dock.widget().show_frame(frame)
        self._drawn = snapshot
        self._dirty = False

    def _on_run_replaced(self, reason: str) -> None:
        dataset = self.controller.dataset
        if dataset is not self._dataset:
            self._dataset = dataset
            self.selection.set_n_samples(dataset.n_test)
            for panel in self.panels:
                panel.set_dataset(dataset)
        if reason:
            self.statusBar().showMessage(reason, 5000)
        self.status.reset_rate()
        self._dirty = True

    def _on_diverged(self, message: str) -> None:
        self._dirty = True
        self.show_message("warning", "Training diverged", message, "Reset (R)", self.controls.reset)

    def _on_load_failed(self, message: str) -> None:
        self.show_message(
            "warning",
            "Could not load the dataset",
            message,
            "Open another file...",
            self.controls.open_file,
        )

    def _on_failed(self, message: str) -> None:
        self._dirty = True
        restart = self.controls.restart_button
        self.show_message("error", "Training stopped", message, restart.text(), restart.click)

    def show_message(self, kind, title, text, action=None, do=None) -> None:
        """A message in the banner above the controls (see gui/banner.py); Esc dismisses it."""
        self.banner_bar.show_message(kind, title, text, action, do)

    def _about(self) -> None:
        """Help -> About: versions and credits, in a window that blocks nothing."""
        self.about_dialog = AboutDialog(self.controller.dataset.source, self)
        self.about_dialog.show()

    # ------------------------------------------------------------------ settings
    def fit_to_screen(self) -> None:
        """A first start (no saved geometry): 1600x1000 on a screen with room for it and its
        frame; on a smaller screen maximised, so the window system fits the window and its
        frame (unknown before the window is shown) to the screen. The docks are laid out for
        that size (the four plots at once from GRID_MIN_SIZE up, two tab pairs below)."""
        if self.geometry_restored:
            return
        screen = QApplication.primaryScreen()
        width, height = PREFERRED_SIZE
        if screen is not None:
            available = screen.availableGeometry()
            frame = self.frameGeometry().size() - self.geometry().size()  # 0 before shown
            room_w = available.width() - max(frame.width(), FRAME_ALLOWANCE[0])
            room_h = available.height() - max(frame.height(), FRAME_ALLOWANCE[1])
            if room_w < width or room_h < height:
                self.resize(min(width, room_w), min(height, room_h))
                self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
                self._arrange_default_layout()
                return
        self.resize(width, height)
        self._arrange_default_layout()

    def restore_settings(self) -> None:
        """The layout, speed and zoom as saved; anything unusable is noted and left default.

        (The run's own settings were read, checked the same way, when it was made.)"""
        s = self.settings
        if s is None or saved_int(s, "version", 0) != LAYOUT_VERSION:
            return
        geometry, state = saved_bytes(s, "geometry"), saved_bytes(s, "windowState")
        if geometry is not None:
            self.geometry_restored = self.restoreGeometry(geometry)
        if state is not None:
            self.apply_state(state)
        self.screen_layouts.restore(s)
        self.speed.set_index(saved_setting(s, "speed_index"))
        self._restore_loss_axes(s)
        self.presentation.set_zoom(saved_int(s, "zoom", 0))
        self.presentation.set_plots_at_once(saved_int(s, "plots_at_once", 0) or None)

    def apply_state(self, state) -> None:
        """A saved arrangement of the docks, with titles to match and no stale tab bars."""
        self.restoreState(state, LAYOUT_VERSION)
        self.banner_bar.follow_banner()  # a saved state must not show an empty banner
        # Short titles where plots of different places share a tab group (two plots at once);
        # a place's own tabs (weights and drawing, loss and confusion) are the desk.
        tabbed = any(
            other.row.place is not dock.row.place
            for dock in self.docks.values()
            for other in self.tabifiedDockWidgets(dock)
        )
        set_titles(self.docks, short=tabbed)
        hide_stale_tab_bars(self)
        self._lesson_panels_again()

    def save_settings(self) -> None:
        s = self.settings
        if s is None:
            return
        s.setValue("version", LAYOUT_VERSION)
        s.setValue("geometry", self.saveGeometry())
        s.setValue("windowState", self.desk_arrangement())
        self.screen_layouts.save(s)
        s.setValue("zoom", self.presentation.zoom)
        s.setValue("plots_at_once", self.presentation.plots_at_once or 0)
        # The controls hold what the run uses (they always agree with it), the small models the
        # rest; a value that would not load is not saved.
        values = {
            **self.controls.values(),
            "speed_index": self.speed.index,
            "threshold": self.threshold.p,
        }
        for name, value in values.items():
            try:
                s.setValue(name, check_setting(name, value))
            except SettingError as error:
                s.remove(name)
                note(f"{name} not saved ({error}); the next start uses {SETTINGS[name].default:g}")
        if self.dataset_choice.builtin:  # a file may be gone next time: start on a built-in
            s.setValue("dataset", self.dataset_choice.name)
        s.setValue("loss_x_axis", self.loss_axes.x_axis)
        s.setValue("loss_log_y", int(self.loss_axes.log_y))
        s.sync()

    def _restore_loss_axes(self, s: QSettings) -> None:
        x_axis = s.value("loss_x_axis")
        if x_axis is not None:
            try:
                self.loss_axes.set_x_axis(str(x_axis))
            except ValueError as error:
                note(f"saved loss_x_axis ignored ({error}); using {self.loss_axes.x_axis}")
        log_y = saved_int(s, "loss_log_y", 0)
        if log_y not in (0, 1):
            note(f"saved loss_log_y ignored (not 0 or 1: {log_y}); using 0")
        self.loss_axes.set_log_y(log_y == 1)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.redraw_timer.stop()
        self.save_settings()
        self.controller.shutdown()
        super().closeEvent(event)
        # Give back the application font; the docks stay as they are (re-laying them out
        # while closing crashed the interpreter at exit).
        self.presentation.restore_font()
