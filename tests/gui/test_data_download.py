"""File -> Get more data...: a download in a thread with a live progress dialog, and its banner
(success, checksum refused, server down, cancel), against a local HTTP server."""

from __future__ import annotations

import shutil
import threading

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QPushButton

from gui import data_download
from gui.data_download import MIRROR_KEY, GetMoreDataDialog
from gui.saved_settings import saved_dataset
from model.datasets import downloads
from model.datasets.downloads import REMOTE_DATASETS, is_downloaded
from tests.data_server import closed_port_url, mirror_of_embedded, serving
from tests.gui.clients import module_window

GATE = threading.Event()  # the server answers while it is set


@pytest.fixture(scope="module")
def mirror(tmp_path_factory):
    """(the server's URL, a table pinning 500 embedded t10k images under mnist-full's names)."""
    root = tmp_path_factory.mktemp("mirror")
    pinned = mirror_of_embedded(root, n=500)
    GATE.set()
    with serving(root, GATE) as url:
        yield url, pinned


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """The user cache folder for the module's tests (emptied before each by `window`)."""
    folder = tmp_path_factory.mktemp("user") / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(downloads, "cache_folder", lambda: folder)
        patch.setattr(data_download, "cache_folder", lambda: folder)
        yield folder


@pytest.fixture(scope="module")
def shared_window(qapp, tmp_path_factory, cache):
    path = tmp_path_factory.mktemp("settings") / "settings.ini"
    with module_window(QSettings(str(path), QSettings.Format.IniFormat)) as window:
        yield window


@pytest.fixture
def window(qtbot, shared_window, cache, mirror):
    """The shared window on digits, no banner, an empty cache, mnist-full pinned to the mirror."""
    shutil.rmtree(cache, ignore_errors=True)
    shared_window.banner_bar.banner.dismiss()
    shared_window.downloads.datasets = {**REMOTE_DATASETS, "mnist-full": mirror[1]}
    shared_window.controls.refresh_dataset_list()
    assert shared_window.controller.dataset.name == "digits"
    return shared_window


def run_download(qtbot, window, url, cancel=False) -> list:
    """Start a download of mnist-full from `url`, optionally press Cancel before the server
    answers, and wait for its outcome.

    The outcome is caught where the window takes it, connected before the thread starts: a
    download to a closed port fails at once, and a signal spy connected after `start` missed
    it (the test waited its 30 s out, now and then)."""
    downloads, outcomes = window.downloads, []
    handle = downloads._finished

    def caught(outcome: str, message: str) -> None:
        outcomes.append([outcome, message])
        handle(outcome, message)

    downloads._finished = caught  # what `start` connects the worker's `finished` to
    if cancel:
        GATE.clear()
    try:
        downloads.start("mnist-full", url)
        assert downloads.progress.isVisible()  # up while it runs; the window is live
        if cancel:
            downloads.progress.findChild(QPushButton).click()  # Cancel
            assert downloads.progress.labelText() == "Cancelling..."
    finally:
        GATE.set()
    try:
        qtbot.waitUntil(lambda: len(outcomes) > 0, timeout=30_000)
    finally:
        del downloads._finished
    assert downloads.progress is None  # the dialog went with the download
    return outcomes[0]


def items(window):
    box = window.controls.dataset_box
    return [box.itemText(i) for i in range(box.count())]


def banner(window):
    b = window.banner_bar.banner
    return b.kind, b.title_label.text(), b.text_label.text()


def nothing_kept(cache) -> bool:
    return not cache.exists() or list(cache.rglob("*")) == []


def test_checksum_refused_keeps_the_dataset(qtbot, window, mirror, cache):
    window.downloads.datasets = REMOTE_DATASETS  # the published checksums: not these files
    assert run_download(qtbot, window, mirror[0])[0] == "failed"
    kind, title, text = banner(window)
    assert kind == "error" and "Download failed" in title
    assert "published SHA-256" in text
    assert nothing_kept(cache)
    assert window.controller.dataset.name == "digits" and "mnist-full" not in items(window)


def test_server_down(qtbot, window, cache):
    outcome, message = run_download(qtbot, window, closed_port_url())
    assert outcome == "failed" and "no connection to 127.0.0.1" in message
    assert banner(window)[0] == "error" and "offline" in banner(window)[2]
    assert nothing_kept(cache)


def test_cancel_from_the_progress_dialog(qtbot, window, mirror, cache):
    assert run_download(qtbot, window, mirror[0], cancel=True) == ["cancelled", ""]
    assert banner(window)[1:] == (
        "<b>Download cancelled</b>",
        "Nothing was kept; still training on digits.",
    )
    assert nothing_kept(cache)


def test_dialog_checks_the_mirror_and_marks_what_is_there(qtbot, window, mirror, cache):
    dialog = GetMoreDataDialog("ftp://school", cache, window)
    qtbot.addWidget(dialog)
    assert dialog.chosen() == "mnist-full"
    dialog.download_button.click()  # not an http(s) address: said, and the dialog stays
    assert dialog.result() != QDialog.DialogCode.Accepted and "http://" in dialog.problem.text()
    dialog.mirror.setText("http://school.example/data")
    dialog.download_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    downloads.download("mnist-full", mirror[0], cache=cache, dataset=mirror[1])
    again = GetMoreDataDialog("", cache, window)
    qtbot.addWidget(again)
    assert not again.buttons["mnist-full"].isEnabled()
    assert again.buttons["mnist-full"].text().endswith(": downloaded")
    assert again.chosen() == "fashion-mnist"


def test_a_saved_download_starts_the_app_while_it_is_there(mirror, cache, tmp_path, capsys):
    shutil.rmtree(cache, ignore_errors=True)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("dataset", "mnist-full")
    assert saved_dataset(settings) == "mnist" and "mnist-full" in capsys.readouterr().err
    downloads.download("mnist-full", mirror[0], cache=cache, dataset=mirror[1])
    assert saved_dataset(settings) == "mnist-full" and capsys.readouterr().err == ""


def test_the_window_saves_the_mirror_and_downloads_from_it(window, monkeypatch):
    started = []
    monkeypatch.setattr(window.downloads, "start", lambda name, url: started.append((name, url)))

    def accept_as_shown(dialog):
        assert dialog.mirror.text() == "http://lab.example/"  # the saved mirror, shown
        dialog.mirror.setText("http://school.example/")
        dialog._check()
        return dialog.result()

    monkeypatch.setattr(GetMoreDataDialog, "exec", accept_as_shown)
    window.settings.setValue(MIRROR_KEY, "http://lab.example/")
    window.downloads.open_dialog()
    assert started == [("mnist-full", "http://school.example/")]
    assert window.settings.value(MIRROR_KEY) == "http://school.example/"


# Last: it leaves the shared window on mnist-full.
def test_download_lists_the_dataset_and_use_it_now(qtbot, window, mirror, cache):
    assert "mnist-full" not in items(window)
    assert run_download(qtbot, window, mirror[0]) == ["done", ""]
    assert is_downloaded("mnist-full", cache)
    kind, title, text = banner(window)
    assert kind == "info" and "Downloaded" in title and "Dataset list as mnist-full" in text
    assert items(window)[:4] == ["mnist", "digits", "blobs", "mnist-full"]
    assert window.controller.dataset.name == "digits"  # nothing changes until asked
    window.banner_bar.banner.action_button.click()  # "Use it now"
    qtbot.waitUntil(lambda: window.controller.dataset.name == "mnist-full", timeout=20_000)
    assert window.controller.dataset.n_train == 500  # the served copy
    assert window.controls.dataset_box.currentText() == "mnist-full"
    assert window.dataset_choice.builtin  # saved, and loaded by name at the next start
