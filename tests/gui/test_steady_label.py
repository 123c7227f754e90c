"""SteadyLabel: a new text repaints the label and lays out nothing, unless its lines change."""

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gui.steady_label import SteadyLabel


class LayoutRequests(QObject):
    """Counts the layout passes asked of a widget."""

    def __init__(self, widget: QWidget):
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def window_with(qtbot, label: QWidget) -> QWidget:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    layout.addWidget(label)
    layout.addWidget(QLabel("below"))
    window.resize(300, 200)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(20)
    return window


def test_a_new_text_of_the_same_lines_asks_for_no_layout(qtbot):
    label = SteadyLabel("loss = 0.1234", rich=True, wrap=True)
    window = window_with(qtbot, label)
    requests = LayoutRequests(window)
    height = label.height()
    for value in (0.2345, 12.34, 1.2e73):
        label.setText(f"loss = {value:.4g}")
        qtbot.wait(10)
    assert requests.count == 0 and label.height() == height
    assert label.text() == "loss = 1.2e+73"


def test_a_plain_qlabel_asks_for_one_per_text(qtbot):
    """What SteadyLabel avoids (if Qt stops doing this, SteadyLabel can go)."""
    label = QLabel("loss = 0.1234")
    label.setWordWrap(True)
    window = window_with(qtbot, label)
    requests = LayoutRequests(window)
    label.setText("loss = 0.2345")
    qtbot.wait(10)
    assert requests.count >= 1


def test_more_lines_make_it_taller_and_the_reserve_keeps_the_height(qtbot):
    label = SteadyLabel("short", wrap=True)
    window = window_with(qtbot, label)  # noqa: F841 - kept alive
    one_line = label.height()
    label.setText("a much longer text that cannot fit on one line of three hundred pixels " * 2)
    qtbot.waitUntil(lambda: label.height() > one_line)
    label.set_widest("reserved " * 40)
    label.setText("short")
    qtbot.wait(10)
    assert label.height() > one_line  # the reserve holds the room


def test_unwrapped_text_never_needs_more_than_it_is_given(qtbot):
    label = SteadyLabel("1", widest="0.0000")
    window = window_with(qtbot, label)  # noqa: F841 - kept alive
    metrics = label.fontMetrics()
    for text in ("0.1234", "nan", "12"):
        label.setText(text)
        assert metrics.horizontalAdvance(text) <= label.label.contentsRect().width()


def test_a_new_font_reaches_the_label_after_a_style_sheet(qtbot):
    """The binary panel colours its verdict with a style sheet and later gives it a smaller
    font (compact); Qt stopped passing the box's font down, so the box was sized for 13 pt
    while the label drew 17 pt and cut the verdict (found by tests/gui/test_screens.py)."""
    from PySide6.QtGui import QFont

    label = SteadyLabel("✓ decodes to 6 (correct)", wrap=True, widest="✗")
    big = QFont(label.font())
    big.setPointSize(17)
    label.setFont(big)
    window = window_with(qtbot, label)  # noqa: F841 - kept alive
    label.setStyleSheet("color: #1b7a2e;")
    label.setText("✓ decodes to 2 (correct)")
    qtbot.wait(10)
    small = QFont(big)
    small.setPointSize(13)
    label.setFont(small)
    qtbot.wait(10)
    assert label.label.font().pointSize() == 13
    assert label.label.heightForWidth(label.width()) <= label.height()


def test_a_colour_change_keeps_the_font(qtbot):
    """The binary verdict turned from green to red with a second style sheet, which reset the
    label's font to the application's: a 17 pt verdict drew at 9 pt (seen in a screenshot)."""
    from PySide6.QtGui import QFont, QPalette

    label = SteadyLabel("✓ decodes to 2 (correct)", wrap=True)
    big = QFont(label.font())
    big.setPointSize(17)
    big.setBold(True)
    label.setFont(big)
    window = window_with(qtbot, label)  # noqa: F841 - kept alive
    for color in ("#1b7a2e", "#c41e1e", "#1b7a2e"):
        label.set_color(color)
        qtbot.wait(10)
        assert label.label.font().pointSize() == 17 and label.label.font().bold()
        assert label.label.palette().color(QPalette.ColorRole.WindowText).name() == color
