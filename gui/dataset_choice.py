"""The dataset in use, as the user chose it: one small model the controls show and settings save."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from model.datasets import BUILTIN_DATASETS
from model.datasets.downloads import REMOTE_DATASETS


class DatasetChoice(QObject):
    """The name of the dataset training uses: a built-in one or a file the user opened."""

    changed = Signal(str)

    def __init__(self, name: str = BUILTIN_DATASETS[0], parent: QObject | None = None):
        super().__init__(parent)
        self._name = self._valid(name)

    @property
    def name(self) -> str:
        return self._name

    @property
    def builtin(self) -> bool:
        """A dataset the app ships, makes or downloads (one a next start can load by name)."""
        return self._name in BUILTIN_DATASETS or self._name in REMOTE_DATASETS

    def set_name(self, name: str) -> None:
        name = self._valid(name)
        if name != self._name:
            self._name = name
            self.changed.emit(name)

    @staticmethod
    def _valid(name: str) -> str:
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"a dataset name must be a non-empty string, got {name!r}")
        return name
