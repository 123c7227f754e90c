"""File > Save run and Open run in the window: a saved run loads and continues, the controls
show its settings; a bad file or a moved dataset is a banner naming the file, the run on screen
untouched; the moved dataset can be pointed to."""

import shutil

import numpy as np
import pytest
from PySide6.QtGui import QKeySequence

from gui.app import _load_run, build_parser
from gui.main_window import MainWindow
from model import load_run
from tests.gui.clients import make_client, server_run
from tests.model.dataset_files import make_digits, write_npz


@pytest.fixture(scope="module")
def data_file(tmp_path_factory):
    """A small dataset file (60 train, 20 test 4x5 images): the run's data is a file."""
    images, labels = make_digits(80, seed=5)
    return write_npz(tmp_path_factory.mktemp("data") / "class.npz", x_train=images[:60],
                     y_train=labels[:60], x_test=images[60:], y_test=labels[60:])  # fmt: skip


@pytest.fixture(scope="module")
def window(qapp, data_file):
    w = MainWindow(make_client(str(data_file), batch_size=16, seed=1), None)
    w.resize(1400, 900)
    w.show()
    yield w
    w.controller.shutdown(2000)
    w.close()


def train(window, qtbot, n):
    target = window.controller.latest_snapshot.step + n
    window.controller.step(n)
    qtbot.waitUntil(lambda: window.controller.latest_snapshot.step == target)


def save(window, qtbot, path):
    saved = []
    window.controller.run_saved.connect(saved.append)
    window.run_files.save_to(path)
    qtbot.waitUntil(lambda: bool(saved))
    window.controller.run_saved.disconnect(saved.append)
    return saved[0]


def test_file_menu_has_save_and_open_run_on_ctrl_s_and_ctrl_o(window):
    shortcuts = {a.text(): a.shortcut() for a in window.actions()}
    assert shortcuts["&Save run..."] == QKeySequence(QKeySequence.StandardKey.Save)
    assert shortcuts["&Open run..."] == QKeySequence(QKeySequence.StandardKey.Open)
    assert shortcuts["Open &dataset..."] == QKeySequence("Ctrl+Shift+O")


def test_the_saved_message_is_visible_not_under_the_timeline_bar(window, qtbot, tmp_path):
    """The message was painted under the timeline bar and the status text hid meanwhile: a
    save said nothing anyone could see."""
    qtbot.waitExposed(window)
    path = save(window, qtbot, tmp_path / "seen")
    assert f"Saved the run to {path}" == window.statusBar().currentMessage()
    label = window.status.label
    window.status.show_snapshot(window.controller.latest_snapshot, False)  # a redraw meanwhile
    qtbot.waitUntil(label.isVisible)
    assert label.text().startswith("Saved the run to ") and label.text().endswith("seen.npz")
    # Nothing covers it: the widget at its middle is the label, beside the timeline bar.
    bar = window.timeline_bar
    assert bar.isVisible()
    here = label.mapTo(window, label.rect().center())
    assert window.childAt(here) is label
    bar_rect = bar.geometry().translated(bar.parentWidget().mapTo(window, bar.pos()) - bar.pos())
    label_rect = label.rect().translated(label.mapTo(window, label.rect().topLeft()))
    assert not bar_rect.intersects(label_rect)
    window.statusBar().clearMessage()  # when it times out, the training status again
    assert "step" in label.text()


def test_save_then_open_continues_the_saved_run(window, qtbot, tmp_path, monkeypatch):
    train(window, qtbot, 30)
    window.controller.set_learning_rate(0.25)
    path = save(window, qtbot, tmp_path / "lesson")  # ".npz" is added
    assert path.endswith("lesson.npz") and "Saved the run" in window.statusBar().currentMessage()
    saved_W = server_run(window.controller).classifier.W.copy()
    window.controller.set_learning_rate(0.1)
    window.controller.reset()
    qtbot.waitUntil(lambda: window.controller.latest_snapshot.step == 0)
    # File > Open run, the file dialog answered with the saved file.
    monkeypatch.setattr(
        "gui.run_files.QFileDialog.getOpenFileName", lambda *args: (path, RUN_FILTER)
    )
    next(a for a in window.actions() if a.text() == "&Open run...").trigger()
    qtbot.waitUntil(lambda: window.controller.latest_snapshot.step == 30)
    assert np.array_equal(window.controller.latest_snapshot.W, saved_W)
    assert window.controls.learning_rate.value() == pytest.approx(0.25)
    assert window.controller.settings.learning_rate == 0.25
    assert "Loaded run lesson.npz" in window.controls.message.text()
    train(window, qtbot, 12)
    reference = load_run(path)
    reference.evaluate_each_epoch = False
    reference.step(12)
    assert np.array_equal(server_run(window.controller).classifier.W, reference.classifier.W)


RUN_FILTER = "Softmax Lab runs (*.npz)"


def test_a_bad_run_file_is_a_banner_naming_it_and_nothing_changes(window, qtbot, tmp_path):
    train(window, qtbot, 3)
    run, step = server_run(window.controller), window.controller.latest_snapshot.step
    for name, data in (("cut.npz", None), ("notes.npz", b"lesson notes")):
        bad = tmp_path / name
        if data is None:
            good = tmp_path / "good.npz"
            save(window, qtbot, good)
            data = good.read_bytes()[:3000]
        bad.write_bytes(data)
        assert not window.run_files.load(bad)
        banner = window.banner_bar.banner
        assert window.banner_bar.isVisible() and banner.kind == "error"
        assert str(bad) in banner.text_label.text()
        assert "current run is unchanged" in banner.text_label.text()
        banner.dismiss()
    assert server_run(window.controller) is run
    assert window.controller.latest_snapshot.step == step


def test_a_refused_save_is_a_banner_saying_so(window, qtbot, tmp_path):
    window.run_files.save_to(tmp_path / "no such folder" / "run.npz")
    qtbot.waitUntil(window.banner_bar.isVisible)
    banner = window.banner_bar.banner
    assert "Could not save" in banner.title_label.text()
    assert "no such folder" in banner.text_label.text()
    banner.dismiss()


def test_load_at_start_as_the_command_line_does_it(window, qtbot, tmp_path, capsys):
    # softmax-lab --load RUN.npz [--screenshot]: the run is on screen before anything else.
    assert build_parser().parse_args(["--load", "run.npz"]).load == "run.npz"
    train(window, qtbot, 4)
    path = save(window, qtbot, tmp_path / "start.npz")
    step = window.controller.latest_snapshot.step
    train(window, qtbot, 5)
    assert _load_run(window, path, for_screenshot=True)
    assert window.controller.latest_snapshot.step == step
    assert not _load_run(window, tmp_path / "nowhere.npz", for_screenshot=True)
    assert "nowhere.npz: no such file" in capsys.readouterr().err
    window.banner_bar.banner.dismiss()


def test_a_moved_dataset_is_said_and_can_be_pointed_to(window, qtbot, tmp_path, monkeypatch,
                                                       data_file):  # fmt: skip
    # The last test: it moves the module's dataset file.
    train(window, qtbot, 9)
    step = window.controller.latest_snapshot.step
    path = save(window, qtbot, tmp_path / "on-file.npz")
    moved = tmp_path / "moved.npz"
    shutil.move(data_file, moved)
    run = server_run(window.controller)
    train(window, qtbot, 2)

    assert not window.run_files.load(path)
    banner = window.banner_bar.banner
    assert banner.kind == "warning" and "on-file.npz" in banner.text_label.text()
    assert str(data_file) in banner.text_label.text() and "moved" in banner.text_label.text()
    assert server_run(window.controller) is run  # untouched while the user looks for it
    monkeypatch.setattr("gui.run_files.ask_dataset_path", lambda parent: str(moved))
    banner.action_button.click()  # "Find the dataset..."
    qtbot.waitUntil(lambda: window.controller.latest_snapshot.step == step)
    assert window.controller.settings.dataset == str(moved)
    assert window.controller.dataset.n_train == 60
    assert server_run(window.controller) is not run
