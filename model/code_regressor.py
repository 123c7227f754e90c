"""The code regressor of docs/math.md, section 8: the sheet's rejected suggestion (problem 2.1).

What it is: a linear layer with K = ceil(log2 C) sigmoid outputs, s = sigmoid(W x + b), trained
by minibatch gradient descent on the squared error sum_j (s_j - t_j)^2 to the class's binary code
t (bit j of y, least significant bit first, as in BinaryOutputNetwork), and read by thresholding
each output at 0.5. What it is not: a good classifier; it is here to be compared with the softmax.

Shapes: D features, C classes, K bits, B samples. W is K x D, b is K.
"""

from __future__ import annotations

import math

import numpy as np

from .binary_output import binary_code_matrix, n_bits_for
from .softmax import checked_sizes, initial_parameters

__all__ = [
    "CodeRegressor",
    "class_codes",
    "code_distance_matrix",
    "code_distances",
    "decode_outputs",
    "sigmoid",
]


def sigmoid(Z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)) elementwise, without overflow for large |z|."""
    Z = np.asarray(Z, dtype=float)
    E = np.exp(-np.abs(Z))  # in (0, 1]: never overflows
    return np.where(Z >= 0, 1.0 / (1.0 + E), E / (1.0 + E))


def class_codes(n_classes: int) -> np.ndarray:
    """T, C x K: row y is the code of class y, T[y, j] = bit j of y (least significant first)."""
    return binary_code_matrix(n_classes).T.astype(np.float64)


def code_distances(values, others) -> np.ndarray:
    """The Hamming distance between code values (integers) elementwise: popcount(v XOR u)."""
    x = np.bitwise_xor(np.asarray(values, dtype=np.int64), np.asarray(others, dtype=np.int64))
    count = np.zeros(x.shape, dtype=np.int64)
    while np.any(x):
        count += x & 1
        x = x >> 1
    return count


def code_distance_matrix(n_classes: int) -> np.ndarray:
    """C x C: the squared-error cost of answering code j for class i (0/1 outputs), which is
    the Hamming distance between the codes of i and j. d(0, 7) = 3, d(0, 1) = 1."""
    n_classes = int(n_classes)
    if n_classes < 2:
        raise ValueError(f"n_classes must be an integer >= 2, got {n_classes!r}")
    classes = np.arange(n_classes)
    return code_distances(classes[:, None], classes[None, :])


def decode_outputs(S: np.ndarray) -> np.ndarray:
    """The code value each row of outputs S (B x K) reads as: bit j is 1 where s_j > 0.5,
    value = sum_j bit_j 2^j (B ints, 0 .. 2^K - 1; values >= C name no class)."""
    S = np.asarray(S)
    return (S > 0.5).astype(np.int64) @ (1 << np.arange(S.shape[1], dtype=np.int64))


class CodeRegressor:
    """Squared error on binary codes, by minibatch gradient descent (math.md section 8).

    Parameters are stored as given and checked when used, as SoftmaxClassifier does.
    n_features: D. n_classes: C (K = ceil(log2 C) outputs). learning_rate: eta.
    random_state: None, an int seed or a Generator for the initial weights (N(0, init_scale^2)).
    """

    def __init__(
        self,
        n_features: int,
        n_classes: int,
        learning_rate: float = 1.0,
        random_state: int | np.random.Generator | None = None,
        dtype=np.float64,
        init_scale: float = 0.01,
    ):
        self.n_features = n_features
        self.n_classes = n_classes
        self.learning_rate = learning_rate
        self.random_state = random_state
        self.dtype = dtype
        self.init_scale = init_scale
        self.reset()

    def reset(self) -> CodeRegressor:
        """(Re-)draw W from N(0, init_scale^2) with random_state, b = 0, step count 0."""
        D, C = checked_sizes(self.n_features, self.n_classes)
        self.W, self.b = initial_parameters(
            n_bits_for(C), D, self.init_scale, self.random_state, self.dtype
        )
        self.codes = class_codes(C).astype(self.dtype)  # C x K targets
        self.n_steps_ = 0
        self.last_batch_loss_ = float("nan")
        return self

    @property
    def n_bits(self) -> int:
        return self.W.shape[0]

    # ----------------------------------------------------------------- forward
    def outputs(self, X) -> np.ndarray:
        """S = sigmoid(X W^T + b), B x K, each in (0, 1)."""
        X = np.asarray(X, dtype=self.W.dtype)
        return sigmoid(X @ self.W.T + self.b)

    def decode(self, X) -> np.ndarray:
        """The code value of each row of X (B ints in 0 .. 2^K - 1), each output cut at 0.5."""
        return decode_outputs(self.outputs(X))

    def loss(self, X, y) -> float:
        """Mean over the batch of sum_j (s_j - t_j)^2, t the code of y."""
        S = self.outputs(X)
        return float(np.mean(np.sum((S - self.codes[np.asarray(y)]) ** 2, axis=1)))

    def score(self, X, y) -> float:
        """Accuracy: the fraction of rows whose decoded code is the code of the label."""
        return float(np.mean(self.decode(X) == np.asarray(y)))

    # ----------------------------------------------------------------- learning
    def gradients(self, X, y) -> tuple[np.ndarray, np.ndarray]:
        """Batch-mean gradients (dW, db), K x D and K (math.md section 8).

        d loss / d z = 2 (s - t) * s * (1 - s) per sample (G, B x K);
        dW = G^T X / B; db = mean of the rows of G.
        """
        X = np.asarray(X, dtype=self.W.dtype)
        S = self.outputs(X)
        G = 2.0 * (S - self.codes[np.asarray(y)]) * S * (1.0 - S)
        return G.T @ X / len(X), G.mean(axis=0)

    def partial_fit(self, X, y) -> CodeRegressor:
        """One minibatch step: W <- W - eta dW, b <- b - eta db; the batch's loss before the
        step is kept in `last_batch_loss_`."""
        if not (math.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ValueError(f"learning_rate must be a positive number, got {self.learning_rate!r}")
        X = np.asarray(X, dtype=self.W.dtype)
        y = np.asarray(y)
        if X.ndim != 2 or X.shape[1] != self.W.shape[1] or len(X) == 0 or y.shape != (len(X),):
            raise ValueError(f"X must be B x {self.W.shape[1]} (B >= 1) with B labels")
        if y.min() < 0 or y.max() >= self.n_classes:
            raise ValueError(f"labels must lie in 0..{self.n_classes - 1}")
        self._step(X, y)
        return self

    def _step(self, X: np.ndarray, y: np.ndarray) -> None:
        """partial_fit on checked X (B x D, the model's dtype) and y (B ints)."""
        S = sigmoid(X @ self.W.T + self.b)
        error = S - self.codes[y]
        self.last_batch_loss_ = float(np.einsum("ij,ij->", error, error)) / len(X)
        G = error * S * (1.0 - S)
        G *= 2.0 * self.learning_rate / len(X)  # eta d loss / d z, over B
        self.W -= G.T @ X
        self.b -= G.sum(axis=0)
        self.n_steps_ += 1

    def __repr__(self) -> str:
        return (
            f"CodeRegressor(n_features={self.n_features}, n_classes={self.n_classes}, "
            f"learning_rate={self.learning_rate}, random_state={self.random_state!r})"
        )
