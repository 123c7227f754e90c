"""LossPanel: the curves show the snapshot's history, in steps or epochs, fast for long runs."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PySide6.QtGui import QFontMetrics, QImage

from gui.curves import (
    MAX_BINS,
    moving_mean,
    nice_ceiling,
    smoothing_half_width,
    steps_to_epochs,
    window_words,
)
from gui.formatting import percent
from gui.frame import Frame
from gui.panels.loss_panel import MAX_SYMBOLS, TEST_COLOR, TRAIN_COLOR, LossPanel
from gui.plotting import configure_pyqtgraph, sizes
from model import TrainingRun, load_dataset
from tests.gui.clients import laid_out_window


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
    assert percent(s.test_accuracy[-1]) in panel.readout.text()


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
    window = round((2 * half_width + 1) * steps_per_point)
    assert f"{window_words(window)} minibatches" in label


def long_history(trained, n=120_000, eval_every=4500, spike_at=54_321):
    """`trained` with a made-up minibatch history of n steps (a spike of 9 at spike_at)."""
    steps = np.arange(1, n + 1, dtype=np.float64)
    losses = 0.3 + np.exp(-steps / 1000) + 0.05 * np.sin(steps)
    if spike_at is not None:
        losses[spike_at] = 9.0
    eval_steps = np.arange(0, n + 1, eval_every, dtype=np.float64)
    m = len(eval_steps)
    return dataclasses.replace(
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


def test_more_than_200k_steps_draw_downsampled(panel, trained, digits, qapp):
    long_run = long_history(trained, n=250_000, eval_every=45, spike_at=None)
    losses, m = long_run.step_losses, len(long_run.eval_steps)
    show(panel, long_run, digits, qapp)
    panel.grab()
    # What is set is at most MAX_BINS bins (a low and a high each), not 250,000 points.
    assert len(panel.minibatch_curve.yData) <= 2 * (MAX_BINS + 1)
    assert panel.minibatch_curve.yData.max() == losses.max()
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


# ---------------------------------------------------------------------- issue 9: readable
def diverging(snapshot):
    """`snapshot` as a diverging run shows it: a huge test loss, a chance-level accuracy."""
    return dataclasses.replace(
        snapshot,
        step=123_456,
        test_loss=np.append(snapshot.test_loss[:-1], 7.02e73),
        test_accuracy=np.append(snapshot.test_accuracy[:-1], 0.098),
        diverged=True,
    )


def readout_fits(panel):
    label = panel.readout
    width = QFontMetrics(label.font()).horizontalAdvance(label.text())
    return width <= label.contentsRect().width()


@pytest.mark.parametrize("width", [260, 400, 700, 1200])
def test_readout_never_clipped_and_loss_compact(panel, trained, digits, qapp, width):
    panel.resize(width, 500)
    show(panel, diverging(trained), digits, qapp)
    assert readout_fits(panel), panel.readout.text()
    assert "0" * 10 not in panel.readout.text()
    # The full wording, with the compact loss, is in the tooltip when the line is shortened.
    assert "7.0e+73" in panel.readout.text() + panel.readout.toolTip()
    if width >= 400:  # (a dock of 1280x720) the readout takes a line of its own if need be
        assert "loss 7.0e+73" in panel.readout.text()
    panel.resize(1200, 500)
    qapp.processEvents()
    assert "test loss 7.0e+73" in panel.readout.text() and "diverged" in panel.readout.text()


@pytest.mark.parametrize("presentation", [False, True])
@pytest.mark.parametrize("size", [(1280, 720), (1600, 1000)])
def test_readout_fits_in_the_main_window(qtbot, trained, digits, qapp, size, presentation):
    with laid_out_window(qtbot, size, presentation, front="LossPanel") as window:
        panel = window.docks["LossPanel"].widget()
        for snapshot in (trained, diverging(trained)):
            panel.show_frame(Frame(snapshot, digits))
            qapp.processEvents()
            if not panel.readout.isVisible():
                # A compact panel (the 1280x720 grid, or presentation there) leaves the line
                # to the status bar, which says the loss and the test accuracy too.
                assert panel.compact and size == (1280, 720)  # not at 1600x1000
                assert "test accuracy" in window.status.label.text()
                continue
            assert readout_fits(panel), (panel.readout.text(), panel.readout.width())


def colour_pixels(image, color, tolerance=40):
    """How many pixels of `image` (a QImage) are within `tolerance` of `color` per channel."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    pixels = (
        np.frombuffer(image.constBits(), np.uint8)
        .reshape(image.height(), image.bytesPerLine())[:, : 3 * image.width()]
        .reshape(image.height(), image.width(), 3)
    )
    return int((np.abs(pixels.astype(int) - color).max(axis=-1) < tolerance).sum())


def test_train_curve_visible_where_it_equals_the_test_curve(panel, trained, digits, qapp):
    same = dataclasses.replace(
        trained, train_accuracy=trained.test_accuracy, train_loss=trained.test_loss
    )
    show(panel, same, digits, qapp)
    for legend in (panel.loss_legend, panel.accuracy_legend):
        legend.hide()
    qapp.processEvents()
    image = panel.graphics.grab().toImage()
    assert colour_pixels(image, TRAIN_COLOR) > 200
    assert colour_pixels(image, TEST_COLOR) > 200
    # Told apart by line style too (a projector or colour blindness may merge the colours).
    for train, test in (
        (panel.train_loss_curve, panel.test_loss_curve),
        (panel.train_accuracy_curve, panel.test_accuracy_curve),
    ):
        assert train.opts["pen"].style() != test.opts["pen"].style()
        assert train.zValue() > test.zValue()


# ---------------------------------------------------------------------- frame cost
def test_nice_ceiling():
    assert [nice_ceiling(v) for v in (0.9, 1.0, 1.1, 3.3, 95, 101, 7e73)] == pytest.approx(
        [1.0, 1.0, 1.2, 4.0, 100, 120, 8e73]
    )


def test_the_smoothing_window_is_exact_up_to_100_then_a_nice_number():
    assert [window_words(n) for n in (5, 81, 100)] == ["5", "81", "100"]
    assert [window_words(n) for n in (101, 1_234, 1_380, 56_789, 95_000)] == [
        "about 100",
        "about 1,200",
        "about 1,500",
        "about 60,000",
        "about 100,000",
    ]
    for n in range(101, 20_000, 7):
        value = int(window_words(n).removeprefix("about ").replace(",", ""))
        assert abs(np.log(value / n)) < np.log(1.16)
    # A growing window changes its words about ten times a decade, not at every step.
    assert len({window_words(n) for n in range(1_000, 10_000)}) == 11


def test_view_follows_the_data_in_few_steps_until_the_user_zooms(panel, digits, qapp):
    run = TrainingRun(digits, batch_size=16, random_state=0)
    run.evaluate()
    ranges = []
    for _ in range(60):
        run.step(5)
        show(panel, run.snapshot(), digits, qapp)
        (x0, x1), (y0, y1) = panel.loss_plot.vb.viewRange()
        s = run.snapshot()
        assert x0 <= s.step_loss_steps[0] and s.step_loss_steps[-1] <= x1
        assert y0 <= s.step_losses.min() and s.step_losses.max() <= y1
        ranges.append((x0, x1, y0, y1))
    assert len(set(ranges)) <= 20  # of 60 frames: axes and grid are redrawn rarely
    panel.loss_plot.vb.sigRangeChangedManually.emit([True, True])
    panel.loss_plot.setXRange(0, 20, padding=0)
    run.step(50)
    show(panel, run.snapshot(), digits, qapp)
    assert panel.loss_plot.vb.viewRange()[0] == pytest.approx([0, 20])  # left as the user set
    panel.loss_plot.vb.enableAutoRange()  # the "A" button: follow again
    show(panel, dataclasses.replace(run.snapshot()), digits, qapp)
    assert panel.loss_plot.vb.viewRange()[0][1] >= run.snapshot().step


def test_the_y_axis_labels_shorten_to_fit_a_short_panel(qtbot):
    """At 1280x720 "loss (cross-entropy)" was longer than its plot was tall and overlapped
    the accuracy's label."""
    from PySide6.QtWidgets import QApplication

    panel = LossPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.resize(600, 600)
    QApplication.processEvents()
    assert panel.loss_plot.getAxis("left").labelText == "loss (cross-entropy)"
    panel.resize(600, 220)
    QApplication.processEvents()
    for plot in (panel.loss_plot, panel.accuracy_plot):
        axis = plot.getAxis("left")
        assert axis.label.boundingRect().width() <= plot.vb.height() + 2
    assert panel.loss_plot.getAxis("left").labelText == "loss"


def test_a_long_history_is_drawn_as_bins_that_keep_every_spike():
    """Issue 8: 150,000 minibatch losses cost 15 ms a frame to set and paint; the panel
    draws at most MAX_BINS bins, each its low and high, so no spike is lost."""
    from gui.curves import MAX_BINS, bin_envelope

    rng = np.random.default_rng(0)
    losses = rng.random(150_001)
    losses[12_345] = 50.0  # one spike
    steps = np.arange(1, len(losses) + 1, dtype=float)
    x, low, high, mean = bin_envelope(steps, losses)
    assert len(x) <= MAX_BINS + 1
    assert high.max() == 50.0 and low.min() == losses.min()
    factor = -(-len(losses) // MAX_BINS)  # the last bin holds what is left over
    full = (len(x) - 1) * factor
    np.testing.assert_allclose(mean[:-1], losses[:full].reshape(-1, factor).mean(axis=1))
    assert mean[-1] == pytest.approx(losses[full:].mean()) and x[-1] == steps[full:].mean()


def test_a_short_panel_folds_its_legends(panel, trained, digits, qapp, qtbot):
    """Issue 14: in a 2 x 2 grid at 1280x720 (a 540 x 260 panel) the loss legend covered the
    curves and the accuracy legend stuck out of its plot."""
    show(panel, trained, digits, qapp)
    smooth = panel.loss_legend.getLabel(panel.smooth_curve)
    assert not panel.compact and panel.accuracy_legend.isVisible()
    assert smooth.text.startswith("smoothed (mean of")
    panel.resize(540, 260)
    qtbot.waitUntil(lambda: panel.compact)
    assert not panel.accuracy_legend.isVisible()
    assert panel.loss_legend.columnCount == 2
    assert smooth.text.startswith("mean of")
    # The legend's layout settles in the event loop: inside the plot once it has.
    qtbot.waitUntil(lambda: panel.loss_plot.vb.sceneBoundingRect().contains(
        panel.loss_legend.sceneBoundingRect()))  # fmt: skip
    panel.resize(700, 500)
    qtbot.waitUntil(lambda: not panel.compact)
    assert panel.accuracy_legend.isVisible() and panel.loss_legend.columnCount == 1
    assert smooth.text.startswith("smoothed (mean of")


def test_a_followed_history_is_binned_to_the_plot_width_and_to_every_bin_when_zoomed(
    panel, trained, digits, qapp
):
    """While the view follows the data, a long history is set as about one bin per pixel
    column (pyqtgraph thinned 2,000 bins on every setData, half a millisecond a frame); every
    spike stays. Zoomed by the user, it is drawn again with every bin, to zoom into."""
    from gui.curves import MAX_BINS, MIN_BINS

    show(panel, long_history(trained), digits, qapp)
    width = panel.loss_plot.vb.width() * panel.graphics.devicePixelRatioF()
    bins = len(panel.minibatch_curve.yData) // 2
    assert MIN_BINS <= bins <= max(MIN_BINS, width) + 1 < MAX_BINS
    assert panel.minibatch_curve.yData.max() == 9.0  # the spike is one bin's high
    # The user zooms into the x-axis (as a wheel turn over the plot does).
    vb = panel.loss_plot.vb
    vb.scaleBy(x=0.5)
    vb.sigRangeChangedManually.emit([True, False])
    qapp.processEvents()
    assert len(panel.minibatch_curve.yData) // 2 >= MAX_BINS - 1
    assert panel.minibatch_curve.yData.max() == 9.0


def test_a_paused_history_is_binned_again_when_the_plot_widens(panel, trained, digits, qapp):
    """Drawn narrow (the first frame comes before the window is shown), then widened with no
    new snapshot (paused): the band took the narrow plot's bins, too few for the new width."""
    panel.resize(320, 400)
    qapp.processEvents()
    show(panel, long_history(trained), digits, qapp)
    narrow = len(panel.minibatch_curve.yData) // 2
    panel.resize(1500, 400)
    qapp.processEvents()
    width = panel.loss_plot.vb.width() * panel.graphics.devicePixelRatioF()
    wide = len(panel.minibatch_curve.yData) // 2
    assert wide > 2 * narrow and abs(wide - width) <= 0.1 * width + 1
