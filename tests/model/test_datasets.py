"""Tests for model.datasets: the shipped data and round trips through IDX/.npz files.

Bad input is tested in test_dataset_errors.py.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from model.datasets import (
    BUILTIN_DATASETS,
    DIGIT_CLASS_NAMES,
    FASHION_CLASS_NAMES,
    Dataset,
    DatasetError,
    builtin,
    load_dataset,
    read_idx_images,
    read_idx_labels,
    split_indices,
)
from resources import resource_path
from tests.model.dataset_files import (
    as_rows,
    make_digits,
    write_idx,
    write_npz,
    write_pair,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


def check_dataset_invariants(ds: Dataset) -> None:
    """What every Dataset promises: dtypes, shapes, ranges, read-only C-contiguous arrays."""
    for X, y in ((ds.X_train, ds.y_train), (ds.X_test, ds.y_test)):
        assert X.dtype == np.float32 and y.dtype == np.int64
        assert X.ndim == 2 and y.ndim == 1 and len(X) == len(y)
        assert X.flags.c_contiguous and not X.flags.writeable and not y.flags.writeable
        assert 0.0 <= X.min() and X.max() <= 1.0
        assert 0 <= y.min() and y.max() < ds.n_classes
    assert ds.n_features == ds.X_test.shape[1]
    assert ds.n_classes == len(ds.class_names)
    assert (ds.n_train, ds.n_test) == (len(ds.y_train), len(ds.y_test))
    if ds.image_shape is not None:
        assert ds.image_shape[0] * ds.image_shape[1] == ds.n_features


def assert_same_arrays(a: Dataset, b: Dataset) -> None:
    for field in ("X_train", "y_train", "X_test", "y_test"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))


# --- the shipped data ---------------------------------------------------------------------------

CREDITS_LABELS = {
    "MNIST t10k images": builtin.MNIST_IMAGES,
    "MNIST t10k labels": builtin.MNIST_LABELS,
    "optdigits test CSV": builtin.DIGITS_CSV,
}


@pytest.mark.parametrize("label", CREDITS_LABELS)
def test_embedded_file_matches_checksum_in_credits(label):
    credits = resource_path("CREDITS.md").read_text(encoding="utf-8")
    match = re.search(rf"- {label}: `([0-9a-f]{{32}})`", credits)
    assert match, f"no checksum for {label} in CREDITS.md"
    data = gzip.decompress(resource_path(CREDITS_LABELS[label]).read_bytes())
    assert hashlib.md5(data).hexdigest() == match.group(1)


def test_mnist_is_the_default_and_is_split_8000_2000():
    ds = load_dataset()
    assert ds is load_dataset("mnist") is load_dataset(" MNIST ")  # cached, immutable
    check_dataset_invariants(ds)
    assert ds.name == "mnist"
    assert ds.X_train.shape == (8000, 784) and ds.X_test.shape == (2000, 784)
    assert ds.image_shape == (28, 28)
    assert ds.class_names == DIGIT_CLASS_NAMES
    assert set(ds.y_train) == set(ds.y_test) == set(range(10))
    assert "MNIST" in ds.source and "CC BY-SA 3.0" in ds.source and "8,000/2,000" in ds.source


def test_mnist_rows_are_the_embedded_images_split_by_disjoint_indices():
    ds = load_dataset("mnist")
    images = read_idx_images(resource_path(builtin.MNIST_IMAGES))
    labels = read_idx_labels(resource_path(builtin.MNIST_LABELS))
    assert images.shape == (10000, 28, 28) and labels.shape == (10000,)
    train, test = split_indices(10000)
    assert len(train) == 8000 and len(test) == 2000
    assert np.intersect1d(train, test).size == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(10000))
    np.testing.assert_array_equal(ds.X_train, as_rows(images[train]))
    np.testing.assert_array_equal(ds.X_test, as_rows(images[test]))
    np.testing.assert_array_equal(ds.y_train, labels[train])
    np.testing.assert_array_equal(ds.y_test, labels[test])


def test_builtin_loaders_are_deterministic():
    for name in BUILTIN_DATASETS:
        assert_same_arrays(builtin.BUILTIN_LOADERS[name](), builtin.BUILTIN_LOADERS[name]())


def test_digits_are_8x8_sixteenths_split_80_20():
    ds = load_dataset("digits")
    check_dataset_invariants(ds)
    assert ds.X_train.shape == (1438, 64) and ds.X_test.shape == (359, 64)
    assert ds.image_shape == (8, 8) and ds.class_names == DIGIT_CLASS_NAMES
    assert set(ds.y_train) == set(ds.y_test) == set(range(10))
    sixteenths = ds.X_train * 16
    np.testing.assert_array_equal(sixteenths, np.round(sixteenths))
    assert ds.X_train.max() == 1.0


def test_blobs_are_four_2d_classes_separable_but_overlapping():
    ds = load_dataset("blobs")
    check_dataset_invariants(ds)
    assert ds.n_features == 2 and ds.n_classes == 4 and ds.image_shape is None
    assert (ds.n_train, ds.n_test) == (800, 200)
    y = np.concatenate([ds.y_train, ds.y_test])
    np.testing.assert_array_equal(np.bincount(y), [250] * 4)
    X = np.concatenate([ds.X_train, ds.X_test])
    np.testing.assert_array_equal(X.min(axis=0), [0, 0])
    np.testing.assert_array_equal(X.max(axis=0), [1, 1])
    # Nearest class mean: mostly right (separated), not always (some overlap).
    means = np.array([X[y == k].mean(axis=0) for k in range(4)])
    nearest = np.argmin(((X[:, None, :] - means) ** 2).sum(axis=2), axis=1)
    assert 0.85 < np.mean(nearest == y) < 1.0


def test_dataset_arrays_are_read_only():
    ds = load_dataset("blobs")
    with pytest.raises(ValueError):
        ds.X_train[0, 0] = 0.5
    with pytest.raises(ValueError):
        ds.y_test[0] = 1


def test_dataset_rejects_inconsistent_arrays():
    X, y = np.zeros((4, 2), np.float32), np.zeros(4, np.int64)
    with pytest.raises(DatasetError, match="3 labels"):
        Dataset("bad", X, y[:3], X, y, None, ("a", "b"), "test")
    with pytest.raises(DatasetError, match="integer labels"):
        Dataset("bad", X, y.astype(float), X, y, None, ("a", "b"), "test")
    with pytest.raises(DatasetError, match=r"\[0, 1\]"):
        Dataset("bad", X + 2, y, X, y, None, ("a", "b"), "test")


def test_importing_datasets_pulls_in_no_gui_code():
    code = (
        "import sys, model.datasets\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'gui')]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- round trips through the user's files -------------------------------------------------------


@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gz"])
def test_folder_with_train_and_t10k_uses_them_as_given(tmp_path, gz):
    train_images, train_labels = make_digits(30, seed=1)
    test_images, test_labels = make_digits(12, seed=2)
    folder = tmp_path / "my-mnist"
    write_pair(folder, "train", train_images, train_labels, gz)
    write_pair(folder, "t10k", test_images, test_labels, gz)
    ds = load_dataset(folder)
    check_dataset_invariants(ds)
    assert ds.name == "my-mnist" and ds.image_shape == (4, 5)
    assert ds.class_names == DIGIT_CLASS_NAMES
    np.testing.assert_array_equal(ds.X_train, as_rows(train_images))
    np.testing.assert_array_equal(ds.y_train, train_labels)
    np.testing.assert_array_equal(ds.X_test, as_rows(test_images))
    np.testing.assert_array_equal(ds.y_test, test_labels)
    assert_same_arrays(ds, load_dataset(str(folder)))  # str and Path alike, deterministic


@pytest.mark.parametrize("part", ["train", "t10k"])
def test_folder_with_one_pair_splits_it_80_20(tmp_path, part):
    images, labels = make_digits(50)
    write_pair(tmp_path / "digits", part, images, labels, gz=True)
    ds = load_dataset(tmp_path / "digits")
    train, test = split_indices(50)
    assert (ds.n_train, ds.n_test) == (40, 10)
    np.testing.assert_array_equal(ds.X_train, as_rows(images[train]))
    np.testing.assert_array_equal(ds.y_test, labels[test])
    assert "split 40/10 with seed 0" in ds.source


@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gz"])
def test_images_labels_tuple_is_split_80_20(tmp_path, gz):
    images, labels = make_digits(20, shape=(3, 3))
    images_path, labels_path = write_pair(tmp_path, "train", images, labels, gz)
    ds = load_dataset((str(images_path), labels_path))
    check_dataset_invariants(ds)
    train, test = split_indices(20)
    np.testing.assert_array_equal(ds.X_train, as_rows(images[train]))
    np.testing.assert_array_equal(ds.y_train, labels[train])
    np.testing.assert_array_equal(ds.X_test, as_rows(images[test]))
    assert ds.image_shape == (3, 3) and ds.name == images_path.name


def test_single_images_file_finds_its_labels_beside_it(tmp_path):
    images, labels = make_digits(20)
    images_path, labels_path = write_pair(tmp_path, "t10k", images, labels, gz=True)
    from_pair = load_dataset((images_path, labels_path))
    assert_same_arrays(load_dataset(images_path), from_pair)
    assert_same_arrays(load_dataset(labels_path), from_pair)  # the labels file works too


def test_single_file_partner_may_differ_in_gz_and_use_dotted_names(tmp_path):
    images, labels = make_digits(20)
    images_path = write_idx(tmp_path / "train-images.idx3-ubyte", images)
    write_idx(tmp_path / "train-labels.idx1-ubyte.gz", labels, gz=True)
    ds = load_dataset(images_path)
    np.testing.assert_array_equal(ds.y_train, labels[split_indices(20)[0]])


def test_npz_with_uint8_images_is_scaled_by_255(tmp_path):
    images, labels = make_digits(30)
    path = write_npz(tmp_path / "mnist.npz", x_train=images[:20], y_train=labels[:20],
                     x_test=images[20:], y_test=labels[20:].astype(np.int32))  # fmt: skip
    ds = load_dataset(path)
    check_dataset_invariants(ds)
    assert ds.name == "mnist.npz" and ds.image_shape == (4, 5)
    np.testing.assert_array_equal(ds.X_train, as_rows(images[:20]))
    np.testing.assert_array_equal(ds.X_test, as_rows(images[20:]))
    np.testing.assert_array_equal(ds.y_test, labels[20:])


def test_npz_with_float_rows_in_unit_range_keeps_them(tmp_path):
    rng = np.random.default_rng(3)
    x_train, x_test = rng.random((20, 16)), rng.random((10, 16))
    ds = load_dataset(write_npz(tmp_path / "rows.npz", x_train=x_train, x_test=x_test))
    np.testing.assert_array_equal(ds.X_train, x_train.astype(np.float32))
    np.testing.assert_array_equal(ds.X_test, x_test.astype(np.float32))
    assert ds.image_shape == (4, 4)  # a square number of features is shown as a square image


def test_npz_with_floats_above_one_is_divided_by_the_joint_max(tmp_path):
    x_train = np.full((20, 2, 3), 2.0)
    x_test = np.full((10, 2, 3), 8.0)
    ds = load_dataset(write_npz(tmp_path / "big.npz", x_train=x_train, x_test=x_test))
    assert np.all(ds.X_train == 0.25) and np.all(ds.X_test == 1.0)


def test_npz_accepts_channel_axis_and_column_labels(tmp_path):
    images, labels = make_digits(30)
    path = write_npz(tmp_path / "keras.npz", x_train=images[:20, :, :, None],
                     y_train=labels[:20, None])  # fmt: skip
    ds = load_dataset(path)
    assert ds.image_shape == (4, 5)
    np.testing.assert_array_equal(ds.y_train, labels[:20])


def test_fashion_in_the_name_gives_fashion_class_names(tmp_path):
    images, labels = make_digits(20)
    write_pair(tmp_path / "Fashion-MNIST", "train", images, labels)
    ds = load_dataset(tmp_path / "Fashion-MNIST")
    assert ds.class_names == FASHION_CLASS_NAMES and "Fashion-MNIST" in ds.source
    assert load_dataset(write_npz(tmp_path / "fashion_mnist.npz")).class_names[9] == "Ankle boot"
    # A .npz goes by its own name only (tmp_path here itself contains "fashion").
    assert load_dataset(write_npz(tmp_path / "mnist.npz")).class_names == DIGIT_CLASS_NAMES
