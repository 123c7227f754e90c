"""The training server: commands in, deltas out, the same numbers as a plain TrainingRun."""

import numpy as np
import pytest

from model import TrainingRun, load_dataset, summarize_probabilities
from model.serve import SEND_INTERVAL, TrainingServer
from model.settings import RunSettings
from model.snapshots import DeltaTracker, SnapshotAssembler, initial_snapshot

SETTINGS = RunSettings(dataset="digits", learning_rate=0.2, batch_size=16, seed=3)


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class Receiver:
    """What a GUI does with the messages: snapshots assembled, everything else kept."""

    def __init__(self):
        self.messages = []
        self.snapshot = None
        self.assembler = SnapshotAssembler(0)

    def __call__(self, message):
        self.messages.append(message)
        if message[0] == "snapshot" and message[1].run_id == self.assembler.run_id:
            self.snapshot = self.assembler.apply(message[1])
        elif message[0] == "replaced":
            self.assembler = SnapshotAssembler(message[1])
            self.snapshot = self.assembler.apply(message[4])

    def kinds(self):
        return [m[0] for m in self.messages]


def drain(server, clock, rounds=10_000):
    """Work until nothing is pending, the clock moving on so snapshots are due."""
    for _ in range(rounds):
        wait = server.work()
        clock.now += SEND_INTERVAL
        if wait is None:
            return
    raise AssertionError("the server kept working")


def plain_run(steps):
    run = TrainingRun(load_dataset("digits"), batch_size=16, learning_rate=0.2, random_state=3)
    run.evaluate()
    run.step(steps)
    return run


def test_steps_through_the_server_equal_a_plain_run_bit_for_bit(served, clock):
    server, receiver = served
    server.handle(("step", 25))
    drain(server, clock)
    plain = plain_run(25)
    snap = receiver.snapshot
    assert snap.step == 25
    np.testing.assert_array_equal(snap.W, plain.classifier.W)
    np.testing.assert_array_equal(snap.b, plain.classifier.b)
    steps, losses = plain.losses.view()
    np.testing.assert_array_equal(snap.step_loss_steps, steps)
    np.testing.assert_array_equal(snap.step_losses, losses)


def test_the_test_set_summary_is_that_of_the_float64_probabilities(served, clock):
    server, receiver = served
    server.handle(("step", 3))
    drain(server, clock)
    summary = receiver.snapshot.test_summary
    assert receiver.snapshot.test_proba is None  # A itself stays in the training process
    dataset = load_dataset("digits")
    proba = plain_run(3).classifier.predict_proba(dataset.X_test)
    assert proba.dtype == np.float64
    expected = summarize_probabilities(proba, dataset.y_test)
    for field in ("largest", "second", "predicted", "right"):
        np.testing.assert_array_equal(getattr(summary, field), getattr(expected, field))
    assert summary.largest.shape == (359,)
    assert summary.argmax_accuracy == expected.argmax_accuracy


def test_snapshots_come_at_most_every_send_interval(served, clock):
    server, receiver = served
    server.handle(("play",))
    before = receiver.kinds().count("snapshot")
    for _ in range(5):  # no time passes: one snapshot at most
        server.work()
    assert receiver.kinds().count("snapshot") - before <= 1
    clock.now += SEND_INTERVAL
    server.work()
    assert receiver.kinds().count("snapshot") - before >= 1


def test_deltas_carry_only_new_history(served, clock):
    server, receiver = served
    sent = []
    server.emit = lambda m: (sent.append(m), receiver(m))
    server.handle(("step", 10))
    drain(server, clock)
    server.handle(("step", 5))
    drain(server, clock)
    deltas = [m[1] for m in sent if m[0] == "snapshot"]
    assert sum(len(d.losses) for d in deltas) == 15
    assert deltas[-1].loss_start == 10


def test_a_thinned_loss_history_is_sent_again_whole():
    run = TrainingRun(load_dataset("blobs"), batch_size=8, random_state=0, max_loss_points=8)
    tracker, assembler = DeltaTracker(0), SnapshotAssembler(0)
    for _ in range(6):
        run.step(5)
        snap = assembler.apply(tracker.delta(run))
        steps, losses = run.losses.view()
        np.testing.assert_array_equal(snap.step_loss_steps, steps)
        np.testing.assert_array_equal(snap.step_losses, losses)
    assert run.losses.bin_size > 1


def test_paced_play_steps_on_schedule(served, clock):
    server, receiver = served
    server.handle(("speed", 10))
    server.handle(("play",))
    start = server.run.step_count
    for _ in range(100):  # 10 s in 0.1 s ticks
        server.work()
        clock.now += 0.1
    assert server.run.step_count - start == pytest.approx(100, abs=2)


def test_a_paced_run_far_behind_drops_its_backlog(served, clock):
    server, _ = served
    server.handle(("speed", 100))
    server.handle(("play",))
    server.work()
    clock.now += 60  # a minute without a turn
    server.work()
    assert server.run.step_count < 100


def test_pause_stops_and_drops_asked_steps(served, clock):
    server, receiver = served
    server.handle(("play",))
    server.work()
    server.handle(("pause",))
    assert ("running", True) in receiver.messages and ("running", False) in receiver.messages
    steps = server.run.step_count
    assert server.work() is None or server.run.step_count == steps
    drain(server, clock)
    assert server.run.step_count == steps


def test_step_epoch_ends_at_the_epoch_boundary(served, clock):
    server, receiver = served
    server.handle(("step", 2))
    drain(server, clock)
    server.handle(("step_epoch",))
    drain(server, clock)
    snap = receiver.snapshot
    assert snap.epoch == 1 and snap.epoch_progress == 0 and snap.step == snap.steps_per_epoch


def test_settings_apply_without_reset_and_are_echoed(served, clock):
    server, receiver = served
    server.handle(("step", 2))
    drain(server, clock)
    server.handle(("set", {"learning_rate": 0.01, "batch_size": 100}))
    server.handle(("step", 1))
    drain(server, clock)
    snap = receiver.snapshot
    assert (snap.learning_rate, snap.batch_size, snap.step) == (0.01, 100, 3)
    assert snap.samples_seen == 2 * 16 + 100


def test_a_batch_size_above_the_training_set_is_capped(served, clock):
    server, receiver = served
    server.handle(("set", {"batch_size": 100_000}))
    drain(server, clock)
    assert receiver.snapshot.batch_size == server.run.dataset.n_train


@pytest.mark.parametrize(
    "command",
    [
        ("set", {"learning_rate": float("nan")}),
        ("set", {"learning_rate": -1}),
        ("set", {"batch_size": 0}),
        ("set", {"seed": 1}),
        ("seed", 2**40),
        ("speed", -3),
        ("dataset", "no/such/file.npz"),
        ("fly",),
        (),
    ],
)
def test_a_refused_command_changes_nothing_and_says_why(served, clock, command):
    server, receiver = served
    settings, run = server.settings, server.run
    server.handle(command)
    assert receiver.messages[-1][0] == "error" and receiver.messages[-1][1]
    assert server.settings == settings and server.run is run


def test_reset_seed_and_dataset_start_new_runs_carrying_their_first_snapshot(served, clock):
    server, receiver = served
    server.handle(("step", 5))
    drain(server, clock)
    server.handle(("reset", "Reset by the user"))
    kind, run_id, reason, settings, delta = receiver.messages[-1]
    assert (kind, run_id, reason, delta.step) == ("replaced", 1, "Reset by the user", 0)
    np.testing.assert_array_equal(delta.W, plain_run(0).classifier.W)
    server.handle(("seed", 7))
    assert receiver.messages[-1][2] == "Reset: seed changed to 7"
    server.handle(("dataset", "blobs"))
    kind, run_id, reason, settings, delta = receiver.messages[-1]
    assert (run_id, settings.dataset, delta.W.shape) == (3, "blobs", (4, 2))
    assert receiver.snapshot.dataset_name == "blobs"


def test_divergence_pauses_and_a_new_setting_allows_training_again(clock):
    receiver = Receiver()
    diverging = SETTINGS.with_(learning_rate=1000.0, alpha=1.0)  # lr * alpha > 2: W explodes
    server = TrainingServer(diverging, receiver, clock=clock)
    server.handle(("play",))
    for _ in range(2000):
        server.work()
        clock.now += SEND_INTERVAL
        if not server.playing:
            break
    assert "diverged" in receiver.kinds() and ("running", False) in receiver.messages
    assert np.isfinite(server.run.classifier.W).all()
    server.handle(("play",))
    assert receiver.messages[-1][0] == "diverged"  # still refused
    server.handle(("set", {"alpha": 0.0}))
    server.handle(("play",))
    assert server.playing


def test_queries_answer_checkpoints_and_settings(served, clock):
    server, receiver = served
    server.handle(("step", 40))
    drain(server, clock)
    server.handle(("query", 7, "checkpoint", {"step": 0}))
    kind, request_id, ok, (step, W, b) = receiver.messages[-1]
    assert (kind, request_id, ok, step) == ("reply", 7, True, 0)
    np.testing.assert_array_equal(W, plain_run(0).classifier.W)
    server.handle(("query", 8, "settings"))
    assert receiver.messages[-1] == ("reply", 8, True, server.settings)
    server.handle(("query", 9, "weather"))
    assert receiver.messages[-1][:3] == ("reply", 9, False)


def test_train_evaluates_on_the_way_for_curves(served):
    server, receiver = served
    server.handle(("train", 100))
    snap = receiver.snapshot
    assert snap.step == 100 and len(snap.eval_steps) >= 4


def test_train_evaluates_each_step_once_however_late_it_comes(served, clock):
    # A train command a while after the run started (a slow start, a script that waits): the
    # evaluation after the last chunk is not repeated (--export's CSV had a duplicate row).
    server, receiver = served
    clock.now += 60.0
    server.handle(("train", 45))
    steps = receiver.snapshot.eval_steps
    assert len(np.unique(steps)) == len(steps) and steps[-1] == 45


def test_the_initial_snapshot_shows_the_runs_own_step_zero(served):
    server, receiver = served
    snap = initial_snapshot(load_dataset("digits"), SETTINGS)
    np.testing.assert_array_equal(snap.W, receiver.snapshot.W)
    first = receiver.snapshot.test_summary
    np.testing.assert_allclose(snap.test_summary.largest, first.largest, rtol=1e-6)
    np.testing.assert_array_equal(snap.test_summary.predicted, first.predicted)
    assert (snap.step, snap.batch_size, snap.steps_per_epoch) == (0, 16, 90)


def test_evaluations_take_at_most_their_share_of_the_time(served, clock, monkeypatch):
    """On full MNIST an evaluation takes half a second: at one a second (or four, at epoch
    ends) the process spent most of its time evaluating, and the window got 15 frames a second."""
    from model.serve import EVALUATION_TIME_SHARE

    monkeypatch.setattr("model.serve.MAX_STEPS_PER_CHUNK", 32)  # the fake clock stands still
    server, _ = served
    run, evaluations = server.run, []
    evaluate = run.evaluate

    def slow_evaluate():
        evaluations.append(clock.now)
        clock.now += 0.5  # as 70,000 images take
        return evaluate()

    run.evaluate = slow_evaluate
    server.handle(("play",))
    start = clock.now
    while clock.now - start < 20:
        server.work()
        clock.now += 0.1
    spent = 0.5 * len(evaluations)
    assert len(evaluations) >= 2  # the curves still get points
    assert spent <= EVALUATION_TIME_SHARE * (clock.now - start) + 0.5
