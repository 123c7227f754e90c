"""The real training process (spawned): handshake, same numbers, and it never outlives its pipe.

A few tests only: the behaviour is tested in-process (test_serve.py); these prove the process
wiring. They wait for messages with generous limits, never for a time.
"""

import multiprocessing

import numpy as np
import pytest

from model import TrainingRun, load_dataset
from model.serve import PROTOCOL_VERSION, serve
from model.settings import RunSettings
from model.snapshots import SnapshotAssembler

SETTINGS = RunSettings(dataset="digits", learning_rate=0.2, batch_size=16, seed=3)
PATIENCE = 60  # seconds; a loaded CI machine may be slow to spawn


@pytest.fixture
def process():
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    child = context.Process(target=serve, args=(theirs, SETTINGS), daemon=True)
    child.start()
    theirs.close()
    yield child, ours
    child.kill()
    child.join(PATIENCE)


def receive(connection, kind):
    """Messages until one of `kind` (which is returned), failing on an error or a failure."""
    while connection.poll(PATIENCE):
        message = connection.recv()
        if message[0] == kind:
            return message
        assert message[0] not in ("error", "failed"), message
    raise AssertionError(f"no {kind!r} message")


def test_handshake_then_the_same_weights_as_a_plain_run(process):
    child, connection = process
    ready = receive(connection, "ready")
    assert ready[1]["protocol"] == PROTOCOL_VERSION and ready[1]["pid"] == child.pid
    assembler = SnapshotAssembler(0)
    assembler.apply(receive(connection, "snapshot")[1])
    connection.send(("step", 25))
    snapshot = None
    while snapshot is None or snapshot.step < 25:
        snapshot = assembler.apply(receive(connection, "snapshot")[1])
    plain = TrainingRun(load_dataset("digits"), batch_size=16, learning_rate=0.2, random_state=3)
    plain.step(25)
    np.testing.assert_array_equal(snapshot.W, plain.classifier.W)


def test_shutdown_ends_the_process(process):
    child, connection = process
    receive(connection, "ready")
    connection.send(("shutdown",))
    child.join(PATIENCE)
    assert child.exitcode == 0


def test_the_process_exits_when_its_window_is_gone(process):
    """The parent's end of the pipe closing (a closed window, a killed GUI) ends training."""
    child, connection = process
    receive(connection, "ready")
    connection.send(("play",))
    receive(connection, "running")
    connection.close()
    child.join(PATIENCE)
    assert child.exitcode == 0


def test_a_dataset_that_does_not_load_is_reported_then_the_process_ends():
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    bad = RunSettings(dataset="/no/such/dataset.npz")
    child = context.Process(target=serve, args=(theirs, bad), daemon=True)
    child.start()
    theirs.close()
    message = ours.recv() if ours.poll(PATIENCE) else None
    child.join(PATIENCE)
    assert message[0] == "failed" and "/no/such/dataset.npz" in message[1]
    assert child.exitcode == 0
