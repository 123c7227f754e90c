"""Draw your own digit: a canvas, what the model sees of it, and which pixels voted.

The drawing is made into a dataset row the way the dataset's images were made
(model.preprocess_drawing: MNIST's box fit and centring, or the 8 x 8 digits' block levels), and
shown beside the canvas. For the two classes with the largest z, the image of W_c ⊙ x shows each
pixel's share of z_c = W_c · x + b_c on the weights' diverging colours. "Use as selected sample"
puts the drawing in the sample inspector's place (SampleSelection.set_drawn), so the Jacobian, a
and the binary network show it, with y the class the user meant (the prediction until picked).
On 2-D data (blobs) a click on the plane places the point instead.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, QSize, Qt
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gui.colors import diverging_colormap
from gui.formatting import compact, subscript
from gui.frame import Frame
from gui.panel import Panel
from gui.panels.drawing_canvas import DrawingCanvas
from gui.panels.sample_picture import INK_MAP, PIXEL_LEVELS
from gui.panels.sample_scatter import SampleScatter
from gui.plotting import blank_image, sizes
from gui.selection import SampleSelection
from model import Dataset, preprocess_drawing, softmax

NB = "\u00a0"
#: W_c with a Unicode subscript c is not in every font: rich text's <sub>, kept on one line.
VOTES_CAPTION = f"pixels' votes W<sub>c</sub>{NB}⊙{NB}x"
EMPTY_IMAGE = "Draw a digit first: an empty canvas predicts nothing."
EMPTY_POINT = "Click the plane to place a point."
#: The intended class's first entry: follow the prediction until the user picks a class.
AS_PREDICTED = "= prediction"
SPACING = 4
MIN_TILE_PX = 40
SIZE_HINT = (560, 400)
#: Pictures under the canvas when the panel is narrower than this times its height.
TALL_BELOW = 1.25
#: The colour bar's own height and its ticks, above its tick labels.
COLORBAR_PX = 44
#: The share of the inked pixels' votes inside the colour levels.
VOTE_QUANTILE = 0.98
#: Colour levels never narrower than this: a faint drawing is not shown as saturated votes.
MIN_LEVEL = 1e-3


class DrawingPanel(Panel):
    """The user's drawing (or point), the model's input made of it, and the top two votes."""

    title = "Draw your own digit"

    def __init__(self, selection: SampleSelection, parent: QWidget | None = None):
        super().__init__(parent)
        self.selection = selection
        self._dataset: Dataset | None = None
        self._frame: Frame | None = None
        self._shown_key: tuple | None = None
        self.x: np.ndarray | None = None  # the drawing as a dataset row (None: nothing drawn)
        self.intended: int | None = None  # the class the user meant (None: the prediction)
        self.top: list[int] = []  # the two classes with the largest z, as shown
        self._input_scale = 1.0  # the run's (255: raw pixels: W sees 255 x)
        self._setting_drawn = False  # this panel is writing the selection
        self._build()
        self._lay_out()
        self.set_presentation(False)
        self.selection.drawn_changed.connect(self._on_drawn_changed)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.canvas = DrawingCanvas()
        self.canvas.stroke_finished.connect(self._on_drawing_changed)
        self.plane = SampleScatter()
        self.plane.setToolTip("Click to place a point; the model classifies it.")
        self.plane.scene().sigMouseClicked.connect(self._on_plane_clicked)
        self.input_stack = QStackedWidget()
        self.input_stack.addWidget(self.canvas)
        self.input_stack.addWidget(self.plane)
        self.input_stack.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self.clear_action = QAction("Clear drawing", self)
        self.clear_action.setShortcuts([QKeySequence(Qt.Key.Key_Delete), QKeySequence("C")])
        self.clear_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.clear_action.setToolTip("Clear the canvas (Delete or C while it has the focus).")
        self.clear_action.triggered.connect(self.clear)
        self.addAction(self.clear_action)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip(self.clear_action.toolTip())
        self.clear_button.clicked.connect(self.clear)
        # A check box: its state (the drawing is the selected sample) shows at a glance.
        self.use_button = QCheckBox("Use as selected sample")
        self.use_button.setToolTip(
            "Show the drawing in the sample inspector, the Jacobian and the binary network,"
            " as if it were a test sample; any test sample chosen there leaves it."
        )
        self.use_button.toggled.connect(self._on_use_toggled)
        for button in (self.clear_button, self.use_button):
            button.setAccessibleName(button.text())
        self.intended_label = QLabel("intended")
        self.intended_combo = QComboBox()
        self.intended_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.intended_combo.setToolTip(
            "The class you meant: y for a − e_y and the loss (a digit key picks it too)."
        )
        self.intended_combo.setAccessibleName("Intended")  # what its label says
        self.intended_label.setBuddy(self.intended_combo)
        self.intended_combo.currentIndexChanged.connect(self._on_intended_picked)
        self.digit_actions = []
        for digit in range(10):
            action = QAction(f"Intended class {digit}", self)
            action.setShortcut(QKeySequence(str(digit)))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _=False, d=digit: self.set_intended(d))
            self.addAction(action)
            self.digit_actions.append(action)
        self.status_label = QLabel(EMPTY_IMAGE)
        self.status_label.setWordWrap(True)

        # What the model sees, and the two votes, each a small locked-aspect picture.
        self.input_caption = QLabel("what the model sees")
        self.input_view, self.input_box, self.input_item = _picture()
        self.input_item.setColorMap(INK_MAP)
        self.votes_caption = QLabel(VOTES_CAPTION)
        self.vote_labels = [QLabel(" "), QLabel(" ")]
        self.vote_views, self.vote_items = [], []
        for _ in range(2):
            view, _box, item = _picture()
            item.setColorMap(diverging_colormap())
            self.vote_views.append(view)
            self.vote_items.append(item)
        self.colorbar_view = pg.GraphicsLayoutWidget()
        self.colorbar_view.setBackground(None)
        self.colorbar = pg.ColorBarItem(
            values=(-1, 1), colorMap=diverging_colormap(), interactive=False,
            colorMapMenu=False, width=12, orientation="horizontal",
        )  # fmt: skip
        self.colorbar.setImageItem(self.vote_items)
        self.colorbar_view.addItem(self.colorbar)
        self.colorbar_view.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        for label in (self.input_caption, self.votes_caption, *self.vote_labels):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)

    def _lay_out(self) -> None:
        """The canvas, what the model sees and the two votes in a row (the canvas twice as wide
        as a picture; the pictures square, centred in the height), or the pictures in a row
        under the canvas in a tall panel; the controls below."""
        seen = QVBoxLayout()
        seen.addStretch(1)
        seen.addWidget(self.input_caption)
        seen.addWidget(self.input_view)
        seen.addStretch(1)
        pair = QHBoxLayout()
        pair.setSpacing(2 * SPACING)
        for label, view in zip(self.vote_labels, self.vote_views, strict=True):
            one = QVBoxLayout()
            one.setSpacing(SPACING)
            one.addWidget(label)
            one.addWidget(view)
            pair.addLayout(one)
        votes = QVBoxLayout()
        votes.addStretch(1)
        votes.addWidget(self.votes_caption)
        votes.addLayout(pair)
        votes.addWidget(self.colorbar_view)
        votes.addStretch(1)
        for column in (seen, votes):
            column.setSpacing(SPACING)
        side = QHBoxLayout()
        side.setSpacing(3 * SPACING)
        side.addLayout(seen, 1)
        side.addLayout(votes, 2)
        # Beside the canvas in a wide panel, below it in a tall one (see resizeEvent).
        self.pictures = pictures = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        pictures.setSpacing(3 * SPACING)
        pictures.addWidget(self.input_stack, 2)
        pictures.addLayout(side, 3)
        # Two short rows: one long row would hold the plot column at its width.
        controls = QGridLayout()
        controls.setHorizontalSpacing(2 * SPACING)
        controls.setVerticalSpacing(SPACING)
        controls.addWidget(self.clear_button, 0, 0)
        intended = QHBoxLayout()
        intended.setSpacing(SPACING)
        intended.addWidget(self.intended_label)
        intended.addWidget(self.intended_combo)
        intended.addStretch(1)
        controls.addLayout(intended, 0, 1)
        controls.addWidget(self.use_button, 1, 0, 1, 2, Qt.AlignmentFlag.AlignLeft)
        controls.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        layout.setSpacing(SPACING)
        layout.addLayout(pictures, 1)
        layout.addLayout(controls)
        layout.addWidget(self.status_label)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        # In a tall panel (a presentation tab) a row beside the canvas leaves the pictures
        # small and the height empty: below the canvas each is a quarter of the width.
        tall = self.width() < TALL_BELOW * self.height()
        direction = QBoxLayout.Direction.TopToBottom if tall else QBoxLayout.Direction.LeftToRight
        if direction != self.pictures.direction():
            self.pictures.setDirection(direction)
            self.pictures.setStretch(0, 1 if tall else 2)
            self.pictures.setStretch(1, 0 if tall else 3)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        # The canvas's own size and three small pictures: not pyqtgraph's 600 x 480 a view,
        # which would take the grid's room from the plots beside it.
        return QSize(SIZE_HINT[0], SIZE_HINT[1])

    # ------------------------------------------------------------------ Panel API
    def set_dataset(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self._frame = None
        self.x = None
        self.intended = None
        self._shown_key = None
        images = dataset.image_shape is not None
        with QSignalBlocker(self.intended_combo):
            self.intended_combo.clear()
            self.intended_combo.addItems([AS_PREDICTED, *map(str, dataset.class_names)])
        if images:
            self.canvas.set_image_shape(dataset.image_shape)
            self.input_item.setImage(
                np.zeros(dataset.image_shape), autoLevels=False, levels=PIXEL_LEVELS
            )
            for item in self.vote_items:
                item.setImage(np.zeros(dataset.image_shape), autoLevels=False, levels=(-1, 1))
            self.input_stack.setCurrentWidget(self.canvas)
        else:
            self.plane.set_dataset(dataset)
            X = np.vstack([dataset.X_train, dataset.X_test])
            self._point_range = (X.min(axis=0), X.max(axis=0))
            self.input_stack.setCurrentWidget(self.plane)
        for widget in (self.input_view, *self.vote_views, self.colorbar_view):
            widget.setVisible(images)
        self.input_caption.setText("what the model sees" if images else " ")
        self.votes_caption.setText(VOTES_CAPTION if images else "votes")
        self._show_prediction()

    def show_frame(self, frame: Frame) -> None:
        if frame.dataset is not self._dataset:
            self.set_dataset(frame.dataset)
        self._frame = frame
        self._show_prediction()

    def set_presentation(self, on: bool) -> None:
        self.plane.set_presentation(on)
        # A horizontal bar: its tick axis is below it (style_colorbar fits a vertical one's).
        ticks = QFont()
        ticks.setPointSize(sizes(on)["tick_pt"])
        self.colorbar.axis.setStyle(tickFont=ticks)
        self.colorbar.axis.setHeight(None)
        # Room for the bar and its tick labels, and no more: the pictures get the rest.
        self.colorbar_view.setFixedHeight(QFontMetrics(ticks).height() + COLORBAR_PX)

    def add_actions(self, menu) -> None:
        menu.addAction(self.clear_action)

    # ------------------------------------------------------------------ the drawing
    @property
    def shows_points(self) -> bool:
        return self.input_stack.currentWidget() is self.plane

    def clear(self) -> None:
        """An empty canvas (or no point), the intended class back to the prediction."""
        self.canvas.clear()
        self.plane.selected_point.setData([], [])
        self.x = None
        self.set_intended(None)
        if self.use_button.isChecked():  # still in use: the next drawing is selected again
            self._write_selection()
        self._show_prediction()

    def set_intended(self, label: int | None) -> None:
        """The class the user meant (None: the prediction); ignored beyond the classes."""
        n = self._dataset.n_classes if self._dataset is not None else 0
        if label is not None and not 0 <= label < n:
            return
        self.intended_combo.setCurrentIndex(0 if label is None else label + 1)

    def _on_intended_picked(self, index: int) -> None:
        self.intended = None if index <= 0 else index - 1
        if self.use_button.isChecked():
            self._write_selection()
        self._show_prediction()

    def _on_drawing_changed(self) -> None:
        """The end of a stroke: the drawing as the model's input, and everywhere it is used."""
        if self._dataset is None or self._dataset.image_shape is None:
            return
        self.x = preprocess_drawing(self.canvas.ink, self._dataset.image_shape)
        if self.use_button.isChecked():
            self._write_selection()
        self._show_prediction()

    def _on_plane_clicked(self, event) -> None:
        if not self.shows_points or event.button() != Qt.MouseButton.LeftButton:
            return
        box = self.plane.scatter_plot.getViewBox()
        if not box.sceneBoundingRect().contains(event.scenePos()):
            return
        point = box.mapSceneToView(event.scenePos())
        self.place_point(point.x(), point.y())

    def place_point(self, x1: float, x2: float) -> None:
        """The point (x1, x2), kept within the data's range, as the drawing."""
        low, high = self._point_range
        x = np.array(low, dtype=np.float32)  # features past the second stay at their minimum
        x[0] = np.clip(x1, low[0], high[0])
        if x.size > 1:
            x[1] = np.clip(x2, low[1], high[1])
        self.x = x
        self.plane.selected_point.setData([x[0]], [x[1] if x.size > 1 else 0.0])
        if self.use_button.isChecked():
            self._write_selection()
        self._show_prediction()

    # ------------------------------------------------------------------ the selection
    def _on_use_toggled(self, on: bool) -> None:
        if on:
            self._write_selection()
        else:
            self._setting_drawn = True
            self.selection.clear_drawn()
            self._setting_drawn = False

    def _write_selection(self) -> None:
        self._setting_drawn = True
        try:
            if self.x is None:
                self.selection.clear_drawn()
            else:
                self.selection.set_drawn(self.x, self.intended)
        finally:
            self._setting_drawn = False

    def _on_drawn_changed(self) -> None:
        # A test sample chosen elsewhere (or a new dataset) left the drawing.
        if not self._setting_drawn and self.selection.drawn is None:
            with QSignalBlocker(self.use_button):
                self.use_button.setChecked(False)

    # ------------------------------------------------------------------ showing
    def _show_prediction(self) -> None:
        """The status line, the model's input and the two votes for the drawing and the last
        frame's model; nothing is set again when nothing shown would change."""
        frame, x = self._frame, self.x
        key = (frame.snapshot if frame else None, id(x), self.intended)
        old = self._shown_key
        # The snapshot by identity: == compares its arrays, and raised for two runs' step 0
        # (equal up to W; a lesson step makes a new run and resets it).
        if old is not None and old[0] is key[0] and old[1:] == key[1:]:
            return
        self._shown_key = key
        self.use_button.setEnabled(self._dataset is not None)
        if x is None:
            self._set_text(self.status_label, EMPTY_POINT if self.shows_points else EMPTY_IMAGE)
            self._show_votes(None, None)
            return
        if not self.shows_points:
            self.input_item.setImage(
                x.reshape(self._dataset.image_shape), autoLevels=False, levels=PIXEL_LEVELS
            )
        if frame is None:
            self._set_text(self.status_label, "no model yet")
            self._show_votes(None, None)
            return
        W = np.asarray(frame.snapshot.W, dtype=np.float64)
        b = np.asarray(frame.snapshot.b, dtype=np.float64)
        self._input_scale = frame.snapshot.input_scale  # raw pixels: W sees 255 x
        z = W @ (x.astype(np.float64) * self._input_scale) + b
        a = softmax(z)
        predicted = int(np.argmax(a))
        names = self._dataset.class_names
        text = f"predicted {names[predicted]}  (a{subscript(predicted)} = {a[predicted]:.2f})"
        if self.intended is not None and self.intended != predicted:
            text += f"; you meant {names[self.intended]}"
        self._set_text(self.status_label, text)
        self._show_votes(W, b, z)

    def _show_votes(self, W, b, z=None) -> None:
        if z is None:
            self.top = []
            for label in self.vote_labels:
                self._set_text(label, " ")
            if not self.shows_points and self._dataset is not None:
                for item in self.vote_items:
                    item.setImage(np.zeros(self._dataset.image_shape), autoLevels=False)
            return
        self.top = [int(c) for c in np.argsort(-z, kind="stable")[:2]]
        names = self._dataset.class_names
        x = self.x.astype(np.float64) * self._input_scale
        votes = [W[c] * x for c in self.top]
        for label, c in zip(self.vote_labels, self.top, strict=False):
            name = f"z{subscript(c)}"
            if self.shows_points:
                terms = " + ".join(f"{w:.2f}·{v:.2f}" for w, v in zip(W[c], x, strict=True))
                text = f"{names[c]}: {name} = {terms} + {b[c]:.2f} = {compact(z[c], 3)}"
            else:
                text = f"{names[c]}:{NB}{name}{NB}={NB}{compact(z[c], 3)}"
            self._set_text(label, text)
        if self.shows_points:
            return
        # Levels at the VOTE_QUANTILE of the inked pixels' |votes|: one strong pixel saturates
        # rather than washing out the rest.
        inked = np.abs(np.concatenate([v[x > 0] for v in votes]))
        limit = max(MIN_LEVEL, float(np.quantile(inked, VOTE_QUANTILE)) if inked.size else 0)
        levels = (-limit, limit)
        for item, vote in zip(self.vote_items, votes, strict=True):
            item.setImage(vote.reshape(self._dataset.image_shape), autoLevels=False, levels=levels)
        self.colorbar.setLevels(levels)

    @staticmethod
    def _set_text(label: QLabel, text: str) -> None:
        if label.text() != text:
            label.setText(text)


class SquareView(pg.GraphicsLayoutWidget):
    """A picture's view: as tall as it is wide, so a row of them lines up."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        return width


def _picture() -> tuple[SquareView, pg.ViewBox, pg.ImageItem]:
    """A small image in a locked-aspect box with no axes (pixels need none)."""
    view = SquareView()
    view.setBackground(None)
    view.ci.setContentsMargins(0, 0, 0, 0)
    box = view.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
    box.setMenuEnabled(False)
    item = blank_image((28, 28), levels=PIXEL_LEVELS)
    box.addItem(item)
    view.setMinimumSize(MIN_TILE_PX, MIN_TILE_PX)
    policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    view.setSizePolicy(policy)
    return view, box, item
