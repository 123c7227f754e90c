"""The window's menus: File, Training, View, Lessons and Help, and the keys they carry."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget

from gui.actions import add_action
from gui.bug_report import show_log
from gui.export_actions import ExportActions
from gui.keyboard import ShortcutKeys
from gui.presenter_keys import PresenterKeys, with_standard_keys


def _raiser(dock: QDockWidget):
    def bring_to_front():
        dock.show()
        dock.raise_()

    return bring_to_front


def build_menus(window) -> None:
    """File, Training, View, Lessons and Help on `window`'s menu bar; every action is the
    window's too, so its shortcut works while the menu bar is hidden (full screen)."""
    c = window.controller
    file_menu = window.menuBar().addMenu("&File")
    add_action(
        window,
        file_menu,
        "&Open run...",
        window.run_files.open,
        QKeySequence.StandardKey.Open,
        "Open a saved run and continue it where it stopped.",
    )
    add_action(
        window,
        file_menu,
        "&Save run...",
        window.run_files.save,
        QKeySequence.StandardKey.Save,
        "Save this run (weights, curves, history) to continue it another day.",
    )
    file_menu.addSeparator()
    add_action(
        window,
        file_menu,
        "Open &dataset...",
        window.controls.open_file,
        "Ctrl+Shift+O",
        "Load an MNIST-style IDX file or a Keras .npz file.",
    )
    add_action(
        window,
        file_menu,
        "&Get more data...",
        window.downloads.open_dialog,
        None,
        "Download the full MNIST or Fashion-MNIST (70,000 images each).",
    )
    window.exports = ExportActions(window, file_menu)  # File -> Export, panel menus, Ctrl+C
    file_menu.addSeparator()
    add_action(
        window,
        file_menu,
        "&Quit",
        window.close,
        QKeySequence.StandardKey.Quit,
        "Stop training and quit.",
    )
    train = window.menuBar().addMenu("&Training")
    # Through the controls: a half-typed value is taken before the command acts.
    controls = window.controls
    add_action(window, train, "Play / Pause", controls.toggle, "Space", "Start or pause training.")
    add_action(window, train, "Step", controls.step, "Right", "One minibatch step.")
    add_action(
        window,
        train,
        "Step epoch",
        controls.step_epoch,
        "Shift+Right",
        "Train to the end of the epoch.",
    )
    add_action(
        window, train, "Reset", controls.reset, "R", "Re-initialise the weights from the seed."
    )
    add_action(
        window,
        train,
        "Evaluate now",
        c.evaluate_now,
        "E",
        "Compute train and test loss and accuracy now.",
    )
    train.addSeparator()
    add_action(
        window,
        train,
        "Look back to step 0",
        lambda: window.timeline.show_step(0),
        "Home",
        "Show the run as it started; drag the timeline, or End to return.",
    )
    add_action(
        window,
        train,
        "Replay from step 0",
        lambda: window.timeline.replay(0),
        "Ctrl+Home",
        "Play the kept history (every step of the first epoch) at the timeline's pace.",
    )
    live = add_action(
        window, train, "Back to live", window.timeline.go_live, "End", "Show the newest step again."
    )
    # A Mac laptop has no End key: the platform's "end of document" keys too (Cmd+Down).
    with_standard_keys(live, "End", QKeySequence.StandardKey.MoveToEndOfDocument)
    view = window.menuBar().addMenu("&View")
    for dock in window.docks.values():
        view.addAction(dock.toggleViewAction())
    view.addSeparator()
    for dock in window.docks.values():
        add_action(
            window,
            view,
            f"Bring {dock.row.title} to front",
            _raiser(dock),
            dock.row.shortcut,
            "Show this panel and bring its tab to the front.",
        )
    view.addSeparator()
    window.presentation.add_actions(view)
    add_action(
        window,
        view,
        "Restore default layout",
        window._arrange_default_layout,
        None,
        "Put every panel back where it started.",
    )
    for panel in window.panels:
        panel.add_actions(view)
    # Lessons, File > Open lesson and a presenter remote's keys (gui/presenter_keys.py).
    window.presenter = PresenterKeys(window, window.menuBar().addMenu("&Lessons"), file_menu)
    window.presenter.load()  # the shipped lessons, none started
    window.lessons = window.presenter.player
    window.shortcut_keys = ShortcutKeys(window)  # the shortcuts work while a box has focus
    help_menu = window.menuBar().addMenu("&Help")
    add_action(
        window,
        help_menu,
        "What am I looking at? (F1)",
        window.help.show_for_pointer,
        None,  # F1 is the help's own shortcut: the panel under the mouse
        "Help on the panel under the mouse; or click the ? in a panel's corner.",
    )
    add_action(
        window,
        help_menu,
        "About Softmax Lab",
        window._about,
        None,
        "The version, the libraries' versions and the data credits.",
    )
    add_action(
        window,
        help_menu,
        "Show &log",
        lambda: show_log(window),
        None,
        "Open the log file: what went wrong, for a bug report.",
    )
