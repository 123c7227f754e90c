"""No text is cut off: the window laid out at the screen sizes teachers have, at the desk and in
presentation mode, on every dataset, at low, middle and high p, with a last-class sample and a
misclassified one selected (issue 9, item 7). Every label, button, tab, dock title, plot title,
axis label and text item must fit the space it is given (tests/gui/text_fit.py)."""

from contextlib import contextmanager

import numpy as np
import pytest

from gui.main_window import MainWindow
from gui.plotting import configure_pyqtgraph
from tests.gui.clients import make_client
from tests.gui.text_fit import clipped_texts

SIZES = [(1280, 720), (1366, 768), (1600, 1000), (1920, 1080)]
DATASETS = ["mnist", "digits", "blobs"]


def interesting_samples(window) -> list[int]:
    """A sample of the last class (its "y" marker sits at the edge) and a misclassified one."""
    predicted = window.controller.latest_snapshot.test_summary.predicted
    y = window.controller.dataset.y_test
    last = int(np.flatnonzero(y == y.max())[0])
    wrong = np.flatnonzero(predicted != y)
    return [last, int(wrong[0]) if len(wrong) else 0]


@contextmanager
def trained_window(qtbot, dataset, size, presentation):
    """The window laid out as a first start at `size` (presentation mode: not full screen),
    its model trained 200 steps; closed afterwards."""
    configure_pyqtgraph()
    client = make_client(dataset)
    window = MainWindow(client, None)
    qtbot.addWidget(window)
    try:
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        window._arrange_default_layout()  # as a first start on a screen of this size
        if presentation:
            window.presentation.set_active(True, full_screen=False)
        client._transport.server.handle(("train", 200))
        client.poll()
        yield window
    finally:
        window.presentation.set_active(False, full_screen=False)
        window.close()
        client.shutdown()


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("presentation", [False, True], ids=["desk", "presentation"])
def test_no_text_is_cut_off(qtbot, dataset, size, presentation):
    with trained_window(qtbot, dataset, size, presentation) as window:
        problems = []
        for sample in interesting_samples(window):
            window.selection.set_index(sample)
            for p in (0.05, 0.5, 0.95):
                window.threshold.set_p(p)
                window.redraw()
                for _ in range(3):  # layouts settle over a few turns of the event loop
                    qtbot.wait(1)
                window.grab()  # pyqtgraph's text items place themselves when painted
                problems += [f"sample {sample}, p = {p}: {x}" for x in clipped_texts(window)]
        assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("presentation", [False, True], ids=["desk", "presentation"])
def test_no_text_is_cut_off_with_a_drawing_in_use(qtbot, dataset, size, presentation):
    """The drawing panel in front (a tab behind the weights otherwise), with a drawing made
    the selected sample, an intended class other than the prediction, and an empty canvas."""
    from PySide6.QtCore import QPoint, Qt

    from gui.panels.drawing_panel import DrawingPanel

    with trained_window(qtbot, dataset, size, presentation) as window:
        panel = window.panel(DrawingPanel)
        window.docks["DrawingPanel"].raise_()
        problems = []
        for step in ("empty", "drawn", "intended"):
            if step == "drawn" and panel.shows_points:
                panel.place_point(0.8, 0.2)
            elif step == "drawn":
                paper = panel.canvas.paper_rect()
                points = [QPoint(round(paper.center().x()), round(paper.top() + f * paper.height()))
                          for f in (0.15, 0.5, 0.85)]  # fmt: skip
                left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
                qtbot.mousePress(panel.canvas, left, none, points[0])
                qtbot.mouseMove(panel.canvas, points[1])
                qtbot.mouseRelease(panel.canvas, left, none, points[2])
                panel.use_button.setChecked(True)
            elif step == "intended":
                panel.set_intended(window.controller.dataset.n_classes - 1)
            window.redraw()
            for _ in range(3):
                qtbot.wait(1)
            window.grab()
            problems += [f"{step}: {x}" for x in clipped_texts(window)]
        assert problems == [], "\n".join(problems)
