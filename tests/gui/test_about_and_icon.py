"""Help -> About (version, libraries, data credits) and the app's icon."""

from __future__ import annotations

from importlib import metadata

import numpy
import pyqtgraph
import pytest
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSize
from PySide6.QtGui import QAction

from gui.about_dialog import AboutDialog, about_markdown
from gui.app_icon import app_icon
from model.version import __version__
from resources import ICON_SIZES
from tests.gui.clients import module_window


def test_about_names_the_version_the_libraries_and_the_credits():
    text = about_markdown("MNIST test set (the dataset in use)")
    assert f"Softmax Lab {__version__}" in text  # the one place it is written
    for name, version in (
        ("NumPy", numpy.__version__),
        ("PySide6", pyside_version),
        ("pyqtgraph", pyqtgraph.__version__),
        ("pooch", metadata.version("pooch")),
    ):
        assert f"{name.lower()} {version}" in text.lower(), name
    assert "Python 3." in text and "(Qt 6." in text
    assert "MNIST test set (the dataset in use)" in text
    assert "CC BY-SA 3.0" in text and "CC BY 4.0" in text and "Fashion-MNIST" in text


@pytest.fixture(scope="module")
def window(qapp):
    with module_window() as window:
        yield window


def test_help_about_opens_a_window_that_blocks_nothing(window, qtbot):
    (about,) = [a for a in window.findChildren(QAction) if a.text() == "About Softmax Lab"]
    about.trigger()
    dialog = window.about_dialog
    assert isinstance(dialog, AboutDialog) and dialog.isVisible() and not dialog.isModal()
    shown = dialog.text.toPlainText()
    assert "Softmax Lab" in shown and "Data credits" in shown
    assert window.controller.dataset.source in shown
    dialog.close()


def test_window_and_app_icon_at_every_size(window):
    icon = app_icon()
    sizes = {(s.width(), s.height()) for s in icon.availableSizes()}
    assert sizes == {(n, n) for n in ICON_SIZES}
    assert not window.windowIcon().isNull()
    assert window.windowIcon().availableSizes() == icon.availableSizes()
    assert not icon.pixmap(QSize(48, 48)).toImage().isNull()
