"""Bad dataset input: a DatasetError naming the file and the problem, never a half-load."""

from __future__ import annotations

import errno
import gzip
import os
import struct
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from model.datasets import (
    DatasetError,
    load_dataset,
)
from model.datasets.files import MAX_DATASET_BYTES
from tests.model.dataset_files import (
    LABELS_MAGIC,
    idx_bytes,
    make_digits,
    npy_bytes,
    npy_header,
    write_bytes,
    write_gzip_bomb,
    write_idx,
    write_npz,
    write_pair,
    write_zip,
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


def _npz_members(tmp_path, name="members.npz", **replace) -> Path:
    """A zip of the four .npy members, with any of them replaced by raw bytes."""
    images, labels = make_digits(30)
    arrays = {"x_train": images[:20], "y_train": labels[:20],
              "x_test": images[20:], "y_test": labels[20:]}  # fmt: skip
    members = {f"{key}.npy": npy_bytes(array) for key, array in arrays.items()}
    return write_zip(tmp_path / name, {**members, **replace})


def _npz_declaring_member_size(tmp_path, size: int) -> Path:
    """An .npz whose x_train.npy member says it unpacks to `size` bytes (a zip bomb's claim)."""
    data = bytearray(_npz_members(tmp_path, "bomb.npz").read_bytes())
    # The uncompressed size field: offset 22 in the local header, 24 in the central directory.
    struct.pack_into("<I", data, data.index(b"PK\x03\x04") + 22, size)
    struct.pack_into("<I", data, data.index(b"PK\x01\x02") + 24, size)
    return write_bytes(tmp_path / "bomb.npz", bytes(data))


def _idx_header(magic: int, *shape: int) -> bytes:
    return struct.pack(f">I{len(shape)}I", magic, *shape)


def _symlink_loop(tmp_path, name="loop.npz") -> Path:
    (tmp_path / name).symlink_to(tmp_path / "other")
    (tmp_path / "other").symlink_to(tmp_path / name)
    return tmp_path / name


def _fifo_images(tmp_path) -> Path:
    """A named pipe under the images file's name, beside valid labels: opening it would block."""
    write_idx(tmp_path / "train-labels-idx1-ubyte", make_digits(12)[1])
    os.mkfifo(tmp_path / "train-images-idx3-ubyte")
    return tmp_path / "train-labels-idx1-ubyte"  # the loader must find and refuse its partner


def _dev_zero_images(tmp_path) -> tuple[Path, Path]:
    """/dev/zero (linked under the images file's name) and a valid labels file: never ends."""
    labels = write_idx(tmp_path / "train-labels-idx1-ubyte", make_digits(12)[1])
    (tmp_path / "train-images-idx3-ubyte").symlink_to("/dev/zero")
    return tmp_path / "train-images-idx3-ubyte", labels


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
    # Issue 9, item 9: every failure a DatasetError that names the file.
    "npz_members_not_npy": (
        lambda p: write_zip(p / "plain.npz", {f"{key}.npy": b"just text" for key in
                                             ("x_train", "y_train", "x_test", "y_test")}),
        "plain.npz", "member x_train.npy is not a .npy array"),
    "zip_members_without_npy_suffix": (
        lambda p: write_zip(p / "plain.npz", {key: b"just text" for key in
                                             ("x_train", "y_train", "x_test", "y_test")}),
        "plain.npz", "member x_train is not a .npy array"),
    "npz_header_claims_1_TB": (
        lambda p: _npz_members(p, "huge.npz", **{"x_train.npy": npy_header((10**12,))}),
        "huge.npz", "1,000,000,000,000 bytes, more than the 2 GiB a dataset may hold"),
    "npz_member_declares_2_GiB": (
        lambda p: _npz_declaring_member_size(p, 2**31), "bomb.npz",
        "x_train.npy holds 2,147,483,648 bytes but its header declares"),
    "idx_float32_values": (
        lambda p: _images_file(p, _idx_header(0x00000D03, 12, 4, 5) + bytes(4 * 240)),
        "train-images-idx3-ubyte",
        "holds float32 values; only unsigned bytes (0x08) are supported"),
    "idx_int8_values": (
        lambda p: _images_file(p, _idx_header(0x00000903, 12, 4, 5) + bytes(240)),
        "train-images-idx3-ubyte",
        "holds signed byte (int8) values; only unsigned bytes (0x08) are supported"),
    "idx_float64_labels": (
        lambda p: _labels_file(p, _idx_header(0x00000E01, 12) + bytes(8 * 12)),
        "train-labels-idx1-ubyte", "holds float64 values"),
    "idx_header_over_the_limit": (
        lambda p: _images_file(p, _idx_header(0x00000803, 100_000, 200, 200)),
        "train-images-idx3-ubyte", "more than the 2 GiB a dataset may hold"),
    "symlink_loop": (_symlink_loop, "loop.npz", "symbolic-link loop"),
    "symlink_loop_in_pair": (
        lambda p: (_symlink_loop(p, "loop-images-idx3-ubyte"),
                   write_idx(p / "labels", make_digits(3)[1])),
        "loop-images-idx3-ubyte", "symbolic-link loop"),
    "symlink_loop_as_folder": (
        lambda p: _symlink_loop(p, "mnist-folder"), "mnist-folder", "symbolic-link loop"),
    # Issue 9, item 10: nothing that is not a regular file is opened.
    "fifo_as_images_file": (_fifo_images, "train-images-idx3-ubyte", "a named pipe"),
    "fifo_in_pair": (
        lambda p: (_fifo_images(p) and p / "train-images-idx3-ubyte",
                   p / "train-labels-idx1-ubyte"),
        "train-images-idx3-ubyte", "is not a regular file (a named pipe)"),
    "dev_zero_as_images_file": (
        _dev_zero_images, "train-images-idx3-ubyte", "is not a regular file (a character device)"),
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


# --- limits: nothing read beyond the header's sizes, nothing huge at all -------------------------


def _peak_bytes_of(call) -> int:
    tracemalloc.start()
    try:
        call()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def _refused(argument, *phrases: str) -> None:
    with pytest.raises(DatasetError) as raised:
        load_dataset(argument)
    assert all(phrase in str(raised.value) for phrase in phrases), str(raised.value)


def test_gzip_bomb_is_refused_after_the_declared_bytes(tmp_path):
    # 10 images declared, then 2 GiB of zeros in a ~2 MB file: decompressing stops after the
    # declared 7,856 bytes and one more, so the whole check needs almost no memory.
    images, labels = make_digits(10, shape=(28, 28))
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", labels, gz=True)
    bomb = write_gzip_bomb(tmp_path / "train-images-idx3-ubyte.gz", idx_bytes(images), 2 << 30)
    assert bomb.stat().st_size < 4_000_000
    peak = _peak_bytes_of(
        lambda: _refused(tmp_path, "train-images-idx3-ubyte.gz", "more data than the header")
    )
    assert peak < 32 << 20, f"peak {peak:,} bytes"


def test_npz_bomb_is_refused_from_its_headers_without_reading(tmp_path):
    path = _npz_members(tmp_path, "huge.npz", **{"x_train.npy": npy_header((2**32,))})
    peak = _peak_bytes_of(lambda: _refused(path, "huge.npz", "refused before reading"))
    assert peak < 32 << 20, f"peak {peak:,} bytes"


def test_all_members_together_count_against_the_limit(tmp_path):
    # Each member alone is within the limit; together they are not.
    half = (MAX_DATASET_BYTES // 2 + 1,)
    path = _npz_members(tmp_path, "two-halves.npz", **{"x_train.npy": npy_header(half),
                                                       "x_test.npy": npy_header(half)})  # fmt: skip
    _refused(path, "two-halves.npz", "more than the 2 GiB a dataset may hold")


def test_folder_that_cannot_be_looked_into_is_a_dataset_error(tmp_path, monkeypatch):
    # Tests run as root here, where permission bits do not bite, so os.stat is made to answer
    # as it would for a user: EACCES for anything inside the folder.
    folder = _folder(tmp_path, "train")
    real_stat = os.stat

    def stat_without_permission(path, *args, **kwargs):
        if Path(path).parent == folder:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat_without_permission)
    _refused(folder, "idx-folder", "permission denied")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores permission bits"
)
def test_folder_without_execute_permission_is_a_dataset_error(tmp_path):
    folder = _folder(tmp_path, "train")
    folder.chmod(0o600)
    try:
        _refused(folder, "idx-folder", "permission denied")
    finally:
        folder.chmod(0o700)
