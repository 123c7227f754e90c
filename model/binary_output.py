"""The binary output network of docs/math.md, section 4 (the sheet's problem 2.2).

After the softmax outputs a (C), a step layer h_i = bs(a_i - p) = 1 if a_i > p else 0 and a
fixed linear layer d = M h, M[j, i] = bit j of i, turn the one-hot answer into the class's
binary code. Bits run from the least significant up (d_0 is bit 0), as on the sheet: digit 7
feeds d_0, d_1, d_2 (7 = 0111 written most significant bit first).

What it is not: something trained. M is fixed; only the threshold p is a choice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "BinaryDecoding",
    "BinaryOutputNetwork",
    "OutcomeFractions",
    "ThresholdSweep",
    "binary_code_matrix",
    "format_code",
    "n_bits_for",
]


def n_bits_for(n_classes: int) -> int:
    """ceil(log2 C): the bits needed to give each of C classes its own code (at least 1)."""
    return max(1, int(n_classes - 1).bit_length())


def binary_code_matrix(n_classes: int) -> np.ndarray:
    """M, n_bits x C, with M[j, i] = bit j of i (least significant bit first)."""
    bits = np.arange(n_bits_for(n_classes))[:, None]
    return (np.arange(n_classes)[None, :] >> bits) & 1


def format_code(d) -> str:
    """An output vector d = (d_0, d_1, ...) written most significant bit first, e.g. '0111'."""
    return "".join(str(int(v)) for v in reversed(np.asarray(d).ravel()))


@dataclass(frozen=True)
class BinaryDecoding:
    """What the network makes of a batch of probability vectors (B rows).

    hidden: B x C step outputs (0/1). outputs: B x n_bits, d = M h (a component can be >= 2
    when several units fire). n_fired: B. fired_class: B, the unit that fired when exactly one
    did, else -1. value: B, d read as a binary number, sum_j d_j 2^j (0 when none fired).
    valid: B, True where every d_j is 0 or 1 and the value names a class.
    """

    hidden: np.ndarray
    outputs: np.ndarray
    n_fired: np.ndarray
    fired_class: np.ndarray
    value: np.ndarray
    valid: np.ndarray

    def correct(self, y) -> np.ndarray:
        """Right exactly when one unit fired and it is the true class (B bools)."""
        return (self.fired_class == np.asarray(y)) & (self.fired_class >= 0)


@dataclass(frozen=True)
class OutcomeFractions:
    """Fractions of a labelled set by what the step layer did; the four add up to 1."""

    correct: float  # exactly one unit fired, the true class
    wrong: float  # exactly one unit fired, another class
    none_fired: float  # no unit fired: d = 0...0, read as class 0
    several_fired: float  # two or more fired: d is a sum of codes
    argmax_accuracy: float  # the softmax's own accuracy, an upper bound for `correct`


@dataclass(frozen=True)
class ThresholdSweep:
    """OutcomeFractions for each of K thresholds (arrays of length K)."""

    thresholds: np.ndarray
    correct: np.ndarray
    wrong: np.ndarray
    none_fired: np.ndarray
    several_fired: np.ndarray
    argmax_accuracy: float


class BinaryOutputNetwork:
    """Step layer with threshold p, then the fixed code layer d = M h (math.md section 4).

    n_classes: C (10 for digits, giving 4 bits). threshold: p in [0, 1], settable any time.
    """

    def __init__(self, n_classes: int = 10, threshold: float = 0.5):
        if int(n_classes) != n_classes or n_classes < 2:
            raise ValueError(f"n_classes must be an integer >= 2, got {n_classes!r}")
        self.n_classes = int(n_classes)
        self.threshold = threshold
        self._weights = binary_code_matrix(self.n_classes)
        self._weights.flags.writeable = False

    @property
    def threshold(self) -> float:
        """p: unit i fires when a_i > p (strictly; a_i = p does not fire)."""
        return self._threshold

    @threshold.setter
    def threshold(self, value: float) -> None:
        value = float(value)
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"threshold p must lie in [0, 1], got {value}")
        self._threshold = value

    @property
    def weights(self) -> np.ndarray:
        """M, n_bits x C, M[j, i] = bit j of i (read-only)."""
        return self._weights

    @property
    def n_bits(self) -> int:
        return self._weights.shape[0]

    def _check_A(self, A) -> np.ndarray:
        A = np.asarray(A, dtype=float)
        if A.ndim == 1:
            A = A[None, :]
        if A.ndim != 2 or A.shape[1] != self.n_classes:
            raise ValueError(f"A must be B x {self.n_classes} probabilities, got {A.shape}")
        return A

    def _check_y(self, y, n: int) -> np.ndarray:
        y = np.asarray(y)
        if y.shape != (n,):
            raise ValueError(f"y must hold one label per row of A ({n}), got shape {y.shape}")
        if not np.issubdtype(y.dtype, np.integer):
            raise ValueError(f"labels must be integers, got dtype {y.dtype}")
        if n and (y.min() < 0 or y.max() >= self.n_classes):
            raise ValueError(f"labels must lie in 0..{self.n_classes - 1}")
        return y

    def hidden(self, A) -> np.ndarray:
        """h = bs(a - p): 1 where a_i > p, 0 where a_i <= p (B x C ints)."""
        return (self._check_A(A) > self._threshold).astype(np.int64)

    def forward(self, A) -> np.ndarray:
        """d = M h for each row (B x C -> B x n_bits), linear, no bias."""
        return self.hidden(A) @ self._weights.T

    def decode(self, A) -> BinaryDecoding:
        """Run the network on a batch and say, per row, which units fired and what d reads as."""
        h = self.hidden(A)
        d = h @ self._weights.T
        n_fired = h.sum(axis=1)
        fired_class = np.where(n_fired == 1, h.argmax(axis=1), -1)
        value = d @ (1 << np.arange(self.n_bits))
        valid = np.all(d <= 1, axis=1) & (value < self.n_classes)
        return BinaryDecoding(h, d, n_fired, fired_class, value, valid)

    def outcomes(self, A, y) -> OutcomeFractions:
        """Fractions decoded right, wrong, none fired and several fired for labelled rows."""
        sweep = self.sweep(A, y, [self._threshold])
        return OutcomeFractions(
            correct=float(sweep.correct[0]),
            wrong=float(sweep.wrong[0]),
            none_fired=float(sweep.none_fired[0]),
            several_fired=float(sweep.several_fired[0]),
            argmax_accuracy=sweep.argmax_accuracy,
        )

    def sweep(self, A, y, thresholds=None) -> ThresholdSweep:
        """The outcome fractions for every threshold at once (default: 101 values 0..1).

        Vectorised over samples and thresholds: only the two largest a_i of a row and a_y
        matter. A unit fires iff a_i > p, so at least one fires iff max a > p, several iff
        the second largest > p, and the answer is right iff a_y > p >= max_{i != y} a_i.
        """
        A = self._check_A(A)
        y = self._check_y(y, len(A))
        p = np.linspace(0.0, 1.0, 101) if thresholds is None else np.asarray(thresholds, float)
        rows = np.arange(len(A))
        top2 = np.partition(A, -2, axis=1)[:, -2:]  # second largest, largest
        a_y = A[rows, y]
        others = A.copy()
        others[rows, y] = -np.inf
        best_other = others.max(axis=1)
        P = p[:, None]  # K x 1 against N samples
        some = (top2[:, 1] > P).mean(axis=1)
        several = (top2[:, 0] > P).mean(axis=1)
        correct = ((a_y > P) & (best_other <= P)).mean(axis=1)
        none = 1.0 - some
        return ThresholdSweep(
            thresholds=p,
            correct=correct,
            wrong=np.clip(some - several - correct, 0.0, 1.0),  # no -1e-17 from rounding
            none_fired=none,
            several_fired=several,
            argmax_accuracy=float(np.mean(A.argmax(axis=1) == y)) if len(A) else float("nan"),
        )

    def __repr__(self) -> str:
        return f"BinaryOutputNetwork(n_classes={self.n_classes}, threshold={self._threshold})"
