"""JacobianPanel: J = diag(a) − a aᵀ as a heatmap, a and a − e_y as bars, hover formulas."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF
from PySide6.QtGui import QTextDocumentFragment

from gui.frame import Frame
from gui.panels.jacobian_panel import (
    HOVER_HINT,
    LEVELS,
    JacobianPanel,
    cell_at,
    describe_cell,
    format_value,
)
from model import TrainingRun

#: A hand-chosen a for C = 10: all different, so every J entry is different too.
A_DIGITS = np.arange(1, 11) / 55.0
A_BLOBS = np.array([0.1, 0.2, 0.3, 0.4])


def snapshot_giving(dataset, a):
    """A snapshot whose every sample has probabilities a: W = 0 and b = log a."""
    snapshot = TrainingRun(dataset, random_state=0).snapshot()
    C, D = dataset.n_classes, dataset.n_features
    return dataclasses.replace(snapshot, W=np.zeros((C, D)), b=np.log(a))


@pytest.fixture
def panel(qtbot, digits):
    panel = JacobianPanel()
    qtbot.addWidget(panel)
    panel.set_dataset(digits)
    panel.resize(900, 560)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def tick_labels(axis) -> list[str]:
    return [label for _, label in axis._tickLevels[0]]


def scene_pos_of_cell(panel, i, j) -> QPointF:
    """The scene point at the centre of cell (i, j): column j across, row i down."""
    return panel.heatmap.vb.mapViewToScene(QPointF(j, i))


def test_heatmap_is_the_jacobian_of_a_known_a_with_fixed_levels(panel, digits):
    frame = Frame(snapshot_giving(digits, A_DIGITS), digits, sample_index=3)
    panel.show_frame(frame)
    np.testing.assert_allclose(frame.sample_proba, A_DIGITS)  # the construction works
    np.testing.assert_allclose(panel.image.image, np.diag(A_DIGITS) - np.outer(A_DIGITS, A_DIGITS))
    assert tuple(panel.image.getLevels()) == LEVELS == (-0.25, 0.25)
    assert tuple(panel.colorbar.levels()) == LEVELS
    assert "[−¼, ¼]" in panel.colorbar.getAxis("left").labelText


def test_matrix_orientation_row_zero_on_top(panel, digits):
    panel.show_frame(Frame(snapshot_giving(digits, A_DIGITS), digits))
    assert scene_pos_of_cell(panel, 0, 0).y() < scene_pos_of_cell(panel, 9, 0).y()
    assert scene_pos_of_cell(panel, 0, 0).x() < scene_pos_of_cell(panel, 0, 9).x()
    assert "output a" in panel.heatmap.getAxis("left").labelText
    assert "logit z" in panel.heatmap.getAxis("bottom").labelText


def test_class_names_label_both_axes_and_the_bars(panel, digits):
    names = list(digits.class_names)
    assert tick_labels(panel.heatmap.getAxis("left")) == names
    assert tick_labels(panel.heatmap.getAxis("bottom")) == names
    assert tick_labels(panel.proba_plot.getAxis("bottom")) == names
    assert tick_labels(panel.gradient_plot.getAxis("bottom")) == names


def test_bars_are_a_and_a_minus_e_y(panel, digits):
    frame = Frame(snapshot_giving(digits, A_DIGITS), digits, sample_index=0)
    panel.show_frame(frame)
    y = frame.sample_label
    e_y = np.eye(10)[y]
    np.testing.assert_allclose(panel.proba_bars.opts["height"], A_DIGITS)
    np.testing.assert_allclose(panel.gradient_bars.opts["height"], A_DIGITS - e_y)
    # The true class bar is outlined thickly; the predicted one (argmax a = 9) is marked.
    widths = [pen.widthF() for pen in panel.proba_bars.opts["pens"]]
    assert widths[y] > max(w for k, w in enumerate(widths) if k != y)
    assert y != 9 and panel.predicted_marker.isVisible()
    assert panel.predicted_marker.pos().x() == 9
    # Diverging colours: the one negative bar (at y) is blue, the others red.
    brushes = panel.gradient_bars.opts["brushes"]
    assert brushes[y].blue() > brushes[y].red()
    assert all(b.red() > b.blue() for k, b in enumerate(brushes) if k != y)
    assert panel.row_outline.rect().center().y() == pytest.approx(y)
    assert "eq. 20" in panel.gradient_plot.getAxis("left").labelText


def test_describe_cell_diagonal_and_off_diagonal():
    a = np.array([0.7, 0.2, 0.1])
    J = np.diag(a) - np.outer(a, a)
    diagonal = describe_cell(J, a, 0, 0, ("0", "1", "2"))
    assert diagonal.startswith("J[0,0] = a₀(1 − a₀) = 0.7000 × 0.3000 = 0.2100")
    assert "diagonal" in diagonal and "off" not in diagonal
    off = describe_cell(J, a, 1, 2, ("cat", "dog", "eel"))
    assert off.startswith("J[1,2] = −a₁a₂ = −0.2000 × 0.1000 = −0.0200")
    assert "off-diagonal" in off and "i = 1 (dog)" in off and "j = 2 (eel)" in off


def test_format_value_keeps_small_numbers_visible():
    assert format_value(0.21) == "0.2100"
    assert format_value(-0.0123) == "−0.0123"
    assert format_value(2.4e-6) == "2.4e−06"
    assert format_value(0.0) == "0.0000"


def test_cell_at_maps_view_points_to_cells():
    assert cell_at(0.0, 0.0, 10) == (0, 0)
    assert cell_at(4.4, 2.6, 10) == (3, 4)  # x picks the column j, y the row i
    assert cell_at(-0.49, 9.49, 10) == (9, 0)
    assert cell_at(-0.51, 0.0, 10) is None
    assert cell_at(0.0, 9.51, 10) is None


def test_hover_over_cells_names_formula_and_value(panel, digits):
    panel.show_frame(Frame(snapshot_giving(digits, A_DIGITS), digits))
    J = np.diag(A_DIGITS) - np.outer(A_DIGITS, A_DIGITS)
    assert panel.hover_label.text() == HOVER_HINT

    panel.view.scene().sigMouseMoved.emit(scene_pos_of_cell(panel, 7, 7))
    text = panel.hover_label.text()
    assert panel.hover_cell == (7, 7)
    assert "J[7,7] = a₇(1 − a₇)" in text and format_value(J[7, 7]) in text
    assert format_value(A_DIGITS[7]) in text and "diagonal" in text
    assert panel.hover_outline.isVisible()

    panel.view.scene().sigMouseMoved.emit(scene_pos_of_cell(panel, 3, 5))
    text = panel.hover_label.text()
    assert "J[3,5] = −a₃a₅" in text and format_value(J[3, 5]) in text
    assert format_value(A_DIGITS[3]) in text and format_value(A_DIGITS[5]) in text
    assert "off-diagonal" in text

    # Off the heatmap (on the gradient bars) the hint comes back.
    panel.hover_at(panel.gradient_plot.vb.mapViewToScene(QPointF(5, 0)))
    assert panel.hover_cell is None and panel.hover_label.text() == HOVER_HINT
    assert not panel.hover_outline.isVisible()


def test_real_mouse_move_hovers(panel, qtbot, digits):
    panel.show_frame(Frame(snapshot_giving(digits, A_DIGITS), digits))
    viewport_pos = panel.view.mapFromScene(scene_pos_of_cell(panel, 2, 6))
    qtbot.mouseMove(panel.view.viewport(), viewport_pos)
    qtbot.waitUntil(lambda: panel.hover_cell == (2, 6))
    assert panel.hover_label.text().startswith("J[2,6] = −a₂a₆")
    panel.leaveEvent(QEvent(QEvent.Type.Leave))
    assert panel.hover_label.text() == HOVER_HINT


def test_new_sample_updates_everything(panel, digits):
    run = TrainingRun(digits, random_state=0)
    run.step(20)
    snapshot = run.snapshot()
    first, second = Frame(snapshot, digits, 10), Frame(snapshot, digits, 11)
    assert first.sample_label != second.sample_label  # so the outlines must move too
    panel.show_frame(first)
    panel.hover_at(scene_pos_of_cell(panel, 4, 4))
    before = panel.hover_label.text()

    panel.show_frame(second)
    np.testing.assert_allclose(panel.image.image, second.sample_jacobian)
    np.testing.assert_allclose(panel.proba_bars.opts["height"], second.sample_proba)
    np.testing.assert_allclose(panel.gradient_bars.opts["height"], second.sample_gradient)
    assert "#11" in panel.heading.text() and "#10" not in panel.heading.text()
    assert f"true {second.sample_label}," in panel.heading.text()
    assert panel.row_outline.rect().center().y() == pytest.approx(second.sample_label)
    assert panel.true_marker.pos().x() == second.sample_label
    # The hovered cell stays and shows the new sample's numbers.
    after = panel.hover_label.text()
    assert after != before and format_value(second.sample_jacobian[4, 4]) in after


def test_blobs_after_set_dataset(panel, blobs):
    panel.set_dataset(blobs)
    frame = Frame(snapshot_giving(blobs, A_BLOBS), blobs, sample_index=0)
    panel.show_frame(frame)
    assert panel.image.image.shape == (4, 4)
    np.testing.assert_allclose(panel.image.image, np.diag(A_BLOBS) - np.outer(A_BLOBS, A_BLOBS))
    assert tick_labels(panel.heatmap.getAxis("left")) == ["A", "B", "C", "D"]
    assert tick_labels(panel.heatmap.getAxis("bottom")) == ["A", "B", "C", "D"]
    assert len(panel.proba_bars.opts["height"]) == 4
    np.testing.assert_allclose(
        panel.gradient_bars.opts["height"], A_BLOBS - np.eye(4)[frame.sample_label]
    )
    panel.hover_at(scene_pos_of_cell(panel, 3, 1))
    text = panel.hover_label.text()
    assert "J[3,1] = −a₃a₁" in text and "i = 3 (D), j = 1 (B)" in text
    assert format_value(-A_BLOBS[3] * A_BLOBS[1]) in text


def test_long_class_names_go_down_the_side(panel, digits):
    long_names = dataclasses.replace(digits, class_names=tuple(f"class {k}" for k in range(10)))
    panel.set_dataset(long_names)
    assert tick_labels(panel.heatmap.getAxis("left"))[3] == "3: class 3"
    assert tick_labels(panel.heatmap.getAxis("bottom"))[3] == "3"


def test_presentation_mode_enlarges_and_keeps_data(panel, digits):
    frame = Frame(snapshot_giving(digits, A_DIGITS), digits, sample_index=0)
    panel.show_frame(frame)
    normal_pt = panel.hover_label.font().pointSize()
    normal_pen = panel.row_outline.pen().widthF()
    panel.set_presentation(True)
    assert panel.hover_label.font().pointSize() > normal_pt
    assert panel.heading.font().pointSize() > normal_pt
    assert panel.row_outline.pen().widthF() > normal_pen
    np.testing.assert_allclose(panel.image.image, frame.sample_jacobian)
    np.testing.assert_allclose(panel.proba_bars.opts["height"], A_DIGITS)
    panel.set_presentation(False)
    assert panel.hover_label.font().pointSize() == normal_pt


def test_note_gives_way_in_a_small_dock(panel, qtbot, digits):
    panel.show_frame(Frame(snapshot_giving(digits, A_DIGITS), digits))
    assert not panel.note_label.isHidden() and "symmetric" in panel.note_label.text()
    shown = panel.note_label.label
    plain = QTextDocumentFragment.fromHtml(shown.text()).toPlainText()
    assert "max |sum| < 1e-12) and its entries lie in [−¼, ¼]" in plain  # "<" escaped
    panel.resize(420, 300)
    qtbot.waitUntil(lambda: panel.note_label.isHidden())
    assert "symmetric" in panel.heading.toolTip()  # still there, as a tooltip
    panel.resize(900, 560)
    qtbot.waitUntil(lambda: not panel.note_label.isHidden())


def test_marker_of_a_tall_bar_goes_beside_it(panel, digits):
    confident = np.full(10, 0.01)
    confident[4] = 0.91
    panel.show_frame(Frame(snapshot_giving(digits, confident), digits, sample_index=0))
    assert panel.predicted_marker.isVisible()  # true 8, predicted 4
    assert panel.predicted_marker.pos().x() > 4  # beside the bar, not above it
    assert panel.predicted_marker.pos().y() == pytest.approx(0.91)
    assert panel.true_marker.pos().x() == 8 and panel.true_marker.pos().y() > confident[8]


def test_fewer_then_more_classes_paint_before_the_next_frame(panel, digits, blobs):
    """Issue 9, item 1: after blobs (4 classes), digits' 10 bars each have a brush and a pen."""
    panel.show_frame(Frame(snapshot_giving(digits, A_DIGITS), digits))
    panel.set_dataset(blobs)
    panel.show_frame(Frame(snapshot_giving(blobs, A_BLOBS), blobs))
    panel.set_dataset(digits)  # painted now, before any frame of digits
    for bars in (panel.proba_bars, panel.gradient_bars):
        opts = bars.opts
        assert len(opts["x"]) == 10
        for key in ("brushes", "pens"):
            assert opts[key] is None or len(opts[key]) == 10, key
    panel.grab()


def test_a_nearly_one_hot_a_says_why_j_is_blank(panel, digits):
    """Issue 9, item 11: a₄ = 0.99 leaves every |J_ij| < 0.01, pale on the ±¼ scale."""
    confident = np.full(10, 0.01 / 9)
    confident[4] = 0.99
    frame = Frame(snapshot_giving(digits, confident), digits, sample_index=0)
    panel.show_frame(frame)
    biggest = np.abs(frame.sample_jacobian).max()
    assert biggest < 0.01
    text = panel.hover_label.text()
    assert "almost one-hot" in text and format_value(biggest) in text
    panel.show_frame(Frame(snapshot_giving(digits, A_DIGITS), digits, sample_index=0))
    assert panel.hover_label.text() == HOVER_HINT  # a spread-out a: J shows for itself


def test_a_diverged_model_keeps_the_panel_consistent(panel, digits):
    """Issue 9, item 5: a_y = 0 (a loss beyond float range) and nan weights print compactly."""
    b = np.full(10, -1e4)
    b[3] = 0.0  # a_3 = 1; the true class 8 gets exp(-1e4) = 0
    snapshot = dataclasses.replace(snapshot_giving(digits, A_DIGITS), b=b)
    panel.show_frame(Frame(snapshot, digits, sample_index=0))
    heading = panel.heading.text()
    assert "708.4" in heading and len(heading) < 200  # −log of the smallest float, compact
    nan = Frame(snapshot_giving(digits, np.full(10, np.nan)), digits, sample_index=0)
    panel.show_frame(nan)
    assert "loss = −log a<sub>y</sub> = nan" in panel.heading.text()
    panel.grab()


def test_a_new_frame_lays_out_nothing(panel, qtbot, digits):
    from tests.gui.test_steady_label import LayoutRequests

    panel.show_frame(Frame(snapshot_giving(digits, A_DIGITS), digits, sample_index=0))
    qtbot.wait(20)
    requests = LayoutRequests(panel)
    rng = np.random.default_rng(0)
    for index in range(5):
        a = rng.dirichlet(np.ones(10))
        panel.show_frame(Frame(snapshot_giving(digits, a), digits, sample_index=index))
        qtbot.wait(5)
    assert requests.count == 0


def test_a_short_panel_is_compact_and_shows_the_hover_in_the_heading(panel, qtbot, digits):
    """In a 2 x 2 grid on a 1280x720 screen the panel is about 290 px tall (issue 14): the
    plots get the room, the hover line takes the heading's place while the mouse is on J."""
    frame = Frame(snapshot_giving(digits, A_DIGITS), digits, 7)
    panel.show_frame(frame)
    assert not panel.compact and panel.hover_label.isVisible()
    assert "Test sample #7" in panel.heading.text()

    panel.resize(480, 290)
    qtbot.waitUntil(lambda: panel.compact)
    assert not panel.hover_label.isVisible()
    assert not panel.proba_plot.getAxis("bottom").label.isVisible()
    assert not panel.gradient_plot.getAxis("bottom").label.isVisible()
    heading = panel.heading.text()
    assert "#7" in heading and f"true {frame.sample_label}" in heading
    assert "Test sample" not in heading  # the short wording, one line
    assert panel.heading.height() <= 2 * panel.fontMetrics().height()

    panel.hover_at(scene_pos_of_cell(panel, 3, 5))
    assert panel.heading.text().startswith("J[3,5] = −a₃a₅")
    panel.hover_at(panel.gradient_plot.vb.mapViewToScene(QPointF(5, 0)))
    assert panel.heading.text() == heading  # the sample's heading is back

    panel.resize(900, 560)
    qtbot.waitUntil(lambda: not panel.compact)
    assert panel.hover_label.isVisible() and "Test sample #7" in panel.heading.text()
    assert panel.proba_plot.getAxis("bottom").label.isVisible()


def test_a_narrow_panel_puts_the_bars_under_j(panel, qtbot, digits):
    """In a narrow column (1024x768: 356 x 619 px) three plots in a row did not fit and the
    colour bar and the gradient's bars were cut off at the panel's edge (issue 14)."""
    panel.show_frame(Frame(snapshot_giving(digits, A_DIGITS), digits, 7))
    assert not panel.portrait
    panel.resize(356, 619)
    qtbot.waitUntil(lambda: panel.portrait)
    qtbot.wait(20)  # the scene's layout settles
    view = panel.view
    for plot in (panel.heatmap, panel.proba_plot, panel.gradient_plot):
        right = view.mapFromScene(plot.sceneBoundingRect()).boundingRect().right()
        assert right <= view.viewport().width() + 1, plot
    heat = panel.heatmap.sceneBoundingRect()
    assert panel.proba_plot.sceneBoundingRect().top() >= heat.bottom() - 1
    assert panel.gradient_plot.sceneBoundingRect().left() >= (
        panel.proba_plot.sceneBoundingRect().right() - 1
    )
    panel.resize(900, 560)
    qtbot.waitUntil(lambda: not panel.portrait)
    assert panel.proba_plot.sceneBoundingRect().left() >= heat.left()


def test_changes_too_small_to_see_set_nothing(panel, digits, monkeypatch):
    """Issue 8: every frame rebuilt J's colours and both bar pictures, though a paused or
    slow run moves them by less than a colour step or a pixel."""
    calls = []
    for item in (panel.image, panel.proba_bars, panel.gradient_bars):
        name = "setImage" if item is panel.image else "setOpts"
        original = getattr(item, name)
        monkeypatch.setattr(
            item, name, lambda *a, _o=original, _i=item, **k: (calls.append(_i), _o(*a, **k))
        )
    panel.show_frame(Frame(snapshot_giving(digits, A_DIGITS), digits, 0))
    assert len(calls) == 3
    nudged = A_DIGITS * (1 + 1e-6)
    panel.show_frame(Frame(snapshot_giving(digits, nudged / nudged.sum()), digits, 0))
    assert len(calls) == 3  # nothing the screen could show moved
    moved = A_DIGITS.copy()
    moved[[0, 9]] = moved[[9, 0]]
    frame = Frame(snapshot_giving(digits, moved), digits, 0)
    panel.show_frame(frame)
    assert len(calls) == 6
    np.testing.assert_allclose(panel.image.image, frame.sample_jacobian)
