"""File > Save run and Open run: the file dialogs, the checks before a load, and the messages.

A run file is checked here first (its header, and its dataset where the file says it is, by
SHA-256: model/run_file.py); only then is the training process asked to load it, so a bad file
or a missing dataset never touches the run on screen. A dataset file that has moved or changed
is said in the banner, whose button asks for it (a file dialog: the user must choose).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from gui.dataset_dialog import ask_dataset_path
from model import Dataset, DatasetError, load_dataset
from model.run_file import RunFileError, dataset_fingerprint, read_run_header

RUN_FILTER = "Softmax Lab runs (*.npz);;All files (*)"


class RunFiles(QObject):
    """Saves and loads runs for `window` (a MainWindow) through its training client.

    `loading` is the path of a load sent to the process and not yet answered. `last_error`:
    what the last refused save or load was told (None after a success)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.client = window.controller
        self.last_path: str | None = None
        self.loading: str | None = None
        self.last_error: str | None = None
        self.client.run_saved.connect(self._saved)
        self.client.run_file_failed.connect(self._refused)
        self.client.run_replaced.connect(self._replaced)

    # ------------------------------------------------------------------ saving
    def save(self) -> None:
        """Ask where (a file dialog), then save the run there."""
        start = self.last_path or str(Path.home() / "softmax-lab-run.npz")
        path, _ = QFileDialog.getSaveFileName(self.window, "Save the run", start, RUN_FILTER)
        if path:
            self.save_to(path)

    def save_to(self, path) -> None:
        """Save the run to `path` (".npz" added if missing); the status bar says when done."""
        path = Path(path)
        if path.suffix.lower() != ".npz":
            path = path.with_name(path.name + ".npz")
        self.client.save_run(str(path))

    def _saved(self, path: str) -> None:
        self.last_path, self.last_error = path, None
        self.window.statusBar().showMessage(f"Saved the run to {path}", 8000)

    # ------------------------------------------------------------------ loading
    def open(self) -> None:
        """Ask for a run file (a file dialog), then load it."""
        start = str(Path(self.last_path).parent) if self.last_path else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self.window, "Open a saved run", start, RUN_FILTER)
        if path:
            self.load(path)

    def load(self, path) -> bool:
        """Load the run saved in `path` if it and its dataset check out; otherwise a banner
        says why (and offers to find a moved dataset). True if the load was sent."""
        path = str(path)
        try:
            header = read_run_header(path)
        except RunFileError as error:
            self._failed(str(error))
            return False
        identity = header["dataset"]
        source = identity["source"]
        try:
            dataset = load_dataset(source)
        except (DatasetError, OSError) as error:
            return self._ask_for_dataset(path, identity, f"cannot be loaded from {source} "
                                         f"({error}): has it moved?")  # fmt: skip
        if dataset_fingerprint(dataset) != identity["sha256"]:
            return self._ask_for_dataset(path, identity, f"at {source} has changed since")
        return self._send(path, dataset, source)

    def find_dataset(self, path: str, identity: dict) -> bool:
        """Ask for the run's dataset file (a file dialog), check it, then load the run."""
        found = ask_dataset_path(self.window)
        return bool(found) and self.load_with_dataset(path, identity, found)

    def load_with_dataset(self, path: str, identity: dict, source: str) -> bool:
        """Load the run in `path` on the dataset in `source` if it is the run's own."""
        try:
            dataset = load_dataset(source)
        except (DatasetError, OSError) as error:
            return self._ask_for_dataset(path, identity, f"was looked for in {source}: {error}")
        if dataset_fingerprint(dataset) != identity["sha256"]:
            return self._ask_for_dataset(
                path, identity, f"is not {source}: that file holds other data"
            )
        return self._send(path, dataset, source)

    def _ask_for_dataset(self, path: str, identity: dict, problem: str) -> bool:
        name = Path(path).name
        self.last_error = (
            f"{name}: the dataset it was trained on ({identity['name']}) {problem}. Point to "
            "the original file to open the run; the current run goes on."
        )
        self.window.show_message(
            "warning",
            "Run's dataset not found",
            self.last_error,
            "Find the dataset...",
            lambda: self.find_dataset(path, identity),
        )
        return False

    def _send(self, path: str, dataset: Dataset, source: str) -> bool:
        self.loading = path
        self.client.load_run(path, dataset, source)
        return True

    def _replaced(self, reason: str) -> None:
        if self.loading is not None:
            self.last_path, self.loading, self.last_error = self.loading, None, None

    def _refused(self, message: str) -> None:
        """The training process refused a save or a load (nothing changed there)."""
        self._failed(message, "Could not open the run" if self.loading else "Could not save")

    def _failed(self, message: str, title: str = "Could not open the run") -> None:
        text = f"{message.rstrip('.')}. The current run is unchanged."
        self.last_error = text
        self.window.show_message("error", title, text)
        self.loading = None
