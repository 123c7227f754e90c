"""Python's cyclic garbage collector runs in the GUI thread only.

Left automatic, a collection runs in whichever thread happens to allocate past its threshold: the
training client's reader thread or a download's. A cycle holding a Qt object (a menu, a widget
whose slot refers back to it) is then destroyed in that thread, and PySide's destructor there
waits for the GIL while the GUI thread, holding the GIL, waits for a Qt lock the other
destructor holds: the window froze for good (seen in the download tests, PySide6 6.11). So
automatic collection is off and pyqtgraph's GarbageCollector collects on a timer in the GUI
thread, as pyqtgraph recommends for applications with threads.

Once the window is built, what lives then (modules, widgets, plot items: 85,000 objects) is
frozen out of the collector's sight: a full collection walked them all, 30 ms of the GUI thread,
and stalled frames and keys while settings changed (event-loop lateness 66 ms); 0.2 ms after.
"""

from __future__ import annotations

import gc

__all__ = ["collect_in_gui_thread", "freeze_the_start"]

#: Seconds between the collector's checks (it collects a generation only past its threshold).
INTERVAL_S = 1.0

_collector = None


def collect_in_gui_thread():
    """Turn automatic collection off and collect on a timer in this (the GUI) thread; once per
    process, whatever number of windows is made."""
    global _collector
    if _collector is None:
        from pyqtgraph.util.garbage_collector import GarbageCollector

        _collector = GarbageCollector(interval=INTERVAL_S)
    return _collector


def freeze_the_start() -> None:
    """Collect, then move every object alive now to the permanent generation (gc.freeze): full
    collections later walk only what was made since. Once, after the first frame is drawn.
    (Frozen objects that become cyclic garbage later stay: a dataset switch's old plot items,
    a few MB once.)"""
    gc.collect()
    gc.freeze()
