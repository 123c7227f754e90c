"""ConfusionPanel: the test set's counts by true class and prediction, coloured by row share,
read out on hover, and walked in the sample inspector on a click."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFontInfo, QFontMetricsF

from gui.colors import share_colormap
from gui.frame import Frame
from gui.panels.confusion_panel import (
    HINTS,
    LEVELS,
    TEXT_COLORS,
    ConfusionPanel,
    cell_at,
    describe_cell,
)
from gui.selection import SampleSelection
from model import ProbabilitySummary, TrainingRun, confusion_matrix, load_dataset
from tests.model.dataset_files import make_digits, write_pair


@pytest.fixture(scope="module")
def fashion(tmp_path_factory):
    """A Fashion-MNIST-style file: 10 classes with long names."""
    folder = tmp_path_factory.mktemp("files") / "fashion-mnist"
    images, labels = make_digits(300, shape=(28, 28))
    write_pair(folder, "train", images, labels)
    return load_dataset(folder)


def frame_predicting(dataset, predicted, sample_index=0) -> Frame:
    """A frame whose test-set predictions are `predicted`, as the training process sends them."""
    snapshot = TrainingRun(dataset, random_state=0).snapshot()
    predicted = np.asarray(predicted, dtype=np.int64)
    ones = np.ones(len(predicted))
    right = predicted == dataset.y_test
    summary = ProbabilitySummary(ones, 0 * ones, predicted, right, float(right.mean()))
    return Frame(dataclasses.replace(snapshot, test_summary=summary), dataset, sample_index)


def trained_frame(dataset, steps, sample_index=0) -> Frame:
    run = TrainingRun(dataset, random_state=0)
    run.step(steps)
    return Frame(run.snapshot(), dataset, sample_index)


def eights_read_as_fours(dataset, n=37):
    """Every test sample predicted right except the first `n` 8s, predicted 4."""
    predicted = dataset.y_test.copy()
    eights = np.flatnonzero(dataset.y_test == 8)[:n]
    predicted[eights] = 4
    return predicted, eights


def make_panel(qtbot, dataset, size=(800, 600)):
    selection = SampleSelection(dataset.n_test)
    panel = ConfusionPanel(selection)
    qtbot.addWidget(panel)
    panel.set_dataset(dataset)
    panel.resize(*size)
    panel.show()
    qtbot.waitExposed(panel)
    return panel, selection


def viewport_pos(panel, i, j):
    """Where the centre of cell (i, j) is on the view's viewport: column j across, row i down."""
    return panel.view.mapFromScene(panel.plot.vb.mapViewToScene(QPointF(j, i)))


def click_cell(qtbot, panel, i, j):
    """A real left click on cell (i, j), on the view's viewport."""
    point = viewport_pos(panel, i, j)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def tick_texts(axis) -> list[str]:
    return [text for _, text in axis._tickLevels[0]]


# ---------------------------------------------------------------- what it shows
def test_counts_are_the_confusion_matrix_of_the_frames_predictions(qtbot, digits):
    panel, _ = make_panel(qtbot, digits)
    frame = trained_frame(digits, 30)
    panel.show_frame(frame)
    y, predicted = digits.y_test, frame.test_predictions
    expected = confusion_matrix(y, predicted, 10)
    np.testing.assert_array_equal(panel.counts, expected)
    # Each cell independently: its samples counted here, and its text on screen.
    for i in range(10):
        for j in range(10):
            n = int(np.sum((y == i) & (predicted == j)))
            assert panel.counts[i, j] == n
            assert panel.counts_text.text(i, j) == f"{n:,}"
    shares = expected / expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(panel.image.image, shares)
    assert tuple(panel.image.getLevels()) == LEVELS == (0.0, 1.0)
    assert tuple(panel.colorbar.levels()) == LEVELS
    accuracy = np.mean(predicted == y)
    assert f"accuracy {100 * accuracy:.1f} %" in panel.heading.text()
    assert f"{int(np.sum(predicted == y)):,} of {digits.n_test:,} right" in panel.heading.text()
    recall = [f"{np.mean(predicted[y == i] == i):.0%}" for i in range(10)]
    assert tick_texts(panel.plot.getAxis("right")) == recall


def test_text_is_white_on_dark_cells_black_on_light_ones_and_grey_for_none(qtbot, digits):
    panel, _ = make_panel(qtbot, digits)
    predicted, _ = eights_read_as_fours(digits, 3)  # 3 of the about 35 8s
    panel.show_frame(frame_predicting(digits, predicted))
    table = share_colormap().getLookupTable(0, 1, 256, alpha=False) / 255
    luminance = table @ [0.2126, 0.7152, 0.0722]
    assert luminance[-1] < 0.45 < luminance[0]  # the map runs from light to dark
    grey, black, white = TEXT_COLORS
    assert panel.counts_text.color(0, 0) == pg_color(white)  # all of class 0: darkest
    assert panel.counts_text.color(0, 1) == pg_color(grey)  # none
    assert panel.counts_text.color(8, 4).lightness() < 50  # a light cell: black text
    assert panel.counts_text.color(8, 4) == pg_color(black)


def pg_color(spec):
    import pyqtgraph as pg

    return pg.mkColor(spec)


def test_the_panel_follows_training(qtbot, digits):
    panel, _ = make_panel(qtbot, digits)
    panel.show_frame(trained_frame(digits, 0))
    before = panel.counts.copy()
    later = trained_frame(digits, 40)
    panel.show_frame(later)
    assert not np.array_equal(panel.counts, before)
    np.testing.assert_array_equal(
        panel.counts, confusion_matrix(digits.y_test, later.test_predictions, 10)
    )


def test_an_unchanged_frame_repaints_nothing(qtbot, digits, monkeypatch):
    panel, selection = make_panel(qtbot, digits)
    frame = trained_frame(digits, 10)
    panel.show_frame(frame)
    updates = []
    monkeypatch.setattr(panel.counts_text, "update", lambda *a: updates.append(a))
    monkeypatch.setattr(panel.image, "setImage", lambda *a, **k: updates.append(a))
    panel.show_frame(Frame(frame.snapshot, digits, 5))  # another sample, same snapshot
    same_counts = dataclasses.replace(frame.snapshot)  # a new snapshot, the same predictions
    panel.show_frame(Frame(same_counts, digits, 5))
    assert updates == []


# ---------------------------------------------------------------- hover
def test_cell_at_rounds_to_the_nearest_cell_centre():
    assert cell_at(0.0, 0.0, 4) == (0, 0)
    assert cell_at(2.4, 0.6, 4) == (1, 2)
    assert cell_at(-0.6, 1, 4) is None and cell_at(1, 3.6, 4) is None


def test_describe_cell_says_true_predicted_count_and_share_of_the_test_set():
    counts = np.diag(np.full(10, 200))  # 2,000 test samples, 200 a class ...
    counts[8, 8], counts[8, 4], counts[8, 3] = 160, 37, 3  # ... 37 of the 8s read as 4
    digits = [str(k) for k in range(10)]
    wordings = describe_cell(counts, 8, 4, digits)
    assert wordings[-1] == "true 8, predicted 4: 37 test samples (1.9 %)"
    assert all(w.startswith(wordings[-1]) for w in wordings)
    assert "18.5 % of the 200 of class 8" in wordings[0] and "click" in wordings[0]
    assert describe_cell(counts, 8, 3, digits)[-1] == "true 8, predicted 3: 3 test samples (0.1 %)"
    assert "nothing to walk" in describe_cell(counts, 0, 1, digits)[0]
    one = np.array([[1, 0], [0, 1]])
    assert describe_cell(one, 0, 0, ["A", "B"])[-1] == "true A, predicted A: 1 test sample (50.0 %)"


def test_hovering_a_cell_reads_it_out(qtbot, digits):
    panel, _ = make_panel(qtbot, digits)
    predicted, eights = eights_read_as_fours(digits, 5)
    panel.show_frame(frame_predicting(digits, predicted))
    panel.hover_at(panel.plot.vb.mapViewToScene(QPointF(4, 8)))
    assert panel.hover_cell == (8, 4)
    share = f"{100 * 5 / digits.n_test:.1f} %"
    assert panel.readout.text().startswith(f"true 8, predicted 4: 5 test samples ({share})")
    # A real mouse move over the viewport does the same.
    qtbot.mouseMove(panel.view.viewport(), viewport_pos(panel, 2, 2))
    qtbot.waitUntil(lambda: panel.hover_cell == (2, 2))
    assert panel.readout.text().startswith("true 2, predicted 2:")
    panel.hover_at(QPointF(-50, -50))  # off the matrix: the hint again
    assert panel.readout.text() in HINTS


# ---------------------------------------------------------------- click: walk the cell
def test_a_click_on_a_cell_walks_its_samples_in_the_inspector(qtbot, digits):
    panel, selection = make_panel(qtbot, digits)
    predicted, eights = eights_read_as_fours(digits, 4)
    panel.show_frame(frame_predicting(digits, predicted))
    click_cell(qtbot, panel, 8, 4)
    walk = selection.walk
    assert walk is not None and list(walk.indices) == list(eights)
    assert selection.index == eights[0]
    assert walk.label == "true 8 → predicted 4" and "at step 0" in walk.note
    assert panel.walk_outline.isVisible()
    assert panel.walk_outline.rect().center() == QPointF(4, 8)
    seen = []
    for _ in range(len(eights)):
        selection.step(+1)
        seen.append(selection.index)
    assert sorted(seen) == sorted(eights)  # all of them, and only them
    selection.step(-1)
    assert selection.index in eights
    selection.clear_walk()  # Leave
    assert not panel.walk_outline.isVisible()


def test_the_cell_is_taken_from_the_predictions_at_the_click(qtbot, digits):
    """Predictions change while training: the walk keeps the samples of the moment of the
    click, the outline goes when the walk ends by any means."""
    panel, selection = make_panel(qtbot, digits)
    early, late = trained_frame(digits, 1), trained_frame(digits, 60)
    panel.show_frame(early)
    i = 3
    j = int(np.bincount(early.test_predictions[digits.y_test == i], minlength=10).argmax())
    assert panel.walk_cell(i, j)
    expected = np.flatnonzero((digits.y_test == i) & (early.test_predictions == j))
    panel.show_frame(late)
    assert list(selection.walk.indices) == list(expected)
    selection.set_index(0)  # e.g. an index typed
    assert selection.walk is None and not panel.walk_outline.isVisible()


def test_an_empty_cell_starts_no_walk_and_says_so(qtbot, digits):
    panel, selection = make_panel(qtbot, digits)
    panel.show_frame(frame_predicting(digits, digits.y_test))  # all right: off-diagonal empty
    click_cell(qtbot, panel, 1, 7)
    assert selection.walk is None
    assert "nothing to walk" in panel.readout.text()


def test_the_selected_samples_cell_is_outlined(qtbot, digits):
    panel, _ = make_panel(qtbot, digits)
    predicted, eights = eights_read_as_fours(digits, 3)
    panel.show_frame(frame_predicting(digits, predicted, sample_index=int(eights[1])))
    assert panel.sample_outline.isVisible()
    assert panel.sample_outline.rect().center() == QPointF(4, 8)


def test_a_drawing_outlines_no_cell(qtbot, digits):
    """A drawing is in no cell of the test set: the outline went to (intended class, the
    hidden test sample's prediction), a cell meaning nothing (found in review)."""
    from gui.frame import DrawnSample

    panel, _ = make_panel(qtbot, digits)
    predicted, eights = eights_read_as_fours(digits, 3)
    frame = frame_predicting(digits, predicted, sample_index=int(eights[1]))
    drawn = DrawnSample(np.zeros(digits.n_features, np.float32), label=3)
    panel.show_frame(Frame(frame.snapshot, digits, int(eights[1]), drawn=drawn))
    assert not panel.sample_outline.isVisible()
    panel.show_frame(frame)
    assert panel.sample_outline.isVisible()


# ---------------------------------------------------------------- datasets
def test_blobs_is_four_by_four_with_class_names(qtbot, blobs):
    panel, selection = make_panel(qtbot, blobs)
    frame = trained_frame(blobs, 20)
    panel.show_frame(frame)
    assert panel.counts.shape == (4, 4)
    np.testing.assert_array_equal(
        panel.counts, confusion_matrix(blobs.y_test, frame.test_predictions, 4)
    )
    for axis in ("left", "bottom"):
        assert tick_texts(panel.plot.getAxis(axis)) == ["A", "B", "C", "D"]
    assert panel.counts_text.text(3, 3) == f"{panel.counts[3, 3]:,}"
    panel.hover_at(panel.plot.vb.mapViewToScene(QPointF(1, 2)))
    assert panel.readout.text().startswith("true C, predicted B:")
    i = int(np.argmax(panel.counts.diagonal()))
    click_cell(qtbot, panel, i, i)
    assert selection.walk.label == f"true {'ABCD'[i]} → predicted {'ABCD'[i]}"


def test_long_class_names_tick_by_index_and_are_named_in_the_tooltip_and_read_out(qtbot, fashion):
    panel, _ = make_panel(qtbot, fashion)
    panel.show_frame(trained_frame(fashion, 5))
    for axis in ("left", "bottom"):
        assert tick_texts(panel.plot.getAxis(axis)) == [str(k) for k in range(10)]
    assert "9 Ankle boot" in panel.view.toolTip() and "0 T-shirt/top" in panel.view.toolTip()
    panel.hover_at(panel.plot.vb.mapViewToScene(QPointF(4, 9)))
    assert panel.readout.text().startswith("true 9 (Ankle boot), predicted 4 (Coat):")


def test_a_new_class_count_rebuilds_every_cell(qtbot, digits, blobs):
    """An earlier crash: per-item lists of the old class count painted after a switch."""
    panel, _ = make_panel(qtbot, digits)
    panel.show_frame(trained_frame(digits, 5))
    panel.walk_cell(0, 0)
    for dataset, C in ((blobs, 4), (digits, 10), (blobs, 4)):
        stale = panel._frame
        panel.set_dataset(dataset)
        panel.grab()  # painted before its first frame, as a window is
        assert panel.counts_text.boundingRect().width() == C
        assert panel.image.image.shape == (C, C)
        assert len(tick_texts(panel.plot.getAxis("right"))) == C
        assert not panel.walk_outline.isVisible()
        panel.show_frame(stale)  # the old dataset's last frame arrives late: rebuilt for it
        panel.show_frame(trained_frame(dataset, 3))
        panel.grab()
        assert panel.counts.shape == (C, C)
        assert panel.counts_text.text(C - 1, C - 1) == f"{panel.counts[C - 1, C - 1]:,}"


# ---------------------------------------------------------------- presentation
def test_presentation_mode_writes_counts_readable_from_the_back(qtbot, digits):
    panel, _ = make_panel(qtbot, digits, size=(1100, 800))
    panel.show_frame(trained_frame(digits, 30))
    desk = QFontInfo(panel.counts_text.font()).pixelSize()
    panel.set_presentation(True)
    projector = QFontInfo(panel.counts_text.font()).pixelSize()
    assert projector >= 18 > desk
    assert panel.counts_text.isVisible()
    assert QFontInfo(panel.heading.font()).pixelSize() >= 18
    assert QFontInfo(panel.readout.font()).pixelSize() >= 18
    tick_font = panel.plot.getAxis("left").style["tickFont"]
    assert QFontInfo(tick_font).pixelSize() >= 18
    panel.set_presentation(False)
    assert QFontInfo(panel.counts_text.font()).pixelSize() == desk


def test_counts_shrink_to_fit_small_cells_and_go_when_they_cannot(qtbot, digits):
    panel, _ = make_panel(qtbot, digits, size=(1100, 800))
    panel.set_presentation(True)
    panel.show_frame(trained_frame(digits, 30))
    full = panel.counts_text.font().pointSize()
    assert counts_fit_their_cells(panel)
    panel.resize(600, 450)
    qtbot.waitUntil(lambda: panel.counts_text.font().pointSize() < full)
    assert panel.counts_text.isVisible() and counts_fit_their_cells(panel)
    panel.resize(300, 250)
    qtbot.waitUntil(lambda: not panel.counts_text.isVisible())


def counts_fit_their_cells(panel) -> bool:
    """The largest count a cell can hold (its class's size) fits its width and height."""
    C = panel.n_classes
    largest = f"{np.bincount(panel.dataset.y_test).max():,}"
    font = QFontMetricsF(panel.counts_text.font())
    assert font.horizontalAdvance(largest) == panel.counts_text.width_of(largest)
    return (
        font.horizontalAdvance(largest) <= panel.plot.vb.width() / C
        and font.height() <= panel.plot.vb.height() / C
    )


# ---------------------------------------------------------------- in the window
@pytest.mark.parametrize(
    "dataset, size",
    [("digits", (1024, 768)), ("blobs", (1280, 720)), ("mnist", (1920, 1080))],
    ids=lambda v: v if isinstance(v, str) else f"{v[0]}x{v[1]}",
)
@pytest.mark.parametrize("presentation", [False, True], ids=["desk", "presentation"])
def test_in_front_in_the_window_nothing_is_cut_off(qtbot, dataset, size, presentation):
    """The window with the confusion matrix brought to front (Ctrl+7) and a cell being walked
    (the note under the inspector's controls): every text fits, and so does every count."""
    from gui.main_window import MainWindow
    from tests.gui.clients import make_client
    from tests.gui.text_fit import clipped_texts

    client = make_client(dataset)
    window = MainWindow(client, None)
    qtbot.addWidget(window)
    try:  # as tests/gui/test_no_text_cut_off.py lays the window out
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        window._arrange_default_layout()
        if presentation:
            window.presentation.set_active(True, full_screen=False)
        window.controller._transport.server.handle(("train", 100))
        window.controller.poll()
        dock = window.docks["ConfusionPanel"]
        bring = [a for a in window.actions() if a.shortcut().toString() == "Ctrl+7"]
        assert [a.text() for a in bring] == ["Bring Confusion matrix to front"]
        bring[0].trigger()
        qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty())
        window.redraw()
        panel = dock.widget()
        i = int(np.argmax(panel.counts.sum(axis=1) - panel.counts.diagonal()))  # most missed
        j = int(np.argsort(panel.counts[i])[-2]) if panel.counts[i, i] else i
        click_cell(qtbot, panel, i, j if panel.counts[i, j] else i)
        assert window.selection.walk is not None
        for _ in range(3):
            qtbot.wait(1)
        window.redraw()
        window.grab()
        assert clipped_texts(window) == []
        assert panel.counts_text.isVisible() and counts_fit_their_cells(panel)
        if presentation:
            assert QFontInfo(panel.counts_text.font()).pixelSize() >= 18
    finally:
        window.presentation.set_active(False, full_screen=False)
        window.close()
        client.shutdown()
