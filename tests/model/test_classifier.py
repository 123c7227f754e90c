"""SoftmaxClassifier's minibatch step (math.md section 3) and its parameter checks.

The step is checked against `gradients()` and per-sample formulas written here.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.softmax import (
    SoftmaxClassifier,
)
from tests.model.softmax_cases import (
    SETTINGS,
    make_batch,
    make_model,
    problems,
    reference_softmax,
)

# ----------------------------------------------------------------- partial_fit (math.md section 3)
TOLERANCE = {np.float64: dict(rtol=1e-10, atol=1e-12), np.float32: dict(rtol=1e-4, atol=1e-5)}


@SETTINGS
@given(problems(), st.sampled_from([np.float64, np.float32]))
def test_partial_fit_is_one_step_of_minus_eta_times_gradients(problem, dtype):
    seed, B, D, C, eta, alpha = problem
    model = make_model(D, C, seed=seed, alpha=alpha, eta=eta, dtype=dtype)
    X, y = make_batch(B, D, C, seed=seed + 1)
    W, b = model.W.copy(), model.b.copy()
    dW, db = model.gradients(X, y)
    loss_before = model.loss(X, y)
    steps_before = model.n_steps_
    assert model.partial_fit(X, y) is model
    np.testing.assert_allclose(model.W, W - eta * dW, **TOLERANCE[dtype])
    np.testing.assert_allclose(model.b, b - eta * db, **TOLERANCE[dtype])
    assert model.n_steps_ == steps_before + 1
    tol = TOLERANCE[dtype]
    assert model.last_batch_loss_ == pytest.approx(loss_before, rel=tol["rtol"], abs=tol["atol"])
    assert model.W.dtype == dtype and model.b.dtype == dtype


@SETTINGS
@given(problems(), st.sampled_from([np.float64, np.float32]))
def test_partial_fit_equals_mean_of_per_sample_gradient_steps(problem, dtype):
    seed, B, D, C, eta, alpha = problem
    model = make_model(D, C, seed=seed, alpha=alpha, eta=eta, dtype=dtype)
    X, y = make_batch(B, D, C, seed=seed + 1)
    # Per-sample gradients in float64 from the single-sample formulas, then their mean.
    W, b = model.W.astype(np.float64), model.b.astype(np.float64)
    Xd = X.astype(dtype).astype(np.float64)  # the model sees X in its own dtype
    dWs, dbs = [], []
    for x_k, y_k in zip(Xd, y, strict=True):
        g = reference_softmax(W @ x_k + b)
        g[y_k] -= 1.0
        dWs.append(np.outer(g, x_k) + alpha * W)
        dbs.append(g)
    model.partial_fit(X, y)
    np.testing.assert_allclose(model.W, W - eta * np.mean(dWs, axis=0), **TOLERANCE[dtype])
    np.testing.assert_allclose(model.b, b - eta * np.mean(dbs, axis=0), **TOLERANCE[dtype])


def test_partial_fit_does_exactly_one_step_per_call():
    model = make_model(3, 4, seed=2, eta=0.3)
    check = make_model(3, 4, seed=2, eta=0.3)  # the same W and b, stepped by hand
    X, y = make_batch(5, 3, 4)
    for n_calls in (1, 2):
        dW, db = check.gradients(X, y)
        check.W, check.b = check.W - 0.3 * dW, check.b - 0.3 * db
        model.partial_fit(X, y)
        assert model.n_steps_ == n_calls
        np.testing.assert_allclose(model.W, check.W, atol=1e-14)
        np.testing.assert_allclose(model.b, check.b, atol=1e-14)


def test_partial_fit_with_changing_batch_sizes_matches_gradients():
    # The step reuses per-batch-size buffers; mixing sizes (and overflowing the cache) must not
    # leave stale values behind.
    model = make_model(5, 4, seed=3, eta=0.2, alpha=0.01)
    sizes = [5, 3, 5, 1, 3, 7, 5, *range(8, 20), 3, 1, 5]
    for step, B in enumerate(sizes):
        X, y = make_batch(B, 5, 4, seed=step)
        W, b = model.W.copy(), model.b.copy()
        dW, db = model.gradients(X, y)
        loss = model.loss(X, y)
        model.partial_fit(X, y)
        np.testing.assert_allclose(model.W, W - 0.2 * dW, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(model.b, b - 0.2 * db, rtol=1e-10, atol=1e-12)
        assert model.last_batch_loss_ == pytest.approx(loss, rel=1e-12)
        if step == 4:
            model.W = model.W * 0.5  # a new W array from the setter must be picked up too


def test_partial_fit_after_reset_to_new_sizes_or_dtype_matches_gradients():
    # Parameters are stored as given and used at reset(): buffers from the old shape or dtype
    # must not be reused for the new weights.
    model = make_model(3, 4, seed=4, eta=0.2)
    model.partial_fit(*make_batch(5, 3, 4))
    for D, C, dtype in [(6, 4, np.float64), (6, 2, np.float64), (6, 2, np.float32)]:
        model.n_features, model.n_classes, model.dtype = D, C, dtype
        model.reset()
        X, y = make_batch(5, D, C)
        W, b = model.W.copy(), model.b.copy()
        dW, db = model.gradients(X, y)
        model.partial_fit(X, y)
        assert model.W.shape == (C, D) and model.W.dtype == dtype
        np.testing.assert_allclose(model.W, W - 0.2 * dW, **TOLERANCE[dtype])
        np.testing.assert_allclose(model.b, b - 0.2 * db, **TOLERANCE[dtype])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("alpha", [0.0, 0.2])
@pytest.mark.parametrize("one_dimensional", [False, True])
def test_one_sample_step_matches_gradients(dtype, alpha, one_dimensional):
    # A batch of one takes its own path in the step (vectors and an outer product).
    model = make_model(7, 5, seed=5, alpha=alpha, eta=0.3, dtype=dtype)
    X, y = make_batch(1, 7, 5, seed=6)
    W, b = model.W.copy(), model.b.copy()
    dW, db = model.gradients(X, y)
    loss = model.loss(X, y)
    if one_dimensional:
        model.partial_fit(X[0], y[0])
    else:
        model.partial_fit(X, y)
    np.testing.assert_allclose(model.W, W - 0.3 * dW, **TOLERANCE[dtype])
    np.testing.assert_allclose(model.b, b - 0.3 * db, **TOLERANCE[dtype])
    assert model.last_batch_loss_ == pytest.approx(loss, rel=TOLERANCE[dtype]["rtol"])
    assert model.W.dtype == dtype and model.b.dtype == dtype and model.n_steps_ == 1


@pytest.mark.parametrize("B", [1, 2, 9])
def test_step_with_a_far_off_label_keeps_a_finite_loss(B):
    # z_y - max z = -2e4: a_y underflows to 0, yet the loss is logsumexp(z) - z_y, finite.
    model = make_model(3, 4, seed=0, scale=0.0)
    model.b = [0.0, 2e4, 0.0, 0.0]
    X, y = np.zeros((B, 3)), np.zeros(B, dtype=int)
    model.partial_fit(X, y)
    assert model.last_batch_loss_ == pytest.approx(2e4)
    np.testing.assert_allclose(model.b, [0.1, 2e4 - 0.1, 0.0, 0.0])


@pytest.mark.parametrize(
    "labels",
    [
        np.array([3, 0, 2, 1, 3], dtype=np.int8),
        np.array([3, 0, 2, 1, 3], dtype=np.uint8),
        np.array([3, 0, 2, 1, 3], dtype=np.int32),
        np.array([3, 0, 2, 1, 3], dtype=np.uint64),
        np.array([3, 9, 0, 9, 2, 9, 1, 9, 3])[::2],  # not contiguous
        [3, 0, 2, 1, 3],
    ],
)
def test_partial_fit_takes_any_integer_labels_and_layout_of_X(labels):
    X, y = make_batch(5, 3, 4)
    expected = make_model(3, 4, seed=2)
    dW, db = expected.gradients(X, np.array([3, 0, 2, 1, 3]))
    for layout in (X, np.asfortranarray(X), np.repeat(X, 2, axis=1)[:, ::2], X.astype(np.float32)):
        model = make_model(3, 4, seed=2)
        model.partial_fit(layout, labels)
        tol = dict(rtol=1e-6, atol=1e-7) if layout.dtype == np.float32 else dict(rtol=1e-12)
        np.testing.assert_allclose(model.W, expected.W - 0.1 * dW, **tol)
        np.testing.assert_allclose(model.b, expected.b - 0.1 * db, **tol)


@pytest.mark.parametrize(
    "labels",
    [
        np.array([0, -1, 2], dtype=np.int8),
        np.array([0, -128, 2], dtype=np.int8),
        np.array([0, np.iinfo(np.int64).min, 2]),
        np.array([0, 4, 2], dtype=np.uint16),
        np.array([0, 255, 2], dtype=np.uint8),
    ],
)
def test_labels_out_of_range_in_any_integer_dtype_are_rejected(labels):
    # The range check reads the labels as unsigned integers: negative ones must not slip through.
    model = make_model(3, 4)
    with pytest.raises(ValueError, match="labels must lie in 0..3"):
        model.partial_fit(np.zeros((3, 3)), labels)
    assert model.n_steps_ == 0


def test_last_batch_loss_is_nan_before_any_step():
    assert np.isnan(make_model(2, 3).last_batch_loss_)


# ----------------------------------------------------------------- parameters and validation
def test_W_and_b_setters_copy_their_input():
    model = make_model(3, 4)
    W, b = np.ones((4, 3)), np.ones(4)
    model.W, model.b = W, b
    W[0, 0] = b[0] = 99.0
    assert model.W[0, 0] == 1.0 and model.b[0] == 1.0


@pytest.mark.parametrize("shape", [(3, 4), (4,), (4, 3, 1), (5, 3)])
def test_W_setter_rejects_wrong_shape(shape):
    model = make_model(3, 4)
    before = model.W.copy()
    with pytest.raises(ValueError, match=r"W must have shape \(4, 3\)"):
        model.W = np.zeros(shape)
    np.testing.assert_array_equal(model.W, before)


@pytest.mark.parametrize("shape", [(3,), (4, 1), (1, 4), ()])
def test_b_setter_rejects_wrong_shape(shape):
    model = make_model(3, 4)
    with pytest.raises(ValueError, match=r"b must have shape \(4,\)"):
        model.b = np.zeros(shape)


def all_label_methods(model):
    return [model.loss, model.gradients, model.partial_fit, model.score]


@pytest.mark.parametrize("X_shape", [(5, 2), (5, 4), (5, 3, 1), (3, 5)])
def test_bad_X_shape_is_a_clear_ValueError(X_shape):
    model = make_model(3, 4)
    X, y = np.zeros(X_shape), np.zeros(5, int)
    with pytest.raises(ValueError, match=r"X must be B x D with D = 3"):
        model.predict_proba(X)
    for method in all_label_methods(model):
        with pytest.raises(ValueError, match=r"X must be B x D with D = 3"):
            method(X, y)


@pytest.mark.parametrize(
    "y, message",
    [
        ([0, 1, 4], "labels must lie in 0..3"),  # C = 4 is one past the last class
        ([0, -1, 2], "labels must lie in 0..3"),
        ([0, 1], "one label per row"),
        ([[0, 1, 2]], "one label per row"),
        ([0.0, 1.0, 2.0], "labels must be integers"),
        ([0.5, 1.0, 2.0], "labels must be integers"),
    ],
)
def test_bad_labels_are_a_clear_ValueError(y, message):
    model = make_model(3, 4)
    X = np.zeros((3, 3))
    W_before = model.W.copy()
    for method in all_label_methods(model):
        with pytest.raises(ValueError, match=message):
            method(X, np.array(y))
    np.testing.assert_array_equal(model.W, W_before)  # a rejected batch takes no step


@pytest.mark.parametrize("eta", [0.0, -0.1, float("nan"), float("inf")])
def test_non_positive_learning_rate_is_a_ValueError_at_partial_fit(eta):
    model = make_model(3, 4, eta=eta)  # stored as given, checked when used
    X, y = make_batch(2, 3, 4)
    with pytest.raises(ValueError, match="learning_rate must be a positive number"):
        model.partial_fit(X, y)
    assert model.n_steps_ == 0


def test_empty_batch_is_a_ValueError_at_partial_fit():
    with pytest.raises(ValueError, match="at least one sample"):
        make_model(3, 4).partial_fit(np.zeros((0, 3)), np.zeros(0, int))


@pytest.mark.parametrize("X", [np.zeros((0, 3)), np.zeros((0, 3), np.float32)])
@pytest.mark.parametrize("y", [[], np.zeros(0), np.zeros(0, int)], ids=["list", "float", "int"])
def test_empty_X_says_it_has_no_samples(X, y):
    with pytest.raises(ValueError, match="X has no samples"):
        make_model(3, 4).partial_fit(X, y)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_features_are_a_clear_ValueError_and_change_nothing(bad):
    model = make_model(3, 4)
    W = model.W.copy()
    X = np.ones((2, 3))
    X[1, 2] = bad
    with pytest.raises(ValueError, match="NaN or infinity"):
        model.partial_fit(X, [0, 1])
    np.testing.assert_array_equal(model.W, W)
    assert model.n_steps_ == 0


@pytest.mark.parametrize(("dtype", "feature"), [(np.float32, 1e20), (np.float64, 1e200)])
def test_overflowing_features_raise_and_keep_the_last_finite_weights(dtype, feature):
    # Issue 9, item 12: these left every weight NaN and raised nothing.
    model = SoftmaxClassifier(3, 4, learning_rate=0.5, random_state=0, dtype=dtype)
    X = np.full((4, 3), feature, dtype=dtype)
    y = np.array([0, 1, 2, 3])
    with pytest.raises(ValueError, match="diverged") as raised:
        for _ in range(5):  # the first step may still be finite; the next ones overflow
            W, b, steps = model.W.copy(), model.b.copy(), model.n_steps_
            model.partial_fit(X, y)
    assert "scale the features" in str(raised.value)
    assert np.isfinite(model.W).all() and np.isfinite(model.b).all()
    np.testing.assert_array_equal(model.W, W)
    np.testing.assert_array_equal(model.b, b)
    assert model.n_steps_ == steps


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(n_features=0, n_classes=3), "n_features"),
        (dict(n_features=2.5, n_classes=3), "n_features"),
        (dict(n_features=2, n_classes=1), "n_classes"),
        (dict(n_features=2, n_classes=3, dtype=np.int64), "dtype"),
    ],
)
def test_bad_sizes_or_dtype_are_a_ValueError(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SoftmaxClassifier(**kwargs)


def test_random_state_gives_reproducible_initial_weights():
    first, second = SoftmaxClassifier(5, 3, random_state=7), SoftmaxClassifier(5, 3, random_state=7)
    np.testing.assert_array_equal(first.W, second.W)
    np.testing.assert_array_equal(first.b, np.zeros(3))
    assert not np.array_equal(first.W, SoftmaxClassifier(5, 3, random_state=8).W)
    assert np.any(first.W != 0)
    # a Generator works too, and reset() redraws the same weights from an int seed
    from_rng = SoftmaxClassifier(5, 3, random_state=np.random.default_rng(7))
    np.testing.assert_array_equal(from_rng.W, first.W)
    trained = first.W.copy()
    first.partial_fit(*make_batch(4, 5, 3))
    first.reset()
    np.testing.assert_array_equal(first.W, trained)
    assert first.n_steps_ == 0


# These tests touch the legacy global generator on purpose, to show the model never does.
@pytest.fixture
def restore_global_rng():
    state = np.random.get_state()  # noqa: NPY002
    yield
    np.random.set_state(state)  # noqa: NPY002


def run_and_record(random_state):
    model = SoftmaxClassifier(4, 3, random_state=random_state)
    X, y = make_batch(6, 4, 3)
    model.partial_fit(X, y)
    return model.W.copy()


def test_no_global_numpy_random_is_used_or_consumed(restore_global_rng):
    # The global generator in two different states (what np.random.seed(0) / seed(1) would set)
    # must not change the result, and the model must not draw from it.
    np.random.set_state(np.random.RandomState(0).get_state())  # noqa: NPY002
    with_state_0 = run_and_record(random_state=3)
    np.random.set_state(np.random.RandomState(1).get_state())  # noqa: NPY002
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    with_state_1 = run_and_record(random_state=3)
    np.testing.assert_array_equal(with_state_0, with_state_1)
    np.testing.assert_array_equal(np.random.get_state()[1], before)  # noqa: NPY002


def test_float32_model_keeps_float32_everywhere():
    model = SoftmaxClassifier(3, 4, random_state=0, dtype=np.float32)
    assert model.W.dtype == np.float32 and model.b.dtype == np.float32
    model.W = np.ones((4, 3), dtype=np.float64)  # the setter keeps the model's dtype
    model.b = np.zeros(4, dtype=np.float64)
    assert model.W.dtype == np.float32 and model.b.dtype == np.float32
    X, y = make_batch(5, 3, 4)  # float64 input
    model.partial_fit(X, y)
    assert model.W.dtype == np.float32 and model.b.dtype == np.float32
    assert model.predict_proba(X).dtype == np.float32
    assert all(g.dtype == np.float32 for g in model.gradients(X, y))


def test_loss_and_score_in_one_pass_equal_loss_and_score():
    from model import load_dataset

    data = load_dataset("digits")
    clf = SoftmaxClassifier(data.n_features, data.n_classes, alpha=0.01, random_state=1)
    clf.partial_fit(data.X_train[:50], data.y_train[:50])
    assert clf.loss_and_score(data.X_test, data.y_test) == (
        clf.loss(data.X_test, data.y_test),
        clf.score(data.X_test, data.y_test),
    )
