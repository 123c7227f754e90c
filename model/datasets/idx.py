"""Read IDX files, the format MNIST and Fashion-MNIST ship in (raw or gzipped).

An IDX file is two zero bytes, a type byte (0x08 = uint8), a byte giving the number of
dimensions, one big-endian uint32 size per dimension, then the values in row-major order.
Everything is checked against the byte count before any array is built.
"""

from __future__ import annotations

import math
import struct

import numpy as np

from .dataset import check_labels
from .errors import DatasetError
from .files import display_name, read_file_bytes

IMAGES_MAGIC = 0x00000803  # uint8, 3 dimensions: N x H x W
LABELS_MAGIC = 0x00000801  # uint8, 1 dimension: N
_KIND = {IMAGES_MAGIC: "images", LABELS_MAGIC: "labels"}
N_DIGIT_CLASSES = 10  # MNIST and Fashion-MNIST both have 10 classes


def read_idx_images(source) -> np.ndarray:
    """The images of an IDX file as a read-only (N, H, W) uint8 array."""
    return decode_idx(read_file_bytes(source), display_name(source), IMAGES_MAGIC)


def read_idx_labels(source) -> np.ndarray:
    """The labels of an IDX file as a read-only (N,) uint8 array."""
    return decode_idx(read_file_bytes(source), display_name(source), LABELS_MAGIC)


def read_idx_pair(images_source, labels_source) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
    """Rows X (N, H*W) float32 in [0, 1], labels y (N,) int64 in 0..9, and (H, W)."""
    images = read_idx_images(images_source)
    labels = read_idx_labels(labels_source)
    images_name, labels_name = display_name(images_source), display_name(labels_source)
    if len(images) != len(labels):
        raise DatasetError(
            f"{images_name} holds {len(images):,} images but {labels_name} holds"
            f" {len(labels):,} labels; the counts must match"
        )
    check_labels(labels, labels_name, N_DIGIT_CLASSES)
    rows = images.reshape(len(images), -1).astype(np.float32)
    rows /= 255  # dividing (not multiplying by 1/255) keeps 255 -> exactly 1.0
    return rows, labels.astype(np.int64), (images.shape[1], images.shape[2])


def decode_idx(data: bytes, name: str, magic: int) -> np.ndarray:
    """Check and decode the bytes of one uncompressed IDX file whose header must be `magic`."""
    kind = _KIND[magic]
    ndim = magic & 0xFF
    header_size = 4 + 4 * ndim
    if len(data) < 4:
        raise DatasetError(f"{name}: file is truncated ({len(data)} bytes, shorter than a header)")
    found = int.from_bytes(data[:4], "big")
    if found != magic:
        hint = f" (that is an IDX {_KIND[found]} file)" if found in _KIND else ""
        raise DatasetError(
            f"{name}: wrong magic number 0x{found:08X}{hint}; an IDX {kind} file starts with"
            f" 0x{magic:08X}"
        )
    if len(data) < header_size:
        raise DatasetError(
            f"{name}: file is truncated: {len(data)} bytes, but its header alone needs"
            f" {header_size}"
        )
    shape = struct.unpack_from(f">{ndim}I", data, 4)
    shape_text = " x ".join(f"{n:,}" for n in shape)
    if 0 in shape:
        raise DatasetError(f"{name}: the header declares {shape_text} {kind}, which is no data")
    expected = header_size + math.prod(shape)
    if len(data) < expected:
        raise DatasetError(
            f"{name}: file is truncated: the header declares {shape_text} {kind}"
            f" ({expected:,} bytes) but the file holds {len(data):,} bytes"
        )
    if len(data) > expected:
        raise DatasetError(
            f"{name}: the header sizes disagree with the file: {shape_text} {kind} take"
            f" {expected:,} bytes but the file holds {len(data):,} ({len(data) - expected:,} bytes"
            " too many)"
        )
    values = np.frombuffer(data, dtype=np.uint8, count=expected - header_size, offset=header_size)
    return values.reshape(shape)
