"""Sample inspector: pick a test sample, see its image (or point), true and predicted class.

Three parts, each in its own file: the controls that pick the sample (sample_navigation.py),
its picture (sample_picture.py) and its probabilities (sample_probabilities.py); here, the
verdict and how the parts share the room. The panel reads frames: the picture, the verdict and
the top-3 probabilities always come from the last frame shown.

It usually lives in a narrow column (about 360 x 520 px at the desk, a 420 px wide tab at 18 pt
in presentation mode), so it stacks the picture over the text and makes the picture as large as
the room the text leaves; floated wide, picture and text sit side by side.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPalette
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QVBoxLayout, QWidget

from gui.frame import Frame
from gui.panel import Panel
from gui.panels.sample_navigation import SampleNavigation
from gui.panels.sample_picture import MIN_SIDE_PX, PIXEL_LEVELS, SamplePicture, subscript
from gui.panels.sample_probabilities import SampleProbabilities
from gui.selection import SampleSelection
from gui.steady_label import SteadyLabel
from model import Dataset

__all__ = ["PIXEL_LEVELS", "RIGHT_COLOR", "VERDICT_SCALE", "WRONG_COLOR", "SamplePanel"]

#: Dark enough to read on white from the back of a room (the usual pure green washes out).
RIGHT_COLOR = "#1b7a2e"
WRONG_COLOR = "#c41e1e"
#: The verdict is the panel's headline: bold and this much larger than the application font.
VERDICT_SCALE = 1.3
#: Picture side limits at the desk font (9 pt), scaled with the font so a projector gets more.
#: Stacked, a larger picture would push the probabilities out of a short dock.
STACKED_MAX_PX = {"image": 300, "points": 300}
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
        self._verdict_color: str | None = None
        self.stacked = True  # picture above the text (False: beside it)
        self.navigation = SampleNavigation(selection)
        self.navigation.status_changed.connect(self._fit)
        # The verdict has room for two lines from the start, so the first frame does not move
        # the picture.
        self.verdict_label = SteadyLabel("no model yet\n ", wrap=True)
        self.verdict_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture = SamplePicture()
        self.details = SampleProbabilities()
        self._lay_out()
        self.set_presentation(False)

    def _lay_out(self) -> None:
        self.header = QWidget()
        header = QVBoxLayout(self.header)
        header.addWidget(self.navigation)
        header.addWidget(self.verdict_label)
        # The controls are rearranged to fit the width (SampleNavigation.arrange): the
        # arrangement shown now must not hold the column at its width (the panel's minimum is
        # the narrowest one), nor claim the room a wider window brings (that goes to the plots).
        self.header.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.body = QGridLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(self.body)
        layout.addStretch(1)  # spare height goes below the text, not between its lines
        for part in (header, self.body, layout):
            part.setSpacing(SPACING)
            if part is not layout:
                part.setContentsMargins(0, 0, 0, 0)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)

    # ------------------------------------------------------------------ fitting the space
    def _fit(self) -> None:
        """Arrange the parts for the panel's size: picture above or beside the text, whichever
        gives the larger picture, and the picture as large as the room the text leaves."""
        width, height = self.width() - 2 * SPACING, self.height() - 2 * SPACING
        least = max(self.navigation.arrange(width), self.details.least_width())
        self.setMinimumWidth(least + 2 * SPACING)
        self._fit_verdict(width)
        header = _height(self.header, width) + SPACING

        def room(column_width: int, below: int) -> int:
            used = header + below  # the caption and key are as wide as the picture's column
            for label in (self.picture.caption_label, self.picture.legend_label):
                if not label.isHidden():
                    used += _height(label, column_width) + SPACING
            return min(column_width, height - used)

        kind = "points" if self.picture.shows_points else "image"
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
        self.picture.views.setMaximumSize(side, side)
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
        self.navigation.set_dataset(dataset)
        self.picture.set_dataset(dataset)
        self.details.set_dataset(dataset)
        self._verdict_key = None
        self._fit()

    def show_frame(self, frame: Frame) -> None:
        if frame.dataset is not self._dataset:
            self.set_dataset(frame.dataset)
        first = self._frame is None
        self._frame = self.navigation.frame = frame
        self.picture.show_frame(frame)
        self._show_verdict(frame)
        if first:
            self._fit()  # the text has its real height now

    def _show_verdict(self, frame: Frame) -> None:
        names = frame.dataset.class_names  # plain text in the verdict
        true, predicted = frame.sample_label, frame.sample_prediction
        a = frame.sample_proba
        # Rounded as shown: a redraw with nothing visibly new touches no widget (no style churn).
        key = (frame.sample_index, frame.drawn, true, predicted, tuple(np.round(a, 3)))
        if key == self._verdict_key:
            return
        self._verdict_key = key
        right = true == predicted
        mark = "✓" if right else "✗"  # a shape as well as a colour, for colour-blind viewers
        self.verdict_label.setText(
            f"{mark} {frame.label_word} {names[true]}\n"
            f"predicted {names[predicted]}  (a{subscript(predicted)} = {a[predicted]:.2f})"
        )
        self._set_verdict_color(RIGHT_COLOR if right else WRONG_COLOR)
        self.details.show_frame(frame)

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

    def set_presentation(self, on: bool) -> None:
        # Text follows the application font (which presentation mode enlarges) by itself.
        self.picture.set_presentation(on)
        self._fit()

    def next_misclassified(self) -> None:
        """Select the next test sample the model gets wrong (see SampleNavigation)."""
        self.navigation.next_misclassified()


def _height(widget: QWidget, width: int) -> int:
    """Height the widget wants at this width (wrapped text needs more when narrow)."""
    if isinstance(widget, SteadyLabel):
        return widget.needed_height(width)
    if widget.hasHeightForWidth():
        return widget.heightForWidth(width)
    return widget.sizeHint().height()
