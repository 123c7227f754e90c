"""What a row of the table of panels says: a panel, how it is made, where its dock goes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from gui.dataset_choice import DatasetChoice
from gui.loss_axes import LossAxes
from gui.panel import Panel
from gui.selection import SampleSelection
from gui.speed import Speed
from gui.threshold import Threshold
from gui.training_client import TrainingClient


class Place(Enum):
    """Where a panel's dock goes in the desk layout, and so in presentation mode.

    The strip and the left column stay in view in presentation mode; the four plot places
    make the grid (top left, bottom left, top right, bottom right). With two plots at once
    each grid column is a pair of tabs; with one, all plots are tabs of one area. Panels that
    share a place are tabs of it, the first row's in front.
    """

    TOP_STRIP = "across the top, no title bar"
    LEFT_COLUMN = "the column left of the plots"
    TOP_LEFT = "top left plot"
    BOTTOM_LEFT = "bottom left plot"
    TOP_RIGHT = "top right plot"
    BOTTOM_RIGHT = "bottom right plot"

    @property
    def is_plot(self) -> bool:
        return self in PLOT_PLACES


#: The grid's places in the order the layouts fill them.
PLOT_PLACES = (Place.TOP_LEFT, Place.BOTTOM_LEFT, Place.TOP_RIGHT, Place.BOTTOM_RIGHT)


@dataclass(frozen=True)
class PanelContext:
    """What a panel may be built with: the training client and the user-facing state."""

    client: TrainingClient
    selection: SampleSelection
    threshold: Threshold
    speed: Speed
    loss_axes: LossAxes
    dataset_choice: DatasetChoice


@dataclass(frozen=True)
class PanelRow:
    """One panel of the window.

    `short_title` names its tab where the full title would be cut (presentation mode, small
    screens); `shortcut` brings it to front ("Ctrl+N"); `build` makes it from a PanelContext
    (None: the class takes no arguments).
    """

    panel: type[Panel]
    short_title: str
    place: Place
    shortcut: str
    build: Callable[[PanelContext], Panel] | None = None

    @property
    def object_name(self) -> str:
        """The dock's object name: saveState() keys saved layouts by it, so it never changes."""
        return self.panel.__name__

    @property
    def title(self) -> str:
        return self.panel.title

    def make(self, context: PanelContext) -> Panel:
        return self.build(context) if self.build is not None else self.panel()
