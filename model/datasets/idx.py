"""Read IDX files, the format MNIST and Fashion-MNIST ship in (raw or gzipped).

An IDX file is two zero bytes, a type byte (0x08 = uint8), a byte giving the number of
dimensions, one big-endian uint32 size per dimension, then the values in row-major order.
The header is read first and checked (type, sizes, MAX_DATASET_BYTES); then exactly the
declared number of bytes is read into a preallocated array, and the stream must end there.
"""

from __future__ import annotations

import math
import struct

import numpy as np

from .dataset import check_labels
from .errors import DatasetError
from .files import MAX_DATASET_BYTES, DataStream, display_name, limit_text, open_data

IMAGES_MAGIC = 0x00000803  # uint8, 3 dimensions: N x H x W
LABELS_MAGIC = 0x00000801  # uint8, 1 dimension: N
_KIND = {IMAGES_MAGIC: "images", LABELS_MAGIC: "labels"}
# The IDX type byte (third byte of the magic number) and the values it announces.
IDX_TYPES = {0x08: "unsigned byte", 0x09: "signed byte (int8)", 0x0B: "int16", 0x0C: "int32",
             0x0D: "float32", 0x0E: "float64"}  # fmt: skip
N_DIGIT_CLASSES = 10  # MNIST and Fashion-MNIST both have 10 classes


def read_idx_images(source) -> np.ndarray:
    """The images of an IDX file as a read-only (N, H, W) uint8 array."""
    return read_idx(source, IMAGES_MAGIC)


def read_idx_labels(source) -> np.ndarray:
    """The labels of an IDX file as a read-only (N,) uint8 array."""
    return read_idx(source, LABELS_MAGIC)


def read_idx_pair(
    images_source, labels_source, limit: int = MAX_DATASET_BYTES
) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
    """Pixels (N, H*W) uint8, labels y (N,) int64 in 0..9, and (H, W); at most `limit` bytes.

    The pixels stay uint8 (a quarter of float32's size) so the caller converts each row once,
    straight into the array it keeps.
    """
    images = read_idx(images_source, IMAGES_MAGIC, limit)
    labels = read_idx(labels_source, LABELS_MAGIC, limit - images.nbytes)
    images_name, labels_name = display_name(images_source), display_name(labels_source)
    if len(images) != len(labels):
        raise DatasetError(
            f"{images_name} holds {len(images):,} images but {labels_name} holds"
            f" {len(labels):,} labels; the counts must match"
        )
    check_labels(labels, labels_name, N_DIGIT_CLASSES)
    shape = (images.shape[1], images.shape[2])
    return images.reshape(len(images), -1), labels.astype(np.int64), shape


def read_idx(source, magic: int, limit: int = MAX_DATASET_BYTES) -> np.ndarray:
    """The read-only uint8 array of one IDX file (raw or gzip) whose header must be `magic`."""
    with open_data(source) as stream:
        shape = _read_header(stream, magic)
        values = _read_values(stream, shape, magic, limit)
    values.flags.writeable = False
    return values


def _read_header(stream: DataStream, magic: int) -> tuple[int, ...]:
    """The sizes the header declares, after checking its magic number against `magic`."""
    name, kind, ndim = stream.name, _KIND[magic], magic & 0xFF
    start = stream.read(4)
    if len(start) < 4:
        _truncated_header(stream, len(start), 4)
    found = int.from_bytes(start, "big")
    type_byte = (found >> 8) & 0xFF
    if found >> 16 == 0 and type_byte != 0x08 and type_byte in IDX_TYPES:
        raise DatasetError(
            f"{name}: magic number 0x{found:08X} says the file holds {IDX_TYPES[type_byte]}"
            " values; only unsigned bytes (0x08) are supported"
        )
    if found != magic:
        hint = f" (that is an IDX {_KIND[found]} file)" if found in _KIND else ""
        raise DatasetError(
            f"{name}: wrong magic number 0x{found:08X}{hint}; an IDX {kind} file starts with"
            f" 0x{magic:08X}"
        )
    sizes = stream.read(4 * ndim)
    if len(sizes) < 4 * ndim:
        _truncated_header(stream, 4 + len(sizes), 4 + 4 * ndim)
    return struct.unpack(f">{ndim}I", sizes)


def _truncated_header(stream: DataStream, got: int, needed: int) -> None:
    if got == 0 and stream.gzipped:
        raise DatasetError(f"{stream.name}: file is empty (its gzip data decompresses to 0 bytes)")
    raise DatasetError(
        f"{stream.name}: file is truncated: {stream.what_it_holds()} {got} bytes, but its header"
        f" alone needs {needed}"
    )


def _read_values(stream: DataStream, shape: tuple[int, ...], magic: int, limit: int) -> np.ndarray:
    """Exactly the prod(shape) bytes the header declares, as a (shape) uint8 array."""
    name, kind = stream.name, _KIND[magic]
    shape_text = " x ".join(f"{n:,}" for n in shape)
    header_size = 4 + 4 * len(shape)
    count = math.prod(shape)
    declares = f"the header declares {shape_text} {kind} ({header_size + count:,} bytes)"
    if count == 0:
        raise DatasetError(f"{name}: the header declares {shape_text} {kind}, which is no data")
    if count > limit:
        left = "" if limit == MAX_DATASET_BYTES else f" ({max(limit, 0):,} bytes left)"
        raise DatasetError(
            f"{name}: {declares}, more than the {limit_text()} a dataset may hold{left}; refused"
            " before reading"
        )
    if stream.size is not None and stream.size != header_size + count:
        _sizes_disagree(stream, declares, shape_text, kind, header_size + count)
    values = np.empty(shape, dtype=np.uint8)
    got = stream.read_into(values)
    if got < count:
        raise DatasetError(
            f"{name}: file is truncated: {declares} but {stream.what_it_holds()}"
            f" {header_size + got:,} bytes"
        )
    if stream.read(1):
        raise DatasetError(
            f"{name}: more data than the header declares: {shape_text} {kind} take"
            f" {header_size + count:,} bytes and {stream.what_it_holds()} more; reading stopped"
            " there"
        )
    return values


def _sizes_disagree(stream: DataStream, declares: str, shape_text, kind, expected: int) -> None:
    """A raw file's size says, before any reading, that it is cut off or too long."""
    size = stream.size
    if size < expected:
        raise DatasetError(
            f"{stream.name}: file is truncated: {declares} but the file holds {size:,} bytes"
        )
    raise DatasetError(
        f"{stream.name}: the header sizes disagree with the file: {shape_text} {kind} take"
        f" {expected:,} bytes but the file holds {size:,} ({size - expected:,} bytes too many)"
    )
