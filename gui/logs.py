"""Notes a user can find: everything the app says outside its window goes to stderr (a
terminal) and to a rotating log file in the user's log folder, which a start from the Start
menu, the Dock or `pythonw` has no terminal to show.

`note(message)` is the one way to say something outside the window; `start_logging()` (the
app calls it once, after parsing its command line) adds the file and routes Python's warnings
there too. Before it, and in tests that do not start the app, notes go to stderr only.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from collections import deque
from pathlib import Path

#: Tests, benchmarks and scripts point this at a folder of their own (never the user's).
LOG_DIR_VARIABLE = "SOFTMAX_LAB_LOG_DIR"
LOG_NAME = "softmax-lab.log"
#: One file up to this size, then it is renamed .1 (.1 to .2 ...) and a new one starts.
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3

LOGGER = logging.getLogger("softmax_lab")
_WARNINGS = logging.getLogger("py.warnings")


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a note is made (pytest's capture swaps it), and
    to nothing where there is none (a windowed bundle on Windows sets it to None)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass

    def emit(self, record: logging.LogRecord) -> None:
        if sys.stderr is not None:
            super().emit(record)


_stderr = _StderrHandler()
_stderr.setFormatter(logging.Formatter("softmax-lab: %(message)s"))
LOGGER.addHandler(_stderr)
LOGGER.setLevel(logging.INFO)
_stderr.setLevel(logging.WARNING)  # a terminal hears what went wrong; the file hears more
LOGGER.propagate = False
_file_handler: logging.handlers.RotatingFileHandler | None = None


def note(message: str) -> None:
    """Something the user should know that has no place in the window (a refused saved value,
    a fallback): stderr and the log file."""
    LOGGER.warning(message)


def log_folder() -> Path:
    """The user's log folder: ~/.local/state/Softmax Lab/log on Linux, ~/Library/Logs/Softmax
    Lab on macOS, %LOCALAPPDATA%\\SoftmaxLab\\Softmax Lab\\Logs on Windows (platformdirs)."""
    override = os.environ.get(LOG_DIR_VARIABLE)
    if override:
        return Path(override)
    import platformdirs

    return platformdirs.user_log_path("Softmax Lab", "SoftmaxLab")


def start_logging(folder: Path | None = None) -> Path | None:
    """Add the rotating log file (in `folder`, default log_folder()); returns its path, or
    None if the folder cannot be written (then notes stay on stderr, and one says why)."""
    global _file_handler
    stop_logging()
    folder = Path(folder) if folder is not None else log_folder()
    path = folder / LOG_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError as error:
        note(f"no log file ({error}); notes go to stderr only")
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    LOGGER.addHandler(handler)
    _file_handler = handler
    # Warnings (NumPy's, Qt's Python-side ones) reach the file as well as stderr.
    logging.captureWarnings(True)
    _WARNINGS.addHandler(handler)
    _WARNINGS.addHandler(_stderr)
    _WARNINGS.propagate = False
    return path


def stop_logging() -> None:
    """Close the log file (the app at exit; tests between apps)."""
    global _file_handler
    if _file_handler is None:
        return
    for logger in (LOGGER, _WARNINGS):
        logger.removeHandler(_file_handler)
    _WARNINGS.removeHandler(_stderr)
    logging.captureWarnings(False)
    _file_handler.close()
    _file_handler = None


def log_path() -> Path | None:
    """The log file being written, or None before start_logging() (or if it failed)."""
    return None if _file_handler is None else Path(_file_handler.baseFilename)


def flush() -> None:
    """Everything noted so far is in the file (before it is read or opened)."""
    if _file_handler is not None:
        _file_handler.flush()


def last_lines(n: int = 40) -> list[str]:
    """The log file's last `n` lines (none without a file)."""
    path = log_path()
    if path is None or not path.exists():
        return []
    flush()
    with open(path, encoding="utf-8", errors="replace") as lines:
        return [line.rstrip("\n") for line in deque(lines, maxlen=n)]
