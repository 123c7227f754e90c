"""Sample inspector: pick a test sample, see its image (or point), true and predicted class.

The panel writes the shared `SampleSelection` (only through `set_index`, which validates), so the
Jacobian and probability panels follow whatever sample is picked here. It reads frames: the
picture, the verdict and the top-3 probabilities always come from the last frame shown.

It usually lives in a narrow column (about 360 x 520 px at the desk, a 420 px wide tab at 18 pt
in presentation mode), so it stacks the picture over the text and makes the picture as large as
the room the text leaves; floated wide, picture and text sit side by side.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSignalBlocker, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPalette
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gui.colors import class_color
from gui.frame import Frame
from gui.panel import Panel
from gui.panels.sample_scatter import SampleScatter
from gui.selection import SampleSelection
from gui.steady_label import SteadyLabel
from model import Dataset

#: Dark enough to read on white from the back of a room (the usual pure green washes out).
RIGHT_COLOR = "#1b7a2e"
WRONG_COLOR = "#c41e1e"
#: Ink dark on white: matches the white plots around it and projects better than a black square.
INK_MAP = pg.ColorMap([0.0, 1.0], [(255, 255, 255), (0, 0, 0)])
PIXEL_LEVELS = (0.0, 1.0)
#: The verdict is the panel's headline: bold and this much larger than the application font.
VERDICT_SCALE = 1.3
#: Picture side limits at the desk font (9 pt), scaled with the font so a projector gets more.
#: Stacked, a larger picture would push the probabilities out of a short dock.
STACKED_MAX_PX = {"image": 300, "points": 300}
MIN_SIDE_PX = 120
DESK_PT = 9.0
SPACING = 4


class SamplePanel(Panel):
    """The selected test sample: its image (or 2-D point), true and predicted class, top-3 a."""

    title = "Sample inspector"

    def __init__(self, selection: SampleSelection, parent: QWidget | None = None):
        super().__init__(parent)
        self.selection = selection
        self._dataset: Dataset | None = None
        self._frame: Frame | None = None
        self._verdict_key: tuple | None = None
        self._arrangement: tuple | None = None
        self._verdict_color: str | None = None
        self.stacked = True  # picture above the text (False: beside it)
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
        for control in (self.index_spin, self.index_spin.lineEdit()):
            control.setAccessibleName("Test sample #")  # what a screen reader says: the label
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
        for button, name in (
            (self.previous_button, "Previous"),
            (self.next_button, "Next"),
            (self.misclassified_button, "Next misclassified"),
            (self.random_button, "Random"),
        ):
            button.setAccessibleName(name)  # the label without its arrows

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
        self.scatter_view = SampleScatter()
        self.views = QStackedWidget()
        self.views.addWidget(self.image_view)
        self.views.addWidget(self.scatter_view)
        self.views.setMinimumSize(MIN_SIDE_PX, MIN_SIDE_PX)
        # Preferred, not Expanding, across: a window growing wider gives the room to the
        # plots; this column keeps its width (the picture's size follows it, see _fit).
        self.views.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    def _build_text(self) -> None:
        # The texts that change with every frame sit in boxes of steady size (no layout pass
        # per frame); the verdict has room for two lines from the start, so the first frame
        # does not move the picture.
        self.verdict_label = SteadyLabel("no model yet\n ", wrap=True)
        self.verdict_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption_label = SteadyLabel(wrap=True)
        self.legend_label = QLabel("")
        for label in (self.caption_label, self.legend_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.top_label = SteadyLabel(rich=True)
        # Wraps (at its one breakable space) where the column is too narrow for one line.
        self.true_label = SteadyLabel(_loss_text(0.5), rich=True, wrap=True)
        self.status_label = QLabel("")
        self.status_label.hide()  # shown only with a message
        self.legend_label.setTextFormat(Qt.TextFormat.RichText)
        for label in (self.legend_label, self.status_label):
            label.setWordWrap(True)  # only if a projector font makes them too long for a line

    def _lay_out(self) -> None:
        # Control rows are filled by _arrange_controls: two to four, as the width allows.
        self.control_rows = [QHBoxLayout() for _ in range(5)]
        self.header = QWidget()
        header = QVBoxLayout(self.header)
        for row in self.control_rows:
            header.addLayout(row)
        header.addWidget(self.verdict_label)
        # The rows are rearranged to fit the width (_arrange_controls): the arrangement shown
        # now must not hold the column at its width (the panel's minimum is the narrowest
        # one), nor claim the room a wider window brings (that goes to the plots).
        self.header.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.picture = QWidget()  # the picture with what reads it: caption and key
        picture = QVBoxLayout(self.picture)
        picture.addWidget(self.views, 0, Qt.AlignmentFlag.AlignHCenter)
        picture.addWidget(self.caption_label)
        picture.addWidget(self.legend_label)
        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.addWidget(self.top_label)
        details.addWidget(self.true_label)
        self.body = QGridLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(self.body)
        layout.addStretch(1)  # spare height goes below the text, not between its lines
        for part in (header, picture, details, self.body, layout):
            part.setSpacing(SPACING)
            if part is not layout:
                part.setContentsMargins(0, 0, 0, 0)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)

    # ------------------------------------------------------------------ fitting the space
    def _arrange_controls(self, width: int) -> None:
        """The first arrangement of the controls whose rows all fit the width (wide to narrow).

        The status message sits beside the button it reports on if it fits there, else below.
        """
        moves = (self.index_label, self.index_spin, self.previous_button, self.next_button)
        jumps = (self.misclassified_button, self.random_button)
        pick = (self.index_label, self.index_spin, self.random_button)
        steps = (self.previous_button, self.next_button)
        status = (self.status_label,)
        candidates = (
            (moves, jumps + status),
            (moves, jumps, status),
            (pick, steps, (self.misclassified_button, *status)),
            (pick, steps, (self.misclassified_button,), status),
            (pick[:2], steps, (self.misclassified_button,), (self.random_button, *status)),
        )
        rows = next((c for c in candidates if self._needs(c) <= width), candidates[-1])
        # Narrow enough for the narrowest rows, however wide they are now (a dock may shrink),
        # and for the text that cannot wrap.
        least = max(
            self._needs(candidates[-1][:4]),
            self.top_label.minimumSizeHint().width(),
            self.true_label.fontMetrics().horizontalAdvance("= −log 0.000 = 00.00") + 2,
        )
        self.setMinimumWidth(least + 2 * SPACING)
        if rows == self._arrangement:
            return
        self._arrangement = rows
        for row in self.control_rows:
            while row.count():
                row.takeAt(0)
        for row, widgets in zip(self.control_rows, rows, strict=False):
            for widget in widgets:  # no stretch factor: that, too, would claim the room
                row.addWidget(widget)
            # Keeps the buttons at their natural width while the message is hidden; not an
            # expanding stretch, which would make the whole column claim a wider window's room.
            row.addSpacerItem(QSpacerItem(0, 0, QSizePolicy.Policy.Ignored))

    def _needs(self, rows) -> int:
        """Width the widest row needs (the status label wraps if even its own row is short)."""

        def width(widget: QWidget) -> int:
            if widget is self.status_label:
                text = widget.text()
                return widget.fontMetrics().horizontalAdvance(text) + 2 if text else 0
            return widget.sizeHint().width()

        return max(sum(map(width, row)) + SPACING * (len(row) - 1) for row in rows)

    def _fit(self) -> None:
        """Arrange the parts for the panel's size: picture above or beside the text, whichever
        gives the larger picture, and the picture as large as the room the text leaves."""
        width, height = self.width() - 2 * SPACING, self.height() - 2 * SPACING
        self._arrange_controls(width)
        self._fit_verdict(width)
        header = _height(self.header, width) + SPACING

        def room(column_width: int, below: int) -> int:
            used = header + below  # the caption and key are as wide as the picture's column
            for label in (self.caption_label, self.legend_label):
                if not label.isHidden():
                    used += _height(label, column_width) + SPACING
            return min(column_width, height - used)

        kind = "points" if self.views.currentWidget() is self.scatter_view else "image"
        stacked_max = round(STACKED_MAX_PX[kind] * self._font_scale())
        stacked = min(stacked_max, room(width, _height(self.details, width) + SPACING))
        # A few pixels of air: rich text's size hint rounds its ideal width down.
        beside = room(width - self.details.sizeHint().width() - SPACING - 8, 0)
        narrow = stacked >= beside or beside < MIN_SIDE_PX  # beside: only with room for both
        # The 2-D plane with its axes needs the column's width; beside it the probabilities
        # were cut by a few pixels at 1280 and 1366 px in presentation mode.
        narrow = narrow or kind == "points"
        for widget in (self.picture, self.details):
            self.body.removeWidget(widget)
        top = Qt.AlignmentFlag.AlignTop
        if narrow:  # picture above the text, both centred in the column
            self.body.addWidget(self.picture, 0, 1, top)
            self.body.addWidget(self.details, 1, 1, top)
        else:  # side by side, centred as a pair
            self.body.addWidget(self.picture, 0, 1, top)
            self.body.addWidget(self.details, 0, 2, top)
        side = max(MIN_SIDE_PX, stacked if narrow else beside)
        self.views.setMaximumSize(side, side)
        self.body.setColumnMinimumWidth(1, 0 if narrow else side)
        self.stacked = narrow

    def _fit_verdict(self, width: int) -> None:
        """The verdict's font: VERDICT_SCALE x the application font, smaller if a line with the
        longest class name would not fit (one size per dataset, so it never jumps per frame)."""
        font = QFont(self.font())
        font.setBold(True)
        names = self._dataset.class_names if self._dataset is not None else ("0",)
        longest = max(
            QFontMetricsF(font).horizontalAdvance(f"predicted {name}  (a₉₉ = 0.00)")
            for name in names
        )
        scale = min(VERDICT_SCALE, max(1.0, 0.95 * width / longest))
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * scale)
        else:
            font.setPixelSize(round(font.pixelSize() * scale))
        if font != self.verdict_label.font():
            self.verdict_label.setFont(font)

    def _font_scale(self) -> float:
        return max(1.0, self.font().pointSizeF() / DESK_PT)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        # As narrow as the panel can be: the room the window has goes to the plots.
        return QSize(self.minimumWidth(), super().sizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # presentation mode or Ctrl+= zoom
            self._fit()

    # ------------------------------------------------------------------ Panel API
    def set_dataset(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self._frame = None  # its predictions belong to the old dataset
        with QSignalBlocker(self.index_spin):
            self.index_spin.setRange(0, dataset.n_test - 1)
            self.index_spin.setValue(min(self.selection.index, dataset.n_test - 1))
        self._set_status("")
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
        self._verdict_key = None
        # Room for the longest names, so a new frame never needs a wider column.
        names = dataset.class_names
        longest = sorted(range(dataset.n_classes), key=lambda c: -len(str(names[c])))[:3]
        self.top_label.set_widest(_top_html(names, longest, [1.0] * len(longest), longest[0]))
        self._fit()

    def show_frame(self, frame: Frame) -> None:
        if frame.dataset is not self._dataset:
            self.set_dataset(frame.dataset)
        first = self._frame is None
        self._frame = frame
        dataset, i = frame.dataset, frame.sample_index
        if dataset.image_shape is not None:
            self.image_item.setImage(
                frame.sample_x.reshape(dataset.image_shape), autoLevels=False, levels=PIXEL_LEVELS
            )
            rows, cols = dataset.image_shape
            self.caption_label.setText(f"#{i:,} · {rows}×{cols} px · dark = ink")
        else:
            self.scatter_view.show_frame(frame)
            shown = enumerate(frame.sample_x[:4])
            values = ", ".join(f"x{_sub(k + 1)}\u00a0=\u00a0{v:.2f}" for k, v in shown)
            more = ", …" if dataset.n_features > 4 else ""
            self.caption_label.setText(f"#{i:,} ◯: {values}{more}")
        self._show_verdict(frame)
        if first:
            self._fit()  # the text has its real height now

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
            f"{mark} true {names[true]}\n"
            f"predicted {names[predicted]}  (a{_sub(predicted)} = {a[predicted]:.2f})"
        )
        self._set_verdict_color(RIGHT_COLOR if right else WRONG_COLOR)
        top = np.argsort(-a, kind="stable")[:3]
        self.top_label.setText(_top_html(names, top, a[top], true))
        self._show_loss(frame)

    def _set_verdict_color(self, color: str) -> None:
        """The verdict's colour, by palette: a style sheet would fix the font of the label
        inside the SteadyLabel, which then stays at the desk size in presentation mode."""
        if color != self._verdict_color:
            self._verdict_color = color
            palette = self.verdict_label.palette()
            palette.setColor(QPalette.ColorRole.WindowText, QColor(color))
            self.verdict_label.setPalette(palette)

    def verdict_color(self) -> str | None:
        """The verdict's colour (RIGHT_COLOR or WRONG_COLOR; None before the first frame)."""
        return self._verdict_color

    def _show_loss(self, frame: Frame) -> None:
        # The loss this sample adds is -log a_y: show the link between a and the loss.
        self.true_label.setText(_loss_text(frame.sample_proba[frame.sample_label]))

    def set_presentation(self, on: bool) -> None:
        # Text follows the application font (which presentation mode enlarges) by itself.
        self.scatter_view.set_presentation(on)
        self._fit()

    # ------------------------------------------------------------------ actions
    def next_misclassified(self) -> None:
        """Select the first misclassified test sample after the current one, wrapping around."""
        frame = self._frame
        if frame is None:
            self._set_status("no model shown yet: nothing to search")
            return
        wrong = np.flatnonzero(frame.test_predictions != frame.dataset.y_test)
        if wrong.size == 0:
            self._set_status(f"none misclassified: all {frame.dataset.n_test:,} are right")
            return
        current = self.selection.index
        after = wrong[wrong > current]
        target = int(after[0] if after.size else wrong[0])
        rank = int(np.searchsorted(wrong, target)) + 1
        self.selection.set_index(target)
        # After set_index: moving clears the status, but this message is about the move.
        self._set_status(f"{rank:,} of {wrong.size:,} misclassified")

    def _set_status(self, text: str) -> None:
        if text != self.status_label.text():
            self.status_label.setText(text)
            self.status_label.setVisible(bool(text))  # no empty row when there is no message
            self._fit()  # a wrapped message takes height from the picture

    def _step(self, delta: int) -> None:
        self.selection.set_index(self.selection.index + delta)

    def _on_selection_changed(self, index: int) -> None:
        # Blocked so the spin box does not write the same index back into the selection.
        with QSignalBlocker(self.index_spin):
            self.index_spin.setValue(index)
        self._set_status("")


def _top_html(names, classes, probabilities, true: int) -> str:
    """The top-3 lines: a swatch, a_i, the class name, and which one is true.

    a_i comes first, in one fixed format, so the numbers line up whatever the names; lines,
    not a table: a table is laid out again on every new text, three times the cost.
    """
    rows = []
    for c, a_c in zip(classes, probabilities, strict=True):
        note = "&nbsp;&nbsp;← true" if c == true else ""
        swatch = f"<span style='color: rgb{class_color(int(c))}'>■</span>"
        rows.append(f"{swatch}&nbsp;{a_c:.3f}&nbsp;&nbsp;{escape(str(names[c]))}{note}")
    return "<b>top 3 probabilities a<sub>i</sub></b><br>" + "<br>".join(rows)


def _loss_text(a_y: float) -> str:
    """-log a_y with a_y, in two parts joined by the one space where a narrow column wraps."""
    loss = -np.log(max(a_y, np.finfo(float).tiny))
    nb = "\u00a0"
    return f"loss{nb}−log{nb}a<sub>y</sub> ={nb}−log{nb}{a_y:.3f}{nb}={nb}{loss:.2f}"


def _height(widget: QWidget, width: int) -> int:
    """Height the widget wants at this width (wrapped text needs more when narrow)."""
    if isinstance(widget, SteadyLabel):
        return widget.needed_height(width)
    if widget.hasHeightForWidth():
        return widget.heightForWidth(width)
    return widget.sizeHint().height()


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
