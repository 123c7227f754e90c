"""Switching datasets with every panel on screen and painted (issue 9, item 1).

Leaving blobs (4 classes) for mnist or digits (10) crashed the app in the Jacobian panel's
paint: its bar charts got 10 bars but kept 4 per-bar brushes and pens, pyqtgraph raised
IndexError inside paint(), and PySide6 at times crashed reporting it.
"""

import itertools

import numpy as np
import pytest

from gui.main_window import MainWindow
from gui.panels.jacobian_panel import JacobianPanel
from gui.plotting import configure_pyqtgraph
from tests.gui.clients import make_client


@pytest.fixture
def small_file(tmp_path):
    """An opened file: 6 classes of 5 x 5 images."""
    path = tmp_path / "six.npz"
    rng = np.random.default_rng(0)
    np.savez(
        path,
        x_train=rng.integers(0, 256, (60, 5, 5), dtype=np.uint8),
        y_train=np.arange(60) % 6,
        x_test=rng.integers(0, 256, (12, 5, 5), dtype=np.uint8),
        y_test=np.arange(12) % 6,
    )
    return path


@pytest.fixture
def window(qtbot):
    configure_pyqtgraph()
    controller = make_client("mnist", batch_size=32, speed=200)
    w = MainWindow(controller, None)
    qtbot.addWidget(w)
    w.resize(1600, 1000)
    w.show()
    qtbot.waitExposed(w)
    # Paint every panel as soon as the window has taken the new dataset, before the redraw
    # timer gives it a frame: a teacher's screen is painted then too (a panel tabbed away or
    # closed gets no frame at all until it comes back).
    controller.run_replaced.connect(lambda _reason: [panel.grab() for panel in w.panels])
    yield w
    controller.shutdown(2000)


def switch(window, qtbot, source, name):
    window.controls.load(source)
    qtbot.waitUntil(lambda: window.controller.dataset.name == name, timeout=20_000)
    # Paint as the app does: the redraw timer draws the new dataset, Qt paints every view.
    for _ in range(3):
        window.redraw()
        window.repaint()
        qtbot.wait(40)
    for panel in window.panels:
        panel.grab()  # paints it now, whether or not the platform painted it yet


@pytest.mark.parametrize("playing", [False, True], ids=["paused", "playing"])
def test_every_pair_of_datasets_both_ways(window, qtbot, small_file, playing):
    sources = {"mnist": "mnist", "digits": "digits", "blobs": "blobs", "six.npz": str(small_file)}
    if playing:
        window.controller.play()
    # mnist first; then every ordered pair (a, b) is visited: a switch from a straight to b.
    order = ["mnist"]
    for a, b in itertools.permutations(sources, 2):
        if order[-1] != a:
            order.append(a)
        order.append(b)
    for name in order[1:]:
        switch(window, qtbot, sources[name], name)
        frame_classes = window.controller.latest_snapshot.W.shape[0]
        assert window.panel(JacobianPanel).image.image.shape == (frame_classes, frame_classes)
    window.controller.pause()
