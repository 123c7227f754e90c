"""Sample inspector: pick a test sample, see its image (or point), true and predicted class.

The panel writes the shared `SampleSelection` (only through `set_index`, which validates), so the
Jacobian and probability panels follow whatever sample is picked here. It reads frames: the
picture, the verdict and the top-3 probabilities always come from the last frame shown.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gui.colors import class_color
from gui.frame import Frame
from gui.panel import Panel
from gui.plotting import sizes, style_plot
from gui.selection import SampleSelection
from model import Dataset

#: Dark enough to read on white from the back of a room (the usual pure green washes out).
RIGHT_COLOR = "#1b7a2e"
WRONG_COLOR = "#c41e1e"
#: Ink dark on white: matches the white plots around it and projects better than a black square.
INK_MAP = pg.ColorMap([0.0, 1.0], [(255, 255, 255), (0, 0, 0)])
PIXEL_LEVELS = (0.0, 1.0)
VERDICT_PT = {False: 20, True: 30}
DETAIL_PT = {False: 13, True: 20}


class SamplePanel(Panel):
    """The selected test sample: its image (or 2-D point), true and predicted class, top-3 a."""

    title = "Sample inspector"

    def __init__(self, selection: SampleSelection, parent: QWidget | None = None):
        super().__init__(parent)
        self.selection = selection
        self._dataset: Dataset | None = None
        self._frame: Frame | None = None
        self._verdict_key: tuple | None = None
        self._rng = np.random.default_rng()
        self._build_controls()
        self._build_views()
        self._build_text()
        self._lay_out()
        self.selection.changed.connect(self._on_selection_changed)
        self.set_presentation(False)

    # ------------------------------------------------------------------ building
    def _build_controls(self) -> None:
        self.index_label = QLabel("test sample #")
        self.index_spin = QSpinBox()
        self.index_spin.setRange(0, max(0, self.selection.n_samples - 1))
        self.index_spin.setValue(self.selection.index)
        self.index_spin.setToolTip("Choose the test sample to inspect by its test-set index.")
        self.index_spin.valueChanged.connect(self.selection.set_index)
        self.index_label.setBuddy(self.index_spin)
        self.previous_button = QPushButton("◀ Previous")
        self.previous_button.setToolTip("Select the test sample before this one.")
        self.previous_button.clicked.connect(lambda: self._step(-1))
        self.next_button = QPushButton("Next ▶")
        self.next_button.setToolTip("Select the test sample after this one.")
        self.next_button.clicked.connect(lambda: self._step(+1))
        self.misclassified_button = QPushButton("Next misclassified ▶▶")
        self.misclassified_button.setToolTip(
            "Jump to the next test sample the model currently gets wrong (wrapping around)."
        )
        self.misclassified_button.clicked.connect(self.next_misclassified)
        self.random_button = QPushButton("Random")
        self.random_button.setToolTip("Select a test sample at random.")
        self.random_button.clicked.connect(
            lambda: self.selection.set_index(int(self._rng.integers(self.selection.n_samples)))
        )

    def _build_views(self) -> None:
        # Image datasets: one ImageItem in a locked-aspect ViewBox, no axes (pixels need none).
        self.image_view = pg.GraphicsLayoutWidget()
        self.image_box = self.image_view.addViewBox(
            lockAspect=True, invertY=True, enableMouse=False
        )
        self.image_box.setMenuEnabled(False)
        self.image_item = pg.ImageItem()
        self.image_item.setColorMap(INK_MAP)
        self.image_box.addItem(self.image_item)
        # A white image on a white page has no edge; the frame shows where the picture ends.
        self.image_border = pg.QtWidgets.QGraphicsRectItem()
        self.image_border.setPen(pg.mkPen((150, 150, 150), width=1, cosmetic=True))
        self.image_box.addItem(self.image_border)
        # Point datasets (blobs): the test set by true class, the selected point ringed.
        self.scatter_view = pg.PlotWidget()
        self.scatter_plot = self.scatter_view.getPlotItem()
        self.scatter_plot.setMenuEnabled(False)
        self.scatter_plot.setMouseEnabled(False, False)
        self.scatter_plot.hideButtons()
        self.class_points: list[pg.ScatterPlotItem] = []
        self.wrong_points = pg.ScatterPlotItem(
            symbol="x", size=9, pen=pg.mkPen("k", width=1.5), brush=None
        )
        self.selected_point = pg.ScatterPlotItem(
            symbol="o", size=26, pen=pg.mkPen("k", width=3), brush=None
        )
        self.scatter_plot.addItem(self.wrong_points)
        self.scatter_plot.addItem(self.selected_point)
        self.views = QStackedWidget()
        self.views.addWidget(self.image_view)
        self.views.addWidget(self.scatter_view)

    def _build_text(self) -> None:
        self.verdict_label = QLabel("no model yet")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption_label = QLabel("")
        self.caption_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption_label.setWordWrap(True)
        self.top_label = QLabel("")
        self.true_label = QLabel("")
        self.features_label = QLabel("")
        self.legend_label = QLabel("")
        self.status_label = QLabel("")
        for label in (self.top_label, self.true_label, self.legend_label):
            label.setTextFormat(Qt.TextFormat.RichText)
        for label in (self.true_label, self.features_label, self.legend_label, self.status_label):
            label.setWordWrap(True)

    def _lay_out(self) -> None:
        # Two short rows rather than one long one, so a narrow dock can still show them all.
        moves = QHBoxLayout()
        for widget in (self.index_label, self.index_spin, self.previous_button, self.next_button):
            moves.addWidget(widget)
        moves.addStretch(1)
        jumps = QHBoxLayout()
        jumps.addWidget(self.misclassified_button)
        jumps.addWidget(self.random_button)
        jumps.addWidget(self.status_label, 1)  # beside the button whose result it reports
        picture = QVBoxLayout()
        picture.addWidget(self.views, 1)
        picture.addWidget(self.caption_label)
        details = QVBoxLayout()
        for label in (self.top_label, self.true_label, self.features_label, self.legend_label):
            details.addWidget(label)
            details.addSpacing(8)
        details.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(picture, 3)
        body.addLayout(details, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(moves)
        layout.addLayout(jumps)
        layout.addWidget(self.verdict_label)
        layout.addLayout(body, 1)

    # ------------------------------------------------------------------ Panel API
    def set_dataset(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self._frame = None  # its predictions belong to the old dataset
        with QSignalBlocker(self.index_spin):
            self.index_spin.setRange(0, dataset.n_test - 1)
            self.index_spin.setValue(min(self.selection.index, dataset.n_test - 1))
        self.status_label.setText("")
        if dataset.image_shape is not None:
            rows, cols = dataset.image_shape
            self.image_item.setImage(
                np.zeros((rows, cols), np.float32), autoLevels=False, levels=PIXEL_LEVELS
            )
            self.image_border.setRect(0, 0, cols, rows)
            self.image_box.setRange(xRange=(0, cols), yRange=(0, rows), padding=0.02)
            self.views.setCurrentWidget(self.image_view)
        else:
            self._build_scatter(dataset)
            self.views.setCurrentWidget(self.scatter_view)
        self.features_label.setVisible(dataset.image_shape is None)
        self.legend_label.setVisible(dataset.image_shape is None)
        self._verdict_key = None

    def _build_scatter(self, dataset: Dataset) -> None:
        for item in self.class_points:
            self.scatter_plot.removeItem(item)
        X, y = dataset.X_test, dataset.y_test
        xs, ys = _plane(X)
        self.class_points = []
        for c in range(dataset.n_classes):
            r, g, b = class_color(c)
            item = pg.ScatterPlotItem(
                xs[y == c], ys[y == c], size=8, pen=None, brush=pg.mkBrush(r, g, b, 150),
            )
            item.setZValue(-1)
            self.scatter_plot.addItem(item)
            self.class_points.append(item)
        # The legend is text beside the plot: inside it would cover points.
        keys = "".join(
            f"<span style='color: rgb{class_color(c)}'>●</span>&nbsp;{name}&nbsp;&nbsp; "
            for c, name in enumerate(map(escape, dataset.class_names))
        )
        self.legend_label.setText(
            f"<b>key</b><br>true class:<br>{keys}<br>✖&nbsp;misclassified now<br>"
            "◯&nbsp;selected sample"
        )
        self.wrong_points.setData([], [])
        self.selected_point.setData([], [])
        x_name, y_name = ("x₁", "x₂") if X.shape[1] >= 2 else ("x₁", "(none)")
        self.scatter_plot.setLabel("bottom", f"feature {x_name} (scaled to 0…1)")
        self.scatter_plot.setLabel("left", f"feature {y_name} (scaled to 0…1)")
        self.scatter_plot.setXRange(-0.03, 1.03, padding=0)
        self.scatter_plot.setYRange(-0.03, 1.03, padding=0)
        self.scatter_plot.setAspectLocked(True)

    def show_frame(self, frame: Frame) -> None:
        if frame.dataset is not self._dataset:
            self.set_dataset(frame.dataset)
        self._frame = frame
        dataset, i = frame.dataset, frame.sample_index
        if dataset.image_shape is not None:
            self.image_item.setImage(
                frame.sample_x.reshape(dataset.image_shape), autoLevels=False, levels=PIXEL_LEVELS
            )
            rows, cols = dataset.image_shape
            self.caption_label.setText(f"#{i:,} · {rows}×{cols} pixels · dark = ink")
        else:
            xs, ys = _plane(frame.sample_x[None, :])
            self.selected_point.setData(xs, ys)
            wrong = frame.test_predictions != dataset.y_test
            wx, wy = _plane(dataset.X_test[wrong])
            self.wrong_points.setData(wx, wy)
            self.caption_label.setText(f"#{i:,} ringed, among the test set")
            shown = enumerate(frame.sample_x[:6])
            values = "   ".join(f"x{_sub(k + 1)}\u00a0=\u00a0{v:.2f}" for k, v in shown)
            more = " …" if dataset.n_features > 6 else ""
            self.features_label.setText(f"features:\n{values}{more}")
        self._show_verdict(frame)

    def _show_verdict(self, frame: Frame) -> None:
        names = frame.dataset.class_names  # plain text in the verdict, escaped in rich text
        true, predicted = frame.sample_label, frame.sample_prediction
        a = frame.sample_proba
        # Rounded as shown: a redraw with nothing visibly new touches no widget (no style churn).
        key = (frame.sample_index, true, predicted, tuple(np.round(a, 3)))
        if key == self._verdict_key:
            return
        self._verdict_key = key
        right = true == predicted
        mark = "✓" if right else "✗"  # a shape as well as a colour, for colour-blind viewers
        self.verdict_label.setText(
            f"{mark}  true: {names[true]}    predicted: {names[predicted]} (p = {a[predicted]:.2f})"
        )
        color = RIGHT_COLOR if right else WRONG_COLOR
        self.verdict_label.setStyleSheet(f"color: {color}; font-weight: bold;")
        rows = []
        for c in np.argsort(-a, kind="stable")[:3]:
            note = "&nbsp;&nbsp;← true" if c == true else ""
            swatch = f"<span style='color: rgb{class_color(int(c))}'>■</span>"
            rows.append(
                f"<tr><td>{swatch}&nbsp;{escape(names[c])}</td>"
                f"<td align='right'>&nbsp;&nbsp;{a[c]:.3f}</td><td>{note}</td></tr>"
            )
        self.top_label.setText(
            "<b>top 3 probabilities a<sub>i</sub></b><table>" + "".join(rows) + "</table>"
        )
        # The loss this sample adds is -log a_y: show the link between a and the loss.
        loss = -np.log(max(a[true], np.finfo(float).tiny))
        self.true_label.setText(
            f"true class {escape(names[true])}: a<sub>y</sub> = {a[true]:.3f}<br>"
            f"loss −log a<sub>y</sub> = {loss:.2f}"
        )

    def set_presentation(self, on: bool) -> None:
        font = QFont(self.font())
        font.setPointSize(VERDICT_PT[on])
        self.verdict_label.setFont(font)
        font = QFont(self.font())
        font.setPointSize(DETAIL_PT[on])
        for label in (
            self.top_label, self.true_label, self.caption_label, self.features_label,
            self.legend_label,
        ):  # fmt: skip
            label.setFont(font)
        style_plot(self.scatter_plot, on)
        s = sizes(on)
        self.selected_point.setPen(pg.mkPen("k", width=s["line"] + 1))
        self.selected_point.setSize(26 if not on else 36)

    # ------------------------------------------------------------------ actions
    def next_misclassified(self) -> None:
        """Select the first misclassified test sample after the current one, wrapping around."""
        frame = self._frame
        if frame is None:
            self.status_label.setText("no model shown yet: nothing to search")
            return
        wrong = np.flatnonzero(frame.test_predictions != frame.dataset.y_test)
        if wrong.size == 0:
            self.status_label.setText(
                f"none misclassified: all {frame.dataset.n_test:,} test samples are right"
            )
            return
        current = self.selection.index
        after = wrong[wrong > current]
        target = int(after[0] if after.size else wrong[0])
        rank = int(np.searchsorted(wrong, target)) + 1
        self.selection.set_index(target)
        # After set_index: moving clears the status, but this message is about the move.
        self.status_label.setText(f"misclassified now: {rank:,} of {wrong.size:,}")

    def _step(self, delta: int) -> None:
        self.selection.set_index(self.selection.index + delta)

    def _on_selection_changed(self, index: int) -> None:
        # Blocked so the spin box does not write the same index back into the selection.
        with QSignalBlocker(self.index_spin):
            self.index_spin.setValue(index)
        self.status_label.setText("")


def _plane(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first two feature columns of X (N x D) as plot coordinates (0 for a missing one)."""
    xs = X[:, 0]
    ys = X[:, 1] if X.shape[1] >= 2 else np.zeros_like(xs)
    return xs, ys


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
