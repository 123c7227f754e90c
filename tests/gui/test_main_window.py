"""The main window: docks, shortcuts, Play/Pause/Step/Reset, bad files, settings, closing."""

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar

from gui.main_window import MainWindow
from gui.panels.jacobian_panel import JacobianPanel
from gui.plotting import configure_pyqtgraph
from model import load_dataset
from tests.gui.clients import make_client, server_run


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def shown_window(qtbot, settings, size=(1400, 900)) -> MainWindow:
    """A main window on an in-process training server (batch 16, seed 1), shown at `size`."""
    configure_pyqtgraph()
    w = MainWindow(make_client(batch_size=16, seed=1), settings)
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def window(qtbot, settings):
    w = shown_window(qtbot, settings)
    yield w
    w.controller.shutdown(2000)


def step_of(window):
    return window.controller.latest_snapshot.step


def test_title_and_every_panel_in_a_closable_dock(window):
    assert window.windowTitle() == "Softmax Lab"
    docks = window.findChildren(QDockWidget)
    titles = {d.windowTitle() for d in docks}
    assert {
        "Training controls",
        "Weight matrix W",
        "Loss and accuracy",
        "Softmax Jacobian",
        "Sample inspector",
        "Binary output network",
    } <= titles
    for dock in docks:
        assert dock.features() & QDockWidget.DockWidgetFeature.DockWidgetClosable
        assert dock.features() & QDockWidget.DockWidgetFeature.DockWidgetFloatable


def test_view_menu_brings_a_closed_panel_back(window, qtbot):
    dock = window.docks["JacobianPanel"]
    dock.close()
    assert not dock.isVisible()
    dock.toggleViewAction().trigger()
    assert dock.isVisible()


def test_play_then_pause(window, qtbot):
    window.controls.play_button.click()
    qtbot.waitUntil(lambda: step_of(window) >= 30, timeout=10_000)
    assert window.controls.play_button.text() == "Pause"
    window.controls.play_button.click()
    qtbot.waitUntil(lambda: window.controls.play_button.text() == "Play")
    qtbot.waitUntil(lambda: step_of(window) == server_run(window.controller).step_count)


def test_events_keep_being_processed_while_training(window, qtbot):
    """The event loop is not blocked: timers fire and redraws happen during full-speed play."""
    ticks = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(step_of(window)))
    timer.start(10)
    window.controller.play()
    qtbot.waitUntil(lambda: len(ticks) >= 20 and ticks[-1] > ticks[0], timeout=10_000)
    window.controller.pause()
    timer.stop()
    assert len(set(ticks)) > 3  # redraw ticks saw training move on several times


def test_step_button_advances_exactly_one_minibatch(window, qtbot):
    window.controls.step_button.click()
    qtbot.waitUntil(lambda: step_of(window) == 1)
    assert window.controller.latest_snapshot.samples_seen == 16


def test_keyboard_shortcuts(window, qtbot):
    window.activateWindow()
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: step_of(window) == 1)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: step_of(window) > 5, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not window.controller.playing)
    qtbot.keyClick(window, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: step_of(window) == 0)


def test_reset_restores_the_seeded_weights(window, qtbot):
    W0 = window.controller.latest_snapshot.W.copy()
    window.controller.step(20)
    qtbot.waitUntil(lambda: step_of(window) == 20)
    with qtbot.waitSignal(window.controller.run_replaced):
        window.controls.reset_button.click()
    np.testing.assert_array_equal(window.controller.latest_snapshot.W, W0)
    assert "Reset" in window.controls.message.text()


def test_learning_rate_change_mid_run(window, qtbot):
    window.controller.play()
    qtbot.waitUntil(lambda: step_of(window) > 5, timeout=10_000)
    window.controls.learning_rate.setValue(0.02)
    qtbot.waitUntil(lambda: window.controller.latest_snapshot.learning_rate == 0.02)
    window.controller.pause()
    assert step_of(window) > 5  # no reset happened


def test_dataset_change_resets_and_rebuilds_the_panels(window, qtbot):
    window.controls.load("blobs")
    qtbot.waitUntil(lambda: window.controller.dataset.name == "blobs")
    assert "blobs" in window.controls.message.text()
    window.redraw()
    assert window.controller.latest_snapshot.W.shape == (4, 2)
    assert window.selection.n_samples == load_dataset("blobs").n_test


def test_bad_file_shows_the_loader_message_and_keeps_the_dataset(window, qtbot, tmp_path):
    bad = tmp_path / "train-images-idx3-ubyte.gz"
    bad.write_bytes(b"this is not gzip data")
    before = server_run(window.controller)
    assert window.controls.load(str(bad)) is False
    banner = window.banner_bar.banner
    qtbot.waitUntil(window.banner_bar.isVisible)
    assert "Could not load" in banner.title_label.text()
    assert "train-images-idx3-ubyte.gz" in banner.text_label.toolTip()
    window.controller.poll()
    assert server_run(window.controller) is before and window.controller.dataset.name == "digits"
    assert window.controls.dataset_box.currentText() == "digits"


def test_selection_drives_the_jacobian(window, qtbot):
    """The Jacobian panel shows J = diag(a) - a a^T of the selected sample, computed here
    independently from the snapshot's weights (issue 9, item 13: this test checked only the
    index before)."""
    from model import softmax, softmax_jacobian

    window.controller.step(30)
    qtbot.waitUntil(lambda: step_of(window) == 30)
    for index in (7, 123):
        window.selection.set_index(index)
        window.redraw()
        snap, x = window.controller.latest_snapshot, window.controller.dataset.X_test[index]
        expected = softmax_jacobian(softmax(snap.W @ x.astype(np.float64) + snap.b))
        np.testing.assert_allclose(window.panel(JacobianPanel).image.image, expected, atol=1e-12)


def test_threshold_change_marks_a_redraw(window, qtbot):
    window.redraw()
    window.threshold.set_p(0.3)
    assert window._dirty
    window.redraw()
    assert not window._dirty


def test_presentation_mode_enlarges_fonts_and_zoom(window, qtbot):
    before = QApplication.instance().font().pointSizeF()
    window.presentation.set_active(True)
    assert window.presentation.active and window.presentation.toggle_action.isChecked()
    big = QApplication.instance().font().pointSizeF()
    assert big > before
    window.presentation.set_zoom(2)
    assert QApplication.instance().font().pointSizeF() > big
    window.presentation.set_zoom(0)
    window.presentation.set_active(False)
    assert QApplication.instance().font().pointSizeF() == pytest.approx(before)


def visible_tab_bars(window):
    bars = [b for b in window.findChildren(QTabBar) if b.parent() is window and b.isVisible()]
    return sorted(sorted(b.tabText(i) for i in range(b.count())) for b in bars)


def tabbed_with(window, name: str) -> set[str]:
    return {d.objectName() for d in window.tabifiedDockWidgets(window.docks[name])}


def test_presentation_layout_shows_plots_as_chosen_and_gives_the_desk_back(window, qtbot):
    # At the desk only the panels that share a place are tabs: the loss and the confusion
    # matrix (bottom left), the weights and the drawing panel (top left), the binary network
    # and codes vs softmax (bottom right).
    desk_tabs = [
        ["Binary output network", "Codes vs softmax"],
        ["Confusion matrix", "Loss and accuracy"],
        ["Draw your own digit", "Weight matrix W"],
    ]
    assert visible_tab_bars(window) == desk_tabs
    assert tabbed_with(window, "LossPanel") == {"ConfusionPanel"}
    assert tabbed_with(window, "WeightsPanel") == {"DrawingPanel"}
    assert tabbed_with(window, "BinaryOutputPanel") == {"CodesPanel"}
    window.presentation.set_active(True)  # 1400 px wide: one plot at once by default
    plots = {"WeightsPanel", "DrawingPanel", "LossPanel", "ConfusionPanel", "JacobianPanel",
             "BinaryOutputPanel", "CodesPanel"}  # fmt: skip
    assert tabbed_with(window, "WeightsPanel") == plots - {"WeightsPanel"}
    window.presentation.set_plots_at_once(2)
    assert tabbed_with(window, "WeightsPanel") == {"LossPanel", "ConfusionPanel", "DrawingPanel"}
    assert tabbed_with(window, "JacobianPanel") == {"BinaryOutputPanel", "CodesPanel"}
    qtbot.waitUntil(lambda: len(visible_tab_bars(window)) == 2)
    assert visible_tab_bars(window) == [
        ["Binary net", "Codes", "Jacobian"],
        ["Confusion", "Draw", "Loss", "Weights"],
    ]
    window.presentation.set_plots_at_once(4)
    tabbed = {n: tabbed_with(window, n) for n in window.docks if tabbed_with(window, n)}
    assert tabbed == {
        "WeightsPanel": {"DrawingPanel"}, "DrawingPanel": {"WeightsPanel"},
        "LossPanel": {"ConfusionPanel"}, "ConfusionPanel": {"LossPanel"},
        "BinaryOutputPanel": {"CodesPanel"}, "CodesPanel": {"BinaryOutputPanel"},
    }  # fmt: skip
    window.presentation.set_plots_at_once(1)
    assert tabbed_with(window, "WeightsPanel") == plots - {"WeightsPanel"}
    window.presentation.set_active(False)
    assert tabbed_with(window, "WeightsPanel") == {"DrawingPanel"}
    qtbot.waitUntil(lambda: visible_tab_bars(window) == desk_tabs)
    assert window.docks["WeightsPanel"].windowTitle() == "Weight matrix W"


def test_presentation_keeps_controls_and_sample_in_view_with_large_titles(window, qtbot):
    """Issue 9, item 11: the controls and the sample inspector shared one tab group, and the
    dock title bars kept their desk font."""
    desk_title = window.docks["WeightsPanel"].font().pointSizeF()
    window.presentation.set_active(True)
    controls, sample = window.docks["TrainingControlsPanel"], window.docks["SamplePanel"]
    assert window.tabifiedDockWidgets(controls) == []
    qtbot.waitUntil(lambda: not sample.visibleRegion().isEmpty())
    assert not controls.visibleRegion().isEmpty()
    dock = window.docks["WeightsPanel"]
    assert dock.font().pointSizeF() >= 18 > desk_title
    assert dock.font() != QApplication.font("QDockWidget")  # so Qt draws the title in it
    window.presentation.set_active(False)


def test_ctrl_number_brings_a_panel_to_front(window, qtbot):
    window.presentation.set_active(True)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    loss, weights = window.docks["LossPanel"], window.docks["WeightsPanel"]
    qtbot.waitUntil(lambda: not loss.visibleRegion().isEmpty())
    assert weights.visibleRegion().isEmpty()  # it is the tab behind now
    window.presentation.set_active(False)


def test_closing_during_training_ends_the_training_process(qtbot, settings):
    import multiprocessing

    from gui.training_client import TrainingClient
    from model.settings import RunSettings

    controller = TrainingClient(load_dataset("digits"), RunSettings(dataset="digits"))
    w = MainWindow(controller, settings)
    qtbot.addWidget(w)
    w.show()
    controller.play()
    qtbot.waitUntil(lambda: controller.latest_snapshot.step > 5, timeout=60_000)
    w.close()
    assert not controller.alive and not controller._transport.process.is_alive()
    assert multiprocessing.active_children() == []


def test_settings_remember_layout_and_values(qtbot, settings):
    controller = make_client(batch_size=16)
    w = MainWindow(controller, settings)
    qtbot.addWidget(w)
    w.show()
    w.controls.learning_rate.setValue(0.05)  # as the user does: through the controls
    w.controls.set_speed_index(2)
    w.docks["LossPanel"].close()
    w.close()
    assert settings.value("learning_rate", type=float) == 0.05
    assert settings.value("speed_index", type=int) == 2

    again = MainWindow(make_client(), settings)
    qtbot.addWidget(again)
    again.show()
    assert again.controls.speed.value() == 2
    assert not again.docks["LossPanel"].isVisible()
    again.close()


def test_only_panels_on_screen_are_drawn(window, qtbot, monkeypatch):
    drawn = []
    for panel in window.panels:
        monkeypatch.setattr(panel, "show_frame", lambda frame, p=panel: drawn.append(p.title))
    window.docks["JacobianPanel"].close()
    window.mark_dirty()
    window.redraw()
    assert "Softmax Jacobian" not in drawn and "Weight matrix W" in drawn
    drawn.clear()
    window.redraw()
    assert drawn == []  # nothing new to draw: no redraw at all


@pytest.mark.parametrize(
    ("screen", "plots_at_once"),
    [((1024, 768), 2), ((1280, 720), 4), ((1366, 768), 4), ((1536, 864), 4), ((1920, 1080), 4)],
)
def test_first_start_fits_the_screen_with_two_or_four_plots_at_once(
    window, monkeypatch, qtbot, screen, plots_at_once
):
    """The four plots on screen at once from a 1280x720 screen up, each at least 300 x 200
    (issue 14); two at once (two pairs of tabs) on a 1024x768 projector."""
    from PySide6.QtCore import QRect

    class Screen:
        def availableGeometry(self):  # noqa: N802 - Qt's name
            return QRect(0, 0, *screen)

    monkeypatch.setattr(QApplication, "primaryScreen", staticmethod(lambda: Screen()))
    # Maximising would take the offscreen platform's own screen, not this one: record it.
    states = []
    monkeypatch.setattr(window, "setWindowState", states.append)
    window.geometry_restored = False
    window.fit_to_screen()
    assert window.width() <= screen[0] and window.height() <= screen[1]
    small = screen[0] < 1600 + 16 or screen[1] < 1000 + 40
    assert bool(states and states[-1] & Qt.WindowState.WindowMaximized) == small
    plots = ["WeightsPanel", "LossPanel", "JacobianPanel", "BinaryOutputPanel"]
    qtbot.waitUntil(
        lambda: sum(not window.docks[n].visibleRegion().isEmpty() for n in plots) == plots_at_once
    )
    shown = [window.docks[n] for n in plots if not window.docks[n].visibleRegion().isEmpty()]

    def large_enough():  # the layout settles in the event loop after the tabs are made
        return all(dock.width() >= 300 and dock.height() >= 200 for dock in shown)

    qtbot.waitUntil(large_enough)


def test_a_restored_geometry_is_kept(window):
    window.geometry_restored = True
    size = window.size()
    window.fit_to_screen()
    assert window.size() == size


def test_closing_in_presentation_mode_remembers_the_desk_layout(qtbot, settings):
    w = MainWindow(make_client(), settings)
    qtbot.addWidget(w)
    w.show()
    w.presentation.set_active(True)
    w.close()
    again = MainWindow(make_client(), settings)
    qtbot.addWidget(again)
    again.show()
    assert again.tabifiedDockWidgets(again.docks["WeightsPanel"]) == [again.docks["DrawingPanel"]]
    again.close()


def test_a_failed_load_says_so_and_training_goes_on(window, qtbot, tmp_path):
    """Issue 9, item 11: the controls said "Reset: dataset changed to mnist.npz" and training
    went on behind the dialog. Issue 15: there is no dialog any more; the run is untouched and
    keeps playing, and the message says so."""
    bad = tmp_path / "mnist.npz"
    bad.write_bytes(b"not a zip")
    window.controller.play()
    before = server_run(window.controller)
    assert window.controls.load(str(bad)) is False
    assert window.controller.playing and server_run(window.controller) is before
    text = window.controls.message.text()
    assert "Could not load" in text and "mnist.npz" in text and "Reset" not in text
    window.controller.pause()


def test_full_batch_then_a_smaller_dataset_keeps_box_and_run_agreed(window, qtbot):
    """Issue 9, item 11: after full batch on a dataset and a switch to a smaller one, the box
    showed the small set's size while the run kept the large batch."""
    controls = window.controls
    controls.batch_size.setValue(controls.batch_size.maximum())  # full batch on digits
    controls.load("blobs")
    qtbot.waitUntil(lambda: window.controller.dataset.name == "blobs")
    n_train = load_dataset("blobs").n_train
    qtbot.waitUntil(lambda: server_run(window.controller).batch_size == n_train)
    assert controls.batch_size.value() == n_train == window.controller.settings.batch_size
    controls.load("digits")
    qtbot.waitUntil(lambda: window.controller.dataset.name == "digits")
    assert controls.batch_size.value() == server_run(window.controller).batch_size == n_train


def test_leaving_presentation_gives_the_desk_back_as_it_was(window, qtbot):
    """Found in review: leaving full screen restored the docks at full-screen width, and the
    sample inspector lost 40 px on every round trip; a maximised window came back normal."""
    qtbot.wait(50)
    sample = window.docks["SamplePanel"]
    width, size = sample.width(), window.size()
    for _ in range(3):
        window.presentation.set_active(True)
        qtbot.waitUntil(window.isFullScreen)
        window.presentation.set_active(False)
        qtbot.waitUntil(lambda: not window.isFullScreen())
        qtbot.wait(50)
    assert window.size() == size
    assert abs(sample.width() - width) <= 3, (sample.width(), width)

    window.showMaximized()
    qtbot.waitUntil(lambda: bool(window.windowState() & Qt.WindowState.WindowMaximized))
    window.presentation.set_active(True)
    qtbot.waitUntil(window.isFullScreen)
    window.presentation.set_active(False)
    qtbot.waitUntil(lambda: bool(window.windowState() & Qt.WindowState.WindowMaximized))


def test_a_restored_desk_keeps_its_full_titles(qtbot, settings):
    """Found in review: the desk's own tab groups (weights and drawing, loss and confusion)
    made every second start use the short tab titles."""
    titles = []
    for _ in range(2):
        w = shown_window(qtbot, settings, (1600, 1000))
        titles.append(w.docks["JacobianPanel"].windowTitle())
        w.close()  # saves the settings the second start reads
        w.controller.shutdown(2000)
    assert titles == [JacobianPanel.title, JacobianPanel.title]


def test_closing_during_a_lesson_keeps_the_arrangement_it_found(qtbot, settings):
    """A lesson takes panels off the screen for its steps; closed mid-lesson, the window
    saved the lesson's few panels and the next start opened with them, no lesson on."""
    window = shown_window(qtbot, settings)
    before = {n for n, d in window.docks.items() if d.isVisibleTo(window)}
    window.lessons.start(1)  # lesson 2: the loss and the weights only

    def shown():
        return {n for n, d in window.docks.items() if d.isVisibleTo(window)}

    qtbot.waitUntil(lambda: shown() < before, timeout=10_000)
    window.close()
    window.controller.shutdown(2000)
    again = shown_window(qtbot, settings)
    try:
        assert {n for n, d in again.docks.items() if d.isVisibleTo(again)} == before
    finally:
        again.close()
        again.controller.shutdown(2000)


def shown_docks(window) -> set[str]:
    return {n for n, d in window.docks.items() if d.isVisibleTo(window)}


def test_a_new_window_size_during_a_lesson_keeps_every_desk_whole(qtbot, settings, tmp_path):
    """Resized mid-lesson to another layout (1400x900 to 1000x700), the window kept the
    lesson's few panels as the first size's arrangement and saved the first size's under the
    second's key."""
    from gui.saved_settings import saved_bytes

    window = shown_window(qtbot, settings)
    window.screen_layouts.follow()
    first = window.screen_layouts.key
    every = shown_docks(window)
    window.lessons.start(1)
    qtbot.waitUntil(lambda: shown_docks(window) < every, timeout=10_000)
    window.resize(1000, 700)
    qtbot.waitUntil(lambda: window.width() == 1000)
    assert window.screen_layouts.follow() and window.screen_layouts.key != first
    assert shown_docks(window) < every  # the lesson's panels through the new layout
    window.close()
    window.controller.shutdown(2000)
    settings.beginGroup("layouts")
    keys = settings.childKeys()
    settings.endGroup()
    assert len(keys) == 2
    probe = shown_window(qtbot, QSettings(str(tmp_path / "probe.ini"), QSettings.Format.IniFormat))
    try:
        for key in keys:
            probe.apply_state(saved_bytes(settings, f"layouts/{key}"))
            assert shown_docks(probe) == every, key
    finally:
        probe.close()
        probe.controller.shutdown(2000)


def test_presentation_turned_on_mid_lesson_gives_back_the_whole_desk(qtbot, settings):
    """Presentation mode turned on during a lesson kept the lesson's few panels as the desk to
    go back to: after the lesson stopped, leaving presentation showed them, and a second
    lesson started in presentation mode saved them for the next start."""
    window = shown_window(qtbot, settings)
    every = shown_docks(window)
    window.lessons.start(1)
    qtbot.waitUntil(lambda: shown_docks(window) < every, timeout=10_000)
    window.presentation.set_active(True, full_screen=False)
    window.lessons.stop()
    window.lessons.start(2)
    qtbot.waitUntil(lambda: window.lessons.position is not None)
    window.close()
    window.controller.shutdown(2000)
    again = shown_window(qtbot, settings)
    try:
        assert shown_docks(again) == every
        again.lessons.start(1)
        qtbot.waitUntil(lambda: shown_docks(again) < every, timeout=10_000)
        again.presentation.set_active(True, full_screen=False)
        again.lessons.stop()
        again.presentation.set_active(False, full_screen=False)
        qtbot.waitUntil(lambda: shown_docks(again) == every, timeout=5_000)
    finally:
        again.close()
        again.controller.shutdown(2000)
