"""DrawingPanel: drawn with real mouse events, preprocessed as the dataset was, and made the
selected sample of every panel (issue 10, "Draw your own digit")."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication

from gui.frame import Frame
from gui.main_window import MainWindow
from gui.panels.binary_output_panel import BinaryOutputPanel
from gui.panels.drawing_panel import EMPTY_IMAGE, EMPTY_POINT, DrawingPanel
from gui.panels.jacobian_panel import JacobianPanel
from gui.panels.sample_panel import SamplePanel
from gui.plotting import configure_pyqtgraph
from gui.selection import SampleSelection
from model import TrainingRun, load_dataset
from model.drawing import centre_of_mass
from tests.gui.clients import make_client

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


@pytest.fixture(scope="module", autouse=True)
def _pyqtgraph_options():
    configure_pyqtgraph()


@pytest.fixture(scope="module")
def trained():
    """Each dataset with a model trained a little (cached: loading mnist takes a moment)."""
    cache = {}

    def get(name):
        if name not in cache:
            dataset = load_dataset(name)
            run = TrainingRun(dataset, random_state=0)
            run.step(100)
            cache[name] = dataset, run.snapshot()
        return cache[name]

    return get


def make_panel(qtbot, dataset, snapshot):
    selection = SampleSelection(dataset.n_test)
    panel = DrawingPanel(selection)
    qtbot.addWidget(panel)
    panel.resize(700, 450)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_dataset(dataset)
    panel.show_frame(Frame(snapshot, dataset, 0, selection.drawn))
    return panel, selection


def at(canvas, row: float, col: float) -> QPoint:
    """The widget point over canvas fraction (row, col) of its paper."""
    paper = canvas.paper_rect()
    return QPoint(
        round(paper.left() + col * paper.width()), round(paper.top() + row * paper.height())
    )


def stroke(qtbot, canvas, points) -> None:
    """One stroke through `points` (fractions of the paper), as a mouse draws it."""
    qtbot.mousePress(canvas, LEFT, NONE, at(canvas, *points[0]))
    for point in points[1:]:
        qtbot.mouseMove(canvas, at(canvas, *point))
    qtbot.mouseRelease(canvas, LEFT, NONE, at(canvas, *points[-1]))


def vertical_bar(qtbot, canvas, col=0.8) -> None:
    stroke(qtbot, canvas, [(0.1 + 0.1 * k, col) for k in range(8)])


def test_a_drawn_vertical_bar_is_centred_by_the_preprocessing(qtbot, trained):
    panel, _ = make_panel(qtbot, *trained("mnist"))
    vertical_bar(qtbot, panel.canvas, col=0.85)  # far right on the canvas
    assert not panel.canvas.is_empty
    image = panel.x.reshape(28, 28)
    row, col = centre_of_mass(image)
    # Within half a pixel (a whole-pixel shift), up to float32 rounding of the ink.
    assert abs(row - 14) <= 0.5 + 1e-6 and abs(col - 14) <= 0.5 + 1e-6
    # Fitted to 20 rows, a thin bar: tall, narrow, in [0, 1].
    rows = np.flatnonzero(image.max(axis=1) > 0)
    cols = np.flatnonzero(image.max(axis=0) > 0)
    assert len(rows) == 20 and len(cols) <= 6
    assert image.min() >= 0 and image.max() <= 1
    # What the model sees is shown beside the canvas, and the top two votes with their z.
    np.testing.assert_array_equal(panel.input_item.image, image)
    assert len(panel.top) == 2
    assert panel.status_label.text().startswith("predicted ")
    assert all("z" in label.text() for label in panel.vote_labels)


def test_the_canvas_ink_follows_the_stroke_and_repaints_it(qtbot, trained):
    panel, _ = make_panel(qtbot, *trained("mnist"))
    canvas = panel.canvas
    stroke(qtbot, canvas, [(0.5, 0.2), (0.5, 0.8)])  # a horizontal line across the middle
    h, w = canvas.ink.shape
    assert canvas.ink[h // 2, w // 4 : 3 * w // 4].min() == 1
    assert canvas.ink[: h // 4].max() == 0
    grabbed = canvas.grab().toImage()
    middle = at(canvas, 0.5, 0.5)
    assert grabbed.pixelColor(middle).lightness() < 60  # dark ink on white paper
    assert grabbed.pixelColor(at(canvas, 0.1, 0.5)).lightness() > 200


def test_an_empty_canvas_predicts_nothing_and_says_so(qtbot, trained):
    panel, selection = make_panel(qtbot, *trained("mnist"))
    assert panel.x is None and panel.top == []
    assert panel.status_label.text() == EMPTY_IMAGE
    panel.use_button.setChecked(True)
    assert selection.drawn is None  # nothing to select


def test_clear_by_button_and_by_key(qtbot, trained):
    panel, _ = make_panel(qtbot, *trained("mnist"))
    vertical_bar(qtbot, panel.canvas)
    qtbot.mouseClick(panel.clear_button, LEFT)
    assert panel.canvas.is_empty and panel.x is None
    assert panel.status_label.text() == EMPTY_IMAGE
    for key in (Qt.Key.Key_Delete, Qt.Key.Key_C):
        vertical_bar(qtbot, panel.canvas)
        assert not panel.canvas.is_empty
        panel.canvas.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.canvas)
        qtbot.keyClick(panel.canvas, key)
        assert panel.canvas.is_empty, key
        assert panel.status_label.text() == EMPTY_IMAGE


def test_the_intended_class_defaults_to_the_prediction_and_a_digit_key_picks_it(qtbot, trained):
    panel, selection = make_panel(qtbot, *trained("mnist"))
    vertical_bar(qtbot, panel.canvas)
    panel.use_button.setChecked(True)
    assert selection.drawn is not None and selection.drawn.label is None
    panel.canvas.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.canvas)
    qtbot.keyClick(panel.canvas, Qt.Key.Key_3)
    assert panel.intended == 3 and selection.drawn.label == 3
    assert panel.intended_combo.currentText() == "3"
    panel.intended_combo.setCurrentIndex(0)  # back to "= prediction"
    assert selection.drawn.label is None


def test_a_click_on_the_blobs_plane_places_the_point(qtbot, trained):
    dataset, snapshot = trained("blobs")
    panel, selection = make_panel(qtbot, dataset, snapshot)
    assert panel.shows_points and panel.status_label.text() == EMPTY_POINT
    box = panel.plane.scatter_plot.getViewBox()
    scene_point = box.mapViewToScene(QPointF(0.25, 0.75))
    where = panel.plane.mapFromScene(scene_point)
    qtbot.mouseClick(panel.plane.viewport(), LEFT, NONE, where)
    np.testing.assert_allclose(panel.x, [0.25, 0.75], atol=0.02)
    assert panel.status_label.text().startswith("predicted ")
    # Beyond the data's range, the point stays at its edge.
    panel.place_point(5.0, -3.0)
    X = np.vstack([dataset.X_train, dataset.X_test])
    np.testing.assert_array_equal(panel.x, [X[:, 0].max(), X[:, 1].min()])
    panel.use_button.setChecked(True)
    np.testing.assert_array_equal(selection.drawn.x, panel.x)


# ---------------------------------------------------------------------------- in the window
@pytest.fixture
def window(qtbot):
    client = make_client("mnist")
    w = MainWindow(client, None)
    qtbot.addWidget(w)
    w.resize(1600, 1000)
    w.show()
    qtbot.waitExposed(w)
    w._arrange_default_layout()
    client._transport.server.handle(("train", 200))
    client.poll()
    w.docks["DrawingPanel"].raise_()
    w.redraw()
    yield w
    w.close()
    client.shutdown(2000)


def test_use_as_selected_sample_shows_the_drawing_in_every_panel(qtbot, window):
    panel = window.panel(DrawingPanel)
    vertical_bar(qtbot, panel.canvas)  # a 1
    qtbot.mouseClick(panel.use_button, LEFT)
    assert window.selection.drawn is not None and window._dirty  # the window will redraw
    window.redraw()
    sample, jacobian = window.panel(SamplePanel), window.panel(JacobianPanel)
    binary = window.panel(BinaryOutputPanel)
    frame = sample._frame
    assert frame.sample_is_drawn
    np.testing.assert_array_equal(frame.sample_x, panel.x)
    np.testing.assert_array_equal(sample.picture.image_item.image, panel.x.reshape(28, 28))
    assert "your drawing" in sample.picture.caption_label.text()
    assert (
        sample.verdict_label.text().split("\n")[0].endswith(f"intended {frame.sample_prediction}")
    )
    assert "drawing" in jacobian._heading_text
    assert binary._frame is frame

    # The intended class is y: a - e_y and the loss follow it.
    other = (frame.sample_prediction + 1) % 10
    panel.set_intended(other)
    window.redraw()
    frame = sample._frame
    expected = frame.sample_proba.copy()
    expected[other] -= 1
    np.testing.assert_allclose(frame.sample_gradient, expected)
    assert frame.sample_label == other
    assert f"intended {other}" in sample.verdict_label.text()
    assert f"intended class is {other}" in binary.verdict_label.text() or (
        frame.sample_prediction == other
    )

    # A new stroke while in use: every panel follows it.
    qtbot.mouseClick(panel.clear_button, LEFT)
    assert window.selection.drawn is None and panel.use_button.isChecked()
    stroke(qtbot, panel.canvas, [(0.5, 0.1), (0.5, 0.9)])
    window.redraw()
    np.testing.assert_array_equal(sample._frame.sample_x, panel.x)

    # Choosing a test sample leaves the drawing.
    qtbot.mouseClick(sample.navigation.next_button, LEFT)
    window.redraw()
    assert window.selection.drawn is None and not panel.use_button.isChecked()
    assert not sample._frame.sample_is_drawn
    assert "your drawing" not in sample.picture.caption_label.text()


def test_the_canvas_follows_the_dataset(qtbot, window):
    panel = window.panel(DrawingPanel)
    assert panel.canvas.ink.shape == (280, 280) and not panel.shows_points
    vertical_bar(qtbot, panel.canvas)
    panel.use_button.setChecked(True)
    for name, canvas_shape, points in (
        ("digits", (280, 280), False),
        ("blobs", None, True),
        ("mnist", (280, 280), False),
    ):
        window.controls.load(name)
        qtbot.waitUntil(lambda n=name: window.controller.dataset.name == n, timeout=20_000)
        window.redraw()
        assert panel.shows_points == points
        assert window.selection.drawn is None  # a drawing belongs to its dataset
        if canvas_shape is not None:
            assert panel.canvas.ink.shape == canvas_shape and panel.canvas.is_empty
            vertical_bar(qtbot, panel.canvas)
            size = 8 * 8 if name == "digits" else 28 * 28
            assert panel.x.shape == (size,)
            if name == "digits":  # the digits' levels: multiples of 1/16
                np.testing.assert_array_equal(panel.x * 16, np.rint(panel.x * 16))
        else:
            panel.place_point(0.5, 0.5)
            assert panel.x.shape == (2,)
        panel.use_button.setChecked(True)
        window.redraw()
        assert window.panel(SamplePanel)._frame.sample_is_drawn
