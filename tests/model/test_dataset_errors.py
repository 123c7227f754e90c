"""Bad dataset input: a DatasetError naming the file and the problem, never a half-load."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from model.datasets import (
    DatasetError,
    load_dataset,
)
from tests.model.dataset_files import (
    LABELS_MAGIC,
    idx_bytes,
    make_digits,
    write_bytes,
    write_idx,
    write_npz,
    write_pair,
)

# --- bad input: a DatasetError naming the file and the problem ----------------------------------

_unpickled = []


def _record_unpickling():
    _unpickled.append(True)


class _Tripwire:
    """Unpickling one of these records it, so a test can prove nothing was unpickled."""

    def __reduce__(self):
        return _record_unpickling, ()


def _images_file(tmp_path: Path, data: bytes, name="train-images-idx3-ubyte", gz=False):
    """An images file holding `data` beside a valid labels file for 12 images."""
    labels_name = name.replace("images-idx3", "labels-idx1")
    write_idx(tmp_path / labels_name, make_digits(12)[1], gz=name.endswith(".gz"))
    return write_bytes(tmp_path / name, data, gz)


def _labels_file(tmp_path: Path, data: bytes, name="train-labels-idx1-ubyte"):
    """A labels file holding `data` beside a valid images file of 12 images."""
    write_idx(tmp_path / "train-images-idx3-ubyte", make_digits(12)[0])
    return write_bytes(tmp_path / name, data)


def _valid_images() -> bytes:
    return idx_bytes(make_digits(12)[0])


def _corrupt_gzip() -> bytes:
    data = bytearray(gzip.compress(_valid_images(), mtime=0))
    data[12:40] = bytes(28)  # inside the deflate stream, after the 10-byte gzip header
    return bytes(data)


def _npz(tmp_path, name="data.npz", **arrays):
    return write_npz(tmp_path / name, **arrays)


def _npz_without_y_test(tmp_path):
    images, labels = make_digits(20)
    np.savez(tmp_path / "keras.npz", x_train=images, y_train=labels, x_test=images)
    return tmp_path / "keras.npz"


def _npz_with_object_array(tmp_path):
    images, labels = make_digits(20)
    tripwire = np.array([_Tripwire(), _Tripwire()], dtype=object)
    np.savez(tmp_path / "evil.npz", x_train=tripwire, y_train=labels, x_test=images,
             y_test=labels)  # fmt: skip
    return tmp_path / "evil.npz"


def _npy_named_npz(tmp_path):
    np.save(tmp_path / "array.npy", np.zeros(3))
    return (tmp_path / "array.npy").rename(tmp_path / "array.npz")


def _folder(tmp_path, *parts, shapes=((4, 5), (4, 5))):
    folder = tmp_path / "idx-folder"
    folder.mkdir()
    for part, shape in zip(parts, shapes[: len(parts)], strict=True):
        write_pair(folder, part, *make_digits(12, shape=shape))
    return folder


# Each case: (make the bad input from tmp_path, name the message must contain, problem phrase).
BAD_INPUTS = {
    "images_wrong_magic": (
        lambda p: _images_file(p, idx_bytes(make_digits(12)[0], magic=0x00000804)),
        "train-images-idx3-ubyte", "wrong magic number 0x00000804"),
    "labels_file_holding_images": (
        lambda p: _labels_file(p, _valid_images()), "train-labels-idx1-ubyte",
        "wrong magic number 0x00000803 (that is an IDX images file)"),
    "images_file_holding_labels": (
        lambda p: _images_file(p, idx_bytes(make_digits(12)[1])), "train-images-idx3-ubyte",
        f"wrong magic number 0x{LABELS_MAGIC:08X}"),
    "truncated_pixels": (
        lambda p: _images_file(p, _valid_images()[:-10]), "train-images-idx3-ubyte",
        "file is truncated"),
    "truncated_header": (
        lambda p: _images_file(p, _valid_images()[:10]), "train-images-idx3-ubyte",
        "file is truncated"),
    "too_many_bytes": (
        lambda p: _images_file(p, _valid_images() + bytes(7)), "train-images-idx3-ubyte",
        "7 bytes too many"),
    "header_declares_no_images": (
        lambda p: _images_file(p, idx_bytes(np.zeros((0, 4, 5)))), "train-images-idx3-ubyte",
        "no data"),
    "image_and_label_counts_differ": (
        lambda p: _labels_file(p, idx_bytes(make_digits(11)[1])), "train-labels-idx1-ubyte",
        "the counts must match"),
    "idx_label_out_of_range": (
        lambda p: _labels_file(p, idx_bytes(np.full(12, 10))), "train-labels-idx1-ubyte",
        "labels must be 0..9"),
    "empty_images_file": (
        lambda p: _images_file(p, b""), "train-images-idx3-ubyte", "empty"),
    "empty_labels_file": (
        lambda p: _labels_file(p, b""), "train-labels-idx1-ubyte", "empty"),
    "empty_gz_file": (
        lambda p: _images_file(p, b"", name="t10k-images-idx3-ubyte.gz"),
        "t10k-images-idx3-ubyte.gz", "empty"),
    "gzip_of_nothing": (
        lambda p: _images_file(p, b"", name="t10k-images-idx3-ubyte.gz", gz=True),
        "t10k-images-idx3-ubyte.gz", "empty"),
    "gz_name_without_gzip_data": (
        lambda p: _images_file(p, _valid_images(), name="t10k-images-idx3-ubyte.gz"),
        "t10k-images-idx3-ubyte.gz", "is named .gz but is not gzip data"),
    "corrupt_gzip_stream": (
        lambda p: _images_file(p, _corrupt_gzip(), name="t10k-images-idx3-ubyte.gz"),
        "t10k-images-idx3-ubyte.gz", "corrupt gzip data"),
    "truncated_gzip_stream": (
        lambda p: _images_file(p, gzip.compress(_valid_images())[:-30]),
        "train-images-idx3-ubyte", "corrupt gzip data"),
    "npz_object_array": (_npz_with_object_array, "evil.npz", "object array (pickled"),
    "npz_missing_key": (_npz_without_y_test, "keras.npz", "missing y_test"),
    "npz_not_a_zip": (
        lambda p: write_bytes(p / "junk.npz", b"this is not a zip archive"), "junk.npz",
        "not an .npz archive"),
    "npz_corrupt_zip": (
        lambda p: write_bytes(p / "cut.npz", _npz(p).read_bytes()[:300]), "cut.npz",
        "not a readable .npz archive"),
    "npz_holding_one_npy": (_npy_named_npz, "array.npz", "single .npy array"),
    "npz_empty_file": (lambda p: write_bytes(p / "empty.npz", b""), "empty.npz", "empty"),
    "npz_x_1d": (lambda p: _npz(p, x_train=np.zeros(20)), "data.npz", "x_train has shape (20,)"),
    "npz_x_y_lengths_differ": (
        lambda p: _npz(p, y_test=np.zeros(9, np.uint8)), "data.npz", "lengths must match"),
    "npz_y_2d": (
        lambda p: _npz(p, y_train=np.zeros((20, 2), np.uint8)), "data.npz",
        "y_train has shape (20, 2)"),
    "npz_float_labels": (
        lambda p: _npz(p, y_train=np.zeros(20)), "data.npz", "labels must be integers"),
    "npz_label_out_of_range": (
        lambda p: _npz(p, y_test=np.full(10, -1)), "data.npz", "labels must be 0..9"),
    "npz_train_test_shapes_differ": (
        lambda p: _npz(p, x_test=np.zeros((10, 5, 4), np.uint8)), "data.npz", "they must match"),
    "npz_no_samples": (
        lambda p: _npz(p, x_test=np.zeros((0, 4, 5)), y_test=np.zeros(0, np.uint8)), "data.npz",
        "no data"),
    "npz_negative_pixels": (
        lambda p: _npz(p, x_train=np.full((20, 4, 5), -0.5)), "data.npz", "negative"),
    "npz_nan_pixels": (
        lambda p: _npz(p, x_train=np.full((20, 4, 5), np.nan)), "data.npz", "NaN"),
    "npz_int_pixels_above_255": (
        lambda p: _npz(p, x_train=np.full((20, 4, 5), 256)), "data.npz", "0..255"),
    "nonexistent_file": (lambda p: p / "nowhere.npz", "nowhere.npz", "no such file"),
    "nonexistent_folder": (lambda p: p / "no" / "folder", "folder", "no such file or folder"),
    "nonexistent_file_in_pair": (
        lambda p: (p / "a-images-idx3-ubyte", p / "b-labels"), "a-images-idx3-ubyte",
        "no such file"),
    "unknown_dataset_name": (lambda p: "cifar", "cifar", "'mnist', 'digits', 'blobs'"),
    "empty_name": (lambda p: " ", "unknown dataset name", "'mnist', 'digits', 'blobs'"),
    "folder_without_idx_files": (
        lambda p: _folder(p), "idx-folder", "t10k-labels-idx1-ubyte[.gz]"),
    "folder_with_half_a_pair": (
        lambda p: (_folder(p, "train") / "train-labels-idx1-ubyte").unlink() or p / "idx-folder",
        "idx-folder", "not its labels file"),
    "folder_train_and_t10k_shapes_differ": (
        lambda p: _folder(p, "train", "t10k", shapes=((4, 5), (5, 4))),
        "t10k-images-idx3-ubyte", "training images are 4 x 5"),
    "single_file_without_usual_name": (
        lambda p: write_idx(p / "pictures.bin", make_digits(3)[0]), "pictures.bin",
        "cannot tell where its labels are"),
    "single_file_without_partner": (
        lambda p: write_idx(p / "t10k-images-idx3-ubyte", make_digits(3)[0]),
        "t10k-labels-idx1-ubyte", "is not in"),
}  # fmt: skip


@pytest.mark.parametrize(("make", "name", "phrase"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_raises_dataset_error_naming_file_and_problem(tmp_path, make, name, phrase):
    argument = make(tmp_path)
    with pytest.raises(DatasetError) as raised:
        load_dataset(argument)
    message = str(raised.value)
    assert name in message and phrase in message, message


def test_object_array_npz_is_refused_without_unpickling(tmp_path):
    with pytest.raises(DatasetError):
        load_dataset(_npz_with_object_array(tmp_path))
    assert _unpickled == []


def test_wrong_argument_types_raise_type_error():
    with pytest.raises(TypeError):
        load_dataset(42)
    with pytest.raises(TypeError):
        load_dataset(("only-one",))
