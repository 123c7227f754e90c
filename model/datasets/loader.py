"""load_dataset: one entry point for the built-in names, IDX folders/files and .npz archives."""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

from .builtin import BUILTIN_DATASETS, BUILTIN_LOADERS
from .dataset import Dataset
from .downloads import REMOTE_DATASETS, load_downloaded
from .errors import DatasetError
from .files import status
from .idx_datasets import load_idx_file, load_idx_folder, load_idx_pair
from .npz import load_npz


def load_dataset(name_or_path="mnist") -> Dataset:
    """Load a dataset by built-in name, path, or (images_path, labels_path) pair.

    - "mnist", "digits", "blobs": the shipped/generated datasets (a str; case does not matter).
    - "mnist-full", "fashion-mnist": the full datasets, once downloaded (see downloads.py).
    - a folder of MNIST/Fashion-MNIST IDX files, an IDX images file (its labels found beside it),
      or a Keras-style .npz (str or os.PathLike).
    - (images_path, labels_path): two IDX files.

    Bad input raises DatasetError naming the file and the problem; a wrong argument type TypeError.
    """
    if isinstance(name_or_path, (tuple, list)):
        if len(name_or_path) != 2 or not all(_is_path(p) for p in name_or_path):
            raise TypeError(f"expected (images_path, labels_path), got {name_or_path!r}")
        return load_idx_pair(*name_or_path)
    if not _is_path(name_or_path):
        raise TypeError(f"expected a dataset name or path, got {type(name_or_path).__name__}")
    # A str that is a built-in name means the built-in, even if a file of that name exists here.
    if isinstance(name_or_path, str) and name_or_path.strip().lower() in BUILTIN_LOADERS:
        return _load_builtin(name_or_path.strip().lower())
    if isinstance(name_or_path, str) and name_or_path.strip().lower() in REMOTE_DATASETS:
        # Not cached like the built-ins: 70,000 images are 220 MB of float32 rows.
        return load_downloaded(name_or_path.strip().lower())
    path = Path(name_or_path)
    # status, not path.exists(): exists() calls a link loop missing and lets PermissionError out.
    info = status(path, os.fspath(name_or_path)) if str(name_or_path).strip() else None
    if info is None:
        raise DatasetError(_not_found_message(name_or_path))
    if stat.S_ISDIR(info.st_mode):
        return load_idx_folder(path)
    if path.suffix.lower() == ".npz":
        return load_npz(path)
    return load_idx_file(path)


@functools.cache
def _load_builtin(name: str) -> Dataset:
    # Datasets are immutable (read-only arrays), so one copy can serve every caller.
    return BUILTIN_LOADERS[name]()


def _is_path(value) -> bool:
    return isinstance(value, (str, os.PathLike))


def _not_found_message(name_or_path) -> str:
    text = os.fspath(name_or_path)
    builtins = ", ".join(repr(name) for name in BUILTIN_DATASETS)
    builtins += " (and, once downloaded, " + ", ".join(repr(n) for n in REMOTE_DATASETS) + ")"
    looks_like_a_name = isinstance(name_or_path, str) and not (
        os.sep in text or "/" in text or Path(text).suffix
    )
    if looks_like_a_name:
        return (
            f"unknown dataset name {text!r}: the built-in datasets are {builtins}; anything else"
            " must be an existing IDX folder, IDX file or .npz"
        )
    return f"{text}: no such file or folder (the built-in datasets are {builtins})"
