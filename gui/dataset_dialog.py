"""Loading a dataset from the GUI: a file dialog, and a clear message when the file is bad.

The message is returned, not shown: the window puts it in its banner (gui/banner.py), so a bad
file never stops the lecture behind a modal dialog (issue 15)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from model import Dataset, DatasetError, load_dataset

FILE_FILTER = "Datasets (*.npz *-ubyte *-ubyte.gz *.gz);;All files (*)"


def ask_dataset_path(parent: QWidget | None) -> str | None:
    """Ask for an .npz or an IDX images file (its labels file is found beside it)."""
    path, _ = QFileDialog.getOpenFileName(
        parent, "Open an MNIST-style IDX file or a Keras .npz", str(Path.home()), FILE_FILTER
    )
    return path or None


def load_or_explain(source) -> tuple[Dataset | None, str]:
    """(load_dataset(source), "") or (None, the loader's message naming the file)."""
    try:
        return load_dataset(source), ""
    except DatasetError as error:
        return None, str(error)
    except OSError as error:  # an unreadable path that the loader did not name
        return None, f"{source}: {error}"
