"""LossPanel: the curves show the snapshot's history, in steps or epochs, fast for long runs."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gui.curves import moving_mean, smoothing_half_width, steps_to_epochs
from gui.frame import Frame
from gui.panels.loss_panel import MAX_SYMBOLS, LossPanel
from gui.plotting import configure_pyqtgraph, sizes
from model import TrainingRun, load_dataset


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


@pytest.fixture(scope="module")
def trained(digits):
    """A digits run of 300 steps, evaluated at step 0, every 40 steps and each epoch end."""
    run = TrainingRun(digits, batch_size=32, learning_rate=0.1, random_state=0)
    run.evaluate()
    for _ in range(7):
        run.step(40)
        run.evaluate()
    run.step(20)
    return run.snapshot()


@pytest.fixture
def panel(qtbot, digits):
    configure_pyqtgraph()
    panel = LossPanel()
    qtbot.addWidget(panel)
    panel.set_dataset(digits)
    panel.resize(700, 500)
    panel.show()
    return panel


def show(panel, snapshot, dataset, qapp):
    panel.show_frame(Frame(snapshot, dataset))
    qapp.processEvents()


def data(curve):
    return curve.xData, curve.yData


def n_points(curve):
    """Points a curve holds (pyqtgraph keeps None for no data)."""
    return 0 if curve.yData is None else len(curve.yData)


def direct_moving_mean(values, half_width):
    """The window moving_mean documents, one point at a time."""
    n = len(values)
    out = []
    for i in range(n):
        behind = min(i, half_width)
        ahead = min(behind, n - 1 - i)
        out.append(np.mean(values[i - behind : i + ahead + 1]))
    return np.array(out)


# ---------------------------------------------------------------------- smoothing
def test_moving_mean_by_hand():
    values = np.array([0.0, 3.0, 6.0, 9.0, 12.0])
    # Start: symmetric window shrunk to the point; end: one point behind, none ahead.
    np.testing.assert_allclose(moving_mean(values, 1), [0, 3, 6, 9, 10.5])
    np.testing.assert_allclose(moving_mean(values, 0), values)
    assert moving_mean(np.empty(0), 3).shape == (0,)


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.float64, st.integers(1, 60), elements=st.floats(0, 1e6)),
    st.integers(0, 40),
)
def test_moving_mean_matches_direct_computation(values, half_width):
    smoothed = moving_mean(values, half_width)
    assert smoothed.shape == values.shape
    assert smoothed.min() >= values.min() and smoothed.max() <= values.max()
    np.testing.assert_allclose(
        smoothed, direct_moving_mean(values, half_width), rtol=1e-9, atol=1e-9 * values.max()
    )


def test_moving_mean_of_huge_losses_does_not_overflow():
    values = np.full(1000, 1e300)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(moving_mean(values, 50), values)


# ---------------------------------------------------------------------- curves
def test_curves_show_the_snapshot(panel, trained, digits, qapp):
    show(panel, trained, digits, qapp)
    s = trained
    x, y = data(panel.minibatch_curve)
    np.testing.assert_array_equal(x, s.step_loss_steps)
    np.testing.assert_array_equal(y, s.step_losses)
    for curve, values in (
        (panel.train_loss_curve, s.train_loss),
        (panel.test_loss_curve, s.test_loss),
        (panel.train_accuracy_curve, s.train_accuracy),
        (panel.test_accuracy_curve, s.test_accuracy),
    ):
        x, y = data(curve)
        np.testing.assert_array_equal(x, s.eval_steps)
        np.testing.assert_array_equal(y, values)
    assert panel.accuracy_plot.getAxis("bottom").labelText == "minibatch step"
    assert panel.loss_plot.getAxis("left").labelText == "loss (cross-entropy)"
    assert f"step {s.step}" in panel.readout.text()
    assert f"{100 * s.test_accuracy[-1]:.1f} %" in panel.readout.text()


def test_smoothed_line(panel, trained, digits, qapp):
    show(panel, trained, digits, qapp)
    losses = trained.step_losses
    x, y = data(panel.smooth_curve)
    np.testing.assert_array_equal(x, trained.step_loss_steps)
    assert len(y) == len(losses)
    assert y.min() >= losses.min() and y.max() <= losses.max()
    half_width = smoothing_half_width(len(losses))
    np.testing.assert_allclose(y, direct_moving_mean(losses, half_width))
    # Smoothing removes most of the minibatch noise.
    assert np.std(np.diff(y)) < 0.5 * np.std(np.diff(losses))
    label = panel.loss_legend.getLabel(panel.smooth_curve).text
    assert f"mean of {2 * half_width + 1} minibatches" in label


def test_epochs_axis(panel, trained, digits, qapp):
    show(panel, trained, digits, qapp)
    panel.set_x_axis("epochs")
    assert panel.x_axis == "epochs"
    assert panel.x_axis_box.currentText() == "epochs"
    assert panel.accuracy_plot.getAxis("bottom").labelText.startswith("epoch")
    s = trained
    for curve in (panel.train_loss_curve, panel.test_accuracy_curve):
        np.testing.assert_array_equal(curve.xData, s.eval_epochs)
    x = panel.minibatch_curve.xData
    # At the evaluated steps the minibatch curve sits at the evaluations' epochs.
    at_eval = np.searchsorted(s.step_loss_steps, s.eval_steps[1:])
    np.testing.assert_allclose(x[at_eval], s.eval_epochs[1:])
    # Past the last evaluation it continues at 1 / steps_per_epoch per step.
    assert x[-1] == pytest.approx(s.epochs_float, abs=1.0 / s.steps_per_epoch)
    assert np.all(np.diff(x) > 0)
    np.testing.assert_array_equal(panel.smooth_curve.xData, x)

    panel.set_x_axis("steps")
    np.testing.assert_array_equal(panel.minibatch_curve.xData, s.step_loss_steps)
    with pytest.raises(ValueError):
        panel.set_x_axis("seconds")


def test_steps_to_epochs_without_evaluations(trained):
    empty = np.empty(0)
    s = dataclasses.replace(trained, eval_steps=empty, eval_epochs=empty, steps_per_epoch=45)
    np.testing.assert_allclose(steps_to_epochs(np.array([0.0, 45.0, 90.0]), s), [0, 1, 2])


def test_minibatch_curves_downsample_and_clip(panel):
    for curve, method in ((panel.minibatch_curve, "peak"), (panel.smooth_curve, "mean")):
        assert curve.opts["autoDownsample"] is True
        assert curve.opts["downsampleMethod"] == method
        assert curve.opts["clipToView"] is True


def test_redraws_create_no_items(panel, digits, qapp):
    run = TrainingRun(digits, random_state=1)
    run.evaluate()
    show(panel, run.snapshot(), digits, qapp)
    scene_items = len(panel.graphics.scene().items())
    curves = panel.loss_plot.listDataItems() + panel.accuracy_plot.listDataItems()
    for _ in range(5):
        run.step(30)
        run.evaluate()
        show(panel, run.snapshot(), digits, qapp)
    panel.set_x_axis("epochs")
    panel.set_log_y(True)
    qapp.processEvents()
    assert len(panel.graphics.scene().items()) == scene_items
    assert panel.loss_plot.listDataItems() + panel.accuracy_plot.listDataItems() == curves
    assert len(panel.loss_plot.listDataItems()) == 4


def test_unchanged_snapshot_is_not_set_again(panel, trained, digits, qapp):
    show(panel, trained, digits, qapp)
    x_before = panel.minibatch_curve.xData
    # A new Frame around an equal copy of the history: nothing to redraw.
    show(panel, dataclasses.replace(trained), digits, qapp)
    assert panel.minibatch_curve.xData is x_before


def test_empty_and_short_histories(panel, digits, qapp):
    run = TrainingRun(digits)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        show(panel, run.snapshot(), digits, qapp)  # no evaluation at all
        panel.grab()
        run.evaluate()
        show(panel, run.snapshot(), digits, qapp)  # step 0 with one evaluation
        panel.grab()
        assert n_points(panel.minibatch_curve) == 0
        assert n_points(panel.smooth_curve) == 0
        np.testing.assert_array_equal(panel.test_loss_curve.yData, run.snapshot().test_loss)
        for n in (1, 1, 3):
            run.step(n)
            show(panel, run.snapshot(), digits, qapp)
            panel.grab()
        panel.set_x_axis("epochs")
        panel.set_log_y(True)
        panel.grab()
    np.testing.assert_array_equal(panel.minibatch_curve.yData, run.snapshot().step_losses)
    assert "step 5" in panel.readout.text()


def test_diverged_snapshot_draws(panel, trained, digits, qapp):
    diverged = dataclasses.replace(trained, diverged=True, divergence_message="diverged")
    show(panel, diverged, digits, qapp)
    np.testing.assert_array_equal(panel.minibatch_curve.yData, trained.step_losses)
    assert "diverged" in panel.readout.text()


def test_binned_history_from_a_long_run(panel, qapp):
    blobs = load_dataset("blobs")
    run = TrainingRun(blobs, batch_size=1, max_loss_points=64)
    run.evaluate()
    run.step(3000)
    run.evaluate()
    s = run.snapshot()
    assert len(s.step_losses) < 64  # each point stands for many steps
    show(panel, s, blobs, qapp)
    np.testing.assert_array_equal(panel.minibatch_curve.xData, s.step_loss_steps)
    np.testing.assert_array_equal(panel.minibatch_curve.yData, s.step_losses)
    label = panel.loss_legend.getLabel(panel.smooth_curve).text
    half_width = smoothing_half_width(len(s.step_losses))
    steps_per_point = (s.step_loss_steps[-1] - s.step_loss_steps[0]) / (len(s.step_losses) - 1)
    assert f"{round((2 * half_width + 1) * steps_per_point):,} minibatches" in label


def test_more_than_200k_steps_draw_downsampled(panel, trained, digits, qapp):
    n = 250_000
    steps = np.arange(1, n + 1, dtype=np.float64)
    losses = 0.3 + np.exp(-steps / 1000) + 0.05 * np.sin(steps)
    eval_steps = np.arange(0, n + 1, 45, dtype=np.float64)
    m = len(eval_steps)
    long_run = dataclasses.replace(
        trained,
        step=n,
        step_loss_steps=steps,
        step_losses=losses,
        eval_steps=eval_steps,
        eval_epochs=eval_steps / 45,
        train_loss=np.full(m, 0.3),
        test_loss=np.full(m, 0.35),
        train_accuracy=np.full(m, 0.95),
        test_accuracy=np.full(m, 0.93),
        steps_per_epoch=45,
    )
    show(panel, long_run, digits, qapp)
    panel.grab()
    assert len(panel.minibatch_curve.yData) == n
    # What is painted is about one min-max pair per pixel column, not 250,000 points.
    painted_x, _ = panel.minibatch_curve.curve.getData()
    assert 0 < len(painted_x) <= 4 * panel.loss_plot.vb.width()
    # Thousands of evaluations would merge into a band of symbols: lines only.
    assert m > MAX_SYMBOLS and panel.test_loss_curve.opts["symbol"] is None


# ---------------------------------------------------------------------- controls and look
def test_log_y(panel, trained, digits, qapp):
    show(panel, trained, digits, qapp)
    panel.set_log_y(True)
    assert panel.log_y_box.isChecked()
    assert panel.loss_plot.getAxis("left").logMode
    assert not panel.accuracy_plot.getAxis("left").logMode
    np.testing.assert_array_equal(panel.minibatch_curve.yData, trained.step_losses)
    panel.log_y_box.setChecked(False)
    assert not panel.loss_plot.getAxis("left").logMode


def test_log_axis_labels_only_1_2_5(panel):
    axis = panel.loss_plot.getAxis("left")
    values = np.log10([0.1, 0.2, 0.3, 0.5, 0.9, 1, 2, 4, 5])
    assert axis.logTickStrings(values, 1, 1) == ["0.1", "0.2", "", "0.5", "", "1", "2", "", "5"]


def test_controls_have_tooltips(panel):
    for widget in (panel.x_axis_box, panel.log_y_box, panel.readout):
        assert widget.toolTip()


def test_accuracy_axis_shows_0_to_1(panel, trained, digits, qapp):
    show(panel, trained, digits, qapp)
    low, high = panel.accuracy_plot.vb.viewRange()[1]
    assert low < 0 < 1 < high < 1.2


def test_plots_line_up_in_both_modes(panel, trained, digits, qapp):
    show(panel, trained, digits, qapp)
    for on in (False, True):
        panel.set_presentation(on)
        qapp.processEvents()
        left_edges = [
            p.vb.sceneBoundingRect().left() for p in (panel.loss_plot, panel.accuracy_plot)
        ]
        assert left_edges[0] == pytest.approx(left_edges[1])


def test_presentation_mode(panel, trained, digits, qapp):
    show(panel, trained, digits, qapp)
    panel.set_presentation(True)
    line = sizes(True)["line"]
    assert panel.smooth_curve.opts["pen"].widthF() == line
    assert panel.test_loss_curve.opts["pen"].widthF() == line
    assert panel.loss_legend.getLabel(panel.test_loss_curve).opts["size"] == (
        f"{sizes(True)['label_pt']}pt"
    )
    panel.set_presentation(False)
    assert panel.smooth_curve.opts["pen"].widthF() == sizes(False)["line"]


def test_new_dataset_clears_the_curves(panel, trained, digits, qapp):
    show(panel, trained, digits, qapp)
    panel.set_dataset(load_dataset("blobs"))
    assert n_points(panel.minibatch_curve) == 0
    assert n_points(panel.test_accuracy_curve) == 0
    assert panel.readout.text() == ""
