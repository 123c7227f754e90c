"""File -> Get more data...: download the full MNIST or Fashion-MNIST without stopping the window.

The user picks a dataset (and, at a school, a mirror) in a small dialog; the download runs in a
thread and a progress dialog with Cancel follows it while the window keeps drawing. The
outcome is a banner: the new dataset in the Dataset list (and a button to use it now), or what
went wrong, with the current dataset and run untouched.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from model.datasets.downloads import (
    MIRROR_ENV,
    REMOTE_DATASETS,
    DownloadCancelled,
    DownloadError,
    RemoteDataset,
    cache_folder,
    download,
    is_downloaded,
    mirror_base,
)

#: The QSettings key of the mirror a school set in the dialog.
MIRROR_KEY = "data_mirror"
#: Progress reports per download at most (a signal per 64 KiB chunk would be thousands).
PROGRESS_STEPS = 500


def megabytes(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


class DownloadWorker(QObject):
    """One download in a thread. `progressed(done, total)` in bytes; `finished(outcome,
    message)` once, with outcome "done", "failed" or "cancelled" (signals cross to the GUI
    thread queued)."""

    progressed = Signal(int, int)
    finished = Signal(str, str)

    def __init__(self, name, mirror=None, cache=None, dataset=None, parent=None):
        super().__init__(parent)
        self.name, self.mirror, self.cache, self.dataset = name, mirror, cache, dataset
        self._cancel = threading.Event()
        self._reported = -1
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="download", daemon=True)
        self.thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout: float) -> None:
        if self.thread is not None:
            self.thread.join(timeout)

    def _progress(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise DownloadCancelled
        step = done * PROGRESS_STEPS // max(total, 1)
        if step != self._reported:
            self._reported = step
            self.progressed.emit(done, total)

    def _run(self) -> None:
        try:
            download(self.name, self.mirror, self._progress, self.cache, self.dataset)
        except DownloadCancelled:
            self.finished.emit("cancelled", "")
        except DownloadError as error:
            self.finished.emit("failed", str(error))
        except Exception as error:  # noqa: BLE001 - a thread's error must reach the window
            self.finished.emit("failed", f"unexpected error: {error!r}")
        else:
            self.finished.emit("done", "")


class GetMoreDataDialog(QDialog):
    """Which dataset to download, and from where (the official address or a mirror)."""

    def __init__(self, mirror: str, cache: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Get more data")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Download a full dataset (60,000 training and 10,000 test images) into<br>"
            f"<tt>{cache}</tt>. It then appears in the Dataset list."
        )
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(intro)
        self.choices = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for name, remote in REMOTE_DATASETS.items():
            there = is_downloaded(name, cache)
            text = f"{remote.title} ({megabytes(remote.total_bytes)})"
            button = QRadioButton(text + (": downloaded" if there else ""))
            button.setEnabled(not there)
            button.setAccessibleName(remote.title)
            self.choices.addButton(button)
            self.buttons[name] = button
            layout.addWidget(button)
        first = next((b for b in self.buttons.values() if b.isEnabled()), None)
        if first is not None:
            first.setChecked(True)
        layout.addWidget(QLabel("Mirror (for a school's own copy; empty: the official address):"))
        self.mirror = QLineEdit(mirror)
        self.mirror.setAccessibleName("Mirror")
        self.mirror.setPlaceholderText(f"https://... (or set ${MIRROR_ENV})")
        self.mirror.setToolTip(
            "Files are fetched from <mirror>/mnist-full/ and <mirror>/fashion-mnist/ under their "
            "usual names (train-images-idx3-ubyte.gz, ...), and checked against the published "
            "SHA-256 checksums wherever they come from."
        )
        layout.addWidget(self.mirror)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.download_button = box.addButton("Download", QDialogButtonBox.ButtonRole.AcceptRole)
        self.download_button.setEnabled(first is not None)
        box.accepted.connect(self._check)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def chosen(self) -> str | None:
        return next((n for n, b in self.buttons.items() if b.isChecked() and b.isEnabled()), None)

    def _check(self) -> None:
        text = self.mirror.text().strip()
        if text and not text.startswith(("http://", "https://")):
            self.problem.setText(f"The mirror must be an http:// or https:// address: {text}")
            self.problem.show()
            return
        self.accept()


class DataDownloads(QObject):
    """The window's downloads: the dialogs, one download at a time, and the outcome's banner.

    `window` is the MainWindow (its banner, controls and settings); `datasets` is the pinned
    table (tests pin their own files).
    """

    def __init__(self, window, datasets=None):
        super().__init__(window)
        self.window = window
        self.datasets: dict[str, RemoteDataset] = datasets or REMOTE_DATASETS
        self.worker: DownloadWorker | None = None
        self.progress: QProgressDialog | None = None
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.cancel)

    @property
    def settings(self) -> QSettings | None:
        return self.window.settings

    def saved_mirror(self) -> str:
        value = None if self.settings is None else self.settings.value(MIRROR_KEY)
        return value if isinstance(value, str) else ""

    def open_dialog(self) -> None:
        """Ask which dataset; download it (one download at a time)."""
        if self.worker is not None:
            self.progress.show()
            self.progress.raise_()
            return
        dialog = GetMoreDataDialog(self.saved_mirror(), cache_folder(), self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen():
            mirror = dialog.mirror.text().strip()
            if self.settings is not None:
                self.settings.setValue(MIRROR_KEY, mirror)
            self.start(dialog.chosen(), mirror_base(mirror))

    def start(self, name: str, mirror: str | None) -> DownloadWorker:
        """Download `name` from `mirror` (None: the official address) in a thread."""
        remote = self.datasets[name]
        self.worker = DownloadWorker(name, mirror, None, remote, parent=self)
        self.progress = QProgressDialog(
            f"Downloading {remote.title}...", "Cancel", 0, PROGRESS_STEPS, self.window
        )
        self.progress.setWindowTitle("Get more data")
        self.progress.setWindowModality(Qt.WindowModality.NonModal)  # the window stays live
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancel)
        self.worker.progressed.connect(self._progressed)
        self.worker.finished.connect(self._finished)
        self.progress.show()
        self.worker.start()
        return self.worker

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            if self.progress is not None:
                self.progress.setLabelText("Cancelling...")

    def _progressed(self, done: int, total: int) -> None:
        if self.progress is None:
            return
        self.progress.setValue(done * PROGRESS_STEPS // max(total, 1))
        title = self.datasets[self.worker.name].title
        self.progress.setLabelText(f"Downloading {title}: {megabytes(done)} of {megabytes(total)}")

    def _finished(self, outcome: str, message: str) -> None:
        name = self.worker.name
        title = self.datasets[name].title
        self.worker.wait(5)
        self.worker.deleteLater()
        self.worker = None
        self.progress.close()
        self.progress.deleteLater()
        self.progress = None
        in_use = self.window.controller.dataset.name
        if outcome == "done":
            self.window.controls.refresh_dataset_list()
            self.window.show_message(
                "info", "Downloaded", f"{title} is now in the Dataset list as {name}.",
                "Use it now", lambda: self.window.controls.load(name),
            )  # fmt: skip
        elif outcome == "cancelled":
            self.window.show_message(
                "info", "Download cancelled", f"Nothing was kept; still training on {in_use}."
            )
        else:
            self.window.show_message("error", "Download failed", message)
