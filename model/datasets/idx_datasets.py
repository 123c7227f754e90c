"""Datasets from the user's IDX files: an MNIST-style folder, an images/labels pair, or one file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .dataset import Dataset, class_names_for, is_fashion, split_train_test, to_rows
from .errors import DatasetError
from .files import MAX_DATASET_BYTES, check_regular_file, status
from .idx import read_idx_pair

# The names MNIST and Fashion-MNIST are distributed under; each may also end in .gz.
FOLDER_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "t10k": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
# images <-> labels in a file name; the dotted spelling is how some mirrors (e.g. Kaggle) name them.
_SIBLING_SWAPS = (
    ("images-idx3", "labels-idx1"),
    ("images.idx3", "labels.idx1"),
    ("labels-idx1", "images-idx3"),
    ("labels.idx1", "images.idx3"),
)


def load_idx_folder(folder: str | os.PathLike) -> Dataset:
    """Train on train-*, test on t10k-*; with only one of the two pairs present, split it 80/20."""
    folder = Path(folder)
    pairs = {part: _find_pair(folder, part) for part in FOLDER_FILES}
    present = {part: pair for part, pair in pairs.items() if pair is not None}
    name = _folder_name(folder)
    if not present:
        expected = ", ".join(f"{name}[.gz]" for pair in FOLDER_FILES.values() for name in pair)
        raise DatasetError(f"{folder}: no MNIST-style IDX files found; expected {expected}")
    if len(present) == 2:
        pixels, y_train, shape = read_idx_pair(*present["train"])
        X_train = to_rows(pixels, 255)
        # Both pairs share one MAX_DATASET_BYTES: the test pair gets what the train pair left.
        left = MAX_DATASET_BYTES - pixels.nbytes - len(y_train)
        del pixels  # the uint8 copy is not needed beside the rows: free it before the next read
        pixels, y_test, test_shape = read_idx_pair(*present["t10k"], limit=left)
        if test_shape != shape:
            raise DatasetError(
                f"{present['t10k'][0]}: images are {test_shape[0]} x {test_shape[1]} but the"
                f" training images are {shape[0]} x {shape[1]}"
            )
        X_test = to_rows(pixels, 255)
        note = f"{len(y_train):,} train-* and {len(y_test):,} t10k-* images as given"
    else:
        (pair,) = present.values()
        pixels, y, shape = read_idx_pair(*pair)
        X_train, y_train, X_test, y_test, note = split_train_test(
            pixels, y, str(pair[0]), scale=255
        )
        note = f"{pair[0].name} only, {note}"
    return Dataset(
        name=name,
        X_train=X_train, y_train=y_train, X_test=X_test, y_test=y_test,
        image_shape=shape,
        class_names=class_names_for(name),
        source=f"{_kind_of(name)} IDX files in {folder}; {note}",
    )  # fmt: skip


def load_idx_pair(images: str | os.PathLike, labels: str | os.PathLike) -> Dataset:
    """One images file and its labels file, split 80/20 with the fixed seed."""
    images, labels = Path(images), Path(labels)
    pixels, y, shape = read_idx_pair(images, labels)
    X_train, y_train, X_test, y_test, note = split_train_test(pixels, y, str(images), scale=255)
    names = (images.name, images.parent.name, labels.name)
    return Dataset(
        name=images.name,
        X_train=X_train, y_train=y_train, X_test=X_test, y_test=y_test,
        image_shape=shape,
        class_names=class_names_for(*names),
        source=f"{_kind_of(*names)} IDX files {images} and {labels.name}; {note}",
    )  # fmt: skip


def load_idx_file(path: str | os.PathLike) -> Dataset:
    """An images (or labels) IDX file whose partner sits beside it under the usual name."""
    return load_idx_pair(*_find_pair_of(Path(path)))


def _find_pair(folder: Path, part: str) -> tuple[Path, Path] | None:
    """The (images, labels) paths of `part` in `folder`, None if neither is there."""
    images, labels = (_find_file(folder, name) for name in FOLDER_FILES[part])
    if images is None and labels is None:
        return None
    if images is None or labels is None:
        have, missing = (labels, "images") if images is None else (images, "labels")
        wanted = FOLDER_FILES[part][0 if images is None else 1]
        raise DatasetError(f"{folder}: has {have.name} but not its {missing} file {wanted}[.gz]")
    return images, labels


def _find_file(folder: Path, name: str) -> Path | None:
    for candidate in (name, name + ".gz", name.replace("-idx", ".idx")):
        if _is_file(folder / candidate):
            return folder / candidate
    return None


def _is_file(path: Path) -> bool:
    """Like Path.is_file, but a folder we may not look into, or a link loop, is a DatasetError
    (is_file would raise a bare PermissionError, or call the loop missing)."""
    info = status(path, str(path))
    if info is None:
        return False
    if stat.S_ISDIR(info.st_mode):
        return False
    check_regular_file(info, str(path))  # a FIFO or device under a dataset's name is refused
    return True


def _find_pair_of(path: Path) -> tuple[Path, Path]:
    """(images, labels): `path` and the partner beside it found by swapping the usual name part."""
    name = path.name
    swaps = [(old, new) for old, new in _SIBLING_SWAPS if old in name]
    if not swaps:
        raise DatasetError(
            f"{path}: cannot tell where its labels are (the name has no 'images-idx3' to turn into"
            " 'labels-idx1'); give an (images, labels) pair or the folder"
        )
    old, new = swaps[0]
    partner_name = name.replace(old, new)
    stem = partner_name.removesuffix(".gz")
    for candidate in (partner_name, stem, stem + ".gz"):
        partner = path.parent / candidate
        if _is_file(partner):
            return (partner, path) if old.startswith("labels") else (path, partner)
    raise DatasetError(f"{path}: its partner file {partner_name} is not in {path.parent}")


def _kind_of(*names: str) -> str:
    return "Fashion-MNIST" if is_fashion(*names) else "MNIST-style"


def _folder_name(folder: Path) -> str:
    # Path(".").name is empty; the absolute path has the name a user would recognise.
    return folder.name or Path(os.path.abspath(folder)).name or str(folder)
