"""Open data files safely: regular files only, gunzipped on the fly, read in bounded pieces.

Nothing here reads a whole file on trust. A reader learns from a format's header how many bytes
to expect, checks that against MAX_DATASET_BYTES, reads exactly that many into an array it has
allocated, and then checks that the stream ends there.
"""

from __future__ import annotations

import contextlib
import errno
import gzip
import os
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .errors import DatasetError

GZIP_MAGIC = b"\x1f\x8b"
# The most uncompressed data one dataset may hold (all its files together). A bigger dataset
# would not fit a classroom laptop's memory once turned into float32 rows (4 bytes a value).
MAX_DATASET_BYTES = 2 * 1024**3
# Reads go in pieces of this size: BufferedIOBase.readinto (gzip, zip members) reads into a
# temporary bytes object as large as the request before copying it.
READ_CHUNK = 1 << 20
_NO_SUCH_FILE = (errno.ENOENT, errno.ENOTDIR)


def display_name(source) -> str:
    """The name error messages use: the path as given, or a packaged resource's file name."""
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return source.name  # an importlib.resources Traversable


def limit_text(limit: int = MAX_DATASET_BYTES) -> str:
    """A byte limit as a reader says it: "2 GiB"."""
    return f"{limit / 1024**3:g} GiB" if limit >= 1024**3 else f"{limit:,} bytes"


def os_error_message(name: str, exc: OSError) -> str:
    """What went wrong opening or inspecting `name`, in words (never a raw OSError)."""
    if exc.errno in _NO_SUCH_FILE:
        return f"{name}: no such file"
    if exc.errno == errno.ELOOP:
        return f"{name}: is a symbolic-link loop (following its links never reaches a file)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"{name}: permission denied"
    return f"{name}: could not be read ({exc.strerror or exc})"


def status(path, name: str) -> os.stat_result | None:
    """os.stat of `path` (links followed); None if it does not exist, DatasetError if unreadable."""
    try:
        return os.stat(path)
    except OSError as exc:
        if exc.errno in _NO_SUCH_FILE:
            return None
        raise DatasetError(os_error_message(name, exc)) from None


def check_regular_file(info: os.stat_result, name: str) -> None:
    """Refuse folders, FIFOs, devices and sockets: a FIFO would block, /dev/zero never ends."""
    if stat.S_ISDIR(info.st_mode):
        raise DatasetError(f"{name}: is a folder, expected a file")
    if not stat.S_ISREG(info.st_mode):
        raise DatasetError(f"{name}: is not a regular file ({_file_kind(info.st_mode)})")
    if info.st_size == 0:
        raise DatasetError(f"{name}: file is empty (0 bytes)")


def _file_kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))  # fmt: skip
    return next((kind for test, kind in kinds if test(mode)), "not a file")


@contextlib.contextmanager
def open_regular(source) -> Iterator:
    """An unbuffered binary file for a path (checked to be a non-empty regular file first),
    or the open resource for a Traversable."""
    name = display_name(source)
    if not isinstance(source, (str, os.PathLike)):
        with source.open("rb") as resource:
            yield resource
        return
    info = status(source, name)
    if info is None:
        raise DatasetError(f"{name}: no such file")
    check_regular_file(info, name)
    # O_NONBLOCK: if the path was swapped for a FIFO after the stat, open must not wait for a
    # writer; fstat below then refuses it. On a regular file the flag changes nothing.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(source, flags)
    except OSError as exc:
        raise DatasetError(os_error_message(name, exc)) from None
    with open(fd, "rb", buffering=0) as file:
        check_regular_file(os.fstat(fd), name)
        yield file


@dataclass
class DataStream:
    """A file's bytes as a stream, gunzipped if it was gzip; `size` is known only for raw files."""

    file: object  # a binary file object
    name: str
    gzipped: bool
    size: int | None

    def read_into(self, array: np.ndarray) -> int:
        """Fill the C-contiguous `array` from the stream; return the bytes read (short at EOF)."""
        view = memoryview(array.reshape(-1).view(np.uint8))
        done = 0
        while done < len(view):
            got = self._call(self.file.readinto, view[done : done + READ_CHUNK])
            if not got:
                break
            done += got
        return done

    def read(self, n: int) -> bytes:
        """Up to n bytes (fewer only at the end of the stream)."""
        parts, left = [], n
        while left:
            part = self._call(self.file.read, min(left, READ_CHUNK))
            if not part:
                break
            parts.append(part)
            left -= len(part)
        return b"".join(parts)

    def what_it_holds(self) -> str:
        return "its gzip data decompresses to" if self.gzipped else "the file holds"

    def _call(self, method, argument):
        try:
            return method(argument)
        # BadGzipFile is an OSError; a cut-off stream raises EOFError; bad deflate data zlib.error.
        except (OSError, EOFError, zlib.error) as exc:
            if self.gzipped:
                raise DatasetError(f"{self.name}: corrupt gzip data ({exc})") from None
            raise DatasetError(f"{self.name}: could not be read ({exc})") from None


@contextlib.contextmanager
def open_data(source) -> Iterator[DataStream]:
    """The file's bytes as a DataStream, gunzipped on the fly if they start with 1f 8b."""
    name = display_name(source)
    with open_regular(source) as file:
        head = file.read(len(GZIP_MAGIC))
        if not head:
            raise DatasetError(f"{name}: file is empty (0 bytes)")
        file.seek(0)
        if head == GZIP_MAGIC:
            with gzip.GzipFile(fileobj=file, mode="rb") as unzipped:
                yield DataStream(unzipped, name, gzipped=True, size=None)
            return
        if name.lower().endswith(".gz"):
            raise DatasetError(f"{name} is named .gz but is not gzip data")
        yield DataStream(file, name, gzipped=False, size=_size_of(file))


def _size_of(file) -> int | None:
    """The size of an open file, None for a stream without one (a resource inside a zip)."""
    try:
        return os.fstat(file.fileno()).st_size
    except (OSError, AttributeError, ValueError):  # io.UnsupportedOperation is both of the last
        return None


def read_file_bytes(source, limit: int = MAX_DATASET_BYTES) -> bytes:
    """The bytes of a (small) file, decompressed if gzip; refused past `limit` bytes."""
    with open_data(source) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise DatasetError(f"{stream.name}: holds more than {limit_text(limit)}, too much to load")
    if not data:
        raise DatasetError(f"{stream.name}: file is empty (its gzip data decompresses to 0 bytes)")
    return data
