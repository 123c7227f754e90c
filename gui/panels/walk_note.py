"""The note under the sample controls while Previous and Next walk a set of samples (a cell of
the confusion matrix): which set, where in it, and a button to leave it."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from gui.selection import SampleSelection
from gui.steady_label import SteadyLabel

LEAVE_TIP = "Leave the cell: Previous and Next go through every test sample again."


class WalkNote(QWidget):
    """"in cell true 8 → predicted 4 (3 of 37; its samples at step 300)" and a Leave button;
    hidden without a walk."""

    def __init__(self, selection: SampleSelection, parent: QWidget | None = None):
        super().__init__(parent)
        self.selection = selection
        # Wraps (a projector font in a narrow column takes three lines) and keeps the height
        # its lines need, so the inspector's layout gives it that room.
        self.label = SteadyLabel(wrap=True)
        self.leave_button = QPushButton("Leave")
        self.leave_button.setAccessibleName("Leave the cell")
        self.leave_button.setToolTip(LEAVE_TIP)
        self.leave_button.clicked.connect(selection.clear_walk)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, stretch=1)
        layout.addWidget(self.leave_button)
        selection.walk_changed.connect(self.update_note)
        self.update_note()

    def update_note(self) -> None:
        walk = self.selection.walk
        self.setVisible(walk is not None)
        if walk is None:
            self.label.setText("")
            return
        position = self.selection.walk_position + 1
        where = f"{position:,} of {len(walk):,}" + (f"; {walk.note}" if walk.note else "")
        self.label.setText(f"in cell {walk.label} ({where})")
        tip = (
            "Previous and Next stay among these samples (wrapping around at the ends): the"
            " samples in the cell when it was clicked, though training may have moved some"
            " since.\nTyping an index, Random, Next misclassified or Leave ends the walk."
        )
        self.label.setToolTip(tip)
