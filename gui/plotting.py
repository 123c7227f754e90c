"""The look every plot shares: fonts, pens and colour bars, normal and for a projector."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QTextDocument

#: Sizes for the desk and for the back of a classroom.
NORMAL = {"tick_pt": 9, "label_pt": 10, "title_pt": 11, "line": 2}
PRESENTATION = {"tick_pt": 16, "label_pt": 18, "title_pt": 20, "line": 4}


def configure_pyqtgraph() -> None:
    """Once per process: light background, antialiasing, row-major images (data[row, col])."""
    pg.setConfigOptions(antialias=True, background="w", foreground="k", imageAxisOrder="row-major")


def sizes(presentation: bool) -> dict[str, int]:
    return PRESENTATION if presentation else NORMAL


def style_plot(plot: pg.PlotItem, presentation: bool = False) -> None:
    """Set tick and label fonts of all four axes and the title size for the mode."""
    s = sizes(presentation)
    tick_font = QFont()
    tick_font.setPointSize(s["tick_pt"])
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        axis.setStyle(tickFont=tick_font)
        axis.label.setFont(_font(s["label_pt"]))
        # Keep room for bigger tick labels so nothing is cut off.
        if name in ("left", "right"):
            axis.setWidth(None)
    if plot.titleLabel.text:
        plot.setTitle(plot.titleLabel.text, size=f"{s['title_pt']}pt")


def _font(point_size: int) -> QFont:
    font = QFont()
    font.setPointSize(point_size)
    return font


def style_colorbar(bar: pg.ColorBarItem, presentation: bool = False) -> None:
    """Tick and label fonts of a colour bar; its tick axis widens to fit large tick labels."""
    s = sizes(presentation)
    tick_font = QFont()
    tick_font.setPointSize(s["tick_pt"])
    bar.axis.setStyle(tickFont=tick_font)
    if bar.axis.orientation in ("left", "right"):
        bar.axis.setWidth(None)  # pyqtgraph fixes it at 45 px, too narrow for projector fonts
    else:  # a horizontal bar's: setWidth would fix the width of a bottom axis, at 0
        bar.axis.setHeight(None)
    # A vertical bar carries its label on the left axis, not on the tick axis.
    for axis in {bar.axis, bar.getAxis("left"), bar.getAxis("bottom")}:
        axis.label.setFont(_font(s["label_pt"]))


def blank_image(shape: tuple[int, ...], levels: tuple[float, float] = (-1, 1)) -> pg.ImageItem:
    """An ImageItem holding zeros of `shape`, with fixed levels.

    It must hold data from the start: pyqtgraph defers levels set on an empty item (as
    ColorBarItem.setImageItem does) and would apply those stale levels over the first frame's;
    and setRect needs the image size.
    """
    return pg.ImageItem(np.zeros(shape), axisOrder="row-major", autoLevels=False, levels=levels)


_label_widths: dict[tuple[str, str, float], float] = {}


def axis_label_width(axis: pg.AxisItem, text: str) -> float:
    """Width in pixels of `text` as `axis` renders its label (rich text, with its margins)."""
    style = ";".join(f"{k}: {v}" for k, v in axis.labelStyle.items())
    html = f"<span style='{style}'>{text} </span>"  # as AxisItem.labelString writes it
    font = axis.label.font()
    margin = axis.label.document().documentMargin()
    key = (font.toString(), html, margin)
    if key not in _label_widths:
        doc = QTextDocument()
        doc.setDefaultFont(font)
        doc.setDocumentMargin(margin)
        doc.setHtml(html)
        _label_widths[key] = doc.size().width()
    return _label_widths[key]


def fit_axis_label(axis: pg.AxisItem, labels: Sequence[str], room: float) -> str:
    """Show the first of `labels` (longest first) that fits `room` pixels along the axis.

    A last label "" hides the label where none fits: only for an axis whose meaning the plot
    says elsewhere (its title, a legend). Otherwise the shortest is shown whatever its width.
    Returns the label shown.
    """
    text = next((t for t in labels if t and axis_label_width(axis, t) <= room), labels[-1])
    if not text:
        if axis.label.isVisible():
            axis.showLabel(False)
    elif axis.labelText != text or not axis.label.isVisible():
        axis.setLabel(text)  # shows it too
        # The label is placed (centred along the axis) only on the axis's resize: place the
        # new, shorter or longer, text now, or it stays where the old one was centred.
        axis.resizeEvent()
    return text


def keep_axis_label_fitted(
    axis: pg.AxisItem, labels: Sequence[str], view: pg.ViewBox
) -> Callable[[], str]:
    """Fit the label of `axis` to the length of `view` beside it now and on every resize.

    Returns the fitting, to call again when the fonts change (presentation mode). Decided on
    resize, never per frame: a new label lays the plot out again.
    """
    along = axis.orientation in ("left", "right")

    def fit(*_) -> str:
        return fit_axis_label(axis, labels, view.height() if along else view.width())

    view.sigResized.connect(fit)
    fit()
    return fit


def shrink_legend(legend: pg.LegendItem) -> None:
    """Size a legend to its texts now. LegendItem.updateSize adds up its items' current
    widths, which a shorter text or another column count leaves as they were (a legend kept
    the width of its longest text ever and reached out of its plot), and which otherwise
    settle only after a paint."""
    legend.setGeometry(QRectF(0, 0, 0, 0))  # every item at its minimum ...
    legend.layout.activate()
    legend.updateSize()  # ... and the legend as large as they are
