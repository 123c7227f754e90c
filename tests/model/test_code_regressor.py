"""Independent checks of model/code_regressor.py against docs/math.md, section 8.

Expected values come from finite differences, hand arithmetic, or a few lines written here from
the formulas (bin(v).count("1") for a Hamming distance), never from the module's own helpers.
"""

import numpy as np
import pytest

from model import BinaryOutputNetwork, CodeRegressor, code_distance_matrix
from model.code_regressor import class_codes, code_distances, decode_outputs, sigmoid
from model.codes_comparison import pair_distance_shares
from tests.model.softmax_cases import central_difference, make_batch, relative_error


def make_regressor(D, C, seed=0, eta=0.5):
    """A regressor with W and b drawn at scale 1 (outputs away from 0.5, gradients not tiny)."""
    rng = np.random.default_rng(seed)
    model = CodeRegressor(D, C, learning_rate=eta, random_state=seed)
    model.W = rng.standard_normal(model.W.shape)
    model.b = rng.standard_normal(model.b.shape)
    return model


def squared_error_loss(model, X, y):
    """Written here from the definition: mean_k sum_j (1 / (1 + exp(-z_kj)) - bit_j(y_k))^2."""
    Z = X @ model.W.T + model.b
    S = 1.0 / (1.0 + np.exp(-Z))
    T = np.array([[(label >> j) & 1 for j in range(model.n_bits)] for label in y])
    return float(np.mean(np.sum((S - T) ** 2, axis=1)))


# ----------------------------------------------------------------- the gradient
@pytest.mark.parametrize("B, D, C", [(1, 1, 2), (1, 5, 10), (7, 4, 3), (16, 6, 10), (9, 3, 16)])
def test_gradients_match_central_differences(B, D, C):
    model = make_regressor(D, C, seed=B + D + C)
    X, y = make_batch(B, D, C, seed=C)
    dW, db = model.gradients(X, y)
    fd_W = central_difference(lambda: squared_error_loss(model, X, y), model, "W")
    fd_b = central_difference(lambda: squared_error_loss(model, X, y), model, "b")
    assert dW.shape == (model.n_bits, D) and db.shape == (model.n_bits,)
    assert relative_error(dW, fd_W) < 1e-6
    assert relative_error(db, fd_b) < 1e-6


def test_gradient_by_hand_at_zero_weights():
    # W = 0, b = 0: every s_j = 1/2, so d loss / d z_j = 2 (1/2 - t_j) (1/2)(1/2) = 1/4 - t_j / 2.
    model = CodeRegressor(2, 10, random_state=0)
    model.W[:] = 0.0
    x = np.array([[2.0, -1.0]])
    dW, db = model.gradients(x, [6])  # 6 = 0110: t = (0, 1, 1, 0), least significant first
    expected_dz = np.array([0.25, -0.25, -0.25, 0.25])
    np.testing.assert_allclose(db, expected_dz)
    np.testing.assert_allclose(dW, np.outer(expected_dz, [2.0, -1.0]))
    assert model.loss(x, [6]) == pytest.approx(4 * 0.25)


def test_partial_fit_is_one_gradient_step():
    model = make_regressor(5, 10, seed=3, eta=0.7)
    X, y = make_batch(8, 5, 10, seed=4)
    dW, db = model.gradients(X, y)
    W, b = model.W - 0.7 * dW, model.b - 0.7 * db
    loss_before = squared_error_loss(model, X, y)
    model.partial_fit(X, y)
    np.testing.assert_allclose(model.W, W, rtol=1e-12)
    np.testing.assert_allclose(model.b, b, rtol=1e-12)
    assert model.last_batch_loss_ == pytest.approx(loss_before)
    assert model.n_steps_ == 1


def test_partial_fit_refuses_bad_input_and_changes_nothing():
    model = make_regressor(3, 10)
    W = model.W.copy()
    for X, y in (([[1.0, 2.0]], [0]), ([[1.0, 2.0, 3.0]], [10]), ([[1.0, 2.0, 3.0]], [-1])):
        with pytest.raises(ValueError):
            model.partial_fit(X, y)
    model.learning_rate = -1.0
    with pytest.raises(ValueError, match="learning_rate"):
        model.partial_fit([[1.0, 2.0, 3.0]], [1])
    np.testing.assert_array_equal(model.W, W)


def test_targets_use_the_binary_output_networks_bit_order():
    # Row y of the targets is what BinaryOutputNetwork outputs for a one-hot y.
    network = BinaryOutputNetwork(10)
    np.testing.assert_array_equal(class_codes(10), network.forward(np.eye(10)))
    np.testing.assert_array_equal(class_codes(10)[7], [1, 1, 1, 0])  # 7 = 0111
    np.testing.assert_array_equal(class_codes(10)[9], [1, 0, 0, 1])  # 9 = 1001
    assert CodeRegressor(4, 10).n_bits == 4 and CodeRegressor(4, 16).n_bits == 4
    assert CodeRegressor(4, 17).n_bits == 5 and CodeRegressor(4, 2).n_bits == 1


def test_sigmoid_is_stable_and_right():
    z = np.array([-800.0, -30.0, -1.0, 0.0, 2.0, 800.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        s = sigmoid(z)
    np.testing.assert_allclose(s[1:5], 1 / (1 + np.exp(-z[1:5])), rtol=1e-12)
    assert s[0] == 0.0 and s[-1] == 1.0


# ----------------------------------------------------------------- decoding and invalid codes
def test_decoding_thresholds_each_output_at_one_half():
    S = np.array(
        [
            [0.9, 0.2, 0.7, 0.51],  # bits 1, 0, 1, 1 (least significant first): 1 + 4 + 8 = 13
            [0.5, 0.5, 0.5, 0.5],  # exactly 0.5 is not above it: 0
            [0.1, 0.99, 0.8, 0.3],  # 0110 = 6
            [1.0, 1.0, 1.0, 1.0],  # 15
        ]
    )
    np.testing.assert_array_equal(decode_outputs(S), [13, 0, 6, 15])


def test_a_model_pushed_to_an_invalid_code_decodes_to_it():
    model = CodeRegressor(2, 10, random_state=0)
    model.W[:] = 0.0
    model.b[:] = [-5.0, 5.0, -5.0, 5.0]  # bits 0, 1, 0, 1: 1010 = 10, no digit
    values = model.decode(np.ones((3, 2)))
    np.testing.assert_array_equal(values, [10, 10, 10])
    assert model.score(np.ones((3, 2)), [0, 1, 2]) == 0.0


# ----------------------------------------------------------------- the cost matrix
def test_cost_matrix_hand_worked_entries():
    d = code_distance_matrix(16)
    assert d[0, 7] == 3  # 0000 against 0111
    assert d[0, 1] == 1  # 0000 against 0001
    assert d[0, 15] == 4  # 0000 against 1111
    assert d[9, 6] == 4  # 1001 against 0110
    assert d[5, 7] == 1  # 0101 against 0111


def test_cost_matrix_is_the_hamming_distance_and_the_squared_error_of_codes():
    for C in (2, 3, 10, 16):
        d = code_distance_matrix(C)
        expected = [[bin(i ^ j).count("1") for j in range(C)] for i in range(C)]
        np.testing.assert_array_equal(d, expected)
        T = class_codes(C)
        np.testing.assert_array_equal(d, ((T[:, None, :] - T[None, :, :]) ** 2).sum(axis=2))
    with pytest.raises(ValueError):
        code_distance_matrix(1)


def test_code_distances_of_any_values():
    np.testing.assert_array_equal(code_distances([0, 3, 12, 255], [15, 3, 10, 0]), [4, 0, 2, 8])


def test_a_third_of_the_digit_pairs_are_at_distance_one():
    # Unordered pairs of 0..9 one bit apart, counted by hand: 0-1 0-2 0-4 0-8 1-3 1-5 1-9 2-3
    # 2-6 3-7 4-5 4-6 5-7 6-7 8-9: 15 of the 45 pairs.
    shares = pair_distance_shares(10)
    assert shares[0] == 0.0
    assert shares[1] == pytest.approx(15 / 45)
    assert shares.sum() == pytest.approx(1.0)
    d = code_distance_matrix(10)
    assert np.sum(np.triu(d == 1)) == 15
