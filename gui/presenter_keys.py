"""A presenter remote's keys (issue 15), the Lessons menu, and the blank screen.

Common remotes send PageDown / PageUp (next / previous), F5 and Shift+F5 (start), Esc, and B or
"." (black screen). Here PageDown / PageUp move through the lessons' steps, F5 sets the current
step's scene again and plays, Shift+F5 starts the lesson again, B and "." blank the window (any
key or a click brings it back), and Esc dismisses the banner (gui/banner.py).

Mac laptops send no F11, F1 or End: `with_standard_keys` gives an action Qt's standard key
sequence for the platform as well (QKeySequence.FullScreen is Ctrl+Cmd+F there).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QColor, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from gui.actions import add_action
from gui.lesson_file import LessonError, read_lessons
from gui.lesson_player import LessonPlayer
from resources import resource_path

#: The lessons the app ships.
BUILTIN_LESSONS = "lessons.toml"


def other_standard_keys(key: str, standard: QKeySequence.StandardKey) -> list[QKeySequence]:
    """The platform's standard sequences for `standard` other than `key` (on Linux
    HelpContents is F1 itself: a second shortcut for it would be ambiguous and fire neither)."""
    sequences: list[QKeySequence] = []
    for sequence in QKeySequence.keyBindings(standard):
        if not sequence.isEmpty() and sequence != QKeySequence(key) and sequence not in sequences:
            sequences.append(sequence)
    return sequences


def with_standard_keys(action: QAction, key: str, standard: QKeySequence.StandardKey) -> None:
    """Give `action` the key `key` and the platform's standard sequences for `standard`
    (End and MoveToEndOfDocument likewise, where an action has End)."""
    action.setShortcuts([QKeySequence(key), *other_standard_keys(key, standard)])


class BlankScreen(QWidget):
    """A plain black screen over the whole window (B or "."): any key or click takes it away,
    and that key does nothing else."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("BlankScreen")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("black"))
        self.setPalette(palette)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Blank screen: press any key to return")
        window.installEventFilter(self)
        self.hide()

    def blank(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.setFocus()

    def back(self) -> None:
        if self.isVisible():
            self.hide()
            self.parentWidget().setFocus()

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # every key comes here as a key press, none as a shortcut
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() not in (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt):
            self.back()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.back()

    def eventFilter(self, watched: QObject, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self.parentWidget().rect())
        return False


class PresenterKeys(QObject):
    """The Lessons menu of `window` (a MainWindow) with the remote's keys, File > Open lesson,
    and the player they drive (`player`)."""

    def __init__(self, window, lessons_menu: QMenu, file_menu: QMenu):
        super().__init__(window)
        self.window = window
        self.player = LessonPlayer(window)
        self.blank_screen = BlankScreen(window)
        self.menu = lessons_menu
        self._lesson_actions = QActionGroup(self)
        self._lesson_actions.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        # F11 and F1 on a Mac keyboard are the volume and the brightness: Qt's full-screen and
        # help keys there too.
        with_standard_keys(
            window.presentation.toggle_action, "F11", QKeySequence.StandardKey.FullScreen
        )
        help_ = getattr(window, "help", None)
        self.help_shortcuts = []
        if help_ is not None:
            for sequence in other_standard_keys("F1", QKeySequence.StandardKey.HelpContents):
                shortcut = QShortcut(sequence, window)
                shortcut.activated.connect(help_.show_for_pointer)
                self.help_shortcuts.append(shortcut)
        self.open_action = self._action(
            file_menu, "Open &lesson...", self.open_file, None, "Open a lesson file (.toml)."
        )
        # With the files the menu opens: before the separator above Quit, not after Quit.
        separators = [action for action in file_menu.actions() if action.isSeparator()]
        if separators:
            file_menu.insertAction(separators[-1], self.open_action)  # (moved there)
        self._lessons_start = self.menu.addSeparator()
        player = self.player
        remote = (  # (attribute, menu text, slot, key, tip); a remote sends these keys
            ("next_action", "Next step", player.next, "PgDown",
             "The lesson's next step, or the next lesson (a remote's next)."),
            ("previous_action", "Previous step", player.previous, "PgUp",
             "The lesson's step before (a remote's previous)."),
            ("play_action", "Play from this step", player.play_from_step, "F5",
             "Set this step's scene again and play."),
            ("restart_action", "Start the lesson again", player.restart_lesson, "Shift+F5",
             "This lesson from its first step."),
            ("stop_action", "Stop the lesson", player.stop, None,
             "No lesson: the panels open before come back."),
            (None, None, None, None, None),
            ("blank_action", "Blank the screen", self.blank_screen.blank, "B",
             "A plain black screen (B or .); any key brings the window back."),
        )  # fmt: skip
        for attribute, text, slot, key, tip in remote:
            if attribute is None:
                self.menu.addSeparator()
            else:
                setattr(self, attribute, self._action(self.menu, text, slot, key, tip))
        self.blank_action.setShortcuts([QKeySequence("B"), QKeySequence(".")])
        self.menu.addAction(self.open_action)
        self.player.moved.connect(self._show_position)

    def _action(self, menu, text, slot, key, tip) -> QAction:
        # The slot is called without triggered's "checked" (the player's take no argument).
        return add_action(self.window, menu, text, lambda _=False: slot(), key, tip)

    # ------------------------------------------------------------------ lesson files
    def load(self, name_or_path: str | None = None) -> bool:
        """The shipped lessons (None), a lesson of them by number or title words ("2",
        "threshold"), or a lesson file; the first of its lessons or the one named is started.
        A bad file or name says so in the banner and changes nothing; returns whether it
        loaded."""
        builtin = resource_path(BUILTIN_LESSONS)
        try:
            shipped = read_lessons(builtin, self.panel_names())
            if name_or_path is None:
                self.set_book(shipped)
                return True
            index = shipped.find(name_or_path)
            if index is not None:
                self.set_book(shipped)
                self.player.start(index)
                return True
            if not name_or_path.lower().endswith(".toml"):
                n = len(shipped)
                raise LessonError(f"no lesson {name_or_path!r}: there are {n} (Lessons menu)")
            book = read_lessons(name_or_path, self.panel_names())
        except LessonError as error:
            self.window.show_message("error", "Lesson not loaded", str(error))
            return False
        self.set_book(book)
        self.player.start(0)
        return True

    def open_file(self) -> None:
        """File > Open lesson: a file dialog (the user chooses before anything else)."""
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open a lesson file", "", "Lesson files (*.toml);;All files (*)"
        )
        if path:
            self.load(path)

    def panel_names(self) -> list[str]:
        """The names a lesson file gives panels: their tab titles, lower case."""
        return [dock.row.short_title.casefold() for dock in self.window.docks.values()]

    def set_book(self, book) -> None:
        """List `book`'s lessons in the menu and play them from now on."""
        for action in self._lesson_actions.actions():
            self.menu.removeAction(action)
            self._lesson_actions.removeAction(action)
        for i, lesson in enumerate(book.lessons):
            action = QAction(f"&{i + 1}. {lesson.title}", self.window)
            action.setCheckable(True)
            action.setToolTip(f"Start lesson {i + 1} ({len(lesson.steps)} steps).")
            action.triggered.connect(lambda _=False, i=i: self.player.start(i))
            self._lesson_actions.addAction(action)
            self.menu.insertAction(self._lessons_start, action)
        self.player.set_book(book)

    def _show_position(self) -> None:
        position = self.player.position
        for i, action in enumerate(self._lesson_actions.actions()):
            action.setChecked(position is not None and position[0] == i)
