"""Independent checks of model/softmax.py against docs/math.md, sections 1-3.

Expected values come from finite differences, hand arithmetic or a few lines of NumPy written
here from the formulas, never from the implementation's own helpers.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.softmax import (
    SoftmaxClassifier,
    cross_entropy,
    logsumexp,
    softmax,
    softmax_jacobian,
)
from tests.model.softmax_cases import (
    SETTINGS,
    central_difference,
    make_batch,
    make_model,
    problems,
    reference_softmax,
    relative_error,
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
