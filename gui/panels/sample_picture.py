"""The selected sample's picture: its image (ink on white, framed) or, for 2-D data, the test set
as points with it ringed; a caption under it and, for points, a colour key."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from gui.formatting import subscript
from gui.frame import Frame
from gui.panels.sample_scatter import SampleScatter
from gui.steady_label import SteadyLabel
from model import Dataset

#: Ink dark on white: matches the white plots around it and projects better than a black square.
INK_MAP = pg.ColorMap([0.0, 1.0], [(255, 255, 255), (0, 0, 0)])
PIXEL_LEVELS = (0.0, 1.0)
MIN_SIDE_PX = 120
SPACING = 4


class SamplePicture(QWidget):
    """The picture (`views`: an image or the plane of points), its caption and key."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._shown = None  # (dataset, sample index) the picture shows
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
        self.scatter_view = SampleScatter()
        self.views = QStackedWidget()
        self.views.addWidget(self.image_view)
        self.views.addWidget(self.scatter_view)
        self.views.setMinimumSize(MIN_SIDE_PX, MIN_SIDE_PX)
        # Preferred, not Expanding, across: a window growing wider gives the room to the
        # plots; this column keeps its width (the picture's size follows it, see the panel).
        self.views.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.caption_label = SteadyLabel(wrap=True)
        self.legend_label = QLabel("")
        self.legend_label.setTextFormat(Qt.TextFormat.RichText)
        self.legend_label.setWordWrap(True)  # only if a projector font makes it too long
        for label in (self.caption_label, self.legend_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self.views, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.caption_label)
        layout.addWidget(self.legend_label)

    @property
    def shows_points(self) -> bool:
        return self.views.currentWidget() is self.scatter_view

    def set_dataset(self, dataset: Dataset) -> None:
        self._shown = None
        if dataset.image_shape is not None:
            rows, cols = dataset.image_shape
            self.image_item.setImage(
                np.zeros((rows, cols), np.float32), autoLevels=False, levels=PIXEL_LEVELS
            )
            self.image_border.setRect(0, 0, cols, rows)
            self.image_box.setRange(xRange=(0, cols), yRange=(0, rows), padding=0.02)
            self.views.setCurrentWidget(self.image_view)
        else:
            self.scatter_view.set_dataset(dataset)
            self.legend_label.setText(self.scatter_view.key_html(dataset))
            self.legend_label.setToolTip(
                "Points are coloured by their true class; ✖ marks those the model gets wrong now."
            )
            self.views.setCurrentWidget(self.scatter_view)
        self.legend_label.setVisible(dataset.image_shape is None)

    def show_frame(self, frame: Frame) -> None:
        dataset, name = frame.dataset, frame.sample_name
        if dataset.image_shape is not None:
            shown = (dataset, frame.sample_index, frame.drawn)
            if shown == self._shown:
                return  # the picture and caption change only with the sample (not per frame)
            self._shown = shown
            self.image_item.setImage(
                frame.sample_x.reshape(dataset.image_shape), autoLevels=False, levels=PIXEL_LEVELS
            )
            rows, cols = dataset.image_shape
            # No-break spaces inside each phrase: a narrow caption wraps between phrases
            # ("28×28 px"), never inside one ("28×28 / px").
            nb = "\u00a0"
            self.caption_label.setText(f"{name} · {rows}×{cols}{nb}px · dark{nb}={nb}ink")
        else:
            self.scatter_view.show_frame(frame)
            shown = enumerate(frame.sample_x[:4])
            values = ", ".join(f"x{subscript(k + 1)}\u00a0=\u00a0{v:.2f}" for k, v in shown)
            more = ", …" if dataset.n_features > 4 else ""
            self.caption_label.setText(f"{name} ◯: {values}{more}")

    def set_presentation(self, on: bool) -> None:
        self.scatter_view.set_presentation(on)

