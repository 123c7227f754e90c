"""The Dataset value object (train and test arrays for a classifier) and the fixed 80/20 split."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import DatasetError

DIGIT_CLASS_NAMES = tuple(str(digit) for digit in range(10))
FASHION_CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip
SPLIT_SEED = 0
TRAIN_FRACTION = 0.8
# take_rows converts this many bytes of input rows at a time: small beside any real dataset.
ROW_BLOCK_BYTES = 1 << 22


@dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """Samples as rows: X_train (N_train, D) float32 in [0, 1], y_train (N_train,) int64 in 0..C-1.

    X_test (N_test, D) and y_test (N_test,) likewise. The arrays are made C-contiguous and read-only
    on construction, so one Dataset can be shared by the GUI and a training thread without copies.
    """

    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    image_shape: tuple[int, int] | None
    class_names: tuple[str, ...]
    source: str

    def __post_init__(self) -> None:
        # frozen=True forbids plain assignment; object.__setattr__ is the documented way round it.
        for field in ("y_train", "y_test"):
            if not np.issubdtype(np.asarray(getattr(self, field)).dtype, np.integer):
                raise DatasetError(f"dataset {self.name!r}: {field} must hold integer labels")
            object.__setattr__(self, field, _read_only(getattr(self, field), np.int64))
        for field in ("X_train", "X_test"):
            object.__setattr__(self, field, _read_only(getattr(self, field), np.float32))
        object.__setattr__(self, "class_names", tuple(self.class_names))
        if self.image_shape is not None:
            object.__setattr__(self, "image_shape", tuple(int(n) for n in self.image_shape))
        self._check_consistent()

    @property
    def n_features(self) -> int:
        """D, the length of one sample row (784 for 28x28 images)."""
        return self.X_train.shape[1]

    @property
    def n_classes(self) -> int:
        """C, the number of classes (= len(class_names))."""
        return len(self.class_names)

    @property
    def n_train(self) -> int:
        return self.X_train.shape[0]

    @property
    def n_test(self) -> int:
        return self.X_test.shape[0]

    def __repr__(self) -> str:
        # The generated repr would print every pixel.
        return (
            f"Dataset(name={self.name!r}, X_train={self.X_train.shape}, X_test={self.X_test.shape},"
            f" n_classes={self.n_classes}, image_shape={self.image_shape})"
        )

    def _check_consistent(self) -> None:
        def fail(problem: str) -> None:
            raise DatasetError(f"dataset {self.name!r}: {problem}")

        for part in ("train", "test"):
            X, y = getattr(self, f"X_{part}"), getattr(self, f"y_{part}")
            if X.ndim != 2 or y.ndim != 1:
                fail(f"X_{part} must be 2-D and y_{part} 1-D, got {X.shape} and {y.shape}")
            if X.shape[0] != y.shape[0]:
                fail(f"X_{part} has {X.shape[0]} rows but y_{part} has {y.shape[0]} labels")
            if X.shape[0] == 0 or X.shape[1] == 0:
                fail(f"X_{part} is empty, shape {X.shape}")
            # min and max propagate NaN and any comparison with NaN is False, so this also
            # refuses NaN and infinity, without np.isfinite's temporary array as large as X.
            if not (X.min() >= 0 and X.max() <= 1):
                fail(f"X_{part} must hold finite values in [0, 1]")
            if y.min() < 0 or y.max() >= len(self.class_names):
                fail(f"y_{part} must hold labels 0..{len(self.class_names) - 1}")
        if self.X_train.shape[1] != self.X_test.shape[1]:
            fail(f"train rows have {self.n_features} features, test rows {self.X_test.shape[1]}")
        if self.image_shape is not None and np.prod(self.image_shape) != self.X_train.shape[1]:
            fail(f"image_shape {self.image_shape} does not hold {self.X_train.shape[1]} features")


def _read_only(array: np.ndarray, dtype: type) -> np.ndarray:
    """A C-contiguous read-only view of `array` as `dtype` (copies only when it must)."""
    view = np.ascontiguousarray(array, dtype=dtype).view()
    view.flags.writeable = False
    return view


def split_indices(n_samples: int, seed: int = SPLIT_SEED) -> tuple[np.ndarray, np.ndarray]:
    """Row indices (n_train,) and (n_test,) of the fixed 80/20 split: a seeded permutation, cut."""
    order = np.random.default_rng(seed).permutation(n_samples)
    n_train = min(max(round(n_samples * TRAIN_FRACTION), 1), n_samples - 1)
    return order[:n_train], order[n_train:]


def split_train_test(
    X: np.ndarray, y: np.ndarray, what: str, scale: float | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, str]:
    """Split rows X (N, D), y (N,) 80/20 by `split_indices`; also return a line saying so.

    With `scale`, the rows come out as float32 X / scale, converted a block of rows at a time
    straight into the arrays returned: no float32 copy of the whole of X is ever made.
    """
    if len(y) < 2:
        raise DatasetError(f"{what}: {len(y)} sample(s) cannot be split into train and test sets")
    train, test = split_indices(len(y))
    note = f"split {len(train):,}/{len(test):,} with seed {SPLIT_SEED}"
    return take_rows(X, train, scale), y[train], take_rows(X, test, scale), y[test], note


def take_rows(X: np.ndarray, indices: np.ndarray, scale: float | None = None) -> np.ndarray:
    """X[indices] (len(indices), D); with `scale`, as float32 X[indices] / scale."""
    if scale is None:
        return X[indices]
    rows = np.empty((len(indices), X.shape[1]), dtype=np.float32)
    block = max(1, ROW_BLOCK_BYTES // max(X.shape[1] * X.itemsize, 1))
    for start in range(0, len(indices), block):
        stop = start + block
        to_rows(X[indices[start:stop]], scale, out=rows[start:stop])
    return rows


def to_rows(X: np.ndarray, scale: float, out: np.ndarray | None = None) -> np.ndarray:
    """float32 X / scale (N, D) in one pass: each value is cast to float32, then divided.

    Dividing (not multiplying by 1/scale) keeps 255 / 255 exactly 1.0.
    """
    X = X.reshape(len(X), -1)
    if out is None:
        out = np.empty(X.shape, dtype=np.float32)
    return np.divide(X, np.float32(scale), out=out, dtype=np.float32, casting="unsafe")


def check_labels(labels: np.ndarray, what: str, n_classes: int) -> None:
    """Raise DatasetError naming `what` unless every label is in 0..n_classes-1."""
    bad = np.flatnonzero((labels < 0) | (labels >= n_classes))
    if bad.size:
        raise DatasetError(
            f"{what}: labels must be 0..{n_classes - 1} but {bad.size:,} are outside that range"
            f" (the first is {labels[bad[0]]} at index {bad[0]:,})"
        )


def is_fashion(*names: str) -> bool:
    """True if any file/folder name mentions "fashion" (Fashion-MNIST uses MNIST's file names)."""
    return any("fashion" in name.casefold() for name in names)


def class_names_for(*names: str) -> tuple[str, ...]:
    """Fashion-MNIST's class names if any of `names` mentions "fashion", else "0".."9"."""
    return FASHION_CLASS_NAMES if is_fashion(*names) else DIGIT_CLASS_NAMES
