"""The full MNIST and Fashion-MNIST: downloaded on request, checked, kept in the user's cache.

Pure Python and NumPy (no Qt): the GUI runs `download` in a thread and shows its progress; the
training process loads a downloaded dataset by name ("mnist-full", "fashion-mnist") like a
built-in one.

A dataset's four files go to a staging folder and the folder is renamed into place only when
every file has arrived with its pinned SHA-256, so the cache holds a whole dataset or none of
it: an offline machine, a wrong checksum or a cancelled download leave nothing behind.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import DatasetError

#: An environment variable a school can set to a mirror of the files (see mirror_base).
MIRROR_ENV = "SOFTMAX_LAB_DATA_MIRROR"
CACHE_APP_NAME = "softmax-lab"
#: Seconds without an answer from the server before a download gives up.
TIMEOUT_S = 30
#: Bytes read between progress reports (pooch's default of 1 KiB would call back 26,000 times
#: for Fashion-MNIST's training images).
CHUNK_BYTES = 64 * 1024
STAGING_SUFFIX = ".download"


@dataclass(frozen=True)
class RemoteDataset:
    """A dataset of four IDX files (train-* and t10k-*) at `base_url`, each with its SHA-256.

    `files` maps file name -> (sha256 of the .gz as published, size in bytes). On a mirror the
    files sit under `<mirror>/<name>/`.
    """

    name: str
    title: str
    base_url: str
    files: dict[str, tuple[str, int]]
    credit: str

    @property
    def total_bytes(self) -> int:
        return sum(size for _, size in self.files.values())


# The checksums are the published ones (torchvision's and the Fashion-MNIST README's tables list
# the same SHA-256 values; their MD5s are torchvision's). The app's own resources/mnist-t10k-*.gz
# hold the same t10k bytes and are the same size, but in a gzip wrapper with a different time
# stamp, so their SHA-256 differs from the published file's.
REMOTE_DATASETS = {
    "mnist-full": RemoteDataset(
        name="mnist-full",
        title="MNIST, all 70,000 digits",
        base_url="https://ossci-datasets.s3.amazonaws.com/mnist/",
        files={
            "train-images-idx3-ubyte.gz": (
                "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", 9_912_422),
            "train-labels-idx1-ubyte.gz": (
                "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", 28_881),
            "t10k-images-idx3-ubyte.gz": (
                "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", 1_648_877),
            "t10k-labels-idx1-ubyte.gz": (
                "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", 4_542),
        },
        credit="MNIST (LeCun, Cortes, Burges; CC BY-SA 3.0)",
    ),
    "fashion-mnist": RemoteDataset(
        name="fashion-mnist",
        title="Fashion-MNIST, 70,000 clothes",
        base_url="http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        files={
            "train-images-idx3-ubyte.gz": (
                "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84", 26_421_880),
            "train-labels-idx1-ubyte.gz": (
                "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845", 29_515),
            "t10k-images-idx3-ubyte.gz": (
                "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073", 4_422_102),
            "t10k-labels-idx1-ubyte.gz": (
                "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5", 5_148),
        },
        credit="Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, Zalando Research; MIT)",
    ),
}  # fmt: skip
REMOTE_DATASET_NAMES = tuple(REMOTE_DATASETS)


class DownloadError(Exception):
    """A download failed; the message says what happened and what to try."""


class DownloadCancelled(Exception):
    """The user cancelled the download (raised from the progress callback)."""


def cache_folder() -> Path:
    """Where downloaded datasets live: the user's cache folder (platformdirs)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(CACHE_APP_NAME, appauthor=False)) / "datasets"


def dataset_folder(name: str, cache: Path | None = None) -> Path:
    return (cache or cache_folder()) / name


def is_downloaded(name: str, cache: Path | None = None) -> bool:
    """Every file of the dataset is in the cache (the folder only exists once all arrived)."""
    folder = dataset_folder(name, cache)
    return all((folder / file).is_file() for file in REMOTE_DATASETS[name].files)


def downloaded_names(cache: Path | None = None) -> tuple[str, ...]:
    return tuple(name for name in REMOTE_DATASETS if is_downloaded(name, cache))


def named_datasets(cache: Path | None = None) -> tuple[str, ...]:
    """The datasets a user can choose by name: the built-in ones, then those downloaded."""
    from .builtin import BUILTIN_DATASETS

    return (*BUILTIN_DATASETS, *downloaded_names(cache))


def mirror_base(setting: str | None = None, environ=os.environ) -> str | None:
    """The mirror a school set: the app's setting first, then $SOFTMAX_LAB_DATA_MIRROR; None
    means each dataset's official address."""
    for value in (setting, environ.get(MIRROR_ENV)):
        if value and value.strip():
            return value.strip()
    return None


def file_urls(dataset: RemoteDataset, mirror: str | None = None) -> dict[str, str]:
    """File name -> address: the official one, or `<mirror>/<dataset name>/<file>`."""
    base = dataset.base_url if mirror is None else f"{mirror.rstrip('/')}/{dataset.name}/"
    return {file: base + file for file in dataset.files}


#: progress(bytes_done, bytes_total); it may raise DownloadCancelled to stop the download.
Progress = Callable[[int, int], None]


def download(
    name: str,
    mirror: str | None = None,
    progress: Progress | None = None,
    cache: Path | None = None,
    dataset: RemoteDataset | None = None,
) -> Path:
    """Fetch dataset `name` into the cache and return its folder (at once if it is there).

    Raises DownloadCancelled if `progress` raised it, DownloadError for anything else (no
    connection, a server error, a file whose SHA-256 is not the pinned one, a full disk); in
    every case nothing of this download is left in the cache.
    """
    import pooch

    pooch.get_logger().setLevel("WARNING")  # the window shows progress; no lines on stderr
    dataset = dataset or REMOTE_DATASETS[name]
    folder = dataset_folder(name, cache)
    if is_downloaded(name, cache):
        return folder
    staging = folder.with_name(folder.name + STAGING_SUFFIX)
    shutil.rmtree(staging, ignore_errors=True)  # what an interrupted earlier attempt left
    urls = file_urls(dataset, mirror)
    bar = _ProgressBar(dataset.total_bytes, progress)
    try:
        for file, (sha256, _size) in dataset.files.items():
            bar.file = file
            downloader = pooch.HTTPDownloader(
                progressbar=bar, chunk_size=CHUNK_BYTES, timeout=TIMEOUT_S
            )
            pooch.retrieve(
                urls[file], known_hash=f"sha256:{sha256}", fname=file, path=staging,
                downloader=downloader,
            )  # fmt: skip
            bar.file_done(dataset.files[file][1])
        shutil.rmtree(folder, ignore_errors=True)  # an incomplete folder from another version
        os.replace(staging, folder)
    except DownloadCancelled:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except Exception as error:  # noqa: BLE001 - every failure becomes one clear message
        shutil.rmtree(staging, ignore_errors=True)
        raise DownloadError(_explain(error, urls.get(bar.file or "", ""), dataset)) from error
    return folder


def load_downloaded(name: str, cache: Path | None = None):
    """The downloaded dataset `name` (60,000 train-* and 10,000 t10k-* images as given)."""
    from .idx_datasets import load_idx_folder

    dataset = REMOTE_DATASETS[name]
    if not is_downloaded(name, cache):
        raise DatasetError(
            f"{name}: not downloaded yet; get it with File -> Get more data... (it goes to"
            f" {dataset_folder(name, cache)})"
        )
    loaded = load_idx_folder(dataset_folder(name, cache))
    # The folder's name is the dataset's name; the source says where it came from.
    return type(loaded)(
        name=name,
        X_train=loaded.X_train, y_train=loaded.y_train,
        X_test=loaded.X_test, y_test=loaded.y_test,
        image_shape=loaded.image_shape, class_names=loaded.class_names,
        source=f"{dataset.credit}: {len(loaded.y_train):,} training and"
        f" {len(loaded.y_test):,} test images, downloaded to {dataset_folder(name, cache)}",
    )  # fmt: skip


class _ProgressBar:
    """What pooch's HTTPDownloader calls as it streams (total, update, reset, close), turned
    into progress(bytes done over all files, bytes of all files)."""

    def __init__(self, total_bytes: int, progress: Progress | None):
        self.all_bytes = total_bytes
        self.progress = progress
        self.done_before = 0  # the bytes of the files already fetched
        self.n = 0
        self.total = 0  # pooch sets it to the current file's content length
        self.file: str | None = None

    def update(self, n: int) -> None:
        self.n = min(self.n + n, self.total or self.n + n)
        if self.progress is not None:
            self.progress(min(self.done_before + self.n, self.all_bytes), self.all_bytes)

    def reset(self) -> None:
        self.n = 0

    def close(self) -> None:
        pass

    def file_done(self, size: int) -> None:
        self.done_before += size
        self.n = 0


def _explain(error: Exception, url: str, dataset: RemoteDataset) -> str:
    """A short message a teacher can act on (it goes in one line of the window's banner),
    naming the file or the server."""
    import requests

    host = url.split("/")[2] if url.count("/") >= 2 else url
    file = url.rsplit("/", 1)[-1] or dataset.name
    if isinstance(error, requests.exceptions.HTTPError):
        status = error.response.status_code if error.response is not None else "error"
        return f"{host} has no {url.split(host, 1)[-1]} (HTTP {status}): check the mirror address."
    if isinstance(error, (requests.exceptions.ConnectionError, requests.exceptions.Timeout)):
        return f"no connection to {host}: offline, or a wrong mirror address? Nothing was kept."
    if isinstance(error, ValueError) and "hash" in str(error).lower():
        return (
            f"{file} did not match its published SHA-256 checksum (damaged, or not the real"
            " file), so nothing was kept."
        )
    if isinstance(error, OSError):
        where = error.filename or "the cache folder"
        return f"could not save {dataset.title} in {where}: {error.strerror or error}"
    return f"{dataset.title} could not be downloaded: {error}"
