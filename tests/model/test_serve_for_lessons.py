"""What lessons need of the model and the training process: input scaling (lesson 3: raw 0-255
pixels against pixels scaled to 0-1, checked against the gradient worked by hand), setting
changes reported with their step (the loss curve's markers), and "train" evaluating often
enough for a curve at batch size 1."""

import numpy as np
import pytest

from model import load_dataset
from model.datasets import INPUT_SCALES, input_factor, input_scale_words
from model.serve import TrainingServer
from model.settings import INPUT_SCALE_NAMES, RunSettings, SettingError
from model.snapshots import SnapshotAssembler, initial_snapshot
from model.training import TrainingRun


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


def test_the_names_agree_and_say_what_they_do():
    assert set(INPUT_SCALE_NAMES) == set(INPUT_SCALES)
    assert input_factor("unit") == 1.0 and input_factor("raw") == 255.0
    assert input_scale_words("raw") == "raw 0-255"
    with pytest.raises(ValueError, match="input_scale must be one of"):
        input_factor("percent")
    with pytest.raises(SettingError, match="input_scale"):
        RunSettings(input_scale="percent").checked()


def test_a_raw_full_batch_step_is_the_hand_worked_gradient_on_255_x(digits):
    run = TrainingRun(digits, batch_size=digits.n_train, learning_rate=0.01, input_scale=255)
    W0, b0 = run.classifier.W.copy(), run.classifier.b.copy()
    run.step(1)
    # By hand (math.md 3): A = softmax(X W^T + b) on X = 255 x, dW = (A - Y)^T X / N.
    X = digits.X_train.astype(np.float64) * 255
    Z = X @ W0.T + b0
    A = np.exp(Z - Z.max(axis=1, keepdims=True))
    A /= A.sum(axis=1, keepdims=True)
    Y = np.eye(digits.n_classes)[digits.y_train]
    dW = (A - Y).T @ X / len(X)
    db = (A - Y).mean(axis=0)
    np.testing.assert_allclose(run.classifier.W, W0 - 0.01 * dW, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(run.classifier.b, b0 - 0.01 * db, rtol=1e-9, atol=1e-12)
    loss = -np.mean(np.log(A[np.arange(len(X)), digits.y_train]))
    assert run.snapshot().step_losses[0] == pytest.approx(loss, rel=1e-9)
    assert run.snapshot().input_scale == 255.0


def test_the_gradient_on_raw_pixels_is_255_times_larger_at_the_same_weights(digits):
    runs = [
        TrainingRun(digits, batch_size=digits.n_train, learning_rate=1e-4, input_scale=s)
        for s in (1.0, 255.0)
    ]
    for run in runs:
        run.classifier.W = np.zeros_like(run.classifier.W)  # same z = b: same A - Y
        run.step(1)
    steps = [np.abs(run.classifier.W).max() for run in runs]
    assert steps[1] / steps[0] == pytest.approx(255.0, rel=1e-9)


def test_the_process_starts_a_new_run_on_raw_inputs_and_back(digits):
    out = []
    server = TrainingServer(RunSettings(dataset="digits"), out.append)
    server.handle(("step", 3))
    while server.pending:
        server.work()
    server.handle(("input_scale", "raw"))
    kind, run_id, reason, settings, delta = out[-1]
    assert kind == "replaced" and settings.input_scale == "raw" and "raw 0-255" in reason
    snapshot = SnapshotAssembler(run_id).apply(delta)
    assert snapshot.step == 0 and snapshot.input_scale == 255.0
    server.handle(("input_scale", "percent"))
    assert out[-1][0] == "error" and "input_scale" in out[-1][1]
    assert server.settings.input_scale == "raw"  # nothing changed
    start = initial_snapshot(digits, settings)
    assert start.input_scale == 255.0
    np.testing.assert_array_equal(start.W, snapshot.W)  # the same seeded weights


def test_a_setting_change_is_reported_at_the_step_it_applies_from():
    out = []
    server = TrainingServer(RunSettings(dataset="digits"), out.append)
    server.handle(("step", 5))
    while server.pending:
        server.work()
    server.handle(("set", {"learning_rate": 0.5, "alpha": 0.0}))
    changed = [m for m in out if m[0] == "changed"]
    assert changed == [("changed", 0, 5, {"learning_rate": (0.1, 0.5)})]  # alpha did not change


def test_train_evaluates_at_least_every_so_many_steps_at_batch_size_1():
    from model.serve import TRAIN_EVALUATE_EVERY

    out = []
    server = TrainingServer(RunSettings(dataset="digits", batch_size=1), out.append)
    n = 2 * TRAIN_EVALUATE_EVERY  # less than a quarter of an epoch of 1,437 steps
    server.handle(("train", n))
    steps = list(server.run.snapshot().eval_steps)
    assert steps == [0, TRAIN_EVALUATE_EVERY, n]
