"""The app's --screenshot with the confusion matrix in front, walking one of its cells.

    python docs/confusion_screenshot.py OUT.png CELL [softmax-lab options]

CELL is "i,j" (true class i, predicted j): after the first frame the inspector walks that cell
and takes two steps in it, so the picture shows the walk's note. Used by make_screenshots.sh.
"""

import sys

import gui.app
from gui.main_window import MainWindow
from gui.panels.confusion_panel import ConfusionPanel
from gui.presentation import Presentation

FRONT = "ConfusionPanel"
_arrange, _set_active, _redraw = (
    MainWindow._arrange_default_layout,
    Presentation.set_active,
    MainWindow.redraw,
)


def _arrange_then_raise(window, *args, **kwargs):
    _arrange(window, *args, **kwargs)
    window.docks[FRONT].raise_()


def _set_active_then_raise(presentation, on, full_screen=True):
    _set_active(presentation, on, full_screen)
    presentation.window.docks[FRONT].raise_()


def _redraw_then_walk(window):
    _redraw(window)
    panel = window.panel(ConfusionPanel)
    if window.selection.walk is None and panel.counts is not None:
        panel.walk_cell(*CELL)
        window.selection.step(+1)
        window.selection.step(+1)
        _redraw(window)


if __name__ == "__main__":  # the training process imports this file again: patch only here
    out, cell, *options = sys.argv[1:]
    CELL = tuple(int(k) for k in cell.split(","))
    MainWindow._arrange_default_layout = _arrange_then_raise
    Presentation.set_active = _set_active_then_raise
    MainWindow.redraw = _redraw_then_walk
    sys.exit(gui.app.main([*options, "--screenshot", out]))
