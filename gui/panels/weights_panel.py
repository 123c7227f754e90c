"""The weight matrix W: what each class has learnt to look for.

Image datasets: row i of W reshaped to the image is class i's "template" (red pixels raise the
class's score z_i = W_i x + b_i, blue pixels lower it); the templates fill most of the panel and
the whole C x D matrix is a strip below them. blobs (2 features): the decision regions
argmax softmax(W x + b) over the unit square with the training points, and the small C x 2 W.
Any other dataset: the C x D heatmap alone. Weights share one diverging colour map centred on 0
and one colour bar whose symmetric levels follow max |W| without flickering.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF
from PySide6.QtWidgets import QGraphicsItem, QVBoxLayout

from gui.colors import SmoothSymmetricLevels, class_color, diverging_colormap
from gui.frame import Frame
from gui.panel import Panel
from gui.plotting import (
    blank_image,
    keep_axis_label_fitted,
    sizes,
    style_colorbar,
    style_plot,
)
from gui.template_mosaic import TemplateMosaic
from model import Dataset, softmax

#: Decision-region grid for 2-D datasets: REGION_GRID x REGION_GRID cells over [0, 1]^2.
REGION_GRID = 200
#: Up to this many features (columns of W), each gets a tick named from 1, like "feature 1".
NAMED_FEATURES = 20
#: Opacity of the region colours (0-255): light enough that the points stay visible on top.
REGION_ALPHA = 70


def region_centres(n: int = REGION_GRID) -> np.ndarray:
    """The centres of an n x n grid of cells over [0, 1]^2 (n x n x 2); [r, c] is (x1, x2) =
    ((c + 0.5) / n, (r + 0.5) / n), so row r of an image is at height x2 (row-major)."""
    t = (np.arange(n) + 0.5) / n
    x1, x2 = np.meshgrid(t, t)
    return np.stack([x1, x2], axis=-1)


def decision_regions(W: np.ndarray, b: np.ndarray, n: int = REGION_GRID) -> np.ndarray:
    """The class argmax softmax(W x + b) = argmax (W x + b) predicts at each cell centre (n x n)."""
    return (region_centres(n) @ np.asarray(W).T + b).argmax(axis=-1)


#: A panel shorter than this many text lines shows the templates alone (see _fit_to_height).
COMPACT_BELOW_LINES = 36

#: The share of |W| the colour levels cover; a long run's few extreme weights saturate.
WEIGHT_QUANTILE = 0.995


def displayed_levels(levels: tuple[float, float]) -> tuple[float, float]:
    """Symmetric levels (-L, L) with L rounded to two significant digits.

    The colour bar's ticks then change in steps of a few percent, not on every frame (each
    change redraws its axis), and 0 stays at the centre of the map.
    """
    limit = abs(levels[1])
    if not np.isfinite(limit) or limit == 0:
        return levels
    limit = float(f"{limit:.1e}")
    return -limit, limit


class FlexibleLabel(pg.LabelItem):
    """A LabelItem that does not widen the layout to fit its text (a long read-out or, in
    presentation mode, a heading is cut at the edge instead of pushing plots off screen)."""

    def updateMin(self) -> None:
        super().updateMin()
        self.setMinimumWidth(0)


class WeightsPanel(Panel):
    """W as class templates (images), decision regions (2-D data) and a C x D heatmap."""

    title = "Weight matrix W"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.view = pg.GraphicsLayoutWidget()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.view)
        self.view.scene().sigMouseMoved.connect(self._on_mouse_moved)
        # 99.5% of the weights within the colour range; the rest saturate (see the class).
        self.level_follower = SmoothSymmetricLevels(quantile=WEIGHT_QUANTILE)
        self._levels_step: int | None = None  # the timeline's step the levels follow (None: live)
        self.levels: tuple[float, float] = (-1.0, 1.0)
        self.presentation = False
        self.dataset: Dataset | None = None
        self._W: np.ndarray | None = None
        self._input_scale = 1.0  # the run's (255: raw pixels), for the regions' read-out
        self._b: np.ndarray | None = None
        self._clear()

    # ------------------------------------------------------------------ building
    def _clear(self) -> None:
        self.view.clear()
        self.header: FlexibleLabel | None = None
        self.templates: TemplateMosaic | None = None
        self.heatmap_plot: pg.PlotItem | None = None
        self.heatmap: pg.ImageItem | None = None
        self.colorbar: pg.ColorBarItem | None = None
        self.region_plot: pg.PlotItem | None = None
        self.region_image: pg.ImageItem | None = None
        self.region_classes: np.ndarray | None = None
        self.scatter_items: list[pg.ScatterPlotItem] = []
        self.legend: pg.LegendItem | None = None
        self.readout = FlexibleLabel("", justify="left")
        self._hints_shown: set[str] = {""}
        self.compact = False

    def set_dataset(self, dataset: Dataset) -> None:
        """Build every plot item for this dataset's shapes (the only place items are made)."""
        self._clear()
        self.dataset = dataset
        self._W = self._b = None
        self.level_follower.reset()
        self.levels = (-1.0, 1.0)
        layout = self.view.ci
        if dataset.image_shape is not None:
            self._build_templates(layout.addLayout(row=0, col=0), dataset)
            x_label = "input feature (pixel index)"
            self._build_heatmap(layout.addPlot(row=1, col=0), dataset, x_label)
            layout.layout.setRowStretchFactor(0, 5)
            layout.layout.setRowStretchFactor(1, 2)
        elif dataset.n_features == 2:
            # The legend gets its own cell so that it never hides points.
            legend = pg.LegendItem(labelTextSize="10pt")
            self._build_regions(layout.addPlot(row=0, col=0, rowspan=2), legend, dataset)
            layout.addItem(legend, row=0, col=1)
            self._build_heatmap(layout.addPlot(row=1, col=1), dataset, "input feature")
            layout.layout.setColumnStretchFactor(0, 3)
            layout.layout.setColumnStretchFactor(1, 1)
        else:
            named = dataset.n_features <= NAMED_FEATURES
            x_label = "input feature" if named else "input feature (index from 0)"
            self._build_heatmap(layout.addPlot(row=0, col=0, rowspan=2), dataset, x_label)
        images = [self.heatmap] + (self.templates.row_images if self.templates else [])
        self.colorbar = pg.ColorBarItem(
            values=self.levels, colorMap=diverging_colormap(), label="weight value",
            interactive=False, colorMapMenu=False,
        )  # fmt: skip
        self.colorbar.setImageItem(images)
        # Axes redrawn only when their range changes (the colour bar's: when the levels do)
        # are painted from a cached pixmap.
        axes = [self.colorbar.axis]
        if self.heatmap_plot is not None:
            axes += [self.heatmap_plot.getAxis(name) for name in ("left", "bottom")]
        for axis in axes:
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        layout.addItem(self.colorbar, row=0, col=layout.layout.columnCount(), rowspan=2)
        layout.addItem(self.readout, row=2, col=0, colspan=layout.layout.columnCount())
        self._set_hint()
        self.set_presentation(self.presentation)
        self._fit_to_height()

    # ------------------------------------------------------------------ room
    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_to_height()
        if self.readout.text in self._hints_shown:  # not while it shows a value
            self._set_hint()

    def _fit_header(self) -> None:
        """The longest wording of the templates' heading that fits its width."""
        if self.header is None or not self.header.isVisible():
            return
        font = QFont()
        font.setPointSize(sizes(self.presentation)["label_pt"])
        room = self.header.boundingRect().width() - 12  # the label's margins
        metrics = QFontMetricsF(font)
        text = next((t for t in self._headers if metrics.horizontalAdvance(t) <= room),
                    self._headers[-1])  # fmt: skip
        if text != self.header.text:
            self.header.setText(text, size=f"{font.pointSize()}pt")

    def _set_hint(self) -> None:
        hint = self._hint()
        self._hints_shown.add(hint)
        self.readout.setText(hint, size=f"{sizes(self.presentation)['tick_pt']}pt")

    def _fit_to_height(self) -> None:
        """In a short panel (a small screen, a projector's large fonts) the templates get the
        whole height: the C x D strip, the heading and the hint line step aside (the strip
        says nothing the templates do not, for image data)."""
        compact = (
            self.templates is not None
            and self.lines_high() < COMPACT_BELOW_LINES
        )
        if compact == self.compact:
            return
        self.compact = compact
        layout = self.view.ci
        columns = layout.layout.columnCount()
        # The strip sits under the templates; the hint line spans the colour bar's column too.
        for item, row, span in ((self.heatmap_plot, 1, 1), (self.readout, 2, columns)):
            if compact:
                layout.removeItem(item)
                item.hide()
            else:
                layout.addItem(item, row=row, col=0, colspan=span)
                item.show()
        layout.layout.setRowStretchFactor(1, 0 if compact else 2)  # an empty row takes none
        if self.header is not None:
            self.header.setVisible(not compact)
            self.header.setMaximumHeight(0 if compact else 10**6)

    def _build_templates(self, grid: pg.GraphicsLayout, dataset: Dataset) -> None:
        h, w = dataset.image_shape
        self._headers = (
            f"Templates: each row of W reshaped to {h} × {w} pixels",
            f"Rows of W as {h} × {w} templates",
        )
        self.header = FlexibleLabel(self._headers[0])
        self.header.geometryChanged.connect(self._fit_header)  # the width it is given
        grid.addItem(self.header, row=0, col=0)
        plot = grid.addPlot(row=1, col=0)
        self._freeze(plot)
        self.templates = TemplateMosaic(plot, dataset.class_names, (h, w))

    def _build_heatmap(self, plot: pg.PlotItem, dataset: Dataset, x_label: str) -> None:
        C, D = dataset.n_classes, dataset.n_features
        self.heatmap_plot = plot
        self.heatmap = blank_image((C, D))
        plot.addItem(self.heatmap)
        self._freeze(plot)
        plot.invertY(True)  # class 0 on top, as in the matrix
        plot.setRange(xRange=(0, D), yRange=(0, C), padding=0)
        plot.setTitle(f"W ({C} × {D}): one row per class" if D > 2 else f"W ({C} × {D})")
        plot.setLabel("left", "class")
        plot.setLabel("bottom", x_label)
        # A narrow strip (the C x 2 W of blobs beside its legend) says "feature" only.
        self._fit_x_label = keep_axis_label_fitted(
            plot.getAxis("bottom"), (x_label, x_label.split(" (")[0], "feature"), plot.vb
        )
        left = plot.getAxis("left")
        # Even classes always get a label; odd ones join them when the strip is tall enough.
        ticks = [(i + 0.5, name) for i, name in enumerate(dataset.class_names)]
        left.setTicks([ticks[::2], ticks[1::2]])
        left.setStyle(textFillLimits=[(0, 0.9)])
        if D <= NAMED_FEATURES:  # number each column; long rows keep automatic 0-based ticks
            ticks = [(j + 0.5, str(j + 1)) for j in range(D)]
            plot.getAxis("bottom").setTicks([ticks])

    def _build_regions(self, plot: pg.PlotItem, legend: pg.LegendItem, dataset: Dataset) -> None:
        self.region_plot = plot
        self.legend = legend
        self._freeze(plot)
        plot.setAspectLocked(True)
        plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0.02)
        plot.setTitle("Decision regions: argmax of W x + b")
        plot.setLabel("bottom", "feature 1")
        plot.setLabel("left", "feature 2")
        n = REGION_GRID
        self.region_image = pg.ImageItem(np.zeros((n, n, 4), np.uint8), axisOrder="row-major")
        self.region_image.setRect(QRectF(0, 0, 1, 1))
        plot.addItem(self.region_image)
        for i, name in enumerate(dataset.class_names):
            points = dataset.X_train[dataset.y_train == i]
            scatter = pg.ScatterPlotItem(
                points[:, 0], points[:, 1], size=7, brush=pg.mkBrush(*class_color(i)),
                pen=pg.mkPen(40, 40, 40, 160),
            )  # fmt: skip
            plot.addItem(scatter)
            legend.addItem(scatter, f"class {name}")
            self.scatter_items.append(scatter)
        self._region_palette = np.array(
            [(*class_color(i), REGION_ALPHA) for i in range(dataset.n_classes)], dtype=np.uint8
        )

    @staticmethod
    def _freeze(plot: pg.PlotItem) -> None:
        """A picture, not an explorer: no mouse zoom, no context menu, no auto-range button."""
        plot.setMouseEnabled(x=False, y=False)
        plot.setMenuEnabled(False)
        plot.hideButtons()

    # ------------------------------------------------------------------ drawing
    def show_frame(self, frame: Frame) -> None:
        """Update the images in place with this frame's W and b."""
        W, b = frame.snapshot.W, frame.snapshot.b
        if self.dataset is None or self.heatmap is None:
            return
        if W.shape != (self.dataset.n_classes, self.dataset.n_features):
            return  # a snapshot from before a dataset switch: the next frame will match
        self._W, self._b = W, b
        self._input_scale = frame.snapshot.input_scale
        if frame.viewing_step != self._levels_step:
            # A jump (the timeline looks back, moves, or returns live): the levels fit these
            # weights at once, not easing over frames that may never come (while paused).
            self._levels_step = frame.viewing_step
            self.level_follower.reset()
        levels = displayed_levels(self.level_follower.update(W))
        if levels != self.levels:  # the colour bar's axis is redrawn only on a change
            self.levels = levels
            self.colorbar.setLevels(levels, update_items=False)
        self.heatmap.setImage(W, autoLevels=False, levels=self.levels)
        if self.templates is not None:
            self.templates.set_weights(W, self.levels)
            self.templates.set_biases(b)
        if self.region_image is not None:
            # Raw-pixel runs see input_scale x: the regions of W (input_scale x) + b.
            self.region_classes = decision_regions(W * frame.snapshot.input_scale, b)
            self.region_image.setImage(self._region_palette[self.region_classes], autoLevels=False)

    # ------------------------------------------------------------------ presentation
    def set_presentation(self, on: bool) -> None:
        self.presentation = bool(on)
        s = sizes(self.presentation)
        for plot in [self.heatmap_plot, self.region_plot]:
            if plot is not None:
                style_plot(plot, self.presentation)
        if self.heatmap_plot is not None and self.dataset.n_features > 10:
            # Room for every other class name on the strip (long W rows would squash it flat).
            rows = math.ceil(self.dataset.n_classes / 2)
            self.heatmap_plot.vb.setMinimumHeight(rows * s["tick_pt"] * 1.3)
        if self.templates is not None:
            self.templates.set_fonts(s["title_pt"], s["tick_pt"])
        if self.heatmap_plot is not None:
            self._fit_x_label()  # the fonts changed
        for scatter in self.scatter_items:
            scatter.setSize(12 if self.presentation else 7)
        if self.legend is not None:
            self.legend.setLabelTextSize(f"{s['label_pt']}pt")
            for _sample, label in self.legend.items:  # existing labels keep their old size
                label.setText(label.text, size=f"{s['label_pt']}pt")
        if self.colorbar is not None:
            style_colorbar(self.colorbar, self.presentation)
        if self.header is not None:
            self.header.setText(self.header.text, size=f"{s['label_pt']}pt")
            self._fit_header()
        self.readout.setText(self.readout.text, size=f"{s['tick_pt']}pt")

    # ------------------------------------------------------------------ hover read-out
    def _hint(self) -> str:
        """The longest hint that fits the panel's width (the line is cut, not wrapped)."""
        if self.region_plot is not None:
            hints = ["Point at the plane or at W to read values.", "Point to read values."]
        else:
            where = (
                "at W to read a weight"
                if self.templates is None
                else "at a pixel to read its weight"
            )
            hints = [
                f"Red raises the class's score, blue lowers it. Point {where}.",
                "Red raises the score, blue lowers it.",
            ]
        s = sizes(self.presentation)
        font = QFont()
        font.setPointSize(s["tick_pt"])
        metrics = QFontMetrics(font)
        room = self.width() - 2 * 9 - 4  # the layout's margins, and a little air
        return next((h for h in hints if metrics.horizontalAdvance(h) <= room), "")

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        text = self.describe(scene_pos)
        self.readout.setText(text or self._hint(), size=f"{sizes(self.presentation)['tick_pt']}pt")

    def describe(self, scene_pos: QPointF) -> str | None:
        """The read-out for the mouse at `scene_pos`: the weight, or the region, under it."""
        if self._W is None:
            return None
        names = self.dataset.class_names
        shape = self.dataset.image_shape
        cell = self.templates.cell_at(scene_pos) if self.templates is not None else None
        if cell is not None:
            i, r, c = cell
            j = r * shape[1] + c
            return (f"class {names[i]}, pixel (row {r}, col {c}) = feature {j}: "
                    f"W[{i}, {j}] = {self._W[i, j]:+.4f}")  # fmt: skip
        if self.heatmap_plot is not None:
            r, c = self._cell(self.heatmap_plot, scene_pos, self._W.shape)
            if r is not None:  # features are numbered from 1 where the axis names them so
                feature = c + 1 if self._W.shape[1] <= NAMED_FEATURES else c
                return f"class {names[r]}, feature {feature}: W[{r}, {c}] = {self._W[r, c]:+.4f}"
        if self.region_plot is not None:
            p = self._point(self.region_plot, scene_pos)
            if p is not None and 0 <= p[0] <= 1 and 0 <= p[1] <= 1:
                a = softmax(self._W @ (p * self._input_scale) + self._b)
                k = int(a.argmax())
                return (f"feature 1 = {p[0]:.2f}, feature 2 = {p[1]:.2f}: "
                        f"predicted class {names[k]} (a = {a[k]:.2f})")  # fmt: skip
        return None

    @staticmethod
    def _point(plot: pg.PlotItem, scene_pos: QPointF) -> np.ndarray | None:
        if not plot.vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = plot.vb.mapSceneToView(scene_pos)
        return np.array([p.x(), p.y()])

    def _cell(self, plot, scene_pos, shape) -> tuple[int | None, int | None]:
        p = self._point(plot, scene_pos)
        if p is None:
            return None, None
        c, r = int(math.floor(p[0])), int(math.floor(p[1]))
        if 0 <= r < shape[0] and 0 <= c < shape[1]:
            return r, c
        return None, None
