"""The status bar text: epoch, step, speed, loss, test accuracy."""

from PySide6.QtWidgets import QStatusBar

from gui.formatting import compact
from gui.status import TrainingStatus
from model import TrainingRun, load_dataset


def test_status_describes_the_snapshot(qtbot):
    bar = QStatusBar()
    qtbot.addWidget(bar)
    status = TrainingStatus(bar)
    run = TrainingRun(load_dataset("digits"), batch_size=100, random_state=0)
    run.step(20)
    run.evaluate()
    snap = run.snapshot()
    status.show_snapshot(snap, playing=False)
    text = status.label.text()
    assert f"Epoch {snap.epoch} ({snap.epoch_progress:.0%})" in text
    assert "step 20" in text and "paused" in text
    assert f"loss {compact(snap.last_loss)}" in text
    assert f"test accuracy {snap.last_test_accuracy:.1%}" in text
    status.show_snapshot(snap, playing=True)
    assert "samples/s" in status.label.text()


def test_status_says_diverged():
    import dataclasses

    run = TrainingRun(load_dataset("blobs"))
    snap = dataclasses.replace(run.snapshot(), diverged=True)
    status = TrainingStatus.__new__(TrainingStatus)
    status.samples_per_second = 0.0
    assert "DIVERGED" in status.describe(snap)


def test_a_diverging_loss_is_short_and_the_accuracy_stays_in_view(qtbot):
    """Issue 9, item 5: the loss was printed with some 300 digits, pushing the rest away."""
    import dataclasses

    import numpy as np

    bar = QStatusBar()
    qtbot.addWidget(bar)
    bar.resize(1280, 30)
    status = TrainingStatus(bar)
    run = TrainingRun(load_dataset("blobs"))
    run.step(3)
    run.evaluate()
    snap = dataclasses.replace(run.snapshot(), step_losses=np.array([1e300]))
    status.show_snapshot(snap, playing=False)
    text = status.label.text()
    assert "loss 1.0e+300" in text and "test accuracy" in text and len(text) < 120


def test_a_new_text_lays_out_nothing_around_it(qtbot):
    """The text changes on every frame: it must not ask the status bar and the main window
    (and their docks) for a layout pass each time."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    status = TrainingStatus(window.statusBar())
    window.resize(800, 300)
    window.show()
    run = TrainingRun(load_dataset("digits"), batch_size=100, random_state=0)
    status.show_snapshot(run.snapshot(), playing=False)
    QApplication.processEvents()

    class Requests(QObject):
        count = 0

        def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.LayoutRequest:
                self.count += 1
            return False

    requests = Requests()
    for widget in (window, window.statusBar()):
        widget.installEventFilter(requests)
    for steps in (1, 10, 100):
        run.step(steps)
        status.show_snapshot(run.snapshot(), playing=False)
        QApplication.processEvents()
        assert f"step {run.step_count:,}" in status.label.text()
    assert requests.count == 0
    assert status.label.height() >= status.label.sizeHint().height()  # never cut off
