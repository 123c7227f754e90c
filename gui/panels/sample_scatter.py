"""The sample inspector's view for point datasets (blobs): the test set with the sample ringed."""

from __future__ import annotations

from html import escape

import numpy as np
import pyqtgraph as pg

from gui.colors import class_color
from gui.frame import Frame
from gui.plotting import sizes, style_plot
from model import Dataset


def plane(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first two feature columns of X (N x D) as plot coordinates (0 for a missing one)."""
    xs = X[:, 0]
    ys = X[:, 1] if X.shape[1] >= 2 else np.zeros_like(xs)
    return xs, ys


class SampleScatter(pg.PlotWidget):
    """Test points coloured by true class, ✖ on those misclassified now, the selection ringed."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.scatter_plot = self.getPlotItem()
        self.scatter_plot.setMenuEnabled(False)
        self.scatter_plot.setMouseEnabled(False, False)
        self.scatter_plot.hideButtons()
        # Features are scaled to 0..1: fixed ranges and three ticks keep a small plot legible.
        self.scatter_plot.setXRange(-0.03, 1.03, padding=0)
        self.scatter_plot.setYRange(-0.03, 1.03, padding=0)
        ticks = [[(0.0, "0"), (0.5, "0.5"), (1.0, "1")]]
        for name in ("bottom", "left"):
            self.scatter_plot.getAxis(name).setTicks(ticks)
        # Large fonts: let "0" and "1" overhang the axis ends a little rather than vanish.
        self.scatter_plot.getAxis("bottom").setStyle(hideOverlappingLabels=20)
        self.class_points: list[pg.ScatterPlotItem] = []
        self.wrong_points = pg.ScatterPlotItem(
            symbol="x", size=9, pen=pg.mkPen("k", width=1.5), brush=None
        )
        self.selected_point = pg.ScatterPlotItem(
            symbol="o", size=26, pen=pg.mkPen("k", width=3), brush=None
        )
        self.scatter_plot.addItem(self.wrong_points)
        self.scatter_plot.addItem(self.selected_point)

    def set_dataset(self, dataset: Dataset) -> None:
        """One scatter item per class, made here once per dataset."""
        for item in self.class_points:
            self.scatter_plot.removeItem(item)
        X, y = dataset.X_test, dataset.y_test
        xs, ys = plane(X)
        self.class_points = []
        for c in range(dataset.n_classes):
            r, g, b = class_color(c)
            item = pg.ScatterPlotItem(
                xs[y == c], ys[y == c], size=8, pen=None, brush=pg.mkBrush(r, g, b, 150)
            )
            item.setZValue(-1)
            self.scatter_plot.addItem(item)
            self.class_points.append(item)
        self.wrong_points.setData([], [])
        self.selected_point.setData([], [])
        self.scatter_plot.setLabel("bottom", "x₁")
        self.scatter_plot.setLabel("left", "x₂" if X.shape[1] >= 2 else "(none)")

    def show_frame(self, frame: Frame) -> None:
        xs, ys = plane(frame.sample_x[None, :])
        self.selected_point.setData(xs, ys)
        wrong = frame.test_predictions != frame.dataset.y_test
        self.wrong_points.setData(*plane(frame.dataset.X_test[wrong]))

    def set_presentation(self, on: bool) -> None:
        style_plot(self.scatter_plot, on)
        self.selected_point.setPen(pg.mkPen("k", width=sizes(on)["line"] + 1))
        self.selected_point.setSize(36 if on else 26)

    @staticmethod
    def key_html(dataset: Dataset) -> str:
        """One line of coloured class names: a legend inside the plot would cover points."""
        keys = " ".join(
            f"<span style='color: rgb{class_color(c)}'>●</span>&nbsp;{name}"
            for c, name in enumerate(map(escape, dataset.class_names))
        )
        return f"{keys} &nbsp; ✖&nbsp;misclassified"
