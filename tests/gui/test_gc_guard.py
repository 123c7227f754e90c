"""Garbage holding Qt objects is collected in the GUI thread, never in the training client's
reader thread or a download's thread (a collection there deadlocked the window with PySide6
6.11: the download test hung for good, its 30 s timeout never firing)."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject

from gui.gc_guard import collect_in_gui_thread


def test_cyclic_qt_garbage_is_collected_in_the_gui_thread_only(qtbot):
    collect_in_gui_thread()
    assert not gc.isenabled()
    where = []

    class Holder(QObject):
        pass

    holder = Holder()
    holder.me = holder  # a cycle: only the cyclic collector frees it
    weakref.finalize(holder, lambda: where.append(threading.current_thread().name))
    del holder

    kept = []

    def allocate():  # far past the collector's thresholds, as a download's imports go
        kept.append([[i] for i in range(200_000)])

    worker = threading.Thread(target=allocate, name="download")
    worker.start()
    worker.join()
    assert where == []  # not collected in the worker
    qtbot.waitUntil(lambda: where != [], timeout=10_000)  # the GUI thread's timer collects it
    assert where == [threading.main_thread().name]
    kept.clear()


def test_every_window_uses_the_one_collector(qtbot):
    assert collect_in_gui_thread() is collect_in_gui_thread()


def test_the_start_is_frozen_and_later_cycles_are_still_collected(qtbot):
    """Issue 8: a full collection walked every object of the window (30 ms of the GUI thread,
    a 50-66 ms stall while settings changed); what lives once the window is built is frozen."""
    from gui.gc_guard import freeze_the_start

    collect_in_gui_thread()
    alive = [QObject() for _ in range(1000)]  # the window's objects, say
    try:
        freeze_the_start()
        assert gc.get_freeze_count() >= len(alive)
        assert not any(gc.is_tracked(o) and o in gc.get_objects(2) for o in alive[:3])
        where = []

        class Holder(QObject):
            pass

        holder = Holder()
        holder.me = holder  # cyclic garbage made later is still collected, in this thread
        weakref.finalize(holder, lambda: where.append(threading.current_thread().name))
        del holder
        gc.collect()
        assert where == [threading.main_thread().name]
    finally:
        gc.unfreeze()
