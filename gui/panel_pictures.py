"""A panel as a picture, the whole panel as shown: PNG at the screen's size or 2x, or SVG.

Qt paints the pictures (QWidget.render into a QImage or a QSvgGenerator), headings, read-outs
and plots alike; nothing is rasterised by hand. pyqtgraph's own SVGExporter would only cover a
panel's plot scene, and with this Qt it fails on the paths Qt writes (pyqtgraph issue 3485,
"x,y = c.split(',')"), so the plots are painted by Qt's generator too, in pyqtgraph's export
mode (scatter symbols as paths, not pixmap stamps) and without the pixmap caches the panels
keep for speed: an SVG of cached items would hold bitmaps, not lines and text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QBuffer, QIODevice, QPoint, QRect
from PySide6.QtGui import QColor, QFont, QFontInfo, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsView, QWidget

from gui.svg_strokes import bake_non_scaling_strokes

#: The PNG scales offered: the screen's size and twice it, for slides.
SCALES = (1, 2)


def background(widget: QWidget) -> QColor:
    """The colour the panel is seen on (its window colour), opaque: a picture with a clear
    background shows black in some viewers and slide programs."""
    color = QColor(widget.palette().window().color())
    color.setAlpha(255)
    return color


@contextmanager
def painted_for_export(widget: QWidget) -> Iterator[None]:
    """Every plot item in `widget` painted afresh for an export, put back as it was after."""
    views = widget.findChildren(QGraphicsView)
    items = [item for view in views for item in view.items()]
    caches = [item.cacheMode() for item in items]
    view_caches = [view.cacheMode() for view in views]
    for view in views:  # a cached background would be an image of the whole plot, in white
        view.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
    for item in items:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        if hasattr(item, "setExportMode"):
            item.setExportMode(True, {"antialias": True})
    try:
        yield
    finally:
        for item, cache in zip(items, caches, strict=True):
            item.setCacheMode(cache)
            if hasattr(item, "setExportMode"):
                item.setExportMode(False)
        for view, cache in zip(views, view_caches, strict=True):
            view.setCacheMode(cache)


def panel_image(widget: QWidget, scale: float = 1) -> QImage:
    """The widget as shown, `scale` times its size on screen (in device-independent pixels),
    on its own opaque background."""
    image = QImage(widget.size() * scale, QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(scale)  # Qt paints text and lines at the finer resolution
    image.fill(background(widget))
    with painted_for_export(widget):
        widget.render(image)
    return image


def panel_svg(widget: QWidget, title: str = "") -> bytes:
    """The widget as shown, as an SVG document: lines, shapes and text stay vectors; images
    (the weights, the sample) are embedded as PNG."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(widget.size())
    generator.setViewBox(QRect(QPoint(), widget.size()))
    # The widget's own resolution: the generator's default of 72 dpi shrank point-sized text.
    generator.setResolution(widget.logicalDpiX())
    generator.setTitle(title or widget.windowTitle())
    generator.setDescription("Exported from Softmax Lab")
    painter = QPainter(generator)
    painter.fillRect(QRect(QPoint(), widget.size()), background(widget))
    with painted_for_export(widget):
        widget.render(painter, QPoint())
    painter.end()
    return bake_non_scaling_strokes(_named_font_families(bytes(buffer.data())))


_FONT_FAMILY = re.compile(rb'font-family="([^"]*)"')


def _named_font_families(svg: bytes) -> bytes:
    """Qt writes its alias "Sans Serif", a name browsers and slide programs do not know (they
    fall back to a serif face of other widths): name the font Qt used, then a generic one."""
    named: dict[bytes, bytes] = {}

    def real(match: re.Match) -> bytes:
        family = match.group(1)
        if family not in named:
            used = QFontInfo(QFont(family.decode())).family()
            named[family] = f"{used}, sans-serif".encode()
        return b'font-family="' + named[family] + b'"'

    return _FONT_FAMILY.sub(real, svg)


def copy_to_clipboard(widget: QWidget) -> QImage:
    """Put the widget on the clipboard as an image, at the screen's pixel density; returns it.

    An image only: a QMimeData made in Python (to add the SVG) crashed the interpreter at exit
    once it was on the clipboard (PySide6 6.11, offscreen), which QClipboard.setImage does not."""
    image = panel_image(widget, max(1.0, widget.devicePixelRatioF()))
    QApplication.clipboard().setImage(image)
    return image
