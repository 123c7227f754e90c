"""Help -> About: what the app is, its version, the versions of the libraries it runs on, and
the credits of the data (resources/CREDITS.md) and of the dataset in use."""

from __future__ import annotations

import platform
from importlib import metadata

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from model.version import __version__
from resources import resource_path

#: The libraries the About box names, by distribution name.
LIBRARIES = ("numpy", "pyqtgraph", "pooch", "platformdirs")


def version_of(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def about_markdown(dataset_source: str) -> str:
    """The About box's text, as Markdown."""
    libraries = [
        f"- Python {platform.python_version()}",
        f"- PySide6 {pyside_version} (Qt {qVersion()})",
        *(f"- {name} {version_of(name)}" for name in LIBRARIES),
    ]
    credits = resource_path("CREDITS.md").read_text(encoding="utf-8")
    credits = credits.replace("# Credits for the data Softmax Lab ships", "## Data credits", 1)
    return "\n".join(
        [
            f"# Softmax Lab {__version__}",
            "",
            "Watch a softmax classifier learn by minibatch gradient descent: the weights W, the"
            " softmax Jacobian, the loss, the confusion matrix and the binary output network"
            " with threshold p. Every formula is in docs/math.md. MIT licence.",
            "",
            "## Running on",
            "",
            *libraries,
            "",
            "## The dataset in use",
            "",
            dataset_source,
            "",
            credits,
        ]
    )


class AboutDialog(QDialog):
    """Not modal: the window (and the keys) stay live while it is open."""

    def __init__(self, dataset_source: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("About Softmax Lab")
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.text.setMarkdown(about_markdown(dataset_source))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        em = self.fontMetrics().height()
        self.resize(46 * em, 34 * em)
