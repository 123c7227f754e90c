"""Issue 15: the layout follows the screen. A window resized across a layout threshold, or moved
to another screen, is laid out for its new size; the teacher's own arrangement is kept per
screen size and comes back; the kept arrangements outlive the session. (Moving between two real
offscreen screens: tests/gui/test_two_screens.py.)"""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.dock_layout import LAYOUT_VERSION
from gui.screen_layouts import layout_key
from tests.gui import test_main_window
from tests.gui.test_main_window import shown_window

settings, window = test_main_window.settings, test_main_window.window

PLOTS = ("WeightsPanel", "LossPanel", "JacobianPanel", "BinaryOutputPanel")


def plots_on_screen(window) -> set[str]:
    return {
        name
        for name in PLOTS
        if window.docks[name].isVisible() and not window.docks[name].visibleRegion().isEmpty()
    }


def test_layout_keys():
    assert layout_key((1920, 1080), (1900, 1000)) == "1920x1080-grid-tall"
    assert layout_key((1280, 800), (1280, 760)) == "1280x800-grid"
    assert layout_key((1024, 768), (1024, 740)) == "1024x768-pairs"
    assert layout_key((1280, 720), (1199, 700)) == "1280x720-pairs"


def resize_and_follow(window, qtbot, width, height) -> None:
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width and window.height() == height)
    window.screen_layouts.follow()  # what the settle timer does once the resizing pauses
    qtbot.wait(1)


def test_resizing_across_the_grid_threshold_re_lays_out(window, qtbot):
    """Before: the window kept whatever layout it started with, cramped or not."""
    window.screen_layouts.follow()
    assert plots_on_screen(window) == set(PLOTS)  # 1400x900: the four plots at once
    resize_and_follow(window, qtbot, 1000, 700)
    assert window.screen_layouts.key.endswith("-pairs")
    qtbot.waitUntil(lambda: len(plots_on_screen(window)) == 2)  # two pairs of tabs
    resize_and_follow(window, qtbot, 1400, 900)
    qtbot.waitUntil(lambda: plots_on_screen(window) == set(PLOTS))


def test_the_teachers_own_arrangement_is_kept_per_size(window, qtbot):
    window.screen_layouts.follow()
    weights, jacobian = window.docks["WeightsPanel"], window.docks["JacobianPanel"]
    window.tabifyDockWidget(weights, jacobian)  # the teacher's own: Jacobian behind weights
    weights.raise_()
    qtbot.waitUntil(lambda: "JacobianPanel" not in plots_on_screen(window))
    resize_and_follow(window, qtbot, 1000, 700)  # a smaller window: its own default layout
    assert window.tabifiedDockWidgets(weights) != [jacobian]
    resize_and_follow(window, qtbot, 1400, 900)  # back: the teacher's arrangement again
    assert jacobian in window.tabifiedDockWidgets(weights)


def test_a_window_in_presentation_mode_is_left_alone(window, qtbot):
    window.screen_layouts.follow()
    key = window.screen_layouts.key
    window.presentation.set_active(True, full_screen=False)
    resize_and_follow(window, qtbot, 1000, 700)
    assert window.screen_layouts.key == key  # presentation lays out on its own
    window.presentation.set_active(False, full_screen=False)


def test_the_arrangements_outlive_the_session(qtbot, settings):
    first = shown_window(qtbot, settings)
    first.screen_layouts.follow()
    first.tabifyDockWidget(first.docks["WeightsPanel"], first.docks["JacobianPanel"])
    key = first.screen_layouts.key
    first.close()
    assert settings.value("layout_key") == key
    assert settings.value(f"layouts/{key}") is not None
    # The next start finds itself on another screen: the window was closed on a 1920x1080 one.
    other = key.replace(key.split("-")[0], "1920x1080")
    settings.setValue("layout_key", other)
    second = shown_window(qtbot, settings)
    assert second.screen_layouts.key == other
    assert key in second.screen_layouts.states
    assert second.screen_layouts.follow()  # another screen: its own arrangement comes back
    assert second.docks["JacobianPanel"] in second.tabifiedDockWidgets(
        second.docks["WeightsPanel"]
    )
    second.close()


def test_bad_saved_arrangements_are_ignored(qtbot, settings):
    settings.setValue("version", LAYOUT_VERSION)
    settings.setValue("layout_key", "not a key")
    settings.setValue("layouts/999x-grid", b"junk")
    settings.setValue("layouts/1280x800-grid", "not bytes")
    w = shown_window(qtbot, settings)
    assert w.screen_layouts.states == {}
    w.screen_layouts.follow()
    assert w.isVisible() and w.windowState() != Qt.WindowState.WindowMinimized
    w.close()
