"""The binary output network drawn for one sample: softmax a, step units h, code outputs d.

Three columns (math.md section 4): on the left each a_i as a bar on a 0..1 track with the
threshold p as a dashed line across all bars, in the middle the step units h_i (lit when
a_i > p), on the right the outputs d_j = sum_i M[j, i] h_i. An edge joins h_i to d_j only where
M[j, i] = 1, so digit 7 visibly feeds d0, d1 and d2. Items are built once per dataset in
`set_network`; `show_sample` only changes bar widths, brushes, pens and text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF, QTextOption
from PySide6.QtWidgets import QGraphicsItem

from gui.formatting import subscript
from gui.panels.binary_verdict import code_text
from gui.pixel_text import DARK, PixelText
from model import BinaryOutputNetwork

LIT = (255, 176, 0)  # a fired unit: bright amber, visible on any projector
DIM_EDGE = (190, 190, 190)
BAR = (120, 150, 195)  # an a_i at or below p
INVALID = "#c41e1e"
TRUE_CLASS = "#1b7a2e"
SIZES = {  # normal, presentation
    False: {"font": 10, "head": 11, "code": 14, "step": 24, "out": 32, "edge": 1.5, "lit": 3.5},
    True: {"font": 15, "head": 16, "code": 21, "step": 34, "out": 44, "edge": 2.5, "lit": 6},
}


def _width(font: QFont, text: str) -> float:
    return QFontMetricsF(font).horizontalAdvance(text) + 10  # + the text item's margins


def output_rows(n_classes: int, n_bits: int) -> np.ndarray:
    """Rows of the d units (in class rows): spread evenly over the class rows, d0 on top."""
    spacing = (n_classes - 1) / n_bits
    return (n_classes - 1) / 2 + (np.arange(n_bits) - (n_bits - 1) / 2) * spacing


@dataclass
class Geometry:
    """Where things go, in pixels of the view (the view's range is its own size)."""

    x_track: float = 0.0
    track: float = 1.0  # pixels for a = 1
    x_step: float = 0.0
    x_out: float = 0.0
    rows: np.ndarray = None  # y of each class row
    out_rows: np.ndarray = None  # y of each output unit
    pitch: float = 1.0
    top: float = 0.0


class BinaryNetworkView(pg.GraphicsLayoutWidget):
    """The network for the selected sample; redrawn in place by `show_sample(a, y, network)`."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.ci.setContentsMargins(0, 0, 0, 0)
        self.box = self.addViewBox(enableMouse=False, invertY=True)
        self.box.setMenuEnabled(False)
        self.box.sigResized.connect(self._lay_out)
        self._presentation = False
        self.compact = False  # one-line headers and a smaller code line, for a short view
        self._items: list = []
        self.edges: list[tuple[int, int, pg.PlotCurveItem]] = []
        self.geometry_ = Geometry()
        self.a = np.zeros(0)
        self.threshold = 0.5
        self._code_room = 1e9
        self.y, self._values = -1, []
        self.lit = np.zeros(0, bool)
        self.outputs = np.zeros(0, int)
        self._text_cache: dict[int, str] = {}
        self.setToolTip(
            "The binary output network for the selected test sample: a unit h\u1d62 fires when "
            "a\u1d62 > p, and each fired unit adds its class's binary code to d."
        )

    # ------------------------------------------------------------------ building
    def set_network(self, network: BinaryOutputNetwork, class_names) -> None:
        """Build every item for C classes and n_bits outputs (called on dataset change)."""
        for item in self._items:
            self.box.removeItem(item)
        self._items, self.edges, self._text_cache = [], [], {}
        C, n_bits, M = network.n_classes, network.n_bits, network.weights
        self.class_names = tuple(str(name) for name in class_names)
        self.a, self.y, self._values = np.zeros(C), -1, []
        self.lit, self.outputs = np.zeros(C, bool), np.zeros(n_bits, int)

        # A light 0..1 track behind each a bar, so a short bar still shows how far 1 is.
        self.tracks = pg.BarGraphItem(x0=0, y=np.arange(C), height=0.5, width=1.0,
                                      brush=(246, 246, 246), pen=(165, 165, 165))  # fmt: skip
        self.bars = pg.BarGraphItem(x0=0, y=np.arange(C), height=0.5, width=np.zeros(C),
                                    brushes=[BAR] * C, pen=None)  # fmt: skip
        self.p_line = pg.PlotCurveItem([0, 0], [0, 1])
        self.edges = [
            (i, j, pg.PlotCurveItem([0, 1], [0, 1]))
            for i in range(C) for j in range(n_bits) if M[j, i]
        ]  # fmt: skip
        self.step_nodes = pg.ScatterPlotItem(np.zeros(C), np.arange(C), symbol="o")
        self.out_nodes = pg.ScatterPlotItem(np.zeros(n_bits), np.arange(n_bits), symbol="o")

        def text(anchor, words=""):
            return PixelText(words, anchor)

        self.name_texts = [text((1, 0.5)) for _ in range(C)]
        self.value_texts = [text((0, 0.5)) for _ in range(C)]
        self.state_texts = [text((0.5, 0.5), "0") for _ in range(C)]
        self.output_texts = [text((0.5, 0.5), "0") for _ in range(n_bits)]
        self.output_labels = [text((0, 0.5)) for _ in range(n_bits)]
        self.header_texts = [text((0.5, 1), words) for words in self._header_words()]
        for header in self.header_texts:  # centre each line of the two-line headers
            header.textItem.document().setDefaultTextOption(
                QTextOption(Qt.AlignmentFlag.AlignCenter)
            )
        self.threshold = network.threshold
        self.p_text = text((0.5, 1), f"p = {network.threshold:.3f}")
        self.code_text = text((0.5, 0))

        # Tracks, bars and edges under the nodes, a lit edge (z 0.5) over grey ones, text on top.
        for z, items in (
            (-2, [self.tracks, self.bars]), (0, [edge for *_, edge in self.edges]),
            (1, [self.p_line]), (2, [self.step_nodes, self.out_nodes]),
            (3, [*self.name_texts, *self.value_texts, *self.state_texts, *self.output_texts,
                 *self.output_labels, *self.header_texts, self.p_text, self.code_text]),
        ):  # fmt: skip
            for item in items:
                item.setZValue(z)
                self.box.addItem(item)
                self._items.append(item)
        # Most items change rarely (a text when its value does, an edge when its unit fires):
        # each is painted once into a cache and copied while the bars beside it move.
        cached = QGraphicsItem.CacheMode.DeviceCoordinateCache
        for item in (self.tracks, self.p_line, self.step_nodes, self.out_nodes):
            item.setCacheMode(cached)
        for *_, edge in self.edges:
            edge.setCacheMode(cached)
        for item in self._items:
            if isinstance(item, PixelText):
                item.setCacheMode(cached)
        self.set_presentation(self._presentation)

    @staticmethod
    def bit_name(j: int, n_bits: int, short: bool = False) -> str:
        """'d₀ (bit 0, LSB)', or 'd₀ LSB' where room is short."""
        end = "LSB" if j == 0 else "MSB" if j == n_bits - 1 else ""
        if short:
            return f"d{subscript(j)} {end}".rstrip()
        return f"d{subscript(j)} (bit {j}{', ' + end if end else ''})"

    def name_label(self, i: int, true: bool) -> str:
        """'a₇', or 'a₂ (C)' where class names are not indices; 'true a₇' for the true class."""
        name = self.class_names[i]
        label = f"a{subscript(i)}" if name == str(i) else f"a{subscript(i)} ({name})"
        return f"true {label}" if true else label

    # ------------------------------------------------------------------ layout
    def _lay_out(self, *_) -> None:
        """Place every item for the view's size in pixels (on resize and on a font change).

        Text keeps its size in pixels, so the columns get what the labels leave over.
        """
        if not self._items:
            return
        width, height = max(self.box.width(), 100.0), max(self.box.height(), 100.0)
        self.box.setRange(xRange=(0, width), yRange=(0, height), padding=0)
        s = SIZES[self._presentation]
        font, head, code = self._fonts()
        C, n_bits = len(self.name_texts), len(self.output_labels)
        self._code_room = width - 12
        line = QFontMetricsF(font).lineSpacing()
        head_lines = 1 if self.compact else 2
        top = head_lines * QFontMetricsF(head).lineSpacing() + line + 16
        bottom = QFontMetricsF(code).lineSpacing() + (12 if self.compact else 14)
        pitch = max(8.0, (height - top - bottom) / C)
        step = min(s["step"], 0.85 * pitch)
        out = min(s["out"], 1.2 * pitch * (C - 1) / n_bits)
        left = max(_width(font, self.name_label(i, True)) for i in range(C)) + 2
        value = _width(font, "0.00") + 4
        for short in (False, True):  # long bit names, unless they leave the drawing no room
            names = [self.bit_name(j, n_bits, short) for j in range(n_bits)]
            right = out / 2 + 2 + max(_width(font, n) for n in names)
            room = width - left - value - step / 2 - right - 8
            if room >= 160:
                break
        track = min(max(0.45 * room, 30.0), 280.0)
        span = min(max(room - track, 40.0), 1.3 * track + 60)  # from step unit to output unit
        x0 = max(0.0, (width - (left + track + value + step / 2 + span + right)) / 2)
        g = self.geometry_ = Geometry(
            x_track=x0 + left, track=track, x_step=x0 + left + track + value + step / 2,
            x_out=x0 + left + track + value + step / 2 + span, pitch=pitch, top=top,
            rows=top + (np.arange(C) + 0.5) * pitch,
            out_rows=top + (output_rows(C, n_bits) + 0.5) * pitch,
        )  # fmt: skip
        bar_height = min(0.6 * pitch, 2.2 * line)
        self.tracks.setOpts(x0=g.x_track, y=g.rows, height=bar_height, width=track)
        self.bars.setOpts(x0=g.x_track, y=g.rows, height=bar_height)
        self.step_nodes.setData(np.full(C, g.x_step), g.rows, size=step)
        self.out_nodes.setData(np.full(n_bits, g.x_out), g.out_rows, size=out)
        for i, j, edge in self.edges:
            edge.setData([g.x_step, g.x_out], [g.rows[i], g.out_rows[j]])
        # A step unit too small for its digit shows its state by its colour alone.
        digits = step >= 0.8 * QFontMetricsF(head).height()
        for i in range(C):
            self.name_texts[i].setPos(g.x_track - 4, g.rows[i])
            self.value_texts[i].setPos(g.x_track + track + 1, g.rows[i])
            self.state_texts[i].setPos(g.x_step, g.rows[i])
            self.state_texts[i].setVisible(digits)
        for j in range(n_bits):
            self.output_texts[j].setPos(g.x_out, g.out_rows[j])
            self.output_labels[j].setPos(g.x_out + out / 2 + 2, g.out_rows[j])
            self._set_text(self.output_labels[j], names[j])
        # Headers over their columns, pushed apart where narrow columns would make them touch.
        widths = [h.textItem.boundingRect().width() for h in self.header_texts]
        x_head = [g.x_track + track / 2, g.x_step, g.x_out]
        x_head[2] = max(x_head[2], x_head[1] + (widths[1] + widths[2]) / 2 + 4)
        x_head[0] = min(x_head[0], x_head[1] - (widths[0] + widths[1]) / 2 - 4)
        for header, x in zip(self.header_texts, x_head, strict=True):
            header.setPos(x, top - line - 8)
        self.code_text.setPos(width / 2, height - bottom + (2 if self.compact else 6))
        self._fit_code_font()
        self._draw_threshold()
        self._draw_units()  # setData above reset the brushes
        self._draw_outputs()

    def _fit_code_font(self) -> None:
        """The code line at its full size, smaller only while its text would be cut off (in
        presentation at 1280 x 720 even "d = 0010 (MSB first) = 2" was)."""
        font, text = self._fonts()[2], self.code_text.toPlainText()
        size = font.pointSize()
        while QFontMetricsF(font).horizontalAdvance(text) + 10 > self._code_room and size > 6:
            size -= 1  # whole points: fractional ones render wider than measured
            font.setPointSize(size)
        if font != self.code_text.textItem.font():
            self.code_text.setFont(font)

    def _draw_threshold(self) -> None:
        """The bars' widths and the dashed p line across them (after a layout or a new p)."""
        g = self.geometry_
        if g.rows is None:
            return
        self._draw_bars(brushes=True)
        x = g.x_track + self.threshold * g.track
        self.p_line.setData([x, x], [g.top - 4, g.rows[-1] + g.pitch / 2])
        self.p_text.setPos(x, g.top - 4)

    def _draw_bars(self, brushes: bool) -> None:
        g = self.geometry_
        if g.rows is None:
            return
        if brushes:  # amber where the unit fires: only when that changed
            brushes = [LIT if on else BAR for on in self.lit]
            self.bars.setOpts(width=self.a * g.track, brushes=brushes)
        else:
            self.bars.setOpts(width=self.a * g.track)

    # ------------------------------------------------------------------ drawing
    def show_sample(self, a, y: int, network: BinaryOutputNetwork) -> None:
        """Redraw for probabilities a (C), true class y and the network's current threshold."""
        # Every frame brings a new a; only what it changed is set again (texts, brushes and
        # pens of a fired unit change only when the unit does).
        self.a = a = np.asarray(a, dtype=float)
        decoding = network.decode(a)
        lit = decoding.hidden[0].astype(bool)
        d = decoding.outputs[0]
        if y != self.y:
            self.y = y
            for i, text in enumerate(self.name_texts):
                true = i == y  # the true class, by a word as well as by colour
                self._set_text(text, self.name_label(i, true), TRUE_CLASS if true else DARK)
        values = [f"{value:.2f}" for value in a]
        if values != self._values:
            self._values = values
            for text, value in zip(self.value_texts, values, strict=True):
                self._set_text(text, value)
        lit_changed = not np.array_equal(lit, self.lit)
        if lit_changed:
            self.lit = lit
            for i, text in enumerate(self.state_texts):
                self._set_text(text, "1" if lit[i] else "0")
            self._draw_units()
        if network.threshold != self.threshold:
            self.threshold = network.threshold
            self._set_text(self.p_text, f"p = {network.threshold:.3f}")
            self._draw_threshold()
        else:
            self._draw_bars(brushes=lit_changed)
        if not np.array_equal(d, self.outputs):
            self.outputs = d
            self._draw_outputs()
        code = code_text(d, int(decoding.value[0]), network.n_classes)
        if self._set_text(self.code_text, code, DARK if decoding.valid[0] else INVALID):
            self._fit_code_font()

    def _draw_outputs(self) -> None:
        """Output units: amber where d_j = 1, red where d_j >= 2 (a sum of codes, no bit)."""
        invalid = self.outputs >= 2
        brushes = [INVALID if invalid[j] else LIT if v else "w" for j, v in enumerate(self.outputs)]
        self.out_nodes.setBrush([pg.mkBrush(brush) for brush in brushes])
        for j, text in enumerate(self.output_texts):
            self._set_text(text, str(int(self.outputs[j])), "w" if invalid[j] else DARK)

    def _draw_units(self) -> None:
        """Fill the fired step units and light their edges (only when `lit` changed)."""
        s = SIZES[self._presentation]
        self.step_nodes.setBrush([pg.mkBrush(LIT if on else "w") for on in self.lit])
        for i, _, edge in self.edges:
            if self.lit[i]:
                edge.setPen(pg.mkPen(LIT, width=s["lit"]))
                edge.setZValue(0.5)  # a lit edge stays on top of the grey ones it crosses
            else:
                edge.setPen(pg.mkPen(DIM_EDGE, width=s["edge"]))
                edge.setZValue(0)

    def _set_text(self, item: PixelText, text: str, color=DARK) -> bool:
        """Change a text item only when its words or colour change (cheap at 30 Hz); True if
        it changed."""
        key = f"{text}\x00{color}"
        if self._text_cache.get(id(item)) == key:
            return False
        item.setText(text, color=color)
        self._text_cache[id(item)] = key
        return True

    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        s = SIZES[self._presentation]
        font, head, code = QFont(), QFont(), QFont()
        font.setPointSize(s["font"])
        head.setPointSize(s["head"])
        head.setBold(True)
        code.setPointSize(s["head"] if self.compact else s["code"])
        code.setBold(True)
        return font, head, code

    def _header_words(self) -> tuple[str, str, str]:
        if self.compact:
            return ("softmax a", "h", "d = M h")
        return ("softmax\na", "step\nh", "output\nd = M h")

    def set_compact(self, on: bool) -> None:
        """One-line column headers and a smaller code line, so the rows keep their room in a
        short view (the panel's compact mode)."""
        if on == self.compact:
            return
        self.compact = on
        if self._items:
            for header, words in zip(self.header_texts, self._header_words(), strict=True):
                header.setText(words)
        self.set_presentation(self._presentation)

    def set_presentation(self, on: bool) -> None:
        self._presentation = on
        if not self._items:
            return
        s = SIZES[on]
        font, head, code = self._fonts()
        for text in (*self.name_texts, *self.value_texts, *self.output_labels, self.p_text):
            text.setFont(font)
        for text in (*self.state_texts, *self.output_texts, *self.header_texts):
            text.setFont(head)
        for text in self.header_texts:
            text.setTextWidth(-1)  # then as wide as the widest line, so AlignCenter centres
            text.setTextWidth(text.textItem.document().idealWidth())
        self.code_text.setFont(code)
        pen = pg.mkPen(DARK, width=s["edge"])
        self.step_nodes.setPen(pen)
        self.out_nodes.setPen(pen)
        self.p_line.setPen(pg.mkPen(DARK, width=s["lit"] - 1, style=Qt.PenStyle.DashLine))
        self._lay_out()
