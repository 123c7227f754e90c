"""TrainingController: training runs on a worker thread; the GUI thread only reads snapshots."""

import numpy as np
import pytest

from gui.controller import SPEEDS, TrainingController
from model import TrainingRun, load_dataset


@pytest.fixture
def controller(qtbot):
    c = TrainingController(load_dataset("digits"), batch_size=16, learning_rate=0.2, seed=3)
    yield c
    assert c.shutdown(2000)


def test_starts_untrained_with_one_evaluation(controller):
    snap = controller.latest_snapshot
    assert snap.step == 0 and len(snap.eval_steps) == 1 and not controller.playing


def test_play_trains_off_the_gui_thread_then_pause_stops(controller, qtbot):
    with qtbot.waitSignal(controller.running_changed):
        controller.play()
    qtbot.waitUntil(lambda: controller.latest_snapshot.step >= 50, timeout=10_000)
    with qtbot.waitSignal(controller.running_changed):
        controller.pause()
    qtbot.waitUntil(lambda: controller.idle)  # the worker went back to waiting for work
    assert controller.latest_snapshot.step == controller.run.step_count


def test_step_advances_exactly_one_minibatch(controller, qtbot):
    controller.step(1)
    qtbot.waitUntil(lambda: controller.latest_snapshot.step == 1)
    controller.step(3)
    qtbot.waitUntil(lambda: controller.latest_snapshot.step == 4)
    assert controller.latest_snapshot.samples_seen == 4 * 16


def test_step_epoch_ends_at_the_epoch_boundary(controller, qtbot):
    controller.step(2)
    qtbot.waitUntil(lambda: controller.latest_snapshot.step == 2)
    controller.step_epoch()
    qtbot.waitUntil(lambda: controller.latest_snapshot.epoch == 1)
    snap = controller.latest_snapshot
    assert snap.epoch_progress == 0 and snap.step == controller.run.steps_per_epoch


def test_the_worker_matches_a_plain_run(controller, qtbot):
    controller.step(25)
    qtbot.waitUntil(lambda: controller.latest_snapshot.step == 25)
    plain = TrainingRun(controller.dataset, batch_size=16, learning_rate=0.2, random_state=3)
    plain.step(25)
    np.testing.assert_array_equal(controller.latest_snapshot.W, plain.classifier.W)


def test_reset_restores_the_seeded_weights_while_playing(controller, qtbot):
    W0 = controller.latest_snapshot.W.copy()
    controller.play()
    qtbot.waitUntil(lambda: controller.latest_snapshot.step > 20, timeout=10_000)
    with qtbot.waitSignal(controller.run_replaced) as blocker:
        controller.reset("Reset by the user")
    assert blocker.args == ["Reset by the user"]
    controller.pause()
    controller.reset()
    np.testing.assert_array_equal(controller.latest_snapshot.W, W0)
    assert controller.latest_snapshot.step == 0


def test_learning_rate_and_batch_size_apply_without_reset(controller, qtbot):
    controller.step(2)
    qtbot.waitUntil(lambda: controller.latest_snapshot.step == 2)
    controller.set_learning_rate(0.01)
    controller.set_batch_size(100)
    controller.step(1)
    qtbot.waitUntil(lambda: controller.latest_snapshot.step == 3)
    snap = controller.latest_snapshot
    assert snap.learning_rate == 0.01 and snap.batch_size == 100
    assert snap.samples_seen == 2 * 16 + 100


def test_dataset_and_seed_changes_reset_with_a_reason(controller, qtbot):
    with qtbot.waitSignal(controller.run_replaced) as blocker:
        controller.set_dataset(load_dataset("blobs"))
    assert "blobs" in blocker.args[0]
    assert controller.latest_snapshot.W.shape == (4, 2)
    with qtbot.waitSignal(controller.run_replaced) as blocker:
        controller.set_seed(11)
    assert "seed" in blocker.args[0]
    assert controller.run.random_state == 11


def test_divergence_pauses_with_a_message(qtbot):
    c = TrainingController(load_dataset("digits"), learning_rate=10.0, batch_size=1)
    try:
        # Features in [0, 1] keep the gradient bounded, so plant weights whose logits overflow.
        W = np.full(c.run.classifier.W.shape, 1e308)
        W[1::2] = -1e308
        c.run.classifier.W = W
        with qtbot.waitSignal(c.diverged, timeout=10_000) as blocker:
            c.play()
        assert "diverged" in blocker.args[0]
        qtbot.waitUntil(lambda: not c.playing)
        assert c.latest_snapshot.diverged
        assert np.isfinite(c.latest_snapshot.step_losses).all()
        c.set_learning_rate(0.1)  # a new setting clears the divergence
        assert not c.latest_snapshot.diverged
    finally:
        assert c.shutdown(2000)


def test_a_bad_setting_stops_training_with_a_message(controller, qtbot):
    controller.set_batch_size(0)  # the spin box never allows this; the worker must cope
    with qtbot.waitSignal(controller.failed, timeout=5000) as blocker:
        controller.step(1)
    assert "batch_size" in blocker.args[0]


def test_paced_speeds_and_full_speed(controller, qtbot):
    controller.set_speed(SPEEDS[-2])  # the fastest paced speed
    controller.play()
    qtbot.waitUntil(lambda: controller.latest_snapshot.step >= 5, timeout=10_000)
    controller.set_speed(None)
    qtbot.waitUntil(lambda: controller.latest_snapshot.step >= 100, timeout=10_000)
    controller.pause()


def test_shutdown_while_playing_joins_quickly(qtbot):
    c = TrainingController(load_dataset("mnist"), batch_size=1)
    c.play()
    qtbot.waitUntil(lambda: c.latest_snapshot.step > 10, timeout=10_000)
    assert c.shutdown(1000)
    assert not c._worker.isRunning()


def test_dataset_change_while_playing_keeps_training_the_new_run(controller, qtbot):
    controller.play()
    qtbot.waitUntil(lambda: controller.latest_snapshot.step > 10, timeout=10_000)
    controller.set_dataset(load_dataset("blobs"))
    assert controller.latest_snapshot.W.shape == (4, 2)  # published at once, step 0
    qtbot.waitUntil(lambda: controller.latest_snapshot.step > 10, timeout=10_000)
    assert controller.latest_snapshot.dataset_name == "blobs"
    assert controller.latest_snapshot.W.shape == (4, 2)
    controller.pause()
