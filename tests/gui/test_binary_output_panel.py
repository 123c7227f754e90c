"""The binary output panel: threshold controls, verdicts, the network drawing and the p sweep."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import QApplication, QMainWindow

from gui.frame import Frame
from gui.panels.binary_output_panel import BinaryOutputPanel
from gui.panels.binary_verdict import outcome_summary, verdict
from gui.plotting import configure_pyqtgraph
from model import BinaryOutputNetwork, TrainingRun, binary_code_matrix, load_dataset

DIGITS = tuple(str(i) for i in range(10))


@pytest.fixture(scope="module")
def digits():
    dataset = load_dataset("digits")
    run = TrainingRun(dataset, batch_size=32, learning_rate=0.1, random_state=0)
    run.step(60)
    return dataset, run.snapshot()


@pytest.fixture(scope="module")
def blobs():
    dataset = load_dataset("blobs")
    run = TrainingRun(dataset, batch_size=32, learning_rate=0.5, random_state=0)
    run.step(200)
    return dataset, run.snapshot()


@pytest.fixture
def panel(qtbot, digits):
    configure_pyqtgraph()
    widget = BinaryOutputPanel()
    qtbot.addWidget(widget)
    dataset, snapshot = digits
    widget.set_dataset(dataset)
    widget.resize(900, 700)
    widget.show()
    widget.show_frame(Frame(snapshot, dataset, 0))
    return widget


class HandMadeFrame(Frame):
    """A frame whose selected sample has the probabilities a and the true class y given."""

    def __init__(self, snapshot, dataset, a, y):
        super().__init__(snapshot, dataset, 0)
        self.sample_proba = np.asarray(a, float)  # takes the cached property's place
        self._y = y

    @property
    def sample_label(self) -> int:
        return self._y


def show(panel, a, y, dataset, snapshot):
    panel.show_frame(HandMadeFrame(snapshot, dataset, a, y))


# ---------------------------------------------------------------- threshold controls
def test_slider_moves_spin_box_network_and_signal(panel, qtbot):
    with qtbot.waitSignal(panel.threshold_changed) as signal:
        panel.slider.setValue(300)
    assert signal.args == [pytest.approx(0.3)]
    assert panel.spin.value() == pytest.approx(0.3)
    assert panel.network.threshold == pytest.approx(0.3)
    assert panel.threshold == pytest.approx(0.3)


def test_spin_box_moves_slider(panel, qtbot):
    with qtbot.waitSignal(panel.threshold_changed) as signal:
        panel.spin.setValue(0.725)
    assert signal.args == [pytest.approx(0.725)]
    assert panel.slider.value() == 725
    assert panel.network.threshold == pytest.approx(0.725)


def test_set_threshold_clamps_rounds_and_validates(panel, qtbot):
    panel.set_threshold(1.7)
    assert panel.threshold == 1.0 and panel.slider.value() == 1000
    panel.set_threshold(-0.2)
    assert panel.threshold == 0.0 and panel.spin.value() == 0.0
    panel.set_threshold(0.12345)
    assert panel.threshold == pytest.approx(0.123)
    with pytest.raises(ValueError):
        panel.set_threshold(float("nan"))
    with qtbot.assertNotEmitted(panel.threshold_changed):
        panel.set_threshold(0.123)  # unchanged: no signal


def test_shortcut_actions_nudge_p_and_reach_the_window(panel, qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = window.menuBar().addMenu("&View")
    panel.add_actions(menu)
    texts = {action.text(): action.shortcut().toString() for action in menu.actions()}
    assert texts == {"Raise threshold p": "]", "Lower threshold p": "["}
    assert panel.raise_action in window.actions() and panel.lower_action in window.actions()
    panel.set_threshold(0.5)
    with qtbot.waitSignal(panel.threshold_changed):
        panel.raise_action.trigger()
    assert panel.threshold == pytest.approx(0.51)
    panel.lower_action.trigger()
    panel.lower_action.trigger()
    assert panel.threshold == pytest.approx(0.49)
    window.setCentralWidget(panel)  # a real key press in the window reaches the shortcut
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_BracketRight)
    assert panel.threshold == pytest.approx(0.50)
    qtbot.keyClick(window, Qt.Key.Key_BracketLeft)
    qtbot.keyClick(window, Qt.Key.Key_BracketLeft)
    assert panel.threshold == pytest.approx(0.48)
    panel.spin.setFocus()  # the spin box's text field must not swallow the shortcut
    qtbot.keyClick(panel.spin.lineEdit(), Qt.Key.Key_BracketRight)
    assert panel.threshold == pytest.approx(0.49) and panel.spin.value() == pytest.approx(0.49)
    window.takeCentralWidget()  # the panel stays qtbot's to delete


# ---------------------------------------------------------------- verdicts
NET = BinaryOutputNetwork(10, threshold=0.5)


def a_with(**units):
    """A probability vector with the given a_i (as u3=0.4 ...) and the rest spread evenly."""
    a = np.zeros(10)
    for key, value in units.items():
        a[int(key[1:])] = value
    rest = np.flatnonzero(a == 0)
    a[rest] = (1 - a.sum()) / len(rest)
    return a


@pytest.mark.parametrize(
    ("a", "y", "p", "text", "kind"),
    [
        (a_with(u7=0.9), 7, 0.5, "decodes to 7 (correct)", "correct"),
        (a_with(u3=0.8), 5, 0.5, "decodes to 3, but the true class is 5 (wrong)", "wrong"),
        (a_with(u3=0.4, u5=0.35), 5, 0.5, "no unit fired: reads as 0000 = 0, silently wrong",
         "none"),
        (a_with(u0=0.4, u6=0.35), 0, 0.5,
         "no unit fired: reads as 0000 = 0: right only by accident", "none"),
        (a_with(u3=0.4, u5=0.35), 5, 0.3,
         "units 3 and 5 fired: d = (0, 1, 1, 2) (MSB first) is no valid code", "several"),
        (a_with(u1=0.4, u2=0.35), 5, 0.3,
         "units 1 and 2 fired: d reads as 0011 = 3, a valid code of a third digit", "several"),
        (a_with(u2=0.4, u8=0.35), 2, 0.3,
         "units 2 and 8 fired: d reads as 1010 = 10, a code no class has", "several"),
        (a_with(u1=0.3, u2=0.3, u4=0.3), 7, 0.2,
         "units 1, 2 and 4 fired: d reads as 0111 = 7, a valid code of another digit: "
         "right only by accident", "several"),
        (a_with(u0=0.4, u3=0.35), 3, 0.3,
         "units 0 and 3 fired: d reads as 0011 = 3 (unit 0 adds nothing: its code is 0000): "
         "right only by accident", "several"),
    ],
)  # fmt: skip
def test_verdict_for_hand_made_probabilities(a, y, p, text, kind):
    network = BinaryOutputNetwork(10, threshold=p)
    assert verdict(a, y, network, DIGITS) == (text, kind)


def test_verdict_names_classes_that_are_not_digits():
    network = BinaryOutputNetwork(4, threshold=0.5)
    names = ("A", "B", "C", "D")
    assert verdict([0.1, 0.1, 0.7, 0.1], 1, network, names) == (
        "decodes to 2 = C, but the true class is 1 = B (wrong)", "wrong"
    )
    network.threshold = 0.2
    assert verdict([0.3, 0.3, 0.3, 0.1], 0, network, names) == (
        "units 0, 1 and 2 fired: d reads as 11 = 3 = D, a valid code of another class", "several"
    )
    assert verdict([0.1, 0.1, 0.1, 0.7], 0, network, names) == (
        "decodes to 3 = D, but the true class is 0 = A (wrong)", "wrong"
    )


def test_panel_shows_the_verdict_and_invalid_outputs_in_red(panel, digits):
    dataset, snapshot = digits
    panel.set_threshold(0.3)
    show(panel, a_with(u3=0.4, u5=0.35), 5, dataset, snapshot)
    expected = "units 3 and 5 fired: d = (0, 1, 1, 2) (MSB first) is no valid code"
    assert expected in panel.verdict_label.text()
    assert panel.verdict_kind == "several"
    view = panel.network_view
    np.testing.assert_array_equal(view.outputs, [2, 1, 1, 0])
    assert [t.toPlainText() for t in view.output_texts] == ["2", "1", "1", "0"]
    brushes = [spot.brush().color() for spot in view.out_nodes.points()]
    assert brushes[0] == QColor("#c41e1e") and brushes[3] == QColor("white")
    assert view.code_text.toPlainText() == "d = (0, 1, 1, 2) (MSB first): no valid code"


# ---------------------------------------------------------------- the network drawing
@pytest.mark.parametrize("p", [0.05, 0.3, 0.5])
def test_drawing_lights_units_and_edges_where_a_exceeds_p(panel, digits, p):
    dataset, snapshot = digits
    a = a_with(u7=0.45, u3=0.31, u9=0.08)
    panel.set_threshold(p)
    show(panel, a, 7, dataset, snapshot)
    view = panel.network_view
    lit = np.array([spot.brush().color() != QColor("white") for spot in view.step_nodes.points()])
    np.testing.assert_array_equal(lit, a > p)
    assert [t.toPlainText() for t in view.state_texts] == ["1" if x else "0" for x in a > p]
    assert [t.toPlainText() for t in view.value_texts] == [f"{x:.2f}" for x in a]
    d = binary_code_matrix(10) @ (a > p).astype(int)
    np.testing.assert_array_equal(view.outputs, d)
    assert [t.toPlainText() for t in view.output_texts] == [str(v) for v in d]
    for i, _, edge in view.edges:
        assert (edge.opts["pen"].color() == QColor(255, 176, 0)) == (a[i] > p)
    np.testing.assert_allclose(view.bars.opts["width"], a * view.geometry_.track)


def test_edges_exist_exactly_where_M_is_one(panel):
    view = panel.network_view
    M = binary_code_matrix(10)
    assert len(view.edges) == M.sum() == 15
    assert sorted((i, j) for i, j, _ in view.edges) == sorted(map(tuple, np.argwhere(M.T).tolist()))
    sevens = sorted(j for i, j, _ in view.edges if i == 7)
    assert sevens == [0, 1, 2]  # 7 = 0111 feeds d0, d1 and d2
    labels = [t.toPlainText() for t in view.output_labels]
    assert labels[0].startswith("d₀") and "LSB" in labels[0] and "MSB" in labels[-1]


def test_set_dataset_follows_the_class_count(panel, digits, blobs):
    for (dataset, snapshot), bits in ((blobs, 2), (digits, 4)):
        panel.set_dataset(dataset)
        panel.show_frame(Frame(snapshot, dataset, 3))
        view = panel.network_view
        assert panel.network.n_classes == dataset.n_classes and panel.network.n_bits == bits
        assert len(view.step_nodes.points()) == dataset.n_classes
        assert len(view.out_nodes.points()) == len(view.output_texts) == bits
        assert len(view.edges) == binary_code_matrix(dataset.n_classes).sum()
        assert panel.hint_label.text() == f"{dataset.n_classes} classes → {bits} bits"
        assert panel.sweep_plot.sweep is not None  # swept at once on a new dataset


# ---------------------------------------------------------------- the sweep and the stats
def test_sweep_curves_equal_the_model_sweep(panel, digits):
    dataset, snapshot = digits
    expected = BinaryOutputNetwork(10).sweep(Frame(snapshot, dataset).test_proba, dataset.y_test)
    curves = panel.sweep_plot.curves
    for kind, values in (("correct", expected.correct), ("wrong", expected.wrong),
                         ("none", expected.none_fired), ("several", expected.several_fired)):
        x, y = curves[kind].getData()
        np.testing.assert_allclose(x, expected.thresholds)
        np.testing.assert_allclose(y, values)
    _, argmax = panel.sweep_plot.argmax_curve.getData()
    np.testing.assert_allclose(argmax, expected.argmax_accuracy)
    assert np.all(expected.correct <= expected.argmax_accuracy + 1e-12)


def test_stats_text_contains_the_fractions(panel, digits):
    dataset, snapshot = digits
    panel.set_threshold(0.35)
    o = BinaryOutputNetwork(10, 0.35).outcomes(Frame(snapshot, dataset).test_proba, dataset.y_test)
    text = panel.stats_label.text()
    for fraction in (o.correct, o.wrong, o.none_fired, o.several_fired, o.argmax_accuracy):
        assert f"{fraction:.1%}" in text
    assert "p = 0.350" in text and outcome_summary(o, dataset.n_test, 0.35) == text
    x, y = panel.sweep_plot.dots.getData()
    np.testing.assert_allclose(x, 0.35)
    np.testing.assert_allclose(y, [o.correct, o.wrong, o.none_fired, o.several_fired])


def test_sweep_is_throttled_then_catches_up(panel, digits, qtbot):
    dataset, snapshot = digits
    run = TrainingRun(dataset, batch_size=32, learning_rate=0.1, random_state=1)
    run.step(5)
    newer = run.snapshot()
    panel.sweep_interval_ms = 60_000
    panel.refresh_sweep()
    before = panel.sweep_plot.sweep
    panel.show_frame(Frame(newer, dataset, 0))
    assert panel.sweep_plot.sweep is before  # too soon: scheduled, not recomputed
    assert panel._sweep_timer.isActive()
    panel.sweep_interval_ms = 1
    panel._sweep_timer.start(1)
    qtbot.waitUntil(lambda: panel.sweep_plot.sweep is not before, timeout=2000)
    expected = panel.network.sweep(Frame(newer, dataset).test_proba, dataset.y_test)
    np.testing.assert_allclose(panel.sweep_plot.curves["correct"].getData()[1], expected.correct)


# ---------------------------------------------------------------- dragging the p line
def test_moving_the_line_sets_p(panel, qtbot):
    with qtbot.waitSignal(panel.threshold_changed) as signal:
        panel.sweep_plot.p_line.setValue(0.3)
    assert signal.args == [pytest.approx(0.3)]
    assert panel.threshold == pytest.approx(0.3) and panel.slider.value() == 300


def _mouse(widget, kind, pos: QPoint, buttons) -> None:
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons,
                        Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(widget, event)


def test_dragging_the_line_with_the_mouse_sets_p(panel, qtbot):
    plot = panel.sweep_plot
    panel.set_threshold(0.5)
    qtbot.waitExposed(panel)
    vb = plot.plot_item.getViewBox()
    # Pressed where the line is once the panel is laid out and its sweep drawn (on a busy
    # machine a late layout moved the plot under the press, which then missed the line).
    qtbot.waitUntil(lambda: not panel._sweep_timer.isActive())
    last = None
    for _ in range(50):
        QApplication.processEvents()
        now = (vb.sceneBoundingRect().getRect(), plot.p_line.scenePos().x())
        if now == last:
            break
        last = now
        qtbot.wait(5)

    def at(p):
        return plot.mapFromScene(vb.mapViewToScene(QPointF(p, 0.5)))

    left = Qt.MouseButton.LeftButton
    viewport = plot.viewport()
    _mouse(viewport, QEvent.Type.MouseButtonPress, at(0.5), left)
    for p in (0.48, 0.4, 0.3, 0.25):
        _mouse(viewport, QEvent.Type.MouseMove, at(p), left)
    _mouse(viewport, QEvent.Type.MouseButtonRelease, at(0.25), Qt.MouseButton.NoButton)
    assert panel.threshold == pytest.approx(0.25, abs=0.01)
    assert panel.spin.value() == pytest.approx(panel.threshold)
    assert plot.p_line.value() == pytest.approx(panel.threshold)


def test_presentation_mode_keeps_state(panel):
    panel.set_threshold(0.42)
    panel.set_presentation(True)
    assert panel.verdict_label.font().pointSize() > 20
    assert panel.threshold == pytest.approx(0.42)
    panel.set_presentation(False)


def test_legend_folds_into_the_stats_line_when_narrow(panel, qtbot):
    plot = panel.sweep_plot
    assert plot.legend.scene() is not None
    names = [label.text for _, label in plot.legend.items]
    assert names == ["decoded right", "one fired, wrong", "none fired", "several fired",
                     "softmax argmax accuracy"]  # fmt: skip
    for name in names:
        assert name in panel.stats_label.text().replace("&nbsp;", " ")
    plot.resize(250, 300)
    qtbot.waitUntil(lambda: plot.legend.scene() is None)
    plot.resize(700, 400)
    qtbot.waitUntil(lambda: plot.legend.scene() is not None)


def test_sweep_plot_fits_its_widget_after_shrinking(qtbot):
    # The legend used to be removed after the base class had sized the layout to it, so a
    # narrowed sweep plot kept its old width and the right half was cut off.
    from gui.panels.threshold_sweep_plot import ThresholdSweepPlot

    plot = ThresholdSweepPlot()
    qtbot.addWidget(plot)
    plot.resize(900, 400)
    plot.show()
    QApplication.processEvents()
    plot.resize(280, 300)
    QApplication.processEvents()
    assert plot.legend.scene() is None  # no room for it
    assert plot.ci.geometry().width() <= plot.width()


def test_a_short_panel_is_compact(panel, qtbot, digits):
    """In a 2 x 2 grid on a 1280x720 screen the panel is about 330 px tall (issue 14): one-line
    headers in the drawing, a one-line verdict, the fractions without their preamble, and
    the class rows keep their room."""
    dataset, snapshot = digits
    assert not panel.compact and panel.hint_label.isVisible()
    tall_rows = panel.network_view.geometry_.pitch
    panel.resize(480, 330)
    qtbot.waitUntil(lambda: panel.compact)
    show(panel, a_with(u2=0.75, u8=0.13), 2, dataset, snapshot)
    assert not panel.hint_label.isVisible()
    assert [h.toPlainText() for h in panel.network_view.header_texts] == [
        "softmax a", "h", "d = M h"
    ]
    assert "Test set:" in panel.stats_label.text() and "samples" not in panel.stats_label.text()
    assert "decoded&nbsp;right" in panel.stats_label.text()
    verdict = panel.verdict_label
    assert verdict.height() < 2 * verdict.fontMetrics().height()  # one line
    rows = panel.network_view.geometry_.pitch
    assert 10 <= rows < tall_rows  # at least 10 px a row at 330 px: a label's height
    code = panel.network_view.code_text.sceneBoundingRect()
    assert panel.network_view.sceneRect().contains(code) or code.bottom() <= (
        panel.network_view.box.sceneBoundingRect().bottom() + 1
    )

    panel.resize(900, 700)
    qtbot.waitUntil(lambda: not panel.compact)
    assert panel.hint_label.isVisible()
    assert panel.network_view.header_texts[0].toPlainText() == "softmax\na"
