"""The code regressor trained beside a softmax run (model/codes_comparison.py): the same
minibatches in the same order, evaluated at the same steps, and the comparison's figures
recomputed here independently."""

import math

import numpy as np
import pytest

from model import CodeRegressor, TrainingRun, compare_codes_vs_softmax, load_dataset
from model.codes_comparison import CodesFollower
from model.minibatch_replay import MinibatchReplay


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


def recording_run(dataset, **kwargs):
    """A TrainingRun whose classifier notes every minibatch it is stepped on (copies)."""
    run = TrainingRun(dataset, evaluate_each_epoch=False, **kwargs)
    batches = []
    step = run.classifier._step

    def noting(X, y):
        batches.append((X.copy(), y.copy()))
        return step(X, y)

    run.classifier._step = noting
    return run, batches


def train_by_hand(dataset, batches, learning_rate, seed):
    """A CodeRegressor given the recorded minibatches one partial_fit at a time."""
    model = CodeRegressor(dataset.n_features, dataset.n_classes, learning_rate, random_state=seed)
    for X, y in batches:
        model.partial_fit(X, y)
    return model


def test_the_replay_gives_the_runs_minibatches_across_epochs_and_batch_size_changes(digits):
    run, batches = recording_run(digits, batch_size=100, random_state=3)
    run.step(20)  # past the end of the first epoch (1,438 samples: 15 steps, the last of 38)
    run.batch_size = 7  # mid-epoch
    run.step(30)
    run.batch_size = 1000
    run.step(6)
    replay = MinibatchReplay(run.train_inputs, run.train_labels, 3)
    assert [size for _, size in run.batch_schedule] == [100, 7, 1000]
    assert len(batches) == 56
    for k, (X, y) in enumerate(batches):
        X_again, y_again = replay.next_batch(run.batch_schedule)
        np.testing.assert_array_equal(X_again, X, err_msg=f"step {k}")
        np.testing.assert_array_equal(y_again, y, err_msg=f"step {k}")
    assert len(batches[14][1]) == digits.n_train - 14 * 100  # the first epoch's last batch


def test_the_code_model_sees_the_runs_minibatches_in_the_runs_order(digits):
    run, batches = recording_run(digits, batch_size=32, random_state=5)
    follower = CodesFollower(learning_rate=0.8)
    run.evaluate()
    run.step(40)
    follower.advance(run)
    run.batch_size = 50
    run.step(45)
    follower.advance(run)
    by_hand = train_by_hand(digits, batches, 0.8, seed=5)
    assert follower.step == run.step_count == 85
    np.testing.assert_allclose(follower.model.W, by_hand.W, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(follower.model.b, by_hand.b, rtol=1e-10, atol=1e-12)


def test_switched_on_late_it_catches_up_from_step_0_in_slices(digits):
    run = TrainingRun(digits, batch_size=16, random_state=2, evaluate_each_epoch=False)
    run.evaluate()
    run.step(100)
    run.evaluate()
    run.step(60)
    run.evaluate()
    along = CodesFollower()
    along.advance(run)  # in one go
    late = CodesFollower()
    ticks = iter(range(10**6))  # a clock that moves one second a look: one slice per call
    calls = 0
    while late.advance(run, budget=0.5, clock=lambda: next(ticks)):
        calls += 1
        assert late.report is None or not late.report.following
    assert calls >= 2 and late.step == 160 and late.report.following
    np.testing.assert_array_equal(late.model.W, along.model.W)
    np.testing.assert_array_equal(late.report.eval_steps, [0, 100, 160])
    np.testing.assert_array_equal(late.report.code_accuracy, along.report.code_accuracy)


def test_a_reset_run_starts_the_code_model_over(digits):
    run = TrainingRun(digits, batch_size=16, random_state=2, evaluate_each_epoch=False)
    run.evaluate()
    follower = CodesFollower()
    run.step(30)
    follower.advance(run)
    first = follower.model.W.copy()
    run.reset()
    run.evaluate()
    run.step(10)
    follower.advance(run)
    assert follower.step == 10
    fresh = CodesFollower()
    fresh.advance(run)
    np.testing.assert_array_equal(follower.model.W, fresh.model.W)
    assert not np.array_equal(first, follower.model.W)


@pytest.fixture(scope="module")
def compared(digits):
    """The comparison on a fixed seed, and the same training redone here by hand."""
    result = compare_codes_vs_softmax(digits, steps=300, batch_size=20, learning_rates=(0.1, 1.0),
                                      seed=7, evaluations=4)  # fmt: skip
    run, batches = recording_run(digits, batch_size=20, learning_rate=0.1, random_state=7)
    run.step(300)
    return result, run, train_by_hand(digits, batches, 1.0, seed=7)


def test_the_comparisons_figures_on_a_fixed_seed(compared, digits):
    result, run, code_model = compared
    X, y = digits.X_test.astype(np.float64), digits.y_test
    # Decoded by hand: each output above 0.5 is a 1, bits least significant first.
    S = 1 / (1 + np.exp(-(X @ code_model.W.T + code_model.b)))
    values = np.array([sum(int(bit) << j for j, bit in enumerate(row > 0.5)) for row in S])
    predicted = run.classifier.predict(X)
    np.testing.assert_array_equal(result.eval_steps, [0, 75, 150, 225, 300])
    assert result.step == result.softmax_step == 300 and result.following
    assert result.last_code_accuracy == pytest.approx(np.mean(values == y))
    assert result.last_softmax_accuracy == pytest.approx(np.mean(predicted == y))
    assert result.last_invalid_share == pytest.approx(np.mean(values >= 10))
    for answers, counts in ((values, result.code_distances), (predicted, result.softmax_distances)):
        by_hand = np.zeros(5, int)
        for truth, answer in zip(y, answers, strict=True):
            by_hand[bin(int(truth) ^ int(answer)).count("1")] += 1
        np.testing.assert_array_equal(counts, by_hand)
    for i, j in ((3, 5), (8, 9), (0, 0), (4, 12)):
        assert result.code_confusion[i, j] == np.sum((y == i) & (values == j))
    assert result.code_confusion.shape == (10, 16)
    assert result.code_confusion.sum() == digits.n_test


def test_the_comparison_shows_the_sheets_argument(compared):
    result, _, _ = compared
    # The softmax learns better, and the code model's errors gather one bit from the truth,
    # well above the third of all digit pairs that lie there.
    assert result.last_softmax_accuracy > result.last_code_accuracy + 0.05
    assert result.code_error_shares[1] > result.pair_shares[1] + 0.2
    assert result.code_error_shares[1] > result.softmax_error_shares[1]
    assert result.code_error_shares.sum() == pytest.approx(1.0)
    assert math.isnan(result.invalid_error_share) or 0 <= result.invalid_error_share <= 1
    # Both accuracy curves start at chance-like values and rise.
    assert result.code_accuracy[-1] > result.code_accuracy[0]
    assert result.softmax_accuracy[-1] > result.softmax_accuracy[0]


def test_a_run_loaded_from_a_file_is_followed_from_the_step_it_was_loaded_at(digits, tmp_path):
    from model.run_file import load_run, save_run

    run = TrainingRun(digits, batch_size=30, random_state=4, evaluate_each_epoch=False)
    run.step(70)  # past the first epoch's end (48 steps)
    save_run(run, tmp_path / "run.npz")
    loaded = load_run(tmp_path / "run.npz", digits)
    batches = []
    step = loaded.classifier._step
    loaded.classifier._step = lambda X, y: batches.append((X.copy(), y.copy())) or step(X, y)
    follower = CodesFollower(learning_rate=0.6)
    follower.advance(loaded)  # its first 70 minibatches are not known: it starts at 70
    assert follower.start_step == follower.step == 70
    loaded.step(40)
    loaded.evaluate()
    follower.advance(loaded)
    assert follower.step == 110 and follower.report.start_step == 70
    np.testing.assert_array_equal(follower.report.eval_steps, [110])
    by_hand = train_by_hand(digits, batches, 0.6, seed=4)
    np.testing.assert_allclose(follower.model.W, by_hand.W, rtol=1e-10, atol=1e-12)
