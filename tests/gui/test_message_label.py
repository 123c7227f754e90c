"""A long message is cut to the label's lines; the controls above it keep their size
(issue 9, item 5: a divergence message squashed Batch size and L2)."""

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QSpinBox, QVBoxLayout, QWidget

from gui.message_label import MessageLabel

LONG = (
    "Training diverged at step 12: the minibatch loss became inf with learning rate 1000. "
    "Training is paused with the last weights that gave a finite loss; lower the learning "
    "rate or reset. "
) * 3


def test_a_long_message_is_cut_and_the_whole_is_in_the_tooltip(qtbot):
    label = MessageLabel(lines=3)
    qtbot.addWidget(label)
    label.resize(300, label.height())
    label.show()
    height = label.height()
    label.setText(LONG)
    assert label.height() == height
    assert label.shown_text().endswith("…") and len(label.shown_text()) < len(LONG)
    assert label.text() == LONG == label.toolTip()
    label.setText("Reset by the user")
    assert label.shown_text() == "Reset by the user"


def test_the_controls_above_keep_their_height(qtbot):
    panel = QWidget()
    layout = QVBoxLayout(panel)
    form = QFormLayout()
    boxes = [QSpinBox() for _ in range(4)]
    for i, box in enumerate(boxes):
        form.addRow(f"row {i}", box)
    layout.addLayout(form)
    label = MessageLabel(lines=3)
    layout.addWidget(label)
    qtbot.addWidget(panel)
    panel.resize(300, 220)
    panel.show()
    before = [box.height() for box in boxes]
    label.setText(LONG)
    qtbot.waitUntil(lambda: not label.shown_text() or label.shown_text().endswith("…"))
    panel.layout().activate()
    assert [box.height() for box in boxes] == before


def test_a_bigger_font_keeps_the_number_of_lines(qtbot):
    label = MessageLabel(lines=2)
    qtbot.addWidget(label)
    small = label.height()
    font = QFont(label.font())
    font.setPointSize(font.pointSize() * 2)
    label.setFont(font)
    assert label.height() > small


def test_a_label_too_narrow_for_a_word_shows_no_cut_word(qtbot):
    """At 1280x720 in presentation mode a lesson's "Lesson reset" had 84 px: "Lesson …" wrapped
    and the one line showed "Lesson", a message of its own. Now "…", the whole in the tooltip."""
    label = MessageLabel(lines=1)
    qtbot.addWidget(label)
    font = QFont()
    font.setPointSize(18)
    label.setFont(font)
    label.resize(84, label.height())
    label.show()
    label.setText("Lesson reset")
    shown = label.shown_text()
    assert shown == "" or (shown.endswith("…") and shown != "Lesson …"), shown
    assert label.toolTip() == "Lesson reset"
    label.resize(600, label.height())
    assert label.shown_text() == "Lesson reset"


@pytest.mark.parametrize("point_size", [6, 7, 9, 10, 12, 14, 18, 24, 30])
def test_a_message_that_fits_is_shown_whole_at_every_font_size(qtbot, point_size):
    """A line's box is a pixel taller than the font's line spacing at some sizes (10, 14 and
    30 pt here): every message was then judged too tall, and a one-line label showed none."""
    label = MessageLabel(lines=1)
    qtbot.addWidget(label)
    font = QFont()
    font.setPointSize(point_size)
    label.setFont(font)
    label.resize(2000, label.height())
    label.show()
    label.setText("Lesson reset")
    assert label.shown_text() == "Lesson reset"
