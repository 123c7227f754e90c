"""The confusion matrix of the test set: which classes the model mixes up (math.md section 6).

Cell (i, j) counts the test samples of true class i (row) that the current snapshot predicts
as j (column), from the predictions every frame carries; its colour is its share of row i,
on fixed levels 0..1, so the diagonal reads as per-class accuracy (written right of each row)
and a dark cell off it is a confusion. Hovering a cell reads it out; clicking it makes the
sample inspector walk the samples of that cell (SampleSelection.set_walk).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QVBoxLayout, QWidget

from gui.colors import share_colormap
from gui.frame import Frame
from gui.panel import Panel
from gui.panels.cell_texts import CellTexts
from gui.plotting import blank_image, keep_axis_label_fitted, sizes, style_colorbar, style_plot
from gui.readout_line import ReadoutLine
from gui.selection import SampleSelection
from gui.steady_label import SteadyLabel
from model import Dataset, confusion_matrix

LEVELS = (0.0, 1.0)
#: Axis labels, longest first: the longest that fits beside the matrix is shown.
ROW_LABELS = ("true class (row)", "true class", "true")
COLUMN_LABELS = ("predicted class (column)", "predicted class", "predicted")
ACCURACY_LABELS = ("per-class accuracy (recall)", "per-class accuracy", "accuracy", "")
COLORBAR_LABELS = ("share of the true class's samples", "share of the row", "row share", "")
COLORBAR_TICKS = (0.0, 0.1, 0.25, 0.5, 0.75, 1.0)
HINTS = (
    "Point at a cell to read its count; click it to walk its samples in the sample inspector.",
    "Point at a cell to read it; click to walk its samples.",
    "Point at a cell; click to walk it.",
)
READOUT_TIP = "The cell under the mouse: its true and predicted class and how many test samples."
#: Cell counts are written at the plot's label size, smaller where the cells are too small,
#: down to this many points; below it they are left out (hovering still reads them).
SMALLEST_COUNT_PT = 6
#: Texts on cells darker than this relative luminance are white, on lighter cells black; a
#: count of 0 is grey, so the mistakes that happen stand out from those that do not.
DARK_BELOW = 0.45
TEXT_COLORS = ((150, 150, 150), "k", "w")  # by tone: 0 none, 1 on a light cell, 2 on a dark one
_WALK_COLOR = (230, 60, 30)
#: A panel narrower than this times its height has its colour bar below the matrix, where it
#: takes height instead of the width the columns need.
BAR_BELOW_UNDER = 1.25


def cell_at(x: float, y: float, n_classes: int) -> tuple[int, int] | None:
    """The cell (i, j) under view point (x, y): cell centres sit at (j, i); None outside."""
    i, j = math.floor(y + 0.5), math.floor(x + 0.5)
    return (i, j) if 0 <= i < n_classes and 0 <= j < n_classes else None


def describe_cell(counts: np.ndarray, i: int, j: int, class_names) -> list[str]:
    """Wordings (fullest first) for cell (i, j): "true 8, predicted 4: 37 test samples (1.9 %)"
    ends each (the share of the test set); the fuller ones add the share of the true class and
    what a click does. Long class names come with their index, as the ticks show indices."""
    n, total, row = int(counts[i, j]), int(counts.sum()), int(counts[i].sum())
    names = [str(name) for name in class_names]
    true, predicted = names[i], names[j]
    if not names_fit_ticks(names):
        true, predicted = f"{i} ({true})", f"{j} ({predicted})"
    samples = f"{n:,} test sample{'' if n == 1 else 's'}"
    short = f"true {true}, predicted {predicted}: {samples} ({_percent(n, total)})"
    of_row = f"{_percent(n, row)} of the {row:,} of class {names[i]}"
    what = "click to walk them" if n else "nothing to walk"
    return [f"{short}; {of_row}: {what}", f"{short}; {of_row}", short]


def names_fit_ticks(names) -> bool:
    """Digits and blobs: the names are the ticks; longer ones (Fashion-MNIST's "Ankle boot")
    would overlap across the matrix, so the ticks are indices."""
    return max(len(str(name)) for name in names) <= 3


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "– %"


class ConfusionPanel(Panel):
    """Counts of (true, predicted) over the test set, coloured by row share."""

    title = "Confusion matrix"

    def __init__(self, selection: SampleSelection, parent: QWidget | None = None):
        super().__init__(parent)
        self.selection = selection
        self.presentation = False
        self.dataset: Dataset | None = None
        self.n_classes = 0
        self._largest_count = 0  # of a cell: the largest class of the test set
        self._frame: Frame | None = None
        self._snapshot = None  # the snapshot whose predictions the cells show
        self.counts: np.ndarray | None = None
        self._accuracy_ticks: list | None = None
        self._walk = None  # the walk this panel started (the selection's while it lasts)
        self._walk_cell: tuple[int, int] | None = None
        self.hover_cell: tuple[int, int] | None = None
        self._build()
        self.set_presentation(False)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        cmap = share_colormap()
        table = cmap.getLookupTable(0.0, 1.0, 256, alpha=False).astype(float) / 255
        self._luminance = table @ np.array([0.2126, 0.7152, 0.0722])
        self.heading = SteadyLabel("no model yet", wrap=True)
        self.heading.setToolTip("The test set's samples by true class (rows) and prediction.")
        self.view = pg.GraphicsLayoutWidget()
        self.plot = self.view.addPlot(row=0, col=0)
        plot = self.plot
        plot.setMouseEnabled(x=False, y=False)  # a picture, not an explorer
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.invertY(True)  # row 0 on top, as a matrix is read
        plot.showAxis("right")
        self.image = blank_image((1, 1), LEVELS)
        plot.addItem(self.image)
        self.counts_text = CellTexts(TEXT_COLORS)  # the count in each cell
        self.counts_text.setZValue(5)
        plot.addItem(self.counts_text)
        # A bar right of the matrix in a wide panel, below it in a narrow one (a projector's
        # single plot at 1024 x 768): both made once, one in the layout at a time.
        self.colorbars = {
            below: pg.ColorBarItem(
                values=LEVELS, colorMap=cmap, interactive=False, colorMapMenu=False,
                label=COLORBAR_LABELS[0], orientation="horizontal" if below else "vertical",
            )  # fmt: skip
            for below in (False, True)
        }
        for bar in self.colorbars.values():
            bar.setImageItem(self.image)
            bar.axis.setTicks([[(v, f"{v:.0%}") for v in COLORBAR_TICKS]])
            bar.axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            bar.hide()
        self.colorbar = self.colorbars[False]
        self.colorbar_below: bool | None = None
        self._place_colorbar(below=False)
        # The ticks and labels change only with the dataset (and the accuracies, rarely):
        # painted once and copied while the cells change.
        for axis in ("left", "bottom", "right"):
            plot.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.walk_outline = QGraphicsRectItem()  # the cell being walked
        self.sample_outline = QGraphicsRectItem()  # the selected sample's cell
        for z, outline in enumerate((self.walk_outline, self.sample_outline)):
            outline.setZValue(10 + z)
            outline.setVisible(False)
            plot.addItem(outline)
        self.readout = ReadoutLine(READOUT_TIP)
        self.readout.set_wordings(HINTS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, stretch=1)
        layout.addWidget(self.readout)
        right, below = self.colorbars[False], self.colorbars[True]
        self._axis_fits = [
            keep_axis_label_fitted(plot.getAxis("left"), ROW_LABELS, plot.vb),
            keep_axis_label_fitted(plot.getAxis("bottom"), COLUMN_LABELS, plot.vb),
            keep_axis_label_fitted(plot.getAxis("right"), ACCURACY_LABELS, plot.vb),
            keep_axis_label_fitted(right.getAxis("left"), COLORBAR_LABELS, right.vb),
            keep_axis_label_fitted(below.getAxis("bottom"), COLORBAR_LABELS, below.vb),
        ]
        plot.vb.sigResized.connect(self._fit_counts)
        self.view.scene().sigMouseMoved.connect(self.hover_at)
        self.view.scene().sigMouseClicked.connect(self._on_click)
        self.selection.walk_changed.connect(self._show_walk)

    def set_dataset(self, dataset: Dataset) -> None:
        """Every per-cell item made anew for C x C cells (the old ones are removed, never
        painted again)."""
        C = dataset.n_classes
        self.dataset, self.n_classes = dataset, C
        self._largest_count = int(np.bincount(dataset.y_test, minlength=C).max())
        self._frame = self._snapshot = self.counts = None
        self._accuracy_ticks = None
        self._walk = self._walk_cell = self.hover_cell = None
        self.counts_text.set_texts(np.full((C, C), "", dtype=object), np.zeros((C, C), int))
        self.image.setImage(np.zeros((C, C)), autoLevels=False, levels=LEVELS)
        self.image.setRect(QRectF(-0.5, -0.5, C, C))  # cell (i, j) centred on (j, i)
        self.plot.setRange(xRange=(-0.5, C - 0.5), yRange=(-0.5, C - 0.5), padding=0)
        names = [str(name) for name in dataset.class_names]
        short = names_fit_ticks(names)
        ticks = [[(k, name if short else str(k)) for k, name in enumerate(names)]]
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).setTicks(ticks)
        self.plot.getAxis("right").setTicks([[(k, "") for k in range(C)]])
        key = "" if short else "Classes: " + ", ".join(f"{k} {n}" for k, n in enumerate(names))
        self.view.setToolTip(key)  # long names: the ticks are indices, the names are here
        self.walk_outline.setVisible(False)
        self.sample_outline.setVisible(False)
        self.heading.setText(f"{dataset.n_test:,} test samples; no model yet")
        self.readout.set_wordings(HINTS)
        self._fit_counts()

    # ------------------------------------------------------------------ drawing
    def show_frame(self, frame: Frame) -> None:
        if frame.dataset is not self.dataset or frame.dataset.n_classes != self.n_classes:
            self.set_dataset(frame.dataset)
        predicted, labels = frame.test_predictions, frame.dataset.y_test
        if predicted.shape != labels.shape:
            return  # a snapshot from before a dataset switch: the next frame will match
        self._frame = frame
        self._show_sample(frame)
        if frame.snapshot is self._snapshot:
            return  # the same predictions: only the selected sample may have moved
        self._snapshot = frame.snapshot
        counts = confusion_matrix(labels, predicted, self.n_classes)
        if self.counts is not None and np.array_equal(counts, self.counts):
            return
        self._show_counts(counts)

    def _show_counts(self, counts: np.ndarray) -> None:
        C = self.n_classes
        rows = counts.sum(axis=1)
        share = counts / np.maximum(rows, 1)[:, None]
        self.image.setImage(share, autoLevels=False, levels=LEVELS)
        dark = self._luminance[np.round(share * 255).astype(int)] < DARK_BELOW
        tones = np.where(counts == 0, 0, np.where(dark, 2, 1))
        self.counts = counts
        texts = np.array([f"{n:,}" for n in counts.ravel()], dtype=object).reshape(C, C)
        self.counts_text.set_texts(texts, tones)  # one repaint, and only if any changed
        recall = np.divide(np.diag(counts), rows, out=np.full(C, np.nan), where=rows > 0)
        ticks = [(k, "–" if np.isnan(r) else f"{r:.0%}") for k, r in enumerate(recall)]
        if ticks != self._accuracy_ticks:  # whole per cents: an axis is redrawn rarely
            self._accuracy_ticks = ticks
            self.plot.getAxis("right").setTicks([ticks])
        right, total = int(np.trace(counts)), int(counts.sum())
        self.heading.setText(
            f"Test set: {right:,} of {total:,} right, accuracy {_percent(right, total)}"
        )
        if self.hover_cell is not None:
            self._show_hover()

    def _show_sample(self, frame: Frame) -> None:
        """Outline the cell the selected sample is in (its true class, its prediction); a
        drawing is in no cell of the test set, so nothing is outlined then."""
        if frame.sample_is_drawn:
            self.sample_outline.setVisible(False)
            return
        i, j = frame.sample_label, int(frame.test_predictions[frame.sample_index])
        self.sample_outline.setRect(QRectF(j - 0.5, i - 0.5, 1, 1))
        self.sample_outline.setVisible(True)

    # ------------------------------------------------------------------ presentation
    def set_presentation(self, on: bool) -> None:
        self.presentation = bool(on)
        s = sizes(self.presentation)
        style_plot(self.plot, self.presentation)
        for bar in self.colorbars.values():
            style_colorbar(bar, self.presentation)
        self.sample_outline.setPen(pg.mkPen("k", width=s["line"]))
        self.walk_outline.setPen(pg.mkPen(_WALK_COLOR, width=2 * s["line"] + 1))
        for label in (self.heading, self.readout):
            font = QFont()
            font.setPointSize(s["label_pt"])
            label.setFont(font)
        for fit in self._axis_fits:
            fit()
        self._fit_counts()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._place_colorbar(below=self.width() < BAR_BELOW_UNDER * self.height())

    def _place_colorbar(self, below: bool) -> None:
        """The colour bar right of the matrix, or below it (on resize, when the panel's shape
        crosses BAR_BELOW_UNDER: never per frame)."""
        if below == self.colorbar_below:
            return
        self.colorbar_below = below
        layout = self.view.ci
        if self.colorbar in layout.items:
            layout.removeItem(self.colorbar)
            self.colorbar.hide()
        self.colorbar = self.colorbars[below]
        layout.addItem(self.colorbar, row=1 if below else 0, col=0 if below else 1)
        self.colorbar.show()
        # An emptied row or column keeps no room.
        layout.layout.setRowStretchFactor(1, 0)

    def _fit_counts(self, *_) -> None:
        """Counts at the label size if the largest a cell can hold (its row's size) fits a
        cell, else smaller, else left out. On resize and mode changes: never per frame."""
        C = self.n_classes
        if not C:
            return
        cell_width, cell_height = self.plot.vb.width() / C, self.plot.vb.height() / C  # px
        widest = f"{self._largest_count:,}"
        point = sizes(self.presentation)["label_pt"]
        font = QFont()
        while point >= SMALLEST_COUNT_PT:
            font.setPointSize(point)
            metrics = QFontMetricsF(font)
            fits_across = metrics.horizontalAdvance(widest) <= 0.9 * cell_width
            if fits_across and metrics.height() <= cell_height:
                break
            point -= 1
        if point >= SMALLEST_COUNT_PT:
            self.counts_text.set_font(font)
        self.counts_text.setVisible(point >= SMALLEST_COUNT_PT)

    # ------------------------------------------------------------------ hover and click
    def cell_at_scene(self, scene_pos: QPointF) -> tuple[int, int] | None:
        if not self.n_classes or not self.plot.vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.plot.vb.mapSceneToView(scene_pos)
        return cell_at(p.x(), p.y(), self.n_classes)

    def hover_at(self, scene_pos: QPointF) -> None:
        cell = self.cell_at_scene(scene_pos)
        if cell != self.hover_cell:
            self.hover_cell = cell
            self._show_hover()

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.hover_cell = None
        self._show_hover()
        super().leaveEvent(event)

    def _show_hover(self) -> None:
        if self.hover_cell is None or self.counts is None:
            self.readout.set_wordings(HINTS)
        else:
            names = self.dataset.class_names
            self.readout.set_wordings(describe_cell(self.counts, *self.hover_cell, names))

    def _on_click(self, event) -> None:
        if event.button() != pg.QtCore.Qt.MouseButton.LeftButton or event.double():
            return
        cell = self.cell_at_scene(event.scenePos())
        if cell is not None:
            self.walk_cell(*cell)

    def walk_cell(self, i: int, j: int) -> bool:
        """Make the sample inspector walk the test samples of true class i predicted as j,
        as the frame shown predicts them now; False (and a word why) if there are none."""
        frame = self._frame
        if frame is None:
            return False
        labels, predicted = frame.dataset.y_test, frame.test_predictions
        members = np.flatnonzero((labels == i) & (predicted == j))
        names = frame.dataset.class_names
        if members.size == 0:
            self.readout.set_wordings([f"true {names[i]}, predicted {names[j]}: no test "
                                       "samples, nothing to walk"])  # fmt: skip
            return False
        # The step whose predictions these are: the timeline's while it looks back.
        step = frame.snapshot.step if frame.viewing_step is None else frame.viewing_step
        self.selection.set_walk(
            members,
            f"true {names[i]} → predicted {names[j]}",
            f"its samples at step {step:,}",
        )
        # After set_walk: its walk_changed found no walk of this panel's yet.
        self._walk, self._walk_cell = self.selection.walk, (i, j)
        self._show_walk()
        return True

    def _show_walk(self) -> None:
        walking = self._walk is not None and self.selection.walk is self._walk
        if walking:
            i, j = self._walk_cell
            self.walk_outline.setRect(QRectF(j - 0.5, i - 0.5, 1, 1))
        self.walk_outline.setVisible(walking)
