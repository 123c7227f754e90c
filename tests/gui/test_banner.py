"""Issue 15, first part: divergence, a stopped training process and unexpected errors say so in
a banner inside the window, not in a modal dialog; the keyboard stays live; Esc dismisses it."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from tests.gui import test_main_window

# The main window's own fixtures: a window of 1400x900 with fresh settings.
settings, window = test_main_window.settings, test_main_window.window


@pytest.fixture(autouse=True)
def no_dialogs(monkeypatch):
    """A modal dialog would block the test: any attempt to open one fails loudly."""

    def no_dialog(*args, **kwargs):
        raise AssertionError("a modal dialog was opened")

    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, no_dialog)
    monkeypatch.setattr(QDialog, "exec", no_dialog)


def test_divergence_shows_a_banner_with_reset_and_the_keys_stay_live(window, qtbot):
    bar, banner = window.banner_bar, window.banner_bar.banner
    assert not bar.isVisible()
    window.controller.diverged.emit("Training diverged at step 12: the loss became inf.")
    qtbot.waitUntil(bar.isVisible)
    assert "Training diverged" in banner.title_label.text()
    assert "step 12" in banner.text_label.text()
    assert banner.action_button.isVisible() and "Reset" in banner.action_button.text()
    # The keyboard still drives training while the banner is up (Right: one step).
    step = window.controller.latest_snapshot.step
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: window.controller.latest_snapshot.step == step + 1)
    assert bar.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not bar.isVisible())


def test_the_banner_action_acts_and_goes(window, qtbot):
    window.controller.train_now(5)
    window.controller.diverged.emit("diverged")
    qtbot.waitUntil(window.banner_bar.isVisible)
    qtbot.mouseClick(window.banner_bar.banner.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.controller.latest_snapshot.step == 0)  # reset
    assert not window.banner_bar.isVisible()


def test_a_stopped_training_process_offers_restart(window, qtbot):
    window.controller.failed.emit("The training process ended unexpectedly (exit code -9).")
    qtbot.waitUntil(window.banner_bar.isVisible)
    banner = window.banner_bar.banner
    assert banner.kind == "error" and "Training stopped" in banner.title_label.text()
    assert banner.action_button.text() == window.controls.restart_button.text()


def test_an_unexpected_error_goes_to_the_banner(window, qtbot, monkeypatch, capsys):
    from gui.app import _install_excepthook

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    _install_excepthook()
    try:
        raise ValueError("a surprise")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    qtbot.waitUntil(window.banner_bar.isVisible)
    assert "ValueError: a surprise" in window.banner_bar.banner.text_label.text()
    assert "a surprise" in capsys.readouterr().err  # the traceback is on stderr too


def test_a_bad_file_shows_a_banner_and_space_still_plays(window, qtbot, tmp_path, monkeypatch):
    """Issue 15: the failed-file message was a modal QMessageBox that stopped the keyboard."""
    from gui import dataset_dialog

    bad = tmp_path / "train-images-idx3-ubyte.gz"
    bad.write_bytes(b"this is not gzip data")
    assert window.controls.load(str(bad)) is False
    qtbot.waitUntil(window.banner_bar.isVisible)
    banner = window.banner_bar.banner
    assert banner.kind == "warning" and "Could not load" in banner.title_label.text()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.controller.playing)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not window.controller.playing)
    # Its action opens the file dialog again (the user's own choice: a dialog is right there).
    asked = []
    monkeypatch.setattr(
        dataset_dialog.QFileDialog, "getOpenFileName", lambda *a: asked.append(a) or ("", "")
    )
    qtbot.mouseClick(banner.action_button, Qt.MouseButton.LeftButton)
    assert asked and window.controller.dataset.name == "digits"


@pytest.mark.parametrize("kind", ["warning", "error", "info"])
def test_the_banner_is_painted_in_its_kinds_colour(window, qtbot, kind):
    """It was grey whatever the kind: the tool bar gives its widgets the Button role."""
    from collections import Counter

    from PySide6.QtGui import QColor

    from gui.banner import COLORS

    window.show_message(kind, "Title", "text")
    qtbot.waitUntil(window.banner_bar.isVisible)
    image = window.banner_bar.banner.grab().toImage()
    pixels = Counter(
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 3)
    )
    assert pixels.most_common(1)[0][0] == QColor(COLORS[kind][0]).name()


def test_esc_dismisses_a_message_first_then_leaves_presentation_mode(window, qtbot):
    """A remote's Esc ("stop the show") ends presentation mode when no message is up."""
    window.presentation.set_active(True, full_screen=False)
    window.show_message("warning", "Training diverged", "x")
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.banner_bar.isVisible() and window.presentation.active
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.presentation.active
    assert not window.banner_bar.escape.isEnabled()  # Esc is the typed-value revert again


def test_end_has_the_platforms_end_of_document_keys_too(window):
    from PySide6.QtGui import QKeySequence

    from gui.presenter_keys import other_standard_keys

    live = next(a for a in window.actions() if a.text() == "Back to live")
    keys = live.shortcuts()
    assert keys[0] == QKeySequence("End")
    assert all(k in keys for k in other_standard_keys("End", QKeySequence.MoveToEndOfDocument))


def test_a_restored_layout_does_not_show_an_empty_banner(window, qtbot):
    state = window.saveState()
    window.show_message("warning", "Training diverged", "x")
    window.restoreState(state)
    window.banner_bar.follow_banner()
    assert window.banner_bar.isVisible()  # the message is still there
    window.banner_bar.banner.dismiss()
    state = window.saveState()
    window.banner_bar.show()  # as a restored state with the bar visible would
    window.restoreState(state)
    window.banner_bar.follow_banner()
    assert not window.banner_bar.isVisible()
    assert QApplication.activeModalWidget() is None
