"""What a user can hand to a bug report: the versions and the log's last lines (the error
banner's "Copy report"), and the log file itself (Help -> Show log)."""

from __future__ import annotations

import platform
import sys

from PySide6.QtCore import QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication

from gui import logs
from model.version import __version__

#: How many of the log's last lines a report carries.
REPORT_LINES = 40


def versions() -> dict[str, str]:
    """The versions a bug report needs, by name."""
    import numpy
    import pyqtgraph
    import PySide6

    return {
        "Softmax Lab": __version__ + (" (bundle)" if getattr(sys, "frozen", False) else ""),
        "Python": platform.python_version(),
        "system": platform.platform(),
        "NumPy": numpy.__version__,
        "PySide6": PySide6.__version__,
        "Qt": qVersion(),
        "pyqtgraph": pyqtgraph.__version__,
    }


def report_text(error: str = "") -> str:
    """A plain-text report: the error, the versions, where the log is, its last lines."""
    lines = ["Softmax Lab bug report", ""]
    if error:
        lines += [f"Error: {error}", ""]
    lines += [f"{name}: {value}" for name, value in versions().items()]
    path = logs.log_path()
    lines += ["", f"Log file: {path if path is not None else 'none (stderr only)'}"]
    tail = logs.last_lines(REPORT_LINES)
    if tail:
        lines += [f"Last {len(tail)} lines of the log:", *tail]
    return "\n".join(lines) + "\n"


def copy_report(error: str = "") -> str:
    """Put the report on the clipboard (to paste into an issue or an e-mail); returns it."""
    text = report_text(error)
    QGuiApplication.clipboard().setText(text)
    logs.LOGGER.info("bug report copied to the clipboard")
    return text


def show_log(window) -> bool:
    """Open the log file in the system's viewer; if there is none or it will not open, the
    window's banner says where the log is (and offers to copy the path). True if opened."""
    path = logs.log_path()
    if path is None or not path.exists():
        window.show_message(
            "warning", "No log file", "This session writes its notes to stderr only."
        )
        return False
    logs.flush()
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    window.show_message(
        "warning",
        "Could not open the log",
        f"No program opened it; the log is {path}",
        "Copy path",
        lambda: QGuiApplication.clipboard().setText(str(path)),
    )
    return False
