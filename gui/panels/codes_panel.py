"""Codes vs softmax: the sheet's answer to "train the network to output the digit's 4-bit code"
(problems 2.1 and 2.3), as a live experiment beside the running softmax.

While this panel is on screen the training process trains a code regressor (sigmoid outputs,
squared error to the class's binary code; docs/math.md section 8) on the run's own minibatches
in the run's order; switched on mid-run it first replays them from step 0 and says so. Four
figures, each with one sentence tying it to the sheet: both test accuracies over the steps;
the cost squared error puts on each pair of codes beside the code model's confusion matrix
(cells at cost 1 outlined in both); and how many bits each model's errors are off, against all
pairs of digits. The panel reads `frame.snapshot.codes` and nothing else.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QButtonGroup,
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.colors import share_colormap
from gui.formatting import percent
from gui.frame import Frame
from gui.panel import Panel
from gui.panels.code_matrix_plot import CodeMatrixPlot
from gui.panels.codes_figures import (
    CODE_COLOR,
    INVALID_COLOR,
    PAIRS_COLOR,
    SOFTMAX_COLOR,
    AccuracyCurves,
    DistanceBars,
    key,
)
from gui.panels.codes_sentences import INVALID_COLUMN, sentences
from gui.plotting import sizes
from gui.steady_label import SteadyLabel
from gui.training_client import TrainingClient
from model import CodesComparison, Dataset, code_distance_matrix, n_bits_for
from model.binary_output import format_code

#: Captions' point size (desk, presentation): sentences to read, a little under the labels.
CAPTION_PT = {False: 9, True: 15}
#: All four figures at once (a 2 x 2 grid) where the panel is this many characters wide and
#: has the height for every text and each figure's least height; else two at a time, chosen by
#: the page buttons, and where even a page has no room for the sentences they go into tooltips.
GRID_CHARACTERS = 50
#: A figure's least height, in lines of its titles' font: the curves and bars, and a matrix of
#: C rows of MATRIX_ROW_LINES each (desk, presentation) and its axis (squeezed, the labels 0-9
#: ran into each other; the matrix writes them smaller in rows lower than a line).
CURVES_LINES = 7
MATRIX_ROW_LINES = {False: 1.0, True: 0.8}
MATRIX_EXTRA_LINES = 2
#: The captions' height is reserved for a sentence this long at least (they change with the
#: numbers; the mode should not).
RESERVED_CAPTION = "mistakes " * 20
#: What the panel asks of its dock at least (width, height), whatever its mode.
MINIMUM_SIZE = (240, 160)
#: The figures in their places: (page, row, column); a page is one row of two.
FIGURES = ("accuracy", "distances", "cost", "confusion")
PAGES = ("Accuracy, bits wrong", "Cost, confusion")
#: The cost matrix: white for no cost, to a soft blue for all bits wrong (the red outlines of
#: the cells at cost 1 must stand out on it).
COST_COLORS = ((255, 255, 255), (95, 125, 185))


def curves_until(codes: CodesComparison | None, step: int | None) -> CodesComparison | None:
    """`codes` as far as its evaluations at or before `step` go (None: all of it): the curves
    and the last accuracies of the viewed step. Its confusion and distances stay those of its
    last evaluation (only they are held). None when it has no evaluation by then."""
    if codes is None or step is None or step >= codes.step:
        return codes
    n = int(np.searchsorted(codes.eval_steps, step, side="right"))
    if n == 0:
        return None
    return replace(codes, step=int(codes.eval_steps[n - 1]), eval_steps=codes.eval_steps[:n],
                   code_accuracy=codes.code_accuracy[:n],
                   softmax_accuracy=codes.softmax_accuracy[:n],
                   invalid_share=codes.invalid_share[:n])  # fmt: skip


class CodesPanel(Panel):
    """The code regressor beside the softmax: accuracies, costs, confusion, error distances."""

    title = "Codes vs softmax"

    def __init__(self, client: TrainingClient | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.client = client
        self.on_screen = False  # and so training the code model
        self._dock: QDockWidget | None = None
        self.presentation = False
        self.grid_mode: bool | None = None  # all four figures at once, or a page of two
        self.page = 0
        self.dataset: Dataset | None = None
        self.codes: CodesComparison | None = None  # the comparison shown
        # Looking back (the timeline): the step viewed, and the comparison's curves up to it;
        # its other figures are held at its last evaluation only, and shown as live.
        self.viewing: int | None = None
        self.curves: CodesComparison | None = None
        self.heading = SteadyLabel("", wrap=True)
        self.accuracy = AccuracyCurves()
        self.distances = DistanceBars()
        self.cost = CodeMatrixPlot(pg.ColorMap([0.0, 1.0], COST_COLORS), (0.0, 4.0))
        self.confusion = CodeMatrixPlot(share_colormap(), (0.0, 1.0))
        self.figures = dict(zip(FIGURES, (self.accuracy, self.distances, self.cost,
                                          self.confusion), strict=True))  # fmt: skip
        self.titles = {name: SteadyLabel("", rich=True, wrap=True) for name in FIGURES}
        for title in self.titles.values():  # beside a title of more lines, on its figure
            title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.captions = {name: SteadyLabel("", wrap=True) for name in FIGURES}
        self.page_buttons = QButtonGroup(self)
        for index, text in enumerate(PAGES):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setToolTip("Show these two figures (the panel is too small for all four).")
            button.setAccessibleName(f"Codes vs softmax figures: {text}")
            self.page_buttons.addButton(button, index)
        self.page_buttons.button(0).setChecked(True)
        self.page_buttons.idClicked.connect(self.set_page)
        self._lay_out()
        self.set_presentation(False)

    def _lay_out(self) -> None:
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(2)
        for index, name in enumerate(FIGURES):
            row, column = 3 * (index // 2), index % 2
            self.grid.addWidget(self.titles[name], row, column)
            self.grid.addWidget(self.figures[name], row + 1, column)
            self.grid.addWidget(self.captions[name], row + 2, column)
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(1, 1)
        buttons = QHBoxLayout()
        for button in self.page_buttons.buttons():
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.buttons_row = QWidget()
        self.buttons_row.setLayout(buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        # The grid's sentences wrapped in narrow columns would ask for more height than a
        # small dock has: the panel asks for little, and on a small size turns to pages.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.heading)
        layout.addWidget(self.buttons_row)
        layout.addLayout(self.grid, 1)
        self._arrange(grid=True)

    def set_page(self, page: int) -> None:
        """In a small panel, which pair of figures is shown (0: accuracy and bits wrong, 1: the
        cost and confusion matrices)."""
        self.page = int(page) % len(PAGES)
        self.page_buttons.button(self.page).setChecked(True)
        if not self.grid_mode:
            self._fit_mode()

    def _arrange(self, grid: bool, captions: bool = True) -> None:
        """All four figures, or the page's two (the other two hidden, their rows no stretch);
        the sentences under them, or in their tooltips."""
        self.grid_mode = grid
        self.buttons_row.setVisible(not grid)
        for index, name in enumerate(FIGURES):
            shown = grid or index // 2 == self.page
            for widget in (self.titles[name], self.figures[name]):
                widget.setVisible(shown)
            self.captions[name].setVisible(shown and captions)
        for page in range(len(PAGES)):
            self.grid.setRowStretch(3 * page + 1, 1 if grid or page == self.page else 0)

    # ------------------------------------------------------------------ on screen or not
    # A dock tabbed away stays "visible" to Qt (its region is empty), so in a dock the panel
    # follows the dock's visibilityChanged, which tab changes emit too; alone (tests), its own
    # show and hide.
    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        dock = self.parentWidget()
        if isinstance(dock, QDockWidget):
            if self._dock is not dock:
                self._dock = dock
                dock.visibilityChanged.connect(self._set_on_screen)
            self._set_on_screen(not dock.visibleRegion().isEmpty())
        else:
            self._set_on_screen(True)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().hideEvent(event)
        self._set_on_screen(False)

    def _set_on_screen(self, on: bool) -> None:
        """Ask the training process for the code model while the panel is seen, only then."""
        on = bool(on) and self.isVisible()
        if on != self.on_screen:
            self.on_screen = on
            if self.client is not None:
                self.client.set_codes_comparison(on)

    # ------------------------------------------------------------------ Panel API
    def set_dataset(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.codes = self.curves = None
        C = dataset.n_classes
        K = n_bits_for(C)
        names = [str(name) if len(str(name)) <= 3 else str(k)
                 for k, name in enumerate(dataset.class_names)]  # fmt: skip
        columns = names + ([INVALID_COLUMN] if 2**K > C else [])
        self.cost.levels = (0.0, float(K))  # all bits wrong: the darkest
        self.cost.set_grid(names, names, "0")
        self.confusion.set_grid(names, columns, f"{np.bincount(dataset.y_test).max():,}")
        d = code_distance_matrix(C)
        self.cost.set_values(d.astype(float), d.astype(str).astype(object), d == 0)
        self.cost.set_outlined(d == 1)
        outlined = np.zeros((C, len(columns)), dtype=bool)
        outlined[:, :C] = d == 1
        self.confusion.set_outlined(outlined)
        self.confusion.set_values(np.zeros((C, len(columns))),
                                  np.full((C, len(columns)), "", dtype=object),
                                  np.ones((C, len(columns)), dtype=bool))  # fmt: skip
        self.accuracy.show_comparison(None)
        self.distances.show_comparison(None)
        self._write_texts()

    def show_frame(self, frame: Frame) -> None:
        if frame.dataset is not self.dataset:
            self.set_dataset(frame.dataset)
        codes = frame.snapshot.codes
        viewing = frame.viewing_step
        if codes is self.codes and viewing == self.viewing:
            return
        if codes is not None and codes.n_classes != self.dataset.n_classes:
            return  # from before a dataset switch: the next frame will match
        self.codes, self.viewing = codes, viewing
        self.curves = curves_until(codes, viewing)
        self.accuracy.show_comparison(self.curves)
        self.distances.show_comparison(codes)
        if codes is not None:
            self._show_confusion(codes)
        self._write_texts()

    def _show_confusion(self, codes: CodesComparison) -> None:
        C = codes.n_classes
        counts = codes.code_confusion[:, :C]
        if codes.code_confusion.shape[1] > C:  # every invalid code in one column
            counts = np.column_stack([counts, codes.code_confusion[:, C:].sum(axis=1)])
        rows = np.maximum(counts.sum(axis=1), 1)[:, None]
        texts = np.array([f"{n:,}" for n in counts.ravel()], dtype=object).reshape(counts.shape)
        self.confusion.set_values(counts / rows, texts, counts == 0)

    # ------------------------------------------------------------------ words
    def _looking_back(self) -> bool:
        """The timeline shows a step before the comparison's last evaluation: the confusion and
        the distances (held for that evaluation only) are not the viewed step's."""
        return (
            self.codes is not None and self.viewing is not None and (self.viewing < self.codes.step)
        )

    def _live_note(self) -> str:
        return f"live (step {self.codes.step:,}), not step {self.viewing:,}"

    def _write_titles(self) -> None:
        C = self.dataset.n_classes
        K = n_bits_for(C)
        extra = f", {INVALID_COLUMN} invalid" if 2**K > C else ""
        titles = {
            "accuracy": "Test accuracy: " + key(("softmax", SOFTMAX_COLOR),
                                                ("code model", CODE_COLOR),
                                                ("invalid codes", INVALID_COLOR)),
            "distances": "Errors by bits wrong: " + key(("softmax", SOFTMAX_COLOR),
                                                        ("code model", CODE_COLOR),
                                                        ("all pairs", PAIRS_COLOR)),
            "cost": f"Squared-error cost of code j for class i (of {K})",
            "confusion": f"Code model: true i, decoded j{extra}",
        }  # fmt: skip
        if self._looking_back():
            for name in ("distances", "confusion"):
                titles[name] += f" <span style='color:#b00000'>[{self._live_note()}]</span>"
        for name, text in titles.items():
            self.titles[name].setText(f"<b>{text}</b>")

    def _write_texts(self) -> None:
        codes = self.codes
        self._write_titles()
        self.heading.setText(self._heading(codes))
        if codes is not None:
            self.heading.setToolTip(
                f"The code model: {codes.n_bits} sigmoid outputs, squared error to the class's"
                f" binary code, decoded at 0.5, learning rate {codes.learning_rate:g}; trained"
                " on the run's own minibatches in the run's order."
            )
        C = self.dataset.n_classes
        if C >= 8:
            example = (f"0 ({format_code([0] * n_bits_for(C))}) read as 1 costs 1, as 7 costs 3:"
                       " not all errors are equal (sheet 2.1).")  # fmt: skip
        else:
            example = "not all errors are equal (sheet 2.1)."
        captions = {"cost": "Squared error on the code counts the wrong bits: " + example}
        if codes is None:
            captions["accuracy"] = "Softmax and code model, evaluated at the same steps."
            captions["distances"] = "Bars come with the first evaluation."
            captions["confusion"] = "Outlined: the cells where a mistake costs 1."
        elif self._looking_back():
            live = sentences(codes)
            if self.curves is None:
                captions["accuracy"] = f"The code model was not evaluated by step {self.viewing:,}."
            else:
                captions["accuracy"] = sentences(self.curves)["accuracy"]
            for name in ("distances", "confusion"):
                sentence = live[name][:1].lower() + live[name][1:]
                captions[name] = f"{self._live_note().capitalize()}: {sentence}"
        else:
            captions.update(sentences(codes))
        for name, text in captions.items():
            self.captions[name].setText(text)
            self.captions[name].setToolTip(text)
            self.figures[name].setToolTip(text)  # where the sentence has no room under it
        self._fit_mode()

    def _heading(self, codes: CodesComparison | None) -> str:
        if codes is None:
            return (
                "The code model starts when this panel is shown: from step 0, on the run's "
                "own minibatches."
            )
        if not codes.following:
            return (
                f"Catching up: the code model replays the run's minibatches from step "
                f"{codes.start_step:,} (at step {codes.step:,} of {codes.run_step:,})."
            )
        if self._looking_back():
            curves = self.curves
            if curves is None:
                return (
                    f"Looking back at step {self.viewing:,}: the code model has no evaluation"
                    f" by then (its first is at step {codes.eval_steps[0]:,}). Bits wrong and"
                    f" confusion: {self._live_note()}."
                )
            return (
                f"Looking back at step {self.viewing:,}: at step {curves.step:,} code model "
                f"{percent(curves.last_code_accuracy)} right, softmax "
                f"{percent(curves.last_softmax_accuracy)}; invalid codes: "
                f"{percent(curves.last_invalid_share)}. Bits wrong and confusion: "
                f"{self._live_note()}."
            )
        late = (
            f" The code model started at step {codes.start_step:,} (a loaded run: its "
            "earlier minibatches are not known), so the comparison is uneven."
            if codes.start_step
            else ""
        )
        return (
            f"Step {codes.step:,}: code model {percent(codes.last_code_accuracy)} right, "
            f"softmax {percent(codes.last_softmax_accuracy)}; invalid codes: "
            f"{percent(codes.last_invalid_share)} of answers.{late}"
        )

    # ------------------------------------------------------------------ sizes
    def set_presentation(self, on: bool) -> None:
        self.presentation = bool(on)
        s = sizes(self.presentation)
        heading = QFont()
        heading.setPointSize(s["label_pt"])
        self.heading.setFont(heading)
        title = QFont()
        title.setPointSize(s["tick_pt"])
        title.setBold(True)
        caption = QFont()
        caption.setPointSize(CAPTION_PT[self.presentation])
        for name in FIGURES:
            self.titles[name].setFont(title)
            self.captions[name].setFont(caption)
        for figure in self.figures.values():
            figure.set_presentation(self.presentation)
        self._fit_mode()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(MINIMUM_SIZE[0], MINIMUM_SIZE[1])

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_mode()

    def _fit_mode(self) -> None:
        """The grid where the panel has room for it, else pages; sentences where there is room
        for them (on resize, font changes, new texts and page changes, never per frame)."""
        character = QFontMetrics(self.font()).averageCharWidth()
        wide = self.width() >= GRID_CHARACTERS * character
        if wide and self.height_needed(grid=True, captions=True) <= self.height():
            self._arrange(True, True)
        else:
            fits = self.height_needed(grid=False, captions=True, page=self.page)
            self._arrange(False, fits <= self.height())

    def height_needed(self, grid: bool, captions: bool, page: int | None = None) -> int:
        """The height the panel's texts and figures ask for at its width: all four figures
        (grid) or a page (`page`, or the taller), with or without the sentences under them."""
        margins = self.layout().contentsMargins()
        spacing = max(0, self.layout().spacing())
        column = max(1, (self.width() - margins.left() - margins.right()
                         - self.grid.horizontalSpacing()) // 2)  # fmt: skip
        line = QFontMetrics(self.titles["accuracy"].font()).height()
        heading = max(self.heading.needed_height(self.width() - 8),
                      2 * QFontMetrics(self.heading.font()).height())  # fmt: skip
        caption_font = QFontMetrics(self.captions["accuracy"].font())
        reserved = caption_font.boundingRect(0, 0, column, 100_000, Qt.TextFlag.TextWordWrap,
                                             RESERVED_CAPTION).height()  # fmt: skip
        classes = self.dataset.n_classes if self.dataset is not None else 10
        rows = []
        matrix = MATRIX_ROW_LINES[self.presentation] * classes + MATRIX_EXTRA_LINES
        # In the grid both rows of figures stretch alike: each as high as the matrices.
        leasts = (max(CURVES_LINES, matrix),) * 2 if grid else (CURVES_LINES, matrix)
        for page, least in enumerate(leasts):
            names = FIGURES[2 * page : 2 * page + 2]
            height = max(self.titles[n].needed_height(column) for n in names)
            height += round(least * line)
            if captions:
                height += max(reserved, *(self.captions[n].needed_height(column)
                                          for n in names))  # fmt: skip
            rows.append(height + 2 * self.grid.verticalSpacing())
        if grid:
            body = sum(rows) + self.grid.verticalSpacing()
        else:
            body = max(rows) if page is None else rows[page]
        buttons = 0 if grid else self.buttons_row.sizeHint().height() + spacing
        return margins.top() + margins.bottom() + heading + spacing + buttons + body
