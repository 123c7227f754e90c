"""Texts of the binary, Jacobian and sample panels fit the room they are given (issue 9, item 7).

Seen cut off before: the binary panel's code line at low p ("MSB first) = 10: no class ha",
", 4, 4, 2), d₀ first: no valid") and in presentation at 1280 x 720 even "d = 0010 (MSB
first) = 2"; the Jacobian's "y = ŷ" marker over classes 8 and 9 and its axis label "class i
(y true, ŷ predicte".
"""

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF

from gui.frame import Frame
from gui.main_window import MainWindow
from gui.panels.binary_output_panel import BinaryOutputPanel
from gui.panels.jacobian_panel import JacobianPanel
from gui.panels.sample_panel import SamplePanel
from gui.plotting import configure_pyqtgraph
from tests.gui.clients import make_client

LAYOUTS = {"desk 1600x1000": ((1600, 1000), False), "presentation 1280x720": ((1280, 720), True)}


@pytest.fixture(params=list(LAYOUTS))
def window(request, qtbot):
    configure_pyqtgraph()
    (width, height), presentation = LAYOUTS[request.param]
    controller = make_client("mnist", batch_size=32)
    w = MainWindow(controller, None)
    qtbot.addWidget(w)
    w.resize(width, height)
    w.show()
    qtbot.waitExposed(w)
    if presentation:
        w.presentation.set_active(True, full_screen=False)
    qtbot.wait(50)
    yield w
    w.presentation.set_active(False)
    controller.shutdown(2000)


def bring_to_front(window, qtbot, name):
    dock = window.docks[name]
    dock.show()
    dock.raise_()
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty())
    qtbot.wait(30)  # its layout settles


def inside(inner: QRectF, outer: QRectF) -> bool:
    return outer.adjusted(-0.5, -0.5, 0.5, 0.5).contains(inner)


def snapshot_giving(window, a):
    """The window's snapshot with W = 0 and b = log a: every sample has probabilities a."""
    s = window.controller.latest_snapshot
    return dataclasses.replace(s, W=np.zeros_like(s.W), b=np.log(a), test_summary=None)


def spread(**units):
    a = np.zeros(10)
    for key, value in units.items():
        a[int(key[1:])] = value
    rest = a == 0
    a[rest] = (1 - a.sum()) / rest.sum()
    return a


@pytest.mark.parametrize(
    ("a", "p", "text"),
    [
        (np.full(10, 0.1), 0.05, "d = (2, 4, 4, 5) (MSB first): no valid code"),
        (spread(u2=0.4, u8=0.35), 0.3, "d = 1010 (MSB first) = 10: no class has this code"),
        (spread(u2=0.9), 0.5, "d = 0010 (MSB first) = 2"),
    ],
)
def test_binary_code_line_fits_the_drawing(window, qtbot, a, p, text):
    bring_to_front(window, qtbot, "BinaryOutputPanel")
    panel, view = window.panel(BinaryOutputPanel), window.panel(BinaryOutputPanel).network_view
    panel.set_threshold(p)
    view.show_sample(a, 2, panel.network)
    assert view.code_text.toPlainText() == text
    visible = view.box.sceneBoundingRect()
    assert inside(view.code_text.sceneBoundingRect(), visible), text


@pytest.mark.parametrize("y", [8, 9])
@pytest.mark.parametrize("a_y", [0.5, 0.95])
def test_jacobian_markers_and_axis_label_fit_the_bar_plot(window, qtbot, y, a_y):
    bring_to_front(window, qtbot, "JacobianPanel")
    panel = window.panel(JacobianPanel)
    dataset = window.controller.dataset
    index = int(np.flatnonzero(dataset.y_test == y)[0])
    a = spread(**{f"u{y}": a_y})
    panel.show_frame(Frame(snapshot_giving(window, a), dataset, index))
    assert panel.true_marker.toPlainText() == "y = ŷ"
    plot = panel.proba_plot.vb.sceneBoundingRect()
    assert inside(panel.true_marker.sceneBoundingRect(), plot)
    axis = panel.proba_plot.getAxis("bottom")
    label = axis.label.toPlainText()
    if panel.compact:  # a short panel drops the axis title (the plot's title says it)
        assert not axis.label.isVisible()
        return
    assert QFontMetricsF(axis.label.font()).horizontalAdvance(label) <= axis.geometry().width()


def test_jacobian_and_sample_labels_fit_their_width(window, qtbot):
    dataset = window.controller.dataset
    index = int(np.flatnonzero(dataset.y_test == 8)[0])
    frame = Frame(snapshot_giving(window, spread(u8=0.3, u3=0.3)), dataset, index)
    for kind in (JacobianPanel, SamplePanel):
        name, panel = kind.__name__, window.panel(kind)
        bring_to_front(window, qtbot, name)
        panel.show_frame(frame)
        qtbot.wait(30)
    jacobian, sample = window.panel(JacobianPanel), window.panel(SamplePanel)
    for label in (
        jacobian.heading, jacobian.hover_label, sample.verdict_label, sample.details.true_label
    ):
        inner = label.label
        height = inner.heightForWidth(inner.contentsRect().width())
        assert height <= label.height() + 1, label.text()
    for label in (sample.details.top_label,):  # the loss line wraps, checked above
        assert label.needed_width(label.text()) <= label.width() + 1, label.text()
