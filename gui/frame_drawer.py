"""Draws a frame a panel at a time, holding the worker, paced at full training speed.

A frame (one snapshot on every panel on screen) costs tens of milliseconds. Drawn in one go
it would block the event loop that long, so the drawer draws one panel per turn of the event
loop and paints it at once; timers and input get in between panels. The worker waits from
the first panel to the last (TrainingController.hold_for_drawing: the threads share one GIL).

While training runs as fast as possible, each frame costs the worker its drawing time, so
frames are spaced out until drawing takes at most FULL_SPEED_DRAWING_SHARE of the time, and
training keeps about 85 % of its speed. A whole window on mnist takes about 30 ms to draw
when idle but about 60 ms while training (the worker's data pushes the GUI's out of the
CPU caches), so at full speed frames come about 2.5 times a second, not 30.
At any slower training speed the worker mostly sleeps, and frames come every interval.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from gui.controller import TrainingController
from gui.frame import Frame
from gui.panel import Panel

FULL_SPEED_DRAWING_SHARE = 0.15


class FrameDrawer:
    """Draws frames on panels for a window (`parent`); its `timer` (the window's redraw
    timer) gets paced. `painting()` says whether panels can paint (the window is shown)."""

    def __init__(
        self,
        controller: TrainingController,
        interval_ms: int,
        painting: Callable[[], bool],
        parent: QObject,
    ):
        self.controller = controller
        self.interval_ms = interval_ms
        self._painting = painting
        self.timer: QTimer | None = None
        #: The share of time drawing may take at full speed; None draws every interval.
        self.full_speed_drawing_share: float | None = FULL_SPEED_DRAWING_SHARE
        #: A running mean of what a frame takes to draw and paint, in seconds.
        self.frame_seconds = 0.0
        self._frame: Frame | None = None
        self._to_draw: list[Panel] = []
        self._cost = 0.0
        # The next panel comes from a timer, not a queued call (QTimer.singleShot(0) is one):
        # queued calls go before timers, so a chain of them would keep due timers waiting
        # for the whole frame.
        self._next = QTimer(parent)  # goes with the window
        self._next.setSingleShot(True)
        self._next.setInterval(0)
        self._next.timeout.connect(self.continue_later)

    @property
    def busy(self) -> bool:
        """A frame is being drawn (some of its panels are still to do)."""
        return bool(self._to_draw)

    def begin(self, frame: Frame, panels: list[Panel]) -> None:
        """Start drawing `frame` on `panels` (abandoning a frame still being drawn)."""
        self.abandon()
        self._frame, self._to_draw, self._cost = frame, list(panels), 0.0
        if self._to_draw:
            self.controller.hold_for_drawing(True)

    def finish(self) -> None:
        """Draw the rest of the frame now."""
        while self.draw_next():
            pass

    def continue_later(self) -> None:
        """Draw the next panel, and the one after on the next turn of the event loop."""
        if self.draw_next():
            self._next.start()

    def abandon(self) -> None:
        """Drop the rest of the frame (say, its run was replaced)."""
        self._next.stop()
        if self._to_draw:
            self._to_draw = []
            self._end()

    def draw_next(self) -> bool:
        """Draw and paint the next panel; False once the frame is done (or there is none)."""
        if not self._to_draw:
            return False
        started = time.perf_counter()
        try:
            panel = self._to_draw.pop(0)
            panel.show_frame(self._frame)
            if self._painting():
                self._paint(panel)
        except BaseException:
            self._to_draw = []
            self._end()
            raise
        self._cost += time.perf_counter() - started
        if self._to_draw:
            return True
        self._end()
        self.frame_drawn(self._cost)
        return False

    @staticmethod
    def _paint(panel: Panel) -> None:
        """Paint the panel now, while the worker waits."""
        # Text that changed size re-lays out its plots in a posted request: do it first, or
        # the panel would be painted again afterwards.
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        for view in panel.findChildren(pg.GraphicsView):
            # pyqtgraph defers fitting view ranges (auto-range) to the start of a paint;
            # changed ranges would then ask for a second paint. Fit them first.
            view.scene().prepareForPaint()
        # The plots' scenes hand their changes to their views in queued calls; the views
        # then paint.
        QApplication.sendPostedEvents(None, QEvent.Type.MetaCall)
        QApplication.sendPostedEvents(None, QEvent.Type.UpdateRequest)

    def _end(self) -> None:
        self._frame = None
        self.controller.hold_for_drawing(False)

    def frame_drawn(self, seconds: float) -> None:
        """A whole frame took `seconds` to draw and paint: pace the next one."""
        self.frame_seconds = 0.7 * self.frame_seconds + 0.3 * seconds
        self.set_interval()

    def set_interval(self) -> None:
        """The timer's interval: the normal one, or longer at full training speed so that
        drawing keeps to `full_speed_drawing_share` of the time."""
        if self.timer is None:
            return
        interval = self.interval_ms
        share = self.full_speed_drawing_share
        if share and self.controller.playing and self.controller.speed is None:
            interval = max(interval, round(1000 * self.frame_seconds / share))
        if self.timer.interval() != interval:
            self.timer.setInterval(interval)
