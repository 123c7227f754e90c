"""The training controls write through the controller and follow its state."""

import math

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QScrollBar,
)

from gui import dataset_dialog
from gui.panels.training_controls import OPEN_FILE, TrainingControlsPanel, speed_label
from gui.widgets import LogSlider, LogSpinBox
from model import load_dataset
from model.settings import DEFAULT_SPEED_INDEX, SPEEDS
from tests.gui.clients import make_client, server_run


@pytest.fixture
def panel(qtbot):
    controller = make_client(batch_size=16, seed=2)
    p = TrainingControlsPanel(controller)
    qtbot.addWidget(p)
    yield p
    controller.shutdown(2000)


def test_every_control_has_a_tooltip(panel):
    kinds = (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox)
    controls = [
        w
        for w in panel.findChildren(object)
        if isinstance(w, kinds) and not isinstance(w, QScrollBar)  # scroll bars are Qt's own
    ]
    assert len(controls) >= 10
    assert [type(w).__name__ for w in controls if not w.toolTip().strip()] == []


def test_learning_rate_slider_is_log_scale_and_synced(qtbot):
    widget = LogSlider(1e-4, 10.0, 0.1)
    qtbot.addWidget(widget)
    assert widget.slider.value() == round(1000 * (math.log10(0.1) + 4) / 5)
    with qtbot.waitSignal(widget.value_changed) as blocker:
        widget.slider.setValue(1000)
    assert blocker.args == [10.0] and widget.value() == 10.0
    widget.slider.setValue(0)
    assert widget.value() == pytest.approx(1e-4)
    widget.setValue(1.0)
    assert widget.slider.value() == 800


def test_log_spin_box_steps_multiply(qtbot):
    spin = LogSpinBox(1e-4, 10.0)
    qtbot.addWidget(spin)
    spin.setValue(0.1)
    spin.stepBy(10)  # ten steps of 10**(1/10): one decade
    assert spin.value() == pytest.approx(1.0)
    spin.stepBy(-20)
    assert spin.value() == pytest.approx(0.01)


def test_settings_go_to_the_training_process(panel, qtbot):
    panel.learning_rate.setValue(0.5)
    panel.batch_size.setValue(64)
    panel.alpha.setValue(0.001)
    run = server_run(panel.controller)
    assert (run.learning_rate, run.batch_size, run.alpha) == (0.5, 64, 0.001)
    client = panel.controller.settings
    assert (client.learning_rate, client.batch_size, client.alpha) == (0.5, 64, 0.001)


def test_batch_size_range_follows_the_dataset(panel, qtbot):
    assert panel.batch_size.maximum() == load_dataset("digits").n_train
    panel.load("blobs")
    qtbot.waitUntil(lambda: panel.batch_size.maximum() == load_dataset("blobs").n_train)
    assert panel.dataset_box.currentText() == "blobs"


def test_seed_change_resets_with_the_reason(panel, qtbot):
    panel.seed.setValue(9)
    with qtbot.waitSignal(panel.controller.run_replaced):
        panel.seed.editingFinished.emit()
    assert panel.controller.seed == 9 and "seed" in panel.message.text()


def test_speed_slider_sets_the_pace(panel):
    panel.set_speed_index(0)
    assert panel.controller.speed == SPEEDS[0] == server_run_speed(panel)
    assert panel.speed_text.text() == speed_label(SPEEDS[0]) == "1 steps/s"
    panel.set_speed_index(len(SPEEDS) - 1)
    assert panel.controller.speed is None is server_run_speed(panel)
    assert panel.speed_text.text() == "full speed"


def test_play_button_follows_the_running_state(panel, qtbot):
    with qtbot.waitSignal(panel.controller.running_changed):
        panel.play_button.click()
    assert panel.play_button.text() == "Pause"
    with qtbot.waitSignal(panel.controller.running_changed):
        panel.play_button.click()
    assert panel.play_button.text() == "Play"


def test_open_file_entry_loads_the_chosen_file(panel, monkeypatch, tmp_path, qtbot):
    import numpy as np

    path = tmp_path / "tiny.npz"
    rng = np.random.default_rng(0)
    np.savez(
        path,
        x_train=rng.integers(0, 256, (30, 4, 4), dtype=np.uint8),
        y_train=np.arange(30) % 10,
        x_test=rng.integers(0, 256, (10, 4, 4), dtype=np.uint8),
        y_test=np.arange(10) % 10,
    )
    monkeypatch.setattr(dataset_dialog.QFileDialog, "getOpenFileName", lambda *a: (str(path), ""))
    panel.dataset_box.setCurrentText(OPEN_FILE)
    panel.dataset_box.activated.emit(panel.dataset_box.currentIndex())
    qtbot.waitUntil(lambda: panel.controller.dataset.name == "tiny.npz")
    assert panel.dataset_box.currentText() == "tiny.npz"
    assert panel.controller.latest_snapshot.W.shape == (10, 16)


def test_cancelled_open_keeps_the_dataset(panel, monkeypatch):
    monkeypatch.setattr(dataset_dialog.QFileDialog, "getOpenFileName", lambda *a: ("", ""))
    panel.dataset_box.setCurrentText(OPEN_FILE)
    panel.dataset_box.activated.emit(panel.dataset_box.currentIndex())
    assert panel.controller.dataset.name == "digits"
    assert panel.dataset_box.currentText() == "digits"


def server_run_speed(panel):
    return panel.controller._transport.server.speed


def test_the_default_speed_is_the_lesson_speed(panel):
    assert SPEEDS[panel.speed.value()] == 50 == server_run_speed(panel)


# ---------------------------------------------------------------- ranges (issue 9, item 6)
def test_controls_take_their_ranges_and_speeds_from_model_settings(panel):
    spin = panel.learning_rate.spin
    assert (spin.minimum(), spin.maximum()) == (1e-4, 1000.0)
    assert panel.seed.maximum() == 2**31 - 1
    assert panel.speed.maximum() == len(SPEEDS) - 1
    assert panel.speed.value() == DEFAULT_SPEED_INDEX
    assert panel.controller.speed == SPEEDS[DEFAULT_SPEED_INDEX] == 50


def type_into(qtbot, box, text):
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)


@pytest.mark.parametrize(("typed", "used"), [("50", 50.0), ("1000", 1000.0), ("1e-3", 0.001)])
def test_typed_learning_rates_are_taken_as_typed(panel, qtbot, typed, used):
    panel.show()
    type_into(qtbot, panel.learning_rate.spin, typed)
    assert server_run(panel.controller).learning_rate == used  # not 5 for 50, nor 10 for 1000
    assert panel.message.text() == ""


def test_a_learning_rate_above_the_range_is_clamped_visibly(panel, qtbot):
    panel.show()
    type_into(qtbot, panel.learning_rate.spin, "5000")
    assert server_run(panel.controller).learning_rate == 1000.0
    assert panel.learning_rate.spin.text() == "1000"
    assert "learning rate 5000 is above the maximum 1000; using 1000" in panel.message.text()


def test_the_learning_rate_box_is_wide_enough_for_its_values(panel, qtbot):
    panel.show()
    qtbot.waitExposed(panel)
    edit = panel.learning_rate.spin.lineEdit()
    for value, text in ((1000.0, "1000"), (1e-4, "0.0001"), (0.126, "0.126"), (1.3e-4, "0.00013")):
        panel.learning_rate.setValue(value)
        assert edit.text() == text
        assert edit.width() >= edit.fontMetrics().horizontalAdvance(text) + 4, text


def test_the_speed_label_says_the_real_rate_when_the_pace_is_not_met():
    """Issue 8: "1000 steps/s" delivered 197 on a loaded machine and said nothing."""
    from gui.panels.training_controls import speed_text

    assert speed_text(50, 49.0, playing=True) == "50 steps/s"
    assert speed_text(1000, 197.0, playing=True) == "1000 steps/s (197)"
    assert speed_text(1000, 197.0, playing=False) == "1000 steps/s"
    assert speed_text(None, 5321.0, playing=True) == "full: 5,321/s"


def test_a_narrow_strip_takes_a_third_row(panel, qtbot):
    """At presentation fonts a 1024 px projector was narrower than the two rows (1,260 px):
    the speed and seed group and the L2 group move to a third row, and back (issue 14)."""
    panel.show()
    qtbot.waitExposed(panel)
    panel.resize(1400, panel.height())
    qtbot.waitUntil(lambda: panel.rows == 2)
    two_rows = panel.minimumSizeHint().height()
    panel.resize(panel.minimumWidth(), panel.height())
    qtbot.waitUntil(lambda: panel.rows == 3)
    panel.layout().activate()
    assert panel.layout().minimumSize().height() > two_rows
    for control in (panel.speed, panel.seed, panel.alpha, panel.learning_rate.spin):
        # Qt's own rule: a minimum width set on the widget, else its hint.
        least = control.minimumWidth() or control.minimumSizeHint().width()
        assert control.isVisible() and control.width() >= least, control
    right = max(w.geometry().right() for w in (panel.speed_group, panel.alpha_group))
    assert right <= panel.width()
    panel.resize(1400, panel.height())
    qtbot.waitUntil(lambda: panel.rows == 2)
