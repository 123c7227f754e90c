"""The binary output network of docs/math.md, section 4 (the sheet's problem 2.2).

After the softmax outputs a (C), a step layer h_i = bs(a_i - p) = 1 if a_i > p else 0 and a
fixed linear layer d = M h, M[j, i] = bit j of i, turn the one-hot answer into the class's
binary code. Bits run from the least significant up (d_0 is bit 0), as on the sheet: digit 7
feeds d_0, d_1, d_2 (7 = 0111 written most significant bit first).

What it is not: something trained. M is fixed; only the threshold p is a choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

__all__ = [
    "BinaryDecoding",
    "BinaryOutputNetwork",
    "OutcomeFractions",
    "ProbabilitySummary",
    "ThresholdSweep",
    "binary_code_matrix",
    "format_code",
    "n_bits_for",
    "summarize_probabilities",
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


@dataclass(frozen=True)
class ProbabilitySummary:
    """What the panels need of A (N x C) on a labelled set, N numbers of each kind.

    largest, second: the largest and second largest a_i of each row (float64).
    predicted: argmax a (the first on ties). right: y is the row's only largest a_i, so that
    largest = a_y and second = max_{i != y} a_i there. argmax_accuracy: mean(predicted == y).
    The four sorted arrays the sweep searches are computed with it and sent along (a pickle
    keeps a cached_property's value): with them about 60 % of A's size, and the training
    process sends this instead of A.
    """

    largest: np.ndarray
    second: np.ndarray
    predicted: np.ndarray
    right: np.ndarray
    argmax_accuracy: float

    @property
    def n(self) -> int:
        return len(self.largest)

    @cached_property
    def _sorted(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        # NaN (a diverged model) is never > p nor <= p: left out, as the comparisons leave it.
        def ordered(values):
            return np.sort(values[~np.isnan(values)])

        right = self.right
        return (
            ordered(self.largest),
            ordered(self.second),
            ordered(self.second[right]),
            ordered(self.largest[right]),
        )

    def counts(self, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows where some unit fires (largest > p), several fire (second > p), and the answer
        is right (a_y > p >= max_{i != y} a_i), for each threshold in p (counts, K each)."""
        largest, second, right_low, right_high = self._sorted
        some = len(largest) - np.searchsorted(largest, p, side="right")
        several = len(second) - np.searchsorted(second, p, side="right")
        # Right rows hold p in [second, largest): those past their low end, less those past
        # their high end (low < high in every right row).
        right = np.searchsorted(right_low, p, side="right") - np.searchsorted(
            right_high, p, side="right"
        )
        return some, several, right


def summarize_probabilities(A, y) -> ProbabilitySummary:
    """The ProbabilitySummary of probabilities A (N x C) with labels y (N)."""
    A = np.asarray(A, dtype=np.float64)
    y = np.asarray(y)
    rows = np.arange(len(A))
    top2 = np.partition(A, -2, axis=1)[:, -2:]  # second largest, largest
    a_y = A[rows, y]
    others = A.copy()
    others[rows, y] = -np.inf
    predicted = A.argmax(axis=1)
    summary = ProbabilitySummary(
        largest=np.ascontiguousarray(top2[:, 1]),
        second=np.ascontiguousarray(top2[:, 0]),
        predicted=predicted.astype(np.min_scalar_type(A.shape[1] - 1)),
        right=a_y > others.max(axis=1),
        argmax_accuracy=float(np.mean(predicted == y)) if len(A) else float("nan"),
    )
    # Sorted now, where the summary is made (the training process): the cached arrays travel
    # with it, and the window's threshold sweep only searches them (sorting full MNIST's
    # 10,000 test rows took 1 ms of every frame there).
    summary._sorted  # noqa: B018 - computes and caches the sorted arrays
    return summary


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
        return self.summary_outcomes(self._summary(A, y))

    def summary_outcomes(self, summary: ProbabilitySummary) -> OutcomeFractions:
        """outcomes() from a labelled set's ProbabilitySummary."""
        sweep = self.summary_sweep(summary, [self._threshold])
        return OutcomeFractions(
            correct=float(sweep.correct[0]),
            wrong=float(sweep.wrong[0]),
            none_fired=float(sweep.none_fired[0]),
            several_fired=float(sweep.several_fired[0]),
            argmax_accuracy=sweep.argmax_accuracy,
        )

    def sweep(self, A, y, thresholds=None) -> ThresholdSweep:
        """The outcome fractions for every threshold at once (default: 101 values 0..1).

        Only the two largest a_i of a row and a_y matter. A unit fires iff a_i > p, so at
        least one fires iff max a > p, several iff the second largest > p, and the answer is
        right iff a_y > p >= max_{i != y} a_i.
        """
        return self.summary_sweep(self._summary(A, y), thresholds)

    def summary_sweep(self, summary: ProbabilitySummary, thresholds=None) -> ThresholdSweep:
        """sweep() from a labelled set's ProbabilitySummary: sorted look-ups, O(K log N)."""
        p = np.linspace(0.0, 1.0, 101) if thresholds is None else np.asarray(thresholds, float)
        n = summary.n
        with np.errstate(invalid="ignore", divide="ignore"):  # n = 0: nan, as a mean of none
            some, several, correct = (count / n for count in summary.counts(p))
        return ThresholdSweep(
            thresholds=p,
            correct=correct,
            wrong=np.clip(some - several - correct, 0.0, 1.0),  # no -1e-17 from rounding
            none_fired=1.0 - some,
            several_fired=several,
            argmax_accuracy=summary.argmax_accuracy,
        )

    def _summary(self, A, y) -> ProbabilitySummary:
        A = self._check_A(A)
        return summarize_probabilities(A, self._check_y(y, len(A)))

    def __repr__(self) -> str:
        return f"BinaryOutputNetwork(n_classes={self.n_classes}, threshold={self._threshold})"
