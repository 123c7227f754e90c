"""User-facing state lives in small models; the panels show them and write through their
validating setters (napari's habit: build the model, wrap it in the view, change one side and
look at the other)."""

import pytest

from gui.dataset_choice import DatasetChoice
from gui.loss_axes import LossAxes
from gui.panels.binary_output_panel import BinaryOutputPanel
from gui.panels.loss_panel import LossPanel
from gui.panels.training_controls import TrainingControlsPanel
from gui.plotting import configure_pyqtgraph
from gui.speed import Speed
from gui.threshold import Threshold
from model.settings import SPEEDS, SettingError
from tests.gui.clients import make_client


# ---------------------------------------------------------------- the models alone
def test_threshold_clamps_rounds_refuses_nan_and_signals_only_changes(qtbot):
    threshold = Threshold(0.5)
    with qtbot.waitSignal(threshold.changed) as signal:
        threshold.set_p(0.12345)
    assert signal.args == [0.123] and threshold.p == 0.123
    threshold.set_p(7)
    assert threshold.p == 1.0
    with pytest.raises(ValueError):
        threshold.set_p(float("nan"))
    with qtbot.assertNotEmitted(threshold.changed):
        threshold.set_p(1.0)
    assert Threshold().p == 0.5  # SETTINGS' default


def test_speed_takes_only_a_position_in_speeds(qtbot):
    speed = Speed(0)
    with qtbot.waitSignal(speed.changed):
        speed.set_index(len(SPEEDS) - 1)
    assert speed.steps_per_second is None
    for bad in (-1, len(SPEEDS), 2.5, "fast"):
        with pytest.raises(SettingError):
            speed.set_index(bad)
    assert speed.index == len(SPEEDS) - 1


def test_loss_axes_refuse_an_unknown_axis():
    axes = LossAxes()
    with pytest.raises(ValueError, match="seconds"):
        axes.set_x_axis("seconds")
    assert axes.x_axis == "steps" and not axes.log_y


def test_dataset_choice_knows_the_builtin_names():
    choice = DatasetChoice("digits")
    assert choice.builtin
    choice.set_name("my-letters.npz")
    assert not choice.builtin
    with pytest.raises(ValueError):
        choice.set_name("")


# ---------------------------------------------------------------- model -> view -> model
def test_binary_panel_shows_the_threshold_and_writes_it(qtbot):
    configure_pyqtgraph()
    threshold = Threshold(0.2)
    panel = BinaryOutputPanel(threshold)
    qtbot.addWidget(panel)
    assert panel.spin.value() == pytest.approx(0.2) and panel.slider.value() == 200
    threshold.set_p(0.7)
    assert panel.spin.value() == pytest.approx(0.7) and panel.slider.value() == 700
    assert panel.network.threshold == pytest.approx(0.7)
    panel.slider.setValue(250)
    assert threshold.p == pytest.approx(0.25)
    panel.raise_action.trigger()
    assert threshold.p == pytest.approx(0.26)


def test_loss_panel_shows_its_axes_and_writes_them(qtbot):
    configure_pyqtgraph()
    axes = LossAxes("epochs", log_y=True)
    panel = LossPanel(axes)
    qtbot.addWidget(panel)
    assert panel.x_axis_box.currentText() == "epochs" and panel.log_y_box.isChecked()
    assert panel.loss_plot.getAxis("left").logMode
    assert panel.accuracy_plot.getAxis("bottom").labelText.startswith("epoch")
    axes.set_x_axis("steps")
    axes.set_log_y(False)
    assert panel.x_axis_box.currentText() == "minibatch steps"
    assert not panel.log_y_box.isChecked() and not panel.loss_plot.getAxis("left").logMode
    panel.x_axis_box.setCurrentIndex(1)
    panel.log_y_box.setChecked(True)
    assert axes.x_axis == "epochs" and axes.log_y


@pytest.fixture
def client():
    c = make_client(batch_size=16)
    yield c
    c.shutdown(2000)


def test_controls_show_the_speed_and_write_it_and_the_run_follows(qtbot, client):
    speed = Speed(1)
    panel = TrainingControlsPanel(client, speed, DatasetChoice("digits"))
    qtbot.addWidget(panel)
    assert panel.speed.value() == 1 and client.speed == SPEEDS[1]
    speed.set_index(4)
    assert panel.speed.value() == 4 and client.speed == SPEEDS[4]
    assert panel.speed_text.text() == f"{SPEEDS[4]:g} steps/s"
    panel.speed.setValue(2)
    assert speed.index == 2 and client.speed == SPEEDS[2]


def test_controls_show_the_dataset_in_use_and_keep_the_choice_on_a_failed_load(
    qtbot, client, monkeypatch
):
    choice = DatasetChoice("digits")
    panel = TrainingControlsPanel(client, Speed(), choice)
    qtbot.addWidget(panel)
    assert panel.dataset_box.currentText() == "digits"
    monkeypatch.setattr("gui.panels.training_controls.load_or_explain", lambda *args: (None, "no"))
    panel.load("blobs")
    assert choice.name == "digits" and panel.dataset_box.currentText() == "digits"
    choice.set_name("letters.npz")  # as a loaded file would set it
    assert panel.dataset_box.currentText() == "letters.npz"
