"""Plays lessons (gui/lesson_file.py) on the window: each step sets the scene and shows its note.

PageDown and PageUp (a presenter remote's next and previous) move through the steps and on
from one lesson to the next; the banner says "Lesson 2 of 6, step 3 of 3" and the note.

A step is applied in an order that keeps every run honest: a new dataset first (the rest waits
until the training process has made its run, so a sample index or a "full" batch means the new
data), then the input scaling and a reset (new runs), then the settings, as if typed in the
controls, then speed, p, panels and loss axes, then the steps to train at once. A sample rule
("a misclassified sample with a_max > 0.95") is resolved last, against the snapshot the process
sends after those steps (a query is answered only after the commands before it).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QByteArray, QObject, QTimer, Signal

from gui.dock_layout import LAYOUT_VERSION
from gui.lesson_file import Lesson, LessonBook, LessonStep, SampleRule
from model import DatasetError, load_dataset

#: The tab title of the controls strip, on screen in every step of every lesson.
CONTROLS = "controls"


def resolve_sample(rule: SampleRule, summary, labels: np.ndarray) -> int | None:
    """The first test sample, in test-set order, that `rule` describes, given the model's
    ProbabilitySummary of the test set (`largest`: a_max, `predicted`); None if none does."""
    a_max = np.asarray(summary.largest)
    match = (a_max > rule.a_max_above) & (a_max < rule.a_max_below)
    if rule.misclassified is not None:
        wrong = np.asarray(summary.predicted) != np.asarray(labels)
        match &= wrong if rule.misclassified else ~wrong
    found = np.flatnonzero(match)
    return int(found[0]) if found.size else None


class LessonPlayer(QObject):
    """The lessons of a LessonBook played on `window` (a MainWindow): `start(i)`, `next()`,
    `previous()`, `restart_lesson()`, `play_from_step()`, `stop()`. `position` is (lesson,
    step), None while no lesson is on; `moved` says it changed."""

    moved = Signal()

    def __init__(self, window, book: LessonBook | None = None):
        super().__init__(window)
        self.window = window
        self.book = book
        self.position: tuple[int, int] | None = None
        self._panels_before: set[str] | None = None  # the docks open before the lessons
        #: The window's arrangement before the lessons (the desk's, in presentation mode):
        #: what closing the window mid-lesson saves, not the lesson's few panels.
        self.state_before: QByteArray | None = None
        self._waiting: tuple[LessonStep, bool, bool] | None = None  # waiting for its dataset
        self._queue: list[tuple[LessonStep, bool, bool]] = []  # steps to apply after it
        self._scale_asked: str | None = None  # the input scaling the steps applied asked for
        self._outstanding = 0  # steps' commands the process has not answered yet
        client = window.controller
        client.run_replaced.connect(self._run_replaced)
        client.rejected.connect(self._rejected)
        # After the new layout (which opens every dock) is made: see show_step_panels.
        window.presentation.toggle_action.toggled.connect(
            lambda _: QTimer.singleShot(0, self.show_step_panels)
        )

    # ------------------------------------------------------------------ the book
    def set_book(self, book: LessonBook) -> None:
        """Play the lessons of `book` from now on (the current lesson stops)."""
        self.stop()
        self.book = book
        self.moved.emit()

    @property
    def lesson(self) -> Lesson | None:
        return None if self.position is None else self.book.lessons[self.position[0]]

    def heading(self) -> str:
        """ "Lesson 2 of 6, step 3 of 3: Learning rate too high"."""
        if self.position is None:
            return ""
        i, k = self.position
        lesson = self.book.lessons[i]
        return (
            f"Lesson {i + 1} of {len(self.book)}, step {k + 1} of {len(lesson.steps)}: "
            f"{lesson.title}"
        )

    # ------------------------------------------------------------------ moving
    def start(self, index: int) -> None:
        """Lesson `index` (0-based) from its first step."""
        if self.book is None or not 0 <= index < len(self.book):
            return
        self._go(index, 0)

    def next(self) -> None:
        """The next step, or the next lesson's first; with no lesson on, the first lesson."""
        if self.book is None:
            return
        if self.position is None:
            self._go(0, 0)
            return
        i, k = self.position
        if k + 1 < len(self.book.lessons[i].steps):
            self._go(i, k + 1)
        elif i + 1 < len(self.book):
            self._go(i + 1, 0)
        else:
            self._show_note(end=True)

    def previous(self) -> None:
        """The step before (the last step of the lesson before, from a first step)."""
        if self.book is None or self.position is None:
            return
        i, k = self.position
        if k > 0:
            self._go(i, k - 1)
        elif i > 0:
            self._go(i - 1, len(self.book.lessons[i - 1].steps) - 1)

    def restart_lesson(self) -> None:
        """The current lesson from its first step (Shift+F5); with none on, the first lesson."""
        if self.book is not None:
            self._go(self.position[0] if self.position else 0, 0)

    def play_from_step(self) -> None:
        """Set the current step's scene again and play (F5); with no lesson on, just play."""
        if self.position is None:
            if not self.window.controller.playing:
                self.window.controls.toggle()
            return
        self._go(*self.position, play=True)

    def stop(self) -> None:
        """No lesson on: the note goes, the panels open before the lessons come back."""
        if self.position is None:
            return
        self.position = None
        self._waiting = None
        self._queue = []
        self.window.comparison.set_enabled(False)
        if self._panels_before is not None:
            self._show_panels(self._panels_before)
            self._panels_before = None
        presentation = self.window.presentation
        if presentation.active and self.state_before is not None:
            # Presentation mode turned on mid-lesson kept the lesson's few panels as the desk
            # to go back to: the desk the lesson found instead.
            presentation.desk_state = self.state_before
        self.state_before = None
        banner = self.window.banner_bar.banner
        if banner.kind == "lesson":
            banner.dismiss()
        self.moved.emit()

    def _go(self, i: int, k: int, play: bool = False) -> None:
        """Step k of lesson i on screen. From the step before (PageDown) only step k is applied;
        reached any other way (PageUp, a jump, F5) the lesson's steps 0 .. k are applied in
        order, their notes unshown and nothing played until step k, so the scene is the one its
        note describes however it was reached: the runs trained, the previous run faded, the
        markers of a change in mid-run."""
        onward = self.position == (i, k - 1) and k > 0 and not play
        if self.position is None:
            presentation = self.window.presentation
            self.state_before = (
                presentation.desk_state
                if presentation.active and presentation.desk_state is not None
                else self.window.saveState(LAYOUT_VERSION)
            )
            self._panels_before = {
                name for name, dock in self.window.docks.items() if dock.isVisibleTo(self.window)
            }
        self.position = (i, k)
        lesson = self.book.lessons[i]
        comparison = self.window.comparison
        comparison.set_enabled(lesson.compare)
        if not onward:
            comparison.start_afresh()  # runs before this lesson are not its comparison
        self._show_note()
        self.moved.emit()
        steps = [lesson.steps[k]] if onward else list(lesson.steps[: k + 1])
        self._queue = [(step, False, True) for step in steps[:-1]] + [(steps[-1], play, False)]
        self._scale_asked = None
        self._apply_queue()

    def _apply_queue(self) -> None:
        """The queued steps applied in order (one waiting for its dataset holds the rest)."""
        self._waiting = None
        while self._queue and self._waiting is None:
            step, play, earlier = self._queue.pop(0)
            if not self._apply(step, play, earlier):
                self._queue = []  # a step that failed: the steps after it are not applied

    # ------------------------------------------------------------------ applying a step
    def _apply(self, step: LessonStep, play: bool, earlier: bool = False) -> bool:
        """Apply `step` (`earlier`: a step before the one shown, not played); False if it
        could not be."""
        window, client = self.window, self.window.controller
        if step.reset or step.train or step.dataset:
            client.pause()  # nothing trains while the scene is set
        if step.dataset is not None and step.dataset != client.settings.dataset:
            try:
                dataset = load_dataset(step.dataset)
            except (DatasetError, OSError) as error:
                window.show_message(
                    "error",
                    "Lesson step not applied",
                    f"{self.book.source}, line {step.line}: {error}",
                )
                return False
            self._waiting = (step, play, earlier)
            client.set_dataset(dataset, step.dataset)
            return True  # the rest when the process has made the run (_run_replaced)
        self._apply_rest(step, play, earlier)
        return True

    def _run_replaced(self, _reason: str) -> None:
        waiting = self._waiting
        if waiting is not None and self.window.controller.settings.dataset == waiting[0].dataset:
            self._waiting = None
            self._apply_rest(*waiting)
            self._apply_queue()

    def _rejected(self, message: str) -> None:
        if self._waiting is not None:  # the process refused the dataset: go on without it
            waiting = self._waiting
            self._waiting = None
            self._apply_rest(*waiting)
            self._apply_queue()

    def _apply_rest(self, step: LessonStep, play: bool, earlier: bool = False) -> None:
        window, client = self.window, self.window.controller
        # (The client's settings follow a new scaling once the process has made the run: a
        # step applied before that compares with the scaling asked for.)
        scale = self._scale_asked or client.settings.input_scale
        new_run = step.input_scale is not None and step.input_scale != scale
        if new_run:
            client.set_input_scale(step.input_scale)
            self._scale_asked = step.input_scale
        if step.reset and not new_run:  # (a new input scaling is a new run already)
            client.reset("Lesson reset")
        window.controls.apply_settings(step.settings)
        if step.speed_index is not None:
            window.speed.set_index(step.speed_index)
        if step.p is not None:
            window.threshold.set_p(step.p)
        if step.panels is not None:
            self._show_panels(self._dock_names(step.panels))
        if step.loss_x_axis is not None:
            window.loss_axes.set_x_axis(step.loss_x_axis)
        if step.loss_log_y is not None:
            window.loss_axes.set_log_y(step.loss_log_y)
        if step.train:
            client.train(step.train)
        # Answered after every command above: the snapshot after them has arrived by then.
        position = self.position
        self._outstanding += 1
        client.query("settings", None, lambda ok, _: self._settled(step.sample, position))
        if earlier:
            client.pause()  # (only the step shown plays)
        elif play or step.play:
            client.play()
        elif step.play is False:
            client.pause()

    @property
    def settled(self) -> bool:
        """Every command of the steps applied has been carried out (scripts wait for this)."""
        return self._waiting is None and not self._queue and self._outstanding == 0

    def _settled(self, sample: int | SampleRule | None, position) -> None:
        self._outstanding -= 1
        if sample is not None and position == self.position:  # (the teacher may have moved on)
            self._select(sample)

    def _select(self, sample: int | SampleRule) -> None:
        """Select the step's sample (a rule: against the newest snapshot)."""
        window = self.window
        selection = window.selection
        if isinstance(sample, int):
            selection.set_index(min(sample, selection.n_samples - 1))
            return
        summary = window.controller.latest_snapshot.test_summary
        dataset = window.controller.dataset
        found = None if summary is None else resolve_sample(sample, summary, dataset.y_test)
        if found is None:
            window.show_message(
                "warning",
                self.heading(),
                f"No test sample fits the step's rule ({sample.describe()}) yet: train longer "
                "(Right or Space) and press F5 to look again.",
            )
            return
        selection.set_index(found)

    # ------------------------------------------------------------------ panels and note
    def _dock_names(self, panels: tuple[str, ...]) -> list[str]:
        """The docks' object names of the panels a step names (by their tab titles), in the
        step's order, and the controls (Play, Step, the settings) whether named or not: a lesson
        never takes them off the screen."""
        by_title = {
            dock.row.short_title.casefold(): name for name, dock in self.window.docks.items()
        }
        names = [by_title[title] for title in panels if title in by_title]
        controls = by_title.get(CONTROLS)
        if controls is not None and controls not in names:
            names.append(controls)
        return names

    def _show_panels(self, names) -> None:
        """Those docks open, the first named in front of its tab group, the others closed."""
        docks = self.window.docks
        for name, dock in docks.items():
            dock.setVisible(name in names)
        for name in reversed(list(names)):
            docks[name].raise_()

    def show_step_panels(self, *_) -> None:
        """The panels of the step on screen again, once a new layout (presentation mode on or
        off, the desk laid out for a screen) has opened every dock."""
        if self.position is None:
            return
        i, k = self.position
        steps = self.book.lessons[i].steps[: k + 1]
        panels = next((step.panels for step in reversed(steps) if step.panels is not None), None)
        if panels is not None:
            self._show_panels(self._dock_names(panels))

    def _show_note(self, end: bool = False) -> None:
        i, k = self.position
        lesson = self.book.lessons[i]
        last = i + 1 == len(self.book) and k + 1 == len(lesson.steps)
        if end:
            text = "That was the last step of the last lesson. PageUp goes back a step."
        else:
            text = lesson.steps[k].note or "(no note for this step)"
        if last:
            action, do = None, None
        elif k + 1 == len(lesson.steps):
            action, do = "Next lesson (PgDn)", self.next
        else:
            action, do = "Next step (PgDn)", self.next
        self.window.show_message("lesson", self.heading(), text, action, do)
