"""How a classifier's answers compare with the labels: the confusion matrix (math.md section 6)."""

from __future__ import annotations

import numpy as np


def confusion_matrix(y_true, y_pred, n_classes: int) -> np.ndarray:
    """Counts M (n_classes x n_classes, int64): M[i, j] = how many samples of true class i were
    predicted as class j.

    y_true, y_pred: (N,) integer labels in 0..n_classes-1. Row i sums to the number of samples of
    class i, the diagonal holds the right answers, and M.sum() = N.
    """
    n_classes = int(n_classes)
    if n_classes < 1:
        raise ValueError(f"n_classes must be at least 1, got {n_classes}")
    y_true, y_pred = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same length, got {y_true.size} and {y_pred.size}"
        )
    for name, labels in (("y_true", y_true), ("y_pred", y_pred)):
        outside = (labels < 0) | (labels >= n_classes)
        if outside.any():
            raise ValueError(
                f"{name} holds label {int(labels[outside][0])}, outside 0..{n_classes - 1}"
            )
    # One bincount over the flat cell index i * C + j: vectorised, and exact for any N.
    cells = y_true * n_classes + y_pred
    return np.bincount(cells, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def _labels(values, name: str) -> np.ndarray:
    """`values` as a 1-D int64 array; floats are accepted only if they are whole numbers."""
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one label per sample (1-D), got shape {array.shape}")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        if not np.issubdtype(array.dtype, np.floating) or not np.all(array == np.round(array)):
            raise ValueError(f"{name} must hold integer class labels, got {array.dtype}")
    return array.astype(np.int64)
