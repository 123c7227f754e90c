"""Reading saved settings (QSettings) so that nothing saved can stop the app.

Every number goes through model.settings' table: a value that would be refused anywhere else
(a word, nan, a seed past 2**31, a learning rate of 1e9) gives the default and one line on
stderr naming the key, the value and the default. A saved window geometry or layout that is
not a byte array is ignored the same way.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QByteArray, QSettings

from model.settings import SETTINGS, checked_or_default


def note(message: str) -> None:
    print(f"softmax-lab: {message}", file=sys.stderr)


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
        if value.is_integer():
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
    note(f"saved {key} ignored (not Qt's saved bytes: {raw!r:.40}); using the default layout")
    return None
