"""The status bar text: epoch, step, speed, loss, test accuracy."""

from PySide6.QtWidgets import QStatusBar

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
    assert f"loss {snap.last_loss:.4f}" in text
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
