"""A run's kept history: snapshot_at gives exactly what a fresh run of the same seed and settings
has at that step; the first epoch stays whole however long the run; memory stays bounded."""

import dataclasses

import numpy as np
import pytest

from model import TrainingRun, load_dataset
from tests.model.test_training import tiny_dataset

STEPS = 4000
BATCH = 8  # digits: 1,438 samples, 180 steps an epoch


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


@pytest.fixture(scope="module")
def long_run(digits):
    run = TrainingRun(digits, batch_size=BATCH, learning_rate=0.05, random_state=4)
    run.history.max_spaced = 64  # a long run in miniature: thinned many times over
    run.step(STEPS)
    return run


def fresh(digits, steps, **settings):
    run = TrainingRun(digits, batch_size=BATCH, learning_rate=0.05, random_state=4, **settings)
    run.step(steps)
    return run


def test_the_first_epochs_steps_are_all_kept_after_a_long_run(long_run):
    steps_per_epoch = long_run.steps_per_epoch
    assert steps_per_epoch == 180
    kept = set(long_run.kept_steps.tolist())
    assert set(range(steps_per_epoch + 1)) <= kept
    later = [s for s in kept if s > steps_per_epoch]
    assert len(later) <= 64 + 1  # bounded, though thinned since
    assert long_run.history.interval > 1


def test_each_evaluation_point_and_the_latest_are_kept(long_run):
    kept = set(long_run.kept_steps.tolist())
    evaluated = set(long_run.evaluations.view()["step"].astype(int).tolist())
    assert evaluated <= kept
    assert long_run.kept_steps[-1] == STEPS


def test_snapshot_at_equals_a_fresh_run_bit_for_bit(long_run, digits):
    reference = fresh(digits, 0)
    for asked in [0, 1, 180, 181, 1234, 2879, STEPS - 1, STEPS, STEPS + 50]:
        kept = long_run.snapshot_at(asked)
        assert kept.step <= asked and kept.step in long_run.kept_steps
        later = long_run.kept_steps[long_run.kept_steps > kept.step]
        assert not len(later) or later[0] > asked  # the nearest kept at or before
        reference.step(kept.step - reference.step_count)  # one fresh run, walked forward
        assert kept.W.dtype == np.float64
        assert np.array_equal(kept.W, reference.classifier.W), asked
        assert np.array_equal(kept.b, reference.classifier.b), asked
        assert not kept.W.flags.writeable


def test_float32_runs_keep_float32_states(digits):
    run = fresh(digits, 30, dtype=np.float32)
    assert run.snapshot_at(12).W.dtype == np.float32
    assert np.array_equal(run.snapshot_at(12).W, fresh(digits, 12, dtype=np.float32).classifier.W)


def test_reset_forgets_the_history(digits):
    run = fresh(digits, 20)
    run.reset()
    assert run.kept_steps.tolist() == [0]


def test_a_divergence_keeps_the_restored_weights_at_the_current_step():
    # As in test_training: unscaled features and a large learning rate overflow float64.
    rng = np.random.default_rng(0)
    data = dataclasses.replace(tiny_dataset(n_train=50), name="unscaled")
    object.__setattr__(data, "X_train", rng.random((50, 3)) * 1e160)
    run = TrainingRun(data, batch_size=5, learning_rate=10.0, random_state=0)
    run.step(100)
    assert run.diverged
    kept = run.snapshot_at(run.step_count)
    assert kept.step == run.step_count and np.array_equal(kept.W, run.classifier.W)
    assert np.array_equal(run.history.at(run.step_count)[1], run.classifier.W)


def test_memory_of_the_history_is_bounded_by_the_first_epoch_and_the_spacing(long_run):
    C, D = long_run.classifier.W.shape
    per_state = (C * D + C) * 8
    limit = (long_run.steps_per_epoch + 1 + long_run.history.max_spaced + 1) * per_state
    assert long_run.history.nbytes <= limit
