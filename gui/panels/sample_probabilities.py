"""The selected sample's probabilities: the top three a_i with their classes, and its loss."""

from __future__ import annotations

from html import escape

import numpy as np
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui.colors import class_color
from gui.formatting import subscript
from gui.frame import Frame
from gui.steady_label import SteadyLabel
from model import Dataset

SPACING = 4


class SampleProbabilities(QWidget):
    """The top-3 probabilities (`top_label`) and the loss -log a_y (`true_label`)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # New texts every frame, in boxes of steady size (no layout pass per frame).
        self.top_label = SteadyLabel(rich=True)
        # Wraps (at its one breakable space) where the column is too narrow for one line.
        self.true_label = SteadyLabel(loss_text(0.5, 0), rich=True, wrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self.top_label)
        layout.addWidget(self.true_label)

    def least_width(self) -> int:
        """The narrowest the read-out can be: its top-3 lines do not wrap, the loss at its break."""
        return max(
            self.top_label.minimumSizeHint().width(),
            self.true_label.fontMetrics().horizontalAdvance("= −log 0.000 = 00.00") + 2,
        )

    def set_dataset(self, dataset: Dataset) -> None:
        # Room for the longest names, so a new frame never needs a wider column.
        names = dataset.class_names
        longest = sorted(range(dataset.n_classes), key=lambda c: -len(str(names[c])))[:3]
        self.top_label.set_widest(top_html(names, longest, [1.0] * len(longest), longest[0]))

    def show_frame(self, frame: Frame) -> None:
        a, true = frame.sample_proba, frame.sample_label
        top = np.argsort(-a, kind="stable")[:3]
        self.top_label.setText(
            top_html(frame.dataset.class_names, top, a[top], true, frame.label_word)
        )
        # The loss this sample adds is -log a_y: show the link between a and the loss.
        self.true_label.setText(loss_text(a[true], true))


def top_html(names, classes, probabilities, true: int, word: str = "true") -> str:
    """The top-3 lines: a swatch, a_i, the class name, and which one is true.

    a_i comes first, in one fixed format, so the numbers line up whatever the names; lines,
    not a table: a table is laid out again on every new text, three times the cost.
    """
    rows = []
    for c, a_c in zip(classes, probabilities, strict=True):
        note = f"&nbsp;&nbsp;← {word}" if c == true else ""
        swatch = f"<span style='color: rgb{class_color(int(c))}'>■</span>"
        rows.append(f"{swatch}&nbsp;{a_c:.3f}&nbsp;&nbsp;{escape(str(names[c]))}{note}")
    return "<b>top 3 probabilities aᵢ</b><br>" + "<br>".join(rows)


def loss_text(a_y: float, y: int) -> str:
    """-log a_y with a_y, in two parts joined by the one space where a narrow column wraps.

    The index is the true class's, as a Unicode subscript ("a₂"): rich text draws a <sub> at
    two thirds of its text's size, under 18 px in presentation mode (issue 14)."""
    loss = -np.log(max(a_y, np.finfo(float).tiny))
    nb = "\u00a0"
    a = f"a{subscript(y)}"
    return f"loss{nb}−log{nb}{a} ={nb}−log{nb}{a_y:.3f}{nb}={nb}{loss:.2f}"

