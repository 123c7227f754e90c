"""The keyboard after an edit: shortcuts work whatever has focus, and a half-typed value is
taken before a command acts (issue 9, item 3). Keys go to the focused widget, as a user's do."""

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from gui.main_window import MainWindow
from gui.plotting import configure_pyqtgraph
from tests.gui.clients import make_client, server_run


@pytest.fixture
def window(qtbot, tmp_path):
    configure_pyqtgraph()
    controller = make_client(batch_size=16, seed=1)
    w = MainWindow(controller, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    yield w
    controller.shutdown(2000)


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    """A key as the user presses it: to whatever has the focus."""
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def start_typing(qtbot, box, text):
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    box.selectAll()
    qtbot.keyClicks(QApplication.focusWidget(), text)


def test_enter_takes_the_learning_rate_and_space_then_plays(window, qtbot):
    spin, controller = window.controls.learning_rate.spin, window.controller
    start_typing(qtbot, spin, "0.5")
    press(qtbot, Qt.Key.Key_Return)
    assert server_run(controller).learning_rate == 0.5
    qtbot.waitUntil(lambda: not spin.hasFocus())  # the window has the keys again
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: controller.playing)
    assert spin.text() == "0.5"  # not emptied by the Space
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not controller.playing)


def test_shortcuts_work_while_a_box_has_focus_and_digits_still_edit_it(window, qtbot):
    spin, controller = window.controls.learning_rate.spin, window.controller
    start_typing(qtbot, spin, "0.3e")
    press(qtbot, Qt.Key.Key_Backspace)
    assert spin.text() == "0.3"  # digits, ".", "e" and Backspace are the box's
    press(qtbot, Qt.Key.Key_Right)  # the cursor is at the end: one step
    qtbot.waitUntil(lambda: controller.latest_snapshot.step == 1)
    assert server_run(controller).learning_rate == 0.3  # taken before the step
    assert spin.hasFocus()
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: controller.playing)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not controller.playing)
    press(qtbot, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: controller.latest_snapshot.step == 0)
    assert spin.text() == "0.3"


def test_shift_right_steps_an_epoch_from_a_box(window, qtbot):
    start_typing(qtbot, window.controls.batch_size, "32")
    press(qtbot, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    snapshot = lambda: window.controller.latest_snapshot  # noqa: E731
    qtbot.waitUntil(lambda: snapshot().step > 0 and snapshot().epoch_progress == 0)
    assert snapshot().batch_size == 32


@pytest.mark.parametrize("how", ["button", "space"])
def test_a_half_typed_seed_is_taken_before_play(window, qtbot, how):
    controller = window.controller
    start_typing(qtbot, window.controls.seed, "8")  # no Enter
    if how == "button":
        window.controls.play_button.click()
    else:
        press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: controller.playing)
    assert controller.seed == 8 and window.controls.seed.value() == 8
    assert server_run(controller).random_state == 8
    controller.pause()


def test_escape_puts_the_value_in_use_back_and_leaves_the_box(window, qtbot):
    spin, controller = window.controls.learning_rate.spin, window.controller
    before = spin.text()
    start_typing(qtbot, spin, "7")
    press(qtbot, Qt.Key.Key_Escape)
    assert spin.text() == before and server_run(controller).learning_rate == float(before)
    assert not spin.hasFocus()
    press(qtbot, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: controller.latest_snapshot.step == 1)
    assert server_run(controller).learning_rate == float(before)  # the 7 was dropped, not taken
