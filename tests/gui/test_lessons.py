"""Lessons played on the window (issues 13 and 15): each shipped lesson applied step by step
(settings, sample, p, panels, the banner's text), a presenter remote's keys driving a lesson
file, the previous run faded and the setting markers of a comparison, and bad lesson files
named in the banner."""

from __future__ import annotations

import html
import re

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QKeySequence
from PySide6.QtWidgets import QApplication

from gui.lesson_file import read_lessons
from gui.main_window import MainWindow
from gui.plotting import configure_pyqtgraph
from gui.presenter_keys import other_standard_keys
from model.settings import SPEEDS
from resources import resource_path
from tests.gui.clients import make_client, server_run
from tests.gui.test_lesson_file import PANELS, V1_FILE

SHIPPED = read_lessons(resource_path("lessons.toml"), PANELS)


@pytest.fixture(scope="module")
def window(qapp):
    """One window for the module (1280x800, the projector of issue 15), on mnist."""
    configure_pyqtgraph()
    w = MainWindow(make_client("mnist"), None)
    w.resize(1280, 800)
    w.show()
    yield w
    w.controller.shutdown(2000)
    w.close()


def settle(window, qtbot) -> None:
    """Wait until the process has carried out the step, then stop it training."""
    qtbot.waitUntil(lambda: window.lessons.settled, timeout=20000)
    window.controller.pause()
    QApplication.processEvents()


def banner_text(window) -> str:
    """What the banner's note reads (its rich text without the markup)."""
    text = window.banner_bar.banner.text_label.text()
    return html.unescape(re.sub(r"<br>", " ", re.sub(r"</?b>", "", text)))


def in_effect(lesson, k: int, name: str):
    """What steps 0..k of `lesson` leave `name` at (the last step that sets it)."""
    for step in reversed(lesson.steps[: k + 1]):
        value = step.settings.get(name) if name in ("learning_rate", "batch_size") else None
        value = getattr(step, name, None) if value is None else value
        if value is not None:
            return value
    return None


def probabilities(window, index: int) -> np.ndarray:
    """a of test sample `index` under the newest weights, computed here from W, b and the
    run's input scaling (not from the panels' or the process's summary)."""
    s = window.controller.latest_snapshot
    x = window.controller.dataset.X_test[index].astype(np.float64) * s.input_scale
    z = s.W @ x + s.b
    a = np.exp(z - z.max())
    return a / a.sum()


@pytest.mark.parametrize("i", range(len(SHIPPED.lessons)))
def test_each_shipped_lesson_is_applied_step_by_step(window, qtbot, i):
    lesson = SHIPPED.lessons[i]
    player = window.lessons
    player.set_book(SHIPPED)
    player.start(i)
    for k, step in enumerate(lesson.steps):
        if k:
            player.next()
        settle(window, qtbot)
        client, banner = window.controller, window.banner_bar.banner
        assert player.position == (i, k)
        n = len(SHIPPED.lessons)
        heading = f"Lesson {i + 1} of {n}, step {k + 1} of {len(lesson.steps)}: {lesson.title}"
        assert banner.kind == "lesson" and window.banner_bar.isVisible()
        assert banner_text(window) == f"{heading} {step.note}"
        rate, batch = in_effect(lesson, k, "learning_rate"), in_effect(lesson, k, "batch_size")
        batch = client.dataset.n_train if batch == "full" else batch
        assert client.settings.learning_rate == pytest.approx(rate)
        assert window.controls.learning_rate.value() == pytest.approx(rate)
        assert client.settings.batch_size == batch == window.controls.batch_size.value()
        assert client.settings.input_scale == in_effect(lesson, k, "input_scale")
        run = server_run(client)
        assert run.input_scale == (255.0 if client.settings.input_scale == "raw" else 1.0)
        assert (run.learning_rate, run.batch_size) == (pytest.approx(rate), batch)
        assert client.dataset.name == "mnist"
        assert SPEEDS[window.speed.index] == SPEEDS[in_effect(lesson, k, "speed_index")]
        p = in_effect(lesson, k, "p")
        assert p is None or window.threshold.p == p
        panels = in_effect(lesson, k, "panels")
        docks = window.docks.values()
        shown = {d.row.short_title.casefold() for d in docks if d.isVisibleTo(window)}
        assert shown == set(panels)
        if step.train:
            assert client.latest_snapshot.step >= step.train
        # Lesson 7: the codes panel on screen trains the code model beside the run.
        assert client.codes_comparison == ("codes" in panels)
        sample = in_effect(lesson, k, "sample")
        if isinstance(sample, int):
            assert window.selection.index == sample
        elif sample is not None:  # the rule, checked against a computed here
            a = probabilities(window, window.selection.index)
            label = client.dataset.y_test[window.selection.index]
            assert sample.a_max_above < a.max() < sample.a_max_below
            if sample.misclassified is not None:
                assert (a.argmax() != label) == sample.misclassified
            if sample.a_max_above >= 0.95:  # lesson 6: saturated, J = diag(a) - a a^T ~ 0
                J = np.diag(a) - np.outer(a, a)
                assert np.abs(J).max() <= a.max() * (1 - a.max()) + 1e-12
        # Reached by PageDown with no key pressed between (no Space): what the note describes
        # is on screen (the same check as reached by PageUp, below).
        if not any(earlier.play for earlier in lesson.steps[:k]):  # (a played run goes on)
            check_scene(window, lesson, k)
        if lesson.title.startswith("Batch size 1") and k == 1:
            both_runs_span_the_axis(window)
    player.stop()
    assert not window.banner_bar.isVisible()
    assert all(dock.isVisibleTo(window) for dock in window.docks.values())


def press(window, qtbot, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """A key as a presenter remote sends it, to whatever has the keyboard focus."""
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, modifiers)


def test_a_remotes_keys_drive_a_lesson_file(window, qtbot):
    window.activateWindow()
    window.setFocus()
    assert window.presenter.load(str(V1_FILE))
    player = window.lessons
    settle(window, qtbot)
    assert player.position == (0, 0) and window.controller.dataset.name == "digits"
    assert window.selection.index == 5 and window.threshold.p == 0.3
    press(window, qtbot, Qt.Key.Key_PageDown)
    settle(window, qtbot)
    assert player.position == (0, 1) and window.controller.settings.learning_rate == 0.05
    assert "step 2 of 3" in banner_text(window)
    press(window, qtbot, Qt.Key.Key_PageUp)
    settle(window, qtbot)
    assert player.position == (0, 0) and window.controller.settings.learning_rate == 0.5
    # From a number box with the focus, PageDown is the remote's, not the box's page step.
    box = window.controls.batch_size
    box.setFocus()
    press(window, qtbot, Qt.Key.Key_PageDown)
    settle(window, qtbot)
    assert player.position == (0, 1) and box.value() == 32
    window.setFocus()
    # B blanks the window; any key brings it back, and does nothing else.
    press(window, qtbot, Qt.Key.Key_B)
    blank = window.presenter.blank_screen
    assert blank.isVisible() and blank.geometry() == window.rect()
    press(window, qtbot, Qt.Key.Key_Space)
    assert not blank.isVisible() and not window.controller.playing
    press(window, qtbot, Qt.Key.Key_Period)
    assert blank.isVisible()
    press(window, qtbot, Qt.Key.Key_Escape)
    assert not blank.isVisible()
    # Esc: the note goes; PageDown still moves on (and shows the next note).
    press(window, qtbot, Qt.Key.Key_Escape)
    assert not window.banner_bar.isVisible()
    # F5: this step's scene again (a reset: a new run), and play.
    run_id = window.controller.run_id
    press(window, qtbot, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.controller.playing)
    settle(window, qtbot)
    assert window.banner_bar.isVisible() and player.position == (0, 1)
    assert window.controller.run_id > run_id
    # Shift+F5: the lesson from its first step; PageDown on, into the next lesson.
    press(window, qtbot, Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)
    settle(window, qtbot)
    assert player.position == (0, 0)
    for _ in range(3):
        press(window, qtbot, Qt.Key.Key_PageDown)
        settle(window, qtbot)
    assert player.position == (1, 0)
    heading = "Lesson 2 of 2, step 1 of 1: A wrong answer"
    assert heading in banner_text(window)
    index = window.selection.index
    a = probabilities(window, index)
    assert a.argmax() != window.controller.dataset.y_test[index]  # { misclassified = true }
    window.lessons.stop()


def test_a_comparison_fades_the_previous_run_and_marks_setting_changes(window, qtbot):
    from gui.panels.loss_panel import LossPanel

    assert window.presenter.load(str(V1_FILE))
    player, panel = window.lessons, window.panel(LossPanel)
    settle(window, qtbot)
    first = window.controller.latest_snapshot
    assert first.step == 100 and window.comparison.previous is None
    player.next()  # learning rate 0.05, a new run: the run at 0.5 stays, faded
    settle(window, qtbot)
    window.mark_dirty()
    window.redraw()
    overlay = panel.overlay
    previous = window.comparison.previous
    assert previous is not None and previous.step == 100 and previous.learning_rate == 0.5
    x, y = overlay.smooth.getData()
    assert len(x) == 100 and x[-1] == previous.step_loss_steps[-1]
    assert overlay.band.getData()[0].size == 100 and overlay.accuracy.getData()[0].size > 0
    # (The label follows the settings the new run took after its reset.)
    assert overlay.label == "previous run: learning rate 0.5, batch size 16"
    names = [label.text for _, label in panel.loss_legend.items]
    assert overlay.label in names
    pen = overlay.smooth.opts["pen"]
    assert pen.color().alpha() < 255  # faded
    assert overlay.smooth.zValue() < panel.smooth_curve.zValue()  # under the new run's
    assert overlay.markers == []
    player.next()  # back to 0.5 at step 60 of this run: a labelled marker there
    settle(window, qtbot)
    window.mark_dirty()
    window.redraw()
    assert window.comparison.markers == [(60, "learning rate 0.05 → 0.5")]
    (marker,) = overlay.markers
    assert marker.value() == 60 and marker.label.format == "learning rate 0.05 → 0.5"
    assert window.comparison.previous is previous  # a change in mid-run is no new run
    window.loss_axes.set_x_axis("epochs")  # the marker follows the axis
    QApplication.processEvents()
    # Step 60 at batch 32: an epoch of 1,437 is 45 steps (the last of 29), then 15 steps more.
    n_train = window.controller.dataset.n_train
    per_epoch = -(-n_train // 32)
    epochs = 1 + (60 - per_epoch) * 32 / n_train
    assert marker.value() == pytest.approx(epochs, rel=1e-3)  # (interpolated, as the curves)
    window.loss_axes.set_x_axis("steps")
    window.lessons.stop()
    assert window.comparison.previous is None  # no lesson: no comparison
    QApplication.processEvents()
    assert overlay.smooth.getData()[0] is None or len(overlay.smooth.getData()[0]) == 0


def test_bad_lesson_files_say_so_in_the_banner_and_change_nothing(window, qtbot, tmp_path):
    window.lessons.stop()
    before = window.lessons.book
    bad_file = tmp_path / "mine.toml"
    bad_file.write_text(V1_FILE.read_text().replace('"loss", "weights"', '"loss", "histogram"'))
    assert not window.presenter.load(str(bad_file))
    banner = window.banner_bar.banner
    assert banner.kind == "error" and window.banner_bar.isVisible()
    where = f"{bad_file}, line 20 (lesson 1, step 1): unknown panel 'histogram'"
    assert where in banner_text(window)
    bad_file.write_text("format_version = 1\n[[lesson]\n")
    assert not window.presenter.load(str(bad_file))
    assert "line 2" in banner_text(window)
    assert not window.presenter.load("no such lesson")
    assert "no lesson 'no such lesson': there are 7 (Lessons menu)" in banner_text(window)
    # Short enough for the banner's line in presentation mode at 1280 px (the old message
    # listed every title, and was cut after lesson 4).
    window.presentation.set_active(True, full_screen=False)
    try:
        assert not window.presenter.load("9")
        QApplication.processEvents()
        bar = window.banner_bar.banner
        title, text = bar.title_label, bar.text_label
        assert text.text() == "no lesson '9': there are 7 (Lessons menu)"
        needed = title.sizeHint().width() + text.fontMetrics().horizontalAdvance(text.text())
        assert needed <= title.width() + text.width() + bar.layout().spacing()
    finally:
        window.presentation.set_active(False)
        window.resize(1280, 800)
        QApplication.processEvents()
    assert window.lessons.book is before and window.lessons.position is None
    banner.dismiss()


def test_a_lesson_is_named_by_number_or_title_words(window, qtbot):
    assert window.presenter.load("threshold")  # as --lesson threshold
    settle(window, qtbot)
    assert window.lessons.position == (4, 0) and window.threshold.p == 0.1
    window.lessons.stop()


def test_the_lessons_menu_lists_the_shipped_lessons(window):
    window.presenter.load()
    menu = window.presenter.menu
    texts = [action.text() for action in menu.actions()]
    n = len(SHIPPED.lessons)
    assert texts[:n] == [f"&{i + 1}. {lesson.title}" for i, lesson in enumerate(SHIPPED.lessons)]
    keys = {a.text(): a.shortcut().toString() for a in menu.actions()}
    assert keys["Next step"] == "PgDown" and keys["Previous step"] == "PgUp"
    assert keys["Play from this step"] == "F5" and keys["Start the lesson again"] == "Shift+F5"
    blank = window.presenter.blank_action.shortcuts()
    assert [s.toString() for s in blank] == ["B", "."]
    full_screen = window.presentation.toggle_action.shortcuts()
    assert full_screen[0].toString() == "F11" and len(set(full_screen)) == len(full_screen)
    # Qt's standard keys besides F11 and F1 (a Mac has neither), never F1 twice.
    standard = QKeySequence.keyBindings(QKeySequence.StandardKey.FullScreen)
    assert all(sequence in full_screen for sequence in standard)
    extra = [shortcut.key() for shortcut in window.presenter.help_shortcuts]
    assert QKeySequence("F1") not in extra
    assert extra == other_standard_keys("F1", QKeySequence.StandardKey.HelpContents)


def test_the_raw_pixels_box_makes_a_run_on_0_255_inputs(window, qtbot):
    from gui.frame import Frame

    client, box = window.controller, window.controls.raw_inputs
    if box.isChecked():  # (lesson 3 ends on raw pixels)
        run_id = client.run_id
        box.click()
        qtbot.waitUntil(lambda: client.run_id > run_id)
    settle(window, qtbot)
    assert client.settings.input_scale == "unit"
    run_id = client.run_id
    box.click()
    qtbot.waitUntil(lambda: client.run_id > run_id)
    assert client.settings.input_scale == "raw" and server_run(client).input_scale == 255.0
    client.train_now(20)
    frame = Frame(client.latest_snapshot, client.dataset, 7)
    np.testing.assert_allclose(frame.sample_proba, probabilities(window, 7), rtol=1e-9)
    window.lessons.set_book(SHIPPED)
    window.lessons.start(0)  # a lesson's step sets it back, and the box follows
    settle(window, qtbot)
    assert client.settings.input_scale == "unit" and not box.isChecked()
    window.lessons.stop()


def test_a_long_note_wraps_in_the_banner_and_never_grows_the_window(window, qtbot):
    from gui.banner import MAX_NOTE_LINES, wrapped_lines

    assert wrapped_lines("aa bb cc dd", len, 5) == ["aa bb", "cc dd"]
    assert wrapped_lines("a verylongword b", len, 4) == ["a", "verylongword", "b"]
    size = window.size()
    note = " ".join(["Every word of a note that runs on and on."] * 40)
    window.show_message("lesson", "Lesson 1 of 1, step 1 of 1: Long", note, None, None)
    QApplication.processEvents()
    label = window.banner_bar.banner.text_label
    lines = label.text().split("<br>")
    assert 3 <= len(lines) <= MAX_NOTE_LINES and lines[-1].endswith("…")
    width = label.contentsRect().width()
    assert all(label.fontMetrics().horizontalAdvance(x) <= width for x in lines[1:])
    assert window.size() == size
    window.banner_bar.banner.dismiss()


def test_the_drawing_panel_takes_two_runs_step_0_one_after_the_other(window):
    """Two new runs at step 0 (a lesson's new input scaling, then its reset) are equal up to
    their arrays: the drawing panel compared them with == and raised."""
    from gui.frame import Frame
    from gui.panels.drawing_panel import DrawingPanel
    from model.snapshots import initial_snapshot

    client, panel = window.controller, window.panel(DrawingPanel)
    first, second = (initial_snapshot(client.dataset, client.settings) for _ in range(2))
    assert first is not second and first.step == second.step == 0
    for snapshot in (first, second):
        panel.show_frame(Frame(snapshot, client.dataset, 0))
    assert panel._shown_key[0] is second


def test_a_sample_rule_picks_the_first_sample_that_fits_it():
    from types import SimpleNamespace

    from gui.lesson_file import SampleRule
    from gui.lesson_player import resolve_sample

    # a_max and the prediction of five test samples, worked by hand; labels 0 1 2 3 4.
    summary = SimpleNamespace(
        largest=np.array([0.99, 0.97, 0.40, 0.96, 0.30]), predicted=np.array([0, 2, 2, 1, 0])
    )
    labels = np.arange(5)
    assert resolve_sample(SampleRule(True, 0.95), summary, labels) == 1  # 1 and 3 are wrong
    assert resolve_sample(SampleRule(False, 0.95), summary, labels) == 0
    assert resolve_sample(SampleRule(None, 0.0, 0.5), summary, labels) == 2
    assert resolve_sample(SampleRule(True, 0.0, 0.35), summary, labels) == 4
    assert resolve_sample(SampleRule(True, 0.98), summary, labels) is None
    assert SampleRule(True, 0.95).describe() == "a misclassified sample with a_max > 0.95"


# ---------------------------------------------------------------- every step sets its own scene
def new_run(lesson, j: int) -> bool:
    """Step j of `lesson` starts a new run: its first step, a reset, new input scaling."""
    step = lesson.steps[j]
    scale = step.input_scale
    rescaled = scale is not None and j > 0 and scale != in_effect(lesson, j - 1, "input_scale")
    return j == 0 or step.reset or rescaled


def trained_since_reset(lesson, k: int) -> tuple[int, list[int]]:
    """The steps steps 0 .. k of `lesson` train in the run on screen (since its last reset),
    and the step counts at which that run's settings changed in its course (its markers)."""
    steps = lesson.steps[: k + 1]
    start = max(j for j in range(k + 1) if new_run(lesson, j))
    trained, changes = 0, []
    for step in steps[start:]:
        if step is not steps[start] and step.settings and trained:
            changes.append(trained)
        trained += step.train
    return trained, changes


def previous_run_steps(lesson, k: int) -> int | None:
    """The steps of the run a comparison step shows faded (None: no previous run)."""
    resets = [j for j in range(k + 1) if new_run(lesson, j)]
    if not lesson.compare or len(resets) < 2:
        return None
    return trained_since_reset(lesson, resets[-1] - 1)[0]


def check_scene(window, lesson, k: int) -> None:
    """What step k's note describes is on screen: the steps it trains, the faded run, the
    markers, the controls."""
    step, client = lesson.steps[k], window.controller
    assert "Space" not in step.note  # (a presenter remote has no Space)
    trained, changes = trained_since_reset(lesson, k)
    assert client.latest_snapshot.step >= trained
    previous = previous_run_steps(lesson, k)
    if previous is None:
        assert window.comparison.previous is None
        assert "faded" not in step.note or k == 0  # (step 1: kept for the step after)
    else:
        assert window.comparison.previous is not None
        assert window.comparison.previous.step == previous
    assert [at for at, _ in window.comparison.markers] == changes
    assert ("marker" in step.note) == bool(changes)
    assert window.docks["TrainingControlsPanel"].isVisibleTo(window)


@pytest.mark.parametrize("i", range(len(SHIPPED.lessons)))
def test_each_step_reached_by_pageup_shows_what_its_note_says(window, qtbot, i):
    """Every step entered backwards (PageUp from the step or lesson after it): its scene is
    the one PageDown from its first step gives (lesson 2 step 3 showed an empty loss plot and
    no faded run when entered by PageUp from lesson 3; its note described both)."""
    player = window.lessons
    player.set_book(SHIPPED)
    lesson = SHIPPED.lessons[i]
    if i + 1 < len(SHIPPED.lessons):
        player.start(i + 1)
    else:  # the last lesson: from its last step's end note
        player.start(i)
        for _ in lesson.steps:
            player.next()
    settle(window, qtbot)
    for k in reversed(range(len(lesson.steps))):
        if (i, k) != player.position:
            player.previous()
        settle(window, qtbot)
        assert player.position == (i, k)
        check_scene(window, lesson, k)
    player.stop()


def both_runs_span_the_axis(window) -> None:
    """Lesson 4: the full batch's curve spans the batch-1 band on the axis shown (it was a
    41-step blob at the left edge of a 1,000-step band)."""
    previous, now = window.comparison.previous, window.controller.latest_snapshot
    assert previous.batch_size == 1 and now.batch_size == window.controller.dataset.n_train
    if window.loss_axes.x_axis == "steps":
        spans = previous.step, now.step
    else:
        n = window.controller.dataset.n_train
        spans = previous.step * previous.batch_size / n, now.step * now.batch_size / n
    assert min(spans) >= 0.5 * max(spans)


def test_a_teachers_step_without_the_controls_keeps_them_on_screen(window, qtbot, tmp_path):
    mine = tmp_path / "mine.toml"
    mine.write_text(
        'format_version = 1\n[[lesson]]\ntitle = "Mine"\n[[lesson.step]]\n'
        'note = "Only the loss."\npanels = ["loss"]\n'
    )
    assert window.presenter.load(str(mine))
    settle(window, qtbot)
    shown = {name for name, dock in window.docks.items() if dock.isVisibleTo(window)}
    assert shown == {"TrainingControlsPanel", "LossPanel"}
    window.lessons.stop()


@pytest.mark.parametrize("size", [(1280, 720), (1280, 800)])
def test_every_shipped_note_fits_the_banner_in_presentation_mode(window, qtbot, size):
    """Each note in the banner's lines (wrapped_lines, as the banner breaks them) under a
    heading that fits one line, at a projector's size in presentation mode: nothing cut."""
    from gui.banner import MAX_NOTE_LINES, wrapped_lines

    before = window.size()
    window.presentation.set_active(True, full_screen=False)
    window.resize(*size)
    try:
        player = window.lessons
        player.set_book(SHIPPED)
        label = window.banner_bar.banner.text_label
        bold = label.font()
        bold.setBold(True)
        heading_metrics = QFontMetrics(bold)
        for i, lesson in enumerate(SHIPPED.lessons):
            for k, step in enumerate(lesson.steps):
                player.position = (i, k)  # (the note only: no step applied)
                player._show_note()
                QApplication.processEvents()
                width = label.contentsRect().width()
                lines = wrapped_lines(step.note, label.fontMetrics().horizontalAdvance, width)
                where = f"lesson {i + 1} step {k + 1} at {size}"
                assert len(lines) <= MAX_NOTE_LINES - 1, where
                assert heading_metrics.horizontalAdvance(player.heading()) <= width, where
                assert "…" not in label.text(), where
        player.position = None
    finally:
        window.banner_bar.banner.dismiss()
        window.presentation.set_active(False)
        window.resize(before)
        QApplication.processEvents()


def test_file_open_lesson_comes_before_quit(window):
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert texts.index("Open &lesson...") < texts.index("&Quit")
    assert texts[-2:] == ["", "&Quit"]  # a separator, then Quit
