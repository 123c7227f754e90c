"""Independent checks of model/softmax.py against ../shared/math.md, sections 1-3.

Expected values come from finite differences, hand arithmetic or a few lines of NumPy written
here from the formulas, never from the implementation's own helpers.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.softmax import (
    SoftmaxClassifier,
    cross_entropy,
    logsumexp,
    softmax,
    softmax_jacobian,
)

SETTINGS = settings(max_examples=40, deadline=None)


# ----------------------------------------------------------------- helpers
def make_model(D, C, seed=0, alpha=0.0, eta=0.1, dtype=np.float64, scale=1.0):
    """A model with W and b drawn at `scale`, so tests do not sit at the near-zero init."""
    rng = np.random.default_rng(seed)
    model = SoftmaxClassifier(D, C, learning_rate=eta, alpha=alpha, random_state=seed, dtype=dtype)
    model.W = scale * rng.standard_normal((C, D))
    model.b = scale * rng.standard_normal(C)
    return model


def make_batch(B, D, C, seed=1):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((B, D)), rng.integers(0, C, size=B)


def reference_softmax(z):
    """One sample, written from a_i = exp(z_i) / sum_l exp(z_l); only for moderate z."""
    e = np.exp(np.asarray(z, dtype=np.float64))
    return e / e.sum()


def relative_error(got, expected):
    return np.linalg.norm(got - expected) / max(np.linalg.norm(got), np.linalg.norm(expected))


def central_difference(f, model, name, h=1e-6):
    """d f / d (model.<name>) by central differences, one entry at a time, via the setters."""
    base = getattr(model, name).copy()
    grad = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        step = np.zeros_like(base)
        step[idx] = h
        setattr(model, name, base + step)
        f_plus = f()
        setattr(model, name, base - step)
        f_minus = f()
        grad[idx] = (f_plus - f_minus) / (2 * h)
    setattr(model, name, base)
    return grad


@st.composite
def problems(draw, max_b=8):
    """(model seed, B, D, C, eta, alpha): small random problem sizes and step settings."""
    return (
        draw(st.integers(0, 2**31)),
        draw(st.integers(1, max_b)),
        draw(st.integers(1, 6)),
        draw(st.integers(2, 6)),
        draw(st.floats(1e-3, 1.0)),
        draw(st.sampled_from([0.0, 1e-3, 0.5])),
    )


# ----------------------------------------------------------------- gradients (math.md section 2)
@pytest.mark.parametrize("B, D, C", [(1, 1, 2), (1, 5, 4), (7, 4, 3), (16, 6, 10)])
@pytest.mark.parametrize("alpha", [0.0, 0.3])
def test_gradients_match_central_differences_of_loss(B, D, C, alpha):
    model = make_model(D, C, seed=B * 100 + D, alpha=alpha)
    X, y = make_batch(B, D, C, seed=C)
    dW, db = model.gradients(X, y)
    fd_W = central_difference(lambda: model.loss(X, y), model, "W")
    fd_b = central_difference(lambda: model.loss(X, y), model, "b")
    assert dW.shape == (C, D) and db.shape == (C,)
    assert relative_error(dW, fd_W) < 1e-6
    assert relative_error(db, fd_b) < 1e-6


def test_weight_decay_adds_half_alpha_squared_norm_to_loss_and_alpha_W_to_gradient():
    plain = make_model(3, 4, seed=5)
    decayed = make_model(3, 4, seed=5, alpha=0.2)
    X, y = make_batch(6, 3, 4)
    assert decayed.loss(X, y) == pytest.approx(plain.loss(X, y) + 0.1 * np.sum(plain.W**2))
    np.testing.assert_allclose(
        decayed.gradients(X, y)[0], plain.gradients(X, y)[0] + 0.2 * plain.W, atol=1e-12
    )
    # b is not decayed
    np.testing.assert_allclose(decayed.gradients(X, y)[1], plain.gradients(X, y)[1], atol=1e-12)


# ----------------------------------------------------------------- the Jacobian d a / d z
@pytest.mark.parametrize("D, C, seed", [(2, 2, 0), (3, 3, 1), (5, 10, 2)])
def test_jacobian_matches_central_differences_of_softmax(D, C, seed):
    model = make_model(D, C, seed=seed)
    x = np.random.default_rng(seed + 10).standard_normal(D)
    J = model.jacobian(x)
    # z = W x + b, so d a / d z_j = d a / d b_j: perturb b_j, read column j of J.
    fd = np.zeros((C, C))
    h = 1e-6
    for j in range(C):
        step = np.zeros(C)
        step[j] = h
        b = model.b.copy()
        model.b = b + step
        a_plus = model.predict_proba(x)[0]
        model.b = b - step
        a_minus = model.predict_proba(x)[0]
        model.b = b
        fd[:, j] = (a_plus - a_minus) / (2 * h)
    assert J.shape == (C, C)
    np.testing.assert_allclose(J, fd, atol=1e-9)


def assert_jacobian_properties(J, a):
    C = len(a)
    np.testing.assert_allclose(J, J.T, atol=1e-15)  # symmetric
    np.testing.assert_allclose(J.sum(axis=0), 0.0, atol=1e-12)  # every column sums to 0
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-12)  # every row sums to 0
    eigenvalues = np.linalg.eigvalsh(J)
    assert eigenvalues.min() > -1e-12  # positive semi-definite
    # Shifting every z by the same amount leaves a unchanged: the all-ones vector is in the kernel.
    np.testing.assert_allclose(J @ np.ones(C), 0.0, atol=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_model_jacobian_is_symmetric_psd_with_zero_eigenvalue_along_ones(seed):
    model = make_model(4, 6, seed=seed, scale=0.3)  # moderate logits: no a_i close to 0
    x = np.random.default_rng(seed).standard_normal(4)
    J = model.jacobian(x)
    assert_jacobian_properties(J, model.predict_proba(x)[0])
    # All a_i > 0 here, so the kernel is exactly the ones direction and every other eigenvalue > 0.
    eigenvalues, vectors = np.linalg.eigh(J)
    assert abs(eigenvalues[0]) < 1e-12 and eigenvalues[1] > 1e-6
    np.testing.assert_allclose(np.abs(vectors[:, 0]), 1 / np.sqrt(6), atol=1e-9)


@SETTINGS
@given(st.lists(st.floats(0.0, 1.0), min_size=2, max_size=12).filter(lambda v: sum(v) > 0))
def test_softmax_jacobian_properties_for_any_probability_vector(weights):
    a = np.array(weights) / np.sum(weights)
    J = softmax_jacobian(a)
    # J_ii = a_i (1 - a_i), J_ij = -a_i a_j, written out entry by entry
    for i in range(len(a)):
        for j in range(len(a)):
            expected = a[i] * (1 - a[i]) if i == j else -a[i] * a[j]
            assert J[i, j] == pytest.approx(expected, abs=1e-15)
    assert_jacobian_properties(J, a)


def test_jacobian_rejects_a_batch():
    model = make_model(3, 4)
    with pytest.raises(ValueError, match="one sample"):
        model.jacobian(np.zeros((2, 3)))


# ----------------------------------------------------------------- basic identities
@SETTINGS
@given(problems())
def test_dloss_dz_entries_sum_to_zero_for_every_sample(problem):
    seed, B, D, C, _, _ = problem
    model = make_model(D, C, seed=seed)
    X, y = make_batch(B, D, C, seed=seed + 1)
    for x_k, y_k in zip(X, y, strict=True):
        db_k = model.gradients(x_k, y_k)[1]  # for one sample, d loss / d b = a - e_y
        assert abs(db_k.sum()) < 1e-12


@SETTINGS
@given(
    st.lists(st.floats(-50, 50), min_size=2, max_size=10),
    st.floats(-1e3, 1e3),
)
def test_softmax_ignores_a_constant_added_to_every_logit(z, shift):
    z = np.array(z)
    np.testing.assert_allclose(softmax(z + shift), softmax(z), rtol=1e-9, atol=1e-300)


@SETTINGS
@given(problems(max_b=20))
def test_predict_proba_rows_sum_to_one_and_predict_is_argmax(problem):
    seed, B, D, C, _, _ = problem
    model = make_model(D, C, seed=seed, scale=5.0)
    X, _ = make_batch(B, D, C, seed=seed + 1)
    A = model.predict_proba(X)
    assert A.shape == (B, C)
    np.testing.assert_allclose(A.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_array_equal(model.predict(X), A.argmax(axis=1))


# ----------------------------------------------------------------- a hand-worked example
def test_hand_worked_three_class_example():
    # D = 2, C = 3, one sample x = (2, 1) with label y = 1.
    model = SoftmaxClassifier(2, 3, learning_rate=0.5)
    model.W = [[0.5, -0.5], [1.0, 0.0], [0.0, 1.0]]
    model.b = [-0.5, -1.0, 1.0]
    x, y = np.array([2.0, 1.0]), 1
    # z = W x + b = (1 - 0.5 - 0.5, 2 + 0 - 1, 0 + 1 + 1) = (0, 1, 2)
    np.testing.assert_allclose(model.decision_function(x), [[0.0, 1.0, 2.0]], atol=1e-15)
    # exp(z) = (1, 2.718282, 7.389056), sum S = 11.107338
    # a = exp(z) / S = (0.090031, 0.244728, 0.665241)
    a = np.array([0.090031, 0.244728, 0.665241])
    np.testing.assert_allclose(model.predict_proba(x)[0], a, atol=1e-6)
    # loss = -log a_1 = log S - z_1 = 2.407606 - 1 = 1.407606
    assert model.loss(x, [y]) == pytest.approx(1.407606, abs=1e-6)
    # J_ii = a_i (1 - a_i): 0.090031 * 0.909969 = 0.081925, 0.244728 * 0.755272 = 0.184836,
    #                       0.665241 * 0.334759 = 0.222695
    # J_ij = -a_i a_j:      J_01 = -0.022033, J_02 = -0.059892, J_12 = -0.162803
    J = [
        [0.081925, -0.022033, -0.059892],
        [-0.022033, 0.184836, -0.162803],
        [-0.059892, -0.162803, 0.222695],
    ]
    np.testing.assert_allclose(model.jacobian(x), J, atol=2e-6)
    # d loss / d z = a - e_1 = (0.090031, -0.755272, 0.665241) = d loss / d b
    # d loss / d W = (a - e_1) x^T, x = (2, 1): each row is (2 g_i, g_i)
    dz = [0.090031, -0.755272, 0.665241]
    dW = [[0.180062, 0.090031], [-1.510544, -0.755272], [1.330482, 0.665241]]
    got_dW, got_db = model.gradients(x, [y])
    np.testing.assert_allclose(got_db, dz, atol=2e-6)
    np.testing.assert_allclose(got_dW, dW, atol=4e-6)
    # One step with eta = 0.5: W - 0.5 dW, b - 0.5 dz
    model.partial_fit(x, [y])
    W_new = [[0.5 - 0.090031, -0.5 - 0.045016], [1 + 0.755272, 0.377636], [-0.665241, 0.667380]]
    np.testing.assert_allclose(model.W, W_new, atol=4e-6)
    np.testing.assert_allclose(model.b, [-0.545016, -0.622364, 0.667380], atol=2e-6)


# ----------------------------------------------------------------- extreme logits
extreme = st.floats(-1e4, 1e4)


@SETTINGS
@given(st.lists(extreme, min_size=2, max_size=10), st.data())
def test_extreme_logits_give_finite_probabilities_and_losses(z, data):
    Z = np.array([z])
    y = data.draw(st.integers(0, len(z) - 1))
    A = softmax(Z)
    assert np.all(np.isfinite(A)) and np.all((A >= 0) & (A <= 1))
    np.testing.assert_allclose(A.sum(axis=1), 1.0, atol=1e-12)
    loss = cross_entropy(Z, np.array([y]))[0]
    # logsumexp lies between max z and max z + log C, so the loss is bounded on both sides
    gap = max(z) - z[y]
    assert np.isfinite(loss) and gap - 1e-9 <= loss <= gap + np.log(len(z)) + 1e-9
    lse = logsumexp(Z)[0]
    assert max(z) - 1e-9 <= lse <= max(z) + np.log(len(z)) + 1e-9


@SETTINGS
@given(st.lists(extreme, min_size=2, max_size=6), st.data())
def test_model_with_extreme_logits_stays_finite(bias, data):
    C = len(bias)
    model = make_model(3, C, seed=0)
    model.b = bias  # logits up to about +-1e4
    X, y = make_batch(4, 3, C)
    y[0] = data.draw(st.integers(0, C - 1))
    A = model.predict_proba(X)
    assert np.all(np.isfinite(A)) and np.all((A >= 0) & (A <= 1))
    np.testing.assert_allclose(A.sum(axis=1), 1.0, atol=1e-12)
    assert np.isfinite(model.loss(X, y))
    assert all(np.all(np.isfinite(g)) for g in model.gradients(X, y))
    model.partial_fit(X, y)
    assert np.isfinite(model.last_batch_loss_)
    assert np.all(np.isfinite(model.W)) and np.all(np.isfinite(model.b))


# ----------------------------------------------------------------- single-sample formulas
@SETTINGS
@given(problems(max_b=1))
def test_batch_of_one_equals_single_sample_formulas(problem):
    seed, _, D, C, _, _ = problem
    model = make_model(D, C, seed=seed)
    X, y = make_batch(1, D, C, seed=seed + 1)
    x, label = X[0], y[0]
    z = model.W @ x + model.b
    a = reference_softmax(z)
    g = a.copy()
    g[label] -= 1.0  # a - e_y
    assert model.loss(X, y) == pytest.approx(-np.log(a[label]), rel=1e-12, abs=1e-12)
    dW, db = model.gradients(X, y)
    np.testing.assert_allclose(dW, np.outer(g, x), atol=1e-12)
    np.testing.assert_allclose(db, g, atol=1e-12)
    # a 1-D x is one sample
    np.testing.assert_allclose(model.predict_proba(x), a[None, :], atol=1e-12)
    np.testing.assert_allclose(model.gradients(x, label)[0], dW, atol=1e-15)


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
