"""Datasets from a Keras-style .npz archive holding x_train, y_train, x_test, y_test.

x is (N, H, W), (N, H, W, 1) or (N, D); y is (N,) or (N, 1) integers 0..9. Integer pixels are
divided by 255; float pixels already in [0, 1] are kept; float pixels above 1 are divided by the
largest value of train and test together, so both parts are scaled alike.
"""

from __future__ import annotations

import math
import os
import struct
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .dataset import Dataset, check_labels, class_names_for, is_fashion, to_rows
from .errors import DatasetError
from .files import MAX_DATASET_BYTES, DataStream, limit_text, open_regular
from .idx import N_DIGIT_CLASSES

NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a zip's first entry, or an empty zip
NPY_MAGIC = b"\x93NUMPY"
# The .npy header readers by format version (the byte after the magic); 3.0 only adds UTF-8
# field names, which no pixel array has.
_NPY_HEADER_READERS = {
    1: np.lib.format.read_array_header_1_0,
    2: np.lib.format.read_array_header_2_0,
}
# What a damaged or foreign file can make np.load / zipfile raise; all mean "not a usable .npz".
_READ_ERRORS = (
    ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile, zlib.error, struct.error,
    NotImplementedError, RuntimeError,
)  # fmt: skip


def load_npz(path: str | os.PathLike) -> Dataset:
    """Load and check a Keras-style .npz; nothing is built until every array has passed."""
    path = Path(path)
    arrays = _read_arrays(path)
    for part in ("train", "test"):
        arrays[f"x_{part}"], arrays[f"y_{part}"] = _check_part(path, arrays, part)
    x_train, y_train, x_test, y_test = (arrays[key] for key in NPZ_KEYS)
    if x_train.shape[1:] != x_test.shape[1:]:
        raise DatasetError(
            f"{path}: x_train samples have shape {x_train.shape[1:]} but x_test samples"
            f" {x_test.shape[1:]}; they must match"
        )
    scale = _pixel_scale(path, x_train, x_test)
    # Only the file's own name counts: a .npz is self-contained, unlike an IDX file whose
    # standard name leaves its folder as the only hint of Fashion-MNIST.
    kind = "Fashion-MNIST" if is_fashion(path.name) else "Keras-style"
    return Dataset(
        name=path.name,
        X_train=_to_rows(x_train, scale), y_train=y_train,
        X_test=_to_rows(x_test, scale), y_test=y_test,
        image_shape=_image_shape(x_train),
        class_names=class_names_for(path.name),
        source=f"{kind} .npz {path}; {len(y_train):,} train / {len(y_test):,} test as given",
    )  # fmt: skip


def _read_arrays(path: Path) -> dict[str, np.ndarray]:
    """The four arrays. Every member's .npy header is checked (shape, dtype, no pickled objects,
    its size against the member's and MAX_DATASET_BYTES) before any array is allocated."""
    with open_regular(path) as file:
        start = file.read(len(NPY_MAGIC))
        file.seek(0)
        # Check the magic ourselves: for other bytes np.load's message suggests unpickling them.
        if start.startswith(NPY_MAGIC):
            raise DatasetError(
                f"{path}: holds a single .npy array, not an .npz archive of {NPZ_KEYS}"
            )
        if not start.startswith(ZIP_MAGICS):
            raise DatasetError(f"{path}: not an .npz archive (an .npz is a zip file, this is not)")
        try:
            archive = zipfile.ZipFile(file)
        except _READ_ERRORS as exc:
            raise DatasetError(f"{path}: not a readable .npz archive ({exc})") from None
        with archive:
            members = {key: _member_header(path, archive, key) for key in NPZ_KEYS}
            total = sum(member.nbytes for member in members.values())
            if total > MAX_DATASET_BYTES:
                raise DatasetError(
                    f"{path}: its arrays hold {total:,} bytes, more than the {limit_text()} a"
                    " dataset may hold; refused before reading"
                )
            return {key: _read_member(path, archive, members[key]) for key in NPZ_KEYS}


class _Member(NamedTuple):
    """What a member's .npy header declares, and where its data starts."""

    key: str
    info: zipfile.ZipInfo
    header_size: int
    shape: tuple[int, ...]
    fortran_order: bool
    dtype: np.dtype
    nbytes: int


def _member_header(path: Path, archive: zipfile.ZipFile, key: str) -> _Member:
    """Find `key` (as key.npy, as np.savez writes it, or bare) and check its .npy header."""
    names = archive.namelist()
    name = next((n for n in (f"{key}.npy", key) if n in names), None)
    if name is None:
        missing = [k for k in NPZ_KEYS if f"{k}.npy" not in names and k not in names]
        found = ", ".join(n.removesuffix(".npy") for n in names) or "nothing"
        raise DatasetError(
            f"{path}: missing {', '.join(missing)}; a Keras-style .npz needs"
            f" {', '.join(NPZ_KEYS)} (found: {found})"
        )
    info = archive.getinfo(name)
    try:
        with archive.open(info) as member:
            magic = member.read(len(NPY_MAGIC) + 2)
            if not magic.startswith(NPY_MAGIC):
                raise DatasetError(
                    f"{path}: member {name} is not a .npy array (it does not start with the .npy"
                    " magic \\x93NUMPY)"
                )
            shape, fortran_order, dtype = _NPY_HEADER_READERS[magic[-2]](member)
            header_size = member.tell()
    except KeyError:  # a .npy version other than 1 or 2
        raise DatasetError(
            f"{path}: {name} is a .npy file of unsupported version {magic[-2]}"
        ) from None
    except DatasetError:
        raise
    except _READ_ERRORS as exc:
        raise DatasetError(f"{path}: could not read the header of {name} ({exc})") from None
    if dtype.hasobject:
        raise DatasetError(
            f"{path}: {key} is an object array (pickled Python objects), which is never"
            " loaded; save plain numeric arrays"
        )
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes > MAX_DATASET_BYTES:
        raise DatasetError(
            f"{path}: the header of {name} declares shape {shape} of {dtype}, {nbytes:,} bytes,"
            f" more than the {limit_text()} a dataset may hold; refused before reading"
        )
    return _Member(key, info, header_size, shape, fortran_order, dtype, nbytes)


def _read_member(path: Path, archive: zipfile.ZipFile, member: _Member) -> np.ndarray:
    """The member's array, read into a preallocated array a piece at a time."""
    # The zip's own claim of the member's size must agree with the .npy header's; the read
    # below is then bounded by both (zipfile never returns more than the claimed size).
    if member.info.file_size != member.header_size + member.nbytes:
        raise DatasetError(
            f"{path}: {member.info.filename} holds {member.info.file_size:,} bytes but its header"
            f" declares shape {member.shape} of {member.dtype},"
            f" {member.header_size + member.nbytes:,} bytes with the header"
        )
    values = np.empty(member.nbytes // member.dtype.itemsize, dtype=member.dtype)
    try:
        with archive.open(member.info) as file:
            file.read(member.header_size)
            got = DataStream(file, f"{path}: {member.info.filename}", False, None).read_into(values)
    except DatasetError:
        raise
    except _READ_ERRORS as exc:  # a bad CRC is a BadZipFile, not an OSError
        raise DatasetError(f"{path}: could not read {member.key} ({exc})") from None
    if got < member.nbytes:
        raise DatasetError(f"{path}: {member.key} is cut off ({got:,} of {member.nbytes:,} bytes)")
    if member.fortran_order:  # stored column-major, as np.save writes a Fortran-ordered array
        return values.reshape(member.shape[::-1]).T
    return values.reshape(member.shape)


def _check_part(path: Path, arrays: dict, part: str) -> tuple[np.ndarray, np.ndarray]:
    """x (N, ...) and y (N,) int64 of one part, or a DatasetError naming `path`."""
    x, y = arrays[f"x_{part}"], arrays[f"y_{part}"]
    if not (x.ndim in (2, 3) or (x.ndim == 4 and x.shape[3] == 1)):
        raise DatasetError(
            f"{path}: x_{part} has shape {x.shape}; expected (N, H, W), (N, H, W, 1) or (N, D)"
        )
    if not (x.dtype == np.bool_ or np.issubdtype(x.dtype, np.number)) or x.dtype.kind == "c":
        raise DatasetError(f"{path}: x_{part} has dtype {x.dtype}; expected real-number pixels")
    if x.ndim == 4:
        x = x[..., 0]  # a (N, H, W, 1) channel axis, as Keras image models like it
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]  # Keras saves some label vectors as (N, 1) columns
    if y.ndim != 1:
        raise DatasetError(f"{path}: y_{part} has shape {y.shape}; expected (N,) labels")
    if not np.issubdtype(y.dtype, np.integer):
        raise DatasetError(f"{path}: y_{part} has dtype {y.dtype}; labels must be integers")
    if len(x) != len(y):
        raise DatasetError(
            f"{path}: x_{part} holds {len(x):,} samples but y_{part} holds {len(y):,} labels;"
            " the lengths must match"
        )
    if len(x) == 0 or math.prod(x.shape[1:]) == 0:
        raise DatasetError(f"{path}: x_{part} holds no data (shape {x.shape})")
    check_labels(y, f"{path} (y_{part})", N_DIGIT_CLASSES)
    return x, y.astype(np.int64)


def _pixel_scale(path: Path, x_train: np.ndarray, x_test: np.ndarray) -> float:
    """The number to divide pixels by so that train and test both land in [0, 1]."""
    # np.minimum, not min(): it keeps a NaN from either side (min(0.5, nan) is 0.5).
    low = np.minimum(x_train.min(), x_test.min())
    high = np.maximum(x_train.max(), x_test.max())
    if x_train.dtype == np.bool_ and x_test.dtype == np.bool_:
        return 1.0
    if np.issubdtype(x_train.dtype, np.floating) or np.issubdtype(x_test.dtype, np.floating):
        # min and max are NaN if any pixel is and infinite if any is: no temporary the size
        # of x, as np.isfinite(x).all() would make.
        if not (np.isfinite(low) and np.isfinite(high)):
            raise DatasetError(f"{path}: pixels contain NaN or infinity")
        if low < 0:
            raise DatasetError(f"{path}: pixels must not be negative (smallest is {low})")
        return float(high) if high > 1 else 1.0
    if low < 0 or high > 255:
        raise DatasetError(f"{path}: integer pixels must be 0..255 (found {low}..{high})")
    return 255.0


def _to_rows(x: np.ndarray, scale: float) -> np.ndarray:
    """(N, ...) pixels -> (N, D) float32 rows divided by `scale`."""
    rows = to_rows(x, scale)  # one pass, straight into float32
    # float64 -> float32 rounding can put a value a hair above the largest; keep [0, 1] exact.
    np.clip(rows, 0.0, 1.0, out=rows)
    return rows


def _image_shape(x: np.ndarray) -> tuple[int, int] | None:
    """(H, W) of image-shaped x; for flat (N, D) rows a square D is taken as a square image."""
    if x.ndim >= 3:
        return x.shape[1], x.shape[2]
    side = math.isqrt(x.shape[1])
    return (side, side) if side * side == x.shape[1] and side > 1 else None
