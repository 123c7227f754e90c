"""Training clients for GUI tests: the real server, in this process (no spawn, no pipe)."""

from contextlib import contextmanager

from gui.training_client import TrainingClient
from model import load_dataset
from model.settings import RunSettings


def make_client(dataset="digits", speed=None, **settings) -> TrainingClient:
    """A client of an in-process TrainingServer on `dataset`, playing at `speed` (None: full)."""
    run_settings = RunSettings(dataset=dataset, **settings)
    return TrainingClient.in_process(load_dataset(dataset), run_settings, speed=speed)


def server_run(client: TrainingClient):
    """The TrainingRun behind an in-process client (what the process would hold)."""
    return client._transport.server.run


@contextmanager
def laid_out_window(qtbot, size, presentation=False, front=None, dataset="digits"):
    """A MainWindow on an in-process client, at `size`, laid out as a first start there (desk)
    or in presentation mode, with dock `front` raised; closed and shut down afterwards."""
    from PySide6.QtWidgets import QApplication

    from gui.main_window import MainWindow
    from gui.plotting import configure_pyqtgraph

    configure_pyqtgraph()
    client = make_client(dataset)
    window = MainWindow(client, None)
    qtbot.addWidget(window)
    try:
        window.show()
        if presentation:
            window.presentation.set_active(True)
            window.showNormal()
        window.resize(*size)
        if not presentation:
            window._arrange_default_layout()  # as a first start at this size lays it out
        if front is not None:
            window.docks[front].raise_()
        QApplication.processEvents()
        yield window
    finally:
        window.presentation.set_active(False)
        client.shutdown(2000)


def scripted_window(dataset, size, train_steps, presentation=False, front=None, plots=2):
    """A MainWindow (no qtbot: for scripts) at `size`, laid out as a first start (presentation
    mode: `plots` plots at once), trained `train_steps` and paused, dock `front` raised;
    returns (window, client). close_scripted() ends it."""
    from PySide6.QtWidgets import QApplication

    from gui.main_window import MainWindow
    from gui.plotting import configure_pyqtgraph

    configure_pyqtgraph()
    client = make_client(dataset)
    window = MainWindow(client, None)
    window.resize(*size)
    window.show()
    window._arrange_default_layout()
    if presentation:
        window.presentation.set_active(True, full_screen=False)
        window.presentation.set_plots_at_once(plots)
    client._transport.server.handle(("train", train_steps))
    client.poll()
    if front is not None:
        window.docks[front].raise_()
    for _ in range(20):
        QApplication.processEvents()
    return window, client


def close_scripted(window, client) -> None:
    """Out of presentation mode, the window closed, its training process ended."""
    window.presentation.set_active(False, full_screen=False)
    window.close()
    client.shutdown(2000)


def drawing_window(dataset, size, train_steps, presentation=False):
    """A scripted_window with the drawing panel in front; returns (window, client, panel)."""
    from gui.panels.drawing_panel import DrawingPanel

    window, client = scripted_window(dataset, size, train_steps, presentation, "DrawingPanel")
    return window, client, window.panel(DrawingPanel)


@contextmanager
def module_window(settings=None, size=(1280, 720), dataset="digits"):
    """A shown MainWindow on an in-process client (batch 16, seed 1) for a module's tests to
    share (a window takes about a second to build); closed and shut down afterwards."""
    from gui.main_window import MainWindow
    from gui.plotting import configure_pyqtgraph

    configure_pyqtgraph()
    window = MainWindow(make_client(dataset, batch_size=16, seed=1), settings)
    window.resize(*size)
    window.show()
    try:
        yield window
    finally:
        window.controller.shutdown(2000)
        window.close()
