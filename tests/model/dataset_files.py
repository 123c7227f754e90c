"""Write small IDX and .npz files for the dataset-loader tests (in tmp_path, never committed)."""

from __future__ import annotations

import gzip
import io
import struct
import zipfile
from pathlib import Path

import numpy as np

IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801


def idx_bytes(array: np.ndarray, magic: int | None = None) -> bytes:
    """The IDX encoding of a uint8 array: magic, big-endian uint32 sizes, then the bytes."""
    array = np.asarray(array, dtype=np.uint8)
    magic = 0x00000800 | array.ndim if magic is None else magic
    header = struct.pack(">I", magic) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.tobytes()


def write_bytes(path: Path, data: bytes, gz: bool = False) -> Path:
    """Write `data` to `path`, gzipped (reproducibly, mtime 0) when `gz`."""
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
    return path


def write_idx(path: Path, array: np.ndarray, gz: bool = False) -> Path:
    return write_bytes(path, idx_bytes(array), gz)


def make_digits(n: int, shape: tuple[int, int] = (4, 5), seed: int = 0):
    """Random uint8 images (n, H, W) and labels (n,) covering 0..9 as far as n allows."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, *shape), dtype=np.uint8)
    labels = (np.arange(n) % 10).astype(np.uint8)
    rng.shuffle(labels)
    return images, labels


def write_pair(folder: Path, part: str, images, labels, gz: bool = False) -> tuple[Path, Path]:
    """Write `part` ("train" or "t10k") under the standard MNIST file names."""
    suffix = ".gz" if gz else ""
    folder.mkdir(parents=True, exist_ok=True)
    images_path = write_idx(folder / f"{part}-images-idx3-ubyte{suffix}", images, gz)
    labels_path = write_idx(folder / f"{part}-labels-idx1-ubyte{suffix}", labels, gz)
    return images_path, labels_path


def write_npz(path: Path, **arrays) -> Path:
    """A Keras-style .npz; defaults fill in whichever of x/y train/test are not given."""
    images, labels = make_digits(30)
    defaults = {"x_train": images[:20], "y_train": labels[:20],
                "x_test": images[20:], "y_test": labels[20:]}  # fmt: skip
    np.savez(path, **{**defaults, **arrays})
    return path


def as_rows(images: np.ndarray, scale: float = 255.0) -> np.ndarray:
    """What a loader should make of images (N, ...): float32 rows (N, D) divided by `scale`."""
    return images.reshape(len(images), -1).astype(np.float32) / np.float32(scale)


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    """A zip archive of the given member names and contents (for malformed .npz files)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def npy_header(shape: tuple[int, ...], descr: str = "|u1") -> bytes:
    """The .npy header (magic, version 1.0, dict) of an array, without its data."""
    buffer = io.BytesIO()
    header = {"descr": descr, "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(buffer, header)
    return buffer.getvalue()


def npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def write_gzip_bomb(path: Path, head: bytes, zero_bytes: int) -> Path:
    """gzip of `head` followed by `zero_bytes` zeros, ~1000:1 smaller than what it expands to.

    The zeros are one compressed 16 MiB gzip member written again and again: gunzip (and
    Python's gzip) read concatenated members as one stream, and this takes milliseconds where
    compressing 2 GiB would take seconds.
    """
    chunk = 16 << 20
    zeros = gzip.compress(bytes(chunk), compresslevel=9, mtime=0)
    with path.open("wb") as file:
        file.write(gzip.compress(head, mtime=0))
        for _ in range(zero_bytes // chunk):
            file.write(zeros)
    return path
