"""Notes a user can find (issue 16): the log file beside stderr, its rotation, warnings in it,
Help -> Show log, and the error banner's "Copy report". Every log here is in a temporary
folder (tests/conftest.py points the app's log folder at one too)."""

import subprocess
import sys
import warnings

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication

import gui.app
import gui.bug_report
import gui.main_window
from gui import logs
from gui.bug_report import copy_report, report_text, show_log
from model.version import __version__
from tests.gui.clients import make_client


@pytest.fixture
def log_file(tmp_path):
    path = logs.start_logging(tmp_path / "logs")
    yield path
    logs.stop_logging()


def test_a_note_goes_to_stderr_and_the_log_file(log_file, capsys):
    note = "saved zoom ignored (not a whole number: 'big')"
    logs.note(note)
    assert capsys.readouterr().err == f"softmax-lab: {note}\n"
    assert logs.log_path() == log_file
    assert logs.last_lines(1)[0].endswith(f"WARNING {note}")


def test_information_goes_to_the_file_only(log_file, capsys):
    logs.LOGGER.info("training process ready")
    assert capsys.readouterr().err == ""
    assert "training process ready" in log_file.read_text(encoding="utf-8")


def test_without_a_log_file_notes_still_reach_stderr(capsys):
    assert logs.log_path() is None and logs.last_lines() == []
    logs.note("a note")
    assert capsys.readouterr().err == "softmax-lab: a note\n"


def test_an_unwritable_folder_leaves_notes_on_stderr(tmp_path, capsys):
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    assert logs.start_logging(blocked / "logs") is None
    assert "no log file" in capsys.readouterr().err and logs.log_path() is None


def test_the_log_rotates(tmp_path, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 400)
    path = logs.start_logging(tmp_path)
    try:
        for i in range(60):
            logs.LOGGER.info("line %d of a long session", i)
    finally:
        logs.stop_logging()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["softmax-lab.log", *(f"softmax-lab.log.{i}" for i in (1, 2, 3))]
    assert all(p.stat().st_size <= 400 for p in tmp_path.iterdir())
    assert "line 59 of a long session" in path.read_text(encoding="utf-8")


def test_warnings_reach_the_log(log_file, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("a library is deprecated", DeprecationWarning, stacklevel=1)
    assert "a library is deprecated" in log_file.read_text(encoding="utf-8")
    assert "a library is deprecated" in capsys.readouterr().err


def test_the_default_folder_is_the_users_log_folder(monkeypatch):
    import platformdirs

    monkeypatch.delenv(logs.LOG_DIR_VARIABLE)
    assert logs.log_folder() == platformdirs.user_log_path("Softmax Lab", "SoftmaxLab")


def test_the_app_logs_to_the_folder_it_is_given(tmp_path):
    """The app, started with no display, says so on stderr and in its log (a fresh process)."""
    env = {"SOFTMAX_LAB_LOG_DIR": str(tmp_path), "PATH": "", "PYTHONPATH": ":".join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-m", "gui"], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 1 and "no display found" in done.stderr
    text = (tmp_path / logs.LOG_NAME).read_text(encoding="utf-8")
    assert f"INFO Softmax Lab {__version__} starting" in text
    assert "WARNING no display found" in text


def test_a_report_has_the_versions_and_the_last_log_lines(log_file, qapp):
    for i in range(50):
        logs.LOGGER.info("event %d", i)
    text = copy_report("ValueError: boom")
    assert QGuiApplication.clipboard().text() == text
    assert report_text("ValueError: boom").splitlines()[-1].endswith("copied to the clipboard")
    lines = text.splitlines()
    assert "Error: ValueError: boom" in lines and f"Softmax Lab: {__version__}" in lines
    assert any(line.startswith(("NumPy: ", "PySide6: ", "Qt: ", "pyqtgraph: ")) for line in lines)
    assert f"Log file: {log_file}" in lines
    assert lines[-1].endswith("event 49") and not any(line.endswith("event 9") for line in lines)


class Window:
    """Stands in for MainWindow: records its banner messages."""

    def __init__(self):
        self.messages = []

    def show_message(self, *args):
        self.messages.append(args)


@pytest.fixture
def opened(monkeypatch):
    urls, result = [], {"ok": True}

    class Desktop:
        @staticmethod
        def openUrl(url):  # noqa: N802 - Qt's name
            urls.append(url)
            return result["ok"]

    monkeypatch.setattr(gui.bug_report, "QDesktopServices", Desktop)
    return urls, result


def test_show_log_opens_the_file(log_file, opened):
    urls, _ = opened
    window = Window()
    assert show_log(window) and urls == [QUrl.fromLocalFile(str(log_file))]
    assert window.messages == []


def test_show_log_says_where_the_log_is_when_nothing_opens_it(log_file, opened, qapp):
    urls, result = opened
    result["ok"] = False
    window = Window()
    assert not show_log(window)
    kind, title, text, action, do = window.messages[0]
    assert (kind, title, action) == ("warning", "Could not open the log", "Copy path")
    assert str(log_file) in text
    do()
    assert QGuiApplication.clipboard().text() == str(log_file)


def test_show_log_without_a_log_file_says_so(opened):
    urls, _ = opened
    window = Window()
    assert not show_log(window) and urls == []
    assert window.messages[0][1] == "No log file"


def test_an_unexpected_error_offers_a_report_in_the_banner(qtbot, log_file, monkeypatch, capsys):
    from gui.main_window import MainWindow

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    window = MainWindow(make_client("blobs"), None)
    qtbot.addWidget(window)
    window.show()
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert "Show &log" in [action.text() for action in help_menu.actions()]
    window._about()  # a window of its own now (gui/about_dialog.py), not a modal box
    assert f"Softmax Lab {__version__}" in window.about_dialog.text.toPlainText()
    window.about_dialog.close()
    gui.app._install_excepthook()
    try:
        raise ValueError("boom")
    except ValueError as error:
        sys.excepthook(type(error), error, error.__traceback__)
    banner = window.banner_bar.banner
    assert banner.kind == "error" and "ValueError: boom" in banner.text_label.text()
    assert banner.action_button.text() == "Copy report"
    banner.action_button.click()
    report = QGuiApplication.clipboard().text()
    assert report.startswith("Softmax Lab bug report") and "Error: ValueError: boom" in report
    assert 'raise ValueError("boom")' in report  # the traceback, from the log's last lines
    assert "Traceback" in capsys.readouterr().err
    window.controller.shutdown()
    window.close()
