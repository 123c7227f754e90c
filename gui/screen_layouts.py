"""The desk layout follows the screen (issue 15): a teacher who prepared at 1920x1080 and moves
the window to a 1280x800 projector gets a layout made for 1280x800, not the cramped desk of the
big screen.

The window's *layout key* is its screen's size and the layout class of its own size (four plots
at once or two pairs of tabs, GRID_MIN_SIZE; a tall grid or not, TALL_GRID_HEIGHT). When the
window moves to another screen, or is resized across a threshold, the arrangement on screen is
kept under the old key and the one kept under the new key comes back, or the default layout for
the new size if there is none: the teacher's own arrangement is kept per screen size. The kept
arrangements are saved with the settings, so they outlive the session. Presentation mode lays
out on its own (gui/presentation.py); nothing follows while it is on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QMainWindow

from gui.dock_layout import GRID_MIN_SIZE, TALL_GRID_HEIGHT
from gui.saved_settings import saved_bytes

__all__ = ["SETTINGS_GROUP", "ScreenLayouts", "layout_key"]

#: The QSettings group that holds one window state per layout key.
SETTINGS_GROUP = "layouts"
#: Resizing is followed once it pauses this long (a drag sends a resize event per pixel).
SETTLE_MS = 150


def layout_key(screen_size: tuple[int, int], window_size: tuple[int, int]) -> str:
    """'1920x1080-grid-tall': the screen's size and the layout class of the window's size."""
    width, height = window_size
    grid = width >= GRID_MIN_SIZE[0] and height >= GRID_MIN_SIZE[1]
    shape = ("grid-tall" if height >= TALL_GRID_HEIGHT else "grid") if grid else "pairs"
    return f"{screen_size[0]}x{screen_size[1]}-{shape}"


class ScreenLayouts(QObject):
    """Watches a main window's size and screen; re-lays it out when its layout key changes.

    `arrange_default()` lays the window out for its current size; `apply_state(bytes)` restores
    a kept arrangement (titles, tab bars and all); `paused()` says when not to follow (presentation
    mode).
    """

    def __init__(
        self,
        window: QMainWindow,
        arrange_default: Callable[[], None],
        apply_state: Callable[[QByteArray], None],
        paused: Callable[[], bool],
        kept_state: Callable[[], QByteArray],
    ):
        super().__init__(window)
        self.window = window
        self._arrange_default = arrange_default
        self._apply_state = apply_state
        self._paused = paused
        # The arrangement to keep for the layout on screen (the window's desk_arrangement: in
        # a lesson, the one the lesson found, not the lesson's few panels).
        self._kept_state = kept_state
        self.states: dict[str, QByteArray] = {}
        #: The key of the arrangement on screen (None until the window's first size is known).
        self.key: str | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.follow)
        self._watched_handle = None
        window.installEventFilter(self)

    def current_key(self) -> str:
        screen = self.window.screen()
        size = screen.size() if screen is not None else self.window.size()
        return layout_key(
            (size.width(), size.height()), (self.window.width(), self.window.height())
        )

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind in (QEvent.Type.Resize, QEvent.Type.Show):
            self._watch_screen()
            self._settle.start()
        return False

    def _watch_screen(self) -> None:
        handle = self.window.windowHandle()
        if handle is not None and handle is not self._watched_handle:
            handle.screenChanged.connect(lambda *_: self._settle.start())
            self._watched_handle = handle

    def follow(self) -> bool:
        """Re-lay out if the layout key changed; True if it did."""
        if self._paused() or self.window.isFullScreen() or self.window.isMinimized():
            return False
        key = self.current_key()
        if self.key is None:
            self.key = key
            return False
        if key == self.key:
            return False
        self.states[self.key] = self._kept_state()
        self.key = key
        state = self.states.get(key)
        if state is not None:
            self._apply_state(state)
        else:
            self._arrange_default()
        return True

    # ------------------------------------------------------------------ settings
    def save(self, settings: QSettings) -> None:
        """Every kept arrangement, the one on screen under its key."""
        if self.key is not None and not self._paused():
            self.states[self.key] = self._kept_state()
        settings.remove(SETTINGS_GROUP)
        settings.beginGroup(SETTINGS_GROUP)
        for key, state in self.states.items():
            settings.setValue(key, state)
        settings.endGroup()
        if self.key is not None:
            settings.setValue("layout_key", self.key)

    def restore(self, settings: QSettings) -> None:
        """The kept arrangements, and the key of the one the window was closed with (the state
        the window restores): a different screen at the next start is then a key change."""
        settings.beginGroup(SETTINGS_GROUP)
        keys = [k for k in settings.childKeys() if _valid_key(k)]
        settings.endGroup()
        for key in keys:
            state = saved_bytes(settings, f"{SETTINGS_GROUP}/{key}")
            if state is not None:
                self.states[key] = state
        saved = settings.value("layout_key")
        if isinstance(saved, str) and _valid_key(saved):
            self.key = saved


def _valid_key(text: str) -> bool:
    size, _, shape = text.partition("-")
    width, _, height = size.partition("x")
    return width.isdigit() and height.isdigit() and shape in ("grid", "grid-tall", "pairs")
