"""Loading a dataset from the GUI: a file dialog, and a clear message when the file is bad."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from model import Dataset, DatasetError, load_dataset

FILE_FILTER = "Datasets (*.npz *-ubyte *-ubyte.gz *.gz);;All files (*)"


def ask_dataset_path(parent: QWidget | None) -> str | None:
    """Ask for an .npz or an IDX images file (its labels file is found beside it)."""
    path, _ = QFileDialog.getOpenFileName(
        parent, "Open an MNIST-style IDX file or a Keras .npz", str(Path.home()), FILE_FILTER
    )
    return path or None


def load_or_explain(source, parent: QWidget | None = None) -> Dataset | None:
    """load_dataset(source), or None after a dialog with the loader's message."""
    try:
        return load_dataset(source)
    except DatasetError as error:
        QMessageBox.warning(parent, "Could not load the dataset", str(error))
    except OSError as error:  # an unreadable path that the loader did not name
        QMessageBox.warning(parent, "Could not load the dataset", f"{source}: {error}")
    return None
