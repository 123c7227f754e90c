"""Choosing the test sample: its index, previous and next, the next misclassified, a random one.

The controls write the shared `SampleSelection` (through `set_index` and `step`, which validate)
and follow it; while it walks a set of samples (a confusion-matrix cell), Previous and Next stay
inside the set and a note under the controls says so (walk_note.py). Their rows are arranged for
the width they get (two to four rows, wide to narrow): Qt has no layout that wraps a row of widgets.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.frame import Frame
from gui.panels.walk_note import WalkNote
from gui.selection import SampleSelection
from model import Dataset

SPACING = 4
#: While the drawing stands in for the test sample (any test sample chosen leaves it). Short:
#: the narrowest arrangement puts it beside Random, and the column is as wide as that row.
DRAWN_STATUS = "showing your drawing"


class SampleNavigation(QWidget):
    """The controls that pick the selected test sample, and a line saying what a jump found."""

    #: The status line changed (its height may have): the panel fits its parts again.
    status_changed = Signal()

    def __init__(self, selection: SampleSelection, parent: QWidget | None = None):
        super().__init__(parent)
        self.selection = selection
        self.frame: Frame | None = None  # the last frame shown: its predictions for a jump
        self._arrangement: tuple | None = None
        self._rng = np.random.default_rng()
        self._build()
        # Rows are filled by `arrange`: two to four, as the width allows.
        self.rows = [QHBoxLayout() for _ in range(5)]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        for row in self.rows:
            row.setSpacing(SPACING)
            layout.addLayout(row)
        layout.addWidget(self.walk_note)
        self.selection.changed.connect(self._on_selection_changed)
        self.selection.walk_changed.connect(self._on_walk_changed)
        self.selection.drawn_changed.connect(self._on_drawn_changed)

    def _build(self) -> None:
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
        self.walk_note = WalkNote(self.selection)
        self.status_label = QLabel("")
        self.status_label.hide()  # shown only with a message
        self.status_label.setWordWrap(True)  # only if a projector font makes it too long

    # ------------------------------------------------------------------ fitting the width
    def arrange(self, width: int) -> int:
        """The first arrangement of the controls whose rows all fit the width (wide to narrow);
        returns the width the narrowest arrangement needs.

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
        if rows != self._arrangement:
            self._arrangement = rows
            for row in self.rows:
                while row.count():
                    row.takeAt(0)
            for row, widgets in zip(self.rows, rows, strict=False):
                for widget in widgets:  # no stretch factor: that, too, would claim the room
                    row.addWidget(widget)
                # Keeps the buttons at their natural width while the message is hidden; not
                # an expanding stretch, which would make the column claim a wider window's room.
                row.addSpacerItem(QSpacerItem(0, 0, QSizePolicy.Policy.Ignored))
        # Narrow enough for the narrowest rows, however wide they are now (a dock may shrink).
        return self._needs(candidates[-1][:4])

    def _needs(self, rows) -> int:
        """Width the widest row needs (the status label wraps if even its own row is short)."""

        def width(widget: QWidget) -> int:
            if widget is self.status_label:
                text = widget.text()
                return widget.fontMetrics().horizontalAdvance(text) + 2 if text else 0
            return widget.sizeHint().width()

        return max(sum(map(width, row)) + SPACING * (len(row) - 1) for row in rows)

    # ------------------------------------------------------------------ data
    def set_dataset(self, dataset: Dataset) -> None:
        self.frame = None  # its predictions belong to the old dataset
        with QSignalBlocker(self.index_spin):
            self.index_spin.setRange(0, dataset.n_test - 1)
            self.index_spin.setValue(min(self.selection.index, dataset.n_test - 1))
        self.set_status("")

    def next_misclassified(self) -> None:
        """Select the first misclassified test sample after the current one, wrapping around."""
        frame = self.frame
        if frame is None:
            self.set_status("no model shown yet: nothing to search")
            return
        wrong = np.flatnonzero(frame.test_predictions != frame.dataset.y_test)
        if wrong.size == 0:
            self.set_status(f"none misclassified: all {frame.dataset.n_test:,} are right")
            return
        current = self.selection.index
        after = wrong[wrong > current]
        target = int(after[0] if after.size else wrong[0])
        rank = int(np.searchsorted(wrong, target)) + 1
        self.selection.set_index(target)
        # After set_index: moving clears the status, but this message is about the move.
        self.set_status(f"{rank:,} of {wrong.size:,} misclassified")

    def set_status(self, text: str) -> None:
        if text != self.status_label.text():
            self.status_label.setText(text)
            self.status_label.setVisible(bool(text))  # no empty row when there is no message
            self.status_changed.emit()  # a wrapped message takes height from the picture

    def _step(self, delta: int) -> None:
        self.selection.step(delta)

    def _on_walk_changed(self) -> None:
        where = " in the cell" if self.selection.walk is not None else ""
        self.previous_button.setToolTip(f"Select the test sample before this one{where}.")
        self.next_button.setToolTip(f"Select the test sample after this one{where}.")
        self.status_changed.emit()  # the note came, went or changed: the panel fits again

    def _on_drawn_changed(self) -> None:
        drawn = self.selection.drawn is not None
        self.set_status(DRAWN_STATUS if drawn else "")

    def _on_selection_changed(self, index: int) -> None:
        # Blocked so the spin box does not write the same index back into the selection.
        with QSignalBlocker(self.index_spin):
            self.index_spin.setValue(index)
        self.set_status("")
