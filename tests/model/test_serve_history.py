"""The training process's history, save and load: queries for the kept steps and a past step's
view (its test-set summary computed there), save and load commands, bad files refused."""

import numpy as np

from model import summarize_probabilities
from model.serve import TrainingServer
from tests.model.test_serve import SETTINGS, Receiver, drain, plain_run


def reply(receiver):
    kind, _, ok, value = receiver.messages[-1]
    assert kind == "reply"
    return ok, value


def test_history_and_a_past_step_with_its_test_summary(served, clock):  # noqa: F811
    server, receiver = served
    server.handle(("step", 150))
    drain(server, clock)
    server.handle(("query", 1, "history", None))
    ok, steps = reply(receiver)
    assert ok and steps[-1] == 150 and set(range(101)) <= set(steps.tolist())
    server.handle(("query", 2, "snapshot_at", {"step": 37}))
    ok, view = reply(receiver)
    reference = plain_run(37)
    assert ok and (view.step, view.current_step) == (37, 150)
    assert np.array_equal(view.W, reference.classifier.W)
    expected = summarize_probabilities(
        reference.classifier.predict_proba(reference.test_inputs), reference.test_labels
    )
    assert np.array_equal(view.test_summary.predicted, expected.predicted)
    assert np.array_equal(view.test_summary.largest, expected.largest)
    server.handle(("query", 3, "snapshot_at", {"step": "soon"}))
    assert reply(receiver)[0] is False


def test_saved_and_loaded_in_another_process_continues_the_same(served, clock, tmp_path):  # noqa: F811
    server, receiver = served
    server.handle(("step", 70))
    drain(server, clock)
    server.handle(("set", {"learning_rate": 0.05}))
    path = tmp_path / "lesson.npz"
    server.handle(("save", str(path)))
    assert receiver.messages[-1] == ("saved", str(path))

    other_receiver = Receiver()
    other = TrainingServer(SETTINGS.with_(seed=9, dataset="blobs"), other_receiver, clock=clock)
    other.handle(("load", str(path)))
    kind, run_id, reason, settings, delta = other_receiver.messages[-1]
    assert kind == "replaced" and "lesson.npz" in reason and "70" in reason
    assert settings == server.settings and delta.step == 70
    assert other_receiver.snapshot.step == 70
    assert np.array_equal(other_receiver.snapshot.step_losses, receiver.snapshot.step_losses)
    for s in (server, other):
        s.handle(("step", 55))
        drain(s, clock)
    assert np.array_equal(server.run.classifier.W, other.run.classifier.W)
    assert other.run.step_count == 125


def test_a_bad_run_file_is_refused_and_the_run_goes_on(served, clock, tmp_path):  # noqa: F811
    server, receiver = served
    server.handle(("step", 5))
    drain(server, clock)
    run = server.run
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 not really")
    server.handle(("load", str(bad)))
    kind, message, command = receiver.messages[-1]
    assert (kind, command) == ("error", "load") and str(bad) in message
    assert server.run is run and run.step_count == 5
    server.handle(("save", str(tmp_path / "no such folder" / "run.npz")))
    kind, message, command = receiver.messages[-1]
    assert (kind, command) == ("error", "save") and "could not be saved" in message
