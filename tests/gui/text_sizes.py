"""The pixel size of every text on screen in a laid-out window (issue 14: presentation mode's
text is at least 18 px).

Widgets: a label (rich text by the size of each run of glyphs), a button, a combo box, a tab, a
dock's title, an editable box. Plots: every text item (titles, axis labels, pyqtgraph text
items, the binary network's labels) at the size the view paints it, and axis tick labels.
Sizes are in logical pixels (a device-pixel ratio of 2 paints them with twice as many).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontInfo, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDockWidget,
    QGraphicsTextItem,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)

from tests.gui.text_fit import _looks_rich, _shown, _where

SCRIPTS = (
    QTextCharFormat.VerticalAlignment.AlignSubScript,
    QTextCharFormat.VerticalAlignment.AlignSuperScript,
)


def _document_sizes(document: QTextDocument, scale: float = 1.0) -> list[tuple[float, str, bool]]:
    """(pixel size, text, sub- or superscript) of each run of glyphs in a document, times
    `scale` (rich text draws a script smaller than the text it belongs to)."""
    document.size()  # lays it out
    found = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            script = fragment.charFormat().verticalAlignment() in SCRIPTS
            if fragment.text().strip():
                for run in fragment.glyphRuns():
                    found.append((run.rawFont().pixelSize() * scale, fragment.text(), script))
            it += 1
        block = block.next()
    return found


def _font_px(font: QFont) -> float:
    return float(QFontInfo(font).pixelSize())


def _widget_texts(widget: QWidget) -> list[tuple[float, str, bool]]:
    if isinstance(widget, QLabel):
        text = widget.text()
        if not text or (widget.pixmap() is not None and not widget.pixmap().isNull()):
            return []
        rich = widget.textFormat() == Qt.TextFormat.RichText or (
            widget.textFormat() == Qt.TextFormat.AutoText and _looks_rich(text)
        )
        if rich:
            document = QTextDocument()
            document.setDefaultFont(widget.font())
            document.setHtml(text)
            return _document_sizes(document)
        return [(_font_px(widget.font()), text, False)]
    if isinstance(widget, QAbstractButton) and widget.text():
        return [(_font_px(widget.font()), widget.text(), False)]
    if isinstance(widget, QComboBox) and widget.currentText():
        return [(_font_px(widget.font()), widget.currentText(), False)]
    if isinstance(widget, QLineEdit) and widget.text():
        if isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
            return []  # counted with its box
        return [(_font_px(widget.font()), widget.text(), False)]
    if isinstance(widget, QAbstractSpinBox) and widget.text():
        return [(_font_px(widget.font()), widget.text(), False)]
    if isinstance(widget, QTabBar):
        font = _font_px(widget.font())
        return [(font, widget.tabText(i), False) for i in range(widget.count())]
    if isinstance(widget, QDockWidget) and widget.titleBarWidget() is None:
        title = widget.windowTitle()
        return [(_font_px(widget.font()), title, False)] if title else []
    return []


def _item_scale(item, view: pg.GraphicsView) -> float:
    """How much larger than its font the view paints `item` (text items under a zoomed view)."""
    transform = item.deviceTransform(view.viewportTransform())
    return (abs(transform.m22()) + abs(transform.m11())) / 2 or 1.0


def _plot_texts(view: pg.GraphicsView) -> list[tuple[float, str, bool]]:
    found = []
    for item in view.scene().items():
        if not item.isVisible() or item.effectiveOpacity() == 0:
            continue
        if isinstance(item, QGraphicsTextItem) and item.toPlainText().strip():
            found += _document_sizes(item.document(), _item_scale(item, view))
        elif isinstance(item, pg.AxisItem) and item.style["showValues"]:
            if item.boundingRect().isEmpty():
                continue
            font = item.style["tickFont"] or item.font()
            found.append((_font_px(font), f"ticks of the {item.orientation} axis", False))
    return found


def text_pixel_sizes(window: QWidget) -> list[dict]:
    """Every text shown in `window`: {"px": its pixel size, "where": the widget's path, "text":
    its first 40 characters, "script": True for a sub- or superscript}."""
    sizes = []
    for widget in window.findChildren(QWidget):
        if not _shown(widget):
            continue
        texts = _plot_texts(widget) if isinstance(widget, pg.GraphicsView) else []
        texts += _widget_texts(widget)
        sizes += [
            {"px": round(px, 1), "where": _where(widget), "text": text[:40], "script": script}
            for px, text, script in texts
        ]
    return sizes
