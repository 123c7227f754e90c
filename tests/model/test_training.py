"""TrainingRun: epochs, determinism, snapshots, divergence, and that training really learns."""

import dataclasses

import numpy as np
import pytest

from model import (
    Dataset,
    DivergenceError,
    SoftmaxClassifier,
    TrainingRun,
    load_dataset,
)
from model.history import EvaluationLog, LossHistory


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


@pytest.fixture(scope="module")
def mnist():
    return load_dataset("mnist")


def tiny_dataset(n_train=10, n_test=4, d=3, c=3, seed=0):
    rng = np.random.default_rng(seed)
    return Dataset(
        name="tiny",
        X_train=rng.random((n_train, d)),
        y_train=np.arange(n_train) % c,
        X_test=rng.random((n_test, d)),
        y_test=np.arange(n_test) % c,
        image_shape=None,
        class_names=tuple(str(i) for i in range(c)),
        source="made up for a test",
    )


def test_same_seed_same_weights_after_n_steps(digits):
    a = TrainingRun(digits, batch_size=16, learning_rate=0.2, random_state=7)
    b = TrainingRun(digits, batch_size=16, learning_rate=0.2, random_state=7)
    a.step(150)
    b.step(100)
    b.step(50)  # stepping in other chunks changes nothing
    np.testing.assert_array_equal(a.classifier.W, b.classifier.W)
    np.testing.assert_array_equal(a.classifier.b, b.classifier.b)


def test_other_seed_other_weights(digits):
    a = TrainingRun(digits, random_state=1)
    b = TrainingRun(digits, random_state=2)
    a.step(10)
    b.step(10)
    assert not np.array_equal(a.classifier.W, b.classifier.W)


def test_an_epoch_visits_every_sample_once_last_batch_smaller():
    data = tiny_dataset(n_train=10)
    run = TrainingRun(data, batch_size=4, random_state=0)
    seen = []
    original = run.classifier._step

    def recording_step(X, y):
        seen.append(X.copy())
        return original(X, y)

    run.classifier._step = recording_step
    assert run.steps_per_epoch == 3
    assert run.step_epoch() == 3
    assert [len(X) for X in seen] == [4, 4, 2]
    rows = np.concatenate(seen)
    # Every training row exactly once, in some order.
    order = np.lexsort(rows.T)
    np.testing.assert_array_equal(rows[order], data.X_train[np.lexsort(data.X_train.T)])
    assert run.epoch == 1 and run.samples_seen == 10
    assert len(run.evaluations) == 1  # an epoch boundary evaluates


def test_each_epoch_gets_a_fresh_order():
    data = tiny_dataset(n_train=12)
    run = TrainingRun(data, batch_size=12, random_state=3)
    firsts = []
    original = run.classifier._step
    run.classifier._step = lambda X, y: (firsts.append(X[0].copy()), original(X, y))[1]
    run.step(5)
    assert len({tuple(x) for x in firsts}) > 1


def test_step_equals_partial_fit_on_the_same_batches(digits):
    run = TrainingRun(digits, batch_size=32, learning_rate=0.3, random_state=5)
    reference = SoftmaxClassifier(digits.n_features, 10, learning_rate=0.3, random_state=5)
    batches = []
    original = run.classifier._step
    run.classifier._step = lambda X, y: (batches.append((X.copy(), y.copy())), original(X, y))[1]
    run.step(20)
    for X, y in batches:
        reference.partial_fit(X, y)
    np.testing.assert_allclose(run.classifier.W, reference.W, rtol=1e-12, atol=1e-12)


def test_batch_size_and_learning_rate_change_between_steps(digits):
    run = TrainingRun(digits, batch_size=10, random_state=0)
    run.step(3)
    assert run.samples_seen == 30
    run.batch_size = 100
    run.learning_rate = 0.01
    run.step(2)
    assert run.samples_seen == 230
    assert run.classifier.learning_rate == 0.01


def test_batch_size_larger_than_the_data_is_full_batch():
    run = TrainingRun(tiny_dataset(n_train=10), batch_size=1000)
    assert run.steps_per_epoch == 1
    run.step(2)
    assert run.epoch == 2


@pytest.mark.parametrize("bad", [0, -3, 2.5])
def test_bad_batch_size_is_a_clear_error(digits, bad):
    run = TrainingRun(digits)
    run.batch_size = bad
    with pytest.raises(ValueError, match="batch_size"):
        run.step(1)


def test_reset_restores_the_seeded_weights_and_counters(digits):
    run = TrainingRun(digits, random_state=4)
    W0 = run.classifier.W.copy()
    run.step(40)
    run.reset()
    np.testing.assert_array_equal(run.classifier.W, W0)
    assert run.step_count == 0 and run.epoch == 0 and len(run.losses) == 0
    # ...and the shuffling starts over too: the same steps give the same weights.
    run.step(40)
    again = TrainingRun(digits, random_state=4)
    again.step(40)
    np.testing.assert_array_equal(run.classifier.W, again.classifier.W)


def test_snapshot_is_an_immutable_copy(digits):
    run = TrainingRun(digits, random_state=0)
    run.step(5)
    snap = run.snapshot()
    W_then = snap.W.copy()
    losses_then = snap.step_losses.copy()
    run.step(50)
    np.testing.assert_array_equal(snap.W, W_then)
    np.testing.assert_array_equal(snap.step_losses, losses_then)
    assert snap.step == 5 and len(snap.step_losses) == 5
    for array in (snap.W, snap.b, snap.step_losses, snap.test_accuracy):
        assert not array.flags.writeable
    with pytest.raises(dataclasses.FrozenInstanceError):
        snap.step = 3


def test_snapshot_history_matches_the_losses(digits):
    run = TrainingRun(digits, batch_size=64, random_state=0)
    run.evaluate()
    run.step(30)
    snap = run.snapshot()
    np.testing.assert_array_equal(snap.step_loss_steps, np.arange(1, 31))
    assert snap.eval_steps[0] == 0 and snap.eval_steps[-1] == snap.steps_per_epoch
    assert snap.last_loss == snap.step_losses[-1]


def test_on_demand_evaluation_matches_the_classifier(digits):
    run = TrainingRun(digits, random_state=0)
    run.step(10)
    values = run.evaluate()
    clf = run.classifier
    assert values["test_accuracy"] == pytest.approx(clf.score(digits.X_test, digits.y_test))
    assert values["train_loss"] == pytest.approx(clf.loss(digits.X_train, digits.y_train))


def test_divergence_pauses_and_keeps_the_last_finite_weights():
    # Absurdly unscaled features and a large learning rate: W grows to ~1e161 and the
    # logits W x to ~1e321, past the float64 range.
    rng = np.random.default_rng(0)
    data = dataclasses.replace(tiny_dataset(n_train=50), name="unscaled")
    object.__setattr__(data, "X_train", rng.random((50, 3)) * 1e160)
    run = TrainingRun(data, batch_size=5, learning_rate=10.0, random_state=0)
    done = run.step(100)
    assert run.diverged and done < 100
    assert "diverged" in run.divergence_message and "learning rate" in run.divergence_message
    assert np.isfinite(run.classifier.W).all() and np.isfinite(run.classifier.b).all()
    assert np.isfinite(run.snapshot().step_losses).all()
    assert run.snapshot().diverged
    with pytest.raises(DivergenceError):
        run.step(1)
    run.clear_divergence()
    run.learning_rate = 1e-300
    assert run.step(1) == 1


def test_mismatched_classifier_is_rejected(digits):
    with pytest.raises(ValueError, match="C x D"):
        TrainingRun(digits, classifier=SoftmaxClassifier(5, 10))


def test_float32_run_stays_float32(digits):
    run = TrainingRun(digits, dtype=np.float32)
    run.step(5)
    assert run.classifier.W.dtype == np.float32 and run.snapshot().W.dtype == np.float32


def test_loss_falls_on_digits(digits):
    run = TrainingRun(digits, batch_size=32, learning_rate=0.5, random_state=0)
    first = run.evaluate()["train_loss"]
    for _ in range(5):
        run.step_epoch()
    last = run.evaluate()
    assert last["train_loss"] < 0.5 * first
    assert last["test_accuracy"] > 0.9


def test_mnist_reaches_088_test_accuracy_in_a_few_epochs(mnist):
    run = TrainingRun(mnist, random_state=0)  # default settings
    first = run.evaluate()["train_loss"]
    for _ in range(3):
        run.step_epoch()
    result = run.evaluate()
    assert result["train_loss"] < 0.25 * first
    assert result["test_accuracy"] >= 0.88


# ---------------------------------------------------------------------- histories
def test_loss_history_keeps_every_point_until_full():
    h = LossHistory(max_points=8)
    for step in range(1, 9):
        h.append(step, float(step))
    steps, losses = h.view()
    np.testing.assert_array_equal(steps, np.arange(1, 9))
    assert h.bin_size == 1


def test_loss_history_merges_pairs_when_full_and_stays_bounded():
    h = LossHistory(max_points=8)
    for step in range(1, 1001):
        h.append(step, 2.0 * step)
    steps, losses = h.view()
    assert len(steps) <= 8
    np.testing.assert_allclose(losses, 2.0 * steps)  # a linear loss survives averaging
    assert np.all(np.diff(steps) > 0)


def test_loss_history_views_do_not_change_after_appends():
    h = LossHistory(max_points=4)
    for step in range(1, 5):
        h.append(step, float(step))
    steps, losses = h.view()
    copy = losses.copy()
    for step in range(5, 50):
        h.append(step, float(step))
    np.testing.assert_array_equal(losses, copy)


def test_evaluation_log_grows():
    log = EvaluationLog()
    for i in range(100):
        log.append(i, i / 10, train_loss=1.0, train_accuracy=0.5, test_loss=2.0, test_accuracy=0.4)
    view = log.view()
    assert len(view["step"]) == 100 and view["epoch"][-1] == pytest.approx(9.9)


def test_a_run_that_leaves_evaluation_to_its_owner_trains_the_same():
    from model import load_dataset

    data = load_dataset("blobs")
    plain = TrainingRun(data, batch_size=40, random_state=2)
    quiet = TrainingRun(data, batch_size=40, random_state=2, evaluate_each_epoch=False)
    plain.step(3 * plain.steps_per_epoch)
    quiet.step(3 * quiet.steps_per_epoch)
    np.testing.assert_array_equal(plain.classifier.W, quiet.classifier.W)
    assert len(plain.evaluations) == 3 and len(quiet.evaluations) == 0


@pytest.mark.parametrize("gather_rows", [0, 50, 256])
def test_minibatches_are_the_shuffled_rows_whatever_the_gathering(digits, monkeypatch, gather_rows):
    """Rows are gathered a block at a time (model.training.GATHER_ROWS): every minibatch is
    still exactly the rows of the epoch's shuffled order, across block ends, batch sizes
    larger than a block, a batch size changed mid-epoch and epoch ends, bit for bit against
    a plain gather of the whole epoch."""
    import model.training as training

    monkeypatch.setattr(training, "GATHER_ROWS", gather_rows)
    schedule = [7] * 30 + [33] * 20 + [300] * 4 + [1] * 9 + [64] * 40  # over three epochs
    run = TrainingRun(digits, batch_size=7, learning_rate=0.2, random_state=3)
    reference = SoftmaxClassifier(digits.n_features, 10, learning_rate=0.2, random_state=3)
    X = np.ascontiguousarray(digits.X_train, dtype=np.float64)
    y = np.asarray(digits.y_train, dtype=np.intp)
    rng = np.random.default_rng(3)
    order, position = rng.permutation(digits.n_train), 0
    for B in schedule:
        run.batch_size = B
        run.step(1)
        stop = min(position + B, digits.n_train)
        rows = order[position:stop]
        reference._step(np.ascontiguousarray(X[rows]), y[rows])
        position = stop
        if stop == digits.n_train:
            order, position = rng.permutation(digits.n_train), 0
    assert run.epoch >= 2
    np.testing.assert_array_equal(run.classifier.W, reference.W)
    np.testing.assert_array_equal(run.classifier.b, reference.b)


def test_a_run_keeps_no_second_copy_of_the_training_images(mnist):
    """One gather of the whole epoch kept a second copy of the training images (376 MB for
    full MNIST) and paused the run for its length at every epoch's end."""
    run = TrainingRun(mnist, batch_size=32, random_state=0, evaluate_each_epoch=False)
    run.step(run.steps_per_epoch + 5)  # across an epoch's end
    arrays = [v for v in vars(run).values() if isinstance(v, np.ndarray)]
    image_bytes = run._X_train.nbytes + run._X_test.nbytes
    assert sum(a.nbytes for a in arrays) < image_bytes + run._X_train.nbytes // 10
    # A full batch is gathered whole; back at batch 32 the buffer is small again.
    run.batch_size = mnist.n_train
    run.step(1)
    run.batch_size = 32
    run.step(2)
    arrays = [v for v in vars(run).values() if isinstance(v, np.ndarray)]
    assert sum(a.nbytes for a in arrays) < image_bytes + run._X_train.nbytes // 10


def test_runs_of_one_dataset_share_its_cast_images(mnist):
    """A new seed made a new run that cast the images again (0.8 s on full MNIST): runs of
    the same dataset, dtype and input scale share one read-only cast; others get their own."""
    first = TrainingRun(mnist, random_state=0)
    second = TrainingRun(mnist, random_state=1)
    assert second._X_train is first._X_train and second._X_test is first._X_test
    assert not first._X_train.flags.writeable
    raw = TrainingRun(mnist, random_state=0, input_scale=255.0)
    assert raw._X_train is not first._X_train
    np.testing.assert_array_equal(raw._X_train, first._X_train * 255.0)
    single = TrainingRun(mnist, random_state=0, dtype=np.float32)
    assert single._X_train.dtype == np.float32
    # Same seed, same weights, whichever run cast the images first.
    first.step(30)
    again = TrainingRun(mnist, random_state=0)
    again.step(30)
    np.testing.assert_array_equal(first.classifier.W, again.classifier.W)


def test_a_cast_is_not_kept_for_a_dataset_that_is_gone():
    import gc

    import model.training as training

    dataset = tiny_dataset(n_train=50)
    dataset = dataclasses.replace(dataset, X_train=dataset.X_train.astype(np.float32))
    TrainingRun(dataset)
    key = (id(dataset.X_train), np.dtype(np.float64).str, 1.0)
    assert key in training._SCALED
    del dataset
    gc.collect()
    assert key not in training._SCALED
