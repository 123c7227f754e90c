"""What am I looking at?: a "?" in the corner of every panel, and F1 for the panel under the
mouse, show a card with a few sentences and the formula the panel draws.

The texts are data, one section per row of the table of panels, in resources/help.md; the card
takes the application font, so presentation mode's large font reaches it too.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QCursor, QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDockWidget,
    QFrame,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui.panel import Panel
from resources import resource_path

HELP_FILE = "help.md"
#: The card's width in lines of its font: narrow enough to read, wide enough for a formula.
CARD_WIDTH_EM = (26, 44)


@dataclass(frozen=True)
class PanelHelp:
    """A panel's help: its sentences and the formula it shows (lines, with Unicode subscripts)."""

    text: str
    formula: str

    def sentences(self) -> list[str]:
        return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"(])", self.text) if s.strip()]


@functools.cache
def help_texts() -> dict[str, PanelHelp]:
    """The sections of resources/help.md by panel class name."""
    texts: dict[str, PanelHelp] = {}
    source = resource_path(HELP_FILE).read_text(encoding="utf-8")
    for section in source.split("\n## ")[1:]:
        name, _, body = section.partition("\n")
        prose = [line for line in body.splitlines() if line.strip() and not line.startswith("    ")]
        formula = [line[4:] for line in body.splitlines() if line.startswith("    ")]
        texts[name.strip()] = PanelHelp(" ".join(p.strip() for p in prose), "\n".join(formula))
    return texts


def help_for(panel: Panel) -> PanelHelp | None:
    return help_texts().get(type(panel).__name__)


class HelpCard(QFrame):
    """The help of one panel, as a popup over it: closes with Esc or a click elsewhere."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("HelpCard")
        self.setFrameShape(QFrame.Shape.Box)
        self.setAccessibleName("What am I looking at?")
        self.title = QLabel()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.formula = QLabel()
        self.formula.setTextFormat(Qt.TextFormat.PlainText)
        self.formula.setWordWrap(True)  # a narrow screen wraps a long formula, never cuts it
        self.hint = QLabel("Esc or a click elsewhere closes this.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        for label in (self.title, self.text, self.formula, self.hint):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
        self.panel: Panel | None = None

    def show_for(self, panel: Panel, help_: PanelHelp) -> None:
        """Fill the card from `help_` in the application's current font and show it over
        `panel`, inside the panel's screen."""
        self.panel = panel
        font = QFont(QApplication.font())
        for label in (self.title, self.text, self.hint):
            label.setFont(font)
        # The formula in the text's own font, set off by an indent: a monospaced font drew the
        # Unicode subscripts (aₖ, Σⱼ) half as tall as the letters they belong to.
        self.formula.setFont(font)
        self.formula.setIndent(QFontMetrics(font).height())
        self.title.setText(f"<b>{html.escape(panel.title)}</b>: what am I looking at?")
        self.text.setText(help_.text)
        self.formula.setText(help_.formula)
        em = QFontMetrics(font).height()
        narrowest, widest = (n * em for n in CARD_WIDTH_EM)
        formula_width = max(
            (
                self.formula.fontMetrics().horizontalAdvance(line)
                for line in help_.formula.split("\n")
            ),
            default=0,
        )
        width = int(min(max(narrowest, formula_width + 40, panel.width()), widest))
        screen = (panel.screen() or QApplication.primaryScreen()).availableGeometry()
        width = min(width, screen.width() - 20)
        self.setFixedWidth(width)
        self.layout().activate()
        self.setFixedHeight(self.layout().totalHeightForWidth(width))
        corner = panel.mapToGlobal(QPoint(max(0, (panel.width() - width) // 2), 0))
        x = min(max(corner.x(), screen.left()), screen.right() - width)
        y = min(max(corner.y(), screen.top()), screen.bottom() - self.height())
        self.move(x, y)
        self.show()
        self.raise_()


class HelpButton(QToolButton):
    """The "?" of a panel: in its dock's title bar, left of the float and close buttons, or, for
    a dock without a title bar (the controls strip), at the right end of the menu bar."""

    def __init__(self, dock: QDockWidget, show):
        self.dock = dock
        self.panel: Panel = dock.widget()
        self.in_title_bar = dock.titleBarWidget() is None
        super().__init__(dock)
        self.setText("?")
        bold = QFont(self.font())
        bold.setBold(True)
        self.setFont(bold)
        self.setAutoRaise(True)
        self.setToolTip(f"What am I looking at? Help on the {self.panel.title.lower()} (F1)")
        self.setAccessibleName(f"Help: {self.panel.title}")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the training
        self.clicked.connect(lambda: show(self.panel))
        if self.in_title_bar:
            dock.installEventFilter(self)
            self.place()
        else:
            # The strip fills its rows to the edge: its "?" sits at the end of the menu bar,
            # right above it (the menu bar stays in presentation mode too).
            dock.window().menuBar().setCornerWidget(self, Qt.Corner.TopRightCorner)

    def place(self) -> None:
        """In the title bar, as high as it is, left of the dock's own float and close buttons."""
        dock = self.dock
        title_height = self.panel.geometry().top()
        side = max(8, min(self.fontMetrics().height() + 4, title_height))
        own = [
            b.geometry().left()
            for b in dock.findChildren(QAbstractButton)
            if b.objectName().startswith("qt_dockwidget_") and b.isVisible()
        ]
        right = min(own, default=dock.width() - 2) - 4
        self.setFixedSize(side, side)
        self.move(right - side, max(0, (title_height - side) // 2))
        self.raise_()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() in (
            QEvent.Type.Resize, QEvent.Type.FontChange, QEvent.Type.Show,
            QEvent.Type.LayoutRequest,
        ):  # fmt: skip
            self.place()
        return False


class PanelHelpers(QObject):
    """The window's help: a "?" on every panel with a help text, F1 for the panel under the
    mouse (else the one with the keyboard focus), and one card."""

    def __init__(self, window, docks: dict[str, QDockWidget]):
        super().__init__(window)
        self.window = window
        self.card = HelpCard(window)
        self.buttons = {
            name: HelpButton(dock, self.show_help)
            for name, dock in docks.items()
            if help_for(dock.widget()) is not None
        }
        self.f1 = QShortcut(QKeySequence(Qt.Key.Key_F1), window)
        self.f1.setContext(Qt.ShortcutContext.WindowShortcut)
        self.f1.activated.connect(self.show_for_pointer)

    def show_help(self, panel: Panel) -> None:
        help_ = help_for(panel)
        if help_ is not None:
            self.card.show_for(panel, help_)

    def show_for_pointer(self) -> None:
        """F1: the help of the panel under the mouse, else of the one with the keyboard focus;
        over no panel, the banner says how to ask."""
        panel = panel_at(pointer()) or _panel_of(QApplication.focusWidget())
        if panel is not None and help_for(panel) is not None:
            self.show_help(panel)
        else:
            self.window.show_message(
                "info",
                "Help",
                "Point the mouse at a panel and press F1, or click the ? in its corner.",
            )


def pointer() -> QPoint:
    """Where the mouse is, on the screen."""
    return QCursor.pos()


def panel_at(global_pos: QPoint) -> Panel | None:
    """The panel under a point of the screen, if any."""
    return _panel_of(QApplication.widgetAt(global_pos))


def _panel_of(widget: QWidget | None) -> Panel | None:
    while widget is not None and not isinstance(widget, Panel):
        widget = widget.parentWidget()
    return widget
