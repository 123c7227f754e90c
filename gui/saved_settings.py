"""Reading saved settings (QSettings) so that nothing saved can stop the app.

Every number goes through model.settings' table: a value that would be refused anywhere else
(a word, nan, a seed past 2**31, a learning rate of 1e9) gives the default and one note (stderr
and the log file, gui/logs.py) naming the key, the value and the default. A saved window
geometry or layout that is not a byte array is ignored the same way.

Values come back as each QSettings backend stores them: text from an INI file (Linux, and the
tests), numbers, booleans and lists from a macOS plist, strings and 32-bit numbers from the
Windows registry, QByteArray for saved bytes; tests/gui/test_settings_backends.py feeds all of
them through the native format and INI.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from gui.logs import note
from model.datasets import BUILTIN_DATASETS
from model.datasets.downloads import named_datasets
from model.settings import SETTINGS, checked_or_default


def saved_setting(settings: QSettings | None, name: str):
    """Setting `name` (a key of model.settings.SETTINGS) as saved, checked; else its default."""
    raw = None if settings is None else settings.value(name)
    if raw is None:
        return SETTINGS[name].default
    value, problem = checked_or_default(name, raw)
    if problem:
        note(problem)
    return value


def saved_int(settings: QSettings | None, key: str, default: int) -> int:
    """A saved whole number that is in no table (the layout version, the zoom); else default."""
    raw = None if settings is None else settings.value(key)
    if raw is None:
        return default
    try:
        value = float(raw)
        if value.is_integer() and not isinstance(raw, bool):  # a plist's true is no number
            return int(value)
    except (TypeError, ValueError, OverflowError):
        pass
    note(f"saved {key} ignored (not a whole number: {raw!r}); using the default {default}")
    return default


def saved_bytes(settings: QSettings | None, key: str) -> QByteArray | None:
    """A saved geometry or window state, or None if there is none or it is not a byte array."""
    raw = None if settings is None else settings.value(key)
    if raw is None or isinstance(raw, QByteArray):
        return raw
    if isinstance(raw, bytes):  # a backend that hands back Python bytes
        return QByteArray(raw)
    note(f"saved {key} ignored (not Qt's saved bytes: {raw!r:.40}); using the default layout")
    return None


def saved_dataset(settings: QSettings | None) -> str:
    """The saved dataset's name, a built-in or a downloaded one (only those are saved: a file
    may be gone next time); anything else, or a download since deleted, is noted and gives
    the first built-in, mnist."""
    default = BUILTIN_DATASETS[0]
    raw = None if settings is None else settings.value("dataset")
    if raw is None:
        return default
    if isinstance(raw, str) and raw.strip().lower() in named_datasets():
        return raw.strip().lower()
    note(
        f"saved dataset ignored (not a built-in or downloaded dataset: {raw!r:.60});"
        f" using {default}"
    )
    return default
