"""SamplePanel: the controls write the selection, and the picture and text follow the frame."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from gui.frame import Frame
from gui.panels.sample_panel import (
    PIXEL_LEVELS,
    RIGHT_COLOR,
    VERDICT_SCALE,
    WRONG_COLOR,
    SamplePanel,
)
from gui.plotting import configure_pyqtgraph
from gui.selection import SampleSelection
from model import Dataset, TrainingRun, load_dataset


@pytest.fixture(scope="module", autouse=True)
def _pyqtgraph_options():
    configure_pyqtgraph()


@pytest.fixture(scope="module")
def digits():
    """Digits after a few steps: a model that still gets many test samples wrong."""
    dataset = load_dataset("digits")
    run = TrainingRun(dataset, random_state=0)
    run.step(5)
    return dataset, run.snapshot()


@pytest.fixture(scope="module")
def blobs():
    dataset = load_dataset("blobs")
    run = TrainingRun(dataset, random_state=0)
    run.step(20)
    return dataset, run.snapshot()


@pytest.fixture(scope="module")
def perfect():
    """Three 3-D points and weights that classify all of them right (no image shape)."""
    X = np.eye(3, dtype=np.float32)
    y = np.arange(3)
    dataset = Dataset("tiny", X, y, X, y, None, ("a", "b", "c"), "test")
    snapshot = TrainingRun(dataset).snapshot()
    snapshot = dataclasses.replace(snapshot, W=10 * np.eye(3), b=np.zeros(3))
    return dataset, snapshot


def make_panel(qtbot, dataset, snapshot):
    selection = SampleSelection(dataset.n_test)
    panel = SamplePanel(selection)
    qtbot.addWidget(panel)
    panel.set_dataset(dataset)
    panel.show_frame(Frame(snapshot, dataset, selection.index))
    return panel, selection


def redraw(panel, snapshot, dataset, selection) -> Frame:
    """What the main window's timer does: a frame for the current selection."""
    frame = Frame(snapshot, dataset, selection.index)
    panel.show_frame(frame)
    return frame


def test_next_and_previous_buttons_move_the_selection_and_spin_box(qtbot, digits):
    panel, selection = make_panel(qtbot, *digits)
    qtbot.mouseClick(panel.navigation.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.navigation.next_button, Qt.MouseButton.LeftButton)
    assert selection.index == 2 and panel.navigation.index_spin.value() == 2
    qtbot.mouseClick(panel.navigation.previous_button, Qt.MouseButton.LeftButton)
    assert selection.index == 1 and panel.navigation.index_spin.value() == 1
    # At the first sample, Previous stays there (the selection clamps).
    selection.set_index(0)
    qtbot.mouseClick(panel.navigation.previous_button, Qt.MouseButton.LeftButton)
    assert selection.index == 0 and panel.navigation.index_spin.value() == 0


def test_spin_box_writes_the_selection_once(qtbot, digits):
    panel, selection = make_panel(qtbot, *digits)
    emitted = []
    selection.changed.connect(emitted.append)
    panel.navigation.index_spin.setValue(17)
    assert selection.index == 17
    assert emitted == [17]  # no echo back from the spin box


def test_selection_changed_elsewhere_updates_the_spin_box(qtbot, digits):
    panel, selection = make_panel(qtbot, *digits)
    emitted = []
    selection.changed.connect(emitted.append)
    selection.set_index(123)
    assert panel.navigation.index_spin.value() == 123
    assert emitted == [123]


def test_next_misclassified_jumps_forward_and_wraps(qtbot, digits):
    dataset, snapshot = digits
    panel, selection = make_panel(qtbot, dataset, snapshot)
    frame = redraw(panel, snapshot, dataset, selection)
    wrong = np.flatnonzero(frame.test_proba.argmax(axis=1) != dataset.y_test)
    assert wrong.size >= 2, "the fixture model should still make mistakes"

    start = int(wrong[0])
    selection.set_index(start)
    redraw(panel, snapshot, dataset, selection)
    qtbot.mouseClick(panel.navigation.misclassified_button, Qt.MouseButton.LeftButton)
    assert selection.index == wrong[1] and panel.navigation.index_spin.value() == wrong[1]
    assert f"2 of {wrong.size}" in panel.navigation.status_label.text()

    selection.set_index(int(wrong[-1]))
    qtbot.mouseClick(panel.navigation.misclassified_button, Qt.MouseButton.LeftButton)
    assert selection.index == wrong[0]  # wrapped around to the first one


def test_next_misclassified_with_none_wrong_stays_and_says_so(qtbot, perfect):
    dataset, snapshot = perfect
    panel, selection = make_panel(qtbot, dataset, snapshot)
    selection.set_index(1)
    frame = redraw(panel, snapshot, dataset, selection)
    assert (frame.test_predictions == dataset.y_test).all()
    qtbot.mouseClick(panel.navigation.misclassified_button, Qt.MouseButton.LeftButton)
    assert selection.index == 1
    assert "none misclassified" in panel.navigation.status_label.text()


def test_the_picture_is_set_again_only_for_a_new_sample(qtbot, digits, monkeypatch):
    """Issue 8: setImage on every frame repainted the picture 30 times a second while it
    showed the same sample (about 1 ms of each frame's paint)."""
    import dataclasses

    dataset, snapshot = digits
    panel, selection = make_panel(qtbot, dataset, snapshot)
    calls = []
    original = panel.picture.image_item.setImage
    monkeypatch.setattr(
        panel.picture.image_item, "setImage", lambda *a, **k: (calls.append(1), original(*a, **k))
    )
    selection.set_index(3)
    redraw(panel, snapshot, dataset, selection)
    later = dataclasses.replace(snapshot, step=snapshot.step + 1)
    redraw(panel, later, dataset, selection)
    assert len(calls) == 1
    selection.set_index(4)
    frame = redraw(panel, later, dataset, selection)
    assert len(calls) == 2
    np.testing.assert_array_equal(panel.picture.image_item.image, frame.sample_x.reshape(8, 8))


def test_image_is_the_sample_reshaped_with_fixed_levels(qtbot, digits):
    dataset, snapshot = digits
    panel, selection = make_panel(qtbot, dataset, snapshot)
    selection.set_index(42)
    frame = redraw(panel, snapshot, dataset, selection)
    np.testing.assert_array_equal(panel.picture.image_item.image, frame.sample_x.reshape(8, 8))
    assert tuple(panel.picture.image_item.getLevels()) == PIXEL_LEVELS
    assert panel.picture.views.currentWidget() is panel.picture.image_view
    assert "#42" in panel.picture.caption_label.text()
    # It wraps between phrases, never inside one ("28×28 / px" at 1280x800 presentation).
    rows, cols = panel.picture.image_item.image.shape[:2]
    assert f"{rows}×{cols}\u00a0px" in panel.picture.caption_label.text()


def test_verdict_text_and_colour_follow_the_frame(qtbot, digits):
    dataset, snapshot = digits
    panel, selection = make_panel(qtbot, dataset, snapshot)
    frame = redraw(panel, snapshot, dataset, selection)
    wrong = np.flatnonzero(frame.test_predictions != dataset.y_test)
    right = np.flatnonzero(frame.test_predictions == dataset.y_test)
    for index, color in ((wrong[0], WRONG_COLOR), (right[0], RIGHT_COLOR)):
        selection.set_index(int(index))
        frame = redraw(panel, snapshot, dataset, selection)
        p = frame.sample_proba[frame.sample_prediction]
        mark = "✓" if color == RIGHT_COLOR else "✗"
        first, second = panel.verdict_label.text().split("\n")  # two short lines
        assert first == f"{mark} true {frame.sample_label}"
        assert second.startswith(f"predicted {frame.sample_prediction} ")
        assert second.endswith(f" = {p:.2f})")
        assert panel.verdict_color() == color
        assert panel.verdict_label.label.palette().color(QPalette.ColorRole.WindowText) == color
        top = np.argsort(-frame.sample_proba)[0]
        assert f"{frame.sample_proba[top]:.3f}" in panel.details.top_label.text()
        a_y = frame.sample_proba[frame.sample_label]
        loss = panel.details.true_label.text().replace("\xa0", " ")  # no-break spaces: wraps at one
        assert f"−log {a_y:.3f} = {-np.log(a_y):.2f}" in loss


def test_mnist_image_shape(qtbot):
    dataset = load_dataset("mnist")
    snapshot = TrainingRun(dataset, random_state=0).snapshot()
    panel, selection = make_panel(qtbot, dataset, snapshot)
    selection.set_index(dataset.n_test - 1)
    frame = redraw(panel, snapshot, dataset, selection)
    assert panel.picture.image_item.image.shape == (28, 28)
    np.testing.assert_array_equal(panel.picture.image_item.image, frame.sample_x.reshape(28, 28))


def test_blobs_show_the_point_its_features_and_the_mistakes(qtbot, blobs, digits):
    dataset, snapshot = blobs
    panel, selection = make_panel(qtbot, *digits)
    selection.set_index(300)  # beyond the blobs test set (200 samples)
    panel.set_dataset(dataset)
    assert panel.navigation.index_spin.maximum() == dataset.n_test - 1
    selection.set_n_samples(dataset.n_test)  # the main window's part
    assert panel.navigation.index_spin.value() == 0
    selection.set_index(7)
    frame = redraw(panel, snapshot, dataset, selection)
    assert panel.picture.views.currentWidget() is panel.picture.scatter_view
    xs, ys = panel.picture.scatter_view.selected_point.getData()
    np.testing.assert_allclose([xs[0], ys[0]], frame.sample_x)
    wrong = frame.test_predictions != dataset.y_test
    assert len(panel.picture.scatter_view.wrong_points.getData()[0]) == wrong.sum()
    assert f"x₁\u00a0=\u00a0{frame.sample_x[0]:.2f}" in panel.picture.caption_label.text()
    assert f"x₂\u00a0=\u00a0{frame.sample_x[1]:.2f}" in panel.picture.caption_label.text()
    assert f"true {dataset.class_names[frame.sample_label]}\n" in panel.verdict_label.text()
    assert panel.picture.scatter_view.scatter_plot.getAxis("bottom").labelText == "x₁"
    assert panel.picture.scatter_view.scatter_plot.getAxis("left").labelText == "x₂"
    assert all(name in panel.picture.legend_label.text() for name in dataset.class_names)
    assert [len(item.getData()[0]) for item in panel.picture.scatter_view.class_points] == list(
        np.bincount(dataset.y_test, minlength=dataset.n_classes)
    )


def test_back_to_images_and_presentation(qtbot, blobs, digits):
    panel, selection = make_panel(qtbot, *blobs)
    panel.set_dataset(digits[0])
    redraw(panel, digits[1], digits[0], selection)
    assert panel.picture.views.currentWidget() is panel.picture.image_view
    assert not panel.picture.legend_label.isVisibleTo(panel)
    panel.set_presentation(True)
    assert panel.picture.scatter_view.scatter_plot.getAxis("bottom").label.font().pointSize() == 18


def test_verdict_is_bold_and_follows_the_application_font(qtbot, digits):
    """Presentation mode and Ctrl+= change the application font; the verdict scales with it."""
    panel, _ = make_panel(qtbot, *digits)
    panel.resize(700, 600)
    base = panel.font().pointSizeF()
    verdict = panel.verdict_label.font()
    assert verdict.bold()
    assert verdict.pointSizeF() == pytest.approx(VERDICT_SCALE * base)
    big = QFont(panel.font())
    big.setPointSizeF(18)
    panel.setFont(big)  # what QApplication.setFont does to every widget
    assert panel.verdict_label.font().pointSizeF() == pytest.approx(VERDICT_SCALE * 18)


def test_every_control_has_a_tooltip(qtbot, digits):
    panel, _ = make_panel(qtbot, *digits)
    for control in (
        panel.navigation.index_spin, panel.navigation.previous_button, panel.navigation.next_button,
        panel.navigation.misclassified_button, panel.navigation.random_button,
    ):  # fmt: skip
        assert control.toolTip().endswith(".")


def test_random_stays_in_range(qtbot, digits):
    panel, selection = make_panel(qtbot, *digits)
    for _ in range(20):
        qtbot.mouseClick(panel.navigation.random_button, Qt.MouseButton.LeftButton)
        assert 0 <= selection.index < digits[0].n_test
        assert panel.navigation.index_spin.value() == selection.index


def settle(panel, width: int, height: int) -> None:
    panel.resize(width, height)
    panel.show()
    for _ in range(3):  # nested layouts activate through posted events
        QApplication.processEvents()


def assert_nothing_cut_off(panel) -> None:
    """Every visible part lies inside the panel and has at least the size its content needs."""
    nav, picture = panel.navigation, panel.picture
    parts = [
        nav.index_label, nav.index_spin, nav.previous_button, nav.next_button,
        nav.misclassified_button, nav.random_button, nav.status_label,
        panel.verdict_label, picture.views, picture.caption_label, picture.legend_label,
        panel.details.top_label, panel.details.true_label,
    ]  # fmt: skip
    for part in parts:
        if not part.isVisibleTo(panel):
            continue
        rect = QRect(part.mapTo(panel, QPoint(0, 0)), part.size())
        assert panel.rect().contains(rect), f"{part!r} at {rect} leaves {panel.rect()}"
        if part is panel.picture.views:
            continue
        hint = part.sizeHint()
        needed = part.heightForWidth(part.width()) if part.hasHeightForWidth() else hint.height()
        assert part.height() >= needed, f"{part!r} squeezed to {part.height()} < {needed}"
        if not part.hasHeightForWidth():  # text that cannot wrap must get its full width
            assert part.width() >= hint.width(), f"{part!r} squeezed to {part.width()}"
    # Each line of the verdict fits in one line of its label.
    metrics = panel.verdict_label.fontMetrics()
    for line in panel.verdict_label.text().split("\n"):
        assert metrics.horizontalAdvance(line) <= panel.verdict_label.width()


def below(upper, lower) -> bool:
    return upper.mapTo(upper.window(), QPoint(0, upper.height())).y() <= lower.mapTo(
        lower.window(), QPoint(0, 0)
    ).y()


def test_narrow_dock_stacks_a_square_picture_over_the_text(qtbot, digits):
    """The desk layout gives the inspector about 360 x 520 px: picture on top, text below."""
    dataset, snapshot = digits
    panel, selection = make_panel(qtbot, dataset, snapshot)
    frame = redraw(panel, snapshot, dataset, selection)
    selection.set_index(int(np.flatnonzero(frame.test_predictions != dataset.y_test)[0]))
    redraw(panel, snapshot, dataset, selection)
    settle(panel, 360, 520)
    assert panel.stacked
    assert panel.picture.views.width() == panel.picture.views.height() >= 200
    assert below(panel.verdict_label, panel.picture.views)
    assert below(panel.picture.caption_label, panel.details.top_label)
    assert below(panel.details.top_label, panel.details.true_label)
    assert "\n" not in panel.picture.caption_label.text()
    caption = panel.picture.caption_label
    assert caption.height() < 2 * caption.fontMetrics().lineSpacing()
    assert_nothing_cut_off(panel)
    qtbot.mouseClick(panel.navigation.misclassified_button, Qt.MouseButton.LeftButton)
    assert panel.navigation.status_label.isVisibleTo(panel)
    settle(panel, 360, 520)
    assert_nothing_cut_off(panel)


def test_wide_panel_puts_the_text_beside_the_picture(qtbot, digits):
    panel, _ = make_panel(qtbot, *digits)
    settle(panel, 900, 600)
    assert not panel.stacked
    views = panel.picture.views.mapTo(panel, QPoint(panel.picture.views.width(), 0))
    assert panel.details.mapTo(panel, QPoint(0, 0)).x() >= views.x()
    assert panel.picture.views.width() == panel.picture.views.height() > 400
    assert_nothing_cut_off(panel)
    settle(panel, 360, 520)  # and back when the dock narrows again
    assert panel.stacked
    assert_nothing_cut_off(panel)


def test_blobs_scatter_stays_readable_in_a_narrow_dock(qtbot, blobs):
    panel, _ = make_panel(qtbot, *blobs)
    settle(panel, 360, 520)
    assert panel.stacked
    plot_area = panel.picture.scatter_view.scatter_plot.getViewBox().boundingRect()
    assert min(plot_area.width(), plot_area.height()) >= 235
    assert_nothing_cut_off(panel)


def test_presentation_tab_fits_its_width_at_18_pt(qtbot, blobs):
    """Presentation mode: a tab about 420 x 850 px, application font 18 pt."""
    panel, selection = make_panel(qtbot, *blobs)
    big = QFont(panel.font())
    big.setPointSizeF(18)
    panel.setFont(big)
    panel.set_presentation(True)
    assert panel.minimumWidth() <= 420
    settle(panel, 420, 850)
    assert panel.stacked
    assert panel.picture.views.width() >= 350
    assert_nothing_cut_off(panel)
    qtbot.mouseClick(panel.navigation.misclassified_button, Qt.MouseButton.LeftButton)
    redraw(panel, blobs[1], blobs[0], selection)
    settle(panel, 420, 850)
    assert_nothing_cut_off(panel)
