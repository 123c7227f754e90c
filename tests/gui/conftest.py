"""Fixtures the GUI tests share; a test module's own fixture of the same name wins."""

import pytest

from gui.plotting import configure_pyqtgraph
from model import load_dataset


@pytest.fixture(autouse=True)
def _pyqtgraph_config():
    """pyqtgraph's options as the app sets them (light background, row-major images)."""
    configure_pyqtgraph()


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


@pytest.fixture(scope="module")
def blobs():
    return load_dataset("blobs")
