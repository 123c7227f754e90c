"""The datasets the app ships or makes: "mnist", "digits" and "blobs"."""

from __future__ import annotations

import io

import numpy as np

from resources import resource_path

from .dataset import DIGIT_CLASS_NAMES, Dataset, check_labels, split_train_test
from .errors import DatasetError
from .files import read_file_bytes
from .idx import read_idx_pair

MNIST_IMAGES = "mnist-t10k-images-idx3-ubyte.gz"
MNIST_LABELS = "mnist-t10k-labels-idx1-ubyte.gz"
DIGITS_CSV = "optdigits-test.csv.gz"
BLOB_CENTRES = np.array([[-2.0, -2.0], [2.0, -2.0], [-2.0, 2.0], [2.0, 2.0]])
# Neighbouring centres are 4 apart, 4 standard deviations: about 2% of points stray across.
BLOB_STD = 1.0
BLOB_POINTS_PER_CLASS = 250
BLOB_SEED = 0


def load_mnist() -> Dataset:
    """The 10,000 MNIST test images as (N, 784) rows, split 8,000/2,000; read as user files are."""
    pixels, y, shape = read_idx_pair(resource_path(MNIST_IMAGES), resource_path(MNIST_LABELS))
    X_train, y_train, X_test, y_test, note = split_train_test(pixels, y, MNIST_IMAGES, scale=255)
    return Dataset(
        name="mnist",
        X_train=X_train, y_train=y_train, X_test=X_test, y_test=y_test,
        image_shape=shape,
        class_names=DIGIT_CLASS_NAMES,
        source=f"MNIST test set (LeCun, Cortes, Burges; CC BY-SA 3.0), {note}",
    )  # fmt: skip


def load_digits() -> Dataset:
    """The 1,797 UCI 8x8 digits, (N, 64) rows with pixels 0..16 divided by 16, split 80/20."""
    table = _read_csv_ints(DIGITS_CSV)
    if table.ndim != 2 or table.shape[1] != 65:
        raise DatasetError(f"{DIGITS_CSV}: expected 65 columns (64 pixels, label): {table.shape}")
    pixels, labels = table[:, :64], table[:, 64]
    if pixels.min() < 0 or pixels.max() > 16:
        raise DatasetError(f"{DIGITS_CSV}: pixels must be 0..16")
    check_labels(labels, DIGITS_CSV, len(DIGIT_CLASS_NAMES))
    X_train, y_train, X_test, y_test, note = split_train_test(pixels, labels, DIGITS_CSV, scale=16)
    return Dataset(
        name="digits",
        X_train=X_train, y_train=y_train, X_test=X_test, y_test=y_test,
        image_shape=(8, 8),
        class_names=DIGIT_CLASS_NAMES,
        source=(
            "UCI Optical Recognition of Handwritten Digits, test part (Alpaydin, Kaynak 1998;"
            f" CC BY 4.0), {note}"
        ),
    )  # fmt: skip


def load_blobs() -> Dataset:
    """Four seeded 2-D Gaussian classes "A".."D", (1000, 2) points min-max scaled into [0, 1]."""
    rng = np.random.default_rng(BLOB_SEED)
    labels = np.repeat(np.arange(len(BLOB_CENTRES)), BLOB_POINTS_PER_CLASS)
    points = BLOB_CENTRES[labels] + rng.normal(0.0, BLOB_STD, size=(len(labels), 2))
    low, high = points.min(axis=0), points.max(axis=0)
    X = ((points - low) / (high - low)).astype(np.float32)
    X_train, y_train, X_test, y_test, note = split_train_test(X, labels, "blobs")
    return Dataset(
        name="blobs",
        X_train=X_train, y_train=y_train, X_test=X_test, y_test=y_test,
        image_shape=None,
        class_names=("A", "B", "C", "D"),
        source=(
            f"4 Gaussian blobs in 2-D ({BLOB_POINTS_PER_CLASS} points each, std {BLOB_STD},"
            f" seed {BLOB_SEED}), min-max scaled to [0, 1]; {note}"
        ),
    )  # fmt: skip


BUILTIN_LOADERS = {"mnist": load_mnist, "digits": load_digits, "blobs": load_blobs}
BUILTIN_DATASETS = tuple(BUILTIN_LOADERS)


def _read_csv_ints(name: str) -> np.ndarray:
    """A shipped comma-separated file of integers as an (rows, columns) int64 array."""
    text = read_file_bytes(resource_path(name)).decode("ascii", errors="replace")
    try:
        return np.loadtxt(io.StringIO(text), delimiter=",", dtype=np.int64, ndmin=2)
    except ValueError as exc:
        raise DatasetError(f"{name}: not a table of integers ({exc})") from None
