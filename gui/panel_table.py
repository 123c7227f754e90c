"""The table of panels: every panel the window shows, in View-menu order.

A new panel is one file (a Panel subclass) and one row here; the window makes its dock, the
desk and presentation layouts place it, and the View menu shows, hides and raises it.
"""

from __future__ import annotations

from gui.panel_row import PanelRow, Place
from gui.panels.binary_output_panel import BinaryOutputPanel
from gui.panels.codes_panel import CodesPanel
from gui.panels.confusion_panel import ConfusionPanel
from gui.panels.drawing_panel import DrawingPanel
from gui.panels.jacobian_panel import JacobianPanel
from gui.panels.loss_panel import LossPanel
from gui.panels.sample_panel import SamplePanel
from gui.panels.training_controls import TrainingControlsPanel
from gui.panels.weights_panel import WeightsPanel

PANELS: tuple[PanelRow, ...] = (
    PanelRow(
        TrainingControlsPanel, "Controls", Place.TOP_STRIP, "Ctrl+1",
        build=lambda c: TrainingControlsPanel(c.client, c.speed, c.dataset_choice),
    ),
    PanelRow(WeightsPanel, "Weights", Place.TOP_LEFT, "Ctrl+2"),
    PanelRow(
        LossPanel, "Loss", Place.BOTTOM_LEFT, "Ctrl+3",
        build=lambda c: LossPanel(c.loss_axes),
    ),
    PanelRow(JacobianPanel, "Jacobian", Place.TOP_RIGHT, "Ctrl+4"),
    PanelRow(
        SamplePanel, "Sample", Place.LEFT_COLUMN, "Ctrl+5",
        build=lambda c: SamplePanel(c.selection),
    ),
    PanelRow(
        BinaryOutputPanel, "Binary net", Place.BOTTOM_RIGHT, "Ctrl+6",
        build=lambda c: BinaryOutputPanel(c.threshold),
    ),
    PanelRow(
        ConfusionPanel, "Confusion", Place.BOTTOM_LEFT, "Ctrl+7",
        build=lambda c: ConfusionPanel(c.selection),
    ),
    # A tab behind the weights: while drawing, the sample, the Jacobian and the binary
    # network stay in view and follow the drawing.
    PanelRow(
        DrawingPanel, "Draw", Place.TOP_LEFT, "Ctrl+8",
        build=lambda c: DrawingPanel(c.selection),
    ),
    # A tab behind the binary network: the sheet's other answer about binary codes. It trains
    # its code model only while on screen.
    PanelRow(
        CodesPanel, "Codes", Place.BOTTOM_RIGHT, "Ctrl+9",
        build=lambda c: CodesPanel(c.client),
    ),
)  # fmt: skip
