"""The timeline: looking back at a kept step drives every panel (weights, the selected sample's
Jacobian and binary network, the confusion matrix), the loss panel marks it, the status bar says
so; Live and End return; Replay walks the kept steps; training goes on meanwhile."""

from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from gui.colors import SmoothSymmetricLevels
from gui.formatting import compact, percent
from gui.main_window import MainWindow
from gui.panels.binary_output_panel import BinaryOutputPanel
from gui.panels.confusion_panel import ConfusionPanel
from gui.panels.jacobian_panel import JacobianPanel
from gui.panels.loss_panel import LossPanel
from gui.panels.weights_panel import WEIGHT_QUANTILE, WeightsPanel, displayed_levels
from model import TrainingRun, confusion_matrix, softmax, softmax_jacobian
from tests.gui.clients import make_client, server_run

TRAINED = 150  # digits at batch 16: 90 steps an epoch


@pytest.fixture(scope="module")
def shared_window(qapp):
    w = MainWindow(make_client("digits", batch_size=16, seed=1), None)
    w.resize(1400, 900)
    w.show()
    w.controller._transport.server.handle(("train", TRAINED))
    w.controller.wait_until(lambda: w.controller.latest_snapshot.step == TRAINED, 60)
    yield w
    w.controller.shutdown(2000)
    w.close()


@pytest.fixture
def window(shared_window, qtbot):
    """The shared window, live, its loss and weights panels in front, drawn."""
    w = shared_window
    qtbot.waitExposed(w)
    w.timeline.go_live()
    for name in ("LossPanel", "WeightsPanel"):
        w.docks[name].raise_()
    qtbot.waitUntil(lambda: not w.docks["LossPanel"].visibleRegion().isEmpty())
    w.mark_dirty()
    w.redraw()
    yield w


def fresh_weights(dataset, steps):
    """W, b of a headless run of the window's settings after `steps` (the independent answer)."""
    run = TrainingRun(dataset, batch_size=16, learning_rate=0.1, random_state=1)
    run.step(steps)
    return run.classifier.W, run.classifier.b


def newest(window):
    return window.controller.latest_snapshot.step


def look_back(window, qtbot, step):
    window.timeline.show_step(step)
    qtbot.waitUntil(lambda: window.timeline.viewing_step == step)
    window.redraw()


def test_every_panel_shows_the_kept_step(window, qtbot):
    dataset = window.controller.dataset
    window.selection.set_index(7)
    look_back(window, qtbot, 40)
    W, b = fresh_weights(dataset, 40)
    weights = window.panel(WeightsPanel)
    window.docks["WeightsPanel"].raise_()
    assert np.array_equal(weights._W, W) and np.array_equal(weights._b, b)
    # The selected sample's a, J and the binary network, from the kept weights.
    a = softmax(W @ dataset.X_test[7].astype(np.float64) + b)
    jacobian = window.panel(JacobianPanel)
    assert np.allclose(jacobian._frame.sample_jacobian, softmax_jacobian(a), atol=1e-15)
    binary = window.panel(BinaryOutputPanel)
    assert np.allclose(binary._frame.sample_proba, a, atol=1e-15)
    # The confusion matrix of step 40, from predictions the training process made.
    window.docks["ConfusionPanel"].raise_()
    qtbot.waitUntil(lambda: not window.docks["ConfusionPanel"].visibleRegion().isEmpty())
    window.mark_dirty()
    window.redraw()
    predicted = (dataset.X_test.astype(np.float64) @ W.T + b).argmax(axis=1)
    expected = confusion_matrix(dataset.y_test, predicted, dataset.n_classes)
    assert np.array_equal(window.panel(ConfusionPanel).counts, expected)
    # Walking a cell walks the samples as step 40 predicts them, and says step 40.
    confusion = window.panel(ConfusionPanel)
    i = int(np.argmax(np.diag(expected)))
    assert confusion.walk_cell(i, i)
    assert window.selection.walk.note == "its samples at step 40"
    assert np.array_equal(window.selection.walk.indices,
                          np.flatnonzero((dataset.y_test == i) & (predicted == i)))  # fmt: skip
    window.selection.clear_walk()


def test_the_loss_panel_marks_the_step_and_the_status_bar_says_it(window, qtbot):
    loss = window.panel(LossPanel)
    assert not any(line.isVisible() for line in loss.step_marker.lines)
    look_back(window, qtbot, 120)
    assert all(line.isVisible() and line.value() == 120 for line in loss.step_marker.lines)
    assert "step 120" in loss.step_marker.lines[-1].label.toPlainText()
    assert f"Viewing step 120 of {newest(window):,}" in window.status.label.text()
    bar = window.timeline_bar
    assert bar.slider.value() == 120 and bar.slider.maximum() == newest(window)
    assert window.timeline_bar.isVisible() and window.timeline_bar.live_button.isEnabled()
    loss.axes.set_x_axis("epochs")  # the marker follows the axis: step 120 is epoch 1.33
    assert loss.step_marker.lines[0].value() == pytest.approx(120 / 90, abs=0.02)


def test_while_looking_back_the_texts_describe_the_viewed_step_alone(window, qtbot):
    """The status bar said "Viewing step 40 of 150 | Epoch 1 (67%) | step 150 | ... test
    accuracy (of step 150)" and the loss panel's readout the newest step's numbers."""
    dataset = window.controller.dataset
    look_back(window, qtbot, 40)
    latest = window.controller.latest_snapshot
    W, b = fresh_weights(dataset, 40)
    predicted = (dataset.X_test.astype(np.float64) @ W.T + b).argmax(axis=1)
    accuracy = float(np.mean(predicted == dataset.y_test))
    loss_40 = float(latest.step_losses[list(latest.step_loss_steps).index(40)])
    status = window.status.label.text()
    assert status.startswith(f"Viewing step 40 of {newest(window):,} (End: live)")
    assert f"epoch 0 ({40 * 16 / dataset.n_train:.0%})" in status  # 40 minibatches of 16
    assert f"loss {compact(loss_40)}" in status and f"test accuracy {accuracy:.1%}" in status
    for live in (
        f"step {newest(window):,}",
        "samples/s",
        "paused",
        f"{latest.last_test_accuracy:.1%}",
    ):
        assert live not in status
    readout = window.panel(LossPanel).readout.text()
    assert "viewing step 40" in readout and f"accuracy {percent(accuracy)}" in readout
    assert f"step {newest(window):,}" not in readout
    # Step 0 was an evaluation point: its test loss and accuracy are the evaluation's.
    look_back(window, qtbot, 0)
    status = window.status.label.text()
    assert "loss -" in status and f"test accuracy {latest.test_accuracy[0]:.1%}" in status
    assert f"test loss {compact(latest.test_loss[0])}" in window.panel(LossPanel).readout.text()
    window.timeline.go_live()
    window.redraw()
    assert window.panel(LossPanel).readout.text().startswith(f"step {newest(window):,}")


def test_the_weights_colour_levels_fit_the_viewed_step_at_once(window, qtbot):
    """Step 0's weights (about +-0.02) showed blank grey under the live levels (+-0.2) that
    only eased 10 % a frame, and no frame comes while paused."""
    weights = window.panel(WeightsPanel)
    live_limit = weights.levels[1]
    look_back(window, qtbot, 0)
    W0, _ = fresh_weights(window.controller.dataset, 0)
    target = SmoothSymmetricLevels(quantile=WEIGHT_QUANTILE).target(W0)
    assert weights.levels == displayed_levels((-target, target))
    assert weights.levels[1] < live_limit / 2
    window.timeline.go_live()  # and back: the live weights' levels at once
    window.redraw()
    W = server_run(window.controller).classifier.W
    target = SmoothSymmetricLevels(quantile=WEIGHT_QUANTILE).target(W)
    assert weights.levels == displayed_levels((-target, target))


def test_end_and_live_return_to_the_newest_step(window, qtbot):
    look_back(window, qtbot, 30)
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert window.timeline.live
    window.redraw()
    assert "Viewing" not in window.status.label.text()
    assert not window.panel(LossPanel).step_marker.lines[0].isVisible()
    assert np.array_equal(window.panel(WeightsPanel)._W, server_run(window.controller).classifier.W)
    look_back(window, qtbot, 30)
    qtbot.mouseClick(window.timeline_bar.live_button, Qt.MouseButton.LeftButton)
    assert window.timeline.live and window.timeline_bar.slider.value() == newest(window)


def test_dragging_the_slider_shows_the_kept_step_at_or_before(window, qtbot):
    window.timeline_bar.slider.setValue(77)  # as a drag or an arrow key moves it
    qtbot.waitUntil(lambda: window.timeline.viewing_step == 77)  # the first epoch: every step
    run = server_run(window.controller)
    later = int(run.kept_steps[-2]) - 1 if run.kept_steps[-2] - 1 not in run.kept_steps else None
    if later is not None:  # a step between kept ones shows the one before it
        window.timeline_bar.slider.setValue(later)
        qtbot.waitUntil(lambda: window.timeline.viewing_step is not None
                        and window.timeline.viewing_step <= later)  # fmt: skip


def test_training_goes_on_while_looking_back(window, qtbot):
    look_back(window, qtbot, 50)
    before = newest(window)
    window.controller.step(20)
    qtbot.waitUntil(lambda: newest(window) == before + 20)
    window.redraw()
    assert window.timeline.viewing_step == 50
    assert window.timeline_bar.slider.maximum() == before + 20
    assert window.timeline_bar.slider.value() == 50
    assert f"Viewing step 50 of {before + 20:,}" in window.status.label.text()
    # The loss panel keeps growing (it froze where the look-back began), marked at step 50.
    loss = window.panel(LossPanel)
    loss.axes.set_x_axis("steps")
    assert loss.minibatch_curve.xData.max() == before + 20
    assert loss.step_marker.lines[0].value() == 50


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_replay_walks_the_kept_steps_forward_and_ends_live(window, qtbot, monkeypatch):
    clock = FakeClock()  # the test moves time on: no timed assertions
    monkeypatch.setattr("gui.timeline.time", SimpleNamespace(monotonic=clock))
    timeline = window.timeline
    timeline.set_replay_speed(100)
    qtbot.mouseClick(window.timeline_bar.replay_button, Qt.MouseButton.LeftButton)
    assert timeline.replaying and window.timeline_bar.replay_button.text() == "Stop replay"
    qtbot.waitUntil(lambda: timeline.viewing_step == 0)
    # Times exact in binary (1000.3 - 1000 is 0.29999...): every step of epoch 1 is kept.
    for seconds, step in ((0.25, 25), (0.5, 50), (1.25, 125)):
        clock.now = 1000.0 + seconds
        qtbot.waitUntil(lambda step=step: timeline.viewing_step == step)
    clock.now = 1000.0 + newest(window) / 100 + 0.5  # past the newest step: live again
    qtbot.waitUntil(lambda: timeline.live)
    assert window.timeline_bar.replay_button.text() == "Replay"


def test_in_presentation_the_bar_shows_only_while_looking_back(window, qtbot):
    # The status text needs the whole row at projector sizes; Home and End drive the timeline.
    window.presentation.set_active(True, full_screen=False)
    try:
        assert not window.timeline_bar.isVisible()
        window.setFocus()
        qtbot.keyClick(window, Qt.Key.Key_Home)
        qtbot.waitUntil(lambda: window.timeline.viewing_step == 0)
        assert window.timeline_bar.isVisible()
        qtbot.keyClick(window, Qt.Key.Key_End)
        assert window.timeline.live and not window.timeline_bar.isVisible()
    finally:
        window.presentation.set_active(False)
    assert window.timeline_bar.isVisible()


def test_in_presentation_at_1280_the_bar_has_its_own_row_and_the_status_fits(window, qtbot):
    """At 1280 px the status line was cut at "Epoch 1 (20%" and the slider was ~110 px wide:
    in presentation the bar takes a row of its own while it shows."""
    window.presentation.set_active(True, full_screen=False)
    window.resize(1280, 720)
    try:
        look_back(window, qtbot, 64)
        bar, label = window.timeline_bar, window.status.label
        qtbot.waitUntil(lambda: bar.isVisible() and bar.slider.width() > 1280 // 2)
        text = label.text()
        assert text.startswith("Viewing step 64") and "test accuracy" in text
        assert QFontMetrics(label.font()).horizontalAdvance(text) <= label.width()
        assert label.mapTo(window, label.rect().topLeft()).y() >= bar.mapTo(
            window, bar.rect().bottomLeft()
        ).y()  # below the bar, not beside it
    finally:
        window.presentation.set_active(False)
        window.resize(1400, 900)
    window.timeline.go_live()
    qtbot.waitUntil(lambda: label.mapTo(window, label.rect().topLeft()).x() > bar.width())


def test_a_new_run_returns_to_live(window, qtbot):  # the last: it resets the shared run
    look_back(window, qtbot, 10)
    window.timeline.show_step(20)  # asked, and a reset before the answer: it is not shown
    window.controller.reset()
    qtbot.waitUntil(lambda: window.controller.latest_snapshot.step == 0)
    window.controller.poll()
    assert window.timeline.live and window.timeline.view is None
    window.timeline.show_step(0)  # the new run's own step 0
    qtbot.waitUntil(lambda: window.timeline.viewing_step == 0)
