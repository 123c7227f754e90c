"""TrainingClient: commands out, the newest snapshot in, faults said, never a wait.

Most tests drive the real server in-process (tests/gui/clients.py); the last few spawn the
real training process.
"""

import multiprocessing

import numpy as np
import pytest

from gui.training_client import TrainingClient
from model import TrainingRun, load_dataset
from model.settings import SPEEDS, RunSettings
from tests.gui.clients import make_client, server_run

PATIENCE_MS = 60_000  # generous: the suite must pass with both cores busy


@pytest.fixture
def client(qtbot):
    c = make_client(batch_size=16, learning_rate=0.2, seed=3)
    yield c
    assert c.shutdown(2000)


def step_of(client):
    return client.latest_snapshot.step


def test_starts_untrained_with_one_evaluation(client, qtbot):
    qtbot.waitUntil(lambda: client.ready)
    snap = client.latest_snapshot
    assert snap.step == 0 and len(snap.eval_steps) == 1 and not client.playing


def test_play_then_pause_stops(client, qtbot):
    with qtbot.waitSignal(client.running_changed):
        client.play()
    qtbot.waitUntil(lambda: step_of(client) >= 50, timeout=PATIENCE_MS)
    with qtbot.waitSignal(client.running_changed):
        client.pause()
    qtbot.waitUntil(lambda: step_of(client) == server_run(client).step_count)
    steps = step_of(client)
    qtbot.wait(100)  # a paused run does not move (nothing to wait for)
    assert step_of(client) == steps == server_run(client).step_count


def test_step_advances_exactly_one_minibatch(client, qtbot):
    client.step(1)
    qtbot.waitUntil(lambda: step_of(client) == 1)
    client.step(3)
    qtbot.waitUntil(lambda: step_of(client) == 4)
    assert client.latest_snapshot.samples_seen == 4 * 16


def test_step_epoch_ends_at_the_epoch_boundary(client, qtbot):
    client.step(2)
    qtbot.waitUntil(lambda: step_of(client) == 2)
    client.step_epoch()
    qtbot.waitUntil(lambda: client.latest_snapshot.epoch == 1)
    snap = client.latest_snapshot
    assert snap.epoch_progress == 0 and snap.step == snap.steps_per_epoch


def test_the_client_matches_a_plain_run(client, qtbot):
    client.step(25)
    qtbot.waitUntil(lambda: step_of(client) == 25)
    plain = TrainingRun(client.dataset, batch_size=16, learning_rate=0.2, random_state=3)
    plain.step(25)
    np.testing.assert_array_equal(client.latest_snapshot.W, plain.classifier.W)


def test_reset_restores_the_seeded_weights_while_playing(client, qtbot):
    W0 = client.latest_snapshot.W.copy()
    client.play()
    qtbot.waitUntil(lambda: step_of(client) > 20, timeout=PATIENCE_MS)
    with qtbot.waitSignal(client.run_replaced) as blocker:
        client.reset("Reset by the user")
    assert blocker.args == ["Reset by the user"]
    client.pause()
    with qtbot.waitSignal(client.run_replaced):
        client.reset()
    np.testing.assert_array_equal(client.latest_snapshot.W, W0)
    assert step_of(client) == 0


def test_settings_apply_mid_run_without_reset(client, qtbot):
    client.play()
    qtbot.waitUntil(lambda: step_of(client) > 5, timeout=PATIENCE_MS)
    client.set_learning_rate(0.01)
    client.set_batch_size(100)
    client.set_alpha(0.001)
    qtbot.waitUntil(lambda: client.latest_snapshot.batch_size == 100, timeout=PATIENCE_MS)
    client.pause()
    snap = client.latest_snapshot
    assert (snap.learning_rate, snap.alpha) == (0.01, 0.001) and snap.step > 5
    run = server_run(client)
    assert (run.learning_rate, run.batch_size, run.alpha) == (0.01, 100, 0.001)


def test_a_setting_out_of_range_is_refused_with_a_message(client, qtbot):
    with qtbot.waitSignal(client.rejected) as blocker:
        client.set_batch_size(0)
    assert "batch_size" in blocker.args[0]
    with qtbot.waitSignal(client.rejected) as blocker:
        client.set_learning_rate(float("nan"))
    assert "learning_rate" in blocker.args[0]
    assert server_run(client).batch_size == 16 and client.settings.batch_size == 16


def test_dataset_and_seed_changes_reset_with_a_reason(client, qtbot):
    with qtbot.waitSignal(client.run_replaced) as blocker:
        client.set_dataset(load_dataset("blobs"))
    assert "blobs" in blocker.args[0]
    assert client.latest_snapshot.W.shape == (4, 2) and client.dataset.name == "blobs"
    with qtbot.waitSignal(client.run_replaced) as blocker:
        client.set_seed(11)
    assert "seed" in blocker.args[0] and server_run(client).random_state == 11


def test_dataset_change_while_playing_keeps_training_the_new_run(client, qtbot):
    client.play()
    qtbot.waitUntil(lambda: step_of(client) > 10, timeout=PATIENCE_MS)
    client.set_dataset(load_dataset("blobs"))
    qtbot.waitUntil(lambda: client.dataset.name == "blobs")
    assert client.latest_snapshot.W.shape == (4, 2)
    qtbot.waitUntil(lambda: step_of(client) > 10, timeout=PATIENCE_MS)
    assert client.latest_snapshot.dataset_name == "blobs"
    client.pause()


def test_divergence_pauses_with_a_message(qtbot):
    c = make_client(learning_rate=1000.0, alpha=1.0, batch_size=1)  # lr * alpha > 2
    try:
        with qtbot.waitSignal(c.diverged, timeout=PATIENCE_MS) as blocker:
            c.play()
        assert "diverged" in blocker.args[0]
        qtbot.waitUntil(lambda: not c.playing)
        assert c.latest_snapshot.diverged
        assert np.isfinite(c.latest_snapshot.step_losses).all()
        with qtbot.waitSignal(c.diverged):
            c.play()  # refused until a setting changes
        c.set_alpha(0.0)  # a new setting clears the divergence
        qtbot.waitUntil(lambda: not c.latest_snapshot.diverged)
    finally:
        assert c.shutdown(2000)


def test_paced_speeds_and_full_speed(qtbot):
    """The pace reaches the server (its schedule is tested with a fake clock in
    tests/model/test_serve.py); both a paced and the full speed train."""
    c = make_client(speed=SPEEDS[-2])
    server = c._transport.server
    try:
        assert server.speed == SPEEDS[-2] == c.speed
        c.play()
        qtbot.waitUntil(lambda: step_of(c) >= 5, timeout=PATIENCE_MS)
        c.set_speed(None)
        assert server.speed is None
        qtbot.waitUntil(lambda: step_of(c) >= 100, timeout=PATIENCE_MS)
        c.pause()
        assert not server.playing
    finally:
        c.shutdown()


def test_a_dead_server_is_reported_and_restart_trains_again(client, qtbot):
    client.step(5)
    qtbot.waitUntil(lambda: step_of(client) == 5)
    with qtbot.waitSignal(client.failed) as blocker:
        client._transport.kill()
    assert "killed by signal 9" in blocker.args[0] and "Restart" in blocker.args[0]
    assert step_of(client) == 5 and not client.alive  # the last picture stays
    client.step(1)  # nothing happens, nothing breaks
    with qtbot.waitSignal(client.run_replaced):
        client.restart()
    assert client.settings.learning_rate == 0.2 and step_of(client) == 0
    client.step(2)
    qtbot.waitUntil(lambda: step_of(client) == 2)


def test_queries_are_answered(client, qtbot):
    answers = []
    client.step(10)
    client.query("checkpoint", {"step": 0}, lambda ok, value: answers.append((ok, value)))
    qtbot.waitUntil(lambda: len(answers) == 1)
    ok, (step, W, b) = answers[0]
    assert ok and step == 0 and W.shape == (10, 64)


# ---------------------------------------------------------------------- the real process
def process_client(**settings):
    run_settings = RunSettings(dataset="digits", batch_size=16, seed=3, **settings)
    return TrainingClient(load_dataset("digits"), run_settings)


def test_the_real_process_trains_and_closing_leaves_no_child(qtbot):
    c = process_client()
    c.step(25)
    qtbot.waitUntil(lambda: step_of(c) == 25, timeout=PATIENCE_MS)
    plain = TrainingRun(c.dataset, batch_size=16, learning_rate=0.1, random_state=3)
    plain.step(25)
    np.testing.assert_array_equal(c.latest_snapshot.W, plain.classifier.W)
    c.play()
    c.shutdown(1000)
    c._transport.process.join(5)
    assert multiprocessing.active_children() == []


def test_a_killed_process_is_reported_and_restarted(qtbot):
    c = process_client()
    try:
        qtbot.waitUntil(lambda: c.ready, timeout=PATIENCE_MS)
        c.step(3)
        qtbot.waitUntil(lambda: step_of(c) == 3, timeout=PATIENCE_MS)
        with qtbot.waitSignal(c.failed, timeout=PATIENCE_MS) as blocker:
            c._transport.process.kill()
        assert "killed by signal 9" in blocker.args[0]
        assert step_of(c) == 3
        c.restart()
        c.step(2)
        qtbot.waitUntil(lambda: step_of(c) == 2, timeout=PATIENCE_MS)
    finally:
        c.shutdown()


def test_a_training_process_whose_window_was_killed_exits_by_itself(tmp_path):
    """kill -9 of the GUI's process closes its end of the pipe: the training process ends."""
    import os
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import sys, time\n"
        "from gui.transports import ProcessTransport\n"
        "from model.settings import RunSettings\n"
        "t = ProcessTransport(RunSettings(dataset='digits'))\n"
        "t.send(('play',))\n"
        "print(t.process.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=os.getcwd()
    )
    child_pid = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 60  # a generous bound, not a timing assertion
    while time.monotonic() < deadline and _alive(child_pid):
        time.sleep(0.05)
    assert not _alive(child_pid)


def _alive(pid: int) -> bool:
    """True while `pid` runs (a zombie, reaped by init later, counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_a_refused_setting_while_a_dataset_is_on_its_way_keeps_data_and_weights_paired(
    client, qtbot
):
    """The GUI pairs the dataset with the run the process made for it, whatever else was
    refused in between."""
    client.set_dataset(load_dataset("blobs"))
    client._send("set", {"batch_size": -1})  # refused by the process (the client checks too)
    with qtbot.waitSignal(client.run_replaced):
        pass
    assert client.dataset.name == "blobs"
    assert client.latest_snapshot.W.shape == (client.dataset.n_classes, client.dataset.n_features)
