"""The class templates as one plot: row i of W as an image, all classes in a grid, titled.

One ViewBox holds one ImageItem per grid row (the tiles of a row side by side, NaN, which
pyqtgraph paints transparent, between them) and a text item per class for its name and bias,
in a band above each row. Ten plots with ten titles would cost a layout pass whenever a bias
changed and ten image conversions a frame; here a frame sets the row images and the bias texts
that changed, and the band and title positions change only when the view is resized.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetrics

from gui.pixel_text import PixelText
from gui.plotting import blank_image

#: Title colours: the class name as the heading, the bias quieter beside it.
#: Round the templates' scale down to whole device pixels per weight when that keeps at
#: least this share of their size (on a 2x screen 5.3 -> 5 device pixels a weight).
WHOLE_PIXELS_IF_ABOVE = 0.85
NAME_COLOR = (0, 0, 0)
BIAS_COLOR = (85, 85, 85)


def template_grid(n_classes: int) -> tuple[int, int]:
    """(rows, cols) for the templates: about 2.5 times wider than tall (10 classes: 2 x 5)."""
    rows = max(1, min(n_classes, round(math.sqrt(n_classes / 2.5))))
    return rows, math.ceil(n_classes / rows)


class TemplateMosaic:
    """Templates of `n_classes` images of `image_shape` (h, w) in a `plot` (a pg.PlotItem)."""

    def __init__(self, plot: pg.PlotItem, class_names, image_shape: tuple[int, int]):
        self.plot = plot
        self.class_names = list(class_names)
        self.h, self.w = image_shape
        self.rows, self.cols = template_grid(len(self.class_names))
        self.gap = max(1, round(0.15 * self.w))  # image pixels between tiles of a row
        self.band = 0.3 * self.h  # title room above each row, in image pixels (see fit)
        self.show_bias = True
        for axis in ("left", "bottom"):
            plot.hideAxis(axis)
        plot.setAspectLocked(True)
        plot.invertY(True)  # image row 0 at the top, as the digit is written
        width = self.cols * self.w + (self.cols - 1) * self.gap
        self._row_data = np.full((self.rows, self.h, width), np.nan)
        self.row_images: list[pg.ImageItem] = []
        for _ in range(self.rows):
            image = blank_image((self.h, width))
            plot.addItem(image)
            self.row_images.append(image)
        # Qt-only texts: twenty pg.TextItems cost 0.8 ms of every frame's paint.
        self.names = [PixelText(str(name), color=NAME_COLOR) for name in self.class_names]
        self.biases = [PixelText("", color=BIAS_COLOR) for _ in self.class_names]
        for item in self.names + self.biases:
            plot.addItem(item)
        plot.vb.sigResized.connect(self.fit)
        self.set_fonts(11, 9)

    # ------------------------------------------------------------------ geometry
    def tile_origin(self, i: int) -> tuple[float, float]:
        """(x, y) of the top-left corner of class i's tile in view coordinates."""
        r, c = divmod(i, self.cols)
        return c * (self.w + self.gap), r * (self.h + self.band) + self.band

    def set_fonts(self, title_pt: float, bias_pt: float) -> None:
        self.name_font = QFont()
        self.name_font.setPointSizeF(title_pt)
        self.name_font.setBold(True)
        self.bias_font = QFont()
        self.bias_font.setPointSizeF(bias_pt)
        for item in self.names:
            item.setFont(self.name_font)
        for item in self.biases:
            item.setFont(self.bias_font)
        self.fit()

    def fit(self) -> None:
        """Size the title bands to the font at the view's current scale, place the titles, and
        show the biases only where a tile is wide enough for name and bias side by side."""
        vb = self.plot.vb
        view_w, view_h = vb.width(), vb.height()
        width = self.cols * self.w + (self.cols - 1) * self.gap
        # A text item's box is its text plus the document's margin on every side.
        margin = self.names[0].textItem.document().documentMargin() if self.names else 0
        text_h = QFontMetrics(self.name_font).height() + 2 * margin
        if view_w <= 0 or view_h <= 0:
            return
        # Pixels per image pixel if the width limits the scale; else the height does.
        scale = view_w / width
        band = text_h / scale
        if self.rows * (self.h + band) * scale > view_h:
            room = view_h - text_h * self.rows
            band = text_h * self.rows * self.h / room if room > 0 else self.h
            scale = view_h / (self.rows * (self.h + band))
        # Whole device pixels per weight, so every weight is a square of k x k pixels on a
        # high-DPI screen too (not a mix of k and k + 1), where that costs little size.
        dpr = max(self.plot.scene().views()[0].devicePixelRatioF(), 1.0) if self.plot.scene() \
            and self.plot.scene().views() else 1.0  # fmt: skip
        whole = math.floor(scale * dpr) / dpr
        if whole > 0 and whole >= WHOLE_PIXELS_IF_ABOVE * scale:
            scale = whole
            band = text_h / scale
        self.band = band
        for r, image in enumerate(self.row_images):
            image.setRect(QRectF(0, r * (self.h + band) + band, width, self.h))
        height = self.rows * (self.h + band)
        # The view shows `scale` pixels per image pixel, the mosaic centred in it.
        extra_x, extra_y = (view_w / scale - width) / 2, (view_h / scale - height) / 2
        vb.setRange(xRange=(-extra_x, width + extra_x), yRange=(-extra_y, height + extra_y),
                    padding=0)  # fmt: skip
        tile_px = self.w * scale
        bias_metrics = QFontMetrics(self.bias_font)  # "+" is wider than "-" in some fonts
        widest_bias = max(bias_metrics.horizontalAdvance(f"b={s}0.00") for s in "+-")
        widest_name = max(QFontMetrics(self.name_font).horizontalAdvance(str(n))
                          for n in self.class_names)  # fmt: skip
        self.show_bias = widest_name + widest_bias + 4 * margin + 4 <= tile_px
        for i in range(len(self.class_names)):
            x, y = self.tile_origin(i)
            if self.show_bias:
                self.names[i].setAnchor((0, 1))
                self.names[i].setPos(x, y)
                self.biases[i].setAnchor((1, 1))
                self.biases[i].setPos(x + self.w, y)
            else:
                self.names[i].setAnchor((0.5, 1))
                self.names[i].setPos(x + self.w / 2, y)
            self.biases[i].setVisible(self.show_bias)

    # ------------------------------------------------------------------ drawing
    def set_weights(self, W: np.ndarray, levels: tuple[float, float]) -> None:
        """Row i of W as tile i; `levels` are the colour map's ends."""
        for i, row in enumerate(W):
            r, c = divmod(i, self.cols)
            x = c * (self.w + self.gap)
            self._row_data[r, :, x : x + self.w] = row.reshape(self.h, self.w)
        for r, image in enumerate(self.row_images):
            image.setImage(self._row_data[r], autoLevels=False, levels=levels)

    def set_biases(self, b: np.ndarray) -> None:
        """Each title's "b=+0.12", set only where the text changed."""
        for item, value in zip(self.biases, b, strict=True):
            text = f"b={value:+.2f}"
            if item.toPlainText() != text:
                item.setText(text)

    def tile(self, i: int) -> np.ndarray:
        """The image shown as class i's tile (h x w)."""
        r, c = divmod(i, self.cols)
        x = c * (self.w + self.gap)
        return self.row_images[r].image[:, x : x + self.w]

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int, int] | None:
        """(class, image row, image col) under `scene_pos`, or None off every tile."""
        vb = self.plot.vb
        if not vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = vb.mapSceneToView(scene_pos)
        r = math.floor(p.y() / (self.h + self.band))
        c = math.floor(p.x() / (self.w + self.gap))
        y = p.y() - r * (self.h + self.band) - self.band
        x = p.x() - c * (self.w + self.gap)
        i = r * self.cols + c
        if 0 <= r < self.rows and 0 <= c < self.cols and i < len(self.class_names):
            if 0 <= y < self.h and 0 <= x < self.w:
                return i, math.floor(y), math.floor(x)
        return None
