"""The softmax Jacobian J = ∂a/∂z = diag(a) − a aᵀ of the selected test sample (math.md section 2).

Left: J as a C x C heatmap (row i = output a_i, column j = logit z_j), diverging colours centred
on 0 with fixed levels ±1/4, the bound of every entry. Hovering a cell names its formula and value.
Right: the probabilities a and the gradient ∂loss/∂z = a − e_y (eq. 20) as bar charts. Row y of J,
outlined, is the link between them: −(1/a_y) × row y of J = a − e_y.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QVBoxLayout, QWidget

from gui.colors import diverging_colormap
from gui.formatting import compact, subscript
from gui.frame import Frame
from gui.panel import Panel
from gui.plotting import fit_axis_label, keep_axis_label_fitted, sizes, style_colorbar, style_plot
from gui.steady_label import SteadyLabel
from model import Dataset

#: a(1 − a) ≤ 1/4 and a_i a_j ≤ 1/4, so fixed levels ±1/4 show every J with the same colours.
LEVELS = (-0.25, 0.25)
HOVER_HINT = "Hover over a cell of J to see its formula and value."
HEADING_TIP = "The selected test sample: its true class, prediction and loss."
#: Below this (an eighth of the ±¼ scale) every cell of J is pale: say why J looks blank.
BLANK_BELOW = 0.03
BLANK_NOTE = (
    "a is almost one-hot, so every entry of J is near 0 (max |J[i,j]| = {biggest} on a ±¼"
    " scale): J looks almost blank. Hover over a cell to read it."
)
NOTE = (
    "J = diag(a) − aaᵀ is symmetric, its rows and columns sum to 0 (here max |sum| {worst})"
    " and its entries lie in [−¼, ¼], as a(1 − a) ≤ ¼ and a<sub>i</sub>a<sub>j</sub> ≤ ¼."
    "  Row y (outlined) × (−1/a<sub>y</sub>) = a − e<sub>y</sub>: eq. 20, bottom right."
)
#: Axis labels, longest first: the longest that fits beside its plot is shown (gui.plotting).
PROBA_AXIS_LABELS = ("class i  (y true, ŷ predicted)", "y true, ŷ predicted", "class i")
ROW_LABELS = ("i (output a<sub>i</sub>)", "i")
COLUMN_LABELS = ("j (logit z<sub>j</sub>)", "j")
COLORBAR_LABELS = (
    "J<sub>ij</sub>, always in [−¼, ¼]",
    "J<sub>ij</sub> in [−¼, ¼]",
    "J<sub>ij</sub>",
)
#: "" hides it where even the short one does not fit: the plot's title says ∂loss/∂z.
GRADIENT_LABELS = ("∂loss/∂z<sub>i</sub>  (eq. 20)", "∂loss/∂z<sub>i</sub>", "")
#: Below this many lines of text in height the panel is compact: the plots get the room, the
#: hover line shows in the heading's place while the mouse is on J, and the bar plots lose
#: their axis titles (their own titles say what they show).
COMPACT_BELOW_LINES = 24
#: The gradient plot's title: in full, and where the bar plots sit side by side (its axis
#: label says ∂loss/∂z).
GRADIENT_TITLES = ("∂loss/∂z = a − e<sub>y</sub>", "a − e<sub>y</sub>")
#: A panel narrower than this times its height puts the bar plots under J, not beside it.
PORTRAIT_BELOW = 1.0
#: The resolution of the screen: a colour-map entry of J's ±¼ scale (256 entries), and
#: about a pixel of a bar plot. Finer changes are not drawn again.
COLOUR_STEP = 0.5 / 256
BAR_STEP = 0.004
#: The top of the a-bars' plot: room above a bar of 1 for its marker.
PROBA_TOP = 1.15
_BAR = (170, 190, 215)  # probability bars: a quiet blue-grey ...
_PREDICTED = (31, 90, 160)  # ... and the predicted class a strong blue


def _ticks(values) -> list[tuple[float, str]]:
    return [(v, f"{v:g}".replace("-", "−")) for v in values]


def format_value(v: float) -> str:
    """Four decimals with a true minus sign; two significant digits when that would hide them."""
    v = float(v)
    text = f"{v:.1e}" if v != 0 and abs(v) < 1e-3 else f"{v:.4f}"
    return text.replace("-", "−")


def describe_cell(J: np.ndarray, a: np.ndarray, i: int, j: int, class_names) -> str:
    """One line naming J[i, j], the formula that gives it, the numbers and the value."""

    def who(k: int) -> str:
        # Digits are their own names; other classes (blobs "A", fashion "Coat") are added.
        name = str(class_names[k])
        return f"{k}" if name == str(k) else f"{k} ({name})"

    sub_i, sub_j = subscript(i), subscript(j)
    if i == j:
        formula = f"a{sub_i}(1 − a{sub_i})"
        numbers = f"{format_value(a[i])} × {format_value(1 - a[i])}"
        where = f"diagonal: i = j = {who(i)}"
    else:
        formula = f"−a{sub_i}a{sub_j}"
        numbers = f"−{format_value(a[i])} × {format_value(a[j])}"
        where = f"off-diagonal: i = {who(i)}, j = {who(j)}"
    return f"J[{i},{j}] = {formula} = {numbers} = {format_value(J[i, j])}   ({where})"


def cell_at(x: float, y: float, n_classes: int) -> tuple[int, int] | None:
    """The cell (i, j) under view point (x, y): cell centres sit at (j, i); None outside J."""
    i, j = int(np.floor(y + 0.5)), int(np.floor(x + 0.5))
    return (i, j) if 0 <= i < n_classes and 0 <= j < n_classes else None


class JacobianPanel(Panel):
    """J = diag(a) − a aᵀ as a heatmap, with a and a − e_y as bars, for the selected sample."""

    title = "Softmax Jacobian"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._presentation = False
        self.compact = False  # see COMPACT_BELOW_LINES
        self._n_classes = 0
        self._frame: Frame | None = None
        self._hover: tuple[int, int] | None = None
        cmap = diverging_colormap()
        self._negative, self._positive = cmap.map(0.1, mode="qcolor"), cmap.map(0.9, mode="qcolor")

        self.view = pg.GraphicsLayoutWidget()
        # Short plot titles: a title's width is a minimum width, so the sample goes in a heading.
        self.heatmap = self.view.addPlot(row=0, col=0, rowspan=2, title="J = ∂a/∂z")
        self.proba_plot = self.view.addPlot(row=0, col=1, title="a = softmax(z)")
        self.gradient_plot = self.view.addPlot(row=1, col=1, title=GRADIENT_TITLES[0])
        self.portrait = False  # see _fit_arrangement
        self._arrange(portrait=False)
        self._build_heatmap(cmap)
        self._build_bars()
        for plot in (self.heatmap, self.proba_plot, self.gradient_plot):
            plot.setMouseEnabled(x=False, y=False)  # fixed, meaningful views: nothing to pan
            plot.setMenuEnabled(False)
            plot.hideButtons()
            # Their ranges never change: paint the axes once and copy them while J and the
            # bars beside them change (an axis's ticks reach into the plot it borders).
            for name in ("left", "bottom"):
                plot.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.colorbar.axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

        # Texts that change with every frame, in boxes that keep their height (no layout pass
        # per frame); they wrap, as a label that cannot wrap sets the panel's minimum width.
        self._class_names: list[str] = ["Ankle boot"]  # until a dataset says otherwise
        self.heading = SteadyLabel(rich=True, wrap=True)
        self._reserve_heading()
        self.heading.setToolTip(HEADING_TIP)
        # Room for the one-hot note always: it comes and goes as a sample's max |J| crosses
        # BLANK_BELOW, and must not move the plots when it does.
        self.hover_label = SteadyLabel(
            HOVER_HINT, wrap=True, widest=BLANK_NOTE.format(biggest=format_value(0.0123))
        )
        self.hover_label.setToolTip("The cell of J under the mouse: its formula and value.")
        self.note_label = SteadyLabel(rich=True, wrap=True, widest=NOTE.format(worst="&lt; 1e-12"))
        self.note_label.setToolTip("Properties of J that hold for every probability vector a.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, stretch=1)
        layout.addWidget(self.hover_label)
        layout.addWidget(self.note_label)
        self._blank = False  # the hover line explains a blank J
        self._heading_text = ""  # the sample's heading, shown unless hovering while compact
        self._shown: dict[str, object] = {}  # what the items show now, to skip unchanged sets
        self.view.scene().sigMouseMoved.connect(self.hover_at)
        self.proba_plot.vb.sigResized.connect(self._fit_plot_texts)
        # Every label that may need a shorter wording, fitted on resize (call again on new fonts).
        self._axis_fits = [
            keep_axis_label_fitted(self.heatmap.getAxis("left"), ROW_LABELS, self.heatmap.vb),
            keep_axis_label_fitted(self.heatmap.getAxis("bottom"), COLUMN_LABELS, self.heatmap.vb),
            keep_axis_label_fitted(
                self.colorbar.getAxis("left"), COLORBAR_LABELS, self.colorbar.vb
            ),
            keep_axis_label_fitted(
                self.gradient_plot.getAxis("left"), GRADIENT_LABELS, self.gradient_plot.vb
            ),
        ]
        self.set_presentation(False)

    def _build_heatmap(self, cmap: pg.ColorMap) -> None:
        self.image = pg.ImageItem(axisOrder="row-major")
        self.heatmap.addItem(self.image)
        self.heatmap.invertY(True)  # a matrix reads top to bottom: row 0 at the top
        self.heatmap.setAspectLocked(True)
        self.heatmap.setLabel("left", ROW_LABELS[0])
        self.heatmap.setLabel("bottom", COLUMN_LABELS[0])
        self.colorbar = pg.ColorBarItem(
            values=LEVELS, colorMap=cmap, interactive=False, label=COLORBAR_LABELS[0]
        )
        self.colorbar.axis.setTicks([_ticks((-0.25, -0.125, 0, 0.125, 0.25))])
        self.colorbar.setImageItem(self.image, insert_in=self.heatmap)
        self.row_outline = QGraphicsRectItem()  # row y: −(1/a_y) times it is a − e_y
        self.hover_outline = QGraphicsRectItem()
        self.hover_outline.setVisible(False)
        for item in (self.row_outline, self.hover_outline):
            item.setZValue(10)
            self.heatmap.addItem(item)

    def _build_bars(self) -> None:
        self.proba_bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.proba_plot.addItem(self.proba_bars)
        self.proba_plot.setYRange(0, PROBA_TOP, padding=0)  # room above a bar of 1 for its marker
        self.proba_plot.setLabel("left", "a<sub>i</sub>")
        self.proba_plot.setLabel("bottom", PROBA_AXIS_LABELS[0])
        self.proba_plot.getAxis("left").setTicks([_ticks((0, 0.25, 0.5, 0.75, 1))])
        self.true_marker = pg.TextItem("y", color="k", anchor=(0.5, 1))
        self.predicted_marker = pg.TextItem("ŷ", color=_PREDICTED, anchor=(0.5, 1))
        for marker in (self.true_marker, self.predicted_marker):
            self.proba_plot.addItem(marker)

        self.gradient_bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.gradient_plot.addItem(self.gradient_bars)
        self.zero_line = pg.InfiniteLine(pos=0, angle=0)
        self.gradient_plot.addItem(self.zero_line)
        self.gradient_plot.setYRange(-1.05, 1.05, padding=0)  # a − e_y lies in [−1, 1]
        self.gradient_plot.setLabel("left", GRADIENT_LABELS[0])
        self.gradient_plot.setLabel("bottom", "class i")
        self.gradient_plot.getAxis("left").setTicks([_ticks((-1, -0.5, 0, 0.5, 1))])

    # ------------------------------------------------------------------ Panel
    def set_dataset(self, dataset: Dataset) -> None:
        C = dataset.n_classes
        self._n_classes = C
        self._class_names = [str(name) for name in dataset.class_names]
        self._reserve_heading()
        self._frame = None
        self._shown.clear()
        self._clear_hover()
        self.image.setImage(np.zeros((C, C)), autoLevels=False, levels=LEVELS)
        self.image.setRect(QRectF(-0.5, -0.5, C, C))  # cell (i, j) centred on (j, i)
        names = [str(name) for name in dataset.class_names]
        if max(len(name) for name in names) <= 3:  # digits, blobs: names fit side by side
            left = bottom = [[(k, name) for k, name in enumerate(names)]]
        else:  # long names ("Ankle boot") would overlap across: index across, both down
            left = [[(k, f"{k}: {name}") for k, name in enumerate(names)]]
            bottom = [[(k, str(k)) for k in range(C)]]
        self.heatmap.getAxis("left").setTicks(left)
        self.heatmap.getAxis("bottom").setTicks(bottom)
        self.heatmap.setRange(xRange=(-0.5, C - 0.5), yRange=(-0.5, C - 0.5), padding=0)
        # Every per-bar list gets C entries here, together with the bars: a panel may be
        # painted before its next frame, and bars without a brush of their own made
        # pyqtgraph raise inside paint(), which crashed the app (issue 9, item 1).
        x = np.arange(C, dtype=float)
        self.proba_bars.setOpts(
            x=x, height=np.zeros(C), brushes=[_BAR] * C, pens=self._bar_pens(-1, C)
        )
        self.gradient_bars.setOpts(x=x, height=np.zeros(C), brushes=[self._positive] * C)
        for plot in (self.proba_plot, self.gradient_plot):
            plot.getAxis("bottom").setTicks(bottom)
            plot.setXRange(-0.6, C - 0.4, padding=0)

    def show_frame(self, frame: Frame) -> None:
        if frame.dataset.n_classes != self._n_classes:
            self.set_dataset(frame.dataset)
        self._frame = frame
        J, a, g = frame.sample_jacobian, frame.sample_proba, frame.sample_gradient
        y, predicted, C = frame.sample_label, frame.sample_prediction, self._n_classes
        names = [html.escape(str(name)) for name in frame.dataset.class_names]

        # What the eye can tell apart: J in steps of a colour-map entry, bars of a pixel. A
        # frame that moves nothing by that much sets nothing (a bar item redraws its picture
        # on every setOpts, an image its colours on every setImage).
        if self._changed("J", _seen(J, COLOUR_STEP)):
            self.image.setImage(J, autoLevels=False, levels=LEVELS)
        # Brushes, pens and markers change only with y or the prediction: set them only then.
        if self._changed("classes", (y, predicted)):
            self.row_outline.setRect(QRectF(-0.5, y - 0.5, C, 1))
            brushes = [_PREDICTED if k == predicted else _BAR for k in range(C)]
            self.proba_bars.setOpts(height=a, brushes=brushes, pens=self._bar_pens(y, C))
            self.true_marker.setText("y = ŷ" if y == predicted else "y")
            self.predicted_marker.setVisible(y != predicted)
            self._shown["a"] = _seen(a, BAR_STEP)
        elif self._changed("a", _seen(a, BAR_STEP)):
            self.proba_bars.setOpts(height=a)
        self._place_markers()
        signs = tuple(g < 0)
        if self._changed("signs", signs):
            brushes = [self._negative if negative else self._positive for negative in signs]
            self.gradient_bars.setOpts(height=g, brushes=brushes)
            self._shown["g"] = _seen(g, BAR_STEP)
        elif self._changed("g", _seen(g, BAR_STEP)):
            self.gradient_bars.setOpts(height=g)

        self._heading_text = heading_text(
            frame.sample_name,
            names[y],
            names[predicted],
            loss_text(a[y]),
            self.compact,
            drawn=frame.sample_is_drawn,
        )
        self._show_heading()
        worst = max(np.abs(J.sum(axis=0)).max(), np.abs(J.sum(axis=1)).max())
        if self._changed("note", note_bound(worst)):
            self.note_label.setText(NOTE.format(worst=html.escape(note_bound(worst))))
            self.heading.setToolTip(f"{HEADING_TIP}<br>{self.note_label.text()}")
        self._update_hover_text()

    def set_presentation(self, on: bool) -> None:
        self._presentation = on
        s = sizes(on)
        for plot in (self.heatmap, self.proba_plot, self.gradient_plot):
            style_plot(plot, on)
        style_colorbar(self.colorbar, on)
        self.row_outline.setPen(pg.mkPen("k", width=s["line"] + 1))
        self.hover_outline.setPen(pg.mkPen((0, 160, 60), width=s["line"] + 1))
        self.zero_line.setPen(pg.mkPen("k", width=max(1, s["line"] // 2)))
        self.gradient_bars.setOpts(pen=pg.mkPen("k", width=max(1, s["line"] // 2)))
        for marker in (self.true_marker, self.predicted_marker):
            marker.setFont(_font(s["label_pt"], bold=True))
        self.heading.setFont(_font(s["label_pt"] + 1))
        for label in (self.hover_label, self.note_label):
            label.setFont(_font(s["label_pt"]))
        self._shown.clear()  # pens and fonts are new: set everything again
        if self._frame is not None:
            self.show_frame(self._frame)  # the true class's bar outline depends on the mode
        for fit in getattr(self, "_axis_fits", ()):  # new fonts
            fit()
        self._fit_plot_texts()
        self._fit_note()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_arrangement()
        self._fit_to_height()
        self._fit_note()

    def _arrange(self, portrait: bool) -> None:
        """J left of the two bar plots (landscape), or J above them side by side (portrait: a
        narrow column, where three plots in a row cut the bars off at the panel's edge)."""
        self.portrait = portrait
        ci = self.view.ci
        for plot in (self.heatmap, self.proba_plot, self.gradient_plot):
            if plot in ci.items:
                ci.removeItem(plot)
        if portrait:
            ci.addItem(self.heatmap, row=0, col=0, colspan=2)
            ci.addItem(self.proba_plot, row=1, col=0)
            ci.addItem(self.gradient_plot, row=1, col=1)
            stretch = {"col": (1, 1), "row": (3, 2)}
        else:
            ci.addItem(self.heatmap, row=0, col=0, rowspan=2)
            ci.addItem(self.proba_plot, row=0, col=1)
            ci.addItem(self.gradient_plot, row=1, col=1)
            stretch = {"col": (3, 2), "row": (1, 1)}
        for k in range(2):
            ci.layout.setColumnStretchFactor(k, stretch["col"][k])
            ci.layout.setRowStretchFactor(k, stretch["row"][k])
        # Side by side, the gradient's title must be short: a title's width is a minimum width.
        title = GRADIENT_TITLES[1 if portrait else 0]
        self.gradient_plot.setTitle(title, size=f"{sizes(self._presentation)['title_pt']}pt")

    def _fit_arrangement(self) -> None:
        portrait = self.width() < PORTRAIT_BELOW * self.height()
        if portrait != self.portrait:
            self._arrange(portrait)

    def _reserve_heading(self) -> None:
        """Room in the heading for its longest text: the largest sample number, the longest
        class name and the longest loss (a diverged run's)."""
        longest = max((html.escape(str(n)) for n in self._class_names), key=len, default="0")
        self.heading.set_widest(heading_text(
            "#10,000", longest, longest, compact(-np.log(1e-300)), self.compact))  # fmt: skip

    def _fit_to_height(self) -> None:
        """Compact in a short panel (a 2 x 2 grid on a small screen): see COMPACT_BELOW_LINES."""
        short = self.lines_high() < COMPACT_BELOW_LINES
        if short == self.compact:
            return
        self.compact = short
        self.hover_label.setVisible(not short)
        self.gradient_plot.getAxis("bottom").showLabel(not short)
        self._fit_plot_texts()
        self._reserve_heading()
        if self._frame is not None:
            self.show_frame(self._frame)  # the heading's wording follows

    def _fit_note(self) -> None:
        # In a small dock (or with projector fonts) the note would squeeze the plots: then it
        # shows only as the heading's tooltip. (On resize and mode changes, not per frame.)
        width = self.width()
        texts = self.heading.needed_height(width) + self.hover_label.needed_height(width)
        note = self.note_label.needed_height(width)
        self.note_label.setVisible(texts + note <= 0.3 * self.height())

    def _fit_plot_texts(self, *_) -> None:
        """The longest axis label that fits the bar plot's width; the markers inside it."""
        labels = ("",) if self.compact else PROBA_AXIS_LABELS  # compact: the title says it
        fit_axis_label(self.proba_plot.getAxis("bottom"), labels, self.proba_plot.vb.width())
        self._shown.pop("markers", None)
        self._place_markers()

    # ------------------------------------------------------------------ hover
    @property
    def hover_cell(self) -> tuple[int, int] | None:
        """The cell (i, j) of J under the mouse, or None."""
        return self._hover

    def hover_at(self, scene_pos: QPointF) -> None:
        """Mouse moved to scene_pos: describe the cell of J under it (or show the hint)."""
        cell = None
        if self._n_classes and self.heatmap.vb.sceneBoundingRect().contains(scene_pos):
            p = self.heatmap.vb.mapSceneToView(scene_pos)
            cell = cell_at(p.x(), p.y(), self._n_classes)
        if cell != self._hover:
            self._hover = cell
            self._update_hover_text()

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._clear_hover()
        super().leaveEvent(event)

    def _clear_hover(self) -> None:
        self._hover = None
        self._update_hover_text()

    def _update_hover_text(self) -> None:
        frame, cell = self._frame, self._hover
        self.hover_outline.setVisible(cell is not None and frame is not None)
        if cell is None or frame is None:
            self._show_heading()
            biggest = np.abs(frame.sample_jacobian).max() if frame is not None else np.inf
            # Nearly one-hot a: J is near-white on its fixed scale; say why, not just the hint.
            # Once said, it stays until max |J| is clearly above the bound (no flicker while
            # training moves it to and fro across it).
            blank = biggest < BLANK_BELOW * (1.2 if self._blank else 1.0)
            self._blank = blank
            self.hover_label.setText(
                BLANK_NOTE.format(biggest=format_value(biggest)) if blank else HOVER_HINT
            )
            return
        i, j = cell
        self.hover_outline.setRect(QRectF(j - 0.5, i - 0.5, 1, 1))
        names = frame.dataset.class_names
        text = describe_cell(frame.sample_jacobian, frame.sample_proba, i, j, names)
        self.hover_label.setText(text)
        self._show_heading()

    def _show_heading(self) -> None:
        """The sample's heading; in a compact panel the hovered cell's line takes its place."""
        hovering = self.compact and self._hover is not None and self._frame is not None
        self.heading.setText(html.escape(self.hover_label.text()) if hovering
                             else self._heading_text)  # fmt: skip

    # ------------------------------------------------------------------ helpers
    def _changed(self, key: str, value) -> bool:
        """True (and remember `value`) if `value` differs from what `key` shows now."""
        if key in self._shown and self._shown[key] == value:
            return False
        self._shown[key] = value
        return True

    def _bar_pens(self, y: int, C: int) -> list:
        # The true class gets a thick black outline, so it stands out whatever its height.
        s = sizes(self._presentation)
        thin, thick = pg.mkPen((90, 90, 90), width=1), pg.mkPen("k", width=s["line"] + 1)
        return [thick if k == y else thin for k in range(C)]

    def _place_markers(self) -> None:
        frame = self._frame
        if frame is None:
            return
        y, predicted, a = frame.sample_label, frame.sample_prediction, frame.sample_proba
        # Placed by where they go, rounded as a pixel would: unchanged places are not set again.
        key = (y, predicted, round(float(a[y]), 3), round(float(a[predicted]), 3))
        if not self._changed("markers", key):
            return
        self._place_marker(self.true_marker, y, a[y])
        if y != predicted:
            self._place_marker(self.predicted_marker, predicted, a[predicted])

    def _place_marker(self, marker: pg.TextItem, k: int, height: float) -> None:
        """Above its bar; a tall bar leaves no room above in a small plot, so the marker goes
        beside it instead, where the other bars are short (the a_i sum to 1). Either way it
        stays inside the plot (class 9's "y = ŷ" was cut off at the right edge); in a plot too
        small for it, it goes (the true bar's thick outline and the predicted bar's colour
        still say which is which)."""
        height = float(np.nan_to_num(height))
        x_min, x_max, y_max = -0.6, self._n_classes - 0.4, PROBA_TOP
        per_pixel = self.proba_plot.vb.viewPixelSize()
        box = marker.textItem.boundingRect()
        width, tall = box.width() * per_pixel[0], box.height() * per_pixel[1]  # in view units
        fits = width <= x_max - x_min and tall <= y_max
        marker.setOpacity(1.0 if fits else 0.0)  # visibility says whether it is needed
        if not fits:
            return
        if height <= 0.75 and height + 0.01 + tall <= y_max:
            marker.setAnchor((0.5, 1))  # its bottom centre
            x = min(max(k, x_min + width / 2), x_max - width / 2)
            marker.setPos(x, height + 0.01)
            return
        y = min(max(height, tall), y_max)  # its top, with its bottom above 0
        if k + 0.4 + width <= x_max:
            marker.setAnchor((0, 0))
            marker.setPos(k + 0.4, y)
        else:
            marker.setAnchor((1, 0))
            marker.setPos(max(k - 0.4, x_min + width), y)


def _seen(values: np.ndarray, step: float) -> bytes:
    """`values` as the screen can show them (in steps of `step`), hashable and comparable."""
    return np.round(np.nan_to_num(values, nan=9.0) / step).astype(np.int32).tobytes()


def heading_text(
    sample: str, true: str, predicted: str, loss: str, short: bool = False, drawn: bool = False
) -> str:
    """The heading: which sample, its classes and its loss (rich text; `short` for a compact
    panel, where it must fit one line). A drawing (`drawn`) has an intended class, not a true
    one, and is no longer to write than test sample #10,000."""
    if drawn and short:
        return f"<b>drawing</b>: y = {true}, predicted {predicted}, −log a<sub>y</sub> = {loss}"
    if drawn:
        return (
            f"<b>Your drawing</b>: intended {true}, predicted {predicted}; "
            f"loss = −log a<sub>y</sub> = {loss}"
        )
    if short:
        return f"<b>{sample}</b>: true {true}, predicted {predicted}, −log a<sub>y</sub> = {loss}"
    return (
        f"<b>Test sample {sample}</b>: true {true}, predicted {predicted}; "
        f"loss = −log a<sub>y</sub> = {loss}"
    )


def loss_text(a_y: float) -> str:
    """−log a_y, compact whatever its size (a diverged run has a_y = 0 or nan)."""
    loss = -np.log(max(float(a_y), np.finfo(float).tiny)) if np.isfinite(a_y) else np.nan
    return compact(loss).replace("-", "−")


def note_bound(worst: float) -> str:
    """The largest |row or column sum| of J as the note says it: rounding error (always, for a
    finite a) as a steady "< 1e-12", so the note is not set again every frame."""
    return "< 1e-12" if worst < 1e-12 else "= " + compact(worst)


def _font(point_size: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSize(point_size)
    font.setBold(bold)
    return font
