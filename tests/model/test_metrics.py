"""model.confusion_matrix (docs/math.md, section 6) against counts made independently: a loop over
the samples, hand-worked cases, and scikit-learn where it is installed."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model import confusion_matrix


def counted_by_loop(y_true, y_pred, C):
    counts = [[0] * C for _ in range(C)]
    for t, p in zip(y_true, y_pred, strict=True):
        counts[t][p] += 1
    return np.array(counts)


def test_a_hand_worked_three_class_case():
    # true:      0  0  0  1  1  2  2  2  2
    # predicted: 0  0  1  1  2  2  2  0  2
    y_true = [0, 0, 0, 1, 1, 2, 2, 2, 2]
    y_pred = [0, 0, 1, 1, 2, 2, 2, 0, 2]
    expected = [[2, 1, 0],  # class 0: two right, one read as 1
                [0, 1, 1],  # class 1: one right, one read as 2
                [1, 0, 3]]  # class 2: three right, one read as 0  # fmt: skip
    M = confusion_matrix(y_true, y_pred, 3)
    np.testing.assert_array_equal(M, expected)
    assert M.dtype.kind == "i" and M.shape == (3, 3)
    assert np.trace(M) / M.sum() == pytest.approx(6 / 9)  # overall accuracy
    np.testing.assert_allclose(M.diagonal() / M.sum(axis=1), [2 / 3, 1 / 2, 3 / 4])  # recall


def test_rows_are_true_classes_and_columns_predictions():
    M = confusion_matrix([1], [3], 4)  # one sample of class 1 read as 3
    assert M[1, 3] == 1 and M.sum() == 1


def test_a_class_never_seen_or_predicted_gives_an_empty_row_and_column():
    M = confusion_matrix([0, 1, 0], [1, 1, 0], 4)
    np.testing.assert_array_equal(M[2:], 0)
    np.testing.assert_array_equal(M[:, 2:], 0)


def test_no_samples_give_zeros():
    np.testing.assert_array_equal(confusion_matrix([], [], 3), np.zeros((3, 3)))


@given(
    C=st.integers(1, 12),
    data=st.data(),
)
def test_equals_a_loop_over_the_samples(C, data):
    n = data.draw(st.integers(0, 60))
    labels = st.lists(st.integers(0, C - 1), min_size=n, max_size=n)
    y_true, y_pred = data.draw(labels), data.draw(labels)
    M = confusion_matrix(np.array(y_true, dtype=np.int64), np.array(y_pred, dtype=np.int64), C)
    np.testing.assert_array_equal(M, counted_by_loop(y_true, y_pred, C).reshape(C, C))
    np.testing.assert_array_equal(M.sum(axis=1), np.bincount(y_true, minlength=C))
    np.testing.assert_array_equal(M.sum(axis=0), np.bincount(y_pred, minlength=C))


def test_equals_scikit_learn():
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    expected = metrics.confusion_matrix(y_true, y_pred, labels=range(10))
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred, 10), expected)


def test_accepts_any_integer_type_and_whole_floats():
    expected = confusion_matrix([0, 1], [1, 1], 2)
    for kind in (np.uint8, np.int32, np.float64):
        y_true, y_pred = np.array([0, 1], dtype=kind), np.array([1, 1], dtype=kind)
        np.testing.assert_array_equal(confusion_matrix(y_true, y_pred, 2), expected)


@pytest.mark.parametrize(
    "y_true, y_pred, C, message",
    [
        ([0, 3], [0, 1], 3, "y_true holds label 3, outside 0..2"),
        ([0, 1], [0, -1], 3, "y_pred holds label -1, outside 0..2"),
        ([0, 1, 2], [0, 1], 3, "same length, got 3 and 2"),
        ([[0, 1]], [[0, 1]], 2, "1-D"),
        ([0.5, 1], [0, 1], 2, "integer class labels"),
        ([0], [0], 0, "at least 1"),
    ],
)
def test_bad_input_raises_a_clear_value_error(y_true, y_pred, C, message):
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        confusion_matrix(y_true, y_pred, C)
