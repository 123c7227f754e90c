"""Finds text that does not fit the space it is given in a laid-out window (issue 9, item 7).

Widgets: a QLabel's text (plain or rich, wrapped or not), a button's or a combo box's text,
a tab's title, a dock's title. Plots: a pyqtgraph title or axis label wider than its item, a
TextItem reaching outside its view. Each finding is a line saying where and what.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDockWidget,
    QLabel,
    QTabBar,
    QWidget,
)

#: Pixels of slack for rounding (text metrics and layouts round differently).
SLACK = 2


def _where(widget: QWidget) -> str:
    names = []
    while widget is not None and len(names) < 3:
        names.append(widget.objectName() or type(widget).__name__)
        widget = widget.parentWidget()
    return "/".join(reversed(names))


def _shown(widget: QWidget) -> bool:
    """Visible and not in a dock tabbed away (a widget's own visible region is no test: its
    children cover it)."""
    if not widget.isVisible():
        return False
    dock = widget if isinstance(widget, QDockWidget) else None
    parent = widget.parentWidget()
    while dock is None and parent is not None:
        dock = parent if isinstance(parent, QDockWidget) else None
        parent = parent.parentWidget()
    return dock is None or not dock.visibleRegion().isEmpty()


def _looks_rich(text: str) -> bool:
    """Qt's own test (Qt::mightBeRichText) is not bound in PySide6: a tag in the first line."""
    first = text.split("\n", 1)[0]
    return "<" in first and ">" in first


def _label_problem(label: QLabel) -> str | None:
    text = label.text()
    if not text or label.pixmap() is not None and not label.pixmap().isNull():
        return None
    if hasattr(label, "shown_text"):  # a MessageLabel cuts its own text to fit
        return None
    rect = label.contentsRect()
    width, height = rect.width() - 2 * label.margin(), rect.height() - 2 * label.margin()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and _looks_rich(text)
    )
    if rich:
        doc = QTextDocument()
        doc.setDefaultFont(label.font())
        doc.setDocumentMargin(0)
        doc.setHtml(text)
        if label.wordWrap():
            doc.setTextWidth(width)
            needed_w, needed_h = doc.idealWidth(), doc.size().height()
        else:
            needed_w, needed_h = doc.idealWidth(), doc.size().height()
    else:
        metrics = QFontMetrics(label.font())
        flags = Qt.TextFlag.TextWordWrap if label.wordWrap() else Qt.TextFlag.TextSingleLine
        box = metrics.boundingRect(0, 0, max(width, 1), 10**6, int(flags), text)
        needed_w, needed_h = box.width(), box.height()
    if needed_w > width + SLACK or needed_h > height + SLACK:
        return (
            f"label {_where(label)} {text[:60]!r}: needs {needed_w:.0f}x{needed_h:.0f}, "
            f"has {width}x{height}"
        )
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    text = button.text().replace("&", "")
    if not text:
        return None
    needed = QFontMetrics(button.font()).horizontalAdvance(text)
    if needed > button.contentsRect().width() + SLACK:
        return f"button {_where(button)} {text!r}: needs {needed}, has {button.width()}"
    return None


def _combo_problem(combo: QComboBox) -> str | None:
    text = combo.currentText()
    needed = QFontMetrics(combo.font()).horizontalAdvance(text) + 24  # the arrow
    if text and needed > combo.width() + SLACK:
        return f"combo box {_where(combo)} {text!r}: needs {needed}, has {combo.width()}"
    return None


def _tab_problems(bar: QTabBar) -> list[str]:
    problems = []
    metrics = QFontMetrics(bar.font())
    for i in range(bar.count()):
        text = bar.tabText(i).replace("&", "")
        needed = metrics.horizontalAdvance(text) + 8
        if needed > bar.tabRect(i).width() + SLACK:
            problems.append(f"tab {text!r}: needs {needed}, has {bar.tabRect(i).width()}")
        elif not bar.rect().adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(bar.tabRect(i)):
            problems.append(f"tab {text!r}: scrolled out of its bar (behind the scroll arrows)")
    return problems


def _dock_problem(dock: QDockWidget) -> str | None:
    if dock.titleBarWidget() is not None or dock.isFloating():
        return None
    text = dock.windowTitle()
    needed = QFontMetrics(dock.font()).horizontalAdvance(text) + 50  # float and close buttons
    if needed > dock.width() + SLACK:
        return f"dock title {text!r}: needs {needed}, has {dock.width()}"
    return None


def _plot_problems(view: pg.GraphicsView) -> list[str]:
    problems = []
    viewport = QRectF(view.viewport().rect())
    for item in view.scene().items():
        if not item.isVisible() or item.opacity() == 0:
            continue
        owner = _where(view)
        if isinstance(item, pg.LabelItem) and item.text:
            needed = item.item.boundingRect().width()
            has = item.boundingRect().width()
            if needed > has + SLACK:
                problems.append(
                    f"plot title {owner} {item.text[:50]!r}: needs {needed:.0f}, has {has:.0f}"
                )
        elif isinstance(item, pg.TextItem) and item.toPlainText().strip():
            rect = QRectF(view.mapFromScene(item.sceneBoundingRect()).boundingRect())
            visible = viewport
            parent_view = item.getViewBox()
            if parent_view is not None:
                box = view.mapFromScene(parent_view.sceneBoundingRect()).boundingRect()
                visible = QRectF(box).intersected(viewport)
            if not visible.adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(rect):
                problems.append(f"text {owner} {item.toPlainText()[:40]!r}: outside its view")
        elif isinstance(item, pg.AxisItem) and item.label.isVisible() and item.labelText:
            label = item.label.boundingRect()
            length = (
                item.boundingRect().height()
                if item.orientation in ("left", "right")
                else (item.boundingRect().width())
            )
            if label.width() > length + SLACK:
                problems.append(
                    f"axis label {owner} {item.labelText[:40]!r}: needs {label.width():.0f},"
                    f" has {length:.0f}"
                )
    return problems


def clipped_texts(window: QWidget) -> list[str]:
    """Every text on screen in `window` that does not fit its space."""
    problems = []
    for widget in window.findChildren(QWidget):
        if not _shown(widget):
            continue
        if isinstance(widget, QLabel):
            problems.append(_label_problem(widget))
        elif isinstance(widget, QAbstractButton):
            problems.append(_button_problem(widget))
        elif isinstance(widget, QComboBox):
            problems.append(_combo_problem(widget))
        elif isinstance(widget, QTabBar):
            problems += _tab_problems(widget)
        elif isinstance(widget, QDockWidget):
            problems.append(_dock_problem(widget))
        elif isinstance(widget, pg.GraphicsView):
            problems += _plot_problems(widget)
    return [p for p in problems if p]
